/* check_tunnel.c: each encapsulation gives its inner packet a flow of its own, with the outer
 * layer recorded; UDP carriers keep their own flow, GRE and IP-in-IP carriers do not. */
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "pktbuild.h"
#include "suites.h"

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static collect_t *col;

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    col = calloc(1, sizeof(*col));
    eng = kn_engine_new(&cfg, collect_cb, col);
}

static void teardown(void)
{
    kn_engine_free(eng);
    free(col);
}

static void run(const tb_t *t)
{
    ck_assert_int_eq(collect_feed(eng, t->b, t->len, 1000.0, KN_LINK_ETHERNET), KN_OK);
    kn_engine_flush(eng);
}

static void inner_tcp4(tb_t *t)
{
    tb_ipv4(t, "172.16.0.1", "172.16.0.2", 6);
    tb_tcp(t, 33333, 80, 1, 0, KN_TH_SYN);
}

START_TEST(gre_ipv4)
{
    const kn_flow_info_t *f;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "198.51.100.1", "198.51.100.2", 47);
    tb_be16(&t, 0x0000);
    tb_be16(&t, 0x0800);
    inner_tcp4(&t);
    tb_finish(&t);
    run(&t);
    ck_assert_int_eq(col->nflows, 1); /* the GRE carrier is not a flow of its own */
    f = collect_find(col, 6, 80);
    ck_assert_ptr_nonnull(f);
    ck_assert(f->has_tunnel);
    ck_assert_uint_eq(f->tunnel.kind, KN_TUN_GRE);
    ck_assert_uint_eq(f->tunnel.depth, 1);
    ck_assert_uint_eq(f->tunnel.proto, 47);
    ck_assert_uint_eq(f->tunnel.src.b[3], 1);
}
END_TEST

START_TEST(vxlan_keeps_outer_udp_flow)
{
    const kn_flow_info_t *outer, *inner;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "192.168.56.11", "192.168.56.12", 17);
    tb_udp(&t, 40000, 4789);
    tb_be32(&t, 0x08000000);
    tb_be32(&t, 42u << 8);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 17);
    tb_udp(&t, 5353, 53);
    tb_finish(&t);
    run(&t);
    ck_assert_int_eq(col->nflows, 2);
    outer = collect_find(col, 17, 4789);
    inner = collect_find(col, 17, 53);
    ck_assert_ptr_nonnull(outer);
    ck_assert_ptr_nonnull(inner);
    ck_assert(!outer->has_tunnel);
    ck_assert(inner->has_tunnel);
    ck_assert_uint_eq(inner->tunnel.kind, KN_TUN_VXLAN);
    ck_assert_uint_eq(inner->tunnel.dport, 4789);
    ck_assert_uint_eq(inner->tunnel.sport, 40000);
}
END_TEST

START_TEST(geneve_ethernet)
{
    const kn_flow_info_t *inner;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "20.0.0.1", "20.0.0.2", 17);
    tb_udp(&t, 50901, 6081);
    tb_u8(&t, 0x01); /* version 0, one 4-byte option word */
    tb_u8(&t, 0x00);
    tb_be16(&t, 0x6558);
    tb_be32(&t, 7u << 8);
    tb_be32(&t, 0xdeadbeef); /* the option */
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "30.0.0.1", "30.0.0.2", 1);
    tb_icmp(&t, 8, 0, 1, 1);
    tb_finish(&t);
    run(&t);
    inner = collect_find(col, 1, 0);
    ck_assert_ptr_nonnull(inner);
    ck_assert_uint_eq(inner->tunnel.kind, KN_TUN_GENEVE);
    ck_assert_uint_eq(inner->icmp_type[KN_TOSERVER], 8);
}
END_TEST

START_TEST(teredo_ipv6)
{
    const kn_flow_info_t *inner;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "192.168.2.16", "65.55.158.80", 17);
    tb_udp(&t, 3797, 3544);
    tb_ipv6(&t, "2001:0:4137:9e50::1", "2001:4860::68", 17);
    tb_udp(&t, 1111, 2222);
    tb_finish(&t);
    run(&t);
    inner = collect_find(col, 17, 2222);
    ck_assert_ptr_nonnull(inner);
    ck_assert_uint_eq(inner->ip_v, 6);
    ck_assert_uint_eq(inner->tunnel.kind, KN_TUN_TEREDO);
    ck_assert_ptr_nonnull(collect_find(col, 17, 3544));
}
END_TEST

START_TEST(udp_on_teredo_port_that_is_not_ipv6)
{
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "192.168.2.16", "65.55.158.80", 17);
    tb_udp(&t, 3797, 3544);
    tb_text(&t, "this is not an IPv6 packet, but long enough to look at.......");
    tb_finish(&t);
    run(&t);
    ck_assert_int_eq(col->nflows, 1);
    ck_assert(!col->flows[0].has_tunnel);
}
END_TEST

