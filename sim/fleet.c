/*
 * fleet.c: profiles and the per-device derivation of the simulator (see
 * fleet.h).  A profile is loaded once and shared by all its copies; what
 * differs between copies (serials, and after an epoch the chassis serial
 * or the version) is computed on demand from small integers, so 10,000
 * devices cost no more memory than one per profile.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fleet.h"

#define FLEET_RMA_SHIFT	24	/* RMA copies: k = copy + epoch << 24 */
#define FLEET_LOW_MAX	(1ULL << 40)	/* mixed-radix part that is stepped */

/* Columns whose values are serial numbers. */
static const char *const serial_cols[] = {
	"1.3.6.1.4.1.2636.3.1.3",		/* jnxBoxSerialNo */
	"1.3.6.1.4.1.2636.3.1.8.1.7",		/* jnxContentsSerialNo */
	"1.3.6.1.4.1.2636.3.40.1.4.1.1.1.2",	/* jnxVirtualChassisMemberSerialnumber */
	"1.3.6.1.2.1.47.1.1.1.1.11",		/* entPhysicalSerialNum */
};
#define OID_BOXSERIAL	"1.3.6.1.4.1.2636.3.1.3.0"
#define OID_CONTENTS1	"1.3.6.1.4.1.2636.3.1.8.1.7.1"
#define OID_SYSDESCR0	"1.3.6.1.2.1.1.1.0"
#define OID_HRSWNAME1	"1.3.6.1.2.1.25.6.3.1.2.1"
#define OID_VCVERSION0	"1.3.6.1.4.1.2636.3.40.1.4.1.1.1.5.0"

uint64_t
fleet_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

static uint64_t
fnv64(const void *p, size_t len)
{
	const unsigned char	*s = p;
	uint64_t		 h = 0xcbf29ce484222325ULL;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

static int
radix_of(int c)
{
	if (c >= '0' && c <= '9')
		return (10);
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		return (26);
	return (0);
}

static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	uint64_t	 t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return (a);
}

/*
 * The rightmost alphanumeric characters, as long as their mixed-radix
 * range stays below 2^40, form a number v; copy k serves
 * v + k * step (mod range) with step coprime to the range, so copies
 * never collide while k < range.  The characters to their left (a
 * plant or date prefix on Juniper serials) are kept.
 */
void
fleet_serial_derive(uint64_t seed, uint64_t profile_key, uint64_t k,
    const char *in, size_t len, char *out)
{
	uint64_t	 range = 1, v = 0, mul = 1, step, d, h;
	size_t		 i, first = len;
	int		 r, c;

	memcpy(out, in, len);
	if (k == 0)
		return;
	for (i = len; i > 0; i--) {
		if ((r = radix_of((unsigned char)in[i - 1])) == 0)
			continue;
		if (range * (uint64_t)r > FLEET_LOW_MAX)
			break;
		c = (unsigned char)in[i - 1];
		if (r == 10)
			d = (uint64_t)(c - '0');
		else
			d = (uint64_t)(c >= 'a' ? c - 'a' : c - 'A');
		v += d * mul;
		mul *= (uint64_t)r;
		range *= (uint64_t)r;
		first = i - 1;
	}
	if (range < 2)
		return;
	/*
	 * The step depends on the stepped part only, upper-cased: "s/n
	 * pe3714aa0013" in one column and "PE3714AA0013" in another are one
	 * serial to the collector, and must stay one in every copy.
	 */
	for (i = first, h = 0xcbf29ce484222325ULL; i < len; i++) {
		h ^= (uint64_t)toupper((unsigned char)in[i]);
		h *= 0x100000001b3ULL;
	}
	step = fleet_mix(seed ^ fleet_mix(profile_key ^ h)) % range;
	if (step == 0)
		step = 1;
	while (gcd64(step, range) != 1)
		step = step + 1 < range ? step + 1 : 1;
	v = (v + (k % range) * step) % range;
	for (i = len; i > first; i--) {
		c = (unsigned char)in[i - 1];
		if ((r = radix_of(c)) == 0)
			continue;
		d = v % (uint64_t)r;
		v /= (uint64_t)r;
		if (r == 10)
			out[i - 1] = (char)('0' + d);
		else if (c >= 'a')
			out[i - 1] = (char)('a' + d);
		else
			out[i - 1] = (char)('A' + d);
	}
}

int
fleet_version_bump(const char *ver, size_t len, unsigned epoch, char *out,
    size_t cap)
{
	unsigned long	 major = 0;
	size_t		 i = 0;
	int		 w;

	while (i < len && ver[i] >= '0' && ver[i] <= '9' && i < 6) {
		major = major * 10 + (unsigned long)(ver[i] - '0');
		i++;
	}
	if (i == 0)
		return (-1);
	w = snprintf(out, cap, "%lu%.*s", major + epoch, (int)(len - i),
	    ver + i);
	if (w < 0 || (size_t)w >= cap)
		return (-1);
	return (w);
}

