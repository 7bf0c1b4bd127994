/*
 * termijn: how termijnctl shows a case to people: the case with its
 * deadlines, ladders, notifications and history, a row of the case list.
 * It builds on ctl_print.c, as the titles (ctl_title.c), the lateness
 * (ctl_late.c) and the notifications (ctl_notify.c) it shows do.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

static void		 print_participants(FILE *, const json_t *);
static void		 print_guidance(FILE *, const json_t *);
static int		 any_member(const json_t *, const char *);
static char		*joined(const json_t *);

/*
 * One case: a key/value block; each deadline with its state, due moment,
 * time left and the explanation of its date, then its ladder; what the
 * rungs told whom; and the events its state accepts, which is what a
 * caseworker looks for next.  Blocks rather than one wide table, so that
 * it reads in 100 columns whatever the deadline.  Names are shown by
 * their titles; the workflow, the state and the events, which a person
 * types next, with their names too.
 */
void
ctl_print_case(FILE *fp, const json_t *c, const json_t *history,
    size_t width)
{
	static const struct {
		const char	*key;
		const char	*label;
	} keys[] = {
		{ "id", N_("id:") }, { "workflow", N_("workflow:") },
		{ "version", N_("version:") },
		{ "reference", N_("reference:") },
		{ "team", N_("team:") }, { "coordinator", N_("coordinator:") },
		{ "state", N_("state:") }, { "final", N_("final:") },
		{ "assignee", N_("assignee:") },
		{ "started_at", N_("started at:") },
		{ "state_since", N_("state since:") },
		{ "created_at", N_("created at:") },
		{ "updated_at", N_("updated at:") },
	};
	struct ctl_table	*t;
	const json_t		*dls, *dl, *parts;
	const char		*row[2];
	char			 buf[64], *list, *named;
	size_t			 i;

	t = ctl_table_new(2, NULL);
	for (i = 0; i < nitems(keys); i++) {
		/*
		 * A server from before sharing sends no coordinator, one
		 * from before assignment no assignee.
		 */
		if ((strcmp(keys[i].key, "coordinator") == 0 ||
		    strcmp(keys[i].key, "assignee") == 0) &&
		    json_object_get(c, keys[i].key) == NULL)
			continue;
		named = NULL;
		row[0] = _(keys[i].label);
		if (strcmp(keys[i].key, "workflow") == 0 ||
		    strcmp(keys[i].key, "state") == 0)
			row[1] = named = ctl_title_named(c, keys[i].key);
		else if (strcmp(keys[i].key, "assignee") == 0)
			row[1] = named = ctl_person_named(c, keys[i].key);
		else
			row[1] = ctl_print_field(c, keys[i].key, buf,
			    sizeof(buf));
		ctl_table_add(t, row);
		free(named);
	}
	ctl_table_print(t, fp);
	ctl_table_free(t);

	/* Nobody else heard of it: said before anything else. */
	if (json_array_size(json_object_get(c, "unrouted")) > 0) {
		list = joined(json_object_get(c, "unrouted"));
		fputc('\n', fp);
		fprintf(fp, _("unrouted: no team fills %s for team %s; nobody"
		    " was brought in\n  (an administrator adds one: termijnctl"
		    " team route)\n"), list, json_string_value(
		    json_object_get(c, "team")));
		free(list);
	}

	if ((parts = json_object_get(c, "participants")) != NULL) {
		fputc('\n', fp);
		print_participants(fp, parts);
	}

	dls = json_object_get(c, "deadlines");
	if (json_array_size(dls) == 0)
		fprintf(fp, "\n%s\n", _("no deadlines"));
	json_array_foreach(dls, i, dl) {
		fputc('\n', fp);
		ctl_print_deadline(fp, dl);
	}
	ctl_late_passed(fp, c);
	ctl_penalty_print(fp, c);

	fputc('\n', fp);
	ctl_notify_print(fp, json_object_get(c, "notifications"));

	/* What happened, with what people wrote, before what to do now. */
	if (history != NULL) {
		fprintf(fp, "\n%s\n", _("history:"));
		ctl_print_transitions(fp, history, 2, width);
	}
	print_guidance(fp, c);

	fputc('\n', fp);
	ctl_title_accepts(fp, c);
}

