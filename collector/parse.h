/*
 * parse.h: turn what a Junos device answered into struct dev_facts.
 * Pure functions over buffers and vblists: no sockets, no database, no
 * logging.  Every rule here is covered by golden tests in tests/data.
 *
 * OS: sysDescr says JUNOS, or sysObjectID is under jnxClassGeneral
 * (1.3.6.1.4.1.2636.1.1.1), or jnxBoxDescr/jnxBoxSerialNo answered and
 * sysObjectID is not another vendor's (only Junos implements
 * jnxBoxAnatomy): OS_JUNOS; "JUNOS Evolved" or a release ending in "-EVO"
 * (from any source): OS_JUNOS_EVO.  Any other answer
 * (JunosE, EX2500, Trapeze WLC, other vendors) is OS_OTHER and only the
 * system group is filled: no model, version, serial or items.  No
 * sysDescr and no sysObjectID: OS_UNKNOWN.
 *
 * Version precedence (documented in the README):
 *   1. sysDescr "kernel JUNOS <v>" (Junos Evolved: "<v>-EVO")
 *   2. hrSWInstalledName "JUNOS ... [<v>]" (lowest index accepted by
 *      parse_hrsw(), so garbled or non-OS package rows are skipped)
 *   3. jnxVirtualChassisMemberSWVersion of the master member (else the
 *      lowest member id with a release)
 *   4. entPhysicalSoftwareRev of the entPhysical chassis (Evolved)
 * version_source names the OID used: "sysDescr", "hrSWInstalledName.2",
 * "jnxVirtualChassisMemberSWVersion.0", "entPhysicalSoftwareRev.1".
 *
 * Model precedence (upper case; only model words, i.e. one token with
 * letters and digits, so "Juniper Virtual Chassis Switch" gives nothing):
 * sysDescr product word, VC master model (else lowest id), jnxBoxDescr,
 * jnxContentsModel of the chassis row, entPhysicalModelName of the
 * chassis entity, sysObjectID product (jnxProductName.N, jnxproducts.c;
 * for a variation .4.N.M the product N).  The exact entPhysical model
 * comes before the sysObjectID, which often names only a product line.
 * model_source names the source as version_source does ("sysObjectID").
 *
 * Chassis serial: jnxBoxSerialNo.0, the jnxContents chassis row
 * (container 1), the VC master's serial, the entPhysical chassis serial:
 * the first one that is serialized; if none is, the first placeholder as
 * seen (the anonymised corpus says "<private>"), not serialized.
 *
 * Items (Junos only), ordered chassis, members, components:
 *  - one ITEM_CHASSIS "Chassis" carrying the device serial and model,
 *    jnxBoxDescr and the jnxContents (else entPhysical) chassis row;
 *  - one ITEM_MEMBER per VC member row ("member N": serial, role,
 *    upper-cased model, version), even a lone member; and per jnxContents
 *    container-1 row whose jnxContentsChassisId names one chassis among
 *    several ("node0", "node1", "lcc0", "sfc0"; a "member N" row adds to
 *    VC member N).  Cluster nodes get the device model (SRX clusters are
 *    always two of one model);
 *  - one ITEM_COMPONENT per other jnxContents row; without a
 *    jnxContentsTable, per entPhysical row of a hardware class (or any
 *    row with a serial).  Names come from the description: "FPC 0",
 *    "PIC 0/0", "Power Supply 0", "Xcvr 0/0/3".
 * Serials go through parse_serial(); placeholder serials stay as seen
 * with serialized = 0, placeholder part numbers, models and CLEIs are
 * dropped.  Rows with the same serialized serial are ONE item: it keeps
 * kind, name, parent and source_ref of the higher-ranked row (member >
 * chassis > component, earlier on a tie) and every field either row has.
 * So a device chassis whose serial is VC member 0's (or cluster node0's)
 * is that ITEM_MEMBER, and an EX/QFX "FPC n" row is VC member n.
 * Parents: members hang under the device chassis if it remains a separate
 * item, else none; a jnxContents row with L2 or L3 set hangs under the
 * FPC row of the same chassis id and L1 (PIC, MIC; on EX/QFX also that
 * member's power supplies and fans), an L3 row under the PIC at L1/L2
 * if present; all other rows under the node/member of their chassis id,
 * else the device chassis.  entPhysical rows follow
 * entPhysicalContainedIn up to the nearest item; a dangling or zero
 * containedIn (Evolved sends both) means the chassis.
 */
#ifndef IB_PARSE_H
#define IB_PARSE_H

