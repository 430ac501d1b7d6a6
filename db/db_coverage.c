/*
 * db_coverage.c: the entitlement verdict of every serialized item, as of
 * one day, streamed (db/coverage.h).
 *
 * How the facts are gathered, in one read transaction:
 *  - the lifecycle tables (hw_lifecycle, sw_lifecycle, warranty_terms)
 *    are read once into arrays; items are matched against them with
 *    ent_hw_match() and friends through caches keyed by model, by part
 *    number and by release train, so 1M items cost one match per
 *    distinct model and part number, not one per item (pairs of the two
 *    are too many to cache: every FRU may have its own);
 *  - one statement returns every serialized item joined to its device,
 *    its nearest chassis or member ancestor, its registration and CPO
 *    record (the latest of each), its 'replaced' event and every contract
 *    line of its serial, in report order (devices by address, then
 *    chassis, members, components, each by name and serial).  An item
 *    with n lines is n consecutive rows.  Serials match by equality:
 *    both sides are stored in the form parse_serial() gives (trimmed,
 *    upper case; the scan store and `ibagent import` both use it), so the
 *    serial indexes serve the join, and ent_evaluate() checks D13 again.
 *    Its plan walks indexes in report order (schema 6): no sort, and a
 *    few index probes per item (tests/test_coverage.c checks the plan);
 *  - each item is evaluated when its last row has been read.  Chassis and
 *    members come before the components of their device, so their
 *    verdicts (kept for the device in hand only) are there to inherit.
 *
 * Memory: the lifecycle arrays, the caches (at most LC_MAX entries each),
 * one item's lines and the chassis/member verdicts of one device.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "coverage.h"
#include "db_int.h"

#define COV_CACHE_SIZE	4096		/* entries, power of two */
#define COV_KEY_LEN	(ITEM_MODEL_LEN > ITEM_PART_LEN ? ITEM_MODEL_LEN : \
			    ITEM_PART_LEN)
#define LC_MAX		(1 << 15)	/* slots of a field cache */
#define ARENA_BLOCK	(64 * 1024)

/* Strings that live until arena_reset() or arena_free(). */
struct arena_block {
	struct arena_block	*next;
	size_t			 size, used;
	char			 data[];
};

struct arena {
	struct arena_block	*head;
};

/* A model's or part number's lifecycle row and warranty term. */
struct lc_ent {
	char	 key[COV_KEY_LEN];	/* "" empty slot */
	int	 hw;			/* index + 1; 0 no match */
	int	 wt;
};

struct lc_cache {
	struct lc_ent	*e;
	size_t		 size, used;	/* size: 0 or a power of two */
};

struct sw_cache_ent {
	char	 key[ITEM_VER_LEN];
	int	 sw;
};

/* A chassis or member of the device in hand, for inheritance (D8). */
struct parent_verdict {
	int64_t			 item_id;
	int			 kind;
	struct ent_verdict	 v;
	char			*site;		/* the row's, heap */
	char			*customer;
};

struct cov {
	struct db		*db;
	const struct cov_opts	*o;
	cov_row_fn		*fn;
	void			*arg;
	/* Lifecycle tables, loaded once; strings in keep. */
	struct arena		 keep;
	struct ent_hw_lifecycle	*hw;
	size_t			 nhw;
	struct ent_sw_lifecycle	*sw;
	size_t			 nsw;
	struct ent_warranty_term *wt;
	size_t			 nwt;
	struct lc_cache		 mc, pc;	/* model; part number */
	struct sw_cache_ent	*swc;
	/* The item in hand: its lines; strings in tmp. */
	struct arena		 tmp;
	struct ent_contract_line *lines;
	int64_t			*prices;
	const char		**currencies, **customers;
	size_t			 nlines, alines;
	/* The device in hand. */
	int64_t			 device_id;
	struct parent_verdict	*pv;
	size_t			 npv, apv;
};

static void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block	*b;
	size_t			 size;

	for (b = a->head; b != NULL; b = b->next)
		if (b->size - b->used >= n) {
			b->used += n;
			return (b->data + b->used - n);
		}
	size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
	if ((b = malloc(sizeof(*b) + size)) == NULL)
		return (NULL);
	b->size = size;
	b->used = n;
	b->next = a->head;
	a->head = b;
	return (b->data);
}

