/* termijn: what termijnctl says of itself: a message on stderr; stdout written whole. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"

/* Output that could not be written is a failure, as in any filter. */
int
ctl_finish_stdout(int ret)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "termijnctl: stdout: %s\n", strerror(errno));
		return CTL_EXIT_ERR;
	}
	return ret;
}

/* A message on stderr after the program's name, on a line of its own. */
void
ctl_warnx(const char *fmt, ...)
{
	va_list	ap;

	fputs("termijnctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
