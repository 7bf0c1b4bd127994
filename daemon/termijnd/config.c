/* termijn: termijnd's settings, from defaults and a YAML file. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <yaml.h>

#include "termijn/calendar.h"
#include "termijn/name.h"
#include "termijn/paths.h"
#include "termijn/role.h"

#include "termijnd.h"

#define CONFIG_MAX_SIZE	(64 * 1024)
#define SECRET_MIN	16		/* bytes of a webhook's secret, at least */
#define SECRET_MAX	4096
#define URL_MAX		2048

/* A key's type says what the member at its offset is. */
enum ctype {
	C_STRING,	/* char *, allocated */
	C_SIZE,		/* size_t, a whole number */
	C_INT,		/* int, a whole number */
	C_SECONDS,	/* double */
	C_FACILITY,	/* int, a syslog facility */
	C_SECTION,	/* a mapping of keys of its own */
	C_DATES,	/* cf_closures and cf_nclosures */
	C_DECREE,	/* int: 1 to refuse, 0 to warn */
	C_LANG,		/* int: an enum i18n_lang */
	C_BOOL,		/* int: true or false */
	C_WEBHOOKS,	/* cf_webhooks: a list of mappings of their own keys */
	C_NAME,		/* char *, a team's name */
	C_ROLE,		/* char *, a role termijn knows */
	C_URL,		/* char *, http:// or https://, no user or password */
	C_SECRET,	/* char *, an absolute path; the secret read from it */
	C_SOURCE,	/* char *, printable ASCII without spaces */
};

/*
 * The known keys: a section ("" for the top level), a key, its type, where
 * it goes, and its bounds.  Anything else in the file is an error.  The
 * keys of section "webhooks" are those of each item of that list, and go
 * into a struct webhook_conf rather than the struct config.
 */
static const struct ckey {
	const char	*ck_section;
	const char	*ck_key;
	enum ctype	 ck_type;
	size_t		 ck_offset;
	double		 ck_min;
	double		 ck_max;
} ckeys[] = {
	{ "", "listen", C_STRING, offsetof(struct config, cf_listen), 0, 0 },
	{ "", "db", C_STRING, offsetof(struct config, cf_db), 0, 0 },
	{ "", "workflows", C_STRING, offsetof(struct config, cf_workflows),
	    0, 0 },
	{ "", "timezone", C_STRING, offsetof(struct config, cf_timezone),
	    0, 0 },
	{ "", "language", C_LANG, offsetof(struct config, cf_lang), 0, 0 },
	{ "", "pidfile", C_STRING, offsetof(struct config, cf_pidfile), 0, 0 },
	{ "", "syslog_facility", C_FACILITY,
	    offsetof(struct config, cf_facility), 0, 0 },
	{ "", "http", C_SECTION, 0, 0, 0 },
	{ "", "scheduler", C_SECTION, 0, 0, 0 },
	{ "", "calendar", C_SECTION, 0, 0, 0 },
	{ "http", "max_body", C_SIZE, offsetof(struct config, cf_max_body),
	    64, 1024 * 1024 },
	{ "http", "max_headers", C_SIZE,
	    offsetof(struct config, cf_max_headers), 1024, 64 * 1024 },
	{ "http", "idle_timeout", C_INT,
	    offsetof(struct config, cf_idle_timeout), 1, 3600 },
	{ "http", "request_timeout", C_INT,
	    offsetof(struct config, cf_request_timeout), 1, 3600 },
	{ "http", "max_connections", C_SIZE,
	    offsetof(struct config, cf_max_connections), 1, 1000000 },
	{ "scheduler", "batch", C_SIZE, offsetof(struct config, cf_batch),
	    1, 10000 },
	{ "scheduler", "recheck_interval", C_SECONDS,
	    offsetof(struct config, cf_recheck), 0.001, 30 },
	{ "scheduler", "batch_time", C_SECONDS,
	    offsetof(struct config, cf_batch_time), 0.001, 10 },
	{ "scheduler", "prepare_ahead", C_SECONDS,
	    offsetof(struct config, cf_ahead), 0, 60 },
	{ "calendar", "decree_file", C_STRING,
	    offsetof(struct config, cf_decree_file), 0, 0 },
	/* The one list: it fills cf_closures and cf_nclosures. */
	{ "calendar", "closure_days", C_DATES, 0, 0, 0 },
	{ "calendar", "decree_missing", C_DECREE,
	    offsetof(struct config, cf_decree_refuse), 0, 0 },
	{ "", "audit", C_SECTION, 0, 0, 0 },
	{ "audit", "verify_on_start", C_BOOL,
	    offsetof(struct config, cf_audit_verify), 0, 0 },
	{ "audit", "anchor_interval", C_SECONDS,
	    offsetof(struct config, cf_anchor_interval), 60, 7 * 86400 },
	{ "", "retention", C_SECTION, 0, 0, 0 },
	{ "retention", "sweep_interval", C_SECONDS,
	    offsetof(struct config, cf_retention_interval), 60, 7 * 86400 },
	{ "retention", "batch", C_SIZE,
	    offsetof(struct config, cf_retention_batch), 1, 1000 },
	{ "retention", "scrub_timeout", C_SECONDS,
	    offsetof(struct config, cf_scrub_timeout), 1, 7 * 86400 },
	{ "", "webhooks", C_WEBHOOKS, 0, 0, 0 },
	{ "webhooks", "team", C_NAME, offsetof(struct webhook_conf, wh_team),
	    0, 0 },
	{ "webhooks", "role", C_ROLE, offsetof(struct webhook_conf, wh_role),
	    0, 0 },
	{ "webhooks", "url", C_URL, offsetof(struct webhook_conf, wh_url),
	    0, 0 },
	{ "webhooks", "secret_file", C_SECRET,
	    offsetof(struct webhook_conf, wh_secret_file), 0, 0 },
	{ "", "notifier", C_SECTION, 0, 0, 0 },
	{ "notifier", "attempts", C_INT,
	    offsetof(struct config, cf_hook_attempts), 1, 100 },
	{ "notifier", "backoff", C_SECONDS,
	    offsetof(struct config, cf_hook_backoff), 0.001, 86400 },
	{ "notifier", "backoff_max", C_SECONDS,
	    offsetof(struct config, cf_hook_backoff_max), 0.001, 7 * 86400 },
	{ "notifier", "timeout", C_SECONDS,
	    offsetof(struct config, cf_hook_timeout), 0.1, 600 },
	{ "notifier", "in_flight", C_INT,
	    offsetof(struct config, cf_hook_in_flight), 1, 256 },
	{ "notifier", "source", C_SOURCE,
	    offsetof(struct config, cf_hook_source), 0, 0 },
};

