/* termijn: termijnctl --csv: a view as the API's CSV, one page or every page. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

/*
 * --csv writes what termijnd answers to "Accept: text/csv", byte for byte,
 * so that a spreadsheet gets exactly what the API documents.  With --all
 * the pages follow the Link header; a page after the first loses its byte
 * order mark and header row, so that the output is one table.
 */

#define CSV_BOM	"\xef\xbb\xbf"

/* After the BOM and the header row: where a later page's rows begin. */
static size_t
csv_rows(const char *text, size_t len)
{
	size_t	i = 0;
	int	quoted = 0;

	if (len >= 3 && memcmp(text, CSV_BOM, 3) == 0)
		i = 3;
	for (; i < len; i++) {
		if (text[i] == '"')
			quoted = !quoted;
		else if (text[i] == '\n' && !quoted)
			return i + 1;
	}
	return len;
}

int
ctl_csv_pages(struct ctl *ctl, const char *path, const char *query,
    const char *cursor, int all)
{
	struct ctl_reply	 cr;
	char			*url = NULL, *e;
	size_t			 from;
	int			 ret, page;

	e = cursor != NULL ? ctl_api_escape(cursor) : NULL;
	xasprintf(&url, "%s%s%s%s%s%s", path, *query != '\0' || e != NULL ?
	    "?" : "", query, *query != '\0' && e != NULL ? "&" : "",
	    e != NULL ? "cursor=" : "", e != NULL ? e : "");
	free(e);
	for (page = 0;; page++) {
		if ((ret = ctl_call_csv(ctl, url, &cr)) != CTL_EXIT_OK)
			break;
		from = page == 0 ? 0 : csv_rows(cr.cr_text, cr.cr_len);
		if (fwrite(cr.cr_text + from, 1, cr.cr_len - from, stdout) !=
		    cr.cr_len - from) {
			ctl_reply_clear(&cr);
			ret = CTL_EXIT_ERR;
			break;
		}
		free(url);
		url = cr.cr_next;
		cr.cr_next = NULL;
		ctl_reply_clear(&cr);
		if (!all || url == NULL)
			break;
	}
	free(url);
	return ret;
}
