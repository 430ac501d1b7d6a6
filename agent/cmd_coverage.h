/*
 * cmd_coverage.h: `ibagent coverage`, the entitlement verdict of every
 * serialized item (db/coverage.h) as a text table, CSV or JSON.
 */
#ifndef IB_CMD_COVERAGE_H
#define IB_CMD_COVERAGE_H

#include <stdio.h>

/* argv[0] is "coverage".  Exit status: 0 done, 1 failure, 2 usage. */
int	 cmd_coverage(const char *dbpath, int argc, char **argv);

/* The command's usage text, for `ibagent help coverage`. */
void	 cmd_coverage_usage(FILE *out);

#endif /* IB_CMD_COVERAGE_H */
