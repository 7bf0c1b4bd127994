/* termijn: termijnd, the daemon. */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "termijn/audit.h"
#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/hash.h"
#include "termijn/registry.h"
#include "termijn/token.h"
#include "termijn/workflow.h"

#include "termijnd.h"

static void	 usage(FILE *, int) __attribute__((noreturn));
static int	 load_workflows(struct termijnd *, enum load_outcome *);
static void	 check_workflows(struct termijnd *, int, struct errlist *);
static void	 print_errors(const struct errlist *, FILE *);
static void	 first_token(struct termijnd *);
static void	 verify_chain(struct termijnd *);
static void	 libevent_log_cb(int, const char *);
static void	 signal_cb(evutil_socket_t, short, void *);
static void	 reload(struct termijnd *);
static void	 notify_ready(struct termijnd *);
static void	 set_webhooks(struct termijnd *);
static void	 committed(struct termijnd *);
static struct event_base *event_base_changelist(void);

static void
usage(FILE *f, int status)
{
	fprintf(f, "usage: termijnd [--check] [--foreground] [-v]"
	    " [--config FILE] [--listen ADDR:PORT]\n"
	    "                [--db PATH] [--workflows DIR] [--pidfile FILE]\n"
	    "       termijnd --version | --help\n");
	exit(status);
}

static void
print_errors(const struct errlist *errs, FILE *f)
{
	size_t	i;

	for (i = 0; i < errs->el_count; i++)
		fprintf(f, "%s\n", errs->el_msgs[i]);
}

/*
 * The workflows to run on, at start and on SIGHUP: every version the
 * database keeps and each file that agrees with them.  A file that is wrong
 * is refused on its own, and said so here, in GET /v1/workflows and in
 * /metrics: an administrator's careless edit must never stop the deadlines
 * of running cases.  -1 when the database failed; then the workflows in use
 * stay.
 */
static int
load_workflows(struct termijnd *d, enum load_outcome *outcome)
{
	struct wf_files	 files;
	struct wf_file	*f;
	struct registry	*reg;
	struct errlist	 errs;
	size_t		 i;

	errlist_init(&errs);
	if ((reg = engine_load_workflows(d->d_engine, d->d_conf.cf_workflows,
	    clock_now(), &files, &errs)) == NULL) {
		for (i = 0; i < errs.el_count; i++)
			log_warnx("workflows: %s", errs.el_msgs[i]);
		errlist_clear(&errs);
		*outcome = LOAD_FAILED;
		return -1;
	}
	for (i = 0; i < files.wfs_count; i++) {
		f = &files.wfs_files[i];
		if (f->wff_reason != NULL)
			log_warnx("workflow file %s refused: %s", f->wff_path,
			    f->wff_reason);
	}
	if (files.wfs_refused == 0)
		*outcome = LOAD_OK;
	else if (files.wfs_refused < files.wfs_count)
		*outcome = LOAD_PARTIAL;
	else
		*outcome = LOAD_FAILED;
	engine_set_registry(d->d_engine, reg);
	registry_free(d->d_registry);
	d->d_registry = reg;
	registry_files_clear(&d->d_files);
	d->d_files = files;
	d->d_loaded_at = clock_now();
	if (*outcome == LOAD_OK)
		log_info("workflows from %s: %zu file%s loaded, %zu version%s"
		    " in use", d->d_conf.cf_workflows, files.wfs_count,
		    plural(files.wfs_count), registry_count(reg),
		    plural(registry_count(reg)));
	else
		log_warnx("workflows from %s: %zu of %zu file%s refused, %zu"
		    " version%s in use; running cases keep the versions they"
		    " started on", d->d_conf.cf_workflows, files.wfs_refused,
		    files.wfs_count, plural(files.wfs_count),
		    registry_count(reg), plural(registry_count(reg)));
	return 0;
}

