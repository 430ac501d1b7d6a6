/*
 * db_print.c: the reports read from the store (inventory, history, one
 * scan) as aligned text for people or JSON for programs.
 *
 * Each report is one query whose rows are streamed with sqlite3_step, so
 * memory does not grow with the database (the inventory also steps a
 * small query per device for its SNMP/NETCONF conflicts).  Text output
 * aligns its columns by stepping the same query twice (widths, then rows)
 * inside one read transaction, so both passes see the same snapshot.
 *
 * Everything printed came from devices, so nothing is trusted: JSON
 * strings are escaped for any byte (invalid UTF-8 becomes \ufffd), and
 * text output replaces control characters and invalid UTF-8 with '?' so a
 * hostile sysDescr cannot drive the terminal.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "../collector/utf8.h"
#include "db_int.h"

/* A JSON string for n bytes at s, or null for NULL. */
static void
json_str(FILE *out, const unsigned char *s, size_t n)
{
	size_t		i, len;
	uint32_t	c;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_next(s + i, n - i, &c)) == 0) {
			/* One replacement character per invalid byte. */
			fputs("\\ufffd", out);
			len = 1;
			continue;
		}
		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			/*
			 * Controls, DEL, and the two line separators that
			 * JavaScript does not accept inside string literals.
			 */
			if (c < 0x20 || c == 0x7f || c == 0x2028 ||
			    c == 0x2029)
				fprintf(out, "\\u%04x", (unsigned int)c);
			else
				fwrite(s + i, 1, len, out);
		}
	}
	putc('"', out);
}

static void
json_key(FILE *out, int first, const char *key)
{
	fprintf(out, "%s\"%s\":", first ? "" : ",", key);
}

/* A text column as a JSON string; NULL and "" both print null. */
static void
json_col(FILE *out, int first, const char *key, sqlite3_stmt *st, int col)
{
	const unsigned char	*s = sqlite3_column_text(st, col);
	size_t			 n = (size_t)sqlite3_column_bytes(st, col);

	json_key(out, first, key);
	json_str(out, n > 0 ? s : NULL, n);
}

static void
json_int(FILE *out, int first, const char *key, sqlite3_stmt *st, int col)
{
	json_key(out, first, key);
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		fputs("null", out);
	else
		fprintf(out, "%lld", (long long)sqlite3_column_int64(st, col));
}

/* A comma-separated set as a JSON array of strings. */
static void
json_set(FILE *out, int first, const char *key, sqlite3_stmt *st, int col)
{
	const unsigned char	*s = sqlite3_column_text(st, col);
	size_t			 n = (size_t)sqlite3_column_bytes(st, col);
	size_t			 i = 0, j;

	json_key(out, first, key);
	putc('[', out);
	while (s != NULL && i < n) {
		for (j = i; j < n && s[j] != ','; j++)
			;
		if (i > 0)
			putc(',', out);
		json_str(out, s + i, j - i);
		i = j + 1;
	}
	putc(']', out);
}

/* Characters text_put() prints for n bytes at s. */
static size_t
text_width(const unsigned char *s, size_t n)
{
	size_t		i, len, w = 0;
	uint32_t	c;

	if (s == NULL || n == 0)
		return (1);		/* "-" */
	for (i = 0; i < n; i += len, w++)
		if ((len = utf8_next(s + i, n - i, &c)) == 0)
			len = 1;
	return (w);
}

/*
 * Print s for a terminal, padded with spaces to pad characters: empty is
 * "-", C0/C1 controls, DEL and invalid UTF-8 are '?'.  Every code point
 * counts as one column (East Asian wide characters will misalign; device
 * strings are ASCII in practice).
 */
static void
text_put(FILE *out, const unsigned char *s, size_t n, size_t pad)
{
	size_t		i, len, w = 0;
	uint32_t	c;

	if (s == NULL || n == 0) {
		putc('-', out);
		w = 1;
	}
	for (i = 0; s != NULL && i < n; i += len, w++) {
		if ((len = utf8_next(s + i, n - i, &c)) == 0) {
			putc('?', out);
			len = 1;
		} else if (c < 0x20 || (c >= 0x7f && c < 0xa0))
			putc('?', out);
		else
			fwrite(s + i, 1, len, out);
	}
	for (; w < pad; w++)
		putc(' ', out);
}

