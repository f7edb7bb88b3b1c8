/* check_stream.c: the TCP session states a flow record reports, for the usual openings and
 * closings, with Suricata's naming (a client FIN first is CLOSE_WAIT). */
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "pktbuild.h"
#include "suites.h"

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static collect_t *col;

#define C "10.0.0.1", 40000, "10.0.0.2", 80
#define S "10.0.0.2", 80, "10.0.0.1", 40000

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

static void seg(const char *src, uint16_t sp, const char *dst, uint16_t dp, uint32_t seq,
                uint32_t ack, uint8_t flags, const char *data)
{
    collect_tcp(eng, 1.0, src, sp, dst, dp, seq, ack, flags, data);
}

static const kn_flow_info_t *flush_one(void)
{
    kn_engine_flush(eng);
    ck_assert_int_eq(col->nflows, 1);
    return &col->flows[0];
}

static void handshake(void)
{
    seg(C, 100, 0, KN_TH_SYN, NULL);
    seg(S, 900, 101, KN_TH_SYN | KN_TH_ACK, NULL);
    seg(C, 101, 901, KN_TH_ACK, NULL);
}

START_TEST(three_way_handshake)
{
    const kn_flow_info_t *f;

    handshake();
    seg(C, 101, 901, KN_TH_ACK | KN_TH_PSH, "GET / HTTP/1.0\r\n\r\n");
    f = flush_one();
    ck_assert(f->tcp_session);
    ck_assert_uint_eq(f->tcp_state, KN_TCP_ESTABLISHED);
    ck_assert_uint_eq(f->state, KN_FLOW_ESTABLISHED);
}
END_TEST

START_TEST(client_closes_first)
{
    const kn_flow_info_t *f;

    handshake();
    seg(C, 101, 901, KN_TH_FIN | KN_TH_ACK, NULL);
    seg(S, 901, 102, KN_TH_ACK, NULL);
    seg(S, 901, 102, KN_TH_FIN | KN_TH_ACK, NULL);
    seg(C, 102, 902, KN_TH_ACK, NULL);
    f = flush_one();
    ck_assert_uint_eq(f->tcp_state, KN_TCP_CLOSED);
    ck_assert_uint_eq(f->state, KN_FLOW_CLOSED);
}
END_TEST

START_TEST(client_fin_is_close_wait)
{
    handshake();
    seg(C, 101, 901, KN_TH_FIN | KN_TH_ACK, NULL);
    ck_assert_uint_eq(flush_one()->tcp_state, KN_TCP_CLOSE_WAIT);
}
END_TEST

START_TEST(server_closes_first)
{
    handshake();
    seg(S, 901, 101, KN_TH_FIN | KN_TH_ACK, NULL);
    seg(C, 101, 902, KN_TH_ACK, NULL);
    seg(C, 101, 902, KN_TH_FIN | KN_TH_ACK, NULL);
    seg(S, 902, 102, KN_TH_ACK, NULL);
    ck_assert_uint_eq(flush_one()->tcp_state, KN_TCP_CLOSED);
}
END_TEST

START_TEST(server_fin_then_client_ack_is_fin_wait2)
{
    handshake();
    seg(S, 901, 101, KN_TH_FIN | KN_TH_ACK, NULL);
    seg(C, 101, 902, KN_TH_ACK, NULL);
    ck_assert_uint_eq(flush_one()->tcp_state, KN_TCP_FIN_WAIT2);
}
END_TEST

START_TEST(refused_connection)
{
    const kn_flow_info_t *f;

    seg(C, 100, 0, KN_TH_SYN, NULL);
    seg(S, 0, 101, KN_TH_RST | KN_TH_ACK, NULL);
    f = flush_one();
    ck_assert_uint_eq(f->tcp_state, KN_TCP_CLOSED);
    ck_assert_uint_eq(f->tcp_flags[KN_TOCLIENT], KN_TH_RST | KN_TH_ACK);
}
END_TEST

START_TEST(reset_out_of_sequence_is_ignored)
{
    const kn_flow_info_t *fi;

    handshake();
    seg(C, 101, 901, KN_TH_ACK | KN_TH_PSH, "hello");
    seg(C, 101, 0, KN_TH_RST, NULL); /* behind what the client has sent: not taken */
    seg(C, 5000, 0, KN_TH_RST, NULL); /* ahead of it: not taken either */
    seg(S, 901, 106, KN_TH_ACK | KN_TH_PSH, "world");
    seg(C, 106, 0, KN_TH_RST, NULL); /* the client's next sequence number: the session ends */
    fi = flush_one();
    ck_assert_int_eq(fi->tcp_state, KN_TCP_CLOSED);
    ck_assert_uint_eq(fi->pkts[KN_TOCLIENT], 2);
}
END_TEST

