/* check_app_bt_transport.c: unit tests of BitTorrent beyond plain TCP: the peer wire over uTP
 * (engine/app_utp.c, BEP 29), Local Service Discovery announces (engine/app_bt_lsd.c, BEP 14)
 * and the handshake sent in the clear after an MSE key exchange (engine/app_bittorrent_mse.c).
 * The probes take real headers (bytes copied from the nDPI captures bittorrent_utp.pcap and
 * bt_search.pcap) and reject random, DNS, QUIC, RTP and DHT datagrams and every truncation;
 * whole exchanges go through the engine. Expected values are written out from the BEPs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_bittorrent_private.h"
#include "applayer.h"
#include "collect.h"
#include "tcpconv.h"
#include "udpfeed.h"
#include "suites.h"

extern const kn_app_parser_t kn_app_utp_parser, kn_app_bt_lsd_parser;

#define INFO_HASH "\x11\x22\x33\x44\x55\x66\x77\x88\x99\x00\xaa\xbb\xcc\xdd\xee\xff\x01\x02\x03\x04"
#define RES_EXT "\x00\x00\x00\x00\x00\x10\x00\x05"

/* ST_SYN of bittorrent_utp.pcap frame 3 (libtorrent) and of its loopback flow. */
static const uint8_t SYN_LT[20] = {0x41, 0x00, 0x53, 0x02, 0x10, 0xee, 0xb2, 0xf0, 0, 0,
                                   0,    0,    0,    0,    0,    0,    0xe7, 0xf5, 0, 0};
static const uint8_t SYN_LO[20] = {0x41, 0x00, 0x45, 0x67, 0xed, 0x63, 0x92, 0x96, 0, 0,
                                   0,    0,    0,    0x10, 0,    0,    0x23, 0xc6, 0, 0};
/* its ST_STATE answer: extension 2 (8 bytes) */
static const uint8_t STATE_LT[28] = {0x21, 0x02, 0x53, 0x02, 0x06, 0xff, 0x3f, 0x5f, 0x7f, 0xff,
                                     0xff, 0xff, 0x00, 0x00, 0xf0, 0x00, 0x49, 0xc7, 0xe7, 0xf5,
                                     0x00, 0x08, 0,    0,    0,    0,    0,    0};

typedef struct got {
    collect_t col;
    int nbt;
    kn_bittorrent_info_t last;
    char info_hash[20], c_peer[20], s_peer[20];
    int c_seen, s_seen;
    char host[64], cookie[32];
    uint8_t hashes[4][20];
    int32_t port;
    int nhashes, lsd;
    uint8_t app_proto;
} got_t;

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static got_t *g;
static double now;
static tcpconv_t conv;

static void keep(char *dst, size_t cap, kn_str_t v)
{
    memset(dst, 0, cap);
    if (v.p)
        memcpy(dst, v.p, v.len < cap ? v.len : cap);
}

static void cb(const kn_event_t *ev, void *user)
{
    got_t *r = user;

    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_BITTORRENT) {
        const kn_bittorrent_info_t *in = ev->u.app.info;
        r->nbt++;
        r->last = *in;
        keep(r->info_hash, sizeof(r->info_hash), in->info_hash);
        keep(r->c_peer, sizeof(r->c_peer), in->client.peer_id);
        keep(r->s_peer, sizeof(r->s_peer), in->server.peer_id);
        r->c_seen = in->client.peer_id.p != NULL;
        r->s_seen = in->server.peer_id.p != NULL;
        r->lsd = in->lsd != NULL;
        if (in->lsd) {
            keep(r->host, sizeof(r->host) - 1, in->lsd->host);
            keep(r->cookie, sizeof(r->cookie) - 1, in->lsd->cookie);
            r->port = in->lsd->port;
            r->nhashes = (int)in->lsd->n_info_hashes;
            memcpy(r->hashes, in->lsd->info_hashes, 20 * (r->nhashes < 4 ? r->nhashes : 4));
        }
    }
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
    tc_init(&conv, eng, &now, 48987, 6882);
}

static void restart(void)
{
    kn_engine_free(eng);
    memset(g, 0, sizeof(*g));
    start();
}

