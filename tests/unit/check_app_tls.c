/* check_app_tls.c: unit tests of engine/app_tls.c and app_tls_cert.c, through the whole engine.
 *
 * Real handshakes from the shared captures (expected values are what Suricata 7.0.10 wrote for
 * the same bytes: ../shared/pcaps/tls/cert-no-cn.pcap and tls13-ech.pcap), fed split at every
 * byte, byte by byte, re-framed into small records and truncated; synthetic hellos for the
 * anomalies, resumption, the JA4 example of the FoxIO specification and the rule keywords. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_tls_private.h"
#include "applayer.h"
#include "collect.h"
#include "tcpconv.h"
#include "suites.h"

/* cert-no-cn.pcap frame 4 (42764 -> 8888): the ClientHello record */
static const char CNC_CH[] =
    "16030100f4010000f0030354f652a773f0003a5f2828eb432c654199fc792e4ba1b84e9f5e15d77f743acd00"
    "0084c030c02cc028c024c014c00a00a3009f006b006a0039003800880087c032c02ec02ac026c00fc005009d"
    "003d00350084c012c00800160013c00dc003000ac02fc02bc027c023c013c00900a2009e0067004000330032"
    "009a009900450044c031c02dc029c025c00ec004009c003c002f009600410007c011c007c00cc00200050004"
    "00ff01000043000b000403000102000a0008000600190018001700230000000d002200200601060206030501"
    "050205030401040204030301030203030201020202030101000f000101";

/* frame 6: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone in one record */
static const char CNC_SRV[] =
    "160301003502000031030154f6530f1c38809d03c80c4937955fc27383590657b218e8cc0cbe76014aaca400"
    "0039000009ff010001000023000016030103070b0003030003000002fd308202f9308201e1a0030201020209"
    "00fa17a614059b1ef3300d06092a864886f70d010105050030133111300f060355040a0c0854657374436f72"
    "70301e170d3135303330343030333130355a170d3136303330333030333130355a30133111300f060355040a"
    "0c0854657374436f727030820122300d06092a864886f70d01010105000382010f003082010a0282010100c9"
    "918b57a7abacd4cc5eb12b66abd4306083c8934c89163af20428c4ca1288233dca39cca9751faa3cb6e2ec79"
    "b0b0591293245603fdc25f593d3115d9d8dbb9eb6dc7ddb8880723753813a704a5798f213fccd3f6c83e7cc4"
    "ef717f6693f23f61247916622260c09b085d3fc958ae6757ea96bfafcdddfae96eed6342281b93a45037d6c1"
    "e889c16306e984b5b238e7486d5dfdc0a93a71a77d40569a6e91e717688658864e5de9ff2a895f838da548a8"
    "6fe83447716939c6858b6cc4be25535bdfc808b5dfc5576bda950e6494aaacf8458b773022788fe934d8461b"
    "a5f2657b82e556d2d38e0c2656182948d6a5bd8532af234c8bbf7ce5a8909ebc5ab4f30203010001a350304e"
    "301d0603551d0e04160414e1f58593c54a947e2c722ad0019fcb1098819b2e301f0603551d23041830168014"
    "e1f58593c54a947e2c722ad0019fcb1098819b2e300c0603551d13040530030101ff300d06092a864886f70d"
    "010105050003820101000d13d36ef2cd24e5c6e1acb954db825ebff75ceff2b273809a7bb8c0a9f7e70c8cd3"
    "27ba1d5bfedbf5a91801cae4ccf355d3093c1feee3e3f9920413428e51e6f2a4d4d5c7a095e2a13bd76186bb"
    "8b46f9c360df24e2400b32a7927d90571b6f8706676c626d2d9317b8c0ab50e9eac0ca0ff78a6cf9b9d84b2b"
    "eeffd53a3178d9156f7e9016526d291eb0b1d85720c47da512dfe4629487b7a44f46a6f4d68591aad9fb753e"
    "585185124ef762356e299301744b7a63cdf431b639f0c6fa53bfa666ffe563c5d1d712dbe338d1d697fc0939"
    "1879312bb5668ca8ab8a21a834e8d120493b2691ab3ccdd206ab535e3c1a7b9a8b28e289cb559b90363f20ce"
    "c0a7160301018d0c0001890040da583c16d9852289d0e4af756f4cca92dd4be533b804fb0fed94ef9c8a4403"
    "ed574650d36999db29d776276ba2d3d412e218f4dd1e084cf6d8003e7c4774e83300010200407354e88a85da"
    "e6e781af9f58cd188da3994663765ce3c0b245dbe8d8b3814c00d109e9e72d6f432936eb9e226bc8e6d8859f"
    "2f15a833cff480e15b32b799905801004e4da2eead1f91dbaba87e35f0c96ea857a3cb46918ca1960e898397"
    "d513823a1f9d5652fb513bba492247850d2689dc6f8e4cd33ea36ed1d2e47d97e83e8f5c0ed121006899ebd8"
    "9914d377702b8840ae0d8e98f2fdf20a4dbc0ec33fee2c8a1642bfd1f9bf60f1c8c2134ddfac2a859f69e08e"
    "540c30ec1d8879159fc18c8409fcadc8a6171839ed2de94f70c7c2b0a69d78c964c00bea75836ae57e9aa13d"
    "c8cfbfc78e2fbe264e6c8df2006c8f09249bc3a8b61e276b0267e4570862f529b938b9b8f2249cd5bbb0eb48"
    "389592e960cc58c59475dd95e3e9ea6f4fd4b52e14aac7b3c9c79ee0eb04342710572424ba7340365444fed6"
    "866c04ada7ce163016030100040e000000";