START_TEST(gtpu_with_extension_header)
{
    const kn_flow_info_t *inner;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "63.94.149.181", "239.114.155.111", 17);
    tb_udp(&t, 2152, 2152);
    tb_u8(&t, 0x34); /* version 1, PT, E */
    tb_u8(&t, 0xff);
    tb_be16(&t, 0);  /* length: not checked by the decoder */
    tb_be32(&t, 0x11223344);
    tb_be16(&t, 0); /* sequence */
    tb_u8(&t, 0);   /* N-PDU */
    tb_u8(&t, 0x85); /* next extension: PDU session container */
    tb_u8(&t, 1);    /* 4 bytes */
    tb_u8(&t, 0);
    tb_u8(&t, 9);
    tb_u8(&t, 0); /* no more extensions */
    inner_tcp4(&t);
    tb_finish(&t);
    run(&t);
    inner = collect_find(col, 6, 80);
    ck_assert_ptr_nonnull(inner);
    ck_assert_uint_eq(inner->tunnel.kind, KN_TUN_GTPU);
}
END_TEST

START_TEST(ip_in_ip_variants)
{
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "1.1.1.1", "2.2.2.2", 4);
    inner_tcp4(&t);
    tb_finish(&t);
    ck_assert_int_eq(collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET), KN_OK);
    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "1.1.1.1", "2.2.2.2", 41);
    tb_ipv6(&t, "2001:db8::a", "2001:db8::b", 6);
    tb_tcp(&t, 1, 2, 3, 0, KN_TH_SYN);
    tb_finish(&t);
    ck_assert_int_eq(collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET), KN_OK);
    tb_init(&t);
    tb_eth(&t, 0x86dd);
    tb_ipv6(&t, "2001:db8::1", "2001:db8::2", 4);
    tb_ipv4(&t, "70.55.213.211", "192.88.99.1", 6);
    tb_tcp(&t, 31337, 80, 1, 0, KN_TH_SYN);
    tb_finish(&t);
    ck_assert_int_eq(collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET), KN_OK);
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 4); /* and, as in Suricata, the 6in4 carrier is a flow */
    ck_assert_ptr_nonnull(collect_find(col, 41, 0));
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_IPV4_IN_IPV4], 1);
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_IPV6_IN_IPV4], 1);
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_IPV4_IN_IPV6], 1);
    ck_assert_uint_eq(collect_find(col, 6, 80)->tunnel.kind, KN_TUN_IPIP);
}
END_TEST

START_TEST(erspan2_vlan)
{
    const kn_flow_info_t *inner;
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.10.10.1", "10.10.10.2", 47);
    tb_be16(&t, 0x1000); /* S: sequence present */
    tb_be16(&t, 0x88be);
    tb_be32(&t, 1);
    tb_be16(&t, 0x1000 | 23); /* ERSPAN version 1 (type II), VLAN 23 */
    tb_be16(&t, 0x0001);
    tb_be32(&t, 0);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "23.0.0.2", "23.0.0.3", 1);
    tb_icmp(&t, 8, 0, 1, 1);
    tb_finish(&t);
    run(&t);
    inner = collect_find(col, 1, 0);
    ck_assert_ptr_nonnull(inner);
    ck_assert_uint_eq(inner->vlan_n, 1);
    ck_assert_uint_eq(inner->vlan[0], 23);
    ck_assert_uint_eq(inner->tunnel.kind, KN_TUN_ERSPAN);
}
END_TEST

/* GRE in GRE in GRE ...: decoding stops at the depth limit with an anomaly, no recursion. */
START_TEST(nesting_is_bounded)
{
    tb_t t;
    int i;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    for (i = 0; i < 8; i++) {
        tb_ipv4(&t, "9.9.9.1", "9.9.9.2", 47);
        tb_be16(&t, 0);
        tb_be16(&t, 0x0800);
    }
    inner_tcp4(&t);
    tb_finish(&t);
    run(&t);
    ck_assert_int_eq(col->nflows, 0);
    ck_assert(collect_has_anomaly(col, KN_ANOM_TOO_MANY_LAYERS));
}
END_TEST

Suite *suite_tunnel(void)
{
    Suite *s = suite_create("tunnel");
    TCase *tc = tcase_create("encapsulations");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, gre_ipv4);
    tcase_add_test(tc, vxlan_keeps_outer_udp_flow);
    tcase_add_test(tc, geneve_ethernet);
    tcase_add_test(tc, teredo_ipv6);
    tcase_add_test(tc, udp_on_teredo_port_that_is_not_ipv6);
    tcase_add_test(tc, gtpu_with_extension_header);
    tcase_add_test(tc, ip_in_ip_variants);
    tcase_add_test(tc, erspan2_vlan);
    tcase_add_test(tc, nesting_is_bounded);
    suite_add_tcase(s, tc);
    return s;
}
