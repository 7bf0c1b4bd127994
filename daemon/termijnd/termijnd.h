/* termijn: the daemon's shared state; only termijnd's own files include this. */
#ifndef TERMIJND_H
#define TERMIJND_H

#include <sys/queue.h>

#include <stdint.h>

#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/hash.h"
#include "termijn/i18n.h"
#include "termijn/registry.h"
#include "termijn/simulate.h"
#include "termijn/store.h"
#include "termijn/util.h"

struct cal_date;
struct errlist;

/*
 * config.c: a webhook, where one team's role hears of its notifications,
 * signed with the secret read from secret_file (kept here only).
 */
struct webhook_conf {
	char		*wh_team;
	char		*wh_role;
	char		*wh_url;
	char		*wh_secret_file;
	unsigned char	*wh_secret;
	size_t		 wh_secret_len;
};

/* config.c: settings from the command line and the configuration file. */
struct config {
	char	*cf_listen;		/* ADDR:PORT */
	char	*cf_db;
	char	*cf_workflows;
	char	*cf_timezone;
	/* The answers' language where a request's Accept-Language names none. */
	int	 cf_lang;		/* enum i18n_lang */
	int	 cf_facility;
	size_t	 cf_max_body;
	size_t	 cf_max_headers;
	int	 cf_idle_timeout;	/* seconds */
	int	 cf_request_timeout;	/* seconds to receive a request */
	size_t	 cf_max_connections;
	size_t	 cf_batch;		/* deadlines per transaction */
	double	 cf_batch_time;		/* seconds a fire transaction may take */
	double	 cf_recheck;		/* seconds between wall-clock checks */
	double	 cf_ahead;		/* seconds a due batch is prepared
					   ahead of its moment; 0: never */
	char	*cf_decree_file;	/* NULL: the shipped one */
	struct cal_date *cf_closures;	/* municipal closure days */
	size_t	 cf_nclosures;
	int	 cf_decree_refuse;	/* refuse dates that need unknown decree data */
	int	 cf_audit_verify;	/* verify the audit chain at start */
	double	 cf_anchor_interval;	/* seconds between chain heads in syslog */
	double	 cf_retention_interval;	/* seconds between retention sweeps */
	size_t	 cf_retention_batch;	/* cases destroyed per transaction */
	double	 cf_scrub_timeout;	/* seconds a scrub is tried for */
	char	*cf_pidfile;		/* NULL: none */
	struct webhook_conf *cf_webhooks;
	size_t	 cf_nwebhooks;
	int	 cf_hook_attempts;	/* then a notification is dead */
	double	 cf_hook_backoff;	/* seconds: the first wait at most */
	double	 cf_hook_backoff_max;	/* seconds: no wait longer */
	double	 cf_hook_timeout;	/* seconds an attempt may take */
	int	 cf_hook_in_flight;	/* deliveries at once, at most */
	char	*cf_hook_source;	/* CloudEvents source; NULL: the host's */
};

void	 config_defaults(struct config *);
int	 config_load(struct config *, const char *path, struct errlist *);
void	 config_free(struct config *);

/*
 * A request that is being answered; writes wait in the commit queue, and
 * the engine applies them (rq_write) in the batch's transaction.
 */
struct req {
	struct evhttp_request	*rq_http;
	struct termijnd		*rq_d;
	struct token_row	 rq_token;
	struct actor		 rq_actor;	/* the token, as the engine sees it */
	int64_t			 rq_id;		/* {id} in the path */
	char			 rq_name[STORE_NAME_LEN];	/* {name} in it */
	char			 rq_reqid[64];	/* the request's id */
	char			 rq_purpose[PURPOSE_MAX + 1]; /* Read-Purpose */
	enum i18n_lang		 rq_lang;	/* the answer's language */
	int64_t			 rq_when;	/* started_at or date, 0: none */
	/* How a local time in rq_when was read, for the answer; or "". */
	char			 rq_when_note[CAL_NOTE_LEN];
	const char		*rq_when_field;	/* the member it came from */
	int64_t			 rq_after;	/* a list's cursor */
	int			 rq_limit;	/* a list's page size */
	json_t			*rq_body;	/* parsed request body */
	char			*rq_idem_key;	/* Idempotency-Key, or NULL */
	char			 rq_reqhash[HASH_SHA256_HEX_LEN];
	/* A write: runs inside the shared transaction, sets the answer. */
	void			(*rq_apply)(struct req *);
	/* After the commit, before the answer goes: what only then is known. */
	void			(*rq_committed)(struct req *);
	struct engine_write	 rq_write;
	int			 rq_status;
	int			 rq_clean;	/* refused before writing anything */
	int64_t			 rq_case;	/* the case the answer shows */
	struct view_arg		*rq_view;	/* http_views.c, while applied */
	char			*rq_answer;	/* JSON text of the answer */
	char			*rq_location;
	const char		*rq_ctype;	/* NULL: application/json */
	const char		*rq_filename;	/* to save the answer as */
	char			*rq_link;	/* the next page (CSV) */
	int			 rq_csv;	/* Accept: text/csv */
	int			 rq_head;	/* HEAD: answered without a body */
	int			 rq_capped;	/* a capped feed: events in it */
	int			 rq_released;	/* what it read is on disk */
	TAILQ_ENTRY(req)	 rq_entry;
};
TAILQ_HEAD(reqq, req);

