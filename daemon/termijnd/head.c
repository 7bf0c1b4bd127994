/* termijn: the head of a request and its query, read as RFC 9112 has them. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "termijn/quote.h"
#include "termijn/utf8.h"

#include "termijnd.h"

/*
 * termijnd reads a request's head here before libevent sees any of it
 * (conn.c holds it back until it is complete), because libevent 2.1 decides
 * too leniently or too late: it takes the first of two Content-Length
 * headers, keeps a header value up to a NUL and drops the rest, folds
 * obsolete continuation lines, reads a body that a proxy in front may have
 * framed otherwise, and answers what it refuses with HTML or not at all.
 * Here every framing ambiguity is refused, with the status RFC 9110 and
 * 9112 name, so that termijnd and any proxy in front can only agree on
 * where a request ends: a body has a Content-Length or is absent, never
 * chunked.
 */

/* The methods libevent knows; any other is answered 501. */
static const struct {
	const char	*hm_name;
	int		 hm_nobody;	/* libevent reads no body for it */
} head_methods[] = {
	{ "GET", 0 }, { "POST", 0 }, { "HEAD", 1 }, { "PUT", 0 },
	{ "DELETE", 0 }, { "OPTIONS", 0 }, { "TRACE", 1 }, { "CONNECT", 0 },
	{ "PATCH", 0 },
};

