/*
 * daemon.c: `ibagent run` and `ibagent check-config`.
 *
 * One process, one thread of control: scans run in process (scan.h), one
 * site after another, never two at a time.  Signals are blocked except
 * while a scan runs: between scans the loop takes them synchronously with
 * sigtimedwait() (no handler races); during a scan SIGTERM/SIGINT reach a
 * handler that sets the scan's stop flag (devices finished are stored,
 * devices in flight are stored as interrupted), and SIGHUP stays pending
 * until the scan is over.  A reload parses the file into a new struct
 * conf and swaps it in only if it is valid.
 *
 * One instance per database: an exclusive flock(2) on DB.lock, held for
 * the life of the process (the kernel drops it if we die).
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "../db/alert.h"
#include "../db/db.h"
#include "../entitlement/ent_rules.h"
#include "alert.h"
#include "config.h"
#include "daemon.h"
#include "log.h"
#include "report.h"
#include "scan.h"
#include "secret.h"
#include "targets.h"

static volatile int	stop_flag;	/* set by SIGTERM/SIGINT in a scan */

/* The previous poll status of each device, for state-change lines. */
struct devstate {
	char		*address;
	char		 status[12];
};

struct daemon {
	struct conf	*conf;
	const char	*conf_path;
	const char	*dbpath;	/* dbpath_buf: outlives a reload */
	char		 dbpath_buf[4096];
	struct db	*db;
	int		 use_syslog;
	int		 verbose_bump;	/* -v/-q on the command line */
	struct devstate	*dev;		/* open addressing, ndev_cap slots */
	size_t		 ndev, ndev_cap;
	const char	*site;		/* being scanned, for log lines */
	int64_t		 last_scan;
};

static const char usage_run[] =
"usage: ibagent [--db PATH] [-v | -q] run [-c FILE] [--once] [--syslog | --stderr]\n"
"       ibagent check-config [-c FILE] [-v]\n"
"\n"
"run: scan every [site] of the configuration on its schedule, write the\n"
"report jobs after each scan, evaluate the alerts.  Stays in the\n"
"foreground (for systemd); SIGHUP reloads the file (kept only if valid),\n"
"SIGTERM/SIGINT stop after saving the devices already polled.\n"
"  -c FILE     configuration (default: $IBAGENT_CONF, else " IBAGENT_CONF ")\n"
"  --once      one scan of every site now, reports and alerts, then exit\n"
"              (exit status 3 if an alert fired: for cron)\n"
"  --syslog    log to syslog (the default when stderr is not a terminal)\n"
"  --stderr    log to stderr\n"
"check-config: validate the file, print every error as FILE:LINE: message;\n"
"  -v prints the effective configuration (secret files are never read).\n"
"Exit status: 0 ok, 1 failure or invalid configuration, 2 usage error,\n"
"3 (--once) an alert fired.\n";

void
daemon_usage(FILE *out)
{
	fputs(usage_run, out);
}

static void
on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static const char *
conf_path_default(const char *given)
{
	const char	*env = getenv("IBAGENT_CONF");

	if (given != NULL)
		return (given);
	if (env != NULL && *env != '\0')
		return (env);
	return (IBAGENT_CONF);
}

static struct conf *
load_or_log(const char *path)
{
	struct conf_errors	 errs;
	struct conf		*c;
	size_t			 i;

	if ((c = conf_load(path, &errs)) == NULL) {
		for (i = 0; i < errs.n; i++)
			log_warnx("%s", errs.v[i]);
		log_warnx("%s: %zu error%s", path, errs.n, errs.n == 1 ? "" : "s");
	}
	conf_errors_free(&errs);
	return (c);
}

int
cmd_check_config(int argc, char **argv)
{
	struct conf	*c;
	const char	*path = NULL;
	int		 ch, verbose = 0;

	optind = 1;
	while ((ch = getopt(argc, argv, "c:vh")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			fputs(usage_run, stdout);
			return (0);
		default:
			fputs(usage_run, stderr);
			return (2);
		}
	}
	if (optind != argc) {
		fputs(usage_run, stderr);
		return (2);
	}
	path = conf_path_default(path);
	if ((c = load_or_log(path)) == NULL)
		return (1);
	if (verbose)
		conf_print(c, stdout);
	else if (log_verbose >= 1)
		printf("%s: ok\n", path);
	conf_free(c);
	return (fflush(stdout) == EOF ? 1 : 0);
}

