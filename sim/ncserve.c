/*
 * ncserve.c: ibsim-netconf, the NETCONF side of the fleet simulator.
 * OpenSSH's sshd runs it as the "netconf" subsystem of a simulated Junos
 * device.  It owns the choice of the device (a walk file, or the row of
 * the fleet manifest whose address:port is the one the client connected
 * to), the rendering of that device's facts as Junos XML, and one
 * NETCONF session on stdin/stdout: <hello>, then RFC 6242 end-of-message
 * or chunked framing (collector/ncframe.c), RPCs answered until
 * <close-session/> or end of input.
 *
 * The XML comes from the SAME view as SNMP: the device's walk goes
 * through the collector's own parser (parse_device()), and the replies
 * are rendered from the struct dev_facts it makes, so a NETCONF scan of
 * a simulated device finds the serials, models, versions and VC members
 * that an SNMP scan of it finds.  Start-up reads one walk and at most one
 * manifest line per session: a few milliseconds.
 *
 * Input is hostile until proven otherwise: a message over NC_MSG_MAX,
 * bad framing, a first message that is not a <hello>, or anything that
 * is not an <rpc> ends the session with exit status 1 and one line on
 * stderr (sshd drops it; -l FILE keeps it).  Output is written whole or
 * the process exits (a client that went away).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "collector/facts.h"
#include "collector/ncframe.h"
#include "collector/parse.h"
#include "collector/vb.h"
#include "sim/fleet.h"

#define NC_MSG_MAX	(1024 * 1024)	/* bytes of one client message */
#define NC_REPLY_MAX	(16u * 1024 * 1024)	/* bytes of one reply */
#define NC_NAME_LEN	64		/* an RPC element name */
#define NC_MSGID_LEN	128		/* a message-id kept */
#define NC_LIFETIME_S	600		/* a session never lives longer */
#define NC_BASE		"urn:ietf:params:xml:ns:netconf:base:1.0"

/* A growing output buffer; running out of memory ends the process. */
struct xbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

/* Faults of the manifest that a NETCONF session shows. */
#define NCF_SILENT	0x01	/* accept the session, never say a word */
#define NCF_SLOW	0x02	/* every message after slow_ms */
#define NCF_TRUNCATE	0x04	/* half of the first message, then exit */
#define NCF_MALFORMED	0x08	/* replies that are not well-formed XML */

/* Where the device's walk comes from (a row of the fleet manifest). */
struct ncsrc {
	char		 path[PATH_MAX];	/* profile, .snmprec */
	uint64_t	 seed;			/* the fleet's */
	unsigned	 copy;			/* of the profile, 0: verbatim */
	unsigned	 epoch;			/* the fleet's */
	unsigned	 flags;			/* FLEET_RMA, FLEET_UPGRADE */
	unsigned	 faults;		/* NCF_* */
	unsigned	 slow_ms;
};

/* The simulated device, as the replies see it. */
struct ncdev {
	struct dev_facts f;
	int		 vc;		/* 1: members are "member N" (VC) */
	int		 nmem;		/* ITEM_MEMBER items */
	int		 chassis;	/* index of the top ITEM_CHASSIS, -1: none */
	int		 first;		/* member speaking for the device, -1 */
	char		 rel[ITEM_VER_LEN];	/* "21.4R3" for namespaces */
};

static const char	*log_path;

static void	 die(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list	 ap;
	FILE	*fp;

	va_start(ap, fmt);
	fputs("ibsim-netconf: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (log_path != NULL && (fp = fopen(log_path, "a")) != NULL) {
		va_start(ap, fmt);
		fprintf(fp, "ibsim-netconf[%ld]: ", (long)getpid());
		vfprintf(fp, fmt, ap);
		fputc('\n', fp);
		va_end(ap);
		fclose(fp);
	}
	exit(1);
}

/*
 * Output buffer.
 */

static void
xb_add(struct xbuf *b, const char *s, size_t n)
{
	size_t	 ncap;
	char	*p;

	if (n > NC_REPLY_MAX || b->len + n + 1 > NC_REPLY_MAX)
		die("reply larger than %u bytes", NC_REPLY_MAX);
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 8192;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((p = realloc(b->p, ncap)) == NULL)
			die("out of memory");
		b->p = p;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
xb_str(struct xbuf *b, const char *s)
{
	xb_add(b, s, strlen(s));
}

/* Text or attribute value, escaped; bytes XML 1.0 forbids become ' '. */
static void
xb_esc(struct xbuf *b, const char *s)
{
	const char	*rep;
	size_t		 run;

	while (*s != '\0') {
		run = strcspn(s, "&<>\"'\001\002\003\004\005\006\007\010\013\014"
		    "\016\017\020\021\022\023\024\025\026\027\030\031\032\033"
		    "\034\035\036\037");
		xb_add(b, s, run);
		s += run;
		if (*s == '\0')
			break;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&apos;";
			break;
		default:
			rep = " ";
			break;
		}
		xb_str(b, rep);
		s++;
	}
}

static void
xb_indent(struct xbuf *b, int depth)
{
	static const char	 sp[] = "                                ";
	size_t			 n = (size_t)depth * 2;

	if (n > sizeof(sp) - 1)
		n = sizeof(sp) - 1;
	xb_add(b, sp, n);
}

/* <name>text</name> on its own line; nothing when text is empty. */
static void
xb_el(struct xbuf *b, int depth, const char *name, const char *text)
{
	if (text == NULL || text[0] == '\0')
		return;
	xb_indent(b, depth);
	xb_str(b, "<");
	xb_str(b, name);
	xb_str(b, ">");
	xb_esc(b, text);
	xb_str(b, "</");
	xb_str(b, name);
	xb_str(b, ">\n");
}

/* An opening or closing tag alone on a line ("chassis", "/chassis"). */
static void
xb_tag(struct xbuf *b, int depth, const char *tag)
{
	xb_indent(b, depth);
	xb_str(b, "<");
	xb_str(b, tag);
	xb_str(b, ">\n");
}

static void
lower(char *dst, const char *src, size_t len)
{
	size_t	 i;

	for (i = 0; i + 1 < len && src[i] != '\0'; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ?
		    (char)(src[i] - 'A' + 'a') : src[i];
	if (len > 0)
		dst[i] = '\0';
}

/*
 * The device.
 */

/* "member 3" -> 3; anything else -1. */
static int
member_id(const struct item *it)
{
	const char	*p;
	char		*end;
	long		 n;

	if (it->kind != ITEM_MEMBER || strncmp(it->name, "member ", 7) != 0)
		return (-1);
	p = it->name + 7;
	if (*p < '0' || *p > '9')
		return (-1);
	n = strtol(p, &end, 10);
	if (*end != '\0' || n > 999)
		return (-1);
	return ((int)n);
}

/* The member a software reply lists first: the device's own view. */
static int
pick_first(const struct ncdev *d)
{
	const struct dev_facts	*f = &d->f;
	const struct item	*it;
	int			 i, best = -1, score, bs = -1;

	for (i = 0; i < (int)f->nitems; i++) {
		it = &f->items[i];
		if (it->kind != ITEM_MEMBER)
			continue;
		score = 0;
		if (strcmp(it->role, "master") == 0 ||
		    strcmp(it->role, "primary") == 0)
			score += 1;
		if (f->serial[0] != '\0' && strcmp(it->serial, f->serial) == 0)
			score += 2;
		if (it->version[0] == '\0' ||
		    strcmp(it->version, f->version) == 0)
			score += 4;
		if (score > bs) {
			bs = score;
			best = i;
		}
	}
	return (best);
}

static void
dev_setup(struct ncdev *d)
{
	const struct dev_facts	*f = &d->f;
	size_t			 i, n;

	d->chassis = -1;
	d->nmem = 0;
	d->vc = 0;
	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].kind == ITEM_CHASSIS && f->items[i].parent == -1 &&
		    d->chassis == -1)
			d->chassis = (int)i;
		if (f->items[i].kind == ITEM_MEMBER) {
			d->nmem++;
			if (member_id(&f->items[i]) >= 0)
				d->vc = 1;
		}
	}
	d->first = pick_first(d);
	n = strcspn(f->version, "-");
	if (n == 0 || n >= sizeof(d->rel))
		fact_strlcpy(d->rel, "21.4R3", sizeof(d->rel));
	else {
		memcpy(d->rel, f->version, n);
		d->rel[n] = '\0';
	}
}

