/* termijn: evhttp set-up, routing, authentication and answers. */

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
#include "termijn/csv.h"
#include "termijn/hash.h"
#include "termijn/name.h"
#include "termijn/quote.h"
#include "termijn/text.h"
#include "termijn/token.h"
#include "termijn/utf8.h"

#include "openapi.h"
#include "termijnd.h"

#define IDEM_KEY_MAX	128
#define RETRY_AFTER	"5"	/* seconds, with every 503 */

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
	{ EVHTTP_REQ_GET, "/v1/notifications", 1, http_notifications_list },
	{ EVHTTP_REQ_POST, "/v1/notifications/{id}/retry", 1,
	    http_notifications_retry },
	{ EVHTTP_REQ_GET, "/v1/calendar/feed.ics", AUTH_FEED, http_feed },
	/* The feed's first path, kept for the subscriptions that name it. */
	{ EVHTTP_REQ_GET, "/v1/calendar.ics", AUTH_FEED, http_feed },
	{ EVHTTP_REQ_GET, "/v1/openapi.json", AUTH_NONE, http_openapi },
};

static const struct {
	int		 code;
	const char	*reason;
} reasons[] = {
	{ 200, N_("OK") }, { 201, N_("Created") }, { 400, N_("Bad Request") },
	{ 401, N_("Unauthorized") }, { 403, N_("Forbidden") }, { 404, N_("Not Found") },
	{ 405, N_("Method Not Allowed") }, { 408, N_("Request Timeout") },
	{ 409, N_("Conflict") }, { 411, N_("Length Required") },
	{ 413, N_("Content Too Large") }, { 415, N_("Unsupported Media Type") },
	{ 417, N_("Expectation Failed") }, { 422, N_("Unprocessable Content") },
	{ 431, N_("Request Header Fields Too Large") },
	{ 500, N_("Internal Server Error") }, { 501, N_("Not Implemented") },
	{ 503, N_("Service Unavailable") }, { 505, N_("HTTP Version Not Supported") },
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
static void	 body_refused(struct req *, const char *, size_t,
		    const json_error_t *);
static const char *reason(int);
static const char *method_name(enum evhttp_cmd_type);

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

static const char *
reason(int code)
{
	size_t	i;

	for (i = 0; i < nitems(reasons); i++)
		if (reasons[i].code == code)
			return reasons[i].reason;
	return N_("Error");
}

static const struct {
	enum evhttp_cmd_type	 mn_method;
	const char		*mn_name;
} method_names[] = {
	{ EVHTTP_REQ_GET, "GET" }, { EVHTTP_REQ_POST, "POST" },
	{ EVHTTP_REQ_HEAD, "HEAD" }, { EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_DELETE, "DELETE" }, { EVHTTP_REQ_OPTIONS, "OPTIONS" },
	{ EVHTTP_REQ_TRACE, "TRACE" }, { EVHTTP_REQ_CONNECT, "CONNECT" },
	{ EVHTTP_REQ_PATCH, "PATCH" },
};

static const char *
method_name(enum evhttp_cmd_type m)
{
	size_t	i;

	for (i = 0; i < nitems(method_names); i++)
		if (method_names[i].mn_method == m)
			return method_names[i].mn_name;
	return "OTHER";
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
	/* A request conn.c refused before evhttp read it: say why, close. */
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
		    method_name(routes[i].rt_method),
		    routes[i].rt_method == EVHTTP_REQ_GET ? ", HEAD" : "");
	}
	rq->rq_id = id;
	if (rt == NULL) {
		if (*allow != '\0') {
			evhttp_add_header(out, "Allow", allow);
			http_problemf(rq, 405, "%s is not allowed on %s (allowed:"
			    " %s)", method_name(evhttp_request_get_command(
			    http)), path, allow);
		} else
			http_problemf(rq, 404, "no such path: %s", path);
		return;
	}
	if (d->d_stopping) {
		http_problemf(rq, 503, "termijnd is shutting down");
		return;
	}
	if (rt->rt_auth != AUTH_NONE && authenticate(rq, rt->rt_auth) == -1)
		return;
	if (rt->rt_auth != AUTH_FEED && rt->rt_auth != AUTH_NONE &&
	    strcmp(rq->rq_actor.ac_role, "feed") == 0) {
		http_problemf(rq, 403, "a token with role feed only reads a"
		    " calendar feed (GET /v1/calendar/feed.ics)");
		return;
	}
	if (rt->rt_auth != AUTH_METRICS && rt->rt_auth != AUTH_NONE &&
	    strcmp(rq->rq_actor.ac_role, "metrics") == 0) {
		http_problemf(rq, 403, "a token with role metrics only reads"
		    " GET /metrics");
		return;
	}
	log_debug("%s: %s %s", __func__, method_name(method), path);
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
	char			 when[CAL_TIME_LEN];

	if (tk->tk_id == 0) {
		http_problemf(rq, 401, "unknown token: check that it was copied"
		    " whole; an administrator makes a new one (termijnctl"
		    " token create)");
		return;
	}
	cal_format_time(tk->tk_revoked_at != 0 ? tk->tk_revoked_at :
	    tk->tk_expires_at, when);
	http_problemf(rq, 401, "this token %s on %.10s; ask an administrator"
	    " for a new one (termijnctl token create)",
	    tk->tk_revoked_at != 0 ? "was revoked" : "expired", when);
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
		http_problemf(rq, 401, "this request needs an"
		    " \"Authorization: Bearer TOKEN\" header%s",
		    auth_kind == AUTH_FEED ? " (or a feed token as ?token=)" :
		    "");
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
		http_problemf(rq, 500, "the database failed while checking the"
		    " token");
		return -1;
	}
	if (queried && strcmp(rq->rq_token.tk_role, "feed") != 0) {
		http_problemf(rq, 403, "only a feed token (role feed) may be"
		    " given in the query string; send this one in an"
		    " \"Authorization: Bearer\" header, and revoke it: it has"
		    " been in a URL");
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
			http_problemf(rq, 400, "Read-Purpose must be printable"
			    " ASCII: byte %zu is not", i + 1);
			return -1;
		}
	if (len > PURPOSE_MAX) {
		http_problemf(rq, 400, "Read-Purpose is %zu bytes long; it may"
		    " be at most %d", len, PURPOSE_MAX);
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

/*
 * Read the body as a JSON object whose members are all in allowed (NULL
 * terminated).  Answers the request and returns -1 when it is not.
 */
int
req_body_object(struct req *rq, const char *const *allowed)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(rq->rq_http);
	struct evkeyvalq *h = evhttp_request_get_input_headers(rq->rq_http);
	const char	*ctype = evhttp_find_header(h, "Content-Type");
	const char	*key, *idem;
	size_t		 len = evbuffer_get_length(in), i, klen;
	json_error_t	 jerr;
	json_t		*value;
	char		*text, *hashed;

	if (len > rq->rq_d->d_conf.cf_max_body) {
		http_problemf(rq, 413, "the body has %zu bytes; at most %zu are"
		    " allowed", len, rq->rq_d->d_conf.cf_max_body);
		return -1;
	}
	klen = strlen("application/json");
	if (ctype == NULL || strncasecmp(ctype, "application/json", klen) != 0 ||
	    (ctype[klen] != '\0' && ctype[klen] != ';' && ctype[klen] != ' ')) {
		http_problemf(rq, 415, "the body must be JSON, sent with"
		    " \"Content-Type: application/json\"%s%s%s",
		    ctype ? " (got \"" : "", ctype ? ctype : "",
		    ctype ? "\")" : "");
		return -1;
	}
	if ((idem = evhttp_find_header(h, "Idempotency-Key")) != NULL) {
		klen = strlen(idem);
		for (i = 0; i < klen; i++)
			if (idem[i] < 0x21 || idem[i] > 0x7e)
				break;
		if (klen == 0 || klen > IDEM_KEY_MAX || i != klen) {
			http_problemf(rq, 400, "Idempotency-Key must be 1 to %d"
			    " printable characters", IDEM_KEY_MAX);
			return -1;
		}
		rq->rq_idem_key = xstrdup(idem);
	}
	text = xmalloc(len + 1);
	evbuffer_copyout(in, text, len);
	text[len] = '\0';
	if (rq->rq_idem_key != NULL) {
		xasprintf(&hashed, "%s %s\n%s",
		    method_name(evhttp_request_get_command(rq->rq_http)),
		    evhttp_request_get_uri(rq->rq_http), text);
		hash_sha256_hex(hashed, strlen(hashed), rq->rq_reqhash);
		free(hashed);
	}
	rq->rq_body = json_loadb(text, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, &jerr);
	if (rq->rq_body == NULL) {
		/* The answer frees rq. */
		body_refused(rq, text, len, &jerr);
		free(text);
		return -1;
	}
	free(text);
	if (!json_is_object(rq->rq_body)) {
		http_problemf(rq, 400, "the body must be a JSON object");
		return -1;
	}
	json_object_foreach(rq->rq_body, key, value) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			http_problemf(rq, 400, "unknown field \"%.64s\"", key);
			return -1;
		}
	}
	return 0;
}

