/*
 * report_fmt.h: the table layer of the reports.  A report is a document:
 * a few header facts (report, as of, filters), notes, and tables of
 * typed columns, plus charts drawn from tables.  The report adds rows as
 * it computes them, in any order; the document renders everything at
 * the end, in one of four formats:
 *
 *   text  aligned tables for a terminal, in the order the tables were
 *         made (reports make their totals first), controls replaced;
 *   csv   ONE table (RFC 4180, CRLF, UTF-8, one header row of column
 *         keys; an empty report without it: a "note" column of notes); a cell starting with = + - @ TAB or CR gets a leading
 *         apostrophe so a spreadsheet never runs it as a formula;
 *   json  one object: "report", "title", the header facts, "empty",
 *         "notes", then one array of row objects per table, keyed by
 *         the table id; numbers are JSON numbers, NULL is null;
 *   html  one self-contained page (inline CSS, SVG charts, a small
 *         sorting script, no network fetch), every value escaped.
 *
 * Rows are spooled to an unlinked temporary file (tmpfile(3)), not
 * kept in memory, so a table of a million rows costs a disk file and
 * the widths of its columns: reports stream.  Cells are borrowed for
 * the call only.  Not thread-safe per document; documents are
 * independent, so threads may each render their own.
 */
#ifndef IB_REPORT_FMT_H
#define IB_REPORT_FMT_H

#include <stddef.h>
#include <stdio.h>

enum rfmt {
	RF_TEXT = 0,
	RF_CSV,
	RF_JSON,
	RF_HTML
};

enum rcol_type {
	RC_STR = 0,	/* JSON string */
	RC_NUM		/* decimal number text ("12", "41.7", "-3"); JSON
			   number, right-aligned; anything else is null */
};

struct rcol {
	const char	*key;		/* JSON key, CSV header: [a-z0-9_] */
	const char	*title;		/* text and HTML header */
	int		 type;		/* enum rcol_type */
};

#define RCHART_HBAR	0	/* horizontal bars, one per row, stacked */
#define RCHART_VBAR	1	/* columns, one per row (a timeline) */
#define RCHART_MAXSER	8

struct rchart {
	int		 type;		/* RCHART_* */
	const char	*title;
	const char	*table;		/* id of the table it draws */
	int		 label_col;	/* column of the bar's label */
	int		 value_cols[RCHART_MAXSER]; /* stacked series */
	int		 nseries;
	/* Colour of each series; with one series, by_label may instead
	   colour each bar by its label ("COVERED" -> green). */
	const char	*colors[RCHART_MAXSER];
	const char *const *by_label;	/* label, colour, ..., NULL */
};

struct rdoc;
struct rtable;

/* Parse "text", "csv", "json", "html" into *f; 0, or -1. */
int		 rfmt_parse(const char *s, enum rfmt *f);

/*
 * A new document for report (the JSON "report" key) titled title, to be
 * rendered as fmt.  NULL on allocation failure.
 */
struct rdoc	*rdoc_new(enum rfmt fmt, const char *report, const char *title);
void		 rdoc_free(struct rdoc *);

/* A header fact ("as_of", "2026-11-22"); value NULL prints null. */
int		 rdoc_fact(struct rdoc *, const char *key, const char *value);

/*
 * A note for the reader, printed before the tables: "no contracts are
 * imported ...".  With empty set the report is about nothing (an empty
 * install base): JSON "empty" is true.
 */
int		 rdoc_note(struct rdoc *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 rdoc_set_empty(struct rdoc *);

/*
 * A new table, rendered in creation order.  cols is borrowed and must
 * live as long as the document.  NULL on failure (tmpfile, memory).
 */
struct rtable	*rdoc_table(struct rdoc *, const char *id, const char *title,
		    const struct rcol *cols, size_t ncols);

/* One row of ncols cells (NULL: no value).  0, or -1 (write error). */
int		 rtable_row(struct rtable *, const char *const *cells);
/* Render t after every table made so far (made early, filled late). */
void		 rtable_to_end(struct rtable *);
/* Rows so far. */
size_t		 rtable_nrows(const struct rtable *);

/* A chart (HTML only; others ignore it), drawn before the tables. */
int		 rdoc_chart(struct rdoc *, const struct rchart *);

/*
 * Render to out.  csv_table names the table a CSV document holds (NULL:
 * the first table).  Returns 0, or -1 with a message in err (write error,
 * an unknown csv_table).
 */
int		 rdoc_render(struct rdoc *, FILE *out, const char *csv_table,
		    char *err, size_t errlen);

/* The cell escapers, for tests: write s (NULL: nothing) to out. */
void		 rfmt_csv_cell(FILE *out, const char *s);
void		 rfmt_html_str(FILE *out, const char *s);
void		 rfmt_json_str(FILE *out, const char *s);
/* s for a terminal padded to width columns (right-aligned if right). */
void		 rfmt_text_cell(FILE *out, const char *s, size_t width,
		    int right);
/* Terminal columns of s as rfmt_text_cell() prints it. */
size_t		 rfmt_text_width(const char *s);

#endif /* IB_REPORT_FMT_H */