/* Copy of a column's text, NULL for NULL or empty; *oom on failure. */
static const char *
arena_col(struct arena *a, sqlite3_stmt *st, int col, int *oom)
{
	const unsigned char	*s = sqlite3_column_text(st, col);
	size_t			 n;
	char			*p;

	if (s == NULL || *s == '\0')
		return (NULL);
	n = (size_t)sqlite3_column_bytes(st, col);
	if ((p = arena_alloc(a, n + 1)) == NULL) {
		*oom = 1;
		return (NULL);
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return (p);
}

/* "contracts.csv:12" from a stored source path and line. */
static const char *
arena_src(struct arena *a, sqlite3_stmt *st, int col, int *oom)
{
	const unsigned char	*s = sqlite3_column_text(st, col);
	const char		*base;
	char			 buf[ENT_REF_LEN], *p;
	size_t			 n;

	if (s == NULL)
		return (NULL);
	base = strrchr((const char *)s, '/');
	base = base != NULL ? base + 1 : (const char *)s;
	snprintf(buf, sizeof(buf), "%s:%lld", base,
	    (long long)sqlite3_column_int64(st, col + 1));
	n = strlen(buf);
	if ((p = arena_alloc(a, n + 1)) == NULL) {
		*oom = 1;
		return (NULL);
	}
	memcpy(p, buf, n + 1);
	return (p);
}

static void
arena_reset(struct arena *a)
{
	struct arena_block	*b;

	for (b = a->head; b != NULL; b = b->next)
		b->used = 0;
}

static void
arena_free(struct arena *a)
{
	struct arena_block	*b;

	while ((b = a->head) != NULL) {
		a->head = b->next;
		free(b);
	}
}

static ent_day
col_day(sqlite3_stmt *st, int col)
{
	const unsigned char	*s = sqlite3_column_text(st, col);
	ent_day			 d;

	if (s == NULL || ent_day_parse((const char *)s, &d) == -1)
		return (ENT_DAY_NONE);
	return (d);
}

static const char *
col_str(sqlite3_stmt *st, int col)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	return (s != NULL && *s != '\0' ? (const char *)s : NULL);
}

/* Grow *v (n used, *a allocated) to hold one more element of size sz. */
static int
grow(void **v, size_t *a, size_t n, size_t sz)
{
	void	*p;
	size_t	 na;

	if (n < *a)
		return (0);
	na = *a == 0 ? 16 : *a * 2;
	if ((p = reallocarray(*v, na, sz)) == NULL)
		return (-1);
	*v = p;
	*a = na;
	return (0);
}

/*
 * Lifecycle tables.  Rows keep their table order (by id, i.e. import
 * order): the earlier row wins a tie (D14).
 */
static const char hw_sql[] =
    "SELECT source, line, models, parts, announce_date, last_order_date, "
    "convert_by_date, same_day_end_date, next_day_end_date, eos_date, "
    "replacement FROM hw_lifecycle ORDER BY id";
static const char sw_sql[] =
    "SELECT source, line, train, eoe_date, eos_date FROM sw_lifecycle "
    "ORDER BY id";
static const char wt_sql[] =
    "SELECT source, line, pattern, months FROM warranty_terms ORDER BY id";

/* models and parts of a hw_lifecycle row as one ';' list (D14). */
static const char *
hw_pattern(struct arena *a, sqlite3_stmt *st, int *oom)
{
	const char	*m = col_str(st, 2), *p = col_str(st, 3);
	size_t		 lm = m != NULL ? strlen(m) : 0;
	size_t		 lp = p != NULL ? strlen(p) : 0;
	char		*s;

	if ((s = arena_alloc(a, lm + lp + 2)) == NULL) {
		*oom = 1;
		return (NULL);
	}
	snprintf(s, lm + lp + 2, "%s%s%s", m != NULL ? m : "",
	    lm > 0 && lp > 0 ? ";" : "", p != NULL ? p : "");
	return (s);
}

static int
load_lifecycle(struct cov *c, char *err, size_t errlen)
{
	sqlite3_stmt	*st = NULL;
	size_t		 a;
	int		 rc, oom = 0;

	if (db_prepare(c->db, hw_sql, &st, "reading hw_lifecycle", err,
	    errlen) == -1)
		return (-1);
	a = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ent_hw_lifecycle	*h;

		if (grow((void **)&c->hw, &a, c->nhw, sizeof(*c->hw)) == -1) {
			oom = 1;
			break;
		}
		h = &c->hw[c->nhw++];
		h->src = arena_src(&c->keep, st, 0, &oom);
		h->pattern = hw_pattern(&c->keep, st, &oom);
		h->eol_announce = col_day(st, 4);
		h->last_order = col_day(st, 5);
		h->last_convert = col_day(st, 6);
		h->same_day_disc = col_day(st, 7);
		h->next_day_disc = col_day(st, 8);
		h->eos = col_day(st, 9);
		h->replacement = arena_col(&c->keep, st, 10, &oom);
	}
	sqlite3_finalize(st);
	if (oom)
		goto nomem;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (db_fail(c->db, "reading hw_lifecycle", err, errlen));

	if (db_prepare(c->db, sw_sql, &st, "reading sw_lifecycle", err,
	    errlen) == -1)
		return (-1);
	a = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ent_sw_lifecycle	*s;

		if (grow((void **)&c->sw, &a, c->nsw, sizeof(*c->sw)) == -1) {
			oom = 1;
			break;
		}
		s = &c->sw[c->nsw++];
		s->src = arena_src(&c->keep, st, 0, &oom);
		s->train = arena_col(&c->keep, st, 2, &oom);
		s->eoe = col_day(st, 3);
		s->eos = col_day(st, 4);
	}
	sqlite3_finalize(st);
	if (oom)
		goto nomem;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (db_fail(c->db, "reading sw_lifecycle", err, errlen));

	if (db_prepare(c->db, wt_sql, &st, "reading warranty_terms", err,
	    errlen) == -1)
		return (-1);
	a = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ent_warranty_term	*w;

		if (grow((void **)&c->wt, &a, c->nwt, sizeof(*c->wt)) == -1) {
			oom = 1;
			break;
		}
		w = &c->wt[c->nwt++];
		w->src = arena_src(&c->keep, st, 0, &oom);
		w->pattern = arena_col(&c->keep, st, 2, &oom);
		w->months = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	if (oom)
		goto nomem;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (db_fail(c->db, "reading warranty_terms", err, errlen));
	return (0);
