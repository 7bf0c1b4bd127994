/* termijn: CSV as a spreadsheet opens it (RFC 4180). */
#ifndef TERMIJN_CSV_H
#define TERMIJN_CSV_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* The byte order mark that tells a spreadsheet the text is UTF-8. */
#define CSV_BOM		"\xef\xbb\xbf"

/* A column of a table: its header, and the member of each item it shows. */
struct csv_column {
	const char	*cc_header;
	const char	*cc_key;	/* a member, or "outer.inner" */
};

/* One field, quoted when it must be; text is UTF-8. */
void	 csv_text(FILE *, const char *);
/* A JSON value as a spreadsheet reads it (csv.c says how). */
void	 csv_value(FILE *, const json_t *);
/* The byte order mark and a header row. */
void	 csv_head(FILE *, const struct csv_column *, size_t);
/* A row: each column's member of an object, fields apart, CRLF after. */
void	 csv_row(FILE *, const struct csv_column *, size_t, const json_t *);

#endif /* TERMIJN_CSV_H */
