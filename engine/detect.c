/* detect.c: the rules on one packet.
 *
 * A packet's candidates come from three places: the prefilter database of its payload class
 * (its fast patterns found in the payload, or in the new part of the stream), the port groups
 * of rules without a pattern, and — once per flow direction — the IP-only rules. Candidates are
 * checked in rule order, each against one source: the packet payload, or the stream window,
 * whose earlier bytes are kept so a match may straddle segments but must end in bytes not
 * inspected before, so each stream position alerts once. */
#include "detect.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define STATE_MEMCAP_DEFAULT (32ULL << 20)

kn_detect_ctx_t *kn_detect_ctx_new(const kn_ruleset_t *rs, kn_counters_t *ctr, kn_alert_fn fn,
                                   void *user, uint32_t gen, uint64_t *state_memuse)
{
    kn_detect_ctx_t *c = calloc(1, sizeof(*c));
    int w;

    if (!c || !rs->detect || !rs->detect->built)
        goto err;
    c->rs = rs;
    c->d = rs->detect;
    c->ctr = ctr;
    c->fn = fn;
    c->user = user;
    c->state_memcap = STATE_MEMCAP_DEFAULT;
    c->gen = gen;
    c->state_memuse = state_memuse;
    if (!(c->scratch = kn_mpm_scratch_new()) || !(c->in.md = pcre2_match_data_create(32, NULL)) ||
        !(c->seen = calloc(rs->nsigs + 1, 1)) || !(c->rate = kn_rate_new(0, ctr)) ||
        !(c->xbits = kn_keytab_new(65536)))
        goto err;
    for (w = 0; w < KN_PF_MAX; w++)
        if (c->d->pf[w].mpm && kn_mpm_scratch_grow(c->scratch, c->d->pf[w].mpm) != 0)
            goto err;
    return c;
err:
    kn_detect_ctx_free(c);
    return NULL;
}

void kn_detect_ctx_free(kn_detect_ctx_t *c)
{
    if (!c)
        return;
    kn_mpm_scratch_free(c->scratch);
    pcre2_match_data_free(c->in.md);
    kn_inspect_free(&c->in);
    free(c->cand.v);
    free(c->seen);
    kn_rate_free(c->rate);
    kn_keytab_free(c->xbits);
    free(c);
}

/* ---- candidates ---------------------------------------------------------------------------- */

static void add_cand(kn_detect_ctx_t *c, uint32_t sig)
{
    if (c->seen[sig])
        return;
    c->seen[sig] = 1;
    if (kn_idlist_add(&c->cand, sig) != 0)
        c->seen[sig] = 0; /* out of memory: the signature is not checked this time */
}

void kn_detect_add_list(kn_detect_ctx_t *c, const kn_idlist_t *l)
{
    uint32_t i;

    for (i = 0; i < l->n; i++)
        add_cand(c, l->v[i]);
}

typedef struct hit_ctx {
    kn_detect_ctx_t *c;
    const kn_pf_t *pf;
} hit_ctx_t;

static int on_hit(uint32_t id, void *ctx)
{
    hit_ctx_t *h = ctx;
    uint32_t i;

    for (i = h->pf->off[id]; i < h->pf->off[id + 1]; i++)
        add_cand(h->c, h->pf->sigs[i]);
    return 0;
}

void kn_detect_scan(kn_detect_ctx_t *c, int which, const uint8_t *buf, uint32_t len)
{
    const kn_pf_t *pf = &c->d->pf[which];
    hit_ctx_t h = {c, pf};

    if (!pf->mpm || !len)
        return;
    if (kn_mpm_scan(pf->mpm, c->scratch, buf, len, on_hit, &h) != 0)
        c->ctr->c[KN_CTR_DETECT_MPM_ERRORS]++;
}

static void port_groups(kn_detect_ctx_t *c, int cls, const kn_packet_t *p)
{
    const kn_portidx_t *px = &c->d->idx[cls];

    kn_detect_add_list(c, &px->any);
    if (!(p->flags & KN_PKT_HAS_L4))
        return;
    if (px->dp && px->dp[p->dport])
        kn_detect_add_list(c, &px->groups[px->dp[p->dport]]);
    if (px->sp && px->sp[p->sport])
        kn_detect_add_list(c, &px->groups[px->sp[p->sport]]);
}

int kn_u32cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- one signature ------------------------------------------------------------------------- */

static int pclass(const kn_packet_t *p)
{
    switch (p->proto) {
    case 6: return (p->flags & KN_PKT_HAS_L4) ? KN_PC_TCP : KN_PC_OTHER;
    case 17: return (p->flags & KN_PKT_HAS_L4) ? KN_PC_UDP : KN_PC_OTHER;
    case 1:
    case 58: return p->ip_v ? KN_PC_ICMP : KN_PC_OTHER;
    default: return KN_PC_OTHER;
    }
}

