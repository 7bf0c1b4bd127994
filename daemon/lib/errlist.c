/* termijn: a growable list of error messages, so that every error is shown. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "termijn/util.h"

void
errlist_init(struct errlist *el)
{
	memset(el, 0, sizeof(*el));
}

void
errlist_add(struct errlist *el, const char *fmt, ...)
{
	va_list	ap;

	if (el == NULL)
		return;
	if (el->el_count == el->el_cap) {
		el->el_cap = el->el_cap == 0 ? 8 : el->el_cap * 2;
		el->el_msgs = xreallocarray(el->el_msgs, el->el_cap,
		    sizeof(*el->el_msgs));
	}
	va_start(ap, fmt);
	xvasprintf(&el->el_msgs[el->el_count++], fmt, ap);
	va_end(ap);
}

void
errlist_clear(struct errlist *el)
{
	size_t	i;

	for (i = 0; i < el->el_count; i++)
		free(el->el_msgs[i]);
	free(el->el_msgs);
	errlist_init(el);
}
