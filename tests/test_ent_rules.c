/*
 * test_ent_rules.c: table-driven tests of entitlement/ent_rules.c.
 *
 * Every case pins its as-of day (never the clock).  cases[] describes
 * the facts of one item in a compact form (dates as ISO strings, rows
 * present or not) and the verdict expected: status, the exact flag set,
 * the deciding contract and the evidence.  The boundary tests walk day
 * by day across each edge named in ent_rules.h (D2-D7, D10): a line's
 * start and end, the EXPIRING window, End of Support, the warranty's
 * first and last day, EOL / last order, the convert-by window.
 * Inheritance, multiple lines, CPO Care eligibility, site comparison,
 * the pattern matcher and the calendar have their own tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "entitlement/ent_rules.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define AS_OF		"2024-06-15"
#define MAXL		5

/* Day from ISO, failing the test on a typo in a table. */
static ent_day
D(const char *iso)
{
	ent_day	 d;

	if (iso == NULL)
		return (ENT_DAY_NONE);
	if (ent_day_parse(iso, &d) == -1)
		fail_msg("bad date in test table: \"%s\"", iso);
	return (d);
}

static const char *
iso(ent_day d, char *buf)
{
	if (ent_day_format(d, buf, ENT_DAY_ISO_LEN) == -1)
		return ("NONE");
	return (buf);
}

struct lspec {
	const char	*id;
	const char	*start;
	const char	*end;
	const char	*level;
	const char	*site;
	const char	*serial;	/* NULL: the item's */
};

/* One item's facts and the verdict expected. */
struct tcase {
	const char		*name;
	const char		*as_of;		/* NULL: AS_OF */
	const char		*serial;	/* NULL: "SN1" */
	int			 kind;
	const char		*site;		/* seen site */
	struct lspec		 l[MAXL];	/* up to the first NULL id */
	int			 hw;		/* 1: hw row below */
	const char		*eol, *lod, *ltc, *eos;
	int			 sw;		/* 1: sw row below */
	const char		*sw_eoe, *sw_eos;
	int			 cpo;		/* 1: CPO record below */
	int			 line;		/* enum ent_cpo_line */
	const char		*buy;
	int			 care;
	const char		*care_start, *care_level;
	int			 reg;		/* 1: registration below */
	const char		*ship, *reg_site;
	int			 term;		/* 1: warranty term row */
	int			 months;
	int			 own;		/* policy own */
	int			 set_win;	/* 1: window_days = win */
	int			 win;
	int			 replaced;
	const char		*advisory;
	const struct tcase	*chassis;	/* evaluated first (D8) */
	const char		*chassis_serial;
	/* expected */
	int			 status;
	unsigned int		 flags;
	const char		*contract;	/* NULL: "" */
	const char		*src;		/* status_src; NULL: "" */
	int			 wunknown;
	const char		*via;		/* NULL: "" */
};

struct fx {
	struct ent_item			 item;
	struct ent_contract_line	 lines[MAXL];
	struct ent_hw_lifecycle		 hw;
	struct ent_sw_lifecycle		 sw;
	struct ent_cpo			 cpo;
	struct ent_registration		 reg;
	struct ent_warranty_term	 wt;
	struct ent_facts		 f;
	struct ent_policy		 p;
	char				 src[MAXL][16];
	struct ent_verdict		 chassis;
};

/* Fill fx from c; the chassis case (if any) is evaluated into fx. */
static void
build(const struct tcase *c, struct fx *x)
{
	struct fx	*cx;
	size_t		 i;

	memset(x, 0, sizeof(*x));
	ent_policy_init(&x->p);
	if (c->own)
		x->p.component = ENT_POLICY_OWN;
	if (c->set_win)
		x->p.window_days = c->win;
	x->item.serial = c->serial != NULL ? c->serial : "SN1";
	x->item.kind = c->kind;
	x->item.model = "MX480";
	x->item.part_number = "750-000001";
	x->item.site = c->site;
	x->item.chassis_serial = c->chassis_serial;
	x->item.replaced = c->replaced;
	x->item.replaced_by = c->replaced ? "NEW1" : NULL;
	x->item.replaced_src = c->replaced ? "scan:42" : NULL;
	x->item.advisory_src = c->advisory;
	x->f.item = &x->item;
	for (i = 0; i < MAXL && c->l[i].id != NULL; i++) {
		snprintf(x->src[i], sizeof(x->src[i]), "c.csv:%zu", i + 2);
		x->lines[i].contract_id = c->l[i].id;
		x->lines[i].serial = c->l[i].serial;
		x->lines[i].service_level = c->l[i].level;
		x->lines[i].start = D(c->l[i].start);
		x->lines[i].end = D(c->l[i].end);
		x->lines[i].install_site = c->l[i].site;
		x->lines[i].src = x->src[i];
	}
	x->f.lines = i > 0 ? x->lines : NULL;
	x->f.nlines = i;
	if (c->hw) {
		x->hw.pattern = "MX480";
		x->hw.eol_announce = D(c->eol);
		x->hw.last_order = D(c->lod);
		x->hw.last_convert = D(c->ltc);
		x->hw.same_day_disc = ENT_DAY_NONE;
		x->hw.next_day_disc = ENT_DAY_NONE;
		x->hw.eos = D(c->eos);
		x->hw.replacement = "MX10004";
		x->hw.src = "eol.csv:7";
		x->f.hw = &x->hw;
	}
	if (c->sw) {
		x->sw.train = "21.4";
		x->sw.eoe = D(c->sw_eoe);
		x->sw.eos = D(c->sw_eos);
		x->sw.src = "sw.csv:3";
		x->f.sw = &x->sw;
	}
	if (c->cpo) {
		x->cpo.sku = "MX480-BASE-AC-CPO";
		x->cpo.purchase = D(c->buy);
		x->cpo.line = c->line;
		x->cpo.care_bought = c->care;
		x->cpo.care_start = D(c->care_start);
		x->cpo.care_level = c->care_level;
		x->cpo.src = "cpo.csv:4";
		x->f.cpo = &x->cpo;
	}
	if (c->reg) {
		x->reg.ship = D(c->ship);
		x->reg.install_site = c->reg_site;
		x->reg.src = "reg.csv:5";
		x->f.reg = &x->reg;
	}
	if (c->term) {
		x->wt.pattern = "MX*";
		x->wt.months = c->months;
		x->wt.src = "terms:1";
		x->f.wterm = &x->wt;
	}
	if (c->chassis != NULL) {
		if ((cx = test_malloc(sizeof(*cx))) == NULL)
			fail_msg("malloc");
		build(c->chassis, cx);
		assert_int_equal(ent_evaluate(&cx->f,
		    D(c->chassis->as_of ? c->chassis->as_of : AS_OF), &cx->p,
		    &x->chassis), 0);
		test_free(cx);
		x->f.chassis = &x->chassis;
	}
}

static void
run(const struct tcase *c, struct ent_verdict *v)
{
	struct fx	*x;

	if ((x = test_malloc(sizeof(*x))) == NULL)
		fail_msg("malloc");
	build(c, x);
	assert_int_equal(ent_evaluate(&x->f, D(c->as_of ? c->as_of : AS_OF),
	    &x->p, v), 0);
	test_free(x);
}

static const char *
st(int s)
{
	const char	*n = ent_status_str(s);

	return (n != NULL ? n : "NONE");
}

/* Compare a verdict with what c expects; fail naming the case. */
static void
check(const struct tcase *c, const struct ent_verdict *v)
{
	char	 got[256], want[256];

	(void)ent_flags_format(v->flags, got, sizeof(got));
	(void)ent_flags_format(c->flags, want, sizeof(want));
	if (v->status != c->status || v->flags != c->flags)
		fail_msg("%s: %s [%s], want %s [%s]", c->name, st(v->status),
		    got, st(c->status), want);
	if (strcmp(v->contract_id, c->contract ? c->contract : "") != 0)
		fail_msg("%s: contract \"%s\", want \"%s\"", c->name,
		    v->contract_id, c->contract ? c->contract : "");
	if (strcmp(v->status_src, c->src ? c->src : "") != 0)
		fail_msg("%s: status_src \"%s\", want \"%s\"", c->name,
		    v->status_src, c->src ? c->src : "");
	if (v->warranty_unknown != c->wunknown)
		fail_msg("%s: warranty_unknown %d, want %d", c->name,
		    v->warranty_unknown, c->wunknown);
	if (strcmp(v->via_chassis, c->via ? c->via : "") != 0)
		fail_msg("%s: via \"%s\", want \"%s\"", c->name,
		    v->via_chassis, c->via ? c->via : "");
	if (v->lapsed_needs_reinstatement != (v->status == ENT_LAPSED))
		fail_msg("%s: reinstatement note %d", c->name,
		    v->lapsed_needs_reinstatement);
}

static void
run_table(const struct tcase *t, size_t n)
{
	struct ent_verdict	 v;
	size_t			 i;

	for (i = 0; i < n; i++) {
		run(&t[i], &v);
		check(&t[i], &v);
	}
}

#define L(id, s, e)		{ id, s, e, NULL, NULL, NULL }
#define LV(id, s, e, lv)	{ id, s, e, lv, NULL, NULL }
#define LS(id, s, e, site)	{ id, s, e, NULL, site, NULL }

#define F(x)	ENT_F_##x
#define U	ENT_F_UNREGISTERED

