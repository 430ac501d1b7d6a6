/*
 * test_db_import.c: storing imported entitlement rows (db_import.c,
 * schema version 3).  Migration from version 2 with data, every kind's
 * example file, the stored forms (ISO dates, cents, joined lists, enum
 * words), idempotent re-import, replace-by-source, dry runs, and a
 * failed insert that must leave the database exactly as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db/db.h"
#include "db/db_int.h"
#include "entitlement/import.h"

#define T1	1795341600	/* 2026-11-22T10:00:00Z */

static time_t
fake_clock(void)
{
	return (T1);
}

static struct db *
open_mem(void)
{
	struct db	*db;
	char		 err[256];

	if ((db = db_open(":memory:", err, sizeof(err))) == NULL)
		fail_msg("db_open: %s", err);
	db_set_clock(db, fake_clock);
	return (db);
}

static int64_t
sql_int(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db->h));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (v);
}

static const char *const import_tables[] = { "imports", "contracts",
    "hw_lifecycle", "sw_lifecycle", "cpo", "warranty_terms",
    "registrations" };

/* Every row of every import table as text, for before/after compares. */
static char *
snapshot(struct db *db)
{
	sqlite3_stmt	*st;
	char		*buf = NULL, sql[128];
	size_t		 len = 0, t;
	FILE		*fp;
	int		 i;

	assert_non_null(fp = open_memstream(&buf, &len));
	for (t = 0; t < sizeof(import_tables) / sizeof(import_tables[0]);
	    t++) {
		snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY id",
		    import_tables[t]);
		assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st,
		    NULL), SQLITE_OK);
		fprintf(fp, "[%s]\n", import_tables[t]);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(st); i++) {
				const unsigned char *v =
				    sqlite3_column_text(st, i);

				fprintf(fp, "%s%s", i ? "|" : "",
				    v != NULL ? (const char *)v : "NULL");
			}
			fputc('\n', fp);
		}
		sqlite3_finalize(st);
	}
	fclose(fp);
	return (buf);
}

static void
load(struct import_result *res, enum import_kind kind, const char *csv)
{
	char	err[256];

	import_init(res);
	if (import_mem(res, kind, "mem.csv", csv, strlen(csv), NULL, err,
	    sizeof(err)) == -1)
		fail_msg("import_mem: %s (%s)", err, res->nerrors ?
		    res->errors[0] : "");
}

static const char contracts_a[] =
    "Contract,Serial,Start Date,End Date,Price,Currency\n"
    "C-1,ZZ0000000001,2025-01-01,2025-12-31,\"$1,234.50\",USD\n"
    "C-1,ZZ0000000002,2025-01-01,2025-12-31,,\n"
    "C-2,ZZ0000000003,2024-03-01,2025-02-28,10,EUR\n";

/* A newer export of the same file: one row gone, one changed. */
static const char contracts_a2[] =
    "Contract,Serial,Start Date,End Date,Price,Currency\n"
    "C-1,ZZ0000000001,2026-01-01,2026-12-31,\"$1,300.00\",USD\n"
    "C-3,ZZ0000000004,2026-01-01,2026-12-31,,\n";

static const char contracts_b[] =
    "Contract,Serial,Start Date,End Date\n"
    "C-9,ZZ0000000009,2025-01-01,2025-12-31\n"
    "C-9,ZZ0000000010,2025-01-01,2025-12-31\n";