static int
has_digit(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return (1);
	return (0);
}

static int
under(const struct vb *v, const char *prefix)
{
	uint32_t	 p[VB_MAX_OID];
	int		 n;

	if ((n = oid_parse(prefix, p, VB_MAX_OID)) == -1 ||
	    v->oidlen < (size_t)n)
		return (0);
	return (oid_cmp(v->oid, (size_t)n, p, (size_t)n) == 0);
}

static long
find(const struct vblist *l, const uint32_t *oid, size_t len)
{
	size_t	 lo = 0, hi = l->n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = oid_cmp(l->v[mid].oid, l->v[mid].oidlen, oid, len);
		if (c == 0)
			return ((long)mid);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (-1);
}

static long
find_text(const struct vblist *l, const char *text)
{
	uint32_t	 o[VB_MAX_OID];
	int		 n;

	if ((n = oid_parse(text, o, VB_MAX_OID)) == -1)
		return (-1);
	return (find(l, o, (size_t)n));
}

/*
 * snmprec_load() folds Counter32, Gauge32, TimeTicks and Counter64 into
 * VB_UINT and the three exceptions into VB_NULL; a server must answer
 * with the original tags, so a second pass reads them from the file.
 */
static int
load_tags(const char *path, struct fleet_profile *p, char *err, size_t errlen)
{
	FILE		*fp;
	char		*line = NULL, *t, *e;
	size_t		 cap = 0, i;
	uint32_t	 o[VB_MAX_OID];
	long		 at;
	int		 n;
	uint8_t		 tag;

	for (i = 0; i < p->vbs.n; i++) {
		switch (p->vbs.v[i].type) {
		case VB_STR:	p->tag[i] = 0x04; break;
		case VB_INT:	p->tag[i] = 0x02; break;
		case VB_UINT:	p->tag[i] = 0x42; break;
		case VB_OID:	p->tag[i] = 0x06; break;
		case VB_IPADDR:	p->tag[i] = 0x40; break;
		case VB_NULL:	p->tag[i] = 0x05; break;
		}
	}
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (getline(&line, &cap, fp) != -1) {
		if ((t = strchr(line, '|')) == NULL)
			continue;
		*t++ = '\0';
		if ((e = strchr(t, '|')) == NULL)
			continue;
		*e = '\0';
		if (strcmp(t, "65") == 0)
			tag = 0x41;
		else if (strcmp(t, "67") == 0)
			tag = 0x43;
		else if (strcmp(t, "70") == 0)
			tag = 0x46;
		else if (strcmp(t, "128") == 0)
			tag = 0x80;
		else if (strcmp(t, "129") == 0)
			tag = 0x81;
		else if (strcmp(t, "130") == 0)
			tag = 0x82;
		else
			continue;
		if ((n = oid_parse(line, o, VB_MAX_OID)) == -1)
			continue;
		if ((at = find(&p->vbs, o, (size_t)n)) != -1)
			p->tag[at] = tag;
	}
	free(line);
	fclose(fp);
	return (0);
}

/* The Junos version in sysDescr ("... kernel JUNOS 21.4R3-S5.4, ..."). */
static void
find_version(struct fleet_profile *p)
{
	const struct vb	*v;
	const char	*s, *end;
	long		 at;
	size_t		 n;

	s = NULL;
	if ((at = find_text(&p->vbs, OID_SYSDESCR0)) != -1 &&
	    (v = &p->vbs.v[at])->type == VB_STR &&
	    (s = strstr(v->str, "JUNOS ")) != NULL)
		s += 6;
	/* sysDescr set by the operator: hrSWInstalledName, VC member 0. */
	if (s == NULL && (at = find_text(&p->vbs, OID_HRSWNAME1)) != -1 &&
	    (v = &p->vbs.v[at])->type == VB_STR &&
	    (s = strchr(v->str, '[')) != NULL)
		s++;
	if (s == NULL && (at = find_text(&p->vbs, OID_VCVERSION0)) != -1 &&
	    (v = &p->vbs.v[at])->type == VB_STR)
		s = v->str;
	if (s == NULL)
		return;
	for (end = s; *end != '\0' && *end != ',' && *end != ' ' &&
	    *end != ']'; end++)
		;
	n = (size_t)(end - s);
	if (n == 0 || n >= sizeof(p->version) || *s < '0' || *s > '9')
		return;
	memcpy(p->version, s, n);
	p->version[n] = '\0';
	p->versionlen = n;
}

