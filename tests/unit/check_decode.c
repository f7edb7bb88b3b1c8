/* check_decode.c: link, VLAN, MPLS, PPPoE, IPv4/IPv6, TCP/UDP/ICMP decoding, at full length
 * and cut at every length (both as a snaplen cut and as a frame that is really short). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "pktbuild.h"
#include "suites.h"

static kn_engine_config_t cfg;
static kn_counters_t ctr;
static kn_decoder_t dec;
static uint8_t *copy; /* the frame under test, in a buffer of exactly its size */

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    memset(&ctr, 0, sizeof(ctr));
    dec.cfg = &cfg;
    dec.ctr = &ctr;
    copy = NULL;
}

static void teardown(void)
{
    free(copy);
}

/* Decodes caplen bytes of b (wirelen on the wire) from the link layer into p. */
static int decode_n(kn_packet_t *p, const uint8_t *b, size_t caplen, size_t wirelen, int link)
{
    free(copy);
    copy = malloc(caplen ? caplen : 1);
    memcpy(copy, b, caplen);
    memset(p, 0, sizeof(*p));
    p->data = copy;
    p->caplen = (uint32_t)caplen;
    p->wirelen = (uint32_t)wirelen;
    p->linktype = link;
    return kn_decode(&dec, p, KN_L_NONE);
}

static int decode_tb(kn_packet_t *p, const tb_t *t)
{
    return decode_n(p, t->b, t->len, t->len, KN_LINK_ETHERNET);
}

static int has_anomaly(const kn_packet_t *p, kn_anomaly_t a)
{
    uint8_t i;

    for (i = 0; i < p->anomaly_n; i++)
        if (p->anomalies[i] == a)
            return 1;
    return 0;
}

static void addr4(kn_addr_t *a, const char *s)
{
    memset(a, 0, sizeof(*a));
    inet_pton(AF_INET, s, a->b);
}

/* Ethernet / IPv4 / TCP with MSS and window scale, 5 bytes of payload. */
static void build_tcp4(tb_t *t)
{
    static const uint8_t opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7};

    tb_init(t);
    tb_eth(t, 0x0800);
    tb_ipv4(t, "192.0.2.1", "198.51.100.7", 6);
    tb_tcp_opts(t, 40000, 80, 1000, 0, KN_TH_SYN, opts, sizeof(opts));
    tb_text(t, "hello");
    tb_finish(t);
}

