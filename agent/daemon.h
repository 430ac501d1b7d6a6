/*
 * daemon.h: `ibagent run` (scans on a schedule, report jobs, alerts;
 * ibagent(8)) and `ibagent check-config` (ibagent.conf(5)).
 */
#ifndef IB_DAEMON_H
#define IB_DAEMON_H

#include <stdio.h>

/* The configuration file when -c is not given and IBAGENT_CONF is unset. */
#ifndef IBAGENT_CONF
#define IBAGENT_CONF	"/etc/ibagent/ibagent.conf"
#endif

/* `ibagent run --once`: a scan ran and at least one alert fired. */
#define EXIT_ALERTS	3

/*
 * argv[0] is "run".  dbpath: the global --db, or NULL to take the
 * configuration's.  Returns the exit status: 0 stopped by SIGTERM/SIGINT
 * (or --once without alerts), 1 failure, 2 usage, EXIT_ALERTS.
 */
int	 cmd_run(const char *dbpath, int argc, char **argv);
/* argv[0] is "check-config".  0 valid, 1 invalid, 2 usage. */
int	 cmd_check_config(int argc, char **argv);

void	 daemon_usage(FILE *);

#endif
