/* check_detect.c: rules on traffic through the whole engine — packet and stream sources,
 * contents split across and reordered between segments, one alert per stream position,
 * flowbits, thresholds and suppress, IP-only rules, pass, flow keywords, events, and the
 * prefilter cache. */
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "pktbuild.h"
#include "suites.h"

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static kn_ruleset_t *rs;
static collect_t *col;
static double now;

#define C "10.0.0.1", 40000, "10.0.0.2", 80
#define S "10.0.0.2", 80, "10.0.0.1", 40000

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    col = calloc(1, sizeof(*col));
    rs = NULL;
    eng = NULL;
    now = 1.0;
}

static void teardown(void)
{
    kn_engine_free(eng);
    kn_ruleset_free(rs);
    free(col);
}

/* Loads rule text (and optional threshold.config text), builds it, starts an engine on it. */
static void start(const char *rules, const char *thresholds)
{
    rs = kn_ruleset_new();
    ck_assert_int_eq(kn_ruleset_add_classifications(
                         rs, "c", "config classification: trojan-activity,A Network Trojan was detected,1\n",
                         NULL, NULL), 0);
    if (thresholds)
        ck_assert_int_eq(kn_ruleset_add_thresholds(rs, "t", thresholds, NULL, NULL), 0);
    ck_assert_int_eq(kn_ruleset_add_rules(rs, "r", rules, NULL, NULL), 0);
    ck_assert_int_eq(kn_ruleset_build(rs, NULL, 0), KN_OK);
    eng = kn_engine_new(&cfg, collect_cb, col);
    ck_assert_int_eq(kn_engine_set_ruleset(eng, rs), KN_OK);
}

static void seg(const char *src, uint16_t sp, const char *dst, uint16_t dp, uint32_t seq,
                uint32_t ack, uint8_t flags, const char *data)
{
    now += 0.001;
    collect_tcp(eng, now, src, sp, dst, dp, seq, ack, flags, data);
}

static void handshake(void)
{
    seg(C, 100, 0, KN_TH_SYN, NULL);
    seg(S, 900, 101, KN_TH_SYN | KN_TH_ACK, NULL);
    seg(C, 101, 901, KN_TH_ACK, NULL);
}

static void udp(const char *src, uint16_t sp, const char *dst, uint16_t dp, const char *data)
{
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, src, dst, 17);
    tb_udp(&t, sp, dp);
    tb_text(&t, data);
    tb_finish(&t);
    now += 0.001;
    collect_feed(eng, t.b, t.len, now, KN_LINK_ETHERNET);
}

/* ---- packet and stream -------------------------------------------------------------------- */

START_TEST(content_split_across_segments_alerts_once)
{
    start("alert tcp any any -> any any (msg:\"evil\"; content:\"EVILSTRING\"; sid:1;)\n"
          "alert tcp-pkt any any -> any any (content:\"EVILSTRING\"; sid:2;)\n"
          "alert tcp-stream any any -> any any (content:\"EVILSTRING\"; sid:3;)\n", NULL);
    handshake();
    seg(C, 101, 901, KN_TH_ACK | KN_TH_PSH, "xxEVIL");
    ck_assert_int_eq(col->nalerts, 0);
    seg(C, 107, 901, KN_TH_ACK | KN_TH_PSH, "STRINGyy");
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert_int_eq(collect_alerts(col, 3), 1);
    ck_assert_int_eq(collect_alerts(col, 2), 0); /* no single packet holds it */
    ck_assert_int_eq(col->alerts[0].a.stream, 1);
    ck_assert_int_eq(col->alerts[0].a.to_server, 1);
    seg(C, 115, 901, KN_TH_ACK | KN_TH_PSH, "zz"); /* the match is not reported again */
    kn_engine_flush(eng);
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert_int_eq(col->flows[0].alerted, 1);
}
END_TEST

START_TEST(out_of_order_segments_complete_the_match)
{
    start("alert tcp any any -> any any (content:\"EVILSTRING\"; sid:1;)\n", NULL);
    handshake();
    seg(C, 107, 901, KN_TH_ACK, "STRING");
    ck_assert_int_eq(col->nalerts, 0);
    seg(C, 101, 901, KN_TH_ACK, "xxEVIL");
    ck_assert_int_eq(collect_alerts(col, 1), 1); /* on the late packet that completed it */
}
END_TEST

