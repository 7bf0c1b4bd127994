/* termijn: evhttp set-up, the routes, and who is asking (authentication). */

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "termijn/clock.h"
#include "termijn/hash.h"
#include "termijn/name.h"
#include "termijn/quote.h"
#include "termijn/text.h"
#include "termijn/token.h"
#include "termijn/utf8.h"

#include "termijnd.h"

/*
 * The routes: a method, a path pattern whose "{id}" segment matches a case
 * id, whether it needs a token, and the handler.  A path that matches with
 * another method is a 405.  AUTH_FEED: the calendar feed, which a calendar
 * program fetches by its URL alone, so that a feed token (role feed, and
 * no other) may come in the query string, "?token=", there and nowhere
 * else; a feed token does nothing else (dispatch_cb).  AUTH_METRICS:
 * /metrics, the one path a metrics token (role metrics) may take.
 */
#define AUTH_NONE	0
#define AUTH_BEARER	1
#define AUTH_FEED	2
#define AUTH_METRICS	3

static const struct route {
	enum evhttp_cmd_type	 rt_method;
	const char		*rt_path;
	int			 rt_auth;
	void			(*rt_handler)(struct req *);
} routes[] = {
	{ EVHTTP_REQ_GET, "/", 0, http_static_index },
	{ EVHTTP_REQ_GET, "/static/{name}", 0, http_static_file },
	{ EVHTTP_REQ_GET, "/healthz", 0, http_healthz },
	{ EVHTTP_REQ_GET, "/readyz", 0, http_readyz },
	{ EVHTTP_REQ_GET, "/metrics", AUTH_METRICS, http_metrics },
	{ EVHTTP_REQ_GET, "/v1/me", 1, http_me },
	{ EVHTTP_REQ_GET, "/v1/workflows", 1, http_workflows },
	{ EVHTTP_REQ_POST, "/v1/cases", 1, http_cases_create },
	{ EVHTTP_REQ_GET, "/v1/cases", 1, http_cases_list },
	{ EVHTTP_REQ_GET, "/v1/cases/{id}", 1, http_cases_get },
	{ EVHTTP_REQ_POST, "/v1/cases/{id}/events", 1, http_cases_event },
	{ EVHTTP_REQ_GET, "/v1/cases/{id}/transitions", 1,
	    http_cases_transitions },
	{ EVHTTP_REQ_GET, "/v1/cases/{id}/participants", 1,
	    http_cases_participants },
	{ EVHTTP_REQ_POST, "/v1/cases/{id}/participants", 1, http_cases_share },
	{ EVHTTP_REQ_DELETE, "/v1/cases/{id}/participants/{name}", 1,
	    http_cases_unshare },
	{ EVHTTP_REQ_POST, "/v1/cases/{id}/coordinator", 1,
	    http_cases_coordinate },
	{ EVHTTP_REQ_POST, "/v1/cases/{id}/assign", 1, http_cases_assign },
	{ EVHTTP_REQ_POST, "/v1/cases/{id}/corrections", 1,
	    http_cases_correct },
	{ EVHTTP_REQ_GET, "/v1/overdue", 1, http_overdue },
	{ EVHTTP_REQ_GET, "/v1/at-risk", 1, http_at_risk },
	{ EVHTTP_REQ_GET, "/v1/summary", 1, http_summary },
	{ EVHTTP_REQ_GET, "/v1/queue", 1, http_queue },
	{ EVHTTP_REQ_GET, "/v1/report", 1, http_report },
	{ EVHTTP_REQ_GET, "/v1/cases/{id}/access", 1, http_cases_access },
	{ EVHTTP_REQ_GET, "/v1/cases/{id}/export", 1, http_cases_export },
	{ EVHTTP_REQ_GET, "/v1/teams", 1, http_teams_list },
	{ EVHTTP_REQ_POST, "/v1/teams", 1, http_teams_add },
	{ EVHTTP_REQ_GET, "/v1/teams/{name}/people", 1, http_teams_people },
	{ EVHTTP_REQ_GET, "/v1/routes", 1, http_routes_list },
	{ EVHTTP_REQ_POST, "/v1/routes", 1, http_routes_add },
	{ EVHTTP_REQ_GET, "/v1/routes/log", 1, http_routes_log },
	{ EVHTTP_REQ_DELETE, "/v1/routes/{id}", 1, http_routes_remove },
	{ EVHTTP_REQ_GET, "/v1/tokens", 1, http_tokens_list },
	{ EVHTTP_REQ_POST, "/v1/tokens", 1, http_tokens_add },
	{ EVHTTP_REQ_DELETE, "/v1/tokens/{name}", 1, http_tokens_revoke },
	{ EVHTTP_REQ_PATCH, "/v1/tokens/{name}", 1, http_tokens_update },
	{ EVHTTP_REQ_POST, "/v1/retention", 1, http_retention },
	{ EVHTTP_REQ_GET, "/v1/calendar/due", 1, http_calendar_due },
	{ EVHTTP_REQ_POST, "/v1/simulate", 1, http_simulate },
	{ EVHTTP_REQ_POST, "/v1/cases/{id}/simulate", 1, http_cases_simulate },
	{ EVHTTP_REQ_GET, "/v1/notifications", 1, http_notifications_list },
	{ EVHTTP_REQ_POST, "/v1/notifications/{id}/retry", 1,
	    http_notifications_retry },
	{ EVHTTP_REQ_GET, "/v1/calendar/feed.ics", AUTH_FEED, http_feed },
	/* The feed's first path, kept for the subscriptions that name it. */
	{ EVHTTP_REQ_GET, "/v1/calendar.ics", AUTH_FEED, http_feed },
	{ EVHTTP_REQ_GET, "/v1/openapi.json", AUTH_NONE, http_openapi },
};

