/*
 * termijn: termijnctl's command table, as main hands it over, and the
 * command argv names.  The table names every command's function, so it
 * lives above the commands (termijnctl.c); the usage, below them, reads it
 * here.
 */

#include <stddef.h>
#include <string.h>

#include "ctl.h"

static const struct ctl_cmd	*commands;
static size_t			 ncommands;

void
ctl_cmd_init(const struct ctl_cmd *table, size_t n)
{
	commands = table;
	ncommands = n;
}

/* Every command, in the table's order, and how many there are. */
const struct ctl_cmd *
ctl_cmd_table(size_t *n)
{
	*n = ncommands;
	return commands;
}

/*
 * The command that argv names, and how many words name it; NULL when none
 * does, with *words 1 when the first word begins a two-word command.
 */
const struct ctl_cmd *
ctl_cmd_find(int argc, char **argv, int *words)
{
	size_t	i;

	*words = 0;
	for (i = 0; i < ncommands; i++) {
		if (strcmp(argv[0], commands[i].cc_name) != 0)
			continue;
		if (commands[i].cc_sub == NULL) {
			*words = 1;
			return &commands[i];
		}
		if (argc > 1 && strcmp(argv[1], commands[i].cc_sub) == 0) {
			*words = 2;
			return &commands[i];
		}
		*words = 1;
	}
	return NULL;
}
