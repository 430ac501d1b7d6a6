/*
 * test_config.c: ibagent.conf parsing and validation (agent/config.c),
 * and the schedule arithmetic (agent/schedule.c) on a test clock.
 *
 * Each configuration case is a base file that is valid on its own plus a
 * few lines; the case names the error it must produce, with its line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/config.h"
#include "agent/schedule.h"

static char	tmpdir[256];

/* 8 lines, valid by itself. */
static const char base[] =
    "[ibagent]\n"				/* 1 */
    "db = ib.sqlite\n"				/* 2 */
    "schedule = every 1h\n"			/* 3 */
    "[credentials lab]\n"			/* 4 */
    "community_file = community\n"		/* 5 */
    "[site paris]\n"				/* 6 */
    "targets = 127.0.0.1 127.0.0.2:1161\n"	/* 7 */
    "credentials = lab\n";			/* 8 */

static void
write_file(const char *name, const char *text, mode_t mode)
{
	char	 path[512];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ibagent-test-config.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return (-1);
	write_file("community", "s3cr3t-community\n", 0600);
	write_file("open-secret", "public\n", 0644);
	write_file("group-secret", "public\n", 0640);
	write_file("targets.txt", "# lab\n10.9.0.1\n10.9.0.2:1161\n", 0644);
	write_file("bad-targets.txt", "10.9.0.1\n10.9.0.0/33\n", 0644);
	return (0);
}

static int
teardown(void **state)
{
	char	cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return (system(cmd) == 0 ? 0 : -1);
}

/* Load base + extra; the errors joined by newlines into out. */
static struct conf *
load(const char *extra, char *out, size_t outlen, size_t *nerr)
{
	struct conf_errors	 errs;
	struct conf		*c;
	char			 text[4096], path[512];
	size_t			 i, o = 0;

	snprintf(text, sizeof(text), "%s%s", base, extra);
	write_file("test.conf", text, 0644);
	snprintf(path, sizeof(path), "%s/test.conf", tmpdir);
	c = conf_load(path, &errs);
	out[0] = '\0';
	for (i = 0; i < errs.n; i++)
		o += (size_t)snprintf(out + o, o < outlen ? outlen - o : 0,
		    "%s\n", errs.v[i] + strlen(tmpdir) + 1);
	*nerr = errs.n;
	conf_errors_free(&errs);
	return (c);
}

static void
test_valid_and_defaults(void **state)
{
	struct conf	*c;
	char		 e[4096];
	size_t		 n;

	(void)state;
	c = load("[site berlin]\ntargets_file = targets.txt\ncredentials = lab\n"
	    "port = 1161\ntimeout = 500ms\nprotocols = snmp,netconf\n", e,
	    sizeof(e), &n);
	assert_string_equal(e, "");
	assert_non_null(c);
	assert_int_equal(c->nsites, 2);
	assert_int_equal(c->ncreds, 1);
	assert_int_equal(c->main.schedule.kind, SCHED_INTERVAL);
	assert_int_equal(c->main.schedule.interval_s, 3600);
	assert_int_equal(c->main.jitter_ms, 0);
	assert_int_equal(c->main.log_level, CONF_LOG_INFO);
	assert_true(c->main.as_of == CONF_TODAY);
	/* Relative paths are relative to the file. */
	assert_string_equal(c->main.db + strlen(tmpdir), "/ib.sqlite");
	assert_int_equal(c->sites[0]->port, 161);
	assert_int_equal(c->sites[0]->max_in_flight, 256);
	assert_int_equal(c->sites[0]->timeout_ms, 1000);
	assert_int_equal(c->sites[0]->protocols, 1);
	assert_int_equal(c->sites[0]->targets.n, 2);
	assert_ptr_equal(c->sites[0]->cred, c->creds[0]);
	assert_int_equal(c->sites[1]->port, 1161);
	assert_int_equal(c->sites[1]->timeout_ms, 500);
	assert_int_equal(c->sites[1]->protocols, 3);
	assert_int_equal(c->creds[0]->snmp_version, CONF_SNMP_V2C);
	assert_int_equal(c->creds[0]->ssh_port, 830);
	assert_non_null(conf_site(c, "berlin"));
	assert_null(conf_site(c, "rome"));
	conf_free(c);
}

