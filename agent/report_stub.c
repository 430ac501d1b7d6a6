/* report_stub.c: reports not written yet (temporary). */
#include <stdio.h>

#include "report_int.h"

int
report_audit(struct db *db, const struct ropts *o, struct rdoc *doc,
    const char **csv_table, char *err, size_t errlen)
{
	(void)db; (void)o; (void)doc; (void)csv_table;
	snprintf(err, errlen, "not implemented yet");
	return (-1);
}

int
report_lifecycle(struct db *db, const struct ropts *o, struct rdoc *doc,
    const char **csv_table, char *err, size_t errlen)
{
	(void)db; (void)o; (void)doc; (void)csv_table;
	snprintf(err, errlen, "not implemented yet");
	return (-1);
}

int
report_metrics(struct db *db, const struct ropts *o, struct rdoc *doc,
    const char **csv_table, char *err, size_t errlen)
{
	(void)db; (void)o; (void)doc; (void)csv_table;
	snprintf(err, errlen, "not implemented yet");
	return (-1);
}
