/*
 * xmlparse.h: Junos NETCONF / "| display xml" replies into struct
 * dev_facts.  libxml2 with network access, DTD loading and entity
 * expansion off (XML_PARSE_NONET, no XML_PARSE_NOENT/DTDLOAD), input
 * capped at XML_REPLY_MAX.  Pure: no sockets, no database, no logging.
 */
#ifndef IB_XMLPARSE_H
#define IB_XMLPARSE_H

#include <stddef.h>

#include "facts.h"

#define XML_REPLY_MAX	(16u * 1024 * 1024)	/* bytes; larger is refused */

enum xml_rpc {
	XRPC_SOFTWARE = 0,	/* get-software-information */
	XRPC_CHASSIS,		/* get-chassis-inventory */
	XRPC_VC			/* get-virtual-chassis-information */
};

/*
 * Parse one reply (an <rpc-reply> document, or the bare reply element,
 * with or without <multi-routing-engine-results>) and add what it says
 * to f: hostname/model/version (software), chassis and nested modules
 * (chassis), members (vc).  Items get source "netconf" and a source_ref
 * naming the RPC and the element path.
 * Returns 0; 1 if the reply is an <rpc-error> / <xnm:error> (err holds
 * its message, f is unchanged); -1 if the XML is malformed, truncated,
 * too large or hostile (err says why, f is unchanged).
 */
int	 xmlparse_reply(enum xml_rpc, const char *buf, size_t len,
	    struct dev_facts *f, char *err, size_t errlen);

const char	*xml_rpc_name(enum xml_rpc);	/* "get-software-information"... */

#endif
