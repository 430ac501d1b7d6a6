/*
 * test_junos_version.c: table-driven tests of entitlement/junos_version.c.
 *
 * ok[] holds every form the parser must know: the forms named in issue 5
 * and every Junos version string found in the test corpus (snmprec walks,
 * XML RPC replies, CLI text, sysDescr parser data), each with where it
 * was seen, the train key and the fields it must parse into.  bad[]
 * holds strings that must be rejected, kept and not guessed at,
 * including the corpus' non-Junos and garbled version strings.  The
 * chains are lists that must come out in that order from any shuffle.
 *
 * One test reads the corpus at run time: the train keys of
 * ../shared/corpus/eol/ *.csv (from the repository root, or $IB_CORPUS)
 * must be spelt exactly as junos_version_train() spells them.  Without
 * the corpus it says "corpus absent" and is skipped, never passed.
 */
#include <sys/stat.h>

#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/golden.h"

#include "entitlement/junos_version.h"

#define CORPUS_DEFAULT	"../shared/corpus"
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static char	 corpus[PATH_MAX];
static int	 have_corpus;

/*
 * Expected fields are written as the short dump made by dump(): train
 * ("15.1", "15.1 X49"), type letter, then only the parts present:
 * rel= release, S= service release, b= build, date=, time=, fmt= date
 * form, branch=, tag=, J=/C= add-on, secure= separator, EVO.
 */
struct ok_case {
	const char	*s;
	const char	*train;
	const char	*fields;
	const char	*where;
};