/* A Prometheus histogram: counts per bucket (the last is +Inf). */
struct histogram {
	const double	*h_bounds;
	size_t		 h_nbounds;
	uint64_t	 h_counts[16];
	double		 h_sum;
	uint64_t	 h_count;
};

/*
 * How a load of the workflow files went: every file loaded, some refused,
 * or none of them in use (refused, unreadable, or the database failed).
 */
enum load_outcome {
	LOAD_OK,
	LOAD_PARTIAL,
	LOAD_FAILED,
};
#define LOAD_OUTCOMES	3

/* Counters for GET /metrics (Prometheus text format). */
struct metrics {
	uint64_t	m_requests[6];		/* by class: 1xx..5xx, other */
	uint64_t	m_commits;		/* write transactions committed */
	uint64_t	m_commit_failures;
	uint64_t	m_writes;		/* writes committed */
	uint64_t	m_batch_max;		/* most writes in one commit */
	uint64_t	m_flushes;		/* flushes that made commits
						   durable (durable.c) */
	uint64_t	m_flushed;		/* commits they covered */
	uint64_t	m_fired;		/* deadlines fired */
	uint64_t	m_fire_batches;
	uint64_t	m_prep_committed;	/* batches prepared ahead and */
	uint64_t	m_prep_abandoned;	/* committed, or given up */
	int64_t		m_lateness_max;		/* ms a deadline fired late, worst */
	int64_t		m_lateness_last;
	struct histogram m_lateness;		/* seconds */
	struct histogram m_batch;		/* writes per commit */
	struct histogram m_fire_batch;		/* rungs per fire transaction */
	struct histogram m_lag;			/* event loop lag, seconds */
	uint64_t	m_hook_delivered;	/* webhook attempts: 2xx */
	uint64_t	m_hook_failed;		/* failed, to be tried again */
	uint64_t	m_hook_dead;		/* failed for the last time */
	struct histogram m_hook_duration;	/* seconds an attempt took */
	/*
	 * Attempts being tried now: asked of the notifier, which is above
	 * this module and sets it (NULL: none).
	 */
	size_t		(*m_hook_in_flight_cb)(void);
	uint64_t	m_reloads[LOAD_OUTCOMES];	/* SIGHUPs by outcome */
	/* The last write transaction, for /readyz. */
	int		m_write_ok;
	enum store_status m_write_status;
	int64_t		m_write_at;		/* wall clock ms; 0: none yet */
	int64_t		m_probe_at;		/* monotonic ms of the last probe */
};

/*
 * conn.c: every connection, guarded before libevent reads from it: a
 * request's head is held back until head_parse accepts it, a request has
 * http.request_timeout to arrive, and at most conns_cap connections (from
 * http.max_connections and the open files limit) are kept.
 */
struct conn;
struct lingerer;
#define CONN_HASH	256
struct conns {
	TAILQ_HEAD(, conn)	 cs_all;	/* oldest first */
	TAILQ_HEAD(, conn)	 cs_new;	/* accepted, not yet set up */
	LIST_HEAD(, conn)	 cs_hash[CONN_HASH];	/* by bufferevent */
	LIST_HEAD(, lingerer)	 cs_lingering;
	size_t			 cs_count;	/* connections and lingerers */
	size_t			 cs_cap;
	struct evconnlistener	*cs_listener;
	int			 cs_paused;	/* not accepting */
	int			 cs_emfile;	/* out of descriptors a moment ago */
	struct event		*cs_setup_ev;
	struct event		*cs_resume_ev;
	struct event		*cs_emfile_ev;
	struct evbuffer		*cs_scratch;
	uint64_t		 cs_evicted;	/* closed to make room */
	uint64_t		 cs_evicted_logged;
	int64_t			 cs_logged_at;
};

