/* check_app_bittorrent.c: unit tests of engine/app_bittorrent.c (peer wire handshake and BEP 10
 * extension handshake over TCP) and engine/app_bittorrent_dht.c (KRPC over UDP), through the
 * whole engine: messages split at every byte, truncated and malformed input, the probes
 * rejecting look-alikes and claiming the protocols on any port. Expected values are written
 * out by hand from BEP 3, BEP 5 and BEP 20. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applayer.h"
#include "collect.h"
#include "tcpconv.h"
#include "udpfeed.h"
#include "suites.h"

#define INFO_HASH "\x11\x22\x33\x44\x55\x66\x77\x88\x99\x00\xaa\xbb\xcc\xdd\xee\xff\x01\x02\x03\x04"
#define RES_EXT "\x00\x00\x00\x00\x00\x10\x00\x05" /* extension protocol, DHT, fast */

typedef struct got_side {
    int seen;
    char peer_id[24], client[40], version[24], ext_client[40];
    unsigned extensions;
} got_side_t;

typedef struct got_dht {
    char tid[16], qtype[32], id[24], info_hash[24], token[16], msg[64], version[8];
    int has_request, has_response, has_error, implied_port, port, num, n_values, nodes_len;
    int tid_present;
} got_dht_t;

typedef struct got {
    collect_t col;
    int nbt, ndht;
    char info_hash[24];
    int mismatch;
    got_side_t c, s;
    got_dht_t dht[8];
    uint8_t app_proto;
} got_t;

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static got_t *g;
static double now;
static uint16_t sport, dport;
static tcpconv_t conv;

static void copy_str(char *dst, size_t cap, kn_str_t v)
{
    size_t n = v.len < cap - 1 ? v.len : cap - 1;

    if (v.p)
        memcpy(dst, v.p, n);
    dst[v.p ? n : 0] = '\0';
}

static void copy_side(got_side_t *d, const kn_bt_side_t *sd)
{
    d->seen = sd->peer_id.p != NULL;
    copy_str(d->peer_id, sizeof(d->peer_id), sd->peer_id);
    copy_str(d->client, sizeof(d->client), sd->client);
    copy_str(d->version, sizeof(d->version), sd->client_version);
    copy_str(d->ext_client, sizeof(d->ext_client), sd->ext_client);
    d->extensions = sd->extensions;
}

static void copy_dht(got_dht_t *d, const kn_bt_dht_info_t *in)
{
    copy_str(d->tid, sizeof(d->tid), in->transaction_id);
    d->tid_present = in->transaction_id.len > 0;
    copy_str(d->version, sizeof(d->version), in->client_version);
    copy_str(d->qtype, sizeof(d->qtype), in->request_type);
    d->has_request = in->has_request;
    d->has_response = in->has_response;
    d->has_error = in->has_error;
    if (in->has_request) {
        copy_str(d->id, sizeof(d->id), in->request.id);
        copy_str(d->info_hash, sizeof(d->info_hash), in->request.info_hash);
        copy_str(d->token, sizeof(d->token), in->request.token);
        d->implied_port = in->request.implied_port;
        d->port = in->request.port;
    }
    if (in->has_response) {
        copy_str(d->id, sizeof(d->id), in->response.id);
        copy_str(d->token, sizeof(d->token), in->response.token);
        d->n_values = in->response.n_values;
        d->nodes_len = (int)in->response.nodes.len;
    }
    if (in->has_error) {
        d->num = in->error.num;
        copy_str(d->msg, sizeof(d->msg), in->error.msg);
    }
}

static void cb(const kn_event_t *ev, void *user)
{
    got_t *r = user;

    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_BITTORRENT) {
        const kn_bittorrent_info_t *in = ev->u.app.info;
        r->nbt++;
        copy_str(r->info_hash, sizeof(r->info_hash), in->info_hash);
        r->mismatch = in->info_hash_mismatch;
        copy_side(&r->c, &in->client);
        copy_side(&r->s, &in->server);
    }
    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_BITTORRENT_DHT && r->ndht < 8)
        copy_dht(&r->dht[r->ndht++], ev->u.app.info);
    if (ev->type == KN_EV_FLOW)
        r->app_proto = ev->flow->app_proto;
    collect_cb(ev, &r->col);
}

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    g = calloc(1, sizeof(*g));
    eng = NULL;
    now = 1.0;
    sport = 52888;
    dport = 38305; /* a random peer port, as real swarms use */
}