static const struct ok_case ok[] = {
	/* The forms named in issue 5. */
	{ "21.4R3-S5.4", "21.4", "21.4 R rel=3 S=5 b=4", "issue" },
	{ "15.1X49-D170.4", "15.1X49", "15.1 X49 X rel=170 b=4", "issue" },
	{ "12.3X48-D105", "12.3X48", "12.3 X48 X rel=105", "issue" },
	{ "18.4R2-S4.3", "18.4", "18.4 R rel=2 S=4 b=3", "issue" },
	{ "22.2R3-S1.3-EVO", "22.2", "22.2 R rel=3 S=1 b=3 EVO",
	    "issue; snmprec/junos_qfx5130-32cd-evo sysDescr" },
	{ "22.2R3-S1-J4.1-EVO", "22.2", "22.2 R rel=3 S=1 J=4.1 EVO",
	    "issue (JSU)" },
	{ "17.3R3-S12", "17.3", "17.3 R rel=3 S=12", "issue" },
	{ "14.1X53-D40.8", "14.1X53", "14.1 X53 X rel=40 b=8",
	    "issue; snmprec/junos_qfx5100* sysDescr, VC member version, "
	    "hrSWInstalledName.2 bracket" },
	{ "16.2R2.8", "16.2", "16.2 R rel=2 b=8",
	    "issue; snmprec/junos_mx sysDescr, hrSWInstalledName.2" },
	{ "12.3R11.2", "12.3", "12.3 R rel=11 b=2",
	    "issue; snmprec/junos VC member version" },
	{ "15.1X53-D59.4", "15.1X53", "15.1 X53 X rel=59 b=4",
	    "issue; snmprec/junos_ex sysDescr" },
	{ "18.2R1.9", "18.2", "18.2 R rel=1 b=9",
	    "issue; snmprec/junos_vmx, junos_ber sysDescr, hrSWInstalledName.2" },
	{ "22.2R1.9-EVO", "22.2", "22.2 R rel=1 b=9 EVO", "issue" },
	{ "15.1F5.15", "15.1", "15.1 F rel=5 b=15",
	    "issue; xml sw_info_dual_command junos-version" },
	{ "15.1F5.15-C1.12", "15.1", "15.1 F rel=5 b=15 C=1.12",
	    "issue; xml sw_info_dual_command junos-version (re1)" },
	{ "16.1-20160720.0", "16.1", "16.1 I b=0 date=20160720 fmt=-",
	    "issue; xml personality_mx_command junos-version" },
	{ "15.1-20161209.0", "15.1", "15.1 I b=0 date=20161209 fmt=-",
	    "issue; xml sw_info_vc_command junos-version" },
	{ "17.4-20170706_dev_common.0", "17.4",
	    "17.4 I b=0 date=20170706 fmt=- tag=dev_common",
	    "issue; xml sw_info_bsys junos-version" },
	{ "15.1F-20151115.0", "15.1", "15.1 I b=0 date=20151115 fmt=- branch=F",
	    "issue; xml personality_vptx_command junos-version" },
	{ "16.1X70-D10.5", "16.1X70", "16.1 X70 X rel=10 b=5",
	    "issue; xml personality_ptx_command junos-version" },
	{ "12.1X46-D15.3", "12.1X46", "12.1 X46 X rel=15 b=3",
	    "issue; xml get-software-information package" },
	{ "18.3I20180716_1639", "18.3", "18.3 I date=20180716 time=1639 fmt=I",
	    "issue; xml sw_info_dual_other_re_off junos-version" },
	{ "11.4R1.6", "11.4", "11.4 R rel=1 b=6",
	    "issue; xml sw_info_ex / ifd_style_switch package" },
	{ "14.2R4", "14.2", "14.2 R rel=4",
	    "issue; xml ofacts get-software-information_RE0-RE0 package" },
	{ "13.3R2.2", "13.3", "13.3 R rel=2 b=2",
	    "issue; xml personality_ex_command junos-version" },
	{ "12.3X48-D35.7", "12.3X48", "12.3 X48 X rel=35 b=7",
	    "issue; snmprec/junos sysDescr" },
	{ "15.1X49-D120.3", "15.1X49", "15.1 X49 X rel=120 b=3",
	    "issue; snmprec/junos_srx340 sysDescr, hrSWInstalledName.2" },
	{ "12.1X44-D40.2", "12.1X44", "12.1 X44 X rel=40 b=2", "issue" },

	/* snmprec walks (and LibreNMS expected/ json) */
	{ "15.1X53-D30.5", "15.1X53", "15.1 X53 X rel=30 b=5",
	    "snmprec/junos_1 sysDescr" },
	{ "12.3R12-S8.1", "12.3", "12.3 R rel=12 S=8 b=1",
	    "snmprec/junos_qfx5100 LLDP remote sysDescr (ex8216)" },

	/* expected/sysdescrparser_test_data.juniper-subset.json sysDescr */
	{ "10.0S1.1", "10.0", "10.0 S rel=1 b=1", "sysdescrparser ex4200-24f" },
	{ "10.0S14", "10.0", "10.0 S rel=14", "sysdescrparser m120" },
	{ "10.2R1.8", "10.2", "10.2 R rel=1 b=8", "sysdescrparser ex2200" },
	{ "10.4R3.4", "10.4", "10.4 R rel=3 b=4", "sysdescrparser" },
	{ "11.1R3.5", "11.1", "11.1 R rel=3 b=5", "sysdescrparser" },
	{ "11.2R1.10", "11.2", "11.2 R rel=1 b=10", "sysdescrparser" },
	{ "11.3R1.7", "11.3", "11.3 R rel=1 b=7", "sysdescrparser" },
	{ "6.3R2.2", "6.3", "6.3 R rel=2 b=2", "sysdescrparser" },
	{ "7.6R3.6", "7.6", "7.6 R rel=3 b=6", "sysdescrparser" },
	{ "8.1R1.5", "8.1", "8.1 R rel=1 b=5", "sysdescrparser" },
	{ "8.5-20080528.0", "8.5", "8.5 I b=0 date=20080528 fmt=-",
	    "sysdescrparser" },
	{ "9.2R1.10", "9.2", "9.2 R rel=1 b=10", "sysdescrparser" },

	/* xml/ <junos-version>, <release>, package <comment> brackets */
	{ "14.1R1.10", "14.1", "14.1 R rel=1 b=10",
	    "xml personality_m/olive_command junos-version" },
	{ "15.1R2.9", "15.1", "15.1 R rel=2 b=9",
	    "xml personality_t_command junos-version" },
	{ "16.1R1.11", "16.1", "16.1 R rel=1 b=11",
	    "xml sw_info_single_command junos-version" },
	{ "12.1X46-D65", "12.1X46", "12.1 X46 X rel=65",
	    "xml personality_srx_branch_command package" },
	{ "12.1X47-D20.7", "12.1X47", "12.1 X47 X rel=20 b=7",
	    "xml napalm test_get_facts os_version" },
	{ "12.3-20140911.0", "12.3", "12.3 I b=0 date=20140911 fmt=-",
	    "xml personality_m_command Support Tools package" },
	{ "12.3R3.4", "12.3", "12.3 R rel=3 b=4", "xml package comments" },
	{ "12.3R6.6", "12.3", "12.3 R rel=6 b=6",
	    "xml ofacts get-software-information package" },
	{ "12.3X48-D40.5", "12.3X48", "12.3 X48 X rel=40 b=5",
	    "xml personality_srx_high_end / sw_info_simple package" },
	{ "13.2X51-D35.3", "13.2X51", "13.2 X51 X rel=35 b=3",
	    "xml package comments; text ntc show_version_ex" },
	{ "13.3R1.4", "13.3", "13.3 R rel=1 b=4",
	    "xml package comments; text ntc show_version Junos:" },
	{ "15.1I20161229_0005_cbowers", "15.1",
	    "15.1 I date=20161229 time=0005 fmt=I tag=cbowers",
	    "xml personality_mx_command atf-base package" },
	{ "15.1X53-D45.3", "15.1X53", "15.1 X53 X rel=45 b=3",
	    "xml sw_info_nfx package comments" },
	{ "15.1X53-D45.3.secure", "15.1X53", "15.1 X53 X rel=45 b=3 secure=.",
	    "xml sw_info_nfx <release>" },
	{ "17.4-20170718_dev_common.1-secure", "17.4",
	    "17.4 I b=1 date=20170718 fmt=- tag=dev_common secure=-",
	    "xml sw_info_jdm / current_re_jdm \"JUNOS version :\" comment" },
	{ "15.1I0", "15.1", "15.1 I rel=0",
	    "xml xmlns schema tag (not a running version)" },
	{ "19.3R0", "19.3", "19.3 R rel=0",
	    "xml vmhost_true xmlns schema tag (not a running version)" },

	/* text/: ntc-templates, genieparser, oxidized */
	{ "18.2R2-S1", "18.2", "18.2 R rel=2 S=1",
	    "text genieparser ShowVersion Junos:" },
	{ "19.2R1.8", "19.2", "19.2 R rel=1 b=8",
	    "text genieparser ShowVersionDetail Junos:" },
	{ "19.4R3-S1.3", "19.4", "19.4 R rel=3 S=1 b=3",
	    "text ntc show_version_srx_cluster Junos:" },
	{ "20.4R3-S4.8", "20.4", "20.4 R rel=3 S=4 b=8",
	    "text ntc show_version_qfx5100 Host Software" },
	{ "21.4R3-S3.4", "21.4", "21.4 R rel=3 S=3 b=4",
	    "text ntc show_version_qfx5100 Junos:" },
	{ "22.4R3-S2.11", "22.4", "22.4 R rel=3 S=2 b=11",
	    "text oxidized srx300 Junos:, config version" },
	{ "15.1F4.15", "15.1", "15.1 F rel=4 b=15", "text ntc chassis_firmware" },
	{ "15.1X49-D15", "15.1X49", "15.1 X49 X rel=15",
	    "text ntc chassis_firmware" },
	{ "3.4I16", "3.4", "3.4 I rel=16", "text ntc chassis_firmware O/S" },
	{ "3.4I4", "3.4", "3.4 I rel=4", "text ntc chassis_firmware O/S" },
	{ "4.0I1", "4.0", "4.0 I rel=1", "text ntc chassis_firmware O/S" },
	{ "4.1I1", "4.1", "4.1 I rel=1", "text ntc chassis_firmware O/S" },
	{ "8.2B1", "8.2", "8.2 B rel=1", "text ntc chassis_firmware O/S" },
	{ "8.2I59", "8.2", "8.2 I rel=59", "text ntc chassis_firmware O/S" },
	{ "12.2I21", "12.2", "12.2 I rel=21", "text ntc chassis_firmware O/S" },
	{ "13.2-20130514.1", "13.2", "13.2 I b=1 date=20130514 fmt=-",
	    "text ntc chassis_firmware O/S" },
	{ "7.0-20040804.0", "7.0", "7.0 I b=0 date=20040804 fmt=-",
	    "text ntc chassis_firmware O/S" },
	{ "8.2-20061026.1", "8.2", "8.2 I b=1 date=20061026 fmt=-",
	    "text ntc chassis_firmware O/S" },
	{ "9.0-20070916.3", "9.0", "9.0 I b=3 date=20070916 fmt=-",
	    "text ntc chassis_firmware O/S" },
	{ "9.0-20080103.0", "9.0", "9.0 I b=0 date=20080103 fmt=-",
	    "text ntc chassis_firmware O/S" },
	{ "12.3-20121220.0", "12.3", "12.3 I b=0 date=20121220 fmt=-",
	    "text ntc chassis_firmware O/S" },
	{ "12.3-20130415.0", "12.3", "12.3 I b=0 date=20130415 fmt=-",
	    "text ntc chassis_firmware O/S" },

	/* Grammar corners not in the corpus. */
	{ "9.5A1", "9.5", "9.5 A rel=1", "corner: alpha, Junos 5.7 naming doc" },
	{ "15.1F6-S4", "15.1", "15.1 F rel=6 S=4", "corner: F with service release" },
	{ "21.4R3-S5.4-J1.2", "21.4", "21.4 R rel=3 S=5 b=4 J=1.2",
	    "corner: JSU on a built release" },
	{ "19.1R1-EVO", "19.1", "19.1 R rel=1 EVO", "corner: EVO without build" },
	{ "99.99R999999999.999999999", "99.99",
	    "99.99 R rel=999999999 b=999999999", "corner: largest numbers" },
	{ "17.4-20170706_abcdefghijklmnopqrstuvw.0", "17.4",
	    "17.4 I b=0 date=20170706 fmt=- tag=abcdefghijklmnopqrstuvw",
	    "corner: longest tag (23)" },
};

