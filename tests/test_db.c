/*
 * test_db.c: the store.  Migrations from empty and from a version 1
 * database with data, WAL on a file, the inventory JSON and text, every
 * history rule (new, seen again, gone, partial, failed, replaced,
 * upgraded, returned), duplicates, escaping, SNMP/NETCONF cross-checks
 * and protocols, item source sets, and refusing a database from a newer
 * build.  The clock is injected so
 * every timestamp below is exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db/db.h"
#include "db/db_int.h"

#define T1	1795341600	/* 2026-11-22T10:00:00Z */
#define T1S	"2026-11-22T10:00:00Z"
#define T2	(T1 + 3600)
#define T2S	"2026-11-22T11:00:00Z"
#define T3	(T1 + 7200)
#define T3S	"2026-11-22T12:00:00Z"

#define ADDR	"192.0.2.1:161"
#define REF	"1.3.6.1.4.1.2636.3.1.8.1.5"

static time_t	fake_now = T1;

static time_t
fake_clock(void)
{
	return (fake_now);
}

static struct db *
open_mem(void)
{
	struct db	*db;
	char		 err[256];

	db = db_open(":memory:", err, sizeof(err));
	if (db == NULL)
		fail_msg("db_open: %s", err);
	db_set_clock(db, fake_clock);
	fake_now = T1;
	return (db);
}

/* A temp file name (the file itself removed) for tests on a file db. */
static void
temp_path(char *buf, size_t len)
{
	int	fd;

	snprintf(buf, len, "/tmp/test_db.XXXXXX");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	close(fd);
	unlink(buf);
}

static void
temp_remove(const char *path)
{
	char	side[300];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static struct item *
add(struct dev_facts *f, enum item_kind kind, int parent, const char *name,
    const char *serial, const char *part, const char *model,
    const char *descr)
{
	struct item	*it;

	it = facts_add_item(f, kind);
	assert_non_null(it);
	it->parent = parent;
	fact_strlcpy(it->name, name, sizeof(it->name));
	if (serial != NULL) {
		fact_strlcpy(it->serial, serial, sizeof(it->serial));
		it->serialized = 1;
	}
	fact_strlcpy(it->part_number, part, sizeof(it->part_number));
	fact_strlcpy(it->model, model, sizeof(it->model));
	fact_strlcpy(it->description, descr, sizeof(it->description));
	fact_strlcpy(it->source, "snmp", sizeof(it->source));
	fact_strlcpy(it->source_ref, REF, sizeof(it->source_ref));
	return (it);
}

/*
 * An MX480: chassis, FPC 0 in it, a built-in (not serialized) PIC 0 in
 * the FPC, and an optic in the PIC.  with_xcvr 0 leaves the optic out.
 */
static void
mx_facts(struct dev_facts *f, const char *chassis, const char *version,
    int with_xcvr)
{
	facts_init(f);
	snprintf(f->sys_descr, sizeof(f->sys_descr), "Juniper Networks, Inc. "
	    "mx480 internet router, kernel JUNOS %s", version);
	fact_strlcpy(f->sys_object_id, "1.3.6.1.4.1.2636.1.1.1.2.25",
	    sizeof(f->sys_object_id));
	fact_strlcpy(f->sys_name, "r1", sizeof(f->sys_name));
	fact_strlcpy(f->hostname, "r1", sizeof(f->hostname));
	fact_strlcpy(f->sys_location, "DC1", sizeof(f->sys_location));
	f->have_system = 1;
	f->os = OS_JUNOS;
	fact_strlcpy(f->model, "MX480", sizeof(f->model));
	fact_strlcpy(f->serial, chassis, sizeof(f->serial));
	fact_strlcpy(f->version, version, sizeof(f->version));
	add(f, ITEM_CHASSIS, -1, "Chassis", chassis, "", "MX480", "MX480");
	add(f, ITEM_COMPONENT, 0, "FPC 0", "CAAB1234", "750-056519",
	    "MPC7E-10G", "MPC7E 3D 40XGE");
	add(f, ITEM_COMPONENT, 1, "PIC 0", NULL, "", "", "10x10GE SFPP");
	if (with_xcvr)
		add(f, ITEM_COMPONENT, 2, "Xcvr 0", "X1", "740-021308",
		    "SFPP-10GE-SR", "SFP+-10G-SR");
}

static int64_t
scan(struct db *db)
{
	int64_t	id;
	char	err[256];

	if (db_scan_begin(db, "ibagent scan 192.0.2.1", &id, err,
	    sizeof(err)) == -1)
		fail_msg("db_scan_begin: %s", err);
	return (id);
}

static void
store(struct db *db, int64_t scan_id, const char *address,
    enum poll_status st, const char *error, const struct dev_facts *f)
{
	char	err[256];

	if (db_store_result(db, scan_id, address, st, error, f, err,
	    sizeof(err)) == -1)
		fail_msg("db_store_result: %s", err);
}

/* Run one of the print functions into a malloc'd string. */
static char *
capture(struct db *db, int what, enum db_format fmt)
{
	FILE	*fp;
	char	*buf = NULL, err[256];
	size_t	 len = 0;
	int	 rc;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	if (what == 0)
		rc = db_inventory(db, fp, fmt, err, sizeof(err));
	else if (what == 1)
		rc = db_history(db, fp, fmt, NULL, err, sizeof(err));
	else
		rc = db_scan_print(db, fp, fmt, 0, err, sizeof(err));
	fclose(fp);
	if (rc == -1) {
		free(buf);
		fail_msg("print: %s", err);
	}
	return (buf);
}

static void
assert_output(struct db *db, int what, enum db_format fmt, const char *want)
{
	char	*got = capture(db, what, fmt);

	if (strcmp(got, want) != 0) {
		print_error("--- want\n%s--- got\n%s---\n", want, got);
		free(got);
		fail();
	}
	free(got);
}

/* One integer from SQL on the store's own connection (-1: no row). */
static int64_t
sql_int(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (v);
}

/* One text value from SQL into buf ("" for NULL or no row). */
static const char *
sql_text(struct db *db, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt		*st;
	const unsigned char	*v;

	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL),
	    SQLITE_OK);
	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (v = sqlite3_column_text(st, 0)) != NULL)
		snprintf(buf, len, "%s", (const char *)v);
	sqlite3_finalize(st);
	return (buf);
}

static const char *const tables[] = { "scans", "devices", "scan_results",
    "items", "events", "crosschecks" };

static void
test_migrations_from_empty(void **state)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	char		 err[256];
	int		 target, n;
	size_t		 i;

	(void)state;
	assert_true(db_schema_version() >= 1);
	/* Every intermediate version, then on to the latest from there. */
	for (target = 0; target <= db_schema_version(); target++) {
		assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
		assert_int_equal(db_migrate(h, target, err, sizeof(err)), 0);
		assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version",
		    -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), target);
		sqlite3_finalize(st);
		assert_int_equal(db_migrate(h, db_schema_version(), err,
		    sizeof(err)), 0);
		/* Idempotent. */
		assert_int_equal(db_migrate(h, db_schema_version(), err,
		    sizeof(err)), 0);
		for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
			assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) "
			    "FROM sqlite_master WHERE type = 'table' AND "
			    "name = ?1", -1, &st, NULL), SQLITE_OK);
			sqlite3_bind_text(st, 1, tables[i], -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(st), SQLITE_ROW);
			n = sqlite3_column_int(st, 0);
			sqlite3_finalize(st);
			if (n != 1)
				fail_msg("table %s missing", tables[i]);
		}
		/* Going down is not a thing. */
		assert_int_equal(db_migrate(h, 0, err, sizeof(err)),
		    db_schema_version() == 0 ? 0 : -1);
		sqlite3_close(h);
	}
	/* A version this build does not have is refused. */
	assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
	assert_int_equal(db_migrate(h, db_schema_version() + 1, err,
	    sizeof(err)), -1);
	sqlite3_close(h);
}