static void teardown(void)
{
    kn_engine_free(eng);
    free(g);
}

static void start(void)
{
    eng = kn_engine_new(&cfg, cb, g);
    ck_assert_ptr_nonnull(eng);
    tc_init(&conv, eng, &now, sport, dport);
}

static void restart(void)
{
    kn_engine_free(eng);
    memset(g, 0, sizeof(*g));
    start();
}

static void datagram(int to_server, const void *data, size_t len)
{
    if (to_server)
        udp_feed(eng, &now, "10.0.0.1", sport, "10.0.0.2", dport, data, len);
    else
        udp_feed(eng, &now, "10.0.0.2", dport, "10.0.0.1", sport, data, len);
}

static void dgram(int to_server, const char *s)
{
    datagram(to_server, s, strlen(s));
}

/* A literal that may hold NUL bytes. */
#define DG(to_server, lit) datagram(to_server, lit, sizeof(lit) - 1)

/* A BEP 3 handshake with this reserved field and peer id. */
static size_t bt_hs(uint8_t *out, const char *reserved, const char *hash, const char *peer_id)
{
    memcpy(out, "\x13" "BitTorrent protocol", 20);
    memcpy(out + 20, reserved, 8);
    memcpy(out + 28, hash, 20);
    memcpy(out + 48, peer_id, 20);
    return 68;
}

/* A BEP 10 extension handshake message carrying the bencoded dictionary dict. */
static size_t ext_hs(uint8_t *out, const char *dict)
{
    size_t n = strlen(dict);
    uint32_t mlen = (uint32_t)n + 2;

    out[0] = (uint8_t)(mlen >> 24);
    out[1] = (uint8_t)(mlen >> 16);
    out[2] = (uint8_t)(mlen >> 8);
    out[3] = (uint8_t)mlen;
    out[4] = 20;
    out[5] = 0;
    memcpy(out + 6, dict, n);
    return n + 6;
}

/* ---- peer wire --------------------------------------------------------------------------- */

START_TEST(peer_probe)
{
    const kn_app_parser_t *ps = kn_app_parser(KN_APP_BITTORRENT);
    uint8_t hs[68];

    ck_assert_ptr_nonnull(ps);
    bt_hs(hs, RES_EXT, INFO_HASH, "-UT3550-abcdefghijkl");
    ck_assert_int_eq(ps->probe(hs, 68, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe(hs, 20, KN_TOCLIENT), KN_OK);
    ck_assert_int_eq(ps->probe(hs, 19, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe(hs, 1, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"\x13" "BitTorrent protocoX", 20, KN_TOSERVER),
                     KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"\x12" "BitTorrent protocol", 20, KN_TOSERVER),
                     KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"GET /announce?info_hash=", 24, KN_TOSERVER),
                     KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"\x13" "bittorrent protocol", 20, KN_TOSERVER),
                     KN_DECLINED);
}
END_TEST

/* Both handshakes and both extension handshakes, the client's cut at every byte. */
START_TEST(peer_handshakes_split_everywhere)
{
    uint8_t c[200], s[200];
    size_t cn, sn, i;

    cn = bt_hs(c, RES_EXT, INFO_HASH, "-UT3550-abcdefghijkl");
    cn += ext_hs(c + cn, "d1:md11:ut_metadatai2ee1:v15:\xc2\xb5Torrent 3.5.5e");
    sn = bt_hs(s, RES_EXT, INFO_HASH, "-qB4250-ABCDEFGHIJKL");
    sn += ext_hs(s + sn, "d1:pi6881e1:v17:qBittorrent/4.2.5e");
    for (i = 0; i <= cn; i++) {
        restart();
        tc_handshake(&conv, 100, 900);
        tc_send(&conv, 1, c, i ? i : cn, i ? cn : 1); /* i == 0: one byte per segment */
        if (i && i < cn)
            tc_send(&conv, 1, c + i, cn - i, 1460);
        tc_send(&conv, 0, s, sn, 1460);
        ck_assert_msg(g->nbt == 1, "split %zu: %d", i, g->nbt); /* done before the flow ends */
        kn_engine_flush(eng);
        ck_assert_int_eq(g->nbt, 1);
        ck_assert(memcmp(g->info_hash, INFO_HASH, 20) == 0);
        ck_assert_str_eq(g->c.client, "uTorrent");
        ck_assert_str_eq(g->c.version, "3.5.5");
        ck_assert_str_eq(g->c.ext_client, "\xc2\xb5Torrent 3.5.5");
        ck_assert_str_eq(g->s.client, "qBittorrent");
        ck_assert_str_eq(g->s.version, "4.2.5");
        ck_assert_str_eq(g->s.ext_client, "qBittorrent/4.2.5");
        ck_assert_str_eq(g->s.peer_id, "-qB4250-ABCDEFGHIJKL");
        ck_assert_uint_eq(g->c.extensions, KN_BT_EXT_LTEP | KN_BT_EXT_DHT | KN_BT_EXT_FAST);
        ck_assert_int_eq(g->app_proto, KN_APP_BITTORRENT);
        ck_assert_int_eq(g->col.nanomalies, 0);
    }
}
END_TEST

