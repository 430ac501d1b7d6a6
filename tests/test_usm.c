/*
 * test_usm.c: the simulator's SNMPv3 USM (sim/usm.c, included so its
 * static BER and message helpers can build requests).  Keys are checked
 * against RFC 3414 A.3.2 and against net-snmp's own generate_Ku() and
 * generate_kul() for every SHA protocol; MACs against OpenSSL's HMAC()
 * and ciphertext against EVP AES-128-CFB, so the crypto is checked by
 * code that is not ours.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1	/* before any OpenSSL header: usm.c */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sim/usm.c"

#define BUFSZ	65536

static uint8_t	 reqbuf[BUFSZ], outbuf[BUFSZ];

static void
hex(const char *s, uint8_t *out, size_t n)
{
	size_t	 i;
	unsigned int v;

	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void
test_rfc3414_sha1_vector(void **state)
{
	uint8_t	 ku[20], kul[20], want[20], engine[12];

	(void)state;
	/* RFC 3414 A.3.2: "maplesyrup", engine 00...02. */
	assert_int_equal(usm_password_to_key(USM_AUTH_SHA, "maplesyrup", 10,
	    ku), 0);
	hex("9fb5cc0381497b3793528939ff788d5d79145211", want, 20);
	assert_memory_equal(ku, want, 20);
	hex("000000000000000000000002", engine, 12);
	assert_int_equal(usm_localize(USM_AUTH_SHA, ku, engine, 12, kul), 20);
	hex("6695febc9288e36282235fc7151f128497b38f3f", want, 20);
	assert_memory_equal(kul, want, 20);
}

/* Every protocol's Ku and Kul equal net-snmp's, for the collector's sake. */
static void
test_keys_match_netsnmp(void **state)
{
	static const struct {
		enum usm_auth	 a;
		const oid	*proto;
		size_t		 len;
	} p[] = {
		{ USM_AUTH_SHA, usmHMACSHA1AuthProtocol, 20 },
		{ USM_AUTH_SHA224, usmHMAC128SHA224AuthProtocol, 28 },
		{ USM_AUTH_SHA256, usmHMAC192SHA256AuthProtocol, 32 },
		{ USM_AUTH_SHA384, usmHMAC256SHA384AuthProtocol, 48 },
		{ USM_AUTH_SHA512, usmHMAC384SHA512AuthProtocol, 64 },
	};
	const char	*pass = "correct horse battery";
	uint8_t		 ku[64], kul[64], nku[64], nkul[64], engine[32];
	size_t		 i, elen, nkulen;
	size_t		 nkul_len;

	(void)state;
	elen = usm_engine_id(engine, 7, 4242);
	assert_true(elen >= 5 && elen <= USM_ENGINE_ID_MAX);
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		assert_int_equal(usm_password_to_key(p[i].a, pass, strlen(pass),
		    ku), 0);
		nkulen = sizeof(nku);
		assert_int_equal(generate_Ku(p[i].proto,
		    USM_AUTH_PROTO_SHA_LEN, (const u_char *)pass, strlen(pass),
		    nku, &nkulen), SNMPERR_SUCCESS);
		assert_int_equal(nkulen, p[i].len);
		assert_memory_equal(ku, nku, p[i].len);
		assert_int_equal(usm_localize(p[i].a, ku, engine, elen, kul),
		    p[i].len);
		nkul_len = sizeof(nkul);
		assert_int_equal(generate_kul(p[i].proto,
		    USM_AUTH_PROTO_SHA_LEN, engine, elen, nku, nkulen, nkul,
		    &nkul_len), SNMPERR_SUCCESS);
		assert_int_equal(nkul_len, p[i].len);
		assert_memory_equal(kul, nkul, p[i].len);
	}
}

static const EVP_MD *
evp_md(enum usm_auth a)
{
	switch (a) {
	case USM_AUTH_SHA:
		return (EVP_sha1());
	case USM_AUTH_SHA224:
		return (EVP_sha224());
	case USM_AUTH_SHA256:
		return (EVP_sha256());
	case USM_AUTH_SHA384:
		return (EVP_sha384());
	default:
		return (EVP_sha512());
	}
}

