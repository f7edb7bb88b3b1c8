/* threshold.c: how many matches of a rule become alerts.
 *
 * Each track (by_src, by_dst, by_both, by_rule, by_flow) keeps a window start and a count per
 * key. The four types follow Suricata's documented behaviour: limit alerts on the first count
 * matches of a window, threshold on every count-th, both once when count is reached, and
 * detection_filter on every match after the first count. A window that is older than its
 * seconds starts again with the current match. */
#include "threshold.h"

#include <stdlib.h>

#include "addrset.h"

#define RATE_MAX_DEFAULT 65536

kn_rate_t *kn_rate_new(uint32_t max, kn_counters_t *ctr)
{
    kn_rate_t *r = calloc(1, sizeof(*r));

    if (!r)
        return NULL;
    r->ctr = ctr;
    if (!(r->tab = kn_keytab_new(max ? max : RATE_MAX_DEFAULT))) {
        free(r);
        return NULL;
    }
    return r;
}

void kn_rate_free(kn_rate_t *r)
{
    if (!r)
        return;
    kn_keytab_free(r->tab);
    free(r);
}

int kn_rate_step(const kn_threshold_t *th, kn_ktval_t *v, int fresh, kn_time_t ts)
{
    if (fresh || ts - v->t >= (kn_time_t)th->seconds * KN_USEC) {
        v->t = ts;
        v->n = 1;
        switch (th->type) {
        case KN_THR_LIMIT: return 1;
        case KN_THR_DF: return th->count == 0;
        default: /* threshold, both */
            if (th->count <= 1 && th->type == KN_THR_THRESHOLD)
                v->n = 0;
            return th->count <= 1;
        }
    }
    v->n++;
    switch (th->type) {
    case KN_THR_LIMIT:
        return v->n <= th->count;
    case KN_THR_THRESHOLD:
        if (v->n < th->count)
            return 0;
        v->n = 0;
        return 1;
    case KN_THR_BOTH:
        return v->n == th->count;
    default:
        return v->n > th->count;
    }
}

int kn_rate_check(kn_rate_t *r, const kn_threshold_t *th, uint32_t gid, uint32_t sid,
                  const kn_addr_t *src, const kn_addr_t *dst, kn_ktval_t *flow_state,
                  kn_time_t ts)
{
    const kn_addr_t *a = NULL, *b = NULL;
    kn_ktkey_t key;
    kn_ktval_t *v;
    int created = 0, evicted = 0;

    if (th->track == KN_TRACK_FLOW) {
        if (!flow_state)
            return 1; /* no flow to count in: as Suricata, the match alerts */
        return kn_rate_step(th, flow_state, flow_state->t == 0, ts);
    }
    if (th->track == KN_TRACK_SRC || th->track == KN_TRACK_BOTH)
        a = src;
    if (th->track == KN_TRACK_DST || th->track == KN_TRACK_BOTH)
        b = dst;
    kn_ktkey_make(&key, a, b, sid, gid << 4 | th->type);
    v = kn_keytab_get(r->tab, &key, 1, &created, &evicted);
    if (evicted)
        r->ctr->c[KN_CTR_DETECT_THRESH_MEMCAP]++;
    r->ctr->c[KN_CTR_DETECT_THRESH_MEMUSE] = kn_keytab_memuse(r->tab);
    if (!v)
        return 1;
    return kn_rate_step(th, v, created, ts);
}

int kn_suppress_match(const kn_suppress_t *s, const kn_addr_t *src, const kn_addr_t *dst,
                      uint8_t ip_v)
{
    switch (s->track) {
    case KN_SUPP_SRC: return kn_ipset_has(&s->ips, ip_v, src);
    case KN_SUPP_DST: return kn_ipset_has(&s->ips, ip_v, dst);
    case KN_SUPP_EITHER:
        return kn_ipset_has(&s->ips, ip_v, src) || kn_ipset_has(&s->ips, ip_v, dst);
    default: return 1;
    }
}
