/* termijn: termijnctl's lists that the API gives in pages: one page, or all. */

#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

static void	json_item(const json_t *, size_t);

/* One page of a list, or all of them (ctl.h, struct ctl_pager). */
int
ctl_list_pages(struct ctl *ctl, const struct ctl_pager *pg)
{
	struct ctl_table	*t[CTL_PARTS_MAX];
	const char *const	 one[] = { pg->pg_key, NULL };
	const char *const	*parts = pg->pg_parts ? pg->pg_parts : one;
	const json_t		*items, *it, *next;
	json_t			*reply = NULL, *head = NULL;
	const char		*q = pg->pg_query, *name;
	char			*cursor = NULL, *path = NULL, *e;
	char			*first = NULL, buf[32];
	size_t			 i, k, nparts, open = 0, n = 0;
	int			 ret, mine = 0;

	if (ctl->c_csv)
		return ctl_csv_pages(ctl, pg->pg_path, pg->pg_query,
		    pg->pg_cursor, pg->pg_all);
	for (nparts = 0; parts[nparts] != NULL; nparts++)
		if (nparts == CTL_PARTS_MAX)
			fatalx("%s: too many lists", pg->pg_path);
	memset(t, 0, sizeof(t));
	if (pg->pg_cursor != NULL)
		cursor = xstrdup(pg->pg_cursor);
	ret = CTL_EXIT_ERR;
	if (!ctl->c_json)
		for (k = 0; k < nparts; k++)
			t[k] = pg->pg_table();
	else if (pg->pg_all)
		printf("{\n  \"%s\": [", parts[0]);
	for (;;) {
		free(path);
		e = cursor != NULL ? ctl_api_escape(cursor) : NULL;
		xasprintf(&path, "%s%s%s%s%s%s", pg->pg_path,
		    *q != '\0' || e != NULL ? "?" : "", q,
		    *q != '\0' && e != NULL ? "&" : "",
		    e != NULL ? "cursor=" : "", e != NULL ? e : "");
		free(e);
		if ((ret = ctl_call(ctl, "GET", path, NULL, NULL, 1, &reply)) !=
		    CTL_EXIT_OK)
			goto fail;
		ret = CTL_EXIT_ERR;
		if (first == NULL) {
			first = xstrdup(ctl_api_request_id(ctl->c_api));
			head = json_incref(reply);
		}
		for (k = 0; k < nparts; k++)
			if (!json_is_array(json_object_get(reply, parts[k]))) {
				ctl_warnx(_("%s: the answer has no list"
				    " of %s"), ctl_api_url(ctl->c_api),
				    parts[k]);
				goto fail;
			}
		if (ctl->c_json && !pg->pg_all)
			ctl_print_json(stdout, reply);
		for (k = 0; k < nparts && !mine; k++) {
			items = json_object_get(reply, parts[k]);
			json_array_foreach(items, i, it) {
				if (mine)
					break;
				mine = pg->pg_self && (name = json_string_value(
				    json_object_get(it, "request"))) != NULL &&
				    strcmp(name, first) == 0;
				if (t[k] != NULL)
					pg->pg_add(t[k], it);
				else if (pg->pg_all) {
					for (; open < k; open++, n = 0)
						printf("%s  \"%s\": [", n > 0 ?
						    "\n  ],\n" : "],\n",
						    parts[open + 1]);
					json_item(it, n++);
				}
			}
		}

		next = json_object_get(reply, "next_cursor");
		name = ctl_print_value(next, buf, sizeof(buf));
		if (next == NULL || json_is_null(next) || *name == '\0' || mine) {
			free(cursor);
			cursor = NULL;
			break;
		}
		if (cursor != NULL && strcmp(cursor, name) == 0) {
			ctl_warnx(_("%s: the server sent the same cursor"
			    " twice"), ctl_api_url(ctl->c_api));
			goto fail;
		}
		free(cursor);
		cursor = xstrdup(name);
		json_decref(reply);
		reply = NULL;
		if (!pg->pg_all)
			break;
	}

	if (!ctl->c_json) {
		for (k = 0; k < nparts; k++) {
			if (pg->pg_heading == NULL)
				ctl_table_print(t[k], stdout);
			else {
				pg->pg_heading(stdout, k, head);
				if (ctl_table_rows(t[k]) == 0)
					printf("  %s\n", cursor != NULL ?
					    _("none on this page") : _("none"));
				else
					ctl_table_print_indented(t[k], stdout,
					    2);
			}
		}
	} else if (pg->pg_all) {
		for (; open + 1 < nparts; open++, n = 0)
			printf("%s  \"%s\": [", n > 0 ? "\n  ],\n" : "],\n",
			    parts[open + 1]);
		fputs(n > 0 ? "\n  ]" : "]", stdout);
		for (k = 0; pg->pg_keep != NULL && pg->pg_keep[k] != NULL;
		    k++) {
			e = json_dumps(json_object_get(head, pg->pg_keep[k]),
			    JSON_ENCODE_ANY);
			printf(",\n  \"%s\": %s", pg->pg_keep[k],
			    e != NULL ? e : "null");
			free(e);
		}
		fputs(",\n  \"next_cursor\": null\n}\n", stdout);
	}
	/* On stderr, so that the table stays a table. */
	if (cursor != NULL && !ctl->c_json)
		ctl_warnx(_("more %s follow: --all, or --cursor %s"),
		    _(pg->pg_what), cursor);
	ret = CTL_EXIT_OK;

fail:
	for (k = 0; k < nparts; k++)
		ctl_table_free(t[k]);
	json_decref(reply);
	json_decref(head);
	free(cursor);
	free(first);
	free(path);
	return ret;
}

