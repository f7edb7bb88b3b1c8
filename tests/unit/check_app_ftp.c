/* check_app_ftp.c: unit tests of engine/app_ftp.c through the whole engine: a session split
 * at every byte, pipelined commands, multi-line and preliminary replies, PASV/EPSV/PORT/EPRT
 * ports, AUTH TLS handing the flow to TLS, FTP off port 21, probe look-alikes, and long or
 * unanswered commands. */
#include <stdlib.h>
#include <string.h>

#include "applayer.h"
#include "collect.h"
#include "pktbuild.h"
#include "tcpconv.h"
#include "suites.h"

typedef struct got_tx {
    uint64_t id;
    char cmd[16], data[64], reply[256];
    int nunits, port, active, received;
} got_tx_t;

typedef struct got {
    collect_t col;
    got_tx_t tx[16];
    int ntx;
    uint8_t app_proto;
    char file_name[64], data_cmd[8];
    uint64_t file_size;
    int file_state, nfiles, ndata, file_to_server;
} got_t;

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static got_t *g;
static double now;
static uint16_t dport, ctrl_port; /* the server port now, and the control connection's */
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
    const kn_ftp_info_t *in;
    got_tx_t *t;

    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_FTP && r->ntx < 16) {
        in = ev->u.app.info;
        t = &r->tx[r->ntx++];
        t->id = ev->u.app.tx_id;
        copy_str(t->cmd, sizeof(t->cmd), in->command);
        copy_str(t->data, sizeof(t->data), in->command_data);
        t->nunits = in->n_replies;
        if (in->n_replies)
            copy_str(t->reply, sizeof(t->reply), in->replies[in->n_replies - 1]);
        t->port = in->dynamic_port;
        t->active = in->active;
        t->received = in->reply_received;
    }
    if (ev->type == KN_EV_FILE && ev->u.file.app == KN_APP_FTP_DATA) {
        r->nfiles++;
        copy_str(r->file_name, sizeof(r->file_name), ev->u.file.file->filename);
        r->file_size = ev->u.file.file->size;
        r->file_state = ev->u.file.file->state;
        r->file_to_server = ev->u.file.to_server;
    }
    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_FTP_DATA) {
        r->ndata++;
        copy_str(r->data_cmd, sizeof(r->data_cmd),
                 ((const kn_ftp_data_info_t *)ev->u.app.info)->command);
    }
    if (ev->type == KN_EV_FLOW && ev->flow->dp == ctrl_port)
        r->app_proto = ev->flow->app_proto;
    collect_cb(ev, &r->col);
}

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    g = calloc(1, sizeof(*g));
    now = 1.0;
    dport = 21;
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
    ctrl_port = dport;
    tc_init(&conv, eng, &now, 40000, dport);
    tc_handshake(&conv, 100, 900);
}

static const got_tx_t *find(const char *cmd)
{
    int i;

    for (i = 0; i < g->ntx; i++)
        if (strcmp(g->tx[i].cmd, cmd) == 0)
            return &g->tx[i];
    return NULL;
}

/* Server segments are sent whole (a reply unit is what one segment completes, as Suricata),
 * client ones at chunk bytes. */
static void session(size_t chunk)
{
    tc_xmit(&conv, 0, "220 ftp.example.test ready\r\n", 1460);
    tc_xmit(&conv, 1, "USER anonymous\r\n", chunk);
    tc_xmit(&conv, 0, "331 send password\r\n", 1460);
    tc_xmit(&conv, 1, "PASS secret\r\n", chunk);
    tc_xmit(&conv, 0, "230-welcome\r\n230 logged in\r\n", 1460);
    tc_xmit(&conv, 1, "PASV\r\nEPSV\r\n", chunk); /* pipelined */
    tc_xmit(&conv, 0, "227 Entering Passive Mode (10,0,0,2,195,80)\r\n", 1460);
    tc_xmit(&conv, 0, "229 Entering Extended Passive Mode (|||50001|)\r\n", 1460);
    tc_xmit(&conv, 1, "PORT 10,0,0,1,4,1\r\n", chunk);
    tc_xmit(&conv, 0, "200 ok\r\n", 1460);
    tc_xmit(&conv, 1, "EPRT |1|10.0.0.1|5000|\r\n", chunk);
    tc_xmit(&conv, 0, "200 ok\r\n", 1460);
    tc_xmit(&conv, 1, "RETR file.txt\r\n", chunk);
    tc_xmit(&conv, 0, "150 opening\r\n", 1460);
    tc_xmit(&conv, 0, "226 done\r\n", 1460);
    tc_xmit(&conv, 1, "NOOP\r\n", chunk); /* never answered */
    kn_engine_flush(eng);
}