static void	 config_mapping(struct config *, void *, yaml_document_t *,
		    yaml_node_t *, const char *, const char *, struct errlist *);
static void	 config_value(struct config *, void *, const struct ckey *,
		    yaml_document_t *, yaml_node_t *, const char *,
		    struct errlist *);
static int	 config_text(const struct ckey *, const char *, const char *,
		    int, int, struct errlist *);
static void	 config_webhooks(struct config *, yaml_document_t *,
		    yaml_node_t *, const char *, struct errlist *);
static void	 config_secret(struct webhook_conf *, const char *,
		    const char *, int, int, struct errlist *);
static void	 webhook_free(struct webhook_conf *);
static void	 config_dates(struct config *, const struct ckey *,
		    yaml_document_t *, yaml_node_t *, const char *,
		    struct errlist *);

void
config_defaults(struct config *cf)
{
	memset(cf, 0, sizeof(*cf));
	cf->cf_listen = xstrdup("127.0.0.1:8470");
	cf->cf_db = paths_state_file("termijn.db");
	cf->cf_workflows = paths_data_file("workflows");
	cf->cf_timezone = xstrdup("Europe/Amsterdam");
	cf->cf_facility = LOG_DAEMON;
	cf->cf_max_body = 64 * 1024;
	cf->cf_max_headers = 8 * 1024;
	cf->cf_idle_timeout = 30;
	cf->cf_request_timeout = 20;
	cf->cf_max_connections = 1000;
	cf->cf_batch = 512;
	cf->cf_recheck = 30;
	cf->cf_ahead = 5;
	cf->cf_batch_time = 0.01;
	cf->cf_anchor_interval = 3600;
	cf->cf_retention_interval = 86400;
	cf->cf_retention_batch = 100;
	cf->cf_scrub_timeout = 3600;
	cf->cf_hook_attempts = 15;
	cf->cf_hook_backoff = 5;
	cf->cf_hook_backoff_max = 3600;
	cf->cf_hook_timeout = 10;
	cf->cf_hook_in_flight = 16;
}