static void
text_col(FILE *out, sqlite3_stmt *st, int col, size_t pad)
{
	text_put(out, sqlite3_column_text(st, col),
	    (size_t)sqlite3_column_bytes(st, col), pad);
}

static size_t
col_width(sqlite3_stmt *st, int col)
{
	return (text_width(sqlite3_column_text(st, col),
	    (size_t)sqlite3_column_bytes(st, col)));
}

static void
widen(size_t *w, size_t v)
{
	if (v > *w)
		*w = v;
}

/* The write error of out, if any, into err. */
static int
out_check(FILE *out, const char *what, char *err, size_t errlen)
{
	if (fflush(out) == EOF || ferror(out)) {
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
		return (-1);
	}
	return (0);
}

/*
 * Inventory: devices, their present items, and each item's parent.  The
 * column numbers below are the I_* constants.
 */
static const char inventory_sql[] =
    "SELECT d.id, d.address, d.hostname, d.model, d.serial, d.version, "
    "d.os, d.sys_descr, d.sys_object_id, d.location, d.last_status, "
    "d.last_error, d.first_seen, d.last_seen, d.last_scan, d.protocols, "
    "i.id, i.kind, i.name, i.serial, i.serialized, i.part_number, i.model, "
    "i.description, i.revision, i.clei, i.version, i.role, p.serial, "
    "p.name, i.sources, i.source_ref, i.first_seen, i.last_seen "
    "FROM devices d "
    "LEFT JOIN items i ON i.device_id = d.id AND i.gone_scan IS NULL "
    "LEFT JOIN items p ON p.id = i.parent_id "
    "ORDER BY d.sort_key, d.id, CASE i.kind WHEN 'chassis' THEN 0 "
    "WHEN 'member' THEN 1 ELSE 2 END, i.id";

enum {
	I_DID = 0, I_ADDRESS, I_HOSTNAME, I_MODEL, I_SERIAL, I_VERSION, I_OS,
	I_DESCR, I_OID, I_LOCATION, I_STATUS, I_ERROR, I_FIRST, I_LAST,
	I_SCAN, I_PROTOCOLS,
	I_IID, I_KIND, I_NAME, I_ISERIAL, I_SERIALIZED, I_PART, I_IMODEL,
	I_IDESCR, I_REV, I_CLEI, I_IVERSION, I_ROLE, I_PSERIAL, I_PNAME,
	I_SOURCES, I_REF, I_IFIRST, I_ILAST
};

/*
 * A device's SNMP/NETCONF conflicts, stepped once per device beside the
 * inventory query (both read in the same transaction).
 */
static const char crosscheck_sql[] =
    "SELECT field, snmp_value, netconf_value, scan_id FROM crosschecks "
    "WHERE device_id = ?1 ORDER BY id";

enum { C_FIELD = 0, C_SNMP, C_NETCONF, C_SCAN };

/* Point the conflicts statement at the device of the inventory row. */
static int
crosscheck_bind(struct db *db, sqlite3_stmt *cc, sqlite3_stmt *st,
    char *err, size_t errlen)
{
	sqlite3_reset(cc);
	if (sqlite3_bind_int64(cc, 1, sqlite3_column_int64(st, I_DID)) !=
	    SQLITE_OK)
		return (db_fail(db, "reading cross-check", err, errlen));
	return (0);
}

static int
crosscheck_json(struct db *db, sqlite3_stmt *cc, sqlite3_stmt *st,
    FILE *out, char *err, size_t errlen)
{
	int	rc, n = 0;

	if (crosscheck_bind(db, cc, st, err, errlen) == -1)
		return (-1);
	fputs(",\"crosscheck\":[", out);
	while ((rc = sqlite3_step(cc)) == SQLITE_ROW) {
		fputs(n++ > 0 ? ",{" : "{", out);
		json_col(out, 1, "field", cc, C_FIELD);
		json_col(out, 0, "snmp", cc, C_SNMP);
		json_col(out, 0, "netconf", cc, C_NETCONF);
		json_int(out, 0, "scan", cc, C_SCAN);
		putc('}', out);
	}
	putc(']', out);
	if (rc != SQLITE_DONE)
		return (db_fail(db, "reading cross-check", err, errlen));
	return (0);
}

