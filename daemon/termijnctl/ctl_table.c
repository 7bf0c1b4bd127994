/* termijn: termijnctl's aligned plain-text tables. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/utf8.h"
#include "termijn/util.h"

#include "ctl.h"

struct ctl_table {
	size_t	  t_ncols;
	size_t	  t_nrows;	/* the header row included */
	size_t	  t_caprows;
	char	**t_cells;	/* t_nrows * t_ncols, row by row, cleaned */
	char	**t_trailers;	/* per row: lines printed under it, or NULL */
	size_t	 *t_width;	/* widest cell of each column */
	int	  t_header;
};

/*
 * A table with a header row; headers NULL makes one without (key/value).
 * The headers are marked N_() where they are written, and translated
 * here.
 */
struct ctl_table *
ctl_table_new(size_t ncols, const char *const *headers)
{
	struct ctl_table	*t;
	const char		**heads;
	size_t			 i;

	t = xcalloc(1, sizeof(*t));
	t->t_ncols = ncols;
	t->t_width = xcalloc(ncols, sizeof(*t->t_width));
	if (headers != NULL) {
		heads = xcalloc(ncols, sizeof(*heads));
		for (i = 0; i < ncols; i++)
			heads[i] = _(headers[i]);
		ctl_table_add(t, heads);
		free(heads);
		t->t_header = 1;
	}
	return t;
}

/* Copies the cells; NULL cells print as "-". */
void
ctl_table_add(struct ctl_table *t, const char *const *cells)
{
	size_t	 i, w;
	char	*c;

	if (t->t_nrows == t->t_caprows) {
		t->t_caprows = t->t_caprows == 0 ? 16 : t->t_caprows * 2;
		t->t_cells = xreallocarray(t->t_cells,
		    t->t_caprows * t->t_ncols, sizeof(*t->t_cells));
		t->t_trailers = xreallocarray(t->t_trailers, t->t_caprows,
		    sizeof(*t->t_trailers));
	}
	t->t_trailers[t->t_nrows] = NULL;
	for (i = 0; i < t->t_ncols; i++) {
		c = ctl_table_clean(cells[i] != NULL ? cells[i] : "-");
		if ((w = ctl_table_width(c)) > t->t_width[i])
			t->t_width[i] = w;
		t->t_cells[t->t_nrows * t->t_ncols + i] = c;
	}
	t->t_nrows++;
}

/*
 * Lines to print under the last row added, each after the table's indent:
 * a note that belongs to the row but would not fit a column.  They are
 * printed as given, so the caller makes them safe (ctl_print_safe) and
 * ends each with a newline.
 */
void
ctl_table_trailer(struct ctl_table *t, const char *lines)
{
	if (t->t_nrows == 0)
		return;
	free(t->t_trailers[t->t_nrows - 1]);
	t->t_trailers[t->t_nrows - 1] = xstrdup(lines);
}

/*
 * Columns two spaces apart, each as wide as its widest cell; the last
 * column is not padded, so that no line ends in blanks.
 */
void
ctl_table_print(const struct ctl_table *t, FILE *fp)
{
	ctl_table_print_indented(t, fp, 0);
}

/* The same, each line after indent blanks: a table inside a block. */
void
ctl_table_print_indented(const struct ctl_table *t, FILE *fp, size_t indent)
{
	size_t		 r, i, w;
	const char	*c, *line, *end;

	for (r = 0; r < t->t_nrows; r++) {
		for (i = 0; i < indent; i++)
			fputc(' ', fp);
		for (i = 0; i < t->t_ncols; i++) {
			c = t->t_cells[r * t->t_ncols + i];
			fputs(c, fp);
			if (i + 1 == t->t_ncols)
				break;
			for (w = ctl_table_width(c); w < t->t_width[i] + 2; w++)
				fputc(' ', fp);
		}
		fputc('\n', fp);
		for (line = t->t_trailers[r]; line != NULL && *line != '\0';
		    line = end) {
			end = strchr(line, '\n');
			end = end != NULL ? end + 1 : line + strlen(line);
			for (i = 0; i < indent; i++)
				fputc(' ', fp);
			fwrite(line, 1, (size_t)(end - line), fp);
		}
	}
}

/* Rows below the header. */
size_t
ctl_table_rows(const struct ctl_table *t)
{
	return t->t_nrows - (t->t_header ? 1 : 0);
}

void
ctl_table_free(struct ctl_table *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->t_nrows * t->t_ncols; i++)
		free(t->t_cells[i]);
	for (i = 0; i < t->t_nrows; i++)
		free(t->t_trailers[i]);
	free(t->t_cells);
	free(t->t_trailers);
	free(t->t_width);
	free(t);
}

/*
 * A copy fit for a terminal: what the server sends is shown to a person,
 * so control characters (C0, DEL, and the C1 range that holds the 8-bit
 * CSI) and bytes that are not UTF-8 become '?', and cannot move the cursor
 * or recolour the screen.
 */
char *
ctl_table_clean(const char *s)
{
	const char	*p = s;
	char		*out, *o;
	uint32_t	 cp;
	size_t		 n;

	out = o = xmalloc(strlen(s) + 1);
	while (*p != '\0') {
		n = utf8_decode(p, &cp);
		if (n == 0) {
			*o++ = '?';
			p++;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			*o++ = '?';
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
 * Columns a cleaned string takes: one per code point, none for a
 * combining mark (the diaeresis of "coördinatie" typed as an "o" and
 * U+0308, as some keyboards and systems write it).  Wide East Asian
 * characters are counted as one: termijn's names and references are
 * ASCII, and its messages and titles Dutch or English.
 */
size_t
ctl_table_width(const char *s)
{
	uint32_t	cp;
	size_t		w = 0, n;

	while (*s != '\0') {
		if ((n = utf8_decode(s, &cp)) == 0) {
			w++;
			s++;
			continue;
		}
		if (!((cp >= 0x0300 && cp <= 0x036f) ||
		    (cp >= 0x1ab0 && cp <= 0x1aff) ||
		    (cp >= 0x1dc0 && cp <= 0x1dff) ||
		    (cp >= 0x20d0 && cp <= 0x20ff) ||
		    (cp >= 0xfe20 && cp <= 0xfe2f)))
			w++;
		s += n;
	}
	return w;
}
