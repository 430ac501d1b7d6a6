/*
 * usm.h: the simulator's SNMPv3 side, for an authoritative engine only:
 * message processing (RFC 3412) and the User-based Security Model
 * (RFC 3414) with HMAC-SHA-1-96 and the HMAC-SHA-2 protocols of RFC 7860
 * for authentication and AES-128-CFB (RFC 3826) for privacy.  It answers
 * engine discovery, checks the time window, user, security level, digest
 * and decryption, reports each failure with the usmStats counter RFC 3414
 * names, and hands the plaintext request PDU to the caller's answer
 * function.
 *
 * Cost model: passphrase to key (a megabyte of hashing) happens once per
 * run in usm_secret_init(); localisation to an engine, the HMAC pads and
 * the AES key schedule once per (user, engine) in usm_user_init().
 * usm_handle() allocates nothing: hashes and cipher run on contexts kept in
 * struct usm_user, copied on the stack.
 */
#ifndef IB_SIM_USM_H
#define IB_SIM_USM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <openssl/aes.h>
#include <openssl/sha.h>

#define USM_ENGINE_ID_MAX	32	/* SnmpEngineID: 5..32 octets */
#define USM_NAME_MAX		32	/* SnmpAdminString (SIZE(1..32)) */
#define USM_KEY_MAX		64	/* longest digest: SHA-512 */
#define USM_PRIV_KEY_LEN	16	/* AES-128 */
#define USM_TIME_WINDOW		150	/* seconds, RFC 3414 3.2 step 7 */
#define USM_MSG_MAX		65507	/* our msgMaxSize: one UDP datagram */

enum usm_auth {
	USM_AUTH_NONE = 0,
	USM_AUTH_SHA,		/* usmHMACSHAAuthProtocol, 96-bit MAC */
	USM_AUTH_SHA224,	/* usmHMAC128SHA224AuthProtocol */
	USM_AUTH_SHA256,	/* usmHMAC192SHA256AuthProtocol */
	USM_AUTH_SHA384,	/* usmHMAC256SHA384AuthProtocol */
	USM_AUTH_SHA512		/* usmHMAC384SHA512AuthProtocol */
};

enum usm_priv {
	USM_PRIV_NONE = 0,
	USM_PRIV_AES		/* usmAesCfb128Protocol */
};

/* usmStats counters (1.3.6.1.6.3.15.1.1.N.0), index N - 1. */
enum usm_stat {
	USM_STAT_UNSUPPORTED_SEC_LEVELS = 0,
	USM_STAT_NOT_IN_TIME_WINDOWS,
	USM_STAT_UNKNOWN_USER_NAMES,
	USM_STAT_UNKNOWN_ENGINE_IDS,
	USM_STAT_WRONG_DIGESTS,
	USM_STAT_DECRYPTION_ERRORS,
	USM_STAT_N
};

/*
 * One simulated device's SNMP engine.  usm_handle() updates the counters
 * and the salt, so an engine belongs to one thread at a time.
 */
struct usm_engine {
	uint8_t		 id[USM_ENGINE_ID_MAX];	/* snmpEngineID */
	size_t		 id_len;
	uint32_t	 boots;			/* snmpEngineBoots */
	time_t		 start;			/* CLOCK_MONOTONIC s at boot */
	uint64_t	 salt;			/* next AES salt */
	uint32_t	 stats[USM_STAT_N];	/* usmStats counters */
	uint32_t	 drops;			/* messages dropped silently */
};

/*
 * A user's master keys (Ku, RFC 3414 A.2), from the passphrases: the same
 * for every engine.  The priv key uses the auth protocol's hash, as
 * net-snmp and Junos do.
 */
struct usm_secret {
	char		 name[USM_NAME_MAX + 1];
	size_t		 name_len;
	enum usm_auth	 auth;
	enum usm_priv	 priv;
	uint8_t		 auth_ku[USM_KEY_MAX];
	uint8_t		 priv_ku[USM_KEY_MAX];
	size_t		 ku_len;		/* digest length of auth */
};

union usm_hash_ctx {
	SHA_CTX		 sha1;
	SHA256_CTX	 sha256;		/* also SHA-224 */
	SHA512_CTX	 sha512;		/* also SHA-384 */
};