static void
test_hmac_matches_openssl(void **state)
{
	struct usm_engine	 e;
	struct usm_secret	 s;
	struct usm_user		 u;
	uint8_t			 id[32], md[64], want[64], msg[300];
	unsigned int		 wlen;
	size_t			 i, idlen;
	enum usm_auth		 a;

	(void)state;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);
	idlen = usm_engine_id(id, 1, 3);
	assert_int_equal(usm_engine_init(&e, id, idlen, 1), 0);
	for (a = USM_AUTH_SHA; a <= USM_AUTH_SHA512; a++) {
		assert_int_equal(usm_secret_init(&s, "netops", a, "authpass123",
		    USM_PRIV_AES, "privpass456"), 0);
		assert_int_equal(usm_user_init(&u, &s, &e), 0);
		hmac3(&u, msg, 100, NULL, 0, msg + 100, 200, md);
		assert_non_null(HMAC(evp_md(a), u.auth_key,
		    (int)u.auth_key_len, msg, sizeof(msg), want, &wlen));
		assert_int_equal(wlen, u.auth_key_len);
		assert_memory_equal(md, want, wlen);
		usm_secret_clear(&s);
	}
}

/* --- a client side, from usm.c's own encoder ------------------------- */

struct fixture {
	struct usm_engine	 e;
	struct usm_secret	 s;
	struct usm_user		 u;	/* the agent's user */
	int			 calls;	/* answer() calls */
	uint8_t			 pdu[256];	/* what answer() got */
	size_t			 pdulen;
};

/* A GET of sysDescr.0, request-id 0x1234. */
static const uint8_t get_pdu[] = {
	0xa0, 0x1a, 0x02, 0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
	0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01,
	0x01, 0x00, 0x05, 0x00
};
/* Its answer: sysDescr.0 = "junos". */
static const uint8_t resp_pdu[] = {
	0xa2, 0x1f, 0x02, 0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
	0x30, 0x13, 0x30, 0x11, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01,
	0x01, 0x00, 0x04, 0x05, 'j', 'u', 'n', 'o', 's'
};

static ssize_t
answer(void *dev, const uint8_t *pdu, size_t len, uint8_t *out, size_t cap)
{
	struct fixture	*f = dev;

	f->calls++;
	assert_true(len <= sizeof(f->pdu));
	memcpy(f->pdu, pdu, len);
	f->pdulen = len;
	assert_true(cap >= sizeof(resp_pdu));
	memcpy(out, resp_pdu, sizeof(resp_pdu));
	return ((ssize_t)sizeof(resp_pdu));
}

static void
fixture_init(struct fixture *f, enum usm_auth a, enum usm_priv p)
{
	uint8_t	 id[32];
	size_t	 n;

	memset(f, 0, sizeof(*f));
	n = usm_engine_id(id, 99, 12);
	assert_int_equal(usm_engine_init(&f->e, id, n, 3), 0);
	f->e.start -= 1000;		/* engine time 1000 s */
	assert_int_equal(usm_secret_init(&f->s, "netops", a, "authpass123",
	    p, p ? "privpass456" : NULL), 0);
	assert_int_equal(usm_user_init(&f->u, &f->s, &f->e), 0);
}

/*
 * A request to engine ce as user u (NULL: no auth) at flags, with user
 * name user, built by wrap() as ce would: the same fields a client sends
 * once it knows the engine.  Returns its length.
 */
static size_t
request(struct usm_engine *ce, const struct usm_user *u, const char *user,
    uint8_t flags, uint32_t msgid)
{
	struct inmsg	 in;
	size_t		 n;

	memset(&in, 0, sizeof(in));
	in.msgid = msgid;
	in.maxsize = USM_MSG_MAX;
	in.user = (const uint8_t *)user;
	in.user_len = strlen(user);
	memcpy(reqbuf + HEADROOM, get_pdu, sizeof(get_pdu));
	n = wrap(ce, u, &in, flags, reqbuf, sizeof(get_pdu));
	assert_true(n > 0);
	return (n);
}

