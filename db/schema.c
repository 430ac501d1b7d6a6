/*
 * schema.c: the database schema as a list of forward migrations, and the
 * code that applies them.  PRAGMA user_version holds the number of steps
 * applied.  Steps are only ever appended: a released step is never edited,
 * because databases in the field have already run it.  A database with a
 * user_version above what this build knows is refused, never "repaired".
 *
 * Conventions of the stored data (docs/database.md has the full list):
 *  - times are ISO 8601 UTC text, "2026-11-22T10:00:00Z", so they sort;
 *  - an empty string from a device is stored as NULL;
 *  - enums are stored as the lower-case words of db_*_str() in db.c,
 *    guarded by CHECK constraints;
 *  - nothing is ever deleted by a scan: a missing item gets gone_scan and
 *    gone_at, and a 'gone' event.
 *
 * Item identity: a serialized item is (device_id, serial); a
 * not-serialized one is (device_id, kind, name).  Two partial unique
 * indexes enforce that.
 *
 * Versions: 1 the install base (issue 2); 2 protocols and SNMP/NETCONF
 * cross-checks (issue 3); 3 imported entitlement data (issue 5); 4 the
 * daemon's alert state (issue 7); 5 and 6 indexes for coverage (issue 5);
 * 7 CHECK constraints without IN lists (issue 4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

static const char *const migrations[] = {
	/* 1: the initial schema. */
	"CREATE TABLE scans ("
	"  id		INTEGER PRIMARY KEY,"
	"  started	TEXT NOT NULL,"
	"  finished	TEXT,"			/* NULL: running, or died */
	"  argv		TEXT NOT NULL DEFAULT '',"	/* no secrets */
	"  ndevices	INTEGER,"
	"  nok		INTEGER,"
	"  nfailed	INTEGER"
	");"
	"CREATE TABLE devices ("
	"  id		INTEGER PRIMARY KEY,"
	"  address	TEXT NOT NULL UNIQUE,"	/* ip:port */
	"  sort_key	BLOB NOT NULL,"		/* address in numeric order */
	"  hostname	TEXT,"
	"  model	TEXT,"
	"  serial	TEXT,"			/* chassis serial */
	"  version	TEXT,"			/* Junos version */
	"  os		TEXT CHECK (os IN"
	"		    ('unknown','junos','junos-evolved','other')),"
	"  sys_descr	TEXT,"
	"  sys_object_id TEXT,"
	"  location	TEXT,"
	"  first_seen	TEXT,"			/* first poll that answered */
	"  last_seen	TEXT,"			/* last poll that answered */
	"  last_scan	INTEGER REFERENCES scans(id),"	/* any outcome */
	"  last_status	TEXT CHECK (last_status IN ('ok','partial',"
	"		    'timeout','auth','refused','badreply','error')),"
	"  last_error	TEXT,"
	"  last_ok_scan	INTEGER REFERENCES scans(id)"	/* last POLL_OK */
	");"
	"CREATE TABLE scan_results ("
	"  id		INTEGER PRIMARY KEY,"
	"  scan_id	INTEGER NOT NULL REFERENCES scans(id),"
	"  device_id	INTEGER NOT NULL REFERENCES devices(id),"
	"  time		TEXT NOT NULL,"
	"  status	TEXT NOT NULL CHECK (status IN ('ok','partial',"
	"		    'timeout','auth','refused','badreply','error')),"
	"  error	TEXT,"
	"  duration_ms	INTEGER,"		/* NULL: not measured */
	"  nitems	INTEGER"		/* items reported; NULL: failed */
	");"
	"CREATE INDEX scan_results_scan ON scan_results(scan_id, device_id);"
	"CREATE INDEX scan_results_device ON scan_results(device_id);"
	"CREATE TABLE items ("
	"  id		INTEGER PRIMARY KEY,"
	"  device_id	INTEGER NOT NULL REFERENCES devices(id),"
	"  kind		TEXT NOT NULL CHECK (kind IN"
	"		    ('chassis','member','component')),"
	"  name		TEXT NOT NULL,"
	"  serial	TEXT,"			/* NULL: not serialized */
	"  serialized	INTEGER NOT NULL CHECK (serialized IN (0, 1)),"
	"  part_number	TEXT,"
	"  model	TEXT,"
	"  description	TEXT,"
	"  revision	TEXT,"
	"  clei		TEXT,"
	"  version	TEXT,"
	"  role		TEXT,"
	"  parent_id	INTEGER REFERENCES items(id),"
	"  sources	TEXT NOT NULL DEFAULT '',"	/* "netconf,snmp" */
	"  source_ref	TEXT,"			/* OID or RPC, last seen */
	"  first_seen	TEXT NOT NULL,"
	"  last_seen	TEXT NOT NULL,"
	"  first_scan	INTEGER NOT NULL REFERENCES scans(id),"
	"  last_scan	INTEGER NOT NULL REFERENCES scans(id),"
	"  last_result	INTEGER NOT NULL REFERENCES scan_results(id),"
	"  gone_scan	INTEGER REFERENCES scans(id),"	/* NULL: present */
	"  gone_at	TEXT,"
	"  CHECK ((serial IS NOT NULL) = (serialized = 1)),"
	"  CHECK ((gone_scan IS NULL) = (gone_at IS NULL))"
	");"
	"CREATE UNIQUE INDEX items_by_serial ON items(device_id, serial)"
	"  WHERE serialized = 1;"
	"CREATE UNIQUE INDEX items_by_name ON items(device_id, kind, name)"
	"  WHERE serialized = 0;"
	"CREATE INDEX items_device ON items(device_id, gone_scan);"
	"CREATE INDEX items_serial ON items(serial);"
	"CREATE INDEX items_parent ON items(parent_id);"
	"CREATE TABLE events ("
	"  id		INTEGER PRIMARY KEY,"
	"  device_id	INTEGER NOT NULL REFERENCES devices(id),"
	"  item_id	INTEGER REFERENCES items(id),"	/* NULL: the device */
	"  scan_id	INTEGER REFERENCES scans(id),"
	"  time		TEXT NOT NULL,"
	"  kind		TEXT NOT NULL CHECK (kind IN"
	"		    ('new','gone','replaced','upgraded','returned')),"
	"  old_value	TEXT,"
	"  new_value	TEXT"
	");"
	"CREATE INDEX events_device ON events(device_id, id);"
	"CREATE INDEX events_item ON events(item_id);",

	/*
	 * 2: SNMP and NETCONF results merged (issue 3).  devices.protocols
	 * is the set of protocols of the device's last answered result;
	 * every answer before this step came from SNMP.  crosschecks holds
	 * where SNMP and NETCONF disagreed in the device's latest result
	 * that was cross-checked: each such result replaces the device's
	 * rows, a failed poll leaves them.  field is an open set ("serial",
	 * "version", "members"), so no CHECK: a new field must not need a
	 * table rebuild.
	 */
	"ALTER TABLE devices ADD COLUMN protocols TEXT;"	/* "snmp,netconf" */
	"UPDATE devices SET protocols = 'snmp' WHERE last_seen IS NOT NULL;"
	"CREATE TABLE crosschecks ("
	"  id		INTEGER PRIMARY KEY,"
	"  device_id	INTEGER NOT NULL REFERENCES devices(id),"
	"  scan_id	INTEGER NOT NULL REFERENCES scans(id),"
	"  field	TEXT NOT NULL,"
	"  snmp_value	TEXT,"
	"  netconf_value TEXT,"
	"  seen_at	TEXT NOT NULL"
	");"
	"CREATE INDEX crosschecks_device ON crosschecks(device_id, id);",

	/*
	 * 3: entitlement data from `ibagent import KIND FILE` (issue 5).
	 * imports has one row per (kind, source): the latest import of that
	 * file, with a fingerprint of its rows.  Each kind's table holds the
	 * rows of entitlement/import.h as they were normalised, plus where
	 * each came from (source, line).  An import replaces the rows of its
	 * kind and source and no others.  Dates are ISO 'YYYY-MM-DD' text
	 * (NULL: empty cell), money is integer cents, pattern lists are ';'
	 * joined, enums are the canonical words of import.h.
	 */
	"CREATE TABLE imports ("
	"  id		INTEGER PRIMARY KEY,"
	"  kind		TEXT NOT NULL CHECK (kind IN ('contracts',"
	"		    'hw-lifecycle','sw-lifecycle','cpo','warranty',"
	"		    'registrations')),"
	"  source	TEXT NOT NULL,"		/* absolute path of the file */
	"  imported_at	TEXT NOT NULL,"
	"  rows		INTEGER NOT NULL,"
	"  fingerprint	TEXT NOT NULL,"		/* of the normalised rows */
	"  UNIQUE (kind, source)"
	");"
	"CREATE TABLE contracts ("
	"  id		INTEGER PRIMARY KEY,"
	"  source	TEXT NOT NULL,"
	"  line		INTEGER NOT NULL,"
	"  contract_id	TEXT NOT NULL,"
	"  serial	TEXT NOT NULL,"
	"  sku		TEXT,"
	"  level	TEXT,"
	"  start_date	TEXT NOT NULL,"
	"  end_date	TEXT NOT NULL CHECK (end_date >= start_date),"
	"  site		TEXT,"
	"  customer	TEXT,"
	"  price_cents	INTEGER,"
	"  currency	TEXT"
	");"
	"CREATE INDEX contracts_serial ON contracts(serial);"
	"CREATE INDEX contracts_source ON contracts(source);"
	"CREATE TABLE hw_lifecycle ("
	"  id		INTEGER PRIMARY KEY,"
	"  source	TEXT NOT NULL,"
	"  line		INTEGER NOT NULL,"
	"  models	TEXT,"			/* 'EX4300-*;EX4300-48T' */
	"  parts	TEXT,"			/* '740-012345;740-0*' */
	"  psn		TEXT,"
	"  description	TEXT,"
	"  announce_date TEXT,"
	"  last_order_date TEXT,"
	"  convert_by_date TEXT,"
	"  same_day_end_date TEXT,"
	"  next_day_end_date TEXT,"
	"  sw_end_date	TEXT,"
	"  eos_date	TEXT,"
	"  replacement	TEXT,"
	"  CHECK (models IS NOT NULL OR parts IS NOT NULL)"
	");"
	"CREATE INDEX hw_lifecycle_source ON hw_lifecycle(source);"
	"CREATE TABLE sw_lifecycle ("
	"  id		INTEGER PRIMARY KEY,"
	"  source	TEXT NOT NULL,"
	"  line		INTEGER NOT NULL,"
	"  train	TEXT NOT NULL,"
	"  first_release_date TEXT,"
	"  eoe_date	TEXT,"
	"  eos_date	TEXT,"
	"  release_type	TEXT CHECK (release_type IN ('EOL','EEOL'))"
	");"
	"CREATE INDEX sw_lifecycle_train ON sw_lifecycle(train);"
	"CREATE INDEX sw_lifecycle_source ON sw_lifecycle(source);"
	"CREATE TABLE cpo ("
	"  id		INTEGER PRIMARY KEY,"
	"  source	TEXT NOT NULL,"
	"  line		INTEGER NOT NULL,"
	"  serial	TEXT NOT NULL,"
	"  sku		TEXT,"
	"  purchase_date TEXT,"
	"  cpo_line	TEXT CHECK (cpo_line IN"
	"		    ('current','end-of-production')),"
	"  care		TEXT CHECK (care IN ('no','yes'))"
	");"
	"CREATE INDEX cpo_serial ON cpo(serial);"
	"CREATE INDEX cpo_source ON cpo(source);"
	"CREATE TABLE warranty_terms ("
	"  id		INTEGER PRIMARY KEY,"
	"  source	TEXT NOT NULL,"
	"  line		INTEGER NOT NULL,"
	"  pattern	TEXT NOT NULL,"
	"  months	INTEGER NOT NULL CHECK (months BETWEEN 0 AND 600),"
	"  description	TEXT"
	");"
	"CREATE INDEX warranty_terms_source ON warranty_terms(source);"
	"CREATE TABLE registrations ("
	"  id		INTEGER PRIMARY KEY,"
	"  source	TEXT NOT NULL,"
	"  line		INTEGER NOT NULL,"
	"  serial	TEXT NOT NULL,"
	"  sku		TEXT,"
	"  ship_date	TEXT,"
	"  site		TEXT,"
	"  customer	TEXT"
	");"
	"CREATE INDEX registrations_serial ON registrations(serial);"
	"CREATE INDEX registrations_source ON registrations(source);",

	/*
	 * 4: the daemon's alert state (issue 7).  alert_state holds, per
	 * [alert NAME] of the configuration and per item, what the rule saw
	 * last (the coverage status for 'worse', "unregistered" or
	 * "registered", "eos-soon" or "ok"), so an alert fires once when an
	 * item changes for the worse, not at every scan.  alert_marks holds,
	 * per alert, the last events.id a 'replaced' rule has reported.
	 */
	"CREATE TABLE alert_state ("
	"  alert	TEXT NOT NULL,"
	"  item_id	INTEGER NOT NULL REFERENCES items(id),"
	"  state	TEXT NOT NULL,"
	"  updated	TEXT NOT NULL,"
	"  PRIMARY KEY (alert, item_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE alert_marks ("
	"  alert	TEXT PRIMARY KEY,"
	"  event_id	INTEGER NOT NULL"
	");",

	/*
	 * 5: devices in address order through an index, so that
	 * db_coverage() sorts one device's items at a time instead of the
	 * whole install base (a 1M-item report streams without a sort).
	 */
	"CREATE INDEX devices_sort ON devices(sort_key, id);",

	/*
	 * 6: the rest of db_coverage()'s join served by indexes, so that
	 * 1M items stream without a sorter: items of a device in report
	 * order (chassis, members, components, each by name and serial);
	 * the latest registration and CPO record of a serial from the end
	 * of an index on (serial, date) (NULL dates sort first, so come
	 * last backwards); and the few 'replaced' events in their own
	 * small indexes instead of probing every event of the install base.
	 */
	"CREATE INDEX items_report ON items(device_id, "
	"  (CASE kind WHEN 'chassis' THEN 0 WHEN 'member' THEN 1 ELSE 2 END),"
	"  name, serial) WHERE serialized = 1;"
	"DROP INDEX registrations_serial;"
	"CREATE INDEX registrations_serial ON registrations(serial, ship_date);"
	"DROP INDEX cpo_serial;"
	"CREATE INDEX cpo_serial ON cpo(serial, purchase_date);"
	"CREATE INDEX events_replaced ON events(item_id) "
	"  WHERE kind = 'replaced';"
	"CREATE INDEX events_replaced_old ON events(device_id, old_value) "
	"  WHERE kind = 'replaced';",

	/*
	 * 7: every CHECK (col IN (a, b, ...)) of the tables above rewritten
	 * as CHECK (col = a OR col = b ...), by checks_rewrite() below.
	 * Same rule, same data: SQLite builds a temporary table for an IN
	 * list each time it checks one, which was a third of a scan's CPU
	 * (2.8 against 1.2 us an insert).  Nothing to run in SQL.
	 */
	"",
};

