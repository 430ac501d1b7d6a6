/*
 * db.c: the database handle.  Opening (pragmas, migrations), the cache of
 * prepared statements the store uses on every device, the clock, and the
 * scans table.  The per-device store is in db_store.c and the reports in
 * db_print.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "db_int.h"

/*
 * How long a writer waits for another connection's lock (a report being
 * read in WAL mode never blocks us; a second writer would).
 */
#define DB_BUSY_MS	5000

/*
 * SQL of the cached statements.  Parameters are numbered so that one
 * binding helper serves statements that share a shape (db_store.c binds
 * items the same way for insert, update and merge).
 */
static const char *const stmt_sql[ST__COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_SAVEPOINT] = "SAVEPOINT result",
	[ST_RELEASE] = "RELEASE result",
	[ST_ROLLBACK_TO] = "ROLLBACK TO result",
	[ST_SCAN_BEGIN] =
	    "INSERT INTO scans (started, argv) VALUES (?1, ?2)",
	[ST_SCAN_END] =
	    "UPDATE scans SET finished = ?2, ndevices = ?3, nok = ?4, "
	    "nfailed = ?5 WHERE id = ?1",
	[ST_DEV_GET] =
	    "SELECT id, version FROM devices WHERE address = ?1",
	[ST_DEV_INSERT] =
	    "INSERT INTO devices (address, sort_key) VALUES (?1, ?2)",
	[ST_DEV_FAILED] =
	    "UPDATE devices SET last_scan = ?2, last_status = ?3, "
	    "last_error = ?4 WHERE id = ?1",
	/*
	 * ?14 is 1 for a complete poll: what it did not report is really
	 * empty.  A partial poll keeps the old value of what it missed.
	 * ?15, the protocols, is NULL when the caller did not say.
	 */
	[ST_DEV_SEEN] =
	    "UPDATE devices SET "
	    "hostname = CASE WHEN ?14 THEN ?2 ELSE coalesce(?2, hostname) END, "
	    "model = CASE WHEN ?14 THEN ?3 ELSE coalesce(?3, model) END, "
	    "serial = CASE WHEN ?14 THEN ?4 ELSE coalesce(?4, serial) END, "
	    "version = CASE WHEN ?14 THEN ?5 ELSE coalesce(?5, version) END, "
	    "os = CASE WHEN ?14 THEN ?6 ELSE coalesce(?6, os) END, "
	    "sys_descr = CASE WHEN ?14 THEN ?7 "
	    "    ELSE coalesce(?7, sys_descr) END, "
	    "sys_object_id = CASE WHEN ?14 THEN ?8 "
	    "    ELSE coalesce(?8, sys_object_id) END, "
	    "location = CASE WHEN ?14 THEN ?9 ELSE coalesce(?9, location) END, "
	    "first_seen = coalesce(first_seen, ?10), last_seen = ?10, "
	    "last_scan = ?11, last_status = ?12, last_error = ?13, "
	    "last_ok_scan = CASE WHEN ?14 THEN ?11 ELSE last_ok_scan END, "
	    "protocols = coalesce(?15, protocols) "
	    "WHERE id = ?1",
	[ST_RESULT_INSERT] =
	    "INSERT INTO scan_results (scan_id, device_id, time, status, "
	    "error, duration_ms, nitems) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_ITEM_BY_SERIAL] =
	    "SELECT id, gone_at, last_result, version, sources FROM items "
	    "WHERE device_id = ?1 AND serialized = 1 AND serial = ?2",
	[ST_ITEM_BY_NAME] =
	    "SELECT id, gone_at, last_result, version, sources FROM items "
	    "WHERE device_id = ?1 AND serialized = 0 AND kind = ?2 "
	    "AND name = ?3",
	/* Items: ?1 device (insert) or item id, ?2..?15 fields, ?16 now,
	 * ?17 scan, ?18 result. */
	[ST_ITEM_INSERT] =
	    "INSERT INTO items (device_id, kind, name, serial, serialized, "
	    "part_number, model, description, revision, clei, version, role, "
	    "parent_id, sources, source_ref, first_seen, last_seen, "
	    "first_scan, last_scan, last_result) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17, ?17, "
	    "?18)",
	[ST_ITEM_UPDATE] =
	    "UPDATE items SET kind = ?2, name = ?3, part_number = ?6, "
	    "model = ?7, description = ?8, revision = ?9, clei = ?10, "
	    "version = ?11, role = ?12, parent_id = ?13, sources = ?14, "
	    "source_ref = ?15, last_seen = ?16, last_scan = ?17, "
	    "last_result = ?18, gone_scan = NULL, gone_at = NULL "
	    "WHERE id = ?1",
	/* Second sighting in one poll: the first one wins, gaps are filled. */
	[ST_ITEM_MERGE] =
	    "UPDATE items SET part_number = coalesce(part_number, ?6), "
	    "model = coalesce(model, ?7), "
	    "description = coalesce(description, ?8), "
	    "revision = coalesce(revision, ?9), clei = coalesce(clei, ?10), "
	    "version = coalesce(version, ?11), role = coalesce(role, ?12), "
	    "sources = ?14, source_ref = coalesce(source_ref, ?15), "
	    "last_seen = ?16, last_scan = ?17, last_result = ?18 "
	    "WHERE id = ?1",
	[ST_ITEM_PARENT] =
	    "UPDATE items SET parent_id = ?2 WHERE id = ?1",
	[ST_ITEM_GONE] =
	    "UPDATE items SET gone_scan = ?2, gone_at = ?3 WHERE id = ?1",
	[ST_CHASSIS_MISSED] =
	    "SELECT id, serial FROM items WHERE device_id = ?1 "
	    "AND kind = 'chassis' AND serialized = 1 AND gone_scan IS NULL "
	    "AND last_result <> ?2 ORDER BY id LIMIT 1",
	[ST_EVENT_INSERT] =
	    "INSERT INTO events (device_id, item_id, scan_id, time, kind, "
	    "old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* The identity as event() stores it: "" binds as NULL. */
	[ST_NEW_EVENTS] =
	    "INSERT INTO events (device_id, item_id, scan_id, time, kind, "
	    "new_value) SELECT device_id, id, ?2, ?3, 'new', "
	    "coalesce(serial, nullif(name, '')) FROM items "
	    "WHERE device_id = ?1 ORDER BY id",
	[ST_GONE_EVENTS] =
	    "INSERT INTO events (device_id, item_id, scan_id, time, kind, "
	    "old_value) SELECT device_id, id, ?3, ?4, 'gone', "
	    "coalesce(serial, name) FROM items WHERE device_id = ?1 "
	    "AND gone_scan IS NULL AND last_result <> ?2 ORDER BY id",
	[ST_GONE_MARK] =
	    "UPDATE items SET gone_scan = ?3, gone_at = ?4 WHERE device_id = ?1 "
	    "AND gone_scan IS NULL AND last_result <> ?2",
	[ST_CC_CLEAR] =
	    "DELETE FROM crosschecks WHERE device_id = ?1",
	[ST_CC_INSERT] =
	    "INSERT INTO crosschecks (device_id, scan_id, field, snmp_value, "
	    "netconf_value, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

