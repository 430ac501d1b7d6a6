/*
 * db.h: the install base in SQLite.  One writer (the scanning process);
 * every write goes through prepared statements.  A device result is one
 * transaction, or, in a batch (db_batch_begin(), what scans use), one
 * savepoint in a transaction shared by up to a few hundred results, so a
 * crash loses at most the open batch.
 *
 * Schema and history rules are documented in docs/database.md (the
 * README's "Database" section) and in db/schema.c.  Nothing here logs:
 * errors come back in err.
 */
#ifndef IB_DB_H
#define IB_DB_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "../collector/facts.h"
#include "../entitlement/import.h"

struct db;

/*
 * Open (creating and migrating as needed) the database at path.  ":memory:"
 * works.  Returns NULL with a message in err.  A file database is put in
 * WAL mode; one whose schema is newer than this build is refused.  The
 * handle is for one thread at a time (the scanning loop).
 */
struct db	*db_open(const char *path, char *err, size_t errlen);
/* Finalize every cached statement and close; db_close(NULL) is a no-op. */
void		 db_close(struct db *);

/* Schema version this build migrates to (PRAGMA user_version). */
int		 db_schema_version(void);

/*
 * The clock that stamps scans, results, first/last seen and events.
 * NULL restores time(NULL).  Tests inject a fixed clock so history is
 * deterministic; the daemon never calls this.
 */
typedef time_t	 db_clock_fn(void);
void		 db_set_clock(struct db *, db_clock_fn *);

/*
 * Start a scan; the returned id goes into every result of that scan.
 * argv_summary is stored as given: the caller strips communities,
 * passwords and keys from it first.  NULL stores "".
 */
int	 db_scan_begin(struct db *, const char *argv_summary, int64_t *scan_id,
	    char *err, size_t errlen);
/* Close a scan with its counts; -1 if there is no such scan. */
int	 db_scan_end(struct db *, int64_t scan_id, unsigned int ndevices,
	    unsigned int nok, unsigned int nfailed, char *err, size_t errlen);

/*
 * Store the result of one device poll in one transaction (or, in a batch,
 * one savepoint: see db_batch_begin()).  address is the
 * target as the user gave it resolved to "ip:port".  On a status other
 * than POLL_OK/POLL_PARTIAL, facts may be NULL and only the scan row and
 * the device's last error change.  A partial poll never marks an item
 * gone.  History rules: new serial -> first_seen; seen again -> last_seen;
 * not seen in a complete poll -> gone; chassis serial changed at the
 * address -> event 'replaced'; version changed -> event 'upgraded'.
 */
int	 db_store_result(struct db *, int64_t scan_id, const char *address,
	    enum poll_status, const char *error, const struct dev_facts *facts,
	    char *err, size_t errlen);
/*
 * The same, also recording how long the poll took (duration_ms < 0: not
 * known, stored as NULL).  db_store_result() is this with -1.  Both
 * predate NETCONF: they are db_store_result2() with no cross-check and
 * protocols "snmp".
 * Returns 0, or -1 with the transaction rolled back and a message in err.
 */
int	 db_store_result_timed(struct db *, int64_t scan_id,
	    const char *address, enum poll_status, const char *error,
	    const struct dev_facts *facts, long long duration_ms, char *err,
	    size_t errlen);
/*
 * The same for a result that may merge SNMP and NETCONF (facts_merge()).
 * protocols is the comma-separated set of protocols whose answers are in
 * facts ("snmp", "netconf", "snmp,netconf"; stored in that order): on an
 * answered poll it becomes the device's protocols; NULL or "" keeps the
 * device's previous value.  An unknown name is refused (-1).
 * cc, if not NULL, is the cross-check of this result: on an answered
 * poll it replaces the device's stored conflicts (cc->n 0 clears them);
 * NULL (no cross-check ran, e.g. one protocol failed) keeps them.  A
 * failed poll changes neither protocols nor conflicts.
 * Item sources: each item's source set ("snmp,netconf") is added to the
 * set stored for the item, so items.sources is every protocol that has
 * reported it.
 */
int	 db_store_result2(struct db *, int64_t scan_id, const char *address,
	    enum poll_status, const char *error, const struct dev_facts *facts,
	    const struct crosscheck *cc, const char *protocols,
	    long long duration_ms, char *err, size_t errlen);

