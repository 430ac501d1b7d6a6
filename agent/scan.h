/*
 * scan.h: one scan, in process: poll a target list with SNMP, NETCONF or
 * both (merged), store each device's result as it completes, and open
 * and close the scan row.  Used by `ibagent scan` and by the daemon.
 * Nothing here parses options or reads secrets: the caller fills the
 * credentials and owns them.
 */
#ifndef IB_SCAN_H
#define IB_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "../collector/cnetconf.h"
#include "../collector/csnmp.h"
#include "targets.h"

struct db;

#define SCAN_PROTO_SNMP		1
#define SCAN_PROTO_NETCONF	2

/*
 * Called once per device after its result is stored (or was to be
 * stored), in completion order; err is "" when ok.
 */
typedef void scan_device_cb(const struct csnmp_target *, enum poll_status,
    const char *err, void *arg);

struct scan_params {
	int			 protocols;	/* SCAN_PROTO_* bits */
	const struct target_list *targets;	/* deduplicated, not empty */
	const struct snmp_cred	*snmp;		/* with SCAN_PROTO_SNMP */
	const struct csnmp_opts	*snmp_opts;	/* always (batch size) */
	const struct ssh_cred	*ssh;		/* with SCAN_PROTO_NETCONF */
	const struct cnetconf_opts *netconf_opts;
	const char		*summary;	/* scans.argv, no secrets */
	const char		*dbpath;	/* for messages only */
	int			 progress;	/* a progress line on stderr */
	int			 log_failures;	/* log_warnx failed devices
						   (the first 10 at -v, all
						   at -vv) */
	scan_device_cb		*on_device;	/* NULL: none */
	void			*arg;
};

struct scan_summary {
	int64_t		 scan_id;
	size_t		 total;
	size_t		 done;			/* devices reported */
	size_t		 counts[POLL_ERROR + 1];
	size_t		 shown;			/* failures logged */
	uint64_t	 elapsed_ms;
	int		 interrupted;		/* *stop was set */
};

/*
 * Run one scan into db.  *stop (set from a signal handler) ends it early:
 * devices finished are stored, devices in flight are stored as
 * "error: interrupted", devices not started are left alone; the scan row
 * is closed either way and sum->interrupted is 1.  Returns 0, or -1 with
 * a complete message for the log in err ("DBPATH: disk I/O error; the
 * scan was stopped, devices already stored are kept"); sum is filled in
 * both cases.  A database that fails while storing sets *stop.
 */
int	 scan_run(const struct scan_params *, struct db *,
	    volatile int *stop, struct scan_summary *, char *err,
	    size_t errlen);

/* The failure count of a summary: devices with neither ok nor partial. */
size_t	 scan_failed(const struct scan_summary *);

#endif