static void
inventory_json_device(FILE *out, sqlite3_stmt *st)
{
	fputs("  {", out);
	json_col(out, 1, "address", st, I_ADDRESS);
	json_col(out, 0, "hostname", st, I_HOSTNAME);
	json_col(out, 0, "model", st, I_MODEL);
	json_col(out, 0, "serial", st, I_SERIAL);
	json_col(out, 0, "version", st, I_VERSION);
	json_col(out, 0, "os", st, I_OS);
	json_col(out, 0, "sys_descr", st, I_DESCR);
	json_col(out, 0, "sys_object_id", st, I_OID);
	json_col(out, 0, "location", st, I_LOCATION);
	json_col(out, 0, "status", st, I_STATUS);
	json_col(out, 0, "error", st, I_ERROR);
	json_col(out, 0, "first_seen", st, I_FIRST);
	json_col(out, 0, "last_seen", st, I_LAST);
	json_int(out, 0, "last_scan", st, I_SCAN);
	json_set(out, 0, "protocols", st, I_PROTOCOLS);
}

static void
inventory_json_item(FILE *out, sqlite3_stmt *st)
{
	int	parent_named;

	fputs("    {", out);
	json_col(out, 1, "kind", st, I_KIND);
	/* The name is an identity: "" stays "". */
	json_key(out, 0, "name");
	json_str(out, sqlite3_column_text(st, I_NAME),
	    (size_t)sqlite3_column_bytes(st, I_NAME));
	json_col(out, 0, "serial", st, I_ISERIAL);
	json_key(out, 0, "serialized");
	fputs(sqlite3_column_int(st, I_SERIALIZED) ? "true" : "false", out);
	json_col(out, 0, "part_number", st, I_PART);
	json_col(out, 0, "model", st, I_IMODEL);
	json_col(out, 0, "description", st, I_IDESCR);
	json_col(out, 0, "revision", st, I_REV);
	json_col(out, 0, "clei", st, I_CLEI);
	json_col(out, 0, "version", st, I_IVERSION);
	json_col(out, 0, "role", st, I_ROLE);
	json_col(out, 0, "parent_serial", st, I_PSERIAL);
	/* A parent without a serial is named instead. */
	parent_named = sqlite3_column_type(st, I_PSERIAL) == SQLITE_NULL &&
	    sqlite3_column_type(st, I_PNAME) != SQLITE_NULL;
	if (parent_named) {
		json_key(out, 0, "parent_name");
		json_str(out, sqlite3_column_text(st, I_PNAME),
		    (size_t)sqlite3_column_bytes(st, I_PNAME));
	}
	json_set(out, 0, "sources", st, I_SOURCES);
	json_col(out, 0, "source_ref", st, I_REF);
	json_col(out, 0, "first_seen", st, I_IFIRST);
	json_col(out, 0, "last_seen", st, I_ILAST);
	putc('}', out);
}

static int
inventory_json(struct db *db, sqlite3_stmt *st, sqlite3_stmt *cc, FILE *out,
    char *err, size_t errlen)
{
	int64_t	 dev = 0, id;
	int	 rc, nitems = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, I_DID);
		if (id != dev) {
			if (dev != 0)
				fputs(nitems > 0 ? "\n  ]},\n" : "]},\n", out);
			else
				fputs("[\n", out);
			inventory_json_device(out, st);
			if (crosscheck_json(db, cc, st, out, err, errlen) == -1)
				return (-1);
			fputs(",\"items\":[", out);
			dev = id;
			nitems = 0;
		}
		if (sqlite3_column_type(st, I_IID) == SQLITE_NULL)
			continue;
		fputs(nitems++ > 0 ? ",\n" : "\n", out);
		inventory_json_item(out, st);
	}
	if (dev == 0)
		fputs("[]\n", out);
	else
		fputs(nitems > 0 ? "\n  ]}\n]\n" : "]}\n]\n", out);
	if (rc != SQLITE_DONE)
		return (db_fail(db, "reading inventory", err, errlen));
	return (0);
}

