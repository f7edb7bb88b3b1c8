/* decode_ip.c: IPv4 (RFC 791) with options, IPv6 (RFC 8200) with extension headers, and the
 * dispatch to the transport layer.
 *
 * The IP total length bounds everything above it, so Ethernet padding never reaches TCP. When
 * the capture holds fewer bytes than the header announces, a snaplen cut (the wire had them) is
 * kept and flagged, while a header that claims more than the wire carried is an anomaly. */
#include "decode.h"

#include <string.h>

#include "checksum.h"
#include "cursor.h"

#define IPV4_HLEN 20
#define IPV6_HLEN 40

/* IP protocol numbers (IANA). */
enum {
    IPP_HOPOPTS = 0,
    IPP_ICMP = 1,
    IPP_IGMP = 2,
    IPP_IPIP = 4,
    IPP_TCP = 6,
    IPP_UDP = 17,
    IPP_IPV6 = 41,
    IPP_ROUTING = 43,
    IPP_FRAGMENT = 44,
    IPP_GRE = 47,
    IPP_ESP = 50,
    IPP_AH = 51,
    IPP_ICMPV6 = 58,
    IPP_NONE = 59,
    IPP_DSTOPTS = 60,
    IPP_MOBILITY = 135,
    IPP_HIP = 139,
    IPP_SHIM6 = 140,
    IPP_SCTP = 132,
};

/* IPv4 option types (RFC 791 3.1, IANA ip-parameters); bit positions in kn_packet.ipopts. */
enum {
    OPT_EOL = 0,
    OPT_NOP = 1,
    OPT_RR = 7,
    OPT_QS = 25,
    OPT_TS = 68,
    OPT_SEC = 130,
    OPT_LSRR = 131,
    OPT_ESEC = 133,
    OPT_CIPSO = 134,
    OPT_SID = 136,
    OPT_SSRR = 137,
    OPT_RTRALT = 148,
};

enum {
    IPOPT_BIT_RR = 1 << 0,
    IPOPT_BIT_EOL = 1 << 1,
    IPOPT_BIT_NOP = 1 << 2,
    IPOPT_BIT_TS = 1 << 3,
    IPOPT_BIT_SEC = 1 << 4,
    IPOPT_BIT_LSRR = 1 << 5,
    IPOPT_BIT_SSRR = 1 << 6,
    IPOPT_BIT_SATID = 1 << 7,
};

/* Checks one IPv4 option with a length byte; returns the anomaly, or 0 if it is well formed. */
static kn_anomaly_t ipv4_option_check(uint8_t type, const uint8_t *o, uint8_t olen)
{
    switch (type) {
    case OPT_RR:
    case OPT_LSRR:
    case OPT_SSRR: /* route: pointer >= 4, room for whole addresses (RFC 791 3.1) */
        if (olen < 3 || o[2] < 4 || (olen - 3) % 4 != 0)
            return KN_ANOM_IPV4_OPT_MALFORMED;
        return 0;
    case OPT_TS:
        if (olen < 4 || o[2] < 5)
            return KN_ANOM_IPV4_OPT_MALFORMED;
        return 0;
    case OPT_SID:
    case OPT_RTRALT:
        return olen == 4 ? 0 : KN_ANOM_IPV4_OPT_INVALID_LEN;
    case OPT_SEC:
    case OPT_ESEC:
    case OPT_CIPSO:
    case OPT_QS:
        return 0;
    default:
        return KN_ANOM_IPV4_OPT_UNKNOWN;
    }
}

static uint8_t ipv4_option_bit(uint8_t type)
{
    switch (type) {
    case OPT_RR:
        return IPOPT_BIT_RR;
    case OPT_TS:
        return IPOPT_BIT_TS;
    case OPT_SEC:
    case OPT_ESEC:
        return IPOPT_BIT_SEC;
    case OPT_LSRR:
        return IPOPT_BIT_LSRR;
    case OPT_SSRR:
        return IPOPT_BIT_SSRR;
    case OPT_SID:
        return IPOPT_BIT_SATID;
    default:
        return 0;
    }
}

