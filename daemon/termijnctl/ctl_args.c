/*
 * termijn: termijnctl's command line: the global options, a command's
 * own options and its arguments, a case id, a count.
 */

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/util.h"

#include "ctl.h"

#define CTL_MAX_TIMEOUT		3600

static int	global_option(struct ctl *, const struct ctl_cmd *, int,
		    const char *, int *);
static const char *optname(const char *, char *, size_t);

/*
 * The global options, before the command or among its own options after
 * it ("termijnctl overdue --json"), where a command's own option of the
 * same name comes first.
 */
static const struct option globals[] = {
	{ "url", required_argument, NULL, 'u' },
	{ "token", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, 'j' },
	{ "csv", no_argument, NULL, 'C' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "purpose", required_argument, NULL, 'p' },
};

/* The struct ctl the command runs with, for ctl_args to set globals in. */
static struct ctl *current;

/* A global option: 0, or -1 with the usage error printed in *ret. */
static int
global_option(struct ctl *ctl, const struct ctl_cmd *cmd, int ch,
    const char *arg, int *ret)
{
	char	*end;
	long	 l;

	switch (ch) {
	case 'u':
		ctl->c_url = arg;
		break;
	case 't':
		ctl->c_token = arg;
		break;
	case 'j':
		ctl->c_json = 1;
		break;
	case 'C':
		ctl->c_csv = 1;
		break;
	case 'T':
		errno = 0;
		l = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || l < 1 ||
		    l > CTL_MAX_TIMEOUT) {
			*ret = ctl_usage_error(cmd, _("--timeout: %s: not a "
			    "number of seconds from 1 to %d"), arg,
			    CTL_MAX_TIMEOUT);
			return -1;
		}
		ctl->c_timeout = l;
		break;
	case 'p':
		if (!ctl_api_purpose_valid(arg)) {
			*ret = ctl_usage_error(cmd, _("--purpose: 1 to %d "
			    "printable ASCII characters (it travels in a "
			    "header)"), CTL_PURPOSE_MAX);
			return -1;
		}
		ctl->c_purpose = arg;
		break;
	default:
		fatalx("global option %d", ch);
	}
	return 0;
}

/*
 * The global options before the command (they stop at it), with --help
 * and --version: 0 with optind at the command, 'h' or 'V' for --help or
 * --version, or -1 with the usage error's exit status in *ret.
 */
int
ctl_args_global(struct ctl *ctl, int argc, char **argv, int *ret)
{
	struct option	 opts[nitems(globals) + 3];
	char		 opt[64];
	size_t		 i;
	int		 ch;

	/* "+" turns off permutation. */
	for (i = 0; i < nitems(globals); i++)
		opts[i] = globals[i];
	opts[i++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[i++] = (struct option){ "version", no_argument, NULL, 'V' };
	opts[i] = (struct option){ NULL, 0, NULL, 0 };
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'u':
		case 't':
		case 'j':
		case 'C':
		case 'T':
		case 'p':
			if (global_option(ctl, NULL, ch, optarg, ret) == -1)
				return -1;
			break;
		case 'h':
		case 'V':
			return ch;
		case ':':
			*ret = ctl_usage_error(NULL, _("%s needs a value"),
			    optname(argv[optind - 1], opt, sizeof(opt)));
			return -1;
		default:
			*ret = ctl_usage_error(NULL, _("unknown option %s"),
			    optname(argv[optind - 1], opt, sizeof(opt)));
			return -1;
		}
	}
	return 0;
}

/* The struct ctl the command runs with: ctl_args sets globals in it. */
void
ctl_args_bind(struct ctl *ctl)
{
	current = ctl;
}

/* --json and --csv, and --csv only where the API answers CSV. */
int
ctl_args_output(const struct ctl *ctl, const struct ctl_cmd *cmd, int *ret)
{
	if (ctl->c_json && ctl->c_csv)
		*ret = ctl_usage_error(cmd, _("--json and --csv: choose one"));
	else if (ctl->c_csv && cmd != NULL && !cmd->cc_csv)
		*ret = ctl_usage_error(cmd, _("--csv: only the views (overdue,"
		    " at-risk, summary, queue, report), case list and team"
		    " people answer CSV"));
	else
		return 0;
	return -1;
}

/*
 * A command's options, before or after its positional arguments, and
 * exactly npos of those.  Returns 0 to go on, or -1 with the exit status
 * in *ret: 0 after --help, 2 after a usage error (already printed).
 */