static int
dev_junos(const struct ncdev *d)
{
	return (d->f.os == OS_JUNOS || d->f.os == OS_JUNOS_EVO);
}

/* A walk through the collector's parser, into d. */
static void
dev_parse(struct ncdev *d, struct vblist *l, const char *path)
{
	facts_init(&d->f);
	if (parse_device(l, &d->f) == -1)
		die("%s: out of memory", path);
	vblist_free(l);
	dev_setup(d);
}

/*
 * The walk the SNMP side serves for this device (sim/fleet.h: profile,
 * seed, copy, epoch, faults) through the collector's parser.  p: the
 * profile already loaded, else NULL (it is read from src->path).
 */
static void
dev_load(struct ncdev *d, const struct ncsrc *src,
    const struct fleet_profile *p)
{
	struct vblist	 l;
	char		 err[512];

	vblist_init(&l);
	if (p != NULL) {
		if (fleet_profile_walk(p, src->seed, src->copy, src->epoch,
		    src->flags, &l) == -1)
			die("%s: out of memory", src->path);
	} else if (fleet_device_walk(src->path, src->seed, src->copy,
	    src->epoch, src->flags, &l, err, sizeof(err)) == -1)
		die("%s", err);
	dev_parse(d, &l, src->path);
}

/*
 * Rendering.  Each render_* writes the body of an <rpc-reply> and
 * returns 0, or 1 when the device answers this RPC with an <rpc-error>
 * (msg says what Junos says).
 */

/* The fields of a <chassis> or module element. */
static void
render_hw_fields(struct xbuf *b, int depth, const struct item *it,
    const char *name)
{
	xb_el(b, depth, "name", name);
	xb_el(b, depth, "version", it->revision);
	xb_el(b, depth, "part-number", it->part_number);
	xb_el(b, depth, "serial-number", it->serial);
	xb_el(b, depth, "description", it->description);
	xb_el(b, depth, "clei-code", it->clei);
	xb_el(b, depth, "model-number", it->model);
}

static const char *
module_tag(int level, char *buf, size_t len, int close)
{
	size_t	 o;
	int	 i;

	o = (size_t)snprintf(buf, len, "%schassis-", close ? "/" : "");
	for (i = 0; i < level && o + 5 < len; i++) {
		memcpy(buf + o, "sub-", 4);
		o += 4;
	}
	if (o + 7 < len)
		memcpy(buf + o, "module", 7);
	return (buf);
}

/* Every component whose parent is one of the given items, nested. */
static void
render_modules(struct xbuf *b, const struct dev_facts *f, int depth,
    int level, const int *parents, size_t np)
{
	const struct item	*it;
	char			 tag[64];
	size_t			 i, j;
	int			 me;

	if (level > 8)
		return;
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
		if (it->kind != ITEM_COMPONENT)
			continue;
		for (j = 0; j < np; j++)
			if (it->parent == parents[j])
				break;
		if (j == np)
			continue;
		xb_tag(b, depth, module_tag(level, tag, sizeof(tag), 0));
		render_hw_fields(b, depth + 1, it, it->name);
		me = (int)i;
		render_modules(b, f, depth + 1, level + 1, &me, 1);
		xb_tag(b, depth, module_tag(level, tag, sizeof(tag), 1));
	}
}

static void
open_chassis(struct xbuf *b, int depth, const struct ncdev *d)
{
	xb_indent(b, depth);
	xb_str(b, "<chassis-inventory xmlns=\"http://xml.juniper.net/junos/");
	xb_esc(b, d->rel);
	xb_str(b, "/junos-chassis\">\n");
	xb_tag(b, depth + 1, "chassis junos:style=\"inventory\"");
}

static void
close_chassis(struct xbuf *b, int depth)
{
	xb_tag(b, depth + 1, "/chassis");
	xb_tag(b, depth, "/chassis-inventory");
}

static int
render_chassis(struct xbuf *b, const struct ncdev *d)
{
	const struct dev_facts	*f = &d->f;
	const struct item	*it;
	struct item		 top;
	char			 name[32];
	int			 tops[2] = { -1, d->chassis };
	int			 i, firstnode;

	memset(&top, 0, sizeof(top));
	if (d->chassis >= 0)
		top = f->items[d->chassis];
	fact_strlcpy(top.serial, f->serial, sizeof(top.serial));
	if (d->nmem == 0 || d->vc) {
		/*
		 * One <chassis>: the device's serial (on a VC, the master's),
		 * its own modules, then on a VC one "FPC n" per member with
		 * the member's fields and modules, as EX and QFX say it.
		 */
		if (top.description[0] == '\0')
			fact_strlcpy(top.description, d->vc ? "Virtual Chassis" :
			    f->model, sizeof(top.description));
		open_chassis(b, 1, d);
		render_hw_fields(b, 3, &top, "Chassis");
		render_modules(b, f, 3, 0, tops, d->chassis >= 0 ? 2 : 1);
		for (i = 0; i < (int)f->nitems; i++) {
			it = &f->items[i];
			if (member_id(it) < 0)
				continue;
			snprintf(name, sizeof(name), "FPC %d", member_id(it));
			xb_tag(b, 3, "chassis-module");
			render_hw_fields(b, 4, it, name);
			render_modules(b, f, 4, 1, &i, 1);
			xb_tag(b, 3, "/chassis-module");
		}
		close_chassis(b, 1);
		return (0);
	}
	/*
	 * A cluster (or a multi-chassis system): one inventory per node,
	 * each node's own <chassis>; modules of the device chassis go with
	 * the first node.
	 */
	xb_tag(b, 1, "multi-routing-engine-results");
	firstnode = 1;
	for (i = 0; i < (int)f->nitems; i++) {
		it = &f->items[i];
		if (it->kind != ITEM_MEMBER)
			continue;
		xb_tag(b, 2, "multi-routing-engine-item");
		xb_el(b, 3, "re-name", it->name);
		open_chassis(b, 3, d);
		render_hw_fields(b, 5, it, "Chassis");
		if (firstnode) {
			render_modules(b, f, 5, 0, tops,
			    d->chassis >= 0 ? 2 : 1);
			firstnode = 0;
		}
		render_modules(b, f, 5, 0, &i, 1);
		close_chassis(b, 3);
		xb_tag(b, 2, "/multi-routing-engine-item");
	}
	xb_tag(b, 1, "/multi-routing-engine-results");
	return (0);
}