static void
mark_entries(struct fleet_profile *p)
{
	const struct vb	*v, *cs = NULL;
	long		 at;
	size_t		 i, j;

	if ((at = find_text(&p->vbs, OID_BOXSERIAL)) != -1 &&
	    p->vbs.v[at].type == VB_STR &&
	    has_digit(p->vbs.v[at].str, p->vbs.v[at].len))
		cs = &p->vbs.v[at];
	for (i = 0; i < p->vbs.n; i++) {
		v = &p->vbs.v[i];
		if (v->type != VB_STR)
			continue;
		for (j = 0; j < sizeof(serial_cols) / sizeof(serial_cols[0]);
		    j++) {
			if (under(v, serial_cols[j]) &&
			    has_digit(v->str, v->len) &&
			    v->len < FLEET_VALUE_MAX)
				p->eflags[i] |= FLEET_E_SERIAL;
		}
		/* No jnxBoxSerialNo: the first chassis row's serial. */
		if (cs == NULL && (p->eflags[i] & FLEET_E_SERIAL) &&
		    under(v, OID_CONTENTS1))
			cs = v;
	}
	find_version(p);
	for (i = 0; i < p->vbs.n; i++) {
		v = &p->vbs.v[i];
		if (v->type != VB_STR)
			continue;
		if (cs != NULL && (p->eflags[i] & FLEET_E_SERIAL) &&
		    v->len == cs->len && memcmp(v->str, cs->str, v->len) == 0)
			p->eflags[i] |= FLEET_E_CHASSIS;
		if (p->versionlen > 0 && !(p->eflags[i] & FLEET_E_SERIAL) &&
		    v->len < FLEET_VALUE_MAX - 16 &&
		    memmem(v->str, v->len, p->version, p->versionlen) != NULL)
			p->eflags[i] |= FLEET_E_VERSION;
	}
}

