/* decode_l4.c: TCP (RFC 9293) with options, UDP (RFC 768), ICMP (RFC 792) and ICMPv6
 * (RFC 4443), and their checksums.
 *
 * Checksums are verified whenever the whole segment was captured and counted when they fail;
 * whether a bad one keeps the packet out of the stream and app layers is the engine's call
 * (-k). ICMP errors quote the offending header: its addresses and ports are kept so the error
 * can be tied to the flow it reports on. */
#include "decode.h"

#include <string.h>

#include "checksum.h"
#include "cursor.h"

#define TCP_HLEN 20
#define UDP_HLEN 8
#define ICMP_HLEN 8

/* TCP option kinds (IANA tcp-parameters). */
enum {
    TCPOPT_EOL = 0,
    TCPOPT_NOP = 1,
    TCPOPT_MSS = 2,
    TCPOPT_WS = 3,
    TCPOPT_SACKOK = 4,
    TCPOPT_SACK = 5,
    TCPOPT_TS = 8,
    TCPOPT_MD5 = 19,
    TCPOPT_AO = 29,
    TCPOPT_MPTCP = 30,
    TCPOPT_TFO = 34,
};

static int tcp_option_len_ok(uint8_t kind, uint8_t olen)
{
    switch (kind) {
    case TCPOPT_MSS:
        return olen == 4;
    case TCPOPT_WS:
        return olen == 3;
    case TCPOPT_SACKOK:
        return olen == 2;
    case TCPOPT_SACK:
        return olen >= 10 && olen <= 34 && (olen - 2) % 8 == 0;
    case TCPOPT_TS:
        return olen == 10;
    case TCPOPT_MD5:
        return olen == 18;
    case TCPOPT_TFO:
        return olen == 2 || (olen >= 6 && olen <= 18 && olen % 2 == 0);
    default:
        return 1;
    }
}

/* RFC 9293 3.2; a bad option ends option parsing but keeps the segment, as Suricata does. */
static void tcp_options(kn_decoder_t *d, kn_packet_t *p, const uint8_t *o, uint32_t len)
{
    uint32_t seen = 0, i = 0;

    while (i < len) {
        uint8_t kind = o[i], olen;

        if (kind == TCPOPT_EOL)
            return;
        if (kind == TCPOPT_NOP) {
            i++;
            continue;
        }
        if (len - i < 2 || (olen = o[i + 1]) < 2 || olen > len - i) {
            kn_decode_anomaly(d, p, KN_ANOM_TCP_OPT_INVALID_LEN);
            return;
        }
        if (!tcp_option_len_ok(kind, olen)) {
            kn_decode_anomaly(d, p, KN_ANOM_TCP_OPT_INVALID_LEN);
            return;
        }
        if (kind < 32 && (seen & (1u << kind)) && kind != TCPOPT_SACK && kind != TCPOPT_MPTCP)
            kn_decode_anomaly(d, p, KN_ANOM_TCP_OPT_DUPLICATE);
        if (kind < 32)
            seen |= 1u << kind;
        if (kind == TCPOPT_MSS)
            p->tcp_mss = kn_rd_be16(o + i + 2);
        else if (kind == TCPOPT_WS)
            p->tcp_wscale = o[i + 2];
        i += olen;
    }
}

/* Verifies an upper-layer checksum when the whole message was captured. */
static void l4_verify(kn_decoder_t *d, kn_packet_t *p, kn_span_t s, uint8_t proto,
                      kn_counter_id_t bad)
{
    uint64_t sum;

    if (s.len < s.wire) {
        kn_ctr_inc(d, KN_CTR_CSUM_UNVERIFIED);
        return;
    }
    sum = proto == 1 ? 0 : kn_csum_pseudo(p, proto, s.len); /* ICMPv4 has no pseudo header */
    if (kn_csum_fold(kn_csum_add(sum, s.b, s.len)) != 0) {
        kn_ctr_inc(d, bad);
        p->flags |= KN_PKT_BAD_CSUM;
    }
}

static void set_payload(kn_packet_t *p, kn_span_t s, uint32_t hlen)
{
    kn_span_t pl = kn_span_skip(s, hlen);

    p->payload = pl.b;
    p->payload_len = pl.len;
    p->payload_wirelen = pl.wire;
}

