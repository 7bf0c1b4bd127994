/* termijn: the audit chain's encodings: what a link's hash covers, and how. */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "termijn/audit.h"
#include "termijn/store.h"
#include "termijn/util.h"

static EVP_MD_CTX *digest_start(const char *, const unsigned char *);
static void	 digest_end(EVP_MD_CTX *, unsigned char *);
static void	 digest(EVP_MD_CTX *, const void *, size_t);
static void	 put_value(EVP_MD_CTX *, const struct chain_value *);
static void	 put_be64(EVP_MD_CTX *, uint64_t);
static void	 put_field(EVP_MD_CTX *, const char *, size_t);
static void	 put_text(EVP_MD_CTX *, const char *);
static void	 put_int(EVP_MD_CTX *, int64_t);
static void	 value_int(struct chain_value *, int64_t);
static void	 value_text(struct chain_value *, const char *);
static void	 value_optional(struct chain_value *, const char *);

void
audit_transition_values(const struct transition_row *t, struct chain_value *v)
{
	memset(v, 0, AUDIT_TRANSITION_NVALUES * sizeof(*v));
	value_int(&v[0], t->t_id);
	value_int(&v[1], t->t_case);
	value_int(&v[2], t->t_at);
	value_int(&v[3], t->t_recorded_at);
	value_optional(&v[4], t->t_from);
	value_text(&v[5], t->t_to);
	value_text(&v[6], t->t_cause);
	value_optional(&v[7], t->t_event);
	value_text(&v[8], t->t_actor);
	value_optional(&v[9], t->t_note);
	value_optional(&v[10], t->t_basis);
	value_optional(&v[11], t->t_detail);
	value_optional(&v[12], t->t_workflow);
	if (t->t_version != 0)
		value_int(&v[13], t->t_version);
	if (t->t_final >= 0)
		value_int(&v[14], t->t_final);
}

void
audit_mark_values(const struct chain_mark_row *mk, struct chain_value *v)
{
	memset(v, 0, AUDIT_MARK_NVALUES * sizeof(*v));
	value_int(&v[0], mk->mk_id);
	value_text(&v[1], mk->mk_kind);
	value_int(&v[2], mk->mk_case);
	value_int(&v[3], mk->mk_at);
	value_text(&v[4], mk->mk_actor);
	value_text(&v[5], mk->mk_team);
	value_text(&v[6], mk->mk_workflow);
	value_int(&v[7], mk->mk_version);
	value_int(&v[8], mk->mk_final);
}

void
audit_route_values(const struct route_row *rt, struct chain_value *v)
{
	memset(v, 0, AUDIT_ROUTE_NVALUES * sizeof(*v));
	value_int(&v[0], rt->rt_link);
	value_text(&v[1], rt->rt_removed ? "removed" : "set");
	value_text(&v[2], rt->rt_function);
	value_optional(&v[3], rt->rt_for_team);
	value_optional(&v[4], rt->rt_for_org);
	value_text(&v[5], rt->rt_team);
	value_int(&v[6], rt->rt_at);
	value_text(&v[7], rt->rt_actor);
}

void
audit_hash(const unsigned char prev[HASH_SHA256_LEN],
    const struct transition_row *t, unsigned char out[HASH_SHA256_LEN])
{
	struct chain_value	v[AUDIT_TRANSITION_NVALUES];

	audit_transition_values(t, v);
	audit_hash_values(AUDIT_DOMAIN_TRANSITION, prev, v, nitems(v), out);
}

void
audit_hash_mark(const unsigned char prev[HASH_SHA256_LEN],
    const struct chain_mark_row *mk, unsigned char out[HASH_SHA256_LEN])
{
	struct chain_value	v[AUDIT_MARK_NVALUES];

	audit_mark_values(mk, v);
	audit_hash_values(AUDIT_DOMAIN_MARK, prev, v, nitems(v), out);
}

void
audit_hash_route(const unsigned char prev[HASH_SHA256_LEN],
    const struct route_row *rt, unsigned char out[HASH_SHA256_LEN])
{
	struct chain_value	v[AUDIT_ROUTE_NVALUES];

	audit_route_values(rt, v);
	audit_hash_values(AUDIT_DOMAIN_ROUTE, prev, v, nitems(v), out);
}

/* Encoding 2: the domain, the link before, each value with its type. */
void
audit_hash_values(const char *domain, const unsigned char prev[HASH_SHA256_LEN],
    const struct chain_value *v, size_t n, unsigned char out[HASH_SHA256_LEN])
{
	EVP_MD_CTX	*ctx;
	size_t		 i;

	ctx = digest_start(domain, prev);
	for (i = 0; i < n; i++)
		put_value(ctx, &v[i]);
	digest_end(ctx, out);
}

/* Encoding 1: the link before, then each field as a netstring. */
void
audit_hash_v1(const unsigned char prev[HASH_SHA256_LEN],
    const struct transition_row *t, unsigned char out[HASH_SHA256_LEN])
{
	EVP_MD_CTX	*ctx;

	ctx = digest_start(NULL, prev);
	put_int(ctx, t->t_id);
	put_int(ctx, t->t_case);
	put_int(ctx, t->t_at);
	put_int(ctx, t->t_recorded_at);
	put_text(ctx, t->t_from);
	put_text(ctx, t->t_to);
	put_text(ctx, t->t_cause);
	put_text(ctx, t->t_event);
	put_text(ctx, t->t_actor);
	put_text(ctx, t->t_note);
	put_text(ctx, t->t_basis);
	put_text(ctx, t->t_detail);
	digest_end(ctx, out);
}