START_TEST(ipv4_tcp_fields)
{
    kn_packet_t p;
    kn_addr_t a;
    tb_t t;

    build_tcp4(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert_uint_eq(p.ip_v, 4);
    ck_assert_uint_eq(p.proto, 6);
    addr4(&a, "192.0.2.1");
    ck_assert_mem_eq(p.src.b, a.b, 16);
    addr4(&a, "198.51.100.7");
    ck_assert_mem_eq(p.dst.b, a.b, 16);
    ck_assert_uint_eq(p.sport, 40000);
    ck_assert_uint_eq(p.dport, 80);
    ck_assert_uint_eq(p.tcp_seq, 1000);
    ck_assert_uint_eq(p.tcp_flags, KN_TH_SYN);
    ck_assert_uint_eq(p.tcp_mss, 1460);
    ck_assert_uint_eq(p.tcp_wscale, 7);
    ck_assert_uint_eq(p.payload_len, 5);
    ck_assert_mem_eq(p.payload, "hello", 5);
    ck_assert_uint_eq(p.anomaly_n, 0);
    ck_assert_uint_eq(p.flags & (KN_PKT_BAD_CSUM | KN_PKT_INVALID | KN_PKT_TRUNCATED), 0);
    ck_assert_uint_eq(ctr.c[KN_CTR_ETHERNET], 1);
    ck_assert_uint_eq(ctr.c[KN_CTR_IPV4], 1);
    ck_assert_uint_eq(ctr.c[KN_CTR_TCP], 1);
}
END_TEST

START_TEST(bad_checksum_is_counted_and_kept)
{
    kn_packet_t p;
    tb_t t;

    build_tcp4(&t);
    tb_corrupt_last(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert(p.flags & KN_PKT_BAD_CSUM);
    ck_assert_uint_eq(ctr.c[KN_CTR_CSUM_TCP_BAD], 1);
    ck_assert_uint_eq(ctr.c[KN_CTR_CSUM_IPV4_BAD], 0);
    ck_assert_uint_eq(p.sport, 40000);
}
END_TEST

START_TEST(ethernet_padding_is_not_payload)
{
    static const uint8_t pad[6] = {0};
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 6);
    tb_tcp(&t, 1, 2, 3, 4, KN_TH_ACK);
    tb_finish(&t);
    tb_bytes(&t, pad, sizeof(pad)); /* after finish: not counted in the IP length */
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert_uint_eq(p.payload_len, 0);
    ck_assert_uint_eq(p.flags & KN_PKT_BAD_CSUM, 0);
}
END_TEST

/* A frame cut short on the wire: every cut is rejected with a named anomaly. */
START_TEST(short_frames_are_rejected)
{
    kn_packet_t p;
    size_t n;
    tb_t t;

    build_tcp4(&t);
    for (n = 0; n < t.len; n++) {
        ck_assert_int_eq(decode_n(&p, t.b, n, n, KN_LINK_ETHERNET), KN_ERR);
        ck_assert(p.flags & KN_PKT_INVALID);
        ck_assert_uint_ge(p.anomaly_n, 1);
        if (n < 14)
            ck_assert(has_anomaly(&p, KN_ANOM_ETH_PKT_TOO_SMALL));
        else if (n < 34)
            ck_assert(has_anomaly(&p, KN_ANOM_IPV4_PKT_TOO_SMALL));
        else
            ck_assert(has_anomaly(&p, KN_ANOM_IPV4_TRUNC_PKT));
    }
}
END_TEST

/* The same cuts made by a snaplen: headers that were captured are still used. */
START_TEST(snaplen_cuts_keep_what_was_captured)
{
    kn_packet_t p;
    size_t n;
    tb_t t;

    build_tcp4(&t);
    for (n = 0; n < t.len; n++) {
        int rc = decode_n(&p, t.b, n, t.len, KN_LINK_ETHERNET);
        if (n < 34 + 20) { /* Ethernet + IPv4 + fixed TCP header not all there */
            ck_assert_int_eq(rc, KN_ERR);
            continue;
        }
        ck_assert_int_eq(rc, KN_OK);
        ck_assert(p.flags & KN_PKT_TRUNCATED);
        ck_assert_uint_eq(p.sport, 40000);
        ck_assert_uint_eq(p.payload_len, n > 62 ? n - 62 : 0);
        ck_assert_uint_eq(p.payload_wirelen, 5);
        ck_assert_uint_eq(p.flags & KN_PKT_BAD_CSUM, 0); /* not verifiable, so not bad */
    }
}
END_TEST

START_TEST(qinq_vlans)
{
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x88a8);
    tb_vlan(&t, 100, 0x8100);
    tb_vlan(&t, 200, 0x0800);
    tb_ipv4(&t, "10.1.1.1", "10.1.1.2", 17);
    tb_udp(&t, 53, 53);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert_uint_eq(p.vlan_n, 2);
    ck_assert_uint_eq(p.vlan[0], 100);
    ck_assert_uint_eq(p.vlan[1], 200);
    ck_assert_uint_eq(ctr.c[KN_CTR_VLAN], 1);
    ck_assert_uint_eq(ctr.c[KN_CTR_VLAN_QINQ], 1);
    ck_assert_uint_eq(p.dport, 53);
}
END_TEST

START_TEST(four_vlans_are_too_many)
{
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x8100);
    tb_vlan(&t, 1, 0x8100);
    tb_vlan(&t, 2, 0x8100);
    tb_vlan(&t, 3, 0x8100);
    tb_vlan(&t, 4, 0x0800);
    tb_ipv4(&t, "10.1.1.1", "10.1.1.2", 17);
    tb_udp(&t, 1, 2);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_ERR);
    ck_assert(has_anomaly(&p, KN_ANOM_VLAN_TOO_MANY_LAYERS));
}
END_TEST

START_TEST(mpls_stack_to_ipv4)
{
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x8847);
    tb_be32(&t, (1000u << 12) | 64);             /* label 1000, not bottom */
    tb_be32(&t, (2000u << 12) | (1u << 8) | 64); /* label 2000, bottom of stack */
    tb_ipv4(&t, "10.2.0.1", "10.2.0.2", 6);
    tb_tcp(&t, 1234, 443, 1, 0, KN_TH_SYN);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert_uint_eq(ctr.c[KN_CTR_MPLS], 1);
    ck_assert_uint_eq(p.dport, 443);
}
END_TEST

