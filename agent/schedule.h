/*
 * schedule.h: when the daemon scans.  Pure functions of a schedule and a
 * clock value, so tests drive them with any "now".
 *
 *   every DURATION          fixed interval ("every 6h", "every 90s")
 *   daily HH:MM             each day at that local time
 *   weekly DAY HH:MM        each week (DAY: mon..sun) at that local time
 *
 * Times of day are local time (TZ).  Across a DST change, a daily or
 * weekly time that does not exist that day (the skipped hour) runs at
 * the same wall-clock offset after the jump, as mktime() normalises it;
 * a time that occurs twice runs once (the first).  Run the daemon with
 * TZ=UTC to have no DST at all.  Intervals are plain seconds, unaffected.
 */
#ifndef IB_SCHEDULE_H
#define IB_SCHEDULE_H

#include <time.h>

enum sched_kind { SCHED_INTERVAL = 0, SCHED_DAILY, SCHED_WEEKLY };

struct schedule {
	enum sched_kind	 kind;
	long long	 interval_s;	/* SCHED_INTERVAL, >= 1 */
	int		 hour, min;	/* SCHED_DAILY, SCHED_WEEKLY */
	int		 wday;		/* SCHED_WEEKLY, 0 = Sunday */
};

/* Parse "every 6h", "daily 02:30", "weekly sun 03:00".  0, or -1 with err. */
int	 sched_parse(const char *, struct schedule *, char *err, size_t errlen);
/* The canonical text of a schedule ("daily 02:30"). */
void	 sched_format(const struct schedule *, char *buf, size_t len);

/*
 * The next start strictly after the previous one.  prev is the last
 * planned start (not counting jitter), or 0 before the first scan.
 * Interval: prev + interval, or now when that is past (a scan that
 * overran is not followed by a burst of catch-up scans) or when prev
 * is 0.  Daily/weekly: the first such local time strictly after
 * max(now, prev).  Jitter is not included: see sched_jitter().
 */
time_t	 sched_next(const struct schedule *, time_t prev, time_t now);

/*
 * The delay added to a planned start: rnd mapped onto [0, jitter_s].
 * rnd is any random number (the daemon draws one per start).
 */
long long sched_jitter(long long jitter_s, unsigned long rnd);

/*
 * Parse a duration: a number with a unit, ms s m h d (or none: seconds),
 * "90s", "10m", "500ms".  Milliseconds into *ms.  0, or -1 with err.
 */
int	 duration_parse(const char *, long long *ms, char *err, size_t errlen);
/* "90s", "10m", "6h", "500ms": the largest exact unit. */
void	 duration_format(long long ms, char *buf, size_t len);

#endif
