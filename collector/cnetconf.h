/*
 * cnetconf.h: the NETCONF-over-SSH collection engine (RFC 6241/6242).
 * A fixed pool of worker threads, each running one blocking libssh
 * session at a time (libssh sessions are never shared between threads);
 * results go back to the calling thread, which alone runs the callback.
 * Per device: TCP connect, SSH handshake, host key check against an
 * OpenSSH known_hosts file, public key / agent / password login, the
 * "netconf" subsystem, <hello>, three Junos RPCs whose replies go to
 * xmlparse_reply(), <close-session/>.  A dead or broken device is a
 * result, not an error.
 */
#ifndef IB_CNETCONF_H
#define IB_CNETCONF_H

#include <stddef.h>

#include "csnmp.h"
#include "facts.h"

#define SSH_CRED_LEN	256
#define SSH_PATH_LEN	1024

/*
 * SSH credentials: held in memory only, wiped by cnetconf_cred_clear().
 * The password comes from a 0600 file or the environment, never argv.
 */
struct ssh_cred {
	char		 user[SSH_CRED_LEN];		/* "": the local user name */
	char		 key_path[SSH_PATH_LEN];	/* private key file (unencrypted);
							   "": use ssh-agent (SSH_AUTH_SOCK) */
	char		 password[SSH_CRED_LEN];	/* "": no password login */
	char		 known_hosts[SSH_PATH_LEN];	/* OpenSSH format; "": ~/.ssh/known_hosts */
	int		 tofu;				/* 1: accept and record unknown host keys */
};

struct cnetconf_opts {
	unsigned int	 workers;		/* sessions at once = threads (16) */
	unsigned int	 port;			/* TCP port for every target (830);
						   0: each target's own port */
	unsigned int	 connect_timeout_ms;	/* TCP connect, then each of SSH
						   handshake and login (10000) */
	unsigned int	 rpc_timeout_ms;	/* <hello>, and each RPC from send to
						   last byte of its reply (30000) */
	size_t		 max_reply;		/* bytes per reply (XML_REPLY_MAX); a
						   larger reply fails the device */
};

/*
 * Called once per target, in completion order, always from the thread
 * that called cnetconf_run().  Same contract as csnmp_result_cb: facts is
 * NULL unless status is POLL_OK or POLL_PARTIAL and is only valid during
 * the call; err is a short human reason ("" when ok; it may be set when
 * ok, e.g. "get-virtual-chassis-information: rpc-error: ...").
 */
typedef void cnetconf_result_cb(const struct csnmp_target *, enum poll_status,
    const char *err, const struct dev_facts *facts, void *arg);

void	 cnetconf_opts_default(struct cnetconf_opts *);
/* Wipe secrets. */
void	 cnetconf_cred_clear(struct ssh_cred *);

/*
 * Poll every target over NETCONF.  Blocks until all are done.
 *
 * Address: the target's resolved address (t->sa, never re-resolved) with
 * o->port, or with the port in t->address when o->port is 0.  Targets
 * carry the SNMP port (targets_add()'s default_port), so a caller that
 * polls the same list over both protocols passes its --ssh-port (default
 * 830) here; 0 is for callers that built a NETCONF-only list.
 *
 * Statuses (err says which step failed):
 *   POLL_OK       software and chassis RPCs parsed; the VC RPC answered
 *                 or returned an rpc-error (normal on a box that is not
 *                 a Virtual Chassis)
 *   POLL_PARTIAL  at least one RPC parsed, but the software or chassis
 *                 RPC did not (rpc-error, bad XML), or the session broke
 *                 after a reply had been parsed
 *   POLL_REFUSED  TCP connection refused
 *   POLL_TIMEOUT  connect, SSH handshake, login, <hello> or the first
 *                 RPC timed out; also no route to the host
 *   POLL_AUTH     login refused; host key unknown (and not c->tofu) or
 *                 changed (never overwritten, whatever c->tofu says)
 *   POLL_BADREPLY not SSH, no netconf subsystem, no <hello>, bad
 *                 framing, a reply over o->max_reply, a session cut
 *                 before any reply parsed, no RPC usable
 *   POLL_ERROR    local failure (socket, OOM, known_hosts unwritable),
 *                 or "interrupted" (see stop)
 *
 * Returns 0, or -1 with err filled for a failure that stopped the run
 * before any device was polled (unreadable key file, thread creation);
 * the callback then never runs.
 * *stop may be set by a signal handler: devices not started are not
 * reported; the sockets of devices in flight are shut down and those
 * devices are reported as POLL_ERROR "interrupted" within milliseconds.
 * Signals are blocked in the worker threads.  Several runs may go on at
 * once in different threads (say SNMP and NETCONF polls of one scan);
 * none may overlap a setenv() in another thread, as libssh reads the
 * environment (csnmp_run() calls setenv() the first time it runs).
 */
int	 cnetconf_run(const struct csnmp_target *, size_t n,
	    const struct ssh_cred *, const struct cnetconf_opts *,
	    cnetconf_result_cb *cb, void *arg, volatile int *stop,
	    char *err, size_t errlen);

#endif
