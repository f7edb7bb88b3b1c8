/* check_app_smtp.c: unit tests of engine/app_smtp.c and app_smtp_mime.c through the whole
 * engine: a mail session split at every byte, pipelined commands, a base64 attachment (its
 * decoded bytes checked by size, the text known here), STARTTLS handing the flow to TLS,
 * SMTP off its port, look-alikes the probe rejects, and malformed or truncated input; URLs of
 * the message text (app_smtp_url.c): split across segments and soft line breaks, their flags,
 * the cap on how many a message keeps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applayer.h"
#include "collect.h"
#include "tcpconv.h"
#include "suites.h"

typedef struct got {
    collect_t col;
    int nsmtp, nfiles, closed_files;
    char helo[64], from[64], rcpt[4][64], hfrom[64], to[128], att[64];
    char url[4][64];
    int nrcpt, status, nurls, url_flags;
    uint64_t fsize;
    uint8_t app_proto;
    uint32_t sids[16];
    int nalerts;
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

static void cb(const kn_event_t *ev, void *user)
{
    got_t *r = user;
    const kn_smtp_info_t *in;
    int i;

    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_SMTP) {
        in = ev->u.app.info;
        if (r->nsmtp++ == 0) { /* the mail transaction comes first */
            copy_str(r->helo, sizeof(r->helo), in->helo);
            copy_str(r->from, sizeof(r->from), in->mail_from);
            r->nrcpt = in->n_rcpt_to;
            for (i = 0; i < in->n_rcpt_to && i < 4; i++)
                copy_str(r->rcpt[i], sizeof(r->rcpt[i]), in->rcpt_to[i]);
            copy_str(r->hfrom, sizeof(r->hfrom), in->from);
            copy_str(r->to, sizeof(r->to), in->to);
            if (in->n_attachments)
                copy_str(r->att, sizeof(r->att), in->attachments[0]);
            r->nurls = in->n_urls;
            r->url_flags = in->url_flags;
            for (i = 0; i < in->n_urls && i < 4; i++)
                copy_str(r->url[i], sizeof(r->url[i]), in->urls[i]);
            r->status = in->email_status;
        }
    }
    if (ev->type == KN_EV_FILE && ev->u.file.app == KN_APP_SMTP) {
        r->nfiles++;
        r->fsize = ev->u.file.file->size;
        r->closed_files += ev->u.file.file->state == KN_FILE_CLOSED;
    }
    if (ev->type == KN_EV_FLOW)
        r->app_proto = ev->flow->app_proto;
    if (ev->type == KN_EV_ALERT && r->nalerts < 16)
        r->sids[r->nalerts++] = ev->u.alert.sid;
    collect_cb(ev, &r->col);
}

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    g = calloc(1, sizeof(*g));
    now = 1.0;
    dport = 25;
    eng = NULL;
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
    tc_init(&conv, eng, &now, 40000, dport);
    tc_handshake(&conv, 100, 900);
}

/* "kanshi attachment\n" in base64, and the mail carrying it. */
#define ATT_B64 "a2Fuc2hpIGF0dGFjaG1lbnQK"
#define ATT_LEN 18
#define MESSAGE                                                                                    \
    "From: Alice <alice@example.test>\r\nTo: bob@example.test,\r\n carol@example.test\r\n"        \
    "Subject: hi\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\npreamble\r\n"         \
    "--XX\r\nContent-Type: text/plain\r\n\r\nhello\r\n..dot-stuffed\r\n--XX\r\n"                \
    "Content-Type: application/octet-stream; name=\"a.bin\"\r\n"                                 \
    "Content-Transfer-Encoding: base64\r\n\r\n" ATT_B64 "\r\n--XX--\r\n.\r\n"

static void session(size_t chunk)
{
    tc_xmit(&conv, 0, "220 mx.example.test ESMTP\r\n", chunk);
    tc_xmit(&conv, 1, "EHLO client.example.test\r\n", chunk);
    tc_xmit(&conv, 0, "250-mx.example.test\r\n250 PIPELINING\r\n", chunk);
    tc_xmit(&conv, 1, "MAIL FROM:<alice@example.test> SIZE=100\r\nRCPT TO:<bob@example.test>\r\n"
            "RCPT TO:<carol@example.test>\r\nDATA\r\n", chunk);
    tc_xmit(&conv, 0, "250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n", chunk);
    tc_xmit(&conv, 1, MESSAGE, chunk);
    tc_xmit(&conv, 0, "250 queued\r\n", chunk);
    tc_xmit(&conv, 1, "QUIT\r\n", chunk);
    tc_xmit(&conv, 0, "221 bye\r\n", chunk);
    kn_engine_flush(eng);
}