/* tls13-ech.pcap frame 7 (51066 -> 443): a TLS 1.3 ClientHello with SNI */
static const char ECH_CH[] =
    "1603010200010001fc0303d820986a1fb4dc3a70fac91f1359ff5e320c6a5e07397ab36f8c513be4585f5d20"
    "7c77f968ecbeda040598f47af5265fb5f0f5ef3279f08b43d03c31a57ce0c63000202a2a130113021303c02b"
    "c02fc02cc030cca9cca8c013c014009c009d002f003501000193dada0000ff010001000010000e000c026832"
    "08687474702f312e31000d00120010040308040401050308050501080606010033002b00291a1a000100001d"
    "0020231cb3a7bde0d15d97dfdfc4d315b112899e9480d1dc7a0e739c4058bbe7276d002d0002010144690005"
    "000302683200230000002b0007068a8a03040303000a000a00081a1a001d00170018fe0d00ba0000010001d1"
    "0020cce5c83299bb8dffdb74bafd0a1d524b82973e224c12999beed169ee7a9ad67d00900b7b2dc3b17adb2e"
    "abc1f7fabb61bdd5db777336a9da3679c5373ff69f0087b9453bd3ec42b6d17b1b7d024cd7c4b627d1b0cd3a"
    "e9fbe5422f132187789d6c7f89f29201ff0e64853d3988adb723fff552447ebd087a55422abe568a8dfe4596"
    "a5820f134ec9f192620e4b36776431e14e35a6c9ddbe912359b1bde0d74a062e634eb5ced3063bed83f0b562"
    "f26278030017000000050005010000000000120000000b00020100000000170015000012636c6f7564666c61"
    "72652d6563682e636f6d001b00030200029a9a0001000015000700000000000000";

/* frame 9, its first two records: ServerHello (supported_versions 1.3), ChangeCipherSpec */
static const char ECH_SH[] =
    "160303007a020000760303cd86afb4bb270220f3b7c330c6fc84b3ada6a00d98b285a5022de6f5ced70efc20"
    "7c77f968ecbeda040598f47af5265fb5f0f5ef3279f08b43d03c31a57ce0c630130100002e002b0002030400"
    "330024001d00200ff6e1452d32666a0036d0071dbfceaddc648e2d5aa6fd1c530c3f15f823271f1403030001"
    "01";

/* ssl-v2.pcap frame 4 (59062 -> 443): an SSLv2 CLIENT-HELLO for version 2.0 */
static const char V2_CH[] =
    "802e0100020015000000100700c00500800300800100800600400400800200801c30e2b12f4c04525476f280c0"
    "7abee5";

/* ssl.v3.pcap frame 4 (58868 -> 443): an SSLv2-compatible CLIENT-HELLO offering TLS 1.0 */
static const char V2_COMPAT_CH[] =
    "8055010301003c0000001000003900003800003500003300003200000400000500002f00001600001300feff00"
    "000a00001500001200fefe000009000064000062000003000006e6b8efdf91cf44f7eae43c83398fdcb2";

/* ---- harness ------------------------------------------------------------------------------ */

typedef struct tlsev {
    int n;                /* tls transactions logged */
    int n_sni_ok;         /* ... whose SNI and JA3 were the expected ones (split test) */
    uint16_t version;
    int64_t notbefore, notafter;
    uint8_t session_resumed, loggable;
    uint16_t n_certs, n_client_alpns;
    uint64_t pcap_cnt;
    char sni[256], subject[256], issuer[256], serial[128], fp[80], ja3[40], ja3s[40], ja4[40];
    char ja3s_str[128], alpn0[32];
} tlsev_t;

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static kn_ruleset_t *rs;
static collect_t *col;
static tlsev_t ev;
static double now;
static tcpconv_t conv;
static const char *want_sni, *want_ja3;

static void cpy(char *dst, size_t cap, kn_str_t s)
{
    size_t n = s.p ? (s.len < cap - 1 ? s.len : cap - 1) : 0;

    if (n)
        memcpy(dst, s.p, n);
    dst[n] = '\0';
}

/* Copies what the tests look at while the event is still borrowed. */
static void cb(const kn_event_t *e, void *user)
{
    const kn_tls_info_t *in;

    collect_cb(e, user);
    if (e->type != KN_EV_APP || e->u.app.app != KN_APP_TLS)
        return;
    in = e->u.app.info;
    ev.n++;
    ev.version = in->version;
    ev.notbefore = in->notbefore;
    ev.notafter = in->notafter;
    ev.session_resumed = in->session_resumed;
    ev.loggable = in->loggable;
    ev.n_certs = in->n_certs;
    ev.n_client_alpns = in->n_client_alpns;
    ev.pcap_cnt = e->pkt ? e->pkt->pcap_cnt : 0;
    cpy(ev.sni, sizeof(ev.sni), in->sni);
    cpy(ev.subject, sizeof(ev.subject), in->subject);
    cpy(ev.issuer, sizeof(ev.issuer), in->issuerdn);
    cpy(ev.serial, sizeof(ev.serial), in->serial);
    cpy(ev.fp, sizeof(ev.fp), in->fingerprint);
    cpy(ev.ja3, sizeof(ev.ja3), in->ja3_hash);
    cpy(ev.ja3s, sizeof(ev.ja3s), in->ja3s_hash);
    cpy(ev.ja3s_str, sizeof(ev.ja3s_str), in->ja3s);
    cpy(ev.ja4, sizeof(ev.ja4), in->ja4);
    ev.alpn0[0] = '\0';
    if (in->n_client_alpns)
        cpy(ev.alpn0, sizeof(ev.alpn0), in->client_alpns[0]);
    if (want_sni && !strcmp(ev.sni, want_sni) && !strcmp(ev.ja3, want_ja3))
        ev.n_sni_ok++;
}

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    col = calloc(1, sizeof(*col));
    memset(&ev, 0, sizeof(ev));
    eng = NULL;
    rs = NULL;
    now = 1.0;
    want_sni = want_ja3 = NULL;
}

