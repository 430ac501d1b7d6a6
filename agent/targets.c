/*
 * targets.c: expand and resolve scan targets.  Everything here runs
 * before the scan; a bad target is a usage error that names it, so a
 * typo does not silently shrink a scan.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "targets.h"

void
targets_init(struct target_list *l)
{
	l->v = NULL;
	l->n = l->cap = 0;
}

void
targets_free(struct target_list *l)
{
	free(l->v);
	targets_init(l);
}

static struct csnmp_target *
targets_push(struct target_list *l)
{
	if (l->n == l->cap) {
		size_t			 ncap = l->cap ? l->cap * 2 : 16;
		struct csnmp_target	*nv;

		if ((nv = realloc(l->v, ncap * sizeof(*nv))) == NULL)
			return (NULL);
		l->v = nv;
		l->cap = ncap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return (&l->v[l->n++]);
}

/* Fill a target from a resolved address. */
static void
target_set(struct csnmp_target *t, const char *name, const struct sockaddr *sa,
    socklen_t salen, unsigned int port)
{
	char	ip[INET6_ADDRSTRLEN] = "";

	snprintf(t->name, sizeof(t->name), "%s", name);
	memcpy(&t->sa, sa, salen);
	t->salen = salen;
	if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&t->sa;

		s6->sin6_port = htons((uint16_t)port);
		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		snprintf(t->address, sizeof(t->address), "[%s]:%u", ip, port);
		snprintf(t->peer, sizeof(t->peer), "udp6:[%s]:%u", ip, port);
	} else {
		struct sockaddr_in	*s4 = (struct sockaddr_in *)&t->sa;

		s4->sin_port = htons((uint16_t)port);
		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		snprintf(t->address, sizeof(t->address), "%s:%u", ip, port);
		snprintf(t->peer, sizeof(t->peer), "udp:%s:%u", ip, port);
	}
}