int kn_decode_tcp(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint32_t hlen;

    if (s.len < TCP_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_TCP_PKT_TOO_SMALL);
    hlen = (uint32_t)(s.b[12] >> 4) * 4;
    if (hlen < TCP_HLEN || hlen > s.wire)
        return kn_decode_fail(d, p, KN_ANOM_TCP_HLEN_TOO_SMALL);
    kn_ctr_inc(d, KN_CTR_TCP);
    p->l4 = s.b;
    p->l4_len = s.len;
    p->sport = kn_rd_be16(s.b);
    p->dport = kn_rd_be16(s.b + 2);
    p->tcp_seq = kn_rd_be32(s.b + 4);
    p->tcp_ack = kn_rd_be32(s.b + 8);
    p->tcp_flags = s.b[13];
    p->tcp_win = kn_rd_be16(s.b + 14);
    p->tcp_hlen = (uint8_t)hlen;
    p->tcp_wscale = 0xff;
    p->flags |= KN_PKT_HAS_L4;
    if (hlen > s.len) { /* options cut by the snaplen: header fields above are still good */
        p->payload = s.b + s.len;
        p->payload_len = 0;
        p->payload_wirelen = s.wire - hlen;
        return KN_OK;
    }
    if (hlen > TCP_HLEN)
        tcp_options(d, p, s.b + TCP_HLEN, hlen - TCP_HLEN);
    set_payload(p, s, hlen);
    l4_verify(d, p, s, 6, KN_CTR_CSUM_TCP_BAD);
    return KN_OK;
}

int kn_decode_udp(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    uint32_t ulen;

    if (s.len < UDP_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_UDP_PKT_TOO_SMALL);
    ulen = kn_rd_be16(s.b + 4);
    if (ulen < UDP_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_UDP_HLEN_TOO_SMALL);
    if (ulen > s.wire)
        return kn_decode_fail(d, p, KN_ANOM_UDP_HLEN_INVALID);
    if (ulen < s.wire) /* bytes after the datagram inside the IP payload */
        kn_decode_anomaly(d, p, KN_ANOM_UDP_LEN_INVALID);
    if (ulen < s.len)
        s.len = ulen;
    s.wire = ulen;
    kn_ctr_inc(d, KN_CTR_UDP);
    p->l4 = s.b;
    p->l4_len = s.len;
    p->sport = kn_rd_be16(s.b);
    p->dport = kn_rd_be16(s.b + 2);
    p->flags |= KN_PKT_HAS_L4;
    set_payload(p, s, UDP_HLEN);
    if (kn_rd_be16(s.b + 6) != 0 || p->ip_v == 6) /* zero means "not computed" on IPv4 */
        l4_verify(d, p, s, 17, KN_CTR_CSUM_UDP_BAD);
    if (p->payload_len > 0)
        (void)kn_decode_udp_tunnel(d, p, kn_span_skip(s, UDP_HLEN));
    return KN_OK;
}

/* Reads the tuple of the header an ICMP error quotes (RFC 792, RFC 4443 2.4), so the error can
 * be counted with the flow it reports on, as Suricata does. */
static void icmp_quoted(kn_decoder_t *d, kn_packet_t *p, kn_span_t q, int v6)
{
    uint32_t hl = v6 ? 40 : 20, alen = v6 ? 16 : 4;

    if (q.len < hl) {
        kn_decode_anomaly(d, p, v6 ? KN_ANOM_ICMPV6_IPV6_TRUNC_PKT : KN_ANOM_ICMPV4_IPV4_TRUNC_PKT);
        return;
    }
    if ((q.b[0] >> 4) != (v6 ? 6 : 4)) {
        kn_decode_anomaly(d, p, v6 ? KN_ANOM_ICMPV6_IPV6_UNKNOWN_VERSION
                                   : KN_ANOM_ICMPV4_IPV4_UNKNOWN_VER);
        return;
    }
    if (!v6)
        hl = (uint32_t)(q.b[0] & 0x0f) * 4;
    if (hl < 20 || q.len < hl)
        return;
    memset(&p->q_src, 0, sizeof(p->q_src));
    memset(&p->q_dst, 0, sizeof(p->q_dst));
    memcpy(p->q_src.b, q.b + (v6 ? 8 : 12), alen);
    memcpy(p->q_dst.b, q.b + (v6 ? 24 : 16), alen);
    p->q_proto = q.b[v6 ? 6 : 9];
    p->q_sport = p->q_dport = 0;
    p->q_l4len = q.len - hl;
    if ((p->q_proto == 6 || p->q_proto == 17) && q.len >= hl + 4) {
        p->q_sport = kn_rd_be16(q.b + hl);
        p->q_dport = kn_rd_be16(q.b + hl + 2);
    }
    p->flags |= KN_PKT_ICMP_ERROR;
}