struct bad_case {
	const char	*s;
	const char	*why;
};

static const struct bad_case bad[] = {
	/* issue 5 */
	{ "", "empty" },
	{ "abc", "no digits" },
	{ "JUNOS", "a word" },
	{ "21.", "no minor" },
	{ "21.4R", "R without number" },
	{ "1.2.3.4", "dotted quad" },
	{ "<private>", "LibreNMS anonymised value" },
	/* corpus: not Junos, or not a version */
	{ "10.0b39", "ROM monitor version, chassis_firmware (lower case)" },
	{ "2.0i1", "ROM monitor version, chassis_firmware (lower case)" },
	{ "113.3R1.4", "typo in ntc show_version Online Documentation" },
	{ "11.10.4_1.junos.i386", "junos-ez-stdlib package, snmprec qfx5100-vcs-1" },
	{ "junos-ez-stdlib [11.10.4_1.junos.i386]D40.8]",
	    "garbled hrSWInstalledName.2, snmprec qfx5100-vcs-1" },
	{ "JUNOS Base OS boot [14.1X53-D40.8]X53-D40.8]",
	    "garbled hrSWInstalledName.2 as a whole, qfx5100-vcs-2" },
	{ "14.1X53-D40.8]X53-D40.8]", "its garbled tail" },
	{ "14.1x53-d40.8", "lower case, corpus file names" },
	{ "6.0R2-THIN.0", "AI-Scripts package, xml srx_high_end" },
	{ "7.0", "labpkg package, xml personality_m" },
	{ "16.1X70-D10.5-jet-1", "jsd package version, xml personality_ptx" },
	{ "16.1-20160720.0-jet-1", "jsd package version" },
	{ "powerpc-16.1-20160720.0-jet-1", "jsd package, xml personality_mx" },
	{ "21.4R3-S3.4-jet-1", "jsd package version" },
	{ "i386-21.4R3-S3.4-jet-1", "jsd package, ntc show_version_qfx5100" },
	{ "21.1X3.3", "X without -D, ntc show_version_vmhost packages" },
	{ "11.0-20190517.f0321c3_builder_stable_11",
	    "FreeBSD JNPR kernel, genieparser ShowVersionDetail" },
	{ "20220825.064945_builder_junos_211_x3", "builder stamp, ntc vmhost" },
	{ "1.0.0+20190621.152752_builder_junos_192_r1", "package, genieparser" },
	{ "3.14.61-rt58-WR7.0.0.13_ovp:3.0.2", "Wind River kernel, ntc" },
	{ "10.3.2 patch-0.2 [BuildId 12841]", "JunosE, sysdescrparser" },
	{ "11.1.0 release-0.0 [BuildId 12065]", "JunosE, sysdescrparser" },
	{ "7.7.4.4", "Trapeze WLC, snmprec juniper-mss" },
	{ "REV 01", "xml <version> of a hardware module" },
	{ "17.4D0", "xmlns schema tag: D without X" },
	{ "21.4", "a train (eol/juniper_eol.csv), not a release" },
	{ "15.1X49", "an X train, not a release" },
	/* shapes */
	{ " 21.4R3", "leading blank" },
	{ "21.4R3 ", "trailing blank" },
	{ "21.4R3\n", "newline" },
	{ "21.4R3-S5.4\r", "carriage return" },
	{ "21.4\001R3", "control byte" },
	{ "\033[1m21.4R3", "escape sequence" },
	{ "21.4R3\177", "DEL" },
	{ "21.4R3\xff", "high byte" },
	{ "21.4R3\xe2\x80\x93S5", "en dash" },
	{ "JUNOS 21.4R3-S5.4", "prefix" },
	{ "021.4R3", "leading zero in major" },
	{ "21.04R3", "leading zero in minor" },
	{ "21.4R03", "leading zero in release" },
	{ "21.4R3-S05", "leading zero in service release" },
	{ "21.4R3.04", "leading zero in build" },
	{ "0.4R1", "major 0" },
	{ "100.1R1", "major over 99" },
	{ "21.100R1", "minor over 99" },
	{ "21.4r3", "lower-case type" },
	{ "21.4Q3", "unknown type letter" },
	{ "21.4R1234567890", "number over 9 digits" },
	{ "21.4R3-", "trailing dash" },
	{ "21.4R3.", "trailing dot" },
	{ "21.4R3-S", "S without number" },
	{ "21.4R3-S5.", "build without number" },
	{ "21.4R3-S5-S6", "two service releases" },
	{ "21.4R3-S5.4.1", "two builds" },
	{ "8.2B1-S1", "service release on a beta" },
	{ "10.0S14-S1", "service release on an S release" },
	{ "15.1X49-D", "D without number" },
	{ "15.1X49D170", "D without dash" },
	{ "15.1X49-S170", "X train with S" },
	{ "15.1X-D170", "X without number" },
	{ "17.3R3-S12-J", "JSU without number" },
	{ "15.1F5.15-C1.12-J1", "two add-ons" },
	{ "16.1-20160720.0-J1", "add-on on a daily build" },
	{ "22.2R1.9-evo", "lower-case EVO" },
	{ "22.2R1.9-EVO-EVO", "EVO twice" },
	{ "22.2R1.9-EVX", "not EVO" },
	{ "22.2R1.9-EV", "cut EVO" },
	{ "22.2R1.9-EVOL", "longer than EVO" },
	{ "22.2R1.9EVO", "EVO without dash" },
	{ "15.1X53-D45.3.securex", "longer than secure" },
	{ "15.1X53-D45.3.secur", "cut secure" },
	{ "15.1X53-D45.3.securX", "not secure" },
	{ "22.2R1.9-EVO.secure", "secure after EVO" },
	{ "15.1X53-D45.3.SECURE", "upper-case secure" },
	{ "15.1X53-D45.3_secure", "secure with '_'" },
	{ "16.1-2016072.0", "7-digit date" },
	{ "16.1-20161320.0", "month 13" },
	{ "16.1-20160732.0", "day 32" },
	{ "16.1-18990720.0", "year 1899" },
	{ "16.1-20160720", "daily build without build" },
	{ "16.1-20160720_.0", "empty tag" },
	{ "16.1-20160720_Dev.0", "upper-case tag" },
	{ "16.1-20160720_dev_.0", "tag ending in '_'" },
	{ "17.4-20170706_abcdefghijklmnopqrstuvwx.0", "tag over 23" },
	{ "16.1F-20160720", "F daily build without build" },
	{ "18.3I20180716_1660", "minute 60" },
	{ "18.3I20180716_2400", "hour 24" },
	{ "18.3I20180716_163", "3-digit time" },
	{ "18.3I20180716_1639_", "trailing '_'" },
	{ "18.3I20180716.1", "build after a stamp" },
	{ "18.3I", "I without number" },
};