static void teardown(void)
{
    kn_engine_free(eng);
    kn_ruleset_free(rs);
    free(col);
}

static void start(const char *rules)
{
    if (rules) {
        rs = kn_ruleset_new();
        ck_assert_int_eq(kn_ruleset_add_rules(rs, "r", rules, NULL, NULL), 0);
        ck_assert_int_eq(kn_ruleset_build(rs, NULL, 0), KN_OK);
    }
    eng = kn_engine_new(&cfg, cb, col);
    ck_assert_ptr_nonnull(eng);
    if (rs)
        ck_assert_int_eq(kn_engine_set_ruleset(eng, rs), KN_OK);
}

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = 0;

    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        ck_assert_int_eq(sscanf(h, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
    }
    return n;
}

static void open_flow(uint16_t cport, uint16_t sport)
{
    tc_init(&conv, eng, &now, cport, sport);
    tc_handshake(&conv, 1000, 50000);
}

static uint64_t anomalies(kn_anomaly_t a)
{
    return kn_engine_counters(eng)->anomaly[a];
}

/* A stream of handshake records re-framed: the same messages in records of at most frag bytes
 * of body (RFC 8446 5.1: message boundaries need not follow record boundaries). */
static size_t reframe(const uint8_t *in, size_t n, size_t frag, uint8_t *out)
{
    uint8_t body[8000];
    size_t o = 0, off, nb = 0, k, len;

    for (off = 0; off + 5 <= n; off += 5 + len) {
        len = (size_t)in[off + 3] << 8 | in[off + 4];
        ck_assert_int_eq(in[off], 22);
        ck_assert_uint_le(off + 5 + len, n);
        memcpy(body + nb, in + off + 5, len);
        nb += len;
    }
    ck_assert_uint_eq(off, n);
    for (off = 0; off < nb; off += k) {
        k = nb - off < frag ? nb - off : frag;
        out[o++] = 22, out[o++] = in[1], out[o++] = in[2];
        out[o++] = (uint8_t)(k >> 8), out[o++] = (uint8_t)k;
        memcpy(out + o, body + off, k);
        o += k;
    }
    return o;
}

/* ---- synthetic hellos ------------------------------------------------------------------------ */

typedef struct wbuf {
    uint8_t b[4096];
    size_t n;
} wbuf_t;