/* Migration 7: CHECK (x IN (...)) become OR chains, the rule stays. */
static void
test_checks_without_in(void **state)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	char		 err[256];
	const char	*sql;
	int		 n = 0;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
	assert_int_equal(db_migrate(h, 6, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_exec(h, "INSERT INTO scans (id, started) "
	    "VALUES (1, 'x'); INSERT INTO devices (id, address, sort_key, os) "
	    "VALUES (1, 'a', x'00', 'junos'); INSERT INTO scan_results "
	    "(scan_id, device_id, time, status) VALUES (1, 1, 't', 'timeout')",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_migrate(h, db_schema_version(), err, sizeof(err)),
	    0);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_schema "
	    "WHERE type = 'table'", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		sql = (const char *)sqlite3_column_text(st, 0);
		if (strstr(sql, " IN (") != NULL || strstr(sql, " IN\t") != NULL)
			fail_msg("an IN list is left: %s", sql);
		if (strstr(sql, "status = 'badreply' OR") != NULL)
			n++;
	}
	sqlite3_finalize(st);
	assert_int_equal(n, 2);		/* scan_results, devices */
	/* The rows are there, the file is sound, the rule still holds. */
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM "
	    "scan_results WHERE status = 'timeout'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(h, "INSERT INTO scan_results (scan_id, "
	    "device_id, time, status) VALUES (1, 1, 't', 'bogus')", NULL,
	    NULL, NULL), SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_exec(h, "UPDATE devices SET os = 'ios'",
	    NULL, NULL, NULL), SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_exec(h, "INSERT INTO items (device_id, kind, "
	    "name, serialized, first_seen, last_seen, first_scan, last_scan, "
	    "last_result) VALUES (1, 'chassis', 'c', 2, 't', 't', 1, 1, 1)",
	    NULL, NULL, NULL), SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_exec(h, "INSERT INTO scan_results (scan_id, "
	    "device_id, time, status) VALUES (1, 1, 't', 'badreply')", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void
test_open_memory(void **state)
{
	struct db	*db;
	char		 buf[64];
	int64_t		 n = -1;

	(void)state;
	db = open_mem();
	assert_int_equal(sql_int(db, "PRAGMA user_version"),
	    db_schema_version());
	assert_int_equal(sql_int(db, "PRAGMA foreign_keys"), 1);
	assert_string_equal(sql_text(db, "PRAGMA journal_mode", buf,
	    sizeof(buf)), "memory");
	assert_int_equal(db_device_count(db, &n, buf, sizeof(buf)), 0);
	assert_int_equal(n, 0);
	db_close(db);
	db_close(NULL);
}

static void
test_wal_file(void **state)
{
	struct db	*db;
	char		 path[64], err[256], buf[64], wal[80];
	struct dev_facts f;
	int64_t		 s;

	(void)state;
	temp_path(path, sizeof(path));
	db = db_open(path, err, sizeof(err));
	if (db == NULL)
		fail_msg("db_open: %s", err);
	db_set_clock(db, fake_clock);
	assert_string_equal(sql_text(db, "PRAGMA journal_mode", buf,
	    sizeof(buf)), "wal");
	assert_int_equal(sql_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(sql_int(db, "PRAGMA user_version"),
	    db_schema_version());
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	s = scan(db);
	store(db, s, ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	assert_int_equal(access(wal, F_OK), 0);
	db_close(db);

	/* Reopen: no migration to run, data still there, still WAL. */
	db = db_open(path, err, sizeof(err));
	if (db == NULL)
		fail_msg("db_open again: %s", err);
	assert_string_equal(sql_text(db, "PRAGMA journal_mode", buf,
	    sizeof(buf)), "wal");
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items"), 4);
	assert_string_equal(sql_text(db, "PRAGMA integrity_check", buf,
	    sizeof(buf)), "ok");
	db_close(db);
	temp_remove(path);
}

static void
test_newer_refused(void **state)
{
	sqlite3		*h;
	struct db	*db;
	char		 path[64], err[256], sql[64];
	sqlite3_stmt	*st;

	(void)state;
	temp_path(path, sizeof(path));
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    db_schema_version() + 1);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	err[0] = '\0';
	db = db_open(path, err, sizeof(err));
	assert_null(db);
	assert_non_null(strstr(err, "newer than this build supports"));
	assert_non_null(strstr(err, path));

	/* Refused untouched: still the rollback journal, nothing created. */
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
	    "delete");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM "
	    "sqlite_master", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	temp_remove(path);
}

static void
test_not_a_database(void **state)
{
	struct db	*db;
	char		 path[64], err[256];
	FILE		*fp;

	(void)state;
	temp_path(path, sizeof(path));
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("this is not an SQLite database, just some text that is long "
	    "enough to have a header, ", fp);
	fclose(fp);
	db = db_open(path, err, sizeof(err));
	assert_null(db);
	assert_non_null(strstr(err, path));
	temp_remove(path);
}

static void
test_empty_inventory(void **state)
{
	struct db	*db;

	(void)state;
	db = open_mem();
	assert_output(db, 0, DB_FMT_TEXT, "no devices in the install base "
	    "(run 'ibagent scan' first)\n");
	assert_output(db, 0, DB_FMT_JSON, "[]\n");
	assert_output(db, 1, DB_FMT_JSON, "[]\n");
	assert_output(db, 1, DB_FMT_TEXT, "no events in the history\n");
	assert_output(db, 2, DB_FMT_JSON, "null\n");
	assert_output(db, 2, DB_FMT_TEXT, "no scans\n");
	db_close(db);
}

#define J_DEV(serial, version, status, error, first, last, scan)	\
	"  {\"address\":\"" ADDR "\",\"hostname\":\"r1\","		\
	"\"model\":\"MX480\",\"serial\":\"" serial "\","		\
	"\"version\":\"" version "\",\"os\":\"junos\","		\
	"\"sys_descr\":\"Juniper Networks, Inc. mx480 internet "	\
	"router, kernel JUNOS " version "\","				\
	"\"sys_object_id\":\"1.3.6.1.4.1.2636.1.1.1.2.25\","		\
	"\"location\":\"DC1\",\"status\":\"" status "\","		\
	"\"error\":" error ",\"first_seen\":\"" first "\","		\
	"\"last_seen\":\"" last "\",\"last_scan\":" scan ","		\
	"\"protocols\":[\"snmp\"],\"crosscheck\":[],\"items\":["

#define J_CHASSIS(serial, first, last)					\
	"    {\"kind\":\"chassis\",\"name\":\"Chassis\","		\
	"\"serial\":\"" serial "\",\"serialized\":true,"		\
	"\"part_number\":null,\"model\":\"MX480\","			\
	"\"description\":\"MX480\",\"revision\":null,\"clei\":null,"	\
	"\"version\":null,\"role\":null,\"parent_serial\":null,"	\
	"\"sources\":[\"snmp\"],\"source_ref\":\"" REF "\","		\
	"\"first_seen\":\"" first "\",\"last_seen\":\"" last "\"}"

#define J_FPC(parent, first, last)					\
	"    {\"kind\":\"component\",\"name\":\"FPC 0\","		\
	"\"serial\":\"CAAB1234\",\"serialized\":true,"			\
	"\"part_number\":\"750-056519\",\"model\":\"MPC7E-10G\","	\
	"\"description\":\"MPC7E 3D 40XGE\",\"revision\":null,"	\
	"\"clei\":null,\"version\":null,\"role\":null,"		\
	"\"parent_serial\":\"" parent "\",\"sources\":[\"snmp\"],"	\
	"\"source_ref\":\"" REF "\",\"first_seen\":\"" first "\","	\
	"\"last_seen\":\"" last "\"}"

#define J_PIC(first, last)						\
	"    {\"kind\":\"component\",\"name\":\"PIC 0\","		\
	"\"serial\":null,\"serialized\":false,\"part_number\":null,"	\
	"\"model\":null,\"description\":\"10x10GE SFPP\","		\
	"\"revision\":null,\"clei\":null,\"version\":null,"		\
	"\"role\":null,\"parent_serial\":\"CAAB1234\","		\
	"\"sources\":[\"snmp\"],\"source_ref\":\"" REF "\","		\
	"\"first_seen\":\"" first "\",\"last_seen\":\"" last "\"}"

#define J_XCVR(first, last)						\
	"    {\"kind\":\"component\",\"name\":\"Xcvr 0\","		\
	"\"serial\":\"X1\",\"serialized\":true,"			\
	"\"part_number\":\"740-021308\",\"model\":\"SFPP-10GE-SR\","	\
	"\"description\":\"SFP+-10G-SR\",\"revision\":null,"		\
	"\"clei\":null,\"version\":null,\"role\":null,"		\
	"\"parent_serial\":null,\"parent_name\":\"PIC 0\","		\
	"\"sources\":[\"snmp\"],\"source_ref\":\"" REF "\","		\
	"\"first_seen\":\"" first "\",\"last_seen\":\"" last "\"}"

static void
test_roundtrip_json(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	int64_t			 s;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	s = scan(db);
	store(db, s, ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	assert_output(db, 0, DB_FMT_JSON,
	    "[\n"
	    J_DEV("JN1", "21.4R3-S5.4", "ok", "null", T1S, T1S, "1") "\n"
	    J_CHASSIS("JN1", T1S, T1S) ",\n"
	    J_FPC("JN1", T1S, T1S) ",\n"
	    J_PIC(T1S, T1S) ",\n"
	    J_XCVR(T1S, T1S) "\n"
	    "  ]}\n"
	    "]\n");
	assert_output(db, 1, DB_FMT_JSON,
	    "[\n"
	    "  {\"id\":1,\"time\":\"" T1S "\",\"scan\":1,\"address\":\"" ADDR
	    "\",\"event\":\"new\",\"item_kind\":\"chassis\",\"item_name\":"
	    "\"Chassis\",\"serial\":\"JN1\",\"old\":null,\"new\":\"JN1\"},\n"
	    "  {\"id\":2,\"time\":\"" T1S "\",\"scan\":1,\"address\":\"" ADDR
	    "\",\"event\":\"new\",\"item_kind\":\"component\",\"item_name\":"
	    "\"FPC 0\",\"serial\":\"CAAB1234\",\"old\":null,\"new\":"
	    "\"CAAB1234\"},\n"
	    "  {\"id\":3,\"time\":\"" T1S "\",\"scan\":1,\"address\":\"" ADDR
	    "\",\"event\":\"new\",\"item_kind\":\"component\",\"item_name\":"
	    "\"PIC 0\",\"serial\":null,\"old\":null,\"new\":\"PIC 0\"},\n"
	    "  {\"id\":4,\"time\":\"" T1S "\",\"scan\":1,\"address\":\"" ADDR
	    "\",\"event\":\"new\",\"item_kind\":\"component\",\"item_name\":"
	    "\"Xcvr 0\",\"serial\":\"X1\",\"old\":null,\"new\":\"X1\"}\n"
	    "]\n");
	db_close(db);
}

static void
test_inventory_text(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	int64_t			 s;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	s = scan(db);
	store(db, s, ADDR, POLL_OK, NULL, &f);
	store(db, s, "192.0.2.9:161", POLL_TIMEOUT, "no response", NULL);
	facts_free(&f);
	assert_output(db, 0, DB_FMT_TEXT,
	    "ADDRESS        HOSTNAME  MODEL  SERIAL  VERSION      STATUS\n"
	    "  KIND       NAME     SERIAL    PART NUMBER  MODEL         "
	    "DESCRIPTION\n"
	    "192.0.2.1:161  r1        MX480  JN1     21.4R3-S5.4  ok\n"
	    "  chassis    Chassis  JN1       -            MX480         "
	    "MX480\n"
	    "  component  FPC 0    CAAB1234  750-056519   MPC7E-10G     "
	    "MPC7E 3D 40XGE\n"
	    "  component  PIC 0    -         -            -             "
	    "10x10GE SFPP\n"
	    "  component  Xcvr 0   X1        740-021308   SFPP-10GE-SR  "
	    "SFP+-10G-SR\n"
	    "192.0.2.9:161  -         -      -       -            "
	    "timeout: no response\n"
	    "2 devices (1 ok, 0 partial, 1 failed), 4 items (3 serialized, "
	    "1 not serialized)\n");
	db_close(db);
}

static void
test_seen_again(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	int64_t			 s;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	fake_now = T2;
	s = scan(db);
	store(db, s, ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	/* first_seen stays, last_seen moves, nothing new in the history. */
	assert_output(db, 0, DB_FMT_JSON,
	    "[\n"
	    J_DEV("JN1", "21.4R3-S5.4", "ok", "null", T1S, T2S, "2") "\n"
	    J_CHASSIS("JN1", T1S, T2S) ",\n"
	    J_FPC("JN1", T1S, T2S) ",\n"
	    J_PIC(T1S, T2S) ",\n"
	    J_XCVR(T1S, T2S) "\n"
	    "  ]}\n"
	    "]\n");
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 4);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items"), 4);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items WHERE "
	    "first_scan = 1 AND last_scan = 2"), 4);
	assert_int_equal(sql_int(db, "SELECT last_ok_scan FROM devices"), 2);
	db_close(db);
}

static void
test_gone_in_complete_poll(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	char			 buf[64];

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	fake_now = T2;
	mx_facts(&f, "JN1", "21.4R3-S5.4", 0);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	assert_output(db, 0, DB_FMT_JSON,
	    "[\n"
	    J_DEV("JN1", "21.4R3-S5.4", "ok", "null", T1S, T2S, "2") "\n"
	    J_CHASSIS("JN1", T1S, T2S) ",\n"
	    J_FPC("JN1", T1S, T2S) ",\n"
	    J_PIC(T1S, T2S) "\n"
	    "  ]}\n"
	    "]\n");
	/* Kept, not deleted: gone since scan 2, last seen in scan 1. */
	assert_int_equal(sql_int(db, "SELECT gone_scan FROM items WHERE "
	    "serial = 'X1'"), 2);
	assert_string_equal(sql_text(db, "SELECT gone_at || ' ' || last_seen "
	    "FROM items WHERE serial = 'X1'", buf, sizeof(buf)),
	    T2S " " T1S);
	assert_string_equal(sql_text(db, "SELECT kind || ' ' || old_value || "
	    "' ' || scan_id FROM events WHERE id = 5", buf, sizeof(buf)),
	    "gone X1 2");
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 5);
	db_close(db);
}

