/*
 * server.c: the simulator's SNMP server.  One UDP socket per device, all
 * in one epoll loop on one thread; signals arrive on a signalfd and slow
 * answers wait on a timerfd.  SNMPv2c messages are decoded here and the
 * PDU handed to sim_pdu_answer() (pdu.c); SNMPv3 messages go to
 * usm_handle() (usm.c).  Faults are applied to the finished message, so
 * the PDU engine never knows about them.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "sim/pdu.h"
#include "sim/sim.h"
#include "sim/usm.h"

#define SRV_BUF		65536
#define SRV_UDP_MAX	65507
#define SRV_MSG_HEAD	64	/* room before the PDU for the v2c header */
#define SRV_MAX_PROFILES 256
#define SRV_MAX_FAULTS	32
#define SRV_MAX_DEVICES	100000
#define SRV_BATCH	64	/* datagrams read per wake-up and socket */

struct fault_spec {
	unsigned	 bit;		/* SIM_F_* */
	unsigned	 param;		/* loss %, slow ms, oversize bytes */
	unsigned	 share;		/* per 10000 of the fleet, or ... */
	char		*which;		/* ... a list of indices, or NULL */
	int		 all;		/* every device */
};

/* One slow answer waiting for its time. */
struct delayed {
	struct delayed		*next;
	struct simdev		*dev;
	struct sockaddr_in	 to;
	uint64_t		 due_ms;
	size_t			 len;
	uint8_t			 msg[];
};

struct v3state;

struct server {
	struct simtab		*tabs;
	size_t			 ntabs;
	struct simdev		*devs;
	size_t			 ndevs;
	unsigned		 epoch;
	uint64_t		 seed;
	char			 community[256];
	size_t			 communitylen;
	const char		*manifest;
	struct delayed		*dq_head, *dq_tail;	/* one FIFO per delay */
	int			 epfd, sigfd, tfd;
	struct v3state		*v3;
	uint64_t		 requests, answers, dropped;
};

static uint8_t	 inbuf[SRV_BUF];
static uint8_t	 outbuf[SRV_BUF + SRV_MSG_HEAD];

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: ibsim [OPTIONS] PROFILE[:COUNT]...\n"
"       ibsim export [--seed N] [--copy K] [--epoch E] [--rma] [--upgrade] PROFILE\n"
"\n"
"Serves COUNT (default 1) simulated devices per snmprec PROFILE over SNMP\n"
"v2c (and v3 with --v3-user) until SIGTERM or SIGINT.  SIGUSR1 advances\n"
"the epoch: devices with the rma or upgrade fault then serve a new chassis\n"
"serial or Junos version.  See sim/README.md.\n"
"\n"
"  --address A          IPv4 address of every device (default 127.0.0.1)\n"
"  --port-base N        consecutive UDP ports from N (default 0: any free)\n"
"  --addresses A        consecutive addresses from A instead, one port each\n"
"  --port N             the port with --addresses (default 1161)\n"
"  --community S        v2c community (default public)\n"
"  --seed N             derivation seed (default 1)\n"
"  --manifest FILE      written when ready (and after each epoch): TSV\n"
"                       index, address:port, profile, copy, chassis serial,\n"
"                       faults\n"
"  --pidfile FILE       written when ready\n"
"  --v3-user NAME       SNMPv3 user (authPriv, or authNoPriv without\n"
"  --v3-auth-pass-file F   --v3-priv-pass-file); files must be mode 0600\n"
"  --v3-priv-pass-file F\n"
"  --v3-auth-proto P    SHA (default), SHA-224, SHA-256, SHA-384, SHA-512\n"
"  --fault SPEC         (repeatable) FAULT[=PARAM][@WHICH]; WHICH is N%%\n"
"                       of the fleet (chosen from the seed) or a list of\n"
"                       device indices 0,3,5-9; default every device.\n"
"                       silent, truncate, malformed, rma, upgrade: no PARAM\n"
"                       (FAULT=N%% is FAULT@N%%); loss=P%% drops P%% of\n"
"                       requests; slow=Dms (or Ds) delays each answer;\n"
"                       oversized[=BYTES] serves sysName and sysLocation of\n"
"                       BYTES (default 4000) bytes.\n");
}

