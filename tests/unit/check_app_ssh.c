/* check_app_ssh.c: unit tests of engine/app_ssh.c, through the whole engine: banners and
 * KEXINITs split at awkward places, server lines before the banner, HASSH values (expected md5s
 * computed outside the engine with python3 hashlib and `openssl md5`), SSH on another port,
 * malformed and truncated input, and ssh rules. */
#include <stdlib.h>
#include <string.h>

#include "applayer.h"
#include "collect.h"
#include "tcpconv.h"
#include "suites.h"

/* The lists of the test KEXINITs and their HASSH (md5 of "kex;enc;mac;comp"):
 *   python3 -c 'import hashlib;print(hashlib.md5(b"...").hexdigest())' */
#define KEX "curve25519-sha256,diffie-hellman-group14-sha256"
#define HOSTKEY "ssh-ed25519,rsa-sha2-512"
#define C_ENC "aes128-ctr,aes256-gcm@openssh.com"
#define C_MAC "hmac-sha2-256"
#define C_COMP "none,zlib@openssh.com"
#define S_ENC "aes256-ctr"
#define S_MAC "hmac-sha1"
#define S_COMP "none"
#define C_HASSH_STRING KEX ";" C_ENC ";" C_MAC ";" C_COMP
#define S_HASSH_STRING KEX ";" S_ENC ";" S_MAC ";" S_COMP
#define C_HASSH "7b3f76e580e44aea1e396d8af55a8228"
#define S_HASSH "ec533e8b63734be039f4747583343cb8"

typedef struct got_side {
    char proto[64], soft[300], hassh[40], hstr[300];
    int has_proto, has_hassh;
} got_side_t;

/* What the app events said, copied at callback time (event data is borrowed). */
typedef struct got {
    collect_t col;
    int nssh;
    got_side_t c, s;
    uint8_t app_proto; /* of the flow, from its flow event */
} got_t;

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static kn_ruleset_t *rs;
static got_t *g;
static double now;
static uint16_t dport;
static tcpconv_t conv;

static void copy_str(char *dst, size_t cap, kn_str_t v)
{
    size_t n = v.len < cap - 1 ? v.len : cap - 1;

    if (v.p)
        memcpy(dst, v.p, n);
    dst[v.p ? n : 0] = '\0';
}

static void copy_side(got_side_t *d, const kn_ssh_side_t *sd)
{
    d->has_proto = sd->proto_version.p != NULL;
    d->has_hassh = sd->hassh.len != 0;
    copy_str(d->proto, sizeof(d->proto), sd->proto_version);
    copy_str(d->soft, sizeof(d->soft), sd->software_version);
    copy_str(d->hassh, sizeof(d->hassh), sd->hassh);
    copy_str(d->hstr, sizeof(d->hstr), sd->hassh_string);
}

static void cb(const kn_event_t *ev, void *user)
{
    got_t *r = user;

    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_SSH) {
        const kn_ssh_info_t *in = ev->u.app.info;
        r->nssh++;
        copy_side(&r->c, &in->client);
        copy_side(&r->s, &in->server);
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
    rs = NULL;
    now = 1.0;
    dport = 22;
}

static void teardown(void)
{
    kn_engine_free(eng);
    kn_ruleset_free(rs);
    free(g);
}

static void start(const char *rules)
{
    if (rules) {
        rs = kn_ruleset_new();
        ck_assert_int_eq(kn_ruleset_add_rules(rs, "r", rules, NULL, NULL), 0);
        ck_assert_int_eq(kn_ruleset_build(rs, NULL, 0), KN_OK);
    }
    eng = kn_engine_new(&cfg, cb, g);
    ck_assert_ptr_nonnull(eng);
    if (rs)
        ck_assert_int_eq(kn_engine_set_ruleset(eng, rs), KN_OK);
    tc_init(&conv, eng, &now, 40000, dport);
}

static size_t put32(uint8_t *b, size_t off, uint32_t v)
{
    b[off] = (uint8_t)(v >> 24);
    b[off + 1] = (uint8_t)(v >> 16);
    b[off + 2] = (uint8_t)(v >> 8);
    b[off + 3] = (uint8_t)v;
    return off + 4;
}