/* The step run after migrations[i] (by version), or NULL. */
static int	checks_rewrite(sqlite3 *, char *, size_t);
static int	(*const migration_fns[])(sqlite3 *, char *, size_t) = {
	[7] = checks_rewrite,
};

#define NMIGRATIONS	((int)(sizeof(migrations) / sizeof(migrations[0])))

int
db_schema_version(void)
{
	return (NMIGRATIONS);
}

/* PRAGMA user_version of h into *v. */
static int
get_version(sqlite3 *h, int *v, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "reading schema version: %s",
		    sqlite3_errmsg(h));
		return (-1);
	}
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		snprintf(err, errlen, "reading schema version: %s",
		    sqlite3_errmsg(h));
		sqlite3_finalize(st);
		return (-1);
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return (0);
}

/*
 * Copy sql to out with every "CHECK (col IN (v, ...))" written as
 * "CHECK (col = v OR ...)"; v is a '...' string or a number.  Text that
 * does not have exactly that shape is copied as it is.  out has room
 * for 4 * strlen(sql) + 1.  Returns the number of CHECKs rewritten.
 */
static int
check_in_rewrite(const char *sql, char *out)
{
	const char	*p = sql, *q, *col, *v;
	size_t		 ncol, nv;
	char		*o = out;
	int		 n = 0, first;

	while (*p != '\0') {
		if (strncmp(p, "CHECK (", 7) != 0) {
			*o++ = *p++;
			continue;
		}
		q = p + 7;
		for (col = q; (*q >= 'a' && *q <= 'z') || *q == '_'; q++)
			;
		ncol = (size_t)(q - col);
		q += strspn(q, " \t\n");
		if (ncol == 0 || strncmp(q, "IN", 2) != 0) {
			*o++ = *p++;
			continue;
		}
		q += 2;
		q += strspn(q, " \t\n");
		if (*q != '(') {
			*o++ = *p++;
			continue;
		}
		q++;
		/* Check the whole list before writing anything. */
		for (v = q;;) {
			v += strspn(v, " \t\n");
			if (*v == '\'') {
				for (v++; *v != '\0' && *v != '\''; v++)
					;
				if (*v++ != '\'')
					break;
			} else if (*v >= '0' && *v <= '9')
				v += strspn(v, "0123456789");
			else
				break;
			v += strspn(v, " \t\n");
			if (*v == ',') {
				v++;
				continue;
			}
			if (*v == ')') {
				v++;
				v += strspn(v, " \t\n");
			}
			break;
		}
		if (v[-1] == '(' || *v != ')' || v[-1] == ',') {
			*o++ = *p++;
			continue;
		}
		/* Rewrite: q is the first value, v the closing ')'. */
		memcpy(o, "CHECK (", 7);
		o += 7;
		for (first = 1; *q != ')';) {
			q += strspn(q, " \t\n,");
			if (*q == ')')
				break;
			if (!first) {
				memcpy(o, " OR ", 4);
				o += 4;
			}
			first = 0;
			memcpy(o, col, ncol);
			o += ncol;
			memcpy(o, " = ", 3);
			o += 3;
			if (*q == '\'')
				nv = (size_t)(strchr(q + 1, '\'') + 1 - q);
			else
				nv = strspn(q, "0123456789");
			memcpy(o, q, nv);
			o += nv;
			q += nv;
			q += strspn(q, " \t\n");
		}
		*o++ = ')';
		p = v + 1;
		n++;
	}
	*o = '\0';
	return (n);
}

