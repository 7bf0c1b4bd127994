/*
 * termijn: how termijnctl shows the API's objects to people: JSON, a
 * value, a span of time, a deadline's state and due moment, wrapped and
 * safe text, and the lists of the administrator's and the outbox.  The
 * base of the printing: a case is shown by ctl_print_case.c on top of it.
 */

#include <sys/ioctl.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/utf8.h"
#include "termijn/util.h"

#include "ctl.h"

static int		 dl_in_hours(const json_t *);
static void		 add_row(struct ctl_table *, const json_t *,
			    const char *const *, size_t);

/*
 * Pretty-printed, keys in the order the server sent them, UTF-8 as is,
 * numbers as the server wrote them (15 digits: 5.42 stays 5.42): what
 * scripts and jq read.
 */
void
ctl_print_json(FILE *fp, const json_t *j)
{
	char	*s;

	if ((s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))) == NULL)
		fatalx("cannot encode JSON");
	fprintf(fp, "%s\n", s);
	free(s);
}

/*
 * The outbox of webhooks: where each notification goes, how it fared, and
 * when it is tried next (pending) or went through (delivered).
 */
struct ctl_table *
ctl_print_notifications_new(void)
{
	static const char *const head[] = {
		N_("ID"), N_("CASE"), N_("TEAM"), N_("ROLE"), N_("TYPE"),
		N_("STATUS"), N_("ATTEMPTS"), N_("WHEN"), N_("LAST ERROR"),
	};

	return ctl_table_new(nitems(head), head);
}

void
ctl_print_notifications_add(struct ctl_table *t, const json_t *o)
{
	const char	*row[9], *type, *dot;
	char		 id[32], cid[32], attempts[32];

	row[0] = ctl_print_field(o, "id", id, sizeof(id));
	row[1] = ctl_print_field(o, "case", cid, sizeof(cid));
	row[2] = ctl_print_field(o, "team", NULL, 0);
	row[3] = ctl_print_field(o, "role", NULL, 0);
	/* nl.termijn.deadline.passed: the last word says it. */
	type = ctl_print_field(o, "type", NULL, 0);
	row[4] = (dot = strrchr(type, '.')) != NULL ? dot + 1 : type;
	row[5] = ctl_print_field(o, "status", NULL, 0);
	row[6] = ctl_print_field(o, "attempts", attempts, sizeof(attempts));
	row[7] = ctl_print_field(o, json_is_string(json_object_get(o,
	    "delivered_at")) ? "delivered_at" : "next_at", NULL, 0);
	row[8] = ctl_print_field(o, "last_error", NULL, 0);
	ctl_table_add(t, row);
}

/*
 * Columns to wrap notes to: the terminal's when fp is one, else
 * CTL_NOTE_WIDTH, what a mail or a printout holds.
 */
size_t
ctl_print_width(FILE *fp)
{
	struct winsize	ws;

	if (isatty(fileno(fp)) && ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 40)
		return ws.ws_col;
	return CTL_NOTE_WIDTH;
}

/*
 * A note as a person wrote it, made safe to show: it cannot drive the
 * terminal.  Line ends stay (a CR before one goes) and tabs become spaces;
 * every other control character (C0, DEL and C1, where the 8-bit CSI is),
 * the marks that reorder text on the screen (bidirectional overrides and
 * isolates) and the Unicode line and paragraph separators are shown as
 * escapes a reader can see, \x1b or \u202e, and a byte that is not UTF-8
 * as \xff.  Allocated.
 */
