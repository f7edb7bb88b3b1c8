/* decode_tunnel.c: encapsulations whose payload is another packet: GRE (RFC 2784, RFC 2890)
 * and enhanced GRE for PPTP (RFC 2637 4.1), ERSPAN types I/II/III, VXLAN (RFC 7348), Geneve
 * (RFC 8926), Teredo (RFC 4380), GTP-U (3GPP TS 29.281) and IP-in-IP (RFC 2003, RFC 4213,
 * RFC 2473).
 *
 * A tunnel decoder only validates its own header and points the packet at the inner bytes;
 * the engine decodes those as a new layer with its own flow, so an inner flow never merges
 * with the outer one and each keeps its counters. */
#include "decode.h"

#include "cursor.h"

#define GRE_HLEN 4
#define ERSPAN2_HLEN 8
#define ERSPAN3_HLEN 12
#define VXLAN_HLEN 8
#define GENEVE_HLEN 8
#define GTP_HLEN 8

enum {
    GRE_C = 0x80,
    GRE_R = 0x40,
    GRE_K = 0x20,
    GRE_S = 0x10,
    GRE_SSR = 0x08,
    GRE1_A = 0x80, /* second byte, version 1: acknowledgment present */
};

enum {
    GREP_IPV4 = 0x0800,
    GREP_IPV6 = 0x86dd,
    GREP_TEB = 0x6558,
    GREP_ERSPAN2 = 0x88be,
    GREP_ERSPAN3 = 0x22eb,
    GREP_PPP = 0x880b,
    GREP_MPLS = 0x8847,
};

/* A bad header inside a UDP datagram: the datagram itself is fine and stays in its flow. */
static int tunnel_bad(kn_decoder_t *d, kn_packet_t *p, kn_anomaly_t a)
{
    kn_decode_anomaly(d, p, a);
    return KN_OK;
}

static kn_layer_t ip_layer(kn_span_t s)
{
    if (s.len < 1)
        return KN_L_NONE;
    switch (s.b[0] >> 4) {
    case 4:
        return KN_L_IPV4;
    case 6:
        return KN_L_IPV6;
    default:
        return KN_L_NONE;
    }
}

/* ERSPAN II (draft-foschiano-erspan 4.1) and III (4.2): version, VLAN and session headers in
 * front of a full Ethernet frame. The mirrored frame's VLAN, when the header carries one, is
 * added to the inner packet's tags so flows stay apart per VLAN as on the mirrored port. */
static int decode_erspan(kn_decoder_t *d, kn_packet_t *p, kn_span_t s, int type3)
{
    uint32_t hlen = type3 ? ERSPAN3_HLEN : ERSPAN2_HLEN;
    uint8_t ver;

    kn_ctr_inc(d, KN_CTR_ERSPAN);
    if (s.len < hlen)
        return kn_decode_fail(d, p, KN_ANOM_ERSPAN_HEADER_TOO_SMALL);
    ver = s.b[0] >> 4;
    if (ver != (type3 ? 2 : 1))
        return kn_decode_fail(d, p, KN_ANOM_ERSPAN_UNSUPPORTED_VERSION);
    if (type3 && (s.b[11] & 0x01)) /* O bit: an 8-byte platform subheader follows */
        hlen += 8;
    if (s.len < hlen)
        return kn_decode_fail(d, p, KN_ANOM_ERSPAN_HEADER_TOO_SMALL);
    p->inner_vlan = kn_rd_be16(s.b) & 0x0fff;
    p->inner_hdr = (uint16_t)hlen; /* Suricata counts the ERSPAN header with the inner frame */
    return kn_decode_set_inner(p, KN_L_ETHERNET, kn_span_skip(s, hlen), KN_TUN_ERSPAN);
}

static int gre_payload(kn_decoder_t *d, kn_packet_t *p, uint16_t proto, kn_span_t s, int seq)
{
    switch (proto) {
    case GREP_IPV4:
        return kn_decode_set_inner(p, KN_L_IPV4, s, KN_TUN_GRE);
    case GREP_IPV6:
        return kn_decode_set_inner(p, KN_L_IPV6, s, KN_TUN_GRE);
    case GREP_TEB:
        return kn_decode_set_inner(p, KN_L_ETHERNET, s, KN_TUN_GRE);
    case GREP_PPP:
        return kn_decode_set_inner(p, KN_L_PPP, s, KN_TUN_GRE);
    case GREP_ERSPAN2:
        if (!seq) { /* type I has no sequence number and no header of its own */
            kn_ctr_inc(d, KN_CTR_ERSPAN);
            return kn_decode_set_inner(p, KN_L_ETHERNET, s, KN_TUN_ERSPAN);
        }
        return decode_erspan(d, p, s, 0);
    case GREP_ERSPAN3:
        return decode_erspan(d, p, s, 1);
    default:
        return KN_OK; /* keepalives, WCCP, NVGRE to be added: the outer packet stays counted */
    }
}