static void
render_sw_one(struct xbuf *b, int depth, const struct ncdev *d,
    const char *model, const char *version)
{
	char	 lm[ITEM_MODEL_LEN], comment[ITEM_VER_LEN + 64];

	lower(lm, model, sizeof(lm));
	xb_tag(b, depth, "software-information");
	xb_el(b, depth + 1, "host-name", d->f.hostname);
	xb_el(b, depth + 1, "product-model", lm);
	xb_el(b, depth + 1, "product-name", lm);
	xb_el(b, depth + 1, "junos-version", version);
	if (version[0] != '\0') {
		xb_tag(b, depth + 1, "package-information");
		xb_el(b, depth + 2, "name", "junos");
		snprintf(comment, sizeof(comment), "JUNOS Software Release [%s]",
		    version);
		xb_el(b, depth + 2, "comment", comment);
		xb_tag(b, depth + 1, "/package-information");
	}
	xb_tag(b, depth, "/software-information");
}

/* "member 3" -> "fpc3"; "node0" stays. */
static void
re_name(const struct item *it, char *buf, size_t len)
{
	if (member_id(it) >= 0)
		snprintf(buf, len, "fpc%d", member_id(it));
	else
		fact_strlcpy(buf, it->name, len);
}

static int
render_software(struct xbuf *b, const struct ncdev *d)
{
	const struct dev_facts	*f = &d->f;
	const struct item	*it;
	char			 re[ITEM_NAME_LEN];
	int			 k, i;

	if (d->nmem == 0 || d->first < 0) {
		render_sw_one(b, 1, d, f->model, f->version);
		return (0);
	}
	/* The device's own member first: its fields are the device's. */
	xb_tag(b, 1, "multi-routing-engine-results");
	for (k = -1; k < (int)f->nitems; k++) {
		i = k == -1 ? d->first : k;
		if (k == d->first)
			continue;
		it = &f->items[i];
		if (it->kind != ITEM_MEMBER)
			continue;
		re_name(it, re, sizeof(re));
		xb_tag(b, 2, "multi-routing-engine-item");
		xb_el(b, 3, "re-name", re);
		if (k == -1)
			render_sw_one(b, 3, d, f->model[0] ? f->model : it->model,
			    f->version[0] ? f->version : it->version);
		else
			render_sw_one(b, 3, d, it->model[0] ? it->model : f->model,
			    it->version[0] ? it->version : f->version);
		xb_tag(b, 2, "/multi-routing-engine-item");
	}
	xb_tag(b, 1, "/multi-routing-engine-results");
	return (0);
}

static int
render_vc(struct xbuf *b, const struct ncdev *d, const char **msg)
{
	const struct dev_facts	*f = &d->f;
	const struct item	*it;
	char			 buf[ITEM_MODEL_LEN];
	const char		*role;
	int			 i, id;

	if (!d->vc) {
		*msg = "virtual-chassis not supported on this platform";
		return (1);
	}
	xb_tag(b, 1, "virtual-chassis-information");
	xb_tag(b, 2, "preprovisioned-virtual-chassis-information");
	snprintf(buf, sizeof(buf), "%04x.%04x.0000",
	    (unsigned)(f->serial[0] ? (unsigned char)f->serial[0] : 0) * 257u % 65536u,
	    (unsigned)strlen(f->serial) * 4099u % 65536u);
	xb_el(b, 3, "virtual-chassis-id", buf);
	xb_el(b, 3, "virtual-chassis-mode", "Enabled");
	xb_tag(b, 2, "/preprovisioned-virtual-chassis-information");
	xb_tag(b, 2, "member-list junos:style=\"single-slot\"");
	for (i = 0; i < (int)f->nitems; i++) {
		it = &f->items[i];
		if ((id = member_id(it)) < 0)
			continue;
		xb_tag(b, 3, "member");
		xb_el(b, 4, "member-status", "Prsnt");
		snprintf(buf, sizeof(buf), "%d", id);
		xb_el(b, 4, "member-id", buf);
		snprintf(buf, sizeof(buf), "(FPC %d)", id);
		xb_el(b, 4, "fpc-slot", buf);
		xb_el(b, 4, "member-serial-number", it->serial);
		lower(buf, it->model, sizeof(buf));
		xb_el(b, 4, "member-model", buf);
		if (strcmp(it->role, "master") == 0)
			role = "Master*";
		else if (strcmp(it->role, "backup") == 0)
			role = "Backup";
		else
			role = "Linecard";
		xb_el(b, 4, "member-priority", role[0] == 'L' ? "0" : "128");
		xb_el(b, 4, "member-mixed-mode", "N");
		xb_el(b, 4, "member-route-mode", "VC");
		xb_el(b, 4, "member-role", role);
		xb_tag(b, 3, "/member");
	}
	xb_tag(b, 2, "/member-list");
	xb_tag(b, 1, "/virtual-chassis-information");
	return (0);
}

/* The routing engines of one chassis (parent item p, -1: the device). */
static void
render_re_list(struct xbuf *b, int depth, const struct ncdev *d, int p,
    const char *state)
{
	const struct dev_facts	*f = &d->f;
	const struct item	*it;
	char			 slot[16], model[ITEM_DESCR_LEN];
	const char		*remodel = f->model;
	int			 i, n = 0;

	if (p >= 0 && f->items[p].model[0] != '\0')
		remodel = f->items[p].model;
	xb_tag(b, depth, "route-engine-information");
	for (i = 0; i < (int)f->nitems; i++) {
		it = &f->items[i];
		if (it->kind != ITEM_COMPONENT ||
		    strncmp(it->name, "Routing Engine", 14) != 0)
			continue;
		if (p >= 0 ? it->parent != p :
		    (it->parent != -1 && it->parent != d->chassis))
			continue;
		xb_tag(b, depth + 1, "route-engine");
		snprintf(slot, sizeof(slot), "%d", n);
		xb_el(b, depth + 2, "slot", it->name[14] == ' ' ?
		    it->name + 15 : slot);
		xb_el(b, depth + 2, "mastership-state", n == 0 ? state : "backup");
		xb_el(b, depth + 2, "status", "OK");
		if (strncmp(it->description, "RE-", 3) == 0)
			fact_strlcpy(model, it->description, sizeof(model));
		else
			snprintf(model, sizeof(model), "RE-%s", remodel);
		xb_el(b, depth + 2, "model", model);
		xb_el(b, depth + 2, "serial-number", it->serial);
		xb_tag(b, depth + 1, "/route-engine");
		n++;
	}
	if (n == 0) {
		snprintf(model, sizeof(model), "RE-%s", remodel);
		xb_tag(b, depth + 1, "route-engine");
		xb_el(b, depth + 2, "slot", "0");
		xb_el(b, depth + 2, "mastership-state", state);
		xb_el(b, depth + 2, "status", "OK");
		xb_el(b, depth + 2, "model", model);
		xb_tag(b, depth + 1, "/route-engine");
	}
	xb_tag(b, depth, "/route-engine-information");
}