/*
 * A body jansson refused, answered.  Text that is not UTF-8 (a byte that
 * is no part of a character, an escape such as \ud800 that is none) is
 * named by the member whose value holds it, so that a client knows which
 * field to mend; anything else by where it went wrong.
 */
static void
body_refused(struct req *rq, const char *text, size_t len,
    const json_error_t *jerr)
{
	char	name[QUOTE_LEN];
	size_t	bad;

	if ((bad = utf8_span(text, len)) < len) {
		if (text_json_member(text, len, bad, name, sizeof(name)))
			http_problemf(rq, 400, "field \"%s\" is not UTF-8 text:"
			    " byte %zu of the body is no part of a UTF-8"
			    " character", name, bad + 1);
		else
			http_problemf(rq, 400, "the body is not UTF-8 text:"
			    " byte %zu is no part of a UTF-8 character",
			    bad + 1);
		return;
	}
	/* jansson decodes a string once it read its closing quote. */
	if (strstr(jerr->text, "invalid Unicode") != NULL &&
	    jerr->position > 0 && text_json_member(text, len,
	    (size_t)jerr->position - 1, name, sizeof(name))) {
		http_problemf(rq, 400, "field \"%s\" is not UTF-8 text: %s",
		    name, jerr->text);
		return;
	}
	http_problemf(rq, 400, "malformed JSON at line %d, column %d: %s",
	    jerr->line, jerr->column, jerr->text);
}

