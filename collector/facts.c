/*
 * facts.c: the protocol-neutral result of one device poll.  This file owns
 * the item array of struct dev_facts, its deep copy and the merge of an
 * SNMP and a NETCONF result of one device (with their cross-check), the
 * enum names used by the store and the reports, the bounded copies every
 * parser uses to put device text into fixed fields, and the text dump the
 * golden tests compare.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"

void
facts_init(struct dev_facts *f)
{
	memset(f, 0, sizeof(*f));
}

void
facts_free(struct dev_facts *f)
{
	if (f == NULL)
		return;
	free(f->items);
	f->items = NULL;
	f->nitems = 0;
	f->capitems = 0;
}

struct item *
facts_add_item(struct dev_facts *f, enum item_kind kind)
{
	struct item	*it;
	size_t		 ncap;

	if (f->nitems == f->capitems) {
		ncap = f->capitems ? f->capitems * 2 : 16;
		if (ncap > SIZE_MAX / sizeof(*it))
			return (NULL);
		if ((it = realloc(f->items, ncap * sizeof(*it))) == NULL)
			return (NULL);
		f->items = it;
		f->capitems = ncap;
	}
	it = &f->items[f->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->parent = -1;
	return (it);
}

int
facts_copy(struct dev_facts *dst, const struct dev_facts *src)
{
	struct item	*items = NULL;

	if (dst == src)
		return (0);
	if (src->nitems > 0) {
		if ((items = calloc(src->nitems, sizeof(*items))) == NULL)
			return (-1);
		memcpy(items, src->items, src->nitems * sizeof(*items));
	}
	facts_free(dst);
	*dst = *src;
	dst->items = items;
	dst->capitems = src->nitems;
	return (0);
}

static int
is_serialized(const struct item *it)
{
	return (it->serialized && it->serial[0] != '\0');
}

/*
 * Is the device serial only a placeholder?  parse.c falls back to a
 * placeholder ("<private>") when no chassis source had a real serial;
 * the chassis item then carries it with serialized 0.  A serial that no
 * item carries (facts built by hand) is taken as real.
 */
static int
dev_serial_placeholder(const struct dev_facts *f)
{
	size_t	 i;
	int	 seen = 0;

	if (f->serial[0] == '\0')
		return (0);
	for (i = 0; i < f->nitems; i++) {
		if (strcmp(f->items[i].serial, f->serial) != 0)
			continue;
		if (is_serialized(&f->items[i]))
			return (0);
		seen = 1;
	}
	return (seen);
}

/* Has f anything at all?  A protocol that failed leaves it all empty. */
static int
facts_empty(const struct dev_facts *f)
{
	return (f->nitems == 0 && !f->have_system && f->os == OS_UNKNOWN &&
	    f->hostname[0] == '\0' && f->model[0] == '\0' &&
	    f->serial[0] == '\0' && f->version[0] == '\0' &&
	    f->sys_descr[0] == '\0' && f->sys_object_id[0] == '\0');
}

/*
 * Junos versions as the cross-check compares them: the same release in
 * another case or with blanks ("21.4r3-s5.4 ") is the same release.
 */
static int
version_same(const char *a, const char *b)
{
	for (;;) {
		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if (*a == '\0' || *b == '\0')
			return (*a == *b);
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return (0);
		a++;
		b++;
	}
}

static size_t
count_kind(const struct dev_facts *f, enum item_kind kind)
{
	size_t	 i, n = 0;

	for (i = 0; i < f->nitems; i++)
		if (f->items[i].kind == kind)
			n++;
	return (n);
}

/* The device chassis: the first top-level ITEM_CHASSIS, else -1. */
static int
device_chassis(const struct dev_facts *f)
{
	size_t	 i;

	for (i = 0; i < f->nitems; i++)
		if (f->items[i].kind == ITEM_CHASSIS && f->items[i].parent < 0)
			return ((int)i);
	return (-1);
}

static void
cc_add(struct crosscheck *cc, const char *field, const char *snmp,
    const char *netconf)
{
	struct cc_conflict	*c;

	if (cc == NULL || cc->n >= CC_MAX)
		return;
	c = &cc->c[cc->n++];
	fact_strlcpy(c->field, field, sizeof(c->field));
	fact_sanitize(c->snmp, snmp, strlen(snmp), sizeof(c->snmp));
	fact_sanitize(c->netconf, netconf, strlen(netconf),
	    sizeof(c->netconf));
}

/* The cross-check of facts_merge(), on the two sides before merging. */
static void
crosscheck(const struct dev_facts *snmp, const struct dev_facts *nc,
    struct crosscheck *cc)
{
	char	 a[24], b[24];
	size_t	 ms, mn;

