/*
 * parse.c: turn the varbinds of one SNMP poll of a Juniper device into
 * struct dev_facts.  This file owns the identity rules (OS, model, Junos
 * version, chassis serial and where each came from) and the item rules
 * (which rows become items, serial normalisation, merging rows that carry
 * the same serial, parents).  The rules are stated in parse.h; the
 * reasons for the less obvious ones are next to the code below.
 * Pure functions: no I/O, no logging, no global state.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facts.h"
#include "jnxproducts.h"
#include "parse.h"
#include "parse_int.h"
#include "vb.h"

#define RAW_LEN		128	/* a serial as the device sent it */
#define JNX_PRODUCTS	"1.3.6.1.4.1.2636.1.1.1"	/* jnxClassGeneral */

/* jnxVirtualChassisMemberRole (JUNIPER-VIRTUALCHASSIS-MIB) */
#define VC_ROLE_MASTER	1
#define VC_ROLE_BACKUP	2
#define VC_ROLE_LINECARD 3

/* entPhysicalClass (ENTITY-MIB PhysicalClass) */
#define EP_CLASS_CHASSIS	3
#define EP_MAX_DEPTH		32	/* containedIn steps followed */

enum {
	O_SYSDESCR, O_SYSOBJECTID, O_SYSUPTIME, O_SYSNAME, O_SYSLOCATION,
	O_BOXDESCR, O_BOXSERIAL, O_CONTENTS, O_VCMEMBER, O_HRSWNAME,
	O_ENTPHYS, O_NOIDS
};

static const char *const oid_text[O_NOIDS] = {
	OID_SYSDESCR, OID_SYSOBJECTID, OID_SYSUPTIME, OID_SYSNAME,
	OID_SYSLOCATION, OID_JNXBOXDESCR, OID_JNXBOXSERIALNO,
	OID_JNXCONTENTSENTRY, OID_JNXVCMEMBERENTRY, OID_HRSWINSTALLEDNAME,
	OID_ENTPHYSICALENTRY
};

struct oidtab {
	uint32_t	 oid[O_NOIDS][VB_MAX_OID];
	size_t		 len[O_NOIDS];
};

struct jc_row {				/* one jnxContentsEntry */
	uint32_t	 idx[4];		/* container, L1, L2, L3 */
	long		 chassis_id;		/* JnxChassisId; 0: not sent */
	char		 descr[ITEM_DESCR_LEN];
	char		 serial[RAW_LEN];
	char		 rev[ITEM_REV_LEN];
	char		 part[ITEM_PART_LEN];
	char		 clei[ITEM_CLEI_LEN];
	char		 model[ITEM_MODEL_LEN];
	int		 cand;			/* candidate made from it, -1 */
	int		 comp;			/* 1: it made a component */
};

struct vc_row {				/* one jnxVirtualChassisMemberEntry */
	uint32_t	 id;
	long		 role;			/* 0: not sent */
	char		 serial[RAW_LEN];
	char		 version[ITEM_VER_LEN];
	char		 model[ITEM_MODEL_LEN];
	int		 cand;
};

struct ep_row {				/* one entPhysicalEntry */
	uint32_t	 idx;
	long		 contained_in;
	long		 class;			/* 0: not sent (or Evolved's 0) */
	char		 descr[ITEM_DESCR_LEN];
	char		 name[ITEM_NAME_LEN];
	char		 hwrev[ITEM_REV_LEN];
	char		 swrev[ITEM_VER_LEN];
	char		 serial[RAW_LEN];
	char		 model[ITEM_MODEL_LEN];
	int		 cand;
	int		 comp;
};

struct pctx {
	struct jc_row	*jc;
	size_t		 njc, capjc, jchint;
	struct vc_row	*vc;
	size_t		 nvc, capvc, vchint;
	struct ep_row	*ep;
	size_t		 nep, capep, ephint;
	struct cand	*c;
	size_t		 nc, capc;
	int		 have_descr, have_objid;
	int		 have_box;		/* jnxBoxDescr or SerialNo sent */
	char		 box_descr[ITEM_DESCR_LEN];
	char		 box_serial[RAW_LEN];
	int		 have_box_serial;
	int		 hr_ok;			/* hr_version holds a version */
	uint32_t	 hr_idx;
	char		 hr_version[ITEM_VER_LEN];
	int		 chassis_jc;		/* jnxContents chassis row, -1 */
	int		 first_c1;		/* first container-1 row, -1 */
	int		 chassis_ep;		/* entPhysical chassis row, -1 */
	int		 serialized;		/* the device serial is one */
	char		 serial_ref[ITEM_REF_LEN];
};

/*
 * Helpers on text.
 */

static int
is_verch(int c)
{
	return (isalnum(c) || c == '.' || c == '-' || c == '_');
}

static void
upcase(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

static int
ends_with_evo(const char *s)
{
	size_t	 n = strlen(s);

	return (n > 4 && strcasecmp(s + n - 4, "-EVO") == 0);
}

/*
 * A Junos release: <major>.<minor> then a release letter or '-' and the
 * rest ("21.4R3-S5.4", "15.1X49-D120.3", "10.0S14", "8.5-20080528.0",
 * "22.2R3-S1.3-EVO").  This is what rejects package versions such as
 * "11.10.4_1.junos.i386" (a '.' after the minor).
 */
int
parse_release_ok(const char *s)
{
	const char	*p = s;

	if (!isdigit((unsigned char)*p))
		return (0);
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != '.' || !isdigit((unsigned char)*p))
		return (0);
	while (isdigit((unsigned char)*p))
		p++;
	if (!isalpha((unsigned char)*p) && *p != '-')
		return (0);
	for (; *p; p++)
		if (!is_verch((unsigned char)*p))
			return (0);
	/* A version does not end in a separator ("15.1R-" is a cut). */
	return (p[-1] != '-' && p[-1] != '.' && p[-1] != '_');
}

/* Copy the run of version characters at p into dst (truncating). */
static void
version_token(const char *p, char *dst, size_t dstlen)
{
	size_t	 n = 0;

	while (is_verch((unsigned char)p[n]))
		n++;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/*
 * Placeholders devices put where a serial (or part number) would be.
 * The word list is what Junos and other agents are seen to send; '<...>'
 * covers anonymised or templated values such as "<private>".
 */
static int
placeholder_word(const char *s)
{
	static const char *const words[] = {
		"BUILTIN", "BUILT-IN", "BUILT IN", "N/A", "NA", "NONE",
		"NULL", "NIL", "UNKNOWN", "UNAVAILABLE", "NOT AVAILABLE",
		"NOT APPLICABLE", "NOT SUPPORTED", "NO SERIAL", "DEFAULT",
		"EMPTY", "TBD", "-", "--", "?", "."
	};
	size_t	 i, n;

	if (*s == '\0')
		return (1);
	/* No word is longer: most values (serials, revisions) skip the list. */
	if ((n = strnlen(s, 15)) < 15)
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strlen(words[i]) == n &&
			    strcasecmp(s, words[i]) == 0)
				return (1);
	return (strchr(s, '<') != NULL || strchr(s, '>') != NULL);
}

static int
placeholder(const char *s)
{
	const char	*p;
	int		 zeros = 0;

	if (placeholder_word(s))
		return (1);
	/* All zeros, allowing separators: "0000000", "00-0000", "00.00". */
	for (p = s; *p; p++) {
		if (*p == '0')
			zeros = 1;
		else if (*p != '-' && *p != '.' && *p != ' ')
			break;
	}
	if (*p == '\0' && zeros)
		return (1);
	/* One character repeated: "XXXXXXXX", "FFFFFFFFFFFF", "111". */
	if (strlen(s) >= 3) {
		for (p = s + 1; *p == *s; p++)
			;
		if (*p == '\0')
			return (1);
	}
	return (0);
}

