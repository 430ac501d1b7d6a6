/*
 * sim.h: what the simulator's files share: the devices, their faults,
 * and the per-profile tables the PDU engine answers from.
 */
#ifndef IB_SIM_SIM_H
#define IB_SIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "sim/fleet.h"

#define SIM_DEFAULT_SEED	1

/* Faults (a device may have several). */
#define SIM_F_SILENT	0x001	/* never answers */
#define SIM_F_LOSS	0x002	/* drops loss_pct of requests */
#define SIM_F_SLOW	0x004	/* answers after slow_ms */
#define SIM_F_TRUNCATE	0x008	/* answers cut short */
#define SIM_F_MALFORMED	0x010	/* answers with broken BER */
#define SIM_F_OVERSIZED	0x020	/* sysName/sysLocation of oversize bytes */
#define SIM_F_RMA	0x040	/* new chassis serial from epoch 1 */
#define SIM_F_UPGRADE	0x080	/* new Junos version from epoch 1 */

/*
 * One profile as the PDU engine sees it: the fleet profile plus each
 * entry's OID and value already BER-encoded, in one blob per entry
 * (06 len oid, then the value TLV), sorted as p.vbs.
 */
struct simtab {
	struct fleet_profile	 p;
	uint8_t			*blob;		/* owned */
	uint32_t		*off;		/* n + 1 offsets into blob */
	uint16_t		*oidtlv;	/* bytes of the OID TLV */
	unsigned		 ncopies;
};

struct simdev {
	int		 fd;
	unsigned	 index;		/* in the fleet, 0-based */
	unsigned	 copy;		/* of its profile, 0-based */
	struct simtab	*tab;		/* shared */
	const unsigned	*epoch;		/* the fleet's */
	uint64_t	 seed;
	unsigned	 faults;	/* SIM_F_* */
	unsigned	 loss_pct;
	unsigned	 slow_ms;
	unsigned	 oversize;	/* bytes */
	uint64_t	 rng;		/* loss draws */
	uint32_t	 addr;		/* network order */
	uint16_t	 port;		/* host order */
	uint64_t	 requests, answers;	/* counters */
};

int	 simtab_build(struct simtab *, const char *path, char *err, size_t);
void	 simtab_free(struct simtab *);
unsigned sim_dev_flags(const struct simdev *);
int	 sim_parse_u64(const char *, uint64_t *);
int	 sim_serve(int argc, char **argv);

/* BER helpers shared with usm.c (pdu.c). */
size_t	 ber_len_size(size_t len);
/* Write tag+length of a TLV whose content is len bytes, ending at end. */
uint8_t	*ber_put_hdr_back(uint8_t *end, uint8_t tag, size_t len);
/* Read a TLV header at *p (< end): tag, content length; advances *p. */
int	 ber_get_hdr(const uint8_t **p, const uint8_t *end, uint8_t *tag,
	    size_t *len);

#endif
