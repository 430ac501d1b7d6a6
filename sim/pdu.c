/*
 * pdu.c: the simulator's SNMP PDU engine (RFC 3416 GET, GETNEXT and
 * GETBULK over a sorted table) and the BER it needs.  Each profile is
 * encoded once at start-up (simtab_build): the per-request work is a
 * binary search and a memcpy per varbind, into the caller's buffer.
 * Only derived values (serials of copies >= 1, RMA and upgrade epochs)
 * are computed per request, on the stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/pdu.h"
#include "sim/sim.h"

#define PDU_MAX_VBS	128	/* varbinds in one request */
#define PDU_HDR_MAX	24	/* A2 len, reqid, status, index, 30 len */

#define TAG_INT		0x02
#define TAG_STR		0x04
#define TAG_NULL	0x05
#define TAG_OID		0x06
#define TAG_SEQ		0x30
#define TAG_NOSUCHOBJ	0x80
#define TAG_NOSUCHINST	0x81
#define TAG_ENDOFMIB	0x82
#define PDU_GET		0xa0
#define PDU_GETNEXT	0xa1
#define PDU_RESPONSE	0xa2
#define PDU_GETBULK	0xa5

#define ERR_TOOBIG	1
#define ERR_GENERR	5

static const uint32_t oid_sysname[] = { 1, 3, 6, 1, 2, 1, 1, 5, 0 };
static const uint32_t oid_syslocation[] = { 1, 3, 6, 1, 2, 1, 1, 6, 0 };

size_t
ber_len_size(size_t len)
{
	if (len < 0x80)
		return (1);
	if (len < 0x100)
		return (2);
	if (len < 0x10000)
		return (3);
	return (4);
}

static uint8_t *
ber_put_len(uint8_t *p, size_t len)
{
	if (len < 0x80)
		*p++ = (uint8_t)len;
	else if (len < 0x100) {
		*p++ = 0x81;
		*p++ = (uint8_t)len;
	} else if (len < 0x10000) {
		*p++ = 0x82;
		*p++ = (uint8_t)(len >> 8);
		*p++ = (uint8_t)len;
	} else {
		*p++ = 0x83;
		*p++ = (uint8_t)(len >> 16);
		*p++ = (uint8_t)(len >> 8);
		*p++ = (uint8_t)len;
	}
	return (p);
}

uint8_t *
ber_put_hdr_back(uint8_t *end, uint8_t tag, size_t len)
{
	uint8_t	*p = end - 1 - ber_len_size(len);

	p[0] = tag;
	ber_put_len(p + 1, len);
	return (p);
}

int
ber_get_hdr(const uint8_t **pp, const uint8_t *end, uint8_t *tag,
    size_t *len)
{
	const uint8_t	*p = *pp;
	size_t		 n, i, l;

	if (end - p < 2)
		return (-1);
	*tag = *p++;
	if (*p < 0x80)
		l = *p++;
	else {
		n = *p++ & 0x7f;
		if (n == 0 || n > 3 || (size_t)(end - p) < n)
			return (-1);
		for (i = 0, l = 0; i < n; i++)
			l = l << 8 | *p++;
	}
	if ((size_t)(end - p) < l)
		return (-1);
	*len = l;
	*pp = p;
	return (0);
}

/* Read an INTEGER TLV as a signed 32-bit value. */
static int
ber_get_int(const uint8_t **pp, const uint8_t *end, long *out)
{
	uint8_t		 tag;
	size_t		 len, i;
	long		 v;

	if (ber_get_hdr(pp, end, &tag, &len) == -1 || tag != TAG_INT ||
	    len == 0 || len > 4)
		return (-1);
	v = ((*pp)[0] & 0x80) ? -1 : 0;
	for (i = 0; i < len; i++)
		v = (long)((unsigned long)v << 8) | (*pp)[i];
	*pp += len;
	*out = v;
	return (0);
}

