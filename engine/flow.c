/* flow.c: bidirectional flow table with packet-time timeouts and a memory cap.
 *
 * A flow is keyed by addresses, ports, IP protocol, VLAN ids and tunnel depth, hashed so both
 * directions land in the same bucket. Each flow sits on one of twelve timeout lists (timeout
 * class x flow state) kept in least-recently-seen order, so expiry only ever looks at list
 * heads and a packet only moves its flow to a tail: O(1) per packet. Records come from blocks
 * allocated on demand up to the memcap and are recycled, so the steady state allocates
 * nothing. At the cap the table enters emergency mode (shorter timeouts) and, if that does not
 * free a record, ends the least recently seen flow ("forced") rather than leave a packet
 * without a flow. */
#include "flow.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_FLOWS 4096
#define NLISTS (KN_FC_MAX * 3)
#define FLOW_ID_MASK ((1ULL << 51) - 1)

typedef struct kn_flow_list {
    kn_flow_t *head, *tail;
} kn_flow_list_t;

struct kn_flow_table {
    const kn_engine_config_t *cfg;
    kn_counters_t *ctr;
    kn_flow_end_fn end;
    kn_flow_release_fn release;
    void *end_ctx;
    kn_flow_t **buckets;
    uint64_t mask;
    kn_flow_list_t lists[NLISTS];
    kn_flow_t *free;
    kn_flow_t **blocks;
    uint32_t nblocks, blocks_cap;
    uint64_t allocated, active, capacity;
    uint64_t created; /* flows ever created: mixed into flow_id */
    int emergency;
};

/* Key of a packet (or of the header an ICMP error quotes), in the packet's orientation. */
typedef struct kn_flow_key {
    const kn_addr_t *src, *dst;
    uint16_t sp, dp;
    uint8_t proto, ip_v, depth, vlan_n;
    const uint16_t *vlan;
} kn_flow_key_t;

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t endpoint_hash(const kn_addr_t *a, uint16_t port)
{
    uint64_t w0, w1;

    memcpy(&w0, a->b, 8);
    memcpy(&w1, a->b + 8, 8);
    return mix64(w0 ^ 0x9e3779b97f4a7c15ULL) + mix64(w1 ^ ((uint64_t)port << 40));
}

/* Symmetric in the two endpoints: both directions of a flow hash alike. */
static uint64_t key_hash(const kn_flow_key_t *k)
{
    uint64_t h = endpoint_hash(k->src, k->sp) + endpoint_hash(k->dst, k->dp);
    uint64_t extra = (uint64_t)k->proto | (uint64_t)k->depth << 8 | (uint64_t)k->ip_v << 16;
    uint8_t i;

    for (i = 0; i < k->vlan_n; i++)
        extra ^= (uint64_t)k->vlan[i] << (24 + 12 * i);
    return mix64(h ^ mix64(extra));
}

static int flow_class(uint8_t proto)
{
    switch (proto) {
    case 6:
        return KN_FC_TCP;
    case 17:
        return KN_FC_UDP;
    case 1:
    case 58:
        return KN_FC_ICMP;
    default:
        return KN_FC_DEFAULT;
    }
}

static uint32_t flow_timeout(const kn_flow_table_t *ft, int list)
{
    const kn_timeouts_t *t = &ft->cfg->timeouts[list / 3];

    switch (list % 3) {
    case KN_FLOW_NEW:
        return ft->emergency ? t->emerg_new : t->new_;
    case KN_FLOW_ESTABLISHED:
        return ft->emergency ? t->emerg_established : t->established;
    default:
        return ft->emergency ? t->emerg_closed : t->closed;
    }
}

static int grow(kn_flow_table_t *ft);

