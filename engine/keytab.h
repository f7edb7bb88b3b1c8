/* keytab.h: a bounded table of small records keyed by bytes (engine only).
 *
 * Rate state (threshold, detection_filter) and host and ip-pair bits keep one record per key
 * built from addresses and ids. The table holds at most a fixed number of records; when it is
 * full the least recently used one makes room, and the caller counts that. */
#ifndef KANSHI_ENGINE_KEYTAB_H
#define KANSHI_ENGINE_KEYTAB_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

typedef struct kn_ktkey {
    uint8_t b[40]; /* two addresses and two 32-bit ids; unused bytes zero */
} kn_ktkey_t;

typedef struct kn_ktval {
    kn_time_t t; /* the caller's time: start of a window, or an expiry */
    uint64_t n;  /* the caller's count */
} kn_ktval_t;

typedef struct kn_keytab kn_keytab_t;

/* A table of at most max records, or NULL. */
kn_keytab_t *kn_keytab_new(uint32_t max);
void kn_keytab_free(kn_keytab_t *t);

/* The record of key; with create, a zeroed new one when absent (*created set), evicting the
 * least recently used record when full (*evicted set). NULL when absent, or out of memory. */
kn_ktval_t *kn_keytab_get(kn_keytab_t *t, const kn_ktkey_t *key, int create, int *created,
                          int *evicted);

void kn_keytab_del(kn_keytab_t *t, const kn_ktkey_t *key);

/* Bytes held, for the memuse counter. */
size_t kn_keytab_memuse(const kn_keytab_t *t);

/* A key from two addresses and two ids. */
void kn_ktkey_make(kn_ktkey_t *k, const kn_addr_t *a, const kn_addr_t *b, uint32_t id1,
                   uint32_t id2);

#endif