/* Decode the content of an OBJECT IDENTIFIER; length or -1. */
static int
ber_get_oid(const uint8_t *p, size_t len, uint32_t *oid, size_t max)
{
	size_t		 i, n = 0;
	uint64_t	 sub = 0;

	if (len == 0 || max < 2)
		return (-1);
	for (i = 0; i < len; i++) {
		sub = sub << 7 | (p[i] & 0x7f);
		if (sub > UINT32_MAX)
			return (-1);
		if (p[i] & 0x80)
			continue;
		if (n == 0) {
			oid[0] = sub < 40 ? 0 : sub < 80 ? 1 : 2;
			oid[1] = (uint32_t)(sub - oid[0] * 40);
			n = 2;
		} else {
			if (n >= max)
				return (-1);
			oid[n++] = (uint32_t)sub;
		}
		sub = 0;
	}
	if (p[len - 1] & 0x80)
		return (-1);
	return ((int)n);
}

static size_t
sub_size(uint32_t v)
{
	size_t	 n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return (n);
}

static uint8_t *
put_sub(uint8_t *p, uint32_t v)
{
	size_t	 n = sub_size(v), i;

	for (i = n; i > 0; i--)
		*p++ = (uint8_t)(((v >> (7 * (i - 1))) & 0x7f) |
		    (i > 1 ? 0x80 : 0));
	return (p);
}

/* Encode an OID TLV into p (room for 2 + 5 * len + 4); returns the end. */
static uint8_t *
ber_put_oid(uint8_t *p, const uint32_t *oid, size_t len)
{
	size_t		 clen = 0, i;
	uint32_t	 first;

	first = len >= 2 ? oid[0] * 40 + oid[1] : len == 1 ? oid[0] * 40 : 0;
	clen = sub_size(first);
	for (i = 2; i < len; i++)
		clen += sub_size(oid[i]);
	*p++ = TAG_OID;
	p = ber_put_len(p, clen);
	p = put_sub(p, first);
	for (i = 2; i < len; i++)
		p = put_sub(p, oid[i]);
	return (p);
}

/* INTEGER (signed) or an unsigned application type, minimal. */
static uint8_t *
ber_put_num(uint8_t *p, uint8_t tag, long long sv, int is_unsigned)
{
	uint8_t			 tmp[9];
	unsigned long long	 u = (unsigned long long)sv;
	size_t			 n = 0, i;

	if (is_unsigned) {
		do {
			tmp[n++] = (uint8_t)u;
			u >>= 8;
		} while (u != 0);
		if (tmp[n - 1] & 0x80)
			tmp[n++] = 0;
	} else {
		for (;;) {
			tmp[n++] = (uint8_t)u;
			if ((sv >= -128 && sv <= 127) || n == 8)
				break;
			sv >>= 8;
			u = (unsigned long long)sv;
		}
	}
	*p++ = tag;
	*p++ = (uint8_t)n;
	for (i = n; i > 0; i--)
		*p++ = tmp[i - 1];
	return (p);
}

/* The value TLV of a profile entry, into p (room for its size). */
static size_t
value_size(const struct vb *v, uint8_t tag)
{
	switch (tag) {
	case TAG_STR:
		return (1 + ber_len_size(v->len) + v->len);
	case TAG_OID:
		return (8 + 5 * VB_MAX_OID);
	default:
		return (16);
	}
}