nomem:
	snprintf(err, errlen, "reading lifecycle tables: out of memory");
	return (-1);
}

static uint32_t
hash_str(const char *s, uint32_t h)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h);
}

/*
 * The slot of key s (shorter than COV_KEY_LEN) in a field cache: its
 * entry, or the empty slot to fill; NULL: do not cache (out of memory).
 * Linear probing at most half full; it doubles up to LC_MAX slots, then
 * starts again empty, so its size is bounded whatever the install base.
 */
static struct lc_ent *
lc_slot(struct lc_cache *lc, const char *s)
{
	struct lc_ent	*ne, *e;
	size_t		 i, j, mask, nsize;

	if (lc->used * 2 >= lc->size) {
		if (lc->size >= LC_MAX) {
			memset(lc->e, 0, lc->size * sizeof(*lc->e));
			lc->used = 0;
		} else {
			nsize = lc->size == 0 ? 256 : lc->size * 2;
			if ((ne = calloc(nsize, sizeof(*ne))) == NULL)
				return (NULL);
			for (i = 0; i < lc->size; i++) {
				if ((e = &lc->e[i])->key[0] == '\0')
					continue;
				j = hash_str(e->key, 2166136261u) & (nsize - 1);
				while (ne[j].key[0] != '\0')
					j = (j + 1) & (nsize - 1);
				ne[j] = *e;
			}
			free(lc->e);
			lc->e = ne;
			lc->size = nsize;
		}
	}
	mask = lc->size - 1;
	for (i = hash_str(s, 2166136261u) & mask; lc->e[i].key[0] != '\0';
	    i = (i + 1) & mask)
		if (strcmp(lc->e[i].key, s) == 0)
			break;
	return (&lc->e[i]);
}

/*
 * The best lifecycle row and warranty term for one field alone (the
 * model, or the part number), through its cache: index + 1, 0 none.
 */
static void
match_one(struct cov *c, struct lc_cache *lc, const char *s, int is_model,
    int *hw, int *wt)
{
	const struct ent_hw_lifecycle	*h;
	const struct ent_warranty_term	*w;
	const char			*model = is_model ? s : NULL;
	const char			*part = is_model ? NULL : s;
	struct lc_ent			*e = NULL;
	size_t				 n;

	if (s == NULL || *s == '\0') {
		*hw = *wt = 0;
		return;
	}
	if ((n = strlen(s)) < COV_KEY_LEN && (e = lc_slot(lc, s)) != NULL &&
	    e->key[0] != '\0') {
		*hw = e->hw;
		*wt = e->wt;
		return;
	}
	h = ent_hw_match(model, part, c->hw, c->nhw);
	w = ent_warranty_match(model, part, c->wt, c->nwt);
	*hw = h != NULL ? (int)(h - c->hw) + 1 : 0;
	*wt = w != NULL ? (int)(w - c->wt) + 1 : 0;
	if (e != NULL) {
		memcpy(e->key, s, n + 1);
		e->hw = *hw;
		e->wt = *wt;
		lc->used++;
	}
}

/*
 * The match on model and part number from the matches on each alone.
 * A row's score is the better of its model score and its part score,
 * and a model match never ties with a part match (D14: the model wins
 * a tie), so the best row over both is the better of the two winners,
 * found by matching over just those two rows in table order (the
 * earlier one wins a tie, as over the whole table).  Index + 1, 0 none.
 */
static int
pick_hw(const struct cov *c, const char *model, const char *part, int a,
    int b)
{
	struct ent_hw_lifecycle		 two[2];
	const struct ent_hw_lifecycle	*h;
	int				 lo, hi;

	if (a == 0 || b == 0 || a == b)
		return (a != 0 ? a : b);
	lo = a < b ? a : b;
	hi = a < b ? b : a;
	two[0] = c->hw[lo - 1];
	two[1] = c->hw[hi - 1];
	h = ent_hw_match(model, part, two, 2);
	return (h == NULL ? 0 : h == &two[0] ? lo : hi);
}

static int
pick_wt(const struct cov *c, const char *model, const char *part, int a,
    int b)
{
	struct ent_warranty_term	 two[2];
	const struct ent_warranty_term	*w;
	int				 lo, hi;

	if (a == 0 || b == 0 || a == b)
		return (a != 0 ? a : b);
	lo = a < b ? a : b;
	hi = a < b ? b : a;
	two[0] = c->wt[lo - 1];
	two[1] = c->wt[hi - 1];
	w = ent_warranty_match(model, part, two, 2);
	return (w == NULL ? 0 : w == &two[0] ? lo : hi);
}

/*
 * The lifecycle row and warranty term of a product.  Models and part
 * numbers are each few, their pairs many (every FRU of a chassis may
 * have its own): one cache per field, and pick_*() to combine them.
 */
