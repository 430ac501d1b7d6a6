/*
 * db_import.c: storing the rows of `ibagent import KIND FILE`.  The
 * parsing half (entitlement/import.c) has already refused any file with
 * a bad row, so this only maps each kind's fields to its table's
 * columns, in field order, and replaces the rows of one (kind, source)
 * in one transaction.  The stored forms (ISO dates, cents, ';'-joined
 * pattern lists, enum words) are described in schema.c, migration 3.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

/*
 * One kind's statements.  The columns after (source, line) are the
 * kind's fields of import_fields(), in that order; db_import() checks
 * the count so a field added to import.c without a column fails loudly
 * in the tests instead of shifting values.
 */
struct import_sql {
	const char	*insert;
	const char	*del;
	const char	*count;
	size_t		 ncols;
};

#define KIND_SQL(table, cols, params, n) {				\
	"INSERT INTO " table " (source, line, " cols ") VALUES (?1, ?2, "	\
	    params ")",							\
	"DELETE FROM " table " WHERE source = ?1",			\
	"SELECT count(*) FROM " table " WHERE source = ?1",		\
	n }

static const struct import_sql kind_sql[IMPORT_NKINDS] = {
	[IMPORT_CONTRACTS] = KIND_SQL("contracts",
	    "contract_id, serial, sku, level, start_date, end_date, site, "
	    "customer, price_cents, currency",
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12", 10),
	[IMPORT_HW_LIFECYCLE] = KIND_SQL("hw_lifecycle",
	    "models, parts, psn, description, announce_date, "
	    "last_order_date, convert_by_date, same_day_end_date, "
	    "next_day_end_date, sw_end_date, eos_date, replacement",
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14", 12),
	[IMPORT_SW_LIFECYCLE] = KIND_SQL("sw_lifecycle",
	    "train, first_release_date, eoe_date, eos_date, release_type",
	    "?3, ?4, ?5, ?6, ?7", 5),
	[IMPORT_CPO] = KIND_SQL("cpo",
	    "serial, sku, purchase_date, cpo_line, care",
	    "?3, ?4, ?5, ?6, ?7", 5),
	[IMPORT_WARRANTY] = KIND_SQL("warranty_terms",
	    "pattern, months, description",
	    "?3, ?4, ?5", 3),
	[IMPORT_REGISTRATIONS] = KIND_SQL("registrations",
	    "serial, sku, ship_date, site, customer",
	    "?3, ?4, ?5, ?6, ?7", 5),
};

#define SQL_IMPORT_GET							\
	"SELECT id, fingerprint FROM imports WHERE kind = ?1 AND source = ?2"
#define SQL_IMPORT_PUT							\
	"INSERT INTO imports (kind, source, imported_at, rows, fingerprint) " \
	"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (kind, source) DO UPDATE " \
	"SET imported_at = excluded.imported_at, rows = excluded.rows, "  \
	"fingerprint = excluded.fingerprint"

/* One column value of one row, as it is bound and hashed. */
struct col {
	int		 type;		/* SQLITE_NULL, _INTEGER or _TEXT */
	long long	 i;
	const char	*s;
};

/* Per-column scratch space that outlives one row's values. */
struct scratch {
	char	 date[IMPORT_MAX_FIELDS][16];
	char	*join[IMPORT_MAX_FIELDS];	/* pattern lists, ';' joined */
	size_t	 joinlen[IMPORT_MAX_FIELDS];	/* allocated bytes */
};

static void
scratch_clear(struct scratch *sc)
{
	size_t	i;

	for (i = 0; i < IMPORT_MAX_FIELDS; i++)
		free(sc->join[i]);
}

/* The list's patterns joined by ';' in sc->join[k]. */
static const char *
join_list(struct scratch *sc, size_t k, const struct import_list *l)
{
	size_t	 i, need = 1, len, off = 0;
	char	*p;

	for (i = 0; i < l->n; i++)
		need += strlen(l->v[i]) + 1;
	if (need > sc->joinlen[k]) {
		if ((p = realloc(sc->join[k], need)) == NULL)
			return (NULL);
		sc->join[k] = p;
		sc->joinlen[k] = need;
	}
	for (i = 0; i < l->n; i++) {
		len = strlen(l->v[i]);
		if (i > 0)
			sc->join[k][off++] = ';';
		memcpy(sc->join[k] + off, l->v[i], len);
		off += len;
	}
	sc->join[k][off] = '\0';
	return (sc->join[k]);
}

/*
 * The stored values of row's fields into v[0..nf-1].  Returns 0, or -1
 * when out of memory or a value is beyond what import.h produces.
 */
static int
row_values(const struct import_field *f, size_t nf,
    const struct import_row *row, struct scratch *sc, struct col *v)
{
	const char	*base = (const char *)&row->u;
	const char	*s;
	long		 day;
	long long	 money;
	int		 n;
	size_t		 k, w;

	for (k = 0; k < nf; k++) {
		v[k].type = SQLITE_NULL;
		v[k].i = 0;
		v[k].s = NULL;
		switch (f[k].type) {
		case IMPORT_TEXT:
		case IMPORT_SERIAL:
		case IMPORT_PATTERN:
		case IMPORT_TRAIN:
			memcpy(&s, base + f[k].offset, sizeof(s));
			if (s != NULL) {
				v[k].type = SQLITE_TEXT;
				v[k].s = s;
			}
			break;
		case IMPORT_DATE:
			memcpy(&day, base + f[k].offset, sizeof(day));
			if (day == IMPORT_NO_DATE)
				break;
			if (import_date_iso(day, sc->date[k],
			    sizeof(sc->date[k])) == -1)
				return (-1);
			v[k].type = SQLITE_TEXT;
			v[k].s = sc->date[k];
			break;
		case IMPORT_MONEY:
			memcpy(&money, base + f[k].offset, sizeof(money));
			if (money != IMPORT_NO_MONEY) {
				v[k].type = SQLITE_INTEGER;
				v[k].i = money;
			}
			break;
		case IMPORT_INT:
			memcpy(&n, base + f[k].offset, sizeof(n));
			if (n != IMPORT_NO_INT) {
				v[k].type = SQLITE_INTEGER;
				v[k].i = n;
			}
			break;
		case IMPORT_ENUM:
			memcpy(&n, base + f[k].offset, sizeof(n));
			if (n == IMPORT_NO_ENUM)
				break;
			for (w = 0; f[k].values[w].word != NULL; w++)
				if ((int)w == n)
					break;
			if (n < 0 || f[k].values[w].word == NULL)
				return (-1);
			v[k].type = SQLITE_TEXT;
			v[k].s = f[k].values[w].word;
			break;
		case IMPORT_PATTERNS: {
			struct import_list	l;

			memcpy(&l, base + f[k].offset, sizeof(l));
			if (l.n == 0)
				break;
			if ((v[k].s = join_list(sc, k, &l)) == NULL)
				return (-1);
			v[k].type = SQLITE_TEXT;
			break;
		}
		}
	}
	return (0);
}

/* FNV-1a, 64 bits: enough to tell "the same rows" from "changed". */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char	*b = p;

	while (n-- > 0) {
		h ^= *b++;
		h *= 1099511628211ULL;
	}
	return (h);
}

/* Hash one row: line, then each value with its type, unambiguously. */
static uint64_t
hash_row(uint64_t h, unsigned long line, const struct col *v, size_t n)
{
	char	buf[32];
	size_t	k;
	int	len;

	len = snprintf(buf, sizeof(buf), "L%lu", line);
	h = fnv(h, buf, (size_t)len);
	for (k = 0; k < n; k++) {
		switch (v[k].type) {
		case SQLITE_NULL:
			h = fnv(h, "N", 1);
			break;
		case SQLITE_INTEGER:
			len = snprintf(buf, sizeof(buf), "I%lld", v[k].i);
			h = fnv(h, buf, (size_t)len);
			break;
		default:
			/* Length first, so "a","bc" and "ab","c" differ. */
			len = snprintf(buf, sizeof(buf), "T%zu:",
			    strlen(v[k].s));
			h = fnv(h, buf, (size_t)len);
			h = fnv(h, v[k].s, strlen(v[k].s));
			break;
		}
	}
	return (h);
}

static int
bind_cols(sqlite3_stmt *st, int first, const struct col *v, size_t n)
{
	size_t	k;
	int	rc = SQLITE_OK;

	for (k = 0; k < n && rc == SQLITE_OK; k++) {
		switch (v[k].type) {
		case SQLITE_NULL:
			rc = sqlite3_bind_null(st, first + (int)k);
			break;
		case SQLITE_INTEGER:
			rc = sqlite3_bind_int64(st, first + (int)k, v[k].i);
			break;
		default:
			rc = sqlite3_bind_text(st, first + (int)k, v[k].s, -1,
			    SQLITE_TRANSIENT);
			break;
		}
	}
	return (rc);
}

/* Run a cached BEGIN/COMMIT/ROLLBACK. */
static int
run_cached(struct db *db, enum db_stmt id, const char *what, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = db_stmt(db, id, err, errlen)) == NULL)
		return (-1);
	rc = sqlite3_step(st);
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return (db_fail(db, what, err, errlen));
	return (0);
}

