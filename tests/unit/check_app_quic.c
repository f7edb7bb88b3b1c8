/* check_app_quic.c: unit tests of engine/app_quic*.c, through the whole engine.
 *
 * The Initial keys are checked against RFC 9001 A.1 and RFC 9369 A.1. Packets are protected
 * here with libcrypto (AES-128-GCM, then AES-ECB header protection), independently of the
 * engine's code, and the sealer itself is checked first: the client Initial of RFC 9001 A.2
 * and the server Initial of A.3 must come out as the RFC prints them. Expected JA3/JA4 values
 * were computed outside the engine with python3 hashlib from the RFC's ClientHello. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_quic_private.h"
#include "applayer.h"
#include "collect.h"
#include "eve_private.h"
#include "suites.h"
#include "udpfeed.h"

/* RFC 9001 A.2: the CRYPTO frame of the client's first Initial (a 241-byte ClientHello:
 * example.com, ALPN "alpn", TLS 1.3 only), padded with zeros to 1162 bytes. */
static const char a2_crypto[] =
    "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
    "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
    "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
    "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
    "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
    "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
    "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
    "75300901100f088394c8f03e51570806048000ffff";
static const char a2_header[] = "c300000001088394c8f03e5157080000449e00000002";
static const char a2_prefix[] =
    "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11";
static const char a2_tag[] = "e221af44860018ab0856972e194cd934";
/* RFC 9001 A.3: the server's Initial (ACK, then a CRYPTO frame with the ServerHello). */
static const char a3_payload[] =
    "02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
    "88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
    "0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
    "020304";
static const char a3_header[] = "c1000000010008f067a5502a4262b50040750001";
static const char a3_prefix[] =
    "cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a";
static const uint8_t dcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};

#define A2_JA3 "771,4865-4866,0-65281-10-16-5-51-43-13-45-28-57,29-23-24,"
#define A2_JA3_HASH "41bc9ae914d6cb3bd0bd0a5453ab7d7f"
#define A2_JA4 "q13d0211an_62ed6f6ca7ad_4d634acda6c0"
#define A3_JA3S "771,4865,51-43"

#define CLI "10.0.0.1"
#define SRV "10.0.0.2"
#define EV_MAX 64

typedef struct seen {
    uint32_t version;
    int client, to_server, n_exts;
    char sni[64], ja3[256], ja3_hash[40], ja4[48];
    char eve[4096];
} seen_t;

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static kn_ruleset_t *rs;
static collect_t *col;
static seen_t seen[EV_MAX];
static int nseen;
static double now;

static void copy_str(char *dst, size_t cap, kn_str_t s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;

    if (s.p)
        memcpy(dst, s.p, n);
    dst[s.p ? n : 0] = '\0';
}

static void cb(const kn_event_t *ev, void *user)
{
    collect_cb(ev, user);
    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_QUIC && nseen < EV_MAX) {
        const kn_quic_info_t *in = ev->u.app.info;
        seen_t *s = &seen[nseen++];
        json_object *o = kn_eve_quic_object(NULL, in);
        memset(s, 0, sizeof(*s));
        s->version = in->version;
        s->client = in->client;
        s->to_server = ev->u.app.to_server;
        s->n_exts = in->n_exts;
        copy_str(s->sni, sizeof(s->sni), in->sni);
        copy_str(s->ja3, sizeof(s->ja3), in->ja3);
        copy_str(s->ja3_hash, sizeof(s->ja3_hash), in->ja3_hash);
        copy_str(s->ja4, sizeof(s->ja4), in->ja4);
        snprintf(s->eve, sizeof(s->eve), "%s", json_object_to_json_string_ext(o, SER_FLAGS));
        json_object_put(o);
    }
}

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    col = calloc(1, sizeof(*col));
    rs = NULL;
    eng = kn_engine_new(&cfg, cb, col);
    nseen = 0;
    now = 1.0;
}