static void
test_migrate_v2(void **state)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	char		 err[256];

	(void)state;
	assert_true(db_schema_version() >= 3);
	assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
	assert_int_equal(db_migrate(h, 2, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_exec(h,
	    "INSERT INTO scans (id, started, argv) VALUES (1, 'T', 'x');"
	    "INSERT INTO devices (id, address, sort_key, serial, protocols, "
	    "  last_scan, last_status) VALUES (1, '192.0.2.1:161', x'01', "
	    "  'JN1', 'snmp', 1, 'ok');"
	    "INSERT INTO crosschecks (device_id, scan_id, field, seen_at) "
	    "  VALUES (1, 1, 'serial', 'T');", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_migrate(h, 3, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT d.serial, d.protocols, "
	    "(SELECT count(*) FROM crosschecks), (SELECT count(*) FROM "
	    "imports), (SELECT count(*) FROM contracts) FROM devices d", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "JN1");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "snmp");
	assert_int_equal(sqlite3_column_int(st, 2), 1);
	assert_int_equal(sqlite3_column_int(st, 3), 0);
	assert_int_equal(sqlite3_column_int(st, 4), 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static void
test_import_contracts(void **state)
{
	struct import_result	 res;
	struct db_import_stats	 st;
	struct db		*db;
	sqlite3_stmt		*q;
	char			 err[256];

	(void)state;
	db = open_mem();
	load(&res, IMPORT_CONTRACTS, contracts_a);
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/a.csv", &res,
	    0, &st, err, sizeof(err)), 0);
	assert_int_equal(st.inserted, 3);
	assert_int_equal(st.replaced, 0);
	assert_int_equal(st.unchanged, 0);
	assert_true(st.import_id > 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM contracts"), 3);
	assert_int_equal(sqlite3_prepare_v2(db->h, "SELECT source, line, "
	    "contract_id, serial, start_date, end_date, price_cents, currency, "
	    "sku FROM contracts ORDER BY line", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0),
	    "/data/a.csv");
	assert_int_equal(sqlite3_column_int(q, 1), 2);
	assert_string_equal((const char *)sqlite3_column_text(q, 2), "C-1");
	assert_string_equal((const char *)sqlite3_column_text(q, 3),
	    "ZZ0000000001");
	assert_string_equal((const char *)sqlite3_column_text(q, 4),
	    "2025-01-01");
	assert_string_equal((const char *)sqlite3_column_text(q, 5),
	    "2025-12-31");
	assert_int_equal(sqlite3_column_int64(q, 6), 123450);
	assert_string_equal((const char *)sqlite3_column_text(q, 7), "USD");
	assert_int_equal(sqlite3_column_type(q, 8), SQLITE_NULL);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(q, 6), SQLITE_NULL);
	assert_int_equal(sqlite3_column_type(q, 7), SQLITE_NULL);
	sqlite3_finalize(q);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM imports WHERE "
	    "kind = 'contracts' AND source = '/data/a.csv' AND rows = 3 AND "
	    "imported_at = '2026-11-22T10:00:00Z' AND fingerprint LIKE "
	    "'fnv1a64:%'"), 1);
	import_clear(&res);
	db_close(db);
}

static void
test_reimport_idempotent(void **state)
{
	struct import_result	 res;
	struct db_import_stats	 st;
	struct db		*db;
	char			 err[256], *before, *after;

	(void)state;
	db = open_mem();
	load(&res, IMPORT_CONTRACTS, contracts_a);
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/a.csv", &res,
	    0, &st, err, sizeof(err)), 0);
	before = snapshot(db);
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/a.csv", &res,
	    0, &st, err, sizeof(err)), 0);
	assert_int_equal(st.unchanged, 1);
	assert_int_equal(st.inserted, 3);
	assert_int_equal(st.replaced, 3);
	after = snapshot(db);
	assert_string_equal(before, after);
	free(after);
	/* A dry run of the same file says the same. */
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/a.csv", &res,
	    1, &st, err, sizeof(err)), 0);
	assert_int_equal(st.unchanged, 1);
	after = snapshot(db);
	assert_string_equal(before, after);
	free(after);
	free(before);
	import_clear(&res);
	db_close(db);
}

