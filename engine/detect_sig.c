/* detect_sig.c: the conditions of a signature that the packet alone answers — protocol,
 * addresses and ports (both ways for `<>`), flow keyword, application protocol, header
 * keywords, TCP flags, fragment bits, IP options, events and sameip. Cheap tests come first;
 * every test reads only fields the decoder bounded. */
#include "detect.h"

#include <string.h>

#include "addrset.h"

static int proto_ok(const kn_sig_t *s, const kn_packet_t *p)
{
    switch (s->proto) {
    case KN_SP_PKTHDR: return 1;
    case KN_SP_IP: return p->ip_v != 0;
    case KN_SP_IPV4: return p->ip_v == 4;
    case KN_SP_IPV6: return p->ip_v == 6;
    case KN_SP_TCP:
    case KN_SP_TCP_PKT:
    case KN_SP_TCP_STREAM: return p->proto == 6 && (p->flags & KN_PKT_HAS_L4);
    case KN_SP_UDP: return p->proto == 17 && (p->flags & KN_PKT_HAS_L4);
    case KN_SP_ICMP: return p->proto == 1 || p->proto == 58;
    case KN_SP_ICMPV4: return p->proto == 1;
    case KN_SP_ICMPV6: return p->proto == 58;
    case KN_SP_SCTP: return p->proto == 132;
    default: return 0;
    }
}

static int has_ports(const kn_packet_t *p)
{
    return (p->flags & KN_PKT_HAS_L4) && (p->proto == 6 || p->proto == 17 || p->proto == 132);
}

/* src/sp -> dst/dp in the rule's orientation. */
static int tuple_ok(const kn_sig_t *s, const kn_packet_t *p, int swap)
{
    const kn_addr_t *src = swap ? &p->dst : &p->src, *dst = swap ? &p->src : &p->dst;
    uint16_t sp = swap ? p->dport : p->sport, dp = swap ? p->sport : p->dport;

    if (has_ports(p) && (!kn_portset_has(&s->sp, sp) || !kn_portset_has(&s->dp, dp)))
        return 0;
    return kn_ipset_has(&s->src, p->ip_v, src) && kn_ipset_has(&s->dst, p->ip_v, dst);
}

static int addr_ok(const kn_sig_t *s, const kn_packet_t *p)
{
    if (!p->ip_v)
        return s->src.any && s->dst.any;
    return tuple_ok(s, p, 0) || ((s->flags & KN_SIGF_BIDIR) && tuple_ok(s, p, 1));
}

static int established(const kn_flow_t *f)
{
    if (f->info.proto == 6)
        return f->info.tcp_session && f->info.tcp_state >= KN_TCP_ESTABLISHED;
    return f->info.state == KN_FLOW_ESTABLISHED;
}

static int flow_ok(const kn_sig_t *s, const kn_packet_t *p, const kn_flow_t *f, int dir)
{
    uint16_t k = s->flow;

    if ((k & KN_FLOWKW_ONLY_FRAG) && !(p->flags & KN_PKT_REASSEMBLED))
        return 0;
    if ((k & KN_FLOWKW_NO_FRAG) && (p->flags & KN_PKT_REASSEMBLED))
        return 0;
    if (!(k & (KN_FLOWKW_TO_SERVER | KN_FLOWKW_TO_CLIENT | KN_FLOWKW_ESTABLISHED |
               KN_FLOWKW_NOT_ESTABLISHED)))
        return 1;
    if (!f)
        return 0;
    if ((k & KN_FLOWKW_TO_SERVER) && dir != KN_TOSERVER)
        return 0;
    if ((k & KN_FLOWKW_TO_CLIENT) && dir != KN_TOCLIENT)
        return 0;
    if ((k & KN_FLOWKW_ESTABLISHED) && !established(f))
        return 0;
    return !((k & KN_FLOWKW_NOT_ESTABLISHED) && established(f));
}

static int app_ok(const kn_sig_t *s, const kn_flow_t *f)
{
    uint8_t app = f ? f->info.app_proto : 0;

    if (!app || app == KN_APP_FAILED)
        return 0; /* not known (yet): neither a match nor a mismatch */
    return app == (uint8_t)s->app;
}

/* app-layer-protocol conditions, checked on packets as Suricata does: nothing holds while the
 * protocol is unknown; "failed" is a protocol like the others (so !http holds on it). */
static int alp_ok(const kn_sig_t *s, const kn_flow_t *f)
{
    uint8_t app = f ? f->info.app_proto : 0, i;

    if (!app)
        return 0;
    for (i = 0; i < s->nalp; i++)
        if ((app == s->alp[i]) == ((s->alp_neg >> i) & 1))
            return 0;
    return 1;
}

static int ip_tos(const kn_packet_t *p, uint64_t *v)
{
    if (!p->l3 || p->l3_hlen < 2)
        return 0;
    *v = p->ip_v == 4 ? p->l3[1] : (uint64_t)((p->l3[0] & 0x0f) << 4 | p->l3[1] >> 4);
    return 1;
}

/* Bytes a TCP direction has carried (sequence space), for stream_size. */
static uint64_t stream_bytes(const kn_flow_t *f, int side)
{
    const kn_stream_dir_t *d = &f->tcp.d[side];
    return d->next_seq ? (uint32_t)(d->next_seq - d->isn) : 0;
}

