/*
 * ncframe.c: RFC 6242 framing, decoder and encoder.  The decoder keeps
 * its state between calls, so a delimiter or a chunk header may be split
 * across any number of reads.  It holds at most one message; its memory
 * is bounded by max (plus one input block while "]]>]]>" is searched).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ncframe.h"

#define EOM		"]]>]]>"
#define EOM_LEN		6
#define CHUNK_MAX	4294967295ULL	/* RFC 6242: chunk-size <= 2^32-1 */

enum {
	ST_START = 0,	/* before the message: blanks */
	ST_EOM,		/* "]]>]]>" framing: in the message */
	ST_LF,		/* chunked: '\n' before '#' */
	ST_HASH,	/* '#' */
	ST_SIZE1,	/* first digit of a size, or the second '#' of "##" */
	ST_SIZE,	/* more digits, then '\n' */
	ST_DATA,	/* chunk data */
	ST_ENDLF	/* the '\n' after "##" */
};

void
ncframe_init(struct ncframe *f, size_t max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
}

void
ncframe_clear(struct ncframe *f)
{
	free(f->msg);
	f->msg = NULL;
	f->len = f->cap = 0;
}

void
ncframe_reset(struct ncframe *f)
{
	f->len = 0;
	f->st = ST_START;
	f->left = 0;
	f->digits = 0;
	f->why = NULL;
}

/*
 * Room for need bytes.  Doubling stops at about max, so that a message
 * of the largest size costs that much memory, not twice as much.
 */
static int
grow(struct ncframe *f, size_t need)
{
	size_t	 ncap, lim = f->max + EOM_LEN;
	char	*p;

	if (need <= f->cap)
		return (0);
	ncap = f->cap ? f->cap : 4096;
	while (ncap < need && ncap <= SIZE_MAX / 2)
		ncap *= 2;
	if (ncap < need || ncap > lim)
		ncap = need > lim ? need : lim;
	if ((p = realloc(f->msg, ncap)) == NULL)
		return (-1);
	f->msg = p;
	f->cap = ncap;
	return (0);
}

static int
is_blank(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

static enum ncframe_rc
bad(struct ncframe *f, const char *why)
{
	f->why = why;
	return (NCF_BAD);
}

static enum ncframe_rc
feed_eom(struct ncframe *f, const char *in, size_t len, size_t *used)
{
	const char	*p;
	size_t		 old = f->len, from, end;

	if (grow(f, f->len + len) == -1)
		return (NCF_NOMEM);
	memcpy(f->msg + f->len, in, len);
	f->len += len;
	/* The delimiter may have begun in the previous block. */
	from = old >= EOM_LEN - 1 ? old - (EOM_LEN - 1) : 0;
	if ((p = memmem(f->msg + from, f->len - from, EOM, EOM_LEN)) == NULL) {
		*used += len;
		/* Even if "]]>]]>" came now, the message would be too long. */
		return (f->len > f->max + EOM_LEN - 1 ? NCF_TOOBIG : NCF_MORE);
	}
	end = (size_t)(p - f->msg);
	*used += end + EOM_LEN - old;
	f->len = end;
	return (end > f->max ? NCF_TOOBIG : NCF_DONE);
}

enum ncframe_rc
ncframe_feed(struct ncframe *f, const char *in, size_t len, size_t *used)
{
	size_t	i = 0, n;
	char	c;

	*used = 0;
	if (f->st == ST_START) {
		while (i < len && is_blank(in[i]))
			i++;
		if (i == len) {
			*used = len;
			return (NCF_MORE);
		}
		if (f->chunked) {
			/* The "\n" of the first "\n#" was a blank above. */
			f->st = ST_HASH;
		} else
			f->st = ST_EOM;
	}
	if (f->st == ST_EOM) {
		*used = i;
		return (feed_eom(f, in + i, len - i, used));
	}
	while (i < len) {
		c = in[i];
		switch (f->st) {
		case ST_LF:
			if (c != '\n')
				return (bad(f, "chunk longer than its size"));
			f->st = ST_HASH;
			i++;
			break;
		case ST_HASH:
			if (c != '#')
				return (bad(f, "no chunk header"));
			f->st = ST_SIZE1;
			i++;
			break;
		case ST_SIZE1:
			if (c == '#')
				f->st = ST_ENDLF;
			else if (c >= '1' && c <= '9') {
				f->left = (uint64_t)(c - '0');
				f->digits = 1;
				f->st = ST_SIZE;
			} else
				return (bad(f, "bad chunk size"));
			i++;
			break;
		case ST_SIZE:
			if (c == '\n') {
				/* Refuse now what could not fit anyway. */
				if (f->len + f->left > f->max)
					return (NCF_TOOBIG);
				f->st = ST_DATA;
			}
			else if (c >= '0' && c <= '9' && f->digits < 10) {
				f->left = f->left * 10 + (uint64_t)(c - '0');
				f->digits++;
				if (f->left > CHUNK_MAX)
					return (bad(f, "chunk size too large"));
			} else
				return (bad(f, "bad chunk size"));
			i++;
			break;
		case ST_DATA:
			n = len - i;
			if (n > f->left)
				n = (size_t)f->left;
			if (f->len + n > f->max)
				return (NCF_TOOBIG);
			if (grow(f, f->len + n) == -1)
				return (NCF_NOMEM);
			memcpy(f->msg + f->len, in + i, n);
			f->len += n;
			f->left -= n;
			i += n;
			if (f->left == 0)
				f->st = ST_LF;
			break;
		case ST_ENDLF:
			if (c != '\n')
				return (bad(f, "bad end of chunks"));
			*used = i + 1;
			return (NCF_DONE);
		default:
			return (bad(f, "decoder state"));
		}
	}
	*used = len;
	return (NCF_MORE);
}

int
ncframe_encode(int chunked, const char *body, char *out, size_t outlen)
{
	int	n;

	if (chunked)
		n = snprintf(out, outlen, "\n#%zu\n%s\n##\n", strlen(body), body);
	else
		n = snprintf(out, outlen, "%s" EOM, body);
	if (n < 0 || (size_t)n >= outlen)
		return (-1);
	return (n);
}
