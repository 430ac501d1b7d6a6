/*
 * csnmp.c: the SNMP engine.  One epoll loop drives every device in flight
 * through net-snmp's single-session API: a session per device, opened
 * with snmp_sess_add() on a transport of ours that sends on a UDP socket
 * shared by SOCK_JOBS devices (see struct usock), snmp_sess_async_send()
 * to send, and, when the loop has read a datagram and matched it to its
 * device by source address, snmp_sess_read2() on that device's session,
 * whose transport hands net-snmp that datagram.  net-snmp still builds,
 * parses, matches request ids and does USM.  We never call
 * snmp_select_info() or
 * snmp_sess_timeout(): deadlines are ours, in one min-heap on the
 * monotonic clock, so the cost of a wake-up does not grow with the
 * number of sessions in flight.
 *
 * Retries: net-snmp's own timer is disabled (huge timeout, no retries);
 * on our deadline we send the request again with a new request id and
 * ignore any late answer to the old one.  The timeout grows by half at
 * each retry (fping).
 *
 * SNMPv3: engine discovery is one more state of the device machine (an
 * unauthenticated probe whose Report carries the engine ID), never the
 * blocking probe net-snmp would do.  Ku is derived from each
 * passphrase once per run; net-snmp localises it per engine.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <linux/errqueue.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "csnmp.h"
#include "heap.h"
#include "parse.h"
#include "vb.h"

#define MAXCOLS		9	/* most columns of one walk (entPhysicalTable) */
#define EPOLL_BATCH	64
#define TICK_MS		200		/* longest sleep: checks *stop */
#define NS_TIMEOUT_US	(3600L * 1000000L)	/* net-snmp must never time out */
#define DISCOVER_ID	"discover"

/* Tables walked with multi-column GETBULK. */
enum { W_CONTENTS = 0, W_ENT, W_VC, W_HRSW, W_N };

static const struct walk_def {
	const char	*name;
	const char	*base;		/* entry OID; a column is base.col */
	int		 cols[MAXCOLS];
	size_t		 ncols;
} walks[W_N] = {
	[W_CONTENTS] = { "jnxContentsTable", OID_JNXCONTENTSENTRY,
	    { 6, 7, 8, 10, 11, 12, 13, 14 }, 8 },
	[W_ENT] = { "entPhysicalTable", OID_ENTPHYSICALENTRY,
	    { 2, 4, 5, 7, 8, 10, 11, 12, 13 }, 9 },
	[W_VC] = { "jnxVirtualChassisMemberTable", OID_JNXVCMEMBERENTRY,
	    { 2, 3, 5, 8 }, 4 },
	[W_HRSW] = { "hrSWInstalledName", "1.3.6.1.2.1.25.6.3.1",
	    { 2 }, 1 },
};

static const char *const system_oids[] = {
	OID_SYSDESCR, OID_SYSOBJECTID, OID_SYSUPTIME, OID_SYSNAME,
	OID_SYSLOCATION, OID_JNXBOXDESCR, OID_JNXBOXSERIALNO,
};

#define NSYSOIDS	(sizeof(system_oids) / sizeof(system_oids[0]))
enum { S_SYSDESCR = 0, S_SYSOBJECTID, S_SYSUPTIME, S_SYSNAME,
	S_SYSLOCATION, S_JNXBOXDESCR, S_JNXBOXSERIALNO };

/* The OIDs above and the walks' entry OIDs, parsed once. */
static struct pre_oid {
	uint32_t	 o[VB_MAX_OID];
	size_t		 n;
} sys_pre[NSYSOIDS], walk_pre[W_N];

enum jstate { JS_DISCOVER = 0, JS_SYSTEM, JS_WALK };
enum jact { ACT_NONE = 0, ACT_SEND, ACT_REOPEN, ACT_FINISH };

/*
 * A column being walked.  Its prefix (entry OID and column number) is
 * the first baselen words of cur: cur starts there and only ever takes
 * OIDs under it.
 */
struct col {
	size_t		 baselen;
	uint32_t	 cur[VB_MAX_OID];	/* last OID seen in it */
	size_t		 curlen;
	int		 done;
	size_t		 rows;
};

struct job {
	struct heap_node		 hn;	/* first: a heap node is a job */
	const struct csnmp_target	*t;
	void				*sess;	/* snmp_sess handle */
	int				 fd;	/* its shared socket; -1: none */
	size_t				 slot;	/* index in the job array */
	enum jstate			 state;
	int				 walk;		/* W_* in progress */
	unsigned int			 todo;		/* bitmask of W_* still to walk */
	struct col			 cols[MAXCOLS];
	int				 reqcols[MAXCOLS];	/* column of each request vb */
	size_t				 nreq;
	unsigned int			 maxrep;
	unsigned int			 tries;
	int				 reqid;		/* outstanding; 0: none */
	int				 resynced;	/* v3 time window retried */
	enum jact			 action;
	enum poll_status		 status;
	char				 err[160];
	struct vblist			 vbs;
	u_char				 engine[SNMP_MAX_ENG_SIZE];
	size_t				 enginelen;
	size_t				 contents_rows;
	int				 sysdescr_version;	/* 1: version in sysDescr */
	unsigned int			 bad_replies;	/* datagrams net-snmp could not parse */
	char				 bad_why[96];
};

/*
 * Devices in flight share UDP sockets, SOCK_JOBS slots a socket (one per
 * address family), instead of one socket per device: a device costs its
 * datagrams and no socket set-up (about 20 system calls with net-snmp's
 * own UDP transport).  Replies are matched to the device by their source
 * address; the receive buffer of a socket (rmem_default) holds the
 * answers of all its slots at once.  With IP_RECVERR an ICMP port
 * unreachable comes back on the error queue with the address it was
 * sent to, so a device without an agent is still "refused".
 */
