/* decode.c: link layers (Ethernet, Linux SLL/SLL2, BSD NULL/LOOP, raw IP, PPP, Cisco HDLC),
 * 802.1Q/QinQ VLAN, MPLS and PPPoE, and the decoder's entry point.
 *
 * Each function checks the length before it reads a field and turns a short or inconsistent
 * header into a named anomaly (Suricata's decode-events names) instead of reading past it. */
#include "decode.h"

#include <string.h>

#define ETH_HLEN 14
#define SLL_HLEN 16
#define SLL2_HLEN 20
#define NULL_HLEN 4
#define VLAN_HLEN 4
#define PPPOE_HLEN 6
#define MPLS_HLEN 4

/* EtherType values (IEEE registry; RFC 7042). */
enum {
    ET_IPV4 = 0x0800,
    ET_ARP = 0x0806,
    ET_TEB = 0x6558,
    ET_RARP = 0x8035,
    ET_VLAN = 0x8100,
    ET_IPX = 0x8137,
    ET_IPV6 = 0x86dd,
    ET_MPLS = 0x8847,
    ET_MPLS_MC = 0x8848,
    ET_PPPOE_DISC = 0x8863,
    ET_PPPOE_SESS = 0x8864,
    ET_EAPOL = 0x888e,
    ET_QINQ = 0x88a8,
    ET_LLDP = 0x88cc,
    ET_MACSEC = 0x88e5,
    ET_PTP = 0x88f7,
    ET_CFM = 0x8902,
    ET_LOOP = 0x9000,
    ET_QINQ_OLD1 = 0x9100,
    ET_QINQ_OLD2 = 0x9200,
};

/* PPP protocol numbers (RFC 1661, RFC 1332, RFC 5072). */
enum {
    PPP_IPV4 = 0x0021,
    PPP_IPV6 = 0x0057,
    PPP_VJ_COMP = 0x002d,
    PPP_VJ_UNCOMP = 0x002f,
};

/* Non-IP frames that are normal on a LAN: counted as frames, not flagged. */
static int quiet_ethertype(uint16_t type)
{
    switch (type) {
    case ET_RARP:
    case ET_IPX:
    case ET_EAPOL:
    case ET_LLDP:
    case ET_MACSEC:
    case ET_PTP:
    case ET_CFM:
    case ET_LOOP:
        return 1;
    default:
        return type < 0x0600; /* an 802.3 length field: LLC/SNAP, STP, CDP */
    }
}

static int decode_vlan(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    static const kn_counter_id_t layer_ctr[KN_MAX_VLAN] = {
        KN_CTR_VLAN, KN_CTR_VLAN_QINQ, KN_CTR_VLAN_QINQINQ};
    uint16_t next;

    if (s.len < VLAN_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_VLAN_HEADER_TOO_SMALL);
    if (p->vlan_n >= KN_MAX_VLAN)
        return kn_decode_fail(d, p, KN_ANOM_VLAN_TOO_MANY_LAYERS);
    kn_ctr_inc(d, layer_ctr[p->vlan_n]);
    p->vlan[p->vlan_n++] = kn_rd_be16(s.b) & 0x0fff;
    next = kn_rd_be16(s.b + 2);
    s = kn_span_skip(s, VLAN_HLEN);
    switch (next) {
    case ET_IPV4:
    case ET_IPV6:
    case ET_VLAN:
    case ET_QINQ:
    case ET_QINQ_OLD1:
    case ET_QINQ_OLD2:
    case ET_MPLS:
    case ET_MPLS_MC:
    case ET_PPPOE_SESS:
    case ET_PPPOE_DISC:
    case ET_ARP:
        return kn_decode_ethertype(d, p, next, s);
    default:
        if (!quiet_ethertype(next))
            kn_decode_anomaly(d, p, KN_ANOM_VLAN_UNKNOWN_TYPE);
        return KN_OK;
    }
}

/* MPLS label stack (RFC 3032 2.1); the payload after the bottom label has no type field, so it
 * is taken from a reserved label (RFC 3032 2.1: 0 IPv4, 2 IPv6) or the first nibble, and a
 * nibble of 0 is an Ethernet pseudowire behind a control word (RFC 4448 3). */
