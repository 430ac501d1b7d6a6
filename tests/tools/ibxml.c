/*
 * ibxml: print what the XML parser makes of Junos replies.
 *   ibxml software|chassis|vc FILE [software|chassis|vc FILE ...]
 * Every reply is parsed, in order, into one struct dev_facts (as the
 * collector does for one poll).  stdout gets, per reply, three lines
 * "xml.N.rpc=", "xml.N.rc=" (0, 1 device error, -1 refused) and
 * "xml.N.err=", then facts_dump() of the result.  That is the format of
 * tests/data/golden_xml/ *.out: goldens are written with this tool and
 * then checked by hand against the XML before they are committed.
 * Exit status: 0 if every reply returned 0, 1 if any returned 1 or -1,
 * 2 on a usage or file error.
 */
#include <libxml/parser.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/facts.h"
#include "collector/xmlparse.h"
#include "tests/golden.h"

static int
rpc_from(const char *s, enum xml_rpc *rpc)
{
	if (strcmp(s, "software") == 0)
		*rpc = XRPC_SOFTWARE;
	else if (strcmp(s, "chassis") == 0)
		*rpc = XRPC_CHASSIS;
	else if (strcmp(s, "vc") == 0)
		*rpc = XRPC_VC;
	else
		return (-1);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct dev_facts	 f;
	enum xml_rpc		 rpc;
	char			 err[512], *buf;
	size_t			 len;
	int			 i, r, rc = 0;

	if (argc < 3 || (argc - 1) % 2 != 0) {
		fprintf(stderr, "usage: ibxml software|chassis|vc FILE "
		    "[software|chassis|vc FILE ...]\n");
		return (2);
	}
	for (i = 1; i < argc; i += 2)
		if (rpc_from(argv[i], &rpc) == -1) {
			fprintf(stderr, "ibxml: %s: not software, chassis or "
			    "vc\n", argv[i]);
			return (2);
		}
	xmlInitParser();
	facts_init(&f);
	for (i = 1; i < argc; i += 2) {
		(void)rpc_from(argv[i], &rpc);
		if ((buf = golden_slurp(argv[i + 1], XML_REPLY_MAX, &len)) == NULL) {
			perror(argv[i + 1]);
			rc = 2;
			goto done;
		}
		r = xmlparse_reply(rpc, buf, len, &f, err, sizeof(err));
		free(buf);
		printf("xml.%d.rpc=%s\n", (i - 1) / 2, xml_rpc_name(rpc));
		printf("xml.%d.rc=%d\n", (i - 1) / 2, r);
		printf("xml.%d.err=%s\n", (i - 1) / 2, err);
		if (r != 0)
			rc = 1;
	}
	facts_dump(stdout, &f);
	if (fflush(stdout) != 0)
		rc = 2;
done:
	facts_free(&f);
	xmlCleanupParser();
	return (rc);
}