static void	 dispatch_cb(struct evhttp_request *, void *);
static int	 route_match(const char *, const char *, int64_t *, char *);
static int	 name_segment(const char *, size_t, char *);
static int	 authenticate(struct req *, int);
static void	 refused_token(struct req *);
static const char *query_token(struct req *, char *, size_t);
static void	 token_used(struct termijnd *, int64_t, int64_t);
static void	 request_id(struct req *);
static const char *header_text(struct req *, const char *, char *, size_t);
static int	 read_purpose(struct req *);

int
server_start(struct termijnd *d, char *err, size_t errlen)
{
	struct evhttp_bound_socket	*bound;
	struct sockaddr_storage		 ss;
	socklen_t			 sslen = sizeof(ss);
	char				 host[256], addr[INET6_ADDRSTRLEN];
	const char			*colon;
	long				 port;
	char				*end;

	if ((colon = strrchr(d->d_conf.cf_listen, ':')) == NULL ||
	    colon == d->d_conf.cf_listen ||
	    (size_t)(colon - d->d_conf.cf_listen) >= sizeof(host)) {
		snprintf(err, errlen, "listen \"%s\": expected ADDR:PORT",
		    d->d_conf.cf_listen);
		return -1;
	}
	memcpy(host, d->d_conf.cf_listen, colon - d->d_conf.cf_listen);
	host[colon - d->d_conf.cf_listen] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == colon + 1 || port < 0 ||
	    port > 65535) {
		snprintf(err, errlen, "listen \"%s\": bad port",
		    d->d_conf.cf_listen);
		return -1;
	}

	if ((d->d_http = evhttp_new(d->d_base)) == NULL) {
		snprintf(err, errlen, "evhttp_new failed");
		return -1;
	}
	/*
	 * conn.c checks each head against these before evhttp reads it;
	 * evhttp's own limits are the same, in case it ever reads first.
	 */
	evhttp_set_max_headers_size(d->d_http, d->d_conf.cf_max_headers);
	evhttp_set_max_body_size(d->d_http, d->d_conf.cf_max_body);
	evhttp_set_timeout(d->d_http, d->d_conf.cf_idle_timeout);
	/* Every method evhttp knows reaches the routes (405, not 501). */
	evhttp_set_allowed_methods(d->d_http, EVHTTP_REQ_GET |
	    EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_PATCH | EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS |
	    EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT);
	evhttp_set_flags(d->d_http, EVHTTP_SERVER_LINGERING_CLOSE);
	evhttp_set_gencb(d->d_http, dispatch_cb, d);

	if ((bound = evhttp_bind_socket_with_handle(d->d_http, host,
	    (ev_uint16_t)port)) == NULL) {
		snprintf(err, errlen, "cannot listen on %s: %s",
		    d->d_conf.cf_listen, strerror(errno));
		return -1;
	}
	conn_init(d, evhttp_bound_socket_get_listener(bound));

	if (getsockname(evhttp_bound_socket_get_fd(bound),
	    (struct sockaddr *)&ss, &sslen) == -1) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		return -1;
	}
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, addr, sizeof(addr));
		snprintf(d->d_bound, sizeof(d->d_bound), "[%s]:%d", addr,
		    ntohs(s6->sin6_port));
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, addr, sizeof(addr));
		snprintf(d->d_bound, sizeof(d->d_bound), "%s:%d", addr,
		    ntohs(s4->sin_port));
	}
	return 0;
}

