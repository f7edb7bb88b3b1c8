/* check_app_irc.c: unit tests of engine/app_irc.c and engine/irc_msg.c through the whole
 * engine: a bot-like session split at every byte, the probe rejecting look-alikes (HTTP on
 * 6667, FTP, SMTP, SSH, TLS) and claiming IRC on another port, malformed and overlong lines,
 * STARTTLS, and a connection cut short. Expected values are read off RFC 2812 by hand. */
#include <stdlib.h>
#include <string.h>

#include "applayer.h"
#include "collect.h"
#include "irc_msg.h"
#include "tcpconv.h"
#include "suites.h"

#define RECS 48

typedef struct rec {
    int from_server;
    char command[16], prefix[64], nick[32], user[32], realname[32], text[600], ctcp[16];
    char channel[32], key[32], target[32], name0[32];
    int n_channels, n_keys, n_targets, n_names, n_params, text_truncated, line_truncated;
} rec_t;

typedef struct got {
    collect_t col;
    int n;
    rec_t r[RECS];
    uint8_t app_proto;
} got_t;

static kn_engine_config_t cfg;
static kn_engine_t *eng;
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

static void first(char *dst, size_t cap, const kn_str_t *v, uint16_t n)
{
    copy_str(dst, cap, n ? v[0] : (kn_str_t){NULL, 0});
}

static void cb(const kn_event_t *ev, void *user)
{
    got_t *r = user;

    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_IRC && r->n < RECS) {
        const kn_irc_info_t *in = ev->u.app.info;
        rec_t *x = &r->r[r->n++];
        x->from_server = in->from_server;
        copy_str(x->command, sizeof(x->command), in->command);
        copy_str(x->prefix, sizeof(x->prefix), in->prefix);
        copy_str(x->nick, sizeof(x->nick), in->nick);
        copy_str(x->user, sizeof(x->user), in->user);
        copy_str(x->realname, sizeof(x->realname), in->realname);
        copy_str(x->text, sizeof(x->text), in->text);
        copy_str(x->ctcp, sizeof(x->ctcp), in->ctcp);
        first(x->channel, sizeof(x->channel), in->channels, in->n_channels);
        first(x->key, sizeof(x->key), in->keys, in->n_keys);
        first(x->target, sizeof(x->target), in->targets, in->n_targets);
        first(x->name0, sizeof(x->name0), in->names, in->n_names);
        x->n_channels = in->n_channels;
        x->n_keys = in->n_keys;
        x->n_targets = in->n_targets;
        x->n_names = in->n_names;
        x->n_params = in->n_params;
        x->text_truncated = in->text_truncated;
        x->line_truncated = in->line_truncated;
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
    dport = 8000; /* IRC off its usual port, as in nDPI's irc.pcap */
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
    tc_init(&conv, eng, &now, 45921, dport);
}

static void restart(void)
{
    kn_engine_free(eng);
    memset(g, 0, sizeof(*g));
    start();
}

static const rec_t *find(const char *command, int from_server)
{
    int i;

    for (i = 0; i < g->n; i++)
        if (strcmp(g->r[i].command, command) == 0 && g->r[i].from_server == from_server)
            return &g->r[i];
    return NULL;
}

static int probe(const char *s, int dir)
{
    return kn_app_parser(KN_APP_IRC)->probe((const uint8_t *)s, (uint32_t)strlen(s), dir);
}

/* ---- tests ------------------------------------------------------------------------------- */

