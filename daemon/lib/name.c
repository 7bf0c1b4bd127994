/* termijn: the names and references a client gives a case, token or team. */

#include <ctype.h>
#include <string.h>

#include "termijn/name.h"
#include "termijn/store.h"

static int	eleven_test(const char *);
static size_t	edits(const char *, const char *, size_t);

#define NAME_MAX_LEN	64

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

/* A name as workflows use them: [a-z][a-z0-9_]{0,63}. */
int
name_is_identifier(const char *s)
{
	size_t	i;

	if (s == NULL || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= STORE_NAME_LEN - 1)
			return 0;
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '_')
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

/*
 * Edits between a and b (optimal string alignment: insert, delete,
 * substitute, swap two neighbours), case-insensitively; more than cap
 * counts as cap + 1.  Names are short, so three rows of the table do.
 */
static size_t
edits(const char *a, const char *b, size_t cap)
{
	size_t	 row[3][NAME_MAX_LEN + 1], la, lb, i, j, c, best, v;
	size_t	*prev2 = row[0], *prev = row[1], *cur = row[2], *t;

	la = strnlen(a, NAME_MAX_LEN);
	lb = strnlen(b, NAME_MAX_LEN);
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = best = i;
		for (j = 1; j <= lb; j++) {
			c = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			v = prev[j - 1] + c;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb] > cap ? cap + 1 : prev[lb];
}

const char *
name_closest(const char *word, const char *const *cands, size_t n)
{
	const char	*best = NULL;
	size_t		 i, d, cap, bestd;

	/* One edit in a short name, a third of the letters in a long one. */
	cap = strlen(word) / 3;
	if (cap < 1)
		cap = 1;
	if (cap > 3)
		cap = 3;
	bestd = cap + 1;
	for (i = 0; i < n; i++)
		if ((d = edits(word, cands[i], cap)) < bestd) {
			bestd = d;
			best = cands[i];
		}
	return best;
}
