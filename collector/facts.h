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
#define ITEM_SRC_LEN	16
#define ITEM_REF_LEN	96

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
	char		 source[ITEM_SRC_LEN];		/* "snmp", "netconf" */
	char		 source_ref[ITEM_REF_LEN];	/* OID or RPC it came from */
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

/* Zero a facts struct for use. */
void	 facts_init(struct dev_facts *);
/* Release the items array; the struct may be reused after facts_init(). */
void	 facts_free(struct dev_facts *);
/*
 * Append a zeroed item of the given kind (parent = -1) and return it;
 * NULL on OOM.  The pointer is valid until the next facts_add_item() call.
 */
struct item	*facts_add_item(struct dev_facts *, enum item_kind);

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
