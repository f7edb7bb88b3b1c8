/* reasm.h: TCP segment reassembly for one direction of a session (engine only). */
#ifndef KANSHI_ENGINE_REASM_H
#define KANSHI_ENGINE_REASM_H

#include <stdint.h>

#include "counters.h"
#include "kanshi.h"

/* Shared by every session of an engine: limits and the memory in use. */
typedef struct kn_reasm_pool {
    uint64_t memcap, memuse;
    uint32_t depth;   /* bytes per direction reassembled, 0: no limit */
    uint32_t overlap; /* inspected bytes kept before new data, so a match may straddle */
    uint8_t policy;
    kn_counters_t *ctr;
} kn_reasm_pool_t;

typedef struct kn_reasm kn_reasm_t;

/* Result of adding a segment, for the caller to raise stream anomalies. */
enum {
    KN_RA_NEW_DATA = 1u << 0,   /* contiguous data grew: inspect */
    KN_RA_RETRANSMIT = 1u << 1, /* bytes already held came again */
    KN_RA_OVERLAP_DIFF = 1u << 2, /* ... with different content */
    KN_RA_DEPTH = 1u << 3,      /* the reassembly depth was reached */
    KN_RA_MEMCAP = 1u << 4,     /* a segment was dropped at the memcap */
    KN_RA_GAP = 1u << 5,        /* data was lost: inspection resumes after it */
    KN_RA_BEFORE_BASE = 1u << 6, /* bytes before the first sequence number were dropped */
    KN_RA_HELD = 1u << 7,       /* early bytes were stored until the hole before them fills */
    KN_RA_PAST_DEPTH = 1u << 8, /* the bytes lie past the reassembly depth */
};

/* Starts a direction whose first data byte has sequence number seq (the ISN + 1). */
kn_reasm_t *kn_reasm_new(kn_reasm_pool_t *pool, uint32_t seq);
void kn_reasm_free(kn_reasm_pool_t *pool, kn_reasm_t *r);

/* Adds a segment (data borrowed). Returns KN_RA_* flags. */
unsigned kn_reasm_add(kn_reasm_pool_t *pool, kn_reasm_t *r, uint32_t seq, const uint8_t *data,
                      uint32_t len);

/* The receiver acknowledged up to ack. Bytes before it that never came are a gap once a second
 * acknowledgement still passes them (the first may only have overtaken its segment in the
 * capture) and everything before them has been inspected; the gap is then skipped so
 * inspection goes on. Returns KN_RA_GAP (and KN_RA_NEW_DATA) when it skipped. */
unsigned kn_reasm_ack(kn_reasm_pool_t *pool, kn_reasm_t *r, uint32_t ack);

/* Skips the first hole before held early data (the end of a flow: nothing more will come).
 * Returns KN_RA_GAP | KN_RA_NEW_DATA, or 0 when no early data is held. */
unsigned kn_reasm_skip(kn_reasm_pool_t *pool, kn_reasm_t *r);

/* Whether the window holds bytes not inspected yet. */
int kn_reasm_fresh(const kn_reasm_t *r);

/* The data to inspect: buf and len from stream offset base, of which the bytes from stream
 * offset fresh on have not been inspected yet. */
void kn_reasm_window(const kn_reasm_t *r, const uint8_t **buf, uint32_t *len, uint64_t *base,
                     uint64_t *fresh);

/* Everything up to the end of the window has been inspected: keep only the overlap. */
void kn_reasm_consumed(kn_reasm_pool_t *pool, kn_reasm_t *r);

/* Contiguous bytes so far (the stream's length as reassembled). */
uint64_t kn_reasm_size(const kn_reasm_t *r);

#endif