/* Text columns, in print order; the last one of each line is not padded. */
static const int dev_cols[] = { I_ADDRESS, I_HOSTNAME, I_MODEL, I_SERIAL,
    I_VERSION };
static const char *const dev_heads[] = { "ADDRESS", "HOSTNAME", "MODEL",
    "SERIAL", "VERSION" };
static const int item_cols[] = { I_KIND, I_NAME, I_ISERIAL, I_PART,
    I_IMODEL };
static const char *const item_heads[] = { "KIND", "NAME", "SERIAL",
    "PART NUMBER", "MODEL" };
#define NDEV_COLS	5
#define NITEM_COLS	5

static int
status_ok(sqlite3_stmt *st, int col, const char *want)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	return (s != NULL && strcmp((const char *)s, want) == 0);
}

/*
 * After the status word of a device with conflicts: " MISMATCH(version,
 * serial)".  Returns the number of conflicts.
 */
static int
crosscheck_flag(struct db *db, sqlite3_stmt *cc, sqlite3_stmt *st,
    FILE *out, char *err, size_t errlen)
{
	int	rc, n = 0;

	if (crosscheck_bind(db, cc, st, err, errlen) == -1)
		return (-1);
	while ((rc = sqlite3_step(cc)) == SQLITE_ROW) {
		fputs(n++ > 0 ? "," : " MISMATCH(", out);
		text_col(out, cc, C_FIELD, 0);
	}
	if (n > 0)
		putc(')', out);
	if (rc != SQLITE_DONE)
		return (db_fail(db, "reading cross-check", err, errlen));
	return (n);
}

/* Under the device line: "  ! version: snmp 21.4R3-S5.4, netconf ...". */
static int
crosscheck_lines(struct db *db, sqlite3_stmt *cc, FILE *out, char *err,
    size_t errlen)
{
	int	rc;

	sqlite3_reset(cc);
	while ((rc = sqlite3_step(cc)) == SQLITE_ROW) {
		fputs("  ! ", out);
		text_col(out, cc, C_FIELD, 0);
		fputs(": snmp ", out);
		text_col(out, cc, C_SNMP, 0);
		fputs(", netconf ", out);
		text_col(out, cc, C_NETCONF, 0);
		putc('\n', out);
	}
	if (rc != SQLITE_DONE)
		return (db_fail(db, "reading cross-check", err, errlen));
	return (0);
}

