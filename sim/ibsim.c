/*
 * ibsim.c: the SNMP fleet simulator's command line.  `ibsim export`
 * prints one device's derived walk; the server is in server.c.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fleet.h"
#include "sim/sim.h"

int
sim_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long	 v;
	char			*end;

	if (s == NULL || *s < '0' || *s > '9')
		return (-1);
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return (-1);
	*out = v;
	return (0);
}

static int
parse_uint(const char *s, unsigned *out)
{
	uint64_t	 v;

	if (sim_parse_u64(s, &v) == -1 || v > UINT_MAX)
		return (-1);
	*out = (unsigned)v;
	return (0);
}

static void
export_usage(void)
{
	fprintf(stderr, "usage: ibsim export [--seed N] [--copy K] "
	    "[--epoch E] [--rma] [--upgrade] PROFILE\n");
}

static int
cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "copy", required_argument, NULL, 'k' },
		{ "epoch", required_argument, NULL, 'e' },
		{ "rma", no_argument, NULL, 'r' },
		{ "upgrade", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct fleet_profile	 p;
	struct vblist		 l;
	char			 err[512];
	uint64_t		 seed = SIM_DEFAULT_SEED;
	unsigned		 copy = 0, epoch = 0, flags = 0;
	int			 c, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (sim_parse_u64(optarg, &seed) == -1)
				goto bad;
			break;
		case 'k':
			if (parse_uint(optarg, &copy) == -1)
				goto bad;
			break;
		case 'e':
			if (parse_uint(optarg, &epoch) == -1)
				goto bad;
			break;
		case 'r':
			flags |= FLEET_RMA;
			break;
		case 'u':
			flags |= FLEET_UPGRADE;
			break;
		case 'h':
			export_usage();
			return (0);
		default:
			export_usage();
			return (2);
		}
	}
	if (optind != argc - 1) {
		export_usage();
		return (2);
	}
	if (fleet_profile_load(argv[optind], &p, err, sizeof(err)) == -1) {
		fprintf(stderr, "ibsim: %s\n", err);
		return (1);
	}
	vblist_init(&l);
	if (fleet_profile_walk(&p, seed, copy, epoch, flags, &l) == -1)
		fprintf(stderr, "ibsim: out of memory\n");
	else if (fleet_write_snmprec(&l, p.tag, stdout) == -1 ||
	    fflush(stdout) == EOF)
		fprintf(stderr, "ibsim: write: %s\n", strerror(errno));
	else
		rc = 0;
	vblist_free(&l);
	fleet_profile_free(&p);
	return (rc);
bad:
	fprintf(stderr, "ibsim: bad number: %s\n", optarg);
	return (2);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "export") == 0)
		return (cmd_export(argc - 1, argv + 1));
	return (sim_serve(argc, argv));
}