/* RFC 791 3.1 options; a malformed option ends option parsing, not the packet (as Suricata). */
static void ipv4_options(kn_decoder_t *d, kn_packet_t *p, const uint8_t *o, uint32_t len)
{
    uint32_t seen = 0; /* one bit per option type mod 32, for duplicates */
    uint32_t i = 0;

    while (i < len) {
        uint8_t type = o[i], olen;
        kn_anomaly_t a;

        if (type == OPT_EOL) {
            p->ipopts |= IPOPT_BIT_EOL;
            return;
        }
        if (type == OPT_NOP) {
            p->ipopts |= IPOPT_BIT_NOP;
            i++;
            continue;
        }
        if (len - i < 2) {
            kn_decode_anomaly(d, p, KN_ANOM_IPV4_OPT_INVALID_LEN);
            return;
        }
        olen = o[i + 1];
        if (olen < 2 || olen > len - i) {
            kn_decode_anomaly(d, p, olen < 2 ? KN_ANOM_IPV4_OPT_INVALID_LEN
                                             : KN_ANOM_IPV4_OPT_MALFORMED);
            return;
        }
        if (seen & (1u << (type & 31)))
            kn_decode_anomaly(d, p, KN_ANOM_IPV4_OPT_DUPLICATE);
        seen |= 1u << (type & 31);
        a = ipv4_option_check(type, o + i, olen);
        if (a)
            kn_decode_anomaly(d, p, a);
        p->ipopts |= ipv4_option_bit(type);
        i += olen;
    }
}

/* Sets p->l3_len from the length the header announces against what was captured. Returns 0,
 * or the anomaly when the header claims more than the wire carried. */
static kn_anomaly_t ip_bound(kn_packet_t *p, kn_span_t *s, uint32_t iplen, kn_anomaly_t trunc)
{
    if (iplen <= s->len) {
        s->len = iplen;
    } else if (iplen <= s->wire) {
        p->flags |= KN_PKT_TRUNCATED;
    } else {
        return trunc;
    }
    s->wire = iplen;
    p->l3 = s->b;
    p->l3_len = s->len;
    return KN_ANOM_NONE;
}

static void ipv4_verify_checksum(kn_decoder_t *d, kn_packet_t *p, const uint8_t *b, uint32_t hlen)
{
    if (kn_csum_fold(kn_csum_add(0, b, hlen)) != 0) {
        kn_ctr_inc(d, KN_CTR_CSUM_IPV4_BAD);
        p->flags |= KN_PKT_BAD_CSUM;
    }
}

int kn_decode_ipv4(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint32_t hlen, iplen;
    uint16_t frag;
    kn_anomaly_t a;

    if (s.len < IPV4_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_IPV4_PKT_TOO_SMALL);
    if ((s.b[0] >> 4) != 4)
        return kn_decode_fail(d, p, KN_ANOM_IPV4_WRONG_IP_VERSION);
    hlen = (uint32_t)(s.b[0] & 0x0f) * 4;
    if (hlen < IPV4_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_IPV4_HLEN_TOO_SMALL);
    iplen = kn_rd_be16(s.b + 2);
    if (iplen < hlen)
        return kn_decode_fail(d, p, KN_ANOM_IPV4_IPLEN_SMALLER_THAN_HLEN);
    if (s.len < hlen)
        return kn_decode_fail(d, p, KN_ANOM_IPV4_PKT_TOO_SMALL);
    a = ip_bound(p, &s, iplen, KN_ANOM_IPV4_TRUNC_PKT);
    if (a)
        return kn_decode_fail(d, p, a);
    kn_ctr_inc(d, KN_CTR_IPV4);
    p->ip_v = 4;
    memset(&p->src, 0, sizeof(p->src));
    memset(&p->dst, 0, sizeof(p->dst));
    memcpy(p->src.b, s.b + 12, 4);
    memcpy(p->dst.b, s.b + 16, 4);
    p->ttl = s.b[8];
    p->proto = s.b[9];
    p->ip_id = kn_rd_be16(s.b + 4);
    p->l3_hlen = hlen;
    frag = kn_rd_be16(s.b + 6);
    p->frag_off = (uint16_t)((frag & 0x1fff) * 8);
    p->frag_mf = (frag & 0x2000) != 0;
    if (hlen > IPV4_HLEN)
        ipv4_options(d, p, s.b + IPV4_HLEN, hlen - IPV4_HLEN);
    ipv4_verify_checksum(d, p, s.b, hlen);
    if (p->frag_off || p->frag_mf) {
        if ((uint32_t)p->frag_off + (iplen - hlen) > 65535)
            return kn_decode_fail(d, p, KN_ANOM_IPV4_FRAG_PKT_TOO_LARGE);
        p->flags |= KN_PKT_FRAGMENT;
        return KN_OK;
    }
    return kn_decode_transport(d, p, p->proto, kn_span_skip(s, hlen));
}