/* Stop accepting and drop idle connections; answers in flight are sent first. */
void
server_stop(struct termijnd *d)
{
	if (d->d_http != NULL) {
		evhttp_free(d->d_http);
		d->d_http = NULL;
		conn_free_all(d);
	}
}

/*
 * Match a path against a pattern; "{id}" takes a positive integer, "{name}"
 * a team's or token's name (what name_valid allows).
 */
static int
route_match(const char *pattern, const char *path, int64_t *id, char *name)
{
	const char	*p = pattern, *s = path;
	char		*end;
	long long	 v;
	size_t		 n;

	while (*p != '\0') {
		if (strncmp(p, "{name}", 6) == 0) {
			/*
			 * A name may hold '/': at the end of a pattern it
			 * takes the rest of the path, and a client may
			 * write it %2F, as any escape.
			 */
			n = p[6] == '\0' ? strlen(s) : strcspn(s, "/");
			if (name_segment(s, n, name) == -1)
				return 0;
			s += n;
			p += 6;
			continue;
		}
		if (strncmp(p, "{id}", 4) == 0) {
			if (*s < '1' || *s > '9')
				return 0;
			errno = 0;
			v = strtoll(s, &end, 10);
			if (errno != 0 || end - s > 18)
				return 0;
			*id = v;
			s = end;
			p += 4;
			continue;
		}
		if (*p++ != *s++)
			return 0;
	}
	return *s == '\0';
}

/*
 * A name in a path, its percent-escapes decoded, into name
 * (STORE_NAME_LEN); -1 when it is not one termijn gives.
 */
static int
name_segment(const char *s, size_t n, char *name)
{
	static const char	hex[] = "0123456789abcdef";
	const char		*hi, *lo;
	size_t			 i, o = 0;

	for (i = 0; i < n; i++) {
		if (o + 1 >= STORE_NAME_LEN)
			return -1;
		if (s[i] != '%') {
			name[o++] = s[i];
			continue;
		}
		/* Two hex digits, inside the segment (so neither is NUL). */
		if (i + 2 >= n || (hi = strchr(hex, tolower((unsigned char)
		    s[i + 1]))) == NULL || (lo = strchr(hex, tolower(
		    (unsigned char)s[i + 2]))) == NULL)
			return -1;
		name[o++] = (char)((hi - hex) * 16 + (lo - hex));
		i += 2;
	}
	name[o] = '\0';
	/* An escaped NUL would cut the name short. */
	return strlen(name) == o && name_valid(name) ? 0 : -1;
}

