/*
 * parse_int.h: what the two Junos parsers (parse.c for SNMP, xmlparse.c
 * for NETCONF XML) share and nothing else uses: the item candidates and
 * the rules that make them one item per serial and order them.  Kept in
 * one place so that an SNMP and a NETCONF poll of one device name, merge
 * and order their items alike.  Pure functions, no allocation unless
 * said, callable from any thread on the caller's own arrays.
 */
#ifndef IB_PARSE_INT_H
#define IB_PARSE_INT_H

#include <stddef.h>

#include "facts.h"

struct cand {				/* an item before merging and ordering */
	struct item	 it;		/* it.parent unused until emitted */
	int		 parent;	/* candidate index, -1: none */
	int		 alias;		/* -1: alive, else merged into that one */
	int		 out;		/* index in dev_facts.items */
	size_t		 order;		/* creation order: table order */
};

struct cand_ord {			/* an alive candidate in output order */
	int		 rank;		/* 0 chassis, 1 member, 2 component */
	size_t		 order;		/* its cand.order */
	int		 idx;		/* candidate index */
};

/*
 * The candidate k stands for after merging: follows alias links.
 * k < 0 is returned as is.
 */
int	 parse_cand_resolve(const struct cand *c, int k);

/*
 * Candidate i and the earlier candidate j are one item: c[j] keeps the
 * kind, name, source, parent and place in the order of the higher-ranked
 * one (member > chassis > component; j on a tie), and every field either
 * has, the winner's first; a placeholder serial gives way to a real one.
 * A member that absorbs the device chassis does not take the chassis'
 * description, which describes the whole box ("Juniper Virtual Chassis
 * Switch"), not that member.  c[i] becomes an alias of j.
 */
void	 parse_cand_merge(struct cand *c, int j, int i);

/*
 * Of the nc candidates, clear the parent of every alive one that is its
 * own ancestor (a parent chain that loops).
 */
void	 parse_cand_untangle(struct cand *c, size_t nc);

/*
 * Fill ord (room for nc entries, caller's) with the alive candidates,
 * ordered chassis, members, components, each by creation order.
 * Returns how many there are.
 */
size_t	 parse_cand_sort(const struct cand *c, size_t nc, struct cand_ord *ord);

#endif