/*
 * Ordering chains: each must be strictly ascending, and come out in this
 * order from qsort() after any shuffle.  comparable says whether every
 * pair in the chain must be junos_version_comparable().
 */
struct chain {
	const char	*name;
	int		 comparable;
	const char	*v[24];
};

static const struct chain chains[] = {
	{ "R, S, build, JSU", 1, {
	    "21.4R1", "21.4R1.7", "21.4R1-S1", "21.4R1-S1.2", "21.4R1-S2",
	    "21.4R1-S10", "21.4R2", "21.4R2-S2.3", "21.4R2-S10.1", "21.4R3",
	    "21.4R3-S1", "21.4R3-S3.4", "21.4R3-S5", "21.4R3-S5.4",
	    "21.4R3-S5-J1", "21.4R3-S5-J1.2", "21.4R3-S5-J4.1",
	    "21.4R3-S5.4-J4.1", "21.4R3-S6", "21.4R3-S12", "21.4R4", NULL } },
	{ "builds numerically", 1, {
	    "16.1R1", "16.1R1.9", "16.1R1.11", "16.1R2", NULL } },
	{ "S2 < S10", 1, {
	    "18.4R2-S2", "18.4R2-S4.3", "18.4R2-S10", NULL } },
	{ "X train 15.1X49", 1, {
	    "15.1X49-D15", "15.1X49-D45", "15.1X49-D120.3", "15.1X49-D170",
	    "15.1X49-D170.4", NULL } },
	{ "X train 12.3X48", 1, {
	    "12.3X48-D35.7", "12.3X48-D40.5", "12.3X48-D105", NULL } },
	{ "Evolved", 1, {
	    "22.2R1.9-EVO", "22.2R3-S1-EVO", "22.2R3-S1.3-EVO",
	    "22.2R3-S1-J4.1-EVO", "22.2R3-S2-EVO", NULL } },
	{ "F and Continuity", 1, {
	    "15.1F4.15", "15.1F5", "15.1F5.15", "15.1F5.15-C1.12",
	    "15.1F6-S4", NULL } },
	{ "daily builds", 1, {
	    "16.1-20160720.0", "16.1-20160720.1", "16.1-20160721.0", NULL } },
	{ "stamped builds", 1, {
	    "18.3I20180716", "18.3I20180716_1639", "18.3I20180717_0005", NULL } },
	{ "dev_common builds", 1, {
	    "17.4-20170706_dev_common.0", "17.4-20170718_dev_common.1",
	    "17.4-20170718_dev_common.1-secure", NULL } },
	{ "numbered internal", 1, {
	    "3.4I4", "3.4I16", NULL } },
	{ "across trains, types and flavours", 0, {
	    "3.4I4", "4.0I1", "6.3R2.2", "8.2I59", "8.2-20061026.1", "8.2B1",
	    "10.0S1.1", "12.3R11.2", "12.3X48-D35.7", "15.1-20161209.0",
	    "15.1I20161229_0005_cbowers", "15.1F-20151115.0", "15.1R2.9",
	    "15.1F4.15", "15.1X49-D120.3", "15.1X53-D59.4", "16.1R1.11",
	    "22.2R3-S1.3", "22.2R1.9-EVO", "22.2R3-S1.3-EVO", "23.4R1",
	    NULL } },
	{ "unknown after known", 0, {
	    "9.0R1", "21.4R1", "", "1.2.3.4", "JUNOS", "abc", NULL } },
};