struct ctl_table *
ctl_print_cases_new(void)
{
	static const char *const head[] = {
		N_("ID"), N_("WORKFLOW"), N_("VERSION"), N_("REFERENCE"),
		N_("TEAM"), N_("STATE"), N_("NEXT DUE"),
	};

	return ctl_table_new(nitems(head), head);
}

/* One row of the case list; pages are added as they arrive. */
void
ctl_print_cases_add(struct ctl_table *t, const json_t *c)
{
	const json_t	*dl;
	const char	*row[7];
	char		 id[32], version[32], buf[64], due[96];
	int		 suspended;

	row[0] = ctl_print_field(c, "id", id, sizeof(id));
	row[1] = ctl_print_field(c, "workflow", NULL, 0);
	row[2] = ctl_print_field(c, "version", version, sizeof(version));
	row[3] = ctl_print_field(c, "reference", NULL, 0);
	row[4] = ctl_print_field(c, "team", NULL, 0);
	row[5] = ctl_title(c, "state");
	dl = ctl_print_next_due(json_object_get(c, "deadlines"), &suspended);
	if (dl == NULL)
		row[6] = suspended ? _("suspended") : "-";
	else if (json_is_true(json_object_get(dl, "overdue"))) {
		snprintf(due, sizeof(due), _("%s (overdue)"),
		    ctl_print_field(dl, "due", buf, sizeof(buf)));
		row[6] = due;
	} else
		row[6] = ctl_print_field(dl, "due", buf, sizeof(buf));
	ctl_table_add(t, row);
}

/*
 * A case's history, oldest first as the server sends it, each transition
 * by its id.  A history in which the case was assigned says to whom (or
 * nobody, let go), one in which a team was let in or handed the case on
 * which basis and which team, and one with corrections which transition
 * each corrects; one without keeps to seven columns.  Each
 * note (a correction's reason) is shown under its row, wrapped to width
 * and made safe for the terminal: it is the one free text a person wrote,
 * and where the history is read is where it is looked for.
 */
void
ctl_print_transitions(FILE *fp, const json_t *list, size_t indent,
    size_t width)
{
	static const char *const head[] = {
		N_("ID"), N_("AT"), N_("FROM"), N_("TO"), N_("CAUSE"),
		N_("EVENT"), N_("ACTOR"), N_("ASSIGNEE"), N_("BASIS"),
		N_("TEAM"), N_("CORRECTS"),
	};
	static const char *const keys[] = {
		"id", "at", "from", "to", "cause", "event", "actor", "assignee",
		"basis", "team", "corrects",
	};
	struct ctl_table	*t;
	const json_t		*tr;
	const char		*row[nitems(head)], *cols[nitems(head)];
	const char		*colkeys[nitems(head)];
	char			 bufs[nitems(head)][32], *note;
	size_t			 i, j, n = 0;
	int			 assigned = 0, shared, corrected, assign;

	json_array_foreach(list, i, tr)
		assigned |= strcmp(ctl_print_field(tr, "cause", NULL, 0),
		    "assign") == 0;
	shared = any_member(list, "basis") || any_member(list, "team");
	corrected = any_member(list, "corrects");
	for (j = 0; j < nitems(head); j++) {
		if ((j == 7 && !assigned) || ((j == 8 || j == 9) && !shared))
			continue;
		if (j == 10 && !corrected)
			continue;
		cols[n] = head[j];
		colkeys[n++] = keys[j];
	}
	t = ctl_table_new(n, cols);
	json_array_foreach(list, i, tr) {
		assign = strcmp(ctl_print_field(tr, "cause", NULL, 0),
		    "assign") == 0;
		/*
		 * States and events by their titles, people by their names; a
		 * basis by its id, which case share and case event --basis take.
		 */
		for (j = 0; j < n; j++)
			row[j] = strcmp(colkeys[j], "from") == 0 ||
			    strcmp(colkeys[j], "to") == 0 ||
			    strcmp(colkeys[j], "event") == 0 ?
			    ctl_title(tr, colkeys[j]) : strcmp(colkeys[j],
			    "actor") == 0 || strcmp(colkeys[j], "assignee") ==
			    0 ? ctl_person(tr, colkeys[j]) : ctl_print_field(tr,
			    colkeys[j], bufs[j], sizeof(bufs[j]));
		/* To whom a case went; let go, to nobody. */
		for (j = 0; j < n; j++)
			if (assign && strcmp(colkeys[j], "assignee") == 0 &&
			    !json_is_string(json_object_get(tr, "assignee")))
				row[j] = _("nobody");
		ctl_table_add(t, row);
		note = ctl_print_note(strcmp(ctl_print_field(tr, "cause",
		    NULL, 0), "correction") == 0 ? _("reason") : _("note"),
		    json_string_value(json_object_get(tr, "note")), 4,
		    width > indent ? width - indent : 0);
		if (note != NULL)
			ctl_table_trailer(t, note);
		free(note);
	}
	ctl_table_print_indented(t, fp, indent);
	ctl_table_free(t);
}