static void
test_not_gone_in_partial_poll(void **state)
{
	struct db		*db;
	struct dev_facts	 f;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	/* Partial: jnxContentsTable timed out half way; no version either. */
	fake_now = T2;
	mx_facts(&f, "JN1", "21.4R3-S5.4", 0);
	f.version[0] = '\0';
	f.sys_location[0] = '\0';
	store(db, scan(db), ADDR, POLL_PARTIAL, "jnxContentsTable: timeout",
	    &f);
	facts_free(&f);
	assert_output(db, 0, DB_FMT_JSON,
	    "[\n"
	    J_DEV("JN1", "21.4R3-S5.4", "partial",
	    "\"jnxContentsTable: timeout\"", T1S, T2S, "2") "\n"
	    J_CHASSIS("JN1", T1S, T2S) ",\n"
	    J_FPC("JN1", T1S, T2S) ",\n"
	    J_PIC(T1S, T2S) ",\n"
	    J_XCVR(T1S, T1S) "\n"
	    "  ]}\n"
	    "]\n");
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items WHERE "
	    "gone_scan IS NOT NULL"), 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 4);
	/* Last complete poll is still the first one. */
	assert_int_equal(sql_int(db, "SELECT last_ok_scan FROM devices"), 1);
	db_close(db);
}

static void
test_failed_poll_changes_only_status(void **state)
{
	static const enum poll_status failures[] = { POLL_TIMEOUT, POLL_AUTH,
	    POLL_REFUSED, POLL_BADREPLY, POLL_ERROR };
	static const char *const names[] = { "timeout", "auth", "refused",
	    "badreply", "error" };
	struct db		*db;
	struct dev_facts	 f, empty;
	char			*want, *got, buf[64], want1[64];
	size_t			 i;
	int64_t			 s;

	(void)state;
	for (i = 0; i < sizeof(failures) / sizeof(failures[0]); i++) {
		db = open_mem();
		mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
		store(db, scan(db), ADDR, POLL_OK, NULL, &f);
		facts_free(&f);
		want = capture(db, 0, DB_FMT_JSON);

		/* Even with (empty) facts passed, nothing but status moves. */
		fake_now = T2;
		facts_init(&empty);
		s = scan(db);
		store(db, s, ADDR, failures[i], "it broke", i % 2 ? &empty :
		    NULL);
		got = capture(db, 0, DB_FMT_JSON);
		snprintf(buf, sizeof(buf), "\"status\":\"%s\"", names[i]);
		assert_non_null(strstr(got, buf));
		assert_non_null(strstr(got, "\"error\":\"it broke\","));
		assert_non_null(strstr(got, "\"last_scan\":2,"));
		/* Everything else is byte for byte what it was. */
		assert_int_equal(strlen(got), strlen(want) + strlen(names[i]) -
		    2 + strlen("\"it broke\"") - 4);
		assert_non_null(strstr(got, "\"last_seen\":\"" T1S "\""));
		assert_null(strstr(got, T2S));
		free(want);
		free(got);
		assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 4);
		assert_int_equal(sql_int(db, "SELECT count(*) FROM items WHERE "
		    "last_scan = 1 AND gone_scan IS NULL"), 4);
		assert_int_equal(sql_int(db, "SELECT last_ok_scan FROM "
		    "devices"), 1);
		snprintf(want1, sizeof(want1), "%s it broke 1", names[i]);
		assert_string_equal(sql_text(db, "SELECT status || ' ' || "
		    "error || ' ' || (nitems IS NULL) FROM scan_results "
		    "WHERE scan_id = 2", buf, sizeof(buf)), want1);
		facts_free(&empty);
		db_close(db);
	}
}