kn_flow_table_t *kn_flow_table_new(const kn_engine_config_t *cfg, kn_counters_t *ctr,
                                   kn_flow_end_fn end, kn_flow_release_fn release, void *ctx)
{
    kn_flow_table_t *ft = calloc(1, sizeof(*ft));
    uint64_t n = 1024, want, capacity = cfg->flow_memcap / sizeof(kn_flow_t);

    if (!ft)
        return NULL;
    /* at least one bucket per two records the cap allows: chains stay short at the cap */
    want = cfg->flow_hash_size > capacity / 2 ? cfg->flow_hash_size : capacity / 2;
    while (n < want && n < (1ULL << 26))
        n <<= 1;
    ft->buckets = calloc(n, sizeof(*ft->buckets));
    if (!ft->buckets) {
        free(ft);
        return NULL;
    }
    ft->mask = n - 1;
    ft->cfg = cfg;
    ft->ctr = ctr;
    ft->end = end;
    ft->release = release;
    ft->end_ctx = ctx;
    ft->capacity = capacity;
    if (ft->capacity < 16)
        ft->capacity = 16;
    while (ft->allocated < cfg->flow_prealloc && ft->allocated < ft->capacity)
        if (grow(ft) != KN_OK)
            break;
    return ft;
}

void kn_flow_table_free(kn_flow_table_t *ft)
{
    uint32_t i;

    if (!ft)
        return;
    for (i = 0; i < NLISTS; i++) {
        kn_flow_t *f;
        for (f = ft->lists[i].head; f && ft->release; f = f->next)
            ft->release(ft->end_ctx, f);
    }
    for (i = 0; i < ft->nblocks; i++)
        free(ft->blocks[i]);
    free(ft->blocks);
    free(ft->buckets);
    free(ft);
}

uint64_t kn_flow_capacity(const kn_flow_table_t *ft)
{
    return ft->capacity;
}

static void list_remove(kn_flow_table_t *ft, kn_flow_t *f)
{
    kn_flow_list_t *l = &ft->lists[f->list];

    if (f->prev)
        f->prev->next = f->next;
    else
        l->head = f->next;
    if (f->next)
        f->next->prev = f->prev;
    else
        l->tail = f->prev;
    f->prev = f->next = NULL;
}

static void list_append(kn_flow_table_t *ft, kn_flow_t *f, int list)
{
    kn_flow_list_t *l = &ft->lists[list];

    f->list = (uint8_t)list;
    f->next = NULL;
    f->prev = l->tail;
    if (l->tail)
        l->tail->next = f;
    else
        l->head = f;
    l->tail = f;
}

static void hash_remove(kn_flow_t *f)
{
    *f->hpprev = f->hnext;
    if (f->hnext)
        f->hnext->hpprev = f->hpprev;
}

static void hash_insert(kn_flow_table_t *ft, kn_flow_t *f)
{
    kn_flow_t **head = &ft->buckets[f->hash & ft->mask];

    f->hnext = *head;
    if (*head)
        (*head)->hpprev = &f->hnext;
    f->hpprev = head;
    *head = f;
}

static void count_end(kn_flow_table_t *ft, const kn_flow_info_t *fi)
{
    static const kn_counter_id_t by_state[] = {
        KN_CTR_FLOW_END_NEW, KN_CTR_FLOW_END_ESTABLISHED, KN_CTR_FLOW_END_CLOSED};

    ft->ctr->c[by_state[fi->state]]++;
    if (fi->proto == 6)
        ft->ctr->c[KN_CTR_FLOW_END_TCP_NONE + fi->tcp_state]++;
}

static void flow_end(kn_flow_table_t *ft, kn_flow_t *f, kn_flow_end_t reason)
{
    f->info.end = (uint8_t)reason;
    count_end(ft, &f->info);
    ft->end(ft->end_ctx, f);
    hash_remove(f);
    list_remove(ft, f);
    f->hnext = ft->free;
    ft->free = f;
    ft->active--;
    ft->ctr->c[KN_CTR_FLOW_ACTIVE] = ft->active;
}

/* Timed out, in whole seconds as Suricata counts: the last packet's second plus the timeout
 * must be before the current second. */