/* --- device states ------------------------------------------------------ */

static size_t
dev_hash(const char *s)
{
	size_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h);
}

/* The slot of address (maybe empty); NULL only if out of memory. */
static struct devstate *
dev_slot(struct daemon *d, const char *address)
{
	struct devstate	*old, *s;
	size_t		 i, oldcap;

	if (d->ndev * 2 >= d->ndev_cap) {
		old = d->dev;
		oldcap = d->ndev_cap;
		d->ndev_cap = oldcap ? oldcap * 2 : 1024;
		if ((d->dev = calloc(d->ndev_cap, sizeof(*d->dev))) == NULL) {
			d->dev = old;
			d->ndev_cap = oldcap;
			return (NULL);
		}
		for (i = 0; i < oldcap; i++)
			if (old[i].address != NULL) {
				s = &d->dev[dev_hash(old[i].address) &
				    (d->ndev_cap - 1)];
				while (s->address != NULL)
					s = s + 1 == d->dev + d->ndev_cap ?
					    d->dev : s + 1;
				*s = old[i];
			}
		free(old);
	}
	s = &d->dev[dev_hash(address) & (d->ndev_cap - 1)];
	while (s->address != NULL && strcmp(s->address, address) != 0)
		s = s + 1 == d->dev + d->ndev_cap ? d->dev : s + 1;
	return (s);
}

static int
dev_seed(const char *address, const char *status, void *arg)
{
	struct daemon	*d = arg;
	struct devstate	*s;

	if (address == NULL || status == NULL)
		return (0);
	if ((s = dev_slot(d, address)) == NULL)
		return (-1);
	if (s->address == NULL) {
		if ((s->address = strdup(address)) == NULL)
			return (-1);
		d->ndev++;
	}
	snprintf(s->status, sizeof(s->status), "%s", status);
	return (0);
}

/* One line per change of a device's status, not one per failure. */
static void
on_device(const struct csnmp_target *t, enum poll_status st, const char *err,
    void *arg)
{
	struct daemon	*d = arg;
	struct devstate	*s;
	const char	*now = poll_status_str(st);
	int		 ok = st == POLL_OK;

	if ((s = dev_slot(d, t->address)) == NULL)
		return;
	if (s->address == NULL) {
		if ((s->address = strdup(t->address)) == NULL)
			return;
		s->status[0] = '\0';
		d->ndev++;
	}
	if (strcmp(s->status, now) == 0)
		return;
	if (s->status[0] == '\0') {
		if (ok)
			log_debug("site %s: %s: new device: ok", d->site,
			    t->address);
		else
			log_warnx("site %s: %s: new device: %s: %s", d->site,
			    t->address, now, err);
	} else if (ok)
		log_info("site %s: %s: %s -> ok", d->site, t->address,
		    s->status);
	else
		log_warnx("site %s: %s: %s -> %s: %s", d->site, t->address,
		    s->status, now, err);
	snprintf(s->status, sizeof(s->status), "%s", now);
}

static void
dev_free(struct daemon *d)
{
	size_t	i;

	for (i = 0; i < d->ndev_cap; i++)
		free(d->dev[i].address);
	free(d->dev);
	d->dev = NULL;
	d->ndev = d->ndev_cap = 0;
}

/* --- one cycle: scans, reports, alerts ----------------------------------- */

/* Read a site's secrets into the credential structs.  0 or -1 (logged). */
static int
site_creds(const struct conf_site *s, struct snmp_cred *sc,
    struct ssh_cred *hc)
{
	const struct conf_cred	*c = s->cred;
	char			 err[1024];