/*
 * --check: the files as termijnctl check sees them, and compared with the
 * database termijnd would open, when there is one yet (a first start has
 * nothing to compare with); one named with --db must be there.  Read only:
 * the check never writes or migrates it, termijnd running or not.
 */
static void
check_workflows(struct termijnd *d, int named, struct errlist *errs)
{
	struct store		*st = NULL;
	struct engine		*en = NULL;
	const char		*db = d->d_conf.cf_db;
	char			 err[512];
	enum store_status	 rc;

	if ((rc = store_exists(db, err, sizeof(err))) != STORE_OK) {
		if (rc == STORE_NOTFOUND && !named)
			fprintf(stderr, "termijnd: no database at %s yet: the"
			    " workflows are not compared with one\n", db);
		else if (rc == STORE_NOTFOUND)
			errlist_add(errs, "%s: %s", db, strerror(ENOENT));
		else
			errlist_add(errs, "%s", err);
	} else if ((st = store_open_readonly(db, err, sizeof(err))) == NULL)
		errlist_add(errs, "%s", err);
	else
		en = engine_new(st, NULL);
	(void)engine_check_workflows(en, d->d_conf.cf_workflows, errs);
	engine_free(en);
	store_close(st);
}

/* The first start's admin token, made in the write that stores it. */
static int
first_token_apply(struct engine *en, void *arg, struct engine_error *ee)
{
	static const struct actor first = {
		0, "termijnd", "admin", "", NULL, NULL
	};
	struct token_row	tk;

	memset(&tk, 0, sizeof(tk));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "admin");
	snprintf(tk.tk_role, sizeof(tk.tk_role), "admin");
	if (engine_token_expiry(NULL, clock_now(), &tk.tk_expires_at, ee) ==
	    -1)
		return -1;
	return engine_token_add(en, &first, &tk, arg, TOKEN_LEN, clock_now(),
	    ee);
}

/* The first start: an admin token, printed once on stdout. */
static void
first_token(struct termijnd *d)
{
	struct engine_error	ee;
	char			token[TOKEN_LEN];
	int64_t			n;

	if (store_token_count(d->d_store, &n) != STORE_OK)
		fatalx("counting tokens: %s", store_errmsg(d->d_store));
	if (n > 0)
		return;
	if (engine_write_one(d->d_engine, first_token_apply, token, clock_now(),
	    &ee) == -1)
		fatalx("creating the admin token: %s", ee.ee_log);
	printf("termijnd: admin token (shown once): %s\n", token);
	fflush(stdout);
	explicit_bzero(token, sizeof(token));
	log_info("created the admin token");
}

/* How many findings of a failed verification go to the log. */
#define VERIFY_FINDINGS_LOGGED	20

/* Each finding, on its own line: they name cases and links, never notes. */
static void
verify_finding(const struct audit_finding *af, void *arg)
{
	int64_t	*n = arg;

	if ((*n)++ < VERIFY_FINDINGS_LOGGED)
		log_warnx("audit: %s", af->af_msg);
}

/*
 * audit.verify_on_start: a broken chain, or tables that disagree with it,
 * stop termijnd, naming the link or the case.
 */
static void
verify_chain(struct termijnd *d)
{
	struct audit_report	ar;
	char			hex[HASH_SHA256_HEX_LEN];
	int64_t			t0 = clock_monotonic(), n = 0;
	int			rc;

	rc = audit_verify_each(d->d_store, 0, NULL, verify_finding, &n, &ar);
	if (rc == -1)
		fatalx("verifying the audit chain: %s", ar.ar_msg);
	if (rc == 1 && ar.ar_bad != 0)
		fatalx("the audit chain is broken: %s (termijnctl audit verify"
		    " --db %s tells the same)", ar.ar_msg, d->d_conf.cf_db);
	if (rc == 1)
		fatalx("the tables disagree with the audit chain: %s%s"
		    " (termijnctl audit verify --db %s tells %s)", ar.ar_msg,
		    ar.ar_findings > 1 ? ", and more" : "", d->d_conf.cf_db,
		    ar.ar_findings > 1 ? "each" : "the same");
	hash_hex(ar.ar_head, hex);
	log_info("audit chain verified: %lld transition%s, %lld gap%s, %lld"
	    " mark%s, %lld case%s agree%s with it, head id=%lld hash=%s, in"
	    " %lld ms", (long long)(ar.ar_links - ar.ar_marks),
	    plural(ar.ar_links - ar.ar_marks), (long long)ar.ar_gaps,
	    plural(ar.ar_gaps), (long long)ar.ar_marks, plural(ar.ar_marks),
	    (long long)ar.ar_cases, plural(ar.ar_cases),
	    ar.ar_cases == 1 ? "s" : "", (long long)ar.ar_head_id, hex,
	    (long long)(clock_monotonic() - t0));
}