static void dgram(int to_server, const void *p, size_t n)
{
    if (to_server)
        udp_feed(eng, &now, "10.0.0.1", 64969, "10.0.0.2", 40959, p, n);
    else
        udp_feed(eng, &now, "10.0.0.2", 40959, "10.0.0.1", 64969, p, n);
}

/* Deterministic bytes that look random (a 32-bit LCG's high byte). */
static void fill_random(uint8_t *b, size_t n, uint32_t seed)
{
    size_t i;

    for (i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        b[i] = (uint8_t)(seed >> 24);
    }
}

static size_t bt_hs(uint8_t *out, const char *hash, const char *peer_id)
{
    memcpy(out, KN_BT_PSTR, 20);
    memcpy(out + 20, RES_EXT, 8);
    memcpy(out + 28, hash, 20);
    memcpy(out + 48, peer_id, 20);
    return 68;
}

/* A uTP packet (BEP 29 header, no extension) carrying n bytes of payload. */
static size_t utp(uint8_t *o, int type, uint16_t id, uint16_t seq, uint16_t ack, const void *pl,
                  size_t n)
{
    memset(o, 0, 20);
    o[0] = (uint8_t)(type << 4 | 1);
    o[2] = (uint8_t)(id >> 8), o[3] = (uint8_t)id;
    o[4] = 0x12, o[7] = 0x34;             /* timestamp */
    o[8] = type == 4 ? 0 : 0x7f, o[11] = type == 4 ? 0 : 1; /* none in a SYN */
    o[13] = 0x10;                          /* wnd_size */
    o[16] = (uint8_t)(seq >> 8), o[17] = (uint8_t)seq;
    o[18] = (uint8_t)(ack >> 8), o[19] = (uint8_t)ack;
    if (n)
        memcpy(o + 20, pl, n);
    return 20 + n;
}

/* ---- uTP --------------------------------------------------------------------------------- */

