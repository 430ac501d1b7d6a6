/*
 * report.h: `ibagent report KIND [OPTIONS]`, the reports people run
 * ibagent for: coverage, audit, lifecycle, metrics, changes
 * (docs/reports.md).  The daemon runs report jobs through cmd_report()
 * too, with the argv a user would type.
 */
#ifndef IB_REPORT_H
#define IB_REPORT_H

#include <stdio.h>

/*
 * Run one report on the database at dbpath.  argv[0] is "report",
 * argv[1] the kind, then options exactly as on the command line.  The
 * report goes to stdout, or with --output FILE to a temporary file in
 * FILE's directory that is renamed over FILE once complete, so a reader
 * never sees half a report.  Errors go through log.h.  Uses no global
 * state (no getopt), so a daemon may call it again and again.
 * Returns the exit status: 0 done, 1 failure, 2 usage error.
 */
int	 cmd_report(const char *dbpath, int argc, char **argv);

/* The usage text, for `ibagent help report`. */
void	 cmd_report_usage(FILE *out);

#endif /* IB_REPORT_H */