static size_t put_list(uint8_t *b, size_t off, const char *s)
{
    off = put32(b, off, (uint32_t)strlen(s));
    memcpy(b + off, s, strlen(s));
    return off + strlen(s);
}

/* An RFC 4253 6 binary packet (no MAC) of payload p[0..n) with padding 4..11 bytes. */
static size_t packet(uint8_t *out, const uint8_t *p, size_t n)
{
    size_t pad = 8 - ((n + 5) % 8), off;

    if (pad < 4)
        pad += 8;
    off = put32(out, 0, (uint32_t)(n + pad + 1));
    out[off++] = (uint8_t)pad;
    memcpy(out + off, p, n);
    memset(out + off + n, 0, pad);
    return off + n + pad;
}

/* A KEXINIT packet (RFC 4253 7.1) from the test lists; server: its s2c lists differ. */
static size_t kexinit(uint8_t *out, int server)
{
    uint8_t p[1024];
    size_t off = 0;

    p[off++] = 20;
    memset(p + off, 0xab, 16);
    off += 16;
    off = put_list(p, off, KEX);
    off = put_list(p, off, HOSTKEY);
    off = put_list(p, off, C_ENC);
    off = put_list(p, off, server ? S_ENC : C_ENC);
    off = put_list(p, off, C_MAC);
    off = put_list(p, off, server ? S_MAC : C_MAC);
    off = put_list(p, off, C_COMP);
    off = put_list(p, off, server ? S_COMP : C_COMP);
    off = put_list(p, off, "");
    off = put_list(p, off, "");
    p[off++] = 0;
    off = put32(p, off, 0);
    return packet(out, p, off);
}

static size_t newkeys(uint8_t *out)
{
    const uint8_t m = 21;

    return packet(out, &m, 1);
}

/* A whole clear-text exchange: banners, KEXINITs (split into chunk-byte segments), NEWKEYS. */
static void exchange(const char *sbanner, const char *cbanner, size_t chunk)
{
    uint8_t k[1200];
    size_t n;

    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 0, sbanner, chunk);
    tc_xmit(&conv, 1, cbanner, chunk);
    n = kexinit(k, 0);
    tc_send(&conv, 1, k, n, chunk);
    n = kexinit(k, 1);
    tc_send(&conv, 0, k, n, chunk);
    n = newkeys(k);
    tc_send(&conv, 0, k, n, chunk);
    tc_send(&conv, 1, k, n, chunk);
}

static void end_flow(void)
{
    kn_engine_flush(eng);
}

/* ---- tests ------------------------------------------------------------------------------- */

START_TEST(probe_wants_ssh_dash)
{
    const kn_app_parser_t *ps = kn_app_parser(KN_APP_SSH);

    ck_assert_ptr_nonnull(ps);
    ck_assert_int_eq(ps->probe((const uint8_t *)"SSH-2.0-x", 9, KN_TOCLIENT), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)"SSH-", 4, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)"SS", 2, KN_TOCLIENT), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"SSH", 3, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"SSX-", 4, KN_TOCLIENT), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"GET / HTTP/1.1", 14, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"ssh-2.0", 7, KN_TOSERVER), KN_DECLINED);
}
END_TEST

