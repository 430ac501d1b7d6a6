/*
 * xmlparse.c: Junos XML replies (NETCONF, or the CLI's "| display xml")
 * into struct dev_facts.  This file owns the libxml2 set-up that makes a
 * device's reply safe to read (size cap, no DOCTYPE, no entities, no
 * network, no output on stderr), the Junos element rules of the three
 * inventory RPCs, and the merge of what one reply says into what earlier
 * replies of the same poll already said.
 *
 * The item rules mirror parse.c, so that an SNMP poll and a NETCONF poll
 * of one device name and merge their items alike:
 *  - a Virtual Chassis member is "member N", a cluster node "node0",
 *    a TX/T-series line-card chassis "lcc2" (parse.c member_chassis());
 *  - serials go through parse_serial(); placeholder part numbers, models
 *    and CLEI codes are dropped;
 *  - items with the same serialized serial are one item, which keeps the
 *    kind, name, parent and source of the higher-ranked one (member >
 *    chassis > component, the earlier on a tie) and every field either
 *    has; members are also one item by name ("member 0" from
 *    get-software-information and from get-virtual-chassis-information);
 *  - members hang under the device chassis while it is a separate item,
 *    else under nothing; items are ordered chassis, members, components.
 * Merging runs over f's existing items too: the collector may call this
 * for software, chassis and VC replies in any order on one dev_facts.
 *
 * Pure: no sockets, no database, no logging, no global state kept between
 * calls.  libxml2's thread-local error handlers are replaced for the
 * duration of one call and restored before it returns, so worker threads
 * may parse at once; the program must have called xmlInitParser() once,
 * from its main thread, before they start (libxml2 2.9 initialises itself
 * lazily, without a lock).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "facts.h"
#include "parse.h"
#include "parse_int.h"
#include "xmlparse.h"

#define XML_TEXT_MAX	512	/* bytes of one element's text looked at */
#define XML_DEPTH_MAX	32	/* module nesting; Junos nests 4 deep */
#define XML_ITEMS_MAX	16384	/* items one reply may add; an MX2020
				   with every optic is ~2000 */
#define XML_RE_MAX	64	/* bytes of a re-name kept */
#define RAW_LEN		128	/* a serial as the device sent it */

#if LIBXML_VERSION >= 21200
typedef const xmlError	*xerr_t;
#else
typedef xmlErrorPtr	 xerr_t;
#endif

/* libxml2 errors of one parse; the first error is the one reported. */
struct xstate {
	int		 refused;		/* DOCTYPE or entity declaration */
	int		 have_err;
	int		 line;
	char		 msg[160];
};

struct rdata {				/* one data element of the reply */
	xmlNodePtr	 el;
	char		 re[XML_RE_MAX];	/* its re-name, "" outside items */
};

struct xctx {
	enum xml_rpc	 rpc;
	struct dev_facts nf;			/* f's identity fields, updated */
	struct cand	*c;
	size_t		 nc, capc;
	size_t		 nold;			/* candidates copied from f */
	int		 toomany, toodeep;	/* why a build step failed */
	struct rdata	*d;
	size_t		 nd, capd;
	int		 nerr;			/* <rpc-error>s and <xnm:error>s */
	char		 errmsg[256];		/* the first one */
	char		 banner[XML_RE_MAX];	/* {master:X}/{primary:X}: X */
};

/*
 * Small helpers on text.
 */

