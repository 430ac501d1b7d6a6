/*
 * db_select.c: prepared, read-only statements for the reports, streamed
 * row by row (select.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"
#include "select.h"

#define SELECT_MAXCOLS	64

int
db_select(struct db *db, const char *sql, const char *const *params,
    int nparams, db_select_fn *fn, void *arg, char *err, size_t errlen)
{
	const char	*vals[SELECT_MAXCOLS];
	sqlite3_stmt	*st = NULL;
	int		 i, n, rc, ret = -1;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return (db_fail(db, "preparing a report query", err, errlen));
	if (!sqlite3_stmt_readonly(st)) {
		snprintf(err, errlen, "report query is not read-only");
		goto done;
	}
	if ((n = sqlite3_column_count(st)) > SELECT_MAXCOLS) {
		snprintf(err, errlen, "report query has %d columns", n);
		goto done;
	}
	for (i = 0; i < nparams; i++) {
		rc = params[i] == NULL ? sqlite3_bind_null(st, i + 1) :
		    sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
		if (rc != SQLITE_OK) {
			db_fail(db, "binding a report query", err, errlen);
			goto done;
		}
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		if ((ret = fn(n, vals, arg)) != 0)
			goto done;
	}
	if (rc != SQLITE_DONE) {
		db_fail(db, "reading a report query", err, errlen);
		ret = -1;
		goto done;
	}
	ret = 0;
done:
	sqlite3_finalize(st);
	return (ret);
}

int
db_read_try(struct db *db)
{
	return (sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK);
}

void
db_read_done(struct db *db, int began)
{
	if (began)
		sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
}

int
db_read_begin(struct db *db, char *err, size_t errlen)
{
	if (!db_read_try(db))
		return (db_fail(db, "starting a read transaction", err,
		    errlen));
	return (0);
}

void
db_read_end(struct db *db)
{
	db_read_done(db, 1);
}
