/*
 * scan.c: one scan in process (scan.h).  With both protocols, targets go
 * in batches (SNMP, then NETCONF, then merge and store), so memory is
 * bounded by the batch, not by the size of the scan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../collector/heap.h"
#include "../db/db.h"
#include "log.h"
#include "scan.h"

#define MAX_SHOWN_FAILURES 10

/*
 * Group commit of an SNMP scan (db_batch_begin()): results are committed
 * by the 256 or every 100 ms, whichever comes first, and when the scan
 * ends or is stopped.  A transaction per device cost half of the CPU of
 * a scan.  NETCONF devices finish a few a second, and a batch open while
 * the loop waits for them would hold the write lock: those scans keep a
 * transaction per device.
 */
#define SCAN_BATCH_RESULTS	256
#define SCAN_BATCH_MS		100
#define SCAN_BATCH_MS_MAX	600000

/*
 * The batch interval: SCAN_BATCH_MS, or IBAGENT_BATCH_MS (a test knob,
 * 1 to SCAN_BATCH_MS_MAX ms; anything else is ignored) so a test can
 * keep finished devices in the open batch until the scan is stopped.
 */
static unsigned int
scan_batch_ms(void)
{
	const char	*v = getenv("IBAGENT_BATCH_MS");
	char		*end;
	unsigned long	 ms;

	if (v == NULL || *v < '0' || *v > '9')
		return (SCAN_BATCH_MS);
	ms = strtoul(v, &end, 10);
	if (*end != '\0' || ms < 1 || ms > SCAN_BATCH_MS_MAX)
		return (SCAN_BATCH_MS);
	return ((unsigned int)ms);
}

/* One device's SNMP result, held until its NETCONF result arrives. */
struct slot {
	enum poll_status	 st;
	char			 err[200];
	struct dev_facts	 f;
	int			 have;		/* f holds facts */
	int			 reported;	/* the SNMP pass reported it */
};

/* State shared with the result callbacks. */
struct scan_ctx {
	const struct scan_params *p;
	struct scan_summary	*sum;
	struct db		*db;
	volatile int		*stop;
	int			 progress_shown;	/* the line is on screen */
	uint64_t		 last_progress_ms;
	int			 db_failed;
	char			 db_err[512];
	const struct csnmp_target *base;	/* first target of the batch */
	struct slot		*slots;			/* one per target of the batch */
};

size_t
scan_failed(const struct scan_summary *s)
{
	return (s->done - s->counts[POLL_OK] - s->counts[POLL_PARTIAL]);
}

/*
 * The progress line lives on the last line of the terminal: a log line
 * first erases it, and it is redrawn (at most every 100 ms) after.
 */
static void
progress_line(struct scan_ctx *c, int final)
{
	if (!c->p->progress)
		return;
	if (final) {
		if (c->progress_shown)
			fputs("\r\033[K", stderr);
		c->progress_shown = 0;
		return;
	}
	fprintf(stderr, "\r\033[Kscan: %zu/%zu devices, %zu failed",
	    c->sum->done, c->sum->total, scan_failed(c->sum));
	fflush(stderr);
	c->progress_shown = 1;
}

/* Count, report and store one device's final result. */
static void
scan_record(struct scan_ctx *c, const struct csnmp_target *t, enum poll_status st,
    const char *err, const struct dev_facts *f, const struct crosscheck *cc,
    const char *protocols)
{
	struct scan_summary	*s = c->sum;
	uint64_t		 now;

	s->done++;
	s->counts[st]++;
	if (st == POLL_OK && err[0] != '\0') {
		/* A note on a good poll (a VC RPC refused, a key recorded). */
		log_debug("%s: %s", t->address, err);
		err = "";
	}
	if (st != POLL_OK && c->p->log_failures) {
		if (log_verbose >= 2 || (log_verbose >= 1 &&
		    s->shown < MAX_SHOWN_FAILURES)) {
			if (c->progress_shown) {
				fputs("\r\033[K", stderr);
				c->progress_shown = 0;
			}
			log_warnx("%s%s%s: %s: %s", t->address,
			    strcmp(t->name, t->address) ? " " : "",
			    strcmp(t->name, t->address) ? t->name : "",
			    poll_status_str(st), err);
			s->shown++;
		}
	}
	if (!c->db_failed && db_store_result2(c->db, s->scan_id, t->address, st,
	    err, f, cc, protocols, -1, c->db_err, sizeof(c->db_err)) == -1) {
		/* A database that cannot write (disk full...) stops the scan. */
		c->db_failed = 1;
		*c->stop = 1;
	}
	if (c->p->on_device != NULL)
		c->p->on_device(t, st, err, c->p->arg);
	now = mono_ms();
	if (c->p->progress && (now - c->last_progress_ms >= 100 ||
	    !c->progress_shown)) {
		c->last_progress_ms = now;
		progress_line(c, 0);
	}
}