	memset(sc, 0, sizeof(*sc));
	memset(hc, 0, sizeof(*hc));
	sc->version = c->snmp_version == CONF_SNMP_V3 ? 3 : 2;
	sc->auth = (enum snmp_auth)c->v3_auth_proto;
	sc->priv = (enum snmp_priv)c->v3_priv_proto;
	if (s->protocols & SCAN_PROTO_SNMP) {
		if (sc->version == 2 && secret_read_file(c->community_file,
		    sc->community, sizeof(sc->community), err, sizeof(err)) == -1)
			goto fail;
		if (sc->version == 3) {
			snprintf(sc->user, sizeof(sc->user), "%s", c->v3_user);
			if (secret_read_file(c->v3_auth_pass_file, sc->auth_pass,
			    sizeof(sc->auth_pass), err, sizeof(err)) == -1 ||
			    secret_read_file(c->v3_priv_pass_file, sc->priv_pass,
			    sizeof(sc->priv_pass), err, sizeof(err)) == -1)
				goto fail;
		}
	}
	if (s->protocols & SCAN_PROTO_NETCONF) {
		if (c->ssh_user != NULL)
			snprintf(hc->user, sizeof(hc->user), "%s", c->ssh_user);
		if (c->ssh_key != NULL)
			snprintf(hc->key_path, sizeof(hc->key_path), "%s",
			    c->ssh_key);
		if (c->known_hosts != NULL)
			snprintf(hc->known_hosts, sizeof(hc->known_hosts), "%s",
			    c->known_hosts);
		hc->tofu = (int)c->ssh_tofu;
		if (c->ssh_password_file != NULL && secret_read_file(
		    c->ssh_password_file, hc->password, sizeof(hc->password),
		    err, sizeof(err)) == -1)
			goto fail;
	}
	return (0);
fail:
	log_warnx("site %s: credentials %s: %s; site not scanned", s->o.name,
	    c->o.name, err);
	csnmp_cred_clear(sc);
	cnetconf_cred_clear(hc);
	return (-1);
}