/* A string member of the body; missing is an error when required.  Answers on error. */
int
req_string(struct req *rq, const char *name, int required, const char **out)
{
	json_t	*v = json_object_get(rq->rq_body, name);

	if (out != NULL)
		*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		http_problemf(rq, 400, "missing field \"%s\"", name);
		return -1;
	}
	if (!json_is_string(v)) {
		http_problemf(rq, 400, "field \"%s\" must be a string", name);
		return -1;
	}
	if (out != NULL)
		*out = json_string_value(v);
	return 0;
}

/*
 * A string member of free text (limits.h): at most max bytes, never cut
 * to fit; missing is an error when required.  Answers on error.
 */
int
req_free_text(struct req *rq, const char *name, int required,
    size_t max)
{
	const char	*s;
	char		 err[256];

	if (req_string(rq, name, required, &s) == -1)
		return -1;
	if (s != NULL && text_check(name, s, max, err, sizeof(err)) == -1) {
		http_problemf(rq, 400, "%s", err);
		return -1;
	}
	return 0;
}

/* A true-or-false member of the body, false when missing.  Answers on error. */
int
req_bool(struct req *rq, const char *name, int *out)
{
	json_t	*v = json_object_get(rq->rq_body, name);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		http_problemf(rq, 400, "field \"%s\" must be true or false",
		    name);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

/*
 * The query string, through the one parser every endpoint shares
 * (head_query): a parameter not in allowed, given twice, or with a control
 * character or spaces around its value is answered 400, naming it.
 */
int
req_query(struct req *rq, const char *const *allowed, struct evkeyvalq *q)
{
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(rq->rq_http);
	char			 err[256];

	if (head_query(uri ? evhttp_uri_get_query(uri) : NULL, allowed, q,
	    err, sizeof(err)) == -1) {
		http_problemf(rq, 400, "%s", err);
		return -1;
	}
	return 0;
}

/* A parameter of q, answered 400 and -1 when it is required and missing. */
int
req_param(struct req *rq, struct evkeyvalq *q, const char *name,
    int required, const char **out)
{
	if ((*out = evhttp_find_header(q, name)) == NULL && required) {
		http_problemf(rq, 400, "missing query parameter \"%s\"", name);
		return -1;
	}
	return 0;
}

/*
 * The filters of a list or a view (team, workflow, state, kind), checked
 * against what termijnd knows (engine_filter_check): a value that names
 * nothing is answered 400, with the name most likely meant, before
 * anything is read.
 */
int
req_filters(struct req *rq, struct evkeyvalq *q)
{
	struct filter_names	fn;
	struct engine_error	ee;

	fn.fn_team = evhttp_find_header(q, "team");
	fn.fn_workflow = evhttp_find_header(q, "workflow");
	fn.fn_state = evhttp_find_header(q, "state");
	fn.fn_kind = evhttp_find_header(q, "kind");
	if (engine_filter_check(rq->rq_d->d_engine, &rq->rq_actor, &fn,
	    &ee) == -1) {
		engine_problem(rq, &ee, 0);
		http_answer(rq);
		return -1;
	}
	return 0;
}

int
engine_status_http(int status)
{
	switch (status) {
	case ENGINE_OK:
		return 200;
	case ENGINE_EINVAL:
		return 400;
	case ENGINE_ENOTFOUND:
		return 404;
	case ENGINE_ECONFLICT:
		return 409;
	case ENGINE_EFORBIDDEN:
		return 403;
	case ENGINE_EBASIS:
		return 422;
	case ENGINE_EFULL:
		return 503;
	default:
		return 500;
	}
}

/*
 * Every error goes out through here, as application/problem+json.
 * req_problem sets the answer without sending it (writes send after commit).
 */
void
http_problem(struct req *rq, int status, const char *detail, json_t *extra)
{
	req_problem(rq, status, detail, extra);
	http_answer(rq);
}

void
req_problem(struct req *rq, int status, const char *detail, json_t *extra)
{
	json_t	*o;
	char	*text;

	text = xstrdup(detail);
	utf8_scrub(text);
	o = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank",
	    "title", _(reason(status)), "status", status, "detail", text);
	free(text);
	if (o == NULL)
		fatalx("json_pack failed for a problem document");
	if (extra != NULL) {
		json_object_update(o, extra);
		json_decref(extra);
	}
	req_json(rq, status, o);
	if (status >= 500)
		log_warnx("%d: %s", status, detail);
}

