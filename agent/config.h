/*
 * config.h: the daemon's configuration file (ibagent.conf(5)).
 *
 * INI syntax, read with libinih; every key is checked against one table
 * (type, range, default) in config.c.  conf_load() reports every error
 * of a file at once, each as "FILE:LINE: message", and returns NULL if
 * there was any: a bad file never yields a half-applied configuration.
 *
 * No secret is ever read into a struct conf: secret keys name files
 * (mode 0600, checked here and again when read), which the daemon reads
 * just before each scan and wipes after it.
 */
#ifndef IB_CONFIG_H
#define IB_CONFIG_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "schedule.h"

#define CONF_MAX_KEYS	24	/* keys of the largest section */
#define CONF_TODAY	LLONG_MIN	/* as_of: the day of each scan */

/* Where and how often an object's keys were set: line 0 = not set. */
struct conf_obj {
	char		*name;		/* "paris" of [site paris]; "" [ibagent] */
	int		 line;		/* of the section header; 0 implicit */
	int		 key_line[CONF_MAX_KEYS];
};

/* A list value (targets): every word of every line, with its line. */
struct conf_list {
	char		**v;
	int		 *line;
	size_t		  n;
};

enum conf_log_level { CONF_LOG_WARNING = 0, CONF_LOG_INFO, CONF_LOG_DEBUG };

struct conf_main {
	struct conf_obj	 o;
	char		*db;
	long long	 log_level;	/* enum conf_log_level */
	struct schedule	 schedule;
	long long	 jitter_ms;
	long long	 as_of;		/* ent_day, or CONF_TODAY */
};

enum conf_snmp_version { CONF_SNMP_V2C = 0, CONF_SNMP_V3 };

struct conf_cred {
	struct conf_obj	 o;
	long long	 snmp_version;	/* enum conf_snmp_version */
	char		*community_file;
	char		*v3_user;
	long long	 v3_auth_proto;	/* enum snmp_auth */
	long long	 v3_priv_proto;	/* enum snmp_priv */
	char		*v3_auth_pass_file;
	char		*v3_priv_pass_file;
	char		*ssh_user;
	char		*ssh_key;
	char		*ssh_password_file;
	char		*known_hosts;
	long long	 ssh_port;
	long long	 ssh_tofu;
};

/* protocols: the SCAN_PROTO_* bits, 1 snmp, 2 netconf, 3 both. */
struct conf_site {
	struct conf_obj	 o;
	struct conf_list targets;
	char		*targets_file;
	char		*credentials;
	const struct conf_cred *cred;	/* resolved from credentials */
	long long	 protocols;
	long long	 max_in_flight;
	long long	 port;
	long long	 timeout_ms;
	long long	 retries;
	long long	 ssh_workers;
	long long	 ssh_timeout_ms;
};

struct conf_report {
	struct conf_obj	 o;
	char		*report;	/* kind: argv[1] of `ibagent report` */
	char		*format;
	char		*args;		/* more words for `ibagent report` */
	char		*output_dir;
	long long	 retention_ms;
};

enum conf_alert_rule { CONF_ALERT_WORSE = 0, CONF_ALERT_UNREGISTERED,
	CONF_ALERT_REPLACED, CONF_ALERT_EOS };

struct conf_alert {
	struct conf_obj	 o;
	long long	 rule;		/* enum conf_alert_rule */
	long long	 days;		/* CONF_ALERT_EOS */
	char		*hook;		/* "": none; run by /bin/sh -c */
	long long	 hook_timeout_ms;
	long long	 syslog;
};

struct conf {
	char			*path;
	struct conf_main	 main;
	struct conf_site	**sites;
	size_t			 nsites;
	struct conf_cred	**creds;
	size_t			 ncreds;
	struct conf_report	**reports;
	size_t			 nreports;
	struct conf_alert	**alerts;
	size_t			 nalerts;
};

struct conf_errors {
	char		**v;		/* "FILE:LINE: message" */
	size_t		  n;
};

/*
 * Read and validate path.  Returns the configuration, or NULL with every
 * problem in errs (which the caller frees with conf_errors_free()).
 * Relative paths in the file are relative to the file's directory.
 * Target specifications are checked (and names resolved) as a scan
 * would, but the scan reads them again each time.
 */
struct conf	*conf_load(const char *path, struct conf_errors *errs);
void		 conf_free(struct conf *);
void		 conf_errors_free(struct conf_errors *);

/* The effective configuration, defaults included; no secret is read. */
void		 conf_print(const struct conf *, FILE *);

/* By name; NULL if none. */
const struct conf_site	*conf_site(const struct conf *, const char *);

#endif
