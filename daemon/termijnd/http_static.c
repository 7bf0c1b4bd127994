/* termijn: the dashboard's files, served as shipped, under / and /static/. */

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "termijn/paths.h"

#include "termijnd.h"

/*
 * The dashboard is a handful of files (web/ in the source tree) that
 * termijn installs in share/termijn/web and termijnd serves as they are:
 * GET / is its index.html, GET /static/NAME any other file of it.  Only a
 * name of one path segment (the route allows letters, digits and "._-",
 * starting with a letter or digit) with a known extension is served, and
 * only a regular file directly in that directory: no listing, no
 * subdirectories, no links, nothing outside it.  The file is read from
 * disk on every request; it is small and in the page cache, and an
 * upgraded termijn's page is what the next request gets.
 *
 * Every file goes out with a Content-Security-Policy that lets the page
 * load only its own files (no inline script or style, no other origin,
 * no framing), and with an ETag and Last-Modified, so that a browser
 * revalidates (Cache-Control: no-cache) and gets a 304 instead of the file
 * again.  The ETag is made of the size and modification time, like
 * nginx's: a new install changes both.
 */
#define STATIC_DIR	"web"
#define STATIC_INDEX	"index.html"
#define STATIC_MAX	(4 * 1024 * 1024)

static const char static_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self';"
    " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none';"
    " base-uri 'none'; form-action 'self'";

static const struct {
	const char	*st_ext;
	const char	*st_type;
} static_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
};

static void		 static_send(struct req *, const char *);
static const char	*static_type(const char *);
static void		 static_http_date(time_t, char *, size_t);
static int		 static_fresh(struct req *, const char *, const char *);

/* GET /: the dashboard. */
void
http_static_index(struct req *rq)
{
	static_send(rq, STATIC_INDEX);
}

/* GET /static/NAME: a file the dashboard loads. */
void
http_static_file(struct req *rq)
{
	static_send(rq, rq->rq_name);
}

static void
static_send(struct req *rq, const char *name)
{
	struct evkeyvalq	*out;
	struct evbuffer		*buf = NULL;
	struct stat		 sb;
	const char		*ctype;
	char			*dir, etag[80], modified[40];
	int			 dfd = -1, fd = -1, status;

	if ((ctype = static_type(name)) == NULL || strchr(name, '/') != NULL ||
	    name[0] == '.') {
		http_problemf(rq, 404, _("no such file: %s"), name);
		return;
	}
	dir = paths_data_file(STATIC_DIR);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1) {
		log_warn("%s", dir);
		free(dir);
		http_problemf(rq, 404, _("no such file: %s (the dashboard is"
		    " not installed)"), name);
		return;
	}
	free(dir);
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(dfd);
	if (fd == -1 || fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > STATIC_MAX) {
		if (fd != -1)
			close(fd);
		http_problemf(rq, 404, _("no such file: %s"), name);
		return;
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx.%lx\"",
	    (unsigned long long)sb.st_size, (unsigned long long)sb.st_mtim.tv_sec,
	    (unsigned long)sb.st_mtim.tv_nsec);
	static_http_date(sb.st_mtim.tv_sec, modified, sizeof(modified));

	out = evhttp_request_get_output_headers(rq->rq_http);
	evhttp_add_header(out, "Content-Type", ctype);
	evhttp_add_header(out, "Cache-Control", "no-cache");
	evhttp_add_header(out, "ETag", etag);
	evhttp_add_header(out, "Last-Modified", modified);
	evhttp_add_header(out, "Content-Security-Policy", static_csp);
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "X-Frame-Options", "DENY");
	evhttp_add_header(out, "Referrer-Policy", "no-referrer");
	evhttp_add_header(out, "Cross-Origin-Opener-Policy", "same-origin");
	http_version_header(rq);
	if (static_fresh(rq, etag, modified)) {
		close(fd);
		status = 304;
	} else {
		if ((buf = evbuffer_new()) == NULL)
			fatalx("evbuffer_new failed");
		/* The buffer owns fd from here and closes it. */
		if (evbuffer_add_file(buf, fd, 0, sb.st_size) == -1) {
			evbuffer_free(buf);
			http_failf(rq, 500, N_("could not read %s"), name);
			return;
		}
		status = 200;
	}
	rq->rq_d->d_metrics.m_requests[status / 100 - 1]++;
	evhttp_send_reply(rq->rq_http, status, status == 200 ? "OK" :
	    "Not Modified", buf);
	if (buf != NULL)
		evbuffer_free(buf);
	req_free(rq);
}

/*
 * Whether the browser's copy is the file as it is: If-None-Match names
 * its ETag (or "*"), or, without If-None-Match, If-Modified-Since repeats
 * its Last-Modified (browsers send back what they were given; any other
 * date just gets the file again).
 */
static int
static_fresh(struct req *rq, const char *etag, const char *modified)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(rq->rq_http);
	const char		*inm, *ims;

	if ((inm = evhttp_find_header(in, "If-None-Match")) != NULL)
		return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
	if ((ims = evhttp_find_header(in, "If-Modified-Since")) != NULL)
		return strcmp(ims, modified) == 0;
	return 0;
}

/* The Content-Type of a name by its extension; NULL: not served. */
static const char *
static_type(const char *name)
{
	const char	*dot = strrchr(name, '.');
	size_t		 i;

	if (dot == NULL)
		return NULL;
	for (i = 0; i < nitems(static_types); i++)
		if (strcmp(dot, static_types[i].st_ext) == 0)
			return static_types[i].st_type;
	return NULL;
}

/* An HTTP date (RFC 9110 IMF-fixdate), whatever the locale. */
static void
static_http_date(time_t t, char *buf, size_t len)
{
	static const char	*const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char	*const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec"
	};
	struct tm		 tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}