START_TEST(pppoe_session_to_ipv4)
{
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x8864);
    tb_u8(&t, 0x11);
    tb_u8(&t, 0x00);
    tb_be16(&t, 0x0042);
    tb_be16(&t, 2 + 20 + 8); /* PPP protocol + IPv4 + UDP */
    tb_be16(&t, 0x0021);
    tb_ipv4(&t, "100.64.0.1", "100.64.0.2", 17);
    tb_udp(&t, 5000, 5001);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert_uint_eq(ctr.c[KN_CTR_PPPOE], 1);
    ck_assert_uint_eq(p.sport, 5000);
}
END_TEST

START_TEST(unknown_ethertype_is_named)
{
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x1234);
    tb_text(&t, "payload bytes");
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert(has_anomaly(&p, KN_ANOM_ETH_UNKNOWN_ETHERTYPE));
    ck_assert_uint_eq(p.ip_v, 0);
}
END_TEST

START_TEST(ipv6_extension_headers)
{
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x86dd);
    tb_ipv6(&t, "2001:db8::1", "2001:db8::2", 0);
    /* hop-by-hop: next 60, len 0 (8 bytes), PadN of 4 */
    tb_u8(&t, 60);
    tb_u8(&t, 0);
    tb_u8(&t, 1);
    tb_u8(&t, 4);
    tb_be32(&t, 0);
    /* destination options: next TCP, len 0, Pad1 x6 */
    tb_u8(&t, 6);
    tb_u8(&t, 0);
    tb_be32(&t, 0);
    tb_be16(&t, 0);
    tb_tcp(&t, 5555, 22, 77, 0, KN_TH_SYN);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert_uint_eq(p.ip_v, 6);
    ck_assert_uint_eq(p.proto, 6);
    ck_assert_uint_eq(p.l3_hlen, 40 + 16);
    ck_assert_uint_eq(p.dport, 22);
    ck_assert(has_anomaly(&p, KN_ANOM_IPV6_HOPOPTS_ONLY_PADDING));
    ck_assert(has_anomaly(&p, KN_ANOM_IPV6_DSTOPTS_ONLY_PADDING));
    ck_assert_uint_eq(p.flags & KN_PKT_BAD_CSUM, 0);
}
END_TEST

START_TEST(ipv6_routing_type0_and_atomic_fragment)
{
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x86dd);
    tb_ipv6(&t, "2001:db8::1", "2001:db8::2", 43);
    tb_u8(&t, 44); /* routing header type 0, next: fragment */
    tb_u8(&t, 0);
    tb_u8(&t, 0);
    tb_u8(&t, 0);
    tb_be32(&t, 0);
    tb_u8(&t, 17); /* fragment header, offset 0, M=0: atomic */
    tb_u8(&t, 0);
    tb_be16(&t, 0);
    tb_be32(&t, 0xabcd);
    tb_udp(&t, 1000, 2000);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert(has_anomaly(&p, KN_ANOM_IPV6_RH_TYPE_0));
    ck_assert(has_anomaly(&p, KN_ANOM_IPV6_EXTHDR_USELESS_FH));
    ck_assert_uint_eq(p.flags & KN_PKT_FRAGMENT, 0);
    ck_assert_uint_eq(p.sport, 1000);
}
END_TEST

START_TEST(ipv6_extension_header_cuts)
{
    kn_packet_t p;
    size_t n;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x86dd);
    tb_ipv6(&t, "2001:db8::1", "2001:db8::2", 60);
    tb_u8(&t, 17);
    tb_u8(&t, 1); /* 16 bytes */
    tb_u8(&t, 1);
    tb_u8(&t, 12);
    tb_be32(&t, 0);
    tb_be32(&t, 0);
    tb_be32(&t, 0);
    tb_udp(&t, 1, 2);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    for (n = 0; n < t.len; n++) { /* every snaplen cut is safe, none reaches a bad read */
        decode_n(&p, t.b, n, t.len, KN_LINK_ETHERNET);
        if (n < 14 + 40 + 16 + 8)
            ck_assert(p.flags & KN_PKT_INVALID);
    }
}
END_TEST

