/*
 * coverage.h: the entitlement verdict of every serialized item of the
 * install base as of one day, streamed row by row.
 *
 * db_coverage() gathers the facts of all items with set-based SQL (a
 * handful of queries over the whole install base, never one query per
 * item), evaluates each item with ent_evaluate() (entitlement/ent_rules.h)
 * and hands each row to a callback, in a stable order: devices by
 * address (numeric), then chassis, members, components, each by name
 * and serial.  A chassis is always evaluated before its components, so
 * inheritance (policy inherit, D8) works in one pass.  Memory is bounded
 * by the largest device plus the lifecycle/term tables, not by the
 * install base: a report over 1M items streams.
 *
 * Reports (agent/report*.c), the `coverage` command and the daemon's
 * alerts all consume this API.  Fields may be added; existing fields
 * keep their meaning.
 */
#ifndef IB_DB_COVERAGE_H
#define IB_DB_COVERAGE_H

#include <stdint.h>

#include "../entitlement/ent_rules.h"

struct db;

struct cov_opts {
	ent_day		 as_of;		/* required: the day of the verdict */
	struct ent_policy policy;	/* ent_policy_init() for defaults */
	/* Filters, NULL or "" for all; compared ignoring case. */
	const char	*site;		/* the row's site (see cov_row.site) */
	const char	*customer;	/* the row's customer */
	const char	*device;	/* device address, hostname or serial */
	int		 include_gone;	/* 1: also items no longer present
					   (replaced, gone); default 0 */
};

/*
 * One row.  Strings are borrowed for the duration of the callback and
 * may be NULL (unknown).  Copy what you keep.
 */
struct cov_row {
	int64_t		 device_id;
	int64_t		 item_id;
	const char	*address;	/* "10.0.0.1:161" */
	const char	*hostname;
	const char	*device_model;	/* the device's (chassis) model */
	const char	*device_serial;
	const char	*version;	/* the device's Junos version */
	const char	*site;		/* seen site: the device's location;
					   else the install site of its
					   contract line or registration */
	const char	*customer;	/* from its contract line, else its
					   registration; NULL unknown */
	int		 kind;		/* enum ent_kind */
	const char	*item_name;	/* "Chassis", "FPC 0", "Member 1" */
	const char	*serial;
	const char	*model;
	const char	*part_number;
	const char	*first_seen;	/* ISO 8601 UTC */
	const char	*last_seen;
	int		 gone;		/* 1: no longer present (include_gone) */
	int64_t		 price_cents;	/* deciding line's price; -1 none */
	const char	*currency;
	/* The lifecycle rows that applied (NULL: lifecycle UNKNOWN). */
	const struct ent_hw_lifecycle *hw;
	const struct ent_sw_lifecycle *sw;
	const char	*junos_train;	/* "21.4"; NULL unknown */
	struct ent_verdict v;		/* the verdict with its evidence */
	/* Added by the first implementation. */
	const char	*replaced_serial; /* REPLACED on the new item: the
					   serial it replaced at its address
					   (v.replaced_by is its own) */
};

/*
 * Return 0 to go on; anything else stops db_coverage(), which then
 * returns that value.
 */
typedef int cov_row_fn(const struct cov_row *, void *arg);

/*
 * Stream the verdicts.  Returns 0, the callback's non-zero value, or -1
 * with a message in err (a database error, a bad option).  Reads in one
 * read transaction: a concurrent scan is not seen half-way.
 */
int	 db_coverage(struct db *, const struct cov_opts *, cov_row_fn *fn,
	    void *arg, char *err, size_t errlen);

/* Counts over the whole result, for "no install base / no contracts". */
struct cov_counts {
	int64_t	 items;		/* serialized items considered */
	int64_t	 contract_lines;
	int64_t	 hw_rows, sw_rows, cpo_rows, reg_rows, warranty_rows;
};
int	 db_coverage_counts(struct db *, struct cov_counts *, char *err,
	    size_t errlen);

#endif /* IB_DB_COVERAGE_H */