START_TEST(probe_claims_irc_openings)
{
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_IRC));
    ck_assert_int_eq(probe("NICK bot123\r\n", KN_TOSERVER), KN_OK);
    ck_assert_int_eq(probe("USER xxxxx +iw xxxxx :Xxxxxx Xxxx\r\n", KN_TOSERVER), KN_OK);
    ck_assert_int_eq(probe("PASS l0m3za\r\n", KN_TOSERVER), KN_OK);
    ck_assert_int_eq(probe("CAP LS 302\r\n", KN_TOSERVER), KN_OK);
    ck_assert_int_eq(probe("    nick lower\n", KN_TOSERVER), KN_OK);
    ck_assert_int_eq(probe("USER foo\nNICK foo\n", KN_TOSERVER), KN_OK); /* lazy client */
    ck_assert_int_eq(probe(":card.freenode.net NOTICE * :*** Looking up\r\n", KN_TOCLIENT),
                     KN_OK);
    ck_assert_int_eq(probe("NOTICE AUTH :*** Looking up your hostname\r\n", KN_TOCLIENT), KN_OK);
    ck_assert_int_eq(probe(":irc.x 001 me :Welcome\r\n", KN_TOCLIENT), KN_OK);
    ck_assert_int_eq(probe("PING :irc.x\r\n", KN_TOCLIENT), KN_OK);
    ck_assert_int_eq(probe("NICK bo", KN_TOSERVER), KN_OK); /* before FTP's "PASS " */
    ck_assert_int_eq(probe("PASS ", KN_TOSERVER), KN_OK);
    ck_assert_int_eq(probe("NI", KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(probe("USER a b c", KN_TOSERVER), KN_AGAIN); /* four parameters? */
    ck_assert_int_eq(probe(":irc.exa", KN_TOCLIENT), KN_AGAIN);
}
END_TEST

START_TEST(probe_rejects_look_alikes)
{
    static const struct {
        const char *s;
        int dir;
    } no[] = {
        {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", KN_TOSERVER},
        {"GET / HTTP/1.1", KN_TOSERVER},
        {"GE", KN_TOSERVER},
        {"HTTP/1.1 20", KN_TOCLIENT},
        {"220-", KN_TOCLIENT},
        {":irc.x NOTICE", KN_TOSERVER},
        {"HTTP/1.1 200 OK\r\n", KN_TOCLIENT},
        {"USER anonymous\r\n", KN_TOSERVER},             /* FTP's USER has one parameter */
        {"USER anonymous\r\nPASS guest\r\n", KN_TOSERVER},
        {"220 ftp.example.com FTP ready\r\n", KN_TOCLIENT}, /* no server prefix */
        {"220 mx ESMTP\r\n", KN_TOCLIENT},
        {"EHLO client.example\r\n", KN_TOSERVER},
        {"SSH-2.0-OpenSSH_9.6\r\n", KN_TOSERVER},
        {"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", KN_TOSERVER},
        {":server NOTICE", KN_TOSERVER},                  /* a prefix from a client */
        {"+OK POP3 ready\r\n", KN_TOCLIENT},
        {"PRIVMSG #c :hi\r\n", KN_TOSERVER},              /* not how a session opens */
        {":irc.x 12 me :two digits\r\n", KN_TOCLIENT},
    };
    size_t i;

    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        ck_assert_msg(probe(no[i].s, no[i].dir) == KN_DECLINED, "%zu: %s", i, no[i].s);
    ck_assert_int_eq(kn_app_parser(KN_APP_IRC)->probe((const uint8_t *)"NICK\0x\r\n", 8,
                                                      KN_TOSERVER),
                     KN_DECLINED);
}
END_TEST

START_TEST(message_grammar)
{
    kn_irc_msg_t m;
    static const char l1[] = "@time=x :nick!u@h  PRIVMSG   #a,#b :hello : world";
    static const char l2[] = "CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16";

    ck_assert_int_eq(kn_irc_msg_parse((const uint8_t *)l1, sizeof(l1) - 1, &m), KN_OK);
    ck_assert_uint_eq(m.prefix.len, 8);
    ck_assert(kn_irc_cmd_is(&m, "PRIVMSG"));
    ck_assert_uint_eq(m.nparams, 2);
    ck_assert_uint_eq(m.params[1].len, 13); /* "hello : world" */
    ck_assert_int_eq(m.trailing, 1);
    /* RFC 2812: after 14 middle parameters the rest is the trailing one */
    ck_assert_int_eq(kn_irc_msg_parse((const uint8_t *)l2, sizeof(l2) - 1, &m), KN_OK);
    ck_assert_uint_eq(m.nparams, 15);
    ck_assert_uint_eq(m.params[14].len, 5);
    ck_assert_int_eq(kn_irc_msg_parse((const uint8_t *)": CMD", 5, &m), KN_ERR);
    ck_assert_int_eq(kn_irc_msg_parse((const uint8_t *)"1234 x", 6, &m), KN_ERR);
    ck_assert_int_eq(kn_irc_msg_parse((const uint8_t *)"CMD1 x", 6, &m), KN_ERR);
    ck_assert_int_eq(kn_irc_msg_parse((const uint8_t *)":p", 2, &m), KN_ERR);
    ck_assert_int_eq(kn_irc_msg_parse((const uint8_t *)"   ", 3, &m), KN_ERR);
}
END_TEST

/* A bot session (after suricata-verify's irc capture), both sides split at every byte of the
 * client's part, gives the same records. */
static const char bot_client[] = "PASS l0m3za\r\nNICK damn-02\r\nUSER ghm 0 0 :damn real\r\n"
                                 "JOIN #sl0w3r,#b l03dx\r\nPING :x\r\n"
                                 "PRIVMSG herder :\x01" "DCC SEND f.exe 1 2 3\x01\r\n"
                                 "PRIVMSG #s01 :[DOWNLOAD]: done\r\nQUIT :bye\r\n";
static const char bot_server[] = ":hunt3d.net NOTICE AUTH :*** Looking up your hostname...\r\n"
                                 ":hunt3d.net 001 damn-02 :Welcome to the devilz IRC Network\r\n"
                                 ":hunt3d.net 372 damn-02 :- motd\r\n"
                                 ":damn-02!ghm@host JOIN :#sl0w3r\r\n"
                                 ":hunt3d.net 332 damn-02 #sl0w3r :.advscan dcom135 200 3 0\r\n"
                                 ":hunt3d.net 353 damn-02 @ #sl0w3r :damn-02 @AL7uB @Under0\r\n"
                                 ":AL7uB!a@b PRIVMSG #sl0w3r :.download http://x/y.exe\r\n";

static void check_bot_records(void)
{
    const rec_t *r;

    ck_assert_int_eq(g->n, 12);
    ck_assert_ptr_nonnull(r = find("PASS", 0));
    ck_assert_int_eq(r->n_params, 1);
    ck_assert_ptr_nonnull(r = find("USER", 0));
    ck_assert_str_eq(r->user, "ghm");
    ck_assert_str_eq(r->realname, "damn real");
    ck_assert_str_eq(r->nick, "damn-02");
    ck_assert_ptr_nonnull(r = find("JOIN", 0));
    ck_assert_int_eq(r->n_channels, 2);
    ck_assert_str_eq(r->channel, "#sl0w3r");
    ck_assert_str_eq(r->key, "l03dx");
    ck_assert_ptr_nonnull(r = find("PRIVMSG", 0));
    ck_assert_str_eq(r->target, "herder");
    ck_assert_str_eq(r->ctcp, "DCC");
    ck_assert_ptr_nonnull(r = find("QUIT", 0));
    ck_assert_str_eq(r->text, "bye");
    ck_assert_ptr_nonnull(r = find("001", 1));
    ck_assert_str_eq(r->text, "Welcome to the devilz IRC Network");
    ck_assert_ptr_nonnull(r = find("332", 1));
    ck_assert_str_eq(r->channel, "#sl0w3r");
    ck_assert_str_eq(r->text, ".advscan dcom135 200 3 0");
    ck_assert_str_eq(r->user, "ghm");
    ck_assert_ptr_nonnull(r = find("353", 1));
    ck_assert_int_eq(r->n_names, 3);
    ck_assert_str_eq(r->name0, "damn-02");
    ck_assert_ptr_nonnull(r = find("PRIVMSG", 1));
    ck_assert_str_eq(r->prefix, "AL7uB!a@b");
    ck_assert_str_eq(r->text, ".download http://x/y.exe");
    ck_assert_ptr_nonnull(find("JOIN", 1));
    ck_assert_ptr_null(find("NOTICE", 1)); /* the server's own chatter */
    ck_assert_ptr_null(find("372", 1));
    ck_assert_ptr_null(find("PING", 0));
    ck_assert_int_eq(g->app_proto, KN_APP_IRC);
    ck_assert_int_eq(g->col.nanomalies, 0);
}

START_TEST(bot_session_split_everywhere)
{
    size_t i, n = sizeof(bot_client) - 1;

    for (i = 0; i <= n; i++) {
        restart();
        tc_handshake(&conv, 100, 900);
        tc_send(&conv, 1, bot_client, i ? i : n, i ? n : 1); /* i == 0: one byte per segment */
        if (i && i < n)
            tc_send(&conv, 1, bot_client + i, n - i, 1460);
        tc_send(&conv, 0, bot_server, sizeof(bot_server) - 1, i % 7 + 1);
        kn_engine_flush(eng);
        check_bot_records();
    }
}
END_TEST

START_TEST(nick_follows_welcome_and_renames)
{
    start();
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 1, "NICK taken\r\nUSER u 0 * :r\r\n", 1460);
    tc_xmit(&conv, 0, ":srv 433 * taken :Nickname is already in use\r\n", 1460);
    tc_xmit(&conv, 1, "NICK other\r\n", 1460);
    tc_xmit(&conv, 0, ":srv 001 other_ :Welcome\r\n:other_!u@h NICK :renamed\r\n", 1460);
    tc_xmit(&conv, 1, "PRIVMSG #c :hi\r\n", 1460);
    kn_engine_flush(eng);
    ck_assert_ptr_nonnull(find("433", 1));
    ck_assert_str_eq(find("001", 1)->nick, "other_"); /* the server's word counts */
    ck_assert_str_eq(find("PRIVMSG", 0)->nick, "renamed");
}
END_TEST

/* Suricata-verify's http-on-irc-port case: the port orders the probes, it does not decide. */
START_TEST(http_on_6667_is_not_irc)
{
    dport = 6667;
    start();
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 1, "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n", 1460);
    tc_xmit(&conv, 0, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->app_proto, KN_APP_HTTP);
    ck_assert_int_eq(g->n, 0);
}
END_TEST