static uint8_t *
put_value(uint8_t *p, const struct vb *v, uint8_t tag)
{
	uint32_t	 o[VB_MAX_OID];
	unsigned	 a, b, c, d;
	long long	 n = v->num;
	int		 olen;

	switch (tag) {
	case TAG_STR:
		*p++ = TAG_STR;
		p = ber_put_len(p, v->len);
		memcpy(p, v->str, v->len);
		return (p + v->len);
	case TAG_INT:
		return (ber_put_num(p, TAG_INT, n, 0));
	case 0x41: case 0x42: case 0x43:
		if (n < 0 || n > UINT32_MAX)
			n = n < 0 ? 0 : UINT32_MAX;
		return (ber_put_num(p, tag, n, 1));
	case 0x46:
		return (ber_put_num(p, tag, n, 1));
	case TAG_OID:
		if ((olen = oid_parse(v->str, o, VB_MAX_OID)) < 1)
			olen = 0;
		return (ber_put_oid(p, o, (size_t)olen));
	case 0x40:
		*p++ = 0x40;
		*p++ = 4;
		if (sscanf(v->str, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
			a = b = c = d = 0;
		*p++ = (uint8_t)a;
		*p++ = (uint8_t)b;
		*p++ = (uint8_t)c;
		*p++ = (uint8_t)d;
		return (p);
	default:	/* NULL and the three exceptions */
		*p++ = tag;
		*p++ = 0;
		return (p);
	}
}

int
simtab_build(struct simtab *t, const char *path, char *err, size_t errlen)
{
	const struct vb	*v;
	size_t		 i, total = 0, sz;
	uint8_t		*p, *q;

	memset(t, 0, sizeof(*t));
	if (fleet_profile_load(path, &t->p, err, errlen) == -1)
		return (-1);
	for (i = 0; i < t->p.vbs.n; i++) {
		v = &t->p.vbs.v[i];
		total += 8 + 5 * v->oidlen + value_size(v, t->p.tag[i]);
	}
	if ((t->blob = malloc(total)) == NULL ||
	    (t->off = calloc(t->p.vbs.n + 1, sizeof(*t->off))) == NULL ||
	    (t->oidtlv = calloc(t->p.vbs.n, sizeof(*t->oidtlv))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		simtab_free(t);
		return (-1);
	}
	p = t->blob;
	for (i = 0; i < t->p.vbs.n; i++) {
		v = &t->p.vbs.v[i];
		t->off[i] = (uint32_t)(p - t->blob);
		q = ber_put_oid(p, v->oid, v->oidlen);
		t->oidtlv[i] = (uint16_t)(q - p);
		p = put_value(q, v, t->p.tag[i]);
	}
	t->off[i] = (uint32_t)(p - t->blob);
	sz = (size_t)(p - t->blob);
	if (sz > UINT32_MAX) {
		snprintf(err, errlen, "%s: profile too large", path);
		simtab_free(t);
		return (-1);
	}
	return (0);
}

void
simtab_free(struct simtab *t)
{
	if (t == NULL)
		return;
	fleet_profile_free(&t->p);
	free(t->blob);
	free(t->off);
	free(t->oidtlv);
	memset(t, 0, sizeof(*t));
}

unsigned
sim_dev_flags(const struct simdev *d)
{
	return (((d->faults & SIM_F_RMA) ? FLEET_RMA : 0) |
	    ((d->faults & SIM_F_UPGRADE) ? FLEET_UPGRADE : 0));
}

/* First entry >= oid (lower bound). */
static size_t
lower(const struct vblist *l, const uint32_t *oid, size_t len)
{
	size_t	 lo = 0, hi = l->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (oid_cmp(l->v[mid].oid, l->v[mid].oidlen, oid, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/*
 * Append one varbind for entry i (or, when i is past the table, the
 * exception tag for the request OID) at *pp, not past end.  -1 if it
 * does not fit.
 */
static int
put_vb(struct simdev *d, size_t i, uint8_t exc, const uint32_t *oid,
    size_t oidlen, uint8_t **pp, uint8_t *end)
{
	const struct simtab	*t = d->tab;
	const struct vb		*v;
	char			 buf[FLEET_VALUE_MAX];
	const char		*val;
	uint8_t			 tmp[8 + 5 * VB_MAX_OID], *p = *pp, *q;
	size_t			 vlen, blen, olen, content;
	int			 big;

	if (exc != 0) {
		q = ber_put_oid(tmp, oid, oidlen);
		olen = (size_t)(q - tmp);
		content = olen + 2;
		if ((size_t)(end - p) < 1 + ber_len_size(content) + content)
			return (-1);
		*p++ = TAG_SEQ;
		p = ber_put_len(p, content);
		memcpy(p, tmp, olen);
		p += olen;
		*p++ = exc;
		*p++ = 0;
		*pp = p;
		return (0);
	}
	v = &t->p.vbs.v[i];
	blen = t->off[i + 1] - t->off[i];
	big = (d->faults & SIM_F_OVERSIZED) && v->type == VB_STR &&
	    (oid_cmp(v->oid, v->oidlen, oid_sysname, 9) == 0 ||
	    oid_cmp(v->oid, v->oidlen, oid_syslocation, 9) == 0);
	if (t->p.eflags[i] == 0 && !big) {
		if ((size_t)(end - p) < 1 + ber_len_size(blen) + blen)
			return (-1);
		*p++ = TAG_SEQ;
		p = ber_put_len(p, blen);
		memcpy(p, t->blob + t->off[i], blen);
		*pp = p + blen;
		return (0);
	}
	olen = t->oidtlv[i];
	if (big)
		vlen = d->oversize;
	else {
		fleet_value(&t->p, i, d->seed, d->copy, *d->epoch,
		    sim_dev_flags(d), buf, sizeof(buf), &val, &vlen);
		if (val == v->str) {
			big = -1;	/* the stored encoding is right */
			vlen = blen - olen;
		}
	}
	content = olen + (big == -1 ? vlen : 1 + ber_len_size(vlen) + vlen);
	if ((size_t)(end - p) < 1 + ber_len_size(content) + content)
		return (-1);
	*p++ = TAG_SEQ;
	p = ber_put_len(p, content);
	if (big == -1) {
		memcpy(p, t->blob + t->off[i], blen);
		*pp = p + blen;
		return (0);
	}
	memcpy(p, t->blob + t->off[i], olen);
	p += olen;
	*p++ = TAG_STR;
	p = ber_put_len(p, vlen);
	if (big)
		memset(p, 'x', vlen);
	else
		memcpy(p, val, vlen);
	*pp = p + vlen;
	return (0);
}

/* GET: the entry, or noSuchInstance/noSuchObject. */
static int
do_get(struct simdev *d, const uint32_t *oid, size_t len, uint8_t **pp,
    uint8_t *end)
{
	const struct vblist	*l = &d->tab->p.vbs;
	size_t			 i = lower(l, oid, len);

	if (i < l->n && oid_cmp(l->v[i].oid, l->v[i].oidlen, oid, len) == 0)
		return (put_vb(d, i, 0, NULL, 0, pp, end));
	/* An instance of an object we have (same column)? */
	if (len > 1 && i < l->n && l->v[i].oidlen >= len &&
	    oid_cmp(l->v[i].oid, len - 1, oid, len - 1) == 0)
		return (put_vb(d, 0, TAG_NOSUCHINST, oid, len, pp, end));
	if (len > 1 && i > 0 && l->v[i - 1].oidlen >= len &&
	    oid_cmp(l->v[i - 1].oid, len - 1, oid, len - 1) == 0)
		return (put_vb(d, 0, TAG_NOSUCHINST, oid, len, pp, end));
	return (put_vb(d, 0, TAG_NOSUCHOBJ, oid, len, pp, end));
}

/* GETNEXT: index of the next entry, or l->n at the end of the MIB. */
static size_t
next_of(const struct vblist *l, const uint32_t *oid, size_t len)
{
	size_t	 i = lower(l, oid, len);

	if (i < l->n && oid_cmp(l->v[i].oid, l->v[i].oidlen, oid, len) == 0)
		i++;
	return (i);
}

static int
do_next(struct simdev *d, size_t i, const uint32_t *oid, size_t len,
    uint8_t **pp, uint8_t *end)
{
	if (i >= d->tab->p.vbs.n)
		return (put_vb(d, 0, TAG_ENDOFMIB, oid, len, pp, end));
	return (put_vb(d, i, 0, NULL, 0, pp, end));
}

struct req_vb {
	uint32_t	 oid[VB_MAX_OID];
	size_t		 len;
};

/*
 * Write the response header in front of the varbind list at body
 * (blen bytes), then move the whole PDU to out.  Returns its length.
 */
static ssize_t
finish(uint8_t *out, uint8_t *body, size_t blen, long reqid, int status,
    int index)
{
	uint8_t		 hdr[PDU_HDR_MAX + 8], *h = hdr, *e;
	size_t		 inner, hl;

	e = ber_put_num(h, TAG_INT, reqid, 0);
	e = ber_put_num(e, TAG_INT, status, 0);
	e = ber_put_num(e, TAG_INT, index, 0);
	*e++ = TAG_SEQ;
	e = ber_put_len(e, blen);
	inner = (size_t)(e - hdr) + blen;
	hl = 1 + ber_len_size(inner);
	/* body sits at out + PDU_HDR_MAX; the header is at most that. */
	memmove(out + hl + (size_t)(e - hdr), body, blen);
	out[0] = PDU_RESPONSE;
	ber_put_len(out + 1, inner);
	memcpy(out + hl, hdr, (size_t)(e - hdr));
	return ((ssize_t)(hl + inner));
}

ssize_t
sim_pdu_answer(void *vdev, const uint8_t *pdu, size_t len, uint8_t *out,
    size_t cap)
{
	struct simdev		*d = vdev;
	const struct vblist	*l = &d->tab->p.vbs;
	struct req_vb		 rq[PDU_MAX_VBS];
	size_t			 cur[PDU_MAX_VBS];
	const uint8_t		*p = pdu, *end = pdu + len, *vend, *e2;
	uint8_t			 type, tag, *w, *wend, *body;
	size_t			 n = 0, l2, i, r, nonrep, maxrep;
	long			 reqid, a, b;
	int			 olen, live;

	if (cap < PDU_HDR_MAX + 64)
		return (-1);
	if (ber_get_hdr(&p, end, &type, &l2) == -1)
		return (-1);
	end = p + l2;
	if (type != PDU_GET && type != PDU_GETNEXT && type != PDU_GETBULK)
		return (-1);
	if (ber_get_int(&p, end, &reqid) == -1 ||
	    ber_get_int(&p, end, &a) == -1 || ber_get_int(&p, end, &b) == -1 ||
	    ber_get_hdr(&p, end, &tag, &l2) == -1 || tag != TAG_SEQ)
		return (-1);
	vend = p + l2;
	while (p < vend) {
		if (ber_get_hdr(&p, vend, &tag, &l2) == -1 || tag != TAG_SEQ)
			return (-1);
		e2 = p + l2;
		if (ber_get_hdr(&p, e2, &tag, &l2) == -1 || tag != TAG_OID)
			return (-1);
		if (n == PDU_MAX_VBS)
			return (finish(out, out + PDU_HDR_MAX, 0, reqid,
			    ERR_TOOBIG, 0));
		if ((olen = ber_get_oid(p, l2, rq[n].oid, VB_MAX_OID)) == -1)
			return (finish(out, out + PDU_HDR_MAX, 0, reqid,
			    ERR_GENERR, (int)n + 1));
		rq[n++].len = (size_t)olen;
		p = e2;		/* the value (NULL) is ignored */
	}
	body = w = out + PDU_HDR_MAX;
	wend = out + cap;
	if (type == PDU_GET || type == PDU_GETNEXT) {
		for (i = 0; i < n; i++) {
			if ((type == PDU_GET ?
			    do_get(d, rq[i].oid, rq[i].len, &w, wend) :
			    do_next(d, next_of(l, rq[i].oid, rq[i].len),
			    rq[i].oid, rq[i].len, &w, wend)) == -1)
				return (finish(out, body, 0, reqid, ERR_TOOBIG,
				    0));
		}
		return (finish(out, body, (size_t)(w - body), reqid, 0, 0));
	}
	/* GETBULK (RFC 3416 4.2.3): a = non-repeaters, b = max-repetitions. */
	nonrep = a < 0 ? 0 : (size_t)a > n ? n : (size_t)a;
	maxrep = b < 0 ? 0 : (size_t)b;
	for (i = 0; i < nonrep; i++) {
		if (do_next(d, next_of(l, rq[i].oid, rq[i].len), rq[i].oid,
		    rq[i].len, &w, wend) == -1)
			return (finish(out, body, 0, reqid, ERR_TOOBIG, 0));
	}
	for (i = nonrep; i < n; i++)
		cur[i] = next_of(l, rq[i].oid, rq[i].len);
	for (r = 0; r < maxrep && n > nonrep; r++) {
		live = 0;
		for (i = nonrep; i < n; i++) {
			if (do_next(d, cur[i], rq[i].oid, rq[i].len, &w,
			    wend) == -1)
				goto full;
			if (cur[i] < l->n) {
				/* endOfMibView repeats the last name asked. */
				memcpy(rq[i].oid, l->v[cur[i]].oid,
				    l->v[cur[i]].oidlen * sizeof(uint32_t));
				rq[i].len = l->v[cur[i]].oidlen;
				cur[i]++;
				live = 1;
			}
		}
		if (!live)
			break;
	}
full:
	return (finish(out, body, (size_t)(w - body), reqid, 0, 0));
}
