/*
 * termijn: 1,000,000 open cases.  How much memory does termijnd hold, and
 * how soon after it is started does it serve?
 *
 * Builds the database in-process with the core library (engine_case_create,
 * a few thousand cases per transaction; zelfmelding cases spread over teams
 * and over the last 4 weeks, so that none has a rung due) and an admin token,
 * then starts the real termijnd on it several times and measures, from just
 * before fork and exec:
 *
 *   - when termijnd prints that it listens,
 *   - the first GET /healthz answered 200,
 *   - the first authenticated GET /v1/cases/{id} answered 200,
 *   - VmRSS and VmHWM (/proc/PID/status) then, and after a burst of reads
 *     of random cases on one keep-alive connection (with their latency),
 *   - the supervisor's overdue view: the first page of GET /v1/overdue
 *     for one team, many times, by a supervisor of that team only,
 *   - how long termijnd takes to exit on SIGTERM.
 *
 * A share of the cases (-o, 30%) was registered long ago (started_at 60 to
 * 120 days back): their deadlines passed at registration, so they wait in
 * enforcement, escalated there twice, with every rung fired, and show in
 * the overdue view; the rest started over the last 4 weeks and have no rung
 * due, so that termijnd fires nothing at start.
 *
 * Prints figures; asserts nothing.  The design promises resident memory
 * under 128 MiB, ready to serve within 1 s of start, and the first page of
 * the overdue view of one team among 1,000,000 cases under 10 ms.
 *
 *	bench_scale [-c cases] [-t teams] [-r reads] [-v views] [-o percent]
 *	    [-s starts] [-d db] [-k] [-C] [-x termijnd]
 *
 * -k keeps and reuses the database (and its tokens, in DB.token) when it
 * holds the number of cases asked for; -C evicts the database's pages from
 * the OS page cache (posix_fadvise) before each start, for a cold start.
 */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/hash.h"
#include "termijn/registry.h"
#include "termijn/store.h"
#include "termijn/token.h"
#include "termijn/util.h"
#include "termijn/workflow.h"

#include "bench_cases.h"

#define TX_CASES	5000	/* cases per transaction while building */
#define SPREAD_DAYS	28	/* started_at spread over this many days back */
#define OLD_DAYS	60	/* overdue cases started 60 to 120 days back */
#define VIEW_TEAM	"team-07"	/* whose supervisor looks at the overdue view */

struct conn {
	int	fd;
	int	port;
	char	buf[262144];
	size_t	len;		/* bytes in buf not yet consumed */
	char	body[262144];	/* the last answer's body */
};

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct build_arg {
	size_t	ba_cases;
	size_t	ba_teams;
	size_t	ba_overdue;	/* percent of the cases */
	int64_t	ba_now;
	double	ba_t0;
};

/*
 * Case i: started over the last SPREAD_DAYS days, so that none is due yet;
 * or, for ba_overdue percent of them, spread evenly, OLD_DAYS to twice that
 * back, so that both its deadlines passed and it waits in enforcement.
 */
static void
build_fill(size_t i, struct case_input *in, char *ref, size_t reflen,
    char *team, size_t teamlen, void *arg)
{
	struct build_arg	*ba = arg;
	double			 f = (double)i / ba->ba_cases;

	in->ci_workflow = "zelfmelding";
	snprintf(ref, reflen, "S-%zu", i);
	snprintf(team, teamlen, "team-%02zu", i % ba->ba_teams);
	if ((i / ba->ba_teams) * 37 % 100 < ba->ba_overdue)
		in->ci_started_at = ba->ba_now - (int64_t)(OLD_DAYS *
		    MS_PER_DAY * (1 + f));
	else
		in->ci_started_at = ba->ba_now - (int64_t)(SPREAD_DAYS *
		    MS_PER_DAY * f);
}

/* A supervisor of one team only, who looks at its overdue view. */
static void
build_supervisor(struct engine *en, char *token, size_t len)
{
	struct engine_error	 ee;
	struct token_row	 tk;

	memset(&tk, 0, sizeof(tk));
	snprintf(tk.tk_name, sizeof(tk.tk_name), "supervisor");
	snprintf(tk.tk_role, sizeof(tk.tk_role), "supervisor");
	snprintf(tk.tk_teams, sizeof(tk.tk_teams), "%s", VIEW_TEAM);
	if (store_begin(engine_store(en)) != STORE_OK ||
	    engine_token_add(en, &bench_admin, &tk, token, len, 1, &ee) == -1 ||
	    store_commit(engine_store(en)) != STORE_OK)
		fatalx("supervisor token: %s", ee.ee_msg);
}