START_TEST(irc_on_6667_and_lazy_client)
{
    dport = 6667;
    start();
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 1, "USER foo\nNICK foo\nJOIN #WEEEE\n", 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->app_proto, KN_APP_IRC);
    ck_assert_ptr_nonnull(find("JOIN", 0));
    ck_assert_str_eq(find("JOIN", 0)->nick, "foo");
}
END_TEST

/* RFC 2812 2.3: 512 bytes with CR LF; longer lines are an anomaly, kept in part and marked. */
START_TEST(overlong_line)
{
    char line[3000];

    start();
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 1, "NICK n\r\n", 1460);
    memcpy(line, "PRIVMSG #c :", 12);
    memset(line + 12, 'a', 2500);
    memcpy(line + 2512, "\r\nPRIVMSG #c :after\r\n", 22);
    tc_xmit(&conv, 1, line, 300);
    kn_engine_flush(eng);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_IRC_LINE_TOO_LONG));
    ck_assert_int_eq(g->n, 3);
    ck_assert_int_eq(g->r[1].line_truncated, 1);
    ck_assert_int_eq(g->r[1].text_truncated, 1);
    ck_assert_uint_eq(strlen(g->r[1].text), 512);
    ck_assert_str_eq(g->r[2].text, "after"); /* the next line is read whole again */
    ck_assert_int_eq(g->r[2].line_truncated, 0);
}
END_TEST

