/*
 * test_targets.c: target expansion (host, host:port, [v6]:port, CIDR,
 * @file) and the deadline heap the engine runs on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/targets.h"
#include "collector/heap.h"

static void
test_host_forms(void **state)
{
	static const struct {
		const char	*spec;
		const char	*address;
		const char	*peer;
	} cases[] = {
		{ "127.0.0.1", "127.0.0.1:161", "udp:127.0.0.1:161" },
		{ "127.0.0.2:1161", "127.0.0.2:1161", "udp:127.0.0.2:1161" },
		{ "localhost:20000", "127.0.0.1:20000", "udp:127.0.0.1:20000" },
		{ "[::1]:1162", "[::1]:1162", "udp6:[::1]:1162" },
		{ "::1", "[::1]:161", "udp6:[::1]:161" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct target_list	l;
		char			err[256];

		targets_init(&l);
		assert_int_equal(targets_add(&l, cases[i].spec, 161, err,
		    sizeof(err)), 0);
		assert_int_equal(l.n, 1);
		assert_string_equal(l.v[0].address, cases[i].address);
		assert_string_equal(l.v[0].peer, cases[i].peer);
		assert_string_equal(l.v[0].name, cases[i].spec);
		assert_true(l.v[0].salen > 0);
		targets_free(&l);
	}
}

static void
test_cidr(void **state)
{
	static const struct {
		const char	*spec;
		size_t		 n;
		const char	*first;
		const char	*last;
	} cases[] = {
		{ "10.1.2.0/28", 14, "10.1.2.1:161", "10.1.2.14:161" },
		{ "10.1.2.7/28", 14, "10.1.2.1:161", "10.1.2.14:161" },
		{ "10.1.2.4/30", 2, "10.1.2.5:161", "10.1.2.6:161" },
		{ "10.1.2.4/31", 2, "10.1.2.4:161", "10.1.2.5:161" },
		{ "10.1.2.4/32", 1, "10.1.2.4:161", "10.1.2.4:161" },
		{ "10.1.0.0/16", 65534, "10.1.0.1:161", "10.1.255.254:161" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct target_list	l;
		char			err[256];

		targets_init(&l);
		assert_int_equal(targets_add(&l, cases[i].spec, 161, err,
		    sizeof(err)), 0);
		assert_int_equal(l.n, cases[i].n);
		assert_string_equal(l.v[0].address, cases[i].first);
		assert_string_equal(l.v[l.n - 1].address, cases[i].last);
		targets_free(&l);
	}
}

static void
test_errors(void **state)
{
	static const struct {
		const char	*spec;
		const char	*msg;	/* substring of the error */
	} cases[] = {
		{ "10.1.2.0/33", "bad CIDR" },
		{ "10.1.2.0/", "bad CIDR" },
		{ "10.1.0.0/8", "more than" },
		{ "300.1.2.0/24", "bad CIDR" },
		{ "host:0", "bad port" },
		{ "host:70000", "bad port" },
		{ "127.0.0.1:x", "bad port" },
		{ "[::1", "bad address" },
		{ "no-such-host.invalid", "cannot resolve" },
		{ "@/nonexistent/targets.txt", "/nonexistent/targets.txt" },
		{ "", "empty" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct target_list	l;
		char			err[256] = "";

		targets_init(&l);
		assert_int_equal(targets_add(&l, cases[i].spec, 161, err,
		    sizeof(err)), -1);
		assert_int_equal(l.n, 0);
		if (strstr(err, cases[i].msg) == NULL)
			fail_msg("%s: error '%s' lacks '%s'", cases[i].spec, err,
			    cases[i].msg);
		targets_free(&l);
	}
}

static void
test_file(void **state)
{
	char			 path[] = "/tmp/ibtargetsXXXXXX", spec[64], err[256];
	struct target_list	 l;
	FILE			*fp;
	int			 fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs("# core\n127.0.0.1:1161   # re0\n\n  127.0.0.2\n127.0.0.0/30\n"
	    "127.0.0.1:1161\n", fp);
	fclose(fp);
	snprintf(spec, sizeof(spec), "@%s", path);
	targets_init(&l);
	assert_int_equal(targets_add(&l, spec, 161, err, sizeof(err)), 0);
	assert_int_equal(l.n, 5);
	targets_dedup(&l);
	assert_int_equal(l.n, 3);	/* :1161 twice, 127.0.0.2 twice */
	targets_free(&l);

	/* A bad line names file and line, and keeps nothing of the file. */
	assert_non_null(fp = fopen(path, "w"));
	fputs("127.0.0.1\n127.0.0.1:99999\n", fp);
	fclose(fp);
	targets_init(&l);
	assert_int_equal(targets_add(&l, "127.0.0.9", 161, err, sizeof(err)), 0);
	assert_int_equal(targets_add(&l, spec, 161, err, sizeof(err)), -1);
	assert_int_equal(l.n, 1);
	{
		char	want[128];

		snprintf(want, sizeof(want), "%s:2: ", path);
		assert_non_null(strstr(err, want));
	}
	targets_free(&l);
	unlink(path);
}

static void
test_heap_order(void **state)
{
	struct heap		h;
	struct heap_node	n[100];
	size_t			i;
	uint64_t		last = 0;

	(void)state;
	heap_init(&h);
	for (i = 0; i < 100; i++) {
		heap_node_init(&n[i]);
		assert_int_equal(heap_set(&h, &n[i], (i * 7919) % 101 + 1), 0);
	}
	/* Move one earlier, one later, delete one. */
	heap_set(&h, &n[50], 0);
	heap_set(&h, &n[3], 1000);
	heap_del(&h, &n[10]);
	heap_del(&h, &n[10]);		/* twice is harmless */
	assert_ptr_equal(heap_top(&h), &n[50]);
	for (i = 0; i < 99; i++) {
		struct heap_node	*t = heap_top(&h);

		assert_non_null(t);
		assert_true(t->when_ms >= last);
		last = t->when_ms;
		heap_del(&h, t);
	}
	assert_int_equal(last, 1000);
	assert_null(heap_top(&h));
	heap_clear(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_forms),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_heap_order),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