/* One bad line each (line 9 or later), and the error it must give. */
static void
test_errors_table(void **state)
{
	static const struct {
		const char	*extra;
		const char	*want;
	} cases[] = {
		/* int: syntax, both bounds */
		{ "[site b]\ncredentials = lab\ntargets = 10.0.0.1\n"
		    "max_in_flight = 0\n", "test.conf:12: max_in_flight: '0' is "
		    "not an integer from 1 to 65536" },
		{ "[site b]\ncredentials = lab\ntargets = 10.0.0.1\n"
		    "max_in_flight = 65537\n", "test.conf:12: max_in_flight: "
		    "'65537' is not an integer" },
		{ "[site b]\ncredentials = lab\ntargets = 10.0.0.1\nport = 16x\n",
		    "test.conf:12: port: '16x' is not an integer from 1 to 65535" },
		{ "[site b]\ncredentials = lab\ntargets = 10.0.0.1\nretries = -1\n",
		    "test.conf:12: retries: '-1' is not an integer from 0 to 20" },
		/* bool */
		{ "ssh_tofu = maybe\n", NULL },	/* in [site paris]: unknown */
		{ "[credentials c2]\nssh_tofu = maybe\n",
		    "test.conf:10: ssh_tofu: 'maybe' is not yes or no" },
		/* duration: syntax, range */
		{ "[site b]\ncredentials = lab\ntargets = 10.0.0.1\ntimeout = 5x\n",
		    "test.conf:12: timeout: '5x' is not a duration" },
		{ "[site b]\ncredentials = lab\ntargets = 10.0.0.1\ntimeout = 1h\n",
		    "test.conf:12: timeout: '1h' is out of range (10ms to 10m)" },
		{ "[site b]\ncredentials = lab\ntargets = 10.0.0.1\ntimeout = 5ms\n",
		    "test.conf:12: timeout: '5ms' is out of range" },
		/* enum */
		{ "[site b]\ncredentials = lab\ntargets = 10.0.0.1\n"
		    "protocols = telnet\n", "test.conf:12: protocols: 'telnet': "
		    "want one of snmp, netconf, snmp,netconf" },
		{ "[credentials c2]\nsnmp_version = 1\n",
		    "test.conf:10: snmp_version: '1': want one of 2c, 3" },
		{ "[ibagent]\n", "test.conf:9: [ibagent] again (first at line 1)" },
		{ "[alert a]\nrule = sometimes\n",
		    "test.conf:10: rule: 'sometimes': want one of worse, "
		    "unregistered, replaced, eos" },
		/* path kinds */
		{ "[report r]\nreport = coverage\noutput_dir = nowhere\n",
		    "test.conf:11: output_dir: " },
		{ "[report r]\nreport = coverage\noutput_dir = community\n",
		    "/community: not a directory" },
		{ "[site b]\ncredentials = lab\ntargets_file = missing.txt\n",
		    "test.conf:11: targets_file: " },
		/* secret files: missing, group- or world-readable */
		{ "[credentials c2]\ncommunity_file = open-secret\n",
		    "test.conf:10: community_file: " },
		{ "[credentials c2]\ncommunity_file = open-secret\n",
		    "secret file is accessible by group or others (mode 644); "
		    "chmod 600 it" },
		{ "[credentials c2]\nv3_auth_pass_file = group-secret\n",
		    "(mode 640)" },
		{ "[credentials c2]\nssh_password_file = nope\n",
		    "test.conf:10: ssh_password_file: " },
		/* unknown key, unknown section, duplicates, syntax */
		{ "colour = blue\n",
		    "test.conf:9: unknown key 'colour' in [site]" },
		{ "[sites x]\n", "test.conf:9: unknown section [sites x]" },
		{ "[site]\n", "test.conf:9: [site NAME]: NAME is one word" },
		{ "[site paris]\n", "test.conf:9: [site paris] again (first at "
		    "line 6)" },
		{ "credentials = lab\n",
		    "test.conf:9: 'credentials' again (first at line 8)" },
		{ "just some words\n", "test.conf:9: syntax error" },
		{ "[site b\n", "test.conf:9: syntax error: a section header" },
		/* required keys, references */
		{ "[site b]\ntargets = 10.0.0.1\n",
		    "test.conf:9: [site b]: 'credentials' is required" },
		{ "[site b]\ntargets = 10.0.0.1\ncredentials = nobody\n",
		    "test.conf:11: credentials: no [credentials nobody] section" },
		{ "[site b]\ncredentials = lab\n",
		    "test.conf:9: [site b]: give targets or targets_file" },
		{ "[report r]\noutput_dir = .\n",
		    "test.conf:9: [report r]: 'report' is required" },
		{ "[credentials v3]\nsnmp_version = 3\n[site b]\ncredentials = v3\n"
		    "targets = 10.0.0.1\n", "test.conf:9: [credentials v3]: SNMPv3 "
		    "needs v3_user" },
		/* targets, checked as a scan would */
		{ "targets = 10.0.0.0/33\n", "test.conf:9: targets: " },
		{ "[site b]\ncredentials = lab\ntargets_file = bad-targets.txt\n",
		    "bad-targets.txt:2: " },
	};
	struct conf	*c;
	char		 e[4096];
	size_t		 i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = load(cases[i].extra, e, sizeof(e), &n);
		if (cases[i].want == NULL) {
			assert_null(c);
			continue;
		}
		if (c != NULL || strstr(e, cases[i].want) == NULL)
			fail_msg("case %zu (%s): want '%s', got '%s'", i,
			    cases[i].extra, cases[i].want, e);
		assert_true(n >= 1);
	}
}