static void teardown(void)
{
    kn_engine_free(eng);
    kn_ruleset_free(rs);
    free(col);
}

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = strlen(h) / 2, i;
    unsigned v;

    for (i = 0; i < n; i++) {
        ck_assert_int_eq(sscanf(h + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

/* ---- the test's own packet protection (RFC 9001 5.3, 5.4) ------------------------------- */

/* Protects header (hlen bytes, packet number of pn_len bytes at its end) + payload into out;
 * returns the packet length. */
static size_t seal(const kn_quic_keys_t *k, const uint8_t *hdr, size_t hlen, size_t pn_len,
                   const uint8_t *pl, size_t plen, uint8_t *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    uint8_t nonce[12], mask[16];
    uint64_t pn = 0;
    int n = 0, i;
    size_t pn_off = hlen - pn_len;

    for (i = 0; i < (int)pn_len; i++)
        pn = pn << 8 | hdr[pn_off + i];
    memcpy(nonce, k->iv, 12);
    for (i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
    memcpy(out, hdr, hlen);
    ck_assert(EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, k->key, nonce) > 0);
    ck_assert(EVP_EncryptUpdate(c, NULL, &n, hdr, (int)hlen) > 0);
    ck_assert(EVP_EncryptUpdate(c, out + hlen, &n, pl, (int)plen) > 0);
    ck_assert(EVP_EncryptFinal_ex(c, out + hlen + n, &n) > 0);
    ck_assert(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out + hlen + plen) > 0);
    ck_assert(EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, k->hp, NULL) > 0);
    ck_assert(EVP_EncryptUpdate(c, mask, &n, out + pn_off + 4, 16) > 0);
    EVP_CIPHER_CTX_free(c);
    out[0] ^= mask[0] & 0x0f;
    for (i = 0; i < (int)pn_len; i++)
        out[pn_off + i] ^= mask[1 + i];
    return hlen + plen + 16;
}

static kn_quic_keys_t keys_of(uint32_t version, int server)
{
    kn_quic_keys_t k;

    ck_assert_int_eq(kn_quic_initial_keys(version, dcid, sizeof(dcid), server, &k), 0);
    return k;
}

/* A client Initial of version (dcid above, no token, 4-byte packet number pn) whose payload is
 * frames padded to 1162 bytes, as in A.2. */
static size_t client_initial(uint32_t version, uint32_t pn, const uint8_t *frames, size_t flen,
                             uint8_t *out)
{
    kn_quic_keys_t k = keys_of(version, 0);
    uint8_t hdr[64], pl[1162] = {0};
    size_t h = 0;

    ck_assert_uint_le(flen, sizeof(pl));
    memcpy(pl, frames, flen);
    hdr[h++] = version == KN_QUIC_V2 ? 0xd3 : 0xc3; /* Initial, 4-byte packet number */
    hdr[h++] = (uint8_t)(version >> 24), hdr[h++] = (uint8_t)(version >> 16);
    hdr[h++] = (uint8_t)(version >> 8), hdr[h++] = (uint8_t)version;
    hdr[h++] = sizeof(dcid);
    memcpy(hdr + h, dcid, sizeof(dcid));
    h += sizeof(dcid);
    hdr[h++] = 0;                                  /* scid */
    hdr[h++] = 0;                                  /* token */
    hdr[h++] = 0x44, hdr[h++] = 0x9e;              /* Length 1182 */
    hdr[h++] = (uint8_t)(pn >> 24), hdr[h++] = (uint8_t)(pn >> 16);
    hdr[h++] = (uint8_t)(pn >> 8), hdr[h++] = (uint8_t)pn;
    return seal(&k, hdr, h, 4, pl, sizeof(pl), out);
}

/* A CRYPTO frame (RFC 9000 19.6) with 2-byte varints. */
static size_t crypto_frame(uint8_t *out, unsigned off, const uint8_t *d, size_t n)
{
    out[0] = 0x06;
    out[1] = (uint8_t)(0x40 | off >> 8), out[2] = (uint8_t)off;
    out[3] = (uint8_t)(0x40 | n >> 8), out[4] = (uint8_t)n;
    memcpy(out + 5, d, n);
    return 5 + n;
}

/* The ClientHello handshake message of A.2 (the CRYPTO frame's data). */
static size_t a2_hello(uint8_t *out)
{
    uint8_t f[512];
    size_t n = unhex(a2_crypto, f);

    memcpy(out, f + 4, n - 4);
    return n - 4;
}

/* ---- tests ------------------------------------------------------------------------------------ */

START_TEST(initial_keys_rfc9001_rfc9369)
{
    static const struct { uint32_t v; int server; const char *key, *iv, *hp; } want[] = {
        {KN_QUIC_V1, 0, "1f369613dd76d5467730efcbe3b1a22d", "fa044b2f42a3fd3b46fb255c",
         "9f50449e04a0e810283a1e9933adedd2"},
        {KN_QUIC_V1, 1, "cf3a5331653c364c88f0f379b6067e37", "0ac1493ca1905853b0bba03e",
         "c206b8d9b9f0f37644430b490eeaa314"},
        {KN_QUIC_V2, 0, "8b1a0bc121284290a29e0971b5cd045d", "91f73e2351d8fa91660e909f",
         "45b95e15235d6f45a6b19cbcb0294ba9"},
        {KN_QUIC_V2, 1, "82db637861d55e1d011f19ea71d5d2a7", "dd13c276499c0249d3310652",
         "edf6d05c83121201b436e16877593c3a"},
    };
    uint8_t b[16];
    kn_quic_keys_t k;
    size_t i;

    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        k = keys_of(want[i].v, want[i].server);
        unhex(want[i].key, b);
        ck_assert_mem_eq(k.key, b, 16);
        unhex(want[i].iv, b);
        ck_assert_mem_eq(k.iv, b, 12);
        unhex(want[i].hp, b);
        ck_assert_mem_eq(k.hp, b, 16);
    }
    ck_assert_int_eq(kn_quic_initial_keys(0x1a2a3a4a, dcid, 8, 0, &k), -1);
    ck_assert_int_eq(kn_quic_version_known(0xff00001d), 1);
    ck_assert_int_eq(kn_quic_version_known(0x51303530), 0);
}
END_TEST

