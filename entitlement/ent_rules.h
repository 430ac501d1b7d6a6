/*
 * ent_rules.h: the entitlement verdict for one serialized item as of one
 * day, as pure functions over plain structs: facts in, verdict out.  No
 * SQL, no I/O, no allocation, no logging, no global state, no clock:
 * every function is reentrant and may be called from any thread, and
 * "today" is always an argument.  The caller (a set-based SQL query, a
 * test) gathers the facts of one item; db/ and the reports own storage
 * and wording.  docs/entitlement-rules.md is the user-facing version of
 * the rules and of the decisions below.
 *
 * Status, the first that applies (docs/domain.md, seeds 002, 003, 004):
 *   UNSUPPORTABLE  the product's End of Support date is past;
 *   COVERED        a contract line of the item's own serial is active;
 *   EXPIRING       COVERED, but the coverage ends within the window;
 *   WARRANTY       inside its hardware warranty;
 *   LAPSED         a contract line for it existed before;
 *   UNCOVERED      none of the above.
 *
 * Decisions where docs/domain.md is silent or ambiguous (each one is
 * tested in tests/test_ent_rules.c):
 *
 *  D1 Days.  A date is a day number, days since 1970-01-01 in the
 *     proleptic Gregorian calendar, no time of day and no time zone.
 *     ENT_DAY_NONE means "unknown"; years 0001..9999 are valid.
 *  D2 Contract lines are inclusive at both ends: a line is active on
 *     its start day and on its end day (start <= as_of <= end).  A line
 *     with an unknown date, or with start > end, decides nothing (it
 *     still shows the serial is on a contract: no UNREGISTERED).
 *  D3 End of Support is the last day of support (seeds 002 and 003
 *     exclude products "past their End of Support date"): UNSUPPORTABLE
 *     when as_of > EOS, so the EOS day itself is still supportable.
 *     docs/domain.md said "on or before the as-of date"; the seed wins.
 *     The same reading holds for the software dates: SW_EOE when
 *     as_of > EOE, SW_EOS when as_of > EOS of the release train.
 *  D4 Several active lines: the one with the latest end decides (ties:
 *     the smaller contract id, then the smaller source ref, so the input
 *     order never matters).  EXPIRING looks at the unbroken coverage,
 *     not only that line: a line that starts no later than the day
 *     after the covered span ends extends it (a renewal already bought
 *     is not "expiring").  covered_until is the last day of that span.
 *  D5 EXPIRING when covered_until - as_of <= window_days: with the
 *     default 90, a line ending exactly 90 days after as_of is EXPIRING,
 *     one ending 91 days after is COVERED, one ending on as_of is
 *     EXPIRING (its last day).  window_days 0: only the last day.
 *  D6 LAPSED needs a line that ended before as_of (end < as_of).  A line
 *     that starts after as_of is not "before": with no past line the
 *     item is UNCOVERED, and next_contract_id / next_start name the line
 *     to come.  The deciding line of LAPSED is the one that ended last.
 *  D7 Warranty: a term of N months from day S covers S up to the day
 *     before the same day of the month N months later; when that day
 *     does not exist, up to the last day of that month (2023-01-31 + 1
 *     month -> last day 2023-02-28; 2023-03-15 + 12 -> 2024-03-14).
 *     Which start and term (seed 004 for CPO):
 *       CPO end-of-production: 12 months from the CPO purchase date;
 *       CPO current line: the product's term (ent_warranty_match(), else
 *         the policy default) from the CPO purchase date: "the same
 *         warranty as new hardware", started by this sale;
 *       otherwise: the product's term from the registration ship date.
 *     A CPO record wins over the registration (the registration ship
 *     date is the hardware's first life).  No date (or a CPO record of
 *     unknown line): not under warranty, warranty_unknown set; it is
 *     never estimated from first seen.  A term of 0 months: no warranty.
 *  D8 Components and policy inherit (the default): a component with no
 *     active line of its own takes the coverage of its chassis when the
 *     chassis is better off, ranked COVERED = EXPIRING > WARRANTY >
 *     LAPSED > UNCOVERED; via_chassis names the chassis.  Coverage only
 *     flows down: it never takes away a component's own better status,
 *     and a chassis' UNSUPPORTABLE is not inherited (the component's own
 *     End of Support decides that, rule 1, and beats any inheritance).
 *     The caller evaluates the chassis first and passes its verdict.
 *     Policy own: components are judged on their own serial only.
 *     Chassis and members are always judged on their own serial.
 *  D9 What is inherited is the coverage block: status, the deciding
 *     contract, covered_until, days_left, next line, warranty fields,
 *     reinstatement note and status evidence.  Flags stay the item's
 *     own (its own product lifecycle, its own records).
 *  D10 Flags.  EOL: announce <= as_of < last order (no last order date:
 *     from the announcement on).  END_OF_SALE: as_of >= last order.
 *     EOS_SOON: as_of <= EOS and EOS - as_of <= window_days.
 *     CONVERT_BY: status WARRANTY of its own (not via chassis) and last
 *     date to convert - as_of <= convert_window_days (past dates too).
 *     SW_EOE, SW_EOS: see D3; the sw row the caller passes applies to
 *     this item (pass one only for items that run Junos).
 *     UNREGISTERED: no contract line, CPO record or registration for the
 *     serial; never on a component under policy inherit (it is
 *     registered through its chassis, which carries the flag).
 *     SITE_MISMATCH: the seen site differs, ignoring case and runs of
 *     blanks, from the install site of the item's own deciding line
 *     (COVERED, EXPIRING, LAPSED, or the active line of an UNSUPPORTABLE
 *     item); when there is none, or it has no site, the install site of
 *     its registration; an unknown site on either side: no flag.  An
 *     inherited verdict has no own deciding line.  REPLACED and ADVISORY
 *     are decided by the caller.
 *  D11 CPO_CARE_INELIGIBLE (end-of-production CPO only).  Seed 004: Care
 *     Core, Core Plus and, upon pre-approval, Next Business Day Delivery
 *     may be bought "only at the time of their JCPO hardware purchase".
 *     The seed gives no number of days; docs/domain.md's 30 is the
 *     policy grace (cpo_care_grace_days).  Set when, among the item's
 *     lines that end on or after the purchase date:
 *       - a line's service level is known and not Core, Core Plus or Next
 *         Day (pre-approval cannot be seen: Next Day counts as eligible;
 *         an empty level is no evidence), or the CPO record's Care level;
 *       - the chain of lines, in start order, starting from the purchase
 *         date, has a gap: a line starts more than grace days after the
 *         purchase or after the end of the lines before it (a renewal
 *         that follows on keeps the chain), or the CPO record's Care
 *         start is more than grace days after the purchase;
 *       - there is no such line, the CPO record says no Care was bought,
 *         and as_of is more than grace days after the purchase: the time
 *         to buy Care has passed.
 *     Lines that ended before the CPO purchase belong to the hardware's
 *     first life: they are ignored here and for LAPSED (CPO
 *     certification is Juniper's own inspection).
 *  D12 Service levels are compared after normalisation: upper case,
 *     '-' and '_' as blanks, runs of blanks as one, an optional leading
 *     "JUNIPER CARE", and a few aliases (ent_level_parse()).
 *  D13 Lines, CPO records and registrations whose serial is set and
 *     differs from the item's (trimmed, case-insensitive) are ignored,
 *     so a caller may pass a superset.
 *  D14 Lifecycle match (ent_hw_match()): a row's pattern may hold
 *     alternatives separated by ';' (as Juniper's EOL lists give several
 *     model and part numbers per notice); each is matched, ignoring case
 *     and surrounding blanks, against the model and the part number,
 *     '*' matching any run of characters.  Precedence: an exact match
 *     (no '*') beats any wildcard match; among wildcard matches more
 *     literal characters (not counting '*') win; then a model match
 *     beats a part-number match (EOL notices are written per model);
 *     then the earlier row.  lifecycle_known is 0 when no row matched:
 *     the report says "lifecycle UNKNOWN", never "supported".
 *  D15 An UNSUPPORTABLE item that still has an active line names it in
 *     contract_id etc. (a contract on an unsupportable product is money
 *     to recover); status_src is then the lifecycle row.
 */