/* Pairs and whether they are comparable; sign is cmp(a, b) when known. */
static const struct {
	const char	*a, *b;
	int		 comparable;
	int		 sign;
} pairs[] = {
	{ "22.2R3-S1.3", "22.2R3-S1.3-EVO", 0, -1 },
	{ "15.1R2.9", "15.1X49-D120.3", 0, -1 },
	{ "15.1X49-D120.3", "15.1X53-D59.4", 0, -1 },
	{ "15.1R2.9", "15.1F5.15", 0, -1 },
	{ "10.0S14", "10.0R1", 0, 1 },
	{ "16.1-20160720.0", "15.1-20161209.0", 0, 1 },
	{ "15.1-20161209.0", "15.1F-20151115.0", 0, -1 },
	{ "17.4-20170706_dev_common.0", "17.4-20170718.0", 0, 1 },
	{ "3.4I16", "3.4I20000229", 0, -1 },
	{ "18.3-20180716.0", "18.3I20180716_1639", 1, -1 },
	{ "21.4R3-S5.4", "21.4R3-S3.4", 1, 1 },
	{ "21.4R3-S5.4", "21.4R3-S5.4", 1, 0 },
	{ "15.1X53-D45.3", "15.1X53-D45.3.secure", 1, -1 },
	{ "15.1F5.15-C1.12", "15.1F5.15-J1", 1, -1 },
	{ "21.4R1", "abc", 0, -1 },
	{ "abc", "abc", 0, 0 },
};

/*
 * Helpers.
 */

static void
dump(const struct junos_version *v, char *buf, size_t len)
{
	size_t	 off = 0;

#define PUT(...) do {							\
	int w_ = snprintf(buf + off, len - off, __VA_ARGS__);		\
	assert_true(w_ >= 0 && (size_t)w_ < len - off);			\
	off += (size_t)w_;						\
} while (0)

	PUT("%d.%d", v->major, v->minor);
	if (v->xtrain >= 0)
		PUT(" X%d", v->xtrain);
	PUT(" %c", v->type);
	if (v->release >= 0)
		PUT(" rel=%d", v->release);
	if (v->service >= 0)
		PUT(" S=%d", v->service);
	if (v->build >= 0)
		PUT(" b=%d", v->build);
	if (v->date >= 0)
		PUT(" date=%d", v->date);
	if (v->time >= 0)
		PUT(" time=%04d", v->time);
	if (v->datefmt)
		PUT(" fmt=%c", v->datefmt);
	if (v->branch)
		PUT(" branch=%c", v->branch);
	if (v->tag[0] != '\0')
		PUT(" tag=%s", v->tag);
	if (v->addon) {
		PUT(" %c=%d", v->addon, v->addon_release);
		if (v->addon_build >= 0)
			PUT(".%d", v->addon_build);
	}
	if (v->secure)
		PUT(" secure=%c", v->secure);
	if (v->evo)
		PUT(" EVO");
#undef PUT
}