/* Status, first that applies, and the flags; as of 2024-06-15. */
static const struct tcase status_cases[] = {
	{ .name = "nothing known", .status = ENT_UNCOVERED, .flags = U,
	  .wunknown = 1 },
	{ .name = "active line", .l = { L("C1", "2024-01-01", "2025-12-31") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2",
	  .wunknown = 1 },
	{ .name = "active line ending in the window",
	  .l = { L("C1", "2023-07-01", "2024-08-31") },
	  .status = ENT_EXPIRING, .contract = "C1", .src = "c.csv:2",
	  .wunknown = 1 },
	{ .name = "line that ended", .l = { L("C1", "2022-01-01", "2023-12-31") },
	  .status = ENT_LAPSED, .contract = "C1", .src = "c.csv:2",
	  .wunknown = 1 },
	{ .name = "future line only: not before, UNCOVERED (D6)",
	  .l = { L("C1", "2024-07-01", "2025-06-30") },
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "past and future lines: LAPSED by the past one",
	  .l = { L("C2", "2024-07-01", "2025-06-30"),
	      L("C1", "2022-01-01", "2023-12-31") },
	  .status = ENT_LAPSED, .contract = "C1", .src = "c.csv:3",
	  .wunknown = 1 },
	{ .name = "two past lines: the one that ended last",
	  .l = { L("C1", "2021-01-01", "2021-12-31"),
	      L("C2", "2022-01-01", "2023-03-31") },
	  .status = ENT_LAPSED, .contract = "C2", .src = "c.csv:3",
	  .wunknown = 1 },
	{ .name = "line with start > end decides nothing, still on contract",
	  .l = { L("C1", "2025-01-01", "2024-01-01") },
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "line with unknown end decides nothing",
	  .l = { L("C1", "2024-01-01", NULL) },
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "another serial's line is ignored (D13)",
	  .l = { { "C9", "2024-01-01", "2025-12-31", NULL, NULL, "OTHER" } },
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "line serial matches trimmed, any case",
	  .l = { { "C1", "2024-01-01", "2025-12-31", NULL, NULL, " sn1 " } },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2",
	  .wunknown = 1 },
	{ .name = "past EOS beats an active line (D15)",
	  .l = { L("C1", "2024-01-01", "2025-12-31") },
	  .hw = 1, .eol = "2018-01-01", .lod = "2019-01-01",
	  .eos = "2024-01-31",
	  .status = ENT_UNSUPPORTABLE, .flags = F(END_OF_SALE),
	  .contract = "C1", .src = "eol.csv:7", .wunknown = 1 },
	{ .name = "past EOS, nothing else",
	  .hw = 1, .eos = "2020-01-31",
	  .status = ENT_UNSUPPORTABLE, .flags = U, .src = "eol.csv:7",
	  .wunknown = 1 },
	{ .name = "past EOS beats warranty",
	  .hw = 1, .eos = "2024-06-14", .reg = 1, .ship = "2024-01-10",
	  .status = ENT_UNSUPPORTABLE, .src = "eol.csv:7" },
	{ .name = "lifecycle row without EOS: not UNSUPPORTABLE",
	  .hw = 1, .eol = "2030-01-01",
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "warranty from the ship date (default 12 months)",
	  .reg = 1, .ship = "2024-01-10",
	  .status = ENT_WARRANTY, .src = "reg.csv:5" },
	{ .name = "warranty over, never a contract",
	  .reg = 1, .ship = "2022-01-10",
	  .status = ENT_UNCOVERED },
	{ .name = "warranty over, a line ended before",
	  .reg = 1, .ship = "2022-01-10",
	  .l = { L("C1", "2023-01-10", "2024-01-09") },
	  .status = ENT_LAPSED, .contract = "C1", .src = "c.csv:2" },
	{ .name = "warranty beats LAPSED",
	  .reg = 1, .ship = "2024-01-10",
	  .l = { L("C1", "2023-01-10", "2024-01-09") },
	  .status = ENT_WARRANTY, .src = "reg.csv:5" },
	{ .name = "contract beats warranty",
	  .reg = 1, .ship = "2024-01-10",
	  .l = { L("C1", "2024-01-10", "2026-01-09") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2" },
	{ .name = "registered without ship date: warranty unknown",
	  .reg = 1,
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "product term 36 months",
	  .reg = 1, .ship = "2022-01-10", .term = 1, .months = 36,
	  .status = ENT_WARRANTY, .src = "reg.csv:5" },
	{ .name = "product term 0 months: no warranty, not unknown",
	  .reg = 1, .ship = "2024-01-10", .term = 1, .months = 0,
	  .status = ENT_UNCOVERED },
	{ .name = "ship date after as-of: not yet under warranty",
	  .reg = 1, .ship = "2024-07-01",
	  .status = ENT_UNCOVERED },
	{ .name = "CPO end-of-production: 12 months from purchase",
	  .cpo = 1, .line = ENT_CPO_END_OF_PRODUCTION, .buy = "2023-09-01",
	  .care = 1, .term = 1, .months = 36,
	  .status = ENT_WARRANTY, .src = "cpo.csv:4" },
	{ .name = "CPO end-of-production: over after 12 months, whatever "
	    "the product term",
	  .cpo = 1, .line = ENT_CPO_END_OF_PRODUCTION, .buy = "2023-05-01",
	  .care = 1, .term = 1, .months = 36,
	  .status = ENT_UNCOVERED },
	{ .name = "CPO current line: product term from purchase",
	  .cpo = 1, .line = ENT_CPO_CURRENT, .buy = "2023-05-01",
	  .term = 1, .months = 36,
	  .status = ENT_WARRANTY, .src = "cpo.csv:4" },
	{ .name = "CPO current line: default term from purchase, over",
	  .cpo = 1, .line = ENT_CPO_CURRENT, .buy = "2023-05-01",
	  .status = ENT_UNCOVERED },
	{ .name = "CPO purchase beats the first life's ship date",
	  .cpo = 1, .line = ENT_CPO_CURRENT, .buy = "2024-01-01",
	  .reg = 1, .ship = "2015-03-01",
	  .status = ENT_WARRANTY, .src = "cpo.csv:4" },
	{ .name = "CPO without purchase date: warranty unknown",
	  .cpo = 1, .line = ENT_CPO_CURRENT,
	  .reg = 1, .ship = "2024-01-01",
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "CPO of unknown line: warranty unknown",
	  .cpo = 1, .buy = "2024-01-01",
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "CPO: a line of the first life is not LAPSED (D11)",
	  .cpo = 1, .line = ENT_CPO_CURRENT, .buy = "2023-01-01",
	  .l = { L("C0", "2019-01-01", "2021-12-31") },
	  .status = ENT_UNCOVERED },
	{ .name = "CPO: a line after purchase can lapse",
	  .cpo = 1, .line = ENT_CPO_CURRENT, .buy = "2023-01-01",
	  .l = { L("C1", "2023-01-01", "2023-12-31") },
	  .status = ENT_LAPSED, .contract = "C1", .src = "c.csv:2" },
	/* Flags. */
	{ .name = "EOL: announced, before last order",
	  .hw = 1, .eol = "2024-01-01", .lod = "2025-01-01",
	  .eos = "2030-01-01", .l = { L("C1", "2024-01-01", "2025-12-31") },
	  .status = ENT_COVERED, .flags = F(EOL), .contract = "C1",
	  .src = "c.csv:2", .wunknown = 1 },
	{ .name = "EOL without last order date",
	  .hw = 1, .eol = "2024-01-01",
	  .status = ENT_UNCOVERED, .flags = F(EOL) | U, .wunknown = 1 },
	{ .name = "EOL announced in the future: no flag",
	  .hw = 1, .eol = "2024-07-01", .lod = "2025-01-01",
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "END_OF_SALE, not EOL",
	  .hw = 1, .eol = "2023-01-01", .lod = "2024-06-01",
	  .eos = "2029-01-01",
	  .status = ENT_UNCOVERED, .flags = F(END_OF_SALE) | U,
	  .wunknown = 1 },
	{ .name = "EOS_SOON",
	  .hw = 1, .eol = "2018-01-01", .lod = "2019-01-01",
	  .eos = "2024-08-01",
	  .status = ENT_UNCOVERED, .flags = F(END_OF_SALE) | F(EOS_SOON) | U,
	  .wunknown = 1 },
	{ .name = "CONVERT_BY: under warranty, convert date near",
	  .hw = 1, .ltc = "2024-07-31", .reg = 1, .ship = "2024-01-10",
	  .status = ENT_WARRANTY, .flags = F(CONVERT_BY), .src = "reg.csv:5" },
	{ .name = "CONVERT_BY: convert date past",
	  .hw = 1, .ltc = "2024-01-01", .reg = 1, .ship = "2024-01-10",
	  .status = ENT_WARRANTY, .flags = F(CONVERT_BY), .src = "reg.csv:5" },
	{ .name = "CONVERT_BY: convert date far",
	  .hw = 1, .ltc = "2025-12-31", .reg = 1, .ship = "2024-01-10",
	  .status = ENT_WARRANTY, .src = "reg.csv:5" },
	{ .name = "CONVERT_BY: not when a contract covers it",
	  .hw = 1, .ltc = "2024-07-31", .reg = 1, .ship = "2024-01-10",
	  .l = { L("C1", "2024-01-10", "2026-01-09") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2" },
	{ .name = "CONVERT_BY: not out of warranty",
	  .hw = 1, .ltc = "2024-07-31", .reg = 1, .ship = "2022-01-10",
	  .status = ENT_UNCOVERED },
	{ .name = "SW_EOE",
	  .sw = 1, .sw_eoe = "2024-01-01", .sw_eos = "2025-01-01",
	  .status = ENT_UNCOVERED, .flags = F(SW_EOE) | U, .wunknown = 1 },
	{ .name = "SW_EOE and SW_EOS",
	  .sw = 1, .sw_eoe = "2023-01-01", .sw_eos = "2024-03-01",
	  .status = ENT_UNCOVERED, .flags = F(SW_EOE) | F(SW_EOS) | U,
	  .wunknown = 1 },
	{ .name = "SW dates ahead: no flag",
	  .sw = 1, .sw_eoe = "2025-01-01", .sw_eos = "2026-01-01",
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "SW EOS only known",
	  .sw = 1, .sw_eos = "2024-03-01",
	  .status = ENT_UNCOVERED, .flags = F(SW_EOS) | U, .wunknown = 1 },
	{ .name = "UNREGISTERED: not on a component under inherit",
	  .kind = ENT_KIND_COMPONENT,
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "UNREGISTERED: on a component under own",
	  .kind = ENT_KIND_COMPONENT, .own = 1,
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "UNREGISTERED: on a member",
	  .kind = ENT_KIND_MEMBER,
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "a CPO record is a registration",
	  .cpo = 1, .line = ENT_CPO_CURRENT, .buy = "2020-01-01",
	  .status = ENT_UNCOVERED },
	{ .name = "SITE_MISMATCH on the deciding line",
	  .site = "London LD5",
	  .l = { LS("C1", "2024-01-01", "2025-12-31", "Paris DC1") },
	  .status = ENT_COVERED, .flags = F(SITE_MISMATCH), .contract = "C1",
	  .src = "c.csv:2", .wunknown = 1 },
	{ .name = "site equal ignoring case and blanks",
	  .site = "  paris \t  dc1 ",
	  .l = { LS("C1", "2024-01-01", "2025-12-31", "PARIS DC1") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2",
	  .wunknown = 1 },
	{ .name = "inner blanks still matter",
	  .site = "PARISDC1",
	  .l = { LS("C1", "2024-01-01", "2025-12-31", "PARIS DC1") },
	  .status = ENT_COVERED, .flags = F(SITE_MISMATCH), .contract = "C1",
	  .src = "c.csv:2", .wunknown = 1 },
	{ .name = "seen site unknown: no flag",
	  .site = "  ",
	  .l = { LS("C1", "2024-01-01", "2025-12-31", "Paris DC1") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2",
	  .wunknown = 1 },
	{ .name = "contract site unknown: registration site",
	  .site = "London",
	  .l = { LS("C1", "2024-01-01", "2025-12-31", "") },
	  .reg = 1, .reg_site = "Paris",
	  .status = ENT_COVERED, .flags = F(SITE_MISMATCH), .contract = "C1",
	  .src = "c.csv:2", .wunknown = 1 },
	{ .name = "no deciding line: registration site",
	  .site = "London", .reg = 1, .ship = "2024-01-10",
	  .reg_site = "Paris",
	  .status = ENT_WARRANTY, .flags = F(SITE_MISMATCH),
	  .src = "reg.csv:5" },
	{ .name = "LAPSED: the last line's site",
	  .site = "London",
	  .l = { LS("C1", "2022-01-01", "2023-12-31", "Paris") },
	  .status = ENT_LAPSED, .flags = F(SITE_MISMATCH), .contract = "C1",
	  .src = "c.csv:2", .wunknown = 1 },
	{ .name = "future line's site is not compared",
	  .site = "London",
	  .l = { LS("C1", "2024-07-01", "2025-12-31", "Paris") },
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "REPLACED", .replaced = 1,
	  .status = ENT_UNCOVERED, .flags = F(REPLACED) | U, .wunknown = 1 },
	{ .name = "ADVISORY", .advisory = "JSA75723",
	  .status = ENT_UNCOVERED, .flags = F(ADVISORY) | U, .wunknown = 1 },
	{ .name = "ADVISORY: blank evidence is none", .advisory = " ",
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "everything at once",
	  .site = "Paris",
	  .l = { LS("C1", "2024-01-01", "2024-07-31", "Lyon") },
	  .hw = 1, .eol = "2023-01-01", .lod = "2024-01-01",
	  .eos = "2024-09-01",
	  .sw = 1, .sw_eoe = "2023-01-01", .sw_eos = "2024-01-01",
	  .replaced = 1, .advisory = "JSA1",
	  .status = ENT_EXPIRING,
	  .flags = F(END_OF_SALE) | F(EOS_SOON) | F(SW_EOE) | F(SW_EOS) |
	      F(SITE_MISMATCH) | F(REPLACED) | F(ADVISORY),
	  .contract = "C1", .src = "c.csv:2", .wunknown = 1 },
};

static void
test_status_table(void **state)
{
	(void)state;
	run_table(status_cases, NELEM(status_cases));
}

/* D11: Care on end-of-production CPO; purchase 2024-01-01. */
#define EOP	.cpo = 1, .line = ENT_CPO_END_OF_PRODUCTION, .buy = "2024-01-01"
#define CI	ENT_F_CPO_CARE_INELIGIBLE

static const struct tcase cpo_cases[] = {
	{ .name = "Core starting 30 days after purchase", EOP,
	  .l = { LV("C1", "2024-01-31", "2025-01-30", "Core") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2" },
	{ .name = "Core starting 31 days after purchase", EOP,
	  .l = { LV("C1", "2024-02-01", "2025-01-31", "Core") },
	  .status = ENT_COVERED, .flags = CI, .contract = "C1",
	  .src = "c.csv:2" },
	{ .name = "line starting before purchase is fine", EOP,
	  .l = { LV("C1", "2023-12-01", "2025-01-31", "Core Plus") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2" },
	{ .name = "Same Day is not allowed", EOP,
	  .l = { LV("C1", "2024-01-01", "2024-12-31", "Same Day") },
	  .status = ENT_COVERED, .flags = CI, .contract = "C1",
	  .src = "c.csv:2" },
	{ .name = "Advanced Care is not allowed", EOP,
	  .l = { LV("C1", "2024-01-01", "2024-12-31", "advanced  care") },
	  .status = ENT_COVERED, .flags = CI, .contract = "C1",
	  .src = "c.csv:2" },
	{ .name = "Next Business Day (pre-approval assumed)", EOP,
	  .l = { LV("C1", "2024-01-01", "2024-12-31", "next business day") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2" },
	{ .name = "Next Day Onsite is not Next Day Delivery", EOP,
	  .l = { LV("C1", "2024-01-01", "2024-12-31", "Next Day Onsite") },
	  .status = ENT_COVERED, .flags = CI, .contract = "C1",
	  .src = "c.csv:2" },
	{ .name = "unrecognised level counts as not allowed", EOP,
	  .l = { LV("C1", "2024-01-01", "2024-12-31", "Gold") },
	  .status = ENT_COVERED, .flags = CI, .contract = "C1",
	  .src = "c.csv:2" },
	{ .name = "empty level is no evidence", EOP,
	  .l = { LV("C1", "2024-01-01", "2024-12-31", " ") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2" },
	{ .name = "renewal 30 days after the end keeps the chain", EOP,
	  .as_of = "2025-06-15",
	  .l = { LV("C2", "2025-01-30", "2025-12-31", "Core"),
	      LV("C1", "2024-01-01", "2024-12-31", "Core") },
	  .status = ENT_COVERED, .contract = "C2", .src = "c.csv:2" },
	{ .name = "renewal 31 days after the end breaks it", EOP,
	  .as_of = "2025-06-15",
	  .l = { LV("C1", "2024-01-01", "2024-12-31", "Core"),
	      LV("C2", "2025-01-31", "2025-12-31", "Core") },
	  .status = ENT_COVERED, .flags = CI, .contract = "C2",
	  .src = "c.csv:3" },
	{ .name = "a late future line is ineligible too", EOP,
	  .l = { LV("C1", "2024-01-01", "2024-06-30", "Core"),
	      LV("C2", "2024-09-01", "2025-08-31", "Core") },
	  .status = ENT_EXPIRING, .flags = CI, .contract = "C1",
	  .src = "c.csv:2" },
	{ .name = "Care bought late per the CPO record", EOP,
	  .care = 1, .care_start = "2024-02-15", .care_level = "Core",
	  .status = ENT_WARRANTY, .flags = CI, .src = "cpo.csv:4" },
	{ .name = "Care bought at purchase per the CPO record", EOP,
	  .care = 1, .care_start = "2024-01-01", .care_level = "Core Plus",
	  .status = ENT_WARRANTY, .src = "cpo.csv:4" },
	{ .name = "Care of a level not allowed per the CPO record", EOP,
	  .care = 1, .care_level = "Same Day",
	  .status = ENT_WARRANTY, .flags = CI, .src = "cpo.csv:4" },
	{ .name = "no Care, 30 days after purchase: still possible", EOP,
	  .as_of = "2024-01-31",
	  .status = ENT_WARRANTY, .src = "cpo.csv:4" },
	{ .name = "no Care, 31 days after purchase: too late", EOP,
	  .as_of = "2024-02-01",
	  .status = ENT_WARRANTY, .flags = CI, .src = "cpo.csv:4" },
	{ .name = "first-life lines are ignored (D11)", EOP,
	  .care = 1,
	  .l = { LV("C0", "2019-01-01", "2021-12-31", "Same Day") },
	  .status = ENT_WARRANTY, .src = "cpo.csv:4" },
	{ .name = "current line: Care at any time, any level",
	  .cpo = 1, .line = ENT_CPO_CURRENT, .buy = "2022-01-01",
	  .l = { LV("C1", "2023-06-01", "2025-05-31", "Same Day") },
	  .status = ENT_COVERED, .contract = "C1", .src = "c.csv:2" },
};

static void
test_cpo_care(void **state)
{
	struct ent_verdict	 v;
	struct fx		*x;

	(void)state;
	run_table(cpo_cases, NELEM(cpo_cases));

	/* A CPO record of another serial is not this item's (D13). */
	if ((x = test_malloc(sizeof(*x))) == NULL)
		fail_msg("malloc");
	build(&cpo_cases[1], x);
	x->cpo.serial = "OTHER";
	assert_int_equal(ent_evaluate(&x->f, D(AS_OF), &x->p, &v), 0);
	assert_int_equal(v.flags, 0);
	assert_int_equal(v.warranty_unknown, 1);
	/* The grace is policy. */
	x->cpo.serial = NULL;
	x->p.cpo_care_grace_days = 31;
	assert_int_equal(ent_evaluate(&x->f, D(AS_OF), &x->p, &v), 0);
	assert_int_equal(v.flags, 0);
	x->p.cpo_care_grace_days = 0;
	x->lines[0].start = D("2024-01-01");
	assert_int_equal(ent_evaluate(&x->f, D(AS_OF), &x->p, &v), 0);
	assert_int_equal(v.flags, 0);
	x->lines[0].start = D("2024-01-02");
	assert_int_equal(ent_evaluate(&x->f, D(AS_OF), &x->p, &v), 0);
	assert_int_equal(v.flags, CI);
	assert_string_equal(v.flag_src[ent_flag_index(CI)], "c.csv:2");
	test_free(x);
}

/* D8: components (SN1 in chassis CH1) under inherit and own. */
static const struct tcase ch_covered = { .name = "chassis covered",
	.serial = "CH1",
	.l = { LV("K1", "2024-01-01", "2025-12-31", "core  plus") } };
static const struct tcase ch_expiring = { .name = "chassis expiring",
	.serial = "CH1", .l = { L("K1", "2024-01-01", "2024-07-31") } };
static const struct tcase ch_warranty = { .name = "chassis warranty",
	.serial = "CH1", .reg = 1, .ship = "2024-02-01" };
static const struct tcase ch_lapsed = { .name = "chassis lapsed",
	.serial = "CH1", .l = { L("K0", "2022-01-01", "2023-12-31") } };
static const struct tcase ch_uncovered = { .name = "chassis uncovered",
	.serial = "CH1" };
static const struct tcase ch_unsupp = { .name = "chassis past EOS",
	.serial = "CH1", .hw = 1, .eos = "2024-01-31",
	.l = { L("K1", "2024-01-01", "2025-12-31") } };

#define COMP	.kind = ENT_KIND_COMPONENT, .chassis_serial = "CH1"

static const struct tcase inherit_cases[] = {
	{ .name = "no line: COVERED via chassis", COMP,
	  .chassis = &ch_covered,
	  .status = ENT_COVERED, .contract = "K1", .src = "c.csv:2",
	  .wunknown = 1, .via = "CH1" },
	{ .name = "no line: EXPIRING via chassis", COMP,
	  .chassis = &ch_expiring,
	  .status = ENT_EXPIRING, .contract = "K1", .src = "c.csv:2",
	  .wunknown = 1, .via = "CH1" },
	{ .name = "policy own: its own serial only", COMP, .own = 1,
	  .chassis = &ch_covered,
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "own active line wins", COMP, .chassis = &ch_covered,
	  .l = { L("P1", "2024-03-01", "2026-02-28") },
	  .status = ENT_COVERED, .contract = "P1", .src = "c.csv:2",
	  .wunknown = 1 },
	{ .name = "own line expiring, chassis covered: own EXPIRING", COMP,
	  .chassis = &ch_covered,
	  .l = { L("P1", "2023-07-01", "2024-07-31") },
	  .status = ENT_EXPIRING, .contract = "P1", .src = "c.csv:2",
	  .wunknown = 1 },
	{ .name = "own line lapsed, chassis covered: via chassis", COMP,
	  .chassis = &ch_covered,
	  .l = { L("P0", "2022-01-01", "2023-12-31") },
	  .status = ENT_COVERED, .contract = "K1", .src = "c.csv:2",
	  .wunknown = 1, .via = "CH1" },
	{ .name = "own warranty, chassis covered: via chassis", COMP,
	  .chassis = &ch_covered, .reg = 1, .ship = "2024-03-01",
	  .status = ENT_COVERED, .contract = "K1", .src = "c.csv:2",
	  .wunknown = 1, .via = "CH1" },
	{ .name = "own warranty beats chassis uncovered", COMP,
	  .chassis = &ch_uncovered, .reg = 1, .ship = "2024-03-01",
	  .status = ENT_WARRANTY, .src = "reg.csv:5" },
	{ .name = "own warranty beats chassis lapsed", COMP,
	  .chassis = &ch_lapsed, .reg = 1, .ship = "2024-03-01",
	  .status = ENT_WARRANTY, .src = "reg.csv:5" },
	{ .name = "chassis warranty via chassis", COMP,
	  .chassis = &ch_warranty,
	  .status = ENT_WARRANTY, .src = "reg.csv:5", .via = "CH1" },
	{ .name = "chassis lapsed via chassis", COMP, .chassis = &ch_lapsed,
	  .status = ENT_LAPSED, .contract = "K0", .src = "c.csv:2",
	  .wunknown = 1, .via = "CH1" },
	{ .name = "own lapsed, chassis lapsed: own", COMP,
	  .chassis = &ch_lapsed,
	  .l = { L("P0", "2021-01-01", "2022-12-31") },
	  .status = ENT_LAPSED, .contract = "P0", .src = "c.csv:2",
	  .wunknown = 1 },
	{ .name = "chassis uncovered: nothing to inherit", COMP,
	  .chassis = &ch_uncovered,
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "chassis UNSUPPORTABLE is not inherited", COMP,
	  .chassis = &ch_unsupp,
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "own EOS past beats inheritance", COMP,
	  .chassis = &ch_covered, .hw = 1, .eos = "2024-01-31",
	  .status = ENT_UNSUPPORTABLE, .src = "eol.csv:7", .wunknown = 1 },
	{ .name = "no chassis verdict passed: own", COMP,
	  .status = ENT_UNCOVERED, .wunknown = 1 },
	{ .name = "a member never inherits", .kind = ENT_KIND_MEMBER,
	  .chassis_serial = "CH1", .chassis = &ch_covered,
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "a chassis never inherits", .chassis_serial = "CH1",
	  .chassis = &ch_covered,
	  .status = ENT_UNCOVERED, .flags = U, .wunknown = 1 },
	{ .name = "flags stay own: component EOL, via chassis", COMP,
	  .chassis = &ch_covered, .hw = 1, .eol = "2024-01-01",
	  .lod = "2024-12-31",
	  .status = ENT_COVERED, .flags = F(EOL), .contract = "K1",
	  .src = "c.csv:2", .wunknown = 1, .via = "CH1" },
	{ .name = "no CONVERT_BY on inherited warranty", COMP,
	  .chassis = &ch_warranty, .hw = 1, .ltc = "2024-07-01",
	  .status = ENT_WARRANTY, .src = "reg.csv:5", .via = "CH1" },
	{ .name = "chassis_serial unset: the verdict passed is used",
	  .kind = ENT_KIND_COMPONENT, .chassis = &ch_covered,
	  .status = ENT_COVERED, .contract = "K1", .src = "c.csv:2",
	  .wunknown = 1, .via = "CH1" },
	{ .name = "chassis serial compared trimmed, any case",
	  .kind = ENT_KIND_COMPONENT, .chassis_serial = " ch1",
	  .chassis = &ch_covered,
	  .status = ENT_COVERED, .contract = "K1", .src = "c.csv:2",
	  .wunknown = 1, .via = "CH1" },
};

static void
test_inherit(void **state)
{
	struct ent_verdict	 v;
	struct tcase		 c;

	(void)state;
	run_table(inherit_cases, NELEM(inherit_cases));

	/* The inherited block carries the chassis' line and level. */
	run(&inherit_cases[0], &v);
	assert_string_equal(v.service_level, "Core Plus");
	assert_int_equal(v.level, ENT_LEVEL_CORE_PLUS);
	assert_int_equal(v.contract_end, D("2025-12-31"));
	assert_int_equal(v.covered_until, D("2025-12-31"));
	assert_int_equal(v.days_left, D("2025-12-31") - D(AS_OF));
	/* Inherited warranty: the chassis' end date. */
	run(&inherit_cases[9], &v);
	assert_int_equal(v.warranty_end, D("2025-01-31"));
	/* Inherited LAPSED carries the reinstatement note. */
	run(&inherit_cases[10], &v);
	assert_int_equal(v.lapsed_needs_reinstatement, 1);

	/* A chassis verdict of another chassis is a caller error. */
	c = inherit_cases[0];
	c.chassis_serial = "CH2";
	{
		struct fx	*x;

		if ((x = test_malloc(sizeof(*x))) == NULL)
			fail_msg("malloc");
		build(&c, x);
		assert_int_equal(ent_evaluate(&x->f, D(AS_OF), &x->p, &v), -1);
		assert_int_equal(v.status, ENT_STATUS_NONE);
		test_free(x);
	}
}

/*
 * Day by day across one line (2024-01-01 .. 2024-12-31), window 90:
 * before the start UNCOVERED (future line), start..end-91 COVERED,
 * end-90..end EXPIRING, end+1 on LAPSED.
 */
static void
test_boundary_line(void **state)
{
	static const struct {
		const char	*rel;	/* "start" or "end" */
		int		 off;
		int		 status;
		int		 days_left;
	} t[] = {
		{ "start", -2, ENT_UNCOVERED, -1 },
		{ "start", -1, ENT_UNCOVERED, -1 },
		{ "start", 0, ENT_COVERED, 365 },
		{ "start", 1, ENT_COVERED, 364 },
		{ "end", -92, ENT_COVERED, 92 },
		{ "end", -91, ENT_COVERED, 91 },
		{ "end", -90, ENT_EXPIRING, 90 },
		{ "end", -89, ENT_EXPIRING, 89 },
		{ "end", -1, ENT_EXPIRING, 1 },
		{ "end", 0, ENT_EXPIRING, 0 },
		{ "end", 1, ENT_LAPSED, -1 },
		{ "end", 2, ENT_LAPSED, -1 },
	};
	struct tcase		 c = { .name = "line",
		.l = { L("C1", "2024-01-01", "2024-12-31") } };
	struct fx		*x;
	struct ent_verdict	 v;
	ent_day			 day;
	size_t			 i;
	char			 b[ENT_DAY_ISO_LEN];

	(void)state;
	if ((x = test_malloc(sizeof(*x))) == NULL)
		fail_msg("malloc");
	build(&c, x);
	for (i = 0; i < NELEM(t); i++) {
		day = (strcmp(t[i].rel, "start") == 0 ? D("2024-01-01") :
		    D("2024-12-31")) + t[i].off;
		assert_int_equal(ent_evaluate(&x->f, day, &x->p, &v), 0);
		if (v.status != t[i].status || v.days_left != t[i].days_left)
			fail_msg("%s%+d (%s): %s %d, want %s %d", t[i].rel,
			    t[i].off, iso(day, b), st(v.status), v.days_left,
			    st(t[i].status), t[i].days_left);
		if (t[i].status == ENT_UNCOVERED) {
			assert_string_equal(v.next_contract_id, "C1");
			assert_int_equal(v.next_start, D("2024-01-01"));
			assert_string_equal(v.contract_id, "");
		} else {
			assert_string_equal(v.contract_id, "C1");
			assert_string_equal(v.next_contract_id, "");
			assert_int_equal(v.next_start, ENT_DAY_NONE);
			assert_int_equal(v.contract_start, D("2024-01-01"));
			assert_int_equal(v.contract_end, D("2024-12-31"));
		}
	}
	/* Other windows: the edge moves with it. */
	x->p.window_days = 0;
	assert_int_equal(ent_evaluate(&x->f, D("2024-12-30"), &x->p, &v), 0);
	assert_int_equal(v.status, ENT_COVERED);
	assert_int_equal(ent_evaluate(&x->f, D("2024-12-31"), &x->p, &v), 0);
	assert_int_equal(v.status, ENT_EXPIRING);
	x->p.window_days = 30;
	assert_int_equal(ent_evaluate(&x->f, D("2024-11-30"), &x->p, &v), 0);
	assert_int_equal(v.status, ENT_COVERED);
	assert_int_equal(ent_evaluate(&x->f, D("2024-12-01"), &x->p, &v), 0);
	assert_int_equal(v.status, ENT_EXPIRING);
	/* A one-day line. */
	x->p.window_days = 90;
	x->lines[0].start = x->lines[0].end = D("2024-05-05");
	assert_int_equal(ent_evaluate(&x->f, D("2024-05-04"), &x->p, &v), 0);
	assert_int_equal(v.status, ENT_UNCOVERED);
	assert_int_equal(ent_evaluate(&x->f, D("2024-05-05"), &x->p, &v), 0);
	assert_int_equal(v.status, ENT_EXPIRING);
	assert_int_equal(ent_evaluate(&x->f, D("2024-05-06"), &x->p, &v), 0);
	assert_int_equal(v.status, ENT_LAPSED);
	test_free(x);
}

/*
 * End of Support 2024-12-31 (D3): EOS_SOON from EOS-90, UNSUPPORTABLE
 * from EOS+1; the EOS day itself is the last supported day.
 */
static void
test_boundary_eos(void **state)
{
	static const struct {
		int		 off;
		int		 status;
		unsigned int	 flags;
	} t[] = {
		{ -91, ENT_COVERED, 0 },
		{ -90, ENT_COVERED, ENT_F_EOS_SOON },
		{ -1, ENT_COVERED, ENT_F_EOS_SOON },
		{ 0, ENT_COVERED, ENT_F_EOS_SOON },
		{ 1, ENT_UNSUPPORTABLE, 0 },
		{ 400, ENT_UNSUPPORTABLE, 0 },
	};
	struct tcase		 c = { .name = "eos", .hw = 1,
		.eos = "2024-12-31",
		.l = { L("C1", "2020-01-01", "2029-12-31") } };
	struct fx		*x;
	struct ent_verdict	 v;
	size_t			 i;
	char			 b[ENT_DAY_ISO_LEN];
	ent_day			 day;

	(void)state;
	if ((x = test_malloc(sizeof(*x))) == NULL)
		fail_msg("malloc");
	build(&c, x);
	for (i = 0; i < NELEM(t); i++) {
		day = D("2024-12-31") + t[i].off;
		assert_int_equal(ent_evaluate(&x->f, day, &x->p, &v), 0);
		if (v.status != t[i].status || v.flags != t[i].flags)
			fail_msg("EOS%+d (%s): %s %#x, want %s %#x", t[i].off,
			    iso(day, b), st(v.status), v.flags,
			    st(t[i].status), t[i].flags);
		assert_string_equal(v.contract_id, "C1");	/* D15 */
		assert_int_equal(v.lifecycle_known, 1);
		if (v.flags & ENT_F_EOS_SOON)
			assert_string_equal(v.flag_src[2], "eol.csv:7");
	}
	test_free(x);
}

/*
 * Warranty edges (D7): ship 2023-03-15 + 12 months covers 2023-03-15
 * .. 2024-03-14; CPO end-of-production 2023-01-31 covers up to
 * 2024-01-30; a month-end start 2023-01-31 + 1 month up to 2023-02-28.
 */
static void
test_boundary_warranty(void **state)
{
	static const struct {
		const char	*name;
		int		 cpo;	/* enum ent_cpo_line, 0: registration */
		const char	*start;
		int		 months; /* 0: default (12) */
		const char	*last;	/* expected last day */
	} t[] = {
		{ "ship + 12", 0, "2023-03-15", 0, "2024-03-14" },
		{ "ship + 1 at month end", 0, "2023-01-31", 1, "2023-02-28" },
		{ "ship + 1 at month end, leap", 0, "2024-01-31", 1,
		    "2024-02-29" },
		{ "ship on 29 Feb + 12", 0, "2024-02-29", 0, "2025-02-28" },
		{ "ship + 60", 0, "2020-01-01", 60, "2024-12-31" },
		{ "CPO end-of-production + 12", ENT_CPO_END_OF_PRODUCTION,
		    "2023-01-31", 36, "2024-01-30" },
		{ "CPO current + term", ENT_CPO_CURRENT, "2023-01-31", 24,
		    "2025-01-30" },
	};
	struct tcase		 c;
	struct fx		*x;
	struct ent_verdict	 v;
	ent_day			 start, last;
	size_t			 i;
	char			 b1[ENT_DAY_ISO_LEN], b2[ENT_DAY_ISO_LEN];

	(void)state;
	if ((x = test_malloc(sizeof(*x))) == NULL)
		fail_msg("malloc");
	for (i = 0; i < NELEM(t); i++) {
		memset(&c, 0, sizeof(c));
		c.name = t[i].name;
		if (t[i].cpo) {
			c.cpo = 1;
			c.line = t[i].cpo;
			c.buy = t[i].start;
			c.care = 1;
		} else {
			c.reg = 1;
			c.ship = t[i].start;
		}
		if (t[i].months) {
			c.term = 1;
			c.months = t[i].months;
		}
		build(&c, x);
		start = D(t[i].start);
		last = D(t[i].last);
		assert_int_equal(ent_evaluate(&x->f, start - 1, &x->p, &v), 0);
		if (v.status != ENT_UNCOVERED)
			fail_msg("%s: day before start %s", c.name,
			    st(v.status));
		if (v.warranty_end != last)
			fail_msg("%s: warranty_end %s, want %s", c.name,
			    iso(v.warranty_end, b1), iso(last, b2));
		assert_int_equal(ent_evaluate(&x->f, start, &x->p, &v), 0);
		assert_int_equal(v.status, ENT_WARRANTY);
		assert_int_equal(ent_evaluate(&x->f, last, &x->p, &v), 0);
		if (v.status != ENT_WARRANTY)
			fail_msg("%s: last day %s", c.name, st(v.status));
		assert_int_equal(ent_evaluate(&x->f, last + 1, &x->p, &v), 0);
		if (v.status != ENT_UNCOVERED)
			fail_msg("%s: day after %s", c.name, st(v.status));
		assert_string_equal(v.warranty_src,
		    t[i].cpo ? "cpo.csv:4" : "reg.csv:5");
		assert_string_equal(v.warranty_term_src,
		    t[i].months && t[i].cpo != ENT_CPO_END_OF_PRODUCTION ?
		    "terms:1" : "");
	}
	/* Policy default term. */
	memset(&c, 0, sizeof(c));
	c.reg = 1;
	c.ship = "2023-03-15";
	build(&c, x);
	x->p.default_warranty_months = 24;
	assert_int_equal(ent_evaluate(&x->f, D("2025-03-14"), &x->p, &v), 0);
	assert_int_equal(v.status, ENT_WARRANTY);
	assert_int_equal(v.warranty_months, 24);
	assert_int_equal(ent_evaluate(&x->f, D("2025-03-15"), &x->p, &v), 0);
	assert_int_equal(v.status, ENT_UNCOVERED);
	test_free(x);
}

/* EOL / END_OF_SALE edges and the CONVERT_BY window, day by day. */
static void
test_boundary_eol_convert(void **state)
{
	static const struct {
		const char	*day;
		unsigned int	 flags;
	} t[] = {
		{ "2023-12-31", 0 },			/* announce - 1 */
		{ "2024-01-01", ENT_F_EOL },		/* announce */
		{ "2024-06-29", ENT_F_EOL },		/* last order - 1 */
		{ "2024-06-30", ENT_F_END_OF_SALE },	/* last order */
		{ "2024-07-01", ENT_F_END_OF_SALE },
	};
	static const struct {
		int		 off;	/* as_of - last_convert */
		int		 win;
		unsigned int	 flags;
	} cv[] = {
		{ -91, 90, 0 },
		{ -90, 90, ENT_F_CONVERT_BY },
		{ -1, 90, ENT_F_CONVERT_BY },
		{ 0, 90, ENT_F_CONVERT_BY },
		{ 1, 90, ENT_F_CONVERT_BY },	/* past */
		{ 200, 90, ENT_F_CONVERT_BY },
		{ -1, 0, 0 },
		{ 0, 0, ENT_F_CONVERT_BY },
	};
	struct tcase		 c = { .name = "eol", .hw = 1,
		.eol = "2024-01-01", .lod = "2024-06-30",
		.l = { L("C1", "2020-01-01", "2029-12-31") } };
	struct fx		*x;
	struct ent_verdict	 v;
	size_t			 i;

	(void)state;
	if ((x = test_malloc(sizeof(*x))) == NULL)
		fail_msg("malloc");
	build(&c, x);
	for (i = 0; i < NELEM(t); i++) {
		assert_int_equal(ent_evaluate(&x->f, D(t[i].day), &x->p, &v),
		    0);
		if (v.flags != t[i].flags)
			fail_msg("%s: flags %#x, want %#x", t[i].day, v.flags,
			    t[i].flags);
	}
	/* Warranty from 2024-01-01 for 5 years; convert by 2025-06-30. */
	memset(&c, 0, sizeof(c));
	c.hw = 1;
	c.ltc = "2025-06-30";
	c.reg = 1;
	c.ship = "2024-01-01";
	c.term = 1;
	c.months = 60;
	build(&c, x);
	for (i = 0; i < NELEM(cv); i++) {
		x->p.convert_window_days = cv[i].win;
		assert_int_equal(ent_evaluate(&x->f, D("2025-06-30") +
		    cv[i].off, &x->p, &v), 0);
		assert_int_equal(v.status, ENT_WARRANTY);
		if (v.flags != cv[i].flags)
			fail_msg("convert %+d window %d: %#x, want %#x",
			    cv[i].off, cv[i].win, v.flags, cv[i].flags);
	}
	test_free(x);
}

/* D3: software dates are last days too. */
static void
test_boundary_sw(void **state)
{
	struct tcase		 c = { .name = "sw", .sw = 1,
		.sw_eoe = "2024-03-31", .sw_eos = "2024-09-30",
		.reg = 1, .ship = "2015-01-01" };
	struct fx		*x;
	struct ent_verdict	 v;

	(void)state;
	if ((x = test_malloc(sizeof(*x))) == NULL)
		fail_msg("malloc");
	build(&c, x);
	assert_int_equal(ent_evaluate(&x->f, D("2024-03-31"), &x->p, &v), 0);
	assert_int_equal(v.flags, 0);
	assert_int_equal(ent_evaluate(&x->f, D("2024-04-01"), &x->p, &v), 0);
	assert_int_equal(v.flags, ENT_F_SW_EOE);
	assert_int_equal(ent_evaluate(&x->f, D("2024-09-30"), &x->p, &v), 0);
	assert_int_equal(v.flags, ENT_F_SW_EOE);
	assert_int_equal(ent_evaluate(&x->f, D("2024-10-01"), &x->p, &v), 0);
	assert_int_equal(v.flags, ENT_F_SW_EOE | ENT_F_SW_EOS);
	assert_string_equal(v.flag_src[ent_flag_index(ENT_F_SW_EOS)],
	    "sw.csv:3");
	test_free(x);
}

/* D4: which line decides, whatever the input order. */
static void
test_multiple_lines(void **state)
{
	static const struct {
		const char	*name;
		struct lspec	 l[3];
		const char	*id;
		const char	*until;
		int		 status;
	} t[] = {
		{ "latest end wins",
		  { L("A", "2024-01-01", "2024-12-31"),
		    L("B", "2023-06-01", "2025-05-31"),
		    L("C", "2024-06-01", "2024-06-30") },
		  "B", "2025-05-31", ENT_COVERED },
		{ "same end: smaller contract id",
		  { L("Z9", "2024-01-01", "2025-12-31"),
		    L("A1", "2024-03-01", "2025-12-31"),
		    L("M5", "2024-02-01", "2025-12-31") },
		  "A1", "2025-12-31", ENT_COVERED },
		{ "renewal bought: not EXPIRING",
		  { L("OLD", "2023-07-01", "2024-07-31"),
		    L("NEW", "2024-08-01", "2025-07-31"),
		    L("X", "2020-01-01", "2020-12-31") },
		  "OLD", "2025-07-31", ENT_COVERED },
		{ "renewal chain of three",
		  { L("R3", "2024-09-01", "2026-01-31"),
		    L("R1", "2023-07-01", "2024-07-31"),
		    L("R2", "2024-08-01", "2024-08-31") },
		  "R1", "2026-01-31", ENT_COVERED },
		{ "renewal after a one-day gap: EXPIRING",
		  { L("OLD", "2023-07-01", "2024-07-31"),
		    L("NEW", "2024-08-02", "2025-07-31"),
		    L("X", "2020-01-01", "2020-12-31") },
		  "OLD", "2024-07-31", ENT_EXPIRING },
		{ "overlapping renewal",
		  { L("OLD", "2023-07-01", "2024-07-31"),
		    L("NEW", "2024-07-15", "2025-07-14"),
		    L("X", "2020-01-01", "2020-12-31") },
		  "OLD", "2025-07-14", ENT_COVERED },
	};
	static const int	 perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 }
	};
	struct tcase		 c;
	struct ent_verdict	 v;
	size_t			 i, k, j;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		for (k = 0; k < 6; k++) {
			memset(&c, 0, sizeof(c));
			c.name = t[i].name;
			for (j = 0; j < 3; j++)
				c.l[j] = t[i].l[perm[k][j]];
			run(&c, &v);
			if (v.status != t[i].status ||
			    strcmp(v.contract_id, t[i].id) != 0 ||
			    v.covered_until != D(t[i].until))
				fail_msg("%s (order %zu): %s %s, want %s %s",
				    t[i].name, k, st(v.status), v.contract_id,
				    st(t[i].status), t[i].id);
			assert_int_equal(v.days_left,
			    D(t[i].until) - D(AS_OF));
		}
	}
}

static void
test_evidence(void **state)
{
	struct tcase		 c = { .name = "evidence",
		.site = "Paris",
		.l = { LS("C1", "2024-01-01", "2024-07-31", "Lyon") },
		.hw = 1, .eol = "2023-01-01", .lod = "2024-01-01",
		.eos = "2024-09-01",
		.sw = 1, .sw_eoe = "2023-01-01", .sw_eos = "2024-01-01",
		.replaced = 1, .advisory = "JSA1" };
	static const struct {
		unsigned int	 f;
		const char	*src;
	} want[] = {
		{ ENT_F_END_OF_SALE, "eol.csv:7" },
		{ ENT_F_EOS_SOON, "eol.csv:7" },
		{ ENT_F_SW_EOE, "sw.csv:3" },
		{ ENT_F_SW_EOS, "sw.csv:3" },
		{ ENT_F_SITE_MISMATCH, "c.csv:2" },
		{ ENT_F_REPLACED, "scan:42" },
		{ ENT_F_ADVISORY, "JSA1" },
		{ ENT_F_EOL, "" },
		{ ENT_F_UNREGISTERED, "" },
	};
	struct ent_verdict	 v;
	size_t			 i;

	(void)state;
	run(&c, &v);
	for (i = 0; i < NELEM(want); i++)
		assert_string_equal(v.flag_src[ent_flag_index(want[i].f)],
		    want[i].src);
	assert_string_equal(v.serial, "SN1");
	assert_string_equal(v.replaced_by, "NEW1");
	assert_int_equal(v.lifecycle_known, 1);
	assert_string_equal(v.status_src, "c.csv:2");

	/* No lifecycle row: lifecycle UNKNOWN. */
	c.hw = 0;
	run(&c, &v);
	assert_int_equal(v.lifecycle_known, 0);
}

/* Service level names (D12) as the verdict reports them. */
static void
test_levels(void **state)
{
	static const struct {
		const char	*in;
		int		 level;
	} t[] = {
		{ "Core", ENT_LEVEL_CORE },
		{ "  core ", ENT_LEVEL_CORE },
		{ "Juniper Care Core", ENT_LEVEL_CORE },
		{ "Core Plus", ENT_LEVEL_CORE_PLUS },
		{ "CORE   PLUS", ENT_LEVEL_CORE_PLUS },
		{ "core-plus", ENT_LEVEL_CORE_PLUS },
		{ "CorePlus", ENT_LEVEL_CORE_PLUS },
		{ "Core+", ENT_LEVEL_CORE_PLUS },
		{ "Next Day", ENT_LEVEL_NEXT_DAY },
		{ "next_day", ENT_LEVEL_NEXT_DAY },
		{ "Next Business Day Delivery", ENT_LEVEL_NEXT_DAY },
		{ "ND", ENT_LEVEL_NEXT_DAY },
		{ "NBD", ENT_LEVEL_NEXT_DAY },
		{ "Next Day Onsite", ENT_LEVEL_NEXT_DAY_ONSITE },
		{ "Same Day", ENT_LEVEL_SAME_DAY },
		{ "SAMEDAY", ENT_LEVEL_SAME_DAY },
		{ "Same Day Onsite", ENT_LEVEL_SAME_DAY_ONSITE },
		{ "Advanced Care", ENT_LEVEL_ADVANCED_CARE },
		{ "Juniper Care Advanced Care", ENT_LEVEL_ADVANCED_CARE },
		{ "", ENT_LEVEL_UNKNOWN },
		{ " - ", ENT_LEVEL_UNKNOWN },
		{ NULL, ENT_LEVEL_UNKNOWN },
		{ "Gold", ENT_LEVEL_OTHER },
		{ "Core Plus Plus", ENT_LEVEL_OTHER },
		{ "Juniper Care", ENT_LEVEL_OTHER },
		{ "an overlong service level name that does not fit the "
		  "normalisation buffer at all", ENT_LEVEL_OTHER },
	};
	struct tcase		 c = { .name = "level",
		.l = { LV("C1", "2024-01-01", "2025-12-31", " core   PLUS ") } };
	struct ent_verdict	 v;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(t); i++)
		if (ent_level_parse(t[i].in) != t[i].level)
			fail_msg("level \"%s\": %d, want %d",
			    t[i].in ? t[i].in : "(null)",
			    ent_level_parse(t[i].in), t[i].level);
	assert_string_equal(ent_level_str(ENT_LEVEL_CORE), "Core");
	assert_string_equal(ent_level_str(ENT_LEVEL_NEXT_DAY), "Next Day");
	assert_null(ent_level_str(ENT_LEVEL_UNKNOWN));
	assert_null(ent_level_str(ENT_LEVEL_OTHER));
	assert_null(ent_level_str(-1));
	run(&c, &v);
	assert_string_equal(v.service_level, "Core Plus");
	c.l[0].level = "  Platinum  24x7 ";
	run(&c, &v);
	assert_string_equal(v.service_level, "Platinum  24x7");
	assert_int_equal(v.level, ENT_LEVEL_OTHER);
}

static void
test_names(void **state)
{
	static const char *const flags[ENT_NFLAGS] = {
		"EOL", "END_OF_SALE", "EOS_SOON", "CONVERT_BY", "SW_EOE",
		"SW_EOS", "CPO_CARE_INELIGIBLE", "UNREGISTERED",
		"SITE_MISMATCH", "REPLACED", "ADVISORY"
	};
	char		 buf[256];
	int		 i;

	(void)state;
	assert_string_equal(ent_status_str(ENT_UNSUPPORTABLE), "UNSUPPORTABLE");
	assert_string_equal(ent_status_str(ENT_COVERED), "COVERED");
	assert_string_equal(ent_status_str(ENT_EXPIRING), "EXPIRING");
	assert_string_equal(ent_status_str(ENT_WARRANTY), "WARRANTY");
	assert_string_equal(ent_status_str(ENT_LAPSED), "LAPSED");
	assert_string_equal(ent_status_str(ENT_UNCOVERED), "UNCOVERED");
	assert_null(ent_status_str(ENT_STATUS_NONE));
	assert_null(ent_status_str(ENT_UNCOVERED + 1));
	assert_null(ent_status_str(-1));
	for (i = 0; i < ENT_NFLAGS; i++) {
		assert_string_equal(ent_flag_str(1u << i), flags[i]);
		assert_int_equal(ent_flag_index(1u << i), i);
	}
	assert_null(ent_flag_str(0));
	assert_null(ent_flag_str(ENT_F_EOL | ENT_F_SW_EOS));
	assert_null(ent_flag_str(1u << ENT_NFLAGS));
	assert_int_equal(ent_flag_index(3), -1);

	assert_int_equal(ent_flags_format(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(ent_flags_format(ENT_F_SW_EOS | ENT_F_EOL |
	    ENT_F_ADVISORY, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "EOL,SW_EOS,ADVISORY");
	assert_int_equal(ent_flags_format(ENT_F_ALL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "EOL,END_OF_SALE,EOS_SOON,CONVERT_BY,"
	    "SW_EOE,SW_EOS,CPO_CARE_INELIGIBLE,UNREGISTERED,SITE_MISMATCH,"
	    "REPLACED,ADVISORY");
	/* "EOL,SW_EOS" needs 11 bytes. */
	assert_int_equal(ent_flags_format(ENT_F_EOL | ENT_F_SW_EOS, buf, 11),
	    0);
	assert_string_equal(buf, "EOL,SW_EOS");
	assert_int_equal(ent_flags_format(ENT_F_EOL | ENT_F_SW_EOS, buf, 10),
	    -1);
	assert_string_equal(buf, "EOL");
	assert_int_equal(ent_flags_format(1u << 20, buf, sizeof(buf)), -1);
	assert_int_equal(ent_flags_format(0, NULL, 0), -1);
}

/* D1: the calendar, against values computed independently. */
static void
test_days(void **state)
{
	static const struct {
		const char	*iso;
		ent_day		 day;
	} ok[] = {
		{ "1970-01-01", 0 },
		{ "1970-01-02", 1 },
		{ "1969-12-31", -1 },
		{ "2000-02-29", 11016 },
		{ "2000-03-01", 11017 },
		{ "1900-03-01", -25508 },
		{ "2024-01-01", 19723 },
		{ "2024-02-29", 19782 },
		{ "2038-01-19", 24855 },
		{ "2100-03-01", 47541 },
		{ "0001-01-01", ENT_DAY_MIN },
		{ "9999-12-31", ENT_DAY_MAX },
	};
	static const char *const bad[] = {
		"", "2023-02-29", "1900-02-29", "2023-13-01", "2023-00-10",
		"2023-01-00", "2023-04-31", "2023-1-01", "2023-01-1",
		" 2023-01-01", "2023-01-01 ", "2023/01/01", "20230101",
		"0000-01-01", "2023-01-01T00:00", "+023-01-01", "2023-0a-01",
	};
	static const struct {
		const char	*from;
		int		 months;
		const char	*add;	/* ent_day_add_months */
		const char	*last;	/* ent_term_last_day */
	} m[] = {
		{ "2023-03-15", 12, "2024-03-15", "2024-03-14" },
		{ "2023-01-31", 1, "2023-02-28", "2023-02-28" },
		{ "2024-01-31", 1, "2024-02-29", "2024-02-29" },
		{ "2023-01-29", 1, "2023-02-28", "2023-02-28" },
		{ "2023-01-28", 1, "2023-02-28", "2023-02-27" },
		{ "2024-02-29", 12, "2025-02-28", "2025-02-28" },
		{ "2024-02-29", 48, "2028-02-29", "2028-02-28" },
		{ "2023-12-01", 1, "2024-01-01", "2023-12-31" },
		{ "2023-11-30", 3, "2024-02-29", "2024-02-29" },
		{ "2023-01-01", 120, "2033-01-01", "2032-12-31" },
		{ "2024-03-31", -1, "2024-02-29", NULL },
		{ "2024-01-15", -13, "2022-12-15", NULL },
		{ "2024-01-15", 0, "2024-01-15", NULL },
		{ "9999-12-01", 1, NULL, NULL },
		{ "0001-01-15", -1, NULL, NULL },
	};
	ent_day		 d, e;
	int		 y, mo, dd, py, pm, pd;
	size_t		 i;
	char		 b[ENT_DAY_ISO_LEN], b2[ENT_DAY_ISO_LEN];

	(void)state;
	for (i = 0; i < NELEM(ok); i++) {
		assert_int_equal(ent_day_parse(ok[i].iso, &d), 0);
		if (d != ok[i].day)
			fail_msg("%s: %d, want %d", ok[i].iso, d, ok[i].day);
		assert_int_equal(ent_day_format(d, b, sizeof(b)), 0);
		assert_string_equal(b, ok[i].iso);
	}
	for (i = 0; i < NELEM(bad); i++) {
		d = 5;
		if (ent_day_parse(bad[i], &d) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(d, ENT_DAY_NONE);
	}
	assert_int_equal(ent_day_parse(NULL, &d), -1);
	/* Every day of 1899..2101 follows the one before. */
	assert_int_equal(ent_day_to_ymd(D("1899-01-01") - 1, &py, &pm, &pd),
	    0);
	for (d = D("1899-01-01"); d <= D("2101-12-31"); d++) {
		assert_int_equal(ent_day_to_ymd(d, &y, &mo, &dd), 0);
		if (!((y == py && mo == pm && dd == pd + 1) ||
		    (y == py && mo == pm + 1 && dd == 1) ||
		    (y == py + 1 && mo == 1 && pm == 12 && dd == 1)))
			fail_msg("day %d: %d-%d-%d after %d-%d-%d", d, y, mo,
			    dd, py, pm, pd);
		assert_int_equal(ent_day_from_ymd(y, mo, dd, &e), 0);
		assert_int_equal(e, d);
		py = y;
		pm = mo;
		pd = dd;
	}
	assert_int_equal(ent_day_to_ymd(ENT_DAY_MIN - 1, &y, &mo, &dd), -1);
	assert_int_equal(ent_day_to_ymd(ENT_DAY_MAX + 1, &y, &mo, &dd), -1);
	assert_int_equal(ent_day_to_ymd(ENT_DAY_NONE, NULL, NULL, NULL), -1);
	assert_int_equal(ent_day_from_ymd(2023, 2, 29, &d), -1);
	assert_int_equal(ent_day_from_ymd(10000, 1, 1, &d), -1);
	assert_int_equal(ent_day_format(ENT_DAY_NONE, b, sizeof(b)), -1);
	assert_string_equal(b, "");
	assert_int_equal(ent_day_format(0, b, ENT_DAY_ISO_LEN - 1), -1);
	assert_string_equal(b, "");
	assert_int_equal(ent_day_format(0, NULL, 0), -1);

	for (i = 0; i < NELEM(m); i++) {
		d = D(m[i].from);
		e = ent_day_add_months(d, m[i].months);
		if (e != D(m[i].add))
			fail_msg("%s %+d months: %s, want %s", m[i].from,
			    m[i].months, iso(e, b), m[i].add ? m[i].add :
			    "NONE");
		e = ent_term_last_day(d, m[i].months);
		if (e != D(m[i].last))
			fail_msg("%s term %d: %s, want %s", m[i].from,
			    m[i].months, iso(e, b2), m[i].last ? m[i].last :
			    "NONE");
	}
	assert_int_equal(ent_day_add_months(ENT_DAY_NONE, 1), ENT_DAY_NONE);
	assert_int_equal(ent_term_last_day(ENT_DAY_NONE, 1), ENT_DAY_NONE);
}

/* D14: the lifecycle matcher. */
static const struct ent_hw_lifecycle rows[] = {
	{ .pattern = "MX*", .src = "r0" },
	{ .pattern = "MX48*", .src = "r1" },
	{ .pattern = "MX480", .src = "r2" },
	{ .pattern = "mpc7e-10g", .src = "r3" },
	{ .pattern = "750-056519", .src = "r4" },
	{ .pattern = "750-*", .src = "r5" },
	{ .pattern = "*-10G", .src = "r6" },
	{ .pattern = "EX4300-*;EX4300", .src = "r7" },
	{ .pattern = " QFX5100-48S-6Q ; QFX5100-48T-6Q ", .src = "r8" },
	{ .pattern = "SRX*0", .src = "r9" },
	{ .pattern = NULL, .src = "r10" },
	{ .pattern = "", .src = "r11" },
	{ .pattern = "*", .src = "r12" },
	{ .pattern = "740-0*", .src = "r13" },
	{ .pattern = "SFP-*", .src = "r14" },
	{ .pattern = "*-LX", .src = "r15" },
};

static void
test_hw_match(void **state)
{
	static const struct {
		const char	*model;
		const char	*pn;
		const char	*src;	/* NULL: no match */
		int		 all;	/* 1: with the catch-all row */
	} t[] = {
		{ "MX480", NULL, "r2", 0 },		/* exact beats MX48* */
		{ "mx480", NULL, "r2", 0 },		/* case */
		{ " MX480 ", NULL, "r2", 0 },		/* blanks */
		{ "MX480-BASE", NULL, "r1", 0 },	/* longest wildcard */
		{ "MX960", NULL, "r0", 0 },
		{ "MX", NULL, "r0", 0 },		/* '*' may be empty */
		{ "MPC7E-10G", "750-056519", "r3", 0 },	/* exact model first */
		{ "MPC7E-10G", NULL, "r3", 0 },
		{ NULL, "750-056519", "r4", 0 },	/* exact PN */
		{ "", "750-056519", "r4", 0 },
		{ "MPC9E", "750-056519", "r4", 0 },	/* exact beats wildcard */
		{ "MPC9E", "750-999999", "r5", 0 },
		{ "MPC3E-10G", "750-999999", "r6", 0 },	/* 4 = 4: model first */
		{ "EX4300", NULL, "r7", 0 },		/* alternative */
		{ "EX4300-48T", NULL, "r7", 0 },
		{ "QFX5100-48T-6Q", NULL, "r8", 0 },
		{ "QFX5100-48S-6Q", NULL, "r8", 0 },
		{ "QFX5100-96S", NULL, NULL, 0 },
		{ "SRX340", NULL, "r9", 0 },
		{ "SRX345", NULL, NULL, 0 },
		{ "SRX3400", NULL, "r9", 0 },		/* backtracking */
		{ "SFP-1GE-LX", NULL, "r14", 1 },	/* 4 literals beat 3, 0 */
		{ NULL, NULL, NULL, 0 },
		{ "ACX710", NULL, NULL, 0 },
		{ "ACX710", NULL, "r12", 1 },		/* catch-all */
		{ "MX480", NULL, "r2", 1 },
	};
	const struct ent_hw_lifecycle	*r;
	size_t				 i, n;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		n = t[i].all ? NELEM(rows) : 12;
		r = ent_hw_match(t[i].model, t[i].pn, rows, n);
		if ((r == NULL) != (t[i].src == NULL) ||
		    (r != NULL && strcmp(r->src, t[i].src) != 0))
			fail_msg("match %s/%s: %s, want %s",
			    t[i].model ? t[i].model : "-",
			    t[i].pn ? t[i].pn : "-", r ? r->src : "none",
			    t[i].src ? t[i].src : "none");
	}
	assert_null(ent_hw_match("MX480", NULL, NULL, 3));
	assert_null(ent_hw_match("MX480", NULL, rows, 0));
}

/* Equal rank: a model match beats a part-number match, then row order. */
static void
test_hw_match_ties(void **state)
{
	static const struct ent_hw_lifecycle pn_first[] = {
		{ .pattern = "750-056519", .src = "pn" },
		{ .pattern = "MPC7E-10G", .src = "model" },
	};
	static const struct ent_hw_lifecycle wild[] = {
		{ .pattern = "750-05*", .src = "pn" },
		{ .pattern = "MPC7*", .src = "model" },
	};
	static const struct ent_hw_lifecycle wild_eq[] = {
		{ .pattern = "750-*", .src = "pn" },
		{ .pattern = "MPC*", .src = "short" },
		{ .pattern = "MPC7*", .src = "model" },
	};
	static const struct ent_hw_lifecycle dup[] = {
		{ .pattern = "MX*", .src = "first" },
		{ .pattern = "mx*", .src = "second" },
	};
	static const struct ent_warranty_term terms[] = {
		{ .pattern = "EX*", .months = 60, .src = "t0" },
		{ .pattern = "EX2300*", .months = 12, .src = "t1" },
	};
	static const struct ent_sw_lifecycle sw[] = {
		{ .train = "21.4", .src = "s0" },
		{ .train = "15.1X49", .src = "s1" },
		{ .train = "15.1*", .src = "s2" },
	};
	const struct ent_warranty_term	*w;
	const struct ent_sw_lifecycle	*s;
	struct ent_item			 it;
	char				 b[32];

	(void)state;
	assert_string_equal(ent_hw_match("MPC7E-10G", "750-056519",
	    pn_first, 2)->src, "model");
	/* Wildcards: 6 literals on the part number beat 4 on the model. */
	assert_string_equal(ent_hw_match("MPC7E-10G", "750-056519",
	    wild, 2)->src, "pn");
	/* 4 = 4: the model wins. */
	assert_string_equal(ent_hw_match("MPC7E-10G", "750-056519",
	    wild_eq, 3)->src, "model");
	assert_string_equal(ent_hw_match("MX5", NULL, dup, 2)->src, "first");

	w = ent_warranty_match("EX2300-24T", NULL, terms, 2);
	assert_non_null(w);
	assert_string_equal(w->src, "t1");
	w = ent_warranty_match("EX4400-24T", NULL, terms, 2);
	assert_string_equal(w->src, "t0");
	assert_null(ent_warranty_match("MX480", "750-1", terms, 2));

	s = ent_sw_match("21.4", sw, 3);
	assert_string_equal(s->src, "s0");
	s = ent_sw_match("15.1X49", sw, 3);
	assert_string_equal(s->src, "s1");
	s = ent_sw_match("15.1", sw, 3);
	assert_string_equal(s->src, "s2");
	assert_null(ent_sw_match("21.2", sw, 3));
	assert_null(ent_sw_match(NULL, sw, 3));

	memset(&it, 0, sizeof(it));
	it.junos_version = "15.1X49-D170.4";
	assert_int_equal(ent_item_train(&it, b, sizeof(b)), 0);
	assert_string_equal(b, "15.1X49");
	it.junos_version = "22.2R3-S1.3-EVO";
	assert_int_equal(ent_item_train(&it, b, sizeof(b)), 0);
	assert_string_equal(b, "22.2");
	it.junos_train = " 21.4 ";
	assert_int_equal(ent_item_train(&it, b, sizeof(b)), 0);
	assert_string_equal(b, "21.4");
	assert_int_equal(ent_item_train(&it, b, 4), -1);
	assert_string_equal(b, "");
	it.junos_train = NULL;
	it.junos_version = "garbage";
	assert_int_equal(ent_item_train(&it, b, sizeof(b)), -1);
	it.junos_version = NULL;
	assert_int_equal(ent_item_train(&it, b, sizeof(b)), -1);
	assert_int_equal(ent_item_train(NULL, b, sizeof(b)), -1);
}

/* Arguments ent_evaluate() refuses, and that out is then zeroed. */
static void
test_invalid(void **state)
{
	struct tcase		 c = { .name = "ok",
		.l = { L("C1", "2024-01-01", "2025-12-31") } };
	struct fx		*x;
	struct ent_verdict	 v;
	struct ent_policy	 p;

	(void)state;
	if ((x = test_malloc(sizeof(*x))) == NULL)
		fail_msg("malloc");
	build(&c, x);
	assert_int_equal(ent_evaluate(&x->f, D(AS_OF), NULL, &v), 0);
	assert_int_equal(v.status, ENT_COVERED);

#define BAD(expr) do {							\
	memset(&v, 0x5a, sizeof(v));					\
	assert_int_equal((expr), -1);					\
	assert_int_equal(v.status, ENT_STATUS_NONE);			\
	assert_int_equal(v.flags, 0);					\
	assert_string_equal(v.serial, "");				\
} while (0)

	BAD(ent_evaluate(NULL, D(AS_OF), NULL, &v));
	assert_int_equal(ent_evaluate(&x->f, D(AS_OF), NULL, NULL), -1);
	BAD(ent_evaluate(&x->f, ENT_DAY_NONE, NULL, &v));
	BAD(ent_evaluate(&x->f, ENT_DAY_MAX + 1, NULL, &v));
	x->item.serial = "  ";
	BAD(ent_evaluate(&x->f, D(AS_OF), NULL, &v));
	x->item.serial = NULL;
	BAD(ent_evaluate(&x->f, D(AS_OF), NULL, &v));
	x->item.serial = "SN1";
	x->item.kind = 3;
	BAD(ent_evaluate(&x->f, D(AS_OF), NULL, &v));
	x->item.kind = -1;
	BAD(ent_evaluate(&x->f, D(AS_OF), NULL, &v));
	x->item.kind = ENT_KIND_CHASSIS;
	x->f.item = NULL;
	BAD(ent_evaluate(&x->f, D(AS_OF), NULL, &v));
	x->f.item = &x->item;
	x->f.lines = NULL;
	BAD(ent_evaluate(&x->f, D(AS_OF), NULL, &v));
	x->f.lines = x->lines;
	x->wt.months = -1;
	x->f.wterm = &x->wt;
	BAD(ent_evaluate(&x->f, D(AS_OF), NULL, &v));
	x->f.wterm = NULL;

	ent_policy_init(&p);
	p.window_days = -1;
	BAD(ent_evaluate(&x->f, D(AS_OF), &p, &v));
	ent_policy_init(&p);
	p.convert_window_days = 40000;
	BAD(ent_evaluate(&x->f, D(AS_OF), &p, &v));
	ent_policy_init(&p);
	p.component = 7;
	BAD(ent_evaluate(&x->f, D(AS_OF), &p, &v));
	ent_policy_init(&p);
	p.default_warranty_months = -1;
	BAD(ent_evaluate(&x->f, D(AS_OF), &p, &v));
	ent_policy_init(&p);
	p.cpo_care_grace_days = -1;
	BAD(ent_evaluate(&x->f, D(AS_OF), &p, &v));
	ent_policy_init(&p);
	assert_int_equal(p.window_days, 90);
	assert_int_equal(p.convert_window_days, 90);
	assert_int_equal(p.component, ENT_POLICY_INHERIT);
	assert_int_equal(p.default_warranty_months, 12);
	assert_int_equal(p.cpo_care_grace_days, 30);
	assert_int_equal(ent_evaluate(&x->f, D(AS_OF), &p, &v), 0);
	test_free(x);
#undef BAD
}

/* Long strings are cut to the verdict's fields, never overrun. */
static void
test_truncation(void **state)
{
	char			 id[200], src[300];
	struct tcase		 c = { .name = "long",
		.l = { L("C1", "2024-01-01", "2025-12-31") } };
	struct fx		*x;
	struct ent_verdict	 v;

	(void)state;
	memset(id, 'I', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	memset(src, 'S', sizeof(src) - 1);
	src[sizeof(src) - 1] = '\0';
	if ((x = test_malloc(sizeof(*x))) == NULL)
		fail_msg("malloc");
	build(&c, x);
	x->lines[0].contract_id = id;
	x->lines[0].src = src;
	x->item.advisory_src = src;
	assert_int_equal(ent_evaluate(&x->f, D(AS_OF), &x->p, &v), 0);
	assert_int_equal(strlen(v.contract_id), ENT_ID_LEN - 1);
	assert_int_equal(strlen(v.status_src), ENT_REF_LEN - 1);
	assert_int_equal(strlen(v.flag_src[ent_flag_index(ENT_F_ADVISORY)]),
	    ENT_REF_LEN - 1);
	test_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_hw_match),
		cmocka_unit_test(test_hw_match_ties),
		cmocka_unit_test(test_status_table),
		cmocka_unit_test(test_cpo_care),
		cmocka_unit_test(test_inherit),
		cmocka_unit_test(test_boundary_line),
		cmocka_unit_test(test_boundary_eos),
		cmocka_unit_test(test_boundary_warranty),
		cmocka_unit_test(test_boundary_eol_convert),
		cmocka_unit_test(test_boundary_sw),
		cmocka_unit_test(test_multiple_lines),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_truncation),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