START_TEST(full_exchange_gives_banners_and_hassh)
{
    cfg.ssh_hassh = 1;
    start(NULL);
    exchange("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "SSH-2.0-OpenSSH_8.4\r\n", 1460);
    ck_assert_int_eq(g->nssh, 1); /* done before the flow ends: both KEXINITs were in */
    ck_assert_str_eq(g->c.proto, "2.0");
    ck_assert_str_eq(g->c.soft, "OpenSSH_8.4");
    ck_assert_str_eq(g->s.proto, "2.0");
    ck_assert_str_eq(g->s.soft, "OpenSSH_9.2p1"); /* the comment after SP is not part of it */
    ck_assert_str_eq(g->c.hassh, C_HASSH);
    ck_assert_str_eq(g->c.hstr, C_HASSH_STRING);
    ck_assert_str_eq(g->s.hassh, S_HASSH);
    ck_assert_str_eq(g->s.hstr, S_HASSH_STRING);
    end_flow();
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_int_eq(g->app_proto, KN_APP_SSH);
    ck_assert_int_eq(g->col.nanomalies, 0);
}
END_TEST

/* HASSH is off unless configured or a rule reads it, as in Suricata's shipped config. */
START_TEST(hassh_off_by_default)
{
    start(NULL);
    exchange("SSH-2.0-S\r\n", "SSH-2.0-C\r\n", 1460);
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_str_eq(g->c.soft, "C");
    ck_assert_str_eq(g->c.hassh, "");
    ck_assert_str_eq(g->s.hstr, "");
}
END_TEST

/* Both banners split in two at every byte (and byte by byte) give the same fields. */
START_TEST(banner_split_at_every_byte)
{
    static const char sb[] = "SSH-1.99-Cisco-1.25\r\n", cbn[] = "SSH-2.0-PuTTY_Release_0.78\r\n";
    size_t i, n = strlen(cbn);

    for (i = 0; i <= n; i++) {
        memset(g, 0, sizeof(*g));
        start(NULL);
        tc_handshake(&conv, 100, 900);
        tc_send(&conv, 0, sb, i < strlen(sb) ? i : strlen(sb), 1460);
        if (i < strlen(sb))
            tc_send(&conv, 0, sb + i, strlen(sb) - i, 1460);
        tc_send(&conv, 1, cbn, i ? i : n, i ? 1460 : 1); /* i == 0: one byte per segment */
        if (i && i < n)
            tc_send(&conv, 1, cbn + i, n - i, 1460);
        end_flow();
        ck_assert_msg(g->nssh == 1, "split %zu: %d events", i, g->nssh);
        ck_assert_str_eq(g->s.proto, "1.99");
        ck_assert_str_eq(g->s.soft, "Cisco-1.25");
        ck_assert_str_eq(g->c.proto, "2.0");
        ck_assert_str_eq(g->c.soft, "PuTTY_Release_0.78");
        ck_assert_int_eq(g->col.nanomalies, 0);
        kn_engine_free(eng);
        eng = NULL;
    }
}
END_TEST

START_TEST(server_lines_before_banner_are_skipped)
{
    start(NULL);
    tc_handshake(&conv, 100, 900);
    /* the client's banner decides the flow */
    tc_xmit(&conv, 1, "SSH-2.0-libssh2_1.11.0\r\n", 1460);
    tc_xmit(&conv, 0, "Welcome to the machine\r\n", 1460);
    tc_xmit(&conv, 0, "Unauthorized access prohibited\r\nSSH-", 1460);
    tc_xmit(&conv, 0, "2.0-OpenSSH_9.7\r\n", 1460);
    end_flow();
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_str_eq(g->s.soft, "OpenSSH_9.7");
    ck_assert_str_eq(g->c.soft, "libssh2_1.11.0");
    ck_assert_int_eq(g->col.nanomalies, 0);
}
END_TEST

/* The server speaks first, lines and banner in one segment: its probe finds the banner. */
START_TEST(server_first_lines_then_banner)
{
    const kn_app_parser_t *ps = kn_app_parser(KN_APP_SSH);
    static const char one[] = "Hello\r\nmotd\r\nSSH-2.0-S\r\n";

    ck_assert_int_eq(ps->probe((const uint8_t *)one, sizeof(one) - 1, KN_TOCLIENT), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)one, sizeof(one) - 1, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"Hello\r\n\x01SSH-", 11, KN_TOCLIENT),
                     KN_DECLINED);
    dport = 2200;
    start(NULL);
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 0, one, 1460);
    tc_xmit(&conv, 1, "SSH-2.0-C\r\n", 1460);
    end_flow();
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_str_eq(g->s.soft, "S");
    ck_assert_str_eq(g->c.soft, "C");
    ck_assert_int_eq(g->col.nanomalies, 0);
}
END_TEST

