/* termijn: termijnctl's offline commands without a daemon: check, due, backup. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "termijn/backup.h"
#include "termijn/calendar.h"
#include "termijn/engine.h"
#include "termijn/paths.h"
#include "termijn/period.h"
#include "termijn/util.h"
#include "termijn/view.h"

#include "ctl.h"

static void	ctl_backup_check_cb(const char *, void *);
static void	ctl_backup_removed_cb(const char *, const char *, const char *,
		    void *);

/*
 * Offline: what termijnd --check says about the workflows, on stdout like
 * it: "OK", or every error as file:line:column: message.  With --db, also
 * every file with other text for a version the database keeps, which cases
 * may run on; the database is only read, termijnd running or not.
 */
int
ctl_offline_check(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	char		*shipped = paths_data_file("workflows");
	const char	*dir = shipped, *db = NULL;
	const struct ctl_opt opts[] = {
		{ "workflows", &dir, NULL, NULL },
		{ "db", &db, NULL, NULL },
	};
	struct engine	*en = NULL;
	struct store	*st = NULL;
	struct errlist	 errs;
	char		**pos;
	size_t		 i;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1) {
		free(shipped);
		return ret;
	}
	if (db != NULL) {
		if ((ret = ctl_db_read(db, &st)) != CTL_EXIT_OK) {
			free(shipped);
			return ret;
		}
		en = engine_new(st, NULL);
	}

	ret = CTL_EXIT_OK;
	errlist_init(&errs);
	if (engine_check_workflows(en, dir, &errs) == -1 ||
	    errs.el_count > 0) {
		for (i = 0; i < errs.el_count; i++)
			printf("%s\n", errs.el_msgs[i]);
		if (errs.el_count == 0)
			printf(_("%s: the workflows could not be loaded\n"),
			    dir);
		ret = CTL_EXIT_ERR;
	} else
		printf("OK\n");
	engine_free(en);
	store_close(st);
	errlist_clear(&errs);
	free(shipped);
	return ret;
}

/*
 * Offline: the due date of a period, computed by the core's calendar as
 * GET /v1/calendar/due computes it, so that a caseworker can check a date
 * without a daemon or a token.  The date comes alone on the first line for
 * scripts; the explanation follows, indented, for people.
 */
int
ctl_offline_due(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*from = NULL, *period = NULL, *rule = NULL;
	const char	*decrees = NULL;
	int		 courtesy = 0, json = 0;
	struct ctl_list	 closures = { NULL, 0 };
	const struct ctl_opt opts[] = {
		{ "from", &from, NULL, NULL },
		{ "period", &period, NULL, NULL },
		{ "rule", &rule, NULL, NULL },
		{ "courtesy", NULL, &courtesy, NULL },
		{ "json", NULL, &json, NULL },
		{ "decree-file", &decrees, NULL, NULL },
		{ "closure", NULL, NULL, &closures },
	};
	struct period_spec	 ps;
	struct due		 du;
	struct errlist		 errs;
	struct cal_date		 cd;
	json_t			*o;
	char			 err[512], **pos, note[CAL_NOTE_LEN];
	int64_t			 anchor;
	size_t			 i;
	int			 ret;

	memset(&du, 0, sizeof(du));
	memset(&ps, 0, sizeof(ps));
	errlist_init(&errs);
	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 0, &pos, &ret) == -1)
		goto done;
	if (from == NULL || period == NULL || rule == NULL) {
		ret = ctl_usage_error(cmd, _("--from, --period and --rule are"
		    " required"));
		goto done;
	}

	/*
	 * The zone first: a date is read as the start of that day in local
	 * time.  A decree file named on the command line is an argument like
	 * any other; the shipped one missing is a broken installation.
	 */
	if (calendar_init("Europe/Amsterdam", decrees, &errs) == -1) {
		for (i = 0; i < errs.el_count; i++)
			fprintf(stderr, "termijnctl: due: %s\n",
			    errs.el_msgs[i]);
		if (errs.el_count == 0)
			ctl_warnx("due: %s", _("the calendar could not be set"
			    " up"));
		ret = decrees != NULL ? CTL_EXIT_USAGE : CTL_EXIT_ERR;
		goto done;
	}
	for (i = 0; i < closures.cl_count; i++) {
		if (cal_date_parse_err(closures.cl_values[i], &cd, err,
		    sizeof(err)) == -1) {
			ret = ctl_usage_error(cmd, "--closure: %s", err);
			goto done;
		}
		calendar_add_closure(&cd);
	}
	if (cal_parse_time_note(from, &anchor, note, sizeof(note), err,
	    sizeof(err)) == -1) {
		ret = ctl_usage_error(cmd, "--from: %s", err);
		goto done;
	}
	if (period_parse(period, &ps.ps_period, err, sizeof(err)) == -1) {
		ret = ctl_usage_error(cmd, "%s", err);
		goto done;
	}
	if (period_rule_parse(rule, &ps.ps_rule) == -1) {
		ret = ctl_usage_error(cmd, _("--rule: unknown rule \"%s\""
		    " (plain, atw, working_days, hours, backward)"), rule);
		goto done;
	}
	/* As the workflow loader says of a deadline's courtesy. */
	if (courtesy && ps.ps_rule != PR_PLAIN) {
		ret = ctl_usage_error(cmd, _("--courtesy only applies to the"
		    " plain rule, not to %s"), period_rule_name(ps.ps_rule));
		goto done;
	}
	if (courtesy && period_is_hours(&ps.ps_period)) {
		ret = ctl_usage_error(cmd, _("--courtesy does not apply to a"
		    " period in hours, which is elapsed time"));
		goto done;
	}
	ps.ps_courtesy = courtesy;
	if (period_due(anchor, &ps, &du, err, sizeof(err)) == -1) {
		ret = ctl_usage_error(cmd, "%s", err);
		goto done;
	}

	o = view_due(&ps, &du);
	/* As termijnd answers: a local time the clocks show twice. */
	if (note[0] != '\0') {
		json_object_set_new(o, "warnings", json_pack("[{s:s, s:s, s:o,"
		    " s:s}]", "code", "ambiguous_time", "field", "from", "at",
		    view_time(anchor), "detail", note));
		ctl_warnx(_("warning: --from %s"), note);
	}
	if (ctl->c_json || json)
		ctl_print_json(stdout, o);
	else {
		printf("%s\n", json_string_value(json_object_get(o, "due")));
		for (i = 0; i < du.du_nwhy; i++)
			printf("  %s\n", du.du_why[i]);
		if (du.du_decree_missing)
			printf("%s\n", _("warning: a year this date needs has"
			    " no decree data yet (see above): a royal decree"
			    " may still equate a day to a holiday and move the"
			    " date"));
	}
	json_decref(o);
	ret = CTL_EXIT_OK;

