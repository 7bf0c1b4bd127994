/* termijn: what the workflow loader's files share; internal to the core. */
#ifndef TERMIJN_WORKFLOW_PARSE_H
#define TERMIJN_WORKFLOW_PARSE_H

#include "termijn/workflow.h"

/* workflow.c: the model's lookups that the loader needs. */
int	 workflow_state_index(const struct workflow *, const char *);
int	 workflow_action_parse(const char *, enum wf_action *);
int	 workflow_anchor_parse(const char *, enum deadline_anchor *);
int	 workflow_catch_up_parse(const char *, enum rung_catch_up *);

#endif /* TERMIJN_WORKFLOW_PARSE_H */
