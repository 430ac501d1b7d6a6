/*
 * facts.h: what one poll of one device found, independent of the protocol
 * that found it and of the store that keeps it.  The parsers fill a
 * struct dev_facts from raw varbinds (or, later, XML replies); db/ stores
 * it.  Plain structs with bounded strings: a device reply that is longer
 * than a field is truncated, never allowed to grow memory without bound.
 */
#ifndef IB_FACTS_H
#define IB_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum item_kind {
	ITEM_CHASSIS = 0,	/* the device's own chassis (or VC/cluster as a whole) */
	ITEM_MEMBER,		/* a Virtual Chassis member or cluster node */
	ITEM_COMPONENT		/* FRU: RE, FPC, PIC, PSU, fan, optic... */
};

/* Outcome of one poll of one device: stored per scan, never an error. */
enum poll_status {
	POLL_OK = 0,		/* everything asked for was answered */
	POLL_PARTIAL,		/* system group answered, a later table did not */
	POLL_TIMEOUT,		/* no answer within the retry budget */
	POLL_AUTH,		/* SNMPv3 authentication/privacy failure */
	POLL_REFUSED,		/* ICMP port unreachable / connection refused */
	POLL_BADREPLY,		/* malformed or inconsistent reply */
	POLL_ERROR		/* local failure: resolve, socket, ... */
};

enum dev_os {
	OS_UNKNOWN = 0,		/* nothing answered */
	OS_JUNOS,		/* Junos OS */
	OS_JUNOS_EVO,		/* Junos OS Evolved */
	OS_OTHER		/* JunosE, EX2500, other vendors: system group only */
};

#define ITEM_NAME_LEN	96
#define ITEM_SERIAL_LEN	64
#define ITEM_PART_LEN	48
#define ITEM_MODEL_LEN	64
#define ITEM_DESCR_LEN	160
#define ITEM_REV_LEN	32
#define ITEM_CLEI_LEN	32
#define ITEM_VER_LEN	64
#define ITEM_ROLE_LEN	16
#define ITEM_SRC_LEN	24	/* "snmp,netconf" after facts_merge() */
#define ITEM_REF_LEN	192	/* two refs joined by facts_merge() */

struct item {
	enum item_kind	 kind;
	int		 parent;			/* index in dev_facts.items, -1: none */
	int		 serialized;			/* 1: serial identifies the item */
	char		 name[ITEM_NAME_LEN];		/* "FPC 0", "member 1", "node0" */
	char		 serial[ITEM_SERIAL_LEN];	/* normalised (see parse.h) */
	char		 part_number[ITEM_PART_LEN];	/* assembly number, 750-xxxxxx */
	char		 model[ITEM_MODEL_LEN];		/* orderable model number */
	char		 description[ITEM_DESCR_LEN];
	char		 revision[ITEM_REV_LEN];	/* hardware revision */
	char		 clei[ITEM_CLEI_LEN];
	char		 version[ITEM_VER_LEN];		/* software version (members) */
	char		 role[ITEM_ROLE_LEN];		/* master/backup/linecard, primary... */
	char		 source[ITEM_SRC_LEN];		/* "snmp", "netconf", "snmp,netconf" */
	char		 source_ref[ITEM_REF_LEN];	/* OID or RPC it came from;
							   merged: "ref | ref" */
};

#define DEV_DESCR_LEN	512
#define DEV_STR_LEN	256

struct dev_facts {
	char		 sys_descr[DEV_DESCR_LEN];
	char		 sys_object_id[128];		/* dotted, no leading dot */
	char		 sys_name[DEV_STR_LEN];
	char		 sys_location[DEV_STR_LEN];
	uint32_t	 sys_uptime;			/* hundredths of a second */
	int		 have_system;			/* 1: system group answered */
	enum dev_os	 os;
	char		 hostname[DEV_STR_LEN];
	char		 model[ITEM_MODEL_LEN];		/* e.g. "MX480", upper case */
	char		 model_source[ITEM_REF_LEN];
	char		 serial[ITEM_SERIAL_LEN];	/* chassis serial, normalised */
	char		 version[ITEM_VER_LEN];		/* Junos version, e.g. 21.4R3-S5.4 */
	char		 version_source[ITEM_REF_LEN];	/* "sysDescr", "hrSWInstalledName.2"... */
	struct item	*items;				/* owned; see facts_free() */
	size_t		 nitems;
	size_t		 capitems;
};

/*
 * Where an SNMP poll and a NETCONF poll of one device disagree
 * (facts_merge()).  Values are as each protocol reported them; the
 * merged facts keep the SNMP one.  field is one of:
 *   "serial"   the chassis serial (both serialized, not equal);
 *   "version"  the Junos version (not equal ignoring case and blanks);
 *   "members"  the number of VC members / cluster nodes (ITEM_MEMBER
 *              items), as a decimal count.
 */
