/*
 * pdu.h: the simulator's SNMP PDU engine.  Given one request PDU (GET,
 * GETNEXT or GETBULK, BER), it writes the Response-PDU from the device's
 * sorted table, into the caller's buffer, without allocating.  The v2c
 * path (ibsim.c) and the USM layer (usm.c) both call it.
 */
#ifndef IB_SIM_PDU_H
#define IB_SIM_PDU_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * dev is the device (a struct simdev *, see sim.h).  pdu/len is the
 * whole request PDU TLV ([A0] GetRequest, [A1] GetNextRequest or [A5]
 * GetBulkRequest); out/cap receives the whole Response-PDU TLV ([A2]).
 * Returns its length, or -1 when the request cannot be answered (bad
 * BER, another PDU type): the caller then drops it.  A response that
 * would not fit in cap is answered tooBig (GET/GETNEXT) or with fewer
 * repetitions (GETBULK).  Single-threaded: uses the device's state.
 */
ssize_t	 sim_pdu_answer(void *dev, const uint8_t *pdu, size_t len,
	    uint8_t *out, size_t cap);

#endif