static int timed_out(const kn_flow_table_t *ft, const kn_flow_t *f, kn_time_t now)
{
    return f->info.last / KN_USEC + (kn_time_t)flow_timeout(ft, f->list) < now / KN_USEC;
}

static int expire_list(kn_flow_table_t *ft, int list, kn_time_t now)
{
    int n = 0;

    while (ft->lists[list].head && timed_out(ft, ft->lists[list].head, now)) {
        flow_end(ft, ft->lists[list].head, KN_END_TIMEOUT);
        ft->ctr->c[KN_CTR_FLOW_TIMEOUT]++;
        n++;
    }
    return n;
}

void kn_flow_expire(kn_flow_table_t *ft, kn_time_t now)
{
    int i;

    for (i = 0; i < NLISTS; i++)
        expire_list(ft, i, now);
    if (ft->emergency &&
        ft->active * 100 <= ft->capacity * (100 - ft->cfg->emergency_recovery)) {
        ft->emergency = 0;
        ft->ctr->c[KN_CTR_FLOW_EMERG_OVER]++;
    }
}

void kn_flow_flush(kn_flow_table_t *ft)
{
    int i;

    for (i = 0; i < NLISTS; i++)
        while (ft->lists[i].head)
            flow_end(ft, ft->lists[i].head, KN_END_SHUTDOWN);
}

/* Ends the least recently seen flow of all, to make room. */
static void evict_oldest(kn_flow_table_t *ft)
{
    kn_flow_t *victim = NULL;
    int i;

    for (i = 0; i < NLISTS; i++) {
        kn_flow_t *h = ft->lists[i].head;
        if (h && (!victim || h->info.last < victim->info.last))
            victim = h;
    }
    if (victim) {
        ft->ctr->c[KN_CTR_FLOW_EVICTED]++;
        flow_end(ft, victim, KN_END_FORCED);
    }
}

static int grow(kn_flow_table_t *ft)
{
    uint64_t n = ft->capacity > ft->allocated ? ft->capacity - ft->allocated : 0;
    kn_flow_t *blk;
    uint32_t i;

    if (n == 0)
        return KN_ERR;
    if (n > BLOCK_FLOWS)
        n = BLOCK_FLOWS;

    if (ft->nblocks == ft->blocks_cap) {
        uint32_t cap = ft->blocks_cap ? ft->blocks_cap * 2 : 16;
        kn_flow_t **nb = realloc(ft->blocks, cap * sizeof(*nb));
        if (!nb)
            return KN_ERR;
        ft->blocks = nb;
        ft->blocks_cap = cap;
    }
    blk = malloc(n * sizeof(*blk));
    if (!blk)
        return KN_ERR;
    ft->blocks[ft->nblocks++] = blk;
    for (i = (uint32_t)n; i-- > 0;) { /* first record on top, so use follows memory order */
        blk[i].hnext = ft->free;
        ft->free = &blk[i];
    }
    ft->allocated += n;
    ft->ctr->c[KN_CTR_FLOW_MEMUSE] = ft->allocated * sizeof(kn_flow_t);
    return KN_OK;
}

/* A free record, making room first when the table is at its cap. */
static kn_flow_t *flow_alloc(kn_flow_table_t *ft, const kn_packet_t *p)
{
    uint64_t cap = ft->capacity;
    kn_flow_t *f;

    if (ft->cfg->simulate_flow_memcap_at && p->pcap_cnt >= ft->cfg->simulate_flow_memcap_at &&
        ft->active > 0 && ft->active < cap)
        cap = ft->active;
    if (ft->active >= cap) {
        ft->ctr->c[KN_CTR_FLOW_MEMCAP]++;
        if (!ft->emergency) {
            ft->emergency = 1;
            ft->ctr->c[KN_CTR_FLOW_EMERG_ENTERED]++;
            kn_flow_expire(ft, p->ts);
        }
        if (ft->active >= cap)
            evict_oldest(ft);
    }
    if (!ft->free && grow(ft) != KN_OK)
        return NULL;
    f = ft->free;
    ft->free = f->hnext;
    return f;
}

