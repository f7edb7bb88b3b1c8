/* defrag.c: IPv4 and IPv6 fragment reassembly with a target-based overlap policy.
 *
 * Fragments are copied into pooled records (large ones into their own buffer) and kept per
 * train sorted by offset, so completeness is one pass. Overlaps are resolved only when a train is complete, by painting the
 * fragments into the output in an order that makes the policy's winner land last; every
 * overlap is an anomaly because a benign stack never sends one. A train is keyed by addresses,
 * identification, protocol (IPv4), VLANs and tunnel depth. Trains, records and bytes all have
 * caps with counters. A fragment that arrives for a train already reassembled starts the train
 * over: IP ids are reused, and ignoring them would let a decoy datagram hide the next one. */
#include "defrag.h"

#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "cursor.h"
#include "decode.h"

#define FRAG_INLINE 1536
#define MAX_FRAGS_PER_TRAIN (2 * 8192) /* scratch: 8192 8-byte pieces, twice for sorting */

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
    const kn_frag_t **order; /* scratch for painting, MAX_FRAGS_PER_TRAIN entries */
    int policy;              /* for the painting comparator */
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
    df->order = malloc(MAX_FRAGS_PER_TRAIN * sizeof(*df->order));
    if (!df->buckets || !df->order) {
        free(df->buckets);
        free(df->order);
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
    free(df->order);
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

/* Empties a reassembled train for a new datagram with the same id, as the newest train. */
static void train_restart(kn_defrag_t *df, kn_train_t *t, kn_time_t ts)
{
    train_drop_frags(df, t);
    t->done = t->have_last = 0;
    t->total = t->seq = 0;
    t->hdr_len = 0;
    t->first_ts = ts;
    if (t == df->newest)
        return;
    if (t->older)
        t->older->newer = t->newer;
    else
        df->oldest = t->newer;
    t->newer->older = t->older;
    t->older = df->newest;
    t->newer = NULL;
    df->newest->newer = t;
    df->newest = t;
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

/* Payload coverage from 0 to the end, without a hole (the list is sorted by offset). */
static int train_complete(const kn_train_t *t)
{
    const kn_frag_t *f;
    uint32_t covered = 0;

    if (!t->have_last || !t->hdr_len)
        return 0;
    for (f = t->frags; f && covered < t->total; f = f->next) {
        if (f->off > covered)
            return 0;
        if (f->off + f->len > covered)
            covered = f->off + f->len;
    }
    return covered >= t->total;
}

/* Painting order: the policy's winner for any byte must be written last. */
static int paint_cmp(const kn_frag_t *a, const kn_frag_t *b, int policy)
{
    int before;

    switch (policy) {
    case KN_DEFRAG_FIRST:
        before = a->seq > b->seq;
        break;
    case KN_DEFRAG_LAST:
        before = a->seq < b->seq;
        break;
    case KN_DEFRAG_LINUX:
        before = a->off != b->off ? a->off > b->off : a->seq < b->seq;
        break;
    default: /* BSD */
        before = a->off != b->off ? a->off > b->off : a->seq > b->seq;
        break;
    }
    return before ? -1 : 1; /* seq is unique: never equal */
}

/* Sorts the train's fragments into painting order (a merge-free insertion sort would be
 * quadratic for long trains). */
static void sort_paint(const kn_frag_t **v, uint32_t n, int policy, const kn_frag_t **tmp)
{
    uint32_t width, i;

    for (width = 1; width < n; width *= 2) { /* bottom-up merge sort: n log n, no recursion */
        for (i = 0; i < n; i += 2 * width) {
            uint32_t l = i, m = i + width < n ? i + width : n, r = i + 2 * width < n ? i + 2 * width : n;
            uint32_t a = l, b = m, k = l;
            while (a < m && b < r)
                tmp[k++] = paint_cmp(v[a], v[b], policy) < 0 ? v[a++] : v[b++];
            while (a < m)
                tmp[k++] = v[a++];
            while (b < r)
                tmp[k++] = v[b++];
        }
        memcpy(v, tmp, n * sizeof(*v));
    }
}

static uint32_t train_build(kn_defrag_t *df, kn_train_t *t, uint8_t *out)
{
    const kn_frag_t **order = df->order, **tmp;
    const kn_frag_t *f;
    uint32_t n = 0, i, hl = t->hdr_len;

    for (f = t->frags; f && n < MAX_FRAGS_PER_TRAIN / 2; f = f->next)
        order[n++] = f;
    tmp = order + MAX_FRAGS_PER_TRAIN / 2;
    sort_paint(order, n, df->cfg->defrag_policy, tmp);
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

/* Links f into the train's list, keeping it sorted by offset (arrival order on ties). */
static void train_link(kn_train_t *t, kn_frag_t *f)
{
    kn_frag_t **pp = &t->frags;

    while (*pp && (*pp)->off <= f->off)
        pp = &(*pp)->next;
    f->next = *pp;
    *pp = f;
    t->nfrags++;
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
    if (t->done)
        train_restart(df, t, p->ts);
    if (t->nfrags >= MAX_FRAGS_PER_TRAIN / 2) {
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
    train_link(t, f);
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