/* Option TLVs of a hop-by-hop or destination options header (RFC 8200 4.2). */
static void ipv6_options(kn_decoder_t *d, kn_packet_t *p, const uint8_t *o, uint32_t len, int hbh)
{
    uint32_t i = 0;
    int only_padding = 1;

    while (i < len) {
        uint8_t type = o[i], olen;

        if (type == 0) { /* Pad1 */
            i++;
            continue;
        }
        if (len - i < 2 || (olen = o[i + 1]) > len - i - 2) {
            kn_decode_anomaly(d, p, KN_ANOM_IPV6_EXTHDR_INVALID_OPTLEN);
            return;
        }
        if (type == 1) { /* PadN */
            if (olen == 0)
                kn_decode_anomaly(d, p, KN_ANOM_IPV6_ZERO_LEN_PADN);
        } else {
            only_padding = 0;
            /* Router Alert, Jumbo, CALIPSO, Quick-Start, RPL, MPL, IOAM, Tunnel Encapsulation
             * Limit, Home Address: the options IANA lists for these headers. */
            switch (type) {
            case 0x05: case 0xc2: case 0x07: case 0x26: case 0x63: case 0x6d: case 0x31:
            case 0x04: case 0xc9: case 0x8b: case 0x3e:
                break;
            default:
                kn_decode_anomaly(d, p, hbh ? KN_ANOM_IPV6_HOPOPTS_UNKNOWN_OPT
                                            : KN_ANOM_IPV6_DSTOPTS_UNKNOWN_OPT);
            }
        }
        i += 2u + olen;
    }
    if (only_padding)
        kn_decode_anomaly(d, p, hbh ? KN_ANOM_IPV6_HOPOPTS_ONLY_PADDING
                                    : KN_ANOM_IPV6_DSTOPTS_ONLY_PADDING);
}

static kn_anomaly_t ipv6_dup_anomaly(uint8_t nh)
{
    switch (nh) {
    case IPP_HOPOPTS:
        return KN_ANOM_IPV6_EXTHDR_DUPL_HH;
    case IPP_ROUTING:
        return KN_ANOM_IPV6_EXTHDR_DUPL_RH;
    case IPP_FRAGMENT:
        return KN_ANOM_IPV6_EXTHDR_DUPL_FH;
    case IPP_AH:
        return KN_ANOM_IPV6_EXTHDR_DUPL_AH;
    default:
        return KN_ANOM_IPV6_EXTHDR_DUPL_DH;
    }
}

/* Fragment header (RFC 8200 4.5). Returns KN_OK to keep decoding (an atomic fragment),
 * KN_DONE when the packet is a real fragment for defrag, or KN_ERR. */
#define KN_DONE 1
static int ipv6_fragment(kn_decoder_t *d, kn_packet_t *p, const uint8_t *h, uint32_t off,
                         uint32_t end)
{
    uint16_t fo = kn_rd_be16(h + 2);

    if (h[1] != 0 || (fo & 0x0006))
        kn_decode_anomaly(d, p, KN_ANOM_IPV6_FH_NON_ZERO_RESERVED_FIELD);
    p->frag_off = fo & 0xfff8;
    p->frag_mf = fo & 1;
    p->frag_id = kn_rd_be32(h + 4);
    if (p->frag_off == 0 && !p->frag_mf) {
        kn_decode_anomaly(d, p, KN_ANOM_IPV6_EXTHDR_USELESS_FH);
        return KN_OK;
    }
    /* every fragment but the last carries a multiple of 8 bytes */
    if (p->frag_mf && ((end - off - 8) & 7) != 0)
        return kn_decode_fail(d, p, KN_ANOM_IPV6_FRAG_INVALID_LENGTH);
    if ((uint32_t)p->frag_off + (end - off - 8) > 65535)
        return kn_decode_fail(d, p, KN_ANOM_IPV6_FRAG_PKT_TOO_LARGE);
    p->flags |= KN_PKT_FRAGMENT;
    p->l3_hlen = off; /* the unfragmentable part ends at the fragment header */
    return KN_DONE;
}

/* Walks the extension header chain; on return *nh is the upper-layer protocol and *off its
 * offset. Returns KN_OK, KN_DONE (a fragment, or nothing above), or KN_ERR. */
