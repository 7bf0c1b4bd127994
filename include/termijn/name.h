/* termijn: the names and references a client gives a case, token or team. */
#ifndef TERMIJN_NAME_H
#define TERMIJN_NAME_H

/*
 * name.c: checks shared by the engine (for the API) and termijnctl, so that
 * the client refuses what the server would refuse, with the same rule.
 */
int	 name_valid(const char *);	/* [A-Za-z0-9][A-Za-z0-9._/-]{0,63} */
int	 name_is_identifier(const char *);	/* [a-z][a-z0-9_]{0,63} */
/* A citizen service number (BSN), with or without separators, or inside. */
int	 name_looks_like_bsn(const char *);
/*
 * The candidate a mistyped name was most likely meant to be: the closest
 * by edits (a letter added, dropped, changed, or two swapped), if close
 * enough to suggest ("did you mean ..."); NULL otherwise.
 */
const char *name_closest(const char *, const char *const *, size_t);

#endif /* TERMIJN_NAME_H */
