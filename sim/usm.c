/*
 * usm.c: SNMPv3 message processing (RFC 3412) and the User-based Security
 * Model (RFC 3414, RFC 7860, RFC 3826) for the simulator's authoritative
 * engines.  See usm.h for the contract.
 *
 * Crypto uses OpenSSL's low-level SHA and AES functions, deprecated in
 * 3.0 but present: they work on plain structs, so a per-request HMAC is
 * two struct copies of precomputed pad states and no allocation.  OpenSSL
 * 3.0's EVP_MD_CTX_copy_ex() and HMAC re-init duplicate provider contexts
 * on the heap at every call.
 *
 * A message is built in out: the PDU first, at a fixed headroom, then its
 * headers in front of it, then one memmove to the start of out, then the
 * MAC over the whole message.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <stdint.h>
#include <string.h>
#include <time.h>

#include <openssl/aes.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "usm.h"

#define F_AUTH		0x01		/* msgFlags */
#define F_PRIV		0x02
#define F_REPORTABLE	0x04
#define SEC_MODEL_USM	3
#define MSG_SIZE_MIN	484		/* RFC 3412 msgMaxSize lower bound */
#define PASS_EXPAND	1048576		/* RFC 3414 A.2: one megabyte */
#define SALT_LEN	8
#define HEADROOM	448		/* >= every header before the PDU */
#define SCOPED_HDR_MAX	(4 + 2 + USM_ENGINE_ID_MAX + 2 + USM_NAME_MAX)
/*
 * The request-id of a Report whose request could not be read (encrypted,
 * or not decryptable): 0, as net-snmp's agent sends and its clients match
 * by msgID.
 */
#define REPORT_REQID_UNKNOWN "\x02\x01\x00"

#define T_INT		0x02
#define T_OCTETS	0x04
#define T_OID		0x06
#define T_SEQ		0x30
#define T_COUNTER32	0x41
#define T_REPORT	0xa8

/* A decrypted scoped PDU: per thread, so no allocation and no sharing. */
static _Thread_local uint8_t plain[USM_MSG_MAX];

/* What the security check of a message found, RFC 3414 3.2. */
struct inmsg {
	uint32_t	 msgid;
	uint32_t	 maxsize;
	uint8_t		 flags;
	const uint8_t	*engine;	/* msgAuthoritativeEngineID */
	size_t		 engine_len;
	uint32_t	 boots;
	uint32_t	 time;
	const uint8_t	*user;		/* msgUserName */
	size_t		 user_len;
	const uint8_t	*authp;		/* msgAuthenticationParameters */
	size_t		 authp_len;
	const uint8_t	*privp;		/* msgPrivacyParameters */
	size_t		 privp_len;
	const uint8_t	*data;		/* msgData value: ScopedPDU or cipher */
	size_t		 data_len;
	const uint8_t	*scoped;	/* plaintext ScopedPDU TLV */
	size_t		 scoped_len;
	const uint8_t	*ctxname;	/* contextName */
	size_t		 ctxname_len;
	const uint8_t	*pdu;		/* request PDU TLV */
	size_t		 pdu_len;
	const uint8_t	*reqid;		/* request-id TLV, for reports */
	size_t		 reqid_len;
};

/* --- hashes ---------------------------------------------------------- */

static size_t
hash_len(enum usm_auth a)
{
	switch (a) {
	case USM_AUTH_SHA:
		return (SHA_DIGEST_LENGTH);
	case USM_AUTH_SHA224:
		return (SHA224_DIGEST_LENGTH);
	case USM_AUTH_SHA256:
		return (SHA256_DIGEST_LENGTH);
	case USM_AUTH_SHA384:
		return (SHA384_DIGEST_LENGTH);
	case USM_AUTH_SHA512:
		return (SHA512_DIGEST_LENGTH);
	default:
		return (0);
	}
}