static void
dispatch_cb(struct evhttp_request *http, void *arg)
{
	struct termijnd		*d = arg;
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(http);
	const char		*path = uri ? evhttp_uri_get_path(uri) : NULL;
	enum evhttp_cmd_type	 method = evhttp_request_get_command(http);
	const struct route	*rt = NULL;
	struct evkeyvalq	*out = evhttp_request_get_output_headers(http);
	struct req		*rq;
	const char		*detail;
	char			 allow[64] = "";
	size_t			 i;
	int64_t			 id = 0;
	int			 status;

	rq = xcalloc(1, sizeof(*rq));
	rq->rq_http = http;
	rq->rq_d = d;
	req_language(rq);
	if (path == NULL || *path == '\0')
		path = "/";
	/*
	 * A request conn.c refused before evhttp read it: say why, close.  Its
	 * Accept-Language was not read: conn.c said why in the configured
	 * language, which the stand-in's answer is in.
	 */
	if (conn_request(d, http, path, &status, &detail, &rq->rq_head)) {
		evhttp_add_header(out, "Connection", "close");
		if (status == 401)
			evhttp_add_header(out, "WWW-Authenticate",
			    "Bearer realm=\"termijn\"");
		http_problemf(rq, status, "%s", detail);
		return;
	}
	/* HEAD is GET without the body (RFC 9110 9.3.2). */
	if (method == EVHTTP_REQ_HEAD) {
		rq->rq_head = 1;
		method = EVHTTP_REQ_GET;
	}
	for (i = 0; i < nitems(routes); i++) {
		if (!route_match(routes[i].rt_path, path, &id, rq->rq_name))
			continue;
		if (routes[i].rt_method == method) {
			rt = &routes[i];
			break;
		}
		snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow),
		    "%s%s%s", *allow ? ", " : "",
		    http_method_name(routes[i].rt_method),
		    routes[i].rt_method == EVHTTP_REQ_GET ? ", HEAD" : "");
	}
	rq->rq_id = id;
	if (rt == NULL) {
		if (*allow != '\0') {
			evhttp_add_header(out, "Allow", allow);
			http_problemf(rq, 405, _("%s is not allowed on %s"
			    " (allowed: %s)"),
			    http_method_name(evhttp_request_get_command(
			    http)), path, allow);
		} else
			http_problemf(rq, 404, _("no such path: %s"), path);
		return;
	}
	if (d->d_stopping) {
		http_failf(rq, 503, N_("termijnd is shutting down"));
		return;
	}
	if (rt->rt_auth != AUTH_NONE && authenticate(rq, rt->rt_auth) == -1)
		return;
	if (rt->rt_auth != AUTH_FEED && rt->rt_auth != AUTH_NONE &&
	    strcmp(rq->rq_actor.ac_role, "feed") == 0) {
		http_problemf(rq, 403, _("a token with role feed only reads a"
		    " calendar feed (GET /v1/calendar/feed.ics)"));
		return;
	}
	if (rt->rt_auth != AUTH_METRICS && rt->rt_auth != AUTH_NONE &&
	    strcmp(rq->rq_actor.ac_role, "metrics") == 0) {
		http_problemf(rq, 403, _("a token with role metrics only reads"
		    " GET /metrics"));
		return;
	}
	log_debug("%s: %s %s", __func__, http_method_name(method), path);
	/*
	 * A read sees one snapshot, and takes the database's read lock once
	 * rather than once per statement.  Writes wait for the group commit.
	 */
	if (method == EVHTTP_REQ_GET) {
		store_read_begin(d->d_store);
		rt->rt_handler(rq);
		store_read_end(d->d_store);
	} else
		rt->rt_handler(rq);
	/*
	 * A write waits for the group commit, which speaks its language
	 * again (commit.c); until then, what runs is no one's request.
	 */
	i18n_use(d->d_conf.cf_lang);
}

/*
 * Bearer tokens are looked up by their SHA-256 hash on every request, with
 * their teams: no cache, so that a token revoked a moment ago (by the API
 * or by termijnctl on the database) fails on the very next request, and one
 * made a moment ago works.  The lookup is one indexed read.
 *
 * When a token was last used is kept here and written once a minute (and
 * at exit), rather than a write per request: token list shows it at most a
 * minute late.
 */
#define TOUCH_MAX	256

