/* termijn: the names and references a client gives a case, token or team. */

#include <ctype.h>
#include <string.h>

#include "termijn/name.h"
#include "termijn/store.h"

static int	eleven_test(const char *);

/* [A-Za-z0-9][A-Za-z0-9._/-]{0,63}: safe in paths, logs and URLs. */
int
name_valid(const char *s)
{
	size_t	i;

	if (s == NULL || !isalnum((unsigned char)s[0]))
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= STORE_NAME_LEN - 1)
			return 0;
		if (!isalnum((unsigned char)s[i]) && strchr("._/-", s[i]) == NULL)
			return 0;
	}
	return 1;
}

/*
 * A citizen service number (BSN) has 9 digits (older ones 8, written with
 * a leading zero) and passes the eleven-test: 9*d1 + 8*d2 + ... + 2*d8 -
 * d9 is a multiple of 11 (and not 0).  termijn refuses references that are
 * such a number, written with or without separators, or that contain one as
 * a run of 9 digits.
 */
int
name_looks_like_bsn(const char *ref)
{
	char	 digits[65];
	size_t	 n = 0, run;
	const char *p;

	for (p = ref; *p != '\0' && n < sizeof(digits) - 1; p++) {
		if (isdigit((unsigned char)*p))
			digits[n++] = *p;
		else if (*p != '.' && *p != ' ' && *p != '-')
			break;
	}
	digits[n] = '\0';
	if (*p == '\0') {
		if (n == 9 && eleven_test(digits))
			return 1;
		if (n == 8) {
			char	padded[10] = "0";

			memcpy(padded + 1, digits, 9);
			if (eleven_test(padded))
				return 1;
		}
	}
	for (p = ref; *p != '\0'; p += run ? run : 1) {
		run = strspn(p, "0123456789");
		if (run == 9 && eleven_test(p))
			return 1;
	}
	return 0;
}

/* 9*d1 + 8*d2 + ... + 2*d8 - d9: a multiple of 11, and not 0. */
static int
eleven_test(const char *d)
{
	int	i, sum = 0;

	for (i = 0; i < 8; i++)
		sum += (9 - i) * (d[i] - '0');
	sum -= d[8] - '0';
	return sum != 0 && sum % 11 == 0;
}
