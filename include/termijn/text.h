/* termijn: the free text a person writes, checked against its limit. */
#ifndef TERMIJN_TEXT_H
#define TERMIJN_TEXT_H

#include <stddef.h>

#include "termijn/limits.h"

/*
 * text.c: one check for every free-text field (limits.h has the limits),
 * which termijnd's handlers, termijnctl and the engine each apply, so that
 * each refuses what the others would, in the same words.
 *
 * text_check: whether s may be stored as field: UTF-8 of at most max
 * bytes.  0, or -1 with err saying what is wrong, naming field and the
 * limit and quoting nothing of s (a note is personal data).
 */
int	 text_check(const char *field, const char *s, size_t max, char *err,
	    size_t errlen);
/*
 * text_check_name: whether s may be stored as field, a person's name as
 * people read it: text_check's UTF-8 and limit, and one line that is not
 * blank, holds no control character (nor the marks that reorder text on
 * a screen) and neither begins nor ends with a space.  Quotes nothing of
 * s either: a person's name is personal data.
 */
int	 text_check_name(const char *field, const char *s, size_t max,
	    char *err, size_t errlen);
/*
 * Copy s whole into dst, a buffer of size bytes; -1, leaving dst empty,
 * when it does not fit.  Where free text goes into a row, so that a check
 * forgotten refuses instead of cutting.
 */
int	 text_copy(char *dst, size_t size, const char *s);
/*
 * In a JSON object's text of len bytes (text[len] a NUL), the name of the
 * top-level member whose value holds byte pos in one of its strings,
 * copied into name as quote_input has it: 1; or 0 when pos is elsewhere
 * (in a member's name, between values).  For a body that jansson refused
 * at pos, so that the answer can name the field.
 */
int	 text_json_member(const char *text, size_t len, size_t pos,
	    char *name, size_t namelen);

#endif /* TERMIJN_TEXT_H */