struct termijnd {
	struct config		 d_conf;
	struct event_base	*d_base;
	struct evhttp		*d_http;
	struct store		*d_store;
	struct registry		*d_registry;
	struct engine		*d_engine;
	struct wf_files		 d_files;	/* each file of the last load */
	int64_t			 d_loaded_at;	/* wall clock of that load */
	struct reqq		 d_pending;	/* writes for the next commit */
	struct event		*d_commit_ev;
	void			(*d_committed)(struct termijnd *);
	int			(*d_hold)(struct req *);	/* commit.c */
	struct event		*d_sched_ev;
	struct event		*d_touch_ev;	/* chores.c */
	struct event		*d_anchor_ev;
	struct event		*d_retention_ev;
	int			 d_sched_armed;
	int64_t			 d_sched_at;	/* when the timer is armed for */
	int			 d_prep_on;	/* scheduler.prepare_ahead > 0 */
	struct store		*d_prep_store;	/* the second connection */
	struct engine_prep	*d_prep;	/* or NULL: nothing prepared */
	int64_t			 d_prep_skip;	/* a moment given up on */
	int			 d_stopping;
	int64_t			 d_started;	/* wall clock at start */
	char			 d_bound[80];	/* the address it listens on */
	char			*d_source;	/* this installation's name: the
						   CloudEvents source */
	struct conns		 d_conns;
	int			 d_dutch;	/* its catalogue was found */
	struct metrics		 d_metrics;
};

/* server.c: evhttp set-up, routing, authentication. */
int	 server_start(struct termijnd *, char *, size_t);
void	 server_stop(struct termijnd *);
void	 server_touch_flush(struct termijnd *);

/*
 * request.c: a request's body and query string, checked; each answers the
 * request when it refuses it.
 */
#define LIST_MAX	500	/* cases in one page of a list */
const char *http_method_name(enum evhttp_cmd_type);
int	 admin_only(struct req *);	/* answers when it is not */
/* limit (1 to LIST_MAX, default def) and cursor (a case id) of a page. */
int	 page_params(struct req *, struct evkeyvalq *, int, int64_t *, int *);
int	 req_body_object(struct req *, const char *const *);
int	 req_string(struct req *, const char *, int, const char **);
/* A string member of free text of at most max bytes (limits.h). */
int	 req_free_text(struct req *, const char *, int, size_t);
int	 req_bool(struct req *, const char *, int *);
int	 req_query(struct req *, const char *const *, struct evkeyvalq *);
int	 req_param(struct req *, struct evkeyvalq *, const char *, int,
	    const char **);
/* team, workflow, state and kind of q name what termijnd knows; else 400. */
int	 req_filters(struct req *, struct evkeyvalq *);

