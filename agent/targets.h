/*
 * targets.h: what the user asked to scan.  A TARGET is "host",
 * "host:port", "[v6addr]:port", an IPv4 CIDR "10.1.2.0/28", or "@file"
 * (one target per line, '#' comments).  Names are resolved here, once,
 * before the scan starts: never inside the collector's loop.
 */
#ifndef IB_TARGETS_H
#define IB_TARGETS_H

#include <stddef.h>

#include "../collector/csnmp.h"

#define TARGETS_MAX_CIDR_HOSTS	65536	/* a /16; wider blocks are refused */

struct target_list {
	struct csnmp_target	*v;	/* owned */
	size_t			 n;
	size_t			 cap;
};

void	 targets_init(struct target_list *);
void	 targets_free(struct target_list *);
/*
 * Add what spec names.  default_port applies where spec has none.
 * Returns 0, or -1 with err ("targets.txt:3: bad CIDR ...").  On error
 * nothing from spec is kept.
 */
int	 targets_add(struct target_list *, const char *spec,
	    unsigned int default_port, char *err, size_t errlen);
/* Sort by address and drop duplicates (same ip:port): one poll each. */
void	 targets_dedup(struct target_list *);

#endif