#define SOCK_JOBS	16
#define RX_MAX		65536		/* a UDP datagram */
#define RX_BURST	64		/* datagrams read per wake-up and socket */
#define SOCK_RCVBUF	(256 * 1024)	/* 16 full GETBULK answers, twice */

struct usock {
	int		 fd;		/* -1: not open yet */
	int		 family;
	size_t		 group;		/* slots group * SOCK_JOBS ... */
};

/* t->data of our net-snmp transport: where a session sends. */
struct tpdata {
	struct engine		*e;
	int			 fd;
	struct sockaddr_storage	 sa;
	socklen_t		 salen;
};

struct engine {
	const struct snmp_cred	*cred;
	const struct csnmp_opts	*o;
	int			 ep;
	struct heap		 timers;
	netsnmp_large_fd_set	 fdset;
	int			 fdsetsize;
	u_char			 auth_ku[USM_AUTH_KU_LEN];
	size_t			 auth_ku_len;
	u_char			 priv_ku[USM_PRIV_KU_LEN];
	size_t			 priv_ku_len;
	const oid		*auth_proto;
	size_t			 auth_proto_len;
	unsigned int		 inflight;
	struct job		**freel;	/* idle job slots */
	size_t			 nfree;
	struct job		*jobs;		/* every slot */
	size_t			 nslots;
	struct usock		*socks;		/* [group * 2 + (IPv6)] */
	size_t			 nsocks;
	u_char			*rx;		/* the datagram being handed over */
	size_t			 rxlen;
	int			 rxfull;	/* rx not yet taken by net-snmp */
};

static int	csnmp_initialised;

static void
csnmp_init_lib(void)
{
	size_t	i;
	int	n;

	if (csnmp_initialised)
		return;
	/*
	 * No config files, no MIBs, and above all no persistent state: net-snmp
	 * would otherwise save localised v3 keys under ~/.snmp on shutdown.
	 */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	setenv("MIBS", "", 1);
	setenv("MIBDIRS", "/nonexistent", 1);
	snmp_disable_log();
	init_snmp("ibagent");
	for (i = 0; i < NSYSOIDS; i++) {
		n = oid_parse(system_oids[i], sys_pre[i].o, VB_MAX_OID);
		sys_pre[i].n = n > 0 ? (size_t)n : 0;
	}
	for (i = 0; i < W_N; i++) {
		n = oid_parse(walks[i].base, walk_pre[i].o, VB_MAX_OID - 1);
		walk_pre[i].n = n > 0 ? (size_t)n : 0;
	}
	csnmp_initialised = 1;
}

void
csnmp_opts_default(struct csnmp_opts *o)
{
	o->max_inflight = 256;
	o->timeout_ms = 1000;
	o->retries = 2;
	o->max_repetitions = 0;		/* 0: about 64 values per request */
	o->max_values = 50000;
}

void
csnmp_cred_clear(struct snmp_cred *c)
{
	explicit_bzero(c, sizeof(*c));
}

static void
job_fail(struct job *j, enum poll_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
job_fail(struct job *j, enum poll_status st, const char *fmt, ...)
{
	va_list	ap;

	j->status = st;
	va_start(ap, fmt);
	vsnprintf(j->err, sizeof(j->err), fmt, ap);
	va_end(ap);
	j->action = ACT_FINISH;
}

/* Convert net-snmp's variable list into our vblist. */
static int
job_take_vbs(struct job *j, netsnmp_variable_list *v, int walking)
{
	uint32_t	 o[VB_MAX_OID];
	char		 buf[256];
	size_t		 i;

	for (; v != NULL; v = v->next_variable) {
		enum vb_type	 t = VB_NULL;
		long long	 num = 0;
		const char	*s = NULL;
		size_t		 len = 0;

		if (v->name_length > VB_MAX_OID)
			continue;
		for (i = 0; i < v->name_length; i++)
			o[i] = (uint32_t)v->name[i];
		switch (v->type) {
		case ASN_OCTET_STR:
		case ASN_OPAQUE:
			t = VB_STR;
			s = (const char *)v->val.string;
			len = v->val_len;
			break;
		case ASN_INTEGER:
			t = VB_INT;
			num = *v->val.integer;
			break;
		case ASN_COUNTER:
		case ASN_GAUGE:
		case ASN_TIMETICKS:
			t = VB_UINT;
			num = (long long)(unsigned long)*v->val.integer;
			break;
		case ASN_COUNTER64:
			t = VB_UINT;
			num = (long long)(((unsigned long long)v->val.counter64->high << 32) |
			    v->val.counter64->low);
			break;
		case ASN_OBJECT_ID: {
			uint32_t	oo[VB_MAX_OID];
			size_t		n = v->val_len / sizeof(oid);

			if (n > VB_MAX_OID)
				n = VB_MAX_OID;
			for (i = 0; i < n; i++)
				oo[i] = (uint32_t)v->val.objid[i];
			oid_format(oo, n, buf, sizeof(buf));
			t = VB_OID;
			s = buf;
			len = strlen(buf);
			break;
		}
		case ASN_IPADDRESS:
			if (v->val_len == 4) {
				snprintf(buf, sizeof(buf), "%u.%u.%u.%u",
				    v->val.string[0], v->val.string[1],
				    v->val.string[2], v->val.string[3]);
				t = VB_IPADDR;
				s = buf;
				len = strlen(buf);
			}
			break;
		default:	/* NULL, noSuchObject, noSuchInstance, endOfMibView */
			if (walking)
				continue;
			break;
		}
		if (vblist_add(&j->vbs, o, v->name_length, t, num, s, len) == -1) {
			job_fail(j, POLL_ERROR, "out of memory");
			return (-1);
		}
	}
	return (0);
}

static int
oid_has_prefix(const oid *name, size_t len, const uint32_t *pfx, size_t plen)
{
	size_t	i;

	if (len <= plen)
		return (0);
	for (i = 0; i < plen; i++)
		if (name[i] != pfx[i])
			return (0);
	return (1);
}

static int
oid_cmp_ns(const oid *a, size_t alen, const uint32_t *b, size_t blen)
{
	size_t	i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (a[i] < b[i] ? -1 : 1);
	}
	return (alen < blen ? -1 : alen > blen ? 1 : 0);
}

