/*
 * junos_version.h: Junos release strings ("21.4R3-S5.4", "15.1X49-D170.4",
 * "22.2R3-S1.3-EVO") parsed into fields, ordered, and reduced to the
 * release-train key under which Juniper publishes End of Engineering and
 * End of Support dates.  Pure: no I/O, no allocation, no logging, no
 * global state; every function is reentrant and may be called from any
 * thread.  docs/junos-version.md explains the model with examples.
 *
 * Accepted grammar (whole string, case-sensitive, no blanks; N is 1-9
 * decimal digits without a leading zero, YYYYMMDD and HHMM are fixed
 * width and must be a plausible date and time):
 *
 *   M.m R N [-S N] [.N] [ADDON] [SEC] [-EVO]   release     21.4R3-S5.4
 *   M.m F N [-S N] [.N] [ADDON] [SEC] [-EVO]   feature     15.1F5.15-C1.12
 *   M.m X N -D N [.N]   [ADDON] [SEC] [-EVO]   X train     15.1X49-D170.4
 *   M.m S N [.N]                [SEC] [-EVO]   old S       10.0S1.1
 *   M.m {A|B|I} N [.N]          [SEC] [-EVO]   alpha, beta, internal: 8.2B1
 *   M.m I YYYYMMDD [_HHMM] [_tag] [SEC] [-EVO] stamped     18.3I20180716_1639
 *   M.m [F] -YYYYMMDD [_tag] .N   [SEC] [-EVO] daily       16.1-20160720.0
 *
 *   ADDON := -J N [.N] (Junos Software Update) | -C N [.N] (Continuity)
 *   SEC   := .secure | -secure
 *
 * M is 1..99, m is 0..99; a tag is a lower-case letter then lower-case
 * letters, digits and '_', not ending in '_', at most 23 characters.
 * Anything else is rejected rather than guessed at: leading or trailing
 * blanks, lower-case letters ("10.0b39" is a ROM monitor version,
 * "-evo"), package suffixes ("-jet-1", "-THIN.0"), a bare train ("21.4",
 * "15.1X49"), an X train without its -D release ("21.1X3.3"), JunosE
 * and other products' "10.3.2"-style numbers.
 */
#ifndef IB_JUNOS_VERSION_H
#define IB_JUNOS_VERSION_H

#include <stddef.h>

#define JUNOS_VERSION_LEN	64	/* str[] with NUL; longer input fails */
#define JUNOS_TRAIN_LEN		24	/* fits any junos_version_train() key */
#define JUNOS_TAG_LEN		24	/* tag[] with NUL */

/*
 * One parsed version.  Numeric fields hold -1 when the part is absent
 * (a build ".0" and a time "0000" exist, so 0 cannot mean "absent").
 * When known is 0 every field but str and truncated is -1, 0 or "".
 * str is the input byte for byte and may hold control bytes: escape it
 * before printing.
 */
struct junos_version {
	char	 str[JUNOS_VERSION_LEN];	/* the input, cut to fit */
	int	 truncated;	/* 1: the input did not fit in str */
	int	 known;		/* 1: parsed; 0: only str is meaningful */
	int	 major;		/* 21 in 21.4R3 (1..99) */
	int	 minor;		/* 4 in 21.4R3 (0..99) */
	int	 xtrain;	/* 49 in 15.1X49-D170; -1 outside X trains */
	char	 type;		/* 'R' release, 'X' X-train D release,
				   'F' feature release, 'S' old S release,
				   'A' alpha, 'B' beta, 'I' internal and
				   daily builds; 0 when not known */
	int	 release;	/* maintenance release: R3 3, D170 170, F5 5,
				   S14 14, B1 1, I16 16; -1 in dated builds */
	int	 service;	/* service release: 5 in R3-S5; -1 none */
	int	 build;		/* spin after the last number: 4 in R3-S5.4,
				   0 in 16.1-20160720.0; -1 none */
	int	 date;		/* dated builds: YYYYMMDD; -1 otherwise */
	int	 time;		/* HHMM: 1639 in I20180716_1639; -1 none */
	char	 datefmt;	/* dated builds: '-' (16.1-20160720.0) or 'I'
				   (18.3I20180716_1639); 0 otherwise */
	char	 branch;	/* 'F' in 15.1F-20151115.0; 0 otherwise */
	char	 tag[JUNOS_TAG_LEN];	/* "dev_common", "cbowers"; "" */
	char	 addon;		/* 'J' Junos Software Update (-J4.1),
				   'C' Junos Continuity (-C1.12); 0 none */
	int	 addon_release;	/* 4 in -J4.1; -1 none */
	int	 addon_build;	/* 1 in -J4.1; -1 none */
	char	 secure;	/* '.' or '-' before "secure"; 0 none */
	int	 evo;		/* 1: Junos OS Evolved (-EVO) */
};