/* ICMPv6 request/reply pairs (RFC 4443, 4861, 2710, 4620, 3775) share a flow, as in Suricata;
 * any other type is a flow of its own per type and code. */
static int icmpv6_counterpart(uint8_t type)
{
    static const uint8_t pairs[][2] = {{128, 129}, {133, 134}, {135, 136}, {130, 131},
                                       {139, 140}, {144, 145}, {146, 147}};
    size_t i;

    for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        if (pairs[i][0] == type)
            return pairs[i][1];
        if (pairs[i][1] == type)
            return pairs[i][0];
    }
    return -1;
}

/* The port-like part of the key: ports, an ESP SPI, or the ICMPv6 type. ICMPv4 keys on the
 * addresses only, so every ICMPv4 exchange between two hosts is one flow (as in Suricata). */
static void key_ports(const kn_packet_t *p, kn_flow_key_t *k)
{
    int peer;

    k->sp = k->dp = 0;
    switch (p->proto) {
    case 6: case 17: case 132:
        k->sp = p->sport;
        k->dp = p->dport;
        break;
    case 50:
        k->sp = (uint16_t)(p->spi >> 16);
        k->dp = (uint16_t)p->spi;
        break;
    case 58:
        peer = icmpv6_counterpart(p->icmp_type);
        if (peer < 0) {
            k->sp = p->icmp_type;
            k->dp = p->icmp_code;
        } else { /* a reply then matches its request with the ports reversed */
            k->sp = p->icmp_type;
            k->dp = (uint16_t)peer;
        }
        break;
    default:
        break;
    }
}

static void key_of_packet(const kn_packet_t *p, int vlan_tracking, kn_flow_key_t *k)
{
    k->src = &p->src;
    k->dst = &p->dst;
    k->proto = p->proto;
    k->ip_v = p->ip_v;
    k->depth = p->depth;
    k->vlan_n = vlan_tracking ? p->vlan_n : 0;
    k->vlan = p->vlan;
    key_ports(p, k);
}

/* The key of the packet an ICMPv4 destination unreachable reports on, when it quotes enough of
 * it (a whole TCP header, or the UDP header), as Suricata requires. */
static int key_of_quoted(const kn_packet_t *p, int vlan_tracking, kn_flow_key_t *k)
{
    if (p->icmp_type != 3 || (p->q_proto == 6 && p->q_l4len < 20) ||
        (p->q_proto == 17 && p->q_l4len < 8) || (p->q_proto != 6 && p->q_proto != 17))
        return 0;
    key_of_packet(p, vlan_tracking, k);
    k->src = &p->q_src;
    k->dst = &p->q_dst;
    k->proto = p->q_proto;
    k->sp = p->q_sport;
    k->dp = p->q_dport;
    return 1;
}

/* 0: not this flow; 1: same orientation as the flow; 2: reversed. */
static int key_match(const kn_flow_t *f, const kn_flow_key_t *k)
{
    const kn_flow_info_t *fi = &f->info;
    uint8_t i;

    if (fi->proto != k->proto || fi->ip_v != k->ip_v || f->depth != k->depth ||
        fi->vlan_n != k->vlan_n)
        return 0;
    for (i = 0; i < k->vlan_n; i++)
        if (fi->vlan[i] != k->vlan[i])
            return 0;
    if (fi->sp == k->sp && fi->dp == k->dp && memcmp(&fi->src, k->src, sizeof(kn_addr_t)) == 0 &&
        memcmp(&fi->dst, k->dst, sizeof(kn_addr_t)) == 0)
        return 1;
    if (fi->sp == k->dp && fi->dp == k->sp && memcmp(&fi->src, k->dst, sizeof(kn_addr_t)) == 0 &&
        memcmp(&fi->dst, k->src, sizeof(kn_addr_t)) == 0)
        return 2;
    return 0;
}