/* The state a rejected string must leave: nothing but str filled in. */
static void
assert_unset(const struct junos_version *v)
{
	assert_int_equal(v->known, 0);
	assert_int_equal(v->major, -1);
	assert_int_equal(v->minor, -1);
	assert_int_equal(v->xtrain, -1);
	assert_int_equal(v->type, 0);
	assert_int_equal(v->release, -1);
	assert_int_equal(v->service, -1);
	assert_int_equal(v->build, -1);
	assert_int_equal(v->date, -1);
	assert_int_equal(v->time, -1);
	assert_int_equal(v->datefmt, 0);
	assert_int_equal(v->branch, 0);
	assert_string_equal(v->tag, "");
	assert_int_equal(v->addon, 0);
	assert_int_equal(v->addon_release, -1);
	assert_int_equal(v->addon_build, -1);
	assert_int_equal(v->secure, 0);
	assert_int_equal(v->evo, 0);
}

static void
parse_ok(const char *s, struct junos_version *v)
{
	if (junos_version_parse(s, v) != 0)
		fail_msg("\"%s\" did not parse", s);
	assert_int_equal(v->known, 1);
}

static int
sign(int c)
{
	return (c < 0 ? -1 : c > 0);
}

/* Deterministic shuffles: xorshift32, Fisher-Yates. */
static uint32_t
rnd(uint32_t *st)
{
	uint32_t	 x = *st;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return (*st = x);
}

static void
shuffle(struct junos_version *a, size_t n, uint32_t *st)
{
	struct junos_version	 t;
	size_t			 i, j;

	for (i = n; i > 1; i--) {
		j = rnd(st) % i;
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

static int
qcmp(const void *a, const void *b)
{
	return (junos_version_cmp(a, b));
}

/*
 * Tests.
 */

static void
test_parse_ok(void **state)
{
	struct junos_version	 v;
	char			 buf[256];
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(ok); i++) {
		parse_ok(ok[i].s, &v);
		assert_string_equal(v.str, ok[i].s);
		assert_int_equal(v.truncated, 0);
		dump(&v, buf, sizeof(buf));
		if (strcmp(buf, ok[i].fields) != 0)
			fail_msg("\"%s\" (%s): fields \"%s\", want \"%s\"",
			    ok[i].s, ok[i].where, buf, ok[i].fields);
		assert_int_equal(junos_version_train(&v, buf, sizeof(buf)), 0);
		if (strcmp(buf, ok[i].train) != 0)
			fail_msg("\"%s\": train \"%s\", want \"%s\"", ok[i].s,
			    buf, ok[i].train);
	}
}

static void
test_parse_bad(void **state)
{
	struct junos_version	 v;
	char			 buf[JUNOS_VERSION_LEN];
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		/* Start from a parsed version: a rejection must clear it. */
		parse_ok("21.4R3-S5.4-J1.2-EVO", &v);
		if (junos_version_parse(bad[i].s, &v) != -1)
			fail_msg("\"%s\" (%s) parsed", bad[i].s, bad[i].why);
		assert_string_equal(v.str, bad[i].s);
		assert_int_equal(v.truncated, 0);
		assert_unset(&v);
		assert_int_equal(junos_version_train(&v, buf, sizeof(buf)), -1);
		assert_string_equal(buf, "");
		assert_int_equal(junos_version_format(&v, buf, sizeof(buf)), -1);
		assert_string_equal(buf, "");
	}
}

