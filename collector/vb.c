/*
 * vb.c: protocol-neutral varbind lists, OID helpers and the snmpsim
 * .snmprec reader.  The list owns every value it holds; the reader is the
 * only way the tests and the offline tools feed walks to the parsers.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb.h"

#define SNMPREC_MAX_LINE	(1 << 20)	/* longer lines are not walks */

/*
 * Arena chunks grow from VB_CHUNK0 to VB_CHUNK bytes: a device in flight
 * that has only its system group costs a few hundred bytes, one with
 * every table (about 90 values for a QFX) a few KB.  A value larger than
 * half a chunk gets a chunk of its own.
 */
#define VB_CHUNK0	1024
#define VB_CHUNK	8192
#define VB_FIRST	16	/* values in a new list's first array */

struct vb_chunk {
	struct vb_chunk	*next;
	size_t		 used;
	size_t		 size;
	uint64_t	 mem[];		/* aligned for uint32_t OIDs */
};

void
vblist_init(struct vblist *l)
{
	memset(l, 0, sizeof(*l));
}

void
vblist_free(struct vblist *l)
{
	struct vb_chunk	*c, *next;

	if (l == NULL)
		return;
	for (c = l->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* n bytes from the arena, 4-byte aligned; NULL on OOM. */
static void *
arena_get(struct vblist *l, size_t n)
{
	struct vb_chunk	*c = l->arena;
	size_t		 size;
	void		*p;

	n = (n + 3) & ~(size_t)3;
	if (c == NULL || c->size - c->used < n) {
		size = c == NULL ? VB_CHUNK0 : c->size < VB_CHUNK ?
		    c->size * 2 : VB_CHUNK;
		if (n > size / 2)
			size = n;
		if (size > SIZE_MAX - sizeof(*c) ||
		    (c = malloc(sizeof(*c) + size)) == NULL)
			return (NULL);
		c->size = size;
		c->used = 0;
		if (size == n && l->arena != NULL) {
			/* A big value: keep filling the current chunk. */
			c->next = l->arena->next;
			l->arena->next = c;
		} else {
			c->next = l->arena;
			l->arena = c;
		}
	}
	p = (char *)c->mem + c->used;
	c->used += n;
	return (p);
}

int
vblist_add(struct vblist *l, const uint32_t *oid, size_t oidlen,
    enum vb_type type, long long num, const char *str, size_t len)
{
	struct vb	*v;
	size_t		 ncap;
	uint32_t	*o;
	char		*copy = NULL;

	if (oidlen > VB_MAX_OID)
		return (-1);
	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : VB_FIRST;
		if (ncap > SIZE_MAX / sizeof(*v))
			return (-1);
		if ((v = realloc(l->v, ncap * sizeof(*v))) == NULL)
			return (-1);
		l->v = v;
		l->cap = ncap;
	}
	if ((o = arena_get(l, oidlen * sizeof(*o))) == NULL)
		return (-1);
	if (str != NULL) {
		if (len >= SIZE_MAX - 4 || (copy = arena_get(l, len + 1)) == NULL)
			return (-1);
		if (len > 0)
			memcpy(copy, str, len);
		copy[len] = '\0';
	}
	v = &l->v[l->n++];
	if (oidlen > 0)
		memcpy(o, oid, oidlen * sizeof(*oid));
	v->oid = o;
	v->oidlen = (uint32_t)oidlen;
	v->type = type;
	v->num = num;
	v->str = copy;
	v->len = copy ? len : 0;
	return (0);
}

int
oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
	size_t	 i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (a[i] < b[i] ? -1 : 1);
	}
	if (alen == blen)
		return (0);
	return (alen < blen ? -1 : 1);
}

static int
vb_cmp(const void *pa, const void *pb)
{
	const struct vb	*a = pa, *b = pb;

	return (oid_cmp(a->oid, a->oidlen, b->oid, b->oidlen));
}

void
vblist_sort(struct vblist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), vb_cmp);
}

