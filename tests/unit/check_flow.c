/* check_flow.c: flow keys and direction, packet-time timeouts, port reuse, VLANs, flow ids and
 * the memory cap. */
#include <stdio.h>
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
    eng = NULL;
}

static void teardown(void)
{
    kn_engine_free(eng);
    free(col);
}

static void start(void)
{
    eng = kn_engine_new(&cfg, collect_cb, col);
    ck_assert_ptr_nonnull(eng);
}

static void udp(const char *src, uint16_t sp, const char *dst, uint16_t dp, double ts)
{
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, src, dst, 17);
    tb_udp(&t, sp, dp);
    tb_text(&t, "x");
    tb_finish(&t);
    ck_assert_int_eq(collect_feed(eng, t.b, t.len, ts, KN_LINK_ETHERNET), KN_OK);
}

static void tcp(const char *src, uint16_t sp, const char *dst, uint16_t dp, uint32_t seq,
                uint32_t ack, uint8_t flags, double ts)
{
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, src, dst, 6);
    tb_tcp(&t, sp, dp, seq, ack, flags);
    tb_finish(&t);
    ck_assert_int_eq(collect_feed(eng, t.b, t.len, ts, KN_LINK_ETHERNET), KN_OK);
}

START_TEST(both_directions_one_flow)
{
    const kn_flow_info_t *f;

    start();
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 1.0);
    udp("10.0.0.2", 53, "10.0.0.1", 5000, 1.1);
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 1.2);
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 1);
    f = &col->flows[0];
    ck_assert_uint_eq(f->sp, 5000);
    ck_assert_uint_eq(f->dp, 53);
    ck_assert_uint_eq(f->pkts[KN_TOSERVER], 2);
    ck_assert_uint_eq(f->pkts[KN_TOCLIENT], 1);
    ck_assert_uint_eq(f->state, KN_FLOW_ESTABLISHED);
    ck_assert_uint_eq(f->end, KN_END_SHUTDOWN);
    ck_assert_int_eq(f->start, 1000000);
    ck_assert_int_eq(f->last, 1200000);
}
END_TEST

/* A capture that begins with a DNS answer: the app layer turns the flow around, so the
 * resolver is the server and the answer is counted to the client. */
START_TEST(dns_answer_first_makes_its_sender_the_server)
{
    static const uint8_t ans[] = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
                                  1,    'a',  3,    'c',  'o', 'm', 0, 0, 1, 0, 1};
    const kn_flow_info_t *f;
    tb_t t;

    start();
    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.2", "10.0.0.1", 17);
    tb_udp(&t, 53, 5000);
    tb_bytes(&t, ans, sizeof(ans));
    tb_finish(&t);
    ck_assert_int_eq(collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET), KN_OK);
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 1.1);
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 1);
    f = &col->flows[0];
    ck_assert_uint_eq(f->sp, 5000);
    ck_assert_uint_eq(f->dp, 53);
    ck_assert_uint_eq(f->pkts[KN_TOCLIENT], 1);
    ck_assert_uint_eq(f->pkts[KN_TOSERVER], 1);
    ck_assert_uint_eq(f->app_proto, KN_APP_DNS);
    ck_assert_uint_eq(f->state, KN_FLOW_ESTABLISHED);
}
END_TEST

START_TEST(synack_first_makes_its_sender_the_server)
{
    const kn_flow_info_t *f;

    start();
    tcp("10.0.0.2", 80, "10.0.0.1", 40000, 500, 101, KN_TH_SYN | KN_TH_ACK, 1.0);
    tcp("10.0.0.1", 40000, "10.0.0.2", 80, 101, 501, KN_TH_ACK, 1.1);
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 1);
    f = &col->flows[0];
    ck_assert_uint_eq(f->dp, 80);
    ck_assert_uint_eq(f->sp, 40000);
    ck_assert_uint_eq(f->pkts[KN_TOCLIENT], 1);
    ck_assert_uint_eq(f->pkts[KN_TOSERVER], 1);
    ck_assert_uint_eq(f->tcp_flags[KN_TOCLIENT], KN_TH_SYN | KN_TH_ACK);
}
END_TEST