/*
 * The fingerprint of every row of res, as "fnv1a64:<16 hex digits>".
 * Returns 0, or -1 with err filled.
 */
static int
fingerprint(const struct import_result *res, const struct import_field *f,
    size_t nf, struct scratch *sc, char *out, size_t outlen, char *err,
    size_t errlen)
{
	struct col	v[IMPORT_MAX_FIELDS];
	uint64_t	h = 14695981039346656037ULL;
	size_t		i;

	for (i = 0; i < res->nrows; i++) {
		if (row_values(f, nf, &res->rows[i], sc, v) == -1) {
			snprintf(err, errlen, "%s:%lu: cannot store this row "
			    "(out of memory or a value out of range)",
			    res->file, res->rows[i].line);
			return (-1);
		}
		h = hash_row(h, res->rows[i].line, v, nf);
	}
	snprintf(out, outlen, "fnv1a64:%016llx", (unsigned long long)h);
	return (0);
}

int
db_import(struct db *db, enum import_kind kind, const char *source,
    const struct import_result *res, int dry_run, struct db_import_stats *st,
    char *err, size_t errlen)
{
	const struct import_field	*f;
	const struct import_sql		*q;
	struct scratch			 sc;
	struct col			 v[IMPORT_MAX_FIELDS];
	sqlite3_stmt			*get = NULL, *cnt = NULL, *del = NULL;
	sqlite3_stmt			*ins = NULL, *put = NULL;
	char				 fp[32], now[DB_TIME_LEN];
	const char			*kname, *oldfp;
	size_t				 nf, i;
	int				 rc = -1, intx = 0, r;

	memset(st, 0, sizeof(*st));
	memset(&sc, 0, sizeof(sc));
	if ((int)kind < 0 || kind >= IMPORT_NKINDS || res == NULL ||
	    res->kind != kind || res->nerrors > 0 || source == NULL ||
	    *source == '\0') {
		snprintf(err, errlen, "import: no valid rows of kind %s to store",
		    import_kind_name(kind));
		return (-1);
	}
	q = &kind_sql[kind];
	kname = import_kind_name(kind);
	f = import_fields(kind, &nf);
	if (nf != q->ncols || nf > IMPORT_MAX_FIELDS) {
		snprintf(err, errlen, "import: %s has %zu fields but its table "
		    "%zu columns", kname, nf, q->ncols);
		return (-1);
	}
	if (fingerprint(res, f, nf, &sc, fp, sizeof(fp), err, errlen) == -1)
		goto done;

	if (sqlite3_prepare_v2(db->h, SQL_IMPORT_GET, -1, &get, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db->h, q->count, -1, &cnt,
	    NULL) != SQLITE_OK || sqlite3_prepare_v2(db->h, q->del, -1, &del,
	    NULL) != SQLITE_OK || sqlite3_prepare_v2(db->h, q->insert, -1,
	    &ins, NULL) != SQLITE_OK || sqlite3_prepare_v2(db->h,
	    SQL_IMPORT_PUT, -1, &put, NULL) != SQLITE_OK) {
		db_fail(db, "preparing import", err, errlen);
		goto done;
	}
	if (run_cached(db, ST_BEGIN, "starting import", err, errlen) == -1)
		goto done;
	intx = 1;

	/* What is there now. */
	r = sqlite3_bind_text(get, 1, kname, -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(get, 2, source, -1, SQLITE_TRANSIENT);
	if (r != SQLITE_OK || ((r = sqlite3_step(get)) != SQLITE_ROW &&
	    r != SQLITE_DONE)) {
		db_fail(db, "reading imports", err, errlen);
		goto done;
	}
	oldfp = r == SQLITE_ROW ? (const char *)sqlite3_column_text(get, 1) :
	    NULL;
	if (r == SQLITE_ROW)
		st->import_id = sqlite3_column_int64(get, 0);
	if (sqlite3_bind_text(cnt, 1, source, -1, SQLITE_TRANSIENT) !=
	    SQLITE_OK || sqlite3_step(cnt) != SQLITE_ROW) {
		db_fail(db, "counting rows", err, errlen);
		goto done;
	}
	st->replaced = (size_t)sqlite3_column_int64(cnt, 0);
	st->inserted = res->nrows;
	if (oldfp != NULL && strcmp(oldfp, fp) == 0 &&
	    st->replaced == res->nrows) {
		/* Same rows as stored: write nothing, not even the time. */
		st->unchanged = 1;
		rc = 0;
		goto done;
	}

	if (sqlite3_bind_text(del, 1, source, -1, SQLITE_TRANSIENT) !=
	    SQLITE_OK || sqlite3_step(del) != SQLITE_DONE) {
		db_fail(db, "deleting the source's rows", err, errlen);
		goto done;
	}
	for (i = 0; i < res->nrows; i++) {
		const struct import_row	*row = &res->rows[i];

		if (row_values(f, nf, row, &sc, v) == -1) {
			snprintf(err, errlen, "%s:%lu: cannot store this row",
			    res->file, row->line);
			goto done;
		}
		r = sqlite3_bind_text(ins, 1, source, -1, SQLITE_TRANSIENT);
		if (r == SQLITE_OK)
			r = sqlite3_bind_int64(ins, 2, (sqlite3_int64)row->line);
		if (r == SQLITE_OK)
			r = bind_cols(ins, 3, v, nf);
		if (r == SQLITE_OK)
			r = sqlite3_step(ins);
		if (r != SQLITE_DONE) {
			snprintf(err, errlen, "%s:%lu: storing row: %s",
			    res->file, row->line, sqlite3_errmsg(db->h));
			goto done;
		}
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
	}

	db_now(db, now);
	r = sqlite3_bind_text(put, 1, kname, -1, SQLITE_STATIC);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(put, 2, source, -1, SQLITE_TRANSIENT);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(put, 3, now, -1, SQLITE_TRANSIENT);
	if (r == SQLITE_OK)
		r = sqlite3_bind_int64(put, 4, (sqlite3_int64)res->nrows);
	if (r == SQLITE_OK)
		r = sqlite3_bind_text(put, 5, fp, -1, SQLITE_TRANSIENT);
	if (r == SQLITE_OK)
		r = sqlite3_step(put);
	if (r != SQLITE_DONE) {
		db_fail(db, "recording the import", err, errlen);
		goto done;
	}
	if (st->import_id == 0 && !dry_run)
		st->import_id = sqlite3_last_insert_rowid(db->h);
	if (dry_run)
		rc = 0;		/* rolled back below */
	else {
		if (run_cached(db, ST_COMMIT, "committing import", err,
		    errlen) == -1)
			goto done;
		intx = 0;
		rc = 0;
	}
done:
	/* Statements first: a pending read would keep the rollback busy. */
	sqlite3_finalize(get);
	sqlite3_finalize(cnt);
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	sqlite3_finalize(put);
	if (intx) {
		char	msg[256];

		/* A dry run, an unchanged file, or a failure. */
		if (run_cached(db, ST_ROLLBACK, "rolling back import", msg,
		    sizeof(msg)) == -1 && rc == 0) {
			snprintf(err, errlen, "%s", msg);
			rc = -1;
		}
	}
	scratch_clear(&sc);
	if (rc == -1)
		memset(st, 0, sizeof(*st));
	return (rc);
}