/* Without the extension protocol bit the transaction is done with the two handshakes; a
 * mainline-style peer id names the client too. */
START_TEST(peer_no_extensions_mainline_id)
{
    uint8_t c[68], s[68];

    start();
    tc_handshake(&conv, 100, 900);
    bt_hs(c, "\0\0\0\0\0\0\0\0", INFO_HASH, "M7-4-3--xxxxxxxxxxxx");
    bt_hs(s, "\0\0\0\0\0\0\0\x01", INFO_HASH, "\x01\x02garbage-peer-id!!");
    tc_send(&conv, 1, c, 68, 1460);
    ck_assert_int_eq(g->nbt, 0);
    tc_send(&conv, 0, s, 68, 1460);
    ck_assert_int_eq(g->nbt, 1);
    ck_assert_str_eq(g->c.client, "BitTorrent");
    ck_assert_str_eq(g->c.version, "7.4.3");
    ck_assert_str_eq(g->s.client, "");
    ck_assert_uint_eq(g->s.extensions, KN_BT_EXT_DHT);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->nbt, 1);
}
END_TEST

START_TEST(peer_info_hash_mismatch_and_bad_handshake)
{
    uint8_t c[68], s[68];

    start();
    tc_handshake(&conv, 100, 900);
    bt_hs(c, RES_EXT, INFO_HASH, "-TR2940-aaaaaaaaaaaa");
    bt_hs(s, RES_EXT, "abcdefghijklmnopqrst", "-TR2940-bbbbbbbbbbbb");
    tc_send(&conv, 1, c, 68, 1460);
    tc_send(&conv, 0, s, 68, 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->nbt, 1);
    ck_assert_int_eq(g->mismatch, 1);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_BT_INFO_HASH_MISMATCH));

    restart();
    tc_handshake(&conv, 100, 900);
    tc_send(&conv, 1, c, 68, 1460);
    tc_send(&conv, 0, "\x13" "BitTorrent protocoZ and more", 28, 1460);
    kn_engine_flush(eng);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_BT_INVALID_HANDSHAKE));
    ck_assert_int_eq(g->nbt, 1);
    ck_assert_int_eq(g->s.seen, 0);
    ck_assert_str_eq(g->c.version, "2.9.4");
}
END_TEST

/* Cut anywhere: no crash; a side is logged once its 68 bytes are in. */
START_TEST(peer_truncated)
{
    uint8_t c[200];
    size_t cn, cut;

    cn = bt_hs(c, RES_EXT, INFO_HASH, "-DE13F0-abcdefghijkl");
    cn += ext_hs(c + cn, "d1:v10:Deluge 1.3e");
    for (cut = 1; cut < cn; cut++) {
        restart();
        tc_handshake(&conv, 100, 900);
        tc_send(&conv, 1, c, cut, 1460);
        kn_engine_flush(eng);
        ck_assert_int_eq(g->nbt, cut >= 68);
        if (cut >= 68)
            ck_assert_str_eq(g->c.version, "1.3.15");
    }
}
END_TEST