/* The truncated MAC lengths of RFC 3414 (96 bits) and RFC 7860. */
static size_t
mac_len(enum usm_auth a)
{
	switch (a) {
	case USM_AUTH_SHA:
		return (12);
	case USM_AUTH_SHA224:
		return (16);
	case USM_AUTH_SHA256:
		return (24);
	case USM_AUTH_SHA384:
		return (32);
	case USM_AUTH_SHA512:
		return (48);
	default:
		return (0);
	}
}

static size_t
block_len(enum usm_auth a)
{
	return (a == USM_AUTH_SHA384 || a == USM_AUTH_SHA512 ? 128 : 64);
}

static void
h_init(enum usm_auth a, union usm_hash_ctx *c)
{
	switch (a) {
	case USM_AUTH_SHA:
		SHA1_Init(&c->sha1);
		break;
	case USM_AUTH_SHA224:
		SHA224_Init(&c->sha256);
		break;
	case USM_AUTH_SHA256:
		SHA256_Init(&c->sha256);
		break;
	case USM_AUTH_SHA384:
		SHA384_Init(&c->sha512);
		break;
	default:
		SHA512_Init(&c->sha512);
		break;
	}
}

static void
h_update(enum usm_auth a, union usm_hash_ctx *c, const void *p, size_t n)
{
	switch (a) {
	case USM_AUTH_SHA:
		SHA1_Update(&c->sha1, p, n);
		break;
	case USM_AUTH_SHA224:
		SHA224_Update(&c->sha256, p, n);
		break;
	case USM_AUTH_SHA256:
		SHA256_Update(&c->sha256, p, n);
		break;
	case USM_AUTH_SHA384:
		SHA384_Update(&c->sha512, p, n);
		break;
	default:
		SHA512_Update(&c->sha512, p, n);
		break;
	}
}

static void
h_final(enum usm_auth a, union usm_hash_ctx *c, uint8_t *md)
{
	switch (a) {
	case USM_AUTH_SHA:
		SHA1_Final(md, &c->sha1);
		break;
	case USM_AUTH_SHA224:
		SHA224_Final(md, &c->sha256);
		break;
	case USM_AUTH_SHA256:
		SHA256_Final(md, &c->sha256);
		break;
	case USM_AUTH_SHA384:
		SHA384_Final(md, &c->sha512);
		break;
	default:
		SHA512_Final(md, &c->sha512);
		break;
	}
}

int
usm_password_to_key(enum usm_auth auth, const char *pass, size_t len,
    uint8_t *ku)
{
	union usm_hash_ctx	 c;
	uint8_t			 buf[64];
	size_t			 i, n, k = 0;

	if (hash_len(auth) == 0 || len == 0)
		return (-1);
	h_init(auth, &c);
	for (n = 0; n < PASS_EXPAND; n += sizeof(buf)) {
		for (i = 0; i < sizeof(buf); i++) {
			buf[i] = (uint8_t)pass[k];
			if (++k == len)
				k = 0;
		}
		h_update(auth, &c, buf, sizeof(buf));
	}
	h_final(auth, &c, ku);
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(&c, sizeof(c));
	return (0);
}

size_t
usm_localize(enum usm_auth auth, const uint8_t *ku, const uint8_t *engine,
    size_t engine_len, uint8_t *kul)
{
	union usm_hash_ctx	 c;
	size_t			 n = hash_len(auth);

	if (n == 0)
		return (0);
	h_init(auth, &c);
	h_update(auth, &c, ku, n);
	h_update(auth, &c, engine, engine_len);
	h_update(auth, &c, ku, n);
	h_final(auth, &c, kul);
	OPENSSL_cleanse(&c, sizeof(c));
	return (n);
}

/*
 * HMAC (RFC 2104) of up to three pieces, from the user's precomputed pad
 * states; the result is truncated to the protocol's MAC length by the
 * caller.  The middle piece may be NULL: that many zero octets, the
 * authentication parameters as RFC 3414 6.3.1 hashes them.
 */
