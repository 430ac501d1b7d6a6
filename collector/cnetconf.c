/*
 * cnetconf.c: NETCONF over SSH.  cnetconf_run() starts a fixed pool of
 * worker threads; each takes the next target, runs one whole libssh
 * session for it, and parks the result in its own slot until the calling
 * thread has passed it to the callback.  So the callback runs on one
 * thread only, and memory is bounded by the number of workers (one reply
 * buffer and one struct dev_facts each), not by the number of targets.
 * A libssh session never leaves the thread that created it.
 *
 * Each session is in libssh's non-blocking mode and each step (handshake,
 * login, channel, read) is pumped by ns_wait(): poll() on the socket up to
 * that step's deadline.  The deadlines are then exactly ours, and between
 * libssh's send and our wait we can set TCP_QUICKACK: sshd sends some
 * answers as two segments without TCP_NODELAY, Nagle holds the second
 * until the first is acknowledged, and a delayed ACK costs 40 ms per
 * session (measured: 41 ms after login with blocking libssh calls).
 *
 * The TCP connection is ours: we connect the pre-resolved address with a
 * deadline (so "refused" and "timeout" come from errno, not from libssh's
 * error text), set TCP_NODELAY before the first byte (the 40 ms Nagle /
 * delayed-ACK stall of testbed.md), and hand the socket to libssh with
 * SSH_OPTIONS_FD.  libssh 0.10 does not close such a socket on
 * ssh_disconnect() but does close it on some handshake errors; to close
 * it exactly once we never close it ourselves after ssh_connect(): we
 * clear SSH_OPTIONS_FD before ssh_disconnect(), which then closes the
 * socket if libssh has not already done so.  A dup() of the socket, owned
 * by the slot, lets the calling thread shut a session down on *stop
 * without racing that close.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pwd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libxml/parser.h>

#include "cnetconf.h"
#include "heap.h"
#include "ncframe.h"
#include "xmlparse.h"

#define NC_BASE11	"urn:ietf:params:netconf:base:1.1"
#define NC_NS		"urn:ietf:params:xml:ns:netconf:base:1.0"
#define READ_CHUNK	16384		/* bytes per channel read */
#define TICK_MS		200		/* caller's longest sleep: checks *stop */
#define CLOSE_WAIT_MS	2000		/* wait for <close-session/>'s <ok/> */
#define TEARDOWN_MS	1000		/* channel close, disconnect */
#define ERR_LEN		256

/*
 * Cheap exchanges first (curve25519 about 0.45 ms of CPU, ecdh-p256 about
 * the same; group14 2.5 ms, group16 18.6 ms: testbed.md).  group14-sha1
 * stays last for old Junos releases.  Host key types are left to libssh,
 * which prefers the types known_hosts already holds for the host.
 */
static const char kex_pref[] =
    "curve25519-sha256,curve25519-sha256@libssh.org,"
    "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
    "diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group14-sha1";

/*
 * AEAD ciphers, AES-GCM first: with AES-NI it costs less per byte than
 * chacha20-poly1305, libssh's own first choice.  The same set as libssh's
 * default list (no CBC), only reordered.
 */
static const char cipher_pref[] =
    "aes128-gcm@openssh.com,aes256-gcm@openssh.com,"
    "chacha20-poly1305@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr";

