/* defrag.c: IPv4 and IPv6 fragment reassembly with a target-based overlap policy.
 *
 * Fragments are copied into pooled records (large ones into their own buffer) and kept per
 * train in arrival order. Overlaps are resolved only when a train is complete, by painting the
 * fragments into the output in an order that makes the policy's winner land last; every
 * overlap is an anomaly because a benign stack never sends one. A train is keyed by addresses,
 * identification, protocol (IPv4), VLANs and tunnel depth. Trains, records and bytes all have
 * caps with counters; a completed train stays a while so late duplicates are reported as
 * ignored instead of starting a new train. */
#include "defrag.h"

#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "cursor.h"
#include "decode.h"

#define FRAG_INLINE 1536
#define MAX_FRAGS_PER_TRAIN 256

typedef struct kn_frag {
    struct kn_frag *next;
    uint32_t off, len;
    uint32_t seq; /* arrival order within the train */
    uint8_t *data; /* inl, or a buffer of its own */
    uint8_t inl[FRAG_INLINE];
} kn_frag_t;

typedef struct kn_train {
    struct kn_train *hnext;
    struct kn_train *older, *newer; /* age list, oldest first */
    uint32_t hash;
    uint8_t ip_v, proto, depth, vlan_n;
    uint16_t vlan[2];
    uint32_t id;
    kn_addr_t src, dst;
    kn_time_t first_ts;
    kn_frag_t *frags;
    uint32_t nfrags, seq;
    uint32_t total; /* datagram payload length, known once the last fragment arrived */
    uint8_t have_last, done;
    uint8_t hdr_len;
    uint8_t hdr[60]; /* IP header of the offset-0 fragment */
} kn_train_t;

struct kn_defrag {
    const kn_engine_config_t *cfg;
    kn_counters_t *ctr;
    kn_train_t **buckets;
    uint32_t mask;
    kn_train_t *oldest, *newest;
    kn_train_t *free_trains;
    kn_frag_t *free_frags;
    uint32_t trains, frags;
    uint64_t memuse;
};

kn_defrag_t *kn_defrag_new(const kn_engine_config_t *cfg, kn_counters_t *ctr)
{
    kn_defrag_t *df = calloc(1, sizeof(*df));
    uint32_t n = 1024;

    if (!df)
        return NULL;
    while (n < cfg->defrag_trackers / 4 && n < (1u << 20))
        n <<= 1;
    df->buckets = calloc(n, sizeof(*df->buckets));
    if (!df->buckets) {
        free(df);
        return NULL;
    }
    df->mask = n - 1;
    df->cfg = cfg;
    df->ctr = ctr;
    return df;
}

static void frag_release(kn_defrag_t *df, kn_frag_t *f)
{
    if (f->data != f->inl) {
        df->memuse -= f->len;
        free(f->data);
    }
    df->memuse -= sizeof(*f);
    df->frags--;
    f->next = df->free_frags;
    df->free_frags = f;
}

static void train_drop_frags(kn_defrag_t *df, kn_train_t *t)
{
    while (t->frags) {
        kn_frag_t *f = t->frags;
        t->frags = f->next;
        frag_release(df, f);
    }
    t->nfrags = 0;
}

static void train_unlink(kn_defrag_t *df, kn_train_t *t)
{
    kn_train_t **pp = &df->buckets[t->hash & df->mask];

    while (*pp && *pp != t)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = t->hnext;
    if (t->older)
        t->older->newer = t->newer;
    else
        df->oldest = t->newer;
    if (t->newer)
        t->newer->older = t->older;
    else
        df->newest = t->older;
    train_drop_frags(df, t);
    df->memuse -= sizeof(*t);
    df->trains--;
    t->hnext = df->free_trains;
    df->free_trains = t;
    df->ctr->c[KN_CTR_DEFRAG_MEMUSE] = df->memuse;
}

