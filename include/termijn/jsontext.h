/* termijn: a JSON value written as compact text, fast. */
#ifndef TERMIJN_JSONTEXT_H
#define TERMIJN_JSONTEXT_H

#include <jansson.h>

/*
 * The text json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15)) writes,
 * byte for byte, in a tenth of its time: see jsontext.c.  The caller
 * frees it.  NULL only where json_dumps would fail too.
 */
char	*json_text(json_t *o);

#endif /* TERMIJN_JSONTEXT_H */