/*
 * Group commit.  After db_batch_begin(), every db_store_result*() runs in
 * its own SAVEPOINT inside one shared BEGIN IMMEDIATE transaction, which
 * is committed when it holds max_results results or, at a store or a
 * db_batch_tick(), once it is max_ms old; and by db_batch_end().  A
 * result whose store fails is rolled back alone and the batch goes on;
 * only a failure SQLite itself answers by rolling back the transaction
 * (disk full, I/O error), or a failed COMMIT, loses the batch, and err
 * then says how many results went with it.
 * Durability: a process that dies without db_batch_end() (SIGKILL, a
 * crash, power loss) loses the results of the open batch, at most
 * max_results devices, which the next scan stores again; the database
 * stays consistent.  Other writers wait (busy timeout) while a batch is
 * open, so keep max_ms short.  db_close() with a batch open rolls it back.
 * db_batch_begin() returns -1 if max_results is 0 or a batch is open.
 * db_batch_tick() and db_batch_end() return 0, or -1 with a message in
 * err (the batch is then lost, see above); after db_batch_end() each
 * result is its own transaction again.  db_batch_pending() is the number
 * of results stored in the open batch and not yet committed.
 */
int	 db_batch_begin(struct db *, unsigned int max_results,
	    unsigned int max_ms);
int	 db_batch_tick(struct db *, char *err, size_t errlen);
int	 db_batch_end(struct db *, char *err, size_t errlen);
size_t	 db_batch_pending(const struct db *);

enum db_format { DB_FMT_TEXT = 0, DB_FMT_JSON };

/*
 * Print the current install base (items not gone) to out: every device
 * ever polled, ordered by address, each with its present items, its
 * protocols and its SNMP/NETCONF conflicts.  Rows are streamed (one query
 * for devices and items, one per device for its conflicts); memory use
 * does not grow with the database.  The JSON keys are listed in
 * docs/database.md; empty strings print as null.  Text output flags a
 * device with conflicts ("ok MISMATCH(version)") and lists them under it.
 * Returns 0, or -1 on a database or write error.
 */
int	 db_inventory(struct db *, FILE *out, enum db_format, char *err,
	    size_t errlen);

/*
 * Print the history (events), oldest first; address NULL: every device.
 * JSON: an array of objects with the keys "id", "time", "scan",
 * "address", "event", "item_kind", "item_name", "serial", "old", "new".
 */
int	 db_history(struct db *, FILE *out, enum db_format, const char *address,
	    char *err, size_t errlen);

/*
 * Print one scan and the result of each device in it; scan_id 0 means the
 * latest scan.  Prints "no scans" (text) or null (JSON) if there is none.
 */
int	 db_scan_print(struct db *, FILE *out, enum db_format, int64_t scan_id,
	    char *err, size_t errlen);

/* Number of devices in the store (polled at least once, any outcome). */
int	 db_device_count(struct db *, int64_t *n, char *err, size_t errlen);

/* What db_import() did (or, with dry_run, would do). */
struct db_import_stats {
	size_t		 inserted;	/* rows of the file now stored */
	size_t		 replaced;	/* rows of the same kind and source
					   that were there before */
	int		 unchanged;	/* 1: the source's last import had the
					   same rows; nothing was written */
	int64_t		 import_id;	/* imports.id of (kind, source) */
};

/*
 * Store the rows of one successful import (import_file() returned 0) of
 * kind, read from source: the file's absolute path, the key an import is
 * replaced by.  In one BEGIN IMMEDIATE transaction the rows of that kind
 * from that source are deleted and res's rows inserted, and the source's
 * imports row is created or updated; rows of other sources stay.  When
 * the rows are the same as the source's last import (same fingerprint:
 * a hash of every stored value, line numbers included) nothing is
 * written and st->unchanged is 1, so re-importing a file is a no-op.
 * dry_run does all the work and rolls it back, filling st as if.
 * Returns 0, or -1 with the database unchanged and a message in err.
 */
int	 db_import(struct db *, enum import_kind, const char *source,
	    const struct import_result *res, int dry_run,
	    struct db_import_stats *st, char *err, size_t errlen);

#endif