static void
hmac3(const struct usm_user *u, const uint8_t *a, size_t alen,
    const uint8_t *b, size_t blen, const uint8_t *c, size_t clen,
    uint8_t *md)
{
	static const uint8_t	 zeros[USM_KEY_MAX];
	union usm_hash_ctx	 h;
	uint8_t			 inner[USM_KEY_MAX];

	h = u->ipad;
	h_update(u->auth, &h, a, alen);
	if (blen > 0)
		h_update(u->auth, &h, b != NULL ? b : zeros, blen);
	if (clen > 0)
		h_update(u->auth, &h, c, clen);
	h_final(u->auth, &h, inner);
	h = u->opad;
	h_update(u->auth, &h, inner, u->auth_key_len);
	h_final(u->auth, &h, md);
}

/* --- engines and users ----------------------------------------------- */

static time_t
mono_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec);
}

static uint32_t
engine_time(const struct usm_engine *e)
{
	time_t	 t = mono_s() - e->start;

	if (t < 0)
		return (0);
	if (t > 0x7fffffff)
		return (0x7fffffff);
	return ((uint32_t)t);
}

int
usm_engine_init(struct usm_engine *e, const uint8_t *id, size_t id_len,
    uint32_t boots)
{
	if (id_len < 5 || id_len > USM_ENGINE_ID_MAX)
		return (-1);
	memset(e, 0, sizeof(*e));
	memcpy(e->id, id, id_len);
	e->id_len = id_len;
	e->boots = boots;
	e->start = mono_s();
	/* Salts of distinct engines start apart; RFC 3826 asks only that
	 * they do not repeat for one key. */
	e->salt = ((uint64_t)id[id_len - 1] << 56) ^ ((uint64_t)boots << 32) ^
	    (uint64_t)e->start;
	return (0);
}

size_t
usm_engine_id(uint8_t *id, uint64_t seed, uint32_t index)
{
	size_t	 n = 0;
	int	 i;

	id[n++] = 0x80;			/* RFC 3411 format, enterprise 2636 */
	id[n++] = 0x00;
	id[n++] = 0x0a;
	id[n++] = 0x4c;
	id[n++] = 0x05;			/* octets, administratively assigned */
	memcpy(id + n, "ibsim", 5);
	n += 5;
	for (i = 3; i >= 0; i--)
		id[n++] = (uint8_t)(seed >> (i * 8));
	for (i = 3; i >= 0; i--)
		id[n++] = (uint8_t)(index >> (i * 8));
	return (n);
}

int
usm_secret_init(struct usm_secret *s, const char *name, enum usm_auth auth,
    const char *auth_pass, enum usm_priv priv, const char *priv_pass)
{
	size_t	 n;

	memset(s, 0, sizeof(*s));
	if (name == NULL || (n = strlen(name)) == 0 || n > USM_NAME_MAX)
		return (-1);
	if (auth == USM_AUTH_NONE && priv != USM_PRIV_NONE)
		return (-1);
	if (priv != USM_PRIV_NONE && priv != USM_PRIV_AES)
		return (-1);
	memcpy(s->name, name, n);
	s->name_len = n;
	s->auth = auth;
	s->priv = priv;
	if (auth == USM_AUTH_NONE)
		return (0);
	if ((s->ku_len = hash_len(auth)) == 0 || auth_pass == NULL ||
	    strlen(auth_pass) < 8)
		goto bad;
	if (usm_password_to_key(auth, auth_pass, strlen(auth_pass),
	    s->auth_ku) == -1)
		goto bad;
	if (priv == USM_PRIV_NONE)
		return (0);
	if (priv_pass == NULL || strlen(priv_pass) < 8 ||
	    usm_password_to_key(auth, priv_pass, strlen(priv_pass),
	    s->priv_ku) == -1)
		goto bad;
	return (0);
bad:
	usm_secret_clear(s);
	return (-1);
}

void
usm_secret_clear(struct usm_secret *s)
{
	OPENSSL_cleanse(s, sizeof(*s));
}