static const char client_hello[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<hello xmlns=\"" NC_NS "\"><capabilities>"
    "<capability>urn:ietf:params:netconf:base:1.0</capability>"
    "<capability>urn:ietf:params:netconf:base:1.1</capability>"
    "</capabilities></hello>]]>]]>";

static const struct nc_rpc {
	enum xml_rpc	 rpc;
	const char	*elem;		/* Junos RPC element */
} rpcs[] = {
	{ XRPC_SOFTWARE, "get-software-information" },
	{ XRPC_CHASSIS, "get-chassis-inventory" },
	{ XRPC_VC, "get-virtual-chassis-information" },
};
#define NRPCS	(sizeof(rpcs) / sizeof(rpcs[0]))

enum slot_state { SLOT_IDLE = 0, SLOT_READY, SLOT_TAKEN };

struct ncrun;

/* One per worker thread. */
struct ncslot {
	pthread_t		 tid;
	struct ncrun		*run;
	int			 sfd;		/* dup of the socket in use, -1: none (run->mu) */
	enum slot_state		 state;		/* (run->mu) */
	const struct csnmp_target *t;
	enum poll_status	 status;
	char			 err[ERR_LEN];
	struct dev_facts	 facts;
	int			 have_facts;
};

struct ncrun {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv_main;	/* a slot is ready or a worker left */
	pthread_cond_t		 cv_work;	/* the caller took a result */
	const struct csnmp_target *tv;
	size_t			 n;
	size_t			 next;		/* next target to start (mu) */
	unsigned int		 running;	/* workers alive (mu) */
	atomic_int		 stopping;	/* 1: *stop seen, sockets shut down */
	volatile int		*stop;
	const struct ssh_cred	*cred;
	struct cnetconf_opts	 o;		/* defaults filled in */
	const char		*kh_show;	/* known_hosts path for messages */
	char			 agent_sock[SSH_PATH_LEN];	/* "": no agent */
	char			 ssh_dir[SSH_PATH_LEN];	/* ~/.ssh, looked up once;
							   "": libssh's lookup */
	char			 local_user[SSH_CRED_LEN];	/* when cred has none */
};

/* One device session (heap: the read buffer is 16 KB). */
struct ncsess {
	struct ncrun		*run;
	struct ncslot		*sl;
	ssh_key			 key;		/* the worker's, or NULL */
	char			 host[INET6_ADDRSTRLEN];
	char			 hostport[INET6_ADDRSTRLEN + 8];
	unsigned int		 port;
	int			 fd;		/* our socket until handed over */
	int			 handed;	/* 1: ssh_connect() was called */
	ssh_session		 ssh;
	ssh_channel		 ch;
	int			 chunked;	/* 1: base:1.1 after the hellos */
	unsigned int		 msgid;
	char			 in[READ_CHUNK];	/* read, not yet framed */
	size_t			 ioff;
	size_t			 ilen;
	struct ncframe		 fr;		/* the message being read */
	int			 failed;	/* status/err hold a failure */
};

static pthread_once_t	 ssh_once = PTHREAD_ONCE_INIT;
static int		 ssh_init_rc;
/* Serialises known_hosts appends of every run in the process (TOFU). */
static pthread_mutex_t	 kh_mu = PTHREAD_MUTEX_INITIALIZER;

/*
 * Once, in the calling thread, before any worker exists: libssh wants
 * ssh_init(), and libxml2 2.9 initialises its globals lazily without a
 * lock, so xmlparse_reply() in several workers at once needs
 * xmlInitParser() first (see xmlparse.c).
 */
static void
lib_init(void)
{
	ssh_init_rc = ssh_init();
	xmlInitParser();
}

void
cnetconf_opts_default(struct cnetconf_opts *o)
{
	o->workers = 16;
	o->port = 830;
	o->connect_timeout_ms = 10000;
	o->rpc_timeout_ms = 30000;
	o->max_reply = XML_REPLY_MAX;
}

void
cnetconf_cred_clear(struct ssh_cred *c)
{
	explicit_bzero(c, sizeof(*c));
}

static int
stopping(const struct ncrun *r)
{
	return (atomic_load(&r->stopping) || (r->stop != NULL && *r->stop));
}

/* Record the device's failure; the first one wins. */
static void
ns_fail(struct ncsess *s, enum poll_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ns_fail(struct ncsess *s, enum poll_status st, const char *fmt, ...)
{
	va_list	ap;

	if (s->failed)
		return;
	s->failed = 1;
	s->sl->status = st;
	va_start(ap, fmt);
	vsnprintf(s->sl->err, sizeof(s->sl->err), fmt, ap);
	va_end(ap);
}

/* Append "; text" to err: what went wrong without failing the device. */
static void
ns_note(struct ncsess *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ns_note(struct ncsess *s, const char *fmt, ...)
{
	char	*e = s->sl->err;
	size_t	 len = strlen(e);
	va_list	 ap;

	if (len > 0 && len + 2 < sizeof(s->sl->err)) {
		memcpy(e + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= sizeof(s->sl->err))
		return;
	va_start(ap, fmt);
	vsnprintf(e + len, sizeof(s->sl->err) - len, fmt, ap);
	va_end(ap);
}

/* A pumped libssh call gave up: timeout (still "again") or error. */
static void
ns_sshfail(struct ncsess *s, const char *what, int again, unsigned int budget_ms)
{
	if (again)
		ns_fail(s, POLL_TIMEOUT, "%s: no answer after %u ms", what,
		    budget_ms);
	else
		ns_fail(s, POLL_BADREPLY, "%s: %s", what, ssh_get_error(s->ssh));
}

/*
 * Ask the kernel to acknowledge what arrives next at once (see the top
 * of the file).  Linux leaves quickack mode by itself, in particular
 * when we send, so this is done before every wait.
 */
static void
ns_quickack(int fd)
{
#ifdef TCP_QUICKACK
	int	one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
#else
	(void)fd;
#endif
}

/*
 * libssh said "again": wait until the socket is readable (or writable,
 * if libssh has output queued) or deadline.  0: call libssh again; -1:
 * the deadline has passed.
 */
static int
ns_wait(struct ncsess *s, uint64_t deadline)
{
	struct pollfd	pfd;
	uint64_t	now = mono_ms();
	int		fd = ssh_get_fd(s->ssh);

	if (now >= deadline)
		return (-1);
	if (fd < 0)		/* closed under us: libssh will say why */
		return (0);
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (ssh_get_poll_flags(s->ssh) & SSH_WRITE_PENDING)
		pfd.events |= POLLOUT;
	ns_quickack(fd);
	if (poll(&pfd, 1, (int)(deadline - now)) == -1 && errno != EINTR)
		return (-1);
	return (0);
}

/*
 * Call expr until it stops returning again or the deadline passes.
 * deadline is evaluated once.
 */
#define PUMP(s, rc, expr, again, deadline) do {				\
	uint64_t	pump_dl_ = (deadline);				\
									\
	for (;;) {							\
		(rc) = (expr);						\
		if ((rc) != (again) || ns_wait((s), pump_dl_) == -1)	\
			break;						\
	}								\
} while (0)

/* Publish (or retire, fd -1) the dup the caller may shut down on *stop. */
static void
slot_set_sfd(struct ncsess *s, int fd)
{
	struct ncrun	*r = s->run;
	int		 old;

	pthread_mutex_lock(&r->mu);
	old = s->sl->sfd;
	s->sl->sfd = -1;
	if (fd >= 0) {
		s->sl->sfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		if (s->sl->sfd >= 0 && atomic_load(&r->stopping))
			(void)shutdown(s->sl->sfd, SHUT_RDWR);
	}
	pthread_mutex_unlock(&r->mu);
	if (old >= 0)
		close(old);
}

static void
connect_errno(struct ncsess *s, int e)
{
	switch (e) {
	case ECONNREFUSED:
		ns_fail(s, POLL_REFUSED, "connection refused");
		break;
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
		ns_fail(s, POLL_TIMEOUT, "connect: %s", strerror(e));
		break;
	default:
		ns_fail(s, POLL_ERROR, "connect: %s", strerror(e));
		break;
	}
}

/* Non-blocking connect with a deadline.  0, or -1 with the failure set. */
static int
ns_connect(struct ncsess *s)
{
	const struct csnmp_target	*t = s->sl->t;
	struct sockaddr_storage		 ss;
	struct pollfd			 pfd;
	socklen_t			 len;
	uint64_t			 deadline;
	int				 one = 1, soerr = 0, rc;

	if (t->salen == 0 || t->salen > sizeof(ss)) {
		ns_fail(s, POLL_ERROR, "address not resolved");
		return (-1);
	}
	memcpy(&ss, &t->sa, t->salen);
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_port = htons((uint16_t)s->port);
		inet_ntop(AF_INET6, &s6->sin6_addr, s->host, sizeof(s->host));
		snprintf(s->hostport, sizeof(s->hostport), "[%s]:%u", s->host,
		    s->port);
	} else if (ss.ss_family == AF_INET) {
		struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;

		s4->sin_port = htons((uint16_t)s->port);
		inet_ntop(AF_INET, &s4->sin_addr, s->host, sizeof(s->host));
		snprintf(s->hostport, sizeof(s->hostport), "%s:%u", s->host,
		    s->port);
	} else {
		ns_fail(s, POLL_ERROR, "unsupported address family");
		return (-1);
	}
	if ((s->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		ns_fail(s, POLL_ERROR, "socket: %s", strerror(errno));
		return (-1);
	}
	(void)setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	slot_set_sfd(s, s->fd);
	if (connect(s->fd, (struct sockaddr *)&ss, t->salen) == 0)
		return (0);
	if (errno != EINPROGRESS) {
		connect_errno(s, errno);
		return (-1);
	}
	deadline = mono_ms() + s->run->o.connect_timeout_ms;
	pfd.fd = s->fd;
	pfd.events = POLLOUT;
	for (;;) {
		uint64_t	now = mono_ms();

		if (now >= deadline) {
			ns_fail(s, POLL_TIMEOUT, "connect: no answer after %u ms",
			    s->run->o.connect_timeout_ms);
			return (-1);
		}
		rc = poll(&pfd, 1, (int)(deadline - now));
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1) {
			ns_fail(s, POLL_ERROR, "poll: %s", strerror(errno));
			return (-1);
		}
		if (rc > 0)
			break;
	}
	len = sizeof(soerr);
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		soerr = errno;
	if (soerr != 0) {
		connect_errno(s, soerr);
		return (-1);
	}
	return (0);
}

/* Refuse passphrase prompts: libssh must never read a terminal. */
static int
no_passphrase(const char *prompt, char *buf, size_t len, int echo,
    int verify, void *userdata)
{
	(void)prompt;
	(void)buf;
	(void)len;
	(void)echo;
	(void)verify;
	(void)userdata;
	return (-1);
}

/* "ssh-ed25519 SHA256:..." of the server key, for messages. */
static void
server_key_id(struct ncsess *s, char *buf, size_t len)
{
	ssh_key		 k = NULL;
	unsigned char	*hash = NULL;
	size_t		 hlen = 0;
	char		*fp = NULL;

	snprintf(buf, len, "unknown key");
	if (ssh_get_server_publickey(s->ssh, &k) != SSH_OK)
		return;
	if (ssh_get_publickey_hash(k, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) == 0 &&
	    (fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash,
	    hlen)) != NULL)
		snprintf(buf, len, "%s %s",
		    ssh_key_type_to_char(ssh_key_type(k)), fp);
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(k);
}

/*
 * Host key against known_hosts.  An unknown key is recorded only with
 * tofu; a changed key (or one of another type than the recorded one) is
 * always refused and never overwritten.
 */
static int
ns_hostkey(struct ncsess *s)
{
	const struct ncrun	*r = s->run;
	char			 id[160];
	enum ssh_known_hosts_e	 k;

	k = ssh_session_is_known_server(s->ssh);
	if (k == SSH_KNOWN_HOSTS_OK)
		return (0);
	if (k == SSH_KNOWN_HOSTS_ERROR) {
		ns_fail(s, POLL_ERROR, "known_hosts %s: %s", r->kh_show,
		    ssh_get_error(s->ssh));
		return (-1);
	}
	server_key_id(s, id, sizeof(id));
	if (k == SSH_KNOWN_HOSTS_CHANGED || k == SSH_KNOWN_HOSTS_OTHER)
		goto changed;
	if (!r->cred->tofu) {
		ns_fail(s, POLL_AUTH, "host key unknown (not in %s); use "
		    "--ssh-tofu to accept it (%s)", r->kh_show, id);
		return (-1);
	}
	/* Look again under the lock: another session may have recorded it. */
	pthread_mutex_lock(&kh_mu);
	k = ssh_session_is_known_server(s->ssh);
	if (k == SSH_KNOWN_HOSTS_UNKNOWN || k == SSH_KNOWN_HOSTS_NOT_FOUND) {
		if (ssh_session_update_known_hosts(s->ssh) != SSH_OK) {
			pthread_mutex_unlock(&kh_mu);
			ns_fail(s, POLL_ERROR, "cannot record host key in %s: %s",
			    r->kh_show, ssh_get_error(s->ssh));
			return (-1);
		}
		pthread_mutex_unlock(&kh_mu);
		ns_note(s, "new host key recorded in %s (%s)", r->kh_show, id);
		return (0);
	}
	pthread_mutex_unlock(&kh_mu);
	if (k == SSH_KNOWN_HOSTS_OK)
		return (0);
	if (k == SSH_KNOWN_HOSTS_ERROR) {
		ns_fail(s, POLL_ERROR, "known_hosts %s: %s", r->kh_show,
		    ssh_get_error(s->ssh));
		return (-1);
	}
changed:
	ns_fail(s, POLL_AUTH, "HOST KEY CHANGED for %s: possible "
	    "man-in-the-middle (offered %s; %s keeps the old key)",
	    s->hostport, id, r->kh_show);
	return (-1);
}

static int
kbdint_password(struct ncsess *s, const char *pw, uint64_t deadline)
{
	int	rc, round, i, n;

	PUMP(s, rc, ssh_userauth_kbdint(s->ssh, NULL, NULL), SSH_AUTH_AGAIN,
	    deadline);
	for (round = 0; rc == SSH_AUTH_INFO && round < 8; round++) {
		n = ssh_userauth_kbdint_getnprompts(s->ssh);
		for (i = 0; i < n; i++) {
			char	echo = 0;

			(void)ssh_userauth_kbdint_getprompt(s->ssh,
			    (unsigned int)i, &echo);
			/* Only hidden prompts get the password. */
			if (ssh_userauth_kbdint_setanswer(s->ssh,
			    (unsigned int)i, echo ? "" : pw) < 0)
				return (SSH_AUTH_ERROR);
		}
		PUMP(s, rc, ssh_userauth_kbdint(s->ssh, NULL, NULL),
		    SSH_AUTH_AGAIN, deadline);
	}
	return (rc == SSH_AUTH_INFO ? SSH_AUTH_DENIED : rc);
}

/* 0: rc is an answer (success/denied/partial), -1: timeout or broken. */
static int
auth_step(struct ncsess *s, int rc)
{
	if (rc == SSH_AUTH_ERROR || rc == SSH_AUTH_AGAIN) {
		ns_sshfail(s, "login", rc == SSH_AUTH_AGAIN,
		    s->run->o.connect_timeout_ms);
		return (-1);
	}
	return (0);
}

static void
tried_add(char *buf, size_t len, const char *method)
{
	size_t	n = strlen(buf);

	if (n < len)
		snprintf(buf + n, len - n, " %s", method);
}

/*
 * Log in: the key file (or else the agent) if the server takes public
 * keys, then the password, as "password" or else "keyboard-interactive".
 * The whole login has one deadline.
 */
static int
ns_auth(struct ncsess *s)
{
	const struct ssh_cred	*c = s->run->cred;
	const char		*who = c->user[0] ? c->user : "(local user)";
	char			 tried[64] = "";
	uint64_t		 deadline = mono_ms() + s->run->o.connect_timeout_ms;
	int			 rc, methods;

	PUMP(s, rc, ssh_userauth_none(s->ssh, NULL), SSH_AUTH_AGAIN, deadline);
	if (auth_step(s, rc) == -1)
		return (-1);
	if (rc == SSH_AUTH_SUCCESS)
		return (0);
	methods = ssh_userauth_list(s->ssh, NULL);
	rc = SSH_AUTH_DENIED;
	if (methods & SSH_AUTH_METHOD_PUBLICKEY) {
		if (s->key != NULL) {
			PUMP(s, rc, ssh_userauth_publickey(s->ssh, NULL, s->key),
			    SSH_AUTH_AGAIN, deadline);
			tried_add(tried, sizeof(tried), "publickey");
		} else if (s->run->agent_sock[0] != '\0') {
			PUMP(s, rc, ssh_userauth_agent(s->ssh, NULL),
			    SSH_AUTH_AGAIN, deadline);
			tried_add(tried, sizeof(tried), "agent");
		}
		if (auth_step(s, rc) == -1)
			return (-1);
	}
	if (rc != SSH_AUTH_SUCCESS && rc != SSH_AUTH_PARTIAL &&
	    c->password[0] != '\0') {
		methods = ssh_userauth_list(s->ssh, NULL);
		if (methods & SSH_AUTH_METHOD_PASSWORD) {
			PUMP(s, rc, ssh_userauth_password(s->ssh, NULL,
			    c->password), SSH_AUTH_AGAIN, deadline);
			tried_add(tried, sizeof(tried), "password");
		} else if (methods & SSH_AUTH_METHOD_INTERACTIVE) {
			rc = kbdint_password(s, c->password, deadline);
			tried_add(tried, sizeof(tried), "keyboard-interactive");
		}
		if (auth_step(s, rc) == -1)
			return (-1);
	}
	if (rc == SSH_AUTH_SUCCESS)
		return (0);
	if (rc == SSH_AUTH_PARTIAL)
		ns_fail(s, POLL_AUTH, "login as %s: the server wants one more "
		    "method (partial success)", who);
	else
		ns_fail(s, POLL_AUTH, "login as %s refused (tried:%s)", who,
		    tried[0] ? tried : " nothing the server offers");
	return (-1);
}

static int
ns_write(struct ncsess *s, const char *buf, size_t len, const char *what)
{
	unsigned int	budget = s->run->o.rpc_timeout_ms;
	uint64_t	deadline = mono_ms() + budget;
	int		w;

	while (len > 0) {
		w = ssh_channel_write(s->ch, buf, len > 65536 ? 65536 : (uint32_t)len);
		if (w < 0) {
			ns_sshfail(s, what, 0, budget);
			return (-1);
		}
		buf += w;
		len -= (size_t)w;
		/* 0: the device's window is full; wait for it to open. */
		if (len > 0 && w == 0 && ns_wait(s, deadline) == -1) {
			ns_sshfail(s, what, 1, budget);
			return (-1);
		}
	}
	return (0);
}

/* Send one message in the session's framing. */
static int
ns_send(struct ncsess *s, const char *body, const char *what)
{
	char	buf[512];
	int	n;

	if ((n = ncframe_encode(s->chunked, body, buf, sizeof(buf))) == -1) {
		ns_fail(s, POLL_ERROR, "%s: message too long", what);
		return (-1);
	}
	return (ns_write(s, buf, (size_t)n, what));
}

/*
 * Read one whole message into s->fr before deadline.  0, or -1 with the
 * failure set: timeout, session closed, framing, size.
 */
static int
ns_read_msg(struct ncsess *s, const char *what, uint64_t deadline,
    unsigned int budget_ms)
{
	enum ncframe_rc	 rc;
	size_t		 used;
	int		 n;

	ncframe_reset(&s->fr);
	s->fr.chunked = s->chunked;
	for (;;) {
		uint64_t	now;

		if (s->ioff < s->ilen) {
			rc = ncframe_feed(&s->fr, s->in + s->ioff,
			    s->ilen - s->ioff, &used);
			s->ioff += used;
			switch (rc) {
			case NCF_DONE:
				return (0);
			case NCF_MORE:
				continue;
			case NCF_TOOBIG:
				ns_fail(s, POLL_BADREPLY, "%s: reply larger than "
				    "%zu bytes", what, s->fr.max);
				return (-1);
			case NCF_BAD:
				ns_fail(s, POLL_BADREPLY, "%s: bad %s framing (%s)",
				    what, s->chunked ? "chunked" : "end-of-message",
				    s->fr.why);
				return (-1);
			case NCF_NOMEM:
				ns_fail(s, POLL_ERROR, "out of memory");
				return (-1);
			}
		}
		now = mono_ms();
		if (now >= deadline) {
			ns_fail(s, POLL_TIMEOUT, "%s: no complete reply after %u ms",
			    what, budget_ms);
			return (-1);
		}
		n = ssh_channel_read_nonblocking(s->ch, s->in, sizeof(s->in), 0);
		if (n == SSH_EOF || (n == 0 && (ssh_channel_is_eof(s->ch) ||
		    ssh_channel_is_closed(s->ch)))) {
			ns_fail(s, POLL_BADREPLY, "%s: session closed by the "
			    "device %s", what, s->fr.st != 0 ?
			    "in the middle of the reply" : "before replying");
			return (-1);
		}
		if (n < 0) {
			ns_fail(s, POLL_BADREPLY, "%s: %s", what,
			    ssh_get_error(s->ssh));
			return (-1);
		}
		if (n == 0) {
			(void)ns_wait(s, deadline);
			continue;
		}
		s->ioff = 0;
		s->ilen = (size_t)n;
	}
}

static int
ns_hello(struct ncsess *s)
{
	const struct cnetconf_opts	*o = &s->run->o;
	const char			*m;
	size_t				 len;

	/* Both sides send <hello> at once, always "]]>]]>"-framed. */
	if (ns_write(s, client_hello, sizeof(client_hello) - 1, "hello") == -1)
		return (-1);
	if (ns_read_msg(s, "hello", mono_ms() + o->rpc_timeout_ms,
	    o->rpc_timeout_ms) == -1)
		return (-1);
	m = s->fr.msg;
	len = s->fr.len;
	if (len == 0 || memmem(m, len, "hello", 5) == NULL ||
	    memmem(m, len, "capabilit", 9) == NULL) {
		ns_fail(s, POLL_BADREPLY, "no NETCONF <hello> from the device");
		return (-1);
	}
	s->chunked = memmem(m, len, NC_BASE11, sizeof(NC_BASE11) - 1) != NULL;
	return (0);
}

static int
ns_rpc(struct ncsess *s, const char *elem, unsigned int budget_ms)
{
	char	body[256];

	snprintf(body, sizeof(body), "<rpc message-id=\"%u\" xmlns=\"" NC_NS
	    "\"><%s/></rpc>", ++s->msgid, elem);
	if (ns_send(s, body, elem) == -1)
		return (-1);
	return (ns_read_msg(s, elem, mono_ms() + budget_ms, budget_ms));
}

/*
 * The three RPCs.  A transport failure ends the session; an rpc-error or
 * bad XML only loses that RPC.  See cnetconf.h for the statuses.
 */
static void
ns_rpcs(struct ncsess *s)
{
	struct ncslot	*sl = s->sl;
	char		 xerr[160];
	size_t		 i, nok = 0;
	int		 ok[NRPCS] = { 0 }, bad_vc = 0, rc;

	for (i = 0; i < NRPCS; i++) {
		if (stopping(s->run)) {
			ns_fail(s, POLL_ERROR, "interrupted");
			break;
		}
		if (ns_rpc(s, rpcs[i].elem, s->run->o.rpc_timeout_ms) == -1)
			break;
		xerr[0] = '\0';
		rc = xmlparse_reply(rpcs[i].rpc, s->fr.msg, s->fr.len, &sl->facts,
		    xerr, sizeof(xerr));
		if (rc == 0) {
			ok[rpcs[i].rpc] = 1;
			nok++;
		} else {
			if (rpcs[i].rpc == XRPC_VC && rc != 1)
				bad_vc = 1;
			ns_note(s, "%s: %s%s", rpcs[i].elem,
			    rc == 1 ? "rpc-error: " : "bad reply: ", xerr);
		}
	}
	if (s->failed) {
		/* The session broke: keep what was parsed before. */
		if (nok > 0)
			sl->status = POLL_PARTIAL;
		return;
	}
	if (ok[XRPC_SOFTWARE] && ok[XRPC_CHASSIS] && !bad_vc)
		sl->status = POLL_OK;
	else if (nok > 0)
		sl->status = POLL_PARTIAL;
	else {
		char	why[ERR_LEN];

		memcpy(why, sl->err, sizeof(why));
		ns_fail(s, POLL_BADREPLY, "no usable reply: %s", why);
	}
}

static int
ns_ssh_setup(struct ncsess *s)
{
	const struct ncrun	*r = s->run;
	const struct ssh_cred	*c = r->cred;
	const char		*user = c->user[0] ? c->user : r->local_user;
	bool			 no = false;
	unsigned int		 port = s->port;

	if ((s->ssh = ssh_new()) == NULL) {
		ns_fail(s, POLL_ERROR, "out of memory");
		return (-1);
	}
	/* No ~/.ssh/config: a daemon's behaviour must not depend on it. */
	if (ssh_options_set(s->ssh, SSH_OPTIONS_PROCESS_CONFIG, &no) < 0 ||
	    ssh_options_set(s->ssh, SSH_OPTIONS_HOST, s->host) < 0 ||
	    ssh_options_set(s->ssh, SSH_OPTIONS_PORT, &port) < 0 ||
	    (user[0] != '\0' &&
	    ssh_options_set(s->ssh, SSH_OPTIONS_USER, user) < 0) ||
	    (r->ssh_dir[0] != '\0' &&
	    ssh_options_set(s->ssh, SSH_OPTIONS_SSH_DIR, r->ssh_dir) < 0) ||
	    (c->known_hosts[0] != '\0' &&
	    ssh_options_set(s->ssh, SSH_OPTIONS_KNOWNHOSTS, c->known_hosts) < 0) ||
	    (r->agent_sock[0] != '\0' &&
	    ssh_options_set(s->ssh, SSH_OPTIONS_IDENTITY_AGENT, r->agent_sock) < 0)) {
		ns_fail(s, POLL_ERROR, "ssh options: %s", ssh_get_error(s->ssh));
		return (-1);
	}
	/* Older libssh builds may lack an algorithm: then keep its defaults. */
	(void)ssh_options_set(s->ssh, SSH_OPTIONS_KEY_EXCHANGE, kex_pref);
	(void)ssh_options_set(s->ssh, SSH_OPTIONS_CIPHERS_C_S, cipher_pref);
	(void)ssh_options_set(s->ssh, SSH_OPTIONS_CIPHERS_S_C, cipher_pref);
	if (ssh_options_set(s->ssh, SSH_OPTIONS_FD, &s->fd) < 0) {
		ns_fail(s, POLL_ERROR, "ssh options: %s", ssh_get_error(s->ssh));
		return (-1);
	}
	ssh_set_blocking(s->ssh, 0);
	return (0);
}

/*
 * Close politely but briefly: blocking again, with a short libssh
 * timeout, so that the channel close and the disconnect message are sent
 * unless the device is gone.
 */
static void
ns_teardown(struct ncsess *s)
{
	long	usec = TEARDOWN_MS * 1000L;

	if (s->ssh != NULL) {
		(void)ssh_options_set(s->ssh, SSH_OPTIONS_TIMEOUT_USEC, &usec);
		ssh_set_blocking(s->ssh, 1);
	}
	if (s->ch != NULL) {
		if (ssh_channel_is_open(s->ch))
			(void)ssh_channel_close(s->ch);
		ssh_channel_free(s->ch);
		s->ch = NULL;
	}
	if (s->ssh != NULL) {
		if (s->handed) {
			/*
			 * Make libssh close the socket itself, once; it may
			 * already have (then ssh_get_fd() is -1).
			 */
			(void)ssh_options_set(s->ssh, SSH_OPTIONS_FD, NULL);
			s->fd = -1;
		}
		ssh_disconnect(s->ssh);
		ssh_free(s->ssh);
		s->ssh = NULL;
	}
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	slot_set_sfd(s, -1);
	ncframe_clear(&s->fr);
}

/* One device, start to end; the result lands in s->sl. */
static void
ns_poll(struct ncsess *s)
{
	const struct cnetconf_opts	*o = &s->run->o;
	struct ncslot			*sl = s->sl;
	uint64_t			 deadline;
	int				 rc;

	if (ns_connect(s) == -1 || ns_ssh_setup(s) == -1)
		goto done;
	s->handed = 1;
	deadline = mono_ms() + o->connect_timeout_ms;
	PUMP(s, rc, ssh_connect(s->ssh), SSH_AGAIN, deadline);
	if (rc != SSH_OK) {
		ns_sshfail(s, "SSH handshake", rc == SSH_AGAIN,
		    o->connect_timeout_ms);
		goto done;
	}
	if (ns_hostkey(s) == -1 || ns_auth(s) == -1)
		goto done;
	deadline = mono_ms() + o->rpc_timeout_ms;
	if ((s->ch = ssh_channel_new(s->ssh)) == NULL) {
		ns_fail(s, POLL_ERROR, "out of memory");
		goto done;
	}
	PUMP(s, rc, ssh_channel_open_session(s->ch), SSH_AGAIN, deadline);
	if (rc != SSH_OK) {
		ns_sshfail(s, "open channel", rc == SSH_AGAIN, o->rpc_timeout_ms);
		goto done;
	}
	PUMP(s, rc, ssh_channel_request_subsystem(s->ch, "netconf"), SSH_AGAIN,
	    deadline);
	if (rc != SSH_OK) {
		ns_sshfail(s, "netconf subsystem", rc == SSH_AGAIN,
		    o->rpc_timeout_ms);
		goto done;
	}
	if (ns_hello(s) == -1)
		goto done;
	ns_rpcs(s);
	if (!s->failed) {
		unsigned int		 wait_ms = o->rpc_timeout_ms < CLOSE_WAIT_MS ?
					    o->rpc_timeout_ms : CLOSE_WAIT_MS;
		enum poll_status	 st = sl->status;
		char			 e[ERR_LEN];

		/* Politeness only: its outcome does not change the result. */
		memcpy(e, sl->err, sizeof(e));
		(void)ns_rpc(s, "close-session", wait_ms);
		sl->status = st;
		memcpy(sl->err, e, sizeof(e));
		s->failed = 0;
	}
done:
	ns_teardown(s);
	if (stopping(s->run) && sl->status != POLL_OK) {
		sl->status = POLL_ERROR;
		snprintf(sl->err, sizeof(sl->err), "interrupted");
	}
	if (sl->status == POLL_OK || sl->status == POLL_PARTIAL)
		sl->have_facts = 1;
}

static void
slot_poll(struct ncslot *sl, const struct csnmp_target *t, ssh_key key)
{
	struct ncsess	*s;
	const char	*colon;
	unsigned long	 port;

	sl->t = t;
	sl->status = POLL_ERROR;
	sl->err[0] = '\0';
	sl->have_facts = 0;
	facts_init(&sl->facts);
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(sl->err, sizeof(sl->err), "out of memory");
		return;
	}
	s->run = sl->run;
	s->sl = sl;
	s->key = key;
	s->fd = -1;
	ncframe_init(&s->fr, sl->run->o.max_reply);
	s->port = sl->run->o.port;
	if (s->port == 0) {
		/* The target's own port: "1.2.3.4:830", "[::1]:830". */
		if ((colon = strrchr(t->address, ':')) == NULL ||
		    (port = strtoul(colon + 1, NULL, 10)) == 0 || port > 65535) {
			snprintf(sl->err, sizeof(sl->err), "no port in %.200s",
			    t->address);
			free(s);
			return;
		}
		s->port = (unsigned int)port;
	}
	if (sl->run->cred->key_path[0] != '\0' && key == NULL) {
		snprintf(sl->err, sizeof(sl->err), "cannot load the private key");
		free(s);
		return;
	}
	/* Until something succeeds, a failure must say what it was. */
	sl->status = POLL_OK;
	ns_poll(s);
	if (!sl->have_facts)
		facts_free(&sl->facts);
	free(s);
}