static void
test_failed_first_poll(void **state)
{
	struct db	*db;

	(void)state;
	db = open_mem();
	store(db, scan(db), ADDR, POLL_REFUSED, NULL, NULL);
	assert_output(db, 0, DB_FMT_JSON,
	    "[\n"
	    "  {\"address\":\"" ADDR "\",\"hostname\":null,\"model\":null,"
	    "\"serial\":null,\"version\":null,\"os\":null,"
	    "\"sys_descr\":null,\"sys_object_id\":null,\"location\":null,"
	    "\"status\":\"refused\",\"error\":null,\"first_seen\":null,"
	    "\"last_seen\":null,\"last_scan\":1,\"protocols\":[],"
	    "\"crosscheck\":[],\"items\":[]}\n"
	    "]\n");
	db_close(db);
}

static void
test_chassis_replaced(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	char			 buf[128], *out = NULL;
	size_t			 len = 0;
	FILE			*fp;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	/* RMA: new chassis, the cards moved over. */
	fake_now = T2;
	mx_facts(&f, "JN2", "21.4R3-S5.4", 1);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	assert_output(db, 0, DB_FMT_JSON,
	    "[\n"
	    J_DEV("JN2", "21.4R3-S5.4", "ok", "null", T1S, T2S, "2") "\n"
	    J_CHASSIS("JN2", T2S, T2S) ",\n"
	    J_FPC("JN2", T1S, T2S) ",\n"
	    J_PIC(T1S, T2S) ",\n"
	    J_XCVR(T1S, T2S) "\n"
	    "  ]}\n"
	    "]\n");
	assert_output(db, 1, DB_FMT_TEXT,
	    T1S " " ADDR " new      chassis Chassis: JN1\n"
	    T1S " " ADDR " new      component FPC 0: CAAB1234\n"
	    T1S " " ADDR " new      component PIC 0: PIC 0\n"
	    T1S " " ADDR " new      component Xcvr 0: X1\n"
	    T2S " " ADDR " new      chassis Chassis: JN2\n"
	    T2S " " ADDR " replaced chassis Chassis: JN1 -> JN2\n"
	    T2S " " ADDR " gone     chassis Chassis: JN1\n");
	assert_string_equal(sql_text(db, "SELECT gone_at FROM items WHERE "
	    "serial = 'JN1'", buf, sizeof(buf)), T2S);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items"), 5);
	/* History of one address only. */
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	assert_int_equal(db_history(db, fp, DB_FMT_JSON, "192.0.2.99:161",
	    buf, sizeof(buf)), 0);
	fclose(fp);
	assert_string_equal(out, "[]\n");
	free(out);
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	assert_int_equal(db_history(db, fp, DB_FMT_TEXT, ADDR, buf,
	    sizeof(buf)), 0);
	fclose(fp);
	assert_non_null(strstr(out, " replaced chassis Chassis: JN1 -> JN2\n"));
	free(out);
	db_close(db);
}

static void
test_chassis_replaced_partial(void **state)
{
	struct db		*db;
	struct dev_facts	 f;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	/*
	 * A partial poll still proves the chassis changed: the old one is
	 * gone, but the optic it did not see is not.
	 */
	fake_now = T2;
	mx_facts(&f, "JN2", "21.4R3-S5.4", 0);
	store(db, scan(db), ADDR, POLL_PARTIAL, NULL, &f);
	facts_free(&f);
	assert_int_equal(sql_int(db, "SELECT gone_scan FROM items WHERE "
	    "serial = 'JN1'"), 2);
	assert_int_equal(sql_int(db, "SELECT gone_scan IS NULL FROM items "
	    "WHERE serial = 'X1'"), 1);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events WHERE "
	    "kind = 'replaced' AND old_value = 'JN1' AND new_value = 'JN2'"),
	    1);
	db_close(db);
}

static void
test_upgraded(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	struct item		*m;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	m = add(&f, ITEM_MEMBER, 0, "member 1", "M1", "", "EX4300-48T", "");
	fact_strlcpy(m->version, "21.4R3-S5.4", sizeof(m->version));
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	fake_now = T2;
	mx_facts(&f, "JN1", "22.2R3.15", 1);
	m = add(&f, ITEM_MEMBER, 0, "member 1", "M1", "", "EX4300-48T", "");
	fact_strlcpy(m->version, "22.2R3.15", sizeof(m->version));
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	/* The same again is no new event. */
	fake_now = T3;
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	assert_output(db, 1, DB_FMT_JSON,
	    "[\n"
	    "  {\"id\":1,\"time\":\"" T1S "\",\"scan\":1,\"address\":\"" ADDR
	    "\",\"event\":\"new\",\"item_kind\":\"chassis\",\"item_name\":"
	    "\"Chassis\",\"serial\":\"JN1\",\"old\":null,\"new\":\"JN1\"},\n"
	    "  {\"id\":2,\"time\":\"" T1S "\",\"scan\":1,\"address\":\"" ADDR
	    "\",\"event\":\"new\",\"item_kind\":\"component\",\"item_name\":"
	    "\"FPC 0\",\"serial\":\"CAAB1234\",\"old\":null,\"new\":"
	    "\"CAAB1234\"},\n"
	    "  {\"id\":3,\"time\":\"" T1S "\",\"scan\":1,\"address\":\"" ADDR
	    "\",\"event\":\"new\",\"item_kind\":\"component\",\"item_name\":"
	    "\"PIC 0\",\"serial\":null,\"old\":null,\"new\":\"PIC 0\"},\n"
	    "  {\"id\":4,\"time\":\"" T1S "\",\"scan\":1,\"address\":\"" ADDR
	    "\",\"event\":\"new\",\"item_kind\":\"component\",\"item_name\":"
	    "\"Xcvr 0\",\"serial\":\"X1\",\"old\":null,\"new\":\"X1\"},\n"
	    "  {\"id\":5,\"time\":\"" T1S "\",\"scan\":1,\"address\":\"" ADDR
	    "\",\"event\":\"new\",\"item_kind\":\"member\",\"item_name\":"
	    "\"member 1\",\"serial\":\"M1\",\"old\":null,\"new\":\"M1\"},\n"
	    "  {\"id\":6,\"time\":\"" T2S "\",\"scan\":2,\"address\":\"" ADDR
	    "\",\"event\":\"upgraded\",\"item_kind\":null,\"item_name\":null,"
	    "\"serial\":null,\"old\":\"21.4R3-S5.4\",\"new\":\"22.2R3.15\"},\n"
	    "  {\"id\":7,\"time\":\"" T2S "\",\"scan\":2,\"address\":\"" ADDR
	    "\",\"event\":\"upgraded\",\"item_kind\":\"member\",\"item_name\":"
	    "\"member 1\",\"serial\":\"M1\",\"old\":\"21.4R3-S5.4\",\"new\":"
	    "\"22.2R3.15\"}\n"
	    "]\n");
	db_close(db);
}

static void
test_returned(void **state)
{
	struct db		*db;
	struct dev_facts	 f;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	fake_now = T2;
	mx_facts(&f, "JN1", "21.4R3-S5.4", 0);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	fake_now = T3;
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	assert_output(db, 0, DB_FMT_JSON,
	    "[\n"
	    J_DEV("JN1", "21.4R3-S5.4", "ok", "null", T1S, T3S, "3") "\n"
	    J_CHASSIS("JN1", T1S, T3S) ",\n"
	    J_FPC("JN1", T1S, T3S) ",\n"
	    J_PIC(T1S, T3S) ",\n"
	    J_XCVR(T1S, T3S) "\n"
	    "  ]}\n"
	    "]\n");
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items"), 4);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items WHERE "
	    "gone_scan IS NOT NULL OR gone_at IS NOT NULL"), 0);
	assert_output(db, 1, DB_FMT_TEXT,
	    T1S " " ADDR " new      chassis Chassis: JN1\n"
	    T1S " " ADDR " new      component FPC 0: CAAB1234\n"
	    T1S " " ADDR " new      component PIC 0: PIC 0\n"
	    T1S " " ADDR " new      component Xcvr 0: X1\n"
	    T2S " " ADDR " gone     component Xcvr 0: X1\n"
	    T3S " " ADDR " returned component Xcvr 0: X1 (gone since "
	    T2S ")\n");
	db_close(db);
}

