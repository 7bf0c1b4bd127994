/* termijn: the roles a token acts in and a workflow names. */

#include <string.h>

#include "termijn/role.h"
#include "termijn/util.h"

/*
 * The roles termijn knows.  What each may do: engine_access.c (who may see
 * and do what) and the workflow, which names the roles of each event.
 */
int
role_valid(const char *role)
{
	static const char *roles[] = {
		"admin", "caseworker", "youth_worker", "enforcement",
		"supervisor", "system", "reader", "feed", "metrics",
	};
	size_t	i;

	for (i = 0; i < nitems(roles); i++)
		if (strcmp(role, roles[i]) == 0)
			return 1;
	return 0;
}

int
role_works(const char *role)
{
	static const char *roles[] = {
		"caseworker", "youth_worker", "enforcement", "supervisor",
	};
	size_t	i;

	for (i = 0; i < nitems(roles); i++)
		if (strcmp(role, roles[i]) == 0)
			return 1;
	return 0;
}