START_TEST(utp_probe_real_headers)
{
    const kn_app_parser_t *ps = &kn_app_utp_parser;
    uint8_t b[64];
    uint32_t n;

    ck_assert_int_eq(ps->probe(SYN_LT, 20, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe(SYN_LO, 20, KN_TOCLIENT), KN_OK);
    for (n = 0; n < 20; n++) /* truncated: never claimed */
        ck_assert_int_eq(ps->probe(SYN_LT, n, KN_TOSERVER), KN_DECLINED);
    /* the answer and data packets alone are not enough */
    ck_assert_int_eq(ps->probe(STATE_LT, sizeof(STATE_LT), KN_TOCLIENT), KN_DECLINED);
    ck_assert_int_eq(ps->probe(b, (uint32_t)utp(b, 0, 1, 2, 3, "xy", 2), KN_TOSERVER),
                     KN_DECLINED);
    /* a SYN with a valid extension chain (extension 2, 8 bytes) */
    memcpy(b, SYN_LT, 20);
    b[1] = 2, b[20] = 0, b[21] = 8;
    memset(b + 22, 0, 8);
    ck_assert_int_eq(ps->probe(b, 30, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe(b, 29, KN_TOSERVER), KN_DECLINED); /* chain past the end */
    b[1] = 1; /* selective ack of 8 bytes: fine; of 3: not BEP 29 */
    ck_assert_int_eq(ps->probe(b, 30, KN_TOSERVER), KN_OK);
    b[21] = 3;
    ck_assert_int_eq(ps->probe(b, 25, KN_TOSERVER), KN_DECLINED);
    /* payload, a timestamp difference, another version or type: not a SYN */
    memcpy(b, SYN_LT, 20);
    ck_assert_int_eq(ps->probe(b, 21, KN_TOSERVER), KN_DECLINED);
    b[10] = 1;
    ck_assert_int_eq(ps->probe(b, 20, KN_TOSERVER), KN_DECLINED);
    memcpy(b, SYN_LT, 20);
    b[0] = 0x42;
    ck_assert_int_eq(ps->probe(b, 20, KN_TOSERVER), KN_DECLINED);
    b[0] = 0x51;
    ck_assert_int_eq(ps->probe(b, 20, KN_TOSERVER), KN_DECLINED);
}
END_TEST

START_TEST(utp_probe_rejects_other_udp)
{
    static const uint8_t dns[] = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07" "example"
                                 "\x03" "com\x00\x00\x01\x00\x01";
    static const uint8_t quic[] = "\xc3\x00\x00\x00\x01\x08\x01\x02\x03\x04\x05\x06\x07\x08"
                                  "\x00\x00\x44\xd0\x00\x00\x00\x01";
    static const uint8_t rtp[] = "\x80\x00\x12\x34\x00\x00\x00\xa0\xde\xad\xbe\xef"
                                 "\x00\x00\x00\x00\x00\x00\x00\x00";
    static const char dht[] = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
    const kn_app_parser_t *lsd = &kn_app_bt_lsd_parser, *ps = &kn_app_utp_parser;
    uint8_t b[1500];
    int i, claimed = 0;

    ck_assert_int_eq(ps->probe(dns, sizeof(dns) - 1, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe(quic, sizeof(quic) - 1, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe(rtp, sizeof(rtp) - 1, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)dht, sizeof(dht) - 1, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(lsd->probe(dns, sizeof(dns) - 1, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(lsd->probe(rtp, sizeof(rtp) - 1, KN_TOSERVER), KN_DECLINED);
    /* random datagrams, and random ones that start like a SYN: none is taken */
    for (i = 0; i < 20000; i++) {
        uint32_t n = 20 + (uint32_t)(i % 60);
        fill_random(b, n, (uint32_t)i * 7919u + 1);
        if (i % 2)
            b[0] = 0x41;
        claimed += ps->probe(b, n, KN_TOSERVER) == KN_OK;
        claimed += lsd->probe(b, n, KN_TOSERVER) == KN_OK;
    }
    ck_assert_int_eq(claimed, 0);
}
END_TEST

/* A connection as libtorrent opens it: SYN, STATE, then each side's handshake in data packets
 * (the initiator's split over two, one of them sent twice). */
static void utp_connection(uint16_t id, int wrong_id)
{
    uint8_t hc[68], hs[68], b[128];

    bt_hs(hc, INFO_HASH, "-LT1100-abcdefghijkl");
    bt_hs(hs, INFO_HASH, "-UM1860-mnopqrstuvwx");
    dgram(1, b, utp(b, 4, id, 100, 0, NULL, 0));
    dgram(0, b, utp(b, 2, id, 500, 100, NULL, 0));
    dgram(1, b, utp(b, 0, (uint16_t)(id + 1), 101, 499, hc, 30));
    dgram(1, b, utp(b, 0, (uint16_t)(id + 1), 101, 499, hc, 30)); /* retransmitted */
    dgram(0, b, utp(b, 0, wrong_id ? (uint16_t)(id + 7) : id, 500, 102, hs, 68));
    dgram(1, b, utp(b, 0, (uint16_t)(id + 1), 102, 500, hc + 30, 38));
}

START_TEST(utp_peer_wire_handshakes)
{
    start();
    utp_connection(0xfffe, 0); /* the initiator's id + 1 wraps */
    kn_engine_flush(eng);
    ck_assert_int_eq(g->app_proto, KN_APP_BITTORRENT);
    ck_assert_int_eq(g->nbt, 1);
    ck_assert_int_eq(g->last.utp, 1);
    ck_assert_int_eq(g->last.mse, 0);
    ck_assert_mem_eq(g->info_hash, INFO_HASH, 20);
    ck_assert_mem_eq(g->c_peer, "-LT1100-abcdefghijkl", 20);
    ck_assert_mem_eq(g->s_peer, "-UM1860-mnopqrstuvwx", 20);
    ck_assert_int_eq(g->col.nanomalies, 0);
}
END_TEST

START_TEST(utp_relations_and_order)
{
    uint8_t b[128], hc[68];

    start();
    utp_connection(0x1234, 1); /* the responder's data under another id */
    kn_engine_flush(eng);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_BT_UTP_MISMATCH));
    ck_assert_int_eq(g->s_seen, 0);
    ck_assert_int_eq(g->c_seen, 1);

    /* the STATE does not acknowledge the SYN */
    restart();
    dgram(1, b, utp(b, 4, 9, 100, 0, NULL, 0));
    dgram(0, b, utp(b, 2, 9, 500, 77, NULL, 0));
    kn_engine_flush(eng);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_BT_UTP_MISMATCH));

    /* the second half before the first: that side stops, nothing is mixed up */
    restart();
    bt_hs(hc, INFO_HASH, "-LT1100-abcdefghijkl");
    dgram(1, b, utp(b, 4, 9, 100, 0, NULL, 0));
    dgram(1, b, utp(b, 0, 10, 102, 0, hc + 30, 38));
    dgram(1, b, utp(b, 0, 10, 101, 0, hc, 30));
    kn_engine_flush(eng);
    ck_assert_int_eq(g->app_proto, KN_APP_BITTORRENT);
    ck_assert_int_eq(g->nbt, 0);
}
END_TEST

/* Every datagram cut short: no crash, the complete ones still count. */
START_TEST(utp_truncated)
{
    uint8_t b[128], hc[68];
    size_t n, cut;

    bt_hs(hc, INFO_HASH, "-LT1100-abcdefghijkl");
    for (cut = 0; cut < 88; cut++) {
        restart();
        dgram(1, b, utp(b, 4, 9, 100, 0, NULL, 0));
        n = utp(b, 0, 10, 101, 0, hc, 68);
        dgram(1, b, cut);
        dgram(1, b, n);
        kn_engine_flush(eng);
        ck_assert_int_eq(g->app_proto, KN_APP_BITTORRENT);
        /* a shorter data packet is a whole one: the full one after it is a retransmission */
        ck_assert_int_eq(g->nbt, cut < 20 ? 1 : 0);
    }
}
END_TEST

/* ---- LSD ----------------------------------------------------------------------------------- */

#define ANNOUNCE "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 61197\r\n" \
                 "Infohash: ED4F1085E885F98F9A69B70EE89EB988B8FD9115\r\n\r\n\r\n"

static void lsd(const char *s, size_t n)
{
    udp_feed(eng, &now, "192.168.0.102", 6771, "239.192.152.143", 6771, s, n);
}

START_TEST(lsd_probe)
{
    const kn_app_parser_t *ps = &kn_app_bt_lsd_parser;
    const uint8_t *a = (const uint8_t *)ANNOUNCE;
    uint32_t n;

    ck_assert_int_eq(ps->probe(a, sizeof(ANNOUNCE) - 1, KN_TOSERVER), KN_OK);
    for (n = 1; n < 22; n++)
        ck_assert_int_eq(ps->probe(a, n, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"M-SEARCH * HTTP/1.1\r\n", 21, KN_TOSERVER),
                     KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"BT-SEARCH * HTTP/1.0\r\n", 22, KN_TOSERVER),
                     KN_DECLINED);
    ck_assert_int_eq(kn_app_utp_parser.probe(a, sizeof(ANNOUNCE) - 1, KN_TOSERVER), KN_DECLINED);
}
END_TEST

START_TEST(lsd_announce)
{
    static const char two[] = "BT-SEARCH * HTTP/1.1\r\nHost: [ff15::efc0:988f]:6771\r\n"
                              "Port: 6881\r\nInfohash: 0123456789abcdef0123456789ABCDEF01234567\r\n"
                              "Infohash: " "1122334455667788990011223344556677889900\r\n"
                              "X-Other: ignored\r\ncookie: k1\r\n\r\n\r\n";

    start();
    lsd(ANNOUNCE, sizeof(ANNOUNCE) - 1);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->app_proto, KN_APP_BITTORRENT);
    ck_assert_int_eq(g->nbt, 1);
    ck_assert_int_eq(g->lsd, 1);
    ck_assert_str_eq(g->host, "239.192.152.143:6771");
    ck_assert_int_eq(g->port, 61197);
    ck_assert_int_eq(g->nhashes, 1);
    ck_assert_mem_eq(g->hashes[0], "\xed\x4f\x10\x85\xe8\x85\xf9\x8f\x9a\x69\xb7\x0e\xe8\x9e"
                                   "\xb9\x88\xb8\xfd\x91\x15", 20);
    ck_assert_mem_eq(g->info_hash, g->hashes[0], 20);
    ck_assert_int_eq(g->col.nanomalies, 0);

    restart();
    lsd(two, sizeof(two) - 1);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->nhashes, 2);
    ck_assert_mem_eq(g->hashes[1], "\x11\x22\x33\x44\x55\x66\x77\x88\x99\x00\x11\x22\x33\x44"
                                   "\x55\x66\x77\x88\x99\x00", 20);
    ck_assert_int_eq(g->hashes[0][19], 0x67);
    ck_assert_str_eq(g->cookie, "k1");
    ck_assert_str_eq(g->host, "[ff15::efc0:988f]:6771");
    ck_assert_int_eq(g->port, 6881);
    ck_assert_int_eq(g->col.nanomalies, 0);
}
END_TEST

