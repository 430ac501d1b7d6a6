/*
 * main.c: the ibagent command line.  Parses global options, dispatches
 * to a command, and owns everything a user sees: usage, progress, the
 * scan summary and exit codes (0 done, 1 failure, 2 usage).
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../collector/cnetconf.h"
#include "../collector/csnmp.h"
#include "../db/db.h"
#include "../entitlement/import.h"
#include "cmd_coverage.h"
#include "log.h"
#include "daemon.h"
#include "report.h"
#include "scan.h"
#include "secret.h"
#include "targets.h"

#define IBAGENT_VERSION	"0.1.0"
#define EXIT_USAGE	2

static volatile int	stop_flag;

static const char usage_main[] =
"usage: ibagent [--db PATH] [-v | -q] COMMAND [ARGS]\n"
"\n"
"Inventory Juniper devices over SNMP and NETCONF into an SQLite install base.\n"
"\n"
"Commands:\n"
"  scan [OPTIONS] TARGET...    poll devices and record what they are made of\n"
"  inventory [--format F]      print the install base (text or json)\n"
"  import [OPTIONS] KIND FILE  load a CSV file of contracts, lifecycle dates...\n"
"  coverage [OPTIONS]          support-contract status of every serialized item\n"
"  report KIND [OPTIONS]       coverage, audit, lifecycle, metrics, changes\n"
"                              reports as text, csv, json or html\n"
"  run [-c FILE] [--once]     the daemon: scans, reports, alerts (ibagent.conf)\n"
"  check-config [-c FILE] [-v] validate the configuration file\n"
"  help [COMMAND]              show help for a command\n"
"  version                     print the version\n"
"\n"
"Global options:\n"
"  --db PATH     database file (default: $IBAGENT_DB, else\n"
"                $XDG_DATA_HOME/ibagent/ib.sqlite or ~/.local/share/ibagent/ib.sqlite)\n"
"  -v            more output (-vv: debug)\n"
"  -q            only errors\n"
"\n"
"Run 'ibagent help scan' for targets and credentials.\n";

static const char usage_scan[] =
"usage: ibagent [--db PATH] scan [OPTIONS] TARGET...\n"
"\n"
"TARGET is host, host:port, [ipv6]:port, an IPv4 CIDR block (10.1.2.0/28,\n"
"at most a /16), or @FILE with one target per line ('#' starts a comment).\n"
"\n"
"SNMP v2c (default):\n"
"  --community STR        community (visible to other local users in ps:\n"
"                         prefer IBAGENT_COMMUNITY or --community-file)\n"
"  --community-file FILE  first line is the community; mode must be 0600\n"
"SNMPv3 (authPriv):\n"
"  --snmp-version 2c|3    protocol version (default 2c)\n"
"  --v3-user NAME         security name (or IBAGENT_V3_USER)\n"
"  --v3-auth-proto P      SHA (default), SHA-224, SHA-256, SHA-384, SHA-512\n"
"  --v3-priv-proto P      AES (AES-128, the default and only choice)\n"
"  --v3-auth-pass-file F  passphrase file (0600), or IBAGENT_V3_AUTH_PASS\n"
"  --v3-priv-pass-file F  passphrase file (0600), or IBAGENT_V3_PRIV_PASS\n"
"NETCONF over SSH (--protocols netconf or snmp,netconf):\n"
"  --protocols P          snmp (default), netconf, or snmp,netconf (one merged\n"
"                         record per device; disagreements are flagged)\n"
"  --ssh-user NAME        login (or IBAGENT_SSH_USER; default: your user name)\n"
"  --ssh-key FILE         private key (default: ssh-agent via SSH_AUTH_SOCK)\n"
"  --ssh-password-file F  password file (0600), or IBAGENT_SSH_PASSWORD\n"
"  --ssh-port N           NETCONF port (830); with netconf alone, a target's\n"
"                         own :port wins\n"
"  --known-hosts FILE     OpenSSH known_hosts (default ~/.ssh/known_hosts);\n"
"                         unknown or changed host keys fail the device\n"
"  --ssh-tofu             trust unknown host keys on first use and record them\n"
"                         (a changed key is never accepted)\n"
"  --ssh-workers N        sessions at once (16)\n"
"  --ssh-timeout MS       per RPC (30000); connect/handshake/login min(MS, 10000)\n"
"Engine:\n"
"  --port N               default UDP port (161)\n"
"  --timeout MS           first try's timeout, +50% per retry (1000)\n"
"  --retries N            retries after the first try (2)\n"
"  --max-inflight N       devices polled at once (256)\n"
"  --max-repetitions N    GETBULK repetitions (default: ~64 values a request)\n"
"  --progress, --no-progress  progress line (default: on when stderr is a tty)\n"
"\n"
"Secrets are never written to the database, the logs or the output.\n"
"A device that does not answer is recorded with its status (timeout, auth,\n"
"refused, badreply, partial); it never erases what an earlier scan found.\n"
"Exit status: 0 the scan ran (see the summary for devices that failed),\n"
"1 the scan could not run or the database failed, 2 usage error.\n";

static const char usage_inventory[] =
"usage: ibagent [--db PATH] inventory [--format text|json]\n"
"\n"
"Print the install base: each device with its last scan status, and every\n"
"item (chassis, Virtual Chassis member or cluster node, component) still\n"
"present.  The JSON keys are documented in the README.\n";

static const char usage_import[] =
"usage: ibagent [--db PATH] import [--map HEADER=FIELD,...]\n"
"                [--date-format iso|us|eu] [--dry-run] [--strict] KIND FILE\n"
"\n"
"Load one CSV file of one KIND into the database:\n"
"  contracts      service contracts per serial number\n"
"  hw-lifecycle   EOL milestones of hardware models and part numbers\n"
"  sw-lifecycle   milestones of Junos release trains\n"
"  cpo            Certified Pre-Owned purchases\n"
"  warranty       standard warranty per product pattern\n"
"  registrations  the vendor's install-base list\n"
"\n"
"Columns are found by name; docs/import.md lists every alias.\n"
"  --map HEADER=FIELD,...   name a column's field (FIELD '-' ignores it)\n"
"  --date-format iso|us|eu  how slash dates read (default: detected)\n"
"  --dry-run                check the file and say what would change\n"
"  --strict                 no lenient reading of lifecycle date typos\n"
"\n"
"All or nothing: a file with any bad row imports nothing, and every bad\n"
"row is listed as FILE:LINE: reason.  The rows of a KIND from the same\n"
"file (its absolute path) are replaced by each import, so importing a newer\n"
"export replaces that source's rows; re-importing the same file changes\n"
"nothing.  Rows of other files stay.\n"
"Exit status: 0 imported (or would be, with --dry-run), 1 the file was\n"
"refused or the database failed, 2 usage error.\n";

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void
default_db_path(char *buf, size_t len)
{
	const char	*env = getenv("IBAGENT_DB");
	const char	*xdg = getenv("XDG_DATA_HOME");
	const char	*home = getenv("HOME");
	char		 dir[4096];

	if (env != NULL && *env != '\0') {
		snprintf(buf, len, "%s", env);
		return;
	}
	if (xdg != NULL && *xdg == '/')
		snprintf(dir, sizeof(dir), "%s/ibagent", xdg);
	else if (home != NULL && *home == '/') {
		snprintf(dir, sizeof(dir), "%s/.local", home);
		(void)mkdir(dir, 0755);
		snprintf(dir, sizeof(dir), "%s/.local/share", home);
		(void)mkdir(dir, 0755);
		snprintf(dir, sizeof(dir), "%s/.local/share/ibagent", home);
	} else {
		snprintf(buf, len, "ib.sqlite");
		return;
	}
	(void)mkdir(dir, 0700);
	if ((size_t)snprintf(buf, len, "%.4000s/ib.sqlite", dir) >= len)
		snprintf(buf, len, "ib.sqlite");
}

static int
parse_uint(const char *opt, const char *s, unsigned int min, unsigned int max,
    unsigned int *out)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v < min ||
	    v > max) {
		log_warnx("%s: '%s' is not a number from %u to %u", opt, s, min, max);
		return (-1);
	}
	*out = (unsigned int)v;
	return (0);
}

static int
cmd_scan(const char *dbpath, int argc, char **argv)
{
	enum { O_COMMUNITY = 256, O_COMMUNITY_FILE, O_VERSION, O_USER, O_AUTHP,
		O_PRIVP, O_AUTHF, O_PRIVF, O_PORT, O_TIMEOUT, O_RETRIES, O_INFLIGHT,
		O_MAXREP, O_PROGRESS, O_NOPROGRESS, O_HELP, O_PROTOCOLS, O_SSHUSER,
		O_SSHKEY, O_SSHPORT, O_SSHPASSF, O_KNOWNHOSTS, O_TOFU, O_SSHWORKERS,
		O_SSHTIMEOUT };
	static const struct option opts[] = {
		{ "community", required_argument, NULL, O_COMMUNITY },
		{ "community-file", required_argument, NULL, O_COMMUNITY_FILE },
		{ "snmp-version", required_argument, NULL, O_VERSION },
		{ "v3-user", required_argument, NULL, O_USER },
		{ "v3-auth-proto", required_argument, NULL, O_AUTHP },
		{ "v3-priv-proto", required_argument, NULL, O_PRIVP },
		{ "v3-auth-pass-file", required_argument, NULL, O_AUTHF },
		{ "v3-priv-pass-file", required_argument, NULL, O_PRIVF },
		{ "port", required_argument, NULL, O_PORT },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "max-inflight", required_argument, NULL, O_INFLIGHT },
		{ "max-repetitions", required_argument, NULL, O_MAXREP },
		{ "progress", no_argument, NULL, O_PROGRESS },
		{ "no-progress", no_argument, NULL, O_NOPROGRESS },
		{ "help", no_argument, NULL, O_HELP },
		{ "protocols", required_argument, NULL, O_PROTOCOLS },
		{ "ssh-user", required_argument, NULL, O_SSHUSER },
		{ "ssh-key", required_argument, NULL, O_SSHKEY },
		{ "ssh-port", required_argument, NULL, O_SSHPORT },
		{ "ssh-password-file", required_argument, NULL, O_SSHPASSF },
		{ "known-hosts", required_argument, NULL, O_KNOWNHOSTS },
		{ "ssh-tofu", no_argument, NULL, O_TOFU },
		{ "ssh-workers", required_argument, NULL, O_SSHWORKERS },
		{ "ssh-timeout", required_argument, NULL, O_SSHTIMEOUT },
		{ NULL, 0, NULL, 0 }
	};
	struct ssh_cred		 hcred;
	struct cnetconf_opts	 no;
	const char		*sshpassf = NULL;
	unsigned int		 sshport = 830;
	int			 protocols = SCAN_PROTO_SNMP;
	struct snmp_cred	 cred;
	struct csnmp_opts	 o;
	struct target_list	 tl;
	struct scan_params	 sp;
	struct scan_summary	 sum;
	struct db		*db = NULL;
	char			 err[1024], summary[512];
	const char		*authf = NULL, *privf = NULL, *commf = NULL;
	unsigned int		 port = 161;
	int			 ch, i, rc = EXIT_USAGE, have_comm = 0;
	struct sigaction	 sa;

	memset(&cred, 0, sizeof(cred));
	memset(&hcred, 0, sizeof(hcred));
	cnetconf_opts_default(&no);
	memset(&sp, 0, sizeof(sp));
	cred.version = 2;
	csnmp_opts_default(&o);
	targets_init(&tl);
	sp.progress = isatty(STDERR_FILENO);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case O_COMMUNITY:
			if (strlen(optarg) >= sizeof(cred.community)) {
				log_warnx("--community: too long");
				goto done;
			}
			memcpy(cred.community, optarg, strlen(optarg) + 1);
			/* Hide it from ps(1) as soon as we have it. */
			explicit_bzero(optarg, strlen(optarg));
			have_comm = 1;
			break;
		case O_COMMUNITY_FILE:
			commf = optarg;
			break;
		case O_VERSION:
			if (strcmp(optarg, "2c") == 0 || strcmp(optarg, "2") == 0)
				cred.version = 2;
			else if (strcmp(optarg, "3") == 0)
				cred.version = 3;
			else {
				log_warnx("--snmp-version: '%s': want 2c or 3", optarg);
				goto done;
			}
			break;
		case O_USER:
			snprintf(cred.user, sizeof(cred.user), "%s", optarg);
			break;
		case O_AUTHP:
			if (strcasecmp(optarg, "SHA") == 0 || strcasecmp(optarg, "SHA1") == 0)
				cred.auth = SNMP_AUTH_SHA;
			else if (strcasecmp(optarg, "SHA-224") == 0)
				cred.auth = SNMP_AUTH_SHA224;
			else if (strcasecmp(optarg, "SHA-256") == 0)
				cred.auth = SNMP_AUTH_SHA256;
			else if (strcasecmp(optarg, "SHA-384") == 0)
				cred.auth = SNMP_AUTH_SHA384;
			else if (strcasecmp(optarg, "SHA-512") == 0)
				cred.auth = SNMP_AUTH_SHA512;
			else {
				log_warnx("--v3-auth-proto: '%s': want SHA, SHA-224, "
				    "SHA-256, SHA-384 or SHA-512 (MD5 is not offered)", optarg);
				goto done;
			}
			break;
		case O_PRIVP:
			if (strcasecmp(optarg, "AES") != 0 &&
			    strcasecmp(optarg, "AES-128") != 0 &&
			    strcasecmp(optarg, "AES128") != 0) {
				log_warnx("--v3-priv-proto: '%s': want AES (DES is not "
				    "offered)", optarg);
				goto done;
			}
			cred.priv = SNMP_PRIV_AES;
			break;
		case O_AUTHF:
			authf = optarg;
			break;
		case O_PRIVF:
			privf = optarg;
			break;
		case O_PORT:
			if (parse_uint("--port", optarg, 1, 65535, &port) == -1)
				goto done;
			break;
		case O_TIMEOUT:
			if (parse_uint("--timeout", optarg, 10, 600000, &o.timeout_ms) == -1)
				goto done;
			break;
		case O_RETRIES:
			if (parse_uint("--retries", optarg, 0, 20, &o.retries) == -1)
				goto done;
			break;
		case O_INFLIGHT:
			if (parse_uint("--max-inflight", optarg, 1, 65536,
			    &o.max_inflight) == -1)
				goto done;
			break;
		case O_MAXREP:
			if (parse_uint("--max-repetitions", optarg, 1, 1000,
			    &o.max_repetitions) == -1)
				goto done;
			break;
		case O_PROGRESS:
			sp.progress = 1;
			break;
		case O_NOPROGRESS:
			sp.progress = 0;
			break;
		case O_HELP:
			fputs(usage_scan, stdout);
			rc = 0;
			goto done;
		case O_PROTOCOLS:
			if (strcmp(optarg, "snmp") == 0)
				protocols = SCAN_PROTO_SNMP;
			else if (strcmp(optarg, "netconf") == 0)
				protocols = SCAN_PROTO_NETCONF;
			else if (strcmp(optarg, "snmp,netconf") == 0 ||
			    strcmp(optarg, "netconf,snmp") == 0)
				protocols = SCAN_PROTO_SNMP | SCAN_PROTO_NETCONF;
			else {
				log_warnx("--protocols: '%s': want snmp, netconf or "
				    "snmp,netconf", optarg);
				goto done;
			}
			break;
		case O_SSHUSER:
			snprintf(hcred.user, sizeof(hcred.user), "%s", optarg);
			break;
		case O_SSHKEY:
			snprintf(hcred.key_path, sizeof(hcred.key_path), "%s", optarg);
			break;
		case O_SSHPORT:
			if (parse_uint("--ssh-port", optarg, 1, 65535, &sshport) == -1)
				goto done;
			break;
		case O_SSHPASSF:
			sshpassf = optarg;
			break;
		case O_KNOWNHOSTS:
			snprintf(hcred.known_hosts, sizeof(hcred.known_hosts), "%s",
			    optarg);
			break;
		case O_TOFU:
			hcred.tofu = 1;
			break;
		case O_SSHWORKERS:
			if (parse_uint("--ssh-workers", optarg, 1, 1024, &no.workers) == -1)
				goto done;
			break;
		case O_SSHTIMEOUT:
			if (parse_uint("--ssh-timeout", optarg, 100, 600000,
			    &no.rpc_timeout_ms) == -1)
				goto done;
			no.connect_timeout_ms = no.rpc_timeout_ms < 10000 ?
			    no.rpc_timeout_ms : 10000;
			break;
		default:
			fputs(usage_scan, stderr);
			goto done;
		}
	}
	if (optind >= argc) {
		log_warnx("scan: no TARGET given");
		fputs(usage_scan, stderr);
		goto done;
	}
	if (log_verbose < 1)
		sp.progress = 0;

	/* Credentials: option, then file, then environment. */
	if (!(protocols & SCAN_PROTO_SNMP)) {
		/* no SNMP credentials needed */
	} else if (cred.version == 2) {
		if (commf != NULL) {
			if (secret_read_file(commf, cred.community,
			    sizeof(cred.community), err, sizeof(err)) == -1) {
				log_warnx("--community-file: %s", err);
				goto done;
			}
			have_comm = 1;
		}
		if (!have_comm) {
			int	r = secret_from_env("IBAGENT_COMMUNITY", cred.community,
			    sizeof(cred.community));

			if (r == -1) {
				log_warnx("IBAGENT_COMMUNITY: too long");
				goto done;
			}
			have_comm = r;
		}
		if (!have_comm) {
			log_warnx("scan: no SNMP community: give --community, "
			    "--community-file or IBAGENT_COMMUNITY");
			goto done;
		}
	} else {
		if (cred.user[0] == '\0' && secret_from_env("IBAGENT_V3_USER",
		    cred.user, sizeof(cred.user)) != 1) {
			log_warnx("scan: SNMPv3 needs --v3-user or IBAGENT_V3_USER");
			goto done;
		}
		if (authf != NULL ? secret_read_file(authf, cred.auth_pass,
		    sizeof(cred.auth_pass), err, sizeof(err)) == -1 :
		    secret_from_env("IBAGENT_V3_AUTH_PASS", cred.auth_pass,
		    sizeof(cred.auth_pass)) != 1) {
			log_warnx("scan: SNMPv3 auth passphrase: %s", authf != NULL ?
			    err : "give --v3-auth-pass-file or IBAGENT_V3_AUTH_PASS");
			goto done;
		}
		if (privf != NULL ? secret_read_file(privf, cred.priv_pass,
		    sizeof(cred.priv_pass), err, sizeof(err)) == -1 :
		    secret_from_env("IBAGENT_V3_PRIV_PASS", cred.priv_pass,
		    sizeof(cred.priv_pass)) != 1) {
			log_warnx("scan: SNMPv3 privacy passphrase: %s", privf != NULL ?
			    err : "give --v3-priv-pass-file or IBAGENT_V3_PRIV_PASS");
			goto done;
		}
	}

	if (protocols & SCAN_PROTO_NETCONF) {
		if (hcred.user[0] == '\0')
			(void)secret_from_env("IBAGENT_SSH_USER", hcred.user,
			    sizeof(hcred.user));
		if (sshpassf != NULL) {
			if (secret_read_file(sshpassf, hcred.password,
			    sizeof(hcred.password), err, sizeof(err)) == -1) {
				log_warnx("--ssh-password-file: %s", err);
				goto done;
			}
		} else if (secret_from_env("IBAGENT_SSH_PASSWORD", hcred.password,
		    sizeof(hcred.password)) == -1) {
			log_warnx("IBAGENT_SSH_PASSWORD: too long");
			goto done;
		}
		/*
		 * NETCONF only: a target's port is the SSH port.  Both: a
		 * target's port is SNMP's and --ssh-port applies to all.
		 */
		no.port = protocols == SCAN_PROTO_NETCONF ? 0 : sshport;
		if (protocols == SCAN_PROTO_NETCONF)
			port = sshport;
	}
	for (i = optind; i < argc; i++) {
		if (targets_add(&tl, argv[i], port, err, sizeof(err)) == -1) {
			log_warnx("target %s", err);
			goto done;
		}
	}
	targets_dedup(&tl);
	if (tl.n == 0) {
		log_warnx("scan: the targets name no address");
		goto done;
	}

	rc = 1;
	if ((db = db_open(dbpath, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		goto done;
	}
	snprintf(summary, sizeof(summary), "scan protocols=%s%s%s targets=%zu "
	    "timeout=%u retries=%u max-inflight=%u",
	    protocols & SCAN_PROTO_SNMP ? (cred.version == 3 ? "snmp-v3" : "snmp-v2c") : "",
	    protocols == (SCAN_PROTO_SNMP | SCAN_PROTO_NETCONF) ? "," : "",
	    protocols & SCAN_PROTO_NETCONF ? "netconf" : "", tl.n,
	    o.timeout_ms, o.retries, o.max_inflight);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	sp.protocols = protocols;
	sp.targets = &tl;
	sp.snmp = &cred;
	sp.snmp_opts = &o;
	sp.ssh = &hcred;
	sp.netconf_opts = &no;
	sp.summary = summary;
	sp.dbpath = dbpath;
	sp.log_failures = 1;
	if (scan_run(&sp, db, &stop_flag, &sum, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		goto done;
	}
	if (log_verbose >= 1) {
		size_t	failed = scan_failed(&sum);

		fprintf(stderr, "scan %lld: %zu devices in %.1f s: %zu ok, %zu partial",
		    (long long)sum.scan_id, sum.done, (double)sum.elapsed_ms / 1000.0,
		    sum.counts[POLL_OK], sum.counts[POLL_PARTIAL]);
		for (i = POLL_TIMEOUT; i <= POLL_ERROR; i++)
			if (sum.counts[i])
				fprintf(stderr, ", %zu %s", sum.counts[i],
				    poll_status_str((enum poll_status)i));
		fputc('\n', stderr);
		if (failed > sum.shown)
			fprintf(stderr, "(%zu failures not shown: use -v or "
			    "'ibagent inventory')\n", failed - sum.shown);
	}
	if (stop_flag) {
		log_warnx("scan interrupted: %zu of %zu devices done and saved",
		    sum.done, sum.total);
		goto done;
	}
	rc = 0;
done:
	csnmp_cred_clear(&cred);
	cnetconf_cred_clear(&hcred);
	targets_free(&tl);
	db_close(db);
	return (rc);
}

static int
cmd_inventory(const char *dbpath, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum db_format	 fmt = DB_FMT_TEXT;
	struct db	*db;
	char		 err[1024];
	int		 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") == 0)
				fmt = DB_FMT_JSON;
			else if (strcmp(optarg, "text") == 0)
				fmt = DB_FMT_TEXT;
			else {
				log_warnx("--format: '%s': want text or json", optarg);
				return (EXIT_USAGE);
			}
			break;
		case 'h':
			fputs(usage_inventory, stdout);
			return (0);
		default:
			fputs(usage_inventory, stderr);
			return (EXIT_USAGE);
		}
	}
	if (optind != argc) {
		log_warnx("inventory: unexpected argument '%s'", argv[optind]);
		return (EXIT_USAGE);
	}
	if ((db = db_open(dbpath, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return (1);
	}
	rc = db_inventory(db, stdout, fmt, err, sizeof(err)) == -1 ? 1 : 0;
	if (rc != 0)
		log_warnx("%s: %s", dbpath, err);
	if (fflush(stdout) == EOF) {
		log_warn("stdout");
		rc = 1;
	}
	db_close(db);
	return (rc);
}

/*
 * A message of import.h, "FILE:LINE: text" or "FILE: text", printed as a
 * warning: "FILE:LINE: warning: text".
 */
static void
print_import_warning(const char *file, const char *msg)
{
	size_t		 n = strlen(file);
	const char	*p = msg;

	if (strncmp(msg, file, n) == 0 && msg[n] == ':') {
		p = msg + n + 1;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == ':')
			p++;
		if (*p == ' ')
			p++;
		fprintf(stderr, "%.*swarning: %s\n", (int)(p - msg), msg, p);
	} else
		fprintf(stderr, "warning: %s\n", msg);
}

static int
cmd_import(const char *dbpath, int argc, char **argv)
{
	enum { O_MAP = 256, O_DATEFMT, O_DRYRUN, O_STRICT, O_HELP };
	static const struct option opts[] = {
		{ "map", required_argument, NULL, O_MAP },
		{ "date-format", required_argument, NULL, O_DATEFMT },
		{ "dry-run", no_argument, NULL, O_DRYRUN },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 }
	};
	struct import_opts	 io;
	struct import_map	 map;
	struct import_result	 res;
	struct db_import_stats	 st;
	struct db		*db = NULL;
	enum import_kind	 kind;
	const char		**maps = NULL, *file, *kname;
	char			 err[1024], *source = NULL;
	size_t			 nmaps = 0, i;
	int			 ch, dry_run = 0, rc = EXIT_USAGE;

	memset(&io, 0, sizeof(io));
	import_map_init(&map);
	import_init(&res);
	if ((maps = calloc((size_t)argc + 1, sizeof(*maps))) == NULL) {
		log_warn("import");
		return (1);
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case O_MAP:
			maps[nmaps++] = optarg;
			break;
		case O_DATEFMT:
			if (import_datefmt_parse(optarg, &io.datefmt) == -1) {
				log_warnx("--date-format: '%s': want iso, us or "
				    "eu", optarg);
				goto done;
			}
			break;
		case O_DRYRUN:
			dry_run = 1;
			break;
		case O_STRICT:
			io.strict = 1;
			break;
		case O_HELP:
			fputs(usage_import, stdout);
			rc = 0;
			goto done;
		default:
			fputs(usage_import, stderr);
			goto done;
		}
	}
	if (argc - optind != 2) {
		log_warnx("import: want KIND FILE");
		fputs(usage_import, stderr);
		goto done;
	}
	if (import_kind_parse(argv[optind], &kind) == -1) {
		log_warnx("import: unknown KIND '%s': want contracts, "
		    "hw-lifecycle, sw-lifecycle, cpo, warranty or registrations",
		    argv[optind]);
		goto done;
	}
	kname = import_kind_name(kind);
	file = argv[optind + 1];
	for (i = 0; i < nmaps; i++)
		if (import_map_parse(&map, kind, maps[i], err,
		    sizeof(err)) == -1) {
			log_warnx("%s", err);
			goto done;
		}
	if (nmaps > 0)
		io.map = &map;

	rc = 1;
	if (import_file(&res, kind, file, &io, err, sizeof(err)) == -1) {
		for (i = 0; i < res.nerrors; i++)
			fprintf(stderr, "%s\n", res.errors[i]);
		if (res.nerrors > 0)
			fprintf(stderr, "%s\n", err);
		else
			log_warnx("%s", err);
		goto done;
	}
	if (log_verbose >= 1) {
		for (i = 0; i < res.nwarnings; i++)
			print_import_warning(res.file, res.warnings[i]);
		if (res.nunused > 0) {
			fprintf(stderr, "%s:%lu: warning: column%s not imported:",
			    file, res.header_line, res.nunused > 1 ? "s" : "");
			for (i = 0; i < res.nunused; i++)
				fprintf(stderr, "%s \"%s\"", i > 0 ? "," : "",
				    res.unused[i]);
			fputc('\n', stderr);
		}
	}
	/* The key of "the same source": the file wherever it is named from. */
	if ((source = realpath(file, NULL)) == NULL) {
		log_warn("%s", file);
		goto done;
	}
	if ((db = db_open(dbpath, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		goto done;
	}
	if (db_import(db, kind, source, &res, dry_run, &st, err,
	    sizeof(err)) == -1) {
		log_warnx("%s: %s; nothing imported", dbpath, err);
		goto done;
	}
	if (log_verbose >= 1) {
		if (st.unchanged)
			printf("unchanged: %zu %s rows from %s are already "
			    "imported\n", st.inserted, kname, file);
		else if (dry_run)
			printf("dry run: would import %zu %s rows from %s "
			    "(replacing %zu from the same source); nothing "
			    "written\n", st.inserted, kname, file, st.replaced);
		else
			printf("imported %zu %s rows from %s (replaced %zu from "
			    "the same source)\n", st.inserted, kname, file,
			    st.replaced);
	}
	rc = 0;
	if (fflush(stdout) == EOF) {
		log_warn("stdout");
		rc = 1;
	}
done:
	db_close(db);
	free(source);
	import_clear(&res);
	import_map_clear(&map);
	free(maps);
	return (rc);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char		 dbpath[4096] = "";
	const char	*cmd;
	int		 ch, verbose = 1;

	/*
	 * Each device's varbinds and facts are freed when it is stored; left
	 * to its defaults glibc gives that memory back with brk() and takes
	 * it again for the next device, and the TLB flushes and page faults
	 * cost more than the SNMP work.  Keep what a scan has used.
	 */
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);

	/* Global options stop at the command name. */
	while ((ch = getopt_long(argc, argv, "+vqh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			snprintf(dbpath, sizeof(dbpath), "%s", optarg);
			break;
		case 'v':
			verbose++;
			break;
		case 'q':
			verbose = 0;
			break;
		case 'h':
			fputs(usage_main, stdout);
			return (0);
		case 'V':
			printf("ibagent %s\n", IBAGENT_VERSION);
			return (0);
		default:
			fputs(usage_main, stderr);
			return (EXIT_USAGE);
		}
	}
	log_init(1, verbose);
	if (optind >= argc) {
		fputs(usage_main, stderr);
		return (EXIT_USAGE);
	}
	/* The daemon's database comes from its configuration unless --db. */
	if (strcmp(argv[optind], "run") == 0)
		return (cmd_run(dbpath[0] ? dbpath : NULL, argc - optind,
		    argv + optind));
	if (strcmp(argv[optind], "check-config") == 0)
		return (cmd_check_config(argc - optind, argv + optind));
	if (dbpath[0] == '\0')
		default_db_path(dbpath, sizeof(dbpath));
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	if (strcmp(cmd, "scan") == 0)
		return (cmd_scan(dbpath, argc, argv));
	if (strcmp(cmd, "inventory") == 0)
		return (cmd_inventory(dbpath, argc, argv));
	if (strcmp(cmd, "import") == 0)
		return (cmd_import(dbpath, argc, argv));
	if (strcmp(cmd, "coverage") == 0)
		return (cmd_coverage(dbpath, argc, argv));
	if (strcmp(cmd, "report") == 0)
		return (cmd_report(dbpath, argc, argv));
	if (strcmp(cmd, "version") == 0) {
		printf("ibagent %s\n", IBAGENT_VERSION);
		return (0);
	}
	if (strcmp(cmd, "help") == 0) {
		if (argc > 1 && strcmp(argv[1], "scan") == 0)
			fputs(usage_scan, stdout);
		else if (argc > 1 && strcmp(argv[1], "inventory") == 0)
			fputs(usage_inventory, stdout);
		else if (argc > 1 && strcmp(argv[1], "import") == 0)
			fputs(usage_import, stdout);
		else if (argc > 1 && strcmp(argv[1], "coverage") == 0)
			cmd_coverage_usage(stdout);
		else if (argc > 1 && strcmp(argv[1], "report") == 0)
			cmd_report_usage(stdout);
		else if (argc > 1 && (strcmp(argv[1], "run") == 0 ||
		    strcmp(argv[1], "check-config") == 0))
			daemon_usage(stdout);
		else
			fputs(usage_main, stdout);
		return (0);
	}
	log_warnx("unknown command '%s'", cmd);
	fputs(usage_main, stderr);
	return (EXIT_USAGE);
}