/* Keys of [ibagent] (line 2 of a file whose other sections are base's). */
static void
test_main_errors(void **state)
{
	static const struct {
		const char	*line;
		const char	*want;
	} cases[] = {
		{ "schedule = hourly", "schedule: 'hourly': want 'every "
		    "DURATION'" },
		{ "schedule = daily 25:00", "schedule: '25:00' is not a time of "
		    "day" },
		{ "schedule = daily 2:30", "schedule: '2:30' is not a time" },
		{ "schedule = weekly funday 02:00", "schedule: 'funday' is not a "
		    "day of the week" },
		{ "schedule = weekly mon 02:60", "schedule: '02:60' is not a "
		    "time of day" },
		{ "schedule = every 5s", "schedule: '5s': the interval must be "
		    "whole seconds, at least 10s" },
		{ "schedule = every soon", "schedule: 'soon' is not a duration" },
		{ "jitter = 13h", "jitter: '13h' is out of range (0s to 12h)" },
		{ "log_level = loud", "log_level: 'loud': want one of warning, "
		    "info, debug" },
		{ "as_of = 2026-13-01", "as_of: '2026-13-01' is not a date" },
		{ "db = ", "db: empty path" },
	};
	struct conf_errors	 errs;
	struct conf		*c;
	char			 text[1024], path[512], want[256];
	size_t			 i;

	(void)state;
	snprintf(path, sizeof(path), "%s/main.conf", tmpdir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "[ibagent]\n%s\n%s", cases[i].line,
		    strstr(base, "[credentials"));
		write_file("main.conf", text, 0644);
		c = conf_load(path, &errs);
		assert_null(c);
		snprintf(want, sizeof(want), "main.conf:2: %s", cases[i].want);
		if (errs.n != 1 || strstr(errs.v[0], want) == NULL)
			fail_msg("%s: want '%s', got %zu errors, '%s'",
			    cases[i].line, want, errs.n, errs.n ? errs.v[0] : "");
		conf_errors_free(&errs);
	}
	/* And the good forms. */
	snprintf(text, sizeof(text), "[ibagent]\nschedule = weekly Sun 03:00\n"
	    "jitter = 10m\nlog_level = debug\nas_of = 2026-05-01\n%s",
	    strstr(base, "[credentials"));
	write_file("main.conf", text, 0644);
	assert_non_null(c = conf_load(path, &errs));
	assert_int_equal(c->main.schedule.kind, SCHED_WEEKLY);
	assert_int_equal(c->main.schedule.wday, 0);
	assert_int_equal(c->main.jitter_ms, 600000);
	assert_int_equal(c->main.log_level, CONF_LOG_DEBUG);
	assert_int_equal(c->main.as_of, 20574);
	conf_free(c);
}

