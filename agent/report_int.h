/*
 * report_int.h: what the report files (agent/report*.c) share: the parsed
 * options and one function per report that fills a document
 * (report_fmt.h).  Nothing outside agent/report*.c uses it but tests.
 */
#ifndef IB_REPORT_INT_H
#define IB_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../entitlement/ent_rules.h"
#include "report_fmt.h"

struct db;
struct cov_counts;
struct cov_opts;

struct ropts {
	const char	*kind;		/* "coverage", ... */
	ent_day		 as_of;
	char		 as_of_s[ENT_DAY_ISO_LEN];
	const char	*site;		/* filters; NULL: all */
	const char	*customer;
	const char	*device;
	enum rfmt	 fmt;
	const char	*output;	/* NULL: stdout */
	const char	*table;		/* CSV: which table; NULL default */
	int		 window_days;	/* --window: EXPIRING, EOS_SOON */
	/* audit */
	const char	*contract;	/* --contract ID */
	ent_day		 ending_before;	/* --ending-before; NONE unset */
	char		 ending_before_s[ENT_DAY_ISO_LEN];
	int		 ghost_days;	/* --ghost-days, 30 */
	int		 term_months;	/* --term, 12 */
	/* metrics */
	const char	*period;	/* "2026Q3" */
	ent_day		 period_start, period_end;
	/* changes */
	const char	*since;		/* SCAN id or DATE; NULL latest */
};

/* Each fills doc (and names its CSV table); 0, or -1 with err set. */
int	 report_coverage(struct db *, const struct ropts *, struct rdoc *,
	    const char **csv_table, char *err, size_t errlen);
int	 report_audit(struct db *, const struct ropts *, struct rdoc *,
	    const char **csv_table, char *err, size_t errlen);
int	 report_lifecycle(struct db *, const struct ropts *, struct rdoc *,
	    const char **csv_table, char *err, size_t errlen);
int	 report_metrics(struct db *, const struct ropts *, struct rdoc *,
	    const char **csv_table, char *err, size_t errlen);
int	 report_changes(struct db *, const struct ropts *, struct rdoc *,
	    const char **csv_table, char *err, size_t errlen);

/* report.c: helpers the reports share. */
/* Integer and fixed-point cells: "12", "41.7" (share of n in total). */
void	 rcell_int(char *buf, size_t len, int64_t v);
void	 rcell_pct(char *buf, size_t len, int64_t n, int64_t total);
/* Cents as "1234.50"; -1 (unknown) as "". */
void	 rcell_money(char *buf, size_t len, int64_t cents);
/* A day as "YYYY-MM-DD", ENT_DAY_NONE as "". */
void	 rcell_day(char *buf, size_t len, ent_day d);
/* The filters and as_of as header facts. */
int	 report_facts(struct rdoc *, const struct ropts *);
/*
 * db_coverage() options for o: the day, --window and the site, customer
 * and device filters.
 */
void	 report_cov_opts(struct cov_opts *, const struct ropts *o);
/*
 * The counts of what is imported and scanned (db_coverage_counts()).
 * Returns 0; 1 when there is no serialized item, doc then marked empty
 * with a note that says so; -1 with err set.
 */
int	 report_counts(struct db *, struct rdoc *, struct cov_counts *,
	    char *err, size_t errlen);
/*
 * The currency of the prices summed: the first one seen, or mixed.
 * Zero it before use.
 */
struct rcurrency {
	char		 code[8];
	int		 mixed;		/* 1: more than one was seen */
};
void	 rcurrency_add(struct rcurrency *, const char *code);
/* The "currency" fact, or a note when mixed; -1 out of memory. */
int	 rcurrency_fact(struct rdoc *, const struct rcurrency *);
/*
 * Rows grouped by a name (a site, a model, a train): counters in n[],
 * found by name (case-sensitive, NULL is its own group).  A handful to a
 * few thousand groups; the last hit is tried first, as report rows come
 * grouped by device.
 */
#define RGROUP_N	10
struct rgroup {
	char		*name;		/* NULL: unknown */
	int64_t		 n[RGROUP_N];
	int64_t		 value;		/* cents */
	char		*extra[4];	/* per-report strings, freed */
};
struct rgroups {
	struct rgroup	*v;
	size_t		 n, cap, last;
};
/* The group of name, made if new; NULL out of memory. */
struct rgroup	*rgroups_get(struct rgroups *, const char *name);
/* Sort by name, unknown last. */
void		 rgroups_sort(struct rgroups *);
void		 rgroups_clear(struct rgroups *);
/* Copy s into *slot unless set; -1 out of memory. */
int		 rgroup_set(char **slot, const char *s);

/* Status colours for the charts: "COVERED", "#2e9e44", ..., NULL. */
extern const char *const report_status_colors[];

#endif /* IB_REPORT_INT_H */