static void check_session(void)
{
    const got_tx_t *t;

    ck_assert_int_eq(g->app_proto, KN_APP_FTP);
    ck_assert_int_eq(g->ntx, 9);
    ck_assert_str_eq(g->tx[0].cmd, ""); /* the banner */
    ck_assert_str_eq(g->tx[0].reply, "220 ftp.example.test ready");
    ck_assert_ptr_nonnull(t = find("USER"));
    ck_assert_str_eq(t->data, "anonymous");
    ck_assert_ptr_nonnull(t = find("PASS"));
    ck_assert_str_eq(t->reply, "230-welcome\r\n230 logged in");
    ck_assert_ptr_nonnull(t = find("PASV"));
    ck_assert_int_eq(t->port, 195 * 256 + 80);
    ck_assert_ptr_nonnull(t = find("EPSV"));
    ck_assert_int_eq(t->port, 50001);
    ck_assert_ptr_nonnull(t = find("PORT"));
    ck_assert_int_eq(t->port, 4 * 256 + 1);
    ck_assert_int_eq(t->active, 1);
    ck_assert_ptr_nonnull(t = find("EPRT"));
    ck_assert_int_eq(t->port, 5000);
    ck_assert_ptr_nonnull(t = find("RETR"));
    ck_assert_int_eq(t->nunits, 2); /* 150 kept it open, 226 completed it */
    ck_assert_int_eq(t->received, 1);
    ck_assert_ptr_nonnull(t = find("NOOP"));
    ck_assert_int_eq(t->received, 0);
}

/* The data connection PASV offered and RETR used is ftp-data from its first byte on an
 * unregistered port: its bytes are the file RETR named; one the control channel never
 * announced is not. */
static void data_connection(uint16_t port, const char *content)
{
    tcpconv_t d;

    tc_init(&d, eng, &now, 40000, port);
    tc_handshake(&d, 5000, 7000);
    tc_xmit(&d, 0, content, 7);
    tc_close(&d, 0);
}

START_TEST(retr_data_connection_is_ftp_data)
{
    const kn_flow_info_t *fi;

    start();
    tc_xmit(&conv, 0, "220 ready\r\n", 1460);
    tc_xmit(&conv, 1, "USER anonymous\r\n", 1460);
    tc_xmit(&conv, 0, "230 in\r\n", 1460);
    tc_xmit(&conv, 1, "PASV\r\n", 1460);
    tc_xmit(&conv, 0, "227 Entering Passive Mode (10,0,0,2,195,80)\r\n", 1460);
    tc_xmit(&conv, 1, "RETR pub/notes.txt\r\n", 1460);
    tc_xmit(&conv, 0, "150 opening\r\n", 1460);
    data_connection(195 * 256 + 80, "line one\nline two\n");
    data_connection(195 * 256 + 81, "not announced\n");
    tc_xmit(&conv, 0, "226 done\r\n", 1460);
    tc_xmit(&conv, 1, "PASV\r\n", 1460); /* a listing: ftp-data, but no file and no record */
    tc_xmit(&conv, 0, "227 Entering Passive Mode (10,0,0,2,195,82)\r\n", 1460);
    tc_xmit(&conv, 1, "LIST\r\n", 1460);
    data_connection(195 * 256 + 82, "-rw-r--r-- 1 ftp ftp 18 notes.txt\r\n");
    kn_engine_flush(eng);
    ck_assert_ptr_nonnull(fi = collect_find(&g->col, 6, 195 * 256 + 80));
    ck_assert_int_eq(fi->app_proto, KN_APP_FTP_DATA);
    ck_assert_ptr_nonnull(fi = collect_find(&g->col, 6, 195 * 256 + 81));
    ck_assert_int_ne(fi->app_proto, KN_APP_FTP_DATA);
    ck_assert_ptr_nonnull(fi = collect_find(&g->col, 6, 195 * 256 + 82));
    ck_assert_int_eq(fi->app_proto, KN_APP_FTP_DATA);
    ck_assert_uint_ne(fi->parent_id, 0);
    ck_assert_int_eq(g->nfiles, 1);
    ck_assert_str_eq(g->file_name, "pub/notes.txt");
    ck_assert_uint_eq(g->file_size, 18);
    ck_assert_int_eq(g->file_state, KN_FILE_CLOSED); /* the server closed it: all there */
    ck_assert_int_eq(g->file_to_server, 0);
    ck_assert_int_eq(g->ndata, 1);
    ck_assert_str_eq(g->data_cmd, "RETR");
}
END_TEST