static kn_flow_t *lookup(kn_flow_table_t *ft, const kn_flow_key_t *k, uint64_t h, int *m)
{
    kn_flow_t *f;

    for (f = ft->buckets[h & ft->mask]; f; f = f->hnext)
        if (f->hash == h && (*m = key_match(f, k)) != 0)
            return f;
    return NULL;
}

/* Stable across runs: a function of the key, the start time and the creation count only. */
static uint64_t make_flow_id(const kn_flow_table_t *ft, uint64_t h, kn_time_t start)
{
    uint64_t id = mix64(h ^ mix64((uint64_t)start) ^ (ft->created * 0x9e3779b97f4a7c15ULL));

    id &= FLOW_ID_MASK;
    return id ? id : 1;
}

static void record_tunnel(kn_flow_info_t *fi, const kn_packet_t *p)
{
    const kn_packet_t *o = p->parent;

    if (!o)
        return;
    fi->has_tunnel = 1;
    fi->tunnel.kind = p->tunnel;
    fi->tunnel.depth = p->depth;
    fi->tunnel.ip_v = o->ip_v;
    fi->tunnel.proto = o->proto;
    fi->tunnel.src = o->src;
    fi->tunnel.dst = o->dst;
    fi->tunnel.sport = (o->flags & KN_PKT_HAS_L4) ? o->sport : 0;
    fi->tunnel.dport = (o->flags & KN_PKT_HAS_L4) ? o->dport : 0;
}

static kn_flow_t *flow_create(kn_flow_table_t *ft, const kn_packet_t *p, const kn_flow_key_t *k,
                              uint64_t h, int *dir)
{
    kn_flow_t *f = flow_alloc(ft, p);
    kn_flow_info_t *fi;
    int swap = p->proto == 6 && (p->tcp_flags & (KN_TH_SYN | KN_TH_ACK)) == (KN_TH_SYN | KN_TH_ACK);

    if (!f)
        return NULL;
    memset(f, 0, sizeof(*f));
    fi = &f->info;
    f->hash = h;
    f->depth = k->depth;
    fi->src = swap ? *k->dst : *k->src;
    fi->dst = swap ? *k->src : *k->dst;
    fi->sp = swap ? k->dp : k->sp;
    fi->dp = swap ? k->sp : k->dp;
    fi->proto = k->proto;
    fi->ip_v = k->ip_v;
    fi->vlan_n = k->vlan_n;
    memcpy(fi->vlan, k->vlan, k->vlan_n * sizeof(uint16_t));
    fi->iface = p->iface;
    fi->start = fi->last = p->ts;
    fi->flow_id = make_flow_id(ft, h, p->ts);
    if (k->proto == 50 && (p->flags & KN_PKT_HAS_L4)) {
        fi->has_spi = 1;
        fi->spi = p->spi;
    }
    record_tunnel(fi, p);
    ft->created++;
    *dir = swap ? KN_TOCLIENT : KN_TOSERVER;
    hash_insert(ft, f);
    list_append(ft, f, flow_class(fi->proto) * 3 + KN_FLOW_NEW);
    ft->active++;
    ft->ctr->c[KN_CTR_FLOW_ACTIVE] = ft->active;
    ft->ctr->c[KN_CTR_FLOW_TOTAL]++;
    switch (fi->proto) {
    case 6: ft->ctr->c[KN_CTR_FLOW_TCP]++; break;
    case 17: ft->ctr->c[KN_CTR_FLOW_UDP]++; break;
    case 1: ft->ctr->c[KN_CTR_FLOW_ICMPV4]++; break;
    case 58: ft->ctr->c[KN_CTR_FLOW_ICMPV6]++; break;
    default: ft->ctr->c[KN_CTR_FLOW_OTHER]++; break;
    }
    return f;
}