#include <stddef.h>

#include "facts.h"
#include "vb.h"

/* OIDs the collector asks for (dotted text, no leading dot). */
#define OID_SYSTEM		"1.3.6.1.2.1.1"
#define OID_SYSDESCR		"1.3.6.1.2.1.1.1.0"
#define OID_SYSOBJECTID		"1.3.6.1.2.1.1.2.0"
#define OID_SYSUPTIME		"1.3.6.1.2.1.1.3.0"
#define OID_SYSNAME		"1.3.6.1.2.1.1.5.0"
#define OID_SYSLOCATION		"1.3.6.1.2.1.1.6.0"
#define OID_JNXBOXDESCR		"1.3.6.1.4.1.2636.3.1.2.0"
#define OID_JNXBOXSERIALNO	"1.3.6.1.4.1.2636.3.1.3.0"
#define OID_JNXCONTENTSENTRY	"1.3.6.1.4.1.2636.3.1.8.1"	/* + col.c.l1.l2.l3 */
#define OID_JNXVCMEMBERENTRY	"1.3.6.1.4.1.2636.3.40.1.4.1.1.1" /* + col.memberid */
#define OID_HRSWINSTALLEDNAME	"1.3.6.1.2.1.25.6.3.1.2"
#define OID_ENTPHYSICALENTRY	"1.3.6.1.2.1.47.1.1.1.1"	/* + col.index */

/*
 * Normalise a serial number into out (control bytes sanitised, trimmed,
 * upper-cased, leading "S/N " removed).  Returns 1 if it identifies an
 * item, 0 if it is a not-serialized placeholder, in which case out holds
 * the cleaned text as seen (not upper-cased).  Placeholders: empty,
 * BUILTIN, N/A, NA, NONE, NULL, UNKNOWN, DEFAULT, NOT AVAILABLE... (any
 * case), all zeros (separators allowed), one character repeated
 * ("XXXXXXXX"), and anything in angle brackets ("<private>", which the
 * corpus uses for anonymised serials: never an entitlement key).
 */
int	 parse_serial(const char *in, char *out, size_t outlen);

/*
 * From a sysDescr, extract the Junos version ("21.4R3-S5.4",
 * "22.2R3-S1.3-EVO") and the model word ("mx480" -> "MX480").  Either out
 * may be NULL.  Returns 1 if the text identifies Junos (OS or Evolved),
 * 2 if Junos Evolved, 0 otherwise.  Never guesses: an empty out means
 * not found.
 */
int	 parse_sysdescr(const char *descr, char *version, size_t vlen,
	    char *model, size_t mlen);

/*
 * From an hrSWInstalledName value, the Junos version inside brackets
 * ("JUNOS Software Release [15.1X49-D120.3]"), or an Evolved package name.
 * Returns 1 and fills version if it is a Junos OS package row, else 0.
 */
int	 parse_hrsw(const char *name, char *version, size_t vlen);

/*
 * Is s, as a whole, a Junos release: <major>.<minor> then a release
 * letter or '-' and only version characters ("21.4R3-S5.4",
 * "15.1X49-D120.3", "22.2R3-S1.3-EVO"), not ending in a separator?
 * Rejects package versions ("11.10.4_1.junos.i386") and build stamps.
 * Returns 1 or 0.  Shared by the SNMP and XML parsers.
 */
int	 parse_release_ok(const char *s);

/*
 * If s is a model word (one token of letters, digits and - + . / _ with
 * at least one letter and one digit, shorter than ITEM_MODEL_LEN:
 * "MX480", "QFX5100-48S-6Q"), copy it upper-cased into out and return 1;
 * else return 0 and leave out unchanged.  s is not trimmed.
 */
int	 parse_model(const char *s, char *out, size_t outlen);

/*
 * Build facts from every varbind one poll returned (any order; system
 * group, jnxBox*, jnxContentsTable, VC member table, hrSWInstalledName,
 * entPhysicalTable), by the rules at the top of this file.  f must come
 * from facts_init(); items are appended.  Returns 0, or -1 on OOM (f may
 * then hold part of the result; facts_free() releases it).  Items are
 * ordered chassis first, then members, then components in table order.
 */
int	 parse_device(const struct vblist *, struct dev_facts *);

/*
 * Does this system group describe a Junos device?  (Decides what to walk.)
 * Sees only sysDescr and sysObjectID: parse_device() also counts a
 * jnxBoxAnatomy answer, as the collector does before walking.
 */
int	 parse_is_junos(const char *sys_descr, const char *sys_object_id);

#endif