static double build_t0;

static void
build_progress(size_t done)
{
	if (done % 100000 == 0) {
		printf("  %zu cases, %.0f s\n", done,
		    (now_ms() - build_t0) / 1000);
		fflush(stdout);
	}
}

static void
build(const char *path, size_t cases, size_t teams, size_t overdue,
    const char *tokpath)
{
	struct build_arg	 ba;
	struct errlist		 errs;
	struct registry		*reg;
	struct store		*st;
	struct engine		*en;
	struct actor		 who = { 1, "bench", "caseworker", NULL, NULL,
				    NULL };
	char			 err[256], token[TOKEN_LEN], names[4096];
	char			 sup[TOKEN_LEN];
	size_t			 i, len;
	char			 wal[1024];
	int64_t			 now;
	FILE			*f;

	unlink(path);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	unlink(tokpath);
	errlist_init(&errs);
	reg = registry_new();
	if (registry_load_dir(reg, TERMIJN_SOURCE_DIR "/workflows", &errs) == -1)
		fatalx("workflows: %s", errs.el_msgs[0]);
	if ((st = store_open(path, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	now = clock_now();
	en = engine_new(st, reg);
	if (engine_pin_workflows(en, reg, now, &errs) == -1)
		fatalx("pin: %s", errs.el_msgs[0]);

	/* The teams, and a caseworker in all of them, who reads. */
	for (i = 0, len = 0; i < teams; i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len,
		    "%steam-%02zu", i ? "," : "", i);
	bench_people(en, names, token, sizeof(token));
	build_supervisor(en, sup, sizeof(sup));
	who.ac_teams = names;
	ba.ba_cases = cases;
	ba.ba_teams = teams;
	ba.ba_overdue = overdue;
	ba.ba_now = now;
	build_t0 = now_ms();
	bench_register(en, &who, cases, TX_CASES, now, build_fill, &ba,
	    build_progress);
	printf("built %zu cases over %zu teams in %.1f s (%.0f/s)\n", cases,
	    teams, (now_ms() - build_t0) / 1000,
	    cases / ((now_ms() - build_t0) / 1000));
	engine_free(en);
	store_close(st);	/* checkpoints the WAL into the database */
	registry_free(reg);
	errlist_clear(&errs);
	if ((f = fopen(tokpath, "w")) == NULL)
		fatal("%s", tokpath);
	fprintf(f, "%s\n%s\n", token, sup);
	fclose(f);
}

/*
 * What the database holds, read-only: open cases, their ids, the earliest
 * pending rung, and how many cases wait on a deadline that passed.
 */
static void
inspect(const char *path, int64_t *n, int64_t *lo, int64_t *hi,
    int64_t *next_due, int64_t *escalated)
{
	sqlite3		*db;
	sqlite3_stmt	*s;

	*n = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		fatalx("%s: %s", path, sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, "SELECT count(*), min(id), max(id),"
	    " (SELECT min(due) FROM rungs WHERE fired_at IS NULL),"
	    " sum(escalated_by IS NOT NULL) FROM cases WHERE final = 0", -1,
	    &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		fatalx("%s: %s", path, sqlite3_errmsg(db));
	*n = sqlite3_column_int64(s, 0);
	*lo = sqlite3_column_int64(s, 1);
	*hi = sqlite3_column_int64(s, 2);
	*next_due = sqlite3_column_int64(s, 3);
	*escalated = sqlite3_column_int64(s, 4);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static long long
file_size(const char *path, const char *suffix)
{
	struct stat	sb;
	char		p[1024];

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	return stat(p, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* Drop the database's pages from the OS page cache. */
static void
evict(const char *path)
{
	static const char	*suffixes[] = { "", "-wal", "-shm" };
	char			 p[1024];
	size_t			 i;
	int			 fd;

	for (i = 0; i < nitems(suffixes); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		if ((fd = open(p, O_RDONLY)) == -1)
			continue;
		fdatasync(fd);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

/* VmRSS, VmHWM, RssAnon, RssFile in KiB. */
static void
memory(pid_t pid, long kb[4])
{
	static const char	*keys[] = { "VmRSS:", "VmHWM:", "RssAnon:",
				    "RssFile:" };
	char			 path[64], line[256];
	size_t			 i;
	FILE			*f;

	memset(kb, 0, 4 * sizeof(*kb));
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		for (i = 0; i < nitems(keys); i++)
			if (strncmp(line, keys[i], strlen(keys[i])) == 0)
				kb[i] = strtol(line + strlen(keys[i]), NULL,
				    10);
	fclose(f);
}

static int
conn_open(struct conn *c)
{
	struct sockaddr_in	sin;
	int			one = 1;

	c->len = 0;
	if ((c->fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		fatal("socket");
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(c->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

static void
conn_close(struct conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->len = 0;
}

/*
 * One GET on a keep-alive connection, opened if need be; the status, or -1
 * when the connection failed (it is closed then).
 */
static int
http_get(struct conn *c, const char *path, const char *token)
{
	char		 req[512], *end, *p;
	size_t		 hdrlen, need;
	ssize_t		 n;
	int		 status, len, off = 0;

	if (c->fd == -1 && conn_open(c) == -1)
		return -1;
	len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: bench\r\n"
	    "%s%s%s\r\n", path, token ? "Authorization: Bearer " : "",
	    token ? token : "", token ? "\r\n" : "");
	while (off < len) {
		if ((n = write(c->fd, req + off, len - off)) <= 0)
			goto fail;
		off += n;
	}
	for (;;) {
		c->buf[c->len] = '\0';
		if ((end = strstr(c->buf, "\r\n\r\n")) != NULL)
			break;
		if (c->len >= sizeof(c->buf) - 1 ||
		    (n = read(c->fd, c->buf + c->len,
		    sizeof(c->buf) - 1 - c->len)) <= 0)
			goto fail;
		c->len += n;
	}
	hdrlen = end + 4 - c->buf;
	if (sscanf(c->buf, "HTTP/1.%*d %d", &status) != 1)
		goto fail;
	need = 0;
	for (p = c->buf; p < end; p = strstr(p, "\r\n") + 2)
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			need = strtoul(p + 15, NULL, 10);
	if (hdrlen + need > sizeof(c->buf) - 1)
		goto fail;
	while (c->len < hdrlen + need) {
		if ((n = read(c->fd, c->buf + c->len,
		    sizeof(c->buf) - 1 - c->len)) <= 0)
			goto fail;
		c->len += n;
	}
	memcpy(c->body, c->buf + hdrlen, need);
	c->body[need] = '\0';
	memmove(c->buf, c->buf + hdrlen + need, c->len - hdrlen - need);
	c->len -= hdrlen + need;
	return status;
fail:
	conn_close(c);
	return -1;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const double *v, size_t n, double q)
{
	size_t	i = (size_t)(q * n + 0.999999);

	return n == 0 ? 0 : v[i == 0 ? 0 : i - 1];
}

/* How often a string occurs in another. */
static size_t
occurrences(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/*
 * The supervisor's overdue view: the first page of GET /v1/overdue for
 * one team, views times on the keep-alive connection, each a commit of
 * the page's reads in the read log.  Says the median and the p99 in out.
 */
static void
overdue_view(struct conn *c, const char *token, size_t views, char *out,
    size_t outlen)
{
	const char	*path = "/v1/overdue?team=" VIEW_TEAM;
	double		*lat, t;
	size_t		 i, bad = 0, items, mine;

	*out = '\0';
	if (views == 0)
		return;
	lat = calloc(views, sizeof(*lat));
	for (i = 0; i < views; i++) {
		t = now_ms();
		if (http_get(c, path, token) != 200)
			bad++;
		lat[i] = now_ms() - t;
	}
	items = occurrences(c->body, "\"case\":");
	mine = occurrences(c->body, "\"team\":\"" VIEW_TEAM "\"");
	qsort(lat, views, sizeof(*lat), cmp_double);
	snprintf(out, outlen, "  %zu x GET %s (first page, %zu items%s):"
	    " p50 %.2f ms, p99 %.2f ms, max %.2f ms%s (promise: first page"
	    " under 10 ms)\n", views, path, items, mine == items ? "" :
	    ", SOME OF ANOTHER TEAM", pct(lat, views, .5), pct(lat, views, .99),
	    lat[views - 1], bad ? ", SOME FAILED" : "");
	free(lat);
}

static void
start_once(int k, const char *termijnd, const char *db, const char *token,
    const char *sup, int64_t lo, int64_t hi, size_t reads, size_t views,
    int cold)
{
	struct conn	 c = { .fd = -1 };
	char		 line[512], path[64], errpath[1024], view[512];
	double		 t0, t_listen, t_health, t_case, t_stop, *lat;
	double		 load[3];
	long		 kb_start[4], kb_reads[4];
	size_t		 i, bad = 0, tries_h = 0, tries_c = 0;
	int		 out[2], st, status;
	pid_t		 pid;
	FILE		*f;

	if (cold)
		evict(db);
	getloadavg(load, 3);
	snprintf(errpath, sizeof(errpath), "%s.stderr", db);
	if (pipe(out) == -1)
		fatal("pipe");
	t0 = now_ms();
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0) {
		int	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(out[1], 1);
		if (fd != -1)
			dup2(fd, 2);
		close(out[0]);
		close(out[1]);
		execl(termijnd, "termijnd", "--listen", "127.0.0.1:0", "--db",
		    db, "--workflows", TERMIJN_SOURCE_DIR "/workflows",
		    "--foreground", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	if ((f = fdopen(out[0], "r")) == NULL)
		fatal("fdopen");
	for (;;) {
		if (fgets(line, sizeof(line), f) == NULL)
			fatalx("termijnd exited before it listened (see %s)",
			    errpath);
		if (sscanf(line, "termijnd: listening on 127.0.0.1:%d",
		    &c.port) == 1)
			break;
	}
	t_listen = now_ms();
	while ((status = http_get(&c, "/healthz", NULL)) != 200) {
		tries_h++;
		usleep(1000);
	}
	t_health = now_ms();
	for (;;) {
		snprintf(path, sizeof(path), "/v1/cases/%lld",
		    (long long)(lo + random() % (hi - lo + 1)));
		if ((status = http_get(&c, path, token)) == 200)
			break;
		if (status != -1)
			fatalx("GET %s answered %d", path, status);
		tries_c++;
		usleep(1000);
	}
	t_case = now_ms();
	memory(pid, kb_start);

	lat = calloc(reads ? reads : 1, sizeof(*lat));
	for (i = 0; i < reads; i++) {
		double	t;

		snprintf(path, sizeof(path), "/v1/cases/%lld",
		    (long long)(lo + random() % (hi - lo + 1)));
		t = now_ms();
		if ((status = http_get(&c, path, token)) != 200)
			bad++;
		lat[i] = now_ms() - t;
	}
	memory(pid, kb_reads);
	overdue_view(&c, sup, views, view, sizeof(view));
	conn_close(&c);
	t_stop = now_ms();
	kill(pid, SIGTERM);
	if (waitpid(pid, &st, 0) == -1)
		fatal("waitpid");
	t_stop = now_ms() - t_stop;
	fclose(f);
	qsort(lat, reads, sizeof(*lat), cmp_double);

	printf("start %d%s: load average %.2f %.2f %.2f\n", k, cold ?
	    " (cold: database evicted from the page cache)" : "", load[0],
	    load[1], load[2]);
	printf("  listening after %.1f ms; GET /healthz 200 after %.1f ms;"
	    " first GET /v1/cases/{id} 200 after %.1f ms (promise: ready"
	    " within 1000 ms)\n", t_listen - t0, t_health - t0, t_case - t0);
	printf("  memory after start: VmRSS %.1f MiB, VmHWM %.1f MiB"
	    " (anon %.1f, file %.1f)\n", kb_start[0] / 1024.0,
	    kb_start[1] / 1024.0, kb_start[2] / 1024.0, kb_start[3] / 1024.0);
	printf("  after %zu reads of random cases (p50 %.2f ms, p99 %.2f ms,"
	    " max %.2f ms%s): VmRSS %.1f MiB, VmHWM %.1f MiB (anon %.1f,"
	    " file %.1f) (promise: under 128 MiB)\n", reads,
	    pct(lat, reads, .5), pct(lat, reads, .99),
	    reads ? lat[reads - 1] : 0.0, bad ? ", some failed" : "",
	    kb_reads[0] / 1024.0, kb_reads[1] / 1024.0, kb_reads[2] / 1024.0,
	    kb_reads[3] / 1024.0);
	fputs(view, stdout);
	printf("  exited %s%d on SIGTERM after %.1f ms\n",
	    WIFEXITED(st) ? "" : "by signal ", WIFEXITED(st) ?
	    WEXITSTATUS(st) : WTERMSIG(st), t_stop);
	if (bad)
		printf("  %zu reads failed\n", bad);
	fflush(stdout);
	free(lat);
}

int
main(int argc, char *argv[])
{
	struct errlist	 errs;
	const char	*termijnd = TERMIJN_BINARY_DIR "/termijnd";
	char		 db[1024] = "/tmp/termijn-bench-scale.db";
	char		 tokpath[1100], token[TOKEN_LEN + 2];
	char		 sup[TOKEN_LEN + 2];
	size_t		 cases = 1000000, teams = 50, reads = 20000, starts = 2;
	size_t		 views = 2000, overdue = 30, k;
	int64_t		 n = 0, lo, hi, next_due, escalated = 0;
	int		 ch, keep = 0, cold = 0;
	FILE		*f;

	while ((ch = getopt(argc, argv, "c:t:r:v:o:s:d:kCx:")) != -1) {
		switch (ch) {
		case 'c':
			cases = strtoul(optarg, NULL, 10);
			break;
		case 't':
			teams = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			reads = strtoul(optarg, NULL, 10);
			break;
		case 'v':
			views = strtoul(optarg, NULL, 10);
			break;
		case 'o':
			overdue = strtoul(optarg, NULL, 10);
			break;
		case 's':
			starts = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			snprintf(db, sizeof(db), "%s", optarg);
			break;
		case 'k':
			keep = 1;
			break;
		case 'C':
			cold = 1;
			break;
		case 'x':
			termijnd = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench_scale [-c cases] [-t teams]"
			    " [-r reads] [-v views] [-o percent] [-s starts]"
			    " [-d db] [-k] [-C] [-x termijnd]\n");
			return 2;
		}
	}
	if (cases == 0 || teams == 0)
		fatalx("cases and teams must be positive");
	if (overdue > 100)
		fatalx("-o: a percentage, 0 to 100");
	if (access(termijnd, X_OK) == -1)
		fatal("%s", termijnd);
	snprintf(tokpath, sizeof(tokpath), "%s.token", db);
	errlist_init(&errs);
	if (calendar_init("Europe/Amsterdam", NULL, &errs) == -1)
		fatalx("calendar: %s", errs.el_msgs[0]);
	srandom(1);

	if (keep && access(db, R_OK) == 0 && access(tokpath, R_OK) == 0) {
		inspect(db, &n, &lo, &hi, &next_due, &escalated);
		/* One built before the overdue view was measured lacks them. */
		if ((size_t)n != cases || (overdue > 0 && escalated == 0))
			n = 0;
		else
			printf("reusing %s\n", db);
	}
	if ((size_t)n != cases) {
		build(db, cases, teams, overdue, tokpath);
		inspect(db, &n, &lo, &hi, &next_due, &escalated);
	}
	if ((f = fopen(tokpath, "r")) == NULL ||
	    fgets(token, sizeof(token), f) == NULL ||
	    fgets(sup, sizeof(sup), f) == NULL)
		fatalx("no tokens in %s", tokpath);
	fclose(f);
	token[strcspn(token, "\n")] = '\0';
	sup[strcspn(sup, "\n")] = '\0';
	printf("database: %lld open cases (ids %lld to %lld), %lld of them"
	    " escalated; %.1f MiB (WAL %.1f MiB); the earliest pending rung is"
	    " due in %.1f days\n", (long long)n, (long long)lo, (long long)hi,
	    (long long)escalated,
	    file_size(db, "") / 1048576.0, file_size(db, "-wal") / 1048576.0,
	    (double)(next_due - clock_now()) / MS_PER_DAY);
	fflush(stdout);
	if (next_due <= clock_now())
		printf("warning: rungs are due: termijnd fires them at start\n");

	for (k = 1; k <= starts; k++)
		start_once((int)k, termijnd, db, token, sup, lo, hi, reads, views,
		    cold);

	if (!keep) {
		char	p[1100];

		unlink(db);
		snprintf(p, sizeof(p), "%s-wal", db);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", db);
		unlink(p);
		snprintf(p, sizeof(p), "%s.stderr", db);
		unlink(p);
		unlink(tokpath);
	}
	errlist_clear(&errs);
	return 0;
}