/* Every error of a file in one go, each with its own line. */
static void
test_all_errors_at_once(void **state)
{
	struct conf	*c;
	char		 e[4096];
	size_t		 n;

	(void)state;
	c = load("timeout = forever\n"			/* 9 */
	    "colour = blue\n"				/* 10 */
	    "[credentials c2]\n"			/* 11 */
	    "community_file = open-secret\n"		/* 12 */
	    "no equals sign here\n"			/* 13 */
	    "[report r]\n"				/* 14 */
	    "output_dir = .\n", e, sizeof(e), &n);	/* 15 */
	assert_null(c);
	assert_int_equal(n, 5);
	assert_non_null(strstr(e, "test.conf:9: timeout: 'forever'"));
	assert_non_null(strstr(e, "test.conf:10: unknown key 'colour'"));
	assert_non_null(strstr(e, "test.conf:12: community_file: "));
	assert_non_null(strstr(e, "test.conf:13: syntax error"));
	assert_non_null(strstr(e, "test.conf:14: [report r]: 'report' is "
	    "required"));
}

static void
test_missing_file(void **state)
{
	struct conf_errors	 errs;

	(void)state;
	assert_null(conf_load("/nonexistent/ibagent.conf", &errs));
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.v[0], "/nonexistent/ibagent.conf: No such "
	    "file or directory");
	conf_errors_free(&errs);
}

static void
test_long_line(void **state)
{
	struct conf	*c;
	char		 extra[6000], e[4096];
	size_t		 n;

	(void)state;
	memset(extra, 'x', 5000);
	memcpy(extra, "targets = ", 10);
	snprintf(extra + 5000, sizeof(extra) - 5000, "\n");
	c = load(extra, e, sizeof(e), &n);
	assert_null(c);
	assert_non_null(strstr(e, "test.conf:9: line longer than"));
}

/* check-config -v: every key, defaults marked, no secret contents. */
static void
test_print_masks_secrets(void **state)
{
	struct conf	*c;
	char		 e[4096], *buf = NULL;
	size_t		 n, len = 0;
	FILE		*fp;

	(void)state;
	c = load("[alert lapse]\nrule = worse\nhook = /usr/local/bin/page-me\n",
	    e, sizeof(e), &n);
	assert_non_null(c);
	assert_non_null(fp = open_memstream(&buf, &len));
	conf_print(c, fp);
	fclose(fp);
	assert_null(strstr(buf, "s3cr3t-community"));
	assert_non_null(strstr(buf, "community_file = "));
	assert_non_null(strstr(buf, "# secret file: its contents are never "
	    "shown"));
	assert_non_null(strstr(buf, "schedule = every 1h\n"));
	assert_non_null(strstr(buf, "max_in_flight = 256\t# default\n"));
	assert_non_null(strstr(buf, "[alert lapse]\nrule = worse\n"));
	assert_non_null(strstr(buf, "syslog = yes\t# default\n"));
	free(buf);
	conf_free(c);
}

/* Schedules on a test clock, in UTC (no DST). */
static time_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (timegm(&tm));
}

