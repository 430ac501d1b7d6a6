/*
 * heap.h: a binary min-heap of deadlines (monotonic milliseconds).  Each
 * element carries its own index so a deadline can be moved or removed in
 * O(log n) when a reply arrives before it fires (bgpd timer.c, libuv).
 */
#ifndef IB_HEAP_H
#define IB_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct heap_node {
	uint64_t	 when_ms;	/* CLOCK_MONOTONIC, ms */
	size_t		 idx;		/* position in the heap, (size_t)-1: not queued */
};

struct heap {
	struct heap_node	**a;	/* owned array of borrowed nodes */
	size_t			  n;
	size_t			  cap;
};

void	 heap_init(struct heap *);
void	 heap_clear(struct heap *);
/* Queue or re-queue node at when_ms.  0, or -1 on OOM. */
int	 heap_set(struct heap *, struct heap_node *, uint64_t when_ms);
/* Remove node if queued. */
void	 heap_del(struct heap *, struct heap_node *);
/* Earliest node or NULL. */
struct heap_node	*heap_top(const struct heap *);
/* Initialise a node as not queued. */
void	 heap_node_init(struct heap_node *);

/* Milliseconds on CLOCK_MONOTONIC. */
uint64_t	 mono_ms(void);

#endif