static void w8(wbuf_t *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void w16(wbuf_t *w, unsigned v) { w8(w, v >> 8), w8(w, v & 0xff); }
static void wn(wbuf_t *w, const void *d, size_t n)
{
    if (n)
        memcpy(w->b + w->n, d, n), w->n += n;
}

static void ext(wbuf_t *w, uint16_t type, const void *body, size_t n)
{
    w16(w, type);
    w16(w, (unsigned)n);
    wn(w, body, n);
}

/* A record holding one hello: client (ciphers) or server (cipher[0]), session id, extensions. */
static size_t hello(int client, const uint16_t *ciphers, size_t nc, const uint8_t *sid,
                    uint8_t sidlen, const wbuf_t *exts, uint8_t *out)
{
    wbuf_t h = {{0}, 0};
    size_t i, body;
    uint8_t random[32];

    memset(random, client ? 0x11 : 0x22, sizeof(random));
    w16(&h, 0x0303);
    wn(&h, random, 32);
    w8(&h, sidlen);
    wn(&h, sid, sidlen);
    if (client) {
        w16(&h, (unsigned)nc * 2);
        for (i = 0; i < nc; i++)
            w16(&h, ciphers[i]);
        w8(&h, 1), w8(&h, 0);
    } else {
        w16(&h, ciphers[0]);
        w8(&h, 0);
    }
    if (exts) {
        w16(&h, (unsigned)exts->n);
        wn(&h, exts->b, exts->n);
    }
    body = h.n + 4;
    out[0] = 22, out[1] = 3, out[2] = 1, out[3] = (uint8_t)(body >> 8), out[4] = (uint8_t)body;
    out[5] = client ? 1 : 2, out[6] = 0, out[7] = (uint8_t)(h.n >> 8), out[8] = (uint8_t)h.n;
    memcpy(out + 9, h.b, h.n);
    return h.n + 9;
}

static void sni_ext(wbuf_t *e, const char *name)
{
    uint8_t b[300];
    size_t n = strlen(name);

    b[0] = (uint8_t)((n + 3) >> 8), b[1] = (uint8_t)(n + 3), b[2] = 0;
    b[3] = (uint8_t)(n >> 8), b[4] = (uint8_t)n;
    memcpy(b + 5, name, n);
    ext(e, 0, b, n + 5);
}

/* ---- tests ----------------------------------------------------------------------------------- */

START_TEST(probe_claims_hellos_only)
{
    const kn_app_parser_t *ps = kn_app_parser(KN_APP_TLS);
    uint8_t ch[600];
    size_t n = unhex(CNC_CH, ch);

    ck_assert_int_eq(ps->probe(ch, (uint32_t)n, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe(ch, 5, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe(ch, 1, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe(ch, (uint32_t)n, KN_TOCLIENT), KN_DECLINED); /* not a ServerHello */
    ck_assert_int_eq(ps->probe((const uint8_t *)"GET / HTTP/1.1\r\n", 16, KN_TOSERVER),
                     KN_DECLINED);
    ch[1] = 2; /* record version 2.x */
    ck_assert_int_eq(ps->probe(ch, (uint32_t)n, KN_TOSERVER), KN_DECLINED);
}
END_TEST

/* The whole handshake of cert-no-cn.pcap on port 8888: every field as Suricata wrote it. */
START_TEST(real_handshake_fields_match_suricata)
{
    uint8_t ch[600], srv[1300];
    size_t nch = unhex(CNC_CH, ch), nsrv = unhex(CNC_SRV, srv);

    start(NULL);
    open_flow(42764, 8888);
    tc_send(&conv, 1, ch, nch, 1460);
    ck_assert_int_eq(ev.n, 0); /* the request alone is not logged */
    tc_send(&conv, 0, srv, nsrv, 1460);
    ck_assert_int_eq(ev.n, 1); /* logged at ServerHelloDone, not at flow end */
    ck_assert_str_eq(ev.subject, "O=TestCorp");
    ck_assert_str_eq(ev.issuer, "O=TestCorp");
    ck_assert_str_eq(ev.serial, "00:FA:17:A6:14:05:9B:1E:F3");
    ck_assert_str_eq(ev.fp, "36:ff:d6:dc:09:f1:57:8d:3a:97:8c:29:fe:ed:84:c4:25:f1:e9:d4");
    ck_assert_int_eq(ev.version, 0x0301);
    ck_assert_int_eq(ev.notbefore, 1425429065); /* 2015-03-04T00:31:05 */
    ck_assert_int_eq(ev.notafter, 1456965065);  /* 2016-03-03T00:31:05 */
    ck_assert_str_eq(ev.ja3, "6eca5d94b8020b2a51d96384782083b9");
    ck_assert_str_eq(ev.ja3s, "ae7ebaa87c327353949114a3b85f13cc");
    ck_assert_str_eq(ev.ja3s_str, "769,57,65281-35");
    ck_assert_str_eq(ev.ja4, "t12i660500_00a40d0492ae_3eafcbe19126");
    ck_assert_str_eq(ev.sni, "");
    ck_assert_int_eq(ev.n_certs, 1);
    ck_assert_int_eq(ev.loggable, 1);
    ck_assert_int_eq(ev.session_resumed, 0);
    kn_engine_flush(eng);
    ck_assert_int_eq(ev.n, 1); /* finish does not log it twice */
    ck_assert_int_eq(collect_find(col, 6, 8888)->app_proto, KN_APP_TLS);
}
END_TEST

/* The ClientHello cut in two at every byte, one flow per cut. */
START_TEST(client_hello_split_at_every_byte)
{
    uint8_t ch[600];
    size_t n = unhex(ECH_CH, ch), k;

    want_sni = "cloudflare-ech.com";
    want_ja3 = "2fcbf8655473005933c5869b2b5d8044";
    start(NULL);
    for (k = 1; k < n; k++) {
        uint16_t port = (uint16_t)(20000 + k);
        open_flow(port, 443);
        tc_seg(&conv, 1, KN_TH_ACK | KN_TH_PSH, ch, k);
        tc_seg(&conv, 1, KN_TH_ACK | KN_TH_PSH, ch + k, n - k);
    }
    kn_engine_flush(eng);
    ck_assert_int_eq(ev.n, (int)(n - 1));
    ck_assert_int_eq(ev.n_sni_ok, (int)(n - 1));
}
END_TEST

/* The server's flight one byte per segment: record and handshake headers cut everywhere. */
START_TEST(server_flight_byte_by_byte)
{
    uint8_t ch[600], srv[1300];
    size_t nch = unhex(CNC_CH, ch), nsrv = unhex(CNC_SRV, srv);

    start(NULL);
    open_flow(42764, 8888);
    tc_send(&conv, 1, ch, nch, 7);
    tc_send(&conv, 0, srv, nsrv, 1);
    ck_assert_int_eq(ev.n, 1);
    ck_assert_str_eq(ev.subject, "O=TestCorp");
    ck_assert_str_eq(ev.ja3, "6eca5d94b8020b2a51d96384782083b9");
    ck_assert_str_eq(ev.ja3s, "ae7ebaa87c327353949114a3b85f13cc");
}
END_TEST

/* Handshake messages spread over records of 1, 7 and 100 bytes (RFC 8446 5.1 allows it). */
START_TEST(handshake_split_across_records)
{
    uint8_t ch[600], srv[1300], rch[4000], rsrv[8000];
    size_t nch = unhex(CNC_CH, ch), nsrv = unhex(CNC_SRV, srv), frags[] = {1, 7, 100}, i;

    start(NULL);
    for (i = 0; i < 3; i++) {
        size_t a = reframe(ch, nch, frags[i], rch), b = reframe(srv, nsrv, frags[i], rsrv);
        open_flow((uint16_t)(30000 + i), 8888);
        tc_send(&conv, 1, rch, a, 1400);
        tc_send(&conv, 0, rsrv, b, 1400);
        ck_assert_int_eq(ev.n, (int)i + 1);
        ck_assert_str_eq(ev.subject, "O=TestCorp");
        ck_assert_str_eq(ev.ja3, "6eca5d94b8020b2a51d96384782083b9");
    }
}
END_TEST

/* TLS 1.3: the version is in supported_versions; the rest is encrypted, so the ServerHello
 * completes the transaction. */
START_TEST(tls13_server_hello)
{
    uint8_t ch[600], sh[200];
    size_t nch = unhex(ECH_CH, ch), nsh = unhex(ECH_SH, sh);

    start(NULL);
    open_flow(51066, 443);
    tc_send(&conv, 1, ch, nch, 1460);
    tc_send(&conv, 0, sh, nsh, 1460);
    ck_assert_int_eq(ev.n, 1);
    ck_assert_int_eq(ev.version, 0x0304);
    ck_assert_str_eq(ev.sni, "cloudflare-ech.com");
    ck_assert_str_eq(ev.ja3, "2fcbf8655473005933c5869b2b5d8044");
    ck_assert_str_eq(ev.ja3s_str, "771,4865,43-51");
    ck_assert_str_eq(ev.ja3s, "f4febc55ea12b31ae17cfb7e614afda8");
    ck_assert_str_eq(ev.ja4, "t13d1517h2_8daaf6152771_b1ff8ab2d16f");
    ck_assert_str_eq(ev.alpn0, "h2");
    ck_assert_int_eq(ev.loggable, 1);
    ck_assert_str_eq(ev.subject, "");
}
END_TEST

/* Truncated at several lengths: no crash, nothing invented, the flow still ends cleanly. */
START_TEST(truncated_hellos_and_chains)
{
    uint8_t ch[600], srv[1300];
    size_t nch = unhex(CNC_CH, ch), nsrv = unhex(CNC_SRV, srv), i;
    const size_t cuts[] = {3, 5, 9, 60, 200}, scuts[] = {3, 5, 9, 60, 300};

    start(NULL);
    for (i = 0; i < 5; i++) { /* a cut ClientHello never completes a message: no transaction */
        open_flow((uint16_t)(31000 + i), 8888);
        tc_send(&conv, 1, ch, cuts[i], 1460);
    }
    kn_engine_flush(eng);
    ck_assert_int_eq(ev.n, 0);
    for (i = 0; i < 5; i++) { /* a cut server flight: logged at flow end, no certificate */
        open_flow((uint16_t)(32000 + i), 8888);
        tc_send(&conv, 1, ch, nch, 1460);
        ck_assert_uint_lt(scuts[i], nsrv);
        tc_send(&conv, 0, srv, scuts[i], 1460);
    }
    kn_engine_flush(eng);
    ck_assert_int_eq(ev.n, 5);
    ck_assert_str_eq(ev.subject, "");
    ck_assert_str_eq(ev.ja3, "6eca5d94b8020b2a51d96384782083b9");
}
END_TEST

/* HTTP on 443 is not TLS; the ClientHello on port 8888 (no TLS port) is. */
START_TEST(claimed_by_bytes_not_port)
{
    const char *get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    uint8_t ch[600];
    size_t nch = unhex(CNC_CH, ch);
    const kn_flow_info_t *fi;

    start(NULL);
    open_flow(40000, 443);
    tc_send(&conv, 1, (const uint8_t *)get, strlen(get), 1460);
    open_flow(40001, 8888);
    tc_send(&conv, 1, ch, nch, 1460);
    kn_engine_flush(eng);
    ck_assert_ptr_nonnull(fi = collect_find(col, 6, 443));
    ck_assert_int_ne(fi->app_proto, KN_APP_TLS);
    ck_assert_ptr_nonnull(fi = collect_find(col, 6, 8888));
    ck_assert_int_eq(fi->app_proto, KN_APP_TLS);
    ck_assert_int_eq(ev.n, 1);
}
END_TEST

/* Records that are not TLS after a valid hello: each raises its anomaly. */
START_TEST(invalid_records_raise_anomalies)
{
    uint8_t ch[600];
    size_t nch = unhex(CNC_CH, ch);
    const uint8_t badlen[] = {23, 3, 3, 0xff, 0xff};
    const uint8_t badver[] = {23, 7, 1, 0, 1, 0};
    const uint8_t badtype[] = {0x10, 3, 3, 0, 1, 0}; /* top bits clear: not SSLv2 either */

    start(NULL);
    open_flow(41000, 443);
    tc_send(&conv, 1, ch, nch, 1460);
    tc_send(&conv, 0, badtype, sizeof(badtype), 1460);
    ck_assert_uint_gt(anomalies(KN_ANOM_APP_TLS_INVALID_RECORD_TYPE), 0);
    open_flow(41001, 443);
    tc_send(&conv, 1, ch, nch, 1460);
    tc_send(&conv, 0, badlen, sizeof(badlen), 1460);
    ck_assert_uint_gt(anomalies(KN_ANOM_APP_TLS_INVALID_RECORD_LENGTH), 0);
    open_flow(41002, 443);
    tc_send(&conv, 1, ch, nch, 1460);
    tc_send(&conv, 0, badver, sizeof(badver), 1460);
    ck_assert_uint_gt(anomalies(KN_ANOM_APP_TLS_INVALID_RECORD_VERSION), 0);
    kn_engine_flush(eng);
    ck_assert_int_eq(ev.n, 3); /* the client's part is still reported */
    /* the hello offers a session ticket, which Suricata counts as a resumption: logged */
    ck_assert_int_eq(ev.loggable, 1);
}
END_TEST

/* Two SNI extensions, an empty name, a name type other than host_name, a bad handshake type. */
START_TEST(sni_and_handshake_anomalies)
{
    const uint16_t ciphers[] = {0x1301};
    const uint8_t empty_name[] = {0, 3, 0, 0, 0}, ip_type[] = {0, 4, 1, 0, 1, 'x'};
    const uint8_t badhs[] = {22, 3, 1, 0, 4, 99, 0, 0, 0};
    wbuf_t e = {{0}, 0};
    uint8_t rec[600];
    size_t n;

    start(NULL);
    sni_ext(&e, "a.example");
    sni_ext(&e, "b.example");
    n = hello(1, ciphers, 1, NULL, 0, &e, rec);
    open_flow(42000, 443);
    tc_send(&conv, 1, rec, n, 1460);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_MULTIPLE_SNI_EXTENSIONS), 1);
    e.n = 0;
    ext(&e, 0, empty_name, sizeof(empty_name));
    n = hello(1, ciphers, 1, NULL, 0, &e, rec);
    open_flow(42001, 443);
    tc_send(&conv, 1, rec, n, 1460);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_INVALID_SNI_LENGTH), 1);
    e.n = 0;
    ext(&e, 0, ip_type, sizeof(ip_type));
    n = hello(1, ciphers, 1, NULL, 0, &e, rec);
    open_flow(42002, 443);
    tc_send(&conv, 1, rec, n, 1460);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_INVALID_SNI_TYPE), 1);
    open_flow(42003, 443);
    tc_send(&conv, 1, rec, n, 1460);
    tc_send(&conv, 0, badhs, sizeof(badhs), 1460);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_INVALID_HANDSHAKE_MESSAGE), 1);
    kn_engine_flush(eng);
    ck_assert_int_eq(ev.n, 4);
}
END_TEST