kn_flow_t *kn_flow_get(kn_flow_table_t *ft, const kn_packet_t *p, int *dir)
{
    kn_flow_key_t k;
    kn_flow_t *f;
    uint64_t h;
    int m = 0;

    if (p->ip_v == 4 && (p->flags & KN_PKT_ICMP_ERROR)) {
        /* an ICMPv4 error never starts a flow; it only joins the one it reports on */
        if (key_of_quoted(p, ft->cfg->vlan_tracking, &k)) {
            h = key_hash(&k);
            f = lookup(ft, &k, h, &m);
            if (f) { /* the error travels against the packet it quotes */
                *dir = m == 1 ? KN_TOCLIENT : KN_TOSERVER;
                return f;
            }
        }
        ft->ctr->c[KN_CTR_FLOW_ICMP_ERR_UNMATCHED]++;
        return NULL;
    }
    key_of_packet(p, ft->cfg->vlan_tracking, &k);
    h = key_hash(&k);
    f = lookup(ft, &k, h, &m);
    if (f) {
        *dir = m == 1 ? KN_TOSERVER : KN_TOCLIENT;
        if (timed_out(ft, f, p->ts)) {
            ft->ctr->c[KN_CTR_FLOW_TIMEOUT]++;
            flow_end(ft, f, KN_END_TIMEOUT);
        } else if (p->proto == 6 && kn_stream_is_reuse(&f->tcp, &f->info, p, *dir)) {
            ft->ctr->c[KN_CTR_FLOW_TCP_REUSE]++;
            flow_end(ft, f, KN_END_REUSE);
        } else {
            return f;
        }
    }
    return flow_create(ft, p, &k, h, dir);
}

#define SWAP2(a, T)                                                                          \
    do {                                                                                     \
        T t_ = (a)[0];                                                                       \
        (a)[0] = (a)[1];                                                                     \
        (a)[1] = t_;                                                                         \
    } while (0)

void kn_flow_reverse(kn_flow_t *f)
{
    kn_flow_info_t *fi = &f->info;
    kn_addr_t a = fi->src;
    uint16_t port = fi->sp;

    fi->src = fi->dst;
    fi->dst = a;
    fi->sp = fi->dp;
    fi->dp = port;
    SWAP2(fi->pkts, uint64_t);
    SWAP2(fi->bytes, uint64_t);
    SWAP2(f->seen, uint8_t);
}

void kn_flow_update(kn_flow_table_t *ft, kn_flow_t *f, kn_packet_t *p, int dir)
{
    kn_flow_info_t *fi = &f->info;
    int list;

    fi->pkts[dir]++;
    fi->bytes[dir] += (uint64_t)((int64_t)p->caplen + p->acct_adj);
    if (!(p->flags & KN_PKT_ICMP_ERROR) || p->proto == fi->proto)
        f->seen[dir] = 1;
    if (p->ts > fi->last)
        fi->last = p->ts;
    if (fi->proto == 6 && p->proto == 6) {
        fi->tcp_flags[dir] |= p->tcp_flags;
        if (!((p->flags & KN_PKT_BAD_CSUM) && ft->cfg->csum_mode == KN_CSUM_ALL))
            kn_stream_packet(&f->tcp, fi, p, dir, ft->cfg->midstream, ft->ctr);
        else
            ft->ctr->c[KN_CTR_TCP_INVALID_CSUM]++;
    } else if ((fi->proto == 1 || fi->proto == 58) && !fi->icmp_seen[dir]) {
        fi->icmp_seen[dir] = 1;
        fi->icmp_type[dir] = p->icmp_type;
        fi->icmp_code[dir] = p->icmp_code;
    }
    if (fi->proto != 6 && fi->state == KN_FLOW_NEW && f->seen[0] && f->seen[1])
        fi->state = KN_FLOW_ESTABLISHED;
    list = flow_class(fi->proto) * 3 + fi->state;
    list_remove(ft, f);
    list_append(ft, f, list);
}