static const struct {
	const char	*name;
	unsigned	 bit;
} fault_names[] = {
	{ "silent", SIM_F_SILENT }, { "loss", SIM_F_LOSS },
	{ "slow", SIM_F_SLOW }, { "truncate", SIM_F_TRUNCATE },
	{ "malformed", SIM_F_MALFORMED }, { "oversized", SIM_F_OVERSIZED },
	{ "rma", SIM_F_RMA }, { "upgrade", SIM_F_UPGRADE },
};

/* "30%" or "2.5%" into per-10000; -1 if not a share. */
static long
parse_share(const char *s)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || strcmp(end, "%") != 0 || v < 0 ||
	    v > 100)
		return (-1);
	return ((long)(v * 100 + 0.5));
}

static int
parse_fault(const char *arg, struct fault_spec *f)
{
	char		 name[32];
	const char	*eq, *at, *param = NULL;
	char		*end;
	size_t		 n, i;
	unsigned long	 v;
	long		 sh;

	memset(f, 0, sizeof(*f));
	at = strchr(arg, '@');
	eq = strchr(arg, '=');
	if (eq != NULL && at != NULL && eq > at)
		return (-1);
	n = eq ? (size_t)(eq - arg) : at ? (size_t)(at - arg) : strlen(arg);
	if (n == 0 || n >= sizeof(name))
		return (-1);
	memcpy(name, arg, n);
	name[n] = '\0';
	for (i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++)
		if (strcmp(name, fault_names[i].name) == 0)
			f->bit = fault_names[i].bit;
	if (f->bit == 0)
		return (-1);
	if (eq != NULL) {
		static char	 pbuf[64];

		n = at ? (size_t)(at - eq - 1) : strlen(eq + 1);
		if (n == 0 || n >= sizeof(pbuf))
			return (-1);
		memcpy(pbuf, eq + 1, n);
		pbuf[n] = '\0';
		param = pbuf;
	}
	if (at != NULL) {
		if ((sh = parse_share(at + 1)) >= 0)
			f->share = (unsigned)sh;
		else if ((f->which = strdup(at + 1)) == NULL)
			return (-1);
	} else
		f->all = 1;
	switch (f->bit) {
	case SIM_F_LOSS:
		if (param == NULL || (sh = parse_share(param)) < 0)
			return (-1);
		f->param = (unsigned)sh;
		break;
	case SIM_F_SLOW:
		if (param == NULL)
			return (-1);
		errno = 0;
		v = strtoul(param, &end, 10);
		if (errno != 0 || end == param || v > 600000)
			return (-1);
		if (strcmp(end, "s") == 0)
			v *= 1000;
		else if (strcmp(end, "ms") != 0 && *end != '\0')
			return (-1);
		if (v > 600000)
			return (-1);
		f->param = (unsigned)v;
		break;
	case SIM_F_OVERSIZED:
		f->param = 4000;
		if (param != NULL && parse_share(param) >= 0 && at == NULL) {
			f->share = (unsigned)parse_share(param);
			f->all = 0;
		} else if (param != NULL) {
			errno = 0;
			v = strtoul(param, &end, 10);
			if (errno != 0 || *end != '\0' || v == 0 ||
			    v > FLEET_VALUE_MAX * 15)
				return (-1);
			f->param = (unsigned)v;
		}
		break;
	default:
		if (param != NULL) {
			if (at != NULL || (sh = parse_share(param)) < 0)
				return (-1);
			f->share = (unsigned)sh;
			f->all = 0;
		}
		break;
	}
	return (0);
}

static const char *
fault_name(unsigned bit)
{
	size_t	 i;

	for (i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++)
		if (fault_names[i].bit == bit)
			return (fault_names[i].name);
	return ("?");
}

/* Is index in a list like "0,3,5-9"? -1 on a syntax error. */
static int
in_list(const char *list, unsigned idx)
{
	const char	*p = list;
	char		*end;
	unsigned long	 a, b;

	while (*p != '\0') {
		errno = 0;
		a = strtoul(p, &end, 10);
		if (end == p || errno != 0)
			return (-1);
		b = a;
		p = end;
		if (*p == '-') {
			p++;
			b = strtoul(p, &end, 10);
			if (end == p || b < a)
				return (-1);
			p = end;
		}
		if (idx >= a && idx <= b)
			return (1);
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return (-1);
	}
	return (0);
}

struct rank {
	uint64_t	 h;
	size_t		 i;
};

static int
rank_cmp(const void *pa, const void *pb)
{
	const struct rank	*a = pa, *b = pb;

	return (a->h < b->h ? -1 : a->h > b->h);
}