/* The example of the FoxIO JA4 specification (JA4.md "Example"):
 * t13d1516h2_8daaf6152771_e5627efa2ab1. */
START_TEST(ja4_specification_example)
{
    const uint16_t ciphers[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
                                0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0x0a0a};
    const uint16_t others[] = {0x001b, 0x0033, 0x4469, 0x0017, 0x002d, 0x0005, 0x0023, 0x0012,
                               0xff01, 0x000b, 0x000a, 0x0015};
    const uint8_t alpn[] = {0, 3, 2, 'h', '2'}, sv[] = {4, 0x1a, 0x1a, 3, 4};
    const uint8_t sig[] = {0, 16, 4, 3, 8, 4, 4, 1, 5, 3, 8, 5, 5, 1, 8, 6, 6, 1};
    wbuf_t e = {{0}, 0};
    uint8_t rec[800];
    size_t n, i;

    ext(&e, 0x2a2a, NULL, 0); /* GREASE: not counted */
    sni_ext(&e, "example.com");
    ext(&e, 0x0010, alpn, sizeof(alpn));
    ext(&e, 0x000d, sig, sizeof(sig));
    ext(&e, 0x002b, sv, sizeof(sv));
    for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        ext(&e, others[i], NULL, 0);
    n = hello(1, ciphers, 16, NULL, 0, &e, rec);
    start(NULL);
    open_flow(43000, 443);
    tc_send(&conv, 1, rec, n, 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(ev.n, 1);
    ck_assert_str_eq(ev.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
    ck_assert_str_eq(ev.sni, "example.com");
}
END_TEST

/* The server echoes the client's session id and changes cipher: a resumed session, complete at
 * its ChangeCipherSpec, logged with session_resumed. */
START_TEST(session_resumption)
{
    const uint16_t ciphers[] = {0xc02f};
    const uint8_t sid[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const uint8_t ccs[] = {20, 3, 3, 0, 1, 1};
    uint8_t rec[600];
    size_t n;

    start(NULL);
    open_flow(44000, 443);
    n = hello(1, ciphers, 1, sid, 32, NULL, rec);
    tc_send(&conv, 1, rec, n, 1460);
    n = hello(0, ciphers, 1, sid, 32, NULL, rec);
    tc_send(&conv, 0, rec, n, 1460);
    ck_assert_int_eq(ev.n, 0);
    tc_send(&conv, 0, ccs, sizeof(ccs), 1460);
    ck_assert_int_eq(ev.n, 1);
    ck_assert_int_eq(ev.session_resumed, 1);
    ck_assert_int_eq(ev.loggable, 1);
    ck_assert_int_eq(ev.version, 0x0303);
    ck_assert_str_eq(ev.ja3s_str, "771,49199,");
}
END_TEST

/* A chain bigger than the flow's cap is counted and dropped, the rest still works. */
START_TEST(certificate_over_state_cap)
{
    uint8_t ch[600], srv[1300];
    size_t nch = unhex(CNC_CH, ch), nsrv = unhex(CNC_SRV, srv);

    cfg.app_state_cap = 800;
    start(NULL);
    open_flow(45000, 8888);
    tc_send(&conv, 1, ch, nch, 1460);
    tc_send(&conv, 0, srv, nsrv, 100);
    ck_assert_int_eq(ev.n, 1);
    ck_assert_str_eq(ev.subject, "");
    ck_assert_str_eq(ev.ja3s, "ae7ebaa87c327353949114a3b85f13cc");
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_STATE_CAP), 1);
}
END_TEST

/* A capture from 2015 sees the certificate (2015-03-04 .. 2016-03-03) valid, whatever day the
 * capture is replayed on. */
START_TEST(cert_validity_in_capture_time)
{
    uint8_t ch[600], srv[1300];
    size_t nch = unhex(CNC_CH, ch), nsrv = unhex(CNC_SRV, srv);

    start("alert tls any any -> any any (tls_cert_expired; sid:1;)\n"
          "alert tls any any -> any any (tls_cert_valid; sid:2;)\n");
    now = 1440000000.0; /* 2015-08-19 */
    open_flow(46000, 8888);
    tc_send(&conv, 1, ch, nch, 1460);
    tc_send(&conv, 0, srv, nsrv, 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(collect_alerts(col, 1), 0);
    ck_assert_int_eq(collect_alerts(col, 2), 1);
}
END_TEST

/* Buffers and keywords through rules, each alerting once per connection. */
START_TEST(rules_on_buffers_and_keywords)
{
    uint8_t ch[600], srv[1300], sh[200], ch13[600];
    size_t nch = unhex(CNC_CH, ch), nsrv = unhex(CNC_SRV, srv), nsh = unhex(ECH_SH, sh);
    size_t nch13 = unhex(ECH_CH, ch13);

    start("alert tls any any -> any any (tls.sni; content:\"cloudflare-ech\"; sid:1;)\n"
          "alert tls any any -> any any (ja3.hash; content:\"6eca5d94b8020b2a51d9638478\"; "
          "sid:2;)\n"
          "alert tls any any -> any any (tls.cert_subject; content:\"O=TestCorp\"; sid:3;)\n"
          "alert tls any any -> any any (flow:to_client; tls.version:1.3; sid:4;)\n"
          "alert tls any any -> any any (ssl_state:client_hello; sid:5;)\n"
          "alert tls any any -> any any (tls.cert_chain_len:1; sid:6;)\n"
          "alert tls any any -> any any (tls.cert_serial; content:\"00:FA:17\"; sid:7;)\n"
          "alert tls any any -> any any (ja4.hash; content:\"t13d1517h2_\"; sid:8;)\n"
          "alert tls any any -> any any (flow:to_client; ssl_version:tls1.0; sid:9;)\n"
          "alert tls any any -> any any (tls_cert_expired; sid:10;)\n"
          "alert tls any any -> any any (flow:to_server; tls.random_bytes; "
          "content:\"|11 11 11|\"; sid:11;)\n"
          "alert tls any any -> any any (tls.version:1.2; flow:to_client; sid:12;)\n");
    now = 1800000000.0; /* 2027: packet time, not the wall clock, judges expiry */
    open_flow(46000, 8888);
    tc_send(&conv, 1, ch, nch, 1460);
    tc_send(&conv, 0, srv, nsrv, 1460);
    open_flow(46001, 443);
    tc_send(&conv, 1, ch13, nch13, 1460);
    tc_send(&conv, 0, sh, nsh, 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(collect_alerts(col, 1), 1);
    ck_assert_int_eq(collect_alerts(col, 2), 1);
    ck_assert_int_eq(collect_alerts(col, 3), 1);
    ck_assert_int_eq(collect_alerts(col, 4), 1);
    ck_assert_int_eq(collect_alerts(col, 5), 2);
    ck_assert_int_eq(collect_alerts(col, 6), 1);
    ck_assert_int_eq(collect_alerts(col, 7), 1);
    ck_assert_int_eq(collect_alerts(col, 8), 1);
    ck_assert_int_eq(collect_alerts(col, 9), 1);
    ck_assert_int_eq(collect_alerts(col, 10), 1); /* the 2016 certificate expired by 2027 */
    ck_assert_int_eq(collect_alerts(col, 11), 0); /* real hellos have real random bytes */
    ck_assert_int_eq(collect_alerts(col, 12), 0);
}
END_TEST

/* The certificate decoder on its own: garbage, a truncated DER and the real leaf. */
START_TEST(certificate_decoder)
{
    uint8_t srv[1300];
    size_t nsrv = unhex(CNC_SRV, srv), off, len;
    kn_tls_cert_t c;
    const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};

    ck_assert_int_eq(kn_tls_cert_parse(junk, sizeof(junk), &c),
                     KN_ANOM_APP_TLS_CERTIFICATE_INVALID_DER);
    ck_assert_ptr_null(c.subject);
    /* the ServerHello record, the next record's header, the Certificate header, list length */
    off = 5 + ((size_t)srv[3] << 8 | srv[4]);
    ck_assert_int_eq(srv[off], 22);
    off += 5;
    ck_assert_int_eq(srv[off], 11);
    off += 4 + 3;
    len = (size_t)srv[off] << 16 | (size_t)srv[off + 1] << 8 | srv[off + 2];
    off += 3;
    ck_assert_uint_le(off + len, nsrv);
    ck_assert_int_eq(kn_tls_cert_parse(srv + off, (uint32_t)(len - 1), &c),
                     KN_ANOM_APP_TLS_CERTIFICATE_INVALID_DER);
    ck_assert_int_eq(kn_tls_cert_parse(srv + off, (uint32_t)len, &c), 0);
    ck_assert_str_eq(c.subject, "O=TestCorp");
    ck_assert_str_eq(c.serial, "00:FA:17:A6:14:05:9B:1E:F3");
    ck_assert_int_eq(c.notafter, 1456965065);
    kn_tls_cert_clear(&c);
    kn_tls_cert_clear(&c); /* twice is harmless */
}
END_TEST

START_TEST(sslv2_hello_probe)
{
    const kn_app_parser_t *ps = kn_app_parser(KN_APP_TLS);
    uint8_t v2[64], compat[128], b[128];
    size_t n2 = unhex(V2_CH, v2), nc = unhex(V2_COMPAT_CH, compat);
    uint32_t k;

    ck_assert_int_eq(ps->probe(v2, (uint32_t)n2, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe(compat, (uint32_t)nc, KN_TOSERVER), KN_OK);
    for (k = 1; k < 5; k++) { /* too short to tell */
        ck_assert_int_eq(ps->probe(v2, k, KN_TOSERVER), KN_AGAIN);
        ck_assert_int_eq(ps->probe(compat, k, KN_TOSERVER), KN_AGAIN);
    }
    ck_assert_int_eq(ps->probe(v2, (uint32_t)n2, KN_TOCLIENT), KN_DECLINED); /* client only */
    memcpy(b, v2, n2);
    b[2] = 4; /* SERVER-HELLO */
    ck_assert_int_eq(ps->probe(b, (uint32_t)n2, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe(b, 3, KN_TOSERVER), KN_DECLINED); /* told by the third byte */
    memcpy(b, compat, nc);
    b[4] = 4; /* version 3.4: never sent this way */
    ck_assert_int_eq(ps->probe(b, (uint32_t)nc, KN_TOSERVER), KN_DECLINED);
    b[3] = 0, b[4] = 1; /* version 0.1 */
    ck_assert_int_eq(ps->probe(b, (uint32_t)nc, KN_TOSERVER), KN_DECLINED);
    memcpy(b, v2, n2);
    b[1] = 8; /* a record too short for the fixed fields */
    ck_assert_int_eq(ps->probe(b, (uint32_t)n2, KN_TOSERVER), KN_DECLINED);
    b[0] = 0x40, b[1] = 0x2e; /* 3-byte header: Suricata claims only the 2-byte form */
    ck_assert_int_eq(ps->probe(b, (uint32_t)n2, KN_TOSERVER), KN_DECLINED);
}
END_TEST

/* SSLv2 hellos through the engine: the flow is tls, the server's SSLv2 records make the version
 * SSLv2 (as Suricata), nothing is logged without a certificate; malformed ones are named. */
START_TEST(sslv2_hello_through_engine)
{
    uint8_t v2[64], compat[128], ch[600];
    size_t n2 = unhex(V2_CH, v2), nc = unhex(V2_COMPAT_CH, compat), nch = unhex(CNC_CH, ch);
    const uint8_t server_hello[] = {0x80, 0x05, 0x04, 0x00, 0x01, 0x00, 0x02};
    const uint8_t empty[] = {0x80, 0x00, 0x01}, error[] = {0x80, 0x03, 0x00, 0x00, 0x01};
    const char *http = "HTTP/1.1 400 Bad Request\r\n\r\n";
    const kn_flow_info_t *fi;

    start(NULL);
    open_flow(45000, 4430);
    tc_send(&conv, 1, v2, n2, 1460);
    tc_send(&conv, 0, server_hello, sizeof(server_hello), 1460);
    kn_engine_flush(eng);
    ck_assert_ptr_nonnull(fi = collect_find(col, 6, 4430));
    ck_assert_int_eq(fi->app_proto, KN_APP_TLS);
    ck_assert_int_eq(ev.n, 1);
    ck_assert_uint_eq(ev.version, 0x0002);
    ck_assert_int_eq(ev.loggable, 0);
    ck_assert_str_eq(ev.ja3, ""); /* Suricata reads no ciphers from an SSLv2 hello */
    open_flow(45001, 4431); /* byte by byte */
    tc_send(&conv, 1, compat, nc, 1);
    kn_engine_flush(eng);
    ck_assert_ptr_nonnull(fi = collect_find(col, 6, 4431));
    ck_assert_int_eq(fi->app_proto, KN_APP_TLS);
    ck_assert_int_eq(ev.n, 2);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_HANDSHAKE_INVALID_LENGTH), 0);
    open_flow(45002, 4432); /* truncated: no transaction, no anomaly */
    tc_send(&conv, 1, v2, 20, 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(ev.n, 2);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_HANDSHAKE_INVALID_LENGTH), 0);
    v2[8] = 8; /* challenge length 8 (16..32 allowed), record length unchanged */
    open_flow(45003, 4433);
    tc_send(&conv, 1, v2, n2, 1460);
    tc_send(&conv, 0, empty, sizeof(empty), 1460);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_HANDSHAKE_INVALID_LENGTH), 1);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_INVALID_SSLV2_HEADER), 1);
    open_flow(45004, 4434);
    tc_send(&conv, 1, compat, nc, 1460);
    tc_send(&conv, 0, error, sizeof(error), 1460);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_ERROR_MESSAGE_ENCOUNTERED), 1);
    open_flow(45005, 4435); /* a TLS hello answered by HTTP: Suricata reads it as SSLv2 */
    tc_send(&conv, 1, ch, nch, 1460);
    tc_send(&conv, 0, (const uint8_t *)http, strlen(http), 1460);
    kn_engine_flush(eng);
    ck_assert_uint_eq(ev.version, 0x0002);
    ck_assert_uint_eq(anomalies(KN_ANOM_APP_TLS_INVALID_RECORD_TYPE), 0);
}
END_TEST