static void
test_duplicates(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	struct item		*it;
	char			 buf[128];
	int64_t			 s;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	/* The FPC again, from another table: fills a gap, adds a source. */
	it = add(&f, ITEM_COMPONENT, 0, "FPC 0 (entPhysical)", "CAAB1234",
	    "750-999999", "OTHER", "other description");
	fact_strlcpy(it->revision, "REV 05", sizeof(it->revision));
	fact_strlcpy(it->source, "netconf", sizeof(it->source));
	/* A not-serialized item twice: one row. */
	add(&f, ITEM_COMPONENT, 0, "PIC 0", NULL, "", "", "again");
	/* A child listed before its parent. */
	add(&f, ITEM_COMPONENT, (int)f.nitems + 1, "Xcvr 9", "X9", "", "",
	    "");
	add(&f, ITEM_COMPONENT, 0, "FPC 9", "CAAB9999", "", "", "");
	s = scan(db);
	store(db, s, ADDR, POLL_OK, NULL, &f);
	/* Same device twice in one scan: still one device, nothing gone. */
	store(db, s, ADDR, POLL_OK, NULL, &f);
	/* The same serial on another device is another item. */
	store(db, s, "192.0.2.2:161", POLL_OK, NULL, &f);
	facts_free(&f);

	assert_int_equal(sql_int(db, "SELECT count(*) FROM devices"), 2);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items"), 12);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items WHERE "
	    "gone_scan IS NOT NULL"), 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM scan_results"), 3);
	/* 6 new per device. */
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 12);
	assert_string_equal(sql_text(db, "SELECT name || '|' || part_number "
	    "|| '|' || model || '|' || description || '|' || revision || '|' "
	    "|| sources FROM items WHERE serial = 'CAAB1234' AND device_id = 1",
	    buf, sizeof(buf)), "FPC 0|750-056519|MPC7E-10G|MPC7E 3D 40XGE|"
	    "REV 05|snmp,netconf");
	assert_string_equal(sql_text(db, "SELECT description FROM items "
	    "WHERE name = 'PIC 0' AND device_id = 1", buf, sizeof(buf)),
	    "10x10GE SFPP");
	assert_string_equal(sql_text(db, "SELECT p.serial FROM items i JOIN "
	    "items p ON p.id = i.parent_id WHERE i.serial = 'X9' AND "
	    "i.device_id = 1", buf, sizeof(buf)), "CAAB9999");
	db_close(db);
}