/*
 * Give fault f to its devices: a list, everyone, or exactly
 * round(share * n) devices (at least one for a share above 0) chosen
 * by a hash of the seed, the fault's position k and the index.
 */
static int
assign_fault(struct server *s, const struct fault_spec *f, unsigned k)
{
	struct rank	*r;
	size_t		 i, want;
	int		 hit;

	if (f->which != NULL || f->all) {
		for (i = 0; i < s->ndevs; i++) {
			hit = f->all ? 1 : in_list(f->which, (unsigned)i);
			if (hit == -1)
				return (-1);
			if (hit)
				goto give_one;
			continue;
give_one:
			s->devs[i].faults |= f->bit;
			if (f->bit == SIM_F_LOSS)
				s->devs[i].loss_pct = f->param;
			else if (f->bit == SIM_F_SLOW)
				s->devs[i].slow_ms = f->param;
			else if (f->bit == SIM_F_OVERSIZED)
				s->devs[i].oversize = f->param;
		}
		return (0);
	}
	want = (s->ndevs * f->share + 5000) / 10000;
	if (want == 0 && f->share > 0)
		want = 1;
	if ((r = calloc(s->ndevs, sizeof(*r))) == NULL)
		return (-1);
	for (i = 0; i < s->ndevs; i++) {
		r[i].h = fleet_mix(s->seed ^ fleet_mix(((uint64_t)k << 32) |
		    (uint64_t)i));
		r[i].i = i;
	}
	qsort(r, s->ndevs, sizeof(*r), rank_cmp);
	for (i = 0; i < want && i < s->ndevs; i++) {
		struct simdev	*d = &s->devs[r[i].i];

		d->faults |= f->bit;
		if (f->bit == SIM_F_LOSS)
			d->loss_pct = f->param;
		else if (f->bit == SIM_F_SLOW)
			d->slow_ms = f->param;
		else if (f->bit == SIM_F_OVERSIZED)
			d->oversize = f->param;
	}
	free(r);
	return (0);
}

