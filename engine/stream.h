/* stream.h: TCP session state as an observer sees it (engine only). */
#ifndef KANSHI_ENGINE_STREAM_H
#define KANSHI_ENGINE_STREAM_H

#include <stdint.h>

#include "counters.h"
#include "event.h"
#include "packet.h"
#include "reasm.h"

typedef struct kn_stream_dir {
    uint32_t isn;
    uint32_t next_seq; /* one past the highest byte seen */
    uint32_t fin_seq;  /* sequence number the FIN occupies */
    uint8_t syn, fin, fin_acked;
} kn_stream_dir_t;

typedef struct kn_stream {
    kn_stream_dir_t d[2]; /* KN_TOSERVER (client's bytes), KN_TOCLIENT */
    kn_reasm_t *ra[2];    /* each direction's bytes, once it has carried data */
} kn_stream_t;

/* Updates the session with one packet travelling in direction dir; fi->tcp_state and fi->state
 * follow, and stream anomalies are added to p. midstream: start a session on a packet other
 * than a SYN. */
void kn_stream_packet(kn_stream_t *s, kn_flow_info_t *fi, kn_packet_t *p, int dir,
                      int midstream, kn_counters_t *ctr);

/* Reassembly of a session's payload: adds p's payload to its direction and lets its
 * acknowledgement close gaps in the other one, raising stream anomalies on p. Returns the
 * KN_RA_* flags of p's own direction (0 when the flow has no session or p is a reset). */
unsigned kn_stream_data(kn_stream_t *s, const kn_flow_info_t *fi, kn_packet_t *p, int dir,
                        kn_reasm_pool_t *pool);

/* Frees both directions' reassembly. */
void kn_stream_free(kn_stream_t *s, kn_reasm_pool_t *pool);

/* Whether a SYN on this flow starts a new connection on the same ports (RFC 9293 3.10.7.4's
 * TIME-WAIT reuse as seen from outside): the old session is closing or closed and the SYN's
 * sequence number is not the one the old session started with. */
int kn_stream_is_reuse(const kn_stream_t *s, const kn_flow_info_t *fi, const kn_packet_t *p,
                       int dir);

#endif