static int
render_re(struct xbuf *b, const struct ncdev *d)
{
	const struct item	*it;
	char			 re[ITEM_NAME_LEN];
	int			 i;

	if (d->nmem == 0) {
		render_re_list(b, 1, d, -1, "master");
		return (0);
	}
	xb_tag(b, 1, "multi-routing-engine-results");
	for (i = 0; i < (int)d->f.nitems; i++) {
		it = &d->f.items[i];
		if (it->kind != ITEM_MEMBER)
			continue;
		re_name(it, re, sizeof(re));
		xb_tag(b, 2, "multi-routing-engine-item");
		xb_el(b, 3, "re-name", re);
		render_re_list(b, 3, d, i, i == d->first ? "master" :
		    strcmp(it->role, "backup") == 0 || !d->vc ? "backup" :
		    "linecard");
		xb_tag(b, 2, "/multi-routing-engine-item");
	}
	xb_tag(b, 1, "/multi-routing-engine-results");
	return (0);
}

static int
render_sysinfo(struct xbuf *b, const struct ncdev *d)
{
	char	 lm[ITEM_MODEL_LEN];

	lower(lm, d->f.model, sizeof(lm));
	xb_tag(b, 1, "system-information");
	xb_el(b, 2, "hardware-model", lm);
	xb_el(b, 2, "os-name", d->f.os == OS_JUNOS_EVO ? "junos-evo" : "junos");
	xb_el(b, 2, "os-version", d->f.version);
	xb_el(b, 2, "serial-number", d->f.serial);
	xb_el(b, 2, "host-name", d->f.hostname);
	xb_tag(b, 1, "/system-information");
	return (0);
}

/*
 * The internal routing instance (PyEZ's current_re and _iri_* facts):
 * 128.0.0.1 is "master", each member or node has 128.0.1.(i+1) named
 * by its re-name, a lone chassis 128.0.0.4 "re0".  The session runs on
 * the device's own member (pick_first()).
 */
static void
iri_each(const struct ncdev *d, void (*fn)(struct xbuf *, const char *,
    const char *), struct xbuf *b, int local)
{
	const struct item	*it;
	char			 ip[32], re[ITEM_NAME_LEN];
	int			 i;

	fn(b, "128.0.0.1", "master");
	if (d->nmem == 0 || d->first < 0) {
		fn(b, "128.0.0.4", "re0");
		return;
	}
	for (i = 0; i < (int)d->f.nitems; i++) {
		it = &d->f.items[i];
		if (it->kind != ITEM_MEMBER || (local && i != d->first))
			continue;
		snprintf(ip, sizeof(ip), "128.0.1.%d", i % 250 + 1);
		re_name(it, re, sizeof(re));
		fn(b, ip, re);
	}
}

static void
iri_ifa(struct xbuf *b, const char *ip, const char *name)
{
	char	 buf[40];

	(void)name;
	snprintf(buf, sizeof(buf), "%s/2", ip);
	xb_tag(b, 5, "interface-address");
	xb_el(b, 6, "ifa-local", buf);
	xb_tag(b, 5, "/interface-address");
}

static void
iri_host(struct xbuf *b, const char *ip, const char *name)
{
	xb_esc(b, ip);
	xb_str(b, "\t");
	xb_esc(b, name);
	xb_str(b, "\n");
}

static int
render_ifaces(struct xbuf *b, const struct ncdev *d)
{
	xb_tag(b, 1, "interface-information junos:style=\"terse\"");
	xb_tag(b, 2, "physical-interface");
	xb_el(b, 3, "name", "em1");
	xb_tag(b, 3, "logical-interface");
	xb_el(b, 4, "name", "em1.0");
	xb_tag(b, 4, "address-family");
	xb_el(b, 5, "address-family-name", "inet");
	iri_each(d, iri_ifa, b, 1);
	xb_tag(b, 4, "/address-family");
	xb_tag(b, 3, "/logical-interface");
	xb_tag(b, 2, "/physical-interface");
	xb_tag(b, 1, "/interface-information");
	return (0);
}

static int
render_hosts(struct xbuf *b, const struct ncdev *d)
{
	xb_str(b, "  <file-content filename=\"/etc/hosts.junos\">\n");
	iri_each(d, iri_host, b, 0);
	xb_str(b, "  </file-content>\n");
	return (0);
}

/*
 * One reply for the RPC element name (command: the text of a <command>
 * RPC, else NULL) into b: an <rpc-reply> document.  Returns 1 when the
 * reply is <ok/> to <close-session/>.
 */
static int
reply(struct xbuf *b, const struct ncdev *d, const char *name,
    const char *command, const char *msgid)
{
	const char	*msg = NULL;
	int		 rc = 1, bye = 0;

	xb_str(b, "<rpc-reply xmlns=\"" NC_BASE "\" "
	    "xmlns:junos=\"http://xml.juniper.net/junos/");
	xb_esc(b, d->rel);
	xb_str(b, "/junos\"");
	if (msgid != NULL && msgid[0] != '\0') {
		xb_str(b, " message-id=\"");
		xb_esc(b, msgid);
		xb_str(b, "\"");
	}
	xb_str(b, ">\n");
	if (strcmp(name, "close-session") == 0) {
		xb_str(b, "  <ok/>\n");
		rc = 0;
		bye = 1;
	} else if (!dev_junos(d))
		msg = "syntax error, expecting <command>";
	else if (strcmp(name, "get-software-information") == 0)
		rc = render_software(b, d);
	else if (strcmp(name, "get-chassis-inventory") == 0)
		rc = render_chassis(b, d);
	else if (strcmp(name, "get-virtual-chassis-information") == 0)
		rc = render_vc(b, d, &msg);
	else if (strcmp(name, "get-route-engine-information") == 0)
		rc = render_re(b, d);
	else if (strcmp(name, "get-system-information") == 0)
		rc = render_sysinfo(b, d);
	else if (strcmp(name, "get-interface-information") == 0)
		rc = render_ifaces(b, d);
	else if (strcmp(name, "file-show") == 0 && command != NULL &&
	    strcmp(command, "/etc/hosts.junos") == 0)
		rc = render_hosts(b, d);
	else if (strcmp(name, "file-show") == 0)
		msg = "could not resolve file";
	else if (strcmp(name, "get-chassis-cluster-status") == 0 && d->vc == 0)
		msg = "Chassis cluster is not enabled.";
	else if (strcmp(name, "command") == 0 && command != NULL &&
	    strncmp(command, "show version", 12) == 0)
		rc = render_software(b, d);
	else if (strcmp(name, "command") == 0)
		msg = "syntax error";
	if (rc != 0) {
		xb_str(b, "  <rpc-error>\n"
		    "    <error-type>protocol</error-type>\n"
		    "    <error-tag>operation-failed</error-tag>\n"
		    "    <error-severity>error</error-severity>\n");
		if (msg == NULL)
			msg = "syntax error, expecting <command>";
		xb_el(b, 2, "error-message", msg);
		xb_str(b, "    <error-info>\n");
		xb_el(b, 3, "bad-element", name);
		xb_str(b, "    </error-info>\n  </rpc-error>\n");
	}
	xb_str(b, "</rpc-reply>\n");
	return (bye);
}

/*
 * The client's messages.
 */

/* Skip blanks, comments and processing instructions. */
static const char *
skip_misc(const char *p, const char *end)
{
	const char	*q;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			if ((q = memmem(p + 4, (size_t)(end - p - 4), "-->", 3)) ==
			    NULL)
				return (end);
			p = q + 3;
		} else if (end - p >= 2 && memcmp(p, "<?", 2) == 0) {
			if ((q = memmem(p + 2, (size_t)(end - p - 2), "?>", 2)) ==
			    NULL)
				return (end);
			p = q + 2;
		} else
			return (p);
	}
}