static int	 head_tchar(int);
static int	 head_target_char(int);
static int	 head_hex(int);
static int	 head_dot_segment(const char *, const char *);
static int	 head_fail(int *, char *, size_t, int, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
static int	 head_field(const char *, size_t, const char *);
static char	*head_decode(const char *, size_t, size_t *);

/*
 * Where the head at the start of buf ends: just after the empty line that
 * closes it ("\r\n\r\n", or with bare "\n" line ends), or 0 while it is not
 * complete.  *scanned remembers how far earlier calls looked.
 */
size_t
head_length(const char *buf, size_t len, size_t *scanned)
{
	size_t	i = *scanned > 2 ? *scanned - 2 : 0;

	for (; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	*scanned = len;
	return 0;
}

/*
 * Check a complete head (the request line through the empty line) and fill
 * hd.  Returns 0, or -1 with the status to answer and a detail that names
 * what is wrong.
 */
int
head_parse(const char *buf, size_t len, size_t max_body, struct head *hd,
    int *status, char *err, size_t errlen)
{
	const char	*line, *end, *sp1, *sp2, *colon, *v, *ve, *p;
	char		 quoted[QUOTE_LEN], cl[QUOTE_LEN] = "";
	size_t		 i, n, nhost = 0, nauth = 0, ncl = 0, nte = 0;
	int		 minor = -1, nobody = 0, lineno;

	memset(hd, 0, sizeof(*hd));
	for (i = 0; i < len; i++)
		if (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n'))
			return head_fail(status, err, errlen, 400, _("the"
			    " request's head has a carriage return that does"
			    " not end a line"));
	for (lineno = 0, line = buf; line < buf + len; line = end + 1,
	    lineno++) {
		end = memchr(line, '\n', buf + len - line);
		if (end == NULL)
			end = buf + len;	/* not reached: head_length */
		n = end - line;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n == 0)
			break;		/* the empty line that ends the head */
		if (lineno == 0) {
			/* method SP request-target SP HTTP-version */
			if ((sp1 = memchr(line, ' ', n)) == NULL ||
			    (sp2 = memchr(sp1 + 1, ' ', line + n - sp1 - 1)) ==
			    NULL || memchr(sp2 + 1, ' ', line + n - sp2 - 1) !=
			    NULL || sp1 == line || sp2 == sp1 + 1)
				return head_fail(status, err, errlen, 400,
				    _("malformed request line: expected METHOD"
				    " /path HTTP/1.1"));
			for (i = 0; i < nitems(head_methods); i++)
				if (strlen(head_methods[i].hm_name) ==
				    (size_t)(sp1 - line) && memcmp(line,
				    head_methods[i].hm_name, sp1 - line) == 0)
					break;
			if (i == nitems(head_methods))
				return head_fail(status, err, errlen, 501,
				    _("method \"%s\" is not implemented"),
				    quote_input(line, sp1 - line, quoted,
				    sizeof(quoted)));
			nobody = head_methods[i].hm_nobody;
			hd->hd_head = strcmp(head_methods[i].hm_name,
			    "HEAD") == 0;
			if (sp1[1] != '/')
				return head_fail(status, err, errlen, 400,
				    _("the request target must be a path that"
				    " starts with '/'"));
			for (p = sp1 + 1; p < sp2; p++) {
				if (!head_target_char((unsigned char)*p))
					return head_fail(status, err, errlen,
					    400, _("the request target has"
					    " a character that must"
					    " be percent-encoded"));
				if (*p == '%' && (sp2 - p < 3 ||
				    !head_hex((unsigned char)p[1]) ||
				    !head_hex((unsigned char)p[2])))
					return head_fail(status, err, errlen,
					    400, _("the request target has a"
					    " '%%' not followed by two"
					    " hex digits"));
				if (*p == '?')
					break;
				/* A proxy may have resolved it otherwise. */
				if (*p == '/' && head_dot_segment(p + 1, sp2))
					return head_fail(status, err, errlen,
					    400, _("the path has a \".\" or"
					    " \"..\" segment"));
			}
			n -= sp2 + 1 - line;
			p = sp2 + 1;
			if (n == 8 && memcmp(p, "HTTP/1.", 7) == 0 &&
			    (p[7] == '0' || p[7] == '1'))
				minor = p[7] - '0';
			else if (n == 8 && memcmp(p, "HTTP/", 5) == 0 &&
			    p[5] >= '0' && p[5] <= '9' && p[6] == '.' &&
			    p[7] >= '0' && p[7] <= '9')
				return head_fail(status, err, errlen, 505,
				    _("HTTP/%c.%c is not supported; termijnd"
				    " speaks HTTP/1.1 (and 1.0)"), p[5], p[7]);
			else
				return head_fail(status, err, errlen, 400,
				    _("malformed request line: expected METHOD"
				    " /path HTTP/1.1"));
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t')
			return head_fail(status, err, errlen, 400, _("a header"
			    " line continued on the next (obsolete line"
			    " folding) is not accepted"));
		if ((colon = memchr(line, ':', n)) == NULL)
			return head_fail(status, err, errlen, 400, _("a header"
			    " line without a colon"));
		for (p = line; p < colon; p++)
			if (!head_tchar((unsigned char)*p))
				break;
		if (p < colon && (*p == ' ' || *p == '\t') && p > line)
			return head_fail(status, err, errlen, 400,
			    _("whitespace between the header name \"%s\" and"
			    " its colon"), quote_input(line, p - line, quoted,
			    sizeof(quoted)));
		if (p < colon || colon == line)
			return head_fail(status, err, errlen, 400, _("malformed"
			    " header name \"%s\""), quote_input(line,
			    colon - line, quoted, sizeof(quoted)));
		for (v = colon + 1; v < line + n && (*v == ' ' || *v == '\t');
		    v++)
			;
		for (ve = line + n; ve > v && (ve[-1] == ' ' ||
		    ve[-1] == '\t'); ve--)
			;
		for (p = v; p < ve; p++) {
			if ((unsigned char)*p >= 0x20 && *p != 0x7f)
				continue;
			if (*p == '\t')
				continue;
			/* libevent would keep the token up to a NUL. */
			if (head_field(line, colon - line, "Authorization"))
				return head_fail(status, err, errlen, 401,
				    _("the Authorization header has a"
				    " control character"));
			return head_fail(status, err, errlen, 400, _("the"
			    " header \"%s\" has a control character"),
			    quote_input(line, colon - line, quoted,
			    sizeof(quoted)));
		}
		if (head_field(line, colon - line, "Host"))
			nhost++;
		else if (head_field(line, colon - line, "Authorization")) {
			if (++nauth > 1)
				return head_fail(status, err, errlen, 401,
				    _("more than one Authorization header"));
		} else if (head_field(line, colon - line, "Transfer-Encoding"))
			nte++;
		else if (head_field(line, colon - line, "Expect")) {
			if ((size_t)(ve - v) != strlen("100-continue") ||
			    strncasecmp(v, "100-continue", ve - v) != 0)
				return head_fail(status, err, errlen, 417,
				    _("Expect \"%s\" is not supported (only"
				    " 100-continue)"), quote_input(v, ve - v,
				    quoted, sizeof(quoted)));
		} else if (head_field(line, colon - line, "Content-Length")) {
			quote_input(v, ve - v, quoted, sizeof(quoted));
			if (++ncl > 1)
				return head_fail(status, err, errlen, 400,
				    _("Content-Length is given more than once"
				    " (\"%s\" and \"%s\")"), cl, quoted);
			snprintf(cl, sizeof(cl), "%s", quoted);
			if (ve == v || ve - v > 18)
				return head_fail(status, err, errlen, 400,
				    _("Content-Length \"%s\" is not"
				    " a number of bytes"), quoted);
			for (p = v; p < ve; p++) {
				if (*p < '0' || *p > '9')
					return head_fail(status, err, errlen,
					    400, _("Content-Length \"%s\" is"
					    " not a number of bytes"), quoted);
				hd->hd_length = hd->hd_length * 10 + (*p - '0');
			}
		}
	}
	if (minor == -1)
		return head_fail(status, err, errlen, 400, _("malformed request"
		    " line: expected METHOD /path HTTP/1.1"));
	if (nte > 0 && ncl > 0)
		return head_fail(status, err, errlen, 400, _("Content-Length"
		    " and Transfer-Encoding together"));
	if (nte > 0)
		return head_fail(status, err, errlen, 411, _("send the body"
		    " with a Content-Length; Transfer-Encoding is"
		    " not accepted"));
	if (nhost > 1)
		return head_fail(status, err, errlen, 400, _("more than one"
		    " Host header"));
	if (nhost == 0 && minor == 1)
		return head_fail(status, err, errlen, 400, _("an HTTP/1.1"
		    " request needs a Host header"));
	if (nobody && hd->hd_length > 0)
		return head_fail(status, err, errlen, 400, _("this method takes"
		    " no body, but Content-Length is %lld"),
		    (long long)hd->hd_length);
	if ((uint64_t)hd->hd_length > max_body)
		return head_fail(status, err, errlen, 413, _("the body has %lld"
		    " bytes; at most %zu are allowed"),
		    (long long)hd->hd_length, max_body);
	return 0;
}

/*
 * Parse a query string (NULL or "" for none) into q: each name in allowed
 * at most once, percent-decoded ('+' is a space), with a value of UTF-8
 * text that has no control character (a NUL too) and no spaces around
 * it.  Returns 0, or -1 with a detail that names the parameter in err.
 */
int
head_query(const char *qs, const char *const *allowed, struct evkeyvalq *q,
    char *err, size_t errlen)
{
	const char	*p, *amp, *eq;
	char		*key = NULL, *value = NULL, quoted[QUOTE_LEN];
	size_t		 i, klen, vlen;
	int		 st;

	TAILQ_INIT(q);
	for (p = qs; p != NULL && *p != '\0'; p = *amp ? amp + 1 : amp) {
		amp = p + strcspn(p, "&");
		if ((eq = memchr(p, '=', amp - p)) == NULL)
			eq = amp;
		quote_input(p, eq - p, quoted, sizeof(quoted));
		if (eq == p) {
			head_fail(&st, err, errlen, 400, _("malformed query"
			    " string: a parameter without a name"));
			goto fail;
		}
		if ((key = head_decode(p, eq - p, &klen)) == NULL ||
		    (value = head_decode(eq + (eq < amp), amp - eq -
		    (eq < amp), &vlen)) == NULL) {
			head_fail(&st, err, errlen, 400, _("query parameter"
			    " \"%s\" has a '%%' not followed by two"
			    " hex digits"), quoted);
			goto fail;
		}
		quote_input(key, klen, quoted, sizeof(quoted));
		for (i = 0; allowed[i] != NULL; i++)
			if (strlen(allowed[i]) == klen &&
			    memcmp(key, allowed[i], klen) == 0)
				break;
		if (allowed[i] == NULL) {
			head_fail(&st, err, errlen, 400, _("unknown query"
			    " parameter \"%s\""), quoted);
			goto fail;
		}
		if (evhttp_find_header(q, key) != NULL) {
			head_fail(&st, err, errlen, 400, _("query parameter"
			    " \"%s\" is given more than once"), quoted);
			goto fail;
		}
		for (i = 0; i < vlen; i++)
			if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
				break;
		if (i < vlen) {
			head_fail(&st, err, errlen, 400, _("query parameter"
			    " \"%s\" has a control character"), quoted);
			goto fail;
		}
		if (utf8_span(value, vlen) != vlen) {
			head_fail(&st, err, errlen, 400, _("query parameter"
			    " \"%s\" is not UTF-8 text"), quoted);
			goto fail;
		}
		if (vlen > 0 && (value[0] == ' ' || value[vlen - 1] == ' ')) {
			head_fail(&st, err, errlen, 400, _("query parameter"
			    " \"%s\" has spaces around its value"), quoted);
			goto fail;
		}
		if (evhttp_add_header(q, key, value) == -1) {
			head_fail(&st, err, errlen, 400, _("query parameter"
			    " \"%s\" cannot be read"), quoted);
			goto fail;
		}
		free(key);
		free(value);
		key = value = NULL;
	}
	return 0;

fail:
	free(key);
	free(value);
	evhttp_clear_headers(q);
	return -1;
}

/* RFC 9110 tchar: the characters of a method or a header name. */
static int
head_tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~",
	    c) != NULL);
}