static int alerted(uint32_t sid)
{
    int i, n = 0;

    for (i = 0; i < g->nalerts; i++)
        n += g->sids[i] == sid;
    return n;
}

/* The file keywords see an attachment (the parser hands its files to detection): the
 * decoded "a.bin" of 18 bytes. */
START_TEST(file_keywords_on_an_attachment)
{
    kn_ruleset_t *rs = kn_ruleset_new();

    ck_assert_int_eq(kn_ruleset_add_rules(rs, "r",
                                          "alert smtp any any -> any any (fileext:\"bin\"; sid:1;)\n"
                                          "alert smtp any any -> any any (fileext:\"txt\"; sid:2;)\n"
                                          "alert smtp any any -> any any (filesize:18; sid:3;)\n"
                                          "alert smtp any any -> any any (filesize:>18; sid:4;)\n",
                                          NULL, NULL),
                     0);
    ck_assert_int_eq(kn_ruleset_build(rs, NULL, 0), KN_OK);
    eng = kn_engine_new(&cfg, cb, g);
    ck_assert_ptr_nonnull(eng);
    ck_assert_int_eq(kn_engine_set_ruleset(eng, rs), KN_OK);
    tc_init(&conv, eng, &now, 40000, dport);
    tc_handshake(&conv, 100, 900);
    session(1000);
    ck_assert_int_eq(alerted(1), 1);
    ck_assert_int_eq(alerted(2), 0);
    ck_assert_int_eq(alerted(3), 1);
    ck_assert_int_eq(alerted(4), 0);
    kn_engine_free(eng);
    eng = NULL;
    kn_ruleset_free(rs);
}
END_TEST

static void check_session(void)
{
    ck_assert_int_eq(g->app_proto, KN_APP_SMTP);
    ck_assert_int_eq(g->nsmtp, 2); /* the mail, then QUIT's */
    ck_assert_str_eq(g->helo, "client.example.test");
    ck_assert_str_eq(g->from, "<alice@example.test>");
    ck_assert_int_eq(g->nrcpt, 2);
    ck_assert_str_eq(g->rcpt[1], "<carol@example.test>");
    ck_assert_str_eq(g->hfrom, "Alice <alice@example.test>");
    ck_assert_str_eq(g->to, "bob@example.test, carol@example.test");
    ck_assert_str_eq(g->att, "a.bin");
    ck_assert_int_eq(g->status, KN_EMAIL_PARSE_DONE);
    ck_assert_int_eq(g->nfiles, 1);
    ck_assert_int_eq(g->closed_files, 1);
    ck_assert_uint_eq(g->fsize, ATT_LEN);
    ck_assert(!collect_has_anomaly(&g->col, KN_ANOM_APP_SMTP_UNABLE_TO_MATCH_REPLY));
}

START_TEST(probe_rejects_look_alikes)
{
    const kn_app_parser_t *ps = kn_app_parser(KN_APP_SMTP);

    ck_assert_ptr_nonnull(ps);
    ck_assert_int_eq(ps->probe((const uint8_t *)"EHLO x\r\n", 8, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)"helo x", 6, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)"EHL", 3, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"EHLOX", 5, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"USER anonymous", 14, KN_TOSERVER),
                     KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"GET / HTTP/1.1", 14, KN_TOSERVER), KN_DECLINED);
    /* a 220 greeting is FTP's too: it decides nothing */
    ck_assert_int_eq(ps->probe((const uint8_t *)"220 mx ESMTP\r\n", 14, KN_TOCLIENT),
                     KN_DECLINED);
}
END_TEST

START_TEST(session_whole)
{
    start();
    session(1460);
    check_session();
}
END_TEST

START_TEST(session_split_at_every_byte)
{
    start();
    session(1);
    check_session();
}
END_TEST

START_TEST(session_on_other_port)
{
    dport = 8025;
    start();
    session(7);
    check_session();
}
END_TEST