static int
inventory_text(struct db *db, sqlite3_stmt *st, sqlite3_stmt *cc, FILE *out,
    char *err, size_t errlen)
{
	size_t		 dw[NDEV_COLS], iw[NITEM_COLS];
	int64_t		 dev = 0, id;
	unsigned long	 nrows = 0, ndev = 0, nok = 0, npartial = 0;
	unsigned long	 nitems = 0, nser = 0, nmismatch = 0;
	int		 rc, i, nconf;

	for (i = 0; i < NDEV_COLS; i++)
		dw[i] = strlen(dev_heads[i]);
	for (i = 0; i < NITEM_COLS; i++)
		iw[i] = strlen(item_heads[i]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		nrows++;
		for (i = 0; i < NDEV_COLS; i++)
			widen(&dw[i], col_width(st, dev_cols[i]));
		if (sqlite3_column_type(st, I_IID) == SQLITE_NULL)
			continue;
		for (i = 0; i < NITEM_COLS; i++)
			widen(&iw[i], col_width(st, item_cols[i]));
	}
	if (rc != SQLITE_DONE)
		return (db_fail(db, "reading inventory", err, errlen));
	if (nrows == 0) {
		fputs("no devices in the install base (run 'ibagent scan' "
		    "first)\n", out);
		return (0);
	}
	sqlite3_reset(st);

	for (i = 0; i < NDEV_COLS; i++)
		fprintf(out, "%-*s  ", (int)dw[i], dev_heads[i]);
	fputs("STATUS\n  ", out);
	for (i = 0; i < NITEM_COLS; i++)
		fprintf(out, "%-*s  ", (int)iw[i], item_heads[i]);
	fputs("DESCRIPTION\n", out);

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, I_DID);
		if (id != dev) {
			dev = id;
			ndev++;
			if (status_ok(st, I_STATUS, "ok"))
				nok++;
			else if (status_ok(st, I_STATUS, "partial"))
				npartial++;
			for (i = 0; i < NDEV_COLS; i++) {
				text_col(out, st, dev_cols[i], dw[i]);
				fputs("  ", out);
			}
			text_col(out, st, I_STATUS, 0);
			if ((nconf = crosscheck_flag(db, cc, st, out, err,
			    errlen)) == -1)
				return (-1);
			if (sqlite3_column_type(st, I_ERROR) != SQLITE_NULL) {
				fputs(": ", out);
				text_col(out, st, I_ERROR, 0);
			}
			putc('\n', out);
			if (nconf > 0) {
				nmismatch++;
				if (crosscheck_lines(db, cc, out, err,
				    errlen) == -1)
					return (-1);
			}
		}
		if (sqlite3_column_type(st, I_IID) == SQLITE_NULL)
			continue;
		nitems++;
		if (sqlite3_column_int(st, I_SERIALIZED))
			nser++;
		fputs("  ", out);
		for (i = 0; i < NITEM_COLS; i++) {
			text_col(out, st, item_cols[i], iw[i]);
			fputs("  ", out);
		}
		text_col(out, st, I_IDESCR, 0);
		putc('\n', out);
	}
	if (rc != SQLITE_DONE)
		return (db_fail(db, "reading inventory", err, errlen));
	fprintf(out, "%lu device%s (%lu ok, %lu partial, %lu failed), "
	    "%lu item%s (%lu serialized, %lu not serialized)", ndev,
	    ndev == 1 ? "" : "s", nok, npartial, ndev - nok - npartial,
	    nitems, nitems == 1 ? "" : "s", nser, nitems - nser);
	if (nmismatch > 0)
		fprintf(out, "; %lu device%s where SNMP and NETCONF disagree",
		    nmismatch, nmismatch == 1 ? "" : "s");
	putc('\n', out);
	return (0);
}

int
db_inventory(struct db *db, FILE *out, enum db_format fmt, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st, *cc;
	int		 began, rc;

	if (db_prepare(db, inventory_sql, &st, "reading inventory", err,
	    errlen) == -1)
		return (-1);
	if (db_prepare(db, crosscheck_sql, &cc, "reading cross-check", err,
	    errlen) == -1) {
		sqlite3_finalize(st);
		return (-1);
	}
	/* Without it the passes may only disagree on widths. */
	began = db_read_try(db);
	if (fmt == DB_FMT_JSON)
		rc = inventory_json(db, st, cc, out, err, errlen);
	else
		rc = inventory_text(db, st, cc, out, err, errlen);
	sqlite3_finalize(cc);
	sqlite3_finalize(st);
	db_read_done(db, began);
	if (rc == 0)
		rc = out_check(out, "writing inventory", err, errlen);
	return (rc);
}

/* History: every event, oldest first, optionally of one address. */
static const char history_sql[] =
    "SELECT e.id, e.time, e.scan_id, d.address, e.kind, i.kind, i.name, "
    "i.serial, e.old_value, e.new_value "
    "FROM events e JOIN devices d ON d.id = e.device_id "
    "LEFT JOIN items i ON i.id = e.item_id "
    "WHERE ?1 IS NULL OR d.address = ?1 ORDER BY e.id";

enum {
	H_ID = 0, H_TIME, H_SCAN, H_ADDRESS, H_EVENT, H_KIND, H_NAME,
	H_SERIAL, H_OLD, H_NEW
};

