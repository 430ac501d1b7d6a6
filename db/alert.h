/*
 * alert.h: what the daemon's alert rules remember between scans (schema
 * 4, docs/database.md): a state per (alert, item) and, per alert, the
 * last 'replaced' event reported.  Nothing here decides what is an
 * alert: agent/alert.c does.
 */
#ifndef IB_DB_ALERT_H
#define IB_DB_ALERT_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* One state to store. */
struct db_alert_state {
	int64_t		 item_id;
	char		 state[24];
};

/*
 * The stored state of (alert, item) into buf.  Returns 1 found, 0 none,
 * -1 with err.  May run inside db_coverage()'s read transaction.
 */
int	 db_alert_state_get(struct db *, const char *alert, int64_t item_id,
	    char *buf, size_t len, char *err, size_t errlen);
/* Store n states of one alert, in one transaction.  0, or -1 with err. */
int	 db_alert_state_put(struct db *, const char *alert,
	    const struct db_alert_state *, size_t n, char *err, size_t errlen);

/* A history event, for the 'replaced' rule; strings may be NULL. */
struct db_alert_event {
	int64_t		 id;
	const char	*time;
	const char	*address;
	const char	*hostname;
	const char	*kind;
	const char	*old_value;
	const char	*new_value;
};
typedef int db_alert_event_fn(const struct db_alert_event *, void *arg);

/*
 * The last event id an alert reported into *id: 1 found, 0 never (then
 * *id is the newest event id, so a new alert starts from now), -1 err.
 */
int	 db_alert_mark_get(struct db *, const char *alert, int64_t *id,
	    char *err, size_t errlen);
int	 db_alert_mark_put(struct db *, const char *alert, int64_t id,
	    char *err, size_t errlen);
/*
 * Each event of kind with id > after, oldest first.  fn returning
 * non-zero stops; that value is returned.  -1 with err on a db error.
 */
int	 db_alert_events(struct db *, const char *kind, int64_t after,
	    db_alert_event_fn *fn, void *arg, char *err, size_t errlen);

/*
 * Each device's address and last poll status ("ok", "timeout"...; NULL
 * never polled), for the daemon's state-change log.  fn non-zero stops.
 */
typedef int db_alert_device_fn(const char *address, const char *status,
    void *arg);
int	 db_alert_devices(struct db *, db_alert_device_fn *fn, void *arg,
	    char *err, size_t errlen);

#endif