/* answer.c: problem details, JSON, CSV and text, in the reader's language. */
int	 engine_status_http(int);
void	 http_problem(struct req *, int, const char *, json_t *);
void	 http_problemf(struct req *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* A 5xx: logged in English, answered translated; the message is N_(). */
void	 req_failf(struct req *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 http_failf(struct req *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 http_json(struct req *, int, json_t *);
void	 req_problem(struct req *, int, const char *, json_t *);
void	 req_json(struct req *, int, json_t *);
void	 http_answer(struct req *);	/* send rq_status and rq_answer */
void	 req_free(struct req *);
void	 req_language(struct req *);
void	 http_version_header(struct req *);	/* API-Version */
struct csv_column;
/* CSV: whether the client asks for it; a list as CSV; any text. */
int	 req_wants_csv(struct req *);
void	 req_csv(struct req *, const struct csv_column *, size_t,
	    const json_t *, const char *filename);
void	 req_text(struct req *, int, char *, const char *ctype,
	    const char *filename);
void	 req_next_link(struct req *, const char *);
/* An engine's refusal as the answer; an event refused by
 * case id's state (id 0: not an event) with the events it accepts. */
void	 engine_problem(struct req *, const struct engine_error *, int64_t);
/* A read whose row in the read log could not be written (full: the disk). */
void	 req_unlogged(struct req *, int);

/* head.c: a request's head and query, checked before libevent reads them. */
struct head {
	int64_t	 hd_length;	/* Content-Length, 0 without one */
	int	 hd_head;	/* a HEAD request: answered without a body */
};

size_t	 head_length(const char *, size_t, size_t *);
int	 head_parse(const char *, size_t, size_t, struct head *, int *,
	    char *, size_t);
int	 head_query(const char *, const char *const *, struct evkeyvalq *,
	    char *, size_t);

void	 conn_nofile_raise(void);
void	 conn_init(struct termijnd *, struct evconnlistener *);
void	 conn_free_all(struct termijnd *);
int	 conn_request(struct termijnd *, struct evhttp_request *,
	    const char *, int *, const char **, int *);

/* commit.c: the writes of one loop turn, handed to the engine's group commit. */
void	 commit_init(struct termijnd *, void (*)(struct termijnd *));
void	 commit_enqueue(struct termijnd *, struct req *);
/* Commit what is queued; 1 when a transaction committed. */
int	 commit_flush(struct termijnd *);
void	 commit_stop(struct termijnd *);
/* A batch of firings committed without its flush: its lines wait for it. */
void	 commit_fired_later(struct termijnd *, size_t);
/* Flush them now, in the loop: before the notifier reads the outbox. */
void	 commit_durable_now(struct termijnd *);
void	 commit_free(struct termijnd *);

/* chores.c: what termijnd does now and then: retention, anchors, token use. */
void	 chores_init(struct termijnd *);
void	 chores_free(struct termijnd *);

/* simwork.c: simulations run on a thread of their own, off the loop. */
struct sim_job {
	TAILQ_ENTRY(sim_job)	 sj_entry;
	struct req		*sj_rq;		/* waits for the answer */
	struct sim_input	 sj_in;
	struct sim_event	 sj_events[SIM_EVENTS_MAX];
	struct workflow		*sj_workflow;	/* the job's own copy */
	char			*sj_db;		/* a running case's database */
	enum i18n_lang		 sj_lang;	/* of its messages */
	json_t			*sj_warnings;
	json_t			*sj_answer;	/* NULL: sj_ee says why */
	struct engine_error	 sj_ee;
	void			(*sj_done)(struct sim_job *);	/* on the loop */
};
int	 simwork_start(struct termijnd *);
void	 simwork_submit(struct sim_job *);
void	 simwork_stop(void);
void	 simwork_free(struct sim_job *);
/* durable.c: group commits flushed to disk on a thread of their own. */
int	 durable_start(struct termijnd *, void (*)(struct termijnd *,
	    uint64_t));
uint64_t durable_ask(void);
void	 durable_stop(void);

/* scheduler.c: one timer for the earliest due deadline. */
void	 scheduler_init(struct termijnd *);
/* After a commit: a write may have started a deadline due earlier. */
void	 scheduler_kick(struct termijnd *);
void	 scheduler_free(struct termijnd *);

/* notifier.c: the outbox's webhooks, delivered by libcurl on the loop. */
void	 notifier_init(struct termijnd *);
void	 notifier_free(void);
/* After a commit: webhooks may have been queued. */
void	 notifier_kick(struct termijnd *);

/* pidfile.c: for running without systemd; removed at exit. */
int	 pidfile_write(const char *, char *, size_t);

/* notify.c: sd_notify states and the watchdog's ping from the event loop. */
void	 notify_init(struct termijnd *);
void	 notify_free(void);
void	 notify_state(const char *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* metrics.c: histograms, the loop's lag, counts of cases off the loop. */
void	 metrics_init(struct termijnd *);
void	 metrics_free(void);
void	 hist_observe(struct histogram *, double);
void	 metrics_write_outcome(struct termijnd *, enum store_status);
/* The text of /metrics; cases: with the counts of every team's cases. */
char	*metrics_text(struct termijnd *, int cases);

/* http_cases.c, http_misc.c and http_calendar.c: the route handlers. */
void	 http_cases_create(struct req *);
void	 http_cases_list(struct req *);
void	 http_cases_get(struct req *);
void	 http_cases_event(struct req *);
void	 http_cases_transitions(struct req *);
void	 http_cases_participants(struct req *);
void	 http_cases_share(struct req *);
void	 http_cases_unshare(struct req *);
void	 http_cases_coordinate(struct req *);
void	 http_cases_assign(struct req *);
void	 http_cases_correct(struct req *);
/* http_views.c: overdue, at risk, summary, queues. */
void	 http_overdue(struct req *);
void	 http_at_risk(struct req *);
void	 http_summary(struct req *);
void	 http_queue(struct req *);
void	 http_report(struct req *);
void	 http_feed(struct req *);
void	 http_cases_access(struct req *);
void	 http_cases_export(struct req *);
/* http_admin.c: teams, tokens and retention, for role admin. */
void	 http_teams_list(struct req *);
void	 http_teams_add(struct req *);
/* http_routes.c: which team fills a function, for role admin. */
void	 http_routes_list(struct req *);
void	 http_routes_log(struct req *);
void	 http_routes_add(struct req *);
void	 http_routes_remove(struct req *);
void	 http_tokens_list(struct req *);
void	 http_tokens_add(struct req *);
void	 http_tokens_revoke(struct req *);
void	 http_tokens_update(struct req *);
void	 http_teams_people(struct req *);
void	 http_retention(struct req *);
void	 http_workflows(struct req *);
void	 http_me(struct req *);
void	 http_healthz(struct req *);
void	 http_readyz(struct req *);
void	 http_metrics(struct req *);
void	 http_calendar_due(struct req *);
/* http_simulate.c: what a workflow would do, on a store of its own. */
void	 http_simulate(struct req *);
void	 http_cases_simulate(struct req *);
void	 http_openapi(struct req *);
/* http_static.c: the dashboard's files. */
void	 http_static_index(struct req *);
void	 http_static_file(struct req *);
/* http_notifications.c: the outbox, for role admin. */
void	 http_notifications_list(struct req *);
void	 http_notifications_retry(struct req *);

#endif /* TERMIJND_H */