static int
name_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == ':');
}

/*
 * At p, an element start "<[prefix:]name": copy the local name.  Returns
 * the byte after the name, NULL if there is none.
 */
static const char *
el_name(const char *p, const char *end, char *name, size_t len)
{
	const char	*s, *colon = NULL;
	size_t		 n;

	if (p >= end || *p != '<')
		return (NULL);
	for (s = ++p; p < end && name_char(*p); p++)
		if (*p == ':')
			colon = p;
	if (colon != NULL)
		s = colon + 1;
	n = (size_t)(p - s);
	if (n == 0 || n >= len)
		return (NULL);
	memcpy(name, s, n);
	name[n] = '\0';
	return (p);
}

/*
 * Parse one <rpc>: the first child's local name, the message-id and,
 * for <command>, its text (for <file-show>, its <filename>'s).  0, or -1 if this is not an <rpc>.
 */
static int
rpc_parse(const char *msg, size_t len, char *name, size_t nlen, char *msgid,
    size_t mlen, char *command, size_t clen)
{
	const char	*end = msg + len, *p, *gt, *a, *q;
	char		 top[NC_NAME_LEN], quote;
	size_t		 n;

	name[0] = msgid[0] = command[0] = '\0';
	p = skip_misc(msg, end);
	if ((p = el_name(p, end, top, sizeof(top))) == NULL ||
	    strcmp(top, "rpc") != 0)
		return (-1);
	if ((gt = memchr(p, '>', (size_t)(end - p))) == NULL || gt[-1] == '/')
		return (-1);
	for (a = p; (a = memmem(a, (size_t)(gt - a), "message-id", 10)) != NULL;
	    a += 10) {
		q = a + 10;
		while (q < gt && (*q == ' ' || *q == '='))
			q++;
		if (q >= gt || (*q != '"' && *q != '\''))
			continue;
		quote = *q++;
		for (n = 0; q + n < gt && q[n] != quote; n++)
			;
		if (q + n >= gt)
			return (-1);
		if (n >= mlen)
			n = mlen - 1;
		memcpy(msgid, q, n);
		msgid[n] = '\0';
		break;
	}
	p = skip_misc(gt + 1, end);
	if ((p = el_name(p, end, name, nlen)) == NULL)
		return (-1);
	/* <file-show><filename>F</filename>: F is the argument. */
	if (strcmp(name, "file-show") == 0 &&
	    (q = memmem(p, (size_t)(end - p), "<filename", 9)) != NULL)
		p = q + 9;
	if ((strcmp(name, "command") == 0 || strcmp(name, "file-show") == 0) &&
	    (gt = memchr(p, '>', (size_t)(end - p))) != NULL && gt[-1] != '/') {
		for (q = gt + 1; q < end && (*q == ' ' || *q == '\n' ||
		    *q == '\t' || *q == '\r'); q++)
			;
		for (n = 0; q + n < end && q[n] != '<' && n + 1 < clen; n++)
			command[n] = q[n];
		command[n] = '\0';
	}
	return (0);
}

/*
 * The session's I/O.
 */

struct nconn {
	ssh_channel	 ch;		/* the session's channel; NULL: stdio */
	unsigned	 faults;	/* NCF_SLOW, NCF_TRUNCATE, ... */
	unsigned	 slow_ms;
	struct ncframe	 fr;
	char		 in[65536];
	size_t		 ilen, ioff;
	int		 chunked;
};