static void
history_text_row(FILE *out, sqlite3_stmt *st)
{
	int	has_old, has_new;

	text_col(out, st, H_TIME, 0);
	putc(' ', out);
	text_col(out, st, H_ADDRESS, 0);
	putc(' ', out);
	text_col(out, st, H_EVENT, 8);
	putc(' ', out);
	if (sqlite3_column_type(st, H_KIND) == SQLITE_NULL)
		fputs("device", out);
	else {
		text_col(out, st, H_KIND, 0);
		putc(' ', out);
		text_col(out, st, H_NAME, 0);
	}
	has_old = sqlite3_column_type(st, H_OLD) != SQLITE_NULL;
	has_new = sqlite3_column_type(st, H_NEW) != SQLITE_NULL;
	if (has_old || has_new)
		fputs(": ", out);
	if (status_ok(st, H_EVENT, "returned")) {
		/* old_value of 'returned' is when the item went missing. */
		if (has_new)
			text_col(out, st, H_NEW, 0);
		if (has_old) {
			fputs(" (gone since ", out);
			text_col(out, st, H_OLD, 0);
			putc(')', out);
		}
	} else {
		if (has_old)
			text_col(out, st, H_OLD, 0);
		if (has_old && has_new)
			fputs(" -> ", out);
		if (has_new)
			text_col(out, st, H_NEW, 0);
	}
	putc('\n', out);
}

int
db_history(struct db *db, FILE *out, enum db_format fmt, const char *address,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	unsigned long	 n = 0;
	int		 rc;

	if (db_prepare(db, history_sql, &st, "reading history", err,
	    errlen) == -1)
		return (-1);
	if (address != NULL &&
	    sqlite3_bind_text(st, 1, address, -1, SQLITE_STATIC) != SQLITE_OK) {
		db_fail(db, "reading history", err, errlen);
		sqlite3_finalize(st);
		return (-1);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fmt != DB_FMT_JSON) {
			history_text_row(out, st);
			n++;
			continue;
		}
		fputs(n++ > 0 ? ",\n  {" : "[\n  {", out);
		json_int(out, 1, "id", st, H_ID);
		json_col(out, 0, "time", st, H_TIME);
		json_int(out, 0, "scan", st, H_SCAN);
		json_col(out, 0, "address", st, H_ADDRESS);
		json_col(out, 0, "event", st, H_EVENT);
		json_col(out, 0, "item_kind", st, H_KIND);
		json_col(out, 0, "item_name", st, H_NAME);
		json_col(out, 0, "serial", st, H_SERIAL);
		json_col(out, 0, "old", st, H_OLD);
		json_col(out, 0, "new", st, H_NEW);
		putc('}', out);
	}
	if (fmt == DB_FMT_JSON)
		fputs(n > 0 ? "\n]\n" : "[]\n", out);
	else if (n == 0)
		fputs("no events in the history\n", out);
	if (rc != SQLITE_DONE) {
		db_fail(db, "reading history", err, errlen);
		sqlite3_finalize(st);
		return (-1);
	}
	sqlite3_finalize(st);
	return (out_check(out, "writing history", err, errlen));
}

/* One scan: its row, then its results (the same columns on every row). */
static const char scan_sql[] =
    "SELECT s.id, s.started, s.finished, s.argv, s.ndevices, s.nok, "
    "s.nfailed, d.address, r.time, r.status, r.error, r.duration_ms, "
    "r.nitems, r.id "
    "FROM scans s LEFT JOIN scan_results r ON r.scan_id = s.id "
    "LEFT JOIN devices d ON d.id = r.device_id "
    "WHERE s.id = CASE WHEN ?1 > 0 THEN ?1 ELSE "
    "(SELECT max(id) FROM scans) END "
    "ORDER BY d.sort_key, r.id";

enum {
	S_ID = 0, S_STARTED, S_FINISHED, S_ARGV, S_NDEV, S_NOK, S_NFAILED,
	S_ADDRESS, S_TIME, S_STATUS, S_ERROR, S_MS, S_NITEMS, S_RID
};

static const int scan_cols[] = { S_ADDRESS, S_STATUS, S_NITEMS, S_MS };
static const char *const scan_heads[] = { "ADDRESS", "STATUS", "ITEMS",
    "MS" };
#define NSCAN_COLS	4

