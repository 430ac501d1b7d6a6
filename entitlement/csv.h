/*
 * csv.h: a streaming RFC 4180 reader for the files `ibagent import`
 * takes (contract exports, EOL tables, CPO and registration lists).
 * Pure: no logging, no global state; a reader is used by one thread at
 * a time.  Input arrives in chunks of any size (csv_reader_feed) and
 * each complete record is handed to a callback with the physical line
 * it starts on, so a file is never held in memory whole.
 * docs/import.md says why this is not libcsv.
 *
 * Accepted input:
 * - UTF-8 only, validated byte by byte (overlong forms, surrogates and
 *   code points above U+10FFFF are invalid); one leading UTF-8 BOM is
 *   skipped.  A NUL byte is an error.
 * - Records end at CRLF, LF or a lone CR; the last record may lack its
 *   terminator.  A physical line is counted at each of those three.
 * - Fields are separated by ','.  A field that starts with '"' (after
 *   optional blanks, which are then dropped) is quoted: it may hold ','
 *   CR and LF, and "" stands for one '"'; blanks after the closing quote
 *   are dropped.  Bytes of a field are passed on as they are: no
 *   trimming of unquoted fields, CRLF inside quotes stays CRLF.
 * - Empty physical lines between records are skipped (they are not
 *   records).  A line holding only "" or ',' is a record.
 *
 * Errors stop the reader: after a syntax error nothing says where the
 * next record starts.  Every message reads "NAME:LINE: reason":
 *   unterminated quoted field    (LINE is where the quote opened)
 *   quote in unquoted field
 *   text after closing quote
 *   NUL byte
 *   invalid UTF-8
 *   field longer than N bytes
 *   more than N fields in a record
 *   more than N lines
 */
#ifndef IB_CSV_H
#define IB_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_FIELD_MAX	(64 * 1024)	/* bytes in one field, unquoted */
#define CSV_FIELDS_MAX	256		/* fields in one record */
#define CSV_LINES_MAX	1000000UL	/* physical lines in one input */

/*
 * Caps that bound the work and memory a hostile file can cause: one
 * record never takes more than fields_max * (field_max + 1) bytes plus
 * its arrays.  A zero member means its CSV_*_MAX default.
 */
struct csv_limits {
	size_t		 field_max;	/* bytes per field after unquoting */
	size_t		 fields_max;	/* fields per record */
	unsigned long	 lines_max;	/* physical lines per input */
};

/*
 * One record, lent to the callback: every pointer is valid only until
 * the callback returns.  fields[i] is NUL-terminated and holds no NUL.
 */
struct csv_record {
	unsigned long	  line;		/* physical line it starts on, 1-based */
	size_t		  nfields;	/* >= 1 */
	const char	**fields;
	const size_t	 *lens;		/* strlen() of each field */
};

/*
 * Called once per record, in input order.  Return 0 to go on, or -1 to
 * stop the reader: then the feed or finish call that made this call
 * returns -1 with err as the callback filled it.
 */
typedef int csv_record_cb(const struct csv_record *, void *arg, char *err,
    size_t errlen);

/* Members are private to csv.c: use the functions. */
struct csv_reader {
	const char	 *name;		/* for messages; borrowed */
	struct csv_limits lim;
	csv_record_cb	 *cb;
	void		 *arg;
	int		  state;
	int		  failed;	/* an error stopped the reader */
	int		  syserr;	/* ... and it was OOM or I/O */
	int		  bom;		/* BOM bytes matched; 3: past it */
	int		  prev_cr;	/* last byte was CR */
	int		  u8need;	/* continuation bytes still due */
	unsigned char	  u8lo, u8hi;	/* range of the next one */
	unsigned long	  line;		/* line of the next byte */
	unsigned long	  rec_line;	/* line the current record began */
	unsigned long	  quote_line;	/* line the open quote began */
	unsigned long	  nrecords;
	char		 *buf;		/* fields of this record, NUL-ended */
	size_t		  len, cap;
	size_t		  field_start;	/* offset of the current field */
	size_t		 *offs;		/* start of each finished field */
	size_t		  noffs, capoffs;
	const char	**ptrs;		/* built for the callback */
	size_t		 *lens;
	size_t		  capptrs;
};

/*
 * Prepare r.  name (borrowed, must outlive r) prefixes messages; lim
 * NULL or zero members mean the defaults.  Never fails; no allocation
 * until data arrives.
 */
void	 csv_reader_init(struct csv_reader *r, const char *name,
	    const struct csv_limits *lim, csv_record_cb *cb, void *arg);

/*
 * Parse len bytes of input, calling the callback for each record they
 * complete.  Returns 0, or -1 with err filled ("NAME:LINE: reason", or
 * "NAME: out of memory"), or as the callback left it; after -1 every
 * later call fails too.
 */
int	 csv_reader_feed(struct csv_reader *r, const void *buf, size_t len,
	    char *err, size_t errlen);

/*
 * End of input: hand over the last record if it lacks a line end, and
 * fail on an open quote or a cut UTF-8 sequence.  Returns 0 or -1 as
 * csv_reader_feed().
 */
int	 csv_reader_finish(struct csv_reader *r, char *err, size_t errlen);

/*
 * Feed everything fp yields, in 64 KiB reads, then finish.  Blocks on
 * fp.  Returns 0 or -1 as csv_reader_feed() (a read error reads
 * "NAME: strerror").  fp stays open.
 */
int	 csv_reader_read(struct csv_reader *r, FILE *fp, char *err,
	    size_t errlen);

/*
 * 1 if the reader failed on out of memory or a read error, 0 if on the
 * input (or not at all, or by the callback's choice).
 */
int	 csv_reader_syserr(const struct csv_reader *r);

/* Records handed to the callback so far. */
unsigned long	 csv_reader_records(const struct csv_reader *r);

/* Free what r allocated; r may be initialised again.  NULL is a no-op. */
void	 csv_reader_clear(struct csv_reader *r);

#endif /* IB_CSV_H */