static int64_t	touched_token[TOUCH_MAX];
static int64_t	touched_at[TOUCH_MAX];
static size_t	ntouched;

static void
token_used(struct termijnd *d, int64_t token, int64_t now)
{
	size_t	i;

	for (i = 0; i < ntouched; i++)
		if (touched_token[i] == token) {
			touched_at[i] = now;
			return;
		}
	if (ntouched == TOUCH_MAX)
		server_touch_flush(d);
	touched_token[ntouched] = token;
	touched_at[ntouched++] = now;
}

/* Write when each token used since the last flush was last used. */
void
server_touch_flush(struct termijnd *d)
{
	if (engine_tokens_used(d->d_engine, touched_token, touched_at,
	    ntouched) == -1)
		log_warnx("could not note when tokens were last used");
	ntouched = 0;
}

/*
 * The token of a request: the Authorization header, or on the feed's path
 * (auth AUTH_FEED) a feed token in the query string.  A token in a query
 * string ends up in proxies' logs and browsers' histories: that is why
 * only a feed token, which reads deadlines' dates and nothing else, may
 * travel so.  Nothing here or in the logs ever shows it.
 */
/*
 * Why a token is refused, said to whoever holds it: revoked (when), or
 * expired (when), and what to do; or unknown.  Its name stays out: the
 * holder knows it, and the answer may reach a log.  Answering frees rq.
 */
static void
refused_token(struct req *rq)
{
	const struct token_row	*tk = &rq->rq_token;
	struct cal_date		 cd;
	char			 when[CAL_WORDS_LEN];

	if (tk->tk_id == 0) {
		http_problemf(rq, 401, _("unknown token: check that it was"
		    " copied whole; an administrator makes a new one"
		    " (termijnctl token create)"));
		return;
	}
	cal_local_date(tk->tk_revoked_at != 0 ? tk->tk_revoked_at :
	    tk->tk_expires_at, &cd);
	cal_date_words(&cd, 0, when);
	if (tk->tk_revoked_at != 0)
		http_problemf(rq, 401, _("this token was revoked on %s; ask an"
		    " administrator for a new one (termijnctl token create)"),
		    when);
	else
		http_problemf(rq, 401, _("this token expired on %s; ask an"
		    " administrator for a new one (termijnctl token create)"),
		    when);
}

static int
authenticate(struct req *rq, int auth_kind)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(rq->rq_http);
	const char		*auth = evhttp_find_header(h, "Authorization");
	const char		*secret = NULL;
	unsigned char		 hash[HASH_SHA256_LEN];
	char			 buf[128];
	enum store_status	 rc;
	int			 queried = 0;

	if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0 &&
	    auth[7] != '\0')
		secret = auth + 7;
	else if (auth == NULL && auth_kind == AUTH_FEED &&
	    (secret = query_token(rq, buf, sizeof(buf))) != NULL)
		queried = 1;
	if (secret == NULL) {
		evhttp_add_header(evhttp_request_get_output_headers(rq->rq_http),
		    "WWW-Authenticate", "Bearer realm=\"termijn\"");
		if (auth_kind == AUTH_FEED)
			http_problemf(rq, 401, _("this request needs an"
			    " \"Authorization: Bearer TOKEN\" header (or a feed"
			    " token as ?token=)"));
		else
			http_problemf(rq, 401, _("this request needs an"
			    " \"Authorization: Bearer TOKEN\" header"));
		return -1;
	}
	token_hash(secret, hash);
	explicit_bzero(buf, sizeof(buf));
	rc = store_token_lookup(rq->rq_d->d_store, hash, clock_now(),
	    &rq->rq_token);
	if (rc == STORE_NOTFOUND) {
		evhttp_add_header(evhttp_request_get_output_headers(rq->rq_http),
		    "WWW-Authenticate", "Bearer realm=\"termijn\","
		    " error=\"invalid_token\"");
		refused_token(rq);
		return -1;
	}
	if (rc != STORE_OK) {
		http_failf(rq, 500, N_("the database failed while checking"
		    " the token"));
		return -1;
	}
	if (queried && strcmp(rq->rq_token.tk_role, "feed") != 0) {
		http_problemf(rq, 403, _("only a feed token (role feed) may be"
		    " given in the query string; send this one in an"
		    " \"Authorization: Bearer\" header, and revoke it: it has"
		    " been in a URL"));
		return -1;
	}
	rq->rq_actor.ac_token = rq->rq_token.tk_id;
	rq->rq_actor.ac_name = rq->rq_token.tk_name;
	rq->rq_actor.ac_role = rq->rq_token.tk_role;
	rq->rq_actor.ac_teams = rq->rq_token.tk_teams;
	request_id(rq);
	rq->rq_actor.ac_request = rq->rq_reqid;
	token_used(rq->rq_d, rq->rq_token.tk_id, clock_now());
	return read_purpose(rq);
}