static void
test_escaping(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	char			*got;
	int64_t			 n;
	char			 err[64];

	(void)state;
	db = open_mem();
	facts_init(&f);
	f.have_system = 1;
	f.os = OS_OTHER;
	/* Quote, backslash, newline, tab, ESC, DEL, U+00E9, U+1F600,
	 * U+2028, then invalid: lone continuation, truncated sequence,
	 * overlong '/', a surrogate. */
	fact_strlcpy(f.hostname, "a\"b\\c\nd\te\x1b[31mf\x7fg\xc3\xa9h"
	    "\xf0\x9f\x98\x80i\xe2\x80\xa8j\x80k\xe2\x82l\xc0\xafm\xed\xa0\x80n",
	    sizeof(f.hostname));
	fact_strlcpy(f.sys_descr, "\x01\x1f", sizeof(f.sys_descr));
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	got = capture(db, 0, DB_FMT_JSON);
	assert_non_null(strstr(got, "\"hostname\":\"a\\\"b\\\\c\\nd\\te"
	    "\\u001b[31mf\\u007fg\xc3\xa9h\xf0\x9f\x98\x80i\\u2028j\\ufffdk"
	    "\\ufffd\\ufffdl\\ufffd\\ufffdm\\ufffd\\ufffd\\ufffdn\","));
	assert_non_null(strstr(got, "\"sys_descr\":\"\\u0001\\u001f\","));
	assert_non_null(strstr(got, "\"os\":\"other\","));
	free(got);
	/* A terminal gets no control characters. */
	got = capture(db, 0, DB_FMT_TEXT);
	assert_non_null(strstr(got, "a\"b\\c?d?e?[31mf?g\xc3\xa9h"
	    "\xf0\x9f\x98\x80i\xe2\x80\xa8j?k??l??m???n  "));
	assert_null(strchr(got, '\x1b'));
	free(got);
	assert_int_equal(db_device_count(db, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	db_close(db);
}

static void
test_scan_print(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	int64_t			 s;
	char			 err[256];

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	s = scan(db);
	assert_int_equal(db_store_result_timed(db, s, ADDR, POLL_OK, NULL, &f,
	    1234, err, sizeof(err)), 0);
	store(db, s, "192.0.2.10:161", POLL_TIMEOUT, "no \"answer\"", NULL);
	facts_free(&f);
	fake_now = T2;
	assert_int_equal(db_scan_end(db, s, 2, 1, 1, err, sizeof(err)), 0);
	assert_int_equal(db_scan_end(db, 99, 2, 1, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no scan 99"));
	assert_output(db, 2, DB_FMT_JSON,
	    "{\"id\":1,\"started\":\"" T1S "\",\"finished\":\"" T2S "\","
	    "\"argv\":\"ibagent scan 192.0.2.1\",\"devices\":2,\"ok\":1,"
	    "\"failed\":1,\"results\":[\n"
	    "  {\"address\":\"192.0.2.1:161\",\"time\":\"" T1S "\","
	    "\"status\":\"ok\",\"error\":null,\"duration_ms\":1234,"
	    "\"items\":4},\n"
	    "  {\"address\":\"192.0.2.10:161\",\"time\":\"" T1S "\","
	    "\"status\":\"timeout\",\"error\":\"no \\\"answer\\\"\","
	    "\"duration_ms\":null,\"items\":null}\n"
	    "]}\n");
	assert_output(db, 2, DB_FMT_TEXT,
	    "scan 1 started " T1S " finished " T2S ": 2 devices, 1 ok, "
	    "1 failed\n"
	    "args: ibagent scan 192.0.2.1\n"
	    "ADDRESS         STATUS   ITEMS  MS    ERROR\n"
	    "192.0.2.1:161   ok       4      1234  -\n"
	    "192.0.2.10:161  timeout  -      -     no \"answer\"\n");
	db_close(db);
}

static void
test_address_order(void **state)
{
	static const char *const given[] = { "10.0.0.10:161", "bogus",
	    "[2001:db8::1]:161", "10.0.0.2:1161", "9.1.1.1:161",
	    "10.0.0.2:161", "[::1]:161" };
	struct db	*db;
	char		 buf[256], *got;
	size_t		 i;
	int64_t		 s;

	(void)state;
	db = open_mem();
	s = scan(db);
	for (i = 0; i < sizeof(given) / sizeof(given[0]); i++)
		store(db, s, given[i], POLL_TIMEOUT, NULL, NULL);
	/* Numeric, IPv4 before IPv6, port last; unparseable at the end. */
	assert_string_equal(sql_text(db, "SELECT group_concat(address, ' ') "
	    "FROM (SELECT address FROM devices ORDER BY sort_key)", buf,
	    sizeof(buf)), "9.1.1.1:161 10.0.0.2:161 10.0.0.2:1161 "
	    "10.0.0.10:161 [::1]:161 [2001:db8::1]:161 bogus");
	/* The inventory follows the same order. */
	got = capture(db, 0, DB_FMT_JSON);
	assert_true(strstr(got, "\"9.1.1.1:161\"") <
	    strstr(got, "\"10.0.0.2:161\""));
	assert_true(strstr(got, "\"10.0.0.2:1161\"") <
	    strstr(got, "\"10.0.0.10:161\""));
	assert_true(strstr(got, "\"[2001:db8::1]:161\"") <
	    strstr(got, "\"bogus\""));
	free(got);
	db_close(db);
}

static void
test_errors(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	char			 err[256];
	int64_t			 n = -1;

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	/* No such scan: the foreign key refuses, nothing is left behind. */
	assert_int_equal(db_store_result(db, 42, ADDR, POLL_OK, NULL, &f, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "FOREIGN KEY"));
	assert_int_equal(db_device_count(db, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items"), 0);
	/* Answered without facts, or without an address. */
	assert_int_equal(db_store_result(db, scan(db), ADDR, POLL_OK, NULL,
	    NULL, err, sizeof(err)), -1);
	assert_int_equal(db_store_result(db, 1, "", POLL_OK, NULL, &f, err,
	    sizeof(err)), -1);
	/* The handle is still usable after a failure. */
	store(db, 1, ADDR, POLL_OK, NULL, &f);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items"), 4);
	facts_free(&f);
	db_close(db);
}

/*
 * A database written by schema version 1 (built with db_migrate(), and
 * filled the way the version 1 store did) opens as the current version
 * with every row kept: answered devices get protocols "snmp" (all that
 * version 1 polled), the never answered one none, and no conflicts.
 */
static void
test_migrate_v1(void **state)
{
	sqlite3		*h;
	struct db	*db;
	struct dev_facts f;
	char		 path[64], err[256], buf[256], *got;

	(void)state;
	temp_path(path, sizeof(path));
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(db_migrate(h, 1, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_exec(h,
	    "INSERT INTO scans (id, started, finished, argv, ndevices, nok, "
	    "  nfailed) VALUES (1, '" T1S "', '" T1S "', 'ibagent scan', 2, 1,"
	    "  1);"
	    "INSERT INTO devices (id, address, sort_key, hostname, model, "
	    "  serial, version, os, sys_descr, sys_object_id, location, "
	    "  first_seen, last_seen, last_scan, last_status, last_ok_scan) "
	    "  VALUES (1, '" ADDR "', x'04c0000201' || x'00a1', 'r1', 'MX480',"
	    "  'JN1', '21.4R3-S5.4', 'junos', 'Juniper Networks, Inc. mx480 "
	    "internet router, kernel JUNOS 21.4R3-S5.4', "
	    "  '1.3.6.1.4.1.2636.1.1.1.2.25', 'DC1', '" T1S "', '" T1S "', 1,"
	    "  'ok', 1);"
	    "INSERT INTO devices (id, address, sort_key, last_scan, "
	    "  last_status, last_error) VALUES (2, '192.0.2.9:161', "
	    "  x'04c000020900a1', 1, 'timeout', 'no response');"
	    "INSERT INTO scan_results (id, scan_id, device_id, time, status, "
	    "  nitems) VALUES (1, 1, 1, '" T1S "', 'ok', 4);"
	    "INSERT INTO scan_results (id, scan_id, device_id, time, status, "
	    "  error) VALUES (2, 1, 2, '" T1S "', 'timeout', 'no response');"
	    "INSERT INTO items (id, device_id, kind, name, serial, serialized,"
	    "  model, description, sources, source_ref, first_seen, last_seen,"
	    "  first_scan, last_scan, last_result) VALUES "
	    "  (1, 1, 'chassis', 'Chassis', 'JN1', 1, 'MX480', 'MX480', "
	    "  'snmp', '" REF "', '" T1S "', '" T1S "', 1, 1, 1),"
	    "  (2, 1, 'component', 'FPC 0', 'CAAB1234', 1, 'MPC7E-10G', "
	    "  'MPC7E 3D 40XGE', 'snmp', '" REF "', '" T1S "', '" T1S "', 1, 1,"
	    "  1),"
	    "  (3, 1, 'component', 'PIC 0', NULL, 0, NULL, '10x10GE SFPP', "
	    "  'snmp', '" REF "', '" T1S "', '" T1S "', 1, 1, 1),"
	    "  (4, 1, 'component', 'Xcvr 0', 'X1', 1, 'SFPP-10GE-SR', "
	    "  'SFP+-10G-SR', 'snmp', '" REF "', '" T1S "', '" T1S "', 1, 1, 1);"
	    "UPDATE items SET part_number = '750-056519' WHERE id = 2;"
	    "UPDATE items SET part_number = '740-021308' WHERE id = 4;"
	    "UPDATE items SET parent_id = 1 WHERE id = 2;"
	    "UPDATE items SET parent_id = 2 WHERE id = 3;"
	    "UPDATE items SET parent_id = 3 WHERE id = 4;"
	    "INSERT INTO events (device_id, item_id, scan_id, time, kind, "
	    "  new_value) SELECT 1, id, 1, '" T1S "', 'new', "
	    "  coalesce(serial, name) FROM items ORDER BY id;",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	db = db_open(path, err, sizeof(err));
	if (db == NULL)
		fail_msg("db_open: %s", err);
	db_set_clock(db, fake_clock);
	fake_now = T1;
	assert_int_equal(sql_int(db, "PRAGMA user_version"),
	    db_schema_version());
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items"), 4);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 4);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM scan_results"), 2);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM crosschecks"), 0);
	assert_string_equal(sql_text(db, "SELECT group_concat(address || '=' "
	    "|| coalesce(protocols, 'NULL'), ' ') FROM (SELECT * FROM devices "
	    "ORDER BY id)", buf, sizeof(buf)),
	    ADDR "=snmp 192.0.2.9:161=NULL");
	assert_string_equal(sql_text(db, "PRAGMA integrity_check", buf,
	    sizeof(buf)), "ok");
	assert_string_equal(sql_text(db, "PRAGMA foreign_key_check", buf,
	    sizeof(buf)), "");
	/* It reads as if version 2 had stored it. */
	got = capture(db, 0, DB_FMT_JSON);
	assert_non_null(strstr(got,
	    J_DEV("JN1", "21.4R3-S5.4", "ok", "null", T1S, T1S, "1") "\n"
	    J_CHASSIS("JN1", T1S, T1S) ",\n"
	    J_FPC("JN1", T1S, T1S) ",\n"
	    J_PIC(T1S, T1S) ",\n"
	    J_XCVR(T1S, T1S) "\n"
	    "  ]},\n"));
	assert_non_null(strstr(got, "\"status\":\"timeout\",\"error\":"
	    "\"no response\",\"first_seen\":null,\"last_seen\":null,"
	    "\"last_scan\":1,\"protocols\":[],\"crosscheck\":[],"
	    "\"items\":[]}"));
	free(got);
	/* And the store carries on with the same identities. */
	fake_now = T2;
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	store(db, scan(db), ADDR, POLL_OK, NULL, &f);
	facts_free(&f);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items"), 4);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM events"), 4);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM items WHERE "
	    "first_scan = 1 AND last_scan = 2"), 4);
	db_close(db);
	temp_remove(path);
}

static void
store2(struct db *db, int64_t scan_id, enum poll_status st,
    const struct dev_facts *f, const struct crosscheck *cc,
    const char *protocols)
{
	char	err[256];

	if (db_store_result2(db, scan_id, ADDR, st, st == POLL_OK ||
	    st == POLL_PARTIAL ? NULL : "it broke", f, cc, protocols, 10, err,
	    sizeof(err)) == -1)
		fail_msg("db_store_result2: %s", err);
}

static void
cc_set(struct crosscheck *cc, const char *field, const char *snmp,
    const char *netconf)
{
	struct cc_conflict	*c = &cc->c[cc->n++];

	fact_strlcpy(c->field, field, sizeof(c->field));
	fact_strlcpy(c->snmp, snmp, sizeof(c->snmp));
	fact_strlcpy(c->netconf, netconf, sizeof(c->netconf));
}

#define CC_JSON	"\"protocols\":[\"snmp\",\"netconf\"],\"crosscheck\":["	\
	"{\"field\":\"serial\",\"snmp\":\"JN1\",\"netconf\":\"JN9\","	\
	"\"scan\":1},{\"field\":\"version\",\"snmp\":\"21.4R3-S5.4\","	\
	"\"netconf\":\"21.4R3-S6.2\",\"scan\":1}],\"items\":["

/*
 * The conflicts of the latest cross-checked result: shown in JSON and
 * text, cleared by a clean cross-check, kept by a failed poll and by a
 * result that was not cross-checked.
 */
static void
test_crosscheck(void **state)
{
	struct db		*db;
	struct dev_facts	 f;
	struct crosscheck	 cc;
	char			*got, err[256], buf[64];

	(void)state;
	db = open_mem();
	mx_facts(&f, "JN1", "21.4R3-S5.4", 1);
	memset(&cc, 0, sizeof(cc));
	cc_set(&cc, "serial", "JN1", "JN9");
	cc_set(&cc, "version", "21.4R3-S5.4", "21.4R3-S6.2");
	/* Stored in protocol order, whatever order given. */
	store2(db, scan(db), POLL_OK, &f, &cc, "netconf,snmp");
	got = capture(db, 0, DB_FMT_JSON);
	assert_non_null(strstr(got, "\"last_scan\":1," CC_JSON));
	free(got);
	assert_string_equal(sql_text(db, "SELECT seen_at FROM crosschecks "
	    "WHERE field = 'version'", buf, sizeof(buf)), T1S);
	assert_output(db, 0, DB_FMT_TEXT,
	    "ADDRESS        HOSTNAME  MODEL  SERIAL  VERSION      STATUS\n"
	    "  KIND       NAME     SERIAL    PART NUMBER  MODEL         "
	    "DESCRIPTION\n"
	    "192.0.2.1:161  r1        MX480  JN1     21.4R3-S5.4  "
	    "ok MISMATCH(serial,version)\n"
	    "  ! serial: snmp JN1, netconf JN9\n"
	    "  ! version: snmp 21.4R3-S5.4, netconf 21.4R3-S6.2\n"
	    "  chassis    Chassis  JN1       -            MX480         "
	    "MX480\n"
	    "  component  FPC 0    CAAB1234  750-056519   MPC7E-10G     "
	    "MPC7E 3D 40XGE\n"
	    "  component  PIC 0    -         -            -             "
	    "10x10GE SFPP\n"
	    "  component  Xcvr 0   X1        740-021308   SFPP-10GE-SR  "
	    "SFP+-10G-SR\n"
	    "1 device (1 ok, 0 partial, 0 failed), 4 items (3 serialized, "
	    "1 not serialized); 1 device where SNMP and NETCONF disagree\n");

	/* A failed poll keeps them, even if handed a cross-check. */
	fake_now = T2;
	memset(&cc, 0, sizeof(cc));
	store2(db, scan(db), POLL_TIMEOUT, NULL, &cc, "snmp,netconf");
	got = capture(db, 0, DB_FMT_JSON);
	assert_non_null(strstr(got, "\"last_scan\":2," CC_JSON));
	free(got);
	got = capture(db, 0, DB_FMT_TEXT);
	assert_non_null(strstr(got, "  timeout MISMATCH(serial,version): "
	    "it broke\n  ! serial: snmp JN1, netconf JN9\n"));
	free(got);

	/* Only SNMP answered: nothing was cross-checked, the last stays. */
	fake_now = T3;
	store2(db, scan(db), POLL_OK, &f, NULL, "snmp");
	got = capture(db, 0, DB_FMT_JSON);
	assert_non_null(strstr(got, "\"last_scan\":3,\"protocols\":"
	    "[\"snmp\"],\"crosscheck\":[{\"field\":\"serial\""));
	free(got);

	/* Both answered and agree: cleared. */
	fake_now = T3 + 3600;
	store2(db, scan(db), POLL_OK, &f, &cc, "snmp,netconf");
	got = capture(db, 0, DB_FMT_JSON);
	assert_non_null(strstr(got, "\"last_scan\":4,\"protocols\":"
	    "[\"snmp\",\"netconf\"],\"crosscheck\":[],\"items\":["));
	free(got);
	got = capture(db, 0, DB_FMT_TEXT);
	assert_null(strstr(got, "MISMATCH"));
	assert_null(strstr(got, "disagree"));
	free(got);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM crosschecks"), 0);

	/* A partial result cross-checked: its conflicts are the latest. */
	cc_set(&cc, "members", "8", "7");
	store2(db, scan(db), POLL_PARTIAL, &f, &cc, "snmp,netconf");
	assert_string_equal(sql_text(db, "SELECT field || ' ' || snmp_value "
	    "|| ' ' || netconf_value || ' ' || scan_id FROM crosschecks",
	    buf, sizeof(buf)), "members 8 7 5");
	/* NULL protocols keep the device's. */
	store2(db, scan(db), POLL_OK, &f, NULL, NULL);
	assert_string_equal(sql_text(db, "SELECT protocols FROM devices",
	    buf, sizeof(buf)), "snmp,netconf");

	/* Refused, and nothing stored. */
	assert_int_equal(db_store_result2(db, 1, ADDR, POLL_OK, NULL, &f,
	    NULL, "snmp,ssh", -1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown protocol \"ssh\""));
	cc.n = CC_MAX + 1;
	assert_int_equal(db_store_result2(db, 1, ADDR, POLL_OK, NULL, &f,
	    &cc, "snmp", -1, err, sizeof(err)), -1);
	memset(&cc, 0, sizeof(cc));
	cc.n = 1;
	assert_int_equal(db_store_result2(db, 1, ADDR, POLL_OK, NULL, &f,
	    &cc, "snmp", -1, err, sizeof(err)), -1);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM scan_results"), 6);
	facts_free(&f);
	db_close(db);
}

/*
 * items.sources is every protocol that reported the item, in protocol
 * order: a merged item's "snmp,netconf" is split into the set, and a
 * later poll by one protocol does not shrink it.
 */
static void
test_sources_union(void **state)
{
	struct db		*db;
	struct dev_facts	 snmp, nc;
	struct crosscheck	 cc;
	struct item		*it;
	char			 buf[256], *got;

	(void)state;
	db = open_mem();
	mx_facts(&snmp, "JN1", "21.4R3-S5.4", 1);
	fact_strlcpy(snmp.items[1].source_ref, "jnxContentsSerialNo.7.1.0.0",
	    sizeof(snmp.items[1].source_ref));
	facts_init(&nc);
	fact_strlcpy(nc.version, "21.4R3-S5.4", sizeof(nc.version));
	fact_strlcpy(nc.serial, "JN1", sizeof(nc.serial));
	nc.os = OS_JUNOS;
	it = add(&nc, ITEM_CHASSIS, -1, "Chassis", "JN1", "", "MX480", "");
	fact_strlcpy(it->source, "netconf", sizeof(it->source));
	it = add(&nc, ITEM_COMPONENT, 0, "FPC 0 (MPC7E)", "CAAB1234", "", "",
	    "");
	fact_strlcpy(it->source, "netconf", sizeof(it->source));
	fact_strlcpy(it->source_ref, "get-chassis-inventory:FPC 0",
	    sizeof(it->source_ref));
	/* Only NETCONF sees this one. */
	it = add(&nc, ITEM_COMPONENT, 1, "MIC 0", "MIC1", "750-028387", "",
	    "");
	fact_strlcpy(it->source, "netconf", sizeof(it->source));
	assert_int_equal(facts_merge(&snmp, &nc, &cc), 0);
	assert_int_equal(cc.n, 0);
	store2(db, scan(db), POLL_OK, &snmp, &cc, "snmp,netconf");
	got = capture(db, 0, DB_FMT_JSON);
	assert_non_null(strstr(got, "\"name\":\"FPC 0\",\"serial\":"
	    "\"CAAB1234\","));
	assert_non_null(strstr(got, "\"parent_serial\":\"JN1\",\"sources\":"
	    "[\"snmp\",\"netconf\"],\"source_ref\":\"jnxContentsSerialNo."
	    "7.1.0.0 | get-chassis-inventory:FPC 0\","));
	assert_non_null(strstr(got, "\"name\":\"MIC 0\",\"serial\":\"MIC1\","));
	assert_non_null(strstr(got, "\"parent_serial\":\"CAAB1234\","
	    "\"sources\":[\"netconf\"],"));
	free(got);
	assert_string_equal(sql_text(db, "SELECT group_concat(name || '=' || "
	    "sources, ' ') FROM (SELECT * FROM items ORDER BY id)", buf,
	    sizeof(buf)), "Chassis=snmp,netconf FPC 0=snmp,netconf "
	    "PIC 0=snmp Xcvr 0=snmp MIC 0=netconf");

	/* SNMP alone next time: the sets stay; the MIC is gone. */
	fake_now = T2;
	facts_free(&snmp);
	mx_facts(&snmp, "JN1", "21.4R3-S5.4", 1);
	store2(db, scan(db), POLL_OK, &snmp, NULL, "snmp");
	/* NETCONF alone (SNMP failed): merge of an empty side is a copy. */
	fake_now = T3;
	facts_free(&snmp);
	facts_init(&snmp);
	assert_int_equal(facts_merge(&snmp, &nc, &cc), 0);
	store2(db, scan(db), POLL_OK, &snmp, NULL, "netconf");
	/* (A serialized item takes the name of its latest report.) */
	assert_string_equal(sql_text(db, "SELECT group_concat(name || '=' || "
	    "sources, ' ') FROM (SELECT * FROM items ORDER BY id)", buf,
	    sizeof(buf)), "Chassis=snmp,netconf FPC 0 (MPC7E)=snmp,netconf "
	    "PIC 0=snmp Xcvr 0=snmp MIC 0=netconf");
	assert_string_equal(sql_text(db, "SELECT protocols FROM devices",
	    buf, sizeof(buf)), "netconf");
	/* An item first seen by NETCONF and then SNMP: protocol order. */
	assert_string_equal(sql_text(db, "SELECT name FROM items WHERE "
	    "gone_scan IS NULL AND serial = 'MIC1'", buf, sizeof(buf)),
	    "MIC 0");
	facts_free(&snmp);
	facts_init(&snmp);
	it = add(&snmp, ITEM_COMPONENT, -1, "MIC 0", "MIC1", "", "", "");
	store2(db, scan(db), POLL_PARTIAL, &snmp, NULL, "snmp");
	assert_string_equal(sql_text(db, "SELECT sources FROM items WHERE "
	    "serial = 'MIC1'", buf, sizeof(buf)), "snmp,netconf");
	facts_free(&snmp);
	facts_free(&nc);
	db_close(db);
}

/* One integer from SQL on a second, read-only connection to path. */
static int64_t
other_int(const char *path, const char *sql)
{
	sqlite3		*h;
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return (v);
}

static struct db *
open_file(const char *path)
{
	struct db	*db;
	char		 err[256];

	if ((db = db_open(path, err, sizeof(err))) == NULL)
		fail_msg("db_open: %s", err);
	db_set_clock(db, fake_clock);
	return (db);
}

/*
 * Group commit: results in a batch are invisible to other connections
 * until the batch commits; a result whose store fails half-way (here a
 * trigger refuses its second item, after its device, scan row and
 * chassis were written) is rolled back alone, and the results before
 * and after it in the batch are kept.
 */
static void
test_batch_rollback_one(void **state)
{
	struct db	*db;
	struct dev_facts f, bad;
	char		 path[64], err[256], addr[32];
	int64_t		 s;
	int		 i;

	(void)state;
	temp_path(path, sizeof(path));
	db = open_file(path);
	s = scan(db);
	assert_int_equal(db_batch_begin(db, 0, 1000), -1);
	assert_int_equal(db_batch_begin(db, 100, 3600 * 1000), 0);
	/* After db_batch_begin(): changing temp_store drops temp triggers. */
	assert_int_equal(sqlite3_exec(db->h, "CREATE TEMP TRIGGER boom "
	    "BEFORE INSERT ON items WHEN NEW.serial = 'BOOM' "
	    "BEGIN SELECT RAISE(ABORT, 'boom'); END", NULL, NULL, NULL),
	    SQLITE_OK);
	mx_facts(&bad, "JNBAD", "21.4R3-S5.4", 0);
	fact_strlcpy(bad.items[1].serial, "BOOM", sizeof(bad.items[1].serial));
	for (i = 0; i < 5; i++) {
		snprintf(addr, sizeof(addr), "192.0.2.%d:161", i + 1);
		if (i == 2) {
			assert_int_equal(db_store_result(db, s, addr, POLL_OK,
			    NULL, &bad, err, sizeof(err)), -1);
			assert_non_null(strstr(err, "boom"));
			assert_null(strstr(err, "not saved"));
			continue;
		}
		mx_facts(&f, i == 0 ? "JN0" : i == 1 ? "JN1" : i == 3 ?
		    "JN3" : "JN4", "21.4R3-S5.4", 1);
		if (db_store_result(db, s, addr, POLL_OK, NULL, &f, err,
		    sizeof(err)) == -1)
			fail_msg("store %d: %s", i, err);
		facts_free(&f);
	}
	facts_free(&bad);
	assert_int_equal(db_batch_pending(db), 4);
	/* Not committed yet: another connection sees none of them. */
	assert_int_equal(other_int(path, "SELECT count(*) FROM devices"), 0);
	assert_int_equal(db_batch_tick(db, err, sizeof(err)), 0);
	assert_int_equal(db_batch_pending(db), 4);
	assert_int_equal(db_batch_end(db, err, sizeof(err)), 0);
	assert_int_equal(db_batch_pending(db), 0);
	assert_int_equal(other_int(path, "SELECT count(*) FROM devices"), 4);
	assert_int_equal(other_int(path, "SELECT count(*) FROM scan_results"),
	    4);
	assert_int_equal(other_int(path, "SELECT count(*) FROM items"), 16);
	assert_int_equal(other_int(path, "SELECT count(*) FROM devices "
	    "WHERE address = '192.0.2.3:161'"), 0);
	assert_int_equal(other_int(path, "SELECT count(*) FROM items "
	    "WHERE serial IN ('JNBAD', 'CAAB1234') AND device_id = (SELECT id "
	    "FROM devices WHERE address = '192.0.2.3:161')"), 0);
	/* After the batch, a result is its own transaction again. */
	mx_facts(&f, "JN9", "21.4R3-S5.4", 1);
	store(db, s, "192.0.2.9:161", POLL_OK, NULL, &f);
	facts_free(&f);
	assert_int_equal(other_int(path, "SELECT count(*) FROM devices"), 5);
	db_close(db);
	temp_remove(path);
}

/*
 * What a stop (SIGTERM) relies on: db_batch_end() commits the results
 * stored so far, and they survive the process.  A batch is also
 * committed when it is full or old (db_batch_tick()); one that is never
 * ended is lost with the process, which is the documented trade-off.
 */
static void
test_batch_end_keeps(void **state)
{
	struct db	*db;
	struct dev_facts f;
	char		 path[64], err[256], addr[32];
	int64_t		 s;
	int		 i;

	(void)state;
	temp_path(path, sizeof(path));
	db = open_file(path);
	s = scan(db);
	assert_int_equal(db_batch_begin(db, 3, 3600 * 1000), 0);
	mx_facts(&f, "JNX", "21.4R3-S5.4", 1);
	for (i = 0; i < 5; i++) {
		snprintf(addr, sizeof(addr), "192.0.2.%d:161", i + 1);
		f.items[0].serial[2] = (char)('a' + i);
		if (db_store_result(db, s, addr, i == 4 ? POLL_TIMEOUT :
		    POLL_OK, i == 4 ? "no answer" : NULL, i == 4 ? NULL : &f,
		    err, sizeof(err)) == -1)
			fail_msg("store %d: %s", i, err);
	}
	facts_free(&f);
	/* The third result filled the batch: three committed, two open. */
	assert_int_equal(db_batch_pending(db), 2);
	assert_int_equal(other_int(path, "SELECT count(*) FROM devices"), 3);
	assert_int_equal(db_batch_end(db, err, sizeof(err)), 0);
	db_close(db);
	assert_int_equal(other_int(path, "SELECT count(*) FROM devices"), 5);
	assert_int_equal(other_int(path, "SELECT count(*) FROM scan_results "
	    "WHERE status = 'timeout'"), 1);

	/* An old batch is committed by a tick, with nothing else stored. */
	db = open_file(path);
	assert_int_equal(db_batch_begin(db, 100, 0), 0);
	assert_int_equal(db_store_result(db, s, "192.0.2.6:161", POLL_TIMEOUT,
	    "no answer", NULL, err, sizeof(err)), 0);
	assert_int_equal(db_batch_pending(db), 0);	/* max_ms 0: at once */
	assert_int_equal(db_batch_tick(db, err, sizeof(err)), 0);
	assert_int_equal(other_int(path, "SELECT count(*) FROM devices"), 6);

	/* Never ended: the open batch dies with the handle. */
	assert_int_equal(db_batch_end(db, err, sizeof(err)), 0);
	assert_int_equal(db_batch_begin(db, 100, 3600 * 1000), 0);
	assert_int_equal(db_store_result(db, s, "192.0.2.7:161", POLL_TIMEOUT,
	    "no answer", NULL, err, sizeof(err)), 0);
	assert_int_equal(db_batch_pending(db), 1);
	db_close(db);
	assert_int_equal(other_int(path, "SELECT count(*) FROM devices"), 6);
	temp_remove(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_from_empty),
		cmocka_unit_test(test_checks_without_in),
		cmocka_unit_test(test_open_memory),
		cmocka_unit_test(test_wal_file),
		cmocka_unit_test(test_newer_refused),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_empty_inventory),
		cmocka_unit_test(test_roundtrip_json),
		cmocka_unit_test(test_inventory_text),
		cmocka_unit_test(test_seen_again),
		cmocka_unit_test(test_gone_in_complete_poll),
		cmocka_unit_test(test_not_gone_in_partial_poll),
		cmocka_unit_test(test_failed_poll_changes_only_status),
		cmocka_unit_test(test_failed_first_poll),
		cmocka_unit_test(test_chassis_replaced),
		cmocka_unit_test(test_chassis_replaced_partial),
		cmocka_unit_test(test_upgraded),
		cmocka_unit_test(test_returned),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_scan_print),
		cmocka_unit_test(test_address_order),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_migrate_v1),
		cmocka_unit_test(test_crosscheck),
		cmocka_unit_test(test_sources_union),
		cmocka_unit_test(test_batch_rollback_one),
		cmocka_unit_test(test_batch_end_keeps),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