START_TEST(udp_timeout_in_packet_time)
{
    start();
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 100.0);
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 100.0 + cfg.timeouts[KN_FC_UDP].new_ - 0.5);
    ck_assert_int_eq(col->nflows, 0); /* still within the timeout */
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 100.0 + 3 * cfg.timeouts[KN_FC_UDP].new_);
    ck_assert_int_eq(col->nflows, 1);
    ck_assert_uint_eq(col->flows[0].end, KN_END_TIMEOUT);
    ck_assert_uint_eq(col->flows[0].pkts[KN_TOSERVER], 2);
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 2);
    ck_assert_uint_ne(col->flows[0].flow_id, col->flows[1].flow_id);
}
END_TEST

START_TEST(idle_flows_expire_while_others_run)
{
    start();
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 10.0);
    udp("10.0.0.7", 6000, "10.0.0.8", 53, 20.0);
    udp("10.0.0.7", 6000, "10.0.0.8", 53, 41.0); /* 31 s after the first flow's packet */
    ck_assert_int_eq(col->nflows, 1);
    ck_assert_uint_eq(col->flows[0].sp, 5000);
    ck_assert_int_eq(col->flow_ts[0], 41000000); /* reported at the packet time it expired */
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_FLOW_TIMEOUT], 1);
}
END_TEST

START_TEST(tcp_port_reuse_starts_a_new_flow)
{
    start();
    tcp("10.0.0.1", 40000, "10.0.0.2", 80, 100, 0, KN_TH_SYN, 1.0);
    tcp("10.0.0.2", 80, "10.0.0.1", 40000, 900, 101, KN_TH_SYN | KN_TH_ACK, 1.0);
    tcp("10.0.0.1", 40000, "10.0.0.2", 80, 101, 901, KN_TH_ACK, 1.0);
    tcp("10.0.0.1", 40000, "10.0.0.2", 80, 101, 901, KN_TH_RST | KN_TH_ACK, 2.0);
    tcp("10.0.0.1", 40000, "10.0.0.2", 80, 5555, 0, KN_TH_SYN, 3.0);
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 2);
    ck_assert_uint_eq(col->flows[0].end, KN_END_REUSE);
    ck_assert_uint_eq(col->flows[0].tcp_state, KN_TCP_CLOSED);
    ck_assert_uint_eq(col->flows[1].tcp_state, KN_TCP_SYN_SENT);
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_FLOW_TCP_REUSE], 1);
}
END_TEST

START_TEST(vlans_separate_flows_unless_disabled)
{
    tb_t t;
    int v, off;

    for (off = 0; off < 2; off++) {
        cfg.vlan_tracking = off ? 0 : 1;
        memset(col, 0, sizeof(*col));
        kn_engine_free(eng);
        start();
        for (v = 1; v <= 2; v++) {
            tb_init(&t);
            tb_eth(&t, 0x8100);
            tb_vlan(&t, (uint16_t)(10 * v), 0x0800);
            tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 17);
            tb_udp(&t, 1, 2);
            tb_finish(&t);
            collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET);
        }
        kn_engine_flush(eng);
        ck_assert_int_eq(col->nflows, off ? 1 : 2);
    }
}
END_TEST

START_TEST(flow_ids_are_stable_and_below_2_51)
{
    uint64_t first[8];
    int run, i;

    for (run = 0; run < 2; run++) {
        memset(col, 0, sizeof(*col));
        kn_engine_free(eng);
        start();
        for (i = 0; i < 8; i++)
            udp("10.0.0.1", (uint16_t)(1000 + i), "10.0.0.2", 53, 1.0 + i);
        kn_engine_flush(eng);
        ck_assert_int_eq(col->nflows, 8);
        for (i = 0; i < 8; i++) {
            ck_assert_uint_lt(col->flows[i].flow_id, 1ULL << 51);
            ck_assert_uint_gt(col->flows[i].flow_id, 0);
            if (run == 0)
                first[i] = col->flows[i].flow_id;
            else
                ck_assert_uint_eq(col->flows[i].flow_id, first[i]);
        }
    }
    for (i = 1; i < 8; i++)
        ck_assert_uint_ne(first[i], first[0]);
}
END_TEST