	if (cc == NULL)
		return;
	if (snmp->serial[0] != '\0' && nc->serial[0] != '\0' &&
	    !dev_serial_placeholder(snmp) && !dev_serial_placeholder(nc) &&
	    strcmp(snmp->serial, nc->serial) != 0)
		cc_add(cc, "serial", snmp->serial, nc->serial);
	if (snmp->version[0] != '\0' && nc->version[0] != '\0' &&
	    !version_same(snmp->version, nc->version))
		cc_add(cc, "version", snmp->version, nc->version);
	/*
	 * A lone VC member is one member in SNMP's VC table and may be none
	 * at all in NETCONF: only a VC or cluster (> 1) against a single
	 * chassis is a disagreement when one side has no members.
	 */
	ms = count_kind(snmp, ITEM_MEMBER);
	mn = count_kind(nc, ITEM_MEMBER);
	if (ms != mn && ((ms > 0 && mn > 0) ||
	    (ms > 1 && mn == 0 && count_kind(nc, ITEM_CHASSIS) > 0) ||
	    (mn > 1 && ms == 0 && count_kind(snmp, ITEM_CHASSIS) > 0))) {
		snprintf(a, sizeof(a), "%zu", ms);
		snprintf(b, sizeof(b), "%zu", mn);
		cc_add(cc, "members", a, b);
	}
}

/* An empty field of dst takes src's. */
#define FILL(dst, src, f) do {						\
	if ((dst)->f[0] == '\0')					\
		fact_strlcpy((dst)->f, (src)->f, sizeof((dst)->f));	\
} while (0)

/*
 * Add the comma-separated names of add to the set in buf (size len),
 * keeping the order of buf and then of add; a name that would not fit is
 * left out.
 */
static void
source_union(char *buf, size_t len, const char *add)
{
	const char	*p, *q;
	size_t		 n, have, off;

	for (p = add; *p != '\0'; p = *q != '\0' ? q + 1 : q) {
		q = p + strcspn(p, ",");
		if ((n = (size_t)(q - p)) == 0)
			continue;
		for (off = 0; buf[off] != '\0';
		    off += strcspn(buf + off, ",")) {
			if (buf[off] == ',')
				off++;
			if (strncmp(buf + off, p, n) == 0 &&
			    (buf[off + n] == ',' || buf[off + n] == '\0'))
				break;
		}
		if (buf[off] != '\0')
			continue;		/* already there */
		have = strlen(buf);
		if (have + (have > 0) + n + 1 > len)
			continue;
		if (have > 0)
			buf[have++] = ',';
		memcpy(buf + have, p, n);
		buf[have + n] = '\0';
	}
}

#define REF_SEP	" | "

/* Is ref one of the REF_SEP-separated refs in refs? */
static int
ref_has(const char *refs, const char *ref)
{
	const char	*p = refs, *q;
	size_t		 n = strlen(ref);

	for (;;) {
		q = strstr(p, REF_SEP);
		if ((q != NULL ? (size_t)(q - p) : strlen(p)) == n &&
		    strncmp(p, ref, n) == 0)
			return (1);
		if (q == NULL)
			return (0);
		p = q + strlen(REF_SEP);
	}
}

