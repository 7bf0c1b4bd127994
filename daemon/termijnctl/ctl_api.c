/* termijn: termijnctl's side of the HTTP API, over libcurl. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "termijn/text.h"
#include "termijn/util.h"

#include "ctl.h"

#ifndef TERMIJN_VERSION
#define TERMIJN_VERSION "unknown"
#endif

/* Longer answers are refused rather than held: a page is at most 500 cases. */
#define CTL_MAX_BODY	(64 * 1024 * 1024)

struct ctl_api {
	CURL	*ca_curl;
	char	*ca_url;	/* without a trailing slash */
	char	*ca_auth;	/* the Authorization header; never printed */
	char	*ca_purpose;	/* the Read-Purpose header, or NULL */
	char	*ca_lang;	/* the Accept-Language header, or NULL */
	char	 ca_reqbase[32];	/* "termijnctl-" and 16 random hex digits */
	unsigned ca_reqseq;
	char	 ca_reqid[64];	/* the X-Request-Id of the last request */
	long	 ca_timeout_ms;
	char	 ca_errbuf[CURL_ERROR_SIZE];
};

struct ctl_buf {
	char	*b_data;
	size_t	 b_len;
	size_t	 b_cap;
	int	 b_toobig;
};

static size_t	 write_cb(char *, size_t, size_t, void *);
static size_t	 header_cb(char *, size_t, size_t, void *);
static int	 request(struct ctl_api *, const char *, const char *,
		    const json_t *, const char *, int, struct ctl_reply *);
static void	 link_next(struct ctl_reply *, const char *, size_t);
static void	 transport_error(struct ctl_api *, CURLcode,
		    const struct ctl_buf *);

/*
 * url must be http:// or https://; token may be NULL for the one request
 * that needs none.  A token with a control character or a space would split
 * the header it travels in, so it is refused, without being echoed.
 * purpose, when given, goes with every request as Read-Purpose: why the
 * reads are done, for the read log (ctl_api_purpose_valid).  lang, when
 * given ("nl"), goes as Accept-Language: the language termijnd answers
 * in; without it, the language termijnd is configured to speak.
 */
struct ctl_api *
ctl_api_new(const char *url, const char *token, const char *purpose,
    const char *lang, long timeout_ms, char *err, size_t errlen)
{
	struct ctl_api	*ca = NULL;
	const char	*p;
	unsigned char	 rnd[8];
	size_t		 len;

	if (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0) {
		snprintf(err, errlen, _("%s: the URL must start with http:// or"
		    " https://"), url);
		goto fail;
	}
	for (p = url; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			snprintf(err, errlen, "%s", _("the URL has a space or a"
			    " control character"));
			goto fail;
		}
	}
	if (token != NULL) {
		if (*token == '\0') {
			snprintf(err, errlen, "%s", _("the token is empty"));
			goto fail;
		}
		for (p = token; *p != '\0'; p++) {
			if ((unsigned char)*p <= ' ' || *p == 0x7f) {
				snprintf(err, errlen, "%s", _("the token has a"
				    " space or a control character"));
				goto fail;
			}
		}
	}

	ca = xcalloc(1, sizeof(*ca));
	ca->ca_url = xstrdup(url);
	len = strlen(ca->ca_url);
	while (len > 0 && ca->ca_url[len - 1] == '/')
		ca->ca_url[--len] = '\0';
	if (token != NULL)
		xasprintf(&ca->ca_auth, "Authorization: Bearer %s", token);
	if (purpose != NULL)
		xasprintf(&ca->ca_purpose, "Read-Purpose: %s", purpose);
	if (lang != NULL)
		xasprintf(&ca->ca_lang, "Accept-Language: %s", lang);
	ca->ca_timeout_ms = timeout_ms;
	/*
	 * Every request carries an id of this run's own, which termijnd keeps
	 * with each read it logs: a read can be traced to the command that made
	 * it, and a command can find its own reads in the log.
	 */
	if (getentropy(rnd, sizeof(rnd)) == -1) {
		snprintf(err, errlen, _("cannot make a request id: %s"),
		    strerror(errno));
		goto fail;
	}
	snprintf(ca->ca_reqbase, sizeof(ca->ca_reqbase), "termijnctl-"
	    "%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3],
	    rnd[4], rnd[5], rnd[6], rnd[7]);
	if ((ca->ca_curl = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "%s", _("cannot initialise libcurl"));
		goto fail;
	}
	return ca;