START_TEST(starttls_hands_flow_to_tls)
{
    start();
    tc_xmit(&conv, 0, "220 mx ESMTP\r\n", 1460);
    tc_xmit(&conv, 1, "EHLO c.test\r\n", 1460);
    tc_xmit(&conv, 0, "250 STARTTLS\r\n", 1460);
    tc_xmit(&conv, 1, "STARTTLS\r\n", 1460);
    tc_xmit(&conv, 0, "220 go ahead\r\n", 1460);
    tc_xmit(&conv, 1, "\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00", 1460); /* not SMTP any more */
    kn_engine_flush(eng);
    ck_assert_int_eq(g->nsmtp, 1);
    ck_assert_str_eq(g->helo, "c.test");
    ck_assert_int_eq(g->app_proto, KN_APP_TLS);
    ck_assert(!collect_has_anomaly(&g->col, KN_ANOM_APP_SMTP_MAX_COMMAND_LINE_LEN_EXCEEDED));
}
END_TEST

START_TEST(starttls_rejected_stays_smtp)
{
    start();
    tc_xmit(&conv, 0, "220 mx ESMTP\r\n", 1460);
    tc_xmit(&conv, 1, "EHLO c.test\r\nSTARTTLS\r\n", 1460);
    tc_xmit(&conv, 0, "250 ok\r\n454 no TLS\r\n", 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->app_proto, KN_APP_SMTP);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SMTP_TLS_REJECTED));
}
END_TEST

START_TEST(malformed_replies_and_long_lines)
{
    static char longcmd[6000];

    memset(longcmd, 'A', sizeof(longcmd) - 3);
    memcpy(longcmd, "HELO ", 5);
    memcpy(longcmd + sizeof(longcmd) - 3, "\r\n", 3);
    start();
    tc_xmit(&conv, 0, "220 mx\r\n", 1460);
    tc_xmit(&conv, 1, longcmd, 1460);
    tc_xmit(&conv, 0, "hello there\r\n250 ok\r\n", 1460);
    tc_xmit(&conv, 0, "250 unexpected\r\n", 1460);
    kn_engine_flush(eng);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SMTP_MAX_COMMAND_LINE_LEN_EXCEEDED));
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SMTP_INVALID_REPLY));
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SMTP_UNABLE_TO_MATCH_REPLY));
    ck_assert_int_eq(g->nsmtp, 1);
}
END_TEST

START_TEST(truncated_message_is_logged_at_flow_end)
{
    start();
    tc_xmit(&conv, 0, "220 mx\r\n", 1460);
    tc_xmit(&conv, 1, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n", 1460);
    tc_xmit(&conv, 0, "250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n", 1460);
    tc_xmit(&conv, 1, "Subject: cut\r\nContent-Type: text/plain; name=x.txt\r\n\r\nsome te", 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->nsmtp, 1);
    ck_assert_int_eq(g->status, KN_EMAIL_HEADER_DONE); /* the body line never ended */
    ck_assert_int_eq(g->nfiles, 1);
    ck_assert_int_eq(g->closed_files, 0); /* truncated */
}
END_TEST

START_TEST(data_rejected_is_an_anomaly)
{
    start();
    tc_xmit(&conv, 0, "220 mx\r\n", 1460);
    tc_xmit(&conv, 1, "HELO c\r\nDATA\r\n", 1460);
    tc_xmit(&conv, 0, "250 ok\r\n503 need RCPT\r\n", 1460);
    tc_xmit(&conv, 1, "NOOP\r\n", 1460);
    tc_xmit(&conv, 0, "250 ok\r\n", 1460);
    kn_engine_flush(eng);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_SMTP_DATA_COMMAND_REJECTED));
    ck_assert_int_eq(g->status, KN_EMAIL_HEADER_READY); /* Suricata's status for it */
}
END_TEST