START_TEST(reset_out_of_sequence_keeps_the_state)
{
    const kn_flow_info_t *fi;

    handshake();
    seg(C, 101, 901, KN_TH_ACK | KN_TH_PSH, "hello");
    seg(C, 99, 0, KN_TH_RST, NULL);
    fi = flush_one();
    ck_assert_int_eq(fi->tcp_state, KN_TCP_ESTABLISHED);
}
END_TEST

START_TEST(lone_syn)
{
    const kn_flow_info_t *f;

    seg(C, 100, 0, KN_TH_SYN, NULL);
    f = flush_one();
    ck_assert_uint_eq(f->tcp_state, KN_TCP_SYN_SENT);
    ck_assert_uint_eq(f->state, KN_FLOW_NEW);
}
END_TEST

START_TEST(fast_open_syn_with_data)
{
    seg(C, 100, 0, KN_TH_SYN, "early data");
    seg(S, 900, 111, KN_TH_SYN | KN_TH_ACK, NULL); /* acknowledges the SYN's 10 bytes */
    seg(C, 111, 901, KN_TH_ACK, NULL);
    ck_assert_uint_eq(flush_one()->tcp_state, KN_TCP_ESTABLISHED);
}
END_TEST

START_TEST(syn_fin_is_not_a_session)
{
    seg(C, 100, 0, KN_TH_SYN | KN_TH_FIN, NULL);
    ck_assert(!flush_one()->tcp_session);
}
END_TEST

START_TEST(no_handshake_no_session_unless_midstream)
{
    int mid;

    for (mid = 0; mid < 2; mid++) {
        kn_engine_free(eng);
        memset(col, 0, sizeof(*col));
        cfg.midstream = (uint8_t)mid;
        eng = kn_engine_new(&cfg, collect_cb, col);
        seg(C, 101, 901, KN_TH_ACK | KN_TH_PSH, "data");
        seg(S, 901, 105, KN_TH_ACK, NULL);
        if (mid) {
            ck_assert(flush_one()->tcp_session);
            ck_assert_uint_eq(col->flows[0].tcp_state, KN_TCP_ESTABLISHED);
        } else {
            ck_assert(!flush_one()->tcp_session);
            ck_assert_uint_eq(col->flows[0].state, KN_FLOW_NEW);
        }
    }
}
END_TEST

START_TEST(bad_checksum_skips_state_with_k_all)
{
    tb_t t;

    kn_engine_free(eng);
    cfg.csum_mode = KN_CSUM_ALL;
    eng = kn_engine_new(&cfg, collect_cb, col);
    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 6);
    tb_tcp(&t, 40000, 80, 100, 0, KN_TH_SYN);
    tb_finish(&t);
    t.b[t.len - 3] ^= 1; /* inside the TCP checksum field */
    collect_feed(eng, t.b, t.len, 1.0, KN_LINK_ETHERNET);
    ck_assert(!flush_one()->tcp_session);
    ck_assert_uint_eq(col->flows[0].pkts[KN_TOSERVER], 1);
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_TCP_INVALID_CSUM], 1);
}
END_TEST

Suite *suite_stream(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("states");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, three_way_handshake);
    tcase_add_test(tc, client_closes_first);
    tcase_add_test(tc, client_fin_is_close_wait);
    tcase_add_test(tc, server_closes_first);
    tcase_add_test(tc, server_fin_then_client_ack_is_fin_wait2);
    tcase_add_test(tc, refused_connection);
    tcase_add_test(tc, reset_out_of_sequence_is_ignored);
    tcase_add_test(tc, reset_out_of_sequence_keeps_the_state);
    tcase_add_test(tc, lone_syn);
    tcase_add_test(tc, fast_open_syn_with_data);
    tcase_add_test(tc, syn_fin_is_not_a_session);
    tcase_add_test(tc, no_handshake_no_session_unless_midstream);
    tcase_add_test(tc, bad_checksum_skips_state_with_k_all);
    suite_add_tcase(s, tc);
    return s;
}