/*
 * Migration 7: rewrite the CHECK constraints of every table in place,
 * by SQLite's documented procedure for changing constraints without
 * touching the stored rows (lang_altertable, "other kinds of table
 * schema changes"): writable_schema, the new text, schema_version + 1.
 * The caller holds the migration's transaction.  Where SQLite refuses
 * (a build in defensive mode), the tables keep their IN lists: the same
 * rule, only slower, and the migration still succeeds.
 */
static int
checks_rewrite(sqlite3 *h, char *err, size_t errlen)
{
	sqlite3_stmt	*sel = NULL, *upd = NULL;
	char		*out = NULL, sql[64];
	const char	*text;
	size_t		 len;
	int		 ver, rc = -1, n;

	if (sqlite3_prepare_v2(h, "PRAGMA schema_version", -1, &sel,
	    NULL) != SQLITE_OK || sqlite3_step(sel) != SQLITE_ROW)
		goto sqlerr;
	ver = sqlite3_column_int(sel, 0);
	sqlite3_finalize(sel);
	sel = NULL;
	if (sqlite3_exec(h, "SAVEPOINT checks", NULL, NULL, NULL) != SQLITE_OK)
		goto sqlerr;
	if (sqlite3_exec(h, "PRAGMA writable_schema = ON", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT name, sql FROM sqlite_schema "
	    "WHERE type = 'table' AND sql LIKE '%CHECK (%'", -1, &sel,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "UPDATE sqlite_schema SET sql = ?1 "
	    "WHERE type = 'table' AND name = ?2", -1, &upd, NULL) != SQLITE_OK)
		goto refused;
	while (sqlite3_step(sel) == SQLITE_ROW) {
		text = (const char *)sqlite3_column_text(sel, 1);
		len = strlen(text);
		if ((out = malloc(4 * len + 1)) == NULL) {
			snprintf(err, errlen, "schema migration 7: out of memory");
			goto rollback;
		}
		if ((n = check_in_rewrite(text, out)) > 0) {
			sqlite3_bind_text(upd, 1, out, -1, SQLITE_STATIC);
			sqlite3_bind_value(upd, 2, sqlite3_column_value(sel, 0));
			if (sqlite3_step(upd) != SQLITE_DONE)
				goto refused;
			sqlite3_reset(upd);
		}
		free(out);
		out = NULL;
	}
	snprintf(sql, sizeof(sql), "PRAGMA schema_version = %d", ver + 1);
	if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA writable_schema = OFF", NULL, NULL,
	    NULL) != SQLITE_OK)
		goto refused;
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	if (sqlite3_exec(h, "RELEASE checks", NULL, NULL, NULL) != SQLITE_OK)
		goto sqlerr;
	return (0);