START_TEST(retransmission_does_not_alert_again)
{
    start("alert tcp any any -> any any (content:\"EVIL\"; sid:1;)\n", NULL);
    handshake();
    seg(C, 101, 901, KN_TH_ACK, "EVIL");
    seg(C, 101, 901, KN_TH_ACK, "EVIL");
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert(collect_has_anomaly(col, KN_ANOM_STREAM_PKT_RETRANSMISSION));
}
END_TEST

START_TEST(tcp_packet_rule_sees_each_packet)
{
    start("alert tcp-pkt any any -> any any (content:\"EVIL\"; sid:2;)\n", NULL);
    handshake();
    seg(C, 101, 901, KN_TH_ACK, "EVIL");
    seg(C, 101, 901, KN_TH_ACK, "EVIL"); /* a packet rule sees the retransmitted packet too */
    ck_assert_int_eq(collect_alerts(col, 2), 2);
}
END_TEST

START_TEST(startswith_counts_from_the_new_bytes)
{
    /* Suricata inspects each newly acknowledged chunk on its own: an anchored pattern at the
     * start of a later message matches */
    start("alert tcp any any -> any any (content:\"MSG\"; startswith; sid:1;)\n", NULL);
    handshake();
    seg(C, 101, 901, KN_TH_ACK, "hello");
    ck_assert_int_eq(col->nalerts, 0);
    seg(C, 106, 901, KN_TH_ACK, "MSG two");
    ck_assert_int_eq(collect_alerts(col, 1), 1);
}
END_TEST

START_TEST(no_session_inspects_packets)
{
    start("alert tcp any any -> any any (content:\"EVIL\"; sid:1;)\n"
          "alert tcp any any -> any any (flow:established; content:\"EVIL\"; sid:2;)\n", NULL);
    seg(C, 101, 901, KN_TH_ACK, "xEVILx"); /* no handshake, midstream off: no session */
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert_int_eq(collect_alerts(col, 2), 0);
    ck_assert_int_eq(col->alerts[0].a.stream, 0);
}
END_TEST

START_TEST(midstream_pickup_is_established)
{
    cfg.midstream = 1;
    start("alert tcp any any -> any any (flow:established,to_server; content:\"EVIL\"; sid:2;)\n",
          NULL);
    seg(C, 101, 901, KN_TH_ACK, "xEVILx");
    ck_assert_int_eq(collect_alerts(col, 2), 1);
}
END_TEST

START_TEST(data_on_a_reset_is_not_stream)
{
    start("alert tcp any any -> any any (flow:only_stream; content:\"DENY\"; sid:1;)\n"
          "alert tcp-pkt any any -> any any (content:\"DENY\"; sid:2;)\n", NULL);
    handshake();
    seg(S, 901, 101, KN_TH_RST | KN_TH_ACK, "DENY");
    ck_assert_int_eq(collect_alerts(col, 1), 0);
    ck_assert_int_eq(collect_alerts(col, 2), 1);
}
END_TEST

START_TEST(flow_end_inspects_data_beyond_a_hole)
{
    start("alert tcp any any -> any any (content:\"TAIL\"; sid:1;)\n", NULL);
    handshake();
    seg(C, 101, 901, KN_TH_ACK, "ab");
    seg(C, 110, 901, KN_TH_ACK, "TAIL"); /* 103..109 never come */
    ck_assert_int_eq(col->nalerts, 0);
    kn_engine_flush(eng);
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert_uint_eq(col->alerts[0].pcap_cnt, 0); /* a flow-end pseudo packet */
    ck_assert_uint_eq(col->alerts[0].flow_id, col->flows[0].flow_id);
}
END_TEST

START_TEST(dsize_rules_inspect_the_packet)
{
    start("alert tcp any any -> any any (dsize:4; content:\"EVIL\"; sid:1;)\n", NULL);
    handshake();
    seg(C, 101, 901, KN_TH_ACK, "EV");
    seg(C, 103, 901, KN_TH_ACK, "IL"); /* the stream holds EVIL; no 4-byte packet does */
    ck_assert_int_eq(collect_alerts(col, 1), 0);
    seg(C, 105, 901, KN_TH_ACK, "EVIL");
    ck_assert_int_eq(collect_alerts(col, 1), 1);
}
END_TEST