START_TEST(ipv4_options)
{
    static const uint8_t rr[8] = {7, 7, 4, 0, 0, 0, 0, 0};       /* record route, 1 slot */
    static const uint8_t broken[4] = {1, 0x44, 40, 5};           /* NOP, TS claiming 40 bytes */
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4_ex(&t, "10.0.0.1", "10.0.0.2", 17, 1, 0, 0, rr, sizeof(rr));
    tb_udp(&t, 1, 2);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert_uint_ne(p.ipopts, 0);
    ck_assert_uint_eq(p.anomaly_n, 0);
    ck_assert_uint_eq(p.sport, 1);

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4_ex(&t, "10.0.0.1", "10.0.0.2", 17, 1, 0, 0, broken, sizeof(broken));
    tb_udp(&t, 1, 2);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert(has_anomaly(&p, KN_ANOM_IPV4_OPT_MALFORMED));
}
END_TEST

START_TEST(udp_length_checks)
{
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 17);
    tb_udp(&t, 7, 9);
    tb_text(&t, "abcd");
    tb_finish(&t);
    t.b[14 + 20 + 4] = 0;
    t.b[14 + 20 + 5] = 200; /* longer than the datagram */
    ck_assert_int_eq(decode_tb(&p, &t), KN_ERR);
    ck_assert(has_anomaly(&p, KN_ANOM_UDP_HLEN_INVALID));
    t.b[14 + 20 + 5] = 4; /* shorter than its own header */
    ck_assert_int_eq(decode_tb(&p, &t), KN_ERR);
    ck_assert(has_anomaly(&p, KN_ANOM_UDP_HLEN_TOO_SMALL));
}
END_TEST

START_TEST(icmp_error_quotes_its_flow)
{
    kn_packet_t p;
    kn_addr_t a;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.2", "10.0.0.1", 1);
    tb_icmp(&t, 3, 3, 0, 0); /* port unreachable, quoting ... */
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 17);
    tb_udp(&t, 33000, 161);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK);
    ck_assert(p.flags & KN_PKT_ICMP_ERROR);
    ck_assert_uint_eq(p.icmp_type, 3);
    ck_assert_uint_eq(p.q_proto, 17);
    ck_assert_uint_eq(p.q_sport, 33000);
    ck_assert_uint_eq(p.q_dport, 161);
    addr4(&a, "10.0.0.1");
    ck_assert_mem_eq(p.q_src.b, a.b, 16);
    ck_assert_uint_eq(p.flags & KN_PKT_BAD_CSUM, 0);
}
END_TEST

START_TEST(icmpv6_mld_hop_limit)
{
    kn_packet_t p;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x86dd);
    tb_ipv6(&t, "fe80::1", "ff02::16", 58);
    tb_icmp6(&t, 143, 0, 0, 0);
    tb_finish(&t);
    ck_assert_int_eq(decode_tb(&p, &t), KN_OK); /* hop limit is 64, MLD wants 1 */
    ck_assert(has_anomaly(&p, KN_ANOM_ICMPV6_MLD_MESSAGE_WITH_INVALID_HL));
    ck_assert_uint_eq(p.flags & KN_PKT_BAD_CSUM, 0);
}
END_TEST