/* Decode a reply; check its MAC with OpenSSL's HMAC, decrypt with EVP. */
static void
decode(const uint8_t *msg, size_t len, const struct usm_user *u,
    struct inmsg *in)
{
	static uint8_t	 copy[BUFSZ], dec[BUFSZ];
	uint8_t		 md[64], iv[16];
	unsigned int	 mdlen;
	EVP_CIPHER_CTX	*c;
	int		 n1, n2;

	assert_int_equal(parse_msg(msg, len, in), 0);
	assert_int_equal(in->flags & F_REPORTABLE, 0);
	if (in->flags & F_AUTH) {
		assert_non_null(u);
		assert_int_equal(in->authp_len, u->mac_len);
		memcpy(copy, msg, len);
		memset(copy + (in->authp - msg), 0, in->authp_len);
		assert_non_null(HMAC(evp_md(u->auth), u->auth_key,
		    (int)u->auth_key_len, copy, len, md, &mdlen));
		assert_memory_equal(md, in->authp, u->mac_len);
	}
	if (in->flags & F_PRIV) {
		assert_int_equal(in->privp_len, 8);
		aes_iv(iv, in->boots, in->time, in->privp);
		assert_non_null(c = EVP_CIPHER_CTX_new());
		assert_int_equal(EVP_DecryptInit_ex(c, EVP_aes_128_cfb128(),
		    NULL, u->priv_key, iv), 1);
		assert_int_equal(EVP_DecryptUpdate(c, dec, &n1, in->data,
		    (int)in->data_len), 1);
		assert_int_equal(EVP_DecryptFinal_ex(c, dec + n1, &n2), 1);
		EVP_CIPHER_CTX_free(c);
		in->scoped = dec;
		in->scoped_len = (size_t)(n1 + n2);
	}
	assert_int_equal(parse_scoped(in), 0);
}

static void
assert_report(const struct inmsg *in, enum usm_stat st, uint32_t count)
{
	const uint8_t	*p = in->pdu;

	assert_int_equal(p[0], T_REPORT);
	/* ... 06 0a 2b 06 01 06 03 0f 01 01 N 00 41 01 count */
	assert_true(in->pdu_len >= 16);
	p = in->pdu + in->pdu_len - 15;
	assert_int_equal(p[0], T_OID);
	assert_int_equal(p[10], st + 1);
	assert_int_equal(p[12], T_COUNTER32);
	assert_int_equal(p[14], count);
}

static void
roundtrip(enum usm_auth a, enum usm_priv p)
{
	struct fixture	 f;
	struct usm_engine ce;
	struct inmsg	 in;
	uint8_t		 flags = F_REPORTABLE | F_AUTH | (p ? F_PRIV : 0);
	ssize_t		 n;
	size_t		 rl;

	fixture_init(&f, a, p);
	ce = f.e;
	rl = request(&ce, &f.u, "netops", flags, 77);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	assert_int_equal(f.calls, 1);
	assert_int_equal(f.pdulen, sizeof(get_pdu));
	assert_memory_equal(f.pdu, get_pdu, sizeof(get_pdu));
	decode(outbuf, (size_t)n, &f.u, &in);
	assert_int_equal(in.msgid, 77);
	assert_int_equal(in.flags, flags & ~F_REPORTABLE);
	assert_int_equal(in.engine_len, f.e.id_len);
	assert_memory_equal(in.engine, f.e.id, f.e.id_len);
	assert_int_equal(in.boots, 3);
	assert_true(in.time >= 1000 && in.time <= 1002);
	assert_int_equal(in.user_len, 6);
	assert_memory_equal(in.user, "netops", 6);
	assert_int_equal(in.pdu_len, sizeof(resp_pdu));
	assert_memory_equal(in.pdu, resp_pdu, sizeof(resp_pdu));
	/* A second request gets a fresh salt. */
	if (p) {
		uint8_t	 salt1[8];

		memcpy(salt1, in.privp, 8);
		n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf,
		    sizeof(outbuf), answer, &f);
		decode(outbuf, (size_t)n, &f.u, &in);
		assert_memory_not_equal(in.privp, salt1, 8);
	}
}

static void
test_roundtrip_all_protocols(void **state)
{
	enum usm_auth	 a;

	(void)state;
	for (a = USM_AUTH_SHA; a <= USM_AUTH_SHA512; a++) {
		roundtrip(a, USM_PRIV_AES);
		roundtrip(a, USM_PRIV_NONE);
	}
}