int
ctl_args(const struct ctl_cmd *cmd, int argc, char **argv,
    const struct ctl_opt *opts, size_t nopts, int npos, char ***pos,
    int *ret)
{
	struct option	*lo;
	char		 opt[64];
	size_t		 i, j;
	int		 ch;

	lo = xcalloc(nopts + nitems(globals) + 2, sizeof(*lo));
	for (i = 0; i < nopts; i++) {
		lo[i].name = opts[i].co_name;
		lo[i].has_arg = opts[i].co_value != NULL ||
		    opts[i].co_list != NULL ? required_argument : no_argument;
		lo[i].val = CTL_OPT_BASE + (int)i;
	}
	/* A global option, unless the command has one of that name. */
	for (j = 0; j < nitems(globals); j++) {
		for (ch = 0; ch < (int)nopts; ch++)
			if (strcmp(opts[ch].co_name, globals[j].name) == 0)
				break;
		if (ch == (int)nopts)
			lo[i++] = globals[j];
	}
	lo[i].name = "help";
	lo[i].val = 'h';

	/* 0 makes glibc start over on a new argument vector. */
	optind = 0;
	opterr = 0;
	*ret = CTL_EXIT_OK;
	while ((ch = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		if (ch == 'h') {
			ctl_usage_command(cmd, stdout);
			goto fail;
		} else if (ch == ':') {
			*ret = ctl_usage_error(cmd, _("%s needs a value"),
			    optname(argv[optind - 1], opt, sizeof(opt)));
			goto fail;
		} else if (ch < CTL_OPT_BASE && ch != '?') {
			if (current == NULL || global_option(current, cmd, ch,
			    optarg, ret) == -1) {
				if (current == NULL)
					*ret = ctl_usage_error(cmd, _("%s: a"
					    " global option"), optname(argv[
					    optind - 1], opt, sizeof(opt)));
				goto fail;
			}
			continue;
		} else if (ch == '?' || ch >= CTL_OPT_BASE + (int)nopts) {
			*ret = ctl_usage_error(cmd, _("unknown option %s"),
			    optname(argv[optind - 1], opt, sizeof(opt)));
			goto fail;
		}
		i = ch - CTL_OPT_BASE;
		if (opts[i].co_value != NULL)
			*opts[i].co_value = optarg;
		else if (opts[i].co_list != NULL) {
			opts[i].co_list->cl_values = xreallocarray(
			    opts[i].co_list->cl_values,
			    opts[i].co_list->cl_count + 1, sizeof(char *));
			opts[i].co_list->cl_values[opts[i].co_list->cl_count++] =
			    optarg;
		} else
			*opts[i].co_flag = 1;
	}
	if (current != NULL && ctl_args_output(current, cmd, ret) == -1)
		goto fail;
	if (argc - optind < npos) {
		*ret = ctl_usage_error(cmd, "%s", P_("missing argument",
		    "missing arguments", npos - (argc - optind)));
		goto fail;
	}
	if (argc - optind > npos) {
		*ret = ctl_usage_error(cmd, _("unexpected argument %s"),
		    argv[optind + npos]);
		goto fail;
	}
	*pos = argv + optind;
	free(lo);
	return 0;

fail:
	free(lo);
	return -1;
}

/*
 * An option as typed, without a value glued on with '=': "--token=..." is
 * echoed as "--token", so that a token never reaches a message.
 */
static const char *
optname(const char *arg, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(arg, "="), arg);
	return buf;
}

/* A case id: a positive decimal number. */
int
ctl_parse_id(const struct ctl_cmd *cmd, const char *s, int64_t *id)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 ||
	    (*s < '0' || *s > '9'))
		return ctl_usage_error(cmd, _("%s: not a case id"), s);
	*id = v;
	return CTL_EXIT_OK;
}

/*
 * A count given to an option: a whole number from 1 to max; NULL (not
 * given) is fine.  Returns the exit status.
 */
int
ctl_parse_count(const struct ctl_cmd *cmd, const char *opt, const char *s,
    long max)
{
	char	*end;
	long	 l;

	if (s == NULL)
		return CTL_EXIT_OK;
	errno = 0;
	l = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || l < 1 || l > max)
		return ctl_usage_error(cmd, _("%s: %s: not a whole number from"
		    " 1 to %ld"), opt, s, max);
	return CTL_EXIT_OK;
}