#ifndef IB_ENT_RULES_H
#define IB_ENT_RULES_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 (D1); 1 day is 1. */
typedef int32_t ent_day;

#define ENT_DAY_NONE	INT32_MIN	/* unknown date */
#define ENT_DAY_MIN	(-719162)	/* 0001-01-01 */
#define ENT_DAY_MAX	2932896		/* 9999-12-31 */
#define ENT_DAY_ISO_LEN	11		/* "YYYY-MM-DD" and NUL */

#define ENT_SERIAL_LEN	64	/* serials in a verdict, with NUL */
#define ENT_ID_LEN	64	/* contract ids */
#define ENT_LEVEL_LEN	48	/* service level names */
#define ENT_REF_LEN	128	/* evidence: "contracts.csv:12" */

#define ENT_CPO_EOP_WARRANTY_MONTHS	12	/* seed 004 */

enum ent_status {
	ENT_STATUS_NONE = 0,	/* not evaluated */
	ENT_UNSUPPORTABLE,
	ENT_COVERED,
	ENT_EXPIRING,
	ENT_WARRANTY,
	ENT_LAPSED,
	ENT_UNCOVERED
};

/* One bit each; ent_flag_str() gives the names. */
#define ENT_F_EOL			(1u << 0)
#define ENT_F_END_OF_SALE		(1u << 1)
#define ENT_F_EOS_SOON			(1u << 2)
#define ENT_F_CONVERT_BY		(1u << 3)
#define ENT_F_SW_EOE			(1u << 4)
#define ENT_F_SW_EOS			(1u << 5)
#define ENT_F_CPO_CARE_INELIGIBLE	(1u << 6)
#define ENT_F_UNREGISTERED		(1u << 7)
#define ENT_F_SITE_MISMATCH		(1u << 8)
#define ENT_F_REPLACED			(1u << 9)
#define ENT_F_ADVISORY			(1u << 10)
#define ENT_NFLAGS			11
#define ENT_F_ALL			((1u << ENT_NFLAGS) - 1)

