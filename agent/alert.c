/*
 * alert.c: alert rules after a scan (alert.h).  The coverage rules read
 * db_coverage() once per alert; the states to store are collected during
 * the stream (which is one read transaction) and written after it, in one
 * write transaction.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "../collector/heap.h"
#include "../db/alert.h"
#include "../db/coverage.h"
#include "../db/db.h"
#include "../entitlement/ent_rules.h"
#include "alert.h"
#include "log.h"

static const char *const rule_names[] = {
	"worse", "unregistered", "replaced", "eos"
};

struct alert_ctx {
	const struct conf_alert	*a;
	struct db		*db;
	ent_day			 as_of;
	int			 also_syslog;
	FILE			*json;		/* the items array */
	size_t			 n;		/* items in it */
	struct db_alert_state	*upd;		/* states to store */
	size_t			 nupd, capupd;
	int64_t			 last_event;
	char			 err[512];
};

static void
json_str(FILE *fp, const char *s)
{
	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char	c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

/* One alert line, to the log and (also_syslog) to syslog. */
static void
alert_log(struct alert_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
alert_log(struct alert_ctx *c, const char *fmt, ...)
{
	va_list	ap;
	char	buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_warnx("alert %s: %s", c->a->o.name, buf);
	if (c->also_syslog && c->a->syslog)
		syslog(LOG_WARNING | LOG_DAEMON, "alert %s: %s", c->a->o.name,
		    buf);
}

/* Worse is a higher rank. */
static int
status_rank(const char *s)
{
	if (strcmp(s, "COVERED") == 0 || strcmp(s, "WARRANTY") == 0)
		return (0);
	if (strcmp(s, "EXPIRING") == 0)
		return (1);
	return (2);		/* LAPSED, UNCOVERED, UNSUPPORTABLE */
}

static int
state_add(struct alert_ctx *c, int64_t item_id, const char *state)
{
	struct db_alert_state	*v;

	if (c->nupd == c->capupd) {
		c->capupd = c->capupd ? c->capupd * 2 : 256;
		if ((v = reallocarray(c->upd, c->capupd, sizeof(*v))) == NULL) {
			snprintf(c->err, sizeof(c->err), "out of memory");
			return (-1);
		}
		c->upd = v;
	}
	c->upd[c->nupd].item_id = item_id;
	snprintf(c->upd[c->nupd].state, sizeof(c->upd[c->nupd].state), "%s",
	    state);
	c->nupd++;
	return (0);
}

static int
cov_row_cb(const struct cov_row *r, void *arg)
{
	struct alert_ctx	*c = arg;
	const char		*now = NULL, *st;
	char			 old[32], day[ENT_DAY_ISO_LEN];
	int			 have, fire = 0;

	switch (c->a->rule) {
	case CONF_ALERT_WORSE:
		now = ent_status_str(r->v.status);
		break;
	case CONF_ALERT_UNREGISTERED:
		now = (r->v.flags & ENT_F_UNREGISTERED) ? "unregistered" :
		    "registered";
		break;
	case CONF_ALERT_EOS:
		if (r->hw == NULL || r->hw->eos == ENT_DAY_NONE)
			now = "ok";
		else if (r->hw->eos < c->as_of)
			now = "eos-past";
		else if (r->hw->eos - c->as_of <= c->a->days)
			now = "eos-soon";
		else
			now = "ok";
		break;
	}
	if (now == NULL)
		return (0);
	if ((have = db_alert_state_get(c->db, c->a->o.name, r->item_id, old,
	    sizeof(old), c->err, sizeof(c->err))) == -1)
		return (-1);
	if (have && strcmp(old, now) == 0)
		return (0);
	switch (c->a->rule) {
	case CONF_ALERT_WORSE:
		fire = have && status_rank(now) > status_rank(old);
		break;
	case CONF_ALERT_UNREGISTERED:
		fire = strcmp(now, "unregistered") == 0;
		break;
	case CONF_ALERT_EOS:
		fire = strcmp(now, "ok") != 0 && (!have || strcmp(old, "ok") == 0);
		break;
	}
	if (state_add(c, r->item_id, now) == -1)
		return (-1);
	if (!fire)
		return (0);
	st = ent_status_str(r->v.status);
	fprintf(c->json, "%s{\"address\":", c->n ? "," : "");
	json_str(c->json, r->address);
	fputs(",\"hostname\":", c->json);
	json_str(c->json, r->hostname);
	fputs(",\"item\":", c->json);
	json_str(c->json, r->item_name);
	fputs(",\"serial\":", c->json);
	json_str(c->json, r->serial);
	fputs(",\"model\":", c->json);
	json_str(c->json, r->model);
	fputs(",\"site\":", c->json);
	json_str(c->json, r->site);
	fputs(",\"status\":", c->json);
	json_str(c->json, st);
	fputs(",\"old\":", c->json);
	json_str(c->json, have ? old : NULL);
	fputs(",\"new\":", c->json);
	json_str(c->json, now);
	if (c->a->rule == CONF_ALERT_EOS && r->hw != NULL) {
		ent_day_format(r->hw->eos, day, sizeof(day));
		fputs(",\"eos\":", c->json);
		json_str(c->json, day);
	}
	fputc('}', c->json);
	c->n++;
	if (c->a->rule == CONF_ALERT_EOS)
		alert_log(c, "%s %s %s (%s): End of Support %s", r->address,
		    r->item_name ? r->item_name : "?", r->serial ? r->serial : "?",
		    r->model ? r->model : "?", day);
	else
		alert_log(c, "%s %s %s: %s%s%s", r->address,
		    r->item_name ? r->item_name : "?",
		    r->serial ? r->serial : "?", have ? old : "",
		    have ? " -> " : "", now);
	return (0);
}

static int
event_cb(const struct db_alert_event *e, void *arg)
{
	struct alert_ctx	*c = arg;

	fprintf(c->json, "%s{\"address\":", c->n ? "," : "");
	json_str(c->json, e->address);
	fputs(",\"hostname\":", c->json);
	json_str(c->json, e->hostname);
	fputs(",\"time\":", c->json);
	json_str(c->json, e->time);
	fputs(",\"old_serial\":", c->json);
	json_str(c->json, e->old_value);
	fputs(",\"new_serial\":", c->json);
	json_str(c->json, e->new_value);
	fputc('}', c->json);
	c->n++;
	c->last_event = e->id;
	alert_log(c, "%s: chassis replaced: %s -> %s", e->address ? e->address :
	    "?", e->old_value ? e->old_value : "?",
	    e->new_value ? e->new_value : "?");
	return (0);
}

/*
 * Run the hook with doc on its stdin; wait at most the alert's timeout,
 * then kill its process group.  Failures are logged, not returned: an
 * alert that cannot be delivered must not stop the daemon.
 */
static void
hook_run(const struct conf_alert *a, const char *doc, size_t len)
{
	sigset_t	 none;
	uint64_t	 deadline;
	size_t		 off = 0;
	ssize_t		 w;
	pid_t		 pid, r;
	int		 fd[2], status, killed = 0;
	void		(*oldpipe)(int);

	if (pipe(fd) == -1) {
		log_warn("alert %s: hook: pipe", a->o.name);
		return;
	}
	if ((pid = fork()) == -1) {
		log_warn("alert %s: hook: fork", a->o.name);
		close(fd[0]);
		close(fd[1]);
		return;
	}
	if (pid == 0) {
		(void)setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		close(fd[1]);
		if (dup2(fd[0], STDIN_FILENO) == -1)
			_exit(127);
		if (fd[0] != STDIN_FILENO)
			close(fd[0]);
		setenv("IBAGENT_ALERT", a->o.name, 1);
		setenv("IBAGENT_RULE", rule_names[a->rule], 1);
		execl("/bin/sh", "sh", "-c", a->hook, (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	oldpipe = signal(SIGPIPE, SIG_IGN);
	while (off < len) {
		if ((w = write(fd[1], doc + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;		/* the hook did not read it all */
		}
		off += (size_t)w;
	}
	close(fd[1]);
	signal(SIGPIPE, oldpipe);
	deadline = mono_ms() + (uint64_t)a->hook_timeout_ms;
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r == -1 && errno != EINTR) {
			log_warn("alert %s: hook: waitpid", a->o.name);
			return;
		}
		if (!killed && mono_ms() >= deadline) {
			log_warnx("alert %s: hook took more than %llds; killed",
			    a->o.name, a->hook_timeout_ms / 1000);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
		}
		usleep(20000);
	}
	if (killed)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		log_warnx("alert %s: hook exited with status %d", a->o.name,
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_warnx("alert %s: hook killed by signal %d", a->o.name,
		    WTERMSIG(status));
	else
		log_debug("alert %s: hook done", a->o.name);
}

static int
alert_one(const struct conf_alert *a, struct db *db, ent_day as_of,
    int64_t scan_id, int also_syslog, size_t *fired, char *err, size_t errlen)
{
	struct alert_ctx	 c;
	struct cov_opts		 co;
	char			*items = NULL, *doc = NULL, day[ENT_DAY_ISO_LEN];
	char			 now[32];
	size_t			 ilen = 0, dlen = 0;
	int64_t			 mark = 0;
	int			 rc = -1, r;
	FILE			*fp;
	time_t			 t = time(NULL);
	struct tm		 tm;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.db = db;
	c.as_of = as_of;
	c.also_syslog = also_syslog;
	if ((c.json = open_memstream(&items, &ilen)) == NULL) {
		snprintf(err, errlen, "alert %s: out of memory", a->o.name);
		return (-1);
	}
	if (a->rule == CONF_ALERT_REPLACED) {
		if (db_alert_mark_get(db, a->o.name, &mark, c.err,
		    sizeof(c.err)) == -1)
			goto fail;
		c.last_event = mark;
		if (db_alert_events(db, "replaced", mark, event_cb, &c, c.err,
		    sizeof(c.err)) != 0)
			goto fail;
	} else {
		memset(&co, 0, sizeof(co));
		co.as_of = as_of;
		ent_policy_init(&co.policy);
		if (a->rule == CONF_ALERT_EOS && a->days > co.policy.window_days)
			co.policy.window_days = (int)a->days;
		r = db_coverage(db, &co, cov_row_cb, &c, c.err, sizeof(c.err));
		if (r != 0)
			goto fail;
	}
	fclose(c.json);
	c.json = NULL;

	if (c.n > 0 && a->hook[0] != '\0') {
		gmtime_r(&t, &tm);
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
		ent_day_format(as_of, day, sizeof(day));
		if ((fp = open_memstream(&doc, &dlen)) == NULL) {
			snprintf(c.err, sizeof(c.err), "out of memory");
			goto fail;
		}
		fputs("{\"alert\":", fp);
		json_str(fp, a->o.name);
		fputs(",\"rule\":", fp);
		json_str(fp, rule_names[a->rule]);
		fprintf(fp, ",\"scan\":%lld,\"as_of\":\"%s\",\"time\":\"%s\","
		    "\"count\":%zu,\"items\":[%s]}\n", (long long)scan_id, day,
		    now, c.n, items);
		fclose(fp);
		hook_run(a, doc, dlen);
	}
	/* Delivered (or logged): remember, so it fires once. */
	if (a->rule == CONF_ALERT_REPLACED) {
		if (db_alert_mark_put(db, a->o.name, c.last_event, c.err,
		    sizeof(c.err)) == -1)
			goto fail;
	} else if (db_alert_state_put(db, a->o.name, c.upd, c.nupd, c.err,
	    sizeof(c.err)) == -1)
		goto fail;
	*fired += c.n;
	rc = 0;
	goto done;
fail:
	snprintf(err, errlen, "alert %s: %s", a->o.name, c.err);
done:
	if (c.json != NULL)
		fclose(c.json);
	free(items);
	free(doc);
	free(c.upd);
	return (rc);
}

int
alert_run(const struct conf *c, struct db *db, int32_t as_of, int64_t scan_id,
    int also_syslog, size_t *fired, char *err, size_t errlen)
{
	size_t	i;
	int	rc = 0;

	*fired = 0;
	for (i = 0; i < c->nalerts; i++)
		if (alert_one(c->alerts[i], db, as_of, scan_id, also_syslog,
		    fired, err, errlen) == -1)
			rc = -1;	/* err: the last failure; go on */
	return (rc);
}