/*
 * Scan dotted OID text: with oid == NULL only count sub-identifiers (no
 * limit), else store at most max of them.  Returns the count or -1.
 */
static int
oid_scan(const char *s, uint32_t *oid, size_t max)
{
	size_t		 n = 0;
	unsigned long	 sub;

	if (s == NULL)
		return (-1);
	if (*s == '.')
		s++;
	if (*s == '\0')
		return (-1);
	for (;;) {
		if (*s < '0' || *s > '9')
			return (-1);
		sub = 0;
		while (*s >= '0' && *s <= '9') {
			sub = sub * 10 + (unsigned long)(*s - '0');
			if (sub > UINT32_MAX)
				return (-1);
			s++;
		}
		if (n >= INT_MAX || (oid != NULL && n >= max))
			return (-1);
		if (oid != NULL)
			oid[n] = (uint32_t)sub;
		n++;
		if (*s == '\0')
			break;
		if (*s != '.')
			return (-1);
		s++;
	}
	return ((int)n);
}

int
oid_parse(const char *s, uint32_t *oid, size_t max)
{
	if (oid == NULL)
		return (-1);
	return (oid_scan(s, oid, max));
}

char *
oid_format(const uint32_t *oid, size_t len, char *buf, size_t buflen)
{
	size_t	 i, o = 0;
	int	 w;

	if (buflen == 0)
		return (buf);
	buf[0] = '\0';
	for (i = 0; i < len; i++) {
		w = snprintf(buf + o, buflen - o, i ? ".%lu" : "%lu",
		    (unsigned long)oid[i]);
		if (w < 0 || (size_t)w >= buflen - o) {
			buf[o] = '\0';	/* never end on half a sub-identifier */
			break;
		}
		o += (size_t)w;
	}
	return (buf);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Decode the hex text of a "4x" value in place; returns the byte count
 * or -1 on an odd length or a non-hex digit.
 */
static long
hexdecode(char *s, size_t n)
{
	size_t	 i;
	int	 hi, lo;

	if (n % 2 != 0)
		return (-1);
	for (i = 0; i < n / 2; i++) {
		if ((hi = hexval((unsigned char)s[2 * i])) == -1 ||
		    (lo = hexval((unsigned char)s[2 * i + 1])) == -1)
			return (-1);
		s[i] = (char)(hi << 4 | lo);
	}
	return ((long)(n / 2));
}

/*
 * Parse one "OID|type|value" line (already without its line end).  The
 * value is everything after the second '|', so it may itself contain '|'.
 * Returns 0 (added or deliberately skipped) or -1 with reason set.
 */
static int
snmprec_line(struct vblist *l, char *line, size_t linelen, const char **reason)
{
	uint32_t		 oid[VB_MAX_OID];
	char			*type, *val, *end;
	size_t			 vlen;
	long			 hlen;
	long long		 num;
	unsigned long long	 unum;
	int			 oidlen;

	if ((type = memchr(line, '|', linelen)) == NULL) {
		*reason = "missing '|' after OID";
		return (-1);
	}
	*type++ = '\0';
	if ((val = memchr(type, '|', linelen - (size_t)(type - line))) == NULL) {
		*reason = "missing '|' after type";
		return (-1);
	}
	*val++ = '\0';
	vlen = linelen - (size_t)(val - line);

	/*
	 * Walks hold OIDs we never ask for, some longer than VB_MAX_OID
	 * (BGP tables indexed by IPv6 addresses): those are skipped, not
	 * errors.  A malformed OID is an error.
	 */
	if ((oidlen = oid_scan(line, NULL, 0)) == -1) {
		*reason = "bad OID";
		return (-1);
	}
	if (oidlen > VB_MAX_OID)
		return (0);
	(void)oid_scan(line, oid, VB_MAX_OID);

	if (strcmp(type, "4") == 0) {
		if (vblist_add(l, oid, (size_t)oidlen, VB_STR, 0, val, vlen) == -1)
			goto oom;
	} else if (strcmp(type, "4x") == 0) {
		if ((hlen = hexdecode(val, vlen)) == -1) {
			*reason = "bad hex string";
			return (-1);
		}
		if (vblist_add(l, oid, (size_t)oidlen, VB_STR, 0, val,
		    (size_t)hlen) == -1)
			goto oom;
	} else if (strcmp(type, "2") == 0) {
		errno = 0;
		num = strtoll(val, &end, 10);
		if (vlen == 0 || *end != '\0' || errno != 0) {
			*reason = "bad integer";
			return (-1);
		}
		if (vblist_add(l, oid, (size_t)oidlen, VB_INT, num, NULL, 0) == -1)
			goto oom;
	} else if (strcmp(type, "65") == 0 || strcmp(type, "66") == 0 ||
	    strcmp(type, "67") == 0 || strcmp(type, "70") == 0) {
		errno = 0;
		unum = strtoull(val, &end, 10);
		if (vlen == 0 || *end != '\0' || errno != 0 || val[0] == '-') {
			*reason = "bad unsigned integer";
			return (-1);
		}
		/* Counter64 above LLONG_MAX saturates: nothing we parse needs it. */
		num = unum > LLONG_MAX ? LLONG_MAX : (long long)unum;
		if (vblist_add(l, oid, (size_t)oidlen, VB_UINT, num, NULL, 0) == -1)
			goto oom;
	} else if (strcmp(type, "6") == 0) {
		if (oid_scan(val, NULL, 0) == -1) {
			*reason = "bad OID value";
			return (-1);
		}
		if (*val == '.') {	/* stored without the leading dot */
			val++;
			vlen--;
		}
		if (vblist_add(l, oid, (size_t)oidlen, VB_OID, 0, val, vlen) == -1)
			goto oom;
	} else if (strcmp(type, "64") == 0) {
		if (vblist_add(l, oid, (size_t)oidlen, VB_IPADDR, 0, val, vlen) == -1)
			goto oom;
	} else if (strcmp(type, "64x") == 0) {
		char	 quad[16];

		if ((hlen = hexdecode(val, vlen)) != 4) {
			*reason = "bad hex IpAddress";
			return (-1);
		}
		snprintf(quad, sizeof(quad), "%u.%u.%u.%u",
		    (unsigned char)val[0], (unsigned char)val[1],
		    (unsigned char)val[2], (unsigned char)val[3]);
		if (vblist_add(l, oid, (size_t)oidlen, VB_IPADDR, 0, quad,
		    strlen(quad)) == -1)
			goto oom;
	} else if (strcmp(type, "5") == 0 || strcmp(type, "128") == 0 ||
	    strcmp(type, "129") == 0 || strcmp(type, "130") == 0) {
		if (vblist_add(l, oid, (size_t)oidlen, VB_NULL, 0, NULL, 0) == -1)
			goto oom;
	} else {
		*reason = "unsupported type";
		return (-1);
	}
	return (0);
oom:
	*reason = "out of memory";
	return (-1);
}

int
snmprec_load(const char *path, struct vblist *l, char *err, size_t errlen)
{
	FILE		*fp;
	char		*line = NULL;
	const char	*reason = NULL;
	size_t		 cap = 0, len;
	ssize_t		 got;
	unsigned long	 lineno = 0;
	int		 rc = -1;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while ((got = getline(&line, &cap, fp)) != -1) {
		lineno++;
		len = (size_t)got;
		if (len > SNMPREC_MAX_LINE) {
			reason = "line too long";
			goto bad;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		/* Blank lines occur in real walks; '#' lines are our fixtures' notes. */
		if (len == 0 || line[0] == '#')
			continue;
		if (snmprec_line(l, line, len, &reason) == -1)
			goto bad;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s:%lu: %s", path, lineno + 1,
		    strerror(errno));
		goto done;
	}
	rc = 0;
	goto done;
bad:
	snprintf(err, errlen, "%s:%lu: %s", path, lineno, reason);
done:
	free(line);
	fclose(fp);
	return (rc);
}