fail:
	ctl_api_free(ca);
	return NULL;
}

void
ctl_api_free(struct ctl_api *ca)
{
	if (ca == NULL)
		return;
	if (ca->ca_curl != NULL)
		curl_easy_cleanup(ca->ca_curl);
	if (ca->ca_auth != NULL) {
		explicit_bzero(ca->ca_auth, strlen(ca->ca_auth));
		free(ca->ca_auth);
	}
	free(ca->ca_purpose);
	free(ca->ca_lang);
	free(ca->ca_url);
	free(ca);
}

/*
 * A read purpose travels in a header, which termijnd keeps as printable
 * ASCII of at most CTL_PURPOSE_MAX bytes: anything else is refused here
 * rather than changed there.
 */
int
ctl_api_purpose_valid(const char *purpose)
{
	const char	*p;

	for (p = purpose; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return p > purpose && p - purpose <= CTL_PURPOSE_MAX &&
	    purpose[0] != ' ';
}

int
ctl_api_text(const struct ctl_cmd *cmd, const char *opt, const char *value,
    size_t max)
{
	char	err[256];

	if (value == NULL || text_check(opt, value, max, err, sizeof(err)) == 0)
		return CTL_EXIT_OK;
	return ctl_usage_error(cmd, "%s", err);
}

const char *
ctl_api_url(const struct ctl_api *ca)
{
	return ca->ca_url;
}

/* The X-Request-Id the last request went with ("" before the first). */
const char *
ctl_api_request_id(const struct ctl_api *ca)
{
	return ca->ca_reqid;
}

/*
 * One request.  Any answer the server gives, error statuses included,
 * returns 0 with the status and the parsed body in cr; the caller decides
 * what a status means.  -1 means there was no usable answer, and the reason
 * was printed: no connection, a timeout, an answer too long, or a success
 * whose body is not JSON.
 */
int
ctl_api_request(struct ctl_api *ca, const char *method, const char *path,
    const json_t *body, const char *idem_key, struct ctl_reply *cr)
{
	return request(ca, method, path, body, idem_key, 0, cr);
}

/*
 * GET path as CSV: a success leaves the bytes as they came in cr_text and
 * the next page's path (from the Link header) in cr_next; a refusal is a
 * problem in cr_json, as ctl_api_request gives it.
 */
int
ctl_api_csv(struct ctl_api *ca, const char *path, struct ctl_reply *cr)
{
	return request(ca, "GET", path, NULL, NULL, 1, cr);
}

static int
request(struct ctl_api *ca, const char *method, const char *path,
    const json_t *body, const char *idem_key, int csv, struct ctl_reply *cr)
{
	struct curl_slist	*hdrs = NULL, *h;
	struct ctl_buf		 buf;
	json_error_t		 jerr;
	CURLcode		 rc;
	char			*url = NULL, *payload = NULL, *idem = NULL;
	char			 reqid[96];
	int			 ret = -1;

	memset(cr, 0, sizeof(*cr));
	memset(&buf, 0, sizeof(buf));
	xasprintf(&url, "%s%s", ca->ca_url, path);

	/* Reset drops the last request's options but keeps its connection. */
	curl_easy_reset(ca->ca_curl);
	ca->ca_errbuf[0] = '\0';
	curl_easy_setopt(ca->ca_curl, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(ca->ca_curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(ca->ca_curl, CURLOPT_PROTOCOLS,
	    CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
	curl_easy_setopt(ca->ca_curl, CURLOPT_ERRORBUFFER, ca->ca_errbuf);
	curl_easy_setopt(ca->ca_curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(ca->ca_curl, CURLOPT_TIMEOUT_MS, ca->ca_timeout_ms);
	curl_easy_setopt(ca->ca_curl, CURLOPT_CONNECTTIMEOUT_MS,
	    ca->ca_timeout_ms < 10000 ? ca->ca_timeout_ms : 10000L);
	curl_easy_setopt(ca->ca_curl, CURLOPT_USERAGENT,
	    "termijnctl/" TERMIJN_VERSION);
	curl_easy_setopt(ca->ca_curl, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(ca->ca_curl, CURLOPT_WRITEDATA, &buf);
	curl_easy_setopt(ca->ca_curl, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(ca->ca_curl, CURLOPT_HEADERDATA, cr);

	if ((h = curl_slist_append(hdrs, csv ?
	    "Accept: text/csv, application/problem+json" :
	    "Accept: application/json, application/problem+json")) == NULL)
		fatalx("out of memory");
	hdrs = h;
	if (ca->ca_lang != NULL) {
		if ((h = curl_slist_append(hdrs, ca->ca_lang)) == NULL)
			fatalx("out of memory");
		hdrs = h;
	}
	if (ca->ca_auth != NULL) {
		if ((h = curl_slist_append(hdrs, ca->ca_auth)) == NULL)
			fatalx("out of memory");
		hdrs = h;
	}
	snprintf(ca->ca_reqid, sizeof(ca->ca_reqid), "%s-%u", ca->ca_reqbase,
	    ++ca->ca_reqseq);
	snprintf(reqid, sizeof(reqid), "X-Request-Id: %s", ca->ca_reqid);
	if ((h = curl_slist_append(hdrs, reqid)) == NULL)
		fatalx("out of memory");
	hdrs = h;
	if (ca->ca_purpose != NULL) {
		if ((h = curl_slist_append(hdrs, ca->ca_purpose)) == NULL)
			fatalx("out of memory");
		hdrs = h;
	}
	if (idem_key != NULL) {
		xasprintf(&idem, "Idempotency-Key: %s", idem_key);
		if ((h = curl_slist_append(hdrs, idem)) == NULL)
			fatalx("out of memory");
		hdrs = h;
	}
	if (body != NULL) {
		if ((payload = json_dumps(body, JSON_COMPACT)) == NULL)
			fatalx("cannot encode JSON");
		if ((h = curl_slist_append(hdrs,
		    "Content-Type: application/json")) == NULL)
			fatalx("out of memory");
		hdrs = h;
		/* No "Expect: 100-continue" round trip for a small body. */
		if ((h = curl_slist_append(hdrs, "Expect:")) == NULL)
			fatalx("out of memory");
		hdrs = h;
		curl_easy_setopt(ca->ca_curl, CURLOPT_POSTFIELDS, payload);
		curl_easy_setopt(ca->ca_curl, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(payload));
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
		curl_easy_setopt(ca->ca_curl, CURLOPT_CUSTOMREQUEST, method);
	else if (strcmp(method, "POST") == 0 && body == NULL) {
		/* An empty body, not libcurl's default of reading stdin. */
		curl_easy_setopt(ca->ca_curl, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(ca->ca_curl, CURLOPT_POSTFIELDSIZE, 0L);
	}
	curl_easy_setopt(ca->ca_curl, CURLOPT_HTTPHEADER, hdrs);

	if ((rc = curl_easy_perform(ca->ca_curl)) != CURLE_OK) {
		transport_error(ca, rc, &buf);
		goto fail;
	}
	curl_easy_getinfo(ca->ca_curl, CURLINFO_RESPONSE_CODE, &cr->cr_status);

	if (csv && cr->cr_status >= 200 && cr->cr_status < 300) {
		cr->cr_text = buf.b_data;
		cr->cr_len = buf.b_len;
		buf.b_data = NULL;
	} else if (buf.b_len > 0) {
		cr->cr_json = json_loadb(buf.b_data, buf.b_len, 0, &jerr);
		if (cr->cr_json == NULL && cr->cr_status >= 200 &&
		    cr->cr_status < 300) {
			ctl_warnx(_("%s: the answer is not JSON: %s"),
			    ca->ca_url, jerr.text);
			goto fail;
		}
	}
	ret = 0;

fail:
	if (ret == -1)
		ctl_reply_clear(cr);
	curl_slist_free_all(hdrs);
	free(buf.b_data);
	free(payload);
	free(idem);
	free(url);
	return ret;
}

void
ctl_reply_clear(struct ctl_reply *cr)
{
	json_decref(cr->cr_json);
	cr->cr_json = NULL;
	free(cr->cr_text);
	cr->cr_text = NULL;
	cr->cr_len = 0;
	free(cr->cr_next);
	cr->cr_next = NULL;
}

/* Percent-encoding for a query value: everything but RFC 3986 unreserved. */
char *
ctl_api_escape(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*out, *o;

	out = o = xreallocarray(NULL, strlen(s) + 1, 3);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			*o++ = *p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct ctl_buf	*b = arg;
	size_t		 n = size * nmemb, cap;

	if (n > CTL_MAX_BODY - b->b_len) {
		b->b_toobig = 1;
		return 0;	/* curl gives up with CURLE_WRITE_ERROR */
	}
	if (b->b_len + n > b->b_cap) {
		cap = b->b_cap == 0 ? 8192 : b->b_cap;
		while (cap < b->b_len + n)
			cap *= 2;
		b->b_data = xreallocarray(b->b_data, cap, 1);
		b->b_cap = cap;
	}
	memcpy(b->b_data + b->b_len, data, n);
	b->b_len += n;
	return n;
}

/*
 * Keeps the reason phrase of the last status line (a 100 Continue comes
 * first sometimes) and whether the body is a problem.
 */
static size_t
header_cb(char *data, size_t size, size_t nitems, void *arg)
{
	struct ctl_reply	*cr = arg;
	size_t			 n = size * nitems, i, j;
	const char		*ct = "content-type:", *link = "link:";

	if (n > 5 && strncmp(data, "HTTP/", 5) == 0) {
		cr->cr_reason[0] = '\0';
		cr->cr_problem = 0;
		/* "HTTP/1.1 409 Conflict\r\n": skip two words. */
		for (i = 0; i < n && data[i] != ' '; i++)
			;
		for (i++; i < n && data[i] != ' '; i++)
			;
		for (i++, j = 0; i < n && data[i] != '\r' && data[i] != '\n' &&
		    j + 1 < sizeof(cr->cr_reason); i++)
			cr->cr_reason[j++] = data[i];
		cr->cr_reason[j] = '\0';
	} else if (n > strlen(link) && strncasecmp(data, link,
	    strlen(link)) == 0)
		link_next(cr, data + strlen(link), n - strlen(link));
	else if (n > strlen(ct) && strncasecmp(data, ct, strlen(ct)) == 0) {
		for (i = strlen(ct); i < n && data[i] == ' '; i++)
			;
		cr->cr_problem = n - i >= 24 &&
		    strncasecmp(data + i, "application/problem+json", 24) == 0;
	}
	return n;
}

/*
 * The next page of a list, from "Link: <http://host/v1/x?...>; rel="next"":
 * its path and query, which the next request puts after the base URL.
 */
static void
link_next(struct ctl_reply *cr, const char *v, size_t n)
{
	const char	*lt, *gt, *p;

	if ((lt = memchr(v, '<', n)) == NULL ||
	    (gt = memchr(lt, '>', n - (lt - v))) == NULL ||
	    memmem(gt, n - (gt - v), "rel=\"next\"", 10) == NULL)
		return;
	/* From "/v1/": termijnd gives the path, a proxy may add more. */
	if ((p = memmem(lt, gt - lt, "/v1/", 4)) == NULL)
		return;
	free(cr->cr_next);
	xasprintf(&cr->cr_next, "%.*s", (int)(gt - p), p);
}

/* Says what went wrong in words a person acts on, naming the URL. */
static void
transport_error(struct ctl_api *ca, CURLcode rc, const struct ctl_buf *b)
{
	long		 oserr = 0, secs;
	const char	*why;

	why = ca->ca_errbuf[0] != '\0' ? ca->ca_errbuf : curl_easy_strerror(rc);
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(ca->ca_curl, CURLINFO_OS_ERRNO, &oserr);
		ctl_warnx(_("cannot connect to termijnd at %s: %s (is it"
		    " running? --url or TERMIJN_URL say where it listens)"),
		    ca->ca_url, oserr != 0 ? strerror((int)oserr) : why);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		ctl_warnx(_("%s: unknown host"), ca->ca_url);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		secs = (ca->ca_timeout_ms + 999) / 1000;
		ctl_warnx(P_("%s: no answer within %ld second (--timeout)",
		    "%s: no answer within %ld seconds (--timeout)", secs),
		    ca->ca_url, secs);
		break;
	case CURLE_WRITE_ERROR:
		if (b->b_toobig) {
			ctl_warnx(_("%s: the answer is longer than %d bytes"),
			    ca->ca_url, CTL_MAX_BODY);
			break;
		}
		/* FALLTHROUGH */
	default:
		fprintf(stderr, "termijnctl: %s: %s\n", ca->ca_url, why);
		break;
	}
}