/* ---- flow state and rates ------------------------------------------------------------------ */

START_TEST(flowbits_carry_between_packets)
{
    start("alert tcp any any -> any any (flow:to_server; content:\"LOGIN\"; flowbits:set,seen; "
          "flowbits:noalert; sid:1;)\n"
          "alert tcp any any -> any any (flow:to_client; content:\"OK\"; flowbits:isset,seen; "
          "sid:2;)\n"
          "alert tcp any any -> any any (flow:to_client; content:\"OK\"; "
          "flowbits:isnotset,seen; sid:3;)\n", NULL);
    handshake();
    seg(S, 901, 101, KN_TH_ACK, "OK hello");
    ck_assert_int_eq(collect_alerts(col, 3), 1);
    ck_assert_int_eq(collect_alerts(col, 2), 0);
    seg(C, 101, 909, KN_TH_ACK, "LOGIN");
    ck_assert_int_eq(collect_alerts(col, 1), 0); /* noalert */
    seg(S, 909, 106, KN_TH_ACK, "OK");
    ck_assert_int_eq(collect_alerts(col, 2), 1);
    ck_assert_int_eq(collect_alerts(col, 3), 1);
}
END_TEST

START_TEST(flowbit_set_earlier_in_the_same_packet_counts)
{
    /* the reader has the lower sid, but setters are ordered first */
    start("alert udp any any -> any any (flowbits:isset,b; content:\"x\"; sid:1;)\n"
          "alert udp any any -> any any (content:\"x\"; flowbits:set,b; flowbits:noalert; sid:2;)\n",
          NULL);
    udp("10.0.0.1", 5000, "10.0.0.2", 53, "x");
    ck_assert_int_eq(collect_alerts(col, 1), 1);
}
END_TEST

START_TEST(threshold_limit_by_src)
{
    int i;

    start("alert udp any any -> any any (content:\"x\"; threshold:type limit, track by_src, "
          "count 2, seconds 60; sid:1;)\n", NULL);
    for (i = 0; i < 5; i++)
        udp("10.0.0.1", (uint16_t)(5000 + i), "10.0.0.2", 53, "x");
    ck_assert_int_eq(collect_alerts(col, 1), 2);
    udp("10.0.0.9", 5000, "10.0.0.2", 53, "x"); /* another source has its own count */
    ck_assert_int_eq(collect_alerts(col, 1), 3);
    now += 61; /* a new window */
    udp("10.0.0.1", 6000, "10.0.0.2", 53, "x");
    ck_assert_int_eq(collect_alerts(col, 1), 4);
}
END_TEST

START_TEST(detection_filter_after_count)
{
    int i;

    start("alert udp any any -> any any (content:\"x\"; detection_filter:track by_dst, count 3, "
          "seconds 60; sid:1;)\n", NULL);
    for (i = 0; i < 5; i++)
        udp("10.0.0.1", (uint16_t)(5000 + i), "10.0.0.2", 53, "x");
    ck_assert_int_eq(collect_alerts(col, 1), 2); /* the 4th and 5th */
}
END_TEST

START_TEST(threshold_config_suppresses_by_address)
{
    start("alert udp any any -> any any (content:\"x\"; sid:1;)\n"
          "alert udp any any -> any any (content:\"x\"; sid:2;)\n",
          "suppress gen_id 1, sig_id 1, track by_src, ip 10.0.0.0/24\n"
          "threshold gen_id 1, sig_id 2, type limit, track by_rule, count 1, seconds 60\n");
    udp("10.0.0.1", 5000, "10.0.0.2", 53, "x");
    udp("10.0.1.1", 5000, "10.0.0.2", 53, "x");
    ck_assert_int_eq(collect_alerts(col, 1), 1); /* only the source outside 10.0.0.0/24 */
    ck_assert_int_eq(collect_alerts(col, 2), 1);
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_DETECT_SUPPRESSED], 1);
}
END_TEST