static void
test_parse_null_and_long(void **state)
{
	struct junos_version	 v;
	char			 s[1001];

	(void)state;
	parse_ok("21.4R3", &v);
	assert_int_equal(junos_version_parse(NULL, &v), -1);
	assert_string_equal(v.str, "");
	assert_int_equal(v.truncated, 0);
	assert_unset(&v);

	/* Longer than str: kept cut to 63 bytes and flagged. */
	memset(s, 'A', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(junos_version_parse(s, &v), -1);
	assert_int_equal(v.truncated, 1);
	assert_int_equal(strlen(v.str), JUNOS_VERSION_LEN - 1);
	assert_memory_equal(v.str, s, JUNOS_VERSION_LEN - 1);
	assert_unset(&v);

	/* A valid version padded past the limit is still rejected. */
	memset(s, ' ', sizeof(s) - 1);
	memcpy(s, "21.4R3-S5.4", 11);
	assert_int_equal(junos_version_parse(s, &v), -1);
	assert_int_equal(v.truncated, 1);
	assert_memory_equal(v.str, s, JUNOS_VERSION_LEN - 1);

	/* 63 bytes fit (and are rejected as junk), 64 do not. */
	s[JUNOS_VERSION_LEN - 1] = '\0';
	assert_int_equal(junos_version_parse(s, &v), -1);
	assert_int_equal(v.truncated, 0);
	assert_string_equal(v.str, s);
	s[JUNOS_VERSION_LEN - 1] = 'x';
	s[JUNOS_VERSION_LEN] = '\0';
	assert_int_equal(junos_version_parse(s, &v), -1);
	assert_int_equal(v.truncated, 1);

	/* Digits only: no overflow, no crash. */
	memset(s, '9', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(junos_version_parse(s, &v), -1);
	memcpy(s, "21.4R", 5);
	s[40] = '\0';
	assert_int_equal(junos_version_parse(s, &v), -1);
	assert_int_equal(v.truncated, 0);
}

static void
test_format(void **state)
{
	struct junos_version	 v;
	char			 buf[JUNOS_VERSION_LEN], small[64];
	size_t			 i, n;

	(void)state;
	for (i = 0; i < NELEM(ok); i++) {
		parse_ok(ok[i].s, &v);
		assert_int_equal(junos_version_format(&v, buf, sizeof(buf)), 0);
		assert_string_equal(buf, ok[i].s);

		/* Exactly enough room works, one byte less fails cleanly. */
		n = strlen(ok[i].s);
		assert_int_equal(junos_version_format(&v, small, n + 1), 0);
		assert_string_equal(small, ok[i].s);
		memset(small, 'x', sizeof(small));
		assert_int_equal(junos_version_format(&v, small, n), -1);
		assert_string_equal(small, "");
		assert_int_equal(junos_version_format(&v, small, 0), -1);
		assert_int_equal(small[0], '\0');
	}

	/* Built field by field. */
	parse_ok("21.4R3", &v);
	v.service = 5;
	v.build = 4;
	v.evo = 1;
	assert_int_equal(junos_version_format(&v, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "21.4R3-S5.4-EVO");
}

static void
test_train(void **state)
{
	struct junos_version	 v;
	char			 buf[JUNOS_TRAIN_LEN];

	(void)state;
	/* The longest key fits JUNOS_TRAIN_LEN. */
	parse_ok("99.99X999999999-D1", &v);
	assert_int_equal(junos_version_train(&v, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "99.99X999999999");

	/* Too small: -1 and "". */
	parse_ok("15.1X49-D170.4", &v);
	assert_int_equal(junos_version_train(&v, buf, 8), 0);
	assert_string_equal(buf, "15.1X49");
	assert_int_equal(junos_version_train(&v, buf, 7), -1);
	assert_string_equal(buf, "");
	assert_int_equal(junos_version_train(&v, buf, 0), -1);

	/* Evolved shares the train; so do F and daily builds. */
	parse_ok("22.2R3-S1.3-EVO", &v);
	assert_int_equal(junos_version_train(&v, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "22.2");
	parse_ok("15.1F-20151115.0", &v);
	assert_int_equal(junos_version_train(&v, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "15.1");
}

static void
check_chain(const struct chain *c)
{
	struct junos_version	 v[24], w[24];
	size_t			 n, i, j;
	uint32_t		 st = 0x9e3779b9u;
	int			 round;

	for (n = 0; c->v[n] != NULL; n++)
		(void)junos_version_parse(c->v[n], &v[n]);

	/* Every pair, both ways; and the comparable flag. */
	for (i = 0; i < n; i++) {
		assert_int_equal(junos_version_cmp(&v[i], &v[i]), 0);
		for (j = i + 1; j < n; j++) {
			if (junos_version_cmp(&v[i], &v[j]) >= 0 ||
			    junos_version_cmp(&v[j], &v[i]) <= 0)
				fail_msg("chain \"%s\": \"%s\" !< \"%s\"",
				    c->name, c->v[i], c->v[j]);
			if (c->comparable &&
			    !junos_version_comparable(&v[i], &v[j]))
				fail_msg("chain \"%s\": \"%s\" and \"%s\" "
				    "not comparable", c->name, c->v[i],
				    c->v[j]);
		}
	}

	/* Shuffled and sorted, it comes back in order. */
	for (round = 0; round < 50; round++) {
		memcpy(w, v, n * sizeof(v[0]));
		shuffle(w, n, &st);
		qsort(w, n, sizeof(w[0]), qcmp);
		for (i = 0; i < n; i++) {
			if (strcmp(w[i].str, c->v[i]) != 0)
				fail_msg("chain \"%s\" round %d: [%zu] \"%s\", "
				    "want \"%s\"", c->name, round, i, w[i].str,
				    c->v[i]);
		}
	}
}

static void
test_order_chains(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(chains); i++)
		check_chain(&chains[i]);
}

static void
test_comparable_pairs(void **state)
{
	struct junos_version	 a, b;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(pairs); i++) {
		(void)junos_version_parse(pairs[i].a, &a);
		(void)junos_version_parse(pairs[i].b, &b);
		if (junos_version_comparable(&a, &b) != pairs[i].comparable ||
		    junos_version_comparable(&b, &a) != pairs[i].comparable)
			fail_msg("\"%s\" vs \"%s\": comparable %d, want %d",
			    pairs[i].a, pairs[i].b,
			    junos_version_comparable(&a, &b),
			    pairs[i].comparable);
		if (sign(junos_version_cmp(&a, &b)) != pairs[i].sign ||
		    sign(junos_version_cmp(&b, &a)) != -pairs[i].sign)
			fail_msg("\"%s\" vs \"%s\": cmp %d, want %d",
			    pairs[i].a, pairs[i].b,
			    junos_version_cmp(&a, &b), pairs[i].sign);
	}
}

/*
 * Over every string of both tables: cmp is antisymmetric and transitive
 * (checked on all triples), 0 only for the same string, and comparable
 * versions form unbroken runs of the sorted order.
 */
static void
test_order_properties(void **state)
{
	static struct junos_version	 v[NELEM(ok) + NELEM(bad)];
	size_t				 n = 0, i, j, k;
	int				 ij, jk, ik;

	(void)state;
	for (i = 0; i < NELEM(ok); i++)
		(void)junos_version_parse(ok[i].s, &v[n++]);
	for (i = 0; i < NELEM(bad); i++)
		(void)junos_version_parse(bad[i].s, &v[n++]);

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			ij = sign(junos_version_cmp(&v[i], &v[j]));
			assert_int_equal(ij,
			    -sign(junos_version_cmp(&v[j], &v[i])));
			if ((ij == 0) != (strcmp(v[i].str, v[j].str) == 0))
				fail_msg("\"%s\" vs \"%s\": cmp %d", v[i].str,
				    v[j].str, ij);
			assert_int_equal(junos_version_comparable(&v[i], &v[j]),
			    junos_version_comparable(&v[j], &v[i]));
		}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			ij = sign(junos_version_cmp(&v[i], &v[j]));
			for (k = 0; k < n; k++) {
				jk = sign(junos_version_cmp(&v[j], &v[k]));
				ik = sign(junos_version_cmp(&v[i], &v[k]));
				if (ij <= 0 && jk <= 0 && ik > 0)
					fail_msg("not transitive: %s %s %s",
					    v[i].str, v[j].str, v[k].str);
			}
		}

	qsort(v, n, sizeof(v[0]), qcmp);
	for (i = 0; i < n; i++)
		for (k = i + 2; k < n; k++) {
			if (!junos_version_comparable(&v[i], &v[k]))
				continue;
			for (j = i + 1; j < k; j++)
				if (!junos_version_comparable(&v[i], &v[j]))
					fail_msg("run broken: %s .. %s .. %s",
					    v[i].str, v[j].str, v[k].str);
		}
}

/*
 * The corpus' EOL tables: every train key in them must come back
 * spelt the same from a release of that train, and the trains of ok[]
 * that neither table lists are exactly the expected few.
 */
static int
eol_keys(const char *file, char keys[][JUNOS_TRAIN_LEN], size_t max,
    size_t *np)
{
	FILE	*fp;
	char	 path[PATH_MAX + 64], line[512];
	size_t	 len;
	int	 first = 1;

	snprintf(path, sizeof(path), "%s/eol/%s", corpus, file);
	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (first) {		/* the header row */
			first = 0;
			continue;
		}
		len = strcspn(line, ",\r\n");
		if (len == 0 || len >= JUNOS_TRAIN_LEN || *np >= max)
			continue;
		memcpy(keys[*np], line, len);
		keys[(*np)++][len] = '\0';
	}
	fclose(fp);
	return (0);
}

static void
test_corpus_eol_trains(void **state)
{
	static const char *const files[] = {
		"juniper_eol.csv", "junoscriptorium_eol-scanner_junos-versions.csv"
	};
	static const char *const unlisted_want[] = { "3.4", "16.1X70" };
	static char		 keys[512][JUNOS_TRAIN_LEN];
	struct junos_version	 v;
	char			 s[64], train[JUNOS_TRAIN_LEN];
	char			 unlisted[16][JUNOS_TRAIN_LEN];
	size_t			 n = 0, nun = 0, i, j, f;

	(void)state;
	if (!have_corpus)
		skip();
	for (f = 0; f < NELEM(files); f++)
		if (eol_keys(files[f], keys, NELEM(keys), &n) == -1)
			fail_msg("%s/eol/%s: cannot read", corpus, files[f]);
	assert_true(n > 100);

	for (i = 0; i < n; i++) {
		snprintf(s, sizeof(s), "%s%s", keys[i],
		    strchr(keys[i], 'X') != NULL ? "-D10" : "R1");
		parse_ok(s, &v);
		assert_int_equal(junos_version_train(&v, train, sizeof(train)), 0);
		if (strcmp(train, keys[i]) != 0)
			fail_msg("EOL key \"%s\": train of %s is \"%s\"",
			    keys[i], s, train);
	}

	for (i = 0; i < NELEM(ok); i++) {
		if (strncmp(ok[i].where, "corner", 6) != 0) {
			for (j = 0; j < n; j++)
				if (strcmp(ok[i].train, keys[j]) == 0)
					break;
			if (j < n)
				continue;
			for (j = 0; j < nun; j++)
				if (strcmp(ok[i].train, unlisted[j]) == 0)
					break;
			if (j == nun && nun < NELEM(unlisted))
				snprintf(unlisted[nun++], JUNOS_TRAIN_LEN, "%s",
				    ok[i].train);
		}
	}
	if (nun != NELEM(unlisted_want))
		fail_msg("%zu trains not in the EOL tables, want %zu (first "
		    "\"%s\")", nun, NELEM(unlisted_want),
		    nun > 0 ? unlisted[0] : "");
	for (i = 0; i < nun; i++) {
		for (j = 0; j < NELEM(unlisted_want); j++)
			if (strcmp(unlisted[i], unlisted_want[j]) == 0)
				break;
		if (j == NELEM(unlisted_want))
			fail_msg("train \"%s\" not in the EOL tables",
			    unlisted[i]);
	}
}

/*
 * The corpus is relative to the repository root: when run from
 * elsewhere, move there from build/tests/test_junos_version.
 */
static void
find_corpus(const char *argv0)
{
	char	dir[PATH_MAX + 16];

	golden_find_root(argv0, "entitlement/junos_version.h", "test_junos_version");
	have_corpus = golden_corpus(CORPUS_DEFAULT, "eol", corpus,
	    sizeof(corpus), dir, sizeof(dir));
}

int
main(int argc, char *argv[])
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_null_and_long),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_train),
		cmocka_unit_test(test_order_chains),
		cmocka_unit_test(test_comparable_pairs),
		cmocka_unit_test(test_order_properties),
		cmocka_unit_test(test_corpus_eol_trains),
	};

	(void)argc;
	find_corpus(argv[0]);
	return (cmocka_run_group_tests_name("junos_version", tests, NULL,
	    NULL));
}
