/* engine.c: the packet path, stage by stage, and the engine's lifetime.
 *
 * kn_engine_packet() decodes a frame, reassembles fragments, and gives every IP layer its flow;
 * a tunnel's inner packet and a reassembled datagram are decoded into further packet slots
 * and go through the same stages, so each is tracked as its own flow. Time only moves with the
 * packets (or kn_engine_tick()), never with the wall clock, which keeps offline replays
 * byte-identical. */
#include "kanshi.h"

#include <stdlib.h>
#include <string.h>

#include "applayer.h"
#include "community_id.h"
#include "decode.h"
#include "defrag.h"
#include "detect.h"
#include "flow.h"
#include "reasm.h"

#define KN_EXPECTATIONS 4096 /* announced connections (FTP data) awaited at once */

/* One slot per layer, and one more per layer for a reassembled datagram. */
#define KN_PKT_SLOTS (2 * (KN_MAX_DEPTH + 1))

struct kn_engine {
    kn_engine_config_t cfg;
    kn_event_cb cb;
    void *user;
    kn_counters_t ctr;
    kn_decoder_t dec;
    kn_flow_table_t *flows;
    kn_defrag_t *defrag;
    kn_cid_t *cid;
    kn_time_t now, last_sweep;
    kn_reasm_pool_t pool;
    kn_detect_ctx_t *det;
    kn_app_env_t app;
    uint32_t rules_gen;
    uint64_t state_memuse;
    kn_packet_t pkts[KN_PKT_SLOTS];
    uint8_t *reasm[KN_MAX_DEPTH + 1]; /* reassembled datagrams, one buffer per depth */
};

static const char *const tunnel_names[KN_TUN_MAX] = {
    "none", "gre", "erspan", "vxlan", "geneve", "teredo", "ipip", "gtpu"};

const char *kn_tunnel_name(int kind)
{
    return kind >= 0 && kind < KN_TUN_MAX ? tunnel_names[kind] : "none";
}

void kn_engine_config_defaults(kn_engine_config_t *cfg)
{
    static const kn_timeouts_t t[KN_FC_MAX] = {
        [KN_FC_DEFAULT] = {30, 300, 0, 10, 100, 0},
        [KN_FC_TCP] = {60, 600, 60, 5, 100, 10},
        [KN_FC_UDP] = {30, 300, 0, 10, 100, 0},
        [KN_FC_ICMP] = {30, 300, 0, 10, 100, 0},
    };

    memset(cfg, 0, sizeof(*cfg));
    memcpy(cfg->timeouts, t, sizeof(t));
    cfg->flow_memcap = 128ULL << 20;
    cfg->flow_hash_size = 65536;
    cfg->flow_prealloc = 10000;
    cfg->emergency_recovery = 30;
    cfg->defrag_memcap = 32ULL << 20;
    cfg->defrag_timeout = 60;
    cfg->defrag_max_frags = 65535;
    cfg->defrag_trackers = 65535;
    cfg->defrag_policy = KN_DEFRAG_BSD;
    cfg->csum_mode = KN_CSUM_NONE;
    cfg->vlan_tracking = 1;
    cfg->community_id = 1;
    cfg->vxlan_port = 4789;
    cfg->geneve_port = 6081;
    cfg->teredo_port = 3544;
    cfg->gtpu_port = 2152;
    cfg->stream_depth = 1u << 20;
    cfg->stream_memcap = 256ULL << 20;
    cfg->stream_policy = KN_TCP_POLICY_BSD;
    cfg->stream_overlap = 1024;
    cfg->detect_state_memcap = 32ULL << 20;
    cfg->app_enabled = 1;
    cfg->app_state_cap = 1u << 20;
    cfg->http_body_limit[0] = 100u << 10; /* Suricata's request/response-body-limit */
    cfg->http_body_limit[1] = 100u << 10;
    cfg->http_decompress_limit = 1u << 20;
}