void
http_problemf(struct req *rq, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	 detail[512];

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	http_problem(rq, status, detail, NULL);
}

void
http_json(struct req *rq, int status, json_t *o)
{
	req_json(rq, status, o);
	http_answer(rq);
}

void
req_json(struct req *rq, int status, json_t *o)
{
	rq->rq_status = status;
	free(rq->rq_answer);
	/*
	 * 15 significant digits: a figure rounded to two decimals (the
	 * report's) reads 5.42, not the 5.4199999999999999 of jansson's 17.
	 */
	rq->rq_answer = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (rq->rq_answer == NULL)
		fatalx("json_dumps failed");
}

/* Send rq_status and rq_answer, then forget the request. */
void
http_answer(struct req *rq)
{
	struct evkeyvalq	*out;
	struct evbuffer		*buf;
	char			 len[32];

	out = evhttp_request_get_output_headers(rq->rq_http);
	evhttp_add_header(out, "Content-Type", rq->rq_status >= 400 ?
	    "application/problem+json" : rq->rq_ctype ? rq->rq_ctype :
	    "application/json");
	evhttp_add_header(out, "Cache-Control", "no-store");
	http_version_header(rq);
	evhttp_add_header(out, "Content-Language", i18n_lang_name(rq->rq_lang));
	evhttp_add_header(out, "Vary", "Accept-Language");
	if (rq->rq_location != NULL)
		evhttp_add_header(out, "Location", rq->rq_location);
	if (rq->rq_status < 400 && rq->rq_link != NULL)
		evhttp_add_header(out, "Link", rq->rq_link);
	/* A calendar feed that left deadlines out says how many it holds. */
	if (rq->rq_status < 400 && rq->rq_capped > 0) {
		snprintf(len, sizeof(len), "%d", rq->rq_capped);
		evhttp_add_header(out, "Termijn-Feed-Capped", len);
	}
	if (rq->rq_status < 400 && rq->rq_filename != NULL) {
		char	disp[128];

		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
		    rq->rq_filename);
		evhttp_add_header(out, "Content-Disposition", disp);
	}
	if (rq->rq_reqid[0] != '\0')
		evhttp_add_header(out, "X-Request-Id", rq->rq_reqid);
	/* Unavailable for now (a full disk, the read log, a stop). */
	if (rq->rq_status == 503)
		evhttp_add_header(out, "Retry-After", RETRY_AFTER);
	if ((buf = evbuffer_new()) == NULL)
		fatalx("evbuffer_new failed");
	if (rq->rq_answer != NULL)
		evbuffer_add(buf, rq->rq_answer, strlen(rq->rq_answer));
	/* JSON ends its line; a text answer (CSV, a document) is as it is. */
	if (rq->rq_answer == NULL || rq->rq_ctype == NULL || rq->rq_status >= 400)
		evbuffer_add(buf, "\n", 1);
	rq->rq_d->d_metrics.m_requests[rq->rq_status >= 100 &&
	    rq->rq_status < 600 ? rq->rq_status / 100 - 1 : 5]++;
	/*
	 * HEAD: the headers GET would get, with the length of the body it
	 * would get, and no body (evhttp would send one, and leave out the
	 * length, so that a client reads the body as the next answer).
	 */
	if (rq->rq_head) {
		snprintf(len, sizeof(len), "%zu", evbuffer_get_length(buf));
		evhttp_add_header(out, "Content-Length", len);
		evbuffer_drain(buf, evbuffer_get_length(buf));
	}
	evhttp_send_reply(rq->rq_http, rq->rq_status, reason(rq->rq_status),
	    buf);
	evbuffer_free(buf);
	req_free(rq);
}