done:
	due_free(&du);
	errlist_clear(&errs);
	free(closures.cl_values);
	return ret;
}

/*
 * Offline: a consistent, verified copy of the database, made beside termijnd
 * as it runs (backup.c).  A line for each copy an interrupted backup left
 * in OUT's directory that it removed, one per check the copy passed, then
 * where it is; nothing is left at OUT when any step fails.
 */
int
ctl_offline_backup(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	const char	*db = NULL;
	int		 force = 0;
	const struct ctl_opt opts[] = {
		{ "db", &db, NULL, NULL },
		{ "force", NULL, &force, NULL },
	};
	char		 err[1024], **pos;
	int		 ret;

	if (ctl_args(cmd, argc, argv, opts, nitems(opts), 1, &pos, &ret) == -1)
		return ret;
	if (db == NULL)
		return ctl_usage_error(cmd, _("--db is required"));
	if (!force && access(pos[0], F_OK) == 0)
		return ctl_usage_error(cmd, _("%s exists already (--force"
		    " replaces it)"), pos[0]);
	if (access(db, F_OK) == -1) {
		fprintf(stderr, "termijnctl: backup: %s: %s\n", db,
		    strerror(errno));
		return CTL_EXIT_ERR;
	}
	if (backup_make(db, pos[0], force, ctl_backup_check_cb,
	    ctl_backup_removed_cb, NULL, err, sizeof(err)) == -1) {
		ctl_warnx(_("backup: %s; no backup was made"), err);
		return CTL_EXIT_ERR;
	}
	printf(_("backup of %s written to %s\n"), db, pos[0]);
	return CTL_EXIT_OK;
}

static void
ctl_backup_check_cb(const char *name, void *arg)
{
	printf(_("check %s: ok\n"), name);
}

/* A copy an interrupted backup left, with every case in it: said so. */
static void
ctl_backup_removed_cb(const char *path, const char *sidecars,
    const char *error, void *arg)
{
	if (error != NULL)
		ctl_warnx(_("backup: cannot remove %s, the copy of a backup"
		    " that was interrupted: %s"), path, error);
	else if (*sidecars != '\0')
		printf(_("removed %s (and its %s), the copy of a backup that"
		    " was interrupted\n"), path, sidecars);
	else
		printf(_("removed %s, the copy of a backup that was"
		    " interrupted\n"), path);
}