/* "dst-ref | src-ref", unless src's is empty or already there. */
static void
ref_join(char *dst, size_t dstlen, const char *add)
{
	char	 buf[2 * ITEM_REF_LEN + sizeof(REF_SEP)];
	int	 n;

	if (add[0] == '\0' || ref_has(dst, add))
		return;
	if (dst[0] == '\0') {
		fact_strlcpy(dst, add, dstlen);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%s" REF_SEP "%s", dst, add);
	if (n < 0)
		return;
	/* Truncates on a character boundary, unlike snprintf into dst. */
	fact_sanitize(dst, buf, strnlen(buf, sizeof(buf)), dstlen);
}

/* A src item matched dst: dst gets what it lacks.  See facts_merge(). */
static void
item_merge(struct item *dst, const struct item *src)
{
	if (!is_serialized(dst) && is_serialized(src)) {
		fact_strlcpy(dst->serial, src->serial, sizeof(dst->serial));
		dst->serialized = 1;
	} else
		FILL(dst, src, serial);
	FILL(dst, src, name);
	FILL(dst, src, part_number);
	FILL(dst, src, model);
	FILL(dst, src, description);
	FILL(dst, src, revision);
	FILL(dst, src, clei);
	FILL(dst, src, version);
	FILL(dst, src, role);
	source_union(dst->source, sizeof(dst->source), src->source);
	ref_join(dst->source_ref, sizeof(dst->source_ref), src->source_ref);
}

/* What facts_merge() keeps while it matches src's items to dst's. */
struct merge {
	struct dev_facts	*f;		/* the result, dst's items first */
	int			 chassis;	/* f's device chassis, or -1 */
	int			*map;		/* src item -> f item, -1: not yet */
	unsigned char		*taken;		/* f item matched by name */
};

/*
 * The item of m->f that src item i is (rules 1 to 3 of facts_merge()),
 * or -1.  Rule 3 looks for the item under the same parent first (a
 * "Power Supply 0" in each VC member is told apart by its member), else
 * takes the first one of that kind and name.  An item already matched
 * (by any rule) is not matched again by name, so node1's "FPC 0" does not
 * become node0's.
 */
static int
item_match(const struct merge *m, const struct dev_facts *src, size_t i,
    int src_chassis)
{
	const struct item	*it, *s = &src->items[i];
	size_t			 j;
	int			 p, parent = -1, first = -1;

	if (is_serialized(s))
		for (j = 0; j < m->f->nitems; j++)
			if (is_serialized(&m->f->items[j]) &&
			    strcmp(m->f->items[j].serial, s->serial) == 0)
				return ((int)j);
	if ((int)i == src_chassis && m->chassis >= 0)
		return (m->chassis);
	p = s->parent;
	if (p >= 0 && (size_t)p < src->nitems)
		parent = m->map[p];
	for (j = 0; j < m->f->nitems; j++) {
		it = &m->f->items[j];
		if (m->taken[j] || it->kind != s->kind ||
		    strcmp(it->name, s->name) != 0 ||
		    (is_serialized(it) && is_serialized(s)))
			continue;
		if (parent >= 0 && it->parent == parent)
			return ((int)j);
		if (first < 0)
			first = (int)j;
	}
	return (first);
}

/*
 * Depth of src item i in its tree (0: top level); a parent index out of
 * range ends the walk, and so does a loop after nitems steps.
 */
static size_t
item_depth(const struct dev_facts *f, size_t i)
{
	size_t	 d = 0;
	int	 p = f->items[i].parent;

	while (p >= 0 && (size_t)p < f->nitems && d < f->nitems) {
		d++;
		p = f->items[p].parent;
	}
	return (d);
}

/* The device fields of facts_merge(). */
static void
device_merge(struct dev_facts *dst, const struct dev_facts *src)
{
	if (dst->hostname[0] == '\0')
		fact_strlcpy(dst->hostname, src->hostname,
		    sizeof(dst->hostname));
	if (dst->model[0] == '\0' && src->model[0] != '\0') {
		fact_strlcpy(dst->model, src->model, sizeof(dst->model));
		fact_strlcpy(dst->model_source, src->model_source,
		    sizeof(dst->model_source));
	}
	if (dst->version[0] == '\0' && src->version[0] != '\0') {
		fact_strlcpy(dst->version, src->version, sizeof(dst->version));
		fact_strlcpy(dst->version_source, src->version_source,
		    sizeof(dst->version_source));
	}
	if (src->serial[0] != '\0' && (dst->serial[0] == '\0' ||
	    (dev_serial_placeholder(dst) && !dev_serial_placeholder(src))))
		fact_strlcpy(dst->serial, src->serial, sizeof(dst->serial));
	FILL(dst, src, sys_descr);
	FILL(dst, src, sys_object_id);
	FILL(dst, src, sys_name);
	FILL(dst, src, sys_location);
	if (!dst->have_system && src->have_system) {
		dst->have_system = 1;
		dst->sys_uptime = src->sys_uptime;
	}
	if (dst->os == OS_UNKNOWN)
		dst->os = src->os;
}

int
facts_merge(struct dev_facts *dst, const struct dev_facts *src,
    struct crosscheck *cc)
{
	struct dev_facts	 tmp;
	struct merge		 m;
	struct item		*it;
	size_t			*depth = NULL;
	size_t			 i, d, maxd = 0, ndst, ndone;
	int			 k, p, sch, rc = -1;

	if (cc != NULL)
		memset(cc, 0, sizeof(*cc));
	if (dst == src || facts_empty(src))
		return (0);
	if (facts_empty(dst))
		return (facts_copy(dst, src));
	if (src->nitems > INT_MAX || dst->nitems > INT_MAX - src->nitems)
		return (-1);

	memset(&m, 0, sizeof(m));
	facts_init(&tmp);
	if (facts_copy(&tmp, dst) == -1)
		return (-1);
	ndst = tmp.nitems;
	if (src->nitems > 0 &&
	    ((m.map = calloc(src->nitems, sizeof(*m.map))) == NULL ||
	    (depth = calloc(src->nitems, sizeof(*depth))) == NULL ||
	    (m.taken = calloc(ndst + src->nitems, 1)) == NULL))
		goto done;
	m.f = &tmp;
	m.chassis = device_chassis(&tmp);
	sch = device_chassis(src);
	device_merge(&tmp, src);

	/*
	 * Parents before children, so that rule 3 knows where a src item's
	 * parent went; src's own order within one depth.
	 */
	for (i = 0; i < src->nitems; i++) {
		m.map[i] = -1;
		if ((depth[i] = item_depth(src, i)) > maxd)
			maxd = depth[i];
	}
	for (d = 0, ndone = 0; d <= maxd && ndone < src->nitems; d++) {
		for (i = 0; i < src->nitems; i++) {
			if (depth[i] != d)
				continue;
			ndone++;
			if ((k = item_match(&m, src, i, sch)) >= 0) {
				item_merge(&tmp.items[k], &src->items[i]);
				m.map[i] = k;
				m.taken[k] = 1;
				continue;
			}
			if ((it = facts_add_item(&tmp,
			    src->items[i].kind)) == NULL)
				goto done;
			*it = src->items[i];
			it->parent = -1;
			m.map[i] = (int)(tmp.nitems - 1);
			m.taken[m.map[i]] = 1;
		}
	}
	/* The parents of what was added, now that every src item is mapped. */
	for (i = 0; i < src->nitems; i++) {
		if ((size_t)m.map[i] < ndst)
			continue;
		p = src->items[i].parent;
		if (p >= 0 && (size_t)p < src->nitems && m.map[p] != m.map[i])
			tmp.items[m.map[i]].parent = m.map[p];
	}

	/* On the two sides as reported, before either filled the other. */
	crosscheck(dst, src, cc);
	facts_free(dst);
	*dst = tmp;
	facts_init(&tmp);
	rc = 0;
done:
	free(m.map);
	free(m.taken);
	free(depth);
	facts_free(&tmp);
	return (rc);
}

const char *
poll_status_str(enum poll_status s)
{
	switch (s) {
	case POLL_OK:
		return ("ok");
	case POLL_PARTIAL:
		return ("partial");
	case POLL_TIMEOUT:
		return ("timeout");
	case POLL_AUTH:
		return ("auth");
	case POLL_REFUSED:
		return ("refused");
	case POLL_BADREPLY:
		return ("badreply");
	case POLL_ERROR:
		return ("error");
	}
	return ("error");
}

const char *
item_kind_str(enum item_kind k)
{
	switch (k) {
	case ITEM_CHASSIS:
		return ("chassis");
	case ITEM_MEMBER:
		return ("member");
	case ITEM_COMPONENT:
		return ("component");
	}
	return ("component");
}

const char *
dev_os_str(enum dev_os os)
{
	switch (os) {
	case OS_UNKNOWN:
		return ("unknown");
	case OS_JUNOS:
		return ("junos");
	case OS_JUNOS_EVO:
		return ("junos-evolved");
	case OS_OTHER:
		return ("other");
	}
	return ("unknown");
}

void
fact_strlcpy(char *dst, const char *src, size_t dstlen)
{
	size_t	 n;

	if (dstlen == 0)
		return;
	n = src ? strlen(src) : 0;
	if (n >= dstlen)
		n = dstlen - 1;
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * Length of the well-formed UTF-8 character at s (n bytes available), or
 * 0 if the bytes there are not one (RFC 3629: no overlongs, surrogates or
 * code points above U+10FFFF).  Only called for bytes >= 0x80.
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t	 len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return (0);
	if (n < len)
		return (0);
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return (0);
	if (s[0] == 0xe0 && s[1] < 0xa0)
		return (0);		/* overlong */
	if (s[0] == 0xed && s[1] >= 0xa0)
		return (0);		/* surrogate */
	if (s[0] == 0xf0 && s[1] < 0x90)
		return (0);		/* overlong */
	if (s[0] == 0xf4 && s[1] >= 0x90)
		return (0);		/* > U+10FFFF */
	return (len);
}

void
fact_sanitize(char *dst, const char *src, size_t srclen, size_t dstlen)
{
	const unsigned char	*s = (const unsigned char *)src;
	size_t			 i = 0, o = 0, len, end;

	if (dstlen == 0)
		return;
	/* Leading blanks (and NULs/control bytes, which become blanks). */
	while (i < srclen && (s[i] <= 0x20 || s[i] == 0x7f))
		i++;
	while (i < srclen) {
		if (s[i] < 0x20 || s[i] == 0x7f) {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = ' ';
			i++;
		} else if (s[i] < 0x80) {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = (char)s[i++];
		} else if ((len = utf8_len(s + i, srclen - i)) > 0) {
			if (o + len >= dstlen)
				break;
			memcpy(dst + o, s + i, len);
			o += len;
			i += len;
		} else {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = '?';
			i++;
		}
	}
	end = o;
	while (end > 0 && dst[end - 1] == ' ')
		end--;
	dst[end] = '\0';
}

/* One dump value: see facts_dump() for the escapes. */
static void
dump_str(FILE *fp, const char *key, const char *val)
{
	const unsigned char	*s = (const unsigned char *)val;
	size_t			 n = strlen(val), i = 0, len;

	fprintf(fp, "%s=", key);
	while (i < n) {
		if (s[i] == '\\') {
			fputs("\\\\", fp);
			i++;
		} else if (s[i] == '\n') {
			fputs("\\n", fp);
			i++;
		} else if (s[i] == '\t') {
			fputs("\\t", fp);
			i++;
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			fprintf(fp, "\\x%02x", s[i]);
			i++;
		} else if (s[i] < 0x80) {
			fputc(s[i], fp);
			i++;
		} else if ((len = utf8_len(s + i, n - i)) > 0) {
			fwrite(s + i, 1, len, fp);
			i += len;
		} else {
			fprintf(fp, "\\x%02x", s[i]);
			i++;
		}
	}
	fputc('\n', fp);
}

/*
 * Fields are dumped with bounded strnlen semantics: a field filled by
 * someone who forgot the NUL must not make the dump read past it.
 */
static void
dump_field(FILE *fp, const char *key, const char *field, size_t size)
{
	char	 buf[DEV_DESCR_LEN + 1];
	size_t	 n;

	n = strnlen(field, size);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, field, n);
	buf[n] = '\0';
	dump_str(fp, key, buf);
}