int
fleet_profile_load(const char *path, struct fleet_profile *p, char *err,
    size_t errlen)
{
	const char	*base;
	size_t		 i, o, n;

	memset(p, 0, sizeof(*p));
	vblist_init(&p->vbs);
	if (snmprec_load(path, &p->vbs, err, errlen) == -1)
		goto fail;
	if (p->vbs.n == 0) {
		snprintf(err, errlen, "%s: no varbinds", path);
		goto fail;
	}
	vblist_sort(&p->vbs);
	/* Keep the first of duplicate OIDs: a table needs unique keys. */
	for (i = 1, o = 1; i < p->vbs.n; i++) {
		if (oid_cmp(p->vbs.v[i].oid, p->vbs.v[i].oidlen,
		    p->vbs.v[o - 1].oid, p->vbs.v[o - 1].oidlen) == 0)
			continue;	/* its OID and string stay in the arena */
		if (o != i)
			p->vbs.v[o] = p->vbs.v[i];
		o++;
	}
	p->vbs.n = o;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 8 && strcmp(base + n - 8, ".snmprec") == 0)
		n -= 8;
	if ((p->path = strdup(path)) == NULL ||
	    (p->name = strndup(base, n)) == NULL ||
	    (p->eflags = calloc(p->vbs.n, 1)) == NULL ||
	    (p->tag = calloc(p->vbs.n, 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	p->key = fnv64(p->name, n);
	if (load_tags(path, p, err, errlen) == -1)
		goto fail;
	mark_entries(p);
	return (0);
fail:
	fleet_profile_free(p);
	return (-1);
}

void
fleet_profile_free(struct fleet_profile *p)
{
	if (p == NULL)
		return;
	vblist_free(&p->vbs);
	free(p->path);
	free(p->name);
	free(p->eflags);
	free(p->tag);
	memset(p, 0, sizeof(*p));
}

void
fleet_value(const struct fleet_profile *p, size_t i, uint64_t seed,
    unsigned copy, unsigned epoch, unsigned flags, char *buf, size_t cap,
    const char **val, size_t *len)
{
	const struct vb	*v = &p->vbs.v[i];
	char		 nv[FLEET_VERSION_MAX + 16];
	const char	*s, *hit;
	uint64_t	 k;
	size_t		 o, rest;
	int		 nvlen;
	uint8_t		 ef = p->eflags[i];

	*val = v->str;
	*len = v->len;
	if (ef == 0 || v->type != VB_STR)
		return;
	if (ef & FLEET_E_SERIAL) {
		k = copy;
		if ((ef & FLEET_E_CHASSIS) && (flags & FLEET_RMA) && epoch > 0)
			k += (uint64_t)epoch << FLEET_RMA_SHIFT;
		if (k == 0 || v->len > cap)
			return;
		fleet_serial_derive(seed, p->key, k, v->str, v->len, buf);
		*val = buf;
		return;
	}
	if (!(ef & FLEET_E_VERSION) || !(flags & FLEET_UPGRADE) || epoch == 0)
		return;
	if ((nvlen = fleet_version_bump(p->version, p->versionlen, epoch, nv,
	    sizeof(nv))) == -1)
		return;
	/* Every occurrence of the old version, in place. */
	s = v->str;
	rest = v->len;
	o = 0;
	while ((hit = memmem(s, rest, p->version, p->versionlen)) != NULL) {
		if (o + (size_t)(hit - s) + (size_t)nvlen > cap)
			return;
		memcpy(buf + o, s, (size_t)(hit - s));
		o += (size_t)(hit - s);
		memcpy(buf + o, nv, (size_t)nvlen);
		o += (size_t)nvlen;
		rest -= (size_t)(hit - s) + p->versionlen;
		s = hit + p->versionlen;
	}
	if (o + rest > cap)
		return;
	memcpy(buf + o, s, rest);
	*val = buf;
	*len = o + rest;
}

int
fleet_profile_walk(const struct fleet_profile *p, uint64_t seed,
    unsigned copy, unsigned epoch, unsigned flags, struct vblist *out)
{
	char		 buf[FLEET_VALUE_MAX];
	const struct vb	*v;
	const char	*val;
	size_t		 i, len;

	for (i = 0; i < p->vbs.n; i++) {
		v = &p->vbs.v[i];
		fleet_value(p, i, seed, copy, epoch, flags, buf, sizeof(buf),
		    &val, &len);
		if (vblist_add(out, v->oid, v->oidlen, v->type, v->num, val,
		    len) == -1)
			return (-1);
	}
	return (0);
}

int
fleet_device_walk(const char *profile, uint64_t seed, unsigned copy,
    unsigned epoch, unsigned flags, struct vblist *out, char *err,
    size_t errlen)
{
	struct fleet_profile	 p;
	int			 rc = -1;

	if (fleet_profile_load(profile, &p, err, errlen) == -1)
		return (-1);
	if (fleet_profile_walk(&p, seed, copy, epoch, flags, out) == -1)
		snprintf(err, errlen, "%s: out of memory", profile);
	else
		rc = 0;
	fleet_profile_free(&p);
	return (rc);
}

const char *
fleet_chassis_serial(const struct fleet_profile *p, uint64_t seed,
    unsigned copy, unsigned epoch, unsigned flags, char *buf, size_t cap)
{
	char		 tmp[FLEET_VALUE_MAX];
	const char	*val;
	size_t		 i, len;

	if (cap == 0)
		return (buf);
	buf[0] = '\0';
	for (i = 0; i < p->vbs.n; i++) {
		if (!(p->eflags[i] & FLEET_E_CHASSIS))
			continue;
		fleet_value(p, i, seed, copy, epoch, flags, tmp, sizeof(tmp),
		    &val, &len);
		if (len >= cap)
			len = cap - 1;
		memcpy(buf, val, len);
		buf[len] = '\0';
		break;
	}
	return (buf);
}

static int
printable(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!isprint((unsigned char)s[i]))
			return (0);
	return (1);
}

int
fleet_write_snmprec(const struct vblist *l, const uint8_t *tag, FILE *fp)
{
	const struct vb	*v;
	char		 ob[VB_MAX_OID * 11];
	size_t		 i, j;
	int		 t;

	for (i = 0; i < l->n; i++) {
		v = &l->v[i];
		oid_format(v->oid, v->oidlen, ob, sizeof(ob));
		t = tag ? tag[i] : 0;
		switch (v->type) {
		case VB_STR:
			if (printable(v->str, v->len)) {
				fprintf(fp, "%s|4|%.*s\n", ob, (int)v->len,
				    v->str);
				break;
			}
			fprintf(fp, "%s|4x|", ob);
			for (j = 0; j < v->len; j++)
				fprintf(fp, "%02x", (unsigned char)v->str[j]);
			fputc('\n', fp);
			break;
		case VB_INT:
			fprintf(fp, "%s|2|%lld\n", ob, v->num);
			break;
		case VB_UINT:
			fprintf(fp, "%s|%s|%lld\n", ob, t == 0x41 ? "65" :
			    t == 0x43 ? "67" : t == 0x46 ? "70" : "66", v->num);
			break;
		case VB_OID:
			fprintf(fp, "%s|6|%s\n", ob, v->str);
			break;
		case VB_IPADDR:
			fprintf(fp, "%s|64|%s\n", ob, v->str);
			break;
		case VB_NULL:
			fprintf(fp, "%s|%s|\n", ob, t == 0x80 ? "128" :
			    t == 0x81 ? "129" : t == 0x82 ? "130" : "5");
			break;
		}
	}
	return (ferror(fp) ? -1 : 0);
}
