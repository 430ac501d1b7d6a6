/*
 * ncframe.h: NETCONF message framing over SSH (RFC 6242).  Before and in
 * the <hello>s a message ends with "]]>]]>" (base:1.0); once both sides
 * have announced base:1.1 it is a series of chunks "\n#<size>\n<data>"
 * closed by "\n##\n".  Pure: bytes in, whole messages out, no sockets,
 * no logging, so it is tested on its own (tests/test_ncframe.c).
 */
#ifndef IB_NCFRAME_H
#define IB_NCFRAME_H

#include <stddef.h>
#include <stdint.h>

enum ncframe_rc {
	NCF_MORE = 0,		/* all input used, the message is not complete */
	NCF_DONE,		/* a whole message is in msg[0..len) */
	NCF_TOOBIG,		/* the message is longer than max */
	NCF_BAD,		/* not RFC 6242 framing; why says how */
	NCF_NOMEM		/* out of memory */
};

/*
 * One direction of one session.  msg is owned and grows up to about
 * max (+ one input block for "]]>]]>" framing), never beyond.
 */
struct ncframe {
	int		 chunked;	/* 1: base:1.1 chunks; change between messages only */
	size_t		 max;		/* largest message accepted, bytes */
	char		*msg;		/* the message (not NUL-terminated) */
	size_t		 len;
	size_t		 cap;
	const char	*why;		/* after NCF_BAD: a static string */
	int		 st;		/* decoder state; 0: nothing of this message yet */
	uint64_t	 left;		/* bytes left in the current chunk */
	unsigned int	 digits;	/* of the chunk size being read */
};

void	 ncframe_init(struct ncframe *, size_t max);
/* Free msg; the struct may be reused after ncframe_init(). */
void	 ncframe_clear(struct ncframe *);
/* Forget the last message (keep the buffer) before reading the next. */
void	 ncframe_reset(struct ncframe *);

/*
 * Take bytes from in.  *used gets how many were consumed: all of them
 * unless a message ended inside in; the rest belongs to the next message
 * and is to be fed again after ncframe_reset().  On NCF_TOOBIG, NCF_BAD
 * or NCF_NOMEM the stream cannot be resynchronised: close the session.
 * Blanks before a message (" \t\r\n") are consumed, not part of it.
 */
enum ncframe_rc	 ncframe_feed(struct ncframe *, const char *in, size_t len,
		    size_t *used);

/*
 * Frame body (a NUL-terminated XML document) into out: body"]]>]]>", or
 * "\n#<len>\n"body"\n##\n" when chunked.  Returns the length written
 * (without the NUL), or -1 if out is too small.
 */
int	 ncframe_encode(int chunked, const char *body, char *out, size_t outlen);

#endif