static void
fault_text(const struct simdev *d, char *buf, size_t cap)
{
	size_t	 i, o = 0;
	int	 w;

	buf[0] = '\0';
	for (i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++) {
		unsigned	 bit = fault_names[i].bit;

		if (!(d->faults & bit))
			continue;
		if (bit == SIM_F_LOSS)
			w = snprintf(buf + o, cap - o, "%sloss=%u.%02u%%",
			    o ? "," : "", d->loss_pct / 100, d->loss_pct % 100);
		else if (bit == SIM_F_SLOW)
			w = snprintf(buf + o, cap - o, "%sslow=%ums",
			    o ? "," : "", d->slow_ms);
		else if (bit == SIM_F_OVERSIZED)
			w = snprintf(buf + o, cap - o, "%soversized=%u",
			    o ? "," : "", d->oversize);
		else
			w = snprintf(buf + o, cap - o, "%s%s", o ? "," : "",
			    fault_name(bit));
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
	if (o == 0)
		snprintf(buf, cap, "-");
}

static int
write_manifest(const struct server *s)
{
	char		 tmp[4096], serial[256], faults[256], addr[INET_ADDRSTRLEN];
	FILE		*fp;
	size_t		 i;
	const struct simdev *d;
	struct in_addr	 ia;

	if (s->manifest == NULL)
		return (0);
	snprintf(tmp, sizeof(tmp), "%s.tmp", s->manifest);
	if ((fp = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "ibsim: %s: %s\n", tmp, strerror(errno));
		return (-1);
	}
	for (i = 0; i < s->ndevs; i++) {
		d = &s->devs[i];
		ia.s_addr = d->addr;
		inet_ntop(AF_INET, &ia, addr, sizeof(addr));
		fleet_chassis_serial(&d->tab->p, d->seed, d->copy, s->epoch,
		    sim_dev_flags(d), serial, sizeof(serial));
		fault_text(d, faults, sizeof(faults));
		fprintf(fp, "%u\t%s:%u\t%s\t%u\t%s\t%s\n", d->index, addr,
		    d->port, d->tab->p.path, d->copy,
		    serial[0] ? serial : "-", faults);
	}
	if (fclose(fp) == EOF || rename(tmp, s->manifest) == -1) {
		fprintf(stderr, "ibsim: %s: %s\n", s->manifest,
		    strerror(errno));
		return (-1);
	}
	return (0);
}

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

static void
arm_timer(struct server *s)
{
	struct itimerspec	 its;
	uint64_t		 now, wait;

	memset(&its, 0, sizeof(its));
	if (s->dq_head != NULL) {
		now = now_ms();
		wait = s->dq_head->due_ms > now ? s->dq_head->due_ms - now : 0;
		if (wait == 0)
			wait = 1;
		its.it_value.tv_sec = (time_t)(wait / 1000);
		its.it_value.tv_nsec = (long)(wait % 1000) * 1000000;
	}
	timerfd_settime(s->tfd, 0, &its, NULL);
}

/*
 * Queue a slow answer.  The queue is kept in due order by insertion
 * (one delay per fleet is the common case: then it is a FIFO).
 */
static void
delay_answer(struct server *s, struct simdev *d,
    const struct sockaddr_in *to, const uint8_t *msg, size_t len)
{
	struct delayed	*q, **pp;

	if ((q = malloc(sizeof(*q) + len)) == NULL)
		return;
	q->dev = d;
	q->to = *to;
	q->due_ms = now_ms() + d->slow_ms;
	q->len = len;
	memcpy(q->msg, msg, len);
	q->next = NULL;
	if (s->dq_tail == NULL || s->dq_tail->due_ms <= q->due_ms) {
		if (s->dq_tail)
			s->dq_tail->next = q;
		else
			s->dq_head = q;
		s->dq_tail = q;
	} else {
		for (pp = &s->dq_head; *pp && (*pp)->due_ms <= q->due_ms;
		    pp = &(*pp)->next)
			;
		q->next = *pp;
		*pp = q;
	}
	if (s->dq_head == q)
		arm_timer(s);
}

static void
run_delayed(struct server *s)
{
	struct delayed	*q;
	uint64_t	 now = now_ms();

	while ((q = s->dq_head) != NULL && q->due_ms <= now) {
		s->dq_head = q->next;
		if (s->dq_head == NULL)
			s->dq_tail = NULL;
		(void)sendto(q->dev->fd, q->msg, q->len, 0,
		    (const struct sockaddr *)&q->to, sizeof(q->to));
		free(q);
	}
	arm_timer(s);
}

/* Corrupt a response message: its varbind list is no longer a SEQUENCE. */
static void
malform(uint8_t *msg, size_t len)
{
	const uint8_t	*p = msg, *end = msg + len;
	uint8_t		 tag;
	size_t		 l, i;

	if (ber_get_hdr(&p, end, &tag, &l) == -1)
		return;
	/* v2c: version, community; then into the PDU. */
	for (i = 0; i < 2; i++) {
		if (ber_get_hdr(&p, end, &tag, &l) == -1)
			return;
		p += l;
	}
	if (ber_get_hdr(&p, end, &tag, &l) == -1)	/* the PDU */
		return;
	for (i = 0; i < 3; i++) {			/* id, status, index */
		if (ber_get_hdr(&p, end, &tag, &l) == -1)
			return;
		p += l;
	}
	if (p < end)
		msg[p - msg] = 0x04;
}

/* The v2c message: returns the reply's start in outbuf and its length. */
static ssize_t
answer_v2c(struct server *s, struct simdev *d, const uint8_t *msg,
    size_t len, uint8_t **start)
{
	const uint8_t	*p = msg, *end = msg + len, *comm;
	uint8_t		 tag, *pdu = outbuf + SRV_MSG_HEAD + s->communitylen,
			*h;
	size_t		 l, commlen, inner;
	ssize_t		 plen;

	if (ber_get_hdr(&p, end, &tag, &l) == -1 || tag != 0x30)
		return (-1);
	end = p + l;
	if (ber_get_hdr(&p, end, &tag, &l) == -1 || tag != 0x02 || l != 1 ||
	    *p != 1)
		return (-1);
	p += l;
	if (ber_get_hdr(&p, end, &tag, &l) == -1 || tag != 0x04)
		return (-1);
	comm = p;
	commlen = l;
	p += l;
	if (commlen != s->communitylen ||
	    memcmp(comm, s->community, commlen) != 0)
		return (-1);
	plen = sim_pdu_answer(d, p, (size_t)(end - p), pdu,
	    SRV_UDP_MAX - SRV_MSG_HEAD - s->communitylen);
	if (plen < 0)
		return (-1);
	h = pdu - commlen;
	memcpy(h, s->community, commlen);
	h = ber_put_hdr_back(h, 0x04, commlen);
	*--h = 1;
	*--h = 1;
	*--h = 0x02;
	inner = (size_t)(pdu - h) + (size_t)plen;
	h = ber_put_hdr_back(h, 0x30, inner);
	*start = h;
	return ((ssize_t)(pdu + plen - h));
}

struct v3dev {
	struct usm_engine	 e;
	struct usm_user		 u;
};

struct v3state {
	struct usm_secret	 secret;
	struct v3dev		**devs;		/* lazily, per device */
};

static ssize_t
answer_v3(struct server *s, struct simdev *d, const uint8_t *msg,
    size_t len, uint8_t **start)
{
	struct v3dev	*v;
	uint8_t		 id[USM_ENGINE_ID_MAX];
	size_t		 idlen;
	ssize_t		 n;

	if (s->v3 == NULL)
		return (-1);
	if ((v = s->v3->devs[d->index]) == NULL) {
		if ((v = calloc(1, sizeof(*v))) == NULL)
			return (-1);
		idlen = usm_engine_id(id, s->seed, d->index);
		if (usm_engine_init(&v->e, id, idlen, 1) == -1 ||
		    usm_user_init(&v->u, &s->v3->secret, &v->e) == -1) {
			free(v);
			return (-1);
		}
		s->v3->devs[d->index] = v;
	}
	n = usm_handle(&v->e, &v->u, 1, msg, len, outbuf, sizeof(outbuf),
	    sim_pdu_answer, d);
	if (n <= 0)
		return (-1);
	*start = outbuf;
	return (n);
}

static void
handle(struct server *s, struct simdev *d, const uint8_t *msg, size_t len,
    const struct sockaddr_in *from)
{
	uint8_t		*reply = NULL;
	ssize_t		 n;
	const uint8_t	*p = msg;
	uint8_t		 tag;
	size_t		 l;

	s->requests++;
	if (d->faults & SIM_F_SILENT)
		return;
	if (d->faults & SIM_F_LOSS) {
		d->rng = fleet_mix(d->rng);
		if (d->rng % 10000 < d->loss_pct) {
			s->dropped++;
			return;
		}
	}
	/* msgVersion: 1 is v2c, 3 goes to the USM layer. */
	if (ber_get_hdr(&p, msg + len, &tag, &l) == -1 || tag != 0x30 ||
	    ber_get_hdr(&p, msg + len, &tag, &l) == -1 || tag != 0x02 ||
	    l != 1)
		return;
	if (*p == 1)
		n = answer_v2c(s, d, msg, len, &reply);
	else if (*p == 3)
		n = answer_v3(s, d, msg, len, &reply);
	else
		return;
	if (n <= 0)
		return;
	if (d->faults & SIM_F_MALFORMED)
		malform(reply, (size_t)n);
	if (d->faults & SIM_F_TRUNCATE)
		n /= 2;
	s->answers++;
	if (d->faults & SIM_F_SLOW) {
		delay_answer(s, d, from, reply, (size_t)n);
		return;
	}
	(void)sendto(d->fd, reply, (size_t)n, 0,
	    (const struct sockaddr *)from, sizeof(*from));
}

static void
drain(struct server *s, struct simdev *d)
{
	struct sockaddr_in	 from;
	socklen_t		 fl;
	ssize_t			 n;
	int			 i;

	for (i = 0; i < SRV_BATCH; i++) {
		fl = sizeof(from);
		n = recvfrom(d->fd, inbuf, sizeof(inbuf), 0,
		    (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		handle(s, d, inbuf, (size_t)n, &from);
	}
}

static int
read_secret(const char *path, char *buf, size_t cap)
{
	struct stat	 st;
	FILE		*fp;
	size_t		 n;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "ibsim: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (fstat(fileno(fp), &st) == -1 || (st.st_mode & 077) != 0) {
		fprintf(stderr, "ibsim: %s: readable or writable by group or "
		    "others (chmod 600)\n", path);
		fclose(fp);
		return (-1);
	}
	n = fread(buf, 1, cap - 1, fp);
	fclose(fp);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return (0);
}

static int
raise_nofile(size_t need)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return (-1);
	if (rl.rlim_cur >= need)
		return (0);
	if (rl.rlim_max < need)
		rl.rlim_max = need;	/* works as root */
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
		if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
			return (-1);
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		return (rl.rlim_cur >= need ? 0 : -1);
	}
	return (0);
}