static int decode_mpls(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint32_t label = 0;
    int bottom = 0;

    kn_ctr_inc(d, KN_CTR_MPLS);
    while (!bottom) {
        uint32_t e;

        if (s.len < MPLS_HLEN)
            return kn_decode_fail(d, p, KN_ANOM_MPLS_HEADER_TOO_SMALL);
        e = kn_rd_be32(s.b);
        label = e >> 12;
        bottom = (e >> 8) & 1;
        if (label == 3)
            kn_decode_anomaly(d, p, KN_ANOM_MPLS_BAD_LABEL_IMPLICIT_NULL);
        else if (label >= 4 && label <= 15)
            kn_decode_anomaly(d, p, KN_ANOM_MPLS_BAD_LABEL_RESERVED);
        else if (label == 1 && bottom)
            kn_decode_anomaly(d, p, KN_ANOM_MPLS_BAD_LABEL_ROUTER_ALERT);
        s = kn_span_skip(s, MPLS_HLEN);
    }
    if (s.len < 1)
        return kn_decode_fail(d, p, KN_ANOM_MPLS_PKT_TOO_SMALL);
    if (label == 0)
        return kn_decode_ipv4(d, p, s);
    if (label == 2)
        return kn_decode_ipv6(d, p, s);
    switch (s.b[0] >> 4) {
    case 4:
        return kn_decode_ipv4(d, p, s);
    case 6:
        return kn_decode_ipv6(d, p, s);
    case 0:
        if (s.len < MPLS_HLEN + ETH_HLEN)
            return kn_decode_fail(d, p, KN_ANOM_MPLS_PKT_TOO_SMALL);
        return kn_decode_ethernet(d, p, kn_span_skip(s, MPLS_HLEN));
    default:
        kn_decode_anomaly(d, p, KN_ANOM_MPLS_UNKNOWN_PAYLOAD_TYPE);
        return KN_OK;
    }
}

int kn_decode_ppp_proto(kn_decoder_t *d, kn_packet_t *p, uint16_t proto, kn_span_t s)
{
    switch (proto) {
    case PPP_IPV4:
        return kn_decode_ipv4(d, p, s);
    case PPP_IPV6:
        return kn_decode_ipv6(d, p, s);
    case PPP_VJ_COMP:
    case PPP_VJ_UNCOMP:
        kn_decode_anomaly(d, p, KN_ANOM_PPP_UNSUP_PROTO);
        return KN_OK;
    default:
        return KN_OK; /* LCP, IPCP, CHAP ...: link control, no IP inside */
    }
}

/* PPP in HDLC-like framing (RFC 1662 3.1): optional 0xff 0x03, then a 1- or 2-byte protocol. */
static int decode_ppp(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint16_t proto;

    kn_ctr_inc(d, KN_CTR_PPP);
    if (s.len >= 2 && s.b[0] == 0xff && s.b[1] == 0x03)
        s = kn_span_skip(s, 2);
    if (s.len < 1)
        return kn_decode_fail(d, p, KN_ANOM_PPP_PKT_TOO_SMALL);
    if (s.b[0] & 1) { /* protocol field compression (RFC 1661 6.5) */
        proto = s.b[0];
        s = kn_span_skip(s, 1);
    } else {
        if (s.len < 2)
            return kn_decode_fail(d, p, KN_ANOM_PPP_PKT_TOO_SMALL);
        proto = kn_rd_be16(s.b);
        s = kn_span_skip(s, 2);
    }
    return kn_decode_ppp_proto(d, p, proto, s);
}

/* PPPoE session stage (RFC 2516 4.4 and 5). */
static int decode_pppoe_session(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint16_t plen;

    kn_ctr_inc(d, KN_CTR_PPPOE);
    if (s.len < PPPOE_HLEN + 2)
        return kn_decode_fail(d, p, KN_ANOM_PPPOE_PKT_TOO_SMALL);
    if (s.b[1] != 0x00)
        return kn_decode_fail(d, p, KN_ANOM_PPPOE_WRONG_CODE);
    plen = kn_rd_be16(s.b + 4);
    if (plen < 2)
        return kn_decode_fail(d, p, KN_ANOM_PPPOE_PKT_TOO_SMALL);
    s = kn_span_skip(s, PPPOE_HLEN);
    if (plen < s.len)
        s.len = plen;
    if (plen < s.wire)
        s.wire = plen;
    return kn_decode_ppp_proto(d, p, kn_rd_be16(s.b), kn_span_skip(s, 2));
}

