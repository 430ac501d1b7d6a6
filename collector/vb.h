/*
 * vb.h: protocol-neutral SNMP variable bindings.  The engine converts
 * net-snmp's variable_list into these, and the snmprec reader builds them
 * from walk files, so the parsers never see net-snmp or a socket.
 */
#ifndef IB_VB_H
#define IB_VB_H

#include <stddef.h>
#include <stdint.h>

#define VB_MAX_OID	48	/* longer OIDs are not ones we ask for */

enum vb_type {
	VB_STR = 0,	/* OCTET STRING: str/len (may hold NULs) */
	VB_INT,		/* INTEGER: num */
	VB_UINT,	/* Counter32/Gauge32/TimeTicks/Counter64: num */
	VB_OID,		/* OBJECT IDENTIFIER: str = dotted text */
	VB_IPADDR,	/* IpAddress: str = dotted quad */
	VB_NULL		/* noSuchObject / noSuchInstance / endOfMibView / NULL */
};

/*
 * A value is 40 bytes; its OID and its string live in the list's arena,
 * so a device's walk costs what it holds, not VB_MAX_OID words a value,
 * and one free() per arena chunk instead of one per value.  The OID and
 * string of a value do not move when the list grows or is sorted.
 */
struct vb {
	uint32_t	*oid;		/* in the list's arena, oidlen words */
	uint32_t	 oidlen;
	enum vb_type	 type;
	long long	 num;
	char		*str;		/* in the arena, NUL-terminated, len bytes before NUL; or NULL */
	size_t		 len;
};

struct vb_chunk;

struct vblist {
	struct vb	*v;		/* owned */
	size_t		 n;
	size_t		 cap;
	struct vb_chunk	*arena;		/* owned: OIDs and strings, newest first */
};

void	 vblist_init(struct vblist *);
void	 vblist_free(struct vblist *);
/* Append a copy of the given value; 0 or -1 on OOM or an OID too long. */
int	 vblist_add(struct vblist *, const uint32_t *oid, size_t oidlen,
	    enum vb_type, long long num, const char *str, size_t len);
/* Sort by OID (lexicographic, as SNMP orders them). */
void	 vblist_sort(struct vblist *);
/* Compare two OIDs as SNMP does: <0, 0, >0. */
int	 oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen);
/* Parse "1.3.6.1..." (leading dot allowed) into oid; returns length or -1. */
int	 oid_parse(const char *s, uint32_t *oid, size_t max);
/* Format an OID as dotted text into buf; returns buf. */
char	*oid_format(const uint32_t *oid, size_t len, char *buf, size_t buflen);

/*
 * Read a snmpsim .snmprec file (OID|type|value; 4x = hex string) into l.
 * Returns 0, or -1 with "file:line: reason" in err.
 */
int	 snmprec_load(const char *path, struct vblist *l, char *err, size_t errlen);

#endif