static ssh_key
load_key(const char *path)
{
	ssh_key	k = NULL;

	if (ssh_pki_import_privkey_file(path, NULL, no_passphrase, NULL,
	    &k) != SSH_OK)
		return (NULL);
	return (k);
}

static void *
worker_main(void *arg)
{
	struct ncslot	*sl = arg;
	struct ncrun	*r = sl->run;
	ssh_key		 key = NULL;

	/* One key object per thread: nothing of libssh's is shared. */
	if (r->cred->key_path[0] != '\0')
		key = load_key(r->cred->key_path);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		const struct csnmp_target	*t;

		if (stopping(r) || r->next >= r->n)
			break;
		t = &r->tv[r->next++];
		pthread_mutex_unlock(&r->mu);
		slot_poll(sl, t, key);
		pthread_mutex_lock(&r->mu);
		sl->state = SLOT_READY;
		pthread_cond_signal(&r->cv_main);
		while (sl->state != SLOT_IDLE)
			pthread_cond_wait(&r->cv_work, &r->mu);
	}
	r->running--;
	pthread_cond_signal(&r->cv_main);
	pthread_mutex_unlock(&r->mu);
	ssh_key_free(key);
	return (NULL);
}

/* Fail early on what would fail every device. */
static int
check_cred(struct ncrun *r, char *err, size_t errlen)
{
	const struct ssh_cred	*c = r->cred;
	const char		*sock;
	struct passwd		*pw;
	struct stat		 st;
	ssh_key			 k;

	r->kh_show = c->known_hosts[0] ? c->known_hosts : "~/.ssh/known_hosts";
	/*
	 * The passwd entry once per run, not once per session (libssh looks
	 * it up in every session that has no user or ssh directory set).
	 */
	if ((pw = getpwuid(getuid())) != NULL) {
		if (pw->pw_dir != NULL && pw->pw_dir[0] == '/' &&
		    (size_t)snprintf(r->ssh_dir, sizeof(r->ssh_dir), "%s/.ssh",
		    pw->pw_dir) >= sizeof(r->ssh_dir))
			r->ssh_dir[0] = '\0';
		if (pw->pw_name != NULL &&
		    strlen(pw->pw_name) < sizeof(r->local_user))
			memcpy(r->local_user, pw->pw_name,
			    strlen(pw->pw_name) + 1);
	}
	if (c->key_path[0] != '\0') {
		if (stat(c->key_path, &st) == -1) {
			snprintf(err, errlen, "%s: %s", c->key_path, strerror(errno));
			return (-1);
		}
		if (st.st_mode & (S_IRWXG | S_IRWXO)) {
			snprintf(err, errlen, "%s: private key is accessible by "
			    "group or others (mode %03o); chmod 600 it",
			    c->key_path, (unsigned int)(st.st_mode & 0777));
			return (-1);
		}
		if ((k = load_key(c->key_path)) == NULL) {
			snprintf(err, errlen, "%s: cannot load the private key "
			    "(not a key, unsupported, or encrypted: use ssh-agent "
			    "for encrypted keys)", c->key_path);
			return (-1);
		}
		ssh_key_free(k);
	} else if ((sock = getenv("SSH_AUTH_SOCK")) != NULL && *sock != '\0') {
		if (strlen(sock) >= sizeof(r->agent_sock)) {
			snprintf(err, errlen, "SSH_AUTH_SOCK is too long");
			return (-1);
		}
		memcpy(r->agent_sock, sock, strlen(sock) + 1);
	}
	if (c->key_path[0] == '\0' && r->agent_sock[0] == '\0' &&
	    c->password[0] == '\0') {
		snprintf(err, errlen, "no SSH credential: give a private key, a "
		    "password, or run ssh-agent (SSH_AUTH_SOCK)");
		return (-1);
	}
	return (0);
}