/* What RFC 3986 allows in a path and query, unencoded. */
static int
head_target_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("-._~!$&'()*+,;=:@/?%", c) != NULL);
}

static int
head_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/*
 * Whether the path segment at p (up to the next '/', '?' or end) is "." or
 * "..", a dot written as '.' or "%2e".
 */
static int
head_dot_segment(const char *p, const char *end)
{
	int	dots = 0;

	while (p < end && *p != '/' && *p != '?') {
		if (*p == '.')
			p++;
		else if (end - p >= 3 && p[0] == '%' && p[1] == '2' &&
		    (p[2] == 'e' || p[2] == 'E'))
			p += 3;
		else
			return 0;
		dots++;
	}
	return dots == 1 || dots == 2;
}

/* Whether the header name (n bytes at name) is want, in any case. */
static int
head_field(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/*
 * n bytes of a query's name or value, percent-decoded and with '+' as a
 * space, NUL-terminated, its length (NULs inside count) in *len; NULL
 * when a '%' is not followed by two hex digits.
 */
static char *
head_decode(const char *s, size_t n, size_t *len)
{
	char	*out = xmalloc(n + 1), hex[3] = "";
	size_t	 i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			out[o++] = ' ';
		else if (s[i] != '%')
			out[o++] = s[i];
		else if (i + 2 < n && head_hex((unsigned char)s[i + 1]) &&
		    head_hex((unsigned char)s[i + 2])) {
			hex[0] = s[i + 1];
			hex[1] = s[i + 2];
			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			free(out);
			return NULL;
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

static int
head_fail(int *status, char *err, size_t errlen, int code, const char *fmt,
    ...)
{
	va_list	ap;

	*status = code;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