/* Copy an attribute (part number, model, CLEI) unless it is a placeholder. */
static void
attr_copy(char *dst, size_t dstlen, const char *src)
{
	char	 buf[RAW_LEN];

	fact_sanitize(buf, src, strlen(src), sizeof(buf));
	fact_strlcpy(dst, placeholder(buf) ? "" : buf, dstlen);
}

/*
 * A model word: one token of letters, digits and - + . / _ holding at
 * least one letter and one digit ("MX80", "QFX5100-48S-6Q").  Copied
 * upper-cased into out; returns 1, or 0 and out unchanged.
 */
static int
model_word(const char *s, size_t n, char *out, size_t outlen)
{
	size_t	 i;
	int	 alpha = 0, digit = 0;
	char	 buf[ITEM_MODEL_LEN];

	if (n == 0 || n >= sizeof(buf))
		return (0);
	for (i = 0; i < n; i++) {
		if (isalpha((unsigned char)s[i]))
			alpha = 1;
		else if (isdigit((unsigned char)s[i]))
			digit = 1;
		else if (strchr("-+./_", s[i]) == NULL)
			return (0);
	}
	if (!alpha || !digit)
		return (0);
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (placeholder(buf))
		return (0);
	upcase(buf);
	fact_strlcpy(out, buf, outlen);
	return (1);
}

/* Same as model_word() on a whole, already trimmed string. */
int
parse_model(const char *s, char *out, size_t outlen)
{
	return (model_word(s, strlen(s), out, outlen));
}

/*
 * jnxBoxDescr: "Juniper QFX5100-48S-6Q Switch" -> "QFX5100-48S-6Q",
 * "QFX5130-32CD" -> itself.  "Juniper Virtual Chassis Switch" and
 * "Juniper VMX Internet Backbone Router" hold no model word (VMX has no
 * digit) and give nothing: the other sources are better than a guess.
 */
static int
box_descr_model(const char *descr, char *out, size_t outlen)
{
	const char	*p = descr;
	size_t		 n;

	if (strncasecmp(p, "Juniper Networks", 16) == 0 && (p[16] == ' ' ||
	    p[16] == ','))
		p += 16;
	else if (strncasecmp(p, "Juniper ", 8) == 0)
		p += 8;
	while (*p == ' ' || *p == ',')
		p++;
	n = strcspn(p, " ,");
	return (model_word(p, n, out, outlen));
}

/*
 * Item names from Junos descriptions "<what>[: <type>] @ <where>", where
 * <where> is "L1/L2/L3" with unused levels written as '*':
 * "FPC: MPC7E 3D 40XGE @ 1/[*]/[*]" -> "FPC 1", "PIC: 48x10G-6x40G @
 * 0/0/[*]" -> "PIC 0/0", "Power Supply 0 @ 0/0/[*]" -> "Power Supply 0"
 * (brackets added here only to keep this comment a comment).  Evolved
 * optics say "QSFP-100G-CWDM4 @ /Chassis[0]/Fpc[0]/Pic[0]/Port[3]" ->
 * "Xcvr 0/0/3".  Text without " @ " is the name as it stands.
 */
static void
name_from_descr(char *dst, size_t dstlen, const char *descr)
{
	static const char *const path[] = { "Fpc[", "Pic[", "Port[" };
	const char	*at, *loc, *colon, *q;
	char		 where[64], head[ITEM_DESCR_LEN];
	size_t		 hlen, wlen, i, o;

	if ((at = strstr(descr, " @ ")) == NULL) {
		fact_strlcpy(dst, descr, dstlen);
		return;
	}
	hlen = (size_t)(at - descr);
	if (hlen >= sizeof(head))
		hlen = sizeof(head) - 1;
	memcpy(head, descr, hlen);
	head[hlen] = '\0';
	loc = at + 3;
	while (*loc == ' ')
		loc++;

	if (*loc == '/') {
		if (strstr(loc, "Port[") == NULL) {
			fact_strlcpy(dst, head, dstlen);
			return;
		}
		o = 0;
		where[0] = '\0';
		for (i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
			if ((q = strstr(loc, path[i])) == NULL)
				continue;
			q += strlen(path[i]);
			wlen = strspn(q, "0123456789");
			if (wlen == 0 || o + wlen + 2 >= sizeof(where))
				continue;
			if (o > 0)
				where[o++] = '/';
			memcpy(where + o, q, wlen);
			o += wlen;
			where[o] = '\0';
		}
		snprintf(dst, dstlen, "Xcvr %s", where);
		return;
	}

	/* Drop the unused levels: "0/0/[*]" -> "0/0"; "1/2/3" stays. */
	wlen = strcspn(loc, " *");
	while (wlen > 0 && loc[wlen - 1] == '/')
		wlen--;
	if (wlen >= sizeof(where))
		wlen = sizeof(where) - 1;
	memcpy(where, loc, wlen);
	where[wlen] = '\0';
	if ((colon = strchr(head, ':')) != NULL && wlen > 0) {
		hlen = (size_t)(colon - head);
		while (hlen > 0 && head[hlen - 1] == ' ')
			hlen--;
		snprintf(dst, dstlen, "%.*s %s", (int)hlen, head, where);
	} else
		fact_strlcpy(dst, head, dstlen);
}

/* Juniper assembly numbers: 740-061408, 650-064381, 711-12345. */
static int
is_partno(const char *s)
{
	return (strlen(s) >= 9 && strlen(s) <= 10 && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
	    s[3] == '-' && strspn(s + 4, "0123456789") == strlen(s + 4));
}

/*
 * Public text parsers.
 */

int
parse_serial(const char *in, char *out, size_t outlen)
{
	char	 buf[RAW_LEN];
	char	*p = buf;

	if (outlen == 0)
		return (0);
	out[0] = '\0';
	if (in == NULL)
		return (0);
	fact_sanitize(buf, in, strlen(in), sizeof(buf));
	if (strncasecmp(p, "S/N", 3) == 0 && (p[3] == ' ' || p[3] == ':')) {
		p += 3;
		while (*p == ' ' || *p == ':')
			p++;
	}
	if (placeholder(p)) {
		fact_strlcpy(out, p, outlen);	/* as seen, not upper-cased */
		return (0);
	}
	upcase(p);
	fact_strlcpy(out, p, outlen);
	return (1);
}