START_TEST(memcap_evicts_oldest_and_counts)
{
    const kn_counters_t *c;
    char ip[32];
    int i;

    cfg.flow_memcap = 1; /* the table's floor: 16 records */
    start();
    for (i = 0; i < 40; i++) {
        snprintf(ip, sizeof(ip), "10.1.0.%d", i + 1);
        udp(ip, 1000, "10.2.0.1", 53, 1.0 + i * 0.001);
    }
    c = kn_engine_counters(eng);
    ck_assert_uint_eq(c->c[KN_CTR_FLOW_ACTIVE], 16);
    ck_assert_uint_eq(c->c[KN_CTR_FLOW_EVICTED], 24);
    ck_assert_uint_ge(c->c[KN_CTR_FLOW_EMERG_ENTERED], 1);
    ck_assert_uint_eq(c->c[KN_CTR_FLOW_NO_FLOW_PKTS], 0);
    ck_assert_int_eq(col->nflows, 24);
    ck_assert_uint_eq(col->flows[0].end, KN_END_FORCED);
    ck_assert_uint_eq(col->flows[0].src.b[3], 1); /* the oldest went first */
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 40); /* every flow was reported exactly once */
}
END_TEST

START_TEST(simulated_memcap_from_packet_n)
{
    char ip[32];
    int i;

    cfg.simulate_flow_memcap_at = 5;
    start();
    for (i = 0; i < 10; i++) {
        snprintf(ip, sizeof(ip), "10.1.0.%d", i + 1);
        udp(ip, 1000, "10.2.0.1", 53, 1.0);
    }
    ck_assert_uint_gt(kn_engine_counters(eng)->c[KN_CTR_FLOW_EVICTED], 0);
    ck_assert_uint_gt(kn_engine_counters(eng)->c[KN_CTR_FLOW_MEMCAP], 0);
}
END_TEST

START_TEST(icmp_error_counts_with_its_flow)
{
    const kn_flow_info_t *f;
    tb_t t;

    start();
    udp("10.0.0.1", 33000, "10.0.0.2", 161, 1.0);
    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.2", "10.0.0.1", 1);
    tb_icmp(&t, 3, 3, 0, 0);
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 17);
    tb_udp(&t, 33000, 161);
    tb_finish(&t);
    collect_feed(eng, t.b, t.len, 1.1, KN_LINK_ETHERNET);
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 1);
    f = &col->flows[0];
    ck_assert_uint_eq(f->proto, 17);
    ck_assert_uint_eq(f->pkts[KN_TOCLIENT], 1);
    ck_assert_uint_eq(f->state, KN_FLOW_NEW); /* an error is not an answer */
}
END_TEST

/* An ICMPv4 error that matches no flow (or quotes too little) makes none, as in Suricata. */
START_TEST(unmatched_icmp_error_makes_no_flow)
{
    tb_t t;

    start();
    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.254", "10.0.0.1", 1);
    tb_icmp(&t, 11, 0, 0, 0); /* time exceeded */
    tb_ipv4(&t, "10.0.0.1", "10.9.9.9", 17);
    tb_udp(&t, 33434, 33435);
    tb_finish(&t);
    collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET);
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 0);
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_FLOW_ICMP_ERR_UNMATCHED], 1);
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_FLOW_NO_FLOW_PKTS], 0);
}
END_TEST

static void icmp6(const char *src, const char *dst, uint8_t type, double ts)
{
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x86dd);
    tb_ipv6(&t, src, dst, 58);
    tb_icmp6(&t, type, 0, 1, 1);
    tb_finish(&t);
    collect_feed(eng, t.b, t.len, ts, KN_LINK_ETHERNET);
}