void
config_free(struct config *cf)
{
	free(cf->cf_listen);
	free(cf->cf_db);
	free(cf->cf_workflows);
	free(cf->cf_timezone);
	free(cf->cf_decree_file);
	free(cf->cf_closures);
	free(cf->cf_pidfile);
	free(cf->cf_hook_source);
	for (size_t i = 0; i < cf->cf_nwebhooks; i++)
		webhook_free(&cf->cf_webhooks[i]);
	free(cf->cf_webhooks);
	memset(cf, 0, sizeof(*cf));
}

/* A webhook's strings, and its secret wiped before it is freed. */
static void
webhook_free(struct webhook_conf *wh)
{
	free(wh->wh_team);
	free(wh->wh_role);
	free(wh->wh_url);
	free(wh->wh_secret_file);
	if (wh->wh_secret != NULL)
		explicit_bzero(wh->wh_secret, wh->wh_secret_len);
	free(wh->wh_secret);
	memset(wh, 0, sizeof(*wh));
}

/*
 * A value of a key, written where the key says in base: the struct config,
 * or, for the keys of a webhook, that webhook.
 */
static void
config_value(struct config *cf, void *base, const struct ckey *ck,
    yaml_document_t *doc, yaml_node_t *n, const char *path,
    struct errlist *errs)
{
	char		*p = (char *)base + ck->ck_offset, *end;
	const char	*v;
	double		 x;
	int		 line = (int)n->start_mark.line + 1;
	int		 col = (int)n->start_mark.column + 1;

	if (ck->ck_type == C_DATES) {
		config_dates(cf, ck, doc, n, path, errs);
		return;
	}
	if (ck->ck_type == C_WEBHOOKS) {
		config_webhooks(cf, doc, n, path, errs);
		return;
	}
	if (n->type != YAML_SCALAR_NODE) {
		errlist_add(errs, "%s:%d:%d: %s must be a single value", path,
		    line, col, ck->ck_key);
		return;
	}
	v = (const char *)n->data.scalar.value;
	switch (ck->ck_type) {
	case C_STRING:
	case C_NAME:
	case C_ROLE:
	case C_URL:
	case C_SECRET:
	case C_SOURCE:
		if (config_text(ck, v, path, line, col, errs) == -1)
			return;
		free(*(char **)p);
		*(char **)p = xstrdup(v);
		if (ck->ck_type == C_SECRET)
			config_secret(base, v, path, line, col, errs);
		break;
	case C_BOOL:
		if (strcmp(v, "true") == 0)
			*(int *)p = 1;
		else if (strcmp(v, "false") == 0)
			*(int *)p = 0;
		else
			errlist_add(errs, "%s:%d:%d: %s must be true or false,"
			    " not \"%.32s\"", path, line, col, ck->ck_key, v);
		break;
	case C_DECREE:
		if (strcmp(v, "warn") == 0)
			*(int *)p = 0;
		else if (strcmp(v, "refuse") == 0)
			*(int *)p = 1;
		else
			errlist_add(errs, "%s:%d:%d: decree_missing must be warn"
			    " or refuse, not \"%.32s\"", path, line, col, v);
		break;
	case C_LANG:
		if ((*(int *)p = i18n_parse(v)) == -1)
			errlist_add(errs, "%s:%d:%d: language must be nl or en,"
			    " not \"%.32s\"", path, line, col, v);
		break;
	case C_FACILITY:
		if ((*(int *)p = log_facility_parse(v)) == -1)
			errlist_add(errs, "%s:%d:%d: unknown syslog facility"
			    " \"%s\" (daemon, user, local0 .. local7)", path,
			    line, col, v);
		break;
	case C_SIZE:
	case C_INT:
	case C_SECONDS:
		errno = 0;
		x = strtod(v, &end);
		if (errno != 0 || end == v || *end != '\0' || !isfinite(x) ||
		    (ck->ck_type != C_SECONDS && x != floor(x))) {
			errlist_add(errs, "%s:%d:%d: %s must be a %s, not \"%s\"",
			    path, line, col, ck->ck_key,
			    ck->ck_type == C_SECONDS ? "number of seconds" :
			    "whole number", v);
			return;
		}
		if (x < ck->ck_min || x > ck->ck_max) {
			errlist_add(errs, "%s:%d:%d: %s must be from %g to %g",
			    path, line, col, ck->ck_key, ck->ck_min, ck->ck_max);
			return;
		}
		/* The bounds keep x within the member's type. */
		if (ck->ck_type == C_SECONDS)
			*(double *)p = x;
		else if (ck->ck_type == C_INT)
			*(int *)p = (int)x;
		else
			*(size_t *)p = (size_t)x;
		break;
	case C_SECTION:
	case C_DATES:
	case C_WEBHOOKS:
		break;
	}
}

