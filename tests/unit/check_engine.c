/* check_engine.c: the packet path as a whole: counters, anomaly events tied to their flow, and
 * byte-identical results for identical input. */
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "pktbuild.h"
#include "suites.h"

static kn_engine_config_t cfg;

static void feed_mix(kn_engine_t *e)
{
    tb_t t;
    int i;

    for (i = 0; i < 50; i++) {
        tb_init(&t);
        tb_eth(&t, 0x0800);
        tb_ipv4(&t, "10.0.0.1", i % 3 ? "10.0.0.2" : "10.0.0.3", (uint8_t)(i % 2 ? 17 : 6));
        if (i % 2)
            tb_udp(&t, (uint16_t)(1000 + i % 5), 53);
        else
            tb_tcp(&t, (uint16_t)(2000 + i % 7), 80, (uint32_t)i, 0, KN_TH_SYN);
        tb_finish(&t);
        collect_feed(e, t.b, t.len, 10.0 + i * 2.5, KN_LINK_ETHERNET);
    }
    kn_engine_flush(e);
}

START_TEST(identical_input_identical_events)
{
    collect_t *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
    kn_engine_t *ea, *eb;
    int i;

    kn_engine_config_defaults(&cfg);
    ea = kn_engine_new(&cfg, collect_cb, a);
    eb = kn_engine_new(&cfg, collect_cb, b);
    feed_mix(ea);
    feed_mix(eb);
    ck_assert_int_gt(a->nflows, 5);
    ck_assert_int_eq(a->nflows, b->nflows);
    for (i = 0; i < a->nflows; i++) {
        ck_assert_mem_eq(&a->flows[i], &b->flows[i], sizeof(a->flows[i]));
        ck_assert_int_eq(a->flow_ts[i], b->flow_ts[i]);
        ck_assert_str_ne(a->flows[i].community_id, "");
    }
    kn_engine_free(ea);
    kn_engine_free(eb);
    free(a);
    free(b);
}
END_TEST

START_TEST(anomaly_events_name_their_flow)
{
    collect_t *c = calloc(1, sizeof(*c));
    kn_engine_t *e;
    tb_t t;

    kn_engine_config_defaults(&cfg);
    e = kn_engine_new(&cfg, collect_cb, c);
    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 17);
    tb_udp(&t, 1, 2);
    tb_text(&t, "abcdef");
    tb_finish(&t);
    t.b[14 + 20 + 5] = 10; /* UDP length shorter than the IP payload: anomaly, still valid */
    ck_assert_int_eq(collect_feed(e, t.b, t.len, 1.0, KN_LINK_ETHERNET), KN_OK);
    ck_assert_int_eq(c->nanomalies, 1);
    ck_assert_int_eq(c->anomalies[0], KN_ANOM_UDP_LEN_INVALID);
    kn_engine_flush(e);
    ck_assert_uint_eq(c->anomaly_flow[0], c->flows[0].flow_id);
    kn_engine_free(e);
    free(c);
}
END_TEST

START_TEST(invalid_packets_are_counted_not_tracked)
{
    collect_t *c = calloc(1, sizeof(*c));
    const kn_counters_t *ctr;
    kn_engine_t *e;
    tb_t t;

    kn_engine_config_defaults(&cfg);
    e = kn_engine_new(&cfg, collect_cb, c);
    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 6);
    tb_tcp(&t, 1, 2, 3, 4, KN_TH_ACK);
    tb_finish(&t);
    t.b[14 + 20 + 12] = 0x20; /* TCP data offset 2 (8 bytes) */
    ck_assert_int_eq(collect_feed(e, t.b, t.len, 1.0, KN_LINK_ETHERNET), KN_DECLINED);
    kn_engine_flush(e);
    ctr = kn_engine_counters(e);
    ck_assert_uint_eq(ctr->c[KN_CTR_PKTS], 1);
    ck_assert_uint_eq(ctr->c[KN_CTR_INVALID], 1);
    ck_assert_uint_eq(ctr->anomaly[KN_ANOM_TCP_HLEN_TOO_SMALL], 1);
    ck_assert_int_eq(c->nflows, 0);
    ck_assert_uint_eq(c->anomaly_flow[0], 0);
    kn_engine_free(e);
    free(c);
}
END_TEST

Suite *suite_engine(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("path");

    tcase_add_test(tc, identical_input_identical_events);
    tcase_add_test(tc, anomaly_events_name_their_flow);
    tcase_add_test(tc, invalid_packets_are_counted_not_tracked);
    suite_add_tcase(s, tc);
    return s;
}
