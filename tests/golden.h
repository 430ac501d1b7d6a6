/*
 * golden.h: what the golden-file tests (test_parse.c, test_xmlparse.c)
 * and the tools that write their goldens (tools/ibxml.c) share: reading
 * a file whole, finding the repository root and the corpus, locating the
 * first line where an output differs from its golden, and facts_dump()
 * into memory.  Header-only (static inline) because the Makefile links
 * every test and tool as its own program against build/libib.a.
 * Include after <cmocka.h> for the helpers that assert.
 */
#ifndef IB_TESTS_GOLDEN_H
#define IB_TESTS_GOLDEN_H

#include <sys/stat.h>

#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/facts.h"

/*
 * Read path whole, NUL-terminated, stopping once more than max bytes are
 * read (SIZE_MAX: no limit; a tool passes the parser's cap so that the
 * parser still sees one byte too many).  Sets *lenp unless it is NULL
 * (0 on failure).  Returns NULL if the file cannot be read or on OOM.
 * Caller frees.
 */
static inline char *
golden_slurp(const char *path, size_t max, size_t *lenp)
{
	FILE	*fp;
	char	*buf = NULL, *nb;
	size_t	 len = 0, cap = 0, got;

	if (lenp != NULL)
		*lenp = 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return (NULL);
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				fclose(fp);
				return (NULL);
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0 || len > max)
			break;
	}
	fclose(fp);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return (buf);
}

/*
 * want and got differ: returns the number (from 1) of the first line
 * that differs and points *wl, *gl at its start in each.
 */
static inline int
golden_first_diff(const char *want, const char *got, const char **wl,
    const char **gl)
{
	const char	*a, *b;
	int		 line;

	for (a = want, b = got, line = 1; *a && *a == *b; a++, b++)
		if (*a == '\n')
			line++;
	while (a > want && a[-1] != '\n')
		a--, b--;
	*wl = a;
	*gl = b;
	return (line);
}

/*
 * Run from the repository root, where golden_dir is: a test may be
 * started from elsewhere (it lives in build/tests/), so fall back to two
 * levels above argv0.  Complains on stderr, as prog, if neither works.
 */
static inline void
golden_find_root(const char *argv0, const char *golden_dir, const char *prog)
{
	char	 buf[PATH_MAX], *dir;

	if (access(golden_dir, F_OK) == 0)
		return;
	if (realpath(argv0, buf) == NULL)
		return;
	dir = dirname(buf);
	if (chdir(dir) == 0 && chdir("../..") == 0 && access(golden_dir, F_OK) == 0)
		return;
	fprintf(stderr, "%s: cannot find %s\n", prog, golden_dir);
}

/*
 * The corpus: $IB_CORPUS, else def, into corpus; its subdirectory sub
 * into dir.  Returns 1 if dir is a directory, else 0 after saying on
 * stdout that the corpus is absent (its cases are then skipped).
 */
static inline int
golden_corpus(const char *def, const char *sub, char *corpus, size_t clen,
    char *dir, size_t dlen)
{
	const char	*env;
	struct stat	 sb;
	int		 have;

	env = getenv("IB_CORPUS");
	snprintf(corpus, clen, "%s", env != NULL && *env != '\0' ? env : def);
	snprintf(dir, dlen, "%s/%s", corpus, sub);
	have = stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	if (!have)
		printf("corpus absent: %s\n", corpus);
	return (have);
}

#ifdef cmocka_unit_test		/* <cmocka.h> is in: helpers that assert */

/* facts_dump() into a malloc'd string; sets *lenp unless NULL. */
static inline char *
golden_dump(const struct dev_facts *f, size_t *lenp)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	facts_dump(fp, f);
	assert_int_equal(fclose(fp), 0);
	if (lenp != NULL)
		*lenp = len;
	return (buf);
}

#endif

#endif
