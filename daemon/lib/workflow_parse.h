/* termijn: what the workflow loader's files share; internal to the core. */
#ifndef TERMIJN_WORKFLOW_PARSE_H
#define TERMIJN_WORKFLOW_PARSE_H

#include <stdarg.h>
#include <stddef.h>

#include "termijn/quote.h"
#include "termijn/workflow.h"

/*
 * A node of the tree the loader reads a file into (workflow_read.c), with
 * its position for messages.
 */
enum ynode_type {
	YN_SCALAR,
	YN_MAPPING,
	YN_SEQUENCE,
	YN_REFUSED,		/* an alias, or nested too deep: already reported */
};

struct ynode {
	enum ynode_type	  yn_type;
	char		 *yn_value;	/* scalars, NUL-terminated */
	size_t		  yn_len;
	int		  yn_plain;	/* an unquoted scalar */
	int		  yn_line;	/* 1-based */
	int		  yn_col;
	struct ynode	**yn_kids;	/* mappings: key, value, key, value */
	size_t		  yn_nkids;
	size_t		  yn_capkids;
};

/* The types a key's value can have; see wp_fields. */
enum wf_type {
	WT_STRING,
	WT_NAME,
	WT_INT,
	WT_BOOL,
	WT_MAPPING,
	WT_LIST,
	WT_PERIOD,		/* a string that period_parse reads */
};

/* One key a mapping of the language may hold. */
struct wf_key {
	const char	*wk_key;
	enum wf_type	 wk_type;
	int		 wk_required;
	const char	*wk_what;	/* WT_NAME: what it names, for messages */
	long long	 wk_min;	/* WT_INT */
	long long	 wk_max;
	const char	*wk_refused;	/* known, but not allowed here: why */
};

/* A key found in a mapping, after the type check. */
struct wf_field {
	const struct ynode	*fv_key;
	const struct ynode	*fv_val;	/* NULL: absent or wrong type */
	int			 fv_bad;	/* present, with the wrong type */
};

/* A message waiting to be reported (workflow_node.c). */
struct wf_msg;

/* A reference to a state, checked once all states are known. */
struct wf_ref {
	const char		*rf_state;
	const struct ynode	*rf_at;
	char			*rf_what;
	int			 rf_event;	/* an event's, not a deadline's */
	int			 rf_dated;	/* the event carries a date */
};

/* One load: the workflow being built, and what is left to check and report. */
struct wf_parse {
	struct workflow		 *wp_wf;
	struct wf_msg		 *wp_msgs;
	size_t			  wp_nmsgs;
	size_t			  wp_capmsgs;
	struct wf_ref		 *wp_refs;
	size_t			  wp_nrefs;
	size_t			  wp_caprefs;
	const struct ynode	**wp_statekeys;	/* parallel to wf_states */
	const struct ynode	**wp_anchors;	/* parallel to wf_states: the
						   value of 'anchor', or NULL */
	const struct ynode	**wp_cdkeys;	/* parallel to
						   wf_case_deadlines */
	int			 *wp_cdstarted;	/* parallel: a rung starts it */
	int			  wp_graph;	/* states well formed enough */
	int			  wp_truncated;	/* over WF_MAX_STATES */
	int			  wp_roles_declared; /* 'roles' lists them */
	int			  wp_cdbad;	/* 'deadlines' not read whole */
	int			  wp_basesbad;	/* 'bases' not read whole */
	int			  wp_starts_ok;	/* every 'start' read, defined */
	int			  wp_stored;	/* a version the database keeps */
};

/* workflow.c: the model's lookups that the loader and the checks need. */
int	 workflow_state_index(const struct workflow *, const char *);
int	 workflow_action_parse(const char *, enum wf_action *);
int	 workflow_anchor_parse(const char *, enum deadline_anchor *);
int	 workflow_catch_up_parse(const char *, enum rung_catch_up *);

/*
 * workflow_read.c: the tree of one document of buf (NULL: nothing to
 * validate; what was refused or broken is reported), and freeing it.
 */
struct ynode *wp_read(struct wf_parse *, const char *, size_t);
void	 ynode_free(struct ynode *);

/*
 * workflow_check.c: the checks that need every state.  states is the key
 * 'states' when its value could be read, or NULL; start is the value of
 * 'start', or NULL.
 */
