/* defrag.h: IPv4 (RFC 791 3.2) and IPv6 (RFC 8200 4.5) fragment reassembly (engine only). */
#ifndef KANSHI_ENGINE_DEFRAG_H
#define KANSHI_ENGINE_DEFRAG_H

#include <stdint.h>

#include "counters.h"
#include "kanshi.h"
#include "packet.h"

/* Room for the largest datagram plus the header rebuilt in front of it. */
#define KN_DEFRAG_OUT_MAX (65535u + 60u)

typedef struct kn_defrag kn_defrag_t;

/* Returns a reassembler (caller frees with kn_defrag_free), or NULL on allocation failure. cfg
 * and ctr are borrowed and must outlive it. */
kn_defrag_t *kn_defrag_new(const kn_engine_config_t *cfg, kn_counters_t *ctr);
void kn_defrag_free(kn_defrag_t *df);

/* Takes a copy of the fragment p (flagged KN_PKT_FRAGMENT by the decoder). When it completes
 * a datagram, writes the whole IP datagram to out (KN_DEFRAG_OUT_MAX bytes) and returns its
 * length; otherwise returns 0. Overlaps and refusals are recorded as anomalies on p. */
uint32_t kn_defrag_insert(kn_defrag_t *df, kn_packet_t *p, uint8_t *out);

/* Drops trains older than the timeout. */
void kn_defrag_tick(kn_defrag_t *df, kn_time_t now);

/* Drops every pending train. */
void kn_defrag_flush(kn_defrag_t *df);

#endif