static void
match_hw(struct cov *c, const char *model, const char *part,
    const struct ent_hw_lifecycle **hw, const struct ent_warranty_term **wt)
{
	int	 mh, mw, ph, pw, h, w;

	match_one(c, &c->mc, model, 1, &mh, &mw);
	match_one(c, &c->pc, part, 0, &ph, &pw);
	h = pick_hw(c, model, part, mh, ph);
	w = pick_wt(c, model, part, mw, pw);
	*hw = h > 0 ? &c->hw[h - 1] : NULL;
	*wt = w > 0 ? &c->wt[w - 1] : NULL;
}

static const struct ent_sw_lifecycle *
match_sw(struct cov *c, const char *train)
{
	const struct ent_sw_lifecycle	*sw;
	struct sw_cache_ent		*e;
	size_t				 n = strlen(train);

	if (n >= sizeof(e->key))
		return (ent_sw_match(train, c->sw, c->nsw));
	e = &c->swc[hash_str(train, 2166136261u) & (COV_CACHE_SIZE - 1)];
	if (e->key[0] != '\0' && strcmp(e->key, train) == 0)
		return (e->sw > 0 ? &c->sw[e->sw - 1] : NULL);
	sw = ent_sw_match(train, c->sw, c->nsw);
	memcpy(e->key, train, n + 1);
	e->sw = sw != NULL ? (int)(sw - c->sw) + 1 : 0;
	return (sw);
}

/*
 * The items.  One row per (item, contract line of its serial); an item
 * with no line is one row with the line's columns NULL.  ?1: 1 to
 * include items no longer present.  The chassis of an item is its
 * nearest chassis or member ancestor, up to four levels up (chassis >
 * FPC > PIC > optic is three).  The ORDER BY is the order of the indexes
 * devices_sort and items_report (schema 5 and 6), then of contracts'
 * rowids within contracts_serial, so rows stream without a sort:
 * KIND_ORDER must stay the expression items_report indexes.  CROSS JOIN
 * keeps devices the outer loop: without ANALYZE statistics (ibagent
 * never runs it) the planner would rather scan items and sort the whole
 * result, memory and temporary file growing with the install base.
 */
#define KIND_ORDER(t)							\
    "CASE " t ".kind WHEN 'chassis' THEN 0 WHEN 'member' THEN 1 ELSE 2 END"
const char db_coverage_items_sql[] =
    "SELECT d.id, d.address, d.hostname, d.model, d.serial, d.version, "
    "d.location, "
    "i.id, " KIND_ORDER("i") ", i.name, i.serial, i.model, i.part_number, "
    "i.version, i.first_seen, i.last_seen, i.gone_scan IS NOT NULL, "
    "CASE WHEN p1.kind IN ('chassis', 'member') THEN p1.id "
    "WHEN p2.kind IN ('chassis', 'member') THEN p2.id "
    "WHEN p3.kind IN ('chassis', 'member') THEN p3.id "
    "WHEN p4.kind IN ('chassis', 'member') THEN p4.id END, "
    "r.source, r.line, r.ship_date, r.site, r.customer, "
    "o.source, o.line, o.purchase_date, o.cpo_line, o.care, o.sku, "
    "e.scan_id, e.time, e.old_value, e.new_value, "
    "g.scan_id, g.time, g.old_value, g.new_value, "
    "c.source, c.line, c.contract_id, c.level, c.start_date, c.end_date, "
    "c.site, c.customer, c.price_cents, c.currency "
    "FROM devices d CROSS JOIN items i ON i.device_id = d.id "
    "LEFT JOIN items p1 ON p1.id = i.parent_id "
    "LEFT JOIN items p2 ON p2.id = p1.parent_id "
    "LEFT JOIN items p3 ON p3.id = p2.parent_id "
    "LEFT JOIN items p4 ON p4.id = p3.parent_id "
    /*
     * The latest dated record, else the last one: NULL sorts first, so
     * last backwards, and the index on (serial, date) gives the order.
     */
    "LEFT JOIN registrations r ON r.id = (SELECT x.id FROM registrations x "
    "  WHERE x.serial = i.serial ORDER BY x.ship_date DESC, x.id DESC "
    "  LIMIT 1) "
    "LEFT JOIN cpo o ON o.id = (SELECT x.id FROM cpo x "
    "  WHERE x.serial = i.serial ORDER BY x.purchase_date DESC, "
    "  x.id DESC LIMIT 1) "
    /* This item replaced another one at its address. */
    "LEFT JOIN events e ON e.id = (SELECT x.id FROM events x "
    "  WHERE x.item_id = i.id AND x.kind = 'replaced' "
    "  ORDER BY x.id DESC LIMIT 1) "
    /* This item, gone, was replaced by another one. */
    "LEFT JOIN events g ON g.id = CASE WHEN i.gone_scan IS NOT NULL THEN ("
    "  SELECT x.id FROM events x WHERE x.device_id = i.device_id AND "
    "  x.kind = 'replaced' AND x.old_value = i.serial "
    "  ORDER BY x.id DESC LIMIT 1) END "
    "LEFT JOIN contracts c ON c.serial = i.serial "
    "WHERE i.serialized = 1 AND (?1 OR i.gone_scan IS NULL) "
    "ORDER BY d.sort_key, d.id, " KIND_ORDER("i") ", i.name, i.serial, "
    "i.id, c.id";