static void
test_discovery(void **state)
{
	struct fixture	 f;
	struct usm_engine ce;
	struct inmsg	 in;
	ssize_t		 n;
	size_t		 rl;

	(void)state;
	fixture_init(&f, USM_AUTH_SHA, USM_PRIV_AES);
	memset(&ce, 0, sizeof(ce));	/* unknown engine: empty ID, 0, 0 */
	rl = request(&ce, NULL, "", F_REPORTABLE, 5);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	assert_int_equal(f.calls, 0);
	decode(outbuf, (size_t)n, NULL, &in);
	assert_int_equal(in.msgid, 5);
	assert_int_equal(in.flags, 0);
	assert_int_equal(in.engine_len, f.e.id_len);
	assert_memory_equal(in.engine, f.e.id, f.e.id_len);
	assert_int_equal(in.boots, 3);
	assert_true(in.time >= 1000);
	assert_report(&in, USM_STAT_UNKNOWN_ENGINE_IDS, 1);
	/* The Report keeps the request's request-id. */
	assert_int_equal(in.reqid_len, 4);
	assert_int_equal(in.reqid[2], 0x12);
	assert_int_equal(in.reqid[3], 0x34);
	assert_int_equal(f.e.stats[USM_STAT_UNKNOWN_ENGINE_IDS], 1);
}

static void
test_wrong_digest(void **state)
{
	struct fixture	 f;
	struct usm_engine ce;
	struct usm_secret s2;
	struct usm_user	 wrong;
	struct inmsg	 in;
	ssize_t		 n;
	size_t		 rl;

	(void)state;
	fixture_init(&f, USM_AUTH_SHA256, USM_PRIV_AES);
	assert_int_equal(usm_secret_init(&s2, "netops", USM_AUTH_SHA256,
	    "authpass124", USM_PRIV_AES, "privpass456"), 0);
	assert_int_equal(usm_user_init(&wrong, &s2, &f.e), 0);
	ce = f.e;
	rl = request(&ce, &wrong, "netops", F_REPORTABLE | F_AUTH | F_PRIV, 9);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	assert_int_equal(f.calls, 0);
	decode(outbuf, (size_t)n, NULL, &in);
	assert_int_equal(in.flags, 0);		/* unauthenticated Report */
	assert_report(&in, USM_STAT_WRONG_DIGESTS, 1);
	/* One flipped bit anywhere in the message is a wrong digest too. */
	rl = request(&ce, &f.u, "netops", F_REPORTABLE | F_AUTH | F_PRIV, 10);
	reqbuf[rl - 3] ^= 0x10;
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	assert_int_equal(f.calls, 0);
	assert_int_equal(f.e.stats[USM_STAT_WRONG_DIGESTS], 2);
}

static void
test_not_in_time_window(void **state)
{
	struct fixture	 f;
	struct usm_engine ce;
	struct inmsg	 in;
	ssize_t		 n;
	size_t		 rl;

	(void)state;
	fixture_init(&f, USM_AUTH_SHA, USM_PRIV_AES);
	ce = f.e;
	ce.start += 151;		/* the client is 151 s behind */
	rl = request(&ce, &f.u, "netops", F_REPORTABLE | F_AUTH | F_PRIV, 11);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	assert_int_equal(f.calls, 0);
	decode(outbuf, (size_t)n, &f.u, &in);
	assert_int_equal(in.flags, F_AUTH);	/* authenticated, no privacy */
	assert_report(&in, USM_STAT_NOT_IN_TIME_WINDOWS, 1);
	assert_true(in.time >= 1000 && in.time <= 1002);
	/* 150 s off is still inside the window. */
	ce.start -= 1;
	rl = request(&ce, &f.u, "netops", F_REPORTABLE | F_AUTH | F_PRIV, 12);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	assert_int_equal(f.calls, 1);
	/* Another boots value is outside, whatever the time. */
	ce = f.e;
	ce.boots = 2;
	rl = request(&ce, &f.u, "netops", F_REPORTABLE | F_AUTH | F_PRIV, 13);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	assert_int_equal(f.calls, 1);
	assert_int_equal(f.e.stats[USM_STAT_NOT_IN_TIME_WINDOWS], 2);
}