START_TEST(malformed_lines)
{
    int i;

    start();
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 1, "NICK n\r\n", 1460);
    tc_xmit(&conv, 1, ": NOPREFIX\r\n1234 x\r\n\r\nJOIN #ok\r\n", 1460);
    ck_assert_int_eq(g->col.nanomalies, 2);
    ck_assert_ptr_nonnull(find("JOIN", 0)); /* parsing goes on after a bad line */
    for (i = 0; i < 20; i++) /* binary: the side is given up after 16 bad lines */
        tc_send(&conv, 1, "\x01\x02\x00\x03\n", 5, 1460);
    tc_xmit(&conv, 1, "JOIN #late\r\n", 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->col.nanomalies, 2 + 16);
    ck_assert_str_eq(g->r[g->n - 1].channel, "#ok");
}
END_TEST

START_TEST(starttls_stops_parsing)
{
    static const uint8_t hello[] = {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00};

    dport = 6667;
    start();
    tc_handshake(&conv, 100, 900);
    tc_xmit(&conv, 1, "STARTTLS\r\n", 1460);
    tc_xmit(&conv, 0, ":srv 670 * :STARTTLS successful, go ahead with TLS handshake\r\n", 1460);
    tc_send(&conv, 1, hello, sizeof(hello), 1460);
    tc_send(&conv, 0, hello, sizeof(hello), 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->app_proto, KN_APP_IRC);
    ck_assert_ptr_nonnull(find("STARTTLS", 0));
    ck_assert_ptr_nonnull(find("670", 1));
    ck_assert_int_eq(g->col.nanomalies, 0);
}
END_TEST

/* Cut anywhere: no crash; the last line without its LF still counts at flow end. */
START_TEST(truncated_session)
{
    size_t cut, n = sizeof(bot_client) - 1;

    for (cut = 1; cut < n; cut += 5) {
        restart();
        tc_handshake(&conv, 100, 900);
        tc_send(&conv, 1, bot_client, cut, 1460);
        kn_engine_flush(eng);
        if (cut >= 13) /* "PASS l0m3za\r\n" is in */
            ck_assert_ptr_nonnull(find("PASS", 0));
        ck_assert_int_le(g->col.nanomalies, 1);
    }
}
END_TEST

Suite *suite_app_irc(void)
{
    Suite *s = suite_create("app_irc");
    TCase *tc = tcase_create("app_irc");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, probe_claims_irc_openings);
    tcase_add_test(tc, probe_rejects_look_alikes);
    tcase_add_test(tc, message_grammar);
    tcase_add_test(tc, bot_session_split_everywhere);
    tcase_add_test(tc, nick_follows_welcome_and_renames);
    tcase_add_test(tc, http_on_6667_is_not_irc);
    tcase_add_test(tc, irc_on_6667_and_lazy_client);
    tcase_add_test(tc, overlong_line);
    tcase_add_test(tc, malformed_lines);
    tcase_add_test(tc, starttls_stops_parsing);
    tcase_add_test(tc, truncated_session);
    suite_add_tcase(s, tc);
    return s;
}