static void
walk_begin(struct job *j, int w)
{
	const struct walk_def	*d = &walks[w];
	const uint32_t		*base = walk_pre[w].o;
	size_t			 n = walk_pre[w].n, c;

	j->walk = w;
	for (c = 0; c < d->ncols; c++) {
		struct col	*cl = &j->cols[c];

		memcpy(cl->cur, base, n * sizeof(uint32_t));
		cl->cur[n] = (uint32_t)d->cols[c];
		cl->baselen = n + 1;
		cl->curlen = cl->baselen;
		cl->done = 0;
		cl->rows = 0;
	}
}

/* Pick the next table to walk, or finish the device. */
static void
walk_next(struct job *j)
{
	int	w;

	for (w = 0; w < W_N; w++) {
		if (j->todo & (1u << w)) {
			j->todo &= ~(1u << w);
			j->state = JS_WALK;
			walk_begin(j, w);
			j->action = ACT_SEND;
			return;
		}
	}
	j->action = ACT_FINISH;
}

static void
walk_finished(struct job *j)
{
	size_t	rows = j->cols[0].rows;

	if (j->walk == W_CONTENTS) {
		j->contents_rows = rows;
		/* Junos Evolved has no jnxContentsTable: ENTITY-MIB instead. */
		if (rows == 0)
			j->todo |= 1u << W_ENT;
	}
	walk_next(j);
}

static int
is_sysoid(const struct vb *v, int k)
{
	return (oid_cmp(v->oid, v->oidlen, sys_pre[k].o, sys_pre[k].n) == 0);
}

static void
on_system(struct job *j, netsnmp_pdu *pdu)
{
	char		 descr[DEV_DESCR_LEN] = "", objid[128] = "";
	char		 ver[ITEM_VER_LEN];
	int		 boxes = 0, junos;
	size_t		 i;

	if (pdu->errstat != SNMP_ERR_NOERROR) {
		job_fail(j, POLL_BADREPLY, "system group: %s",
		    snmp_errstring((int)pdu->errstat));
		return;
	}
	if (job_take_vbs(j, pdu->variables, 0) == -1)
		return;
	for (i = 0; i < j->vbs.n; i++) {
		const struct vb	*v = &j->vbs.v[i];

		if (v->type == VB_NULL)
			continue;
		if (v->type == VB_STR && is_sysoid(v, S_SYSDESCR))
			fact_strlcpy(descr, v->str, sizeof(descr));
		else if (v->type == VB_OID && is_sysoid(v, S_SYSOBJECTID))
			fact_strlcpy(objid, v->str, sizeof(objid));
		else if (is_sysoid(v, S_JNXBOXSERIALNO) ||
		    is_sysoid(v, S_JNXBOXDESCR))
			boxes = 1;
	}
	junos = parse_is_junos(descr, objid) || boxes;
	if (!junos) {
		/* JunosE, EX2500, other vendors: the system group is all. */
		j->action = ACT_FINISH;
		return;
	}
	j->sysdescr_version = parse_sysdescr(descr, ver, sizeof(ver), NULL, 0) &&
	    ver[0] != '\0';
	j->todo = (1u << W_CONTENTS) | (1u << W_VC);
	if (!j->sysdescr_version)
		j->todo |= 1u << W_HRSW;
	walk_next(j);
}

static void
on_walk(struct job *j, netsnmp_pdu *pdu, const struct engine *e)
{
	netsnmp_variable_list	*v;
	size_t			 k, c, left;

	if (pdu->errstat == SNMP_ERR_TOOBIG && j->maxrep > 1) {
		j->maxrep /= 2;
		j->action = ACT_SEND;
		return;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		/* This table failed; what the others give still counts. */
		j->status = POLL_PARTIAL;
		snprintf(j->err, sizeof(j->err), "%s: %s", walks[j->walk].name,
		    snmp_errstring((int)pdu->errstat));
		walk_finished(j);
		return;
	}
	for (k = 0, v = pdu->variables; v != NULL; v = v->next_variable, k++) {
		struct col	*cl;

		c = (size_t)j->reqcols[k % j->nreq];
		cl = &j->cols[c];
		if (cl->done)
			continue;
		if (v->type == SNMP_ENDOFMIBVIEW || v->type == SNMP_NOSUCHOBJECT ||
		    v->type == SNMP_NOSUCHINSTANCE ||
		    !oid_has_prefix(v->name, v->name_length, cl->cur, cl->baselen)) {
			cl->done = 1;
			continue;
		}
		if (v->name_length > VB_MAX_OID ||
		    oid_cmp_ns(v->name, v->name_length, cl->cur, cl->curlen) <= 0) {
			/* An agent that does not move forward would loop for ever. */
			cl->done = 1;
			j->status = POLL_PARTIAL;
			snprintf(j->err, sizeof(j->err),
			    "%s: agent returned OIDs out of order", walks[j->walk].name);
			continue;
		}
		for (size_t i = 0; i < v->name_length; i++)
			cl->cur[i] = (uint32_t)v->name[i];
		cl->curlen = v->name_length;
		cl->rows++;
		{
			netsnmp_variable_list *next = v->next_variable;

			v->next_variable = NULL;	/* take just this one */
			if (job_take_vbs(j, v, 1) == -1) {
				v->next_variable = next;
				return;
			}
			v->next_variable = next;
		}
		if (j->vbs.n > e->o->max_values) {
			j->status = POLL_PARTIAL;
			snprintf(j->err, sizeof(j->err),
			    "more than %u values: walk stopped", e->o->max_values);
			j->action = ACT_FINISH;
			return;
		}
	}
	if (k == 0) {
		job_fail(j, POLL_BADREPLY, "%s: empty GETBULK response",
		    walks[j->walk].name);
		return;
	}
	for (left = 0, c = 0; c < walks[j->walk].ncols; c++)
		if (!j->cols[c].done)
			left++;
	if (left == 0)
		walk_finished(j);
	else
		j->action = ACT_SEND;
}

