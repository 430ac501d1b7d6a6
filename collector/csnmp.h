/*
 * csnmp.h: the SNMP collection engine.  One thread, one epoll loop, one
 * net-snmp single-session handle (snmp_sess_*) per device in flight on
 * UDP sockets shared by 16 devices each, each
 * device a small state machine (engine discovery for v3, system GET,
 * GETBULK column walks) with its deadline in one min-heap on the
 * monotonic clock.  A dead or broken device is a result, not an error.
 */
#ifndef IB_CSNMP_H
#define IB_CSNMP_H

#include <stddef.h>
#include <sys/socket.h>

#include "facts.h"

enum snmp_auth { SNMP_AUTH_SHA = 0, SNMP_AUTH_SHA224, SNMP_AUTH_SHA256,
	SNMP_AUTH_SHA384, SNMP_AUTH_SHA512 };
enum snmp_priv { SNMP_PRIV_AES = 0 };

#define CRED_LEN	256

/* Credentials: held in memory only, wiped by csnmp_cred_clear(). */
struct snmp_cred {
	int		 version;		/* 2 (v2c) or 3 */
	char		 community[CRED_LEN];	/* v2c */
	char		 user[CRED_LEN];	/* v3 securityName */
	enum snmp_auth	 auth;
	enum snmp_priv	 priv;
	char		 auth_pass[CRED_LEN];	/* v3, >= 8 characters */
	char		 priv_pass[CRED_LEN];	/* v3, >= 8 characters */
};

struct csnmp_opts {
	unsigned int	 max_inflight;		/* devices polled at once (256) */
	unsigned int	 timeout_ms;		/* first try (1000) */
	unsigned int	 retries;		/* after the first try (2) */
	unsigned int	 max_repetitions;	/* GETBULK rows per column (per request ~64 values) */
	unsigned int	 max_values;		/* cap of varbinds kept per device (50000) */
};

struct csnmp_target {
	char		 name[256];		/* as the user wrote it */
	/* Both fit any IPv6 address and port; a scan holds 10,000 of these. */
	char		 peer[64];		/* net-snmp peername: "udp:1.2.3.4:161" */
	char		 address[64];		/* "1.2.3.4:161", "[::1]:161" */
	struct sockaddr_storage sa;		/* resolved peer, for connect() */
	socklen_t	 salen;			/* 0: not resolved */
};

/*
 * Called once per target, in completion order, from the loop thread.
 * facts is NULL unless status is POLL_OK or POLL_PARTIAL; it is only
 * valid during the call.  err is a short human reason ("" when ok).
 */
typedef void csnmp_result_cb(const struct csnmp_target *, enum poll_status,
    const char *err, const struct dev_facts *facts, void *arg);

/*
 * Called from the loop thread at least every 200 ms while a run lasts
 * (more often when busy), between results: housekeeping such as
 * committing a batch of stored results that is getting old.
 */
typedef void csnmp_tick_cb(void *arg);

void	 csnmp_opts_default(struct csnmp_opts *);
/* Wipe secrets. */
void	 csnmp_cred_clear(struct snmp_cred *);

/*
 * Poll every target.  Blocks until all are done.  tick (may be NULL)
 * gets the same arg as cb.  Returns 0, or -1 with
 * err filled for a local failure that stopped the run (epoll, OOM);
 * per-device failures are reported through cb, never here.
 * *stop may be set by a signal handler to abort: devices not started
 * are not reported, devices in flight are reported as POLL_ERROR
 * "interrupted".
 */
int	 csnmp_run(const struct csnmp_target *, size_t n, const struct snmp_cred *,
	    const struct csnmp_opts *, csnmp_result_cb *cb, csnmp_tick_cb *tick,
	    void *arg, volatile int *stop, char *err, size_t errlen);

#endif