static int gre_v0(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint8_t f = s.b[0];
    uint32_t hlen = GRE_HLEN;

    if (f & 0x07)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION0_RECUR);
    if (s.b[1] & 0xf8)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION0_FLAGS);
    if (f & (GRE_C | GRE_R))
        hlen += 4;
    if (f & GRE_K)
        hlen += 4;
    if (f & GRE_S)
        hlen += 4;
    if (s.len < hlen)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION0_HDR_TOO_BIG);
    if (f & GRE_R) { /* source route entries (RFC 1701 2.2.1), ended by a NULL entry */
        for (;;) {
            uint8_t sre_len;

            if (s.len - hlen < 4)
                return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION0_MALFORMED_SRE_HDR);
            sre_len = s.b[hlen + 3];
            hlen += 4u + sre_len;
            if (sre_len == 0)
                break;
            if (hlen > s.len)
                return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION0_MALFORMED_SRE_HDR);
        }
    }
    return gre_payload(d, p, kn_rd_be16(s.b + 2), kn_span_skip(s, hlen), (f & GRE_S) != 0);
}

/* Enhanced GRE (RFC 2637 4.1): key present, no checksum or routing, PPP inside. */
static int gre_v1(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint8_t f = s.b[0];
    uint32_t hlen = 8;

    if (f & GRE_C)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION1_CHKSUM);
    if (f & GRE_R)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION1_ROUTE);
    if (f & GRE_SSR)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION1_SSR);
    if (f & 0x07)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION1_RECUR);
    if (s.b[1] & 0x78)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION1_FLAGS);
    if (!(f & GRE_K))
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION1_NO_KEY);
    if (kn_rd_be16(s.b + 2) != GREP_PPP)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION1_WRONG_PROTOCOL);
    if (f & GRE_S)
        hlen += 4;
    if (s.b[1] & GRE1_A)
        hlen += 4;
    if (s.len < hlen)
        return kn_decode_fail(d, p, KN_ANOM_GRE_VERSION1_HDR_TOO_BIG);
    if (s.len == hlen) /* an acknowledgment with no payload */
        return KN_OK;
    return kn_decode_set_inner(p, KN_L_PPP, kn_span_skip(s, hlen), KN_TUN_GRE);
}

int kn_decode_gre(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    kn_ctr_inc(d, KN_CTR_GRE);
    if (s.len < GRE_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_GRE_PKT_TOO_SMALL);
    switch (s.b[1] & 0x07) {
    case 0:
        return gre_v0(d, p, s);
    case 1:
        return gre_v1(d, p, s);
    default:
        return kn_decode_fail(d, p, KN_ANOM_GRE_WRONG_VERSION);
    }
}

int kn_decode_ipip(kn_decoder_t *d, kn_packet_t *p, uint8_t proto, kn_span_t s)
{
    int inner_v6 = proto == 41;
    kn_anomaly_t small = KN_ANOM_NONE, wrong = KN_ANOM_NONE;
    static const kn_counter_id_t ctr[2][2] = {
        {KN_CTR_IPV4_IN_IPV4, KN_CTR_IPV6_IN_IPV4}, {KN_CTR_IPV4_IN_IPV6, KN_CTR_IPV6_IN_IPV6}};

    kn_ctr_inc(d, ctr[p->ip_v == 6][inner_v6]);
    if (p->ip_v == 6) {
        small = inner_v6 ? KN_ANOM_IPV6_IPV6_IN_IPV6_TOO_SMALL : KN_ANOM_IPV6_IPV4_IN_IPV6_TOO_SMALL;
        wrong = inner_v6 ? KN_ANOM_IPV6_IPV6_IN_IPV6_WRONG_VERSION
                         : KN_ANOM_IPV6_IPV4_IN_IPV6_WRONG_VERSION;
    } else {
        small = inner_v6 ? KN_ANOM_IPV6_PKT_TOO_SMALL : KN_ANOM_IPV4_PKT_TOO_SMALL;
        wrong = inner_v6 ? KN_ANOM_IPV6_WRONG_IP_VERSION : KN_ANOM_IPV4_WRONG_IP_VERSION;
    }
    /* a bad inner header leaves a valid outer packet (a flow of its own, as in Suricata) */
    if (s.len < (inner_v6 ? 40u : 20u))
        return tunnel_bad(d, p, small);
    if ((s.b[0] >> 4) != (inner_v6 ? 6 : 4))
        return tunnel_bad(d, p, wrong);
    return kn_decode_set_inner(p, inner_v6 ? KN_L_IPV6 : KN_L_IPV4, s, KN_TUN_IPIP);
}

/* VXLAN (RFC 7348 5): the I flag must be set; the inner frame is Ethernet. */
static int try_vxlan(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    if (s.len < VXLAN_HLEN + 14 || !(s.b[0] & 0x08))
        return KN_DECLINED;
    kn_ctr_inc(d, KN_CTR_VXLAN);
    return kn_decode_set_inner(p, KN_L_ETHERNET, kn_span_skip(s, VXLAN_HLEN), KN_TUN_VXLAN);
}