static void
test_unknown_user_level_and_priv(void **state)
{
	struct fixture	 f;
	struct usm_engine ce;
	struct usm_user	 wrong;
	struct usm_secret s2;
	struct inmsg	 in;
	ssize_t		 n;
	size_t		 rl;

	(void)state;
	fixture_init(&f, USM_AUTH_SHA, USM_PRIV_AES);
	ce = f.e;
	rl = request(&ce, &f.u, "nobody", F_REPORTABLE | F_AUTH | F_PRIV, 20);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	decode(outbuf, (size_t)n, NULL, &in);
	assert_report(&in, USM_STAT_UNKNOWN_USER_NAMES, 1);
	/* authNoPriv for an authPriv user. */
	rl = request(&ce, &f.u, "netops", F_REPORTABLE | F_AUTH, 21);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	decode(outbuf, (size_t)n, NULL, &in);
	assert_report(&in, USM_STAT_UNSUPPORTED_SEC_LEVELS, 1);
	/* Right auth key, wrong priv key: cannot decrypt. */
	assert_int_equal(usm_secret_init(&s2, "netops", USM_AUTH_SHA,
	    "authpass123", USM_PRIV_AES, "privpass999"), 0);
	assert_int_equal(usm_user_init(&wrong, &s2, &f.e), 0);
	rl = request(&ce, &wrong, "netops", F_REPORTABLE | F_AUTH | F_PRIV, 22);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_true(n > 0);
	assert_int_equal(f.calls, 0);
	decode(outbuf, (size_t)n, NULL, &in);
	assert_report(&in, USM_STAT_DECRYPTION_ERRORS, 1);
	assert_int_equal(in.msgid, 22);
	/* Not reportable: nothing is sent, the counter still counts. */
	rl = request(&ce, &f.u, "nobody", F_AUTH | F_PRIV, 23);
	n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf, sizeof(outbuf),
	    answer, &f);
	assert_int_equal(n, 0);
	assert_int_equal(f.e.stats[USM_STAT_UNKNOWN_USER_NAMES], 2);
}

/* Every truncation and every single-octet corruption is handled. */
static void
test_malformed(void **state)
{
	struct fixture	 f;
	struct usm_engine ce;
	static uint8_t	 good[BUFSZ];
	size_t		 rl, i;
	ssize_t		 n;

	(void)state;
	fixture_init(&f, USM_AUTH_SHA, USM_PRIV_AES);
	ce = f.e;
	rl = request(&ce, &f.u, "netops", F_REPORTABLE | F_AUTH | F_PRIV, 30);
	memcpy(good, reqbuf, rl);
	for (i = 0; i < rl; i++) {
		n = usm_handle(&f.e, &f.u, 1, good, i, outbuf, sizeof(outbuf),
		    answer, &f);
		assert_true(n >= 0 && n < (ssize_t)sizeof(outbuf));
	}
	for (i = 0; i < rl; i++) {
		memcpy(reqbuf, good, rl);
		reqbuf[i] ^= 0xff;
		n = usm_handle(&f.e, &f.u, 1, reqbuf, rl, outbuf,
		    sizeof(outbuf), answer, &f);
		assert_true(n >= 0 && n < (ssize_t)sizeof(outbuf));
	}
	/* No corrupted message reached the answer function. */
	assert_int_equal(f.calls, 0);
	/* A cap too small for any answer: dropped. */
	assert_int_equal(usm_handle(&f.e, &f.u, 1, good, rl, outbuf, 200,
	    answer, &f), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3414_sha1_vector),
		cmocka_unit_test(test_keys_match_netsnmp),
		cmocka_unit_test(test_hmac_matches_openssl),
		cmocka_unit_test(test_roundtrip_all_protocols),
		cmocka_unit_test(test_discovery),
		cmocka_unit_test(test_wrong_digest),
		cmocka_unit_test(test_not_in_time_window),
		cmocka_unit_test(test_unknown_user_level_and_priv),
		cmocka_unit_test(test_malformed),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