int
usm_user_init(struct usm_user *u, const struct usm_secret *s,
    const struct usm_engine *e)
{
	uint8_t		 kul[USM_KEY_MAX], pad[128];
	size_t		 i, bl;

	memset(u, 0, sizeof(*u));
	memcpy(u->name, s->name, s->name_len);
	u->name_len = s->name_len;
	u->auth = s->auth;
	u->priv = s->priv;
	if (s->auth == USM_AUTH_NONE)
		return (0);
	u->auth_key_len = usm_localize(s->auth, s->auth_ku, e->id, e->id_len,
	    u->auth_key);
	if (u->auth_key_len == 0)
		return (-1);
	u->mac_len = mac_len(s->auth);
	/* RFC 2104: the key is shorter than the block, so it is padded. */
	bl = block_len(s->auth);
	memset(pad, 0x36, bl);
	for (i = 0; i < u->auth_key_len; i++)
		pad[i] ^= u->auth_key[i];
	h_init(s->auth, &u->ipad);
	h_update(s->auth, &u->ipad, pad, bl);
	memset(pad, 0x5c, bl);
	for (i = 0; i < u->auth_key_len; i++)
		pad[i] ^= u->auth_key[i];
	h_init(s->auth, &u->opad);
	h_update(s->auth, &u->opad, pad, bl);
	OPENSSL_cleanse(pad, sizeof(pad));
	if (s->priv == USM_PRIV_NONE)
		return (0);
	/* RFC 3826 1.2: the first 128 bits of the localised key. */
	usm_localize(s->auth, s->priv_ku, e->id, e->id_len, kul);
	memcpy(u->priv_key, kul, USM_PRIV_KEY_LEN);
	OPENSSL_cleanse(kul, sizeof(kul));
	if (AES_set_encrypt_key(u->priv_key, 128, &u->aes) != 0)
		return (-1);
	return (0);
}

/* --- BER ------------------------------------------------------------- */

struct ber {
	const uint8_t	*p;
	const uint8_t	*end;
};

/*
 * Read one TLV of the given tag (definite length, at most 4 length
 * octets); *v and *vlen get its value.  Advances past it.  0, or -1.
 */
static int
ber_get(struct ber *b, uint8_t tag, const uint8_t **v, size_t *vlen)
{
	const uint8_t	*p = b->p;
	size_t		 len, n;

	if (b->end - p < 2 || *p++ != tag)
		return (-1);
	len = *p++;
	if (len & 0x80) {
		n = len & 0x7f;
		if (n == 0 || n > 4 || (size_t)(b->end - p) < n)
			return (-1);
		for (len = 0; n > 0; n--)
			len = (len << 8) | *p++;
	}
	if ((size_t)(b->end - p) < len)
		return (-1);
	*v = p;
	*vlen = len;
	b->p = p + len;
	return (0);
}

static int
ber_enter(struct ber *b, uint8_t tag, struct ber *in)
{
	const uint8_t	*v;
	size_t		 n;

	if (ber_get(b, tag, &v, &n) == -1)
		return (-1);
	in->p = v;
	in->end = v + n;
	return (0);
}

/* A non-negative INTEGER that fits 31 bits, as every header field is. */
static int
ber_uint31(struct ber *b, uint32_t *out)
{
	const uint8_t	*v;
	size_t		 n, i;
	uint64_t	 x = 0;

	if (ber_get(b, T_INT, &v, &n) == -1 || n == 0 || n > 5 ||
	    (v[0] & 0x80))
		return (-1);
	for (i = 0; i < n; i++)
		x = (x << 8) | v[i];
	if (x > 0x7fffffff)
		return (-1);
	*out = (uint32_t)x;
	return (0);
}

static int
ber_octets(struct ber *b, const uint8_t **v, size_t *n, size_t max)
{
	if (ber_get(b, T_OCTETS, v, n) == -1 || *n > max)
		return (-1);
	return (0);
}

static size_t
len_size(size_t len)
{
	if (len < 0x80)
		return (1);
	if (len < 0x100)
		return (2);
	if (len < 0x10000)
		return (3);
	return (4);
}