static void
out_all(struct nconn *c, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if (c->ch != NULL) {
			w = ssh_channel_write(c->ch, p, n > 65536 ? 65536 :
			    (uint32_t)n);
			if (w == SSH_ERROR)
				exit(0);	/* the client went away */
		} else if ((w = write(STDOUT_FILENO, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			exit(0);	/* the client went away */
		}
		p += w;
		n -= (size_t)w;
	}
}

/*
 * One write per message: sshd runs a subsystem without TCP_NODELAY, so a
 * second small write would wait for the client's delayed ACK (40 ms).
 */
static void
send_msg(struct nconn *c, struct xbuf *b)
{
	char	 head[32];
	int	 n;

	if (c->chunked) {
		n = snprintf(head, sizeof(head), "\n#%zu\n", b->len);
		xb_add(b, "\n##\n", 4);
		xb_add(b, head, (size_t)n);	/* room; moved below */
		memmove(b->p + n, b->p, b->len - (size_t)n);
		memcpy(b->p, head, (size_t)n);
	} else
		xb_add(b, "]]>]]>", 6);
	if (c->faults & NCF_SLOW)
		usleep(c->slow_ms * 1000);
	if (c->faults & NCF_TRUNCATE) {
		out_all(c, b->p, b->len / 2);
		die("truncate fault: half a reply sent");
	}
	out_all(c, b->p, b->len);
}

/* One whole message into c->fr; 0, or -1 at end of input. */
static int
read_msg(struct nconn *c)
{
	enum ncframe_rc	 rc;
	size_t		 used;
	ssize_t		 n;

	ncframe_reset(&c->fr);
	c->fr.chunked = c->chunked;
	for (;;) {
		if (c->ioff < c->ilen) {
			rc = ncframe_feed(&c->fr, c->in + c->ioff,
			    c->ilen - c->ioff, &used);
			c->ioff += used;
			switch (rc) {
			case NCF_DONE:
				return (0);
			case NCF_MORE:
				break;
			case NCF_TOOBIG:
				die("message larger than %d bytes", NC_MSG_MAX);
			case NCF_BAD:
				die("bad framing: %s", c->fr.why);
			case NCF_NOMEM:
				die("out of memory");
			}
			continue;
		}
		if (c->ch != NULL) {
			n = ssh_channel_read(c->ch, c->in, sizeof(c->in), 0);
			if (n == SSH_ERROR)
				die("channel: %s", ssh_get_error(
				    ssh_channel_get_session(c->ch)));
		} else if ((n = read(STDIN_FILENO, c->in, sizeof(c->in))) == -1) {
			if (errno == EINTR)
				continue;
			die("read: %s", strerror(errno));
		}
		if (n == 0) {
			if (c->fr.len > 0)
				die("end of input inside a message");
			return (-1);
		}
		c->ilen = (size_t)n;
		c->ioff = 0;
	}
}

static void
serve(const struct ncdev *d, const struct ncsrc *src, int base11,
    ssh_channel ch)
{
	struct nconn	*c;
	struct xbuf	 b = { NULL, 0, 0 };
	char		 name[NC_NAME_LEN], msgid[NC_MSGID_LEN], cmd[256];
	char		 sid[32];

	if ((c = calloc(1, sizeof(*c))) == NULL)
		die("out of memory");
	ncframe_init(&c->fr, NC_MSG_MAX);
	c->ch = ch;
	c->faults = src->faults;
	c->slow_ms = src->slow_ms;
	if (c->faults & NCF_SILENT) {
		/* Read and drop until the client gives up. */
		c->chunked = 1;
		for (;;) {
			c->ilen = c->ioff = 0;
			if (read_msg(c) == -1)
				break;
		}
		exit(0);
	}
	xb_str(&b, "<!-- No zombies were killed during the creation of this "
	    "user interface -->\n<!-- user ibsim, simulated device -->\n"
	    "<hello xmlns=\"" NC_BASE "\">\n  <capabilities>\n"
	    "    <capability>urn:ietf:params:netconf:base:1.0</capability>\n");
	if (base11)
		xb_str(&b, "    <capability>urn:ietf:params:netconf:base:1.1"
		    "</capability>\n");
	xb_str(&b, "    <capability>urn:ietf:params:netconf:capability:"
	    "candidate:1.0</capability>\n"
	    "    <capability>urn:ietf:params:netconf:capability:validate:1.0"
	    "</capability>\n"
	    "    <capability>http://xml.juniper.net/netconf/junos/1.0"
	    "</capability>\n"
	    "    <capability>http://xml.juniper.net/dmi/system/1.0"
	    "</capability>\n  </capabilities>\n");
	snprintf(sid, sizeof(sid), "%ld", (long)getpid());
	xb_el(&b, 1, "session-id", sid);
	xb_str(&b, "</hello>\n");
	send_msg(c, &b);

	if (read_msg(c) == -1)
		die("no client hello");
	if (memmem(c->fr.msg, c->fr.len, "hello", 5) == NULL)
		die("the first message is not a <hello>");
	if (base11 && memmem(c->fr.msg, c->fr.len,
	    "urn:ietf:params:netconf:base:1.1", 32) != NULL)
		c->chunked = 1;
	while (read_msg(c) == 0) {
		if (rpc_parse(c->fr.msg, c->fr.len, name, sizeof(name), msgid,
		    sizeof(msgid), cmd, sizeof(cmd)) == -1)
			die("a message that is not an <rpc>");
		b.len = 0;
		if (reply(&b, d, name, cmd, msgid)) {
			send_msg(c, &b);
			break;
		}
		if (c->faults & NCF_MALFORMED) {
			/* Cut inside an element: no parser takes it. */
			b.len = b.len > 40 ? b.len / 3 : b.len;
			xb_str(&b, "<junos:broken attr=\"</rpc-reply>\n");
		}
		send_msg(c, &b);
	}
	free(b.p);
	ncframe_clear(&c->fr);
	free(c);
}

/*
 * Which device.
 */

/*
 * A manifest's faults ("rma,slow=200ms,silent") into src: rma and upgrade
 * change the walk (FLEET_*); silent, slow, truncate and malformed change
 * the session (NCF_*).  loss and oversized are SNMP's alone.
 */
static void
fault_flags(const char *faults, struct ncsrc *src)
{
	char		 buf[256], *p, *w, *arg;
	unsigned long	 v;

	fact_strlcpy(buf, faults, sizeof(buf));
	for (p = buf; (w = strsep(&p, ", ")) != NULL;) {
		arg = w + strcspn(w, ":=@");
		if (*arg == '=' || *arg == ':')
			*arg++ = '\0';
		else
			*arg = '\0';
		if (strcasecmp(w, "rma") == 0)
			src->flags |= FLEET_RMA;
		else if (strcasecmp(w, "upgrade") == 0)
			src->flags |= FLEET_UPGRADE;
		else if (strcasecmp(w, "silent") == 0)
			src->faults |= NCF_SILENT;
		else if (strcasecmp(w, "truncate") == 0)
			src->faults |= NCF_TRUNCATE;
		else if (strcasecmp(w, "malformed") == 0)
			src->faults |= NCF_MALFORMED;
		else if (strcasecmp(w, "slow") == 0) {
			v = strtoul(arg, &arg, 10);
			if (*arg == 's')
				v *= 1000;
			src->faults |= NCF_SLOW;
			src->slow_ms = v > 600000 ? 600000 : (unsigned)v;
		}
	}
}

/*
 * One manifest row ("index TAB address:port TAB profile TAB copy TAB
 * chassis-serial TAB faults"; '#' lines are comments) into src and addr:
 * profile (a relative path that does not exist as given is taken from
 * the manifest's directory), copy and faults.  src's seed and epoch are
 * kept.  line is modified.  0, or -1 for a comment or a short line.
 */
static int
manifest_row(char *line, const char *manifest, struct ncsrc *src, char *addr,
    size_t alen)
{
	char		*f[6], *p, *dir, mcopy[PATH_MAX];
	unsigned long	 copy;
	int		 nf;

	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return (-1);
	for (nf = 0, p = line; nf < 6 && p != NULL; nf++)
		f[nf] = strsep(&p, "\t");
	if (nf < 4)
		return (-1);
	fact_strlcpy(addr, f[1], alen);
	copy = strtoul(f[3], &p, 10);
	if (*p != '\0' || copy > UINT_MAX)
		die("%s: %s: bad copy \"%s\"", manifest, f[1], f[3]);
	src->copy = (unsigned)copy;
	src->flags = src->faults = 0;
	if (nf >= 6)
		fault_flags(f[5], src);
	if (f[2][0] == '/' || access(f[2], R_OK) == 0)
		fact_strlcpy(src->path, f[2], sizeof(src->path));
	else {
		fact_strlcpy(mcopy, manifest, sizeof(mcopy));
		dir = dirname(mcopy);
		if ((size_t)snprintf(src->path, sizeof(src->path), "%s/%s",
		    dir, f[2]) >= sizeof(src->path))
			die("%s: path too long", manifest);
	}
	return (0);
}

/* The row of the manifest whose address:port is want, into src. */
static void
manifest_find(const char *manifest, const char *want, struct ncsrc *src)
{
	FILE	*fp;
	char	*line = NULL, addr[300];
	size_t	 cap = 0;
	int	 found = 0;

	if ((fp = fopen(manifest, "r")) == NULL)
		die("%s: %s", manifest, strerror(errno));
	while (!found && getline(&line, &cap, fp) != -1)
		if (manifest_row(line, manifest, src, addr, sizeof(addr)) == 0 &&
		    strcmp(addr, want) == 0)
			found = 1;
	free(line);
	fclose(fp);
	if (!found)
		die("%s: no device at %s", manifest, want);
}

/* "client port server port" -> "server:port" (port minus offset). */
static void
conn_key(const char *conn, long offset, char *key, size_t len)
{
	char		 buf[256], *f[4], *p;
	long		 port;
	int		 n;

	fact_strlcpy(buf, conn, sizeof(buf));
	for (n = 0, p = buf; n < 4 && p != NULL; n++)
		f[n] = strsep(&p, " ");
	if (n < 4)
		die("SSH_CONNECTION: not \"client port server port\"");
	port = strtol(f[3], NULL, 10) - offset;
	if (port <= 0 || port > 65535)
		die("SSH_CONNECTION: port %s minus offset %ld", f[3], offset);
	if (strchr(f[2], ':') != NULL)
		snprintf(key, len, "[%s]:%ld", f[2], port);
	else
		snprintf(key, len, "%s:%ld", f[2], port);
}

static int
num_arg(const char *s, unsigned long long max, unsigned long long *v)
{
	char	*end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return (errno != 0 || end == s || *end != '\0' || *v > max ? -1 : 0);
}

/*
 * The listener (-L): the fleet's own SSH server on libssh's server API,
 * instead of one sshd per 16 devices.  One process listens on every
 * manifest address (port + offset) and forks a child per connection,
 * which does the key exchange (its host key), a public key login (the
 * one authorized key, signature checked), the "netconf" subsystem and
 * the session; the device is the row whose socket accepted.  No exec,
 * no privilege separation and no system account: a session costs a
 * fraction of sshd's.
 */
struct lrow {
	struct ncsrc	 src;
	const struct fleet_profile *prof;	/* loaded once, by the listener */
	char		 addr[64];	/* as the manifest says it */
	int		 fd;		/* listening socket */
};

struct lsess {
	ssh_key		 allowed;	/* the authorized client key */
	int		 authed;
	int		 subsys;	/* 1: "netconf" was asked for */
	ssh_channel	 ch;
	struct ssh_channel_callbacks_struct ccb;
};

static volatile sig_atomic_t	 l_stop;

static void
l_onsig(int sig)
{
	(void)sig;
	l_stop = 1;
}

static int
l_auth_pubkey(ssh_session ss, const char *user, struct ssh_key_struct *key,
    char state, void *ud)
{
	struct lsess	*ls = ud;

	(void)ss;
	(void)user;
	if (ssh_key_cmp(key, ls->allowed, SSH_KEY_CMP_PUBLIC) != 0)
		return (SSH_AUTH_DENIED);
	if (state == SSH_PUBLICKEY_STATE_NONE)
		return (SSH_AUTH_SUCCESS);	/* "this key would do" */
	if (state != SSH_PUBLICKEY_STATE_VALID)
		return (SSH_AUTH_DENIED);
	ls->authed = 1;
	return (SSH_AUTH_SUCCESS);
}

static int
l_subsystem(ssh_session ss, ssh_channel ch, const char *name, void *ud)
{
	struct lsess	*ls = ud;

	(void)ss;
	if (ch != ls->ch || strcmp(name, "netconf") != 0)
		return (SSH_ERROR);
	ls->subsys = 1;
	return (SSH_OK);
}

static ssh_channel
l_chan_open(ssh_session ss, void *ud)
{
	struct lsess	*ls = ud;

	if (!ls->authed || ls->ch != NULL)
		return (NULL);
	if ((ls->ch = ssh_channel_new(ss)) == NULL)
		return (NULL);
	memset(&ls->ccb, 0, sizeof(ls->ccb));
	ls->ccb.userdata = ls;
	ls->ccb.channel_subsystem_request_function = l_subsystem;
	ssh_callbacks_init(&ls->ccb);
	ssh_set_channel_callbacks(ls->ch, &ls->ccb);
	return (ls->ch);
}

/* Half-close fd and read until the peer closes (at most 2 s). */
static void
l_drain(int fd)
{
	struct pollfd	 p;
	char		 buf[4096];
	int		 i;

	if (fd < 0 || shutdown(fd, SHUT_WR) == -1)
		return;
	p.fd = fd;
	p.events = POLLIN;
	for (i = 0; i < 20; i++) {
		if (poll(&p, 1, 100) == -1 && errno != EINTR)
			return;
		if ((p.revents & (POLLIN | POLLHUP | POLLERR)) &&
		    read(fd, buf, sizeof(buf)) <= 0)
			return;
	}
}

/* One connection, in the child: never returns. */
static void
l_session(ssh_bind sb, int fd, const struct lrow *row, ssh_key allowed,
    int base11)
{
	struct ssh_server_callbacks_struct	 cb;
	struct lsess				 ls;
	struct ncdev				 d;
	ssh_session				 ss;
	ssh_event				 ev;
	int					 one = 1;

	alarm(30);		/* login grace */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&ls, 0, sizeof(ls));
	ls.allowed = allowed;
	if ((ss = ssh_new()) == NULL)
		die("out of memory");
	if (ssh_bind_accept_fd(sb, ss, fd) != SSH_OK)
		die("%s: accept: %s", row->addr, ssh_get_error(sb));
	memset(&cb, 0, sizeof(cb));
	cb.userdata = &ls;
	cb.auth_pubkey_function = l_auth_pubkey;
	cb.channel_open_request_session_function = l_chan_open;
	ssh_callbacks_init(&cb);
	ssh_set_server_callbacks(ss, &cb);
	ssh_set_auth_methods(ss, SSH_AUTH_METHOD_PUBLICKEY);
	if (ssh_handle_key_exchange(ss) != SSH_OK)
		die("%s: key exchange: %s", row->addr, ssh_get_error(ss));
	if ((ev = ssh_event_new()) == NULL || ssh_event_add_session(ev, ss) !=
	    SSH_OK)
		die("out of memory");
	while (!ls.subsys) {
		if (ssh_event_dopoll(ev, 1000) == SSH_ERROR ||
		    !ssh_is_connected(ss))
			die("%s: before the subsystem: %s", row->addr,
			    ssh_get_error(ss));
	}
	ssh_event_remove_session(ev, ss);
	ssh_event_free(ev);
	alarm(NC_LIFETIME_S);
	dev_load(&d, &row->src, row->prof);
	serve(&d, &row->src, base11, ls.ch);
	/*
	 * As sshd ends a subsystem: exit status, EOF, close; then let the
	 * client hang up.  A disconnect message first would make OpenSSH's
	 * client report "closed by remote host" and exit 255, and so would
	 * a reset: closing while its last messages are unread sends one.
	 */
	(void)ssh_channel_request_send_exit_status(ls.ch, 0);
	(void)ssh_channel_send_eof(ls.ch);
	(void)ssh_channel_close(ls.ch);
	(void)ssh_blocking_flush(ss, 1000);
	l_drain(ssh_get_fd(ss));
	exit(0);
}