/* Scan one site.  Returns 0, or -1 on a local or database failure. */
static int
scan_site(struct daemon *d, const struct conf_site *s)
{
	struct target_list	 tl;
	struct snmp_cred	 sc;
	struct ssh_cred		 hc;
	struct csnmp_opts	 so;
	struct cnetconf_opts	 no;
	struct scan_params	 sp;
	struct scan_summary	 sum;
	struct sigaction	 sa;
	sigset_t		 stopset;
	char			 err[1024], summary[512], *spec;
	unsigned int		 port = (unsigned int)s->port;
	size_t			 i;
	int			 rc = -1, r;

	targets_init(&tl);
	if (s->protocols == SCAN_PROTO_NETCONF)
		port = (unsigned int)s->cred->ssh_port;
	for (i = 0; i < s->targets.n; i++)
		if (targets_add(&tl, s->targets.v[i], port, err,
		    sizeof(err)) == -1) {
			log_warnx("site %s: target %s; site not scanned",
			    s->o.name, err);
			goto done;
		}
	if (s->targets_file != NULL) {
		if (asprintf(&spec, "@%s", s->targets_file) == -1)
			goto done;
		r = targets_add(&tl, spec, port, err, sizeof(err));
		free(spec);
		if (r == -1) {
			log_warnx("site %s: targets_file: %s; site not scanned",
			    s->o.name, err);
			goto done;
		}
	}
	targets_dedup(&tl);
	if (tl.n == 0) {
		log_warnx("site %s: the targets name no address", s->o.name);
		rc = 0;
		goto done;
	}
	if (site_creds(s, &sc, &hc) == -1) {
		rc = 0;		/* the other sites still scan */
		goto done;
	}
	csnmp_opts_default(&so);
	so.max_inflight = (unsigned int)s->max_in_flight;
	so.timeout_ms = (unsigned int)s->timeout_ms;
	so.retries = (unsigned int)s->retries;
	cnetconf_opts_default(&no);
	no.workers = (unsigned int)s->ssh_workers;
	no.rpc_timeout_ms = (unsigned int)s->ssh_timeout_ms;
	no.connect_timeout_ms = no.rpc_timeout_ms < 10000 ?
	    no.rpc_timeout_ms : 10000;
	no.port = s->protocols == SCAN_PROTO_NETCONF ? 0 :
	    (unsigned int)s->cred->ssh_port;
	snprintf(summary, sizeof(summary), "run site=%s protocols=%s%s%s "
	    "targets=%zu timeout=%lld retries=%lld max-inflight=%lld", s->o.name,
	    s->protocols & SCAN_PROTO_SNMP ? (sc.version == 3 ? "snmp-v3" :
	    "snmp-v2c") : "", s->protocols == 3 ? "," : "",
	    s->protocols & SCAN_PROTO_NETCONF ? "netconf" : "", tl.n,
	    s->timeout_ms, s->retries, s->max_in_flight);
	memset(&sp, 0, sizeof(sp));
	sp.protocols = (int)s->protocols;
	sp.targets = &tl;
	sp.snmp = &sc;
	sp.snmp_opts = &so;
	sp.ssh = &hc;
	sp.netconf_opts = &no;
	sp.summary = summary;
	sp.dbpath = d->dbpath;
	sp.on_device = on_device;
	sp.arg = d;
	d->site = s->o.name;

	/* SIGTERM/SIGINT may now stop the scan; SIGHUP waits. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&stopset);
	sigaddset(&stopset, SIGTERM);
	sigaddset(&stopset, SIGINT);
	log_info("site %s: scanning %zu devices", s->o.name, tl.n);
	sigprocmask(SIG_UNBLOCK, &stopset, NULL);
	r = scan_run(&sp, d->db, &stop_flag, &sum, err, sizeof(err));
	sigprocmask(SIG_BLOCK, &stopset, NULL);
	csnmp_cred_clear(&sc);
	cnetconf_cred_clear(&hc);
	if (r == -1) {
		log_warnx("site %s: %s", s->o.name, err);
		goto done;
	}
	d->last_scan = sum.scan_id;
	log_info("site %s: scan %lld: %zu devices in %.1f s: %zu ok, %zu "
	    "partial, %zu failed%s", s->o.name, (long long)sum.scan_id,
	    sum.done, (double)sum.elapsed_ms / 1000.0, sum.counts[POLL_OK],
	    sum.counts[POLL_PARTIAL], scan_failed(&sum),
	    sum.interrupted ? " (interrupted: the devices done are saved)" : "");
	rc = 0;
done:
	targets_free(&tl);
	return (rc);
}

static const char *
report_ext(const char *format)
{
	if (strcmp(format, "text") == 0)
		return ("txt");
	return (format);
}

/* Remove NAME-*.EXT files of a report job older than its retention. */
static void
report_prune(const struct conf_report *r, time_t now)
{
	DIR		*dir;
	struct dirent	*de;
	struct stat	 st;
	char		 prefix[128], path[4096];
	const char	*ext = report_ext(r->format);
	size_t		 pl, nl, el = strlen(ext);

	snprintf(prefix, sizeof(prefix), "%s-", r->o.name);
	pl = strlen(prefix);
	if ((dir = opendir(r->output_dir)) == NULL) {
		log_warn("report %s: %s", r->o.name, r->output_dir);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		nl = strlen(de->d_name);
		if (nl <= pl + el + 1 || strncmp(de->d_name, prefix, pl) != 0 ||
		    de->d_name[nl - el - 1] != '.' ||
		    strcmp(de->d_name + nl - el, ext) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", r->output_dir, de->d_name);
		if (lstat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		if ((long long)(now - st.st_mtime) * 1000 <= r->retention_ms)
			continue;
		if (unlink(path) == -1)
			log_warn("report %s: %s", r->o.name, path);
		else
			log_info("report %s: removed %s (older than its "
			    "retention)", r->o.name, path);
	}
	closedir(dir);
}

/*
 * One report job in a child process: a report that fails, leaks or
 * crashes cannot take the daemon with it, and each report starts from a
 * clean process.  The child opens its own database connection and never
 * touches the parent's.  Returns the report's exit status.
 */
static int
report_child(const char *dbpath, int argc, char **argv)
{
	sigset_t	 none;
	pid_t		 pid;
	int		 status;

	fflush(NULL);
	if ((pid = fork()) == -1) {
		log_warn("report: fork");
		return (1);
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		status = cmd_report(dbpath, argc, argv);
		fflush(NULL);
		_exit(status);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			log_warn("report: waitpid");
			return (1);
		}
	if (WIFSIGNALED(status)) {
		log_warnx("report: killed by signal %d", WTERMSIG(status));
		return (1);
	}
	return (WEXITSTATUS(status));
}

static void
run_reports(struct daemon *d, const char *as_of)
{
	const struct conf	*c = d->conf;
	char			 path[4096], stamp[32], *args, *w, *save;
	char			*argv[64];
	struct tm		 tm;
	time_t			 now = time(NULL);
	size_t			 i;
	int			 argc, r;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (i = 0; i < c->nreports; i++) {
		const struct conf_report	*rep = c->reports[i];

		snprintf(path, sizeof(path), "%s/%s-%s.%s", rep->output_dir,
		    rep->o.name, stamp, report_ext(rep->format));
		if ((args = strdup(rep->args)) == NULL)
			continue;
		argc = 0;
		argv[argc++] = "report";
		argv[argc++] = rep->report;
		argv[argc++] = "--format";
		argv[argc++] = rep->format;
		if (as_of != NULL) {
			argv[argc++] = "--as-of";
			argv[argc++] = (char *)as_of;
		}
		for (w = strtok_r(args, " \t", &save); w != NULL && argc < 58;
		    w = strtok_r(NULL, " \t", &save))
			argv[argc++] = w;
		argv[argc++] = "--output";
		argv[argc++] = path;
		argv[argc] = NULL;
		r = report_child(d->dbpath, argc, argv);
		if (r != 0)
			log_warnx("report %s: failed (status %d)", rep->o.name, r);
		else
			log_info("report %s: wrote %s", rep->o.name, path);
		free(args);
		report_prune(rep, now);
	}
}

static ent_day
today_utc(void)
{
	return ((ent_day)(time(NULL) / 86400));
}

/*
 * Scan every site, then reports and alerts.  Returns -1 on a failure that
 * should stop the daemon (the database), else the number of alerts.
 */
static long
cycle(struct daemon *d)
{
	const struct conf	*c = d->conf;
	char			 err[1024], day[ENT_DAY_ISO_LEN];
	ent_day			 as_of;
	size_t			 i, fired = 0;

	d->last_scan = 0;
	for (i = 0; i < c->nsites && !stop_flag; i++)
		if (scan_site(d, c->sites[i]) == -1)
			return (-1);
	if (stop_flag)
		return (0);
	as_of = c->main.as_of == CONF_TODAY ? today_utc() :
	    (ent_day)c->main.as_of;
	ent_day_format(as_of, day, sizeof(day));
	run_reports(d, c->main.as_of == CONF_TODAY ? NULL : day);
	if (c->nalerts > 0 && alert_run(c, d->db, as_of, d->last_scan,
	    !d->use_syslog, &fired, err, sizeof(err)) == -1)
		log_warnx("%s", err);
	return ((long)fired);
}

static void
apply_log_level(struct daemon *d)
{
	int	v = (int)d->conf->main.log_level + d->verbose_bump;

	log_init(!d->use_syslog, v < 0 ? 0 : v > 2 ? 2 : v);
}

/* Take the lock of dbpath or say who holds it.  The fd, or -1. */
static int
lock_db(const char *dbpath)
{
	char	 path[4200], pid[32];
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "%s.lock", dbpath);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		log_warn("%s", path);
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		n = read(fd, pid, sizeof(pid) - 1);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		log_warnx("%s: another ibagent (pid %s) is running on this "
		    "database; not starting", dbpath, pid[0] ? pid : "?");
		close(fd);
		return (-1);
	}
	if (ftruncate(fd, 0) == 0) {
		snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		(void)!write(fd, pid, strlen(pid));
	}
	return (fd);
}

int
cmd_run(const char *dbpath, int argc, char **argv)
{
	enum { O_ONCE = 256, O_SYSLOG, O_STDERR };
	static const struct option opts[] = {
		{ "once", no_argument, NULL, O_ONCE },
		{ "syslog", no_argument, NULL, O_SYSLOG },
		{ "stderr", no_argument, NULL, O_STDERR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct daemon	 d;
	struct conf	*nc;
	sigset_t	 set;
	siginfo_t	 si;
	struct timespec	 ts;
	const char	*path = NULL;
	char		 err[1024], when[64];
	time_t		 planned = 0, next, last_start = 0, now;
	struct tm	 tm;
	long		 fired;
	int		 ch, once = 0, lockfd = -1, rc = 1, sig;

	memset(&d, 0, sizeof(d));
	d.use_syslog = !isatty(STDERR_FILENO);
	d.verbose_bump = log_verbose - 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case O_ONCE:
			once = 1;
			break;
		case O_SYSLOG:
			d.use_syslog = 1;
			break;
		case O_STDERR:
			d.use_syslog = 0;
			break;
		case 'h':
			fputs(usage_run, stdout);
			return (0);
		default:
			fputs(usage_run, stderr);
			return (2);
		}
	}
	if (optind != argc) {
		fputs(usage_run, stderr);
		return (2);
	}
	d.conf_path = conf_path_default(path);
	if ((d.conf = load_or_log(d.conf_path)) == NULL)
		return (1);
	/*
	 * A copy: a reload frees the configuration that held the path, and
	 * the database is kept until a restart.
	 */
	if (snprintf(d.dbpath_buf, sizeof(d.dbpath_buf), "%s",
	    dbpath != NULL ? dbpath : d.conf->main.db) >=
	    (int)sizeof(d.dbpath_buf)) {
		log_warnx("database path too long");
		conf_free(d.conf);
		return (1);
	}
	d.dbpath = d.dbpath_buf;
	apply_log_level(&d);

	/* Signals: taken synchronously, except TERM/INT during a scan. */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((lockfd = lock_db(d.dbpath)) == -1)
		goto done;
	if ((d.db = db_open(d.dbpath, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		goto done;
	}
	if (db_alert_devices(d.db, dev_seed, &d, err, sizeof(err)) != 0) {
		log_warnx("%s: %s", d.dbpath, err);
		goto done;
	}
	log_info("started: configuration %s, database %s, %zu site%s",
	    d.conf_path, d.dbpath, d.conf->nsites, d.conf->nsites == 1 ? "" :
	    "s");
	if (once) {
		fired = cycle(&d);
		rc = fired < 0 ? 1 : stop_flag ? 1 : fired > 0 ? EXIT_ALERTS : 0;
		goto done;
	}
	planned = sched_next(&d.conf->main.schedule, 0, time(NULL));
	next = planned + sched_jitter(d.conf->main.jitter_ms / 1000,
	    (unsigned long)random());
	for (;;) {
		now = time(NULL);
		if (now >= next) {
			last_start = now;
			if (cycle(&d) < 0)
				goto done;
			if (stop_flag)
				break;
			planned = sched_next(&d.conf->main.schedule, planned,
			    time(NULL));
			next = planned + sched_jitter(d.conf->main.jitter_ms /
			    1000, (unsigned long)random());
			localtime_r(&next, &tm);
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", &tm);
			log_info("next scan at %s", when);
			continue;
		}
		ts.tv_sec = next - now > 60 ? 60 : next - now;
		ts.tv_nsec = 0;
		sig = sigtimedwait(&set, &si, &ts);
		if (sig == SIGTERM || sig == SIGINT) {
			log_info("signal %d: stopping", sig);
			break;
		}
		if (sig != SIGHUP)
			continue;
		log_info("SIGHUP: reloading %s", d.conf_path);
		if ((nc = load_or_log(d.conf_path)) == NULL) {
			log_warnx("reload: %s is not valid; keeping the running "
			    "configuration", d.conf_path);
			continue;
		}
		if (dbpath == NULL && strcmp(nc->main.db, d.conf->main.db) != 0)
			log_warnx("reload: db changed to %s: it takes a restart; "
			    "still using %s", nc->main.db, d.dbpath);
		conf_free(d.conf);
		d.conf = nc;
		apply_log_level(&d);
		planned = sched_next(&d.conf->main.schedule, last_start,
		    time(NULL));
		next = planned + sched_jitter(d.conf->main.jitter_ms / 1000,
		    (unsigned long)random());
		localtime_r(&next, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", &tm);
		log_info("reload: configuration applied, %zu site%s; next scan "
		    "at %s", d.conf->nsites, d.conf->nsites == 1 ? "" : "s", when);
	}
	rc = 0;
done:
	if (stop_flag)
		log_info("stopped");
	db_close(d.db);
	if (lockfd != -1)
		close(lockfd);
	dev_free(&d);
	conf_free(d.conf);
	return (rc);
}