static void
test_replace_by_source(void **state)
{
	struct import_result	 a, a2, b;
	struct db_import_stats	 st;
	struct db		*db;
	char			 err[256], *before, *after;

	(void)state;
	db = open_mem();
	load(&a, IMPORT_CONTRACTS, contracts_a);
	load(&a2, IMPORT_CONTRACTS, contracts_a2);
	load(&b, IMPORT_CONTRACTS, contracts_b);
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/a.csv", &a, 0,
	    &st, err, sizeof(err)), 0);
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/b.csv", &b, 0,
	    &st, err, sizeof(err)), 0);
	assert_int_equal(st.inserted, 2);
	assert_int_equal(st.replaced, 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM contracts"), 5);

	/* A dry run of the newer export: counts, and nothing written. */
	before = snapshot(db);
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/a.csv", &a2,
	    1, &st, err, sizeof(err)), 0);
	assert_int_equal(st.inserted, 2);
	assert_int_equal(st.replaced, 3);
	assert_int_equal(st.unchanged, 0);
	after = snapshot(db);
	assert_string_equal(before, after);
	free(after);
	free(before);

	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/a.csv", &a2,
	    0, &st, err, sizeof(err)), 0);
	assert_int_equal(st.inserted, 2);
	assert_int_equal(st.replaced, 3);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM contracts WHERE "
	    "source = '/data/a.csv'"), 2);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM contracts WHERE "
	    "source = '/data/b.csv'"), 2);
	assert_int_equal(sql_int(db, "SELECT price_cents FROM contracts "
	    "WHERE serial = 'ZZ0000000001'"), 130000);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM contracts WHERE "
	    "serial = 'ZZ0000000002'"), 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM imports"), 2);
	assert_int_equal(sql_int(db, "SELECT rows FROM imports WHERE "
	    "source = '/data/a.csv'"), 2);
	/* The same source under another kind is another import. */
	assert_int_equal(sql_int(db, "SELECT count(*) FROM imports WHERE "
	    "kind = 'contracts'"), 2);
	import_clear(&a);
	import_clear(&a2);
	import_clear(&b);
	db_close(db);
}

static void
test_failed_insert_rolls_back(void **state)
{
	struct import_result	 a, a2;
	struct db_import_stats	 st;
	struct db		*db;
	char			 err[256], *before, *after;

	(void)state;
	db = open_mem();
	load(&a, IMPORT_CONTRACTS, contracts_a);
	load(&a2, IMPORT_CONTRACTS, contracts_a2);
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/a.csv", &a, 0,
	    &st, err, sizeof(err)), 0);
	before = snapshot(db);

	/*
	 * import.c never gives a row without a serial; forge one so the
	 * second insert breaks NOT NULL after the delete and the first
	 * insert have run.
	 */
	a2.rows[1].u.contract.serial = NULL;
	err[0] = '\0';
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/a.csv", &a2,
	    0, &st, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mem.csv:3: storing row"));
	assert_non_null(strstr(err, "NOT NULL"));
	assert_int_equal(st.inserted, 0);
	after = snapshot(db);
	assert_string_equal(before, after);
	free(after);

	/* A CHECK constraint, on a new source: nothing of it remains. */
	a2.rows[1].u.contract.serial = "ZZ0000000004";
	a2.rows[1].u.contract.end = a2.rows[1].u.contract.start - 1;
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/new.csv", &a2,
	    0, &st, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "CHECK"));
	after = snapshot(db);
	assert_string_equal(before, after);
	free(after);

	/* The handle still works: no transaction was left open. */
	a2.rows[1].u.contract.end = a2.rows[1].u.contract.start;
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/data/new.csv", &a2,
	    0, &st, err, sizeof(err)), 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM contracts"), 5);
	free(before);
	import_clear(&a);
	import_clear(&a2);
	db_close(db);
}