static void ensure_community_id(kn_engine_t *e, kn_flow_info_t *fi)
{
    uint16_t sp = fi->sp, dp = fi->dp;
    int ports = fi->proto == 6 || fi->proto == 17 || fi->proto == 132;

    if (!e->cfg.community_id || fi->community_id[0])
        return;
    if (fi->proto == 1 || fi->proto == 58) {
        int d = fi->icmp_seen[KN_TOSERVER] ? KN_TOSERVER : KN_TOCLIENT;
        sp = fi->icmp_type[d];
        dp = fi->icmp_code[d];
        ports = 1;
    }
    kn_community_id(e->cid, e->cfg.community_id_seed, fi->ip_v, &fi->src, &fi->dst, fi->proto, sp, dp,
                    ports, fi->community_id);
}

static void emit(kn_engine_t *e, kn_event_t *ev)
{
    e->ctr.c[KN_CTR_EVENTS]++;
    e->cb(ev, e->user);
}

/* Alerts and app-layer events: the flow gets its community_id before the sensor sees it. */
static void on_flow_event(void *user, kn_event_t *ev)
{
    kn_engine_t *e = user;

    if (ev->flow)
        ensure_community_id(e, (kn_flow_info_t *)ev->flow);
    emit(e, ev);
}

static void on_app_detect(void *user, const kn_packet_t *p, void *flow, int dir,
                          const kn_app_parser_t *parser, kn_app_tx_t *tx)
{
    kn_engine_t *e = user;
    kn_packet_t q;

    if (!e->det)
        return;
    if (p && (p->flags & KN_PKT_PSEUDO)) { /* a flow-end packet oriented as the side asked */
        kn_detect_pseudo_packet(&q, flow, dir);
        p = &q;
    }
    kn_detect_tx(e->det, p, flow, dir, parser, tx);
}

/* The new bytes of a direction's reassembly window to the app layer. */
static void app_stream(kn_engine_t *e, kn_flow_t *f, const kn_packet_t *p, int dir,
                       const kn_reasm_t *ra)
{
    const uint8_t *buf;
    uint32_t len;
    uint64_t base, fresh;

    kn_reasm_window(ra, &buf, &len, &base, &fresh);
    if (len)
        kn_app_stream(&e->app, &f->app, &f->info, f, p, dir, buf, len, base);
}

/* What a flow holds beyond its record: detection state and reassembled bytes. */
static void flow_release(void *ctx, kn_flow_t *f)
{
    kn_engine_t *e = ctx;

    e->state_memuse -= kn_detect_flow_free(f);
    kn_app_free(&f->app);
    kn_stream_free(&f->tcp, &e->pool);
}

/* A flow's last stream bytes, direction by direction: the app layer and the rules see what was
 * held behind holes nothing will fill any more; then the app layer reports what is pending. */
static void flow_end_data(kn_engine_t *e, kn_flow_t *f)
{
    kn_stream_view_t sv = {NULL, 1};
    kn_packet_t q;
    int dir;

    for (dir = 0; dir < 2; dir++) {
        kn_reasm_t *ra = f->tcp.ra[dir];
        if (!ra)
            continue;
        kn_detect_pseudo_packet(&q, f, dir);
        sv.ra = ra;
        do {
            if (kn_reasm_fresh(ra)) {
                app_stream(e, f, &q, dir, ra);
                if (e->det)
                    kn_detect_packet(e->det, &q, f, dir, &sv);
                kn_reasm_consumed(&e->pool, ra);
            }
        } while (kn_reasm_skip(&e->pool, ra));
    }
    if (f->app) {
        kn_detect_pseudo_packet(&q, f, KN_TOSERVER);
        kn_app_flow_end(&e->app, &f->app, &f->info, f, &q);
    }
}

static void on_flow_end(void *ctx, kn_flow_t *f)
{
    kn_engine_t *e = ctx;
    kn_event_t ev;

    ensure_community_id(e, &f->info);
    flow_end_data(e, f);
    if (e->det)
        kn_detect_flow_end(e->det, f);
    flow_release(e, f);
    memset(&ev, 0, sizeof(ev));
    ev.type = KN_EV_FLOW;
    ev.ts = e->now > f->info.last ? e->now : f->info.last;
    ev.flow = &f->info;
    emit(e, &ev);
}