/* Tag and length at p; returns the octets written (2..5). */
static size_t
put_hdr(uint8_t *p, uint8_t tag, size_t len)
{
	size_t	 n = len_size(len), i;

	p[0] = tag;
	if (n == 1) {
		p[1] = (uint8_t)len;
		return (2);
	}
	p[1] = (uint8_t)(0x80 | (n - 1));
	for (i = 0; i < n - 1; i++)
		p[2 + i] = (uint8_t)(len >> ((n - 2 - i) * 8));
	return (n + 1);
}

static size_t
hdr_size(size_t len)
{
	return (1 + len_size(len));
}

/* A non-negative INTEGER (or Counter32 with tag) of up to 32 bits. */
static size_t
put_uint(uint8_t *p, uint8_t tag, uint32_t v)
{
	uint8_t	 tmp[5];
	size_t	 n = 0, i;

	do {
		tmp[n++] = (uint8_t)v;
		v >>= 8;
	} while (v != 0);
	if (tmp[n - 1] & 0x80)
		tmp[n++] = 0;
	p[0] = tag;
	p[1] = (uint8_t)n;
	for (i = 0; i < n; i++)
		p[2 + i] = tmp[n - 1 - i];
	return (2 + n);
}

static size_t
put_octets(uint8_t *p, const uint8_t *v, size_t n)
{
	size_t	 h = put_hdr(p, T_OCTETS, n);

	if (n > 0)
		memcpy(p + h, v, n);
	return (h + n);
}

/* --- messages -------------------------------------------------------- */

/*
 * Parse the plaintext ScopedPDU at in->scoped: context name, PDU and its
 * request-id.  0, or -1.
 */
static int
parse_scoped(struct inmsg *in)
{
	struct ber	 b = { in->scoped, in->scoped + in->scoped_len }, s, pdu;
	const uint8_t	*v, *start;
	size_t		 n;

	if (ber_enter(&b, T_SEQ, &s) == -1 ||
	    ber_octets(&s, &v, &n, USM_ENGINE_ID_MAX) == -1 ||
	    ber_octets(&s, &in->ctxname, &in->ctxname_len, USM_NAME_MAX) == -1)
		return (-1);
	start = s.p;
	if (s.end - s.p < 2 || (s.p[0] & 0xe0) != 0xa0)	/* [n] PDU */
		return (-1);
	if (ber_get(&s, s.p[0], &v, &n) == -1)
		return (-1);
	in->pdu = start;
	in->pdu_len = (size_t)(s.p - start);
	pdu.p = v;
	pdu.end = v + n;
	start = pdu.p;
	if (ber_get(&pdu, T_INT, &v, &n) == -1 || n == 0 || n > 4)
		return (-1);
	in->reqid = start;
	in->reqid_len = (size_t)(pdu.p - start);
	return (0);
}

/* The outer message and USM parameters, RFC 3412 7.2 steps 1-3. */
static int
parse_msg(const uint8_t *msg, size_t len, struct inmsg *in)
{
	struct ber	 b = { msg, msg + len }, m, g, sp, u;
	const uint8_t	*v;
	size_t		 n;
	uint32_t	 ver, model;

	memset(in, 0, sizeof(*in));
	if (ber_enter(&b, T_SEQ, &m) == -1 || ber_uint31(&m, &ver) == -1 ||
	    ver != 3)
		return (-1);
	if (ber_enter(&m, T_SEQ, &g) == -1 ||
	    ber_uint31(&g, &in->msgid) == -1 ||
	    ber_uint31(&g, &in->maxsize) == -1 ||
	    ber_octets(&g, &v, &n, 1) == -1 || n != 1 ||
	    ber_uint31(&g, &model) == -1)
		return (-1);
	in->flags = v[0];
	/* snmpUnknownSecurityModels, snmpInvalidMsgs: dropped. */
	if (model != SEC_MODEL_USM || in->maxsize < MSG_SIZE_MIN ||
	    (in->flags & (F_AUTH | F_PRIV)) == F_PRIV)
		return (-1);
	if (ber_get(&m, T_OCTETS, &v, &n) == -1)
		return (-1);
	sp.p = v;
	sp.end = v + n;
	if (ber_enter(&sp, T_SEQ, &u) == -1 ||
	    ber_octets(&u, &in->engine, &in->engine_len,
	    USM_ENGINE_ID_MAX) == -1 ||
	    ber_uint31(&u, &in->boots) == -1 ||
	    ber_uint31(&u, &in->time) == -1 ||
	    ber_octets(&u, &in->user, &in->user_len, USM_NAME_MAX) == -1 ||
	    ber_octets(&u, &in->authp, &in->authp_len, USM_KEY_MAX) == -1 ||
	    ber_octets(&u, &in->privp, &in->privp_len, 32) == -1)
		return (-1);
	if (in->flags & F_PRIV) {
		if (ber_get(&m, T_OCTETS, &in->data, &in->data_len) == -1)
			return (-1);
	} else {
		v = m.p;
		if (ber_get(&m, T_SEQ, &in->data, &in->data_len) == -1)
			return (-1);
		in->scoped = v;
		in->scoped_len = (size_t)(m.p - v);
	}
	return (0);
}