START_TEST(pass_rule_stops_the_packet)
{
    start("pass udp 10.0.0.5 any -> any any (sid:10;)\n"
          "alert udp any any -> any any (content:\"x\"; sid:1;)\n", NULL);
    udp("10.0.0.5", 5000, "10.0.0.2", 53, "x");
    udp("10.0.0.6", 5000, "10.0.0.2", 53, "x");
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert_int_eq(collect_alerts(col, 10), 0); /* pass rules do not alert */
}
END_TEST

START_TEST(ip_only_rule_once_per_flow_direction)
{
    start("alert ip [192.0.2.0/24,198.51.100.7] any -> any any (msg:\"listed\"; "
          "flowbits:set,evil; sid:1;)\n"
          "alert udp any any -> any any (flowbits:isset,evil; content:\"x\"; sid:2;)\n", NULL);
    udp("198.51.100.7", 5000, "10.0.0.2", 53, "x");
    udp("198.51.100.7", 5000, "10.0.0.2", 53, "x");
    udp("10.0.0.2", 53, "198.51.100.7", 5000, "y");
    udp("198.51.100.8", 5000, "10.0.0.2", 53, "x"); /* not listed */
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert_int_eq(collect_alerts(col, 2), 2);
}
END_TEST

START_TEST(alert_fields_come_from_the_rule)
{
    start("alert udp any any -> any any (msg:\"m\"; content:\"x\"; classtype:trojan-activity; "
          "target:dest_ip; metadata:created_at 2026_11_24; sid:7; rev:3; gid:2;)\n", NULL);
    udp("10.0.0.1", 5000, "10.0.0.2", 53, "x");
    ck_assert_int_eq(col->nalerts, 1);
    ck_assert_uint_eq(col->alerts[0].a.sid, 7);
    ck_assert_uint_eq(col->alerts[0].a.rev, 3);
    ck_assert_uint_eq(col->alerts[0].a.gid, 2);
    ck_assert_uint_eq(col->alerts[0].a.severity, 1); /* the classtype's priority */
    ck_assert_uint_eq(col->alerts[0].a.target, 2);
    ck_assert_uint_eq(col->alerts[0].a.nmetadata, 1);
}
END_TEST

/* ---- events and headers -------------------------------------------------------------------- */

START_TEST(decode_event_rule_on_a_truncated_packet)
{
    tb_t t;

    start("alert pkthdr any any -> any any (decode-event:ipv4.trunc_pkt; sid:1;)\n", NULL);
    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 17);
    tb_udp(&t, 1, 2);
    tb_text(&t, "abcdefgh");
    tb_finish(&t);
    collect_feed(eng, t.b, t.len - 4, 1.0, KN_LINK_ETHERNET); /* IP length says 4 more bytes */
    ck_assert_int_eq(collect_alerts(col, 1), 1);
}
END_TEST

START_TEST(stream_event_rule)
{
    start("alert tcp any any -> any any (stream-event:reassembly_overlap_different_data; sid:1;)\n",
          NULL);
    handshake();
    seg(C, 101, 901, KN_TH_ACK, "abcd");
    seg(C, 101, 901, KN_TH_ACK, "abXd");
    ck_assert_int_eq(collect_alerts(col, 1), 1);
}
END_TEST

START_TEST(icmp_header_keywords)
{
    tb_t t;

    start("alert icmp any any -> any any (itype:8; icode:0; icmp_seq:7; sid:1;)\n"
          "alert icmp any any -> any any (itype:0; sid:2;)\n", NULL);
    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 1);
    tb_icmp(&t, 8, 0, 1, 7);
    tb_finish(&t);
    collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET);
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert_int_eq(collect_alerts(col, 2), 0);
}
END_TEST

/* ---- the prefilter cache -------------------------------------------------------------------- */

static kn_ruleset_t *built(const char *rules, const void *blob, size_t len)
{
    kn_ruleset_t *r = kn_ruleset_new();

    ck_assert_int_eq(kn_ruleset_add_rules(r, "r", rules, NULL, NULL), 0);
    ck_assert_int_eq(kn_ruleset_build(r, blob, len), KN_OK);
    return r;
}

