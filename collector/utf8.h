/*
 * utf8.h: the UTF-8 decoder that the escapers of the printed reports
 * (db/db_print.c) and the report formats (agent/report_fmt.c) share.  It
 * sits here, at the bottom of the tree, because every layer may need it
 * and it needs nothing; it is inline because they call it once a
 * character.
 */
#ifndef IB_UTF8_H
#define IB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length of the valid UTF-8 sequence at s (n > 0 bytes available) and
 * its code point in *cp; 0 if the bytes there are not valid UTF-8
 * (overlong forms, surrogates and values above U+10FFFF are invalid,
 * RFC 3629), *cp then untouched.
 */
static inline size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		len, i;
	uint32_t	c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* above U+10FFFF */
	} else
		return (0);
	if (n < len || s[1] < lo || s[1] > hi)
		return (0);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return (len);
}

#endif /* IB_UTF8_H */