/* The RFC's client Initial, sealed here and then read by the engine. */
START_TEST(client_initial_rfc9001_a2)
{
    uint8_t hdr[64], pl[1162] = {0}, pkt[1300], want[64], plain[1300];
    kn_quic_keys_t k = keys_of(KN_QUIC_V1, 0);
    size_t h = unhex(a2_header, hdr), n;

    unhex(a2_crypto, pl);
    n = seal(&k, hdr, h, 4, pl, sizeof(pl), pkt);
    ck_assert_uint_eq(n, 1200);
    ck_assert_mem_eq(pkt, want, unhex(a2_prefix, want));
    ck_assert_mem_eq(pkt + 1184, want, unhex(a2_tag, want));
    /* the engine's opener gives the plaintext back */
    ck_assert_int_eq(kn_quic_open(&k, pkt, h - 4, n, plain), 1162);
    ck_assert_mem_eq(plain, pl, 1162);

    udp_feed(eng, &now, CLI, 50000, SRV, 443, pkt, n);
    ck_assert_int_eq(nseen, 1);
    ck_assert_uint_eq(seen[0].version, 1);
    ck_assert(seen[0].client && seen[0].to_server);
    ck_assert_str_eq(seen[0].sni, "example.com");
    ck_assert_str_eq(seen[0].ja3, A2_JA3);
    ck_assert_str_eq(seen[0].ja3_hash, A2_JA3_HASH);
    ck_assert_str_eq(seen[0].ja4, A2_JA4);
    ck_assert_int_eq(seen[0].n_exts, 11);
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "\"version\":\"1\",\"sni\":\"example.com\""));
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "{\"name\":\"alpn\",\"type\":16,\"values\":[\"alpn\"]}"));
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "{\"name\":\"supported_versions\",\"type\":43,"
                                              "\"values\":[\"Tls13\"]}"));
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "\"values\":[\"1027\",\"1283\",\"1539\",\"515\""));
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "{\"name\":\"renegotiation_info\",\"type\":65281}"));
    ck_assert_ptr_null(strstr(seen[0].eve, "ja4")); /* off, as in Suricata's default */
    kn_engine_flush(eng);
    ck_assert_int_eq(collect_find(col, 17, 443)->app_proto, KN_APP_QUIC);
}
END_TEST

/* The A.2 ClientHello in one CRYPTO frame of a client Initial of version. */
static size_t a2_packet(uint32_t version, uint32_t pn, uint8_t *pkt)
{
    uint8_t f[512];

    return client_initial(version, pn, f, unhex(a2_crypto, f), pkt);
}