int
audit_value_equal(const struct chain_value *a, const struct chain_value *b)
{
	if (a->cv_type != b->cv_type)
		return 0;
	switch (a->cv_type) {
	case CHAIN_NULL:
		return 1;
	case CHAIN_INT:
		return a->cv_int == b->cv_int;
	case CHAIN_REAL:
		return memcmp(&a->cv_real, &b->cv_real, sizeof(a->cv_real)) ==
		    0;
	case CHAIN_TEXT:
	case CHAIN_BLOB:
		break;
	}
	return a->cv_len == b->cv_len && (a->cv_len == 0 ||
	    memcmp(a->cv_bytes, b->cv_bytes, a->cv_len) == 0);
}

void
audit_value_str(const struct chain_value *v, int private, char *buf,
    size_t len)
{
	const char	*nul;

	switch (v->cv_type) {
	case CHAIN_NULL:
		snprintf(buf, len, "NULL");
		return;
	case CHAIN_INT:
		snprintf(buf, len, "%" PRId64, v->cv_int);
		return;
	case CHAIN_REAL:
		snprintf(buf, len, "%.17g", v->cv_real);
		return;
	case CHAIN_BLOB:
		snprintf(buf, len, "a blob of %zu bytes", v->cv_len);
		return;
	case CHAIN_TEXT:
		break;
	}
	nul = memchr(v->cv_bytes, '\0', v->cv_len);
	if (private && nul != NULL)
		snprintf(buf, len, "a text of %zu bytes with a NUL at byte %zu",
		    v->cv_len, (size_t)(nul - (const char *)v->cv_bytes));
	else if (private)
		snprintf(buf, len, "a text of %zu bytes", v->cv_len);
	else if (nul != NULL)
		snprintf(buf, len, "'%.*s' and %zu bytes after a NUL",
		    (int)(nul - (const char *)v->cv_bytes),
		    (const char *)v->cv_bytes,
		    v->cv_len - (size_t)(nul - (const char *)v->cv_bytes) - 1);
	else
		snprintf(buf, len, "'%.*s'", v->cv_len > 64 ? 64 :
		    (int)v->cv_len, (const char *)v->cv_bytes);
}

static EVP_MD_CTX *
digest_start(const char *domain, const unsigned char *prev)
{
	EVP_MD_CTX	*ctx;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		fatalx("SHA-256 failed");
	if (domain != NULL)
		digest(ctx, domain, strlen(domain) + 1);
	digest(ctx, prev, HASH_SHA256_LEN);
	return ctx;
}

static void
digest_end(EVP_MD_CTX *ctx, unsigned char *out)
{
	unsigned int	n = HASH_SHA256_LEN;

	if (EVP_DigestFinal_ex(ctx, out, &n) != 1 || n != HASH_SHA256_LEN)
		fatalx("SHA-256 failed");
	EVP_MD_CTX_free(ctx);
}

static void
digest(EVP_MD_CTX *ctx, const void *p, size_t len)
{
	if (len > 0 && EVP_DigestUpdate(ctx, p, len) != 1)
		fatalx("SHA-256 failed");
}

static void
put_value(EVP_MD_CTX *ctx, const struct chain_value *v)
{
	uint64_t	bits;

	switch (v->cv_type) {
	case CHAIN_NULL:
		digest(ctx, "N", 1);
		return;
	case CHAIN_INT:
		digest(ctx, "I", 1);
		put_be64(ctx, (uint64_t)v->cv_int);
		return;
	case CHAIN_REAL:
		digest(ctx, "R", 1);
		memcpy(&bits, &v->cv_real, sizeof(bits));
		put_be64(ctx, bits);
		return;
	case CHAIN_TEXT:
		digest(ctx, "T", 1);
		break;
	case CHAIN_BLOB:
		digest(ctx, "B", 1);
		break;
	}
	put_be64(ctx, (uint64_t)v->cv_len);
	digest(ctx, v->cv_bytes, v->cv_len);
}

static void
put_be64(EVP_MD_CTX *ctx, uint64_t x)
{
	unsigned char	b[8];
	int		i;

	for (i = 7; i >= 0; i--) {
		b[i] = x & 0xff;
		x >>= 8;
	}
	digest(ctx, b, sizeof(b));
}

/* Encoding 1's field: its length, a colon, its bytes, a comma. */
static void
put_field(EVP_MD_CTX *ctx, const char *s, size_t len)
{
	char	prefix[32];
	int	n;

	n = snprintf(prefix, sizeof(prefix), "%zu:", len);
	digest(ctx, prefix, (size_t)n);
	digest(ctx, s, len);
	digest(ctx, ",", 1);
}

static void
put_text(EVP_MD_CTX *ctx, const char *s)
{
	put_field(ctx, s, strlen(s));
}

static void
put_int(EVP_MD_CTX *ctx, int64_t v)
{
	char	buf[32];
	int	n;

	n = snprintf(buf, sizeof(buf), "%" PRId64, v);
	put_field(ctx, buf, (size_t)n);
}

static void
value_int(struct chain_value *v, int64_t x)
{
	v->cv_type = CHAIN_INT;
	v->cv_int = x;
}

static void
value_text(struct chain_value *v, const char *s)
{
	v->cv_type = CHAIN_TEXT;
	v->cv_bytes = s;
	v->cv_len = strlen(s);
}

/* An optional text: termijn writes NULL, never '', when there is none. */
static void
value_optional(struct chain_value *v, const char *s)
{
	if (s[0] == '\0')
		v->cv_type = CHAIN_NULL;
	else
		value_text(v, s);
}