static int
open_device(struct simdev *d)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);

	if ((d->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = d->addr;
	sin.sin_port = htons(d->port);
	if (bind(d->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(d->fd, (struct sockaddr *)&sin, &sl) == -1)
		return (-1);
	d->port = ntohs(sin.sin_port);
	return (0);
}

enum {
	O_ADDRESS = 256, O_PORTBASE, O_ADDRESSES, O_PORT, O_COMMUNITY,
	O_SEED, O_MANIFEST, O_PIDFILE, O_FAULT, O_V3USER, O_V3AUTH, O_V3PRIV,
	O_V3AUTHP, O_HELP
};

int
sim_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "address", required_argument, NULL, O_ADDRESS },
		{ "port-base", required_argument, NULL, O_PORTBASE },
		{ "addresses", required_argument, NULL, O_ADDRESSES },
		{ "port", required_argument, NULL, O_PORT },
		{ "community", required_argument, NULL, O_COMMUNITY },
		{ "seed", required_argument, NULL, O_SEED },
		{ "manifest", required_argument, NULL, O_MANIFEST },
		{ "pidfile", required_argument, NULL, O_PIDFILE },
		{ "fault", required_argument, NULL, O_FAULT },
		{ "v3-user", required_argument, NULL, O_V3USER },
		{ "v3-auth-pass-file", required_argument, NULL, O_V3AUTH },
		{ "v3-priv-pass-file", required_argument, NULL, O_V3PRIV },
		{ "v3-auth-proto", required_argument, NULL, O_V3AUTHP },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 }
	};
	struct server		 s;
	struct fault_spec	 faults[SRV_MAX_FAULTS];
	struct epoll_event	 ev, evs[256];
	struct signalfd_siginfo	 si;
	struct in_addr		 ia;
	struct rusage		 ru;
	sigset_t		 mask;
	const char		*address = "127.0.0.1", *addresses = NULL;
	const char		*pidfile = NULL, *v3user = NULL;
	const char		*v3authf = NULL, *v3privf = NULL;
	const char		*v3authp = "SHA";
	char			 err[512], *colon, *path;
	uint64_t		 v, tick;
	unsigned		 nfaults = 0, port = 1161, portbase = 0;
	unsigned		 counts[SRV_MAX_PROFILES];
	size_t			 i, k, di;
	int			 c, n, rc = 1, stop = 0;
	double			 cpu;
	FILE			*fp;

	memset(&s, 0, sizeof(s));
	s.seed = SIM_DEFAULT_SEED;
	s.epfd = s.sigfd = s.tfd = -1;
	memcpy(s.community, "public", 6);
	s.communitylen = 6;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_ADDRESS:
			address = optarg;
			break;
		case O_ADDRESSES:
			addresses = optarg;
			break;
		case O_PORTBASE:
		case O_PORT:
			if (sim_parse_u64(optarg, &v) == -1 || v > 65535) {
				fprintf(stderr, "ibsim: bad port: %s\n", optarg);
				return (2);
			}
			if (c == O_PORT)
				port = (unsigned)v;
			else
				portbase = (unsigned)v;
			break;
		case O_COMMUNITY:
			s.communitylen = strlen(optarg);
			if (s.communitylen == 0 ||
			    s.communitylen >= sizeof(s.community)) {
				fprintf(stderr, "ibsim: bad community\n");
				return (2);
			}
			memcpy(s.community, optarg, s.communitylen);
			break;
		case O_SEED:
			if (sim_parse_u64(optarg, &s.seed) == -1) {
				fprintf(stderr, "ibsim: bad seed: %s\n", optarg);
				return (2);
			}
			break;
		case O_MANIFEST:
			s.manifest = optarg;
			break;
		case O_PIDFILE:
			pidfile = optarg;
			break;
		case O_FAULT:
			if (nfaults == SRV_MAX_FAULTS ||
			    parse_fault(optarg, &faults[nfaults]) == -1) {
				fprintf(stderr, "ibsim: bad --fault: %s (see "
				    "ibsim --help)\n", optarg);
				return (2);
			}
			nfaults++;
			break;
		case O_V3USER:
			v3user = optarg;
			break;
		case O_V3AUTH:
			v3authf = optarg;
			break;
		case O_V3PRIV:
			v3privf = optarg;
			break;
		case O_V3AUTHP:
			v3authp = optarg;
			break;
		case 'h':
		case O_HELP:
			usage(stdout);
			return (0);
		default:
			usage(stderr);
			return (2);
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return (2);
	}
	if (argc - optind > SRV_MAX_PROFILES) {
		fprintf(stderr, "ibsim: at most %d profiles\n",
		    SRV_MAX_PROFILES);
		return (2);
	}
	if ((s.tabs = calloc((size_t)(argc - optind), sizeof(*s.tabs))) ==
	    NULL)
		return (1);
	for (i = 0; i < (size_t)(argc - optind); i++) {
		path = argv[optind + (int)i];
		counts[i] = 1;
		if ((colon = strrchr(path, ':')) != NULL &&
		    sim_parse_u64(colon + 1, &v) == 0) {
			if (v == 0 || v > SRV_MAX_DEVICES) {
				fprintf(stderr, "ibsim: %s: bad count\n", path);
				goto done;
			}
			*colon = '\0';
			counts[i] = (unsigned)v;
		}
		if (simtab_build(&s.tabs[i], path, err, sizeof(err)) == -1) {
			fprintf(stderr, "ibsim: %s\n", err);
			goto done;
		}
		s.ntabs++;
		s.ndevs += counts[i];
	}
	if (s.ndevs > SRV_MAX_DEVICES) {
		fprintf(stderr, "ibsim: at most %d devices\n", SRV_MAX_DEVICES);
		goto done;
	}
	if ((s.devs = calloc(s.ndevs, sizeof(*s.devs))) == NULL)
		goto done;
	for (di = 0; di < s.ndevs; di++)
		s.devs[di].fd = -1;
	if (inet_pton(AF_INET, addresses ? addresses : address, &ia) != 1) {
		fprintf(stderr, "ibsim: bad IPv4 address: %s\n",
		    addresses ? addresses : address);
		goto done;
	}
	for (i = 0, di = 0; i < s.ntabs; i++) {
		for (k = 0; k < counts[i]; k++, di++) {
			struct simdev	*d = &s.devs[di];

			d->index = (unsigned)di;
			d->copy = (unsigned)k;
			d->tab = &s.tabs[i];
			d->epoch = &s.epoch;
			d->seed = s.seed;
			d->rng = fleet_mix(s.seed ^ (di + 1));
			if (addresses) {
				d->addr = htonl(ntohl(ia.s_addr) +
				    (uint32_t)di);
				d->port = (uint16_t)port;
			} else {
				d->addr = ia.s_addr;
				d->port = portbase ?
				    (uint16_t)(portbase + di) : 0;
				if (portbase && portbase + di > 65535) {
					fprintf(stderr, "ibsim: ports past "
					    "65535\n");
					goto done;
				}
			}
		}
	}
	for (i = 0; i < nfaults; i++) {
		if (assign_fault(&s, &faults[i], (unsigned)i) == -1) {
			fprintf(stderr, "ibsim: bad device list in --fault\n");
			goto done;
		}
	}
	if (v3user != NULL) {
		char		 ap[256], pp[256];
		enum usm_auth	 auth;
		int		 r;

		if (strcasecmp(v3authp, "SHA") == 0 ||
		    strcasecmp(v3authp, "SHA1") == 0)
			auth = USM_AUTH_SHA;
		else if (strcasecmp(v3authp, "SHA-224") == 0)
			auth = USM_AUTH_SHA224;
		else if (strcasecmp(v3authp, "SHA-256") == 0)
			auth = USM_AUTH_SHA256;
		else if (strcasecmp(v3authp, "SHA-384") == 0)
			auth = USM_AUTH_SHA384;
		else if (strcasecmp(v3authp, "SHA-512") == 0)
			auth = USM_AUTH_SHA512;
		else {
			fprintf(stderr, "ibsim: --v3-auth-proto: %s\n", v3authp);
			goto done;
		}
		if (v3authf == NULL || read_secret(v3authf, ap,
		    sizeof(ap)) == -1 || (v3privf != NULL &&
		    read_secret(v3privf, pp, sizeof(pp)) == -1)) {
			fprintf(stderr, "ibsim: --v3-user needs "
			    "--v3-auth-pass-file\n");
			goto done;
		}
		if ((s.v3 = calloc(1, sizeof(*s.v3))) == NULL ||
		    (s.v3->devs = calloc(s.ndevs, sizeof(*s.v3->devs))) ==
		    NULL)
			goto done;
		r = usm_secret_init(&s.v3->secret, v3user, auth, ap,
		    v3privf ? USM_PRIV_AES : USM_PRIV_NONE,
		    v3privf ? pp : NULL);
		explicit_bzero(ap, sizeof(ap));
		explicit_bzero(pp, sizeof(pp));
		if (r == -1) {
			fprintf(stderr, "ibsim: bad SNMPv3 user or "
			    "passphrase (8 characters at least)\n");
			goto done;
		}
	}
	if (raise_nofile(s.ndevs + 64) == -1) {
		fprintf(stderr, "ibsim: cannot open %zu sockets (ulimit -n)\n",
		    s.ndevs);
		goto done;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((s.epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (s.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) ==
	    -1 || (s.tfd = timerfd_create(CLOCK_MONOTONIC,
	    TFD_NONBLOCK | TFD_CLOEXEC)) == -1) {
		fprintf(stderr, "ibsim: %s\n", strerror(errno));
		goto done;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = &s.sigfd;
	epoll_ctl(s.epfd, EPOLL_CTL_ADD, s.sigfd, &ev);
	ev.data.ptr = &s.tfd;
	epoll_ctl(s.epfd, EPOLL_CTL_ADD, s.tfd, &ev);
	for (i = 0; i < s.ndevs; i++) {
		if (open_device(&s.devs[i]) == -1) {
			ia.s_addr = s.devs[i].addr;
			fprintf(stderr, "ibsim: device %zu: %s:%u: %s\n", i,
			    inet_ntoa(ia), s.devs[i].port, strerror(errno));
			goto done;
		}
		ev.data.ptr = &s.devs[i];
		if (epoll_ctl(s.epfd, EPOLL_CTL_ADD, s.devs[i].fd, &ev) == -1) {
			fprintf(stderr, "ibsim: epoll: %s\n", strerror(errno));
			goto done;
		}
	}
	if (write_manifest(&s) == -1)
		goto done;
	if (pidfile != NULL) {
		if ((fp = fopen(pidfile, "w")) == NULL) {
			fprintf(stderr, "ibsim: %s: %s\n", pidfile,
			    strerror(errno));
			goto done;
		}
		fprintf(fp, "%ld\n", (long)getpid());
		fclose(fp);
	}
	fprintf(stderr, "ibsim: %zu devices from %zu profiles ready\n",
	    s.ndevs, s.ntabs);
	while (!stop) {
		n = epoll_wait(s.epfd, evs, (int)(sizeof(evs) / sizeof(evs[0])),
		    -1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "ibsim: epoll_wait: %s\n",
			    strerror(errno));
			break;
		}
		for (c = 0; c < n; c++) {
			void	*ptr = evs[c].data.ptr;

			if (ptr == &s.tfd) {
				if (read(s.tfd, &tick, sizeof(tick)) < 0 &&
				    errno != EAGAIN)
					break;
				run_delayed(&s);
			} else if (ptr == &s.sigfd) {
				while (read(s.sigfd, &si, sizeof(si)) ==
				    (ssize_t)sizeof(si)) {
					if (si.ssi_signo == SIGUSR1) {
						s.epoch++;
						(void)write_manifest(&s);
						fprintf(stderr, "ibsim: epoch "
						    "%u\n", s.epoch);
					} else if (si.ssi_signo != SIGHUP)
						stop = 1;
				}
			} else
				drain(&s, ptr);
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	fprintf(stderr, "ibsim: %llu requests, %llu answers, %llu dropped "
	    "by loss; cpu %.3f s (%.1f us/request)\n",
	    (unsigned long long)s.requests, (unsigned long long)s.answers,
	    (unsigned long long)s.dropped, cpu,
	    s.requests ? cpu * 1e6 / (double)s.requests : 0.0);
	rc = 0;
done:
	if (pidfile != NULL && rc == 0)
		(void)unlink(pidfile);
	for (i = 0; i < s.ndevs && s.devs != NULL; i++)
		if (s.devs[i].fd != -1)
			close(s.devs[i].fd);
	while (s.dq_head != NULL) {
		struct delayed	*q = s.dq_head;

		s.dq_head = q->next;
		free(q);
	}
	if (s.v3 != NULL) {
		for (i = 0; i < s.ndevs && s.v3->devs; i++)
			free(s.v3->devs[i]);
		free(s.v3->devs);
		usm_secret_clear(&s.v3->secret);
		free(s.v3);
	}
	for (i = 0; i < s.ntabs; i++)
		simtab_free(&s.tabs[i]);
	free(s.tabs);
	free(s.devs);
	for (i = 0; i < nfaults; i++)
		free(faults[i].which);
	if (s.epfd != -1)
		close(s.epfd);
	if (s.sigfd != -1)
		close(s.sigfd);
	if (s.tfd != -1)
		close(s.tfd);
	return (rc);
}