static void
aes_iv(uint8_t iv[16], uint32_t boots, uint32_t etime, const uint8_t *salt)
{
	int	 i;

	for (i = 0; i < 4; i++) {
		iv[i] = (uint8_t)(boots >> ((3 - i) * 8));
		iv[4 + i] = (uint8_t)(etime >> ((3 - i) * 8));
	}
	memcpy(iv + 8, salt, SALT_LEN);
}

/* The PDU of a Report carrying usmStats counter st (RFC 3412 7.1). */
static size_t
put_report(uint8_t *p, const struct usm_engine *e, const struct inmsg *in,
    enum usm_stat st)
{
	static const uint8_t	 oid[] = { 0x2b, 6, 1, 6, 3, 15, 1, 1, 0, 0 };
	uint8_t			 vb[32], *q;
	const uint8_t		*rid = (const uint8_t *)REPORT_REQID_UNKNOWN;
	size_t			 ridlen = 3, vblen, oidlen, n;

	if (in->reqid != NULL) {
		rid = in->reqid;
		ridlen = in->reqid_len;
	}
	q = vb + 4;		/* VarBind SEQ and list SEQ headers: 2 each */
	q += put_hdr(q, T_OID, sizeof(oid));
	memcpy(q, oid, sizeof(oid));
	q[sizeof(oid) - 2] = (uint8_t)(st + 1);
	q += sizeof(oid);
	q += put_uint(q, T_COUNTER32, e->stats[st]);
	oidlen = (size_t)(q - vb) - 4;
	vb[2] = T_SEQ;
	vb[3] = (uint8_t)oidlen;
	vb[0] = T_SEQ;
	vb[1] = (uint8_t)(oidlen + 2);
	vblen = oidlen + 4;
	n = put_hdr(p, T_REPORT, ridlen + 3 + 3 + vblen);
	memcpy(p + n, rid, ridlen);
	n += ridlen;
	n += put_uint(p + n, T_INT, 0);		/* error-status */
	n += put_uint(p + n, T_INT, 0);		/* error-index */
	memcpy(p + n, vb, vblen);
	return (n + vblen);
}

/*
 * Wrap the PDU at out + HEADROOM (pdulen octets) into a message of
 * security level flags (F_AUTH, F_PRIV) for user u (NULL without auth),
 * moved to the start of out.  Returns its length, or 0 if it does not fit
 * the requester's msgMaxSize.
 */