/* A mail whose message is text, sent in segments of chunk bytes. */
static void mail(const char *text, size_t chunk)
{
    tc_xmit(&conv, 0, "220 mx\r\n", 1460);
    tc_xmit(&conv, 1, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n", 1460);
    tc_xmit(&conv, 0, "250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n", 1460);
    tc_xmit(&conv, 1, text, chunk);
    tc_xmit(&conv, 1, ".\r\n", 1460);
    tc_xmit(&conv, 0, "250 queued\r\n", 1460);
    kn_engine_flush(eng);
}

#define URL_MAIL                                                                                   \
    "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n"                  \
    "Content-Type: text/plain\r\n\r\nsee HTTP://Split.Example/Path now\r\n--b\r\n"        \
    "Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"        \
    "<a href=3D\"http://soft.example/a=\r\nb\">x</a>\r\n--b--\r\n"

START_TEST(url_split_across_segments)
{
    size_t chunk = (size_t)_i + 1; /* 1: every byte in a segment of its own */

    start();
    mail(URL_MAIL, chunk);
    ck_assert_int_eq(g->status, KN_EMAIL_PARSE_DONE);
    ck_assert_int_eq(g->nurls, 2);
    ck_assert_str_eq(g->url[0], "split.example/path"); /* scheme dropped, lower-cased */
    ck_assert_str_eq(g->url[1], "soft.example/ab");    /* joined across the soft break */
    ck_assert(!(g->url_flags & KN_EMAIL_URL_OWN));     /* found in parts, not the message */
}
END_TEST

START_TEST(url_exe_flag)
{
    start();
    mail("Subject: x\r\n\r\nget http://x.test/a.jsx/b and http://x.test/Setup.EXE?id=1\r\n",
         1460);
    ck_assert_int_eq(g->nurls, 2);
    ck_assert_str_eq(g->url[0], "x.test/setup.exe?id=1"); /* newest first, as Suricata */
    ck_assert_str_eq(g->url[1], "x.test/a.jsx/b");
    ck_assert(g->url_flags & KN_EMAIL_URL_OWN);
    ck_assert(g->url_flags & KN_EMAIL_URL_EXE);
    ck_assert(!(g->url_flags & (KN_EMAIL_URL_IPV4 | KN_EMAIL_URL_IPV6)));
}
END_TEST

START_TEST(url_no_exe_flag)
{
    start();
    mail("Subject: x\r\n\r\nhttp://x.test/a.jsx/b http://x.test/a.exe.txt\r\n", 1460);
    ck_assert_int_eq(g->nurls, 2);
    ck_assert(!(g->url_flags & KN_EMAIL_URL_EXE));
}
END_TEST

START_TEST(url_ip_flags)
{
    start();
    mail("Subject: x\r\n\r\n<http://192.0.2.1/x>\r\n", 1460);
    ck_assert_int_eq(g->nurls, 1);
    ck_assert_str_eq(g->url[0], "192.0.2.1/x");
    ck_assert_int_eq(g->url_flags & (KN_EMAIL_URL_IPV4 | KN_EMAIL_URL_IPV6), KN_EMAIL_URL_IPV4);
    teardown();
    setup();
    start();
    mail("Subject: x\r\n\r\nhttp://2001:db8::1/x http://2001:db8::1/x http://999.1.1.1/\r\n",
         1460);
    ck_assert_int_eq(g->nurls, 2); /* the same URL twice is kept once */
    ck_assert_str_eq(g->url[1], "2001:db8::1/x");
    ck_assert_int_eq(g->url_flags & (KN_EMAIL_URL_IPV4 | KN_EMAIL_URL_IPV6), KN_EMAIL_URL_IPV6);
}
END_TEST

START_TEST(url_count_is_capped)
{
    static char text[32768];
    size_t n = 0;
    int i;
    const kn_counters_t *c;

    n += (size_t)snprintf(text, sizeof(text), "Subject: many\r\n\r\n");
    for (i = 0; i < 300; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "http://h%d.test/\r\n", i);
    start();
    mail(text, 1460);
    ck_assert_int_eq(g->status, KN_EMAIL_PARSE_DONE);
    ck_assert_int_eq(g->nurls, 256);
    ck_assert_str_eq(g->url[0], "h255.test/"); /* the first 256 kept, newest first */
    c = kn_engine_counters(eng);
    ck_assert_uint_eq(c->c[KN_CTR_APP_SMTP_URL_DROPPED], 300 - 256);
}
END_TEST

Suite *suite_app_smtp(void)
{
    Suite *s = suite_create("app_smtp");
    TCase *tc = tcase_create("app_smtp");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, probe_rejects_look_alikes);
    tcase_add_test(tc, session_whole);
    tcase_add_test(tc, file_keywords_on_an_attachment);
    tcase_add_test(tc, session_split_at_every_byte);
    tcase_add_test(tc, session_on_other_port);
    tcase_add_test(tc, starttls_hands_flow_to_tls);
    tcase_add_test(tc, starttls_rejected_stays_smtp);
    tcase_add_test(tc, malformed_replies_and_long_lines);
    tcase_add_test(tc, truncated_message_is_logged_at_flow_end);
    tcase_add_test(tc, data_rejected_is_an_anomaly);
    tcase_add_loop_test(tc, url_split_across_segments, 0, 40);
    tcase_add_test(tc, url_exe_flag);
    tcase_add_test(tc, url_no_exe_flag);
    tcase_add_test(tc, url_ip_flags);
    tcase_add_test(tc, url_count_is_capped);
    suite_add_tcase(s, tc);
    return s;
}