START_TEST(lsd_malformed_and_truncated)
{
    static const char *const bad[] = {
        "BT-SEARCH * HTTP/1.1\r\nHost: h\r\nPort: 6881\r\n\r\n\r\n",              /* no hash */
        "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: 12345\r\n\r\n",           /* short */
        "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: "
        "zz23456789abcdef0123456789abcdef01234567\r\n\r\n",                        /* not hex */
        "BT-SEARCH * HTTP/1.1\r\nPort: 70000\r\nInfohash: "
        "0123456789abcdef0123456789abcdef01234567\r\n\r\n",                        /* port */
        "BT-SEARCH * HTTP/1.1\r\nno colon here\r\n\r\n",
    };
    size_t i, cut;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        restart();
        lsd(bad[i], strlen(bad[i]));
        kn_engine_flush(eng);
        ck_assert_int_eq(g->nbt, 1); /* still logged */
        ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_BT_LSD_MALFORMED));
    }
    for (cut = 22; cut < sizeof(ANNOUNCE) - 1; cut++) {
        restart();
        lsd(ANNOUNCE, cut);
        kn_engine_flush(eng);
        ck_assert_int_eq(g->nbt, 1);
        /* the hash is whole from 45 + 40 bytes in */
        ck_assert_int_eq(collect_has_anomaly(&g->col, KN_ANOM_APP_BT_LSD_MALFORMED),
                         cut < 22 + 28 + 13 + 10 + 40);
    }
}
END_TEST