static int ipv6_exthdrs(kn_decoder_t *d, kn_packet_t *p, kn_span_t s, uint8_t *nh, uint32_t *off)
{
    uint32_t seen = 0;

    for (;;) {
        uint8_t cur = *nh;
        const uint8_t *h = s.b + *off;
        uint32_t left = s.len - *off, hlen;
        uint32_t bit;

        switch (cur) {
        case IPP_HOPOPTS: case IPP_ROUTING: case IPP_FRAGMENT: case IPP_DSTOPTS:
        case IPP_AH: case IPP_MOBILITY: case IPP_HIP: case IPP_SHIM6:
            break;
        case IPP_NONE:
            if (left > 0)
                kn_decode_anomaly(d, p, KN_ANOM_IPV6_DATA_AFTER_NONE_HEADER);
            return KN_DONE;
        default:
            return KN_OK;
        }
        if (left < 8)
            return kn_decode_fail(d, p, KN_ANOM_IPV6_TRUNC_EXTHDR);
        hlen = cur == IPP_FRAGMENT ? 8 : cur == IPP_AH ? (h[1] + 2u) * 4 : (h[1] + 1u) * 8;
        if (hlen > left)
            return kn_decode_fail(d, p, KN_ANOM_IPV6_TRUNC_EXTHDR);
        bit = 1u << (cur & 31);
        if ((seen & bit) && cur != IPP_DSTOPTS)
            kn_decode_anomaly(d, p, ipv6_dup_anomaly(cur));
        seen |= bit;
        if (cur == IPP_HOPOPTS || cur == IPP_DSTOPTS)
            ipv6_options(d, p, h + 2, hlen - 2, cur == IPP_HOPOPTS);
        else if (cur == IPP_ROUTING && h[2] == 0)
            kn_decode_anomaly(d, p, KN_ANOM_IPV6_RH_TYPE_0);
        else if (cur == IPP_AH && kn_rd_be16(h + 2) != 0)
            kn_decode_anomaly(d, p, KN_ANOM_IPV6_EXTHDR_AH_RES_NOT_NULL);
        *nh = h[0];
        if (cur == IPP_FRAGMENT) {
            int r = ipv6_fragment(d, p, h, *off, s.wire > s.len ? s.wire : s.len);
            if (r != KN_OK) {
                p->proto = *nh;
                return r;
            }
        }
        *off += hlen;
    }
}

int kn_decode_ipv6(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint32_t plen, off = IPV6_HLEN;
    uint8_t nh;
    kn_anomaly_t a;
    int r;

    if (s.len < IPV6_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_IPV6_PKT_TOO_SMALL);
    if ((s.b[0] >> 4) != 6)
        return kn_decode_fail(d, p, KN_ANOM_IPV6_WRONG_IP_VERSION);
    plen = kn_rd_be16(s.b + 4);
    if (plen == 0 && s.b[6] == IPP_HOPOPTS) /* jumbogram (RFC 2675): length is in an option */
        plen = s.len - IPV6_HLEN;
    a = ip_bound(p, &s, IPV6_HLEN + plen, KN_ANOM_IPV6_TRUNC_PKT);
    if (a)
        return kn_decode_fail(d, p, a);
    kn_ctr_inc(d, KN_CTR_IPV6);
    p->ip_v = 6;
    memcpy(p->src.b, s.b + 8, 16);
    memcpy(p->dst.b, s.b + 24, 16);
    p->ttl = s.b[7];
    nh = s.b[6];
    p->proto = nh;
    r = ipv6_exthdrs(d, p, s, &nh, &off);
    if (r == KN_ERR)
        return KN_ERR;
    if (r == KN_DONE)
        return KN_OK;
    p->proto = nh;
    p->l3_hlen = off;
    return kn_decode_transport(d, p, nh, kn_span_skip(s, off));
}

int kn_decode_transport(kn_decoder_t *d, kn_packet_t *p, uint8_t proto, kn_span_t s)
{
    switch (proto) {
    case IPP_TCP:
        return kn_decode_tcp(d, p, s);
    case IPP_UDP:
        return kn_decode_udp(d, p, s);
    case IPP_ICMP:
        if (p->ip_v == 6)
            return kn_decode_fail(d, p, KN_ANOM_IPV6_ICMPV4);
        return kn_decode_icmpv4(d, p, s);
    case IPP_ICMPV6:
        if (p->ip_v == 4)
            return kn_decode_fail(d, p, KN_ANOM_IPV4_ICMPV6);
        return kn_decode_icmpv6(d, p, s);
    case IPP_GRE:
        return kn_decode_gre(d, p, s);
    case IPP_IPIP:
    case IPP_IPV6:
        return kn_decode_ipip(d, p, proto, s);
    case IPP_SCTP: /* common header (RFC 9260 3.1): the ports are all a flow needs */
        kn_ctr_inc(d, KN_CTR_SCTP);
        if (s.len >= 12) {
            p->sport = kn_rd_be16(s.b);
            p->dport = kn_rd_be16(s.b + 2);
            p->flags |= KN_PKT_HAS_L4;
        }
        return KN_OK;
    case IPP_ESP: /* RFC 4303 2.1: flows are told apart by SPI, as in Suricata */
        kn_ctr_inc(d, KN_CTR_ESP);
        if (s.len >= 8) {
            p->spi = kn_rd_be32(s.b);
            p->flags |= KN_PKT_HAS_L4;
        }
        return KN_OK;
    case IPP_IGMP:
        kn_ctr_inc(d, KN_CTR_IGMP);
        return KN_OK;
    default:
        kn_ctr_inc(d, KN_CTR_IP_OTHER);
        return KN_OK;
    }
}