int
parse_sysdescr(const char *descr, char *version, size_t vlen, char *model,
    size_t mlen)
{
	char		 buf[DEV_DESCR_LEN], tok[ITEM_VER_LEN];
	const char	*p, *q;
	size_t		 n;
	int		 evo, kernel, found = 0, isjunos = 0;

	if (version != NULL && vlen > 0)
		version[0] = '\0';
	if (model != NULL && mlen > 0)
		model[0] = '\0';
	if (descr == NULL)
		return (0);
	fact_sanitize(buf, descr, strlen(descr), sizeof(buf));

	/*
	 * The word "JUNOS" followed by a release ("kernel JUNOS 21.4R3-S5.4",
	 * "JUNOS 22.2R3-S1.3-EVO"), or "JUNOS Evolved", or "kernel JUNOS"
	 * with anything after it.  JunosE says "SW Version", not JUNOS.
	 */
	for (p = buf; (p = strstr(p, "JUNOS")) != NULL; p += 5) {
		if ((p > buf && (isalnum((unsigned char)p[-1]) || p[-1] == '-')) ||
		    isalnum((unsigned char)p[5]) || p[5] == '-' || p[5] == '_')
			continue;
		kernel = (p - buf >= 7 && strncmp(p - 7, "kernel ", 7) == 0);
		evo = 0;
		q = p + 5;
		while (*q == ' ')
			q++;
		if (strncasecmp(q, "Evolved", 7) == 0 &&
		    !isalnum((unsigned char)q[7])) {
			evo = 1;
			q += 7;
			while (*q == ' ')
				q++;
		}
		version_token(q, tok, sizeof(tok));
		found = parse_release_ok(tok);
		if (found || evo || kernel) {
			isjunos = 1;
			if (found && ends_with_evo(tok))
				evo = 1;
			break;
		}
	}
	if (!isjunos)
		return (0);
	if (found && version != NULL && vlen > 0)
		fact_strlcpy(version, tok, vlen);

	/* "Juniper Networks, Inc. mx480 internet router, kernel JUNOS ..." */
	if (model != NULL && mlen > 0 &&
	    strncasecmp(buf, "Juniper Networks, Inc.", 22) == 0) {
		p = buf + 22;
		while (*p == ' ')
			p++;
		n = strcspn(p, " ,");
		for (q = p; q < p + n; q++)
			if (!isalnum((unsigned char)*q) && strchr("-+./_", *q) == NULL)
				break;
		if (n > 0 && q == p + n && n < mlen &&
		    strncmp(p, "kernel", n) != 0 && strncmp(p, "JUNOS", n) != 0) {
			memcpy(model, p, n);
			model[n] = '\0';
			upcase(model);
		}
	}
	return (evo ? 2 : 1);
}

int
parse_hrsw(const char *name, char *version, size_t vlen)
{
	char		 buf[256], tok[ITEM_VER_LEN];
	const char	*p, *q;
	size_t		 n;

	if (version != NULL && vlen > 0)
		version[0] = '\0';
	if (name == NULL)
		return (0);
	fact_sanitize(buf, name, strlen(name), sizeof(buf));

	/*
	 * Junos OS package rows are "JUNOS <package> [<release>]".  Only the
	 * first bracket counts: a real walk has "JUNOS Base OS boot
	 * [14.1X53-D40.8]X53-D40.8]".  Rows of other packages are lower
	 * case ("junos-ez-stdlib [11.10.4_1.junos.i386]") and not Junos.
	 */
	if (strncmp(buf, "JUNOS ", 6) == 0) {
		if ((p = strchr(buf, '[')) == NULL ||
		    (q = strchr(p, ']')) == NULL)
			return (0);
		n = (size_t)(q - p - 1);
		if (n == 0 || n >= sizeof(tok))
			return (0);
		memcpy(tok, p + 1, n);
		tok[n] = '\0';
		if (!parse_release_ok(tok))
			return (0);
		if (version != NULL && vlen > 0)
			fact_strlcpy(version, tok, vlen);
		return (1);
	}

	/*
	 * Junos Evolved package names carry the release at the end, as in
	 * "junos-evo-install-qfx-ms-x86-64-22.2R3-S1.3-EVO": the first token
	 * starting after '-', '_', ' ' or '[' that is a release ending in -EVO.
	 */
	if (strncasecmp(buf, "junos", 5) != 0)
		return (0);
	for (p = buf; *p; p++) {
		if (!isdigit((unsigned char)*p) || (p > buf &&
		    strchr("-_ [", p[-1]) == NULL))
			continue;
		version_token(p, tok, sizeof(tok));
		if (ends_with_evo(tok) && parse_release_ok(tok)) {
			if (version != NULL && vlen > 0)
				fact_strlcpy(version, tok, vlen);
			return (1);
		}
	}
	return (0);
}

/* sysObjectID under jnxClassGeneral (1.3.6.1.4.1.2636.1.1.1.x.N...)? */
static int
objid_product(const char *objid, uint32_t *n)
{
	uint32_t	 oid[VB_MAX_OID], pre[16];
	int		 len, plen;

	if ((len = oid_parse(objid, oid, VB_MAX_OID)) == -1 ||
	    (plen = oid_parse(JNX_PRODUCTS, pre, 16)) == -1)
		return (0);
	if (len < plen + 2 || oid_cmp(oid, (size_t)plen, pre, (size_t)plen) != 0)
		return (0);
	if (n != NULL)
		*n = oid[plen + 1];
	return (1);
}

/* sysObjectID in another vendor's enterprise subtree (not 2636)? */
static int
objid_foreign(const char *objid)
{
	uint32_t	 oid[VB_MAX_OID];
	static const uint32_t ent[] = { 1, 3, 6, 1, 4, 1 };
	int		 len;

	if ((len = oid_parse(objid, oid, VB_MAX_OID)) == -1 || len < 7)
		return (0);
	return (oid_cmp(oid, 6, ent, 6) == 0 && oid[6] != 2636);
}

int
parse_is_junos(const char *sys_descr, const char *sys_object_id)
{
	if (sys_descr != NULL && parse_sysdescr(sys_descr, NULL, 0, NULL, 0) > 0)
		return (1);
	return (sys_object_id != NULL && objid_product(sys_object_id, NULL));
}

/*
 * Collecting the varbinds.
 */

/* Make room for one more element; returns the (maybe moved) array or NULL. */
static void *
grow(void *p, size_t *cap, size_t n, size_t elsz)
{
	size_t	 ncap;

	if (n < *cap)
		return (p);
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / elsz)
		return (NULL);
	if ((p = realloc(p, ncap * elsz)) == NULL)
		return (NULL);
	*cap = ncap;
	return (p);
}

/*
 * Find or add a row.  Walks come column by column, so the row wanted is
 * usually the one after the last one found: start there.
 */
static struct jc_row *
jc_get(struct pctx *x, const uint32_t *idx)
{
	struct jc_row	*r;
	size_t		 k, i;

	for (k = 0; k < x->njc; k++) {
		i = (x->jchint + k) % x->njc;
		if (memcmp(x->jc[i].idx, idx, sizeof(x->jc[i].idx)) == 0) {
			x->jchint = i + 1;
			return (&x->jc[i]);
		}
	}
	if ((r = grow(x->jc, &x->capjc, x->njc, sizeof(*r))) == NULL)
		return (NULL);
	x->jc = r;
	r = &x->jc[x->njc++];
	memset(r, 0, sizeof(*r));
	memcpy(r->idx, idx, sizeof(r->idx));
	r->cand = -1;
	return (r);
}

static struct vc_row *
vc_get(struct pctx *x, uint32_t id)
{
	struct vc_row	*r;
	size_t		 k, i;

	for (k = 0; k < x->nvc; k++) {
		i = (x->vchint + k) % x->nvc;
		if (x->vc[i].id == id) {
			x->vchint = i + 1;
			return (&x->vc[i]);
		}
	}
	if ((r = grow(x->vc, &x->capvc, x->nvc, sizeof(*r))) == NULL)
		return (NULL);
	x->vc = r;
	r = &x->vc[x->nvc++];
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->cand = -1;
	return (r);
}