START_TEST(cache_blob_round_trip_and_staleness)
{
    const char *a = "alert tcp any any -> any any (content:\"abcdef\"; sid:1;)\n";
    const char *b = "alert tcp any any -> any any (content:\"ghijkl\"; sid:1;)\n";
    kn_ruleset_t *r1 = built(a, NULL, 0), *r2, *r3, *r4;
    size_t len = 0;
    const void *blob = kn_ruleset_cache_blob(r1, &len);
    char *damaged;

    ck_assert_ptr_nonnull(blob);
    ck_assert_int_eq(kn_ruleset_stats(r1)->cache_hit, 0);
    r2 = built(a, blob, len); /* the same rules: loaded, not compiled */
    ck_assert_int_eq(kn_ruleset_stats(r2)->cache_hit, 1);
    ck_assert_str_eq(kn_ruleset_cache_key(r1), kn_ruleset_cache_key(r2));
    r3 = built(b, blob, len); /* other patterns: another key, the blob is ignored */
    ck_assert_int_eq(kn_ruleset_stats(r3)->cache_hit, 0);
    ck_assert_str_ne(kn_ruleset_cache_key(r1), kn_ruleset_cache_key(r3));
    damaged = malloc(len);
    memcpy(damaged, blob, len);
    memset(damaged + len / 2, 0xff, len / 4);
    r4 = built(a, damaged, len); /* damaged: compiled again */
    ck_assert_int_eq(kn_ruleset_stats(r4)->cache_hit, 0);
    free(damaged);
    kn_ruleset_free(r1);
    kn_ruleset_free(r2);
    kn_ruleset_free(r3);
    kn_ruleset_free(r4);
}
END_TEST

START_TEST(cached_rule_set_still_matches)
{
    const char *a = "alert udp any any -> any any (content:\"needle\"; sid:5;)\n";
    kn_ruleset_t *r1 = built(a, NULL, 0);
    size_t len;
    const void *blob = kn_ruleset_cache_blob(r1, &len);

    rs = built(a, blob, len);
    kn_ruleset_free(r1);
    eng = kn_engine_new(&cfg, collect_cb, col);
    ck_assert_int_eq(kn_engine_set_ruleset(eng, rs), KN_OK);
    udp("10.0.0.1", 1, "10.0.0.2", 2, "hayneedlehay");
    ck_assert_int_eq(collect_alerts(col, 5), 1);
}
END_TEST

Suite *suite_detect(void)
{
    Suite *s = suite_create("detect");
    TCase *tc = tcase_create("detect");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, content_split_across_segments_alerts_once);
    tcase_add_test(tc, out_of_order_segments_complete_the_match);
    tcase_add_test(tc, retransmission_does_not_alert_again);
    tcase_add_test(tc, tcp_packet_rule_sees_each_packet);
    tcase_add_test(tc, startswith_counts_from_the_new_bytes);
    tcase_add_test(tc, no_session_inspects_packets);
    tcase_add_test(tc, midstream_pickup_is_established);
    tcase_add_test(tc, data_on_a_reset_is_not_stream);
    tcase_add_test(tc, flow_end_inspects_data_beyond_a_hole);
    tcase_add_test(tc, dsize_rules_inspect_the_packet);
    tcase_add_test(tc, flowbits_carry_between_packets);
    tcase_add_test(tc, flowbit_set_earlier_in_the_same_packet_counts);
    tcase_add_test(tc, threshold_limit_by_src);
    tcase_add_test(tc, detection_filter_after_count);
    tcase_add_test(tc, threshold_config_suppresses_by_address);
    tcase_add_test(tc, pass_rule_stops_the_packet);
    tcase_add_test(tc, ip_only_rule_once_per_flow_direction);
    tcase_add_test(tc, alert_fields_come_from_the_rule);
    tcase_add_test(tc, decode_event_rule_on_a_truncated_packet);
    tcase_add_test(tc, stream_event_rule);
    tcase_add_test(tc, icmp_header_keywords);
    tcase_add_test(tc, cache_blob_round_trip_and_staleness);
    tcase_add_test(tc, cached_rule_set_still_matches);
    suite_add_tcase(s, tc);
    return s;
}