enum {
	C_DID = 0, C_ADDRESS, C_HOSTNAME, C_DMODEL, C_DSERIAL, C_DVERSION,
	C_LOCATION,
	C_IID, C_KIND, C_NAME, C_SERIAL, C_MODEL, C_PART, C_IVERSION,
	C_FIRST, C_LAST, C_GONE, C_UNIT,
	C_R_SRC, C_R_LINE, C_R_SHIP, C_R_SITE, C_R_CUSTOMER,
	C_O_SRC, C_O_LINE, C_O_PURCHASE, C_O_LINE_KIND, C_O_CARE, C_O_SKU,
	C_E_SCAN, C_E_TIME, C_E_OLD, C_E_NEW,
	C_G_SCAN, C_G_TIME, C_G_OLD, C_G_NEW,
	C_C_SRC, C_C_LINE, C_C_ID, C_C_LEVEL, C_C_START, C_C_END, C_C_SITE,
	C_C_CUSTOMER, C_C_PRICE, C_C_CURRENCY
};

/* Add the contract line of the current row to the item in hand. */
static int
add_line(struct cov *c, sqlite3_stmt *st)
{
	struct ent_contract_line	*l;
	size_t				 a = c->alines;
	int				 oom = 0;

	if (sqlite3_column_type(st, C_C_ID) == SQLITE_NULL)
		return (0);
	if (grow((void **)&c->lines, &a, c->nlines, sizeof(*c->lines)) ==
	    -1)
		return (-1);
	if (a != c->alines) {
		int64_t		*p;
		const char	**s, **u;

		if ((p = reallocarray(c->prices, a, sizeof(*p))) == NULL)
			return (-1);
		c->prices = p;
		if ((s = reallocarray(c->currencies, a, sizeof(*s))) == NULL)
			return (-1);
		c->currencies = s;
		if ((u = reallocarray(c->customers, a, sizeof(*u))) == NULL)
			return (-1);
		c->customers = u;
		c->alines = a;
	}
	l = &c->lines[c->nlines];
	l->contract_id = arena_col(&c->tmp, st, C_C_ID, &oom);
	l->serial = NULL;		/* the join matched it */
	l->service_level = arena_col(&c->tmp, st, C_C_LEVEL, &oom);
	l->start = col_day(st, C_C_START);
	l->end = col_day(st, C_C_END);
	l->install_site = arena_col(&c->tmp, st, C_C_SITE, &oom);
	l->src = arena_src(&c->tmp, st, C_C_SRC, &oom);
	c->customers[c->nlines] = arena_col(&c->tmp, st, C_C_CUSTOMER, &oom);
	c->currencies[c->nlines] = arena_col(&c->tmp, st, C_C_CURRENCY, &oom);
	c->prices[c->nlines] = sqlite3_column_type(st, C_C_PRICE) ==
	    SQLITE_NULL ? -1 : sqlite3_column_int64(st, C_C_PRICE);
	if (oom)
		return (-1);
	c->nlines++;
	return (0);
}

/* The line that decided the verdict (its own, not inherited), or -1. */
static int
deciding_line(const struct cov *c, const struct ent_verdict *v)
{
	size_t	 i;

	if (v->contract_id[0] == '\0' || v->via_chassis[0] != '\0')
		return (-1);
	for (i = 0; i < c->nlines; i++)
		if (c->lines[i].contract_id != NULL &&
		    strcmp(c->lines[i].contract_id, v->contract_id) == 0 &&
		    c->lines[i].start == v->contract_start &&
		    c->lines[i].end == v->contract_end)
			return ((int)i);
	return (-1);
}

static int
filter_eq(const char *want, const char *have)
{
	if (want == NULL || *want == '\0')
		return (1);
	return (have != NULL && strcasecmp(want, have) == 0);
}

/* --device: the address (with or without its port), hostname or serial. */
static int
device_match(const char *want, const struct cov_row *r)
{
	const char	*colon;
	size_t		 n;

	if (want == NULL || *want == '\0')
		return (1);
	if (filter_eq(want, r->address) || filter_eq(want, r->hostname) ||
	    filter_eq(want, r->device_serial))
		return (1);
	if (r->address != NULL && (colon = strrchr(r->address, ':')) != NULL) {
		n = (size_t)(colon - r->address);
		if (strlen(want) == n && strncasecmp(want, r->address, n) == 0)
			return (1);
	}
	return (0);
}

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? strdup(s) : NULL);
}

static void
pv_clear(struct cov *c)
{
	size_t	 i;

	for (i = 0; i < c->npv; i++) {
		free(c->pv[i].site);
		free(c->pv[i].customer);
	}
	c->npv = 0;
}

/*
 * The item in hand, copied out of its first row (strings in c->tmp), so
 * it outlives the rows of its lines.
 */
