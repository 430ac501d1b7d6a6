/*
 * import.h: the parsing half of `ibagent import KIND FILE`.  A CSV file
 * of one KIND (contracts, hw-lifecycle, sw-lifecycle, cpo, warranty,
 * registrations) is read with csv.h, its header matched to the KIND's
 * canonical fields (by alias, or by an explicit --map), and every row
 * checked and normalised.  The outcome is all or nothing: EITHER every
 * row in plain structs for the database step to insert, OR the complete
 * list of problems as "FILE:LINE: reason" lines, never a part of the
 * rows.  Pure: no database, no logging, no global state; results are
 * owned by the caller's struct import_result.  docs/import.md is the
 * user's description (alias table, date rules, every message).
 *
 * Rules in brief (the docs have the details):
 * - Header: the first non-blank line.  A header cell matches a field
 *   when both agree after dropping everything but ASCII letters and
 *   digits and folding case ("Serial #", "serial_no" and "SERIAL-NO"
 *   are one name).  Unknown columns are ignored and listed in
 *   res->unused; columns a KIND knows to carry nothing for us (the
 *   eol-scanner flags quad_pic, quad_pic_possible, pim_fpc) are ignored
 *   silently.  Two columns for one field, a missing required column and
 *   --map trouble are header errors, reported at the header line; the
 *   rows are not looked at then.
 * - Cells are trimmed of blanks.  A record whose cells are all empty is
 *   skipped.  A record with fewer cells than the header, or with
 *   non-empty cells beyond it, is a bad row.
 * - Dates: YYYY-MM-DD; MM/DD/YYYY or DD/MM/YYYY (1 or 2 digits each);
 *   "Jan 31, 2025", "January 31, 2025", "31 Jan 2025", "31-Jan-2025".
 *   Years 1900..2199.  Which slash form a file uses is decided once for
 *   the whole file: opts->datefmt, or detected from every slash date in
 *   its date columns.  A date with its first number above 12 votes
 *   DD/MM, one with its second above 12 votes MM/DD; votes both ways are
 *   an error; no vote but a date like 03/04/2025 (two different numbers
 *   <= 12) makes the file ambiguous, an error unless opts->datefmt says.
 * - Lifecycle leniency (hw-lifecycle, sw-lifecycle; off with
 *   opts->strict): a milestone other than End of Support whose day is
 *   past its month's end ("06/31/2009") is read as the month's last day,
 *   and one that is no date form at all ("07/31/021") is left empty; each
 *   case is a warning ("FILE:LINE: ..."), not an error.  Vendor EOL
 *   tables have such typos; End of Support and all other kinds' dates
 *   are never guessed at.
 * - Bad rows are all reported, each on one line with every reason of
 *   that row joined by "; ", up to opts->max_errors lines and a last
 *   "FILE: N more errors not listed".
 */
#ifndef IB_IMPORT_H
#define IB_IMPORT_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "csv.h"

enum import_kind {
	IMPORT_CONTRACTS,
	IMPORT_HW_LIFECYCLE,
	IMPORT_SW_LIFECYCLE,
	IMPORT_CPO,
	IMPORT_WARRANTY,
	IMPORT_REGISTRATIONS
};
#define IMPORT_NKINDS	6

enum import_datefmt {
	IMPORT_DATE_AUTO,	/* detect from the file's dates */
	IMPORT_DATE_ISO,	/* YYYY-MM-DD only (month names still ok) */
	IMPORT_DATE_US,		/* slash dates are MM/DD/YYYY */
	IMPORT_DATE_EU		/* slash dates are DD/MM/YYYY */
};

enum import_type {
	IMPORT_TEXT,		/* trimmed; no control bytes but TAB CR LF */
	IMPORT_SERIAL,		/* parse_serial() form, < ITEM_SERIAL_LEN
				   bytes; placeholders refused */
	IMPORT_DATE,		/* days since 1970-01-01 */
	IMPORT_INT,		/* decimal, within the field's min..max */
	IMPORT_MONEY,		/* minor units (cents) */
	IMPORT_ENUM,		/* index into the field's values[] */
	IMPORT_PATTERN,		/* product pattern; '*' is a wildcard */
	IMPORT_PATTERNS,	/* ';' or ',' separated list of patterns */
	IMPORT_TRAIN		/* Junos release train: 21.4, 15.1X49 */
};

enum import_need {
	IMPORT_OPTIONAL,
	IMPORT_REQUIRED,	/* column must exist, cell must be set */
	IMPORT_ONE_OF		/* one column of the kind's IMPORT_ONE_OF
				   fields must exist, and one of their
				   cells in each row must be set */
};