static void
libevent_log_cb(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warnx("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
}

/*
 * SIGHUP: read the workflow files anew.  A bad file is refused on its own
 * and the rest load; the versions running cases need come from the database
 * whatever the files say, so no reload loses one.  Only a database that
 * cannot be read or written keeps the set in use as it was.
 */
static void
reload(struct termijnd *d)
{
	enum load_outcome	outcome;

	if (load_workflows(d, &outcome) == -1)
		log_warnx("reload failed; the workflows loaded before stay in"
		    " use");
	d->d_metrics.m_reloads[outcome]++;
}

/* systemctl status shows a refused file, after a start or a reload. */
static void
notify_ready(struct termijnd *d)
{
	if (d->d_files.wfs_refused == 0)
		notify_state("READY=1", "ready: listening on %s, %zu workflow"
		    " version%s", d->d_bound, registry_count(d->d_registry),
		    plural(registry_count(d->d_registry)));
	else
		notify_state("READY=1", "ready: listening on %s, %zu workflow"
		    " version%s, %zu workflow file%s refused", d->d_bound,
		    registry_count(d->d_registry),
		    plural(registry_count(d->d_registry)),
		    d->d_files.wfs_refused, plural(d->d_files.wfs_refused));
}

static void
signal_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct termijnd	*d = arg;

	switch (sig) {
	case SIGHUP:
		log_info("SIGHUP: reloading workflows");
		notify_state("RELOADING=1", "reloading workflows");
		reload(d);
		notify_ready(d);
		break;
	case SIGTERM:
	case SIGINT:
		log_info("%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		notify_state("STOPPING=1", "stopping");
		d->d_stopping = 1;
		commit_stop(d);
		simwork_stop();
		event_base_loopexit(d->d_base, NULL);
		break;
	}
}

/*
 * The webhooks of the configuration, for the engine to queue
 * notifications to: the CloudEvents source is the configured one, or
 * /termijn/ and the host's name.  The source names this installation, in
 * the calendar feed's UIDs too (d_source).  A team the database does not
 * know (yet) is worth a warning: its webhook stays silent until the team
 * exists.
 */
static void
set_webhooks(struct termijnd *d)
{
	struct webhook_target	*wt;
	struct team_row		 tm;
	char			 host[256], *source;
	size_t			 i, n = d->d_conf.cf_nwebhooks;

	wt = xcalloc(n ? n : 1, sizeof(*wt));
	for (i = 0; i < n; i++) {
		wt[i].wt_team = d->d_conf.cf_webhooks[i].wh_team;
		wt[i].wt_role = d->d_conf.cf_webhooks[i].wh_role;
		if (store_team_get(d->d_store, wt[i].wt_team, &tm) ==
		    STORE_NOTFOUND)
			log_warnx("webhook for team %s: no such team (yet)",
			    wt[i].wt_team);
	}
	if (d->d_conf.cf_hook_source != NULL)
		source = xstrdup(d->d_conf.cf_hook_source);
	else {
		if (gethostname(host, sizeof(host)) == -1)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		xasprintf(&source, "/termijn/%s", host);
	}
	engine_set_webhooks(d->d_engine, wt, n, source);
	if (n > 0)
		log_info("webhooks: %zu, CloudEvents source %s", n, source);
	free(d->d_source);
	d->d_source = source;
	free(wt);
}

/* After a group commit: what it started may be due, or want a webhook. */
static void
committed(struct termijnd *d)
{
	scheduler_kick(d);
	notifier_kick(d);
}

/*
 * The event loop, with epoll's changes gathered per loop turn: a request
 * that adds and removes its connection's events several times before the
 * loop waits again costs one epoll_ctl, not four.  Every fd termijnd
 * watches is its own (no dup()ed descriptors), which the changelist needs.
 */
static struct event_base *
event_base_changelist(void)
{
	struct event_config	*cfg;
	struct event_base	*base;

	if ((cfg = event_config_new()) == NULL)
		fatalx("event_config_new failed");
	event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	if ((base = event_base_new_with_config(cfg)) == NULL)
		fatalx("event_base_new failed");
	event_config_free(cfg);
	return base;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'n' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "workflows", required_argument, NULL, 'w' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct termijnd	 d;
	struct errlist	 errs;
	enum load_outcome outcome;
	struct event	*sigs[4];
	const int	 signos[4] = { SIGTERM, SIGINT, SIGHUP, 0 };
	const char	*config = NULL, *listen = NULL, *db = NULL;
	const char	*workflows = NULL, *pidfile = NULL;
	char		 err[512];
	int		 ch, check = 0, foreground = 0, verbose = 0;
	size_t		 i;

	while ((ch = getopt_long(argc, argv, "fnvc:l:d:w:p:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'n':
			check = 1;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'c':
			config = optarg;
			break;
		case 'l':
			listen = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'w':
			workflows = optarg;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'V':
			printf("termijnd %s\n", TERMIJN_VERSION);
			return 0;
		case 'h':	/* asked for: the answer, on stdout */
			usage(stdout, 0);
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);

	memset(&d, 0, sizeof(d));
	errlist_init(&errs);
	config_defaults(&d.d_conf);
	if (config != NULL)
		config_load(&d.d_conf, config, &errs);
	if (listen != NULL) {
		free(d.d_conf.cf_listen);
		d.d_conf.cf_listen = xstrdup(listen);
	}
	if (db != NULL) {
		free(d.d_conf.cf_db);
		d.d_conf.cf_db = xstrdup(db);
	}
	if (workflows != NULL) {
		free(d.d_conf.cf_workflows);
		d.d_conf.cf_workflows = xstrdup(workflows);
	}
	if (pidfile != NULL) {
		free(d.d_conf.cf_pidfile);
		d.d_conf.cf_pidfile = xstrdup(pidfile);
	}
	/* Messages for people in their language; logs stay in English. */
	i18n_init_chosen();
	if (!(d.d_dutch = i18n_available(I18N_NL)))
		log_warnx("no Dutch message catalogue (termijn.mo) was found;"
		    " answers are in English");
	i18n_use(d.d_conf.cf_lang);
	/* Every error of the configuration and of every workflow at once. */
	calendar_init(d.d_conf.cf_timezone, d.d_conf.cf_decree_file, &errs);
	for (i = 0; i < d.d_conf.cf_nclosures; i++)
		calendar_add_closure(&d.d_conf.cf_closures[i]);
	if (check)
		check_workflows(&d, db != NULL, &errs);
	if (errs.el_count > 0 || check) {
		if (errs.el_count > 0)
			print_errors(&errs, check ? stdout : stderr);
		else
			printf("OK\n");
		fflush(stdout);
		ch = errs.el_count > 0;
		config_free(&d.d_conf);
		errlist_clear(&errs);
		return ch;
	}

	log_init("termijnd", foreground, d.d_conf.cf_facility);
	log_setverbose(verbose);
	event_set_log_callback(libevent_log_cb);
	signal(SIGPIPE, SIG_IGN);
	conn_nofile_raise();
	/*
	 * The database holds notes about families: what termijnd and its
	 * store create (SQLite: the database, its WAL and SHM, their
	 * directory) is its user's alone, whatever umask it was started with.
	 */
	umask(077);

	if (d.d_conf.cf_pidfile != NULL &&
	    pidfile_write(d.d_conf.cf_pidfile, err, sizeof(err)) == -1)
		fatalx("%s", err);
	notify_state(NULL, "opening the database %s", d.d_conf.cf_db);
	if ((d.d_store = store_open_serving(d.d_conf.cf_db, err,
	    sizeof(err))) == NULL) {
		notify_state(NULL, "cannot start: %s", err);
		fatalx("%s", err);
	}
	d.d_engine = engine_new(d.d_store, NULL);
	engine_set_decree_refuse(d.d_engine, d.d_conf.cf_decree_refuse);
	engine_set_fire_slice(d.d_engine, (int64_t)(d.d_conf.cf_batch_time *
	    1000));
	set_webhooks(&d);
	/*
	 * A refused file does not stop termijnd: the cases go on, on the
	 * versions the database keeps.  Only nothing at all to run on does.
	 */
	if (load_workflows(&d, &outcome) == -1)
		fatalx("cannot load the workflows");
	if (registry_count(d.d_registry) == 0)
		fatalx("no workflow to run on: the database keeps none and no"
		    " file in %s could be loaded", d.d_conf.cf_workflows);
	if (d.d_conf.cf_audit_verify)
		verify_chain(&d);
	if (store_upkeep_start(d.d_store, d.d_conf.cf_scrub_timeout, err,
	    sizeof(err)) != STORE_OK)
		fatalx("%s", err);

	d.d_base = event_base_changelist();
	commit_init(&d, committed);
	/* Where no thread can be had, simulations run in the loop. */
	(void)simwork_start(&d);
	metrics_init(&d);
	if (server_start(&d, err, sizeof(err)) == -1)
		fatalx("%s", err);
	/*
	 * Only now, with nothing left that stops the start: a token shown once
	 * by a termijnd that then failed to listen would never be shown again.
	 */
	first_token(&d);
	/* What scripts wait for (contrib/run.sh): the token comes first. */
	printf("termijnd: listening on %s\n", d.d_bound);
	fflush(stdout);
	for (i = 0; signos[i] != 0; i++) {
		sigs[i] = evsignal_new(d.d_base, signos[i], signal_cb, &d);
		if (sigs[i] == NULL || event_add(sigs[i], NULL) == -1)
			fatalx("cannot handle signal %d", signos[i]);
	}
	d.d_started = clock_now();
	scheduler_init(&d);
	notifier_init(&d);
	chores_init(&d);
	notify_init(&d);
	log_info("termijnd %s started: %s, database %s, %zu workflow"
	    " version%s", TERMIJN_VERSION, d.d_bound, d.d_conf.cf_db,
	    registry_count(d.d_registry), plural(registry_count(d.d_registry)));
	/* The database is open and the first catch-up batch is scheduled. */
	notify_ready(&d);

	event_base_dispatch(d.d_base);

	/* Stop accepting; answer what is queued; close the database. */
	server_stop(&d);
	commit_free(&d);
	free(d.d_source);
	d.d_source = NULL;
	notifier_free();
	chores_free(&d);
	scheduler_free(&d);
	metrics_free();
	notify_free();
	for (i = 0; signos[i] != 0; i++)
		event_free(sigs[i]);
	event_base_free(d.d_base);
	engine_free(d.d_engine);
	store_close(d.d_store);
	registry_free(d.d_registry);
	registry_files_clear(&d.d_files);
	config_free(&d.d_conf);
	errlist_clear(&errs);
	log_info("stopped");
	/* Syslog has every line before the process ends (atexit does too). */
	log_flush();
	return 0;
}