static void
test_schedule_next(void **state)
{
	struct schedule	s;
	char		err[200], buf[64];
	time_t		now = utc(2026, 3, 4, 10, 15);	/* a Wednesday */
	long long	j;
	unsigned long	r;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();

	assert_int_equal(sched_parse("every 6h", &s, err, sizeof(err)), 0);
	sched_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "every 6h");
	/* The first scan is at once; then every 6 h from the planned start. */
	assert_int_equal(sched_next(&s, 0, now), now);
	assert_int_equal(sched_next(&s, now, now + 120), now + 6 * 3600);
	/* A scan that overran: the next starts now, no catch-up burst. */
	assert_int_equal(sched_next(&s, now, now + 7 * 3600), now + 7 * 3600);

	assert_int_equal(sched_parse("daily 02:30", &s, err, sizeof(err)), 0);
	assert_int_equal(sched_next(&s, 0, now), utc(2026, 3, 5, 2, 30));
	assert_int_equal(sched_next(&s, 0, utc(2026, 3, 4, 2, 29)),
	    utc(2026, 3, 4, 2, 30));
	/* Strictly after: at 02:30 itself, tomorrow. */
	assert_int_equal(sched_next(&s, utc(2026, 3, 4, 2, 30),
	    utc(2026, 3, 4, 2, 30)), utc(2026, 3, 5, 2, 30));
	/* Month and year ends. */
	assert_int_equal(sched_next(&s, 0, utc(2026, 12, 31, 23, 0)),
	    utc(2027, 1, 1, 2, 30));

	assert_int_equal(sched_parse("weekly sun 03:00", &s, err, sizeof(err)), 0);
	sched_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "weekly sun 03:00");
	assert_int_equal(sched_next(&s, 0, now), utc(2026, 3, 8, 3, 0));
	assert_int_equal(sched_next(&s, utc(2026, 3, 8, 3, 0),
	    utc(2026, 3, 8, 3, 0)), utc(2026, 3, 15, 3, 0));
	assert_int_equal(sched_parse("weekly Wednesday 10:16", &s, err,
	    sizeof(err)), 0);
	assert_int_equal(sched_next(&s, 0, now), utc(2026, 3, 4, 10, 16));

	/* Jitter stays within [0, jitter]. */
	assert_int_equal(sched_jitter(0, 12345), 0);
	for (r = 0; r < 5000; r++) {
		j = sched_jitter(600, r * 2654435761UL);
		assert_true(j >= 0 && j <= 600);
	}
	assert_int_equal(sched_jitter(600, 600), 600);
	assert_int_equal(sched_jitter(600, 601), 0);
}

/* A local time zone with DST: the skipped hour, and the doubled one. */
static void
test_schedule_dst(void **state)
{
	struct schedule	s;
	char		err[200];
	time_t		t;
	struct tm	tm;

	(void)state;
	if (access("/usr/share/zoneinfo/Europe/Paris", R_OK) == -1)
		skip();
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	/* 2026-03-29 02:30 does not exist in Paris (02:00 -> 03:00). */
	assert_int_equal(sched_parse("daily 02:30", &s, err, sizeof(err)), 0);
	t = sched_next(&s, 0, utc(2026, 3, 28, 12, 0));
	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_mday, 29);
	assert_int_equal(tm.tm_hour, 3);
	assert_int_equal(tm.tm_min, 30);
	/* The next one is the next day's 02:30 again. */
	t = sched_next(&s, t, t);
	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_mday, 30);
	assert_int_equal(tm.tm_hour, 2);
	/* 2026-10-25 02:30 happens twice: the scan runs once that day. */
	t = sched_next(&s, 0, utc(2026, 10, 24, 12, 0));
	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_mday, 25);
	t = sched_next(&s, t, t);
	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_mday, 26);
	setenv("TZ", "UTC", 1);
	tzset();
}

static void
test_duration(void **state)
{
	static const struct {
		const char	*in;
		long long	 ms;
		const char	*out;
	} ok[] = {
		{ "90", 90000, "90s" }, { "90s", 90000, "90s" },
		{ "10m", 600000, "10m" }, { "6h", 21600000, "6h" },
		{ "7d", 604800000, "7d" }, { "500ms", 500, "500ms" },
		{ "120m", 7200000, "2h" }, { "0s", 0, "0s" },
	};
	static const char *const bad[] = { "", "-1s", "5x", "s", "1.5h",
	    "10 m", "99999999999999999999" };
	char		 err[200], buf[32];
	long long	 ms;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(duration_parse(ok[i].in, &ms, err, sizeof(err)),
		    0);
		assert_int_equal(ms, ok[i].ms);
		duration_format(ms, buf, sizeof(buf));
		assert_string_equal(buf, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(duration_parse(bad[i], &ms, err, sizeof(err)),
		    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_and_defaults),
		cmocka_unit_test(test_errors_table),
		cmocka_unit_test(test_main_errors),
		cmocka_unit_test(test_all_errors_at_once),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_print_masks_secrets),
		cmocka_unit_test(test_schedule_next),
		cmocka_unit_test(test_schedule_dst),
		cmocka_unit_test(test_duration),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