static void
snmp_result(const struct csnmp_target *t, enum poll_status st, const char *err,
    const struct dev_facts *f, void *arg)
{
	scan_record(arg, t, st, err, f, NULL, "snmp");
}

/* Between results: commit a batch that has grown old. */
static void
snmp_tick(void *arg)
{
	struct scan_ctx	*c = arg;

	if (!c->db_failed && db_batch_tick(c->db, c->db_err,
	    sizeof(c->db_err)) == -1) {
		c->db_failed = 1;
		*c->stop = 1;
	}
}

static void
netconf_result(const struct csnmp_target *t, enum poll_status st,
    const char *err, const struct dev_facts *f, void *arg)
{
	scan_record(arg, t, st, err, f, NULL, "netconf");
}

/* Both protocols, first pass: keep the SNMP result for the merge. */
static void
snmp_hold(const struct csnmp_target *t, enum poll_status st, const char *err,
    const struct dev_facts *f, void *arg)
{
	struct scan_ctx	*c = arg;
	struct slot	*sl = &c->slots[t - c->base];

	sl->st = st;
	sl->reported = 1;
	snprintf(sl->err, sizeof(sl->err), "%s", err);
	facts_init(&sl->f);
	sl->have = 0;
	if (f != NULL) {
		if (facts_copy(&sl->f, f) == -1) {
			sl->st = POLL_ERROR;
			snprintf(sl->err, sizeof(sl->err), "out of memory");
		} else
			sl->have = 1;
	}
}

static int
poll_has_data(enum poll_status st)
{
	return (st == POLL_OK || st == POLL_PARTIAL);
}

/*
 * Both protocols, second pass: one device record from both answers.
 * Status: ok when both are ok; partial when either gave data but not
 * both gave all; else SNMP's failure.  The error names each protocol.
 */
static void
netconf_merge(const struct csnmp_target *t, enum poll_status st,
    const char *err, const struct dev_facts *f, void *arg)
{
	struct scan_ctx		*c = arg;
	struct slot		*sl = &c->slots[t - c->base];
	struct crosscheck	 cc;
	const struct dev_facts	*out = NULL;
	const char		*protos = "snmp,netconf";
	enum poll_status	 fst;
	char			 e[512] = "";
	int			 s_ok = sl->have && poll_has_data(sl->st);
	int			 n_ok = f != NULL && poll_has_data(st);

	memset(&cc, 0, sizeof(cc));
	if (sl->st != POLL_OK)
		snprintf(e, sizeof(e), "snmp: %s%s%s", poll_status_str(sl->st),
		    sl->err[0] ? ": " : "", sl->err);
	if (st != POLL_OK)
		snprintf(e + strlen(e), sizeof(e) - strlen(e), "%snetconf: %s%s%s",
		    e[0] ? "; " : "", poll_status_str(st), err[0] ? ": " : "", err);
	if (s_ok && n_ok) {
		if (facts_merge(&sl->f, f, &cc) == -1) {
			fst = POLL_ERROR;
			snprintf(e, sizeof(e), "out of memory merging results");
		} else {
			out = &sl->f;
			fst = sl->st == POLL_OK && st == POLL_OK ? POLL_OK : POLL_PARTIAL;
		}
	} else if (s_ok) {
		out = &sl->f;
		protos = "snmp";
		fst = POLL_PARTIAL;
	} else if (n_ok) {
		out = f;
		protos = "netconf";
		fst = POLL_PARTIAL;
	} else
		fst = sl->st;
	/* A cross-check that ran (even with no conflict) replaces the old one. */
	scan_record(c, t, fst, e, out, s_ok && n_ok && out != NULL ? &cc : NULL,
	    protos);
	facts_free(&sl->f);
	sl->have = 0;
}