static const char *
report_reason(netsnmp_pdu *pdu, enum poll_status *st)
{
	int	r = snmpv3_get_report_type(pdu);

	*st = POLL_AUTH;
	switch (r) {
	case SNMPERR_UNKNOWN_USER_NAME:
		return ("unknown SNMPv3 user");
	case SNMPERR_AUTHENTICATION_FAILURE:
		return ("SNMPv3 authentication failed (wrong auth passphrase or protocol)");
	case SNMPERR_DECRYPTION_ERR:
		return ("SNMPv3 decryption failed (wrong privacy passphrase or protocol)");
	case SNMPERR_UNSUPPORTED_SEC_LEVEL:
		return ("SNMPv3 security level not supported for this user");
	case SNMPERR_NOT_IN_TIME_WINDOW:
		return ("SNMPv3 not in time window");
	default:
		*st = POLL_BADREPLY;
		return ("unexpected SNMP report");
	}
}

/* net-snmp calls this from inside snmp_sess_read2(): record, don't act. */
static int
job_cb(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct job	*j = magic;
	struct engine	*e = s->myvoid;
	enum poll_status st;
	const char	*why;

	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || j->reqid == 0)
		return (1);
	/*
	 * A late answer to a retried request is dropped.  An agent that could
	 * not decrypt our request cannot know its request id either: its
	 * Report says 0 (the loop matched its source address to this device).
	 */
	if (reqid != j->reqid &&
	    !(reqid == 0 && pdu != NULL && pdu->command == SNMP_MSG_REPORT))
		return (1);
	j->reqid = 0;
	j->tries = 0;
	if (j->state == JS_DISCOVER) {
		if (pdu->securityEngineIDLen == 0 ||
		    pdu->securityEngineIDLen > sizeof(j->engine)) {
			job_fail(j, POLL_BADREPLY, "SNMPv3 engine discovery: no engine ID");
			return (1);
		}
		memcpy(j->engine, pdu->securityEngineID, pdu->securityEngineIDLen);
		j->enginelen = pdu->securityEngineIDLen;
		j->action = ACT_REOPEN;
		return (1);
	}
	if (pdu->command == SNMP_MSG_REPORT) {
		why = report_reason(pdu, &st);
		if (snmpv3_get_report_type(pdu) == SNMPERR_NOT_IN_TIME_WINDOW &&
		    !j->resynced) {
			j->resynced = 1;	/* engine time now known: once more */
			j->action = ACT_SEND;
			return (1);
		}
		job_fail(j, st, "%s", why);
		return (1);
	}
	if (j->state == JS_SYSTEM)
		on_system(j, pdu);
	else
		on_walk(j, pdu, e);
	return (1);
}

/* net-snmp reads: hand over the datagram the loop received for us. */
static int
tp_recv(netsnmp_transport *t, void *buf, int size, void **opaque,
    int *olen)
{
	struct tpdata	*d = t->data;
	struct engine	*e = d->e;
	size_t		 n;

	*opaque = NULL;
	*olen = 0;
	if (!e->rxfull || size <= 0) {
		errno = EAGAIN;
		return (-1);
	}
	n = e->rxlen < (size_t)size ? e->rxlen : (size_t)size;
	memcpy(buf, e->rx, n);
	e->rxfull = 0;
	return ((int)n);
}

static int
tp_send(netsnmp_transport *t, const void *buf, int size, void **opaque,
    int *olen)
{
	struct tpdata	*d = t->data;
	ssize_t		 n;
	int		 i;

	(void)opaque;
	(void)olen;
	/*
	 * An ICMP error for another device of this socket is also left
	 * pending on it and fails the next send once: send again.
	 */
	for (i = 0; i < 2; i++) {
		n = sendto(d->fd, buf, (size_t)size, 0,
		    (const struct sockaddr *)&d->sa, d->salen);
		if (n >= 0 || errno == EAGAIN || errno == EINTR)
			break;
	}
	return ((int)n);
}

/* The socket is shared: closing a session leaves it open. */
static int
tp_close(netsnmp_transport *t)
{
	(void)t;
	return (0);
}