/*
 * Read-Purpose: why the client reads, kept with each read in the read
 * log.  A header carries printable ASCII; what is not, or is longer than
 * PURPOSE_MAX, is refused (400) rather than changed or cut to fit.
 */
static int
read_purpose(struct req *rq)
{
	struct evkeyvalq	*h;
	const char		*v;
	size_t			 i, len;

	h = evhttp_request_get_input_headers(rq->rq_http);
	v = evhttp_find_header(h, "Read-Purpose");

	rq->rq_actor.ac_purpose = NULL;
	if (v == NULL || *v == '\0')
		return 0;
	len = strlen(v);
	for (i = 0; i < len; i++)
		if (v[i] < 0x20 || v[i] > 0x7e) {
			http_problemf(rq, 400, _("Read-Purpose must be"
			    " printable ASCII: byte %zu is not"), i + 1);
			return -1;
		}
	if (len > PURPOSE_MAX) {
		http_problemf(rq, 400, _("Read-Purpose is %zu bytes long; it"
		    " may be at most %d"), len, PURPOSE_MAX);
		return -1;
	}
	memcpy(rq->rq_purpose, v, len + 1);
	rq->rq_actor.ac_purpose = rq->rq_purpose;
	return 0;
}

/* The query string's "token", copied into buf; NULL when there is none. */
static const char *
query_token(struct req *rq, char *buf, size_t len)
{
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(rq->rq_http);
	const char		*qs = uri ? evhttp_uri_get_query(uri) : NULL;
	const char		*v;
	struct evkeyvalq	 q;

	if (qs == NULL || evhttp_parse_query_str(qs, &q) == -1)
		return NULL;
	v = evhttp_find_header(&q, "token");
	if (v == NULL || *v == '\0' || strlen(v) >= len)
		v = NULL;
	else
		v = memcpy(buf, v, strlen(v) + 1);
	evhttp_clear_headers(&q);
	return v;
}

/*
 * The request's id, for the read log and the answer's Request-Id: the
 * one a proxy in front gave (X-Request-Id), else one of termijnd's own.
 */
static void
request_id(struct req *rq)
{
	static uint64_t	 seq;
	static int64_t	 started;

	if (header_text(rq, "X-Request-Id", rq->rq_reqid,
	    sizeof(rq->rq_reqid)) != NULL)
		return;
	if (started == 0)
		started = clock_now();
	snprintf(rq->rq_reqid, sizeof(rq->rq_reqid), "termijnd-%llx-%llu",
	    (unsigned long long)started, (unsigned long long)++seq);
}

/*
 * A header a client or a proxy in front may send for the record (a
 * request id): printable ASCII only, cut to fit; NULL when absent or empty.
 */
static const char *
header_text(struct req *rq, const char *name, char *buf, size_t len)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(rq->rq_http);
	const char		*v = evhttp_find_header(h, name);
	size_t			 i;

	if (v == NULL || *v == '\0')
		return NULL;
	for (i = 0; v[i] != '\0' && i + 1 < len; i++)
		buf[i] = v[i] >= 0x20 && v[i] < 0x7f ? v[i] : '?';
	buf[i] = '\0';
	return buf;
}
