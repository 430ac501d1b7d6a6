/*
 * ibparse: print what the parser makes of an snmpsim walk.
 *   ibparse FILE.snmprec > tests/data/golden/NAME.out
 * Used to write golden files, which are then checked by hand against the
 * walk before they are committed: a golden must be right, not just current.
 */
#include <stdio.h>
#include <stdlib.h>

#include "collector/facts.h"
#include "collector/parse.h"
#include "collector/vb.h"

int
main(int argc, char *argv[])
{
	struct vblist		 l;
	struct dev_facts	 f;
	char			 err[512];
	int			 rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: ibparse FILE.snmprec\n");
		return (2);
	}
	vblist_init(&l);
	facts_init(&f);
	if (snmprec_load(argv[1], &l, err, sizeof(err)) == -1) {
		fprintf(stderr, "ibparse: %s\n", err);
		goto done;
	}
	if (parse_device(&l, &f) == -1) {
		fprintf(stderr, "ibparse: %s: out of memory\n", argv[1]);
		goto done;
	}
	facts_dump(stdout, &f);
	rc = fflush(stdout) == 0 ? 0 : 1;
done:
	facts_free(&f);
	vblist_free(&l);
	return (rc);
}