refused:
	/* Keep the IN lists: roll the edit back, go on. */
	rc = 0;
rollback:
	free(out);
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	sqlite3_exec(h, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
	sqlite3_exec(h, "ROLLBACK TO checks", NULL, NULL, NULL);
	sqlite3_exec(h, "RELEASE checks", NULL, NULL, NULL);
	return (rc);
sqlerr:
	snprintf(err, errlen, "schema migration 7: %s", sqlite3_errmsg(h));
	sqlite3_finalize(sel);
	return (-1);
}

static int
exec(sqlite3 *h, const char *sql, const char *what, char *err, size_t errlen)
{
	char	*msg = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", what,
		    msg != NULL ? msg : sqlite3_errmsg(h));
		sqlite3_free(msg);
		return (-1);
	}
	return (0);
}

int
db_migrate(sqlite3 *h, int target, char *err, size_t errlen)
{
	char	 sql[64], what[64];
	int	 v, i;

	if (target < 0 || target > NMIGRATIONS) {
		snprintf(err, errlen, "schema version %d unknown to this build "
		    "(it knows 1 to %d)", target, NMIGRATIONS);
		return (-1);
	}
	/* Cheap check first: an up-to-date database takes no write lock. */
	if (get_version(h, &v, err, errlen) == -1)
		return (-1);
	if (v == target)
		return (0);
	if (v > target)
		goto newer;

	if (exec(h, "BEGIN IMMEDIATE", "migrating schema", err, errlen) == -1)
		return (-1);
	/* Another process may have migrated while we waited for the lock. */
	if (get_version(h, &v, err, errlen) == -1)
		goto fail;
	if (v > target) {
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		goto newer;
	}
	for (i = v; i < target; i++) {
		snprintf(what, sizeof(what), "schema migration %d", i + 1);
		if (exec(h, migrations[i], what, err, errlen) == -1)
			goto fail;
		if ((size_t)i + 1 < sizeof(migration_fns) /
		    sizeof(migration_fns[0]) && migration_fns[i + 1] != NULL &&
		    migration_fns[i + 1](h, err, errlen) == -1)
			goto fail;
	}
	/* user_version lives in the file header and commits with the rest. */
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", target);
	if (exec(h, sql, "setting schema version", err, errlen) == -1)
		goto fail;
	if (exec(h, "COMMIT", "committing schema", err, errlen) == -1)
		goto fail;
	return (0);
fail:
	/* err already holds the first failure; keep it. */
	sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	return (-1);
newer:
	snprintf(err, errlen, "database schema version %d is newer than this "
	    "build supports (%d): use a newer ibagent, or another database",
	    v, target);
	return (-1);
}
