/* termijn: termijnctl's usage and help: of all commands, a group, or one. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/name.h"
#include "termijn/util.h"

#include "ctl.h"

static void	cmd_usage(const struct ctl_cmd *, FILE *);
static char	*cmd_words(const struct ctl_cmd *);

/*
 * The global options and every command's synopsis.  The commands and
 * their options are typed as they are, in any language; the words that
 * stand for what one fills in (FILE, TEXT) are translated.
 */
void
ctl_usage(FILE *fp)
{
	const struct ctl_cmd	*cmds;
	char			*words;
	size_t			 i, ncmds;

	fputs(_("usage: termijnctl [--url URL] [--token TOKEN] [--json | --csv]"
	    " [--timeout SECONDS] [--purpose TEXT] command ...\n"
	    "       termijnctl --version | --help | help [command]\n\n"
	    "commands:\n"), fp);
	cmds = ctl_cmd_table(&ncmds);
	for (i = 0; i < ncmds; i++) {
		words = cmd_words(&cmds[i]);
		fprintf(fp, "  %s\n", words);
		free(words);
	}
	fputc('\n', fp);
	fprintf(fp, _("environment: TERMIJN_URL (default %s), TERMIJN_TOKEN\n"),
	    CTL_DEFAULT_URL);
}

/*
 * termijnctl help [COMMAND [SUBCOMMAND]]: the usage of one command, of
 * every command of a group (help token), or of all.  A word that names no
 * command is a usage error that names it, with the one most likely meant.
 */
int
ctl_usage_help(int argc, char **argv)
{
	const struct ctl_cmd	*cmd;
	int			 words;

	if (argc == 0 || (argc == 1 && strcmp(argv[0], "help") == 0)) {
		ctl_usage(stdout);
		return ctl_finish_stdout(CTL_EXIT_OK);
	}
	if (argc == 1 && ctl_usage_group_size(argv[0]) > 1) {
		ctl_usage_group(argv[0], stdout);
		return ctl_finish_stdout(CTL_EXIT_OK);
	}
	if ((cmd = ctl_cmd_find(argc, argv, &words)) == NULL) {
		if (words == 1 && argc == 1) {
			ctl_usage_group(argv[0], stdout);
			return ctl_finish_stdout(CTL_EXIT_OK);
		}
		return ctl_usage_unknown(argc, argv, words);
	}
	if (argc > words)
		return ctl_usage_error(NULL, _("help: unexpected argument %s"),
		    argv[words]);
	ctl_usage_command(cmd, stdout);
	return ctl_finish_stdout(CTL_EXIT_OK);
}

/*
 * argv names no command: its first word none at all (words 0), or a
 * group's second word none of the group's.  Said with the command most
 * likely meant, then the usage of the group, or of all.
 */
int
ctl_usage_unknown(int argc, char **argv, int words)
{
	const struct ctl_cmd	 *cmds;
	const char		**names, *close;
	char			 *typed, *meant = NULL;
	size_t			  i, n = 0, ncmds;

	if (words == 1 && argc == 1) {
		ctl_warnx(_("%s: missing subcommand"), argv[0]);
		ctl_usage_group(argv[0], stderr);
		return CTL_EXIT_USAGE;
	}
	cmds = ctl_cmd_table(&ncmds);
	names = xcalloc(ncmds, sizeof(*names));
	for (i = 0; i < ncmds; i++) {
		if (words == 1) {
			if (strcmp(cmds[i].cc_name, argv[0]) == 0 &&
			    cmds[i].cc_sub != NULL)
				names[n++] = cmds[i].cc_sub;
		} else if (n == 0 ||
		    strcmp(names[n - 1], cmds[i].cc_name) != 0)
			names[n++] = cmds[i].cc_name;
	}
	close = name_closest(argv[words], names, n);
	free(names);
	if (words == 1) {
		xasprintf(&typed, "%s %s", argv[0], argv[1]);
		if (close != NULL)
			xasprintf(&meant, "%s %s", argv[0], close);
	} else {
		typed = xstrdup(argv[0]);
		if (close != NULL)
			meant = xstrdup(close);
	}
	if (meant != NULL)
		ctl_warnx(_("unknown command: %s (did you mean \"%s\"?)"),
		    typed, meant);
	else
		ctl_warnx(_("unknown command: %s"), typed);
	free(typed);
	free(meant);
	if (words == 1)
		ctl_usage_group(argv[0], stderr);
	else
		ctl_usage(stderr);
	return CTL_EXIT_USAGE;
}

/* A command's usage, then what it does, each line of that indented. */
void
ctl_usage_command(const struct ctl_cmd *cmd, FILE *fp)
{
	const char	*p, *end;

	cmd_usage(cmd, fp);
	for (p = _(cmd->cc_help); *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "\n");
		fprintf(fp, "  %.*s\n", (int)(end - p), p);
	}
}

/* How many commands begin with a word: more than one makes a group. */
size_t
ctl_usage_group_size(const char *word)
{
	const struct ctl_cmd	*cmds;
	size_t			 i, n = 0, ncmds;

	cmds = ctl_cmd_table(&ncmds);
	for (i = 0; i < ncmds; i++)
		n += strcmp(cmds[i].cc_name, word) == 0;
	return n;
}

/* Every command of a group (case, token, ...), one after the other. */
void
ctl_usage_group(const char *group, FILE *fp)
{
	const struct ctl_cmd	*cmds;
	size_t			 i, ncmds;
	int			 first = 1;

	cmds = ctl_cmd_table(&ncmds);
	for (i = 0; i < ncmds; i++) {
		if (strcmp(cmds[i].cc_name, group) != 0)
			continue;
		if (!first)
			fputc('\n', fp);
		ctl_usage_command(&cmds[i], fp);
		first = 0;
	}
	fputc('\n', fp);
	fputs(_("the global options and every command: termijnctl help\n"),
	    fp);
}

/* The message, then the usage of the command (or of all): exit status 2. */
int
ctl_usage_error(const struct ctl_cmd *cmd, const char *fmt, ...)
{
	va_list	ap;

	fputs("termijnctl: ", stderr);
	if (cmd != NULL)
		fprintf(stderr, "%s%s%s: ", cmd->cc_name,
		    cmd->cc_sub != NULL ? " " : "",
		    cmd->cc_sub != NULL ? cmd->cc_sub : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd != NULL)
		cmd_usage(cmd, stderr);
	else
		ctl_usage(stderr);
	return CTL_EXIT_USAGE;
}

int
ctl_usage_name(const struct ctl_cmd *cmd, const char *what)
{
	return ctl_usage_error(cmd, _("%s: 1 to 64 characters from A-Z a-z 0-9"
	    " . _ / -, starting with a letter or digit"), what);
}

static void
cmd_usage(const struct ctl_cmd *cmd, FILE *fp)
{
	char	*words;

	words = cmd_words(cmd);
	fprintf(fp, _("usage: termijnctl [global options] %s\n"), words);
	free(words);
}

/* "case event ID EVENT [--note-file FILE ...]": a synopsis, allocated. */
static char *
cmd_words(const struct ctl_cmd *cmd)
{
	char	*s;

	xasprintf(&s, "%s%s%s%s%s", cmd->cc_name, cmd->cc_sub != NULL ?
	    " " : "", cmd->cc_sub != NULL ? cmd->cc_sub : "",
	    *cmd->cc_args != '\0' ? " " : "", *cmd->cc_args != '\0' ?
	    _(cmd->cc_args) : "");
	return s;
}