struct cur {
	int64_t		 device_id, item_id, unit;	/* unit -1: none */
	const char	*address, *hostname, *dmodel, *dserial, *dversion;
	const char	*location;
	int		 kind, gone;
	const char	*name, *serial, *model, *part, *iversion;
	const char	*first, *last;
	int		 has_reg, has_cpo;
	const char	*r_src, *r_site, *r_customer;
	ent_day		 r_ship;
	const char	*o_src, *o_line, *o_care, *o_sku;
	ent_day		 o_purchase;
	const char	*replaced_ref, *replaced_old, *replaced_new;
	int		 replaced;	/* 1 this replaced, 2 replaced by */
};

/* "scan 2 2026-11-22T10:00:00Z: OLD -> NEW"; col: the event's scan. */
static const char *
replaced_ref(struct arena *a, sqlite3_stmt *st, int col, int *oom)
{
	const char	*t = col_str(st, col + 1), *o = col_str(st, col + 2);
	const char	*n = col_str(st, col + 3);
	char		 buf[ENT_REF_LEN], *p;
	size_t		 len;

	snprintf(buf, sizeof(buf), "scan %lld %s: %s -> %s",
	    (long long)sqlite3_column_int64(st, col), t != NULL ? t : "?",
	    o != NULL ? o : "?", n != NULL ? n : "?");
	len = strlen(buf);
	if ((p = arena_alloc(a, len + 1)) == NULL) {
		*oom = 1;
		return (NULL);
	}
	memcpy(p, buf, len + 1);
	return (p);
}

static int
cur_load(struct cov *c, struct cur *u, sqlite3_stmt *st)
{
	struct arena	*a = &c->tmp;
	int		 oom = 0;

	memset(u, 0, sizeof(*u));
	u->device_id = sqlite3_column_int64(st, C_DID);
	u->item_id = sqlite3_column_int64(st, C_IID);
	u->unit = sqlite3_column_type(st, C_UNIT) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, C_UNIT);
	u->address = arena_col(a, st, C_ADDRESS, &oom);
	u->hostname = arena_col(a, st, C_HOSTNAME, &oom);
	u->dmodel = arena_col(a, st, C_DMODEL, &oom);
	u->dserial = arena_col(a, st, C_DSERIAL, &oom);
	u->dversion = arena_col(a, st, C_DVERSION, &oom);
	u->location = arena_col(a, st, C_LOCATION, &oom);
	u->kind = sqlite3_column_int(st, C_KIND);
	u->gone = sqlite3_column_int(st, C_GONE);
	u->name = arena_col(a, st, C_NAME, &oom);
	u->serial = arena_col(a, st, C_SERIAL, &oom);
	u->model = arena_col(a, st, C_MODEL, &oom);
	u->part = arena_col(a, st, C_PART, &oom);
	u->iversion = arena_col(a, st, C_IVERSION, &oom);
	u->first = arena_col(a, st, C_FIRST, &oom);
	u->last = arena_col(a, st, C_LAST, &oom);
	if (sqlite3_column_type(st, C_R_SRC) != SQLITE_NULL) {
		u->has_reg = 1;
		u->r_src = arena_src(a, st, C_R_SRC, &oom);
		u->r_ship = col_day(st, C_R_SHIP);
		u->r_site = arena_col(a, st, C_R_SITE, &oom);
		u->r_customer = arena_col(a, st, C_R_CUSTOMER, &oom);
	}
	if (sqlite3_column_type(st, C_O_SRC) != SQLITE_NULL) {
		u->has_cpo = 1;
		u->o_src = arena_src(a, st, C_O_SRC, &oom);
		u->o_purchase = col_day(st, C_O_PURCHASE);
		u->o_line = arena_col(a, st, C_O_LINE_KIND, &oom);
		u->o_care = arena_col(a, st, C_O_CARE, &oom);
		u->o_sku = arena_col(a, st, C_O_SKU, &oom);
	}
	if (sqlite3_column_type(st, C_E_SCAN) != SQLITE_NULL) {
		u->replaced = 1;
		u->replaced_ref = replaced_ref(a, st, C_E_SCAN, &oom);
		u->replaced_old = arena_col(a, st, C_E_OLD, &oom);
		u->replaced_new = u->serial;
	} else if (sqlite3_column_type(st, C_G_SCAN) != SQLITE_NULL) {
		u->replaced = 2;
		u->replaced_ref = replaced_ref(a, st, C_G_SCAN, &oom);
		u->replaced_old = u->serial;
		u->replaced_new = arena_col(a, st, C_G_NEW, &oom);
	}
	return (oom ? -1 : 0);
}

/* The chassis verdict a component inherits from, or NULL. */
static const struct parent_verdict *
pv_find(const struct cov *c, const struct cur *u)
{
	size_t	 i;

	for (i = 0; u->unit != -1 && i < c->npv; i++)
		if (c->pv[i].item_id == u->unit)
			return (&c->pv[i]);
	/* No such ancestor: the device's chassis, else its master. */
	for (i = 0; i < c->npv; i++)
		if (c->pv[i].kind == ENT_KIND_CHASSIS)
			return (&c->pv[i]);
	for (i = 0; u->dserial != NULL && i < c->npv; i++)
		if (strcasecmp(c->pv[i].v.serial, u->dserial) == 0)
			return (&c->pv[i]);
	return (NULL);
}