/* A malformed extension handshake, an over-long message: anomalies, no crash. */
START_TEST(peer_bad_messages)
{
    uint8_t c[200], s[68];
    size_t cn;

    start();
    tc_handshake(&conv, 100, 900);
    cn = bt_hs(c, RES_EXT, INFO_HASH, "-lt0D80-abcdefghijkl");
    cn += ext_hs(c + cn, "d1:v3:abe"); /* string runs past the dictionary */
    tc_send(&conv, 1, c, cn, 1460);
    bt_hs(s, RES_EXT, INFO_HASH, "-lt0D80-abcdefghijkl");
    tc_send(&conv, 0, s, 68, 1460);
    tc_send(&conv, 0, "\xff\xff\xff\xff\x07", 5, 1460);
    kn_engine_flush(eng);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_BT_INVALID_MESSAGE));
    ck_assert_int_eq(g->nbt, 1);
    ck_assert_str_eq(g->c.ext_client, "");
    ck_assert_str_eq(g->c.client, "libtorrent (rasterbar)");
    ck_assert_str_eq(g->c.version, "0.13.8");
}
END_TEST

/* ---- DHT ---------------------------------------------------------------------------------- */

#define Q_PING "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"
#define R_PING "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re"

START_TEST(dht_probe)
{
    const kn_app_parser_t *ps = kn_app_parser(KN_APP_BITTORRENT_DHT);
    static const char *no[] = {"d1:ad2:id20:abc",                 /* truncated */
                               "d1:ad2:id20:abcdefghij0123456789e1:q4:pinge", /* no y */
                               "d1:ad2:id2:abe1:y5:querye",       /* y not one letter */
                               "d1:ad2:id2:abe1:y1:xe",           /* y not q, r, e */
                               "d4:infod6:lengthi1eee",           /* a .torrent, not KRPC */
                               "GET / HTTP/1.1\r\n\r\n",          "d1:a"};
    size_t i;

    ck_assert_ptr_nonnull(ps);
    ck_assert_int_eq(ps->probe((const uint8_t *)Q_PING, sizeof(Q_PING) - 1, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)R_PING, sizeof(R_PING) - 1, KN_TOCLIENT), KN_OK);
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        ck_assert_msg(ps->probe((const uint8_t *)no[i], (uint32_t)strlen(no[i]), KN_TOSERVER) ==
                          KN_DECLINED,
                      "%s", no[i]);
}
END_TEST

START_TEST(dht_query_and_response)
{
    sport = 40000;
    dport = 50000;
    start();
    dgram(1, "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:"
             "mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa"
             "1:v4:UT011:y1:qe");
    ck_assert_int_eq(g->ndht, 1); /* logged at once */
    ck_assert_str_eq(g->dht[0].qtype, "announce_peer");
    ck_assert_str_eq(g->dht[0].id, "abcdefghij0123456789");
    ck_assert_str_eq(g->dht[0].info_hash, "mnopqrstuvwxyz123456");
    ck_assert_str_eq(g->dht[0].token, "aoeusnth");
    ck_assert_int_eq(g->dht[0].implied_port, 1);
    ck_assert_int_eq(g->dht[0].port, 6881);
    ck_assert_str_eq(g->dht[0].version, "UT01");
    ck_assert_str_eq(g->dht[0].tid, "aa");
    /* values: IPv4 and IPv6 compact peers; nodes: one 26-byte node and 3 stray bytes */
    DG(0, "d1:rd2:id20:mnopqrstuvwxyz1234565:nodes29:abcdefghij0123456789\x01\x02\x03\x04"
          "\x1a\xe1xyz5:token2:tk6:valuesl6:axje.u18:0123456789abcdef\x00\x50"
          "ee1:t2:aa1:y1:re");
    ck_assert_int_eq(g->ndht, 2);
    ck_assert_int_eq(g->dht[1].has_response, 1);
    ck_assert_int_eq(g->dht[1].n_values, 2);
    ck_assert_int_eq(g->dht[1].nodes_len, 29);
    ck_assert_str_eq(g->dht[1].token, "tk");
    dgram(0, "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee");
    ck_assert_int_eq(g->ndht, 3);
    ck_assert_int_eq(g->dht[2].num, 201);
    ck_assert_str_eq(g->dht[2].msg, "A Generic Error Ocurred");
    kn_engine_flush(eng);
    ck_assert_int_eq(g->app_proto, KN_APP_BITTORRENT_DHT);
    ck_assert_int_eq(g->col.nanomalies, 0);
}
END_TEST