/* A.3: the server's Initial answers; its ServerHello gives JA3S, logged from the server. */
START_TEST(server_initial_rfc9001_a3)
{
    uint8_t hdr[64], pl[256], pkt[1300], want[64];
    kn_quic_keys_t k = keys_of(KN_QUIC_V1, 1);
    size_t h = unhex(a3_header, hdr), n;

    n = seal(&k, hdr, h, 2, pl, unhex(a3_payload, pl), pkt);
    ck_assert_mem_eq(pkt, want, unhex(a3_prefix, want));
    /* the server speaks first: its own DCID is tried */
    udp_feed(eng, &now, SRV, 443, CLI, 50001, pkt, n);
    ck_assert_int_eq(nseen, 1);
    ck_assert_str_eq(seen[0].sni, ""); /* keys from the wrong DCID: version only */
    n = a2_packet(KN_QUIC_V1, 2, pkt);
    udp_feed(eng, &now, CLI, 50002, SRV, 443, pkt, n);
    n = seal(&k, hdr, h, 2, pl, unhex(a3_payload, pl), pkt);
    udp_feed(eng, &now, SRV, 443, CLI, 50002, pkt, n);
    ck_assert_int_eq(nseen, 3);
    ck_assert(!seen[2].client && !seen[2].to_server);
    ck_assert_str_eq(seen[2].ja3, A3_JA3S);
    ck_assert_str_eq(seen[2].ja3_hash, "eb1d94daa7e0344597e756a1fb6e7054");
    ck_assert_str_eq(seen[2].ja4, "");
    ck_assert_ptr_nonnull(strstr(seen[2].eve, "\"ja3s\":{\"hash\":\"eb1d94da"));
    ck_assert_ptr_nonnull(strstr(seen[2].eve, "{\"name\":\"key_share\",\"type\":51}"));
    /* after each side's hello nothing more is logged */
    udp_feed(eng, &now, CLI, 50002, SRV, 443, pkt, n);
    udp_feed(eng, &now, SRV, 443, CLI, 50002, pkt, n);
    ck_assert_int_eq(nseen, 3);
}
END_TEST

/* The hello split in three CRYPTO frames over two packets, out of order, at many places: the
 * first packet is logged with its version only, the second with the SNI. */
START_TEST(split_crypto_out_of_order)
{
    uint8_t ch[512], f[1200], pkt[1300];
    size_t chl = a2_hello(ch), a, b, n, fl;
    uint16_t port = 51000;

    for (a = 1; a + 1 < chl; a += 7) {
        b = a + (chl - a) / 2;
        nseen = 0;
        fl = crypto_frame(f, (unsigned)b, ch + b, chl - b); /* the tail first */
        fl += crypto_frame(f + fl, 0, ch, a);
        n = client_initial(KN_QUIC_V1, 0, f, fl, pkt);
        udp_feed(eng, &now, CLI, port, SRV, 443, pkt, n);
        fl = crypto_frame(f, (unsigned)a, ch + a, b - a);
        n = client_initial(KN_QUIC_V1, 1, f, fl, pkt);
        udp_feed(eng, &now, CLI, port, SRV, 443, pkt, n);
        ck_assert_int_eq(nseen, 2);
        ck_assert_str_eq(seen[0].sni, "");
        ck_assert_str_eq(seen[1].sni, "example.com");
        ck_assert_str_eq(seen[1].ja4, A2_JA4);
        port++;
    }
}
END_TEST

/* RFC 9000 12.2: two Initials coalesced in one datagram, then an Initial with a Handshake
 * packet after it (logged with its version, as Suricata does). */
START_TEST(coalesced_packets)
{
    uint8_t ch[512], f[1200], dg[2600], hs[40] = {0xe0, 0, 0, 0, 1, 0, 0, 5, 1, 2, 3, 4, 5};
    size_t chl = a2_hello(ch), n, fl;

    fl = crypto_frame(f, 0, ch, 100);
    n = client_initial(KN_QUIC_V1, 0, f, fl, dg);
    fl = crypto_frame(f, 100, ch + 100, chl - 100);
    n += client_initial(KN_QUIC_V1, 1, f, fl, dg + n);
    udp_feed(eng, &now, CLI, 52000, SRV, 443, dg, n);
    ck_assert_int_eq(nseen, 2);
    ck_assert_str_eq(seen[0].sni, "");
    ck_assert_str_eq(seen[1].sni, "example.com");

    nseen = 0;
    n = a2_packet(KN_QUIC_V1, 0, dg);
    fl = crypto_frame(f, 0, ch, 50); /* a first packet that leaves the hello incomplete */
    n = client_initial(KN_QUIC_V1, 0, f, fl, dg);
    memcpy(dg + n, hs, sizeof(hs));
    udp_feed(eng, &now, CLI, 52001, SRV, 443, dg, n + sizeof(hs));
    ck_assert_int_eq(nseen, 2);
    ck_assert_str_eq(seen[1].sni, "");
    ck_assert_uint_eq(seen[1].version, 1);
}
END_TEST