static void
test_refused_results(void **state)
{
	struct import_result	 res, bad;
	struct db_import_stats	 st;
	struct db		*db;
	char			 err[256];
	static const char	 csv[] = "Contract,Serial,Start,End\n"
	    "C-1,N/A,2025-01-01,2025-12-31\n";

	(void)state;
	db = open_mem();
	load(&res, IMPORT_CONTRACTS, contracts_a);
	/* Rows of another kind. */
	assert_int_equal(db_import(db, IMPORT_CPO, "/x", &res, 0, &st, err,
	    sizeof(err)), -1);
	/* No source. */
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "", &res, 0, &st,
	    err, sizeof(err)), -1);
	/* A refused file has no rows to store. */
	import_init(&bad);
	assert_int_equal(import_mem(&bad, IMPORT_CONTRACTS, "bad.csv", csv,
	    strlen(csv), NULL, err, sizeof(err)), -1);
	assert_true(bad.nerrors > 0);
	assert_int_equal(db_import(db, IMPORT_CONTRACTS, "/x", &bad, 0, &st,
	    err, sizeof(err)), -1);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM imports"), 0);
	import_clear(&bad);
	import_clear(&res);
	db_close(db);
}

/* Every kind's example file, each value in its stored form. */
static void
test_every_kind(void **state)
{
	static const struct {
		enum import_kind	 kind;
		const char		*file;
		const char		*check;	/* must count 1 */
	} k[] = {
		{ IMPORT_CONTRACTS, "example-contracts.csv",
		    "SELECT count(*) FROM contracts WHERE serial = "
		    "'ZZ0000000001' AND start_date = '2025-01-15' AND "
		    "price_cents = 123450" },
		{ IMPORT_HW_LIFECYCLE, "example-hw-lifecycle.csv",
		    "SELECT count(*) FROM hw_lifecycle WHERE models = "
		    "'EXAMPLE-FPC-1;EXAMPLE-FPC-1-R' AND parts = "
		    "'999-000001;999-000002' AND eos_date = '2028-09-30' AND "
		    "same_day_end_date IS NULL" },
		{ IMPORT_SW_LIFECYCLE, "example-sw-lifecycle.csv",
		    "SELECT count(*) FROM sw_lifecycle WHERE train = '99.4' "
		    "AND first_release_date = '2023-12-26' AND release_type = "
		    "'EEOL'" },
		{ IMPORT_CPO, "example-cpo.csv",
		    "SELECT count(*) FROM cpo WHERE serial = 'ZZ0000000021' "
		    "AND purchase_date = '2024-03-31' AND cpo_line = "
		    "'end-of-production' AND care = 'no'" },
		{ IMPORT_WARRANTY, "example-warranty.csv",
		    "SELECT count(*) FROM warranty_terms WHERE pattern = "
		    "'EXAMPLE-SW-*' AND months = 60" },
		{ IMPORT_REGISTRATIONS, "example-registrations.csv",
		    "SELECT count(*) FROM registrations WHERE serial = "
		    "'ZZ0000000031' AND ship_date = '2024-05-03' AND site IS "
		    "NULL" },
	};
	struct import_result	 res;
	struct db_import_stats	 st;
	struct db		*db;
	char			 path[256], err[256];
	size_t			 i;

	(void)state;
	db = open_mem();
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		snprintf(path, sizeof(path), "tests/data/import/%s",
		    k[i].file);
		import_init(&res);
		if (import_file(&res, k[i].kind, path, NULL, err,
		    sizeof(err)) == -1)
			fail_msg("%s: %s", path, err);
		if (db_import(db, k[i].kind, path, &res, 0, &st, err,
		    sizeof(err)) == -1)
			fail_msg("%s: %s", path, err);
		assert_int_equal(st.inserted, res.nrows);
		if (sql_int(db, k[i].check) != 1)
			fail_msg("%s: %s", path, k[i].check);
		import_clear(&res);
	}
	assert_int_equal(sql_int(db, "SELECT count(*) FROM imports"), 6);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_v2),
		cmocka_unit_test(test_import_contracts),
		cmocka_unit_test(test_reimport_idempotent),
		cmocka_unit_test(test_replace_by_source),
		cmocka_unit_test(test_failed_insert_rolls_back),
		cmocka_unit_test(test_refused_results),
		cmocka_unit_test(test_every_kind),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