static int stream_size_ok(const kn_hdrtest_t *h, const kn_flow_t *f)
{
    int srv, cli;

    if (!f || !f->info.tcp_session)
        return 0;
    srv = kn_num_match(&h->num, stream_bytes(f, KN_TOCLIENT));
    cli = kn_num_match(&h->num, stream_bytes(f, KN_TOSERVER));
    switch (h->side) {
    case 0: return srv;
    case 1: return cli;
    case 2: return srv && cli;
    default: return srv || cli;
    }
}

/* The value a header keyword reads, or 0 when the packet has no such field. */
static int hdr_value(const kn_hdrtest_t *h, const kn_packet_t *p, uint64_t *v)
{
    int tcp = p->proto == 6 && (p->flags & KN_PKT_HAS_L4), icmp = p->proto == 1 || p->proto == 58;

    switch (h->kw) {
    case KN_HK_TTL: *v = p->ttl; return p->ip_v != 0;
    case KN_HK_TOS: return ip_tos(p, v);
    case KN_HK_IPID: *v = p->ip_id; return p->ip_v == 4;
    case KN_HK_IP_PROTO: *v = p->proto; return p->ip_v != 0;
    case KN_HK_FRAGOFFSET: *v = p->frag_off / 8u; return p->ip_v != 0;
    case KN_HK_TCP_SEQ: *v = p->tcp_seq; return tcp;
    case KN_HK_TCP_ACK: *v = p->tcp_ack; return tcp;
    case KN_HK_TCP_WINDOW: *v = p->tcp_win; return tcp;
    case KN_HK_ITYPE: *v = p->icmp_type; return icmp;
    case KN_HK_ICODE: *v = p->icmp_code; return icmp;
    case KN_HK_ICMP_ID: *v = p->icmp_id; return icmp;
    case KN_HK_ICMP_SEQ: *v = p->icmp_seq; return icmp;
    case KN_HK_DSIZE: *v = p->payload_len; return 1;
    default: return 0;
    }
}

static int hdr_ok(const kn_sig_t *s, const kn_packet_t *p, const kn_flow_t *f)
{
    uint8_t i;

    for (i = 0; i < s->nhdr; i++) {
        const kn_hdrtest_t *h = &s->hdr[i];
        uint64_t v;
        int ok;
        if (h->kw == KN_HK_STREAM_SIZE)
            ok = stream_size_ok(h, f);
        else
            ok = hdr_value(h, p, &v) && kn_num_match(&h->num, v);
        if (h->neg ? ok : !ok)
            return 0;
    }
    return 1;
}

/* flags, fragbits: '=' exactly, '+' at least, '*' any of, '!' not all of. */
static int bits_mode_ok(uint8_t mode, uint8_t have, uint8_t want)
{
    switch (mode) {
    case '+': return (have & want) == want;
    case '*': return (have & want) != 0;
    case '!': return (have & want) != want;
    default: return have == want;
    }
}

static int tcp_flags_ok(const kn_sig_t *s, const kn_packet_t *p)
{
    if (p->proto != 6 || !(p->flags & KN_PKT_HAS_L4))
        return 0;
    return bits_mode_ok(s->tcp_flags_mode, p->tcp_flags & s->tcp_flags_mask, s->tcp_flags);
}

static int fragbits_ok(const kn_sig_t *s, const kn_packet_t *p)
{
    if (p->ip_v != 4 || !p->l3 || p->l3_hlen < 8)
        return 0;
    return bits_mode_ok(s->fragbits_mode, p->l3[6] & 0xe0, s->fragbits_set);
}

static int events_ok(const kn_sig_t *s, const kn_packet_t *p)
{
    uint8_t i, k;

    for (i = 0; i < s->nevents; i++) {
        for (k = 0; k < p->anomaly_n && p->anomalies[k] != s->events[i]; k++)
            ;
        if (k == p->anomaly_n)
            return 0;
    }
    return 1;
}

static int misc_ok(const kn_sig_t *s, const kn_packet_t *p)
{
    if (s->tcp_flags_mode && !tcp_flags_ok(s, p))
        return 0;
    if (s->fragbits_set && !fragbits_ok(s, p))
        return 0;
    if (s->ipopts_any && !p->ipopts)
        return 0;
    if (s->ipopts_mask && !(p->ipopts & s->ipopts_mask))
        return 0;
    if ((s->flags & KN_SIGF_SAMEIP) && (!p->ip_v || memcmp(&p->src, &p->dst, 16) != 0))
        return 0;
    if ((s->flags & KN_SIGF_NOT_SAMEIP) && p->ip_v && memcmp(&p->src, &p->dst, 16) == 0)
        return 0;
    return !s->nevents || events_ok(s, p);
}

int kn_sig_packet_match(const kn_sig_t *s, const kn_packet_t *p, const kn_flow_t *f, int dir)
{
    if (!proto_ok(s, p) || !addr_ok(s, p))
        return 0;
    if (s->flow && !flow_ok(s, p, f, dir))
        return 0;
    if (s->app >= 0 && !app_ok(s, f))
        return 0;
    if (s->nalp && !alp_ok(s, f))
        return 0;
    if ((s->flags & KN_SIGF_PDONLY) && !(p->flags & KN_PKT_PROTO_DETECTED))
        return 0;
    if (s->nhdr && !hdr_ok(s, p, f))
        return 0;
    return misc_ok(s, p);
}
