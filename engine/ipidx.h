/* ipidx.h: signatures found by address (engine only).
 *
 * Reputation rules carry long address lists (ET's CINS, Spamhaus DROP, TOR, Feodo groups: a
 * thousand rules, tens of thousands of addresses). Checking each rule's list on every flow
 * would cost a thousand binary searches; instead the lists are cut into elementary ranges,
 * each knowing the rules whose list covers it, and one binary search finds them. */
#ifndef KANSHI_ENGINE_IPIDX_H
#define KANSHI_ENGINE_IPIDX_H

#include <stdint.h>

#include "sig.h"

typedef struct kn_ipidx kn_ipidx_t;
typedef struct kn_ipidx_builder kn_ipidx_builder_t;

kn_ipidx_builder_t *kn_ipidx_builder_new(void);
void kn_ipidx_builder_free(kn_ipidx_builder_t *b);

/* Files signature id under every address of set. Returns 0, or -1 when out of memory. */
int kn_ipidx_add(kn_ipidx_builder_t *b, const kn_ipset_t *set, uint32_t id);

/* The index of what was added (the builder is left empty), or NULL when out of memory. */
kn_ipidx_t *kn_ipidx_build(kn_ipidx_builder_t *b);
void kn_ipidx_free(kn_ipidx_t *x);

/* The ids filed under address a, ascending; *n is 0 when none. */
const uint32_t *kn_ipidx_lookup(const kn_ipidx_t *x, uint8_t ip_v, const kn_addr_t *a,
                                uint32_t *n);

/* Elementary ranges and distinct id lists, for the build statistics. */
void kn_ipidx_size(const kn_ipidx_t *x, uint32_t *ranges, uint32_t *lists);

#endif