/* RFC 4253 4.2 lets only the server send other lines first. */
START_TEST(client_line_before_banner_is_invalid)
{
    start(NULL);
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 0, "SSH-2.0-OpenSSH_9.7\r\n", 1460);
    tc_xmit(&conv, 1, "hello\r\nSSH-2.0-x\r\n", 1460);
    end_flow();
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_int_eq(g->c.has_proto, 0);
    ck_assert_str_eq(g->s.proto, "2.0");
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SSH_INVALID_BANNER));
}
END_TEST

/* The KEXINITs cut into 1, 3 and 7-byte segments hash the same. */
START_TEST(kexinit_across_segments)
{
    static const size_t chunks[] = {1, 3, 7, 100};
    size_t i;

    cfg.ssh_hassh = 1;
    for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        memset(g, 0, sizeof(*g));
        start(NULL);
        exchange("SSH-2.0-S\r\n", "SSH-2.0-C\r\n", chunks[i]);
        ck_assert_int_eq(g->nssh, 1);
        ck_assert_str_eq(g->c.hassh, C_HASSH);
        ck_assert_str_eq(g->s.hassh, S_HASSH);
        ck_assert_str_eq(g->s.hstr, S_HASSH_STRING);
        kn_engine_free(eng);
        eng = NULL;
    }
}
END_TEST

/* Banner, KEXINIT and NEWKEYS of one side in one segment, as small clients send them. */
START_TEST(banner_and_kexinit_in_one_segment)
{
    uint8_t buf[1400];
    size_t n;

    cfg.ssh_hassh = 1;
    start(NULL);
    tc_handshake(&conv, 100, 900);
    memcpy(buf, "SSH-2.0-S\r\n", 11);
    n = 11 + kexinit(buf + 11, 1);
    tc_send(&conv, 0, buf, n, 1460);
    ck_assert_int_eq(g->nssh, 0); /* the client has said nothing yet */
    memcpy(buf, "SSH-2.0-C\n", 10); /* LF alone ends a line too */
    n = 10 + kexinit(buf + 10, 0);
    n += newkeys(buf + n);
    tc_send(&conv, 1, buf, n, 1460);
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_str_eq(g->c.soft, "C");
    ck_assert_str_eq(g->c.hassh, C_HASSH);
    ck_assert_str_eq(g->s.hassh, S_HASSH);
}
END_TEST

START_TEST(ssh_on_port_10022)
{
    dport = 10022;
    start(NULL);
    exchange("SSH-2.0-OpenSSH_9.7\r\n", "SSH-2.0-Go\r\n", 1460);
    end_flow();
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_int_eq(g->app_proto, KN_APP_SSH);
    ck_assert_str_eq(g->c.soft, "Go");
}
END_TEST

START_TEST(garbage_after_ssh_dash_is_rejected)
{
    static const char *bad[] = {"SSH-garbage\r\n", "SSH--x\r\n", "SSH-2.0\r\n",
                                "SSH-2.0-a\tb\r\n", "SSH-\x01\x02-x\r\n"};
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(g, 0, sizeof(*g));
        start(NULL);
        tc_handshake(&conv, 100, 900);
        tc_xmit(&conv, 1, bad[i], 1460);
        tc_xmit(&conv, 1, "more bytes\r\n", 1460);
        end_flow();
        ck_assert_msg(g->nssh == 0, "%s", bad[i]);
        ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SSH_INVALID_BANNER));
        kn_engine_free(eng);
        eng = NULL;
    }
}
END_TEST

/* RFC 4253 4.2: at most 255 characters with CR LF; the versions are still taken. */
START_TEST(too_long_banner)
{
    char b[600];

    start(NULL);
    tc_handshake(&conv, 100, 900);
    memset(b, 0, sizeof(b));
    memcpy(b, "SSH-2.0-Long ", 13);
    memset(b + 13, 'c', 400);
    memcpy(b + 413, "\r\n", 2);
    tc_xmit(&conv, 0, b, 100);
    tc_xmit(&conv, 1, "SSH-2.0-C\r\n", 1460);
    end_flow();
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SSH_LONG_BANNER));
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_str_eq(g->s.soft, "Long");
    ck_assert_str_eq(g->c.soft, "C");
}
END_TEST