/* Keep a chassis' or member's verdict for the components after it. */
static int
pv_add(struct cov *c, const struct cov_row *r)
{
	struct parent_verdict	*p;
	size_t			 a = c->apv;

	if (grow((void **)&c->pv, &a, c->npv, sizeof(*c->pv)) == -1)
		return (-1);
	c->apv = a;
	p = &c->pv[c->npv];
	p->item_id = r->item_id;
	p->kind = r->kind;
	p->v = r->v;
	p->site = dup_or_null(r->site);
	p->customer = dup_or_null(r->customer);
	if ((r->site != NULL && p->site == NULL) ||
	    (r->customer != NULL && p->customer == NULL)) {
		free(p->site);
		free(p->customer);
		return (-1);
	}
	c->npv++;
	return (0);
}

/* Site and customer of a row (coverage.h), price of its deciding line. */
static void
row_site(const struct cov *c, const struct cur *u,
    const struct parent_verdict *pv, struct cov_row *r)
{
	int	 li;

	li = deciding_line(c, &r->v);
	r->site = u->location;
	if (li >= 0) {
		if (r->site == NULL)
			r->site = c->lines[li].install_site;
		r->customer = c->customers[li];
		r->price_cents = c->prices[li];
		r->currency = c->currencies[li];
	} else if (r->v.via_chassis[0] != '\0' && pv != NULL) {
		if (r->site == NULL)
			r->site = pv->site;
		r->customer = pv->customer;
	}
	if (r->site == NULL)
		r->site = u->r_site;
	if (r->customer == NULL)
		r->customer = u->r_customer;
	/* Else any line of its serial, the last one listed. */
	for (li = (int)c->nlines - 1; li >= 0; li--) {
		if (r->site == NULL)
			r->site = c->lines[li].install_site;
		if (r->customer == NULL)
			r->customer = c->customers[li];
	}
}

/*
 * Evaluate the item in hand (its lines collected) and hand it to the
 * callback.  Returns 0, the callback's value, or -1.
 */
static int
emit(struct cov *c, const struct cur *u, char *err, size_t errlen)
{
	struct ent_item			 it;
	struct ent_facts		 f;
	struct ent_cpo			 cpo;
	struct ent_registration		 reg;
	struct cov_row			 r;
	const struct parent_verdict	*pv = NULL;
	const struct ent_warranty_term	*wt;
	char				 train[ITEM_VER_LEN];

	memset(&it, 0, sizeof(it));
	memset(&f, 0, sizeof(f));
	memset(&r, 0, sizeof(r));
	r.device_id = u->device_id;
	r.item_id = u->item_id;
	r.address = u->address;
	r.hostname = u->hostname;
	r.device_model = u->dmodel;
	r.device_serial = u->dserial;
	r.version = u->dversion;
	r.kind = u->kind;
	r.item_name = u->name;
	r.serial = u->serial;
	r.model = u->model;
	r.part_number = u->part;
	r.first_seen = u->first;
	r.last_seen = u->last;
	r.gone = u->gone;
	r.price_cents = -1;
	if (r.serial == NULL)
		return (0);

	it.serial = r.serial;
	it.kind = r.kind;
	it.model = r.model;
	it.part_number = r.part_number;
	it.site = u->location;
	/* Chassis and members run Junos; components do not (D10). */
	if (r.kind != ENT_KIND_COMPONENT) {
		it.junos_version = u->iversion != NULL ? u->iversion :
		    u->dversion;
		if (ent_item_train(&it, train, sizeof(train)) == 0) {
			r.junos_train = train;
			r.sw = match_sw(c, train);
		}
	} else if ((pv = pv_find(c, u)) != NULL) {
		it.chassis_serial = pv->v.serial;
		f.chassis = &pv->v;
	}
	if (u->replaced) {
		it.replaced = 1;
		it.replaced_by = u->replaced_new;
		it.replaced_src = u->replaced_ref;
		if (u->replaced == 1)
			r.replaced_serial = u->replaced_old;
	}
	match_hw(c, r.model, r.part_number, &r.hw, &wt);
	if (u->has_reg) {
		memset(&reg, 0, sizeof(reg));
		reg.ship = u->r_ship;
		reg.install_site = u->r_site;
		reg.src = u->r_src;
		f.reg = &reg;
	}
	if (u->has_cpo) {
		memset(&cpo, 0, sizeof(cpo));
		cpo.sku = u->o_sku;
		cpo.purchase = u->o_purchase;
		cpo.line = u->o_line == NULL ? ENT_CPO_LINE_UNKNOWN :
		    strcmp(u->o_line, "current") == 0 ? ENT_CPO_CURRENT :
		    ENT_CPO_END_OF_PRODUCTION;
		/* Only an explicit "no" says no Care was bought (D11). */
		cpo.care_bought = u->o_care == NULL ||
		    strcmp(u->o_care, "no") != 0;
		cpo.care_start = ENT_DAY_NONE;
		cpo.src = u->o_src;
		f.cpo = &cpo;
	}
	f.item = &it;
	f.lines = c->lines;
	f.nlines = c->nlines;
	f.hw = r.hw;
	f.sw = r.sw;
	f.wterm = wt;
	if (ent_evaluate(&f, c->o->as_of, &c->o->policy, &r.v) == -1) {
		snprintf(err, errlen, "coverage of %s: bad as-of date or "
		    "policy value", r.serial);
		return (-1);
	}
	row_site(c, u, pv, &r);
	if (r.kind != ENT_KIND_COMPONENT && pv_add(c, &r) == -1) {
		snprintf(err, errlen, "coverage: out of memory");
		return (-1);
	}
	if (!filter_eq(c->o->site, r.site) ||
	    !filter_eq(c->o->customer, r.customer) ||
	    !device_match(c->o->device, &r))
		return (0);
	return (c->fn(&r, c->arg));
}

