/* termijn: the workflow model, its strict YAML loader, and the registry. */
#ifndef TERMIJN_WORKFLOW_H
#define TERMIJN_WORKFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "termijn/period.h"

struct errlist;

#define WF_NAME_MAX		64	/* names: [a-z][a-z0-9_]* */
#define WF_MAX_FILE_SIZE	(256 * 1024)
#define WF_MAX_DEPTH		16
#define WF_MAX_STATES		256
#define WF_MAX_EVENTS		64	/* per state */

/* Whether a deadline has legal effect; queries and escalations tell them apart. */
enum deadline_kind {
	DK_AGREEMENT,
	DK_STATUTORY,
	DK_DECISION,
	DK_SERVICE_NORM,
};

struct wf_deadline {
	char			*wd_name;	/* defaults to the state's name */
	struct period_spec	 wd_spec;
	enum deadline_kind	 wd_kind;
	char			*wd_then;	/* state entered when it passes */
	int			 wd_line;	/* 1-based, for messages */
};

struct wf_event {
	char	*we_name;
	char	*we_to;
	int	 we_line;
};

struct wf_state {
	char			*ws_name;
	char			*ws_title;	/* optional */
	int			 ws_final;
	struct wf_deadline	*ws_deadline;	/* NULL: none */
	struct wf_event		*ws_events;
	size_t			 ws_nevents;
	int			 ws_line;
};

struct workflow {
	char		*wf_name;
	int		 wf_version;
	char		*wf_title;
	char		*wf_start;
	struct wf_state	*wf_states;
	size_t		 wf_nstates;
	char		*wf_source;	/* the YAML text it was loaded from */
	size_t		 wf_sourcelen;
	char		 wf_digest[65];	/* SHA-256 of the source, hex */
	char		*wf_path;	/* file it came from, or NULL */
	char		**wf_roles;	/* the roles that take part */
	size_t		 wf_nroles;
};

/*
 * Parse and validate one workflow.  name is used in messages
 * ("name:line:column: message").  Every error is added to errs; NULL is
 * returned when there was any.
 */
struct workflow *workflow_parse(const char *name, const char *buf, size_t len,
	    struct errlist *);
struct workflow *workflow_load_file(const char *path, struct errlist *);
void	 workflow_free(struct workflow *);

const struct wf_state *workflow_state(const struct workflow *, const char *);
const struct wf_event *wf_state_event(const struct wf_state *, const char *);
const char *deadline_kind_name(enum deadline_kind);
int	 deadline_kind_parse(const char *, enum deadline_kind *);

/*
 * registry.c: every workflow version termijn knows.  The newest version of
 * each name serves new cases; older versions stay for the cases pinned to
 * them.  The registry owns its workflows.
 */
struct registry;

struct registry	*registry_new(void);
void	 registry_free(struct registry *);
/*
 * Adds; -1 (and an error) when name and version exist with other content.
 * Takes the workflow in every case: an identical copy, or a refused one, is
 * freed.
 */
int	 registry_add(struct registry *, struct workflow *, struct errlist *);
const struct workflow *registry_get(const struct registry *, const char *,
	    int version);
const struct workflow *registry_current(const struct registry *, const char *);
size_t	 registry_count(const struct registry *);
const struct workflow *registry_at(const struct registry *, size_t);
/*
 * Loads every *.yaml in dir, sorted; all errors reported; -1 if any, and
 * then the registry is left as it was.
 */
int	 registry_load_dir(struct registry *, const char *dir, struct errlist *);

#endif /* TERMIJN_WORKFLOW_H */
