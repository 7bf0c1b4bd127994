/*
 * termijn: a finding of an audit verification: counted, kept in the report
 * when it is the first, and handed to the caller's callback.  The base the
 * verification's files (audit_verify.c, audit_facts.c, audit_routes.c)
 * report through.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "termijn/audit.h"

#include "audit_private.h"

int
audit_find(struct audit_run *run, int64_t link, int64_t case_id,
    const char *fmt, ...)
{
	struct audit_report	*ar = run->au_report;
	struct audit_finding	 af;
	char			 msg[sizeof(ar->ar_msg)];
	va_list			 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ar->ar_findings++ == 0) {
		ar->ar_bad = link;
		ar->ar_bad_case = case_id;
		memcpy(ar->ar_msg, msg, sizeof(msg));
	}
	if (run->au_cb != NULL) {
		af.af_link = link;
		af.af_case = case_id;
		af.af_msg = msg;
		run->au_cb(&af, run->au_arg);
	}
	return 1;
}