#define IMPORT_NO_DATE		LONG_MIN	/* date cell empty */
#define IMPORT_NO_MONEY		LLONG_MIN	/* amount cell empty */
#define IMPORT_NO_INT		INT_MIN		/* int cell empty */
#define IMPORT_NO_ENUM		(-1)		/* enum cell empty */
#define IMPORT_MAX_FIELDS	16		/* fields of any kind */
#define IMPORT_MAX_ERRORS	1000		/* default opts.max_errors */
#define IMPORT_TEXT_MAX		4096		/* bytes in a text cell */
#define IMPORT_PATTERN_MAX	128		/* bytes in one pattern */

struct import_enum_value {
	const char		 *word;		/* canonical; NULL ends */
	const char *const	 *aliases;	/* NULL-terminated, or NULL */
};

/*
 * One canonical field of a kind.  Its name also matches as a header
 * and is what --map takes.  offset is where its value lives in the
 * kind's member of struct import_row's union: const char * for TEXT,
 * SERIAL, PATTERN and TRAIN (NULL when empty), long for DATE, long long
 * for MONEY, int for INT and ENUM, struct import_list for PATTERNS.
 */
struct import_field {
	const char			*name;
	enum import_type		 type;
	enum import_need		 need;
	size_t				 offset;
	const char *const		*aliases;	/* NULL-terminated */
	const struct import_enum_value	*values;	/* ENUM only */
	long				 min, max;	/* INT only */
};

struct import_list {
	const char	**v;		/* n patterns, in file order */
	size_t		  n;		/* 0 when the cell is empty */
};

/* Enum words (index values of the ENUM fields below). */
#define IMPORT_CPO_CURRENT	0	/* "current" */
#define IMPORT_CPO_EOP		1	/* "end-of-production" */
#define IMPORT_NO		0	/* "no" */
#define IMPORT_YES		1	/* "yes" */
#define IMPORT_REL_EOL		0	/* "EOL": standard lifecycle */
#define IMPORT_REL_EEOL		1	/* "EEOL": extended lifecycle */

/* contracts: one contract line for one serial. */
struct import_contract {
	const char	*contract_id;
	const char	*serial;
	const char	*sku;		/* product SKU of the covered item */
	const char	*level;		/* service level or service SKU */
	long		 start;		/* days since epoch */
	long		 end;		/* days since epoch, >= start */
	const char	*site;		/* install site */
	const char	*customer;	/* end customer */
	long long	 price;		/* cents, or IMPORT_NO_MONEY */
	const char	*currency;	/* ISO 4217 code, or NULL */
};

/* hw-lifecycle: EOL milestones of the listed models and part numbers. */
struct import_hw_lifecycle {
	struct import_list	 model;	/* model/SKU patterns */
	struct import_list	 part;	/* assembly number patterns */
	const char	*psn;		/* Product Support Notice number */
	const char	*description;
	long		 announce;	/* EOL announcement */
	long		 last_order;	/* last order date = end of sale */
	long		 convert_by;	/* last date to convert warranty */
	long		 same_day_end;	/* same-day support discontinued */
	long		 next_day_end;	/* next-day support discontinued */
	long		 sw_end;	/* end of new Junos release support */
	long		 eos;		/* End of Support */
	const char	*replacement;	/* suggested replacement */
};

/* sw-lifecycle: milestones of one Junos release train. */
struct import_sw_lifecycle {
	const char	*train;		/* "21.4", "15.1X49" */
	long		 first_release;	/* FRS */
	long		 eoe;		/* End of Engineering */
	long		 eos;		/* End of Support */
	int		 release_type;	/* IMPORT_REL_*, or IMPORT_NO_ENUM */
};

/* cpo: a Certified Pre-Owned purchase. */
struct import_cpo {
	const char	*serial;
	const char	*sku;
	long		 purchase;
	int		 line;		/* IMPORT_CPO_CURRENT or _EOP */
	int		 care;		/* IMPORT_YES, IMPORT_NO, IMPORT_NO_ENUM */
};

/* warranty: the standard hardware warranty of a product pattern. */
struct import_warranty {
	const char	*pattern;
	int		 months;	/* 0..600 */
	const char	*description;
};

/* registrations: the vendor's install-base list. */
struct import_registration {
	const char	*serial;
	const char	*sku;
	long		 ship;		/* ship date, or IMPORT_NO_DATE */
	const char	*site;
	const char	*customer;
};

struct import_row {
	const char	*file;		/* the result's file name */
	unsigned long	 line;		/* physical line the record starts on */
	union {
		struct import_contract		 contract;
		struct import_hw_lifecycle	 hw;
		struct import_sw_lifecycle	 sw;
		struct import_cpo		 cpo;
		struct import_warranty		 warranty;
		struct import_registration	 reg;
	} u;
};

/* An explicit header -> field mapping (--map). */
struct import_map_entry {
	char		*header;	/* unescaped, trimmed */
	int		 field;		/* index in import_fields(), -1: drop */
};