/* A string value as its type wants it; -1 when it is not, said why. */
static int
config_text(const struct ckey *ck, const char *v, const char *path, int line,
    int col, struct errlist *errs)
{
	const char	*host, *s;

	if (*v == '\0') {
		errlist_add(errs, "%s:%d:%d: %s is empty", path, line, col,
		    ck->ck_key);
		return -1;
	}
	switch (ck->ck_type) {
	case C_NAME:
		if (name_valid(v))
			return 0;
		errlist_add(errs, "%s:%d:%d: %s \"%.64s\" is not a team's name:"
		    " 1 to 64 characters from A-Z a-z 0-9 . _ / -, starting with"
		    " a letter or digit", path, line, col, ck->ck_key, v);
		return -1;
	case C_ROLE:
		if (role_valid(v))
			return 0;
		errlist_add(errs, "%s:%d:%d: unknown role \"%.32s\" (caseworker,"
		    " youth_worker, enforcement, supervisor, ...)", path, line,
		    col, v);
		return -1;
	case C_URL:
	case C_SOURCE:
		for (s = v; *s != '\0'; s++)
			if (*s <= ' ' || *s >= 0x7f)
				break;
		if (*s != '\0' || strlen(v) > URL_MAX) {
			errlist_add(errs, "%s:%d:%d: %s must be printable ASCII"
			    " without spaces, at most %d characters", path, line,
			    col, ck->ck_key, URL_MAX);
			return -1;
		}
		if (ck->ck_type == C_SOURCE)
			return 0;
		if (strncmp(v, "http://", 7) == 0)
			host = v + 7;
		else if (strncmp(v, "https://", 8) == 0)
			host = v + 8;
		else {
			errlist_add(errs, "%s:%d:%d: url \"%.64s\" must start with"
			    " https:// or http://", path, line, col, v);
			return -1;
		}
		if (*host == '\0' || *host == '/' || *host == ':' ||
		    *host == '?' || *host == '#') {
			errlist_add(errs, "%s:%d:%d: url \"%.64s\" names no host",
			    path, line, col, v);
			return -1;
		}
		if ((s = strchr(host, '@')) != NULL &&
		    s < host + strcspn(host, "/?#")) {
			errlist_add(errs, "%s:%d:%d: url must not hold a user or"
			    " password; the secret goes in secret_file", path,
			    line, col);
			return -1;
		}
		return 0;
	case C_SECRET:
		if (*v == '/')
			return 0;
		errlist_add(errs, "%s:%d:%d: secret_file \"%.64s\" must be an"
		    " absolute path", path, line, col, v);
		return -1;
	default:
		return 0;
	}
}

/*
 * A webhook's secret: the bytes of its file without the line break at the
 * end.  Only a regular file is opened (a fuzzed or mistyped path to a
 * device must not be), and one that anybody may read is refused.  The
 * secret is never logged; errors name the file, not what it holds.
 */
static void
config_secret(struct webhook_conf *wh, const char *file, const char *path,
    int line, int col, struct errlist *errs)
{
	unsigned char	 buf[SECRET_MAX + 1];
	struct stat	 sb;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd = -1;

	if (stat(file, &sb) == -1) {
		errlist_add(errs, "%s:%d:%d: secret_file %s: %s", path, line,
		    col, file, strerror(errno));
		return;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > SECRET_MAX) {
		errlist_add(errs, "%s:%d:%d: secret_file %s is not a file of at"
		    " most %d bytes", path, line, col, file, SECRET_MAX);
		return;
	}
	if (sb.st_mode & S_IROTH) {
		errlist_add(errs, "%s:%d:%d: secret_file %s may be read by"
		    " anyone: chmod o-rwx it", path, line, col, file);
		return;
	}
	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
	    -1) {
		errlist_add(errs, "%s:%d:%d: secret_file %s: %s", path, line,
		    col, file, strerror(errno));
		return;
	}
	while (len < sizeof(buf) && (n = read(fd, buf + len,
	    sizeof(buf) - len)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			errlist_add(errs, "%s:%d:%d: secret_file %s: %s", path,
			    line, col, file, strerror(errno));
			goto done;
		}
		len += (size_t)n;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if (len < SECRET_MIN || len > SECRET_MAX) {
		errlist_add(errs, "%s:%d:%d: secret_file %s must hold %d to %d"
		    " bytes (openssl rand -hex 32 makes one)", path, line, col,
		    file, SECRET_MIN, SECRET_MAX);
		goto done;
	}
	if (wh->wh_secret != NULL)
		explicit_bzero(wh->wh_secret, wh->wh_secret_len);
	free(wh->wh_secret);
	wh->wh_secret = xmalloc(len);
	memcpy(wh->wh_secret, buf, len);
	wh->wh_secret_len = len;
done:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
}