enum ent_kind {			/* same order as collector/facts.h item_kind */
	ENT_KIND_CHASSIS = 0,
	ENT_KIND_MEMBER,	/* Virtual Chassis member, cluster node */
	ENT_KIND_COMPONENT	/* FRU: RE, FPC, PIC, PSU, fan, optic */
};

enum ent_component_policy {
	ENT_POLICY_INHERIT = 0,	/* the default (D8) */
	ENT_POLICY_OWN
};

enum ent_cpo_line {
	ENT_CPO_LINE_UNKNOWN = 0,
	ENT_CPO_CURRENT,		/* current line: warranty as new */
	ENT_CPO_END_OF_PRODUCTION	/* 12 months; Care at purchase only */
};

enum ent_level {
	ENT_LEVEL_UNKNOWN = 0,		/* empty or absent */
	ENT_LEVEL_CORE,
	ENT_LEVEL_CORE_PLUS,
	ENT_LEVEL_NEXT_DAY,		/* Next (Business) Day Delivery */
	ENT_LEVEL_NEXT_DAY_ONSITE,
	ENT_LEVEL_SAME_DAY,
	ENT_LEVEL_SAME_DAY_ONSITE,
	ENT_LEVEL_ADVANCED_CARE,
	ENT_LEVEL_OTHER			/* present but not recognised */
};

/*
 * Input structs.  Every string is borrowed from the caller for the
 * duration of one call and may be NULL (= unknown, like "").  Serials
 * are compared trimmed and ignoring case.  *_src is the evidence the
 * verdict cites: "file:line" of the imported row, or any short text.
 */
struct ent_item {
	const char	*serial;	/* required, serialized (not BUILTIN) */
	int		 kind;		/* enum ent_kind */
	const char	*model;		/* "MPC7E-10G", "EX4300-48T" */
	const char	*part_number;	/* assembly number "750-056519" */
	const char	*junos_version;	/* the device's, "21.4R3-S5.4" */
	const char	*junos_train;	/* "21.4"; NULL: ent_item_train() */
	const char	*site;		/* where it was seen; NULL unknown */
	const char	*chassis_serial; /* components: their chassis */
	int		 replaced;	/* 1: REPLACED (likely RMA) */
	const char	*replaced_by;	/* the new serial, if known */
	const char	*replaced_src;	/* evidence of REPLACED */
	const char	*advisory_src;	/* non-empty: ADVISORY, e.g. "JSA75723" */
};

struct ent_contract_line {
	const char	*contract_id;
	const char	*serial;	/* NULL: the item's (D13) */
	const char	*service_level;	/* "Core Plus", "next day"... (D12) */
	ent_day		 start;		/* first covered day */
	ent_day		 end;		/* last covered day (D2) */
	const char	*install_site;
	const char	*src;
};

