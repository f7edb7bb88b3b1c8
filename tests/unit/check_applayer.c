/* check_applayer.c: unit tests of engine/applayer.c — the parser table, and probing and
 * hand-off driven directly through kn_app_stream/kn_app_datagram with the real parsers (each
 * protocol's own suite tests its parsing through the whole engine). */
#include <string.h>

#include "suites.h"

#include "applayer.h"

typedef struct got {
    int napp;
    char method[16];
    int status;
    uint64_t resp_len;
} got_t;

static void on_emit(void *user, kn_event_t *ev)
{
    got_t *g = user;
    const kn_http_info_t *h = ev->u.app.info;
    size_t n;

    if (ev->type != KN_EV_APP || ev->u.app.app != KN_APP_HTTP)
        return;
    g->napp++;
    n = h->method.len < sizeof(g->method) - 1 ? h->method.len : sizeof(g->method) - 1;
    memcpy(g->method, h->method.p, n);
    g->method[n] = '\0';
    g->status = h->status;
    g->resp_len = h->resp_body_len;
}

typedef struct rig {
    kn_engine_config_t cfg;
    kn_counters_t ctr;
    kn_app_env_t env;
    kn_flow_info_t fi;
    kn_appflow_t *af;
    got_t got;
    uint64_t off[2];
} rig_t;

static void rig_init(rig_t *r, uint8_t proto, uint16_t dp)
{
    memset(r, 0, sizeof(*r));
    kn_engine_config_defaults(&r->cfg);
    r->env.cfg = &r->cfg;
    r->env.ctr = &r->ctr;
    r->env.emit = on_emit;
    r->env.user = &r->got;
    r->fi.proto = proto;
    r->fi.sp = 40000;
    r->fi.dp = dp;
}

/* in-order bytes of dir; skip bytes before them went by unseen */
static void rig_send(rig_t *r, int dir, const char *s, uint64_t skip)
{
    uint32_t n = (uint32_t)strlen(s);

    r->off[dir] += skip;
    kn_app_stream(&r->env, &r->af, &r->fi, NULL, NULL, dir, (const uint8_t *)s, n, r->off[dir]);
    r->off[dir] += n;
}

static void rig_end(rig_t *r)
{
    kn_app_flow_end(&r->env, &r->af, &r->fi, NULL, NULL);
}

/* A client line no probe knows is kept until the server's reply is claimed, then replayed:
 * the transaction has both sides. */
START_TEST(declined_side_is_replayed)
{
    rig_t r;

    rig_init(&r, 6, 8080);
    rig_send(&r, KN_TOSERVER, "BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_NONE);
    rig_send(&r, KN_TOCLIENT, "HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n", 0);
    rig_end(&r);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_HTTP);
    ck_assert_int_eq(r.got.napp, 1);
    ck_assert_str_eq(r.got.method, "BREW");
    ck_assert_int_eq(r.got.status, 418);
    ck_assert_uint_eq(r.ctr.c[KN_CTR_APP_FLOW_FAILED_TCP], 0);
}
END_TEST

/* Both sides spoke and nobody knew them: the flow is "failed", counted once. */
START_TEST(both_sides_unknown_fail)
{
    rig_t r;

    rig_init(&r, 6, 5555);
    rig_send(&r, KN_TOSERVER, "\x01\x02\x03 hello there, friend\r\n", 0);
    rig_send(&r, KN_TOCLIENT, "\x04\x05\x06 what a world it is\r\n", 0);
    rig_send(&r, KN_TOCLIENT, "more\r\n", 0);
    rig_end(&r);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_FAILED);
    ck_assert_uint_eq(r.ctr.c[KN_CTR_APP_FLOW_FAILED_TCP], 1);
    ck_assert_int_eq(r.got.napp, 0);
}
END_TEST

/* A hole inside a body of known length: the parser is told how many bytes went by and the
 * response still ends at its Content-Length. */