/*
 * Every answer names the API's full version (the NL API Design Rules,
 * API-57): the info.version of the OpenAPI document termijnd serves.
 */
void
http_version_header(struct req *rq)
{
	evhttp_add_header(evhttp_request_get_output_headers(rq->rq_http),
	    "API-Version", openapi_version);
}

/*
 * The language of the answer: what Accept-Language asks for, else the
 * configured one.  Messages are in it from here until the answer goes.
 */
void
req_language(struct req *rq)
{
	const char	*h;

	h = evhttp_find_header(evhttp_request_get_input_headers(rq->rq_http),
	    "Accept-Language");
	rq->rq_lang = i18n_negotiate(h, rq->rq_d->d_conf.cf_lang);
	i18n_use(rq->rq_lang);
}

void
req_free(struct req *rq)
{
	if (rq == NULL)
		return;
	/* Outside a request (the scheduler, a log line): the configured. */
	i18n_use(rq->rq_d->d_conf.cf_lang);
	json_decref(rq->rq_body);
	free(rq->rq_idem_key);
	free(rq->rq_answer);
	free(rq->rq_location);
	free(rq->rq_link);
	free(rq);
}

/*
 * Whether the client asks for CSV (Accept: text/csv) rather than JSON:
 * whichever of the two its Accept header names first, skipping any it
 * refuses with q=0.
 */