static void emit_anomalies(kn_engine_t *e, const kn_packet_t *p, kn_flow_t *f)
{
    kn_event_t ev;
    uint8_t i;

    if (!p->anomaly_n)
        return;
    if (f)
        ensure_community_id(e, &f->info);
    memset(&ev, 0, sizeof(ev));
    ev.type = KN_EV_ANOMALY;
    ev.ts = p->ts;
    ev.pkt = p;
    ev.flow = f ? &f->info : NULL;
    for (i = 0; i < p->anomaly_n; i++) {
        ev.u.anomaly.id = (kn_anomaly_t)p->anomalies[i];
        emit(e, &ev);
    }
}

kn_engine_t *kn_engine_new(const kn_engine_config_t *cfg, kn_event_cb cb, void *user)
{
    kn_engine_t *e = calloc(1, sizeof(*e));
    int i;

    if (!e || !cb)
        goto err;
    e->cfg = *cfg;
    e->cb = cb;
    e->user = user;
    e->dec.cfg = &e->cfg;
    e->dec.ctr = &e->ctr;
    e->flows = kn_flow_table_new(&e->cfg, &e->ctr, on_flow_end, flow_release, e);
    e->pool.memcap = cfg->stream_memcap;
    e->pool.depth = cfg->stream_depth;
    e->pool.overlap = cfg->stream_overlap;
    e->pool.policy = cfg->stream_policy;
    e->pool.ctr = &e->ctr;
    e->app.cfg = &e->cfg;
    e->app.ctr = &e->ctr;
    e->app.emit = on_flow_event;
    e->app.detect = on_app_detect;
    e->app.user = e;
    e->app.expect = kn_expect_new(KN_EXPECTATIONS);
    e->defrag = kn_defrag_new(&e->cfg, &e->ctr);
    e->cid = kn_cid_new();
    if (!e->flows || !e->defrag || !e->app.expect || (cfg->community_id && !e->cid))
        goto err;
    for (i = 0; i <= KN_MAX_DEPTH; i++)
        if (!(e->reasm[i] = malloc(KN_DEFRAG_OUT_MAX)))
            goto err;
    return e;
err:
    kn_engine_free(e);
    return NULL;
}

void kn_engine_free(kn_engine_t *e)
{
    int i;

    if (!e)
        return;
    kn_flow_table_free(e->flows);
    kn_detect_ctx_free(e->det);
    kn_defrag_free(e->defrag);
    kn_expect_free(e->app.expect);
    kn_cid_free(e->cid);
    for (i = 0; i <= KN_MAX_DEPTH; i++)
        free(e->reasm[i]);
    free(e);
}

static void advance_time(kn_engine_t *e, kn_time_t ts)
{
    if (ts <= e->now)
        return;
    e->now = ts;
    if (!e->last_sweep)
        e->last_sweep = ts;
    if (ts - e->last_sweep >= KN_USEC) {
        e->last_sweep = ts;
        kn_flow_expire(e->flows, ts);
        kn_defrag_tick(e->defrag, ts);
    }
}

/* A packet for the next layer down, inheriting what the outer one knows. */
static void child_init(kn_packet_t *c, const kn_packet_t *parent, const uint8_t *data,
                       uint32_t caplen, uint32_t wirelen)
{
    memset(c, 0, sizeof(*c));
    c->ts = parent->ts;
    c->pcap_cnt = parent->pcap_cnt;
    c->linktype = parent->linktype;
    c->iface = parent->iface;
    c->data = data;
    c->caplen = caplen;
    c->wirelen = wirelen;
    c->vlan_n = parent->vlan_n;
    memcpy(c->vlan, parent->vlan, sizeof(c->vlan));
    c->depth = parent->depth;
    c->tunnel = parent->tunnel;
    c->parent = parent->parent;
}

static void process_layer(kn_engine_t *e, kn_packet_t *p, kn_layer_t layer, int slot);

static void reassembled(kn_engine_t *e, const kn_packet_t *frag, uint32_t len, int slot)
{
    kn_packet_t *q;

    if (slot + 1 >= KN_PKT_SLOTS)
        return;
    q = &e->pkts[slot + 1];
    child_init(q, frag, e->reasm[frag->depth], len, len);
    q->flags = KN_PKT_REASSEMBLED;
    q->acct_adj = (int32_t)(frag->l3 - frag->data); /* Suricata keeps the link header */
    process_layer(e, q, frag->ip_v == 4 ? KN_L_IPV4 : KN_L_IPV6, slot + 1);
}