/* Exactly 255 bytes with CR LF is allowed; one more is not. */
START_TEST(banner_length_limit_is_255)
{
    char b[300];
    int extra;

    for (extra = 0; extra < 2; extra++) {
        memset(g, 0, sizeof(*g));
        start(NULL);
        tc_handshake(&conv, 100, 900);
        memset(b, 0, sizeof(b));
        memcpy(b, "SSH-2.0-", 8);
        memset(b + 8, 'v', 245 + (size_t)extra);
        memcpy(b + 253 + extra, "\r\n", 2);
        tc_xmit(&conv, 0, b, 1460);
        tc_xmit(&conv, 1, "SSH-2.0-C\r\n", 1460);
        end_flow();
        ck_assert_int_eq(collect_has_anomaly(&g->col, KN_ANOM_APP_SSH_LONG_BANNER), extra);
        ck_assert_int_eq(g->nssh, 1);
        ck_assert_uint_eq(strlen(g->s.soft), 245 + (size_t)extra);
        kn_engine_free(eng);
        eng = NULL;
    }
}
END_TEST

START_TEST(invalid_record_length)
{
    static const uint8_t bad[] = {0, 0, 0, 3, 10, 20, 0, 0, 0, 0}; /* padding beyond packet */

    start(NULL);
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 0, "SSH-2.0-S\r\n", 1460);
    tc_xmit(&conv, 1, "SSH-2.0-C\r\n", 1460);
    tc_send(&conv, 1, bad, sizeof(bad), 1460);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SSH_INVALID_RECORD_LENGTH));
    end_flow();
    ck_assert_int_eq(g->nssh, 1); /* what the banners said is still logged */
    ck_assert_str_eq(g->c.soft, "C");
    ck_assert_int_eq(g->c.has_hassh, 0);
}
END_TEST

START_TEST(kexinit_over_state_cap)
{
    uint8_t k[1200];
    size_t n;

    cfg.app_state_cap = 64;
    start(NULL);
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 0, "SSH-2.0-S\r\n", 1460);
    tc_xmit(&conv, 1, "SSH-2.0-C\r\n", 1460);
    n = kexinit(k, 0);
    tc_send(&conv, 1, k, n, 1460);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SSH_LONG_KEX_RECORD));
    n = kexinit(k, 1);
    tc_send(&conv, 0, k, n, 1460);
    end_flow();
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_int_eq(g->c.has_hassh, 0);
    ck_assert_int_eq(g->s.has_hassh, 0);
    ck_assert_str_eq(g->s.soft, "S");
}
END_TEST

/* Cut anywhere: no crash, and what was seen is logged at flow end. */
START_TEST(truncated_exchanges)
{
    static const char sb[] = "SSH-2.0-S\r\n";
    uint8_t all[1400];
    size_t n, cut;

    memcpy(all, sb, 11);
    n = 11 + kexinit(all + 11, 1);
    for (cut = 1; cut < n; cut += 37) {
        memset(g, 0, sizeof(*g));
        start(NULL);
        tc_handshake(&conv, 100, 900);
        tc_xmit(&conv, 1, "SSH-2.0-C\r\n", 1460);
        tc_send(&conv, 0, all, cut, 1460);
        end_flow();
        ck_assert_int_eq(g->nssh, 1);
        ck_assert_str_eq(g->c.soft, "C");
        ck_assert_int_eq(g->s.has_proto, cut >= 11);
        ck_assert_int_eq(g->s.has_hassh, 0);
        kn_engine_free(eng);
        eng = NULL;
    }
}
END_TEST

/* SSH-1 has no KEXINIT: the transaction is done with the banners. */
START_TEST(ssh1_done_with_banners)
{
    start(NULL);
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 0, "SSH-1.5-OpenSSH_6.6\n", 1460);
    tc_xmit(&conv, 1, "SSH-1.5-OpenSSH_6.6\n", 1460);
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_str_eq(g->c.proto, "1.5");
    tc_send(&conv, 0, "\x00\x00\x01\x04\x00\x00\x00\x00", 8, 1460); /* SSH-1 packet: no anomaly */
    end_flow();
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_int_eq(g->col.nanomalies, 0);
}
END_TEST