static void
scan_text_head(FILE *out, sqlite3_stmt *st, const size_t *w)
{
	int	i;

	fputs("scan ", out);
	text_col(out, st, S_ID, 0);
	fputs(" started ", out);
	text_col(out, st, S_STARTED, 0);
	fputs(" finished ", out);
	text_col(out, st, S_FINISHED, 0);
	fputs(": ", out);
	text_col(out, st, S_NDEV, 0);
	fputs(" devices, ", out);
	text_col(out, st, S_NOK, 0);
	fputs(" ok, ", out);
	text_col(out, st, S_NFAILED, 0);
	fputs(" failed\nargs: ", out);
	text_col(out, st, S_ARGV, 0);
	putc('\n', out);
	for (i = 0; i < NSCAN_COLS; i++)
		fprintf(out, "%-*s  ", (int)w[i], scan_heads[i]);
	fputs("ERROR\n", out);
}

static int
scan_text(struct db *db, sqlite3_stmt *st, FILE *out, char *err,
    size_t errlen)
{
	size_t	w[NSCAN_COLS];
	int	rc, i, nrows = 0;

	for (i = 0; i < NSCAN_COLS; i++)
		w[i] = strlen(scan_heads[i]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		nrows++;
		for (i = 0; i < NSCAN_COLS; i++)
			widen(&w[i], col_width(st, scan_cols[i]));
	}
	if (rc != SQLITE_DONE)
		return (db_fail(db, "reading scan", err, errlen));
	if (nrows == 0) {
		fputs("no scans\n", out);
		return (0);
	}
	sqlite3_reset(st);
	nrows = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows++ == 0)
			scan_text_head(out, st, w);
		if (sqlite3_column_type(st, S_RID) == SQLITE_NULL)
			continue;
		for (i = 0; i < NSCAN_COLS; i++) {
			text_col(out, st, scan_cols[i], w[i]);
			fputs("  ", out);
		}
		text_col(out, st, S_ERROR, 0);
		putc('\n', out);
	}
	if (rc != SQLITE_DONE)
		return (db_fail(db, "reading scan", err, errlen));
	return (0);
}

static int
scan_json(struct db *db, sqlite3_stmt *st, FILE *out, char *err,
    size_t errlen)
{
	int	rc, nrows = 0, nres = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows++ == 0) {
			fputs("{", out);
			json_int(out, 1, "id", st, S_ID);
			json_col(out, 0, "started", st, S_STARTED);
			json_col(out, 0, "finished", st, S_FINISHED);
			json_col(out, 0, "argv", st, S_ARGV);
			json_int(out, 0, "devices", st, S_NDEV);
			json_int(out, 0, "ok", st, S_NOK);
			json_int(out, 0, "failed", st, S_NFAILED);
			fputs(",\"results\":[", out);
		}
		if (sqlite3_column_type(st, S_RID) == SQLITE_NULL)
			continue;
		fputs(nres++ > 0 ? ",\n  {" : "\n  {", out);
		json_col(out, 1, "address", st, S_ADDRESS);
		json_col(out, 0, "time", st, S_TIME);
		json_col(out, 0, "status", st, S_STATUS);
		json_col(out, 0, "error", st, S_ERROR);
		json_int(out, 0, "duration_ms", st, S_MS);
		json_int(out, 0, "items", st, S_NITEMS);
		putc('}', out);
	}
	if (nrows == 0)
		fputs("null\n", out);
	else
		fputs(nres > 0 ? "\n]}\n" : "]}\n", out);
	if (rc != SQLITE_DONE)
		return (db_fail(db, "reading scan", err, errlen));
	return (0);
}

int
db_scan_print(struct db *db, FILE *out, enum db_format fmt, int64_t scan_id,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 began, rc;

	if (db_prepare(db, scan_sql, &st, "reading scan", err, errlen) == -1)
		return (-1);
	if (sqlite3_bind_int64(st, 1, scan_id) != SQLITE_OK) {
		db_fail(db, "reading scan", err, errlen);
		sqlite3_finalize(st);
		return (-1);
	}
	/* Without it the passes may only disagree on widths. */
	began = db_read_try(db);
	if (fmt == DB_FMT_JSON)
		rc = scan_json(db, st, out, err, errlen);
	else
		rc = scan_text(db, st, out, err, errlen);
	sqlite3_finalize(st);
	db_read_done(db, began);
	if (rc == 0)
		rc = out_check(out, "writing scan", err, errlen);
	return (rc);
}