static struct ep_row *
ep_get(struct pctx *x, uint32_t idx)
{
	struct ep_row	*r;
	size_t		 k, i;

	for (k = 0; k < x->nep; k++) {
		i = (x->ephint + k) % x->nep;
		if (x->ep[i].idx == idx) {
			x->ephint = i + 1;
			return (&x->ep[i]);
		}
	}
	if ((r = grow(x->ep, &x->capep, x->nep, sizeof(*r))) == NULL)
		return (NULL);
	x->ep = r;
	r = &x->ep[x->nep++];
	memset(r, 0, sizeof(*r));
	r->idx = idx;
	r->cand = -1;
	return (r);
}

/* Text of a string-like varbind, sanitised into dst; "" for anything else. */
static void
vb_text(const struct vb *v, char *dst, size_t dstlen)
{
	if ((v->type == VB_STR || v->type == VB_OID || v->type == VB_IPADDR) &&
	    v->str != NULL)
		fact_sanitize(dst, v->str, v->len, dstlen);
	else if (dstlen > 0)
		dst[0] = '\0';
}

static long
vb_long(const struct vb *v)
{
	if (v->type != VB_INT && v->type != VB_UINT)
		return (0);
	if (v->num > 0x7fffffffLL)
		return (0x7fffffffL);
	if (v->num < -0x7fffffffLL)
		return (-0x7fffffffL);
	return ((long)v->num);
}

/* The length first: most values are table cells, longer than these. */
static int
is_exact(const struct vb *v, const struct oidtab *o, int which)
{
	return (v->oidlen == o->len[which] &&
	    oid_cmp(v->oid, v->oidlen, o->oid[which], o->len[which]) == 0);
}

/* Is v in table which with exactly nidx sub-identifiers after the column? */
static int
in_table(const struct vb *v, const struct oidtab *o, int which, size_t nidx)
{
	size_t	 plen = o->len[which];

	return (v->oidlen == plen + 1 + nidx &&
	    oid_cmp(v->oid, plen, o->oid[which], plen) == 0);
}

static int
take(struct pctx *x, struct dev_facts *f, const struct vb *v,
    const struct oidtab *o)
{
	struct jc_row	*jr;
	struct vc_row	*vr;
	struct ep_row	*er;
	char		 buf[256], ver[ITEM_VER_LEN];
	uint32_t	 col;
	size_t		 plen;

	if (is_exact(v, o, O_SYSDESCR) && v->type == VB_STR) {
		vb_text(v, f->sys_descr, sizeof(f->sys_descr));
		x->have_descr = 1;
	} else if (is_exact(v, o, O_SYSOBJECTID) && v->type == VB_OID) {
		vb_text(v, buf, sizeof(buf));
		fact_strlcpy(f->sys_object_id, buf + (buf[0] == '.'),
		    sizeof(f->sys_object_id));
		x->have_objid = 1;
	} else if (is_exact(v, o, O_SYSUPTIME) &&
	    (v->type == VB_UINT || v->type == VB_INT)) {
		f->sys_uptime = v->num < 0 ? 0 : v->num > UINT32_MAX ?
		    UINT32_MAX : (uint32_t)v->num;
	} else if (is_exact(v, o, O_SYSNAME) && v->type == VB_STR) {
		vb_text(v, f->sys_name, sizeof(f->sys_name));
		fact_strlcpy(f->hostname, f->sys_name, sizeof(f->hostname));
	} else if (is_exact(v, o, O_SYSLOCATION) && v->type == VB_STR) {
		vb_text(v, f->sys_location, sizeof(f->sys_location));
	} else if (is_exact(v, o, O_BOXDESCR) && v->type == VB_STR) {
		vb_text(v, x->box_descr, sizeof(x->box_descr));
		x->have_box = 1;
	} else if (is_exact(v, o, O_BOXSERIAL) && v->type == VB_STR) {
		vb_text(v, x->box_serial, sizeof(x->box_serial));
		x->have_box_serial = 1;
		x->have_box = 1;
	} else if (in_table(v, o, O_CONTENTS, 4)) {
		plen = o->len[O_CONTENTS];
		col = v->oid[plen];
		if (col < 6 || col > 14 || col == 9)
			return (0);
		if ((jr = jc_get(x, &v->oid[plen + 1])) == NULL)
			return (-1);
		switch (col) {
		case 6:
			vb_text(v, jr->descr, sizeof(jr->descr));
			break;
		case 7:
			vb_text(v, jr->serial, sizeof(jr->serial));
			break;
		case 8:
			vb_text(v, jr->rev, sizeof(jr->rev));
			break;
		case 10:
			vb_text(v, jr->part, sizeof(jr->part));
			break;
		case 11:
			jr->chassis_id = vb_long(v);
			break;
		case 13:
			vb_text(v, jr->clei, sizeof(jr->clei));
			break;
		case 14:
			vb_text(v, jr->model, sizeof(jr->model));
			break;
		}
	} else if (in_table(v, o, O_VCMEMBER, 1)) {
		plen = o->len[O_VCMEMBER];
		col = v->oid[plen];
		if (col != 2 && col != 3 && col != 5 && col != 8)
			return (0);
		if ((vr = vc_get(x, v->oid[plen + 1])) == NULL)
			return (-1);
		if (col == 2)
			vb_text(v, vr->serial, sizeof(vr->serial));
		else if (col == 3)
			vr->role = vb_long(v);
		else if (col == 5)
			vb_text(v, vr->version, sizeof(vr->version));
		else
			vb_text(v, vr->model, sizeof(vr->model));
	} else if (in_table(v, o, O_HRSWNAME, 0) && v->type == VB_STR) {
		/* in_table(.., 0) is the column itself: hrSWInstalledName.N */
		vb_text(v, buf, sizeof(buf));
		if (parse_hrsw(buf, ver, sizeof(ver)) &&
		    (!x->hr_ok || v->oid[o->len[O_HRSWNAME]] < x->hr_idx)) {
			x->hr_ok = 1;
			x->hr_idx = v->oid[o->len[O_HRSWNAME]];
			fact_strlcpy(x->hr_version, ver, sizeof(x->hr_version));
		}
	} else if (in_table(v, o, O_ENTPHYS, 1)) {
		plen = o->len[O_ENTPHYS];
		col = v->oid[plen];
		if (col < 2 || col > 13 || col == 3 || col == 6 || col == 9 ||
		    col == 12)
			return (0);
		if ((er = ep_get(x, v->oid[plen + 1])) == NULL)
			return (-1);
		switch (col) {
		case 2:
			vb_text(v, er->descr, sizeof(er->descr));
			break;
		case 4:
			er->contained_in = vb_long(v);
			break;
		case 5:
			er->class = vb_long(v);
			break;
		case 7:
			vb_text(v, er->name, sizeof(er->name));
			break;
		case 8:
			vb_text(v, er->hwrev, sizeof(er->hwrev));
			break;
		case 10:
			vb_text(v, er->swrev, sizeof(er->swrev));
			break;
		case 11:
			vb_text(v, er->serial, sizeof(er->serial));
			break;
		case 13:
			vb_text(v, er->model, sizeof(er->model));
			break;
		}
	}
	return (0);
}

static int
jc_cmp(const void *pa, const void *pb)
{
	const struct jc_row	*a = pa, *b = pb;

	return (oid_cmp(a->idx, 4, b->idx, 4));
}

static int
vc_cmp(const void *pa, const void *pb)
{
	const struct vc_row	*a = pa, *b = pb;

	return (a->id < b->id ? -1 : a->id > b->id);
}

static int
ep_cmp(const void *pa, const void *pb)
{
	const struct ep_row	*a = pa, *b = pb;

	return (a->idx < b->idx ? -1 : a->idx > b->idx);
}