/* Version 2 (RFC 9369: its own salt, labels and type bits) and draft 29. */
START_TEST(version_2_and_draft_29)
{
    uint8_t pkt[1300];
    size_t n = a2_packet(KN_QUIC_V2, 0, pkt);

    ck_assert_int_eq(pkt[0] & 0xf0, 0xd0); /* Initial is type 1 in version 2 */
    udp_feed(eng, &now, CLI, 53000, SRV, 8443, pkt, n);  /* and any port will do */
    n = a2_packet(0xff00001d, 0, pkt);
    udp_feed(eng, &now, CLI, 53001, SRV, 443, pkt, n);
    ck_assert_int_eq(nseen, 2);
    ck_assert_uint_eq(seen[0].version, KN_QUIC_V2);
    ck_assert_str_eq(seen[0].sni, "example.com");
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "\"version\":\"6b3343cf\""));
    ck_assert_uint_eq(seen[1].version, 0xff00001d);
    ck_assert_str_eq(seen[1].ja3_hash, A2_JA3_HASH);
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"version\":\"ff00001d\""));
}
END_TEST

/* Unknown versions, version negotiation and look-alikes are not QUIC. */
START_TEST(probe_rejects_look_alikes)
{
    uint8_t pkt[1300];
    size_t n = a2_packet(KN_QUIC_V1, 0, pkt);
    const kn_flow_info_t *fi;
    int i;

    pkt[1] = 0x1a, pkt[2] = 0x2a, pkt[3] = 0x3a, pkt[4] = 0x4a;
    for (i = 0; i < 4; i++)
        udp_feed(eng, &now, CLI, 54000, SRV, 443, pkt, n);
    memset(pkt + 1, 0, 4); /* version negotiation */
    udp_feed(eng, &now, CLI, 54001, SRV, 443, pkt, n);
    udp_feed(eng, &now, CLI, 54002, SRV, 443, "\x40\x01\x02\x03", 4); /* a short header alone */
    udp_feed(eng, &now, CLI, 54003, SRV, 443, "GET / HTTP/1.1\r\n\r\n", 18);
    kn_engine_flush(eng);
    ck_assert_int_eq(nseen, 0);
    for (i = 0; i < col->nflows; i++)
        ck_assert_int_ne((fi = &col->flows[i])->app_proto, KN_APP_QUIC);
}
END_TEST

/* Truncated at every length, and corrupted: no crash; named anomalies; never an SNI. A
 * truncated first packet is not claimed; on a claimed flow it is an error_on_header. */
START_TEST(truncated_and_corrupted)
{
    uint8_t ch[512], f[64], first[1300], pkt[1300], bad[1300];
    size_t n = a2_packet(KN_QUIC_V1, 0, pkt), cut, n1;

    a2_hello(ch);
    n1 = client_initial(KN_QUIC_V1, 0, f, crypto_frame(f, 0, ch, 40), first);
    for (cut = 1; cut < n; cut += (cut < 64 ? 1 : 37))
        udp_feed(eng, &now, CLI, (uint16_t)(40000 + cut), SRV, 443, pkt, cut);
    ck_assert_int_eq(nseen, 0);
    for (cut = 1; cut < n; cut += (cut < 64 ? 1 : 37)) {
        udp_feed(eng, &now, CLI, (uint16_t)(30000 + cut), SRV, 443, first, n1);
        udp_feed(eng, &now, CLI, (uint16_t)(30000 + cut), SRV, 443, pkt, cut);
    }
    for (cut = 0; cut < (size_t)nseen; cut++)
        ck_assert_str_eq(seen[cut].sni, "");
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_QUIC_ERROR_ON_HEADER));
    nseen = 0;
    memcpy(bad, pkt, n);
    bad[600] ^= 1; /* the tag no longer matches */
    udp_feed(eng, &now, CLI, 39000, SRV, 443, bad, n);
    ck_assert_int_eq(nseen, 1);
    ck_assert_str_eq(seen[0].sni, "");
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_QUIC_FAILED_DECRYPT));
    udp_feed(eng, &now, CLI, 39000, SRV, 443, pkt, n); /* the retransmission opens */
    ck_assert_int_eq(nseen, 2);
    ck_assert_str_eq(seen[1].sni, "example.com");
}
END_TEST

