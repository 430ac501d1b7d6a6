/*
 * alert.h: the daemon's alert rules ([alert NAME] in ibagent.conf(5)),
 * evaluated after each scan.
 *
 *   worse         an item's coverage status gets worse: COVERED or
 *                 WARRANTY -> EXPIRING -> LAPSED, UNCOVERED or
 *                 UNSUPPORTABLE (an item seen for the first time sets
 *                 the baseline, it does not alert)
 *   unregistered  an item becomes UNREGISTERED (not in the vendor's
 *                 install-base list), including a new item
 *   replaced      a device's chassis was replaced (a 'replaced' event
 *                 since the alert last looked)
 *   eos           End of Support of an item's hardware is within `days`
 *                 days, or past
 *
 * Each alert fires once per item and change: what it saw last is kept in
 * the database (db/alert.h).  Delivery: one log line per item (syslog
 * with the daemon's logging, and syslog(3) as well when `syslog = yes`
 * and the daemon logs to stderr), and one JSON document per alert and
 * scan on the stdin of the `hook` command (docs/man/ibagent.conf.5 has
 * the keys).
 */
#ifndef IB_ALERT_H
#define IB_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct db;

/*
 * Evaluate every alert of c on db as of day as_of (ent_day) after scan
 * scan_id.  *fired is the number of items alerted (all alerts).  Hooks
 * run synchronously, each with its timeout.  also_syslog: the log goes
 * to stderr, so alerts with syslog = yes are also sent to syslog(3).
 * Returns 0, or -1 with err (a database error: the state is not
 * updated, so the same alerts come again next time).
 */
int	 alert_run(const struct conf *c, struct db *db, int32_t as_of,
	    int64_t scan_id, int also_syslog, size_t *fired, char *err,
	    size_t errlen);

#endif