START_TEST(probe_rejects_look_alikes)
{
    const kn_app_parser_t *ps = kn_app_parser(KN_APP_FTP);

    ck_assert_ptr_nonnull(ps);
    ck_assert_int_eq(ps->probe((const uint8_t *)"USER bob\r\n", 10, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)"user bob\n", 9, KN_TOSERVER), KN_OK);
    /* USER waits for its line: IRC's has four parameters */
    ck_assert_int_eq(ps->probe((const uint8_t *)"USER bob", 8, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"USER bob 0 * :Bob\r\n", 19, KN_TOSERVER),
                     KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"US", 2, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"USERS", 5, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"NICK bob\r\n", 10, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"EHLO x\r\n", 8, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"220 ready\r\n", 11, KN_TOCLIENT), KN_DECLINED);
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
    dport = 2121;
    start();
    session(3);
    check_session();
}
END_TEST

START_TEST(reply_line_split_across_segments)
{
    start();
    tc_xmit(&conv, 0, "220 hi\r\n", 1460);
    tc_xmit(&conv, 1, "USER a\r\n", 1460);
    tc_xmit(&conv, 0, "331 pass", 1460);
    tc_xmit(&conv, 0, "word please\r\n", 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->ntx, 2);
    ck_assert_str_eq(g->tx[1].reply, "331 password please");
}
END_TEST

START_TEST(auth_tls_hands_flow_to_tls)
{
    start();
    tc_xmit(&conv, 0, "220 hi\r\n", 1460);
    tc_xmit(&conv, 1, "AUTH TLS\r\n", 1460);
    tc_xmit(&conv, 0, "234 go\r\n", 1460);
    tc_xmit(&conv, 1, "\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00", 1460);
    kn_engine_flush(eng);
    ck_assert_int_eq(g->app_proto, KN_APP_TLS);
    ck_assert_ptr_nonnull(find("AUTH"));
}
END_TEST

START_TEST(long_command_is_truncated)
{
    static char longcmd[6000];

    memset(longcmd, 'a', sizeof(longcmd) - 3);
    memcpy(longcmd, "USER ", 5);
    memcpy(longcmd + sizeof(longcmd) - 3, "\r\n", 3);
    start();
    tc_xmit(&conv, 0, "220 hi\r\n", 1460);
    tc_xmit(&conv, 1, longcmd, 1460);
    tc_xmit(&conv, 0, "331 ok\r\n", 1460);
    kn_engine_flush(eng);
    ck_assert(collect_has_anomaly(&g->col, KN_ANOM_APP_FTP_REQUEST_COMMAND_TOO_LONG));
    ck_assert_int_eq(g->ntx, 2);
    ck_assert_int_eq(g->tx[1].received, 1);
}
END_TEST

Suite *suite_app_ftp(void)
{
    Suite *s = suite_create("app_ftp");
    TCase *tc = tcase_create("app_ftp");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, probe_rejects_look_alikes);
    tcase_add_test(tc, retr_data_connection_is_ftp_data);
    tcase_add_test(tc, session_whole);
    tcase_add_test(tc, session_split_at_every_byte);
    tcase_add_test(tc, session_on_other_port);
    tcase_add_test(tc, reply_line_split_across_segments);
    tcase_add_test(tc, auth_tls_hands_flow_to_tls);
    tcase_add_test(tc, long_command_is_truncated);
    suite_add_tcase(s, tc);
    return s;
}
