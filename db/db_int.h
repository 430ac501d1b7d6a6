/*
 * db_int.h: what the files of db/ share and nothing outside db/ may use
 * (tests excepted): the handle, the statement cache, the clock and the
 * text values the schema stores for the enums of facts.h.
 */
#ifndef IB_DB_INT_H
#define IB_DB_INT_H

#include <sqlite3.h>

#include "db.h"

/* The hot statements, prepared once on first use and kept on the handle. */
enum db_stmt {
	ST_BEGIN = 0,		/* BEGIN IMMEDIATE */
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SCAN_BEGIN,
	ST_SCAN_END,
	ST_DEV_GET,
	ST_DEV_INSERT,
	ST_DEV_FAILED,		/* failed poll: status and error only */
	ST_DEV_SEEN,		/* answered poll: every field */
	ST_RESULT_INSERT,
	ST_RESULT_NITEMS,
	ST_ITEM_BY_SERIAL,
	ST_ITEM_BY_NAME,
	ST_ITEM_INSERT,
	ST_ITEM_UPDATE,
	ST_ITEM_MERGE,		/* same item twice in one poll */
	ST_ITEM_PARENT,
	ST_ITEM_GONE,		/* one item, by id */
	ST_CHASSIS_MISSED,	/* present chassis not seen in this poll */
	ST_EVENT_INSERT,
	ST_NEW_EVENTS,		/* new device: 'new' events, set-based */
	ST_GONE_EVENTS,		/* complete poll: 'gone' events, set-based */
	ST_GONE_MARK,		/* complete poll: mark the same rows gone */
	ST_CC_CLEAR,		/* a device's cross-check conflicts */
	ST_CC_INSERT,
	ST_SAVEPOINT,		/* one result inside a batch */
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST__COUNT
};

/* Group commit (db_batch_begin()): the transaction results share. */
struct db_batch {
	int		 on;			/* results go into batches */
	unsigned int	 max_results;		/* commit at this many */
	unsigned int	 max_ms;		/* or when this old */
	int		 open;			/* a transaction is open */
	size_t		 n;			/* results in it */
	uint64_t	 opened_ms;		/* CLOCK_MONOTONIC, at BEGIN */
};

struct db {
	sqlite3		*h;
	db_clock_fn	*clock;			/* NULL: time(NULL) */
	sqlite3_stmt	*st[ST__COUNT];		/* NULL until first used */
	struct db_batch	 batch;
};

/* "2026-11-22T10:00:00Z" plus NUL. */
#define DB_TIME_LEN	21
#define DB_SUBJOURNAL_SPILL	(1 << 20)	/* bytes: see db_batch_begin() */

/* schema.c */
/*
 * Bring the schema of h from its PRAGMA user_version up to target, one
 * migration step after another, all in one BEGIN IMMEDIATE transaction.
 * target may be lower than db_schema_version() (tests build old schemas
 * with it) but never higher.  A database newer than target is refused.
 * Returns 0, or -1 with the transaction rolled back and a message in err.
 */
int		 db_migrate(sqlite3 *h, int target, char *err, size_t errlen);

/* db.c */
/*
 * The cached statement, prepared if needed, ready for binding.  The
 * caller hands it back with db_stmt_done() before returning.  Returns NULL
 * with a message in err if the SQL fails to prepare.
 */
sqlite3_stmt	*db_stmt(struct db *, enum db_stmt, char *err, size_t errlen);
/* Reset and clear bindings, so no bound pointer outlives the call. */
void		 db_stmt_done(sqlite3_stmt *);
/* Format "what: <sqlite message>" into err; returns -1 for tail calls. */
int		 db_fail(struct db *, const char *what, char *err, size_t errlen);
/* An uncached statement in *st (NULL on failure); 0, or db_fail(what). */
int		 db_prepare(struct db *, const char *sql, sqlite3_stmt **st,
		    const char *what, char *err, size_t errlen);
/* CLOCK_MONOTONIC in milliseconds (batch ages). */
uint64_t	 db_mono_ms(void);
/* The injected or real clock, as ISO 8601 UTC text. */
void		 db_now(struct db *, char buf[DB_TIME_LEN]);

/*
 * The values the schema stores for the enums of facts.h.  They are part
 * of the database format (CHECK constraints, docs/database.md), so db/
 * owns them rather than borrowing the collector's display strings.
 */
const char	*db_status_str(enum poll_status);
const char	*db_kind_str(enum item_kind);
const char	*db_os_str(enum dev_os);

/* db_select.c */
/*
 * A read transaction that is a nicety, not a need (one snapshot for the
 * passes or queries of a printout): db_read_try() returns 1 if BEGIN
 * worked, 0 if not, and the caller goes on either way; db_read_done()
 * commits only what began.  select.h's db_read_begin() is the strict one.
 */
int		 db_read_try(struct db *);
void		 db_read_done(struct db *, int began);

/*
 * db_coverage.c: the statement that gathers the items (?1 include_gone),
 * so that a test can check its plan streams (no temporary B-tree).
 */
extern const char	 db_coverage_items_sql[];

#endif