/* The shared socket of a job's group for its target's family. */
static struct usock *
engine_usock(struct engine *e, struct job *j)
{
	struct usock		*u;
	struct epoll_event	 ev;
	int			 six = j->t->sa.ss_family == AF_INET6;
	int			 on = 1, rcv = SOCK_RCVBUF;

	u = &e->socks[(j->slot / SOCK_JOBS) * 2 + (size_t)six];
	if (u->fd >= 0)
		return (u);
	if ((u->fd = socket(six ? AF_INET6 : AF_INET, SOCK_DGRAM |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
		job_fail(j, POLL_ERROR, "socket: %s", strerror(errno));
		return (NULL);
	}
	u->family = six ? AF_INET6 : AF_INET;
	u->group = j->slot / SOCK_JOBS;
	/* Best effort: the kernel caps it at net.core.rmem_max. */
	(void)setsockopt(u->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if ((six ? setsockopt(u->fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
	    sizeof(on)) : setsockopt(u->fd, IPPROTO_IP, IP_RECVERR, &on,
	    sizeof(on))) == -1) {
		job_fail(j, POLL_ERROR, "setsockopt: %s", strerror(errno));
		goto fail;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = u;
	if (epoll_ctl(e->ep, EPOLL_CTL_ADD, u->fd, &ev) == -1) {
		job_fail(j, POLL_ERROR, "epoll_ctl: %s", strerror(errno));
		goto fail;
	}
	if (u->fd >= e->fdsetsize) {
		int	ns = u->fd + 256;

		netsnmp_large_fd_set_resize(&e->fdset, ns);
		NETSNMP_LARGE_FD_ZERO(&e->fdset);
		e->fdsetsize = ns;
	}
	return (u);
fail:
	close(u->fd);
	u->fd = -1;
	return (NULL);
}

/* A net-snmp transport that sends to the job's target on a shared socket. */
static netsnmp_transport *
engine_transport(struct engine *e, struct job *j)
{
	netsnmp_transport	*t;
	struct tpdata		*d;
	struct usock		*u;

	if (j->t->salen == 0 || j->t->salen > sizeof(d->sa)) {
		job_fail(j, POLL_ERROR, "address not resolved");
		return (NULL);
	}
	if ((u = engine_usock(e, j)) == NULL)
		return (NULL);
	/* net-snmp frees both (netsnmp_transport_free) with the session. */
	t = calloc(1, sizeof(*t));
	d = calloc(1, sizeof(*d));
	if (t == NULL || d == NULL) {
		free(t);
		free(d);
		job_fail(j, POLL_ERROR, "out of memory");
		return (NULL);
	}
	d->e = e;
	d->fd = u->fd;
	memcpy(&d->sa, &j->t->sa, j->t->salen);
	d->salen = j->t->salen;
	t->domain = u->family == AF_INET6 ? netsnmp_UDPIPv6Domain :
	    netsnmpUDPDomain;
	t->domain_length = (int)netsnmpUDPDomain_len;
	t->sock = u->fd;
	t->flags = NETSNMP_TRANSPORT_FLAG_OPENED;
	t->data = d;
	t->data_length = (int)sizeof(*d);
	t->msgMaxSize = 0xffff - 8 - 20;	/* as net-snmp's UDP */
	t->f_recv = tp_recv;
	t->f_send = tp_send;
	t->f_close = tp_close;
	j->fd = u->fd;
	return (t);
}

static int
engine_session_open(struct engine *e, struct job *j, int discover)
{
	netsnmp_session		 s;
	netsnmp_transport	*tp;

	snmp_sess_init(&s);
	s.peername = (char *)j->t->peer;
	s.timeout = NS_TIMEOUT_US;
	s.retries = 0;
	s.callback = job_cb;
	s.callback_magic = j;
	s.myvoid = e;
	if (e->cred->version == 3) {
		s.version = SNMP_VERSION_3;
		s.flags |= SNMP_FLAGS_DONT_PROBE;
		if (discover) {
			s.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
			s.securityName = (char *)"";
			s.securityNameLen = 0;
		} else {
			s.securityName = (char *)e->cred->user;
			s.securityNameLen = strlen(e->cred->user);
			s.securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
			s.securityEngineID = j->engine;
			s.securityEngineIDLen = j->enginelen;
			s.securityAuthProto = (oid *)e->auth_proto;
			s.securityAuthProtoLen = e->auth_proto_len;
			memcpy(s.securityAuthKey, e->auth_ku, e->auth_ku_len);
			s.securityAuthKeyLen = e->auth_ku_len;
			s.securityPrivProto = usmAESPrivProtocol;
			s.securityPrivProtoLen = USM_PRIV_PROTO_AES_LEN;
			memcpy(s.securityPrivKey, e->priv_ku, e->priv_ku_len);
			s.securityPrivKeyLen = e->priv_ku_len;
		}
	} else {
		s.version = SNMP_VERSION_2c;
		s.community = (u_char *)e->cred->community;
		s.community_len = strlen(e->cred->community);
	}
	if ((tp = engine_transport(e, j)) == NULL) {
		explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
		explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
		return (-1);
	}
	j->sess = snmp_sess_add(&s, tp, NULL, NULL);
	/* The session copied what it needs; wipe our stack copy of the keys. */
	explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
	explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
	if (j->sess == NULL) {
		/* net-snmp has freed tp (and closed nothing: tp_close). */
		j->fd = -1;
		job_fail(j, POLL_ERROR, "cannot open SNMP session: %s",
		    snmp_api_errstring(s.s_snmp_errno));
		return (-1);
	}
	/*
	 * snmp_sess_add() clears DONT_PROBE once open; without it the first
	 * send on a session with no engine ID would run net-snmp's blocking
	 * probe and stall the whole loop.
	 */
	if (e->cred->version == 3)
		snmp_sess_session(j->sess)->flags |= SNMP_FLAGS_DONT_PROBE;
	return (0);
}

static void
engine_session_close(struct engine *e, struct job *j)
{
	(void)e;
	if (j->sess == NULL)
		return;
	j->reqid = 0;
	snmp_sess_close(j->sess);
	j->sess = NULL;
	j->fd = -1;
}

static netsnmp_pdu *
job_build_pdu(struct job *j, const struct engine *e)
{
	netsnmp_pdu	*pdu;
	oid		 o[VB_MAX_OID];
	size_t		 i, c;

	switch (j->state) {
	case JS_DISCOVER:
		if ((pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL)
			return (NULL);
		pdu->version = SNMP_VERSION_3;
		pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
		pdu->securityModel = SNMP_SEC_MODEL_USM;
		pdu->securityName = strdup("");	/* the PDU owns and frees it */
		pdu->securityNameLen = 0;
		pdu->flags |= UCD_MSG_FLAG_EXPECT_RESPONSE;
		return (pdu);
	case JS_SYSTEM:
		if ((pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL)
			return (NULL);
		for (i = 0; i < NSYSOIDS; i++) {
			for (c = 0; c < sys_pre[i].n; c++)
				o[c] = sys_pre[i].o[c];
			snmp_add_null_var(pdu, o, sys_pre[i].n);
		}
		return (pdu);
	case JS_WALK:
		if ((pdu = snmp_pdu_create(SNMP_MSG_GETBULK)) == NULL)
			return (NULL);
		j->nreq = 0;
		for (c = 0; c < walks[j->walk].ncols; c++) {
			struct col	*cl = &j->cols[c];

			if (cl->done)
				continue;
			for (i = 0; i < cl->curlen; i++)
				o[i] = cl->cur[i];
			snmp_add_null_var(pdu, o, cl->curlen);
			j->reqcols[j->nreq++] = (int)c;
		}
		pdu->non_repeaters = 0;
		if (j->maxrep == 0) {
			j->maxrep = e->o->max_repetitions ? e->o->max_repetitions :
			    (unsigned int)(64 / j->nreq);
			if (j->maxrep == 0)
				j->maxrep = 1;
		}
		pdu->max_repetitions = (long)j->maxrep;
		return (pdu);
	}
	return (NULL);
}

static uint64_t
job_timeout_ms(const struct engine *e, const struct job *j)
{
	uint64_t	t = e->o->timeout_ms;
	unsigned int	i;

	for (i = 0; i < j->tries; i++)
		t += t / 2;
	return (t);
}

static void
job_send(struct engine *e, struct job *j)
{
	netsnmp_pdu	*pdu;
	int		 id;

	j->action = ACT_NONE;
	if ((pdu = job_build_pdu(j, e)) == NULL) {
		job_fail(j, POLL_ERROR, "cannot build PDU");
		return;
	}
	if ((id = snmp_sess_async_send(j->sess, pdu, job_cb, j)) == 0) {
		int	serr = snmp_sess_session(j->sess)->s_snmp_errno;

		snmp_free_pdu(pdu);
		job_fail(j, POLL_ERROR, "send: %s", snmp_api_errstring(serr));
		return;
	}
	/*
	 * net-snmp keeps this PDU in the session's request list until the
	 * answer (to match it, and for v3 to check the answer's security
	 * parameters); its varbinds, over 1 KB each (a fixed MAX_OID_LEN
	 * name buffer), are encoded already and never read again since
	 * net-snmp's own retries are off.  Freeing them saves 8 KB a device
	 * in flight.
	 */
	snmp_free_varbind(pdu->variables);
	pdu->variables = NULL;
	j->reqid = id;
	if (heap_set(&e->timers, &j->hn, mono_ms() + job_timeout_ms(e, j)) == -1)
		job_fail(j, POLL_ERROR, "out of memory");
}

static void
job_start(struct engine *e, struct job *j, const struct csnmp_target *t)
{
	size_t	slot = j->slot;

	/* A slot is reused: nothing of the device before it may remain. */
	memset(j, 0, sizeof(*j));
	j->slot = slot;
	j->t = t;
	j->fd = -1;
	j->status = POLL_OK;
	j->err[0] = '\0';
	heap_node_init(&j->hn);
	vblist_init(&j->vbs);
	j->state = e->cred->version == 3 ? JS_DISCOVER : JS_SYSTEM;
	if (engine_session_open(e, j, j->state == JS_DISCOVER) == -1)
		return;
	job_send(e, j);
}

static void
job_finish(struct engine *e, struct job *j, csnmp_result_cb *cb, void *arg)
{
	struct dev_facts	 f;
	int			 have = 0;

	heap_del(&e->timers, &j->hn);
	engine_session_close(e, j);
	facts_init(&f);
	if (j->status == POLL_OK || j->status == POLL_PARTIAL) {
		if (parse_device(&j->vbs, &f) == -1) {
			j->status = POLL_ERROR;
			fact_strlcpy(j->err, "out of memory", sizeof(j->err));
		} else if (!f.have_system) {
			j->status = POLL_BADREPLY;
			fact_strlcpy(j->err, "no system group in reply", sizeof(j->err));
		} else
			have = 1;
	}
	cb(j->t, j->status, j->err, have ? &f : NULL, arg);
	facts_free(&f);
	vblist_free(&j->vbs);
	j->action = ACT_NONE;
	e->inflight--;
	e->freel[e->nfree++] = j;
}

/* Carry out what the callback decided. */
static void
job_act(struct engine *e, struct job *j, csnmp_result_cb *cb, void *arg)
{
	for (;;) {
		switch (j->action) {
		case ACT_NONE:
			return;
		case ACT_SEND:
			job_send(e, j);
			break;
		case ACT_REOPEN:
			engine_session_close(e, j);
			j->state = JS_SYSTEM;
			j->action = ACT_NONE;
			if (engine_session_open(e, j, 0) == 0)
				job_send(e, j);
			break;
		case ACT_FINISH:
			job_finish(e, j, cb, arg);
			return;
		}
	}
}

static void
job_timeout(struct engine *e, struct job *j)
{
	if (j->tries < e->o->retries) {
		j->tries++;
		job_send(e, j);
		return;
	}
	heap_del(&e->timers, &j->hn);
	if (j->bad_replies > 0 && j->state != JS_WALK) {
		job_fail(j, POLL_BADREPLY, "%u malformed replies (%s), no valid "
		    "one after %u tries", j->bad_replies, j->bad_why,
		    e->o->retries + 1);
		return;
	}
	if (j->state == JS_WALK) {
		j->status = POLL_PARTIAL;
		if (j->bad_replies > 0)
			snprintf(j->err, sizeof(j->err), "%s: malformed replies (%s)",
			    walks[j->walk].name, j->bad_why);
		else
			snprintf(j->err, sizeof(j->err), "%s: timeout after %u tries",
			    walks[j->walk].name, e->o->retries + 1);
		j->action = ACT_FINISH;
	} else if (j->state == JS_SYSTEM && e->cred->version == 3)
		/*
		 * The engine answered discovery a moment ago but not our
		 * authPriv request: net-snmp's snmpd, for one, silently drops
		 * a request it cannot decrypt.
		 */
		job_fail(j, POLL_AUTH, "agent answered SNMPv3 discovery but not "
		    "the authenticated request after %u tries (wrong privacy "
		    "passphrase or protocol?)", e->o->retries + 1);
	else
		job_fail(j, POLL_TIMEOUT, "no answer after %u tries",
		    e->o->retries + 1);
}

static int
sa_equal(const struct sockaddr_storage *a, socklen_t alen,
    const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return (0);
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const struct sockaddr_in *)a;
		const struct sockaddr_in *y = (const struct sockaddr_in *)b;

		return (alen >= sizeof(*x) && x->sin_port == y->sin_port &&
		    x->sin_addr.s_addr == y->sin_addr.s_addr);
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
		const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;

		return (alen >= sizeof(*x) && x->sin6_port == y->sin6_port &&
		    memcmp(&x->sin6_addr, &y->sin6_addr,
		    sizeof(x->sin6_addr)) == 0);
	}
	return (0);
}

/* The device in flight on socket u that has address sa, or NULL. */
static struct job *
usock_job(struct engine *e, const struct usock *u,
    const struct sockaddr_storage *sa, socklen_t salen)
{
	size_t		 i, lo = u->group * SOCK_JOBS;
	struct job	*j;

	for (i = lo; i < lo + SOCK_JOBS && i < e->nslots; i++) {
		j = &e->jobs[i];
		if (j->sess != NULL && j->fd == u->fd &&
		    sa_equal(sa, salen, &j->t->sa))
			return (j);
	}
	return (NULL);
}

/* An ICMP error (IP_RECVERR) fails the device it was about. */
static void
usock_errqueue(struct engine *e, struct usock *u, csnmp_result_cb *cb,
    void *arg)
{
	struct sockaddr_storage		 from;
	struct msghdr			 msg;
	struct cmsghdr			*cm;
	struct sock_extended_err	*ee;
	struct iovec			 iov;
	struct job			*j;
	char				 ctl[512], b[64];
	int				 i, eno;

	for (i = 0; i < RX_BURST; i++) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = b;
		iov.iov_len = sizeof(b);
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl;
		msg.msg_controllen = sizeof(ctl);
		if (recvmsg(u->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) == -1)
			return;
		eno = 0;
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		    cm = CMSG_NXTHDR(&msg, cm)) {
			if ((cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_RECVERR) ||
			    (cm->cmsg_level == IPPROTO_IPV6 &&
			    cm->cmsg_type == IPV6_RECVERR)) {
				ee = (struct sock_extended_err *)CMSG_DATA(cm);
				eno = (int)ee->ee_errno;
			}
		}
		if (eno == 0 || (j = usock_job(e, u, &from,
		    msg.msg_namelen)) == NULL)
			continue;
		if (eno == ECONNREFUSED)
			job_fail(j, POLL_REFUSED, "port unreachable (no SNMP agent)");
		else
			job_fail(j, POLL_ERROR, "socket: %s", strerror(eno));
		job_act(e, j, cb, arg);
	}
}

/* Hand the datagram in e->rx to the session of the device it came from. */
static void
job_readable(struct engine *e, struct job *j)
{
	int	fd = j->fd;	/* the session may be gone after the read */

	NETSNMP_LARGE_FD_SET(fd, &e->fdset);
	e->rxfull = 1;
	if (snmp_sess_read2(j->sess, &e->fdset) == -1) {
		/*
		 * A datagram that does not parse is dropped; the request
		 * is retried on its deadline, and if nothing good comes
		 * the device is a bad reply, not a timeout.
		 */
		j->bad_replies++;
		snprintf(j->bad_why, sizeof(j->bad_why), "%s", snmp_api_errstring(
		    snmp_sess_session(j->sess)->s_snmp_errno));
	}
	e->rxfull = 0;
	NETSNMP_LARGE_FD_CLR(fd, &e->fdset);
}

static void
usock_readable(struct engine *e, struct usock *u, uint32_t events,
    csnmp_result_cb *cb, void *arg)
{
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
	struct job		*j;
	ssize_t			 n;
	int			 i;

	if (events & EPOLLERR)
		usock_errqueue(e, u, cb, arg);
	for (i = 0; i < RX_BURST; i++) {
		fromlen = sizeof(from);
		n = recvfrom(u->fd, e->rx, RX_MAX, MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			continue;	/* a pending ICMP error: on the queue too */
		}
		/* Late answers of a device already done, strangers: dropped. */
		if ((j = usock_job(e, u, &from, fromlen)) == NULL)
			continue;
		e->rxlen = (size_t)n;
		job_readable(e, j);
		job_act(e, j, cb, arg);
	}
}

static int
engine_keys(struct engine *e, char *err, size_t errlen)
{
	const struct snmp_cred	*c = e->cred;

	switch (c->auth) {
	case SNMP_AUTH_SHA:
		e->auth_proto = usmHMACSHA1AuthProtocol;
		break;
	case SNMP_AUTH_SHA224:
		e->auth_proto = usmHMAC128SHA224AuthProtocol;
		break;
	case SNMP_AUTH_SHA256:
		e->auth_proto = usmHMAC192SHA256AuthProtocol;
		break;
	case SNMP_AUTH_SHA384:
		e->auth_proto = usmHMAC256SHA384AuthProtocol;
		break;
	case SNMP_AUTH_SHA512:
		e->auth_proto = usmHMAC384SHA512AuthProtocol;
		break;
	}
	e->auth_proto_len = USM_AUTH_PROTO_SHA_LEN;
	e->auth_ku_len = sizeof(e->auth_ku);
	e->priv_ku_len = sizeof(e->priv_ku);
	if (strlen(c->auth_pass) < 8 || strlen(c->priv_pass) < 8) {
		snprintf(err, errlen, "SNMPv3 passphrases must be at least 8 characters");
		return (-1);
	}
	/* Ku costs a megabyte of hashing: once per run, not per device. */
	if (generate_Ku(e->auth_proto, (u_int)e->auth_proto_len,
	    (const u_char *)c->auth_pass, strlen(c->auth_pass),
	    e->auth_ku, &e->auth_ku_len) != SNMPERR_SUCCESS ||
	    generate_Ku(e->auth_proto, (u_int)e->auth_proto_len,
	    (const u_char *)c->priv_pass, strlen(c->priv_pass),
	    e->priv_ku, &e->priv_ku_len) != SNMPERR_SUCCESS) {
		snprintf(err, errlen, "cannot derive SNMPv3 keys");
		return (-1);
	}
	return (0);
}

int
csnmp_run(const struct csnmp_target *tv, size_t n, const struct snmp_cred *cred,
    const struct csnmp_opts *o, csnmp_result_cb *cb, csnmp_tick_cb *tick,
    void *arg, volatile int *stop, char *err, size_t errlen)
{
	struct engine		 e;
	struct job		*jobs = NULL, **freel = NULL;
	struct epoll_event	 evs[EPOLL_BATCH];
	size_t			 next = 0, i, nslots = 0;
	int			 rc = -1;

	csnmp_init_lib();
	memset(&e, 0, sizeof(e));
	e.cred = cred;
	e.o = o;
	heap_init(&e.timers);
	e.fdsetsize = 1024;
	netsnmp_large_fd_set_init(&e.fdset, e.fdsetsize);
	NETSNMP_LARGE_FD_ZERO(&e.fdset);
	if ((e.ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
		goto done;
	}
	if (cred->version == 3 && engine_keys(&e, err, errlen) == -1)
		goto done;
	/*
	 * One job per device in flight, not per target: a slot goes back
	 * on the free list when its device is reported.
	 */
	nslots = n < o->max_inflight ? n : o->max_inflight;
	if (nslots == 0)
		nslots = 1;
	if ((jobs = calloc(nslots, sizeof(*jobs))) == NULL ||
	    (freel = calloc(nslots, sizeof(*freel))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	e.nsocks = ((nslots + SOCK_JOBS - 1) / SOCK_JOBS) * 2;
	if ((e.socks = calloc(e.nsocks, sizeof(*e.socks))) == NULL ||
	    (e.rx = malloc(RX_MAX)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	for (i = 0; i < e.nsocks; i++)
		e.socks[i].fd = -1;
	for (i = 0; i < nslots; i++) {
		jobs[i].fd = -1;
		jobs[i].slot = i;
		freel[i] = &jobs[nslots - 1 - i];
	}
	e.freel = freel;
	e.nfree = nslots;
	e.jobs = jobs;
	e.nslots = nslots;
	while (next < n || e.inflight > 0) {
		struct heap_node	*top;
		uint64_t		 now;
		int			 ne, wait_ms;

		if (stop != NULL && *stop)
			break;
		while (next < n && e.inflight < o->max_inflight && e.nfree > 0) {
			struct job	*j = e.freel[--e.nfree];

			e.inflight++;
			job_start(&e, j, &tv[next++]);
			job_act(&e, j, cb, arg);
		}
		wait_ms = TICK_MS;
		if ((top = heap_top(&e.timers)) != NULL) {
			now = mono_ms();
			wait_ms = top->when_ms <= now ? 0 :
			    (int)(top->when_ms - now < TICK_MS ? top->when_ms - now : TICK_MS);
		}
		ne = epoll_wait(e.ep, evs, EPOLL_BATCH, wait_ms);
		if (ne == -1 && errno != EINTR) {
			snprintf(err, errlen, "epoll_wait: %s", strerror(errno));
			goto done;
		}
		for (i = 0; ne > 0 && i < (size_t)ne; i++)
			usock_readable(&e, evs[i].data.ptr, evs[i].events, cb,
			    arg);
		now = mono_ms();
		while ((top = heap_top(&e.timers)) != NULL && top->when_ms <= now) {
			struct job	*j = (struct job *)top;

			heap_del(&e.timers, top);
			job_timeout(&e, j);
			job_act(&e, j, cb, arg);
		}
		if (tick != NULL)
			tick(arg);
	}
	/* Interrupted: report what was in flight, start nothing more. */
	for (i = 0; jobs != NULL && i < nslots; i++) {
		struct job	*j = &jobs[i];

		if (j->sess != NULL) {
			job_fail(j, POLL_ERROR, "interrupted");
			job_finish(&e, j, cb, arg);
		}
	}
	rc = 0;
done:
	if (e.ep >= 0)
		close(e.ep);
	heap_clear(&e.timers);
	netsnmp_large_fd_set_cleanup(&e.fdset);
	explicit_bzero(e.auth_ku, sizeof(e.auth_ku));
	explicit_bzero(e.priv_ku, sizeof(e.priv_ku));
	for (i = 0; e.socks != NULL && i < e.nsocks; i++)
		if (e.socks[i].fd >= 0)
			close(e.socks[i].fd);
	free(e.socks);
	free(e.rx);
	free(jobs);
	free(freel);
	return (rc);
}