struct ent_hw_lifecycle {
	const char	*pattern;	/* "MX480", "MPC7E*;750-056519" (D14) */
	ent_day		 eol_announce;	/* EOL announcement */
	ent_day		 last_order;	/* End of Sale: first day not sold */
	ent_day		 last_convert;	/* last date to convert warranty */
	ent_day		 same_day_disc;	/* same-day support discontinued */
	ent_day		 next_day_disc;	/* next-day support discontinued */
	ent_day		 eos;		/* End of Support: last day (D3) */
	const char	*replacement;	/* suggested replacement */
	const char	*src;
};

struct ent_sw_lifecycle {
	const char	*train;		/* "21.4", "15.1X49"; '*' allowed */
	ent_day		 eoe;		/* End of Engineering: last day */
	ent_day		 eos;		/* End of Support: last day */
	const char	*src;
};

struct ent_cpo {
	const char	*serial;	/* NULL: the item's (D13) */
	const char	*sku;
	ent_day		 purchase;	/* CPO purchase date */
	int		 line;		/* enum ent_cpo_line */
	int		 care_bought;	/* 1: Juniper Care bought with it */
	ent_day		 care_start;	/* ENT_DAY_NONE: not given */
	const char	*care_level;	/* service level of that Care */
	const char	*src;
};

struct ent_warranty_term {
	const char	*pattern;	/* as ent_hw_lifecycle.pattern */
	int		 months;	/* >= 0; 0: no warranty */
	const char	*src;
};

struct ent_registration {
	const char	*serial;	/* NULL: the item's (D13) */
	ent_day		 ship;		/* ship date: starts the warranty */
	const char	*install_site;
	const char	*src;
};

struct ent_verdict;

/* Everything known about one item; every pointer but item may be NULL. */
struct ent_facts {
	const struct ent_item		*item;
	const struct ent_contract_line	*lines;	/* the item's lines (D13) */
	size_t				 nlines;
	const struct ent_hw_lifecycle	*hw;	/* ent_hw_match() of item */
	const struct ent_sw_lifecycle	*sw;	/* ent_sw_match() of train */
	const struct ent_cpo		*cpo;
	const struct ent_registration	*reg;
	const struct ent_warranty_term	*wterm;	/* NULL: policy default */
	const struct ent_verdict	*chassis; /* the chassis' verdict (D8) */
};

struct ent_policy {
	int	 window_days;		/* EXPIRING, EOS_SOON; default 90 */
	int	 convert_window_days;	/* CONVERT_BY; default 90 */
	int	 component;		/* enum ent_component_policy */
	int	 default_warranty_months; /* no term matched; default 12 */
	int	 cpo_care_grace_days;	/* D11; default 30 */
};

/*
 * The verdict.  Self-contained (strings are copied, cut to fit), so it
 * outlives the facts and can be passed as another item's chassis.
 * Days are ENT_DAY_NONE and strings "" where not applicable.
 */
struct ent_verdict {
	char	 serial[ENT_SERIAL_LEN];	/* the item's, as given */
	int	 status;			/* enum ent_status */
	unsigned int flags;			/* ENT_F_* */
	/* The line that decided COVERED, EXPIRING, LAPSED (D4, D6, D15). */
	char	 contract_id[ENT_ID_LEN];
	char	 service_level[ENT_LEVEL_LEN];	/* canonical name, or as given */
	int	 level;				/* enum ent_level */
	ent_day	 contract_start;
	ent_day	 contract_end;
	ent_day	 covered_until;			/* COVERED, EXPIRING (D4) */
	int	 days_left;			/* covered_until - as_of; else -1 */
	/* The earliest line that starts after as_of (D6). */
	char	 next_contract_id[ENT_ID_LEN];
	ent_day	 next_start;
	/* Hardware warranty (D7), whatever the status. */
	ent_day	 warranty_end;			/* last day; NONE: none/unknown */
	int	 warranty_months;		/* term applied; 0 none/unknown */
	int	 warranty_unknown;		/* 1: no ship or purchase date */
	int	 lifecycle_known;		/* 0: "lifecycle UNKNOWN" (D14) */
	int	 lapsed_needs_reinstatement;	/* LAPSED: inspection or fee */
	char	 via_chassis[ENT_SERIAL_LEN];	/* inherited from (D8) */
	char	 replaced_by[ENT_SERIAL_LEN];	/* REPLACED: the new serial */
	/* Evidence: the src of the row that decided. */
	char	 status_src[ENT_REF_LEN];	/* "" for UNCOVERED */
	char	 warranty_src[ENT_REF_LEN];	/* CPO record or registration */
	char	 warranty_term_src[ENT_REF_LEN]; /* term row; "" default/CPO */
	char	 flag_src[ENT_NFLAGS][ENT_REF_LEN]; /* by bit number; ""
						   for UNREGISTERED */
};