int kn_decode_ethertype(kn_decoder_t *d, kn_packet_t *p, uint16_t type, kn_span_t s)
{
    switch (type) {
    case ET_IPV4:
        return kn_decode_ipv4(d, p, s);
    case ET_IPV6:
        return kn_decode_ipv6(d, p, s);
    case ET_VLAN:
    case ET_QINQ:
    case ET_QINQ_OLD1:
    case ET_QINQ_OLD2:
        return decode_vlan(d, p, s);
    case ET_MPLS:
    case ET_MPLS_MC:
        return decode_mpls(d, p, s);
    case ET_PPPOE_SESS:
        return decode_pppoe_session(d, p, s);
    case ET_PPPOE_DISC:
        kn_ctr_inc(d, KN_CTR_PPPOE);
        return KN_OK;
    case ET_ARP:
        kn_ctr_inc(d, KN_CTR_ARP);
        return KN_OK;
    case ET_TEB:
        return kn_decode_ethernet(d, p, s);
    default:
        if (quiet_ethertype(type))
            return KN_OK;
        kn_ctr_inc(d, KN_CTR_UNKNOWN_ETHERTYPE);
        kn_decode_anomaly(d, p, KN_ANOM_ETH_UNKNOWN_ETHERTYPE);
        return KN_OK;
    }
}

int kn_decode_ethernet(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    if (s.len < ETH_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_ETH_PKT_TOO_SMALL);
    kn_ctr_inc(d, KN_CTR_ETHERNET);
    return kn_decode_ethertype(d, p, kn_rd_be16(s.b + 12), kn_span_skip(s, ETH_HLEN));
}

/* Linux cooked capture v1 (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html). */
static int decode_sll(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint16_t proto;

    if (s.len < SLL_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_SLL_PKT_TOO_SMALL);
    kn_ctr_inc(d, KN_CTR_SLL);
    proto = kn_rd_be16(s.b + 14);
    return kn_decode_ethertype(d, p, proto, kn_span_skip(s, SLL_HLEN));
}

/* Linux cooked capture v2 (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html). */
static int decode_sll2(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    if (s.len < SLL2_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_SLL2_PKT_TOO_SMALL);
    kn_ctr_inc(d, KN_CTR_SLL2);
    return kn_decode_ethertype(d, p, kn_rd_be16(s.b), kn_span_skip(s, SLL2_HLEN));
}

/* BSD loopback: a 4-byte address family, in the capturing host's byte order for NULL and in
 * network order for LOOP. AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD,
 * OpenBSD), 28 (FreeBSD) or 30 (macOS). */
static int decode_null(kn_decoder_t *d, kn_packet_t *p, kn_span_t s, int network_order)
{
    uint32_t fam;

    if (s.len < NULL_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_NULL_PKT_TOO_SMALL);
    kn_ctr_inc(d, KN_CTR_NULL_);
    fam = kn_rd_be32(s.b);
    if (!network_order && fam > 0xffff) /* little-endian writer */
        fam = (uint32_t)s.b[0] | ((uint32_t)s.b[1] << 8);
    s = kn_span_skip(s, NULL_HLEN);
    switch (fam) {
    case 2:
        return kn_decode_ipv4(d, p, s);
    case 10:
    case 24:
    case 28:
    case 30:
        return kn_decode_ipv6(d, p, s);
    default:
        return kn_decode_fail(d, p, KN_ANOM_NULL_UNSUPPORTED_TYPE);
    }
}

static int decode_raw(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    kn_ctr_inc(d, KN_CTR_RAW);
    if (s.len < 1)
        return kn_decode_fail(d, p, KN_ANOM_IPV4_PKT_TOO_SMALL);
    switch (s.b[0] >> 4) {
    case 4:
        return kn_decode_ipv4(d, p, s);
    case 6:
        return kn_decode_ipv6(d, p, s);
    default:
        return kn_decode_fail(d, p, KN_ANOM_RAW_INVALID_IP_VERSION);
    }
}

