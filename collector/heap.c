/*
 * heap.c: deadline min-heap for the collector's event loop.  Nodes are
 * embedded in the caller's per-device state; the heap only orders them.
 */
#include <stdlib.h>
#include <time.h>

#include "heap.h"

#define NOT_QUEUED	((size_t)-1)

void
heap_init(struct heap *h)
{
	h->a = NULL;
	h->n = h->cap = 0;
}

void
heap_clear(struct heap *h)
{
	free(h->a);
	heap_init(h);
}

void
heap_node_init(struct heap_node *x)
{
	x->when_ms = 0;
	x->idx = NOT_QUEUED;
}

static void
heap_swap(struct heap *h, size_t i, size_t j)
{
	struct heap_node	*t = h->a[i];

	h->a[i] = h->a[j];
	h->a[j] = t;
	h->a[i]->idx = i;
	h->a[j]->idx = j;
}

static void
heap_up(struct heap *h, size_t i)
{
	while (i > 0) {
		size_t	p = (i - 1) / 2;

		if (h->a[p]->when_ms <= h->a[i]->when_ms)
			break;
		heap_swap(h, i, p);
		i = p;
	}
}

static void
heap_down(struct heap *h, size_t i)
{
	for (;;) {
		size_t	l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && h->a[l]->when_ms < h->a[m]->when_ms)
			m = l;
		if (r < h->n && h->a[r]->when_ms < h->a[m]->when_ms)
			m = r;
		if (m == i)
			break;
		heap_swap(h, i, m);
		i = m;
	}
}

int
heap_set(struct heap *h, struct heap_node *x, uint64_t when_ms)
{
	if (x->idx != NOT_QUEUED) {
		uint64_t	old = x->when_ms;

		x->when_ms = when_ms;
		if (when_ms < old)
			heap_up(h, x->idx);
		else
			heap_down(h, x->idx);
		return (0);
	}
	if (h->n == h->cap) {
		size_t		   ncap = h->cap ? h->cap * 2 : 64;
		struct heap_node **na;

		if ((na = realloc(h->a, ncap * sizeof(*na))) == NULL)
			return (-1);
		h->a = na;
		h->cap = ncap;
	}
	x->when_ms = when_ms;
	x->idx = h->n;
	h->a[h->n++] = x;
	heap_up(h, x->idx);
	return (0);
}

void
heap_del(struct heap *h, struct heap_node *x)
{
	size_t	i = x->idx;

	if (i == NOT_QUEUED)
		return;
	x->idx = NOT_QUEUED;
	if (--h->n == i)
		return;
	h->a[i] = h->a[h->n];
	h->a[i]->idx = i;
	heap_up(h, i);
	heap_down(h, h->a[i]->idx);
}

struct heap_node *
heap_top(const struct heap *h)
{
	return (h->n ? h->a[0] : NULL);
}

uint64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}