/* ---- MSE ---------------------------------------------------------------------------------- */

START_TEST(mse_scan_across_calls)
{
    kn_bt_scan_t sc = {0, 0};
    uint8_t b[1400];
    uint32_t i, used = 0, u;
    int found = 0;

    fill_random(b, sizeof(b), 5);
    for (i = 0; i < sizeof(b); i++)
        if (b[i] == 0x13)
            b[i] = 0x14;
    memcpy(b + 700, KN_BT_PSTR, 20);
    for (i = 0; i < sizeof(b) && found == 0; i += u) { /* one byte at a time */
        u = kn_bt_mse_scan(&sc, b + i, 1, &found);
        used += u;
    }
    ck_assert_int_eq(found, 1);
    ck_assert_uint_eq(used, 720);

    memset(&sc, 0, sizeof(sc)); /* too far in: given up */
    memmove(b + 1250, b + 700, 20);
    memset(b + 700, 0, 20);
    u = kn_bt_mse_scan(&sc, b, sizeof(b), &found);
    ck_assert_int_eq(found, -1);
    ck_assert_uint_le(u, KN_BT_MSE_MAX_OFFSET + 1);
}
END_TEST

/* An MSE exchange where the responder picked plaintext: its handshake follows Yb, PadB and
 * the encrypted VC/crypto_select/PadD in the clear; the initiator's went encrypted in IA. */
static size_t mse_streams(uint8_t *c, uint8_t *s, size_t hs_at)
{
    size_t n = hs_at;

    fill_random(c, 400, 11);
    fill_random(s, hs_at, 12);
    n += bt_hs(s + n, INFO_HASH, "-UW130Q-QSp2v9wVO48a");
    memcpy(s + n, "\x00\x00\x00\x01\x01", 5); /* choke... a short message */
    return n + 5;
}