/* A user localised to one engine (Kul), with its precomputed contexts. */
struct usm_user {
	char		 name[USM_NAME_MAX + 1];
	size_t		 name_len;
	enum usm_auth	 auth;
	enum usm_priv	 priv;
	uint8_t		 auth_key[USM_KEY_MAX];	/* localised */
	size_t		 auth_key_len;		/* digest length */
	size_t		 mac_len;		/* truncated MAC: 12..48 */
	uint8_t		 priv_key[USM_PRIV_KEY_LEN];	/* localised, first 16 */
	union usm_hash_ctx ipad;		/* H state after K ^ ipad */
	union usm_hash_ctx opad;		/* H state after K ^ opad */
	AES_KEY		 aes;			/* encryption schedule of priv_key */
};

/* The answer function: request PDU TLV in, response PDU TLV out. */
typedef ssize_t usm_answer_fn(void *dev, const uint8_t *pdu, size_t len,
	    uint8_t *out, size_t cap);

/*
 * Set up an engine: id (id_len 5..32 octets), boots, start = now.
 * 0, or -1 if id_len is out of range.
 */
int	 usm_engine_init(struct usm_engine *e, const uint8_t *id,
	    size_t id_len, uint32_t boots);

/*
 * A distinct RFC 3411 engine ID for simulated device index of a fleet
 * with seed: Juniper's enterprise (2636), format 5 (octets), then the seed
 * and the index.  Writes at most USM_ENGINE_ID_MAX octets into id;
 * returns the length.
 */
size_t	 usm_engine_id(uint8_t *id, uint64_t seed, uint32_t index);

/*
 * Derive the master keys of user name from its passphrases (at least 8
 * characters each, as net-snmp requires; priv_pass may be NULL when priv
 * is USM_PRIV_NONE, auth_pass when auth is USM_AUTH_NONE).  A few
 * milliseconds of hashing: once per run.  0, or -1 (bad name, protocol
 * or passphrase).  The passphrases are not kept; usm_secret_clear() wipes
 * the keys.
 */
int	 usm_secret_init(struct usm_secret *s, const char *name,
	    enum usm_auth auth, const char *auth_pass, enum usm_priv priv,
	    const char *priv_pass);
void	 usm_secret_clear(struct usm_secret *s);

/*
 * Localise s to engine e into u (RFC 3414 A.2.2), and precompute the HMAC
 * pads and the AES key schedule.  Microseconds: once per (user, engine),
 * at start-up or on a device's first v3 message.  0, or -1.
 */
int	 usm_user_init(struct usm_user *u, const struct usm_secret *s,
	    const struct usm_engine *e);

/* RFC 3414 A.2 password to key, for tests: Ku into ku (digest length). */
int	 usm_password_to_key(enum usm_auth auth, const char *pass, size_t len,
	    uint8_t *ku);
/* Localised key Kul = H(Ku || engineID || Ku); returns its length. */
size_t	 usm_localize(enum usm_auth auth, const uint8_t *ku,
	    const uint8_t *engine, size_t engine_len, uint8_t *kul);

/*
 * Process one SNMPv3 message received by engine e, whose users (already
 * localised to e) are users[0..nusers).  On a valid request, answer(dev,
 * pdu, len, ...) gets the plaintext request PDU TLV and writes the
 * response PDU TLV; usm_handle() wraps it in a message at the request's
 * security level.  Discovery and every USM failure are answered with a
 * Report PDU where RFC 3414 says so.
 *
 * Returns the length of the message to send back, written into out (cap
 * bytes; 64 KB is always enough), or 0 to send nothing: a malformed
 * message, a security model other than USM, a reportable failure whose
 * request was not reportable, or answer() returning <= 0.  Allocates
 * nothing.  Not reentrant for one engine; distinct engines may be
 * handled by distinct threads.
 */
ssize_t	 usm_handle(struct usm_engine *e, const struct usm_user *users,
	    size_t nusers, const uint8_t *msg, size_t len, uint8_t *out,
	    size_t cap, usm_answer_fn *answer, void *dev);

#endif