/* The payload a carrier of a decoded tunnel has is the inner packet: not inspected as data. */
static uint32_t payload_len(const kn_packet_t *p)
{
    return p->inner_layer ? 0 : p->payload_len;
}

/* Which data a signature inspects on this packet, or -1 when it has nothing to look at. */
static int source(const kn_detect_ctx_t *c, const kn_sig_t *s, int in_stream)
{
    const kn_sigx_t *x = &c->d->x[s->idx];
    int fresh = c->stream != NULL, pkt = payload_len(c->p) > 0 && !(c->p->flags & KN_PKT_PSEUDO);

    if (!(s->flags & KN_SIGF_HAS_PAYLOAD))
        return (c->p->flags & KN_PKT_PSEUDO) ? -1 : KN_SRC_NONE;
    if (pclass(c->p) != KN_PC_TCP || x->source_pkt)
        return pkt ? KN_SRC_PACKET : -1;
    if (s->proto == KN_SP_TCP_STREAM || (s->flow & KN_FLOWKW_ONLY_STREAM))
        return fresh ? KN_SRC_STREAM : -1;
    if (in_stream || (c->f && c->f->info.tcp_session && !pkt))
        return fresh ? KN_SRC_STREAM : -1;
    return pkt ? KN_SRC_PACKET : -1;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* The bytes of a header buffer, or 0 when the packet has no such header. */
static int header_buffer(const kn_packet_t *p, int buf, const uint8_t **b, uint32_t *len)
{
    int l4 = p->l4 && (p->flags & KN_PKT_HAS_L4);

    *b = NULL;
    if (buf == KN_BUF_IPV4_HDR && p->ip_v == 4 && p->l3) {
        *b = p->l3;
        *len = min_u32(p->l3_hlen, p->l3_len);
    } else if (buf == KN_BUF_IPV6_HDR && p->ip_v == 6 && p->l3) {
        *b = p->l3;
        *len = min_u32(40, p->l3_len);
    } else if (buf == KN_BUF_TCP_HDR && p->proto == 6 && l4) {
        *b = p->l4;
        *len = min_u32(p->tcp_hlen, p->l4_len);
    } else if (buf == KN_BUF_UDP_HDR && p->proto == 17 && l4) {
        *b = p->l4;
        *len = min_u32(8, p->l4_len);
    } else if ((buf == KN_BUF_ICMPV4_HDR && p->proto == 1 && p->l4) ||
               (buf == KN_BUF_ICMPV6_HDR && p->proto == 58 && p->l4)) {
        *b = p->l4;
        *len = min_u32(8, p->l4_len);
    }
    return *b != NULL;
}

/* Points c->in at the buffer of list l (instance idx of a multi buffer); 0 when absent. */
static int set_buffer(kn_detect_ctx_t *c, const kn_smlist_t *l, int src, uint32_t idx)
{
    const uint8_t *b = NULL;
    uint32_t len = 0;

    c->in.origin = 0;
    c->in.stream = 0;
    if (l->buf == KN_BUF_PAYLOAD && src == KN_SRC_STREAM) {
        b = c->stream;
        len = c->stream_len;
        c->in.origin = (uint32_t)(c->stream_fresh - c->stream_base);
        c->in.stream = 1;
    } else if (l->buf == KN_BUF_PAYLOAD) {
        b = c->p->payload;
        len = payload_len(c->p);
    } else if (l->buf == KN_BUF_BASE64_DATA) {
        b = c->in.b64;
        len = c->in.b64_len;
    } else if (c->tx && c->tx_parser->buffer &&
               c->tx_parser->buffer(c->tx, l->buf, c->dir, idx, &b, &len)) {
        c->in.origin = 0; /* the transaction's buffer, whole */
    } else if (!header_buffer(c->p, l->buf, &b, &len)) {
        return 0; /* an app-layer buffer the transaction (if any) does not have */
    }
    if (!b)
        b = (const uint8_t *)"", len = 0;
    c->in.buf = kn_match_transform(&c->in, l, b, &len);
    c->in.len = len;
    return c->in.buf != NULL;
}

/* One list against its buffer; a multi buffer matches when one of its instances does. */
static int list_match(kn_detect_ctx_t *c, const kn_smlist_t *l, int src)
{
    uint32_t idx = 0;
    int multi = c->tx && kn_buffer_multi((kn_buf_t)l->buf);

    do {
        if (!set_buffer(c, l, src, idx))
            return 0;
        c->in.budget = 0;
        if (kn_match_list(&c->in, l))
            return 1;
        if (!c->in.budget)
            c->ctr->c[KN_CTR_DETECT_BUDGET]++;
    } while (multi && ++idx < KN_MULTI_MAX);
    return 0;
}

int kn_detect_lists_match(kn_detect_ctx_t *c, const kn_sig_t *s, int src)
{
    uint8_t i;

    memset(c->in.vars, 0, sizeof(c->in.vars));
    c->in.b64_len = 0;
    for (i = 0; i < s->nlists; i++)
        if (!s->lists[i].n || !list_match(c, &s->lists[i], src))
            return 0;
    return 1;
}

/* ---- alerts -------------------------------------------------------------------------------- */

static int suppressed(const kn_detect_ctx_t *c, const kn_sigx_t *x)
{
    uint16_t i;

    for (i = 0; i < x->nsupp; i++)
        if (kn_suppress_match(&c->rs->supp[x->supp[i]], &c->p->src, &c->p->dst, c->p->ip_v))
            return 1;
    return 0;
}

static int rate_ok(kn_detect_ctx_t *c, const kn_sig_t *s, const kn_threshold_t *th)
{
    kn_ktval_t *fs = NULL;

    if (th->track == KN_TRACK_FLOW && c->f)
        fs = kn_flow_rate(c, c->f, s->idx << 1 | (th->type == KN_THR_DF));
    return kn_rate_check(c->rate, th, s->gid, s->sid, &c->p->src, &c->p->dst, fs, c->p->ts);
}

static void emit_alert(kn_detect_ctx_t *c, const kn_sig_t *s, int src)
{
    const kn_classtype_t *ct = s->classtype >= 0 ? &c->rs->classes[s->classtype] : NULL;
    kn_event_t ev;
    kn_alert_info_t *a = &ev.u.alert;

    memset(&ev, 0, sizeof(ev));
    ev.type = KN_EV_ALERT;
    ev.ts = c->p->ts;
    ev.pkt = c->p;
    ev.flow = c->f ? &c->f->info : NULL;
    a->sid = s->sid;
    a->gid = s->gid;
    a->rev = s->rev;
    a->action = s->action;
    a->severity = s->priority;
    a->target = (s->flags & KN_SIGF_TARGET_SRC) ? 1 : (s->flags & KN_SIGF_TARGET_DST) ? 2 : 0;
    a->to_server = c->dir == KN_TOSERVER;
    a->stream = src == KN_SRC_STREAM;
    a->msg = s->msg;
    a->category = ct && ct->desc ? ct->desc : "";
    a->metadata = (const char *const *)s->metadata;
    a->nmetadata = s->nmetadata;
    a->payload = src == KN_SRC_STREAM ? c->stream : c->p->payload;
    a->payload_len = src == KN_SRC_STREAM ? c->stream_len : payload_len(c->p);
    if (c->tx) {
        a->has_tx = 1;
        a->app = c->tx_parser->app;
        a->tx_id = c->tx->id;
        a->app_info = c->tx_parser->info(c->tx);
    }
    if (c->f)
        c->f->info.alerted = 1;
    c->ctr->c[KN_CTR_DETECT_ALERT]++;
    c->fn(c->user, &ev);
}

/* After a full match: the rule's side effects, then whether (and how) it alerts. */
void kn_detect_matched(kn_detect_ctx_t *c, const kn_sig_t *s, int src)
{
    const kn_sigx_t *x = &c->d->x[s->idx];

    if (s->nbits)
        kn_bits_apply(c, s, c->p, c->f);
    if (s->nints && c->f)
        kn_ints_apply(c, s, c->f);
    if (s->action == KN_ACT_PASS) {
        c->pass = 1;
        return;
    }
    if (s->flags & KN_SIGF_NOALERT)
        return;
    if (s->has_df && !rate_ok(c, s, &s->detection_filter))
        return;
    if (x->th && !rate_ok(c, s, x->th))
        return;
    if (x->nsupp && suppressed(c, x)) {
        c->ctr->c[KN_CTR_DETECT_SUPPRESSED]++;
        return;
    }
    emit_alert(c, s, src);
}

static void check_sig(kn_detect_ctx_t *c, const kn_sig_t *s, int in_stream)
{
    int src;

    if (c->pass || !kn_sig_packet_match(s, c->p, c->f, c->dir))
        return;
    if (s->napp)
        return; /* app-layer conditions: answered by the app layer once it parses the flow */
    if ((src = source(c, s, in_stream)) < 0)
        return;
    if (s->nbits && !kn_bits_check(c, s, c->p, c->f))
        return;
    if (s->nints && !kn_ints_check(c, s, c->f))
        return;
    if (s->nlists && !kn_detect_lists_match(c, s, src))
        return;
    kn_detect_matched(c, s, src);
}

/* ---- the packet ------------------------------------------------------------------------------ */

static void add_ids(kn_detect_ctx_t *c, const uint32_t *v, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        add_cand(c, v[i]);
}

/* IP-only rules: once per flow direction (every time for a packet without a flow). */
static void iponly(kn_detect_ctx_t *c)
{
    const kn_packet_t *p = c->p;
    const uint32_t *v;
    uint32_t n;

    if (c->f) {
        if (c->f->iponly_done & (1u << c->dir))
            return;
        c->f->iponly_done |= (uint8_t)(1u << c->dir);
    }
    kn_detect_add_list(c, &c->d->ipo_any);
    if (!p->ip_v)
        return;
    v = kn_ipidx_lookup(c->d->ipo[0], p->ip_v, &p->src, &n);
    add_ids(c, v, n);
    v = kn_ipidx_lookup(c->d->ipo[1], p->ip_v, &p->dst, &n);
    add_ids(c, v, n);
}

/* Points the context at the window's data, or at nothing when all of it was inspected. */
static void set_stream(kn_detect_ctx_t *c, kn_reasm_t *ra)
{
    c->stream = NULL;
    c->stream_len = 0;
    if (!ra || !kn_reasm_fresh(ra))
        return;
    kn_reasm_window(ra, &c->stream, &c->stream_len, &c->stream_base, &c->stream_fresh);
    if (!c->stream_len)
        c->stream = NULL;
}

/* The prefilter scans of this packet: its payload, and the new bytes of its stream (plus the
 * longest pattern's length of older ones, so a pattern split by a segment edge is found). */
static void prefilter(kn_detect_ctx_t *c, int cls, int in_stream)
{
    const kn_packet_t *p = c->p;
    uint32_t plen = payload_len(p);

    if (plen && !(p->flags & KN_PKT_PSEUDO))
        kn_detect_scan(c, cls == KN_PC_TCP && in_stream ? KN_PC_TCP_PKT : cls, p->payload, plen);
    if (c->stream) {
        uint64_t from = c->stream_fresh, back = c->d->pf[KN_PC_TCP].maxlen;

        back = back ? back - 1 : 0; /* a pattern ending in new bytes starts this far back */
        from = from > c->stream_base + back ? from - back : c->stream_base;
        kn_detect_scan(c, KN_PC_TCP, c->stream + (from - c->stream_base),
             c->stream_len - (uint32_t)(from - c->stream_base));
    }
}

void kn_detect_packet(kn_detect_ctx_t *c, const kn_packet_t *p, kn_flow_t *f, int dir,
                      const kn_stream_view_t *sv)
{
    int cls = pclass(p), in_stream = sv && sv->in_stream;
    uint32_t i;

    c->p = p;
    c->f = f;
    c->dir = dir;
    c->pass = 0;
    set_stream(c, sv ? sv->ra : NULL);
    if (!(p->flags & KN_PKT_PSEUDO))
        iponly(c);
    port_groups(c, cls, p); /* on a pseudo packet only those with payload items run */
    prefilter(c, cls, in_stream);
    if (c->cand.n > 1)
        qsort(c->cand.v, c->cand.n, sizeof(*c->cand.v), kn_u32cmp);
    c->ctr->c[KN_CTR_DETECT_CANDIDATES] += c->cand.n;
    for (i = 0; i < c->cand.n; i++) {
        c->seen[c->cand.v[i]] = 0;
        check_sig(c, c->rs->sigs[c->cand.v[i]], in_stream);
    }
    c->cand.n = 0;
}

void kn_detect_pseudo_packet(kn_packet_t *q, const kn_flow_t *f, int dir)
{
    const kn_flow_info_t *fi = &f->info;

    memset(q, 0, sizeof(*q));
    q->ts = fi->last;
    q->flags = KN_PKT_PSEUDO | KN_PKT_HAS_L4;
    q->ip_v = fi->ip_v;
    q->proto = fi->proto;
    q->src = dir == KN_TOSERVER ? fi->src : fi->dst;
    q->dst = dir == KN_TOSERVER ? fi->dst : fi->src;
    q->sport = dir == KN_TOSERVER ? fi->sp : fi->dp;
    q->dport = dir == KN_TOSERVER ? fi->dp : fi->sp;
    q->vlan_n = fi->vlan_n;
    memcpy(q->vlan, fi->vlan, sizeof(q->vlan));
    q->iface = fi->iface;
}

void kn_detect_flow_end(kn_detect_ctx_t *c, kn_flow_t *f)
{
    kn_fdet_release(c, f);
}