START_TEST(mse_plaintext_after_key_exchange)
{
    uint8_t c[400], s[1200];
    size_t n, cut;

    for (cut = 96; cut < 670; cut += 37) { /* Yb comes whole: below 96 bytes no claim */
        restart();
        n = mse_streams(c, s, 600);
        tc_handshake(&conv, 100, 900);
        tc_send(&conv, 1, c, 200, 1460);
        tc_send(&conv, 0, s, cut, 1460);
        tc_send(&conv, 1, c + 200, 200, 1460);
        tc_send(&conv, 0, s + cut, n - cut, 1460);
        kn_engine_flush(eng);
        ck_assert_int_eq(g->app_proto, KN_APP_BITTORRENT);
        ck_assert_int_eq(g->nbt, 1);
        ck_assert_int_eq(g->last.mse, 1);
        ck_assert_int_eq(g->s_seen, 1);
        ck_assert_int_eq(g->c_seen, 0);
        ck_assert_mem_eq(g->info_hash, INFO_HASH, 20);
        ck_assert_int_eq(g->col.nanomalies, 0);
    }
}
END_TEST

START_TEST(mse_not_claimed)
{
    uint8_t c[400], s[1200];
    size_t n;

    /* random both ways, no handshake: not BitTorrent */
    start();
    fill_random(c, 400, 1);
    fill_random(s, 1200, 2);
    tc_handshake(&conv, 100, 900);
    tc_send(&conv, 1, c, 400, 1460);
    tc_send(&conv, 0, s, 1200, 1460);
    kn_engine_flush(eng);
    ck_assert_int_ne(g->app_proto, KN_APP_BITTORRENT);

    /* the protocol string too early to follow a key exchange */
    restart();
    n = mse_streams(c, s, 60);
    tc_handshake(&conv, 100, 900);
    tc_send(&conv, 1, c, 400, 1460);
    tc_send(&conv, 0, s, n, 1460);
    kn_engine_flush(eng);
    ck_assert_int_ne(g->app_proto, KN_APP_BITTORRENT);

    /* behind text (a page quoting a handshake), not behind random bytes */
    restart();
    n = mse_streams(c, s, 600);
    memset(s, 'a', 300);
    tc_handshake(&conv, 100, 900);
    tc_send(&conv, 1, c, 400, 1460);
    tc_send(&conv, 0, s, n, 1460);
    kn_engine_flush(eng);
    ck_assert_int_ne(g->app_proto, KN_APP_BITTORRENT);

    /* the initiator's side is never claimed this way */
    ck_assert_int_eq(kn_bt_mse_probe(s, (uint32_t)n, KN_TOSERVER), KN_DECLINED);
    n = mse_streams(c, s, 600);
    ck_assert_int_eq(kn_bt_mse_probe(s, (uint32_t)n, KN_TOCLIENT), KN_OK);
    ck_assert_int_eq(kn_bt_mse_probe(s, 500, KN_TOCLIENT), KN_AGAIN);
    ck_assert_int_eq(kn_bt_mse_probe(s, 95, KN_TOCLIENT), KN_DECLINED);
}
END_TEST

Suite *suite_app_bt_transport(void)
{
    Suite *su = suite_create("app_bt_transport");
    TCase *tc = tcase_create("bt_transport");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, utp_probe_real_headers);
    tcase_add_test(tc, utp_probe_rejects_other_udp);
    tcase_add_test(tc, utp_peer_wire_handshakes);
    tcase_add_test(tc, utp_relations_and_order);
    tcase_add_test(tc, utp_truncated);
    tcase_add_test(tc, lsd_probe);
    tcase_add_test(tc, lsd_announce);
    tcase_add_test(tc, lsd_malformed_and_truncated);
    tcase_add_test(tc, mse_scan_across_calls);
    tcase_add_test(tc, mse_plaintext_after_key_exchange);
    tcase_add_test(tc, mse_not_claimed);
    suite_add_tcase(su, tc);
    return su;
}