const char *
db_status_str(enum poll_status s)
{
	switch (s) {
	case POLL_OK:
		return ("ok");
	case POLL_PARTIAL:
		return ("partial");
	case POLL_TIMEOUT:
		return ("timeout");
	case POLL_AUTH:
		return ("auth");
	case POLL_REFUSED:
		return ("refused");
	case POLL_BADREPLY:
		return ("badreply");
	case POLL_ERROR:
		break;
	}
	return ("error");
}

const char *
db_kind_str(enum item_kind k)
{
	switch (k) {
	case ITEM_CHASSIS:
		return ("chassis");
	case ITEM_MEMBER:
		return ("member");
	case ITEM_COMPONENT:
		break;
	}
	return ("component");
}

const char *
db_os_str(enum dev_os os)
{
	switch (os) {
	case OS_JUNOS:
		return ("junos");
	case OS_JUNOS_EVO:
		return ("junos-evolved");
	case OS_OTHER:
		return ("other");
	case OS_UNKNOWN:
		break;
	}
	return ("unknown");
}

int
db_fail(struct db *db, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db->h));
	return (-1);
}

int
db_prepare(struct db *db, const char *sql, sqlite3_stmt **st,
    const char *what, char *err, size_t errlen)
{
	if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK)
		return (db_fail(db, what, err, errlen));
	return (0);
}

sqlite3_stmt *
db_stmt(struct db *db, enum db_stmt id, char *err, size_t errlen)
{
	if (db->st[id] == NULL && sqlite3_prepare_v3(db->h, stmt_sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &db->st[id], NULL) != SQLITE_OK) {
		db_fail(db, "preparing statement", err, errlen);
		return (NULL);
	}
	return (db->st[id]);
}

void
db_stmt_done(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

uint64_t
db_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

void
db_now(struct db *db, char buf[DB_TIME_LEN])
{
	struct tm	tm;
	time_t		t;

	t = db->clock != NULL ? db->clock() : time(NULL);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, DB_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		/* Only a time_t beyond year 9999 gets here. */
		snprintf(buf, DB_TIME_LEN, "9999-12-31T23:59:59Z");
}

void
db_set_clock(struct db *db, db_clock_fn *fn)
{
	db->clock = fn;
}

/* Run a pragma that returns one row and copy its first column to out. */
static int
pragma(struct db *db, const char *sql, char *out, size_t outlen, char *err,
    size_t errlen)
{
	sqlite3_stmt		*st;
	const unsigned char	*v;
	int			 rc;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return (db_fail(db, sql, err, errlen));
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, sql, err, errlen);
		sqlite3_finalize(st);
		return (-1);
	}
	if (out != NULL) {
		v = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
		snprintf(out, outlen, "%s", v != NULL ? (const char *)v : "");
	}
	sqlite3_finalize(st);
	return (0);
}