void kn_defrag_free(kn_defrag_t *df)
{
    if (!df)
        return;
    while (df->oldest)
        train_unlink(df, df->oldest);
    while (df->free_trains) {
        kn_train_t *t = df->free_trains;
        df->free_trains = t->hnext;
        free(t);
    }
    while (df->free_frags) {
        kn_frag_t *f = df->free_frags;
        df->free_frags = f->next;
        free(f);
    }
    free(df->buckets);
    free(df);
}

static uint32_t train_hash(const kn_packet_t *p)
{
    uint32_t h = 2166136261u, i, alen = p->ip_v == 4 ? 4 : 16;
    uint32_t id = p->ip_v == 4 ? p->ip_id : p->frag_id;

    for (i = 0; i < alen; i++)
        h = (h ^ (uint32_t)(p->src.b[i] + 31u * p->dst.b[i])) * 16777619u;
    h = (h ^ id) * 16777619u;
    h = (h ^ (uint32_t)(p->vlan_n ? p->vlan[0] : 0)) * 16777619u;
    return h ^ p->depth;
}

static int train_match(const kn_train_t *t, const kn_packet_t *p, uint32_t id)
{
    return t->ip_v == p->ip_v && t->id == id && t->depth == p->depth &&
           (p->ip_v == 6 || t->proto == p->proto) && t->vlan_n == (p->vlan_n > 2 ? 2 : p->vlan_n) &&
           (t->vlan_n < 1 || t->vlan[0] == p->vlan[0]) &&
           (t->vlan_n < 2 || t->vlan[1] == p->vlan[1]) &&
           memcmp(&t->src, &p->src, sizeof(t->src)) == 0 &&
           memcmp(&t->dst, &p->dst, sizeof(t->dst)) == 0;
}

static kn_train_t *train_new(kn_defrag_t *df, const kn_packet_t *p, uint32_t hash, uint32_t id)
{
    kn_train_t *t;

    if (df->trains >= df->cfg->defrag_trackers) {
        df->ctr->c[KN_CTR_DEFRAG_MAX_TRACKERS]++;
        return NULL;
    }
    if (df->memuse + sizeof(*t) > df->cfg->defrag_memcap) {
        df->ctr->c[KN_CTR_DEFRAG_MEMCAP_DROP]++;
        return NULL;
    }
    t = df->free_trains;
    if (t)
        df->free_trains = t->hnext;
    else if (!(t = malloc(sizeof(*t))))
        return NULL;
    memset(t, 0, sizeof(*t));
    t->hash = hash;
    t->ip_v = p->ip_v;
    t->proto = p->proto;
    t->depth = p->depth;
    t->vlan_n = p->vlan_n > 2 ? 2 : p->vlan_n;
    memcpy(t->vlan, p->vlan, sizeof(t->vlan));
    t->id = id;
    t->src = p->src;
    t->dst = p->dst;
    t->first_ts = p->ts;
    t->hnext = df->buckets[hash & df->mask];
    df->buckets[hash & df->mask] = t;
    t->older = df->newest;
    if (df->newest)
        df->newest->newer = t;
    else
        df->oldest = t;
    df->newest = t;
    df->trains++;
    df->memuse += sizeof(*t);
    return t;
}

static kn_train_t *train_get(kn_defrag_t *df, const kn_packet_t *p)
{
    uint32_t id = p->ip_v == 4 ? p->ip_id : p->frag_id;
    uint32_t hash = train_hash(p);
    kn_train_t *t;

    for (t = df->buckets[hash & df->mask]; t; t = t->hnext)
        if (t->hash == hash && train_match(t, p, id))
            return t;
    return train_new(df, p, hash, id);
}

