/* threshold.h: alert rate decisions — threshold, detection_filter, and threshold.config's
 * suppress and threshold/event_filter entries (engine only). Time is packet time. */
#ifndef KANSHI_ENGINE_THRESHOLD_H
#define KANSHI_ENGINE_THRESHOLD_H

#include <stdint.h>

#include "counters.h"
#include "keytab.h"
#include "sig.h"

/* threshold.config entries: suppress by address, or a threshold that replaces the rule's. */
enum { KN_SUPP_ALL = 0, KN_SUPP_SRC, KN_SUPP_DST, KN_SUPP_EITHER };

typedef struct kn_suppress {
    uint32_t gid, sid; /* sid 0: every rule of gid; gid 0 and sid 0: every rule */
    uint8_t track;     /* KN_SUPP_* */
    kn_ipset_t ips;
} kn_suppress_t;

typedef struct kn_thconf {
    uint32_t gid, sid; /* as for kn_suppress */
    kn_threshold_t th;
} kn_thconf_t;

typedef struct kn_rate {
    kn_keytab_t *tab;
    kn_counters_t *ctr;
} kn_rate_t;

/* Rate state for max records (0: the default), or NULL. */
kn_rate_t *kn_rate_new(uint32_t max, kn_counters_t *ctr);
void kn_rate_free(kn_rate_t *r);

/* Counts one match of a rule and says whether it alerts under th (1) or not (0). by_flow
 * state lives in the flow and is passed as flow_state; other tracks live in the table. */
int kn_rate_check(kn_rate_t *r, const kn_threshold_t *th, uint32_t gid, uint32_t sid,
                  const kn_addr_t *src, const kn_addr_t *dst, kn_ktval_t *flow_state,
                  kn_time_t ts);

/* The decision on one record, Suricata's semantics per type (exposed for the unit tests). */
int kn_rate_step(const kn_threshold_t *th, kn_ktval_t *v, int fresh, kn_time_t ts);

/* Whether an entry suppresses an alert from src to dst. */
int kn_suppress_match(const kn_suppress_t *s, const kn_addr_t *src, const kn_addr_t *dst,
                      uint8_t ip_v);

#endif
