/* termijn: cases, transitions and workflows as JSON (jansson). */
#ifndef TERMIJN_JSON_H
#define TERMIJN_JSON_H

#include <stdint.h>

#include <jansson.h>

struct engine;
struct case_row;
struct workflow;
struct period_spec;
struct due;

/* A case with its running deadlines and the events it accepts; NULL on a store failure. */
json_t	*json_case(struct engine *, const struct case_row *, int64_t now);
/* {"transitions": [...], "next_cursor": ...}, a page of a case's history; NULL on a store failure. */
json_t	*json_transitions(struct engine *, int64_t id, int64_t after, int limit);
json_t	*json_workflow(const struct workflow *);
json_t	*json_time(int64_t);	/* ISO 8601 local with offset */
/*
 * A computed due moment: {"due", "overdue_from", "rule", "period",
 * "explanation", "decree_missing"}, as termijnctl due and
 * GET /v1/calendar/due answer it.
 */
json_t	*json_due(const struct period_spec *, const struct due *);

#endif /* TERMIJN_JSON_H */