/*
 * webhooks: a list of mappings, each a team, a role, a url and a
 * secret_file, and no team and role twice.  A later file's list replaces
 * an earlier one.
 */
static void
config_webhooks(struct config *cf, yaml_document_t *doc, yaml_node_t *n,
    const char *path, struct errlist *errs)
{
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	struct webhook_conf	 wh;
	size_t			 i, before;
	int			 line, col, complete;

	if (n->type != YAML_SEQUENCE_NODE) {
		errlist_add(errs, "%s:%d:%d: webhooks must be a list of"
		    " mappings, each with team, role, url and secret_file",
		    path, (int)n->start_mark.line + 1,
		    (int)n->start_mark.column + 1);
		return;
	}
	for (i = 0; i < cf->cf_nwebhooks; i++)
		webhook_free(&cf->cf_webhooks[i]);
	free(cf->cf_webhooks);
	cf->cf_webhooks = NULL;
	cf->cf_nwebhooks = 0;
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if ((item = yaml_document_get_node(doc, *it)) == NULL)
			continue;
		line = (int)item->start_mark.line + 1;
		col = (int)item->start_mark.column + 1;
		memset(&wh, 0, sizeof(wh));
		before = errs->el_count;
		config_mapping(cf, &wh, doc, item, "webhooks", path, errs);
		complete = wh.wh_team != NULL && wh.wh_role != NULL &&
		    wh.wh_url != NULL && wh.wh_secret_file != NULL;
		if (errs->el_count == before && !complete)
			errlist_add(errs, "%s:%d:%d: a webhook needs team, role,"
			    " url and secret_file", path, line, col);
		for (i = 0; complete && errs->el_count == before &&
		    i < cf->cf_nwebhooks; i++)
			if (strcmp(cf->cf_webhooks[i].wh_team, wh.wh_team) ==
			    0 && strcmp(cf->cf_webhooks[i].wh_role,
			    wh.wh_role) == 0)
				errlist_add(errs, "%s:%d:%d: a second webhook for"
				    " team %s and role %s", path, line, col,
				    wh.wh_team, wh.wh_role);
		if (errs->el_count != before) {
			webhook_free(&wh);
			continue;
		}
		cf->cf_webhooks = xreallocarray(cf->cf_webhooks,
		    cf->cf_nwebhooks + 1, sizeof(*cf->cf_webhooks));
		cf->cf_webhooks[cf->cf_nwebhooks++] = wh;
	}
}

/*
 * A list of dates, [2026-12-24, 2026-12-31] or one "- 2026-12-24" a line:
 * each item is checked where it stands, so that every bad one is named.
 */
static void
config_dates(struct config *cf, const struct ckey *ck, yaml_document_t *doc,
    yaml_node_t *n, const char *path, struct errlist *errs)
{
	yaml_node_item_t	*it;
	yaml_node_t		*item;
	struct cal_date		 cd;
	const char		*v;
	char			 err[128];

	if (n->type != YAML_SEQUENCE_NODE) {
		errlist_add(errs, "%s:%d:%d: %s must be a list of dates, such as"
		    " [2026-12-24, 2026-12-31]", path,
		    (int)n->start_mark.line + 1, (int)n->start_mark.column + 1,
		    ck->ck_key);
		return;
	}
	free(cf->cf_closures);
	cf->cf_closures = NULL;
	cf->cf_nclosures = 0;
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if ((item = yaml_document_get_node(doc, *it)) == NULL)
			continue;
		if (item->type != YAML_SCALAR_NODE) {
			errlist_add(errs, "%s:%d:%d: %s: each item must be a "
			    "date YYYY-MM-DD, not a list or mapping", path,
			    (int)item->start_mark.line + 1,
			    (int)item->start_mark.column + 1, ck->ck_key);
			continue;
		}
		v = (const char *)item->data.scalar.value;
		if (cal_date_parse_err(v, &cd, err, sizeof(err)) == -1) {
			errlist_add(errs, "%s:%d:%d: %s: %s", path,
			    (int)item->start_mark.line + 1,
			    (int)item->start_mark.column + 1, ck->ck_key, err);
			continue;
		}
		cf->cf_closures = xreallocarray(cf->cf_closures,
		    cf->cf_nclosures + 1, sizeof(*cf->cf_closures));
		cf->cf_closures[cf->cf_nclosures++] = cd;
	}
}