static int
run_items(struct cov *c, char *err, size_t errlen)
{
	sqlite3_stmt	*st = NULL;
	struct cur	 u;
	int		 rc, ret = 0, have = 0;

	if (db_prepare(c->db, db_coverage_items_sql, &st, "reading items", err,
	    errlen) == -1)
		return (-1);
	if (sqlite3_bind_int(st, 1, c->o->include_gone ? 1 : 0) !=
	    SQLITE_OK) {
		sqlite3_finalize(st);
		return (db_fail(c->db, "reading items", err, errlen));
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!have || sqlite3_column_int64(st, C_IID) != u.item_id) {
			if (have && (ret = emit(c, &u, err, errlen)) != 0)
				goto done;
			arena_reset(&c->tmp);
			c->nlines = 0;
			if (cur_load(c, &u, st) == -1)
				goto nomem;
			if (u.device_id != c->device_id) {
				pv_clear(c);
				c->device_id = u.device_id;
			}
			have = 1;
		}
		if (add_line(c, st) == -1)
			goto nomem;
	}
	if (rc != SQLITE_DONE) {
		ret = db_fail(c->db, "reading items", err, errlen);
		goto done;
	}
	if (have)
		ret = emit(c, &u, err, errlen);
	goto done;
nomem:
	snprintf(err, errlen, "coverage: out of memory");
	ret = -1;
done:
	sqlite3_finalize(st);
	return (ret);
}

int
db_coverage(struct db *db, const struct cov_opts *o, cov_row_fn *fn,
    void *arg, char *err, size_t errlen)
{
	struct cov	 c;
	int		 ret = -1, began;

	if (db == NULL || o == NULL || fn == NULL) {
		snprintf(err, errlen, "coverage: bad arguments");
		return (-1);
	}
	if (o->as_of < ENT_DAY_MIN || o->as_of > ENT_DAY_MAX) {
		snprintf(err, errlen, "coverage: bad as-of date");
		return (-1);
	}
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.o = o;
	c.fn = fn;
	c.arg = arg;
	c.device_id = -1;
	began = db_read_try(db);
	if ((c.swc = calloc(COV_CACHE_SIZE, sizeof(*c.swc))) == NULL) {
		snprintf(err, errlen, "coverage: out of memory");
		goto done;
	}
	if (load_lifecycle(&c, err, errlen) == -1)
		goto done;
	ret = run_items(&c, err, errlen);
done:
	db_read_done(db, began);
	pv_clear(&c);
	free(c.pv);
	free(c.lines);
	free(c.prices);
	free(c.currencies);
	free(c.customers);
	free(c.hw);
	free(c.sw);
	free(c.wt);
	free(c.mc.e);
	free(c.pc.e);
	free(c.swc);
	arena_free(&c.tmp);
	arena_free(&c.keep);
	return (ret);
}

static int
count(struct db *db, const char *sql, int64_t *n, char *err, size_t errlen)
{
	sqlite3_stmt	*st;

	if (db_prepare(db, sql, &st, "counting", err, errlen) == -1)
		return (-1);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return (db_fail(db, "counting", err, errlen));
	}
	*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (0);
}

int
db_coverage_counts(struct db *db, struct cov_counts *n, char *err,
    size_t errlen)
{
	int	 began, rc;

	memset(n, 0, sizeof(*n));
	began = db_read_try(db);
	rc = count(db, "SELECT count(*) FROM items WHERE serialized = 1 AND "
	    "gone_scan IS NULL", &n->items, err, errlen) == -1 ||
	    count(db, "SELECT count(*) FROM contracts", &n->contract_lines,
	    err, errlen) == -1 ||
	    count(db, "SELECT count(*) FROM hw_lifecycle", &n->hw_rows, err,
	    errlen) == -1 ||
	    count(db, "SELECT count(*) FROM sw_lifecycle", &n->sw_rows, err,
	    errlen) == -1 ||
	    count(db, "SELECT count(*) FROM cpo", &n->cpo_rows, err,
	    errlen) == -1 ||
	    count(db, "SELECT count(*) FROM registrations", &n->reg_rows, err,
	    errlen) == -1 ||
	    count(db, "SELECT count(*) FROM warranty_terms", &n->warranty_rows,
	    err, errlen) == -1 ? -1 : 0;
	db_read_done(db, began);
	return (rc);
}
