/*
 * fleet.h: the device view of the simulator.  A profile is one snmprec
 * walk; a fleet serves COUNT copies of each profile.  Copy 0 serves the
 * profile verbatim; copy k >= 1 serves every serial number rewritten
 * deterministically from (seed, profile name, copy, original value), with
 * the same length and character classes, distinct across copies.  The
 * RMA and upgrade faults change the chassis serial or the Junos version
 * once the fleet's epoch is 1 or more.
 *
 * The SNMP server (ibsim) and the NETCONF side of the simulator both
 * render a device from these functions, so the two always agree.
 */
#ifndef IB_SIM_FLEET_H
#define IB_SIM_FLEET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "collector/vb.h"

/* Flags of a device (what its faults change over epochs). */
#define FLEET_RMA	0x01	/* epoch >= 1: a new chassis serial */
#define FLEET_UPGRADE	0x02	/* epoch >= 1: a new Junos version */

/* What an entry of a profile is, for derivation. */
#define FLEET_E_SERIAL	0x01	/* a serial number: derived per copy */
#define FLEET_E_CHASSIS	0x02	/* equal to the chassis serial (RMA) */
#define FLEET_E_VERSION	0x04	/* holds the Junos version (upgrade) */

#define FLEET_VALUE_MAX	4096	/* longest value a derived entry may have */
#define FLEET_VERSION_MAX 64

struct fleet_profile {
	char		*path;		/* owned: as given */
	char		*name;		/* owned: basename without .snmprec */
	struct vblist	 vbs;		/* sorted by OID, duplicates removed */
	uint8_t		*eflags;	/* owned: FLEET_E_* per entry of vbs */
	uint8_t		*tag;		/* owned: BER tag per entry (0x41 ...) */
	uint64_t	 key;		/* hash of name: the profile's identity */
	char		 version[FLEET_VERSION_MAX];	/* "" if none found */
	size_t		 versionlen;
};

/*
 * Load a profile: read the snmprec file, sort it, mark the serial,
 * chassis-serial and version entries.  0, or -1 with a message in err.
 * fleet_profile_free(p) releases it (NULL-safe on a zeroed struct).
 */
int	 fleet_profile_load(const char *path, struct fleet_profile *p,
	    char *err, size_t errlen);
void	 fleet_profile_free(struct fleet_profile *p);

/*
 * The value of entry i of p as device (seed, copy, flags) serves it at
 * epoch.  For an entry that is not derived, *val points into p (borrowed,
 * str may hold NULs) and buf is untouched; otherwise the value is written
 * into buf (cap bytes, FLEET_VALUE_MAX is always enough) and *val = buf.
 * Only VB_STR entries are ever derived.  Allocates nothing, so the server
 * calls it per request.
 */
void	 fleet_value(const struct fleet_profile *p, size_t i, uint64_t seed,
	    unsigned copy, unsigned epoch, unsigned flags, char *buf,
	    size_t cap, const char **val, size_t *len);

/*
 * Rewrite one serial: out gets len bytes, digits stay digits, letters
 * stay letters of the same case, anything else is kept.  k = 0 returns
 * the original.  Distinct for k < 10^n where n is the number of
 * alphanumeric characters (up to about 2^40 values).
 */
void	 fleet_serial_derive(uint64_t seed, uint64_t profile_key, uint64_t k,
	    const char *in, size_t len, char *out);

/*
 * The version a device upgraded epoch times runs: the first number of
 * ver plus epoch ("21.4R3-S5.4" -> "22.4R3-S5.4" at epoch 1).  Writes a
 * NUL-terminated string into out; returns its length or -1 if it does
 * not fit.
 */
int	 fleet_version_bump(const char *ver, size_t len, unsigned epoch,
	    char *out, size_t cap);

/*
 * The whole derived walk of one device, sorted by OID, into out (which
 * the caller has vblist_init()ed and later vblist_free()s): profile path,
 * seed, copy (0-based, of that profile), epoch and FLEET_* flags, as the
 * fleet's manifest lists them.  0, or -1 with a message in err.
 */
int	 fleet_device_walk(const char *profile, uint64_t seed, unsigned copy,
	    unsigned epoch, unsigned flags, struct vblist *out, char *err,
	    size_t errlen);

/* The same from a loaded profile. */
int	 fleet_profile_walk(const struct fleet_profile *p, uint64_t seed,
	    unsigned copy, unsigned epoch, unsigned flags, struct vblist *out);

/* The chassis serial the device serves (for the manifest), into buf. */
const char *fleet_chassis_serial(const struct fleet_profile *p, uint64_t seed,
	    unsigned copy, unsigned epoch, unsigned flags, char *buf, size_t cap);

/*
 * Write a walk as snmprec text (strings with non-printables as 4x).  tag
 * gives each entry's BER tag (a profile's tag array, for a walk from
 * fleet_profile_walk); NULL writes VB_UINT as Gauge32.  0 or -1.
 */
int	 fleet_write_snmprec(const struct vblist *l, const uint8_t *tag,
	    FILE *fp);

/* splitmix64 finaliser: the simulator's one hash. */
uint64_t fleet_mix(uint64_t x);

#endif