/* A CRYPTO frame running past the packet, a hello that does not parse, one too long. */
START_TEST(malformed_frames_and_hello)
{
    uint8_t ch[512], f[1200], pkt[1300];
    size_t chl = a2_hello(ch), n, fl;

    f[0] = 0x06, f[1] = 0, f[2] = 0x80, f[3] = 0x00, f[4] = 0x10, f[5] = 0x00; /* 4096 bytes */
    n = client_initial(KN_QUIC_V1, 0, f, 6, pkt);
    udp_feed(eng, &now, CLI, 55000, SRV, 443, pkt, n);
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_QUIC_ERROR_ON_DATA));
    ck_assert_int_eq(nseen, 1);

    memset(col, 0, sizeof(*col));
    ch[38] = 0xff; /* session id length past the end */
    fl = crypto_frame(f, 0, ch, chl);
    n = client_initial(KN_QUIC_V1, 0, f, fl, pkt);
    udp_feed(eng, &now, CLI, 55001, SRV, 443, pkt, n);
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_QUIC_ERROR_ON_DATA));
    ck_assert_int_eq(nseen, 2);
    ck_assert_str_eq(seen[1].sni, "");

    memset(col, 0, sizeof(*col));
    ch[1] = 0x7f; /* a hello of 8 MB */
    fl = crypto_frame(f, 0, ch, 10);
    n = client_initial(KN_QUIC_V1, 0, f, fl, pkt);
    udp_feed(eng, &now, CLI, 55002, SRV, 443, pkt, n);
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_QUIC_CRYPTO_FRAG_TOO_LONG));
}
END_TEST

START_TEST(quic_sni_and_version_rules)
{
    uint8_t pkt[1300];
    size_t n = a2_packet(KN_QUIC_V1, 0, pkt);

    rs = kn_ruleset_new();
    ck_assert_int_eq(kn_ruleset_add_rules(rs, "r",
                                          "alert quic any any -> any any (quic.sni; "
                                          "content:\"example.com\"; sid:1;)\n"
                                          "alert quic any any -> any any (quic.version; "
                                          "content:\"|00 00 00 01|\"; sid:2;)\n"
                                          "alert quic any any -> any any (quic.sni; "
                                          "content:\"other\"; sid:3;)\n",
                                          NULL, NULL),
                     0);
    ck_assert_int_eq(kn_ruleset_build(rs, NULL, 0), KN_OK);
    ck_assert_int_eq(kn_engine_set_ruleset(eng, rs), KN_OK);
    udp_feed(eng, &now, CLI, 56000, SRV, 443, pkt, n);
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert_int_eq(collect_alerts(col, 2), 1);
    ck_assert_int_eq(collect_alerts(col, 3), 0);
}
END_TEST

Suite *suite_app_quic(void)
{
    Suite *s = suite_create("app_quic");
    TCase *tc = tcase_create("app_quic");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, initial_keys_rfc9001_rfc9369);
    tcase_add_test(tc, client_initial_rfc9001_a2);
    tcase_add_test(tc, server_initial_rfc9001_a3);
    tcase_add_test(tc, split_crypto_out_of_order);
    tcase_add_test(tc, coalesced_packets);
    tcase_add_test(tc, version_2_and_draft_29);
    tcase_add_test(tc, probe_rejects_look_alikes);
    tcase_add_test(tc, truncated_and_corrupted);
    tcase_add_test(tc, malformed_frames_and_hello);
    tcase_add_test(tc, quic_sni_and_version_rules);
    suite_add_tcase(s, tc);
    return s;
}