/* A listening socket on "a.b.c.d:port" (+ offset); -1 if not loopback. */
static int
l_listen(const char *ap, long offset)
{
	struct sockaddr_in	 sin;
	char			 host[64], *colon, *end;
	long			 port;
	int			 fd, one = 1;

	fact_strlcpy(host, ap, sizeof(host));
	if ((colon = strrchr(host, ':')) == NULL)
		return (-1);
	*colon = '\0';
	port = strtol(colon + 1, &end, 10) + offset;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (*end != '\0' || port <= 0 || port > 65535 ||
	    inet_pton(AF_INET, host, &sin.sin_addr) != 1 ||
	    (ntohl(sin.sin_addr.s_addr) >> 24) != 127)
		return (-1);
	sin.sin_port = htons((uint16_t)port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		die("socket: %s", strerror(errno));
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 256) == -1)
		die("%s:%ld: %s", host, port, strerror(errno));
	return (fd);
}

static int
listen_main(const char *manifest, const struct ncsrc *defs, long offset,
    const char *hostkey, const char *authkey, const char *pidfile,
    int base11)
{
	struct lrow	*rows = NULL;
	struct fleet_profile *profs = NULL;
	struct pollfd	*pfd;
	ssh_key		 hk;
	char		 err[512];
	size_t		 np = 0, j;
	struct rlimit	 rl;
	struct rusage	 ru;
	ssh_bind	 sb;
	ssh_key		 allowed;
	FILE		*fp;
	char		*line = NULL;
	size_t		 cap = 0, n = 0, ncap = 0, i;
	unsigned long	 sessions = 0;
	pid_t		 pid;
	int		 cfd, rc;

	if (ssh_pki_import_pubkey_file(authkey, &allowed) != SSH_OK)
		die("%s: not a public key", authkey);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((fp = fopen(manifest, "r")) == NULL)
		die("%s: %s", manifest, strerror(errno));
	for (;;) {
		if (n == ncap) {
			ncap = ncap ? ncap * 2 : 64;
			if ((rows = reallocarray(rows, ncap, sizeof(*rows))) == NULL)
				die("out of memory");
		}
		if (getline(&line, &cap, fp) == -1)
			break;
		rows[n].src = *defs;
		if (manifest_row(line, manifest, &rows[n].src, rows[n].addr,
		    sizeof(rows[n].addr)) == -1)
			continue;
		if ((rows[n].fd = l_listen(rows[n].addr, offset)) == -1) {
			fprintf(stderr, "ibsim-netconf: %s: not an IPv4 loopback "
			    "address:port, skipped\n", rows[n].addr);
			continue;
		}
		n++;
	}
	free(line);
	fclose(fp);
	/*
	 * What every session would do again: profiles read and sorted,
	 * OpenSSL initialised, the host key read.  Children inherit them.
	 */
	if ((profs = calloc(n ? n : 1, sizeof(*profs))) == NULL)
		die("out of memory");
	for (i = 0; i < n; i++) {
		for (j = 0; j < np; j++)
			if (strcmp(profs[j].path, rows[i].src.path) == 0)
				break;
		if (j == np && fleet_profile_load(rows[i].src.path, &profs[np++],
		    err, sizeof(err)) == -1)
			die("%s", err);
		rows[i].prof = &profs[j];
	}
	if (ssh_init() != SSH_OK)
		die("libssh: cannot initialise");
	if (ssh_pki_import_privkey_file(hostkey, NULL, NULL, NULL, &hk) !=
	    SSH_OK)
		die("%s: cannot read the host key", hostkey);
	if ((sb = ssh_bind_new()) == NULL ||
	    ssh_bind_options_set(sb, SSH_BIND_OPTIONS_IMPORT_KEY, hk) < 0)
		die("%s: cannot use as host key", hostkey);
	if ((pfd = calloc(n ? n : 1, sizeof(*pfd))) == NULL)
		die("out of memory");
	for (i = 0; i < n; i++) {
		pfd[i].fd = rows[i].fd;
		pfd[i].events = POLLIN;
	}
	/* Its own process group: stopping it stops the sessions too. */
	(void)setpgid(0, 0);
	signal(SIGTERM, l_onsig);
	signal(SIGINT, l_onsig);
	signal(SIGHUP, l_onsig);
	alarm(0);
	if (pidfile != NULL) {
		if ((fp = fopen(pidfile, "w")) == NULL)
			die("%s: %s", pidfile, strerror(errno));
		fprintf(fp, "%ld\n", (long)getpid());
		fclose(fp);
	}
	fprintf(stderr, "ibsim-netconf: listening for %zu devices\n", n);
	while (!l_stop) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if ((rc = poll(pfd, n, 1000)) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			while ((cfd = accept4(rows[i].fd, NULL, NULL,
			    SOCK_CLOEXEC)) != -1) {
				sessions++;
				if ((pid = fork()) == 0) {
					signal(SIGTERM, SIG_DFL);
					signal(SIGINT, SIG_DFL);
					signal(SIGHUP, SIG_DFL);
					/* The ports go with the listener. */
					for (j = 0; j < n; j++)
						close(rows[j].fd);
					l_session(sb, cfd, &rows[i], allowed,
					    base11);
				}
				if (pid == -1)
					fprintf(stderr, "ibsim-netconf: fork: %s\n",
					    strerror(errno));
				close(cfd);
			}
		}
	}
	for (i = 0; i < n; i++)
		close(rows[i].fd);
	signal(SIGTERM, SIG_IGN);
	(void)kill(0, SIGTERM);		/* sessions still in flight */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "ibsim-netconf: %lu sessions; listener CPU %.3f s\n",
	    sessions, (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	getrusage(RUSAGE_CHILDREN, &ru);
	fprintf(stderr, "ibsim-netconf: sessions' CPU %.3f s\n",
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	ssh_key_free(allowed);
	ssh_bind_free(sb);
	for (j = 0; j < np; j++)
		fleet_profile_free(&profs[j]);
	free(profs);
	free(pfd);
	free(rows);
	return (0);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: ibsim-netconf [-1] [-l log] [-r rpc] [-s seed] [-e epoch] "
	    "[-c copy] PROFILE.snmprec\n"
	    "       ibsim-netconf [-1] [-l log] [-r rpc] [-s seed] [-e epoch] "
	    "[-o offset]\n"
	    "           [-a address:port] -m MANIFEST\n"
	    "       ibsim-netconf -L -k hostkey -A authorized.pub [-p pidfile] "
	    "[-1] [-l log]\n"
	    "           [-s seed] [-e epoch] [-o offset] -m MANIFEST\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct ncdev		 d;
	struct ncsrc		 src;
	struct xbuf		 b = { NULL, 0, 0 };
	const char		*manifest = getenv("IBSIM_MANIFEST"), *rpc = NULL;
	const char		*addr = NULL, *conn, *hostkey = NULL;
	const char		*authkey = NULL, *pidfile = NULL;
	char			 key[300];
	unsigned long long	 v;
	long			 offset = 0;
	int			 ch, base11 = 1, listener = 0;

	memset(&src, 0, sizeof(src));
	src.seed = 1;		/* ibsim's default */
	while ((ch = getopt(argc, argv, "1A:a:c:e:k:Ll:m:o:p:r:s:")) != -1) {
		switch (ch) {
		case '1':
			base11 = 0;
			break;
		case 'A':
			authkey = optarg;
			break;
		case 'k':
			hostkey = optarg;
			break;
		case 'L':
			listener = 1;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'a':
			addr = optarg;
			break;
		case 'c':
			if (num_arg(optarg, UINT_MAX, &v) == -1)
				usage();
			src.copy = (unsigned)v;
			break;
		case 'e':
			if (num_arg(optarg, UINT_MAX, &v) == -1)
				usage();
			src.epoch = (unsigned)v;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'm':
			manifest = optarg;
			break;
		case 'o':
			if (num_arg(optarg, 65535, &v) == -1)
				usage();
			offset = (long)v;
			break;
		case 'r':
			rpc = optarg;
			break;
		case 's':
			if (num_arg(optarg, UINT64_MAX, &v) == -1)
				usage();
			src.seed = v;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	signal(SIGPIPE, SIG_DFL);
	if (listener) {
		if (argc != 0 || manifest == NULL || hostkey == NULL ||
		    authkey == NULL || rpc != NULL)
			usage();
		return (listen_main(manifest, &src, offset, hostkey, authkey,
		    pidfile, base11));
	}
	alarm(NC_LIFETIME_S);

	if (argc == 1)
		fact_strlcpy(src.path, argv[0], sizeof(src.path));
	else if (argc == 0 && manifest != NULL && manifest[0] != '\0') {
		if (addr == NULL) {
			if ((conn = getenv("SSH_CONNECTION")) == NULL)
				die("no -a and no SSH_CONNECTION: which device?");
			conn_key(conn, offset, key, sizeof(key));
			addr = key;
		}
		manifest_find(manifest, addr, &src);
	} else
		usage();
	dev_load(&d, &src, NULL);

	if (rpc != NULL) {
		reply(&b, &d, rpc, NULL, "1");
		fwrite(b.p, 1, b.len, stdout);
		free(b.p);
		facts_free(&d.f);
		return (fflush(stdout) == 0 ? 0 : 1);
	}
	serve(&d, &src, base11, NULL);
	facts_free(&d.f);
	return (0);
}