/*
 * Parse "YYYY-MM-DD" (exactly, no blanks, a real calendar day in years
 * 0001..9999) into *out.  Returns 0, or -1 with *out ENT_DAY_NONE.
 */
int	 ent_day_parse(const char *iso, ent_day *out);

/*
 * Write d as "YYYY-MM-DD" into buf (len >= ENT_DAY_ISO_LEN).  Returns 0,
 * or -1 with buf "" (when len > 0) for an invalid day or short buffer.
 */
int	 ent_day_format(ent_day d, char *buf, size_t len);

/* y-m-d to a day and back.  0, or -1 out of range or invalid. */
int	 ent_day_from_ymd(int y, int m, int d, ent_day *out);
int	 ent_day_to_ymd(ent_day day, int *y, int *m, int *d);

/*
 * The same day of the month, months later (negative: earlier), cut to
 * the last day of a shorter month.  ENT_DAY_NONE if day is invalid or
 * the result is out of range.
 */
ent_day	 ent_day_add_months(ent_day day, int months);

/*
 * The last day of a term of months months starting on start (D7).
 * ENT_DAY_NONE if months <= 0, start is invalid or out of range.
 */
ent_day	 ent_term_last_day(ent_day start, int months);

/*
 * Best lifecycle row for a model and/or part number (D14), or NULL when
 * none matches (or rows is NULL).  Borrowed: points into rows.
 */
const struct ent_hw_lifecycle *
	 ent_hw_match(const char *model, const char *part_number,
	    const struct ent_hw_lifecycle *rows, size_t n);

/* The same for warranty terms; NULL: the policy default applies. */
const struct ent_warranty_term *
	 ent_warranty_match(const char *model, const char *part_number,
	    const struct ent_warranty_term *rows, size_t n);

/* The same for software trains: the train against each row's train. */
const struct ent_sw_lifecycle *
	 ent_sw_match(const char *train, const struct ent_sw_lifecycle *rows,
	    size_t n);

/*
 * The item's release train into buf: junos_train when set, else the
 * train of junos_version (entitlement/junos_version.h).  Returns 0, or
 * -1 with buf "" (len > 0) when neither gives one or buf is too small.
 */
int	 ent_item_train(const struct ent_item *item, char *buf, size_t len);

/* The defaults named in struct ent_policy. */
void	 ent_policy_init(struct ent_policy *p);

/*
 * The verdict for in->item as of as_of under policy p (NULL: defaults)
 * into *out, which is always overwritten.  Returns 0, or -1 (out zeroed,
 * status ENT_STATUS_NONE) when in, in->item or out is NULL, the serial
 * is empty, as_of is not a valid day, kind or a policy value is out of
 * range (windows and grace 0..36500 days, warranty terms 0..1200
 * months, the default's and in->wterm's), lines is NULL with nlines > 0,
 * or the chassis verdict's serial differs from item->chassis_serial.  Bad data inside the facts (a line
 * with start > end) is not an error: it decides nothing (D2).
 */
int	 ent_evaluate(const struct ent_facts *in, ent_day as_of,
	    const struct ent_policy *p, struct ent_verdict *out);

/*
 * "UNSUPPORTABLE", "COVERED", ... for an enum ent_status; NULL for
 * ENT_STATUS_NONE or anything out of range.
 */
const char	*ent_status_str(int status);

/* "EOL", "END_OF_SALE", ... for exactly one ENT_F_* bit; else NULL. */
const char	*ent_flag_str(unsigned int flag);

/* Bit number (0..ENT_NFLAGS-1) of one ENT_F_* bit, for flag_src[]; -1. */
int		 ent_flag_index(unsigned int flag);

/*
 * The names of the set flags, in bit order, joined by ',' into buf ("" for
 * none).  Returns 0, or -1 (buf cut, still NUL-terminated when len > 0)
 * if it does not fit.
 */
int		 ent_flags_format(unsigned int flags, char *buf, size_t len);

/* Normalise a service level name (D12) to an enum ent_level. */
int		 ent_level_parse(const char *s);

/* "Core", "Core Plus", "Next Day", ...; NULL for UNKNOWN, OTHER, bad. */
const char	*ent_level_str(int level);

#endif /* IB_ENT_RULES_H */