static size_t
wrap(struct usm_engine *e, const struct usm_user *u, const struct inmsg *in,
    uint8_t flags, uint8_t *out, size_t pdulen)
{
	uint8_t		 pre[HEADROOM], g[24], usm[160], *body, *q;
	uint8_t		 salt[SALT_LEN], iv[16], md[USM_KEY_MAX];
	size_t		 slen, dlen, glen, ulen, mlen, hn, total, authoff, macl;
	uint32_t	 etime = engine_time(e);
	int		 i, num = 0;

	/* ScopedPDU header right in front of the PDU. */
	slen = 2 + e->id_len + 2 + in->ctxname_len + pdulen;
	body = out + HEADROOM - hdr_size(slen) - (slen - pdulen);
	hn = put_hdr(body, T_SEQ, slen);
	hn += put_octets(body + hn, e->id, e->id_len);
	put_octets(body + hn, in->ctxname, in->ctxname_len);
	dlen = hdr_size(slen) + slen;
	macl = (flags & F_AUTH) ? u->mac_len : 0;
	if (flags & F_PRIV) {
		for (i = 0; i < SALT_LEN; i++)
			salt[i] = (uint8_t)(e->salt >> ((7 - i) * 8));
		e->salt++;
		aes_iv(iv, e->boots, etime, salt);
		AES_cfb128_encrypt(body, body, dlen, &u->aes, iv, &num,
		    AES_ENCRYPT);
		body -= hdr_size(dlen);
		put_hdr(body, T_OCTETS, dlen);
		dlen += hdr_size(dlen);
	}

	/* HeaderData body. */
	glen = put_uint(g, T_INT, in->msgid);
	glen += put_uint(g + glen, T_INT, USM_MSG_MAX);
	g[glen++] = T_OCTETS;
	g[glen++] = 1;
	g[glen++] = flags;
	glen += put_uint(g + glen, T_INT, SEC_MODEL_USM);

	/* UsmSecurityParameters body; the MAC is zeros until computed. */
	q = usm;
	q += put_octets(q, e->id, e->id_len);
	q += put_uint(q, T_INT, e->boots);
	q += put_uint(q, T_INT, etime);
	q += put_octets(q, in->user, in->user_len);
	q += put_hdr(q, T_OCTETS, macl);
	authoff = (size_t)(q - usm);
	memset(q, 0, macl);
	q += macl;
	q += put_octets(q, (flags & F_PRIV) ? salt : NULL,
	    (flags & F_PRIV) ? SALT_LEN : 0);
	ulen = (size_t)(q - usm);

	/* SEQ { INT 3, SEQ HeaderData, OCTETS { SEQ usm }, msgData }. */
	mlen = 3 + hdr_size(glen) + glen + hdr_size(hdr_size(ulen) + ulen) +
	    hdr_size(ulen) + ulen + dlen;
	hn = put_hdr(pre, T_SEQ, mlen);
	hn += put_uint(pre + hn, T_INT, 3);
	hn += put_hdr(pre + hn, T_SEQ, glen);
	memcpy(pre + hn, g, glen);
	hn += glen;
	hn += put_hdr(pre + hn, T_OCTETS, hdr_size(ulen) + ulen);
	hn += put_hdr(pre + hn, T_SEQ, ulen);
	authoff += hn;
	memcpy(pre + hn, usm, ulen);
	hn += ulen;
	total = hn + dlen;
	if (total > in->maxsize)
		return (0);
	memmove(out + hn, body, dlen);
	memcpy(out, pre, hn);
	if (flags & F_AUTH) {
		hmac3(u, out, total, NULL, 0, NULL, 0, md);
		memcpy(out + authoff, md, macl);
	}
	return (total);
}

/* Answer with a Report of counter st, or send nothing if not asked. */
static ssize_t
report(struct usm_engine *e, const struct usm_user *u,
    const struct inmsg *in, enum usm_stat st, uint8_t flags, uint8_t *out,
    size_t cap)
{
	size_t	 n;

	e->stats[st]++;
	if (!(in->flags & F_REPORTABLE) || cap < HEADROOM + 128) {
		e->drops++;
		return (0);
	}
	n = put_report(out + HEADROOM, e, in, st);
	return ((ssize_t)wrap(e, u, in, flags, out, n));
}