static int too_deep(const kn_packet_t *p, int slot)
{
    return p->depth >= KN_MAX_DEPTH || slot + 1 >= KN_PKT_SLOTS;
}

static void inner_layer(kn_engine_t *e, kn_packet_t *p, int slot)
{
    kn_packet_t *q = &e->pkts[slot + 1];

    child_init(q, p, p->inner, p->inner_len, p->inner_wire);
    q->depth = (uint8_t)(p->depth + 1);
    q->tunnel = p->inner_tunnel;
    q->parent = p;
    q->acct_adj = p->inner_hdr;
    if (q->tunnel == KN_TUN_VXLAN) /* Suricata counts VXLAN's inner packet from its IP header */
        q->flags |= KN_PKT_ACCT_L3;
    if (p->inner_vlan) {
        if (q->vlan_n < KN_MAX_VLAN)
            q->vlan[q->vlan_n++] = p->inner_vlan;
        else
            kn_packet_anomaly(&e->ctr, p, KN_ANOM_ERSPAN_TOO_MANY_VLAN_LAYERS);
    }
    process_layer(e, q, p->inner_layer, slot + 1);
}

/* Whether the packet is counted in a flow of its own: IP, decoded, not a fragment, and not the
 * carrier of a GRE or IP-in-IP tunnel. As in Suricata, a UDP carrier is a UDP flow and so is
 * IPv6 carried in IPv4 (protocol 41). */
static int wants_flow(const kn_packet_t *p)
{
    if (!p->ip_v || (p->flags & (KN_PKT_INVALID | KN_PKT_FRAGMENT)))
        return 0;
    return !p->inner_layer || p->proto == 17 || (p->proto == 41 && p->ip_v == 4);
}

/* The TCP payload into the session's reassembly (whether or not rules read it, so stream
 * anomalies and gaps are the same with or without rules). */
static void stream_step(kn_engine_t *e, kn_flow_t *f, kn_packet_t *p, int dir,
                        kn_stream_view_t *sv)
{
    unsigned fl;

    if (!f || p->proto != 6 || f->info.proto != 6 || (p->flags & KN_PKT_ICMP_ERROR) ||
        ((p->flags & KN_PKT_BAD_CSUM) && e->cfg.csum_mode == KN_CSUM_ALL))
        return;
    fl = kn_stream_data(&f->tcp, &f->info, p, dir, &e->pool);
    sv->ra = f->tcp.ra[dir];
    if (sv->ra && (fl & (KN_RA_NEW_DATA | KN_RA_GAP)))
        app_stream(e, f, p, dir, sv->ra);
    sv->in_stream = p->payload_len && (fl & (KN_RA_NEW_DATA | KN_RA_RETRANSMIT | KN_RA_DEPTH |
                                             KN_RA_HELD | KN_RA_PAST_DEPTH));
}

/* Rules on the packet, then the stream data they have seen is let go. */
static void detect_step(kn_engine_t *e, kn_packet_t *p, kn_flow_t *f, int dir,
                        const kn_stream_view_t *sv)
{
    if (e->det)
        kn_detect_packet(e->det, p, f, dir, sv);
    if (sv && sv->ra && kn_reasm_fresh(sv->ra))
        kn_reasm_consumed(&e->pool, sv->ra);
}