/* Cisco HDLC: address, control, then an EtherType. */
static int decode_chdlc(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    if (s.len < 4)
        return kn_decode_fail(d, p, KN_ANOM_CHDLC_PKT_TOO_SMALL);
    kn_ctr_inc(d, KN_CTR_CHDLC);
    return kn_decode_ethertype(d, p, kn_rd_be16(s.b + 2), kn_span_skip(s, 4));
}

/* Linux netfilter log (tcpdump.org/linktypes/LINKTYPE_NFLOG.html): a 4-byte header, then
 * type-length-value records padded to 4 bytes, one of which (type 9) holds the IP packet. The
 * record lengths and types are in the reading host's byte order (libpcap converts them). */
static int decode_nflog(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint32_t off = 4;

    kn_ctr_inc(d, KN_CTR_NFLOG);
    if (s.len < 4)
        return kn_decode_fail(d, p, KN_ANOM_NFLOG_MALFORMED);
    while (s.len - off >= 4) {
        uint16_t tlen, type;
        memcpy(&tlen, s.b + off, 2);
        memcpy(&type, s.b + off + 2, 2);
        if (tlen < 4 || tlen > s.len - off)
            return kn_decode_fail(d, p, KN_ANOM_NFLOG_MALFORMED);
        if (type == 9) { /* NFULA_PAYLOAD */
            kn_span_t pl = kn_span_skip(s, off + 4);
            pl.len = tlen - 4u;
            pl.wire = pl.len;
            return s.b[0] == 10 ? kn_decode_ipv6(d, p, pl) : kn_decode_ipv4(d, p, pl);
        }
        off += (tlen + 3u) & ~3u;
        if (off > s.len)
            break;
    }
    return KN_OK; /* a log record without a packet */
}

static int decode_link(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    switch (p->linktype) {
    case KN_LINK_ETHERNET:
        return kn_decode_ethernet(d, p, s);
    case KN_LINK_SLL:
        return decode_sll(d, p, s);
    case KN_LINK_SLL2:
        return decode_sll2(d, p, s);
    case KN_LINK_NULL:
        return decode_null(d, p, s, 0);
    case KN_LINK_LOOP:
        return decode_null(d, p, s, 1);
    case KN_LINK_RAW:
    case 12: /* DLT_RAW on some BSDs */
    case 14:
        return decode_raw(d, p, s);
    case KN_LINK_IPV4:
        kn_ctr_inc(d, KN_CTR_RAW);
        return kn_decode_ipv4(d, p, s);
    case KN_LINK_IPV6:
        kn_ctr_inc(d, KN_CTR_RAW);
        return kn_decode_ipv6(d, p, s);
    case KN_LINK_PPP:
        return decode_ppp(d, p, s);
    case KN_LINK_CHDLC:
        return decode_chdlc(d, p, s);
    case KN_LINK_NFLOG:
        return decode_nflog(d, p, s);
    default:
        return kn_decode_fail(d, p, KN_ANOM_UNKNOWN_LINKTYPE);
    }
}

int kn_decode(kn_decoder_t *d, kn_packet_t *p, kn_layer_t layer)
{
    kn_span_t s = {p->data, p->caplen, p->wirelen};

    if (s.wire < s.len) /* a writer that stored a wire length below the captured one */
        s.wire = s.len;
    switch (layer) {
    case KN_L_NONE:
        return decode_link(d, p, s);
    case KN_L_ETHERNET:
        return kn_decode_ethernet(d, p, s);
    case KN_L_IPV4:
        return kn_decode_ipv4(d, p, s);
    case KN_L_IPV6:
        return kn_decode_ipv6(d, p, s);
    case KN_L_IP:
        return decode_raw(d, p, s);
    case KN_L_PPP:
        return decode_ppp(d, p, s);
    }
    return kn_decode_fail(d, p, KN_ANOM_UNKNOWN_LINKTYPE);
}