#define DUMP_FIELD(fp, key, field)	dump_field((fp), (key), (field), sizeof(field))

void
facts_dump(FILE *fp, const struct dev_facts *f)
{
	const struct item	*it;
	char			 key[64];
	size_t			 i;

	DUMP_FIELD(fp, "sys_descr", f->sys_descr);
	DUMP_FIELD(fp, "sys_object_id", f->sys_object_id);
	DUMP_FIELD(fp, "sys_name", f->sys_name);
	DUMP_FIELD(fp, "sys_location", f->sys_location);
	fprintf(fp, "sys_uptime=%lu\n", (unsigned long)f->sys_uptime);
	fprintf(fp, "have_system=%d\n", f->have_system);
	dump_str(fp, "os", dev_os_str(f->os));
	DUMP_FIELD(fp, "hostname", f->hostname);
	DUMP_FIELD(fp, "model", f->model);
	DUMP_FIELD(fp, "model_source", f->model_source);
	DUMP_FIELD(fp, "serial", f->serial);
	DUMP_FIELD(fp, "version", f->version);
	DUMP_FIELD(fp, "version_source", f->version_source);
	fprintf(fp, "nitems=%zu\n", f->nitems);
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
#define ITEM_KEY(name)	(snprintf(key, sizeof(key), "item.%zu.%s", i, (name)), key)
		dump_str(fp, ITEM_KEY("kind"), item_kind_str(it->kind));
		fprintf(fp, "item.%zu.parent=%d\n", i, it->parent);
		fprintf(fp, "item.%zu.serialized=%d\n", i, it->serialized);
		DUMP_FIELD(fp, ITEM_KEY("name"), it->name);
		DUMP_FIELD(fp, ITEM_KEY("serial"), it->serial);
		DUMP_FIELD(fp, ITEM_KEY("part_number"), it->part_number);
		DUMP_FIELD(fp, ITEM_KEY("model"), it->model);
		DUMP_FIELD(fp, ITEM_KEY("description"), it->description);
		DUMP_FIELD(fp, ITEM_KEY("revision"), it->revision);
		DUMP_FIELD(fp, ITEM_KEY("clei"), it->clei);
		DUMP_FIELD(fp, ITEM_KEY("version"), it->version);
		DUMP_FIELD(fp, ITEM_KEY("role"), it->role);
		DUMP_FIELD(fp, ITEM_KEY("source"), it->source);
		DUMP_FIELD(fp, ITEM_KEY("source_ref"), it->source_ref);
#undef ITEM_KEY
	}
}