START_TEST(encrypted_bytes_after_newkeys_are_ignored)
{
    static const uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03};

    start(NULL);
    exchange("SSH-2.0-S\r\n", "SSH-2.0-C\r\n", 1460);
    tc_send(&conv, 1, junk, sizeof(junk), 1460);
    tc_send(&conv, 0, junk, sizeof(junk), 1460);
    end_flow();
    ck_assert_int_eq(g->nssh, 1);
    ck_assert_int_eq(g->col.nanomalies, 0);
}
END_TEST

START_TEST(rules_on_ssh_buffers)
{
    start("alert ssh any any -> any any (ssh.software; content:\"OpenSSH_9\"; sid:1;)\n"
          "alert ssh any any -> any any (flow:to_server; ssh.proto; content:\"2.0\"; sid:2;)\n"
          "alert ssh any any -> any any (ssh.hassh; content:\"" C_HASSH "\"; sid:3;)\n"
          "alert ssh any any -> any any (ssh.hassh.server; content:\"" S_HASSH "\"; sid:4;)\n"
          "alert ssh any any -> any any (ssh.software; content:\"PuTTY\"; sid:5;)\n"
          "alert ssh any any -> any any (ssh.proto; content:\"2.0\"; sid:6;)\n"
          "alert ssh any any -> any any (ssh.hassh.string; content:\"curve25519\"; sid:7;)\n"
          "alert ssh any any -> any any (ssh.hassh.server.string; content:\"curve25519\"; "
          "sid:8;)\n");
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 0, "SSH-2.0-OpenSSH_9.7\r\n", 1460);
    ck_assert_int_eq(collect_alerts(&g->col, 1), 1); /* fires on the server banner alone */
    {
        uint8_t k[1200];
        size_t n;
        tc_xmit(&conv, 1, "SSH-2.0-Go\r\n", 1460);
        ck_assert_int_eq(collect_alerts(&g->col, 2), 1);
        n = kexinit(k, 0);
        tc_send(&conv, 1, k, n, 1460);
        ck_assert_int_eq(collect_alerts(&g->col, 3), 1);
        n = kexinit(k, 1);
        tc_send(&conv, 0, k, n, 1460);
    }
    end_flow();
    ck_assert_int_eq(collect_alerts(&g->col, 1), 1);
    ck_assert_int_eq(collect_alerts(&g->col, 3), 1);
    ck_assert_int_eq(collect_alerts(&g->col, 4), 1);
    ck_assert_int_eq(collect_alerts(&g->col, 5), 0);
    /* a buffer both sides have, no direction named: once per side, as Suricata */
    ck_assert_int_eq(collect_alerts(&g->col, 6), 2);
    ck_assert_int_eq(collect_alerts(&g->col, 7), 1);
    ck_assert_int_eq(collect_alerts(&g->col, 8), 1);
}
END_TEST

Suite *suite_app_ssh(void)
{
    Suite *s = suite_create("app_ssh");
    TCase *tc = tcase_create("app_ssh");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, probe_wants_ssh_dash);
    tcase_add_test(tc, full_exchange_gives_banners_and_hassh);
    tcase_add_test(tc, banner_split_at_every_byte);
    tcase_add_test(tc, server_lines_before_banner_are_skipped);
    tcase_add_test(tc, server_first_lines_then_banner);
    tcase_add_test(tc, client_line_before_banner_is_invalid);
    tcase_add_test(tc, kexinit_across_segments);
    tcase_add_test(tc, banner_and_kexinit_in_one_segment);
    tcase_add_test(tc, ssh_on_port_10022);
    tcase_add_test(tc, garbage_after_ssh_dash_is_rejected);
    tcase_add_test(tc, too_long_banner);
    tcase_add_test(tc, banner_length_limit_is_255);
    tcase_add_test(tc, invalid_record_length);
    tcase_add_test(tc, kexinit_over_state_cap);
    tcase_add_test(tc, truncated_exchanges);
    tcase_add_test(tc, ssh1_done_with_banners);
    tcase_add_test(tc, encrypted_bytes_after_newkeys_are_ignored);
    tcase_add_test(tc, rules_on_ssh_buffers);
    tcase_add_test(tc, hassh_off_by_default);
    suite_add_tcase(s, tc);
    return s;
}