static kn_frag_t *frag_new(kn_defrag_t *df, const uint8_t *data, uint32_t len)
{
    kn_frag_t *f;
    uint64_t need = sizeof(*f) + (len > FRAG_INLINE ? len : 0);

    if (df->frags >= df->cfg->defrag_max_frags) {
        df->ctr->c[KN_CTR_DEFRAG_MAX_FRAGS]++;
        return NULL;
    }
    if (df->memuse + need > df->cfg->defrag_memcap) {
        df->ctr->c[KN_CTR_DEFRAG_MEMCAP_DROP]++;
        return NULL;
    }
    f = df->free_frags;
    if (f)
        df->free_frags = f->next;
    else if (!(f = malloc(sizeof(*f))))
        return NULL;
    f->data = f->inl;
    if (len > FRAG_INLINE && !(f->data = malloc(len))) {
        f->next = df->free_frags;
        df->free_frags = f;
        return NULL;
    }
    memcpy(f->data, data, len);
    f->len = len;
    df->frags++;
    df->memuse += need;
    return f;
}

/* Whether the fragment overlaps one already held. */
static int frag_overlaps(const kn_train_t *t, uint32_t off, uint32_t len)
{
    const kn_frag_t *f;

    for (f = t->frags; f; f = f->next)
        if (off < f->off + f->len && f->off < off + len)
            return 1;
    return 0;
}

/* Payload coverage from 0 to the end, without a hole. */
static int train_complete(const kn_train_t *t)
{
    uint32_t covered = 0;
    int grew = 1;

    if (!t->have_last || !t->hdr_len)
        return 0;
    while (grew && covered < t->total) { /* fragments are few: repeated passes are cheap */
        const kn_frag_t *f;
        grew = 0;
        for (f = t->frags; f; f = f->next) {
            if (f->off <= covered && f->off + f->len > covered) {
                covered = f->off + f->len;
                grew = 1;
            }
        }
    }
    return covered >= t->total;
}

/* Painting order: the policy's winner for any byte must be written last. Returns 1 when a
 * should be painted before b. */
static int paint_before(int policy, const kn_frag_t *a, const kn_frag_t *b)
{
    switch (policy) {
    case KN_DEFRAG_FIRST:
        return a->seq > b->seq;
    case KN_DEFRAG_LAST:
        return a->seq < b->seq;
    case KN_DEFRAG_LINUX:
        return a->off != b->off ? a->off > b->off : a->seq < b->seq;
    default: /* BSD */
        return a->off != b->off ? a->off > b->off : a->seq > b->seq;
    }
}

static uint32_t train_build(const kn_defrag_t *df, kn_train_t *t, uint8_t *out)
{
    const kn_frag_t *order[MAX_FRAGS_PER_TRAIN];
    const kn_frag_t *f;
    uint32_t n = 0, i, j, hl = t->hdr_len;

    for (f = t->frags; f && n < MAX_FRAGS_PER_TRAIN; f = f->next)
        order[n++] = f;
    for (i = 1; i < n; i++) { /* insertion sort: n is small */
        const kn_frag_t *x = order[i];
        for (j = i; j > 0 && paint_before(df->cfg->defrag_policy, x, order[j - 1]); j--)
            order[j] = order[j - 1];
        order[j] = x;
    }
    memcpy(out, t->hdr, hl);
    for (i = 0; i < n; i++) {
        uint32_t len = order[i]->len;
        if (order[i]->off >= t->total)
            continue;
        if (order[i]->off + len > t->total)
            len = t->total - order[i]->off;
        memcpy(out + hl + order[i]->off, order[i]->data, len);
    }
    if (t->ip_v == 4) {
        uint16_t sum;
        out[2] = (uint8_t)((hl + t->total) >> 8);
        out[3] = (uint8_t)(hl + t->total);
        out[6] = out[7] = 0;
        out[10] = out[11] = 0;
        sum = kn_csum_fold(kn_csum_add(0, out, hl));
        memcpy(out + 10, &sum, 2); /* host-order sum stored as is: see checksum.h */
    } else {
        out[4] = (uint8_t)(t->total >> 8);
        out[5] = (uint8_t)t->total;
        out[6] = t->proto;
    }
    return hl + t->total;
}

/* Keeps the header a reassembled datagram will carry: the IPv4 header of the first fragment,
 * or the fixed IPv6 header (extension headers before the fragment header are not carried
 * over, so a routing header's final destination is not applied to the rebuilt packet). */