static int
parse_port(const char *s, unsigned int *port)
{
	char		*end;
	unsigned long	 v;

	if (*s == '\0' || !isdigit((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > 65535)
		return (-1);
	*port = (unsigned int)v;
	return (0);
}

static int
add_cidr(struct target_list *l, const char *spec, const char *slash,
    unsigned int port, char *err, size_t errlen)
{
	char		 net[INET_ADDRSTRLEN];
	struct in_addr	 a;
	char		*end;
	unsigned long	 bits;
	uint32_t	 base, mask, first, last, h;
	size_t		 len = (size_t)(slash - spec);

	if (len >= sizeof(net)) {
		snprintf(err, errlen, "%s: bad CIDR block", spec);
		return (-1);
	}
	memcpy(net, spec, len);
	net[len] = '\0';
	errno = 0;
	bits = strtoul(slash + 1, &end, 10);
	if (inet_pton(AF_INET, net, &a) != 1 || *end != '\0' || errno != 0 ||
	    slash[1] == '\0' || bits > 32) {
		snprintf(err, errlen, "%s: bad CIDR block (want a.b.c.d/N)", spec);
		return (-1);
	}
	if (bits < 16) {
		snprintf(err, errlen, "%s: /%lu is more than %d addresses; "
		    "give smaller blocks", spec, bits, TARGETS_MAX_CIDR_HOSTS);
		return (-1);
	}
	mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
	base = ntohl(a.s_addr) & mask;
	first = base;
	last = base | ~mask;
	if (bits <= 30) {		/* skip network and broadcast addresses */
		first++;
		last--;
	}
	for (h = first;; h++) {
		struct csnmp_target	*t;
		struct sockaddr_in	 sin;

		if ((t = targets_push(l)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return (-1);
		}
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(h);
		target_set(t, spec, (struct sockaddr *)&sin, sizeof(sin), port);
		if (h == last)
			break;
	}
	return (0);
}

static int
add_host(struct target_list *l, const char *spec, unsigned int port,
    char *err, size_t errlen)
{
	char			 host[256];
	const char		*p, *colon;
	struct addrinfo		 hints, *res = NULL;
	struct csnmp_target	*t;
	int			 gai;

	if (spec[0] == '[') {			/* [v6]:port or [v6] */
		if ((p = strchr(spec, ']')) == NULL ||
		    (size_t)(p - spec - 1) >= sizeof(host)) {
			snprintf(err, errlen, "%s: bad address", spec);
			return (-1);
		}
		memcpy(host, spec + 1, (size_t)(p - spec - 1));
		host[p - spec - 1] = '\0';
		if (p[1] == ':' && parse_port(p + 2, &port) == -1) {
			snprintf(err, errlen, "%s: bad port", spec);
			return (-1);
		} else if (p[1] != '\0' && p[1] != ':') {
			snprintf(err, errlen, "%s: bad address", spec);
			return (-1);
		}
	} else if ((colon = strchr(spec, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {	/* host:port */
		if ((size_t)(colon - spec) >= sizeof(host) || colon == spec) {
			snprintf(err, errlen, "%s: bad host", spec);
			return (-1);
		}
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
		if (parse_port(colon + 1, &port) == -1) {
			snprintf(err, errlen, "%s: bad port", spec);
			return (-1);
		}
	} else {				/* host, or a bare IPv6 address */
		if (strlen(spec) >= sizeof(host)) {
			snprintf(err, errlen, "%s: name too long", spec);
			return (-1);
		}
		snprintf(host, sizeof(host), "%s", spec);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((gai = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: cannot resolve: %s", spec,
		    gai_strerror(gai));
		return (-1);
	}
	if ((t = targets_push(l)) == NULL) {
		freeaddrinfo(res);
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	target_set(t, spec, res->ai_addr, res->ai_addrlen, port);
	freeaddrinfo(res);
	return (0);
}

static int
add_file(struct target_list *l, const char *path, unsigned int port,
    char *err, size_t errlen)
{
	FILE	*fp;
	char	 line[1024], e[512];
	size_t	 lineno = 0;
	int	 rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char	*s = line, *end;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(err, errlen, "%s:%zu: line too long", path, lineno);
			rc = -1;
			break;
		}
		if ((end = strchr(s, '#')) != NULL)
			*end = '\0';
		while (isspace((unsigned char)*s))
			s++;
		end = s + strlen(s);
		while (end > s && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*s == '\0')
			continue;
		if (*s == '@') {
			snprintf(err, errlen, "%s:%zu: nested @file is not allowed",
			    path, lineno);
			rc = -1;
			break;
		}
		if (targets_add(l, s, port, e, sizeof(e)) == -1) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno, e);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	fclose(fp);
	return (rc);
}

int
targets_add(struct target_list *l, const char *spec, unsigned int port,
    char *err, size_t errlen)
{
	size_t		 before = l->n;
	const char	*slash;
	int		 rc;

	if (*spec == '\0') {
		snprintf(err, errlen, "empty target");
		return (-1);
	}
	if (spec[0] == '@')
		rc = add_file(l, spec + 1, port, err, errlen);
	else if ((slash = strchr(spec, '/')) != NULL)
		rc = add_cidr(l, spec, slash, port, err, errlen);
	else
		rc = add_host(l, spec, port, err, errlen);
	if (rc == -1)
		l->n = before;		/* all or nothing */
	return (rc);
}

static int
target_cmp(const void *a, const void *b)
{
	const struct csnmp_target *x = a, *y = b;
	return (strcmp(x->address, y->address));
}

void
targets_dedup(struct target_list *l)
{
	size_t	i, o;

	if (l->n < 2)
		return;
	qsort(l->v, l->n, sizeof(l->v[0]), target_cmp);
	for (i = 1, o = 1; i < l->n; i++) {
		if (strcmp(l->v[i].address, l->v[o - 1].address) == 0)
			continue;
		if (o != i)
			l->v[o] = l->v[i];
		o++;
	}
	l->n = o;
}