char *
ctl_print_safe(const char *s)
{
	const char	*p = s;
	char		*out, *o;
	uint32_t	 cp;
	size_t		 n;

	/* At most four bytes out for each in: \xff for one. */
	out = o = xreallocarray(NULL, strlen(s) + 1, 4);
	while (*p != '\0') {
		if ((n = utf8_decode(p, &cp)) == 0) {
			o += sprintf(o, "\\x%02x", (unsigned char)*p);
			p++;
			continue;
		}
		if (cp == '\r' && p[1] == '\n')
			;
		else if (cp == '\n')
			*o++ = '\n';
		else if (cp == '\t')
			*o++ = ' ';
		else if (cp < 0x20 || cp == 0x7f)
			o += sprintf(o, "\\x%02x", (unsigned)cp);
		else if ((cp >= 0x80 && cp < 0xa0) || cp == 0x061c ||
		    cp == 0x200e || cp == 0x200f ||
		    (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			o += sprintf(o, "\\u%04x", (unsigned)cp);
		else {
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
	return out;
}

/*
 * A note to show under a row: "note: " after indent blanks, then its
 * words wrapped to width, each line after the first lined up under the
 * first word; a line end in the note starts a new line, and blank lines
 * are left out (a blank line separates the parts of what termijnctl
 * prints).  Every line ends in a newline.  NULL when there is no note.
 * Allocated.
 */
char *
ctl_print_note(const char *label, const char *text, size_t indent,
    size_t width)
{
	char	*safe, *para, *word, *psave, *wsave, *out = NULL, *tmp;
	size_t	 lead, col = 0, w;
	int	 first;

	if (text == NULL)
		return NULL;
	safe = ctl_print_safe(text);
	lead = indent + ctl_table_width(label) + 2;
	for (para = strtok_r(safe, "\n", &psave); para != NULL;
	    para = strtok_r(NULL, "\n", &psave)) {
		first = 1;
		for (word = strtok_r(para, " ", &wsave); word != NULL;
		    word = strtok_r(NULL, " ", &wsave)) {
			w = ctl_table_width(word);
			tmp = out;
			if (out == NULL) {
				xasprintf(&out, "%*s%s: %s", (int)indent, "",
				    label, word);
				col = lead + w;
			} else if (first || col + 1 + w > width) {
				xasprintf(&out, "%s\n%*s%s", tmp, (int)lead,
				    "", word);
				col = lead + w;
			} else {
				xasprintf(&out, "%s %s", tmp, word);
				col += 1 + w;
			}
			free(tmp);
			first = 0;
		}
	}
	free(safe);
	if (out == NULL)
		return NULL;
	tmp = out;
	xasprintf(&out, "%s\n", tmp);
	free(tmp);
	return out;
}

/*
 * The workflows new cases get.  States are listed by name, whether the
 * server sends them as names or as objects; the title goes last because
 * it holds spaces.
 */
void
ctl_print_workflows(FILE *fp, json_t *list)
{
	static const char *const head[] = {
		N_("NAME"), N_("VERSION"), N_("START"), N_("STATES"),
		N_("TITLE"),
	};
	struct ctl_table	*t;
	json_t			*wf, *states, *st;
	const char		*row[5];
	char			 version[32], *names = NULL, *tmp;
	const char		*name;
	size_t			 i, j;

	t = ctl_table_new(nitems(head), head);
	json_array_foreach(list, i, wf) {
		names = NULL;
		states = json_object_get(wf, "states");
		if (json_is_object(states)) {
			json_object_foreach(states, name, st) {
				tmp = names;
				xasprintf(&names, "%s%s%s", tmp ? tmp : "",
				    tmp ? "," : "", name);
				free(tmp);
			}
		} else {
			json_array_foreach(states, j, st) {
				if (json_is_object(st))
					st = json_object_get(st, "name");
				if ((name = json_string_value(st)) == NULL)
					continue;
				tmp = names;
				xasprintf(&names, "%s%s%s", tmp ? tmp : "",
				    tmp ? "," : "", name);
				free(tmp);
			}
		}
		row[0] = ctl_print_field(wf, "name", NULL, 0);
		row[1] = ctl_print_field(wf, "version", version,
		    sizeof(version));
		row[2] = ctl_print_field(wf, "start", NULL, 0);
		row[3] = names;
		row[4] = ctl_print_field(wf, "title", NULL, 0);
		ctl_table_add(t, row);
		free(names);
	}
	ctl_table_print(t, fp);
	ctl_table_free(t);
}

/*
 * The workflow files termijnd refused at its last load, and why: on their
 * own lines after the table, for the administrator who ran the command to
 * see whether a reload took.
 */
void
ctl_print_refused(FILE *fp, const json_t *files)
{
	const json_t	*f;
	char		*path, *reason;
	size_t		 i;

	json_array_foreach(files, i, f) {
		if (strcmp(ctl_print_field(f, "status", NULL, 0),
		    "refused") != 0)
			continue;
		path = ctl_table_clean(ctl_print_field(f, "path", NULL, 0));
		reason = ctl_table_clean(ctl_print_field(f, "reason", NULL, 0));
		fputs("termijnctl: ", fp);
		fprintf(fp, _("termijnd refused %s: %s"), path, reason);
		fputc('\n', fp);
		free(path);
		free(reason);
	}
}

/* The teams termijnd knows. */
void
ctl_print_teams(FILE *fp, const json_t *list)
{
	static const char *const head[] = {
		N_("NAME"), N_("TITLE"), N_("ORGANISATION"), N_("CREATED"),
	};
	static const char *const keys[] = {
		"name", "title", "organisation", "created_at",
	};

	ctl_print_list(fp, list, head, keys, nitems(head), 0);
}

/*
 * Tokens, never their secret: who they are, what they may, and whether
 * they still work.  An expiry that passed by this machine's clock says so.
 */
void
ctl_print_tokens(FILE *fp, const json_t *list, int64_t now)
{
	static const char *const head[] = {
		N_("NAME"), N_("DISPLAY NAME"), N_("ROLE"), N_("TEAMS"),
		N_("CREATED"), N_("EXPIRES"), N_("LAST USED"), N_("REVOKED"),
	};
	struct ctl_table	*t;
	const json_t		*tk, *v;
	const char		*row[nitems(head)];
	char			*teams, expires[96];
	int64_t			 at;
	size_t			 i;

	t = ctl_table_new(nitems(head), head);
	json_array_foreach(list, i, tk) {
		teams = ctl_print_joined(json_object_get(tk, "teams"), ",");
		v = json_object_get(tk, "expires_at");
		if (json_is_null(v))
			snprintf(expires, sizeof(expires), "%s", _("never"));
		else if (json_is_string(v) &&
		    cal_parse_time(json_string_value(v), &at) == 0 && at <= now)
			snprintf(expires, sizeof(expires), _("%s (expired)"),
			    ctl_print_field(tk, "expires_at", NULL, 0));
		else
			snprintf(expires, sizeof(expires), "%s",
			    ctl_print_field(tk, "expires_at", NULL, 0));
		row[0] = ctl_print_field(tk, "name", NULL, 0);
		row[1] = ctl_print_field(tk, "display_name", NULL, 0);
		row[2] = ctl_print_field(tk, "role", NULL, 0);
		row[3] = *teams != '\0' ? teams : "-";
		row[4] = ctl_print_field(tk, "created_at", NULL, 0);
		row[5] = expires;
		row[6] = ctl_print_field(tk, "last_used_at", NULL, 0);
		row[7] = ctl_print_field(tk, "revoked_at", NULL, 0);
		ctl_table_add(t, row);
		free(teams);
	}
	ctl_table_print(t, fp);
	ctl_table_free(t);
}

/* Who read a case, a page at a time, as the cases of a list are. */
static const char *const reads_head[] = {
	N_("AT"), N_("TOKEN"), N_("ROLE"), N_("TEAMS"), N_("WHAT"),
	N_("REQUEST"), N_("PURPOSE"),
};

struct ctl_table *
ctl_print_reads_new(void)
{
	return ctl_table_new(nitems(reads_head), reads_head);
}

void
ctl_print_reads_add(struct ctl_table *t, const json_t *rd)
{
	static const char *const keys[] = {
		"at", "token", "role", "teams", "what", "request", "purpose",
	};

	add_row(t, rd, keys, nitems(keys));
}

/* The cases a retention run destroyed, or would. */
void
ctl_print_destroyed(FILE *fp, const json_t *list)
{
	static const char *const head[] = {
		N_("ID"), N_("WORKFLOW"), N_("VERSION"), N_("TEAM"),
		N_("CLOSED AT"),
	};
	static const char *const keys[] = {
		"id", "workflow", "version", "team", "closed_at",
	};

	ctl_print_list(fp, list, head, keys, nitems(head), 0);
}

/* A scalar as text: strings as they are, numbers, yes/no, "-" for null. */
const char *
ctl_print_value(const json_t *j, char *buf, size_t len)
{
	if (j == NULL)
		return "-";
	switch (json_typeof(j)) {
	case JSON_STRING:
		return json_string_value(j);
	case JSON_INTEGER:
		if (buf == NULL)
			return "?";
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(j));
		return buf;
	case JSON_REAL:
		if (buf == NULL)
			return "?";
		snprintf(buf, len, "%g", json_real_value(j));
		return buf;
	case JSON_TRUE:
		return _("yes");
	case JSON_FALSE:
		return _("no");
	default:
		return "-";
	}
}

/*
 * The running deadline that passes first, by overdue_from (or due when that
 * is missing); NULL when none runs, with *suspended set when some are
 * suspended (and none runs).  A suspended deadline has no due moment: the
 * next to pass is one that counts.
 */
const json_t *
ctl_print_next_due(const json_t *dls, int *suspended)
{
	const json_t	*dl, *best = NULL;
	const char	*s;
	int64_t		 at, bestat = 0;
	size_t		 i;
	int		 timed = 0;

	*suspended = 0;
	json_array_foreach(dls, i, dl) {
		if (ctl_print_suspended(dl)) {
			*suspended = 1;
			continue;
		}
		if ((s = json_string_value(json_object_get(dl,
		    "overdue_from"))) == NULL)
			s = json_string_value(json_object_get(dl, "due"));
		if (s == NULL || cal_parse_time(s, &at) == -1) {
			if (best == NULL)
				best = dl;	/* better than nothing */
			continue;
		}
		if (!timed || at < bestat) {
			best = dl;
			bestat = at;
			timed = 1;
		}
	}
	if (best != NULL)
		*suspended = 0;
	return best;
}

/*
 * A stretch of time as people say it, in days and hours: "57 days 13
 * hours", "1 day", "5 hours", "less than 1 hour".  The sign is ignored.
 */
const char *
ctl_print_span(int64_t secs, char *buf, size_t len)
{
	uint64_t	 u, days, hours;
	int		 n = 0;

	u = secs < 0 ? (uint64_t)0 - (uint64_t)secs : (uint64_t)secs;
	days = u / 86400;
	hours = u % 86400 / 3600;
	if (days == 0 && hours == 0) {
		snprintf(buf, len, "%s", _("less than 1 hour"));
		return buf;
	}
	buf[0] = '\0';
	if (days > 0)
		n = snprintf(buf, len, P_("%llu day", "%llu days", days),
		    (unsigned long long)days);
	if (hours > 0 && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " ");
	if (hours > 0 && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, P_("%llu hour", "%llu hours", hours),
		    (unsigned long long)hours);
	return buf;
}

/*
 * Time left to a running deadline: "3 days 2 hours"; "due now" once its
 * moment came, until termijnd has passed it (then it is late, or the case
 * moved on).
 */
const char *
ctl_print_time_left(int64_t secs, char *buf, size_t len)
{
	if (secs > 0)
		return ctl_print_span(secs, buf, len);
	snprintf(buf, len, "%s", _("due now"));
	return buf;
}

/*
 * The whole days a day-granular deadline has left after the day it was
 * suspended on, from the time it had left (to 00:00 after its last day)
 * and the moment it was suspended.  The rest of the day of suspension
 * still counts, and a change to or from summer time in between adds or
 * takes an hour, so the count is rounded: left plus the time of day
 * suspended is a whole number of days, give or take that hour.  -1 when
 * the moment does not parse or the time left is out of range.
 */
int64_t
ctl_print_days_left(int64_t left, const char *since)
{
	int64_t	ms, secs;
	int	off;

	if (left < 0 || left > INT64_MAX / 2 || since == NULL ||
	    cal_parse_timestamp(since, &ms, &off) == -1)
		return -1;
	/* The time of day on the server's clock, as it wrote the moment. */
	secs = ms / 1000 - (ms % 1000 < 0) + off;
	left += (secs % 86400 + 86400) % 86400;
	left = (left + 43200) / 86400 - 1;
	return left < 0 ? 0 : left;
}

/*
 * A line of text from the server, cleaned, after indent blanks, broken at
 * spaces so that no line is wider than width; a line goes on two blanks
 * further in, so that it reads as the same line.  A word wider than the
 * room is not cut: a timestamp or a name cut in two would mislead.
 */
void
ctl_print_wrapped(FILE *fp, const char *text, size_t indent, size_t width)
{
	char	*s, *word, *save;
	size_t	 col = 0, w, i, lead = indent;

	s = ctl_table_clean(text);
	for (word = strtok_r(s, " ", &save); word != NULL;
	    word = strtok_r(NULL, " ", &save)) {
		w = ctl_table_width(word);
		if (col > lead && col + 1 + w > width) {
			fputc('\n', fp);
			col = 0;
			lead = indent + 2;
		}
		if (col == 0) {
			for (i = 0; i < lead; i++)
				fputc(' ', fp);
			col = lead;
		} else {
			fputc(' ', fp);
			col++;
		}
		fputs(word, fp);
		col += w;
	}
	fputc('\n', fp);
	free(s);
}

/*
 * "running", "passed", "suspended since TIME", or for a deadline a
 * simulation shows after its state was left, "stopped"; allocated.
 */
char *
ctl_print_deadline_state(const json_t *dl)
{
	char	*out, buf[32];

	if (ctl_print_suspended(dl))
		xasprintf(&out, _("suspended since %s"), ctl_print_field(dl,
		    "suspended_since", buf, sizeof(buf)));
	else if (json_is_true(json_object_get(dl, "passed")))
		out = xstrdup(_("passed"));
	else if (json_is_true(json_object_get(dl, "stopped")))
		out = xstrdup(_("stopped: the case left its state first"));
	else
		out = xstrdup(_("running"));
	return out;
}

/*
 * When a deadline is due, "2026-04-28, overdue from
 * 2026-04-29T00:00:00+02:00" (a period in hours has one moment for both),
 * or for a suspended one the time it keeps, "suspended, 49 days left";
 * allocated.
 */
char *
ctl_print_deadline_due(const json_t *dl)
{
	const json_t	*left;
	const char	*due, *from;
	char		*out, buf[64], dbuf[32], fbuf[32];
	int64_t		 days;

	if (ctl_print_suspended(dl)) {
		left = json_object_get(dl, "time_left_seconds");
		if (!json_is_integer(left)) {
			out = xstrdup(_("suspended"));
			return out;
		}
		if (json_integer_value(left) <= 0)
			xasprintf(&out, _("suspended, overdue by %s"),
			    ctl_print_span(json_integer_value(left), buf,
			    sizeof(buf)));
		else if (dl_in_hours(dl) || (days = ctl_print_days_left(
		    json_integer_value(left), json_string_value(
		    json_object_get(dl, "suspended_since")))) == -1)
			xasprintf(&out, _("suspended, %s left"), ctl_print_span(
			    json_integer_value(left), buf, sizeof(buf)));
		else
			xasprintf(&out, P_("suspended, %lld day left",
			    "suspended, %lld days left", days),
			    (long long)days);
		return out;
	}
	due = ctl_print_field(dl, "due", dbuf, sizeof(dbuf));
	from = ctl_print_field(dl, "overdue_from", fbuf, sizeof(fbuf));
	if (strcmp(due, from) == 0 || strcmp(from, "-") == 0)
		out = xstrdup(due);
	else
		xasprintf(&out, _("%s, overdue from %s"), due, from);
	return out;
}

/*
 * What became of one occurrence of a rung: "pending", "skipped" (caught up
 * with a later one), "fired TIME", and for the one that caught up, how
 * many occurrences it stands for that did not fire: "(3 missed)";
 * allocated.
 */
char *
ctl_print_rung_status(const json_t *r)
{
	const json_t	*missed;
	char		*out, buf[32];

	if (json_is_true(json_object_get(r, "skipped")))
		return xstrdup(_("skipped"));
	if (!json_is_true(json_object_get(r, "fired")))
		return xstrdup(_("pending"));
	missed = json_object_get(r, "missed");
	if (json_is_integer(missed) && json_integer_value(missed) > 0)
		xasprintf(&out, _("fired %s (%lld missed)"), ctl_print_field(r,
		    "fired_at", buf, sizeof(buf)),
		    (long long)json_integer_value(missed));
	else
		xasprintf(&out, _("fired %s"), ctl_print_field(r,
		    "fired_at", buf, sizeof(buf)));
	return out;
}

/* Suspended: running is false (a server before suspension sends none). */
int
ctl_print_suspended(const json_t *dl)
{
	return json_is_false(json_object_get(dl, "running"));
}

/* A period in hours ("PT48H") is elapsed time; the others count days. */
static int
dl_in_hours(const json_t *dl)
{
	const char	*p;

	p = json_string_value(json_object_get(dl, "period"));
	return p != NULL && strchr(p, 'T') != NULL;
}

/* A member as text; numbers need buf, and without one show as "?". */
const char *
ctl_print_field(const json_t *obj, const char *key, char *buf, size_t len)
{
	return ctl_print_value(json_object_get(obj, key), buf, len);
}

/* The same, with another separator ("," for a cell, like a token's teams). */
char *
ctl_print_joined(const json_t *arr, const char *sep)
{
	const json_t	*v;
	char		*out = xstrdup(""), *tmp, *s;
	size_t		 i;

	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			continue;
		s = ctl_table_clean(json_string_value(v));
		tmp = out;
		xasprintf(&out, "%s%s%s", tmp, *tmp != '\0' ? sep : "", s);
		free(tmp);
		free(s);
	}
	return out;
}

/* A row of the members keys of an object, numbers and all. */
static void
add_row(struct ctl_table *t, const json_t *o, const char *const *keys,
    size_t n)
{
	const char	*row[8];
	char		 bufs[8][32];
	size_t		 i;

	if (n > nitems(row))
		fatalx("%s: %zu columns", __func__, n);
	for (i = 0; i < n; i++)
		row[i] = ctl_print_field(o, keys[i], bufs[i], sizeof(bufs[i]));
	ctl_table_add(t, row);
}

/* A table of the objects of a list, a column for each of n keys. */
void
ctl_print_list(FILE *fp, const json_t *list, const char *const *head,
    const char *const *keys, size_t n, size_t indent)
{
	struct ctl_table	*t;
	const json_t		*o;
	size_t			 i;

	t = ctl_table_new(n, head);
	json_array_foreach(list, i, o)
		add_row(t, o, keys, n);
	ctl_table_print_indented(t, fp, indent);
	ctl_table_free(t);
}