static void xsnprintf(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* snprintf() for text that may be cut at the field's size: refs, messages. */
static void
xsnprintf(char *dst, size_t len, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

static void
upcase(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* A placeholder in a field: what parse_serial() does not call a serial. */
static int
placeholder(const char *s)
{
	char	 buf[RAW_LEN];

	return (parse_serial(s, buf, sizeof(buf)) == 0);
}

/* Copy an attribute (part number, CLEI) unless it is a placeholder. */
static void
attr_copy(char *dst, size_t dstlen, const char *src)
{
	fact_strlcpy(dst, placeholder(src) ? "" : src, dstlen);
}

/* An orderable model number: as sent, upper-cased; "" for a placeholder. */
static void
model_copy(char *dst, size_t dstlen, const char *src)
{
	attr_copy(dst, dstlen, src);
	upcase(dst);
}

/* Copy the n bytes at p into dst if they are a release; 1 if copied. */
static int
release_copy(const char *p, size_t n, char *dst, size_t dstlen)
{
	char	 tok[ITEM_VER_LEN];

	if (n == 0 || n >= sizeof(tok))
		return (0);
	memcpy(tok, p, n);
	tok[n] = '\0';
	if (!parse_release_ok(tok))
		return (0);
	fact_strlcpy(dst, tok, dstlen);
	return (1);
}

/*
 * The member item a multi-routing-engine-item or a CLI banner names, as
 * parse.c names it: "member0", "member0-re1", "fpc0" (EX "show version
 * all-members") -> "member 0"; "node0" -> "node0"; "lcc2-re0" -> "lcc2";
 * "sfc0" -> "sfc0".  Returns 1 and the name, else 0 ("re0", "bsys-re0",
 * "gnf1-re0", "server0", "scc-re0": routing engines and servers of one
 * chassis, not chassis of their own).
 */
static int
re_member(const char *re, char *name, size_t len)
{
	static const char *const pfx[] = { "member", "fpc", "node", "lcc", "sfc" };
	const char	*p;
	char		*end;
	unsigned long	 n;
	size_t		 i, plen;

	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		plen = strlen(pfx[i]);
		if (strncmp(re, pfx[i], plen) != 0)
			continue;
		p = re + plen;
		if (!isdigit((unsigned char)*p) || strspn(p, "0123456789") > 3)
			return (0);
		n = strtoul(p, &end, 10);
		if (*end != '\0' && !(strncmp(end, "-re", 3) == 0 &&
		    isdigit((unsigned char)end[3]) &&
		    end[3 + strspn(end + 3, "0123456789")] == '\0'))
			return (0);
		if (i <= 1)
			xsnprintf(name, len, "member %lu", n);
		else
			xsnprintf(name, len, "%s%lu", pfx[i], n);
		return (1);
	}
	return (0);
}

/*
 * Helpers on the tree.  Element names are matched on their local name:
 * Junos replies put the same element in a default namespace, a junos:
 * prefixed one or none, depending on release and transport.
 */

static int
el_is(xmlNodePtr n, const char *name)
{
	return (n != NULL && n->type == XML_ELEMENT_NODE && n->name != NULL &&
	    strcmp((const char *)n->name, name) == 0);
}

static xmlNodePtr
el_child(xmlNodePtr n, const char *name)
{
	xmlNodePtr	 c;

	for (c = n ? n->children : NULL; c != NULL; c = c->next)
		if (el_is(c, name))
			return (c);
	return (NULL);
}

/*
 * The text directly inside n (text and CDATA children, at most
 * XML_TEXT_MAX bytes of it), sanitised as device text: control bytes
 * become spaces, outer blanks go.  "" for NULL.
 */
static void
el_text(xmlNodePtr n, char *dst, size_t dstlen)
{
	char		 buf[XML_TEXT_MAX];
	size_t		 len = 0, k;
	xmlNodePtr	 c;

	for (c = n ? n->children : NULL; c != NULL; c = c->next) {
		if ((c->type != XML_TEXT_NODE &&
		    c->type != XML_CDATA_SECTION_NODE) || c->content == NULL)
			continue;
		k = strlen((const char *)c->content);
		if (k > sizeof(buf) - len)
			k = sizeof(buf) - len;
		memcpy(buf + len, c->content, k);
		len += k;
	}
	fact_sanitize(dst, buf, len, dstlen);
}

static void
child_text(xmlNodePtr n, const char *name, char *dst, size_t dstlen)
{
	el_text(el_child(n, name), dst, dstlen);
}

/* Runs of blanks in a message become one space. */
static void
squeeze(char *s)
{
	char	*o = s, *start = s;

	for (; *s; s++)
		if (*s != ' ' || (o > start && o[-1] != ' '))
			*o++ = *s;
	*o = '\0';
}

/*
 * Candidates.
 */

static int
cand_new(struct xctx *x, enum item_kind kind, int parent, int isnew)
{
	struct cand	*c;
	size_t		 ncap;

	if (isnew && x->nc - x->nold >= XML_ITEMS_MAX) {
		x->toomany = 1;
		return (-1);
	}
	if (x->nc == x->capc) {
		ncap = x->capc ? x->capc * 2 : 64;
		if ((c = reallocarray(x->c, ncap, sizeof(*c))) == NULL)
			return (-1);
		x->c = c;
		x->capc = ncap;
	}
	c = &x->c[x->nc];
	memset(c, 0, sizeof(*c));
	c->it.kind = kind;
	c->it.parent = -1;
	fact_strlcpy(c->it.source, "netconf", sizeof(c->it.source));
	c->parent = parent;
	c->alias = -1;
	c->out = -1;
	c->order = x->nc;
	return ((int)x->nc++);
}

/* The device chassis: the first alive ITEM_CHASSIS, else -1. */
static int
cand_chassis(const struct xctx *x)
{
	size_t	 i;

	for (i = 0; i < x->nc; i++)
		if (x->c[i].alias < 0 && x->c[i].it.kind == ITEM_CHASSIS)
			return ((int)i);
	return (-1);
}

static void
item_ref(struct item *it, enum xml_rpc rpc, const char *path)
{
	xsnprintf(it->source_ref, sizeof(it->source_ref), "%s:%s",
	    xml_rpc_name(rpc), path);
}

/* Two items that both have a serial, and not the same one? */
static int
serial_conflict(const struct item *a, const struct item *b)
{
	return (a->serialized && b->serialized && strcmp(a->serial, b->serial) != 0);
}

struct sref {
	const char	*serial;
	int		 idx;
};

static int
sref_cmp(const void *pa, const void *pb)
{
	const struct sref	*a = pa, *b = pb;
	int			 r;

	if ((r = strcmp(a->serial, b->serial)) != 0)
		return (r);
	return (a->idx < b->idx ? -1 : a->idx > b->idx);
}

/*
 * One serial, one item; one member name, one member (unless their
 * serials differ).  A merge can give an item a serial (a member from
 * get-software-information meets its VC row) that a third item carries,
 * so both rules run until nothing changes.  Serials are matched through
 * a sort: a reply may hold XML_ITEMS_MAX items.
 */
static int
merge_all(struct xctx *x)
{
	struct sref	*s;
	size_t		 i, j, n, run;
	int		 changed;

	if (x->nc == 0)
		return (0);
	if ((s = calloc(x->nc, sizeof(*s))) == NULL)
		return (-1);
	do {
		changed = 0;
		for (i = 0; i < x->nc; i++) {
			struct item	*a = &x->c[i].it;

			if (x->c[i].alias >= 0 || a->kind != ITEM_MEMBER)
				continue;
			for (j = 0; j < i; j++) {
				struct item	*b = &x->c[j].it;

				if (x->c[j].alias < 0 && b->kind == ITEM_MEMBER &&
				    strcmp(a->name, b->name) == 0 &&
				    !serial_conflict(a, b)) {
					parse_cand_merge(x->c, (int)j, (int)i);
					changed = 1;
					break;
				}
			}
		}
		for (i = n = 0; i < x->nc; i++)
			if (x->c[i].alias < 0 && x->c[i].it.serialized) {
				s[n].serial = x->c[i].it.serial;
				s[n++].idx = (int)i;
			}
		if (n > 1)
			qsort(s, n, sizeof(*s), sref_cmp);
		for (i = 0; i < n; i = run) {
			for (run = i + 1; run < n &&
			    strcmp(s[run].serial, s[i].serial) == 0; run++) {
				parse_cand_merge(x->c, s[i].idx, s[run].idx);
				changed = 1;
			}
		}
	} while (changed);
	free(s);
	return (0);
}

/*
 * Merge the new candidates into earlier ones, fix parents, order and
 * write everything into f, replacing its items.  f is unchanged on -1
 * (out of memory).
 */
static int
commit(struct xctx *x, struct dev_facts *f)
{
	struct item	*tmp = NULL;
	struct cand_ord	*ord = NULL;
	size_t		 i, nout = 0, nsave = f->nitems;
	int		 p, ch, rc = -1;

	if (merge_all(x) == -1)
		return (-1);

	/*
	 * Parents after merging: a chassis has none; a member hangs only
	 * under the device chassis (every member does while it is a
	 * separate item: the VC reply may come before the chassis one);
	 * nothing is its own ancestor.
	 */
	ch = cand_chassis(x);
	for (i = 0; i < x->nc; i++) {
		if (x->c[i].alias >= 0)
			continue;
		p = parse_cand_resolve(x->c, x->c[i].parent);
		if (p == (int)i || x->c[i].it.kind == ITEM_CHASSIS)
			p = -1;
		if (x->c[i].it.kind == ITEM_MEMBER)
			p = (p >= 0 && x->c[p].it.kind == ITEM_CHASSIS) ? p : ch;
		x->c[i].parent = p;
	}
	parse_cand_untangle(x->c, x->nc);

	/* Chassis, members, components; each in creation order. */
	if (x->nc > 0 && ((tmp = calloc(x->nc, sizeof(*tmp))) == NULL ||
	    (ord = calloc(x->nc, sizeof(*ord))) == NULL))
		goto done;
	nout = parse_cand_sort(x->c, x->nc, ord);
	for (i = 0; i < nout; i++)
		x->c[ord[i].idx].out = (int)i;
	for (i = 0; i < nout; i++) {
		const struct cand	*c = &x->c[ord[i].idx];

		tmp[i] = c->it;
		tmp[i].parent = c->parent >= 0 ? x->c[c->parent].out : -1;
	}

	/* Grow f to nout items; it never shrinks (merges keep f's items). */
	while (f->nitems < nout)
		if (facts_add_item(f, ITEM_COMPONENT) == NULL) {
			f->nitems = nsave;
			goto done;
		}
	if (nout > 0)
		memcpy(f->items, tmp, nout * sizeof(*tmp));
	f->nitems = nout;
	rc = 0;
done:
	free(ord);
	free(tmp);
	return (rc);
}

/*
 * The reply: where its data and its errors are.
 */

static int
data_add(struct xctx *x, xmlNodePtr el, const char *re)
{
	struct rdata	*d;
	size_t		 ncap;

	if (x->nd >= XML_ITEMS_MAX) {
		x->toomany = 1;
		return (-1);
	}
	if (x->nd == x->capd) {
		ncap = x->capd ? x->capd * 2 : 8;
		if ((d = reallocarray(x->d, ncap, sizeof(*d))) == NULL)
			return (-1);
		x->d = d;
		x->capd = ncap;
	}
	x->d[x->nd].el = el;
	fact_strlcpy(x->d[x->nd].re, re, sizeof(x->d[x->nd].re));
	x->nd++;
	return (0);
}

/*
 * An <rpc-error> (NETCONF), <xnm:error> (Junos) or bare <error>: count it
 * and keep the first message.  Warnings (<xnm:warning>, error-severity
 * "warning") are not errors: Junos sends them beside complete data.
 */
static void
error_take(struct xctx *x, xmlNodePtr n, const char *re)
{
	char	 sev[32], msg[200], what[64], both[200];

	if (el_is(n, "rpc-error")) {
		child_text(n, "error-severity", sev, sizeof(sev));
		if (strcasecmp(sev, "warning") == 0)
			return;
		child_text(n, "error-message", msg, sizeof(msg));
		if (msg[0] == '\0')
			child_text(n, "error-tag", msg, sizeof(msg));
		child_text(el_child(n, "error-info"), "bad-element", what,
		    sizeof(what));
		if (what[0] != '\0') {
			xsnprintf(both, sizeof(both), "%s: %s", msg, what);
			fact_strlcpy(msg, both, sizeof(msg));
		}
	} else if (el_is(n, "error")) {
		child_text(n, "message", msg, sizeof(msg));
		if (msg[0] == '\0')
			el_text(n, msg, sizeof(msg));
	} else
		return;
	if (msg[0] == '\0')
		fact_strlcpy(msg, "error without a message", sizeof(msg));
	squeeze(msg);
	if (x->nerr++ == 0) {
		if (re[0] != '\0')
			xsnprintf(x->errmsg, sizeof(x->errmsg), "%s: %s", re, msg);
		else
			fact_strlcpy(x->errmsg, msg, sizeof(x->errmsg));
	}
}

/* "{master:0}", "{primary:node0}", "{master:member0-re0}" -> the target. */
static void
banner_take(struct xctx *x, xmlNodePtr cli)
{
	char		 b[XML_RE_MAX], *colon, *end;

	child_text(cli, "banner", b, sizeof(b));
	if (b[0] != '{' || (colon = strchr(b, ':')) == NULL ||
	    (end = strchr(colon, '}')) == NULL)
		return;
	*colon = *end = '\0';
	if (strcmp(b + 1, "master") != 0 && strcmp(b + 1, "primary") != 0)
		return;
	fact_strlcpy(x->banner, colon + 1, sizeof(x->banner));
}

/*
 * Find the data elements named want and the errors: the root itself, the
 * children of an <rpc-reply> root, and the children of every
 * <multi-routing-engine-item> of a <multi-routing-engine-results> found
 * there (each with its re-name).
 */
static int
reply_scan(struct xctx *x, xmlNodePtr root, const char *want)
{
	xmlNodePtr	 top, item, c;
	char		 re[XML_RE_MAX];
	int		 rpcreply = el_is(root, "rpc-reply");

	for (top = rpcreply ? root->children : root; top != NULL;
	    top = rpcreply ? top->next : NULL) {
		if (top->type != XML_ELEMENT_NODE)
			continue;
		if (el_is(top, want)) {
			if (data_add(x, top, "") == -1)
				return (-1);
		} else if (el_is(top, "cli"))
			banner_take(x, top);
		else if (el_is(top, "multi-routing-engine-results")) {
			for (item = top->children; item; item = item->next) {
				error_take(x, item, "");
				if (!el_is(item, "multi-routing-engine-item"))
					continue;
				child_text(item, "re-name", re, sizeof(re));
				for (c = item->children; c != NULL; c = c->next) {
					error_take(x, c, re);
					if (el_is(c, want) &&
					    data_add(x, c, re) == -1)
						return (-1);
				}
			}
		} else
			error_take(x, top, "");
	}
	return (0);
}

/*
 * get-software-information
 */

/*
 * The Junos release of one <software-information> and the element it came
 * from.  Kept as the device wrote it: <junos-version> (15.1 on), else the
 * bracket of the "junos" or "jbase" package ("JUNOS Software Release
 * [12.1X46-D15.3]", "JUNOS Base OS boot [12.3R6.6]"), else the
 * "junos-version" package ("Junos: 14.2R4"), the "JUNOS version" package
 * of a node-slicing JDM ("JUNOS version : 17.4-..."), the MGD
 * version-information release of an NFX JDM ("15.1X53-D45.3.secure
 * [dc-builder]": its first word).  Other packages ("AI-Scripts
 * [6.0R2-THIN.0]", "JUNOS OS Kernel [20180515...]") never count.
 */
static void
sw_version(xmlNodePtr si, char *ver, size_t vlen, char *ref, size_t rlen)
{
	static const char *const pkgs[] = {
		"junos", "jbase", "junos-version", "JUNOS version"
	};
	xmlNodePtr	 c;
	char		 name[64], comment[XML_TEXT_MAX], *p, *q;
	size_t		 i;

	ver[0] = ref[0] = '\0';
	child_text(si, "junos-version", ver, vlen);
	if (ver[0] != '\0') {
		fact_strlcpy(ref, "junos-version", rlen);
		return;
	}
	for (i = 0; i < sizeof(pkgs) / sizeof(pkgs[0]); i++) {
		for (c = si->children; c != NULL; c = c->next) {
			if (!el_is(c, "package-information"))
				continue;
			child_text(c, "name", name, sizeof(name));
			if (strcmp(name, pkgs[i]) != 0)
				continue;
			child_text(c, "comment", comment, sizeof(comment));
			if (i <= 1) {
				if ((p = strchr(comment, '[')) == NULL ||
				    (q = strchr(p, ']')) == NULL ||
				    !release_copy(p + 1, (size_t)(q - p - 1), ver, vlen))
					continue;
			} else {
				/* "Junos: 14.2R4", "JUNOS version : 17.4-..." */
				p = strrchr(comment, ' ');
				p = p ? p + 1 : comment;
				if (!release_copy(p, strlen(p), ver, vlen))
					continue;
			}
			xsnprintf(ref, rlen, "package-information[%s]", pkgs[i]);
			return;
		}
	}
	for (c = si->children; c != NULL; c = c->next) {
		if (!el_is(c, "version-information"))
			continue;
		child_text(c, "component", name, sizeof(name));
		if (strcmp(name, "MGD") != 0)
			continue;
		child_text(c, "release", comment, sizeof(comment));
		if (release_copy(comment, strcspn(comment, " "), ver, vlen)) {
			fact_strlcpy(ref, "version-information[MGD]", rlen);
			return;
		}
	}
}

/* The device's speaker among the items: banner, else VC master, else 0. */
static size_t
sw_master(const struct xctx *x)
{
	char	 want[ITEM_NAME_LEN], name[ITEM_NAME_LEN];
	size_t	 i, j;

	want[0] = '\0';
	if (x->banner[0] != '\0') {
		if (strspn(x->banner, "0123456789") == strlen(x->banner) &&
		    strlen(x->banner) <= 3)
			xsnprintf(want, sizeof(want), "member %s", x->banner);
		else if (!re_member(x->banner, want, sizeof(want)))
			want[0] = '\0';
	}
	for (j = 0; want[0] == '\0' && j < x->nold; j++)
		if (x->c[j].it.kind == ITEM_MEMBER &&
		    (strcmp(x->c[j].it.role, "master") == 0 ||
		    strcmp(x->c[j].it.role, "primary") == 0))
			fact_strlcpy(want, x->c[j].it.name, sizeof(want));
	for (i = 0; want[0] != '\0' && i < x->nd; i++)
		if (re_member(x->d[i].re, name, sizeof(name)) &&
		    strcmp(name, want) == 0)
			return (i);
	return (0);
}

static void
src_ref(char *dst, size_t len, enum xml_rpc rpc, const char *re,
    const char *what)
{
	xsnprintf(dst, len, "%s:%s%s%s", xml_rpc_name(rpc), re,
	    re[0] != '\0' ? "/" : "", what);
}

static int
do_software(struct xctx *x)
{
	struct item	*it;
	xmlNodePtr	 si;
	char		 host[DEV_STR_LEN], model[ITEM_MODEL_LEN];
	char		 ver[ITEM_VER_LEN], vref[48], name[ITEM_NAME_LEN];
	size_t		 i, m, k;
	int		 got_host = 0, got_model = 0, got_ver = 0, c;

	m = sw_master(x);
	/* The master's fields first, then each other item's in order. */
	for (k = 0; k < x->nd; k++) {
		i = k == 0 ? m : (k <= m ? k - 1 : k);
		si = x->d[i].el;

		child_text(si, "host-name", host, sizeof(host));
		child_text(si, "product-model", model, sizeof(model));
		upcase(model);
		sw_version(si, ver, sizeof(ver), vref, sizeof(vref));
		if (!got_host && host[0] != '\0') {
			fact_strlcpy(x->nf.hostname, host, sizeof(x->nf.hostname));
			got_host = 1;
		}
		if (!got_model && model[0] != '\0') {
			fact_strlcpy(x->nf.model, model, sizeof(x->nf.model));
			src_ref(x->nf.model_source, sizeof(x->nf.model_source),
			    x->rpc, x->d[i].re, "product-model");
			got_model = 1;
		}
		if (!got_ver && ver[0] != '\0') {
			fact_strlcpy(x->nf.version, ver, sizeof(x->nf.version));
			src_ref(x->nf.version_source,
			    sizeof(x->nf.version_source), x->rpc, x->d[i].re,
			    vref);
			got_ver = 1;
		}
	}
	if (got_ver) {
		size_t	 n = strlen(x->nf.version);

		x->nf.os = (n > 4 && strcasecmp(x->nf.version + n - 4,
		    "-EVO") == 0) ? OS_JUNOS_EVO : OS_JUNOS;
	} else if (x->nf.os == OS_UNKNOWN)
		x->nf.os = OS_JUNOS;

	/* Each VC member's or cluster node's own release, on its item. */
	for (i = 0; i < x->nd; i++) {
		if (!re_member(x->d[i].re, name, sizeof(name)))
			continue;
		if ((c = cand_new(x, ITEM_MEMBER, cand_chassis(x), 1)) == -1)
			return (-1);
		it = &x->c[c].it;
		fact_strlcpy(it->name, name, sizeof(it->name));
		child_text(x->d[i].el, "product-model", model, sizeof(model));
		if (parse_model(model, it->model, sizeof(it->model)) == 0)
			it->model[0] = '\0';
		sw_version(x->d[i].el, it->version, sizeof(it->version), vref,
		    sizeof(vref));
		item_ref(it, x->rpc, x->d[i].re);
	}
	return (0);
}

/*
 * get-chassis-inventory
 */

/* A module element: chassis-module, chassis-sub-module, chassis-sub-sub-... */
static int
is_module(xmlNodePtr n)
{
	const char	*s;

	if (n->type != XML_ELEMENT_NODE || n->name == NULL)
		return (0);
	s = (const char *)n->name;
	if (strncmp(s, "chassis-", 8) != 0)
		return (0);
	for (s += 8; strncmp(s, "sub-", 4) == 0; s += 4)
		;
	return (strcmp(s, "module") == 0);
}

/* The fields of a <chassis> or module element into an item. */
static void
hw_fields(xmlNodePtr n, struct item *it)
{
	char	 raw[RAW_LEN], buf[XML_TEXT_MAX];

	child_text(n, "name", it->name, sizeof(it->name));
	child_text(n, "serial-number", raw, sizeof(raw));
	it->serialized = parse_serial(raw, it->serial, sizeof(it->serial));
	child_text(n, "description", it->description, sizeof(it->description));
	child_text(n, "version", buf, sizeof(buf));
	attr_copy(it->revision, sizeof(it->revision), buf);
	child_text(n, "part-number", buf, sizeof(buf));
	attr_copy(it->part_number, sizeof(it->part_number), buf);
	child_text(n, "clei-code", buf, sizeof(buf));
	attr_copy(it->clei, sizeof(it->clei), buf);
	child_text(n, "model-number", buf, sizeof(buf));
	model_copy(it->model, sizeof(it->model), buf);
}

/* path/name (or just name) into out, truncating. */
static void
path_join(char *out, size_t len, const char *path, const char *name)
{
	xsnprintf(out, len, "%s%s%s", path, path[0] != '\0' ? "/" : "", name);
}

/*
 * Every module below n becomes a component whose parent is the item of
 * the enclosing element (parent).  path names n for source_ref.
 */
static int
hw_modules(struct xctx *x, xmlNodePtr n, int parent, const char *path,
    int depth)
{
	struct item	*it;
	xmlNodePtr	 c;
	char		 sub[ITEM_REF_LEN];
	int		 k;

	for (c = n->children; c != NULL; c = c->next) {
		if (!is_module(c))
			continue;
		if (depth >= XML_DEPTH_MAX) {
			x->toodeep = 1;
			return (-1);
		}
		if ((k = cand_new(x, ITEM_COMPONENT, parent, 1)) == -1)
			return (-1);
		it = &x->c[k].it;
		hw_fields(c, it);
		if (it->name[0] == '\0')
			fact_strlcpy(it->name, it->description[0] != '\0' ?
			    it->description : (const char *)c->name,
			    sizeof(it->name));
		path_join(sub, sizeof(sub), path, it->name);
		item_ref(it, x->rpc, sub);
		if (hw_modules(x, c, k, sub, depth + 1) == -1)
			return (-1);
	}
	return (0);
}

/*
 * One <chassis> as an item of the given kind and name (NULL: its own
 * <name>, else "Chassis"), with its modules below it.  Returns the
 * candidate, -1 on error.
 */
static int
hw_chassis(struct xctx *x, xmlNodePtr ch, enum item_kind kind,
    const char *name, const char *re, int parent)
{
	struct item	*it;
	char		 path[ITEM_REF_LEN];
	int		 k;

	if ((k = cand_new(x, kind, parent, 1)) == -1)
		return (-1);
	it = &x->c[k].it;
	hw_fields(ch, it);
	if (it->name[0] == '\0')
		fact_strlcpy(it->name, "Chassis", sizeof(it->name));
	if (it->model[0] == '\0' && !parse_model(it->description, it->model,
	    sizeof(it->model)))
		fact_strlcpy(it->model, x->nf.model, sizeof(it->model));
	path_join(path, sizeof(path), re, it->name);
	item_ref(it, x->rpc, path);
	if (name != NULL)
		fact_strlcpy(it->name, name, sizeof(it->name));
	/* Module paths leave out "Chassis": "FPC 0/PIC 1", "node1/FPC 0". */
	if (hw_modules(x, ch, k, re, 0) == -1)
		return (-1);
	return (k);
}

/* The device serial and, when none is known yet, model from a chassis item. */
static void
hw_identity(struct xctx *x, const struct item *it)
{
	if (it->serialized || x->nf.serial[0] == '\0')
		fact_strlcpy(x->nf.serial, it->serial, sizeof(x->nf.serial));
	if (x->nf.model[0] == '\0' && it->model[0] != '\0') {
		fact_strlcpy(x->nf.model, it->model, sizeof(x->nf.model));
		xsnprintf(x->nf.model_source, sizeof(x->nf.model_source), "%s",
		    it->source_ref);
	}
}

static int
do_chassis(struct xctx *x)
{
	struct item	 dev;
	xmlNodePtr	 ch;
	char		 name[ITEM_NAME_LEN];
	size_t		 i, nmulti = 0, pick = 0, one = 0;
	int		 k, first = -1, ck, *node = NULL, rc = -1, pickset = 0;

	if (x->nf.os == OS_UNKNOWN)
		x->nf.os = OS_JUNOS;
	for (i = 0; i < x->nd; i++)
		if (el_child(x->d[i].el, "chassis") != NULL && nmulti++ == 0)
			one = i;
	/*
	 * One inventory not naming a member/node (a plain reply, or one
	 * multi-routing-engine-item "re0"): its first <chassis> is the
	 * device chassis, any further one a member named by itself.
	 */
	if (nmulti == 0 || (nmulti == 1 &&
	    !re_member(x->d[one].re, name, sizeof(name)))) {
		for (i = 0; i < x->nd; i++)
			for (ch = x->d[i].el->children; ch; ch = ch->next) {
				if (!el_is(ch, "chassis"))
					continue;
				k = hw_chassis(x, ch, first == -1 ?
				    ITEM_CHASSIS : ITEM_MEMBER, NULL,
				    x->d[i].re, first);
				if (k == -1)
					return (-1);
				if (first == -1) {
					first = k;
					hw_identity(x, &x->c[k].it);
				}
			}
		return (0);
	}

	/*
	 * Cluster nodes, MX-VC members, LCCs: each item's chassis is a
	 * member named after its re-name, under a device chassis that
	 * carries node0's serial, else the first item's (a serialized one
	 * before a placeholder).  That device chassis merges into the
	 * member with its serial, as jnxBoxSerialNo does in parse.c.
	 */
	if ((node = calloc(x->nd, sizeof(*node))) == NULL)
		return (-1);
	for (i = 0; i < x->nd; i++) {
		node[i] = -1;
		if ((ch = el_child(x->d[i].el, "chassis")) == NULL)
			continue;
		/* Members are one by name: an unnamed item gets its place. */
		if (!re_member(x->d[i].re, name, sizeof(name))) {
			if (x->d[i].re[0] != '\0')
				fact_strlcpy(name, x->d[i].re, sizeof(name));
			else
				xsnprintf(name, sizeof(name), "chassis %zu", i);
		}
		if ((node[i] = hw_chassis(x, ch, ITEM_MEMBER, name,
		    x->d[i].re, -1)) == -1)
			goto done;
	}
	for (i = 0; i < x->nd; i++)
		if (node[i] >= 0 && strcmp(x->c[node[i]].it.name, "node0") == 0) {
			pick = i;
			pickset = 1;
			break;
		}
	for (i = 0; !pickset && i < x->nd; i++)
		if (node[i] >= 0) {
			pick = i;
			pickset = 1;
		}
	if (!x->c[node[pick]].it.serialized)
		for (i = 0; i < x->nd; i++)
			if (node[i] >= 0 && x->c[node[i]].it.serialized) {
				pick = i;
				break;
			}
	dev = x->c[node[pick]].it;
	if ((ck = cand_new(x, ITEM_CHASSIS, -1, 1)) == -1)
		goto done;
	x->c[ck].it = dev;
	x->c[ck].it.kind = ITEM_CHASSIS;
	x->c[ck].it.role[0] = '\0';
	fact_strlcpy(x->c[ck].it.name, "Chassis", sizeof(x->c[ck].it.name));
	for (i = 0; i < x->nd; i++)
		if (node[i] >= 0)
			x->c[node[i]].parent = ck;
	hw_identity(x, &x->c[ck].it);
	rc = 0;
done:
	free(node);
	return (rc);
}

/*
 * get-virtual-chassis-information
 */

static int
do_vc(struct xctx *x)
{
	struct item	*it;
	xmlNodePtr	 list, m;
	char		 buf[XML_TEXT_MAX], raw[RAW_LEN], *end;
	unsigned long	 id;
	size_t		 i;
	int		 k, master = -1, firstm = -1;

	if (x->nf.os == OS_UNKNOWN)
		x->nf.os = OS_JUNOS;
	for (i = 0; i < x->nd; i++) {
		if ((list = el_child(x->d[i].el, "member-list")) == NULL)
			continue;
		for (m = list->children; m != NULL; m = m->next) {
			if (!el_is(m, "member"))
				continue;
			/*
			 * A preprovisioned member that is not there was
			 * configured, not seen: it is no item (its serial
			 * must not look present to a renewal audit).
			 */
			child_text(m, "member-status", buf, sizeof(buf));
			if (strcasecmp(buf, "NotPrsnt") == 0)
				continue;
			child_text(m, "member-id", buf, sizeof(buf));
			if (!isdigit((unsigned char)buf[0]) ||
			    strspn(buf, "0123456789") > 3)
				continue;
			id = strtoul(buf, &end, 10);
			if (*end != '\0')
				continue;
			if ((k = cand_new(x, ITEM_MEMBER, cand_chassis(x), 1)) == -1)
				return (-1);
			it = &x->c[k].it;
			xsnprintf(it->name, sizeof(it->name), "member %lu", id);
			child_text(m, "member-serial-number", raw, sizeof(raw));
			it->serialized = parse_serial(raw, it->serial,
			    sizeof(it->serial));
			child_text(m, "member-model", buf, sizeof(buf));
			model_copy(it->model, sizeof(it->model), buf);
			child_text(m, "member-role", buf, sizeof(buf));
			buf[strcspn(buf, "*")] = '\0';
			fact_strlcpy(it->role, strcasecmp(buf, "master") == 0 ?
			    "master" : strcasecmp(buf, "backup") == 0 ? "backup" :
			    strcasecmp(buf, "linecard") == 0 ? "linecard" : "",
			    sizeof(it->role));
			item_ref(it, x->rpc, it->name);
			if (master == -1 && strcmp(it->role, "master") == 0)
				master = k;
			if (firstm == -1)
				firstm = k;
		}
	}
	/* Serial and model of the device if nothing better said them. */
	if (master == -1)
		master = firstm;
	if (master >= 0) {
		it = &x->c[master].it;
		if (x->nf.serial[0] == '\0')
			fact_strlcpy(x->nf.serial, it->serial,
			    sizeof(x->nf.serial));
		if (x->nf.model[0] == '\0' && it->model[0] != '\0') {
			fact_strlcpy(x->nf.model, it->model, sizeof(x->nf.model));
			xsnprintf(x->nf.model_source, sizeof(x->nf.model_source),
			    "%s/member-model", it->source_ref);
		}
	}
	return (0);
}

/*
 * libxml2 set-up.
 */

static void
xerr_record(struct xstate *s, xerr_t e)
{
	size_t	 n;

	if (s == NULL || e == NULL || s->have_err || e->level < XML_ERR_ERROR)
		return;
	s->have_err = 1;
	s->line = e->line;
	fact_strlcpy(s->msg, e->message ? e->message : "unknown error",
	    sizeof(s->msg));
	n = strlen(s->msg);
	while (n > 0 && (s->msg[n - 1] == '\n' || s->msg[n - 1] == ' '))
		s->msg[--n] = '\0';
}

/* Per-parser structured handler: userData is the parser context. */
static void
sax_serror(void *ud, xerr_t e)
{
	xmlParserCtxtPtr	 ctxt = ud;

	xerr_record(ctxt ? ctxt->_private : NULL, e);
}

/* Thread-wide handlers while we parse: errors outside the parser. */
static void
global_serror(void *ud, xerr_t e)
{
	xerr_record(ud, e);
}

static void
global_generic(void *ud, const char *fmt, ...)
{
	(void)ud;
	(void)fmt;
}

/* A DOCTYPE or an entity declaration: stop (billion laughs, XXE). */
static void
sax_doctype(void *ud, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	xmlParserCtxtPtr	 ctxt = ud;
	struct xstate		*s = ctxt->_private;

	(void)name;
	(void)eid;
	(void)sid;
	s->refused = 1;
	xmlStopParser(ctxt);
}

static void
sax_entity(void *ud, const xmlChar *name, int type, const xmlChar *pid,
    const xmlChar *sid, xmlChar *content)
{
	(void)type;
	(void)pid;
	(void)content;
	sax_doctype(ud, name, NULL, sid);
}

/*
 * Parse buf into a tree.  NULL with err filled on any error; the caller
 * frees the tree with xmlFreeDoc().
 */
static xmlDocPtr
xml_read(const char *buf, size_t len, char *err, size_t errlen)
{
	struct xstate		 s;
	xmlParserCtxtPtr	 ctxt;
	xmlDocPtr		 doc = NULL;
	xmlStructuredErrorFunc	 old_s = xmlStructuredError;
	void			*old_sc = xmlStructuredErrorContext;
	xmlGenericErrorFunc	 old_g = xmlGenericError;
	void			*old_gc = xmlGenericErrorContext;

	memset(&s, 0, sizeof(s));
	xmlSetStructuredErrorFunc(&s, global_serror);
	xmlSetGenericErrorFunc(&s, global_generic);
	if ((ctxt = xmlCreateMemoryParserCtxt(buf, (int)len)) == NULL) {
		xsnprintf(err, errlen, "XML parser: out of memory");
		goto done;
	}
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	ctxt->_private = &s;
	ctxt->sax->serror = sax_serror;
	ctxt->sax->internalSubset = sax_doctype;
	ctxt->sax->externalSubset = sax_doctype;
	ctxt->sax->entityDecl = sax_entity;
	(void)xmlParseDocument(ctxt);
	if (s.refused)
		xsnprintf(err, errlen, "DOCTYPE or entity declaration refused");
	else if (!ctxt->wellFormed || ctxt->myDoc == NULL) {
		if (s.have_err)
			xsnprintf(err, errlen, "XML parse error at line %d: %s",
			    s.line, s.msg);
		else
			xsnprintf(err, errlen, "XML parse error");
	} else {
		doc = ctxt->myDoc;
		ctxt->myDoc = NULL;
	}
	if (ctxt->myDoc != NULL)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
done:
	xmlSetStructuredErrorFunc(old_sc, old_s);
	xmlSetGenericErrorFunc(old_gc, old_g);
	return (doc);
}

/*
 * Public.
 */

const char *
xml_rpc_name(enum xml_rpc rpc)
{
	switch (rpc) {
	case XRPC_SOFTWARE:
		return ("get-software-information");
	case XRPC_CHASSIS:
		return ("get-chassis-inventory");
	case XRPC_VC:
		return ("get-virtual-chassis-information");
	}
	return ("unknown");
}

/* The element of the reply that carries each RPC's data. */
static const char *
rpc_element(enum xml_rpc rpc)
{
	switch (rpc) {
	case XRPC_SOFTWARE:
		return ("software-information");
	case XRPC_CHASSIS:
		return ("chassis-inventory");
	case XRPC_VC:
		return ("virtual-chassis-information");
	}
	return ("");
}

/*
 * Beyond xmlparse.h: a reply that carries both data and errors (a
 * multi-RE reply where one RE did not answer: "Could not connect to re0")
 * is parsed, returns 0, and leaves the first error's message in err; on a
 * clean 0, err is "".  Partial data is what PyEZ also uses, and a dead
 * backup RE must not stop a device from being inventoried.
 */
int
xmlparse_reply(enum xml_rpc rpc, const char *buf, size_t len,
    struct dev_facts *f, char *err, size_t errlen)
{
	struct xctx	 x;
	xmlDocPtr	 doc = NULL;
	xmlNodePtr	 root;
	char		 tmp[256];
	size_t		 i;
	int		 rc = -1, r = 0;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	else {
		err = tmp;
		errlen = sizeof(tmp);
	}
	memset(&x, 0, sizeof(x));
	x.rpc = rpc;
	if (rpc_element(rpc)[0] == '\0') {
		xsnprintf(err, errlen, "unknown RPC %d", (int)rpc);
		return (-1);
	}
	if (buf == NULL || len == 0) {
		xsnprintf(err, errlen, "empty reply");
		return (-1);
	}
	if (len > XML_REPLY_MAX) {
		xsnprintf(err, errlen, "reply too large: %zu bytes (limit %u)",
		    len, XML_REPLY_MAX);
		return (-1);
	}
	/*
	 * A Junos reply never has a DTD.  Refusing the markup before the
	 * parser sees it makes billion-laughs and external-entity replies
	 * cost one scan; the SAX hooks in xml_read() catch what this scan
	 * cannot see (UTF-16).
	 */
	if (memmem(buf, len, "<!DOCTYPE", 9) != NULL ||
	    memmem(buf, len, "<!ENTITY", 8) != NULL) {
		xsnprintf(err, errlen, "DOCTYPE or entity declaration refused");
		return (-1);
	}
	if ((doc = xml_read(buf, len, err, errlen)) == NULL)
		return (-1);
	if ((root = xmlDocGetRootElement(doc)) == NULL) {
		xsnprintf(err, errlen, "reply has no root element");
		goto done;
	}
	if (reply_scan(&x, root, rpc_element(rpc)) == -1)
		goto fail;
	if (x.nd == 0) {
		if (x.nerr > 0) {
			if (x.nerr > 1)
				xsnprintf(err, errlen, "%s (and %d more errors)",
				    x.errmsg, x.nerr - 1);
			else
				xsnprintf(err, errlen, "%s", x.errmsg);
			rc = 1;
		} else
			xsnprintf(err, errlen, "reply has no <%s>",
			    rpc_element(rpc));
		goto done;
	}

	/* f's items are candidates too: a reply merges into earlier ones. */
	x.nf = *f;
	for (i = 0; i < f->nitems; i++) {
		if (cand_new(&x, f->items[i].kind, f->items[i].parent, 0) == -1)
			goto fail;
		x.c[i].it = f->items[i];
	}
	x.nold = x.nc;
	switch (rpc) {
	case XRPC_SOFTWARE:
		r = do_software(&x);
		break;
	case XRPC_CHASSIS:
		r = do_chassis(&x);
		break;
	case XRPC_VC:
		r = do_vc(&x);
		break;
	}
	if (r == -1 || commit(&x, f) == -1)
		goto fail;
	fact_strlcpy(f->hostname, x.nf.hostname, sizeof(f->hostname));
	fact_strlcpy(f->model, x.nf.model, sizeof(f->model));
	fact_strlcpy(f->model_source, x.nf.model_source, sizeof(f->model_source));
	fact_strlcpy(f->serial, x.nf.serial, sizeof(f->serial));
	fact_strlcpy(f->version, x.nf.version, sizeof(f->version));
	fact_strlcpy(f->version_source, x.nf.version_source,
	    sizeof(f->version_source));
	f->os = x.nf.os;
	if (x.nerr > 0)
		xsnprintf(err, errlen, "%s", x.errmsg);
	rc = 0;
	goto done;
fail:
	if (x.toodeep)
		xsnprintf(err, errlen, "modules nested deeper than %d",
		    XML_DEPTH_MAX);
	else if (x.toomany)
		xsnprintf(err, errlen, "more than %d items in one reply",
		    XML_ITEMS_MAX);
	else
		xsnprintf(err, errlen, "out of memory");
done:
	free(x.c);
	free(x.d);
	xmlFreeDoc(doc);
	return (rc);
}