Suite *suite_app_tls(void)
{
    Suite *s = suite_create("app_tls");
    TCase *tc = tcase_create("app_tls");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, probe_claims_hellos_only);
    tcase_add_test(tc, sslv2_hello_probe);
    tcase_add_test(tc, sslv2_hello_through_engine);
    tcase_add_test(tc, real_handshake_fields_match_suricata);
    tcase_add_test(tc, client_hello_split_at_every_byte);
    tcase_add_test(tc, server_flight_byte_by_byte);
    tcase_add_test(tc, handshake_split_across_records);
    tcase_add_test(tc, tls13_server_hello);
    tcase_add_test(tc, truncated_hellos_and_chains);
    tcase_add_test(tc, claimed_by_bytes_not_port);
    tcase_add_test(tc, invalid_records_raise_anomalies);
    tcase_add_test(tc, sni_and_handshake_anomalies);
    tcase_add_test(tc, ja4_specification_example);
    tcase_add_test(tc, session_resumption);
    tcase_add_test(tc, certificate_over_state_cap);
    tcase_add_test(tc, rules_on_buffers_and_keywords);
    tcase_add_test(tc, cert_validity_in_capture_time);
    tcase_add_test(tc, certificate_decoder);
    suite_add_tcase(s, tc);
    return s;
}