/* An item of a list written whole (--json --all), as json_dumps indents. */
static void
json_item(const json_t *it, size_t n)
{
	char	*dump, *line;

	dump = json_dumps(it, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (dump == NULL)
		fatalx("cannot encode JSON");
	fputs(n > 0 ? ",\n" : "\n", stdout);
	for (line = strtok(dump, "\n"); line != NULL; line = strtok(NULL, "\n"))
		printf("%s    %s", line == dump ? "" : "\n", line);
	free(dump);
}

void
ctl_list_query_add(char **q, const char *name, const char *value)
{
	char	*e, *tmp;

	if (value == NULL)
		return;
	e = ctl_api_escape(value);
	tmp = *q;
	xasprintf(q, "%s%s%s=%s", tmp, *tmp != '\0' ? "&" : "", name, e);
	free(tmp);
	free(e);
}

/* A list command (ctl.h): its options, its query, then its pages. */
int
ctl_list_command(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv, const struct ctl_pager *tmpl)
{
	struct ctl_opt	 opts[CTL_FILTERS_MAX + 3];
	const char	*values[CTL_FILTERS_MAX + 2], *at;
	struct ctl_pager pg = *tmpl;
	char		**pos, *q, *path = NULL;
	size_t		 i, n;
	int64_t		 id = 0;
	int		 all = 0, ret, nargs;

	memset(values, 0, sizeof(values));
	for (n = 0; pg.pg_filters != NULL && pg.pg_filters[n] != NULL; n++) {
		if (n == CTL_FILTERS_MAX)
			fatalx("%s: too many filters", pg.pg_path);
		opts[n] = (struct ctl_opt){ pg.pg_filters[n], &values[n],
		    NULL, NULL };
	}
	opts[n] = (struct ctl_opt){ "limit", &values[n], NULL, NULL };
	opts[n + 1] = (struct ctl_opt){ "cursor", &values[n + 1], NULL,
	    NULL };
	opts[n + 2] = (struct ctl_opt){ "all", NULL, &all, NULL };
	at = strstr(pg.pg_path, "{id}");
	nargs = at != NULL;
	if (ctl_args(cmd, argc, argv, opts, n + 3, nargs, &pos, &ret) == -1)
		return ret;
	if ((nargs && (ret = ctl_parse_id(cmd, pos[0], &id)) !=
	    CTL_EXIT_OK) || (ret = ctl_parse_count(cmd, "--limit", values[n],
	    pg.pg_max > 0 ? pg.pg_max : INT_MAX)) != CTL_EXIT_OK)
		return ret;
	/* The filters, as a query string shared by every page. */
	q = xstrdup("");
	for (i = 0; i < n; i++)
		ctl_list_query_add(&q, pg.pg_filters[i], values[i]);
	ctl_list_query_add(&q, "limit", values[n]);
	if (at != NULL) {
		xasprintf(&path, "%.*s%" PRId64 "%s", (int)(at - pg.pg_path),
		    pg.pg_path, id, at + strlen("{id}"));
		pg.pg_path = path;
	}
	pg.pg_query = q;
	pg.pg_cursor = values[n + 1];
	pg.pg_all = all;
	ret = ctl_list_pages(ctl, &pg);
	free(path);
	free(q);
	return ret;
}
