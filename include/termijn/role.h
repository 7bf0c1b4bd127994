/* termijn: the roles a token acts in and a workflow names. */
#ifndef TERMIJN_ROLE_H
#define TERMIJN_ROLE_H

/* role.c: whether termijn knows the role (role.c holds the list). */
int	 role_valid(const char *);

#endif /* TERMIJN_ROLE_H */