static void train_keep_header(kn_train_t *t, const kn_packet_t *p)
{
    uint32_t hl = p->ip_v == 4 ? p->l3_hlen : 40;

    if (hl > sizeof(t->hdr))
        hl = sizeof(t->hdr);
    memcpy(t->hdr, p->l3, hl);
    t->hdr_len = (uint8_t)hl;
    if (p->ip_v == 6)
        t->proto = p->proto;
}

/* Validates the fragment and returns its payload bounds, or 0 when it cannot be used. */
static int frag_bounds(kn_defrag_t *df, kn_packet_t *p, uint32_t *dlen, const uint8_t **data)
{
    uint32_t hdr = p->ip_v == 4 ? p->l3_hlen : p->l3_hlen + 8;

    if (p->flags & KN_PKT_TRUNCATED || p->l3_len < hdr) {
        kn_packet_anomaly(df->ctr, p, p->ip_v == 4 ? KN_ANOM_IPV4_FRAG_IGNORED
                                                   : KN_ANOM_IPV6_FRAG_IGNORED);
        return 0;
    }
    *data = p->l3 + hdr;
    *dlen = p->l3_len - hdr;
    return 1;
}

uint32_t kn_defrag_insert(kn_defrag_t *df, kn_packet_t *p, uint8_t *out)
{
    int v4 = p->ip_v == 4;
    const uint8_t *data;
    uint32_t dlen, n;
    kn_train_t *t;
    kn_frag_t *f;

    df->ctr->c[v4 ? KN_CTR_DEFRAG_V4_FRAGMENTS : KN_CTR_DEFRAG_V6_FRAGMENTS]++;
    if (!frag_bounds(df, p, &dlen, &data))
        return 0;
    t = train_get(df, p);
    if (!t)
        return 0;
    if (t->done || t->nfrags >= MAX_FRAGS_PER_TRAIN) {
        kn_packet_anomaly(df->ctr, p, v4 ? KN_ANOM_IPV4_FRAG_IGNORED : KN_ANOM_IPV6_FRAG_IGNORED);
        return 0;
    }
    if (frag_overlaps(t, p->frag_off, dlen)) {
        df->ctr->c[KN_CTR_DEFRAG_OVERLAPS]++;
        kn_packet_anomaly(df->ctr, p, v4 ? KN_ANOM_IPV4_FRAG_OVERLAP : KN_ANOM_IPV6_FRAG_OVERLAP);
    }
    if (!(f = frag_new(df, data, dlen)))
        return 0;
    f->off = p->frag_off;
    f->seq = t->seq++;
    f->next = t->frags;
    t->frags = f;
    t->nfrags++;
    if (p->frag_off == 0)
        train_keep_header(t, p);
    if (!p->frag_mf && !t->have_last) {
        t->have_last = 1;
        t->total = p->frag_off + dlen;
    }
    df->ctr->c[KN_CTR_DEFRAG_MEMUSE] = df->memuse;
    if (!train_complete(t))
        return 0;
    n = train_build(df, t, out);
    df->ctr->c[v4 ? KN_CTR_DEFRAG_V4_REASSEMBLED : KN_CTR_DEFRAG_V6_REASSEMBLED]++;
    train_drop_frags(df, t);
    t->done = 1;
    return n;
}

void kn_defrag_tick(kn_defrag_t *df, kn_time_t now)
{
    kn_time_t limit = (kn_time_t)df->cfg->defrag_timeout * KN_USEC;

    while (df->oldest && now - df->oldest->first_ts > limit) {
        kn_train_t *t = df->oldest;
        if (!t->done)
            df->ctr->c[t->ip_v == 4 ? KN_CTR_DEFRAG_V4_TIMEOUTS : KN_CTR_DEFRAG_V6_TIMEOUTS]++;
        train_unlink(df, t);
    }
}

void kn_defrag_flush(kn_defrag_t *df)
{
    while (df->oldest)
        train_unlink(df, df->oldest);
}