/* Poll every target with the protocols asked for. */
static int
scan_poll(struct scan_ctx *c, char *err, size_t errlen)
{
	const struct scan_params	*p = c->p;
	const struct target_list	*tl = p->targets;
	size_t				 i, batch, nb;
	int				 rc = 0;

	if (p->protocols == SCAN_PROTO_SNMP)
		return (csnmp_run(tl->v, tl->n, p->snmp, p->snmp_opts,
		    snmp_result, snmp_tick, c, c->stop, err, errlen));
	if (p->protocols == SCAN_PROTO_NETCONF)
		return (cnetconf_run(tl->v, tl->n, p->ssh, p->netconf_opts,
		    netconf_result, c, c->stop, err, errlen));
	batch = p->snmp_opts->max_inflight < 64 ? 64 : p->snmp_opts->max_inflight;
	if ((c->slots = calloc(batch, sizeof(*c->slots))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	for (i = 0; i < tl->n && !*c->stop && rc == 0; i += nb) {
		size_t	k;

		nb = tl->n - i < batch ? tl->n - i : batch;
		c->base = &tl->v[i];
		for (k = 0; k < nb; k++) {
			c->slots[k].st = POLL_ERROR;
			snprintf(c->slots[k].err, sizeof(c->slots[k].err),
			    "interrupted");
			c->slots[k].have = 0;
			c->slots[k].reported = 0;
			facts_init(&c->slots[k].f);
		}
		rc = csnmp_run(c->base, nb, p->snmp, p->snmp_opts, snmp_hold,
		    NULL, c, c->stop, err, errlen);
		if (rc == 0 && !*c->stop)
			rc = cnetconf_run(c->base, nb, p->ssh, p->netconf_opts,
			    netconf_merge, c, c->stop, err, errlen);
		else if (rc == 0) {
			/* Interrupted between the passes: keep what SNMP found. */
			for (k = 0; k < nb; k++)
				if (c->slots[k].reported)
					netconf_merge(&c->base[k], POLL_ERROR,
					    "interrupted", NULL, c);
		}
		for (k = 0; k < nb; k++)
			facts_free(&c->slots[k].f);
	}
	free(c->slots);
	c->slots = NULL;
	return (rc);
}

int
scan_run(const struct scan_params *p, struct db *db, volatile int *stop,
    struct scan_summary *sum, char *err, size_t errlen)
{
	struct scan_ctx	 c;
	char		 e[1024], bmsg[512];
	uint64_t	 t0;
	int		 rc;

	memset(sum, 0, sizeof(*sum));
	memset(&c, 0, sizeof(c));
	c.p = p;
	c.sum = sum;
	c.db = db;
	c.stop = stop;
	sum->total = p->targets->n;
	if (db_scan_begin(db, p->summary, &sum->scan_id, e, sizeof(e)) == -1) {
		snprintf(err, errlen, "%s: %s", p->dbpath, e);
		return (-1);
	}
	t0 = mono_ms();
	if (p->protocols == SCAN_PROTO_SNMP)
		(void)db_batch_begin(db, SCAN_BATCH_RESULTS, scan_batch_ms());
	rc = scan_poll(&c, e, sizeof(e));
	/*
	 * Stopped, failed or done: what the open batch holds is committed
	 * before anything else, so every device reported is saved.
	 */
	if (db_batch_end(db, bmsg, sizeof(bmsg)) == -1) {
		size_t	len = c.db_failed ? strlen(c.db_err) : 0;

		snprintf(c.db_err + len, sizeof(c.db_err) - len, "%s%s",
		    c.db_failed ? "; " : "", bmsg);
		c.db_failed = 1;
	}
	if (rc == -1) {
		progress_line(&c, 1);
		sum->elapsed_ms = mono_ms() - t0;
		snprintf(err, errlen, "scan: %s", e);
		return (-1);
	}
	progress_line(&c, 1);
	sum->elapsed_ms = mono_ms() - t0;
	if (c.db_failed) {
		snprintf(err, errlen, "%s: %s; the scan was stopped, devices "
		    "already stored are kept", p->dbpath, c.db_err);
		return (-1);
	}
	if (db_scan_end(db, sum->scan_id, (unsigned int)sum->done,
	    (unsigned int)(sum->counts[POLL_OK] + sum->counts[POLL_PARTIAL]),
	    (unsigned int)scan_failed(sum), e, sizeof(e)) == -1) {
		snprintf(err, errlen, "%s: %s", p->dbpath, e);
		return (-1);
	}
	sum->interrupted = *stop != 0;
	return (0);
}
