/*
 * test_report_fmt.c: the escapers and renderers of agent/report_fmt.c:
 * CSV formula neutralisation and RFC 4180 quoting, HTML and JSON
 * escaping of hostile strings, aligned text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../agent/report_fmt.h"

/* What fn printed for s, in a static buffer. */
static const char *
capture(void (*fn)(FILE *, const char *), const char *s)
{
	static char	 buf[1024];
	FILE		*fp = fmemopen(buf, sizeof(buf), "w");

	fn(fp, s);
	fclose(fp);
	return (buf);
}

static void
test_csv(void **state)
{
	(void)state;
	assert_string_equal(capture(rfmt_csv_cell, "=HYPERLINK(\"x\")"),
	    "\"'=HYPERLINK(\"\"x\"\")\"");
	assert_string_equal(capture(rfmt_csv_cell, "+1"), "'+1");
	assert_string_equal(capture(rfmt_csv_cell, "-2+3"), "'-2+3");
	assert_string_equal(capture(rfmt_csv_cell, "@SUM(A1)"), "'@SUM(A1)");
	assert_string_equal(capture(rfmt_csv_cell, "\tx"), "'\tx");
	assert_string_equal(capture(rfmt_csv_cell, "\rx"), "\"'\rx\"");
	assert_string_equal(capture(rfmt_csv_cell, "a,b"), "\"a,b\"");
	assert_string_equal(capture(rfmt_csv_cell, "line\nbreak"),
	    "\"line\nbreak\"");
	assert_string_equal(capture(rfmt_csv_cell, "plain"), "plain");
	assert_string_equal(capture(rfmt_csv_cell, "bad\xff"), "bad?");
}

static void
test_html(void **state)
{
	(void)state;
	assert_string_equal(capture(rfmt_html_str,
	    "<script>alert('x')</script>&\""),
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
	assert_string_equal(capture(rfmt_html_str, "a\x01z\xc3"),
	    "a&#xfffd;z&#xfffd;");
	assert_string_equal(capture(rfmt_html_str, "caf\xc3\xa9"),
	    "caf\xc3\xa9");
}

static void
test_json(void **state)
{
	(void)state;
	assert_string_equal(capture(rfmt_json_str, "a\"b\\c\n\x01</"),
	    "\"a\\\"b\\\\c\\n\\u0001\\u003c/\"");
	assert_string_equal(capture(rfmt_json_str, NULL), "null");
	assert_string_equal(capture(rfmt_json_str, "\xe2\x80\xa8x\xff"),
	    "\"\\u2028x\\ufffd\"");
}

static void
test_text(void **state)
{
	static const struct rcol cols[] = {
		{ "name", "Name", RC_STR },
		{ "n", "N", RC_NUM },
		{ "note", "Note", RC_STR },
	};
	const char	*r1[] = { "alpha", "5", "x\x1b[2J" };
	const char	*r2[] = { "b", "1234", NULL };
	struct rdoc	*d;
	struct rtable	*t;
	char		 buf[2048], err[128];
	FILE		*fp;

	(void)state;
	assert_non_null(d = rdoc_new(RF_TEXT, "t", "Title"));
	assert_non_null(t = rdoc_table(d, "tab", "Tab", cols, 3));
	assert_int_equal(rtable_row(t, r1), 0);
	assert_int_equal(rtable_row(t, r2), 0);
	memset(buf, 0, sizeof(buf));
	fp = fmemopen(buf, sizeof(buf), "w");
	assert_int_equal(rdoc_render(d, fp, NULL, err, sizeof(err)), 0);
	fclose(fp);
	assert_non_null(strstr(buf,
	    "Name      N  Note\n"
	    "-----  ----  -----\n"
	    "alpha     5  x?[2J\n"
	    "b      1234  -\n"));
	rdoc_free(d);
}

static void
test_json_doc(void **state)
{
	static const struct rcol cols[] = {
		{ "name", "Name", RC_STR },
		{ "n", "N", RC_NUM },
	};
	const char	*r1[] = { "a", "12.5" };
	const char	*r2[] = { "b", "=1+1" };	/* not a number: null */
	struct rdoc	*d;
	struct rtable	*t;
	char		 buf[2048], err[128];
	FILE		*fp;

	(void)state;
	assert_non_null(d = rdoc_new(RF_JSON, "t", "Title"));
	assert_int_equal(rdoc_fact(d, "as_of", "2026-12-01"), 0);
	assert_non_null(t = rdoc_table(d, "tab", "Tab", cols, 2));
	assert_int_equal(rtable_row(t, r1), 0);
	assert_int_equal(rtable_row(t, r2), 0);
	memset(buf, 0, sizeof(buf));
	fp = fmemopen(buf, sizeof(buf), "w");
	assert_int_equal(rdoc_render(d, fp, NULL, err, sizeof(err)), 0);
	fclose(fp);
	assert_string_equal(buf, "{\"report\": \"t\", \"title\": \"Title\", "
	    "\"as_of\": \"2026-12-01\", \"empty\": false, \"notes\": [],\n"
	    "\"tab\": [\n {\"name\": \"a\", \"n\": 12.5},\n"
	    " {\"name\": \"b\", \"n\": null}\n]}\n");
	rdoc_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json_doc),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