/*
 * Parse s into *v.  Returns 0 and sets v->known to 1 when s is a Junos
 * release in the grammar above; otherwise returns -1 with v->known 0, s
 * kept in v->str (cut to JUNOS_VERSION_LEN - 1 bytes, v->truncated set)
 * and nothing else filled in: no part of an unparseable string is
 * guessed.  s NULL is unparseable (v->str ""). v is always overwritten.
 */
int	 junos_version_parse(const char *s, struct junos_version *v);

/*
 * A total order on every struct junos_version, known or not, for qsort()
 * and stable reports: < 0, 0 or > 0 as a sorts before, with or after b.
 * 0 means the same version: equal fields, or for unknown ones equal str
 * (and truncated flag).
 *
 * Sort keys, in order: known before unknown (unknown by str); major;
 * minor; mainline before X trains, X trains by number; Junos OS before
 * Junos OS Evolved; type (I, A, B, R, S, F, X); for type I numbered
 * before dated builds, then branch and tag; then release, date, time,
 * service release (none before S1), add-on (none, then C, then J, each
 * by number and build), build (none before any), secure last.  So
 * R1 < R1.7 < R1-S1 < R1-S2.3 < R1-S10 < R2 and R3-S1.3 < R3-S1-J4.1 <
 * R3-S2.
 *
 * Only between two comparable versions (junos_version_comparable())
 * does the order mean "older / newer".  Across trains, flavours or types
 * it is a sorting convention: 15.1X49-D170.4 sorts after 15.1R7 and
 * before 16.1R1, which says nothing about release dates or fixes.
 */
int	 junos_version_cmp(const struct junos_version *a,
	    const struct junos_version *b);

/*
 * 1 if a and b are both known and in the same line of releases, so that
 * junos_version_cmp() says which is older: same train (major, minor, X
 * number), same flavour (Evolved or not), same type, and for internal
 * builds the same kind (numbered or dated), branch and tag.  0 otherwise.
 * 22.2R3-S1.3 and 22.2R3-S1.3-EVO share the lifecycle train "22.2" but
 * are not comparable: Junos OS and Junos OS Evolved are separate
 * products whose advisories list separate fixed releases.  Comparable
 * versions are contiguous in junos_version_cmp() order.
 */
int	 junos_version_comparable(const struct junos_version *a,
	    const struct junos_version *b);

/*
 * Write the lifecycle train key of v into buf: "21.4", "15.1X49",
 * "12.3X48", "9.6", spelt exactly as the Product column of Juniper's
 * "Junos OS Dates & Milestones" table.  F releases, S releases, beta,
 * internal and daily builds belong to their major.minor train
 * ("15.1F5.15" -> "15.1"), Evolved shares the Junos OS numbering
 * ("22.2R1.9-EVO" -> "22.2").  Whether Juniper supports a beta or
 * internal build at all is for the caller to decide from v->type.
 * Returns 0, or -1 with buf "" (when len > 0) if v is not known or buf
 * is too small (JUNOS_TRAIN_LEN is always enough).
 */
int	 junos_version_train(const struct junos_version *v, char *buf,
	    size_t len);

/*
 * Write the canonical spelling of v into buf.  Every string accepted by
 * junos_version_parse() is already canonical, so this gives back the
 * input; it is meant for versions built or edited field by field
 * (whose fields it does not check again).
 * Returns 0, or -1 with buf "" (when len > 0) if v is not known or buf
 * is too small (JUNOS_VERSION_LEN is always enough for parsed versions).
 */
int	 junos_version_format(const struct junos_version *v, char *buf,
	    size_t len);

#endif /* IB_JUNOS_VERSION_H */
