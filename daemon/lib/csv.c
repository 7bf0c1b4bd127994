/* termijn: CSV as a spreadsheet opens it (RFC 4180). */

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "termijn/csv.h"

/*
 * RFC 4180 with what a spreadsheet needs to open the file by itself: UTF-8
 * behind a byte order mark, CRLF after every row, a field quoted when it
 * holds a comma, a quote or a line break (a quote doubled inside).
 * Timestamps, which the API gives in Europe/Amsterdam with their offset,
 * become "2026-02-17 00:00:00", the local time as Excel and LibreOffice
 * read a date and time; dates stay "2026-02-16".  Text that a spreadsheet
 * would take for a formula (it begins with = + - @ or a tab) gets a quote
 * mark in front, so that opening an export runs nothing.  Numbers are
 * written with a decimal point.
 */

static int	 is_timestamp(const char *);

void
csv_text(FILE *fp, const char *s)
{
	const char	*p;

	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0') {
		fputs("\"'", fp);
		goto quoted;
	}
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
quoted:
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

void
csv_value(FILE *fp, const json_t *v)
{
	const json_t	*e;
	const char	*s;
	size_t		 i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		if (is_timestamp(s))
			fprintf(fp, "%.10s %.8s", s, s + 11);
		else
			csv_text(fp, s);
		break;
	case JSON_INTEGER:
		fprintf(fp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fprintf(fp, "%.2f", json_real_value(v));
		break;
	case JSON_TRUE:
		fputs("true", fp);
		break;
	case JSON_FALSE:
		fputs("false", fp);
		break;
	case JSON_ARRAY:
		/* A list of names (or of objects with one): one field. */
		fputc('"', fp);
		json_array_foreach(v, i, e) {
			if (json_is_object(e))
				e = json_object_get(e, "name");
			if ((s = json_string_value(e)) == NULL)
				continue;
			if (i > 0)
				fputc(' ', fp);
			for (; *s != '\0'; s++) {
				if (*s == '"')
					fputc('"', fp);
				fputc(*s, fp);
			}
		}
		fputc('"', fp);
		break;
	default:
		break;		/* null, objects: an empty field */
	}
}

void
csv_head(FILE *fp, const struct csv_column *cols, size_t n)
{
	size_t	i;

	fputs(CSV_BOM, fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		csv_text(fp, cols[i].cc_header);
	}
	fputs("\r\n", fp);
}

/* A member of o, or with "outer.inner" one of its object's; or NULL. */
static const json_t *
csv_member(const json_t *o, const char *key)
{
	const char	*dot = strchr(key, '.');

	if (dot == NULL)
		return json_object_get(o, key);
	return json_object_get(json_object_getn(o, key, (size_t)(dot - key)),
	    dot + 1);
}

void
csv_row(FILE *fp, const struct csv_column *cols, size_t n, const json_t *o)
{
	const json_t	*v;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		if ((v = csv_member(o, cols[i].cc_key)) != NULL)
			csv_value(fp, v);
	}
	fputs("\r\n", fp);
}

/* "2026-02-17T00:00:00+01:00", with milliseconds or Z. */
static int
is_timestamp(const char *s)
{
	static const char	*shape = "dddd-dd-ddTdd:dd:dd";
	size_t			 i;

	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != shape[i])
			return 0;
	s += i;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	return strcmp(s, "Z") == 0 || ((*s == '+' || *s == '-') &&
	    strlen(s) == 6);
}
