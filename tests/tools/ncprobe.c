/*
 * ncprobe: poll targets over NETCONF with cnetconf_run(), without the
 * CLI, and print what came back.  Used by tests/integration/netconf.sh
 * and to measure the client's cost per session.
 *
 *   ncprobe [-q] [-s] [-T] [-u user] [-k keyfile] [-P passwordfile]
 *           [-K known_hosts] [-p port] [-w workers] [-c connect_ms]
 *           [-t rpc_ms] [-m max_reply] [-r repeat] target...
 *
 * A target is "host[:port]" (default port 830).  Without -p each target
 * is polled on its own port; -p N polls every target on N.  The password
 * comes from -P FILE (mode 0600, first line) or IBAGENT_SSH_PASSWORD,
 * never from the command line.  -r N polls the target list N times.
 *
 * Output, per device in completion order:
 *   device=ADDRESS
 *   status=ok|partial|timeout|auth|refused|badreply|error
 *   err=TEXT
 *   t_ms=MILLISECONDS SINCE THE RUN STARTED
 *   facts_dump() lines (when there are facts, and without -q)
 *   end
 * -s adds one line to stderr: sessions, wall and CPU time, max RSS.
 * Exit: 0 when the run completed (whatever the devices said), 1 when it
 * could not run, 2 for usage errors.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "agent/secret.h"
#include "agent/targets.h"
#include "collector/cnetconf.h"
#include "collector/facts.h"

struct probe {
	int		 quiet;
	uint64_t	 t0_ms;
	size_t		 done;
};

static volatile int	stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static uint64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

static void
result(const struct csnmp_target *t, enum poll_status st, const char *err,
    const struct dev_facts *f, void *arg)
{
	struct probe	*p = arg;

	p->done++;
	printf("device=%s\nstatus=%s\nerr=%s\nt_ms=%llu\n", t->address,
	    poll_status_str(st), err,
	    (unsigned long long)(now_ms() - p->t0_ms));
	if (f != NULL && !p->quiet)
		facts_dump(stdout, f);
	printf("end\n");
	fflush(stdout);
}

static int
num(const char *s, unsigned long max, unsigned long *v)
{
	char	*end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return (errno != 0 || *end != '\0' || end == s || *v > max ? -1 : 0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: ncprobe [-qsT] [-u user] [-k keyfile] "
	    "[-P passwordfile] [-K known_hosts]\n"
	    "               [-p port] [-w workers] [-c connect_ms] [-t rpc_ms] "
	    "[-m max_reply]\n               [-r repeat] target...\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct ssh_cred		 cred;
	struct cnetconf_opts	 o;
	struct target_list	 tl, all;
	struct probe		 p;
	struct rusage		 ru;
	struct sigaction	 sa;
	char			 err[512];
	const char		*pwfile = NULL;
	unsigned long		 v, repeat = 1, r;
	size_t			 i;
	int			 ch, stats = 0, rc = 1;

	memset(&cred, 0, sizeof(cred));
	memset(&p, 0, sizeof(p));
	cnetconf_opts_default(&o);
	o.port = 0;
	targets_init(&tl);
	targets_init(&all);
	while ((ch = getopt(argc, argv, "c:K:k:m:P:p:qr:sTt:u:w:")) != -1) {
		switch (ch) {
		case 'c':
			if (num(optarg, 3600000, &v) == -1 || v == 0)
				usage();
			o.connect_timeout_ms = (unsigned int)v;
			break;
		case 'K':
			snprintf(cred.known_hosts, sizeof(cred.known_hosts), "%s",
			    optarg);
			break;
		case 'k':
			snprintf(cred.key_path, sizeof(cred.key_path), "%s", optarg);
			break;
		case 'm':
			if (num(optarg, SIZE_MAX, &v) == -1 || v == 0)
				usage();
			o.max_reply = (size_t)v;
			break;
		case 'P':
			pwfile = optarg;
			break;
		case 'p':
			if (num(optarg, 65535, &v) == -1 || v == 0)
				usage();
			o.port = (unsigned int)v;
			break;
		case 'q':
			p.quiet = 1;
			break;
		case 'r':
			if (num(optarg, 1000000, &repeat) == -1 || repeat == 0)
				usage();
			break;
		case 's':
			stats = 1;
			break;
		case 'T':
			cred.tofu = 1;
			break;
		case 't':
			if (num(optarg, 3600000, &v) == -1 || v == 0)
				usage();
			o.rpc_timeout_ms = (unsigned int)v;
			break;
		case 'u':
			snprintf(cred.user, sizeof(cred.user), "%s", optarg);
			break;
		case 'w':
			if (num(optarg, 4096, &v) == -1 || v == 0)
				usage();
			o.workers = (unsigned int)v;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	if (pwfile != NULL) {
		if (secret_read_file(pwfile, cred.password, sizeof(cred.password),
		    err, sizeof(err)) == -1) {
			fprintf(stderr, "ncprobe: %s\n", err);
			goto done;
		}
	} else if (secret_from_env("IBAGENT_SSH_PASSWORD", cred.password,
	    sizeof(cred.password)) == -1) {
		fprintf(stderr, "ncprobe: IBAGENT_SSH_PASSWORD is too long\n");
		goto done;
	}
	for (i = 0; i < (size_t)argc; i++)
		if (targets_add(&tl, argv[i], 830, err, sizeof(err)) == -1) {
			fprintf(stderr, "ncprobe: %s\n", err);
			rc = 2;
			goto done;
		}
	/* -r: the same list again, as separate sessions. */
	for (r = 0; r < repeat; r++)
		for (i = 0; i < tl.n; i++) {
			if (targets_add(&all, tl.v[i].address, 830, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "ncprobe: %s\n", err);
				goto done;
			}
			memcpy(all.v[all.n - 1].name, tl.v[i].name,
			    sizeof(all.v[0].name));
		}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	p.t0_ms = now_ms();
	if (cnetconf_run(all.v, all.n, &cred, &o, result, &p, &stop_flag, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "ncprobe: %s\n", err);
		goto done;
	}
	if (stats && getrusage(RUSAGE_SELF, &ru) == 0) {
		double	cpu = (double)ru.ru_utime.tv_sec * 1000.0 +
			    (double)ru.ru_utime.tv_usec / 1000.0 +
			    (double)ru.ru_stime.tv_sec * 1000.0 +
			    (double)ru.ru_stime.tv_usec / 1000.0;
		double	wall = (double)(now_ms() - p.t0_ms);

		fprintf(stderr, "ncprobe: sessions=%zu wall_ms=%.0f cpu_ms=%.1f "
		    "(user %.1f, sys %.1f) cpu_ms_per_session=%.3f "
		    "wall_ms_per_session=%.1f maxrss_kb=%ld\n", p.done, wall, cpu,
		    (double)ru.ru_utime.tv_sec * 1000.0 +
		    (double)ru.ru_utime.tv_usec / 1000.0,
		    (double)ru.ru_stime.tv_sec * 1000.0 +
		    (double)ru.ru_stime.tv_usec / 1000.0,
		    p.done ? cpu / (double)p.done : 0.0,
		    p.done ? wall / (double)p.done : 0.0, ru.ru_maxrss);
	}
	rc = 0;
done:
	cnetconf_cred_clear(&cred);
	targets_free(&tl);
	targets_free(&all);
	return (rc);
}
