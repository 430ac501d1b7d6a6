/*
 * db_alert.c: the alert state tables (alert.h).  Statements are prepared
 * per call: these run once per item per scan at most, beside a scan
 * that costs far more.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "alert.h"
#include "db_int.h"

static int
prep(struct db *db, const char *sql, sqlite3_stmt **st, char *err,
    size_t errlen)
{
	if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return (db_fail(db, "alert state", err, errlen));
	}
	return (0);
}

int
db_alert_state_get(struct db *db, const char *alert, int64_t item_id,
    char *buf, size_t len, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (prep(db, "SELECT state FROM alert_state WHERE alert = ?1 AND "
	    "item_id = ?2", &st, err, errlen) == -1)
		return (-1);
	sqlite3_bind_text(st, 1, alert, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, item_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = db_fail(db, "alert state", err, errlen);
	sqlite3_finalize(st);
	return (rc);
}

int
db_alert_state_put(struct db *db, const char *alert,
    const struct db_alert_state *v, size_t n, char *err, size_t errlen)
{
	sqlite3_stmt	*st = NULL;
	char		 now[DB_TIME_LEN];
	size_t		 i;

	if (n == 0)
		return (0);
	db_now(db, now);
	if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return (db_fail(db, "alert state", err, errlen));
	if (prep(db, "INSERT INTO alert_state (alert, item_id, state, updated) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (alert, item_id) DO UPDATE "
	    "SET state = excluded.state, updated = excluded.updated", &st, err,
	    errlen) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, alert, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, v[i].item_id);
		sqlite3_bind_text(st, 3, v[i].state, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(db, "alert state", err, errlen);
			goto fail;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(db, "alert state", err, errlen);
		goto fail;
	}
	return (0);
fail:
	sqlite3_finalize(st);
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	return (-1);
}

int
db_alert_mark_get(struct db *db, const char *alert, int64_t *id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (prep(db, "SELECT event_id FROM alert_marks WHERE alert = ?1", &st,
	    err, errlen) == -1)
		return (-1);
	sqlite3_bind_text(st, 1, alert, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return (1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return (db_fail(db, "alert marks", err, errlen));
	if (prep(db, "SELECT coalesce(max(id), 0) FROM events", &st, err,
	    errlen) == -1)
		return (-1);
	rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return (db_fail(db, "alert marks", err, errlen));
	return (0);
}

int
db_alert_mark_put(struct db *db, const char *alert, int64_t id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (prep(db, "INSERT INTO alert_marks (alert, event_id) VALUES (?1, ?2) "
	    "ON CONFLICT (alert) DO UPDATE SET event_id = excluded.event_id",
	    &st, err, errlen) == -1)
		return (-1);
	sqlite3_bind_text(st, 1, alert, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return (db_fail(db, "alert marks", err, errlen));
	return (0);
}

int
db_alert_events(struct db *db, const char *kind, int64_t after,
    db_alert_event_fn *fn, void *arg, char *err, size_t errlen)
{
	struct db_alert_event	 ev;
	sqlite3_stmt		*st;
	int			 rc, r = 0;

	if (prep(db, "SELECT e.id, e.time, d.address, d.hostname, e.kind, "
	    "e.old_value, e.new_value FROM events e JOIN devices d ON "
	    "d.id = e.device_id WHERE e.kind = ?1 AND e.id > ?2 ORDER BY e.id",
	    &st, err, errlen) == -1)
		return (-1);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&ev, 0, sizeof(ev));
		ev.id = sqlite3_column_int64(st, 0);
		ev.time = (const char *)sqlite3_column_text(st, 1);
		ev.address = (const char *)sqlite3_column_text(st, 2);
		ev.hostname = (const char *)sqlite3_column_text(st, 3);
		ev.kind = (const char *)sqlite3_column_text(st, 4);
		ev.old_value = (const char *)sqlite3_column_text(st, 5);
		ev.new_value = (const char *)sqlite3_column_text(st, 6);
		if ((r = fn(&ev, arg)) != 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_fail(db, "events", err, errlen);
	sqlite3_finalize(st);
	return (r);
}

int
db_alert_devices(struct db *db, db_alert_device_fn *fn, void *arg, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc, r = 0;

	if (prep(db, "SELECT address, last_status FROM devices", &st, err,
	    errlen) == -1)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((r = fn((const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1), arg)) != 0)
			break;
	if (r == 0 && rc != SQLITE_DONE)
		r = db_fail(db, "devices", err, errlen);
	sqlite3_finalize(st);
	return (r);
}