/* Geneve (RFC 8926 3.4): version 0, options of 4-byte words, a protocol type. */
static int try_geneve(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint32_t hlen;
    uint16_t proto;

    if (s.len < GENEVE_HLEN || (s.b[0] >> 6) != 0)
        return KN_DECLINED;
    kn_ctr_inc(d, KN_CTR_GENEVE);
    hlen = GENEVE_HLEN + (uint32_t)(s.b[0] & 0x3f) * 4;
    if (s.len < hlen)
        return tunnel_bad(d, p, KN_ANOM_GENEVE_HEADER_TOO_SMALL);
    proto = kn_rd_be16(s.b + 2);
    s = kn_span_skip(s, hlen);
    switch (proto) {
    case GREP_TEB:
        return kn_decode_set_inner(p, KN_L_ETHERNET, s, KN_TUN_GENEVE);
    case GREP_IPV4:
        return kn_decode_set_inner(p, KN_L_IPV4, s, KN_TUN_GENEVE);
    case GREP_IPV6:
        return kn_decode_set_inner(p, KN_L_IPV6, s, KN_TUN_GENEVE);
    default:
        kn_decode_anomaly(d, p, KN_ANOM_GENEVE_UNKNOWN_PAYLOAD_TYPE);
        return KN_OK;
    }
}

/* Teredo (RFC 4380 5.1.1): optional authentication and origin indication headers, then an
 * IPv6 packet whose length must fill the datagram exactly, which is what tells Teredo from
 * other traffic on the port. */
static int try_teredo(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    kn_cursor_t c;

    kn_cur_init(&c, s.b, s.len);
    if (s.len >= 4 && s.b[0] == 0x00 && s.b[1] == 0x01) { /* authentication */
        uint8_t idlen = s.b[2], aulen = s.b[3];
        kn_cur_skip(&c, 4u + idlen + aulen + 8 + 1);
    }
    if (kn_cur_left(&c) >= 8 && kn_cur_ptr(&c)[0] == 0x00 && kn_cur_ptr(&c)[1] == 0x00)
        kn_cur_skip(&c, 8); /* origin indication */
    if (c.err || kn_cur_left(&c) < 40)
        return KN_DECLINED;
    s = kn_span_skip(s, (uint32_t)c.off);
    if ((s.b[0] >> 4) != 6 || 40u + kn_rd_be16(s.b + 4) != s.wire)
        return KN_DECLINED;
    kn_ctr_inc(d, KN_CTR_TEREDO);
    return kn_decode_set_inner(p, KN_L_IPV6, s, KN_TUN_TEREDO);
}

/* GTP-U version 1 (3GPP TS 29.281 5.1): a G-PDU (type 255) carries the user's IP packet after
 * the optional sequence/N-PDU/extension fields and a chain of extension headers. */
static int try_gtpu(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint32_t hlen = GTP_HLEN;
    uint8_t f, next;
    kn_layer_t layer;

    if (s.len < GTP_HLEN)
        return KN_DECLINED;
    f = s.b[0];
    if ((f >> 5) != 1 || !(f & 0x10))
        return KN_DECLINED;
    kn_ctr_inc(d, KN_CTR_GTPU);
    if (s.b[1] != 0xff) /* echo, error indication, end marker: signalling, no user packet */
        return KN_OK;
    if (f & 0x07) {
        if (s.len < hlen + 4)
            return tunnel_bad(d, p, KN_ANOM_GTP_HEADER_TOO_SMALL);
        next = (f & 0x04) ? s.b[hlen + 3] : 0;
        hlen += 4;
        while (next != 0) { /* each extension: length in 4-byte units, next type last */
            uint32_t elen;

            if (s.len < hlen + 1 || s.b[hlen] == 0)
                return tunnel_bad(d, p, KN_ANOM_GTP_HEADER_TOO_SMALL);
            elen = (uint32_t)s.b[hlen] * 4;
            if (s.len < hlen + elen)
                return tunnel_bad(d, p, KN_ANOM_GTP_HEADER_TOO_SMALL);
            next = s.b[hlen + elen - 1];
            hlen += elen;
        }
    }
    s = kn_span_skip(s, hlen);
    layer = ip_layer(s);
    if (layer == KN_L_NONE) {
        kn_decode_anomaly(d, p, KN_ANOM_GTP_UNKNOWN_PAYLOAD_TYPE);
        return KN_OK;
    }
    return kn_decode_set_inner(p, layer, s, KN_TUN_GTPU);
}

int kn_decode_udp_tunnel(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    const kn_engine_config_t *cfg = d->cfg;

    if (cfg->vxlan_port && p->dport == cfg->vxlan_port)
        return try_vxlan(d, p, s);
    if (cfg->geneve_port && p->dport == cfg->geneve_port)
        return try_geneve(d, p, s);
    if (cfg->gtpu_port && (p->dport == cfg->gtpu_port || p->sport == cfg->gtpu_port))
        return try_gtpu(d, p, s);
    if (cfg->teredo_port && (p->dport == cfg->teredo_port || p->sport == cfg->teredo_port))
        return try_teredo(d, p, s);
    return KN_DECLINED;
}