void	 workflow_check(struct wf_parse *, const struct ynode *states,
	    const struct ynode *start);

/*
 * workflow_node.c: what the loader's other files build on.  wp_verror
 * collects a message at a position, wp_report hands them on sorted, and
 * wp_free releases a load's state; wp_fields checks a mapping against a
 * table of keys; the others report at a node, check names, read scalars
 * and list names for a message ("a, b, c"; *list starts NULL).
 */
#define WF_DESCRIBE_LEN	(QUOTE_LEN + 32)
/* What a workflow file says, echoed in a message about it (quote.c). */
#define wf_quote(s, n, q)	quote_input((s), (n), (q), QUOTE_LEN)
void	 wp_verror(struct wf_parse *, int, int, const char *, va_list)
	    __attribute__((format(printf, 4, 0)));
void	 wp_report(struct wf_parse *, const char *, struct errlist *);
void	 wp_free(struct wf_parse *);
int	 wp_fields(struct wf_parse *, const struct ynode *, const struct ynode *,
	    const struct wf_key *, size_t, const char *, struct wf_field *);
void	 wp_error(struct wf_parse *, const struct ynode *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 wp_bad_name(struct wf_parse *, const struct ynode *, const char *);
void	 wp_names(struct wf_parse *, const struct ynode *, const char *,
	    const char *, int (*)(struct wf_parse *, const struct ynode *,
	    const char *), const char *, char ***, size_t *);
struct wf_ref *wp_ref(struct wf_parse *, const struct ynode *, const char *,
	    ...) __attribute__((format(printf, 3, 4)));
int	*wp_keys(struct wf_parse *, const struct ynode *);
int	 wp_type(struct wf_parse *, const struct wf_key *, const struct ynode *);
int	 wf_name_valid(const struct ynode *);
int	 wf_is_int(const struct ynode *, long long *);
int	 wf_is_null(const struct ynode *);
int	 wf_is_bool(const struct ynode *, int *);
const char *wf_describe(const struct ynode *, char *);
void	 wf_list_add(char **, const char *);

/*
 * workflow_bases.c: the top-level 'bases'; and a basis that a list (what:
 * "'share_bases'", an event's 'shares') names, which 'bases' must declare.
 */
void	 wp_bases(struct wf_parse *, const struct ynode *);
int	 wp_declared_basis(struct wf_parse *, const struct ynode *,
	    const char *);

/*
 * workflow_states.c: the top-level 'deadlines' (case deadlines), and
 * 'states' with their deadlines, rungs and events.  key is the key
 * 'states', for messages about the mapping as a whole.
 */
void	 wp_case_deadlines(struct wf_parse *, const struct ynode *);
void	 wp_states(struct wf_parse *, const struct ynode *, const struct ynode *);

/*
 * workflow_title.c: a title of what (a phrase, "state 'x'"), checked and
 * copied to *titlep; the top-level 'roles', with their titles; a role that
 * a rung notifies or an event allows (wp_event_role: the same, in the form
 * wp_names takes); and the Dutch title of a rung that has none (allocated).
 */
void	 wp_title(struct wf_parse *, const struct ynode *, const char *what,
	    char **titlep);
void	 wp_roles(struct wf_parse *, const struct ynode *);
int	 wp_role(struct wf_parse *, const struct ynode *);
int	 wp_event_role(struct wf_parse *, const struct ynode *, const char *);
char	*wp_rung_title(const struct wf_rung *);

/*
 * workflow_join.c: 'joins' of a state or an event (ev NULL for a state),
 * and a state's 'notify'.
 */
void	 wp_joins(struct wf_parse *, const struct ynode *key,
	    const struct ynode *list, const char *ctx,
	    const struct wf_event *ev, struct wf_join **, size_t *);
void	 wp_state_notify(struct wf_parse *, const struct ynode *list,
	    struct wf_state *);

/*
 * workflow_penalty.c: a state's 'penalty' (key and its mapping), read
 * after the state's deadline.
 */
void	 wp_penalty(struct wf_parse *, struct wf_state *,
	    const struct ynode *key, const struct ynode *map);
void	 wp_penalties_check(struct wf_parse *);

#endif /* TERMIJN_WORKFLOW_PARSE_H */