ssize_t
usm_handle(struct usm_engine *e, const struct usm_user *users, size_t nusers,
    const uint8_t *msg, size_t len, uint8_t *out, size_t cap,
    usm_answer_fn *answer, void *dev)
{
	struct inmsg		 in;
	const struct usm_user	*u = NULL;
	uint8_t			 md[USM_KEY_MAX], iv[16];
	size_t			 i, lim, n;
	uint32_t		 etime;
	ssize_t			 r;
	int			 num = 0;

	if (parse_msg(msg, len, &in) == -1) {
		e->drops++;
		return (0);
	}
	if (in.scoped != NULL && parse_scoped(&in) == -1) {
		e->drops++;
		return (0);
	}
	/* RFC 3414 3.2 step 3: discovery, or another engine's message. */
	if (in.engine_len != e->id_len || memcmp(in.engine, e->id, e->id_len))
		return (report(e, NULL, &in, USM_STAT_UNKNOWN_ENGINE_IDS, 0,
		    out, cap));
	/* Step 4. */
	for (i = 0; i < nusers; i++)
		if (users[i].name_len == in.user_len &&
		    memcmp(users[i].name, in.user, in.user_len) == 0) {
			u = &users[i];
			break;
		}
	if (u == NULL)
		return (report(e, NULL, &in, USM_STAT_UNKNOWN_USER_NAMES, 0,
		    out, cap));
	/*
	 * Step 5.  A level the user is not configured for, above or below,
	 * is refused: the simulated device's access rule is the user's
	 * level (rouser NAME priv).
	 */
	if (((in.flags & F_AUTH) != 0) != (u->auth != USM_AUTH_NONE) ||
	    ((in.flags & F_PRIV) != 0) != (u->priv != USM_PRIV_NONE))
		return (report(e, NULL, &in, USM_STAT_UNSUPPORTED_SEC_LEVELS, 0,
		    out, cap));
	if (in.flags & F_AUTH) {
		/* Step 6: the MAC over the message, its own field zeroed. */
		if (in.authp_len != u->mac_len)
			return (report(e, NULL, &in, USM_STAT_WRONG_DIGESTS, 0,
			    out, cap));
		n = (size_t)(in.authp - msg);
		hmac3(u, msg, n, NULL, u->mac_len, in.authp + u->mac_len,
		    len - n - u->mac_len, md);
		if (CRYPTO_memcmp(md, in.authp, u->mac_len) != 0)
			return (report(e, NULL, &in, USM_STAT_WRONG_DIGESTS, 0,
			    out, cap));
		/* Step 7: reported authenticated, so the sender resyncs. */
		etime = engine_time(e);
		if (e->boots == 0x7fffffff || in.boots != e->boots ||
		    (in.time > etime ? in.time - etime : etime - in.time) >
		    USM_TIME_WINDOW)
			return (report(e, u, &in, USM_STAT_NOT_IN_TIME_WINDOWS,
			    F_AUTH, out, cap));
	}
	if (in.flags & F_PRIV) {
		/* Step 8: RFC 3826 3.1.4. */
		if (in.privp_len != SALT_LEN || in.data_len > sizeof(plain))
			return (report(e, NULL, &in, USM_STAT_DECRYPTION_ERRORS,
			    0, out, cap));
		aes_iv(iv, in.boots, in.time, in.privp);
		AES_cfb128_encrypt(in.data, plain, in.data_len, &u->aes, iv,
		    &num, AES_DECRYPT);
		in.scoped = plain;
		in.scoped_len = in.data_len;
		if (parse_scoped(&in) == -1) {
			in.reqid = NULL;
			in.ctxname = NULL;
			in.ctxname_len = 0;
			return (report(e, NULL, &in, USM_STAT_DECRYPTION_ERRORS,
			    0, out, cap));
		}
		/* Trailing octets after the ScopedPDU are cipher padding. */
	}
	lim = cap < in.maxsize ? cap : in.maxsize;
	if (lim <= HEADROOM + 64) {
		e->drops++;
		return (0);
	}
	r = answer(dev, in.pdu, in.pdu_len, out + HEADROOM, lim - HEADROOM);
	if (r <= 0) {
		e->drops++;
		return (0);
	}
	n = wrap(e, u, &in, in.flags & (F_AUTH | F_PRIV), out, (size_t)r);
	if (n == 0)
		e->drops++;
	return ((ssize_t)n);
}
