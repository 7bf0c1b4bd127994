/* termijn: the roles a token acts in and a workflow names. */
#ifndef TERMIJN_ROLE_H
#define TERMIJN_ROLE_H

/* The roles a token for people may have: all but system, which timers act as. */
#define ROLE_LIST_PEOPLE \
	"caseworker, youth_worker, enforcement, supervisor, reader, admin"

/* role.c: whether termijn knows the role (role.c holds the list). */
int	 role_valid(const char *);

#endif /* TERMIJN_ROLE_H */