/* Highest code defined per ICMPv4 type (IANA icmp-parameters); -1: type not in use. */
static int icmpv4_max_code(uint8_t type)
{
    switch (type) {
    case 0: case 4: case 8: case 13: case 14: case 15: case 16: case 17: case 18:
        return 0;
    case 3:
        return 15;
    case 5:
        return 3;
    case 9:
        return 16;
    case 10:
        return 0;
    case 11:
        return 1;
    case 12:
        return 2;
    default:
        return -1;
    }
}

int kn_decode_icmpv4(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    int max;

    if (s.len < ICMP_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_ICMPV4_PKT_TOO_SMALL);
    kn_ctr_inc(d, KN_CTR_ICMPV4);
    p->l4 = s.b;
    p->l4_len = s.len;
    p->icmp_type = s.b[0];
    p->icmp_code = s.b[1];
    p->icmp_id = kn_rd_be16(s.b + 4);
    p->icmp_seq = kn_rd_be16(s.b + 6);
    set_payload(p, s, ICMP_HLEN);
    max = icmpv4_max_code(p->icmp_type);
    if (max < 0)
        kn_decode_anomaly(d, p, KN_ANOM_ICMPV4_UNKNOWN_TYPE);
    else if (p->icmp_code > max && p->icmp_type != 9)
        kn_decode_anomaly(d, p, KN_ANOM_ICMPV4_UNKNOWN_CODE);
    switch (p->icmp_type) {
    case 3: case 4: case 5: case 11: case 12:
        icmp_quoted(d, p, kn_span_skip(s, ICMP_HLEN), 0);
        break;
    default:
        break;
    }
    l4_verify(d, p, s, 1, KN_CTR_CSUM_ICMPV4_BAD);
    return KN_OK;
}

/* ICMPv6 type ranges (IANA icmpv6-parameters; RFC 4443 2.1). Returns the anomaly for a type
 * outside the assigned ones, or 0. */
static kn_anomaly_t icmpv6_type_check(uint8_t type, uint8_t code)
{
    switch (type) {
    case 1:
        return code > 7 ? KN_ANOM_ICMPV6_UNKNOWN_CODE : 0;
    case 2:
        return code != 0 ? KN_ANOM_ICMPV6_UNKNOWN_CODE : 0;
    case 3:
        return code > 1 ? KN_ANOM_ICMPV6_UNKNOWN_CODE : 0;
    case 4:
        return code > 10 ? KN_ANOM_ICMPV6_UNKNOWN_CODE : 0;
    case 128: case 129:
        return code != 0 ? KN_ANOM_ICMPV6_UNKNOWN_CODE : 0;
    case 100: case 101: case 200: case 201:
        return KN_ANOM_ICMPV6_EXPERIMENTATION_TYPE;
    case 0: case 127: case 255:
        return KN_ANOM_ICMPV6_UNKNOWN_TYPE;
    default:
        if (type < 128 || (type > 161 && type < 200) || type > 201)
            return KN_ANOM_ICMPV6_UNASSIGNED_TYPE;
        return 0;
    }
}

int kn_decode_icmpv6(kn_decoder_t *d, kn_packet_t *p, kn_span_t s)
{
    kn_anomaly_t a;

    if (s.len < ICMP_HLEN)
        return kn_decode_fail(d, p, KN_ANOM_ICMPV6_PKT_TOO_SMALL);
    kn_ctr_inc(d, KN_CTR_ICMPV6);
    p->l4 = s.b;
    p->l4_len = s.len;
    p->icmp_type = s.b[0];
    p->icmp_code = s.b[1];
    p->icmp_id = kn_rd_be16(s.b + 4);
    p->icmp_seq = kn_rd_be16(s.b + 6);
    set_payload(p, s, ICMP_HLEN);
    a = icmpv6_type_check(p->icmp_type, p->icmp_code);
    if (a)
        kn_decode_anomaly(d, p, a);
    if (p->icmp_type >= 1 && p->icmp_type <= 4)
        icmp_quoted(d, p, kn_span_skip(s, ICMP_HLEN), 1);
    /* MLD messages must come with a hop limit of 1 (RFC 2710 3, RFC 3810 5) */
    if ((p->icmp_type >= 130 && p->icmp_type <= 132) || p->icmp_type == 143) {
        if (p->ttl != 1)
            kn_decode_anomaly(d, p, KN_ANOM_ICMPV6_MLD_MESSAGE_WITH_INVALID_HL);
    }
    l4_verify(d, p, s, 58, KN_CTR_CSUM_ICMPV6_BAD);
    return KN_OK;
}