int
cnetconf_run(const struct csnmp_target *tv, size_t n, const struct ssh_cred *cred,
    const struct cnetconf_opts *o, cnetconf_result_cb *cb, void *arg,
    volatile int *stop, char *err, size_t errlen)
{
	struct ncrun		 r;
	struct ncslot		*slots = NULL;
	pthread_condattr_t	 ca;
	sigset_t		 all, old;
	size_t			 nslots, started = 0, i;
	int			 rc = -1, sync_init = 0;

	pthread_once(&ssh_once, lib_init);
	if (ssh_init_rc != SSH_OK) {
		snprintf(err, errlen, "libssh initialisation failed");
		return (-1);
	}
	memset(&r, 0, sizeof(r));
	r.tv = tv;
	r.n = n;
	r.stop = stop;
	r.cred = cred;
	cnetconf_opts_default(&r.o);
	if (o->workers > 0)
		r.o.workers = o->workers;
	r.o.port = o->port;
	if (o->connect_timeout_ms > 0)
		r.o.connect_timeout_ms = o->connect_timeout_ms;
	if (o->rpc_timeout_ms > 0)
		r.o.rpc_timeout_ms = o->rpc_timeout_ms;
	if (o->max_reply > 0)
		r.o.max_reply = o->max_reply;
	atomic_init(&r.stopping, 0);
	if (r.o.port > 65535) {
		snprintf(err, errlen, "bad SSH port %u", r.o.port);
		return (-1);
	}
	if (check_cred(&r, err, errlen) == -1)
		goto done;
	if (n == 0) {
		rc = 0;
		goto done;
	}
	nslots = r.o.workers < n ? r.o.workers : n;
	if ((slots = calloc(nslots, sizeof(*slots))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv_main, &ca);
	pthread_cond_init(&r.cv_work, NULL);
	pthread_condattr_destroy(&ca);
	sync_init = 1;

	/* Workers get no signals: the caller's handler sets *stop. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_mutex_lock(&r.mu);
	for (i = 0; i < nslots; i++) {
		slots[i].run = &r;
		slots[i].sfd = -1;
		if (pthread_create(&slots[i].tid, NULL, worker_main,
		    &slots[i]) != 0)
			break;
		started++;
		r.running++;
	}
	pthread_mutex_unlock(&r.mu);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started == 0) {
		snprintf(err, errlen, "cannot start SSH worker threads: %s",
		    strerror(errno));
		goto done;
	}

	pthread_mutex_lock(&r.mu);
	while (r.running > 0) {
		struct ncslot	*sl = NULL;
		struct timespec	 ts;

		for (i = 0; i < started; i++)
			if (slots[i].state == SLOT_READY) {
				sl = &slots[i];
				break;
			}
		if (sl != NULL) {
			sl->state = SLOT_TAKEN;
			pthread_mutex_unlock(&r.mu);
			cb(sl->t, sl->status, sl->err,
			    sl->have_facts ? &sl->facts : NULL, arg);
			facts_free(&sl->facts);
			pthread_mutex_lock(&r.mu);
			sl->state = SLOT_IDLE;
			pthread_cond_broadcast(&r.cv_work);
			continue;
		}
		if (stop != NULL && *stop && !atomic_load(&r.stopping)) {
			atomic_store(&r.stopping, 1);
			for (i = 0; i < started; i++)
				if (slots[i].sfd >= 0)
					(void)shutdown(slots[i].sfd, SHUT_RDWR);
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += (long)TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&r.cv_main, &r.mu, &ts);
	}
	pthread_mutex_unlock(&r.mu);
	rc = 0;
done:
	for (i = 0; i < started; i++)
		pthread_join(slots[i].tid, NULL);
	if (sync_init) {
		pthread_cond_destroy(&r.cv_work);
		pthread_cond_destroy(&r.cv_main);
		pthread_mutex_destroy(&r.mu);
	}
	free(slots);
	return (rc);
}