/*
 * Chassis ids (JnxChassisId) that name one chassis among several: SRX
 * cluster nodes, Virtual Chassis members, TX/T-series LCCs and SFCs.
 * Returns 1 and the item name, else 0 (singleChassis, scc, unknown...).
 */
static int
member_chassis(long id, char *name, size_t len)
{
	if (id >= 4 && id <= 7)
		snprintf(name, len, "lcc%ld", id - 4);
	else if (id >= 19 && id <= 30)
		snprintf(name, len, "lcc%ld", id - 19 + 4);
	else if (id == 12 || id == 13)
		snprintf(name, len, "node%ld", id - 12);
	else if (id >= 14 && id <= 18)
		snprintf(name, len, "sfc%ld", id - 14);
	else if (id >= 31 && id <= 38)
		snprintf(name, len, "member %ld", id - 31);
	else
		return (0);
	return (1);
}

static int
vc_find(const struct pctx *x, uint32_t id)
{
	size_t	 i;

	for (i = 0; i < x->nvc; i++)
		if (x->vc[i].id == id)
			return ((int)i);
	return (-1);
}

/* The member that speaks for the VC: the master, else the lowest id. */
static int
vc_master(const struct pctx *x)
{
	size_t	 i;

	for (i = 0; i < x->nvc; i++)
		if (x->vc[i].role == VC_ROLE_MASTER)
			return ((int)i);
	return (x->nvc > 0 ? 0 : -1);
}

/*
 * col.i0.i1.i2.i3 into dst, cut to len - 1 bytes as snprintf() would.
 * By hand: it names every jnxContents row, and snprintf() was a tenth
 * of parsing a device.
 */