int
req_wants_csv(struct req *rq)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(rq->rq_http);
	const char		*accept = evhttp_find_header(h, "Accept");
	char			*list, *range, *save, *param, *psave, *type;
	int			 csv = 0, refused;

	if (accept == NULL)
		return 0;
	list = xstrdup(accept);
	for (range = strtok_r(list, ",", &save); range != NULL;
	    range = strtok_r(NULL, ",", &save)) {
		type = strtok_r(range, ";", &psave);
		type += strspn(type, " \t");
		type[strcspn(type, " \t")] = '\0';
		refused = 0;
		while ((param = strtok_r(NULL, ";", &psave)) != NULL) {
			param += strspn(param, " \t");
			if (strncasecmp(param, "q=", 2) == 0 &&
			    strtod(param + 2, NULL) <= 0)
				refused = 1;
		}
		if (refused)
			continue;
		if (strcasecmp(type, "text/csv") == 0) {
			csv = 1;
			break;
		}
		if (strcasecmp(type, "application/json") == 0)
			break;
	}
	free(list);
	return csv;
}

/*
 * Answer a list as CSV (csv.c): a header row of the columns, then each of
 * items; filename is what a browser saves it as.
 */
void
req_csv(struct req *rq, const struct csv_column *cols, size_t ncols,
    const json_t *items, const char *filename)
{
	const json_t	*o;
	FILE		*fp;
	char		*text = NULL;
	size_t		 len = 0, i;

	if ((fp = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	csv_head(fp, cols, ncols);
	json_array_foreach(items, i, o)
		csv_row(fp, cols, ncols, o);
	if (fclose(fp) != 0)
		fatal("writing CSV");
	req_text(rq, 200, text, "text/csv; charset=utf-8", filename);
}

/* An answer that is not JSON: text is taken over. */
void
req_text(struct req *rq, int status, char *text, const char *ctype,
    const char *filename)
{
	rq->rq_status = status;
	free(rq->rq_answer);
	rq->rq_answer = text;
	rq->rq_ctype = ctype;
	rq->rq_filename = filename;
}

/*
 * The Link to a list's next page (RFC 8288), for answers without a body of
 * their own to hold next_cursor (CSV): the request's own path and query,
 * with the cursor given.
 */
void
req_next_link(struct req *rq, const char *cursor)
{
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(rq->rq_http);
	const char		*path = evhttp_uri_get_path(uri);
	const char		*qs = evhttp_uri_get_query(uri);
	char			*q, *part, *save, *kept, *tmp;

	free(rq->rq_link);
	rq->rq_link = NULL;
	if (cursor == NULL)
		return;
	kept = xstrdup("");
	q = xstrdup(qs ? qs : "");
	for (part = strtok_r(q, "&", &save); part != NULL;
	    part = strtok_r(NULL, "&", &save)) {
		if (strncmp(part, "cursor=", 7) == 0)
			continue;
		xasprintf(&tmp, "%s%s&", kept, part);
		free(kept);
		kept = tmp;
	}
	xasprintf(&rq->rq_link, "<%s?%scursor=%s>; rel=\"next\"", path, kept,
	    cursor);
	free(kept);
	free(q);
}
