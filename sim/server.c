/*
 * server.c: the SNMP server of the simulator (in progress).
 */
#include <stdio.h>

#include "sim/sim.h"

int
sim_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "ibsim: the server is not built yet; try ibsim export\n");
	return (2);
}