static void
jc_ref(char *dst, size_t len, const char *col, const struct jc_row *r)
{
	char		 num[16];
	size_t		 o = 0, i, n;
	uint32_t	 u;

	if (len == 0)
		return;
	for (; *col != '\0' && o + 1 < len; col++)
		dst[o++] = *col;
	for (i = 0; i < 4; i++) {
		n = 0;
		u = r->idx[i];
		do {
			num[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u != 0);
		num[n++] = '.';
		while (n > 0 && o + 1 < len)
			dst[o++] = num[--n];
	}
	dst[o] = '\0';
}

/*
 * Device identity: OS, Junos version, model and chassis serial, each with
 * the first source that has it (order in parse.h).
 */
static void
identity(struct pctx *x, struct dev_facts *f)
{
	char		 ver[ITEM_VER_LEN], model[ITEM_MODEL_LEN], buf[RAW_LEN];
	char		 ph[ITEM_SERIAL_LEN], phref[ITEM_REF_LEN];
	const char	*raw[4];
	char		 ref[4][ITEM_REF_LEN];
	const struct jc_row *cr;
	size_t		 i;
	uint32_t	 n;
	int		 r = 0, m, nraw = 0, lo, hi, mid;

	f->have_system = x->have_descr || x->have_objid;
	if (x->have_descr)
		r = parse_sysdescr(f->sys_descr, ver, sizeof(ver), model,
		    sizeof(model));
	if (!f->have_system) {
		f->os = OS_UNKNOWN;
		return;
	}
	/*
	 * Only Junos implements jnxBoxAnatomy, so its answer is evidence too
	 * (sysDescr overwritten, sysObjectID 0.0.0), unless sysObjectID names
	 * another vendor.
	 */
	if (r == 2)
		f->os = OS_JUNOS_EVO;
	else if (r == 1 || objid_product(f->sys_object_id, NULL) ||
	    (x->have_box && !objid_foreign(f->sys_object_id)))
		f->os = OS_JUNOS;
	else {
		/* JunosE, EX2500, Trapeze and other vendors: system group only. */
		f->os = OS_OTHER;
		return;
	}

	/* The chassis rows of jnxContents and entPhysical. */
	x->chassis_jc = x->first_c1 = x->chassis_ep = -1;
	for (i = 0; i < x->njc; i++) {
		if (x->jc[i].idx[0] != 1)
			continue;
		if (x->first_c1 == -1)
			x->first_c1 = (int)i;
		if (x->chassis_jc == -1 &&
		    !member_chassis(x->jc[i].chassis_id, buf, sizeof(buf)))
			x->chassis_jc = (int)i;
	}
	for (i = 0; i < x->nep; i++)
		if (x->ep[i].class == EP_CLASS_CHASSIS) {
			x->chassis_ep = (int)i;
			break;
		}
	/* Junos Evolved reports entPhysicalClass 0: the top of the tree. */
	for (i = 0; x->chassis_ep == -1 && i < x->nep; i++)
		if (x->ep[i].contained_in == 0)
			x->chassis_ep = (int)i;

	/* Version. */
	if (r > 0 && ver[0] != '\0') {
		fact_strlcpy(f->version, ver, sizeof(f->version));
		fact_strlcpy(f->version_source, "sysDescr",
		    sizeof(f->version_source));
	} else if (x->hr_ok) {
		fact_strlcpy(f->version, x->hr_version, sizeof(f->version));
		snprintf(f->version_source, sizeof(f->version_source),
		    "hrSWInstalledName.%u", x->hr_idx);
	} else {
		m = vc_master(x);
		if (m >= 0 && !parse_release_ok(x->vc[m].version))
			for (m = -1, i = 0; m == -1 && i < x->nvc; i++)
				if (parse_release_ok(x->vc[i].version))
					m = (int)i;
		if (m >= 0) {
			fact_strlcpy(f->version, x->vc[m].version,
			    sizeof(f->version));
			snprintf(f->version_source, sizeof(f->version_source),
			    "jnxVirtualChassisMemberSWVersion.%u", x->vc[m].id);
		} else if (x->chassis_ep >= 0 &&
		    parse_release_ok(x->ep[x->chassis_ep].swrev)) {
			fact_strlcpy(f->version, x->ep[x->chassis_ep].swrev,
			    sizeof(f->version));
			snprintf(f->version_source, sizeof(f->version_source),
			    "entPhysicalSoftwareRev.%u", x->ep[x->chassis_ep].idx);
		}
	}
	if (ends_with_evo(f->version))
		f->os = OS_JUNOS_EVO;

	/* Model. */
	m = vc_master(x);
	if (m >= 0 && !parse_model(x->vc[m].model, buf, sizeof(buf)))
		for (m = -1, i = 0; m == -1 && i < x->nvc; i++)
			if (parse_model(x->vc[i].model, buf, sizeof(buf)))
				m = (int)i;
	cr = x->chassis_jc >= 0 ? &x->jc[x->chassis_jc] : NULL;
	if (r > 0 && model[0] != '\0') {
		fact_strlcpy(f->model, model, sizeof(f->model));
		fact_strlcpy(f->model_source, "sysDescr", sizeof(f->model_source));
	} else if (m >= 0) {
		parse_model(x->vc[m].model, f->model, sizeof(f->model));
		snprintf(f->model_source, sizeof(f->model_source),
		    "jnxVirtualChassisMemberModel.%u", x->vc[m].id);
	} else if (box_descr_model(x->box_descr, f->model, sizeof(f->model))) {
		fact_strlcpy(f->model_source, "jnxBoxDescr.0",
		    sizeof(f->model_source));
	} else if (cr != NULL && parse_model(cr->model, f->model,
	    sizeof(f->model))) {
		jc_ref(f->model_source, sizeof(f->model_source),
		    "jnxContentsModel", cr);
	} else if (x->chassis_ep >= 0 && parse_model(x->ep[x->chassis_ep].model,
	    f->model, sizeof(f->model))) {
		snprintf(f->model_source, sizeof(f->model_source),
		    "entPhysicalModelName.%u", x->ep[x->chassis_ep].idx);
	} else if (objid_product(f->sys_object_id, &n)) {
		for (lo = 0, hi = (int)jnx_nproducts - 1; lo <= hi;) {
			mid = lo + (hi - lo) / 2;
			if (jnx_products[mid].id == n) {
				fact_strlcpy(f->model, jnx_products[mid].model,
				    sizeof(f->model));
				fact_strlcpy(f->model_source, "sysObjectID",
				    sizeof(f->model_source));
				break;
			}
			if (jnx_products[mid].id < n)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
	}

	/*
	 * Chassis serial: the first source whose value is a serial.  If none
	 * is, the first placeholder as seen ("<private>" in the anonymised
	 * corpus, "BUILTIN"), with serialized = 0.
	 */
	if (x->have_box_serial) {
		raw[nraw] = x->box_serial;
		fact_strlcpy(ref[nraw++], "jnxBoxSerialNo.0", ITEM_REF_LEN);
	}
	if ((cr = x->chassis_jc >= 0 ? &x->jc[x->chassis_jc] :
	    x->first_c1 >= 0 ? &x->jc[x->first_c1] : NULL) != NULL) {
		raw[nraw] = cr->serial;
		jc_ref(ref[nraw++], ITEM_REF_LEN, "jnxContentsSerialNo", cr);
	}
	if ((m = vc_master(x)) >= 0) {
		raw[nraw] = x->vc[m].serial;
		snprintf(ref[nraw++], ITEM_REF_LEN,
		    "jnxVirtualChassisMemberSerialnumber.%u", x->vc[m].id);
	}
	if (x->chassis_ep >= 0) {
		raw[nraw] = x->ep[x->chassis_ep].serial;
		snprintf(ref[nraw++], ITEM_REF_LEN, "entPhysicalSerialNum.%u",
		    x->ep[x->chassis_ep].idx);
	}
	ph[0] = phref[0] = '\0';
	for (i = 0; i < (size_t)nraw; i++) {
		if (parse_serial(raw[i], buf, sizeof(buf)) == 1) {
			fact_strlcpy(f->serial, buf, sizeof(f->serial));
			fact_strlcpy(x->serial_ref, ref[i], sizeof(x->serial_ref));
			x->serialized = 1;
			return;
		}
		if (ph[0] == '\0' && buf[0] != '\0') {
			fact_strlcpy(ph, buf, sizeof(ph));
			fact_strlcpy(phref, ref[i], sizeof(phref));
		}
	}
	fact_strlcpy(f->serial, ph, sizeof(f->serial));
	fact_strlcpy(x->serial_ref, phref, sizeof(x->serial_ref));
}

/*
 * Building the items.
 */

static int
cand_new(struct pctx *x, enum item_kind kind, int parent)
{
	struct cand	*c;

	if ((c = grow(x->c, &x->capc, x->nc, sizeof(*c))) == NULL)
		return (-1);
	x->c = c;
	c = &x->c[x->nc];
	memset(c, 0, sizeof(*c));
	c->it.kind = kind;
	c->it.parent = -1;
	fact_strlcpy(c->it.source, "snmp", sizeof(c->it.source));
	c->parent = parent;
	c->alias = -1;
	c->out = -1;
	c->order = x->nc;
	return ((int)x->nc++);
}

#define FILL(dst, src, field) do {					\
	if ((dst)->field[0] == '\0')					\
		fact_strlcpy((dst)->field, (src)->field, sizeof((dst)->field)); \
} while (0)

/* Fill the empty fields of dst from src (both describe one thing). */
static void
item_fill(struct item *dst, const struct item *src)
{
	if (dst->serial[0] == '\0' && src->serial[0] != '\0') {
		fact_strlcpy(dst->serial, src->serial, sizeof(dst->serial));
		dst->serialized = src->serialized;
	}
	FILL(dst, src, name);
	FILL(dst, src, part_number);
	FILL(dst, src, model);
	FILL(dst, src, description);
	FILL(dst, src, revision);
	FILL(dst, src, clei);
	FILL(dst, src, version);
	FILL(dst, src, role);
	FILL(dst, src, source_ref);
}

/* A member row says most about what it is (serial, role, model, version). */
static int
kind_rank(enum item_kind k)
{
	return (k == ITEM_MEMBER ? 3 : k == ITEM_CHASSIS ? 2 : 1);
}

/*
 * Both parsers merge through here.  parse.c merges only candidates with
 * the same serialized serial, all with source "snmp", so the serial and
 * source rules after item_fill() only ever act for xmlparse.c, which
 * also merges members by name (a placeholder serial meeting a real one).
 */
void
parse_cand_merge(struct cand *c, int j, int i)
{
	struct item	 loser;

	if (kind_rank(c[i].it.kind) > kind_rank(c[j].it.kind)) {
		loser = c[j].it;
		c[j].it = c[i].it;
		c[j].parent = c[i].parent;
		c[j].order = c[i].order;
	} else
		loser = c[i].it;
	if (c[j].it.kind == ITEM_MEMBER && loser.kind == ITEM_CHASSIS)
		loser.description[0] = '\0';
	item_fill(&c[j].it, &loser);
	if (!c[j].it.serialized && loser.serialized) {
		fact_strlcpy(c[j].it.serial, loser.serial,
		    sizeof(c[j].it.serial));
		c[j].it.serialized = loser.serialized;
	}
	FILL(&c[j].it, &loser, source);
	c[i].alias = j;
}

int
parse_cand_resolve(const struct cand *c, int k)
{
	while (k >= 0 && c[k].alias >= 0)
		k = c[k].alias;
	return (k);
}

void
parse_cand_untangle(struct cand *c, size_t nc)
{
	size_t	 i;
	int	 p, depth;

	for (i = 0; i < nc; i++) {
		if (c[i].alias >= 0)
			continue;
		p = c[i].parent;
		for (depth = 0; p >= 0 && depth <= (int)nc; depth++) {
			if (p == (int)i) {
				c[i].parent = -1;
				break;
			}
			p = c[p].parent;
		}
	}
}

static int
ord_cmp(const void *pa, const void *pb)
{
	const struct cand_ord	*a = pa, *b = pb;

	if (a->rank != b->rank)
		return (a->rank < b->rank ? -1 : 1);
	if (a->order != b->order)
		return (a->order < b->order ? -1 : 1);
	return (a->idx < b->idx ? -1 : a->idx > b->idx);
}

size_t
parse_cand_sort(const struct cand *c, size_t nc, struct cand_ord *ord)
{
	size_t	 i, n = 0;

	for (i = 0; i < nc; i++) {
		if (c[i].alias >= 0)
			continue;
		ord[n].rank = c[i].it.kind == ITEM_CHASSIS ? 0 :
		    c[i].it.kind == ITEM_MEMBER ? 1 : 2;
		ord[n].order = c[i].order;
		ord[n++].idx = (int)i;
	}
	if (n > 1)
		qsort(ord, n, sizeof(*ord), ord_cmp);
	return (n);
}

/* Serial of a row into an item: normalised, with its serialized flag. */
static void
item_serial(struct item *it, const char *raw)
{
	it->serialized = parse_serial(raw, it->serial, sizeof(it->serial));
}

static void
jc_to_item(struct item *it, const struct jc_row *r)
{
	item_serial(it, r->serial);
	fact_strlcpy(it->description, r->descr, sizeof(it->description));
	if (placeholder_word(r->rev) == 0)
		fact_strlcpy(it->revision, r->rev, sizeof(it->revision));
	attr_copy(it->part_number, sizeof(it->part_number), r->part);
	attr_copy(it->clei, sizeof(it->clei), r->clei);
	parse_model(r->model, it->model, sizeof(it->model));
	jc_ref(it->source_ref, sizeof(it->source_ref), "jnxContentsSerialNo", r);
}

static void
ep_to_item(struct item *it, const struct ep_row *r)
{
	item_serial(it, r->serial);
	fact_strlcpy(it->description, r->descr, sizeof(it->description));
	if (placeholder_word(r->hwrev) == 0)
		fact_strlcpy(it->revision, r->hwrev, sizeof(it->revision));
	/*
	 * Junos puts the assembly number of optics in entPhysicalModelName
	 * and the optic's model in entPhysicalName.
	 */
	if (is_partno(r->model)) {
		fact_strlcpy(it->part_number, r->model, sizeof(it->part_number));
		parse_model(r->name, it->model, sizeof(it->model));
	} else
		parse_model(r->model, it->model, sizeof(it->model));
	snprintf(it->source_ref, sizeof(it->source_ref),
	    "entPhysicalSerialNum.%u", r->idx);
}

/* Two rows that both have a real serial, and not the same one? */
static int
serial_conflict(const struct item *it, const char *raw)
{
	char	 s[ITEM_SERIAL_LEN];

	return (it->serialized && parse_serial(raw, s, sizeof(s)) == 1 &&
	    strcmp(s, it->serial) != 0);
}

/*
 * The item a chassis id hangs under: the member/node/LCC item of that
 * chassis if there is one, else the device chassis.
 */
static int
chassis_base(const struct pctx *x, long chassis_id, int ch)
{
	char	 name[ITEM_NAME_LEN];
	size_t	 i;
	int	 v;

	if (!member_chassis(chassis_id, name, sizeof(name)))
		return (ch);
	for (i = 0; i < x->njc; i++)
		if (x->jc[i].idx[0] == 1 && x->jc[i].chassis_id == chassis_id &&
		    x->jc[i].cand >= 0)
			return (x->jc[i].cand);
	if (chassis_id >= 31 && chassis_id <= 38 &&
	    (v = vc_find(x, (uint32_t)(chassis_id - 31))) >= 0)
		return (x->vc[v].cand);
	return (ch);
}

/* The row (same chassis) at L1/L2/0 whose description starts with what. */
static int
jc_slot(const struct pctx *x, long chassis_id, uint32_t l1, uint32_t l2,
    const char *what)
{
	size_t	 i;

	for (i = 0; i < x->njc; i++) {
		const struct jc_row *r = &x->jc[i];

		if (r->chassis_id == chassis_id && r->idx[1] == l1 &&
		    r->idx[2] == l2 && r->idx[3] == 0 && r->cand >= 0 &&
		    strncmp(r->descr, what, strlen(what)) == 0)
			return (r->cand);
	}
	return (-1);
}

/*
 * entPhysical rows that become items: anything with a serial, and the
 * classes that are hardware (chassis, power supply, fan, module, stack)
 * or unclassified (Junos Evolved sends 0 for all).  Containers, sensors,
 * ports and CPUs without a serial are structure, not inventory.
 */
static int
ep_wanted(const struct ep_row *r)
{
	char	 s[ITEM_SERIAL_LEN];

	if (parse_serial(r->serial, s, sizeof(s)) == 1)
		return (1);
	switch (r->class) {
	case 0: case 1: case 2: case 3: case 6: case 7: case 9: case 11:
		return (1);
	}
	return (0);
}

static int
build_items(struct pctx *x, struct dev_facts *f)
{
	struct item	*it;
	struct cand_ord	*ord = NULL;
	char		 name[ITEM_NAME_LEN];
	size_t		 i, j, nord = 0;
	int		 ch = -1, k, p, v, depth, rc = -1;
	uint32_t	 up;

	/*
	 * The device chassis.  Its serial is the device serial; the chassis
	 * row of jnxContents (or entPhysical, without jnxContents) adds
	 * revision, part number and CLEI unless it names another serial.
	 */
	if (f->serial[0] != '\0' || x->chassis_jc >= 0 ||
	    (x->njc == 0 && x->chassis_ep >= 0)) {
		if ((ch = cand_new(x, ITEM_CHASSIS, -1)) == -1)
			return (-1);
		it = &x->c[ch].it;
		fact_strlcpy(it->name, "Chassis", sizeof(it->name));
		fact_strlcpy(it->serial, f->serial, sizeof(it->serial));
		it->serialized = x->serialized;
		fact_strlcpy(it->source_ref, x->serial_ref, sizeof(it->source_ref));
		fact_strlcpy(it->description, x->box_descr,
		    sizeof(it->description));
		fact_strlcpy(it->model, f->model, sizeof(it->model));
		if (x->chassis_jc >= 0 &&
		    !serial_conflict(it, x->jc[x->chassis_jc].serial)) {
			struct item	 row;

			memset(&row, 0, sizeof(row));
			jc_to_item(&row, &x->jc[x->chassis_jc]);
			item_fill(it, &row);
			x->jc[x->chassis_jc].cand = ch;
		} else if (x->njc == 0 && x->chassis_ep >= 0 &&
		    !serial_conflict(it, x->ep[x->chassis_ep].serial)) {
			struct item	 row;

			memset(&row, 0, sizeof(row));
			ep_to_item(&row, &x->ep[x->chassis_ep]);
			item_fill(it, &row);
			x->ep[x->chassis_ep].cand = ch;
		}
	}

	/* Virtual Chassis members: one item each, even a lone member. */
	for (i = 0; i < x->nvc; i++) {
		struct vc_row	*r = &x->vc[i];

		if ((k = cand_new(x, ITEM_MEMBER, ch)) == -1)
			return (-1);
		it = &x->c[k].it;
		snprintf(it->name, sizeof(it->name), "member %u", r->id);
		item_serial(it, r->serial);
		fact_strlcpy(it->role, r->role == VC_ROLE_MASTER ? "master" :
		    r->role == VC_ROLE_BACKUP ? "backup" :
		    r->role == VC_ROLE_LINECARD ? "linecard" : "",
		    sizeof(it->role));
		fact_strlcpy(it->version, r->version, sizeof(it->version));
		parse_model(r->model, it->model, sizeof(it->model));
		snprintf(it->source_ref, sizeof(it->source_ref),
		    "jnxVirtualChassisMemberSerialnumber.%u", r->id);
		r->cand = k;
	}

	/* Chassis rows of cluster nodes, VC members, LCCs: members too. */
	for (i = 0; i < x->njc; i++) {
		struct jc_row	*r = &x->jc[i];
		struct item	 row;
		long		 cid = r->chassis_id;

		if (r->idx[0] != 1 || r->cand >= 0 ||
		    !member_chassis(cid, name, sizeof(name)))
			continue;
		memset(&row, 0, sizeof(row));
		jc_to_item(&row, r);
		if (cid >= 31 && cid <= 38 &&
		    (v = vc_find(x, (uint32_t)(cid - 31))) >= 0 &&
		    !serial_conflict(&x->c[x->vc[v].cand].it, r->serial)) {
			item_fill(&x->c[x->vc[v].cand].it, &row);
			r->cand = x->vc[v].cand;
			continue;
		}
		if ((k = cand_new(x, ITEM_MEMBER, ch)) == -1)
			return (-1);
		it = &x->c[k].it;
		*it = row;
		it->kind = ITEM_MEMBER;
		it->parent = -1;
		fact_strlcpy(it->source, "snmp", sizeof(it->source));
		fact_strlcpy(it->name, name, sizeof(it->name));
		/* The nodes of an SRX cluster are always the same model. */
		if (it->model[0] == '\0' && (cid == 12 || cid == 13))
			fact_strlcpy(it->model, f->model, sizeof(it->model));
		r->cand = k;
	}

	/* Components: jnxContents, else entPhysical, in table order. */
	for (i = 0; i < x->njc; i++) {
		struct jc_row	*r = &x->jc[i];

		if (r->cand >= 0)
			continue;
		if ((k = cand_new(x, ITEM_COMPONENT, ch)) == -1)
			return (-1);
		it = &x->c[k].it;
		jc_to_item(it, r);
		name_from_descr(it->name, sizeof(it->name), r->descr);
		if (it->name[0] == '\0')
			jc_ref(it->name, sizeof(it->name), "jnxContents", r);
		r->cand = k;
		r->comp = 1;
	}
	for (i = 0; x->njc == 0 && i < x->nep; i++) {
		struct ep_row	*r = &x->ep[i];

		if (r->cand >= 0 || !ep_wanted(r))
			continue;
		if ((k = cand_new(x, ITEM_COMPONENT, ch)) == -1)
			return (-1);
		it = &x->c[k].it;
		ep_to_item(it, r);
		name_from_descr(it->name, sizeof(it->name), r->descr);
		if (it->name[0] == '\0')
			fact_strlcpy(it->name, r->name, sizeof(it->name));
		if (it->name[0] == '\0')
			snprintf(it->name, sizeof(it->name), "entPhysical.%u",
			    r->idx);
		r->cand = k;
		r->comp = 1;
	}

	/*
	 * Parents of jnxContents components: a row below L1 (L2 or L3 set)
	 * sits in the FPC of the same L1 (a PIC, MIC, or on EX/QFX the power
	 * supplies and fans of that FPC, i.e. of that VC member); a row at
	 * L3 in the PIC of the same L1/L2 if there is one.  Everything else
	 * hangs under its chassis: the node/member of its chassis id, or the
	 * device chassis.
	 */
	for (i = 0; i < x->njc; i++) {
		struct jc_row	*r = &x->jc[i];

		if (!r->comp)
			continue;
		p = -1;
		if (r->idx[3] > 0)
			p = jc_slot(x, r->chassis_id, r->idx[1], r->idx[2], "PIC");
		if (p == -1 && (r->idx[2] > 0 || r->idx[3] > 0))
			p = jc_slot(x, r->chassis_id, r->idx[1], 0, "FPC");
		if (p == -1 || p == r->cand)
			p = chassis_base(x, r->chassis_id, ch);
		x->c[r->cand].parent = p;
	}
	/*
	 * Parents of entPhysical components: up entPhysicalContainedIn (rows
	 * are sorted by index).  Real trees are a few levels deep; the bound
	 * stops loops an agent may send.
	 */
	for (i = 0; x->njc == 0 && i < x->nep; i++) {
		struct ep_row	*r = &x->ep[i];
		size_t		 lo, hi;

		if (!r->comp)
			continue;
		p = ch;
		up = r->contained_in > 0 ? (uint32_t)r->contained_in : 0;
		for (depth = 0; up != 0 && depth < EP_MAX_DEPTH; depth++) {
			for (lo = 0, hi = x->nep; lo < hi;) {
				j = lo + (hi - lo) / 2;
				if (x->ep[j].idx < up)
					lo = j + 1;
				else
					hi = j;
			}
			if (lo == x->nep || x->ep[lo].idx != up)
				break;			/* dangling: chassis */
			if (x->ep[lo].cand >= 0) {
				p = x->ep[lo].cand;
				break;
			}
			up = x->ep[lo].contained_in > 0 ?
			    (uint32_t)x->ep[lo].contained_in : 0;
		}
		x->c[r->cand].parent = p == r->cand ? ch : p;
	}

	/* One serial, one item. */
	for (i = 0; i < x->nc; i++) {
		if (!x->c[i].it.serialized)
			continue;
		for (j = 0; j < i; j++) {
			if (x->c[j].alias < 0 && x->c[j].it.serialized &&
			    strcmp(x->c[j].it.serial, x->c[i].it.serial) == 0) {
				parse_cand_merge(x->c, (int)j, (int)i);
				break;
			}
		}
	}

	/*
	 * Parents after merging.  A chassis has none; a member hangs only
	 * under a chassis (if the device chassis became a member because it
	 * has that member's serial, the other members are its peers, not its
	 * children); nothing is its own ancestor.
	 */
	for (i = 0; i < x->nc; i++) {
		if (x->c[i].alias >= 0)
			continue;
		p = parse_cand_resolve(x->c, x->c[i].parent);
		if (p == (int)i || x->c[i].it.kind == ITEM_CHASSIS)
			p = -1;
		if (p >= 0 && x->c[i].it.kind == ITEM_MEMBER &&
		    x->c[p].it.kind != ITEM_CHASSIS)
			p = -1;
		x->c[i].parent = p;
	}
	parse_cand_untangle(x->c, x->nc);

	/* Chassis first, then members, then components, each in table order. */
	if (x->nc > 0 && (ord = calloc(x->nc, sizeof(*ord))) == NULL)
		return (-1);
	nord = parse_cand_sort(x->c, x->nc, ord);
	for (i = 0; i < nord; i++) {
		struct cand	*c = &x->c[ord[i].idx];

		if ((it = facts_add_item(f, c->it.kind)) == NULL)
			goto done;
		*it = c->it;
		it->parent = -1;
		c->out = (int)(f->nitems - 1);
	}
	for (i = 0; i < nord; i++) {
		struct cand	*c = &x->c[ord[i].idx];

		if (c->parent >= 0)
			f->items[c->out].parent = x->c[c->parent].out;
	}
	rc = 0;
done:
	free(ord);
	return (rc);
}

int
parse_device(const struct vblist *l, struct dev_facts *f)
{
	struct pctx	 x;
	struct oidtab	 o;
	size_t		 i;
	int		 n, rc = -1;

	memset(&x, 0, sizeof(x));
	x.chassis_jc = x.first_c1 = x.chassis_ep = -1;
	for (i = 0; i < O_NOIDS; i++) {
		if ((n = oid_parse(oid_text[i], o.oid[i], VB_MAX_OID)) == -1)
			return (-1);		/* cannot happen: our own text */
		o.len[i] = (size_t)n;
	}
	for (i = 0; i < l->n; i++)
		if (take(&x, f, &l->v[i], &o) == -1)
			goto done;
	if (x.njc > 1)
		qsort(x.jc, x.njc, sizeof(*x.jc), jc_cmp);
	if (x.nvc > 1)
		qsort(x.vc, x.nvc, sizeof(*x.vc), vc_cmp);
	if (x.nep > 1)
		qsort(x.ep, x.nep, sizeof(*x.ep), ep_cmp);

	identity(&x, f);
	if (f->os == OS_JUNOS || f->os == OS_JUNOS_EVO) {
		if (build_items(&x, f) == -1)
			goto done;
	}
	rc = 0;
done:
	free(x.jc);
	free(x.vc);
	free(x.ep);
	free(x.c);
	return (rc);
}
