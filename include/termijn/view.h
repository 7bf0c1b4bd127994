/* termijn: what the API shows: cases, transitions and workflows as JSON (jansson). */
#ifndef TERMIJN_VIEW_H
#define TERMIJN_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define VIEW_PAGE_MAX	500	/* items in one page of a list, at most */

struct case_row;
struct route_row;
struct team_row;
struct token_row;
struct due;
struct engine;
struct engine_error;
struct period_spec;
struct workflow;

/*
 * A case the caller read (engine_case_read) with its current deadlines,
 * their explanations and ladders, its notifications and the events it
 * accepts; NULL on a store failure.
 */
json_t	*view_case(struct engine *, const struct case_row *, int64_t now);
/* view_penalty.c: a case's penalty so far, JSON null when none; NULL: failed. */
json_t	*view_penalty(struct engine *, const struct case_row *, int64_t now);
void	 view_penalty_figures(json_t *, int64_t n, int64_t cents);
/* The same as "penalty" of a view's item o; NULL (o released): failed. */
json_t	*view_add_penalty(struct engine *, json_t *o, const struct case_row *,
	    int64_t now);
struct deadline_row;
/* One deadline of a case, as view_case shows it under "deadlines". */
json_t	*view_case_deadline(struct engine *, const struct case_row *,
	    const struct deadline_row *, int64_t now);
struct case_written;
/*
 * The same, from the rows a registration just wrote (a complete record,
 * engine.h), read nowhere: the answer to the write.
 */
json_t	*view_case_written(struct engine *, const struct case_written *,
	    int64_t now);
/* A write that may be dated in the past, as its warnings name it. */
enum view_write {
	VIEW_REGISTRATION,	/* a case registered with started_at */
	VIEW_EVENT,		/* an event recorded with its date */
};
/*
 * What a write dated in the past set off at once: each deadline that
 * passed and each rung that fired in the write, at its moment at, although
 * their own moment lay before it (a notification dated in the past).  An
 * empty array for a case with none; NULL on a store failure.
 */
json_t	*view_late_warnings(struct engine *, const struct case_row *,
	    int64_t at, enum view_write);
/* {"transitions": [...], "next_cursor": ...}, a page of a case's history. */
json_t	*view_transitions(struct engine *, const struct case_row *,
	    int64_t after, int limit, struct engine_error *);
/* The teams that take part in a case, and who coordinates it. */
json_t	*view_participants(struct engine *, const struct case_row *);
/* {"reads": [...], "next_cursor": ...}: a page of who read a case. */
json_t	*view_reads(struct engine *, const struct case_row *, int64_t after,
	    int limit);
/* Everything held about one case, for a citizen's request for access. */
json_t	*view_export(struct engine *, const struct case_row *, int64_t now,
	    struct engine_error *);
struct rung_input;
/* A webhook's CloudEvent for one team, of a rung's notification. */
json_t	*view_cloudevent(const char *id, const char *source, const char *type,
	    const struct case_row *, const struct workflow *,
	    const struct rung_input *, const char *team);
struct outbox_row;
/* A row of the outbox, for an administrator: no case content. */
json_t	*view_outbox(const struct outbox_row *);
struct summary_row;
/* The supervisor's views: an overdue deadline, one at risk or suspended,
 * a row of counts, a case waiting in a queue. */
json_t	*view_overdue(struct engine *, const struct case_row *,
	    const struct deadline_row *, int64_t now);
json_t	*view_at_risk(struct engine *, const struct case_row *,
	    const struct deadline_row *, int64_t now);
/* A summary row names states as the newest version of the workflow does. */
json_t	*view_summary(struct engine *, const struct summary_row *);
json_t	*view_queue_item(struct engine *, const struct case_row *);
struct report;
/* {"from", "to", "by", "rows": [...]}: management information. */
json_t	*view_report(const struct report *, const char *from, const char *to,
	    const char *by);
json_t	*view_team(const struct team_row *);
json_t	*view_route(const struct route_row *);
/* The functions no team filled when the case should have joined one. */
json_t	*view_unrouted(const struct case_row *);
json_t	*view_token(const struct token_row *);	/* never its secret */
/* {"name", "display_name", "role"}: one of a team's people. */
json_t	*view_person(const struct token_row *);
/*
 * What people call whoever a name of a token names: its display name, or
 * the name where none is set; null for no name.
 */
json_t	*view_person_name(const char *name, const char *display);
/*
 * view_workflow.c: a workflow as GET /v1/workflows shows it; its bases
 * with their titles and articles, the n ids or (NULL) all n; and the
 * titles of its names where other answers name them: each a string, or
 * null when the workflow gives none (a NULL workflow gives none).
 */
json_t	*view_workflow(const struct workflow *);
json_t	*view_bases(const struct workflow *, char *const *ids, size_t n);
json_t	*view_title(const char *);
json_t	*view_state_title(const struct workflow *, const char *state);
json_t	*view_deadline_title(const struct workflow *,
	    const struct deadline_row *);
json_t	*view_rung_title(const struct workflow *, const struct deadline_row *,
	    const char *rung);
json_t	*view_role_title(const struct workflow *, const char *role);
json_t	*view_basis_title(const struct workflow *, const char *id);
json_t	*view_event_title(const struct workflow *, const char *cause,
	    const char *from, const char *event);
/*
 * view_value.c, what the other views are made of.  Text as a JSON string,
 * what is not UTF-8 in it shown as U+FFFD.
 */
json_t	*view_text(const char *);
json_t	*view_time(int64_t);	/* ISO 8601 local with offset */
/*
 * A computed due moment: {"due", "overdue_from", "rule", "period",
 * "explanation", "decree_missing"}, as termijnctl due and
 * GET /v1/calendar/due answer it.
 */
json_t	*view_due(const struct period_spec *, const struct due *);
/* {key: items, "next_cursor": the last id when the page is full, else null}. */
json_t	*view_page(const char *key, json_t *items, int64_t last, int full);

#endif /* TERMIJN_VIEW_H */