struct import_map {
	enum import_kind	 kind;
	struct import_map_entry	*v;
	size_t			 n;
};

struct import_opts {
	enum import_datefmt	 datefmt;
	const struct import_map	*map;		/* NULL: aliases only */
	struct csv_limits	 limits;	/* zeros: csv.h defaults */
	size_t			 max_errors;	/* 0: IMPORT_MAX_ERRORS; also
						   caps warnings */
	int			 strict;	/* 1: no lifecycle leniency */
};

/*
 * What one import produced.  Either nrows rows and no errors, or no
 * rows and nerrors messages.  All memory belongs to the result.
 */
struct import_result {
	enum import_kind	 kind;
	char			*file;		/* copy of the name given */
	struct import_row	*rows;
	size_t			 nrows;
	char			**errors;	/* "FILE:LINE: reason", in order */
	size_t			 nerrors;	/* entries in errors[] */
	size_t			 nbad;		/* bad rows, listed or not */
	char			**warnings;	/* "FILE:LINE: ...": lifecycle
						   dates read leniently */
	size_t			 nwarnings;
	char			**unused;	/* header cells used by no field */
	size_t			 nunused;
	unsigned long		 header_line;	/* 0: no header found */
	unsigned long		 nskipped;	/* all-empty records */
	enum import_datefmt	 datefmt;	/* applied: ISO when the file
						   has no slash date */
	void			*arena;		/* private: strings, lists */
};

/* Kind names as the CLI spells them: "contracts", "hw-lifecycle"... */
const char	*import_kind_name(enum import_kind);

/* Name -> kind.  Returns 0, or -1 if name is no kind. */
int	 import_kind_parse(const char *name, enum import_kind *kind);

/* "iso", "us", "eu", "auto" -> format.  Returns 0 or -1. */
int	 import_datefmt_parse(const char *name, enum import_datefmt *fmt);

/* The kind's field table (static storage) and its length. */
const struct import_field *import_fields(enum import_kind, size_t *nfields);

/*
 * Parse a --map value for kind: "HEADER=FIELD[,HEADER=FIELD...]".
 * HEADER is matched like an alias; it is everything before the last
 * '=' of its entry, where "\," "\=" and "\\" stand for ',' '=' and '\'.
 * FIELD is a field name of kind (any case, '_' '-' optional) or "-" to
 * ignore that column.  Blanks around both are dropped.  m must come
 * from import_map_init(); entries are added.  Returns 0, or -1 with err
 * filled ("--map: ...") and m as it was.
 */
void	 import_map_init(struct import_map *m);
int	 import_map_parse(struct import_map *m, enum import_kind kind,
	    const char *spec, char *err, size_t errlen);
void	 import_map_clear(struct import_map *m);

/*
 * Parse one date cell on its own (for --as-of and the like).  fmt AUTO
 * takes ISO, month names, and slash dates that read the same either way
 * or have a part above 12.  Returns 0 with *day set, or -1.
 */
int	 import_date_parse(const char *s, enum import_datefmt fmt, long *day);

/*
 * Days since 1970-01-01 -> "YYYY-MM-DD" in buf (at least 11 bytes).
 * Returns 0, or -1 with buf "" (when len > 0) if it does not fit.
 */
int	 import_date_iso(long day, char *buf, size_t len);

/* Prepare res; import_clear() frees what an import put there. */
void	 import_init(struct import_result *res);
void	 import_clear(struct import_result *res);

/*
 * Import one file of kind.  name is used in every message and copied
 * into every row.  opts NULL means defaults.  res must be from
 * import_init(), or hold an earlier result, which is freed first.
 * Blocks on fp (import_read), on opening and reading path
 * (import_file).
 *
 * Returns 0: res->rows holds every row, res->nerrors is 0.
 * Returns -1 with res->nerrors > 0: the file is refused, res->errors
 *   lists why (nothing else in res but warnings, unused, header_line,
 *   nbad and datefmt is meaningful; rows is NULL) and err says "FILE: N
 *   errors, nothing imported".
 * Returns -1 with res->nerrors == 0: the import could not run (cannot
 *   open or read the file, out of memory, a map for another kind); err
 *   says why.
 */
int	 import_read(struct import_result *res, enum import_kind kind,
	    const char *name, FILE *fp, const struct import_opts *opts,
	    char *err, size_t errlen);
int	 import_file(struct import_result *res, enum import_kind kind,
	    const char *path, const struct import_opts *opts, char *err,
	    size_t errlen);
int	 import_mem(struct import_result *res, enum import_kind kind,
	    const char *name, const void *buf, size_t len,
	    const struct import_opts *opts, char *err, size_t errlen);

#endif /* IB_IMPORT_H */