/*
 * One deadline: a heading that says whose it is, its key/value block, the
 * explanation of its date as the server gives it, and its ladder.
 */
void
ctl_print_deadline(FILE *fp, const json_t *dl)
{
	static const char *const head[] = {
		N_("RUNG"), N_("SEQ"), N_("AT"), N_("STATUS"),
	};
	struct ctl_table	*t;
	const json_t		*v, *rungs, *r;
	const char		*row[4];
	char			*state, *due, *ext, *s, left[96], buf[32];
	size_t			 i;

	/* Its title, and the name rungs and transitions call it by. */
	state = ctl_title_named(dl, NULL);
	s = ctl_table_clean(state);
	free(state);
	v = json_object_get(dl, "state");
	if (json_is_string(v)) {
		state = ctl_table_clean(ctl_title(dl, "state"));
		fprintf(fp, _("deadline %s, of state %s\n"), s, state);
		free(state);
	} else
		fprintf(fp, _("deadline %s, of the case\n"), s);
	free(s);

	state = ctl_print_deadline_state(dl);
	due = ctl_print_deadline_due(dl);
	ext = joined(json_object_get(dl, "extensions"));
	t = ctl_table_new(2, NULL);
	row[0] = C_("deadline", "state:");
	row[1] = state;
	ctl_table_add(t, row);
	row[0] = _("due:");
	row[1] = due;
	ctl_table_add(t, row);
	/* Late, as the overdue view says; or passed, and the case went on. */
	v = json_object_get(dl, "time_left_seconds");
	if (json_is_true(json_object_get(dl, "overdue"))) {
		row[0] = _("late:");
		row[1] = ctl_late_age(dl, left, sizeof(left));
		ctl_table_add(t, row);
	} else if (!ctl_print_suspended(dl) && json_is_integer(v) &&
	    !json_is_true(json_object_get(dl, "passed"))) {
		row[0] = _("time left:");
		row[1] = ctl_print_time_left(json_integer_value(v), left,
		    sizeof(left));
		ctl_table_add(t, row);
	}
	row[0] = _("kind:");
	row[1] = ctl_print_field(dl, "kind", buf, sizeof(buf));
	ctl_table_add(t, row);
	row[0] = _("rule:");
	row[1] = ctl_print_field(dl, "rule", buf, sizeof(buf));
	ctl_table_add(t, row);
	row[0] = _("period:");
	row[1] = ctl_print_field(dl, "period", buf, sizeof(buf));
	ctl_table_add(t, row);
	row[0] = _("then:");
	row[1] = ctl_title(dl, "then");
	ctl_table_add(t, row);
	row[0] = _("extensions:");
	row[1] = *ext != '\0' ? ext : _("none");
	ctl_table_add(t, row);
	ctl_table_print_indented(t, fp, 2);
	ctl_table_free(t);
	free(state);
	free(due);
	free(ext);

	v = json_object_get(dl, "explanation");
	if (json_array_size(v) > 0) {
		fprintf(fp, "  %s\n", _("explanation:"));
		json_array_foreach(v, i, r)
			if (json_is_string(r))
				ctl_print_wrapped(fp, json_string_value(r), 4,
				    CTL_PRINT_WIDTH);
	}

	rungs = json_object_get(dl, "rungs");
	if (json_array_size(rungs) == 0) {
		fprintf(fp, "  %s\n", ctl_print_suspended(dl) ? _("ladder: none"
		    " pending; its rungs wait while it is suspended") :
		    _("ladder: none"));
		return;
	}
	fprintf(fp, "  %s\n", _("ladder:"));
	t = ctl_table_new(nitems(head), head);
	json_array_foreach(rungs, i, r) {
		row[0] = ctl_title_of(r);
		row[1] = ctl_print_field(r, "seq", buf, sizeof(buf));
		row[2] = ctl_print_field(r, "at", NULL, 0);
		row[3] = s = ctl_print_rung_status(r);
		ctl_table_add(t, row);
		free(s);
	}
	ctl_table_print_indented(t, fp, 4);
	ctl_table_free(t);
}