static void process_layer(kn_engine_t *e, kn_packet_t *p, kn_layer_t layer, int slot)
{
    kn_stream_view_t sv = {NULL, 0};
    kn_flow_t *f = NULL;
    int dir = KN_TOSERVER;
    uint32_t len;
    uint8_t app_before;

    kn_decode(&e->dec, p, layer);
    if (p->flags & KN_PKT_INVALID) {
        e->ctr.c[KN_CTR_INVALID]++;
        detect_step(e, p, NULL, dir, NULL);
        emit_anomalies(e, p, NULL);
        return;
    }
    if (p->flags & KN_PKT_FRAGMENT) {
        len = kn_defrag_insert(e->defrag, p, e->reasm[p->depth]);
        detect_step(e, p, NULL, dir, NULL);
        emit_anomalies(e, p, NULL);
        if (len)
            reassembled(e, p, len, slot);
        return;
    }
    if (wants_flow(p)) {
        if ((p->flags & KN_PKT_ACCT_L3) && p->l3)
            p->acct_adj = -(int32_t)(p->l3 - p->data);
        f = kn_flow_get(e->flows, p, &dir);
        if (f)
            kn_flow_update(e->flows, f, p, dir);
        else if (!(p->flags & KN_PKT_ICMP_ERROR))
            e->ctr.c[KN_CTR_FLOW_NO_FLOW_PKTS]++;
        app_before = f ? f->info.app_proto : 0;
        stream_step(e, f, p, dir, &sv);
        if (f && p->proto == 17 && f->info.proto == 17 &&
            kn_app_datagram(&e->app, &f->app, &f->info, f, p, dir)) {
            kn_flow_reverse(f);
            dir = !dir;
            kn_app_datagram(&e->app, &f->app, &f->info, f, p, dir);
        }
        if (f && !app_before && f->info.app_proto)
            p->flags |= KN_PKT_PROTO_DETECTED;
    }
    if (p->inner_layer && too_deep(p, slot)) {
        e->ctr.c[KN_CTR_TOO_MANY_LAYERS]++;
        kn_packet_anomaly(&e->ctr, p, KN_ANOM_TOO_MANY_LAYERS);
        p->inner_layer = KN_L_NONE;
    }
    detect_step(e, p, f, dir, &sv);
    emit_anomalies(e, p, f);
    if (p->inner_layer)
        inner_layer(e, p, slot);
}

int kn_engine_packet(kn_engine_t *e, const kn_pkthdr_t *h, const uint8_t *data)
{
    kn_packet_t *p = &e->pkts[0];

    e->ctr.c[KN_CTR_PKTS]++;
    e->ctr.c[KN_CTR_BYTES] += h->caplen;
    if (h->caplen > e->ctr.c[KN_CTR_MAX_PKT_SIZE])
        e->ctr.c[KN_CTR_MAX_PKT_SIZE] = h->caplen;
    if (h->caplen < h->wirelen)
        e->ctr.c[KN_CTR_SNAPLEN_TRUNCATED]++;
    advance_time(e, h->ts);
    memset(p, 0, sizeof(*p));
    p->ts = h->ts;
    p->pcap_cnt = h->pcap_cnt;
    p->data = data;
    p->caplen = h->caplen;
    p->wirelen = h->wirelen;
    p->linktype = h->linktype;
    p->iface = h->iface;
    process_layer(e, p, KN_L_NONE, 0);
    return (p->flags & KN_PKT_INVALID) ? KN_DECLINED : KN_OK;
}

void kn_engine_tick(kn_engine_t *e, kn_time_t now)
{
    advance_time(e, now);
}

void kn_engine_flush(kn_engine_t *e)
{
    kn_flow_flush(e->flows);
    kn_defrag_flush(e->defrag);
}

const kn_counters_t *kn_engine_counters(kn_engine_t *e)
{
    uint64_t pkts = e->ctr.c[KN_CTR_PKTS];

    e->ctr.c[KN_CTR_AVG_PKT_SIZE] = pkts ? e->ctr.c[KN_CTR_BYTES] / pkts : 0;
    return &e->ctr;
}

kn_time_t kn_engine_now(const kn_engine_t *e)
{
    return e->now;
}

int kn_engine_set_ruleset(kn_engine_t *e, const kn_ruleset_t *rs)
{
    kn_detect_ctx_free(e->det);
    e->det = NULL;
    if (!rs)
        return KN_OK;
    e->det = kn_detect_ctx_new(rs, &e->ctr, on_flow_event, e, ++e->rules_gen, &e->state_memuse);
    if (!e->det)
        return KN_ERR;
    e->det->state_memcap = e->cfg.detect_state_memcap;
    if (rs->uses_buf[KN_BUF_SSH_HASSH] || rs->uses_buf[KN_BUF_SSH_HASSH_SERVER] ||
        rs->uses_buf[KN_BUF_SSH_HASSH_STRING] || rs->uses_buf[KN_BUF_SSH_HASSH_SERVER_STRING])
        e->cfg.ssh_hassh = 1; /* as Suricata: a rule on HASSH turns it on */
    return KN_OK;
}