/* As Suricata: a message without "t" is logged with an empty one; a value of the wrong type
 * spoils the message; non-KRPC datagrams on a DHT flow are passed over. */
START_TEST(dht_malformed)
{
    static const char *spoilt[] = {
        "d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe",          /* id is an integer */
        "d1:ad2:id2:abe1:q4:ping1:ti1e1:y1:qe",          /* t is an integer */
        "d1:ad2:id2:ab4:porti70000ee1:q4:ping1:t2:aa1:y1:qe", /* port beyond 16 bits */
        "d1:ad6:target2:abe1:q4:ping1:t2:aa1:y1:qe",     /* no id */
        "d1:eli201ee1:t2:aa1:y1:ee",                     /* error without message */
        "d1:el3:\xff\xfe\xfdi1ee1:t2:aa1:y1:ee",         /* message not UTF-8 */
        "d1:ad1:ad1:ad1:ad2:id2:abeeee1:q4:ping1:t2:aa1:y1:qe", /* nested too deep */
        "d1:ad2:id2:abe1:t2:aa1:y1:qe",                  /* query without q */
        "d1:rd2:id2:ab6:valuesl3:abcee1:t2:aa1:y1:re",   /* a peer shorter than 6 bytes */
    };
    size_t i;

    start();
    dgram(1, Q_PING);
    ck_assert_int_eq(g->ndht, 1);
    dgram(1, "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:y1:qe");
    ck_assert_int_eq(g->ndht, 2);
    ck_assert_int_eq(g->dht[1].tid_present, 0);
    ck_assert_str_eq(g->dht[1].qtype, "ping");
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_BT_DHT_MALFORMED));
    for (i = 0; i < sizeof(spoilt) / sizeof(spoilt[0]); i++) {
        int before = g->col.nanomalies;
        dgram(1, spoilt[i]);
        ck_assert_msg(g->ndht == 2, "%s logged", spoilt[i]);
        ck_assert_msg(g->col.nanomalies == before + 1, "%s: no anomaly", spoilt[i]);
    }
    dgram(1, "hello, not DHT");
    ck_assert_int_eq(g->ndht, 2);
    ck_assert_int_eq(g->col.nanomalies, (int)(sizeof(spoilt) / sizeof(spoilt[0])) + 1);
}
END_TEST

/* Every truncation of a response after the flow is claimed: no crash, nothing logged. */
START_TEST(dht_truncated)
{
    static const char r[] = "d1:rd2:id20:mnopqrstuvwxyz1234565:token2:tke1:t2:aa1:y1:re";
    size_t cut;

    start();
    dgram(1, Q_PING);
    for (cut = 0; cut < sizeof(r) - 1; cut++)
        datagram(0, r, cut);
    ck_assert_int_eq(g->ndht, 1);
    datagram(0, r, sizeof(r) - 1);
    ck_assert_int_eq(g->ndht, 2);
}
END_TEST

/* The DHT port list orders probes; any port works. */
START_TEST(dht_on_port_6881_and_elsewhere)
{
    sport = 6881;
    dport = 6881;
    start();
    dgram(1, Q_PING);
    ck_assert_int_eq(g->ndht, 1);
    restart();
    sport = 1234;
    dport = 443;
    dgram(0, R_PING); /* a response first is claimed too */
    kn_engine_flush(eng);
    ck_assert_int_eq(g->ndht, 1);
    ck_assert_int_eq(g->app_proto, KN_APP_BITTORRENT_DHT);
}
END_TEST

Suite *suite_app_bittorrent(void)
{
    Suite *s = suite_create("app_bittorrent");
    TCase *tc = tcase_create("app_bittorrent");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, peer_probe);
    tcase_add_test(tc, peer_handshakes_split_everywhere);
    tcase_add_test(tc, peer_no_extensions_mainline_id);
    tcase_add_test(tc, peer_info_hash_mismatch_and_bad_handshake);
    tcase_add_test(tc, peer_truncated);
    tcase_add_test(tc, peer_bad_messages);
    tcase_add_test(tc, dht_probe);
    tcase_add_test(tc, dht_query_and_response);
    tcase_add_test(tc, dht_malformed);
    tcase_add_test(tc, dht_truncated);
    tcase_add_test(tc, dht_on_port_6881_and_elsewhere);
    suite_add_tcase(s, tc);
    return s;
}
