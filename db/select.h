/*
 * select.h: read-only queries for the reports (agent/report_*.c).  The
 * reports own their SQL, which is fixed text with bound parameters (never
 * built from input); this runs it as a prepared statement and streams
 * the rows to a callback, so memory does not grow with the result.
 */
#ifndef IB_DB_SELECT_H
#define IB_DB_SELECT_H

#include <stddef.h>

struct db;

/*
 * One row: ncols values as text (integers in decimal), NULL for SQL NULL.
 * Borrowed for the call.  Return 0 to go on, anything else to stop:
 * db_select() then returns that value.
 */
typedef int db_select_fn(int ncols, const char *const *vals, void *arg);

/*
 * Run sql (one statement, which must be read-only: anything else is
 * refused) with the text parameters ?1..?nparams (NULL binds NULL), and
 * call fn for each row.  Returns 0, fn's non-zero value, or -1 with a
 * message in err.
 */
int	 db_select(struct db *, const char *sql, const char *const *params,
	    int nparams, db_select_fn *fn, void *arg, char *err, size_t errlen);

/*
 * A read transaction around several db_select() calls, so a report sees
 * one snapshot while a scan writes.  db_read_end() after a successful
 * db_read_begin() only.
 */
int	 db_read_begin(struct db *, char *err, size_t errlen);
void	 db_read_end(struct db *);

#endif /* IB_DB_SELECT_H */