struct db *
db_open(const char *path, char *err, size_t errlen)
{
	struct db	*db;
	char		 v[32], msg[256];

	if ((db = calloc(1, sizeof(*db))) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	/*
	 * No allocation statistics (a global mutex around every malloc of
	 * SQLite's; nothing here reads them), and no mutex on a connection
	 * that only one thread uses at a time (see db.h).  The first must
	 * come before SQLite initialises; later calls fail harmlessly.
	 */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* Savepoint journals in memory up to this: db_batch_begin(). */
	(void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, DB_SUBJOURNAL_SPILL);
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db->h != NULL ?
		    sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, DB_BUSY_MS);

	/* Off by default in SQLite, per connection, outside transactions. */
	if (pragma(db, "PRAGMA foreign_keys = ON", NULL, 0, msg,
	    sizeof(msg)) == -1 ||
	    pragma(db, "PRAGMA foreign_keys", v, sizeof(v), msg,
	    sizeof(msg)) == -1) {
		snprintf(err, errlen, "%s: %s", path, msg);
		goto fail;
	}
	if (strcmp(v, "1") != 0) {
		snprintf(err, errlen, "%s: this SQLite cannot enforce foreign "
		    "keys", path);
		goto fail;
	}
	/*
	 * Migrate before switching the journal mode, so that a database
	 * from a newer build is refused before we change anything in it.
	 */
	if (db_migrate(db->h, db_schema_version(), msg, sizeof(msg)) == -1) {
		snprintf(err, errlen, "%s: %s", path, msg);
		goto fail;
	}
	/*
	 * WAL: reports read while a scan writes.  The mode is stored in the
	 * file; a memory database answers "memory" and that is fine.
	 */
	if (pragma(db, "PRAGMA journal_mode = WAL", v, sizeof(v), msg,
	    sizeof(msg)) == -1) {
		snprintf(err, errlen, "%s: %s", path, msg);
		goto fail;
	}
	if (strcmp(v, "wal") != 0 && strcmp(v, "memory") != 0) {
		snprintf(err, errlen, "%s: cannot use WAL journal mode (got "
		    "\"%s\"); is it on a network file system?", path, v);
		goto fail;
	}
	/* In WAL mode NORMAL is crash-safe; only power loss may lose the
	 * last commits, never consistency. */
	if (pragma(db, "PRAGMA synchronous = NORMAL", NULL, 0, msg,
	    sizeof(msg)) == -1) {
		snprintf(err, errlen, "%s: %s", path, msg);
		goto fail;
	}
	return (db);
fail:
	db_close(db);
	return (NULL);
}

void
db_close(struct db *db)
{
	int	i;

	if (db == NULL)
		return;
	for (i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(db->st[i]);
	/* sqlite3_close(NULL) is a harmless no-op. */
	sqlite3_close(db->h);
	free(db);
}

int
db_scan_begin(struct db *db, const char *argv_summary, int64_t *scan_id,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 now[DB_TIME_LEN];
	int		 rc;

	if ((st = db_stmt(db, ST_SCAN_BEGIN, err, errlen)) == NULL)
		return (-1);
	db_now(db, now);
	rc = sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, argv_summary != NULL ?
		    argv_summary : "", -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, "starting scan", err, errlen);
		db_stmt_done(st);
		return (-1);
	}
	*scan_id = sqlite3_last_insert_rowid(db->h);
	db_stmt_done(st);
	return (0);
}

int
db_scan_end(struct db *db, int64_t scan_id, unsigned int ndevices,
    unsigned int nok, unsigned int nfailed, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 now[DB_TIME_LEN];
	int		 rc;

	if ((st = db_stmt(db, ST_SCAN_END, err, errlen)) == NULL)
		return (-1);
	db_now(db, now);
	rc = sqlite3_bind_int64(st, 1, scan_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 3, ndevices);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 4, nok);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 5, nfailed);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, "ending scan", err, errlen);
		db_stmt_done(st);
		return (-1);
	}
	db_stmt_done(st);
	if (sqlite3_changes(db->h) != 1) {
		snprintf(err, errlen, "ending scan: no scan %lld",
		    (long long)scan_id);
		return (-1);
	}
	return (0);
}

int
db_device_count(struct db *db, int64_t *n, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM devices", -1,
	    &st, NULL) != SQLITE_OK)
		return (db_fail(db, "counting devices", err, errlen));
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_fail(db, "counting devices", err, errlen);
		goto done;
	}
	*n = sqlite3_column_int64(st, 0);
	rc = 0;
done:
	sqlite3_finalize(st);
	return (rc);
}