/* ICMPv6: a message and its reply share a flow; other types are flows of their own. */
START_TEST(icmpv6_flows_by_type)
{
    int i;

    start();
    icmp6("2001:db8::1", "2001:db8::2", 128, 1.0); /* echo request */
    icmp6("2001:db8::2", "2001:db8::1", 129, 1.1); /* echo reply */
    icmp6("2001:db8::1", "2001:db8::2", 135, 1.2); /* neighbour solicitation */
    icmp6("2001:db8::2", "2001:db8::1", 136, 1.3); /* neighbour advertisement */
    icmp6("2001:db8::2", "2001:db8::1", 1, 1.4);   /* destination unreachable */
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 3);
    for (i = 0; i < 3; i++) { /* echo and neighbour discovery both ways; the error alone */
        const kn_flow_info_t *f = &col->flows[i];
        ck_assert_uint_eq(f->pkts[KN_TOSERVER], 1);
        ck_assert_uint_eq(f->pkts[KN_TOCLIENT], f->icmp_type[KN_TOSERVER] == 1 ? 0 : 1);
    }
}
END_TEST

START_TEST(esp_flows_by_spi)
{
    tb_t t;
    int i;

    start();
    for (i = 0; i < 3; i++) {
        tb_init(&t);
        tb_eth(&t, 0x0800);
        tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 50);
        tb_be32(&t, i == 2 ? 0x2222 : 0x1111); /* SPI */
        tb_be32(&t, (uint32_t)i + 1);          /* sequence */
        tb_finish(&t);
        collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET);
    }
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 2);
    ck_assert(col->flows[0].has_spi);
    ck_assert_uint_eq(col->flows[0].spi + col->flows[1].spi, 0x3333);
}
END_TEST

/* Timeouts count whole seconds, as Suricata: 30.9 s after a packet at x.9 is still alive. */
START_TEST(timeouts_in_whole_seconds)
{
    start();
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 100.9);
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 130.95);
    ck_assert_int_eq(col->nflows, 0);
    udp("10.0.0.1", 5000, "10.0.0.2", 53, 161.0);
    ck_assert_int_eq(col->nflows, 1);
}
END_TEST

START_TEST(icmp_echo_is_one_flow)
{
    const kn_flow_info_t *f;
    tb_t t;
    int i;

    start();
    for (i = 0; i < 2; i++) {
        tb_init(&t);
        tb_eth(&t, 0x0800);
        tb_ipv4(&t, i ? "10.0.0.2" : "10.0.0.1", i ? "10.0.0.1" : "10.0.0.2", 1);
        tb_icmp(&t, i ? 0 : 8, 0, 77, 1);
        tb_finish(&t);
        collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET);
    }
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 1);
    f = &col->flows[0];
    ck_assert_uint_eq(f->icmp_type[KN_TOSERVER], 8);
    ck_assert_uint_eq(f->icmp_type[KN_TOCLIENT], 0);
    ck_assert_uint_eq(f->state, KN_FLOW_ESTABLISHED);
}
END_TEST

Suite *suite_flow(void)
{
    Suite *s = suite_create("flow");
    TCase *tc = tcase_create("table");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, both_directions_one_flow);
    tcase_add_test(tc, synack_first_makes_its_sender_the_server);
    tcase_add_test(tc, dns_answer_first_makes_its_sender_the_server);
    tcase_add_test(tc, udp_timeout_in_packet_time);
    tcase_add_test(tc, idle_flows_expire_while_others_run);
    tcase_add_test(tc, tcp_port_reuse_starts_a_new_flow);
    tcase_add_test(tc, vlans_separate_flows_unless_disabled);
    tcase_add_test(tc, flow_ids_are_stable_and_below_2_51);
    tcase_add_test(tc, memcap_evicts_oldest_and_counts);
    tcase_add_test(tc, simulated_memcap_from_packet_n);
    tcase_add_test(tc, icmp_error_counts_with_its_flow);
    tcase_add_test(tc, icmp_echo_is_one_flow);
    tcase_add_test(tc, unmatched_icmp_error_makes_no_flow);
    tcase_add_test(tc, icmpv6_flows_by_type);
    tcase_add_test(tc, esp_flows_by_spi);
    tcase_add_test(tc, timeouts_in_whole_seconds);
    suite_add_tcase(s, tc);
    return s;
}