#define CC_MAX		4	/* conflicts one merge can report */
#define CC_FIELD_LEN	16
#define CC_VALUE_LEN	ITEM_VER_LEN	/* >= ITEM_SERIAL_LEN, a count */

struct cc_conflict {
	char		 field[CC_FIELD_LEN];		/* "serial", "version", "members" */
	char		 snmp[CC_VALUE_LEN];		/* what SNMP said */
	char		 netconf[CC_VALUE_LEN];		/* what NETCONF said */
};

struct crosscheck {
	size_t			 n;			/* conflicts in c[], <= CC_MAX */
	struct cc_conflict	 c[CC_MAX];		/* serial, version, members order */
};

/* Zero a facts struct for use. */
void	 facts_init(struct dev_facts *);
/* Release the items array; the struct may be reused after facts_init(). */
void	 facts_free(struct dev_facts *);
/*
 * Append a zeroed item of the given kind (parent = -1) and return it;
 * NULL on OOM.  The pointer is valid until the next facts_add_item() call.
 */
struct item	*facts_add_item(struct dev_facts *, enum item_kind);

/*
 * Make dst a deep copy of src.  dst must have been through facts_init()
 * (its items, if any, are released first); dst == src is a no-op.
 * Returns 0, or -1 on OOM with dst unchanged.
 */
int	 facts_copy(struct dev_facts *dst, const struct dev_facts *src);

/*
 * Merge what NETCONF found (src) into what SNMP found (dst) for the same
 * address, and cross-check the two.  src is not changed; cc may be NULL.
 *
 * One device record.  hostname, model (with model_source), version
 * (with version_source) and the chassis serial keep dst's value when it
 * has one, else take src's; a serial that is only a placeholder (no
 * item carries it serialized, e.g. "<private>") counts as none.  The
 * other device fields (system group, os) are filled where dst has none.
 *
 * Items: dst's items keep their index, kind, name and parent.  A src
 * item is the same item as a dst item when, first match wins:
 *  1. both are serialized with the same serial, whatever their names;
 *  2. both are the device chassis (the first top-level ITEM_CHASSIS of
 *     each side), even when their serials differ: one device, one
 *     chassis (the serial conflict is in cc);
 *  3. same kind and name, unless both are serialized (two serials with
 *     one name are two things, e.g. optics in two PICs): the one under
 *     the item the src item's parent matched, else the first; a dst
 *     item already matched is not matched again by name (each VC
 *     member's "Power Supply 0" is its own; node1's "FPC 0" is not
 *     node0's).
 * A matched item gets every field it lacks from the src item (a
 * placeholder serial gives way to a real one), its source becomes the
 * set of both ("snmp,netconf": dst's names first, then src's new ones)
 * and its source_ref both refs, "dst-ref | src-ref" (truncated to
 * ITEM_REF_LEN on a UTF-8 boundary).  src items are taken parents first
 * (in src order within one depth, so a child may come before its parent
 * in src), and those that match nothing are appended in that order, their
 * parents re-mapped: a NETCONF-only module whose parent matched a dst
 * item hangs under that item.
 *
 * cc (zeroed first) gets a conflict for each of these, in this order,
 * where both sides have a value and they differ: "serial" (both real
 * serials); "version" (compared ignoring case and blanks); "members":
 * the ITEM_MEMBER counts when both are > 0, or when one side is a VC or
 * cluster (> 1 members) and the other reported a chassis but no member
 * at all (saw a single chassis).  A side with no members and no chassis
 * (its inventory failed) is not compared.
 *
 * One side empty (no system group, no items, no hostname, model, serial
 * or version): src empty leaves dst unchanged; dst empty makes dst a copy
 * of src.  No conflict is reported then.
 *
 * Returns 0, or -1 on OOM (or more items than an int indexes) with dst
 * unchanged and cc->n 0.
 */
int	 facts_merge(struct dev_facts *dst, const struct dev_facts *src,
	    struct crosscheck *cc);

const char	*poll_status_str(enum poll_status);
const char	*item_kind_str(enum item_kind);
const char	*dev_os_str(enum dev_os);

/* Copy src into a fixed field, truncating; always NUL-terminates. */
void	 fact_strlcpy(char *dst, const char *src, size_t dstlen);

/*
 * Copy srclen bytes of device text (may hold NULs, control bytes or
 * invalid UTF-8) into a fixed field: NULs and control bytes become
 * spaces, bytes that are not valid UTF-8 become '?', leading and trailing
 * spaces are dropped, and truncation never splits a UTF-8 character.
 * Always NUL-terminates.  src may be NULL when srclen is 0.
 */
void	 fact_sanitize(char *dst, const char *src, size_t srclen, size_t dstlen);

/*
 * Write every field of the device and of each item as "key=value" lines,
 * in a fixed order, to fp.  Control bytes, invalid UTF-8 and the backslash
 * are escaped (\n, \t, \xHH, \\) so one value is always one line.  Used for
 * golden files: the format only changes together with every golden.
 */
void	 facts_dump(FILE *fp, const struct dev_facts *);

#endif
