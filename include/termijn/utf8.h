/* termijn: UTF-8 as RFC 3629 has it, for text that came from outside. */
#ifndef TERMIJN_UTF8_H
#define TERMIJN_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * utf8.c.  Well-formed means no overlong forms, no surrogates and nothing
 * past U+10FFFF.  utf8_decode gives the length of the well-formed sequence
 * at s and its code point, or 0 (also at the NUL).  utf8_scrub replaces in
 * place each byte that does not start one with '?'.
 */
size_t	 utf8_decode(const char *s, uint32_t *cp);
void	 utf8_scrub(char *);
/*
 * How many bytes at the start of s[0..len) are well-formed UTF-8: len when
 * all are (a NUL counts as a character).  s[len] must be readable and a
 * NUL, as at the end of a C string, so that a sequence cut short by len is
 * never read past it.
 */
size_t	 utf8_span(const char *s, size_t len);
/*
 * A copy of s, to be freed, with U+FFFD (the replacement character) for
 * each byte that utf8_scrub would replace: text stored before termijn
 * refused what is not UTF-8 can still be shown, marked where it is broken.
 */
char	*utf8_replace(const char *s);

#endif /* TERMIJN_UTF8_H */
