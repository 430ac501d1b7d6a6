/*
 * test_ncframe.c: RFC 6242 framing (collector/ncframe.c).  Every message
 * is also fed one byte at a time and split at every offset, since a
 * delimiter or a chunk header can end up across two SSH reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/ncframe.h"

/*
 * Feed s in blocks of at most step bytes (0: no limit), with a block
 * boundary at offset cut (0: none).  The messages go to out, joined by
 * '|'; returns the last rc.
 */
static enum ncframe_rc
run(struct ncframe *f, const char *s, size_t step, size_t cut, char *out,
    size_t outlen)
{
	enum ncframe_rc	 rc = NCF_MORE;
	size_t		 len = strlen(s), off = 0, used;
	int		 nmsg = 0;

	out[0] = '\0';
	ncframe_reset(f);
	while (off < len) {
		size_t	n = len - off;

		if (step > 0 && n > step)
			n = step;
		if (cut > 0 && off < cut && off + n > cut)
			n = cut - off;
		rc = ncframe_feed(f, s + off, n, &used);
		assert_true(used <= n);
		off += used;
		if (rc == NCF_DONE) {
			size_t	o = strlen(out);

			snprintf(out + o, outlen - o, "%s%.*s", nmsg++ ? "|" : "",
			    (int)f->len, f->msg);
			ncframe_reset(f);
			continue;
		}
		if (rc != NCF_MORE)
			return (rc);
		assert_int_equal(used, n);
	}
	return (rc);
}

/* s gives exactly want (messages joined by '|') fed whole, bytewise, cut anywhere. */
static void
expect(int chunked, const char *s, const char *want)
{
	struct ncframe	 f;
	char		 out[1024];
	size_t		 cut;

	ncframe_init(&f, 1000);
	f.chunked = chunked;
	run(&f, s, 0, 0, out, sizeof(out));
	assert_string_equal(out, want);
	run(&f, s, 1, 0, out, sizeof(out));
	assert_string_equal(out, want);
	for (cut = 1; cut < strlen(s); cut++) {
		f.chunked = chunked;
		run(&f, s, 0, cut, out, sizeof(out));
		assert_string_equal(out, want);
	}
	ncframe_clear(&f);
}

static enum ncframe_rc
expect_fail(int chunked, const char *s, size_t max)
{
	struct ncframe	 f;
	enum ncframe_rc	 whole, bytewise;
	char		 out[1024];

	ncframe_init(&f, max);
	f.chunked = chunked;
	whole = run(&f, s, 0, 0, out, sizeof(out));
	bytewise = run(&f, s, 1, 0, out, sizeof(out));
	assert_int_equal(whole, bytewise);
	ncframe_clear(&f);
	return (whole);
}

static void
test_eom(void **state)
{
	(void)state;
	expect(0, "<a/>]]>]]>", "<a/>");
	/* Blanks before a message are not part of it, after one they are. */
	expect(0, "\n  <a/>\n]]>]]>\n<b/>]]>]]>", "<a/>\n|<b/>");
	/* Look-alikes of the delimiter inside a message. */
	expect(0, "<a>]]></a>]]]>]]>", "<a>]]></a>]");
	expect(0, "]]>]]]>]]>x]]>]]>", "]]>]|x");
	/* An incomplete message is MORE, not an error. */
	expect(0, "<a/>]]>]]", "");
}

static void
test_chunked(void **state)
{
	(void)state;
	expect(1, "\n#4\n<a/>\n##\n", "<a/>");
	expect(1, "\n#2\n<a\n#2\n/>\n##\n\n#3\n<b>\n#4\n</b>\n##\n",
	    "<a/>|<b></b>");
	/* Chunk data may hold anything, framing look-alikes included. */
	expect(1, "\n#7\n\n##\n#1\n\n##\n", "\n##\n#1\n");
	/* Several digits. */
	expect(1, "\n#12\n<a>12345</a>\n##\n", "<a>12345</a>");
}

static void
test_chunked_bad(void **state)
{
	(void)state;
	assert_int_equal(expect_fail(1, "\n#0\n\n##\n", 1000), NCF_BAD);
	assert_int_equal(expect_fail(1, "\n#01\nx\n##\n", 1000), NCF_BAD);
	assert_int_equal(expect_fail(1, "\n#x\n", 1000), NCF_BAD);
	assert_int_equal(expect_fail(1, "<rpc-reply/>]]>]]>", 1000), NCF_BAD);
	assert_int_equal(expect_fail(1, "\n#2\nabc\n##\n", 1000), NCF_BAD);
	assert_int_equal(expect_fail(1, "\n#1\na\n#\n", 1000), NCF_BAD);
	assert_int_equal(expect_fail(1, "\n#1\na\n##x", 1000), NCF_BAD);
	/* 2^32 - 1 is the largest size RFC 6242 allows. */
	assert_int_equal(expect_fail(1, "\n#4294967296\n", 1000), NCF_BAD);
	assert_int_equal(expect_fail(1, "\n#12345678901\n", 1000), NCF_BAD);
	/* A chunk that cannot fit is refused at its header. */
	assert_int_equal(expect_fail(1, "\n#4294967295\nab", 10), NCF_TOOBIG);
}

static void
test_limits(void **state)
{
	struct ncframe	 f;
	char		 big[5000], out[8192];
	size_t		 i;

	(void)state;
	/* Exactly max bytes passes, one more does not, in both framings. */
	assert_int_equal(expect_fail(0, "0123456789]]>]]>", 10), NCF_DONE);
	assert_int_equal(expect_fail(0, "0123456789a]]>]]>", 10), NCF_TOOBIG);
	assert_int_equal(expect_fail(1, "\n#10\n0123456789\n##\n", 10), NCF_DONE);
	assert_int_equal(expect_fail(1, "\n#5\n01234\n#6\n56789a\n##\n", 10),
	    NCF_TOOBIG);
	/* A message that never ends is refused once it passes max ... */
	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = 'x';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(expect_fail(0, big, 100), NCF_TOOBIG);
	/* ... and the buffer stays near max, not twice as large. */
	ncframe_init(&f, 4000);
	assert_int_equal(run(&f, big, 64, 0, out, sizeof(out)), NCF_TOOBIG);
	assert_true(f.cap <= 4000 + 64 + 6);
	ncframe_clear(&f);
}

static void
test_encode(void **state)
{
	struct ncframe	 f;
	char		 buf[64], out[64];

	(void)state;
	assert_int_equal(ncframe_encode(0, "<a/>", buf, sizeof(buf)), 10);
	assert_string_equal(buf, "<a/>]]>]]>");
	assert_int_equal(ncframe_encode(1, "<a/>", buf, sizeof(buf)), 12);
	assert_string_equal(buf, "\n#4\n<a/>\n##\n");
	assert_int_equal(ncframe_encode(1, "<a/>", buf, 12), -1);
	assert_int_equal(ncframe_encode(0, "<a/>", buf, 10), -1);
	/* What we send, we read back. */
	ncframe_init(&f, 100);
	f.chunked = 1;
	ncframe_encode(1, "<rpc><close-session/></rpc>", buf, sizeof(buf));
	assert_int_equal(run(&f, buf, 3, 0, out, sizeof(out)), NCF_DONE);
	assert_string_equal(out, "<rpc><close-session/></rpc>");
	ncframe_clear(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eom),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_chunked_bad),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_encode),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