/* The same IPv4/UDP datagram behind each link header kanshi reads. */
START_TEST(link_types)
{
    static const struct { int link; uint8_t hdr[20]; size_t hlen; } links[] = {
        {KN_LINK_SLL, {0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00}, 16},
        {KN_LINK_SLL2, {0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6}, 20},
        {KN_LINK_NULL, {2, 0, 0, 0}, 4},         /* little-endian writer */
        {KN_LINK_NULL, {0, 0, 0, 2}, 4},         /* big-endian writer */
        {KN_LINK_LOOP, {0, 0, 0, 2}, 4},
        {KN_LINK_RAW, {0}, 0},
        {KN_LINK_IPV4, {0}, 0},
        {KN_LINK_CHDLC, {0x0f, 0x00, 0x08, 0x00}, 4},
        {KN_LINK_PPP, {0xff, 0x03, 0x00, 0x21}, 4},
    };
    uint8_t frame[128];
    kn_packet_t p;
    size_t i;
    tb_t t;

    tb_init(&t);
    tb_ipv4(&t, "10.9.9.1", "10.9.9.2", 17);
    tb_udp(&t, 4444, 5555);
    tb_finish(&t);
    for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        memcpy(frame, links[i].hdr, links[i].hlen);
        memcpy(frame + links[i].hlen, t.b, t.len);
        ck_assert_int_eq(decode_n(&p, frame, links[i].hlen + t.len, links[i].hlen + t.len,
                                  links[i].link),
                         KN_OK);
        ck_assert_uint_eq(p.dport, 5555);
    }
    /* NFLOG: header, a prefix record (type 10, 8 bytes), then the payload record (type 9);
     * record lengths and types in the reading host's order */
    {
        uint16_t plen = (uint16_t)(4 + t.len), nine = 9, ten = 10, eight = 8;
        size_t n = 0;
        frame[n++] = 2; frame[n++] = 0; frame[n++] = 0; frame[n++] = 0;
        memcpy(frame + n, &eight, 2); memcpy(frame + n + 2, &ten, 2); n += 4;
        memcpy(frame + n, "abcd", 4); n += 4;
        memcpy(frame + n, &plen, 2); memcpy(frame + n + 2, &nine, 2); n += 4;
        memcpy(frame + n, t.b, t.len);
        ck_assert_int_eq(decode_n(&p, frame, n + t.len, n + t.len, KN_LINK_NFLOG), KN_OK);
        ck_assert_uint_eq(p.dport, 5555);
        plen = 200; /* longer than the frame */
        memcpy(frame + 12, &plen, 2);
        ck_assert_int_eq(decode_n(&p, frame, n + t.len, n + t.len, KN_LINK_NFLOG), KN_ERR);
        ck_assert(has_anomaly(&p, KN_ANOM_NFLOG_MALFORMED));
    }
    ck_assert_int_eq(decode_n(&p, t.b, t.len, t.len, 147), KN_ERR); /* a user DLT */
    ck_assert(has_anomaly(&p, KN_ANOM_UNKNOWN_LINKTYPE));
}
END_TEST

/* Random bytes behind every link type: nothing may crash or read out of bounds (run under
 * ASan by `make asan`), and every rejection must be named. */
START_TEST(random_frames)
{
    static const int links[] = {KN_LINK_ETHERNET, KN_LINK_SLL, KN_LINK_SLL2, KN_LINK_RAW,
                                KN_LINK_NULL, KN_LINK_PPP};
    uint8_t frame[256];
    unsigned seed = 12345;
    kn_packet_t p;
    int i, j;

    for (i = 0; i < 20000; i++) {
        size_t n = (size_t)(rand_r(&seed) % (int)sizeof(frame));
        for (j = 0; j < (int)n; j++)
            frame[j] = (uint8_t)rand_r(&seed);
        if (n > 14 && (i & 1)) { /* make half of them look like IP to get deeper */
            frame[12] = 0x08;
            frame[13] = (i & 2) ? 0x00 : 0x86;
            if (i & 2)
                frame[14] = (uint8_t)(0x45 + (frame[14] & 3));
            else
                frame[14] = 0x60;
        }
        if (decode_n(&p, frame, n, n + (size_t)(i % 3), links[i % 6]) == KN_ERR)
            ck_assert_uint_ge(p.anomaly_n, 1);
    }
}
END_TEST

Suite *suite_decode(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("layers");
    TCase *tr = tcase_create("truncation");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_checked_fixture(tr, setup, teardown);
    tcase_add_test(tc, ipv4_tcp_fields);
    tcase_add_test(tc, bad_checksum_is_counted_and_kept);
    tcase_add_test(tc, ethernet_padding_is_not_payload);
    tcase_add_test(tc, qinq_vlans);
    tcase_add_test(tc, four_vlans_are_too_many);
    tcase_add_test(tc, mpls_stack_to_ipv4);
    tcase_add_test(tc, pppoe_session_to_ipv4);
    tcase_add_test(tc, unknown_ethertype_is_named);
    tcase_add_test(tc, ipv6_extension_headers);
    tcase_add_test(tc, ipv6_routing_type0_and_atomic_fragment);
    tcase_add_test(tc, ipv4_options);
    tcase_add_test(tc, udp_length_checks);
    tcase_add_test(tc, icmp_error_quotes_its_flow);
    tcase_add_test(tc, icmpv6_mld_hop_limit);
    tcase_add_test(tc, link_types);
    tcase_add_test(tr, short_frames_are_rejected);
    tcase_add_test(tr, snaplen_cuts_keep_what_was_captured);
    tcase_add_test(tr, ipv6_extension_header_cuts);
    tcase_add_test(tr, random_frames);
    tcase_set_timeout(tr, 60);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, tr);
    return s;
}