static void
config_mapping(struct config *cf, void *base, yaml_document_t *doc,
    yaml_node_t *map, const char *section, const char *path,
    struct errlist *errs)
{
	yaml_node_pair_t	*pair, *other;
	yaml_node_t		*k, *v, *k2;
	const struct ckey	*ck;
	size_t			 i;

	if (map->type != YAML_MAPPING_NODE) {
		errlist_add(errs, "%s:%d:%d: %s must be a mapping", path,
		    (int)map->start_mark.line + 1,
		    (int)map->start_mark.column + 1,
		    strcmp(section, "webhooks") == 0 ? "each webhook" :
		    *section ? section : "the configuration");
		return;
	}
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(doc, pair->key);
		v = yaml_document_get_node(doc, pair->value);
		if (k == NULL || v == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			errlist_add(errs, "%s:%d:%d: keys must be names", path,
			    (int)k->start_mark.line + 1,
			    (int)k->start_mark.column + 1);
			continue;
		}
		for (other = map->data.mapping.pairs.start; other < pair;
		    other++) {
			k2 = yaml_document_get_node(doc, other->key);
			if (k2 != NULL && k2->type == YAML_SCALAR_NODE &&
			    strcmp((char *)k2->data.scalar.value,
			    (char *)k->data.scalar.value) == 0)
				break;
		}
		if (other < pair) {
			errlist_add(errs, "%s:%d:%d: duplicate key \"%s\"", path,
			    (int)k->start_mark.line + 1,
			    (int)k->start_mark.column + 1,
			    (char *)k->data.scalar.value);
			continue;
		}
		ck = NULL;
		for (i = 0; i < nitems(ckeys); i++)
			if (strcmp(ckeys[i].ck_section, section) == 0 &&
			    strcmp(ckeys[i].ck_key,
			    (char *)k->data.scalar.value) == 0)
				ck = &ckeys[i];
		if (ck == NULL) {
			errlist_add(errs, "%s:%d:%d: unknown key \"%s\"%s%s",
			    path, (int)k->start_mark.line + 1,
			    (int)k->start_mark.column + 1,
			    (char *)k->data.scalar.value, *section ? " in " : "",
			    section);
			continue;
		}
		if (ck->ck_type == C_SECTION)
			config_mapping(cf, base, doc, v, ck->ck_key, path,
			    errs);
		else
			config_value(cf, base, ck, doc, v, path, errs);
	}
}

/* Read a configuration file over the defaults; every error is reported. */
int
config_load(struct config *cf, const char *path, struct errlist *errs)
{
	yaml_parser_t	 parser;
	yaml_document_t	 doc;
	yaml_node_t	*root;
	FILE		*f;
	size_t		 before = errs->el_count;
	long		 size;

	if ((f = fopen(path, "rb")) == NULL) {
		errlist_add(errs, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) == -1 || (size = ftell(f)) < 0 ||
	    size > CONFIG_MAX_SIZE || fseek(f, 0, SEEK_SET) == -1) {
		errlist_add(errs, "%s: not a readable file of at most %d bytes",
		    path, CONFIG_MAX_SIZE);
		fclose(f);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		errlist_add(errs, "%s:%d:%d: %s", path,
		    (int)parser.problem_mark.line + 1,
		    (int)parser.problem_mark.column + 1,
		    parser.problem ? parser.problem : "malformed YAML");
		yaml_parser_delete(&parser);
		fclose(f);
		return -1;
	}
	if ((root = yaml_document_get_root_node(&doc)) != NULL)
		config_mapping(cf, cf, &doc, root, "", path, errs);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(f);
	return errs->el_count == before ? 0 : -1;
}
