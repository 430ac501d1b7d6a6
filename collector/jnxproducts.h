/*
 * jnxproducts.h: the jnxProductName registry of JUNIPER-CHASSIS-DEFINES-MIB
 * as a static table (generated into jnxproducts.c by gen_jnxproducts.sh).
 * Read-only data, safe from any thread.
 */
#ifndef IB_JNXPRODUCTS_H
#define IB_JNXPRODUCTS_H

#include <stddef.h>
#include <stdint.h>

struct jnx_product {
	uint32_t	 id;		/* N of jnxProductName.N */
	const char	*model;		/* upper case, e.g. "MX80" */
};

extern const struct jnx_product	jnx_products[];	/* sorted by id */
extern const size_t		jnx_nproducts;

#endif
