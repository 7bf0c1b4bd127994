/*
 * termijn: a verification, shared by its files only: audit_verify.c on top
 * runs audit_facts.c and audit_routes.c, and all three report through
 * audit_find.c.
 */
#ifndef TERMIJN_AUDIT_PRIVATE_H
#define TERMIJN_AUDIT_PRIVATE_H

#include <stdint.h>

#include "termijn/audit.h"
#include "termijn/store.h"

struct audit_run {
	struct audit_report	*au_report;
	audit_finding_cb	*au_cb;
	void			*au_arg;
};

/*
 * Something is wrong: counted, kept in the report when it is the first,
 * and handed to the caller's callback.  Returns 1, for "broken"
 * (audit_find.c).
 */
int	 audit_find(struct audit_run *, int64_t link, int64_t case_id,
	    const char *, ...) __attribute__((format(printf, 4, 5)));

/* The tables against the chain, case by case (audit_facts.c). */
enum store_status audit_facts(struct store *, struct audit_run *);
/* The routes against the route log's links (audit_routes.c). */
enum store_status audit_routes(struct store *, struct audit_run *);

#endif /* TERMIJN_AUDIT_PRIVATE_H */
