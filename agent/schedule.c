/*
 * schedule.c: schedule and duration parsing, and the next start time
 * (schedule.h).  No clock is read here: callers pass "now".
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schedule.h"

static const char *const wdays[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

int
duration_parse(const char *s, long long *ms, char *err, size_t errlen)
{
	static const struct { const char *u; long long mul; } units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 }
	};
	char		*end;
	long long	 v;
	size_t		 i;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		goto bad;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0 || v > 100LL * 365 * 86400)
		goto bad;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].u) == 0) {
			*ms = v * units[i].mul;
			return (0);
		}
bad:
	snprintf(err, errlen, "'%s' is not a duration (a number with ms, s, "
	    "m, h or d)", s);
	return (-1);
}

void
duration_format(long long ms, char *buf, size_t len)
{
	if (ms != 0 && ms % 86400000 == 0)
		snprintf(buf, len, "%lldd", ms / 86400000);
	else if (ms != 0 && ms % 3600000 == 0)
		snprintf(buf, len, "%lldh", ms / 3600000);
	else if (ms != 0 && ms % 60000 == 0)
		snprintf(buf, len, "%lldm", ms / 60000);
	else if (ms % 1000 == 0)
		snprintf(buf, len, "%llds", ms / 1000);
	else
		snprintf(buf, len, "%lldms", ms);
}

/* "HH:MM" into h, m. */
static int
parse_hhmm(const char *s, int *h, int *m)
{
	if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return (-1);
	*h = (s[0] - '0') * 10 + (s[1] - '0');
	*m = (s[3] - '0') * 10 + (s[4] - '0');
	return (*h > 23 || *m > 59 ? -1 : 0);
}

int
sched_parse(const char *s, struct schedule *out, char *err, size_t errlen)
{
	char		 w[3][32];
	char		 e[128];
	long long	 ms;
	int		 n, i;

	memset(out, 0, sizeof(*out));
	n = sscanf(s, "%31s %31s %31s", w[0], w[1], w[2]);
	if (n == 2 && strcmp(w[0], "every") == 0) {
		if (duration_parse(w[1], &ms, e, sizeof(e)) == -1) {
			snprintf(err, errlen, "%s", e);
			return (-1);
		}
		if (ms < 10000 || ms % 1000 != 0) {
			snprintf(err, errlen, "'%s': the interval must be whole "
			    "seconds, at least 10s", w[1]);
			return (-1);
		}
		out->kind = SCHED_INTERVAL;
		out->interval_s = ms / 1000;
		return (0);
	}
	if (n == 2 && strcmp(w[0], "daily") == 0) {
		if (parse_hhmm(w[1], &out->hour, &out->min) == -1)
			goto badtime;
		out->kind = SCHED_DAILY;
		return (0);
	}
	if (n == 3 && strcmp(w[0], "weekly") == 0) {
		for (i = 0; i < 7; i++)
			if (strncasecmp(w[1], wdays[i], 3) == 0 &&
			    strlen(w[1]) >= 3)
				break;
		if (i == 7) {
			snprintf(err, errlen, "'%s' is not a day of the week "
			    "(mon..sun)", w[1]);
			return (-1);
		}
		out->wday = i;
		if (parse_hhmm(w[2], &out->hour, &out->min) == -1)
			goto badtime;
		out->kind = SCHED_WEEKLY;
		return (0);
	}
	snprintf(err, errlen, "'%s': want 'every DURATION', 'daily HH:MM' or "
	    "'weekly DAY HH:MM'", s);
	return (-1);
badtime:
	snprintf(err, errlen, "'%s' is not a time of day (HH:MM, 00:00 to "
	    "23:59)", w[n - 1]);
	return (-1);
}

void
sched_format(const struct schedule *s, char *buf, size_t len)
{
	char	d[32];

	switch (s->kind) {
	case SCHED_INTERVAL:
		duration_format(s->interval_s * 1000, d, sizeof(d));
		snprintf(buf, len, "every %s", d);
		break;
	case SCHED_DAILY:
		snprintf(buf, len, "daily %02d:%02d", s->hour, s->min);
		break;
	case SCHED_WEEKLY:
		snprintf(buf, len, "weekly %s %02d:%02d", wdays[s->wday],
		    s->hour, s->min);
		break;
	}
}

time_t
sched_next(const struct schedule *s, time_t prev, time_t now)
{
	struct tm	 tm;
	time_t		 from, t;
	int		 i;

	if (s->kind == SCHED_INTERVAL) {
		if (prev == 0 || prev + s->interval_s <= now)
			return (now);
		return (prev + s->interval_s);
	}
	from = prev > now ? prev : now;
	/* Try each of the next 8 days at HH:MM local; the first after from. */
	for (i = 0; i < 9; i++) {
		localtime_r(&from, &tm);
		tm.tm_mday += i;
		tm.tm_hour = s->hour;
		tm.tm_min = s->min;
		tm.tm_sec = 0;
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1)
			continue;
		if (t <= from)
			continue;
		if (s->kind == SCHED_WEEKLY && tm.tm_wday != s->wday)
			continue;
		return (t);
	}
	return (from + 86400);		/* not reached */
}

long long
sched_jitter(long long jitter_s, unsigned long rnd)
{
	if (jitter_s <= 0)
		return (0);
	return ((long long)(rnd % ((unsigned long long)jitter_s + 1)));
}