START_TEST(gap_size_reaches_parser)
{
    rig_t r;

    rig_init(&r, 6, 80);
    rig_send(&r, KN_TOSERVER, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    rig_send(&r, KN_TOCLIENT, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", 0);
    rig_send(&r, KN_TOCLIENT, "abcdefghijabcdefghijabcdefghijabcdefghij", 50);
    ck_assert_int_eq(r.got.napp, 1); /* complete before the flow ends */
    ck_assert_uint_eq(r.got.resp_len, 100);
    ck_assert_uint_eq(r.ctr.c[KN_CTR_APP_GAPS], 1);
    rig_end(&r);
}
END_TEST

/* Through an HTTP CONNECT tunnel the flow is what the tunnel carries, http its origin; after
 * a 101 (WebSocket) it stays http, never "failed". */
START_TEST(tunnel_is_probed_again)
{
    rig_t r;

    rig_init(&r, 6, 3128);
    rig_send(&r, KN_TOSERVER, "CONNECT h:22 HTTP/1.1\r\nHost: h:22\r\n\r\n", 0);
    rig_send(&r, KN_TOCLIENT, "HTTP/1.1 200 Connection established\r\n\r\n", 0);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_HTTP);
    rig_send(&r, KN_TOCLIENT, "SSH-2.0-OpenSSH_9.6\r\n", 0);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_SSH);
    ck_assert_int_eq(r.fi.app_proto_orig, KN_APP_HTTP);
    ck_assert_int_eq(r.got.napp, 1); /* the CONNECT transaction was logged */
    rig_end(&r);
    rig_init(&r, 6, 80);
    rig_send(&r, KN_TOSERVER, "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: x\r\n\r\n", 0);
    rig_send(&r, KN_TOCLIENT, "HTTP/1.1 101 Switching\r\nUpgrade: x\r\n\r\n", 0);
    rig_send(&r, KN_TOSERVER, "\x81\x85\x01\x02\x03\x04 binary frames of x", 0);
    rig_send(&r, KN_TOCLIENT, "\x81\x05 more binary frames of x", 0);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_HTTP);
    ck_assert_uint_eq(r.ctr.c[KN_CTR_APP_FLOW_FAILED_TCP], 0);
    rig_end(&r);
}
END_TEST

/* A POP3 greeting names the flow before the client's "USER" could pass for FTP's. */
START_TEST(pop3_is_not_ftp)
{
    rig_t r;

    rig_init(&r, 6, 110);
    rig_send(&r, KN_TOCLIENT, "+OK POP3 server ready\r\n", 0);
    rig_send(&r, KN_TOSERVER, "USER alice\r\n", 0);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_POP3);
    rig_end(&r);
    rig_init(&r, 6, 2110); /* and off its port */
    rig_send(&r, KN_TOCLIENT, "+OK\r\n", 0);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_POP3);
    rig_end(&r);
    rig_init(&r, 6, 21);
    rig_send(&r, KN_TOCLIENT, "220 FTP ready\r\n", 0);
    rig_send(&r, KN_TOSERVER, "USER alice\r\n", 0);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_FTP);
    rig_end(&r);
}
END_TEST

/* UDP fails on one side alone: datagrams nobody recognizes, PROBE_DATAGRAMS of them. */
START_TEST(udp_fails_on_one_side)
{
    rig_t r;
    kn_packet_t p;
    static const uint8_t junk[] = "\xff\xfe junk datagram";
    int i;

    rig_init(&r, 17, 7777);
    memset(&p, 0, sizeof(p));
    p.payload = junk;
    p.payload_len = sizeof(junk) - 1;
    for (i = 0; i < 3; i++)
        kn_app_datagram(&r.env, &r.af, &r.fi, NULL, &p, KN_TOSERVER);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_NONE);
    kn_app_datagram(&r.env, &r.af, &r.fi, NULL, &p, KN_TOSERVER);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_FAILED);
    ck_assert_uint_eq(r.ctr.c[KN_CTR_APP_FLOW_FAILED_UDP], 1);
    rig_end(&r);
}
END_TEST