/*
 * The way of working the teams agreed on for the case's state (its
 * guidance, in Dutch), and for a queue state whether someone picked the
 * case up: a case waits there until someone does, and cannot close
 * before.  Nothing when the state has neither.
 */
static void
print_guidance(FILE *fp, const json_t *c)
{
	const json_t	*g = json_object_get(c, "guidance");
	const json_t	*who = json_object_get(c, "assignee");
	char		*state;

	if (!json_is_string(json_object_get(c, "state")))
		return;
	state = ctl_table_clean(ctl_title(c, "state"));
	if (json_is_true(json_object_get(c, "queue"))) {
		fputc('\n', fp);
		if (json_is_string(who))
			fprintf(fp, _("queue %s: picked up by %s\n"), state,
			    ctl_person(c, "assignee"));
		else
			fprintf(fp, _("queue %s: waiting for someone to pick"
			    " it up (case assign)\n"), state);
	}
	if (json_is_string(g)) {
		fputc('\n', fp);
		fprintf(fp, _("guidance for state %s:\n"), state);
		ctl_print_wrapped(fp, json_string_value(g), 2,
		    CTL_PRINT_WIDTH);
	}
	free(state);
}

/*
 * The teams that take part in a case besides its own, each on the legal
 * basis it was added on, since when.
 */
static void
print_participants(FILE *fp, const json_t *parts)
{
	static const char *const head[] = {
		N_("TEAM"), N_("BASIS"), N_("SINCE"),
	};
	static const char *const keys[] = { "team", "basis", "since" };

	if (json_array_size(parts) == 0) {
		fprintf(fp, "%s\n", _("no participants"));
		return;
	}
	fprintf(fp, "%s\n", _("participants:"));
	ctl_print_list(fp, parts, head, keys, nitems(keys), 2);
}

/* Whether any object of an array has a member key that is not null. */
static int
any_member(const json_t *arr, const char *key)
{
	const json_t	*o, *v;
	size_t		 i;

	json_array_foreach(arr, i, o)
		if ((v = json_object_get(o, key)) != NULL && !json_is_null(v))
			return 1;
	return 0;
}

/* The strings of an array, comma-separated, cleaned, allocated. */
static char *
joined(const json_t *arr)
{
	return ctl_print_joined(arr, ", ");
}