/* A server side that starts with random-looking bytes keeps a probe waiting (an MSE key
 * exchange could hide a BitTorrent handshake); if the flow ends first and the client's bytes
 * were refused, the flow failed, as it would have had the probe seen enough to refuse. */
START_TEST(pending_side_at_end_fails_flow)
{
    uint8_t rnd[300];
    uint32_t x = 12345, i;
    rig_t r;

    for (i = 0; i < sizeof(rnd); i++) {
        x = x * 1103515245u + 12345u;
        rnd[i] = (uint8_t)(x >> 16);
    }
    rig_init(&r, 6, 30303);
    rig_send(&r, KN_TOSERVER, "\x01\x02 nothing anyone speaks \xfe\xff\r\n", 0);
    kn_app_stream(&r.env, &r.af, &r.fi, NULL, NULL, KN_TOCLIENT, rnd, sizeof(rnd), 0);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_NONE);
    rig_end(&r);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_FAILED);
    ck_assert_uint_eq(r.ctr.c[KN_CTR_APP_FLOW_FAILED_TCP], 1);
}
END_TEST

/* A DNS response that opens a flow (its question not captured) turns the flow around: the
 * first call asks for that and parses nothing; handed again to the client it is one tx. Once
 * the flow has gone both ways, a response to the server claims nothing. */
START_TEST(udp_response_first_reverses)
{
    static const uint8_t resp[] = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
                                   1,    'a',  3,    'c',  'o', 'm', 0, 0, 1, 0, 1,
                                   0xc0, 12,   0,    1,    0,   1,   0, 0, 0, 60, 0, 4,
                                   10,   0,    0,    1};
    kn_packet_t p;
    rig_t r;

    rig_init(&r, 17, 53);
    memset(&p, 0, sizeof(p));
    p.payload = resp;
    p.payload_len = sizeof(resp);
    r.fi.pkts[KN_TOSERVER] = 1;
    ck_assert_int_eq(kn_app_datagram(&r.env, &r.af, &r.fi, NULL, &p, KN_TOSERVER), 1);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_DNS);
    ck_assert_uint_eq(r.ctr.c[KN_CTR_APP_TX_DNS_UDP], 0);
    ck_assert_int_eq(kn_app_datagram(&r.env, &r.af, &r.fi, NULL, &p, KN_TOCLIENT), 0);
    ck_assert_uint_eq(r.ctr.c[KN_CTR_APP_TX_DNS_UDP], 1);
    rig_end(&r);

    rig_init(&r, 17, 53);
    r.fi.pkts[KN_TOSERVER] = 1;
    r.fi.pkts[KN_TOCLIENT] = 1;
    ck_assert_int_eq(kn_app_datagram(&r.env, &r.af, &r.fi, NULL, &p, KN_TOSERVER), 0);
    ck_assert_int_eq(r.fi.app_proto, KN_APP_NONE);
    rig_end(&r);
}
END_TEST

START_TEST(table_has_the_parsers)
{
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_HTTP));
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_TLS));
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_SSH));
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_DNS));
    ck_assert_ptr_null(kn_app_parser(KN_APP_MODBUS));
    ck_assert_int_eq(kn_app_parser(KN_APP_HTTP)->ipproto, 6);
}
END_TEST

Suite *suite_applayer(void)
{
    Suite *s = suite_create("applayer");
    TCase *tc = tcase_create("applayer");

    tcase_add_test(tc, table_has_the_parsers);
    tcase_add_test(tc, declined_side_is_replayed);
    tcase_add_test(tc, both_sides_unknown_fail);
    tcase_add_test(tc, gap_size_reaches_parser);
    tcase_add_test(tc, udp_fails_on_one_side);
    tcase_add_test(tc, udp_response_first_reverses);
    tcase_add_test(tc, pending_side_at_end_fails_flow);
    tcase_add_test(tc, pop3_is_not_ftp);
    tcase_add_test(tc, tunnel_is_probed_again);
    suite_add_tcase(s, tc);
    return s;
}
