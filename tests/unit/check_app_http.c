/* check_app_http.c: engine/app_http.c end to end — HTTP/1.x conversations built packet by
 * packet, split at awkward places, through the whole engine; transactions are checked in the
 * event callback (their data is borrowed), buffers through rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "applayer.h"
#include "collect.h"
#include "tcpconv.h"
#include "suites.h"

#define MAX_TX 16

typedef struct seen_tx {
    char method[32], uri[64], host[64], ua[64], ctype[64], hdrs[256];
    int status, port, has_request, has_response;
    uint64_t req_len, resp_len, tx_id;
} seen_tx_t;

typedef struct seen {
    seen_tx_t tx[MAX_TX];
    int ntx;
    kn_anomaly_t anomalies[64];
    int nanomalies;
    uint32_t sids[64];
    int nalerts;
} seen_t;

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static kn_ruleset_t *rs;
static seen_t *sn;
static double now;
static tcpconv_t conv;

static void copy(char *dst, size_t cap, kn_str_t s)
{
    size_t n = s.p ? (s.len < cap - 1 ? s.len : cap - 1) : 0;

    if (n)
        memcpy(dst, s.p, n);
    dst[n] = '\0';
}

static void keep_headers(seen_tx_t *t, const kn_http_info_t *in)
{
    size_t k = 0;
    uint16_t i;

    for (i = 0; i < in->n_req_headers && k + 4 < sizeof(t->hdrs); i++) {
        char name[64], val[96];
        copy(name, sizeof(name), in->req_headers[i].name);
        copy(val, sizeof(val), in->req_headers[i].value);
        k += (size_t)snprintf(t->hdrs + k, sizeof(t->hdrs) - k, "%s=%s|", name, val);
        if (k >= sizeof(t->hdrs))
            break;
    }
}

static void on_event(const kn_event_t *ev, void *user)
{
    seen_t *s = user;

    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_HTTP && s->ntx < MAX_TX) {
        const kn_http_info_t *in = ev->u.app.info;
        seen_tx_t *t = &s->tx[s->ntx++];
        copy(t->method, sizeof(t->method), in->method);
        copy(t->uri, sizeof(t->uri), in->uri);
        copy(t->host, sizeof(t->host), in->host);
        copy(t->ua, sizeof(t->ua), in->user_agent);
        copy(t->ctype, sizeof(t->ctype), in->content_type);
        keep_headers(t, in);
        t->status = in->status;
        t->port = in->port;
        t->has_request = in->has_request;
        t->has_response = in->has_response;
        t->req_len = in->req_body_len;
        t->resp_len = in->resp_body_len;
        t->tx_id = ev->u.app.tx_id;
    } else if (ev->type == KN_EV_ANOMALY && s->nanomalies < 64) {
        s->anomalies[s->nanomalies++] = ev->u.anomaly.id;
    } else if (ev->type == KN_EV_ALERT && s->nalerts < 64) {
        s->sids[s->nalerts++] = ev->u.alert.sid;
    }
}

static int has_anomaly(kn_anomaly_t a)
{
    int i;

    for (i = 0; i < sn->nanomalies; i++)
        if (sn->anomalies[i] == a)
            return 1;
    return 0;
}

static int alerted(uint32_t sid)
{
    int i, n = 0;

    for (i = 0; i < sn->nalerts; i++)
        n += sn->sids[i] == sid;
    return n;
}

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    cfg.http_dump_all_headers = 3;
    sn = calloc(1, sizeof(*sn));
    eng = NULL;
    rs = NULL;
    now = 1.0;
}

static void teardown(void)
{
    kn_engine_free(eng);
    kn_ruleset_free(rs);
    free(sn);
}

/* A fresh engine (with rules when given) and a TCP handshake on port 80. */
static void start(const char *rules)
{
    if (eng)
        kn_engine_free(eng);
    memset(sn, 0, sizeof(*sn));
    if (rules && !rs) {
        rs = kn_ruleset_new();
        ck_assert_int_eq(kn_ruleset_add_rules(rs, "r", rules, NULL, NULL), 0);
        ck_assert_int_eq(kn_ruleset_build(rs, NULL, 0), KN_OK);
    }
    eng = kn_engine_new(&cfg, on_event, sn);
    ck_assert_ptr_nonnull(eng);
    if (rs)
        ck_assert_int_eq(kn_engine_set_ruleset(eng, rs), KN_OK);
    now += 1.0;
    tc_init(&conv, eng, &now, 40000, 80);
    tc_handshake(&conv, 100, 900);
}

static void cli(const char *s)
{
    tc_seg(&conv, 1, KN_TH_ACK | KN_TH_PSH, s, strlen(s));
}

static void srv(const char *s)
{
    tc_seg(&conv, 0, KN_TH_ACK | KN_TH_PSH, s, strlen(s));
}

/* Feeds text in two segments split at k. */
static void split(int to_server, const char *s, size_t k)
{
    size_t n = strlen(s);

    tc_seg(&conv, to_server, KN_TH_ACK, s, k);
    tc_seg(&conv, to_server, KN_TH_ACK | KN_TH_PSH, s + k, n - k);
}

static void close_flow(void)
{
    tc_close(&conv, 1);
    kn_engine_flush(eng);
}

/* GET /index.html HTTP/1.1
 * Host: Example.COM:8080
 * User-Agent: test/1.0 */
static const char get_req[] = "GET /index.html HTTP/1.1\r\nHost: Example.COM:8080\r\n"
                              "User-Agent: test/1.0\r\n\r\n";
static const char ok_resp[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                              "Content-Length: 5\r\n\r\nhello";

/* ---- framing and splits ---------------------------------------------------------------------- */

START_TEST(get_split_at_every_byte)
{
    size_t k, n = strlen(get_req);

    for (k = 1; k < n; k++) {
        start(NULL);
        split(1, get_req, k);
        split(0, ok_resp, k % (strlen(ok_resp) - 1) + 1);
        ck_assert_int_eq(sn->ntx, 1);
        ck_assert_str_eq(sn->tx[0].method, "GET");
        ck_assert_str_eq(sn->tx[0].uri, "/index.html");
        ck_assert_str_eq(sn->tx[0].host, "Example.COM"); /* with a port: case kept (libhtp) */
        ck_assert_str_eq(sn->tx[0].ua, "test/1.0");
        ck_assert_int_eq(sn->tx[0].port, 8080);
        ck_assert_int_eq(sn->tx[0].status, 200);
        ck_assert_uint_eq(sn->tx[0].resp_len, 5);
        ck_assert_str_eq(sn->tx[0].ctype, "text/html; charset=utf-8");
    }
}
END_TEST

/* HTTP/1.1 200 OK / Transfer-Encoding: chunked / 5;ext=1, "hello", 6, " world", 0, trailer */
static const char chunked_resp[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n";

START_TEST(chunked_response_split_at_every_byte)
{
    size_t k, n = strlen(chunked_resp);

    for (k = 1; k < n; k++) {
        start("alert http any any -> any any (http.response_body; content:\"hello world\"; "
              "bsize:11; sid:1;)\n");
        cli("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        split(0, chunked_resp, k);
        ck_assert_int_eq(sn->ntx, 1);
        ck_assert_int_eq(sn->tx[0].status, 200);
        /* framing counted as libhtp does: "5;ext=1\r\n" 9 + 5 + 2 + "6\r\n" 3 + 6 + 2 + "0\r\n" 3 */
        ck_assert_uint_eq(sn->tx[0].resp_len, 30);
        ck_assert_int_eq(alerted(1), 1);
    }
}
END_TEST

START_TEST(pipelined_requests_pair_in_order)
{
    start(NULL);
    cli("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
        "POST /3 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
    ck_assert_int_eq(sn->ntx, 0);
    srv("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nyz");
    ck_assert_int_eq(sn->ntx, 3);
    ck_assert_str_eq(sn->tx[0].uri, "/1");
    ck_assert_int_eq(sn->tx[0].status, 200);
    ck_assert_str_eq(sn->tx[1].uri, "/2");
    ck_assert_int_eq(sn->tx[1].status, 404);
    ck_assert_str_eq(sn->tx[2].uri, "/3");
    ck_assert_int_eq(sn->tx[2].status, 201);
    ck_assert_uint_eq(sn->tx[2].req_len, 3);
    ck_assert_uint_eq(sn->tx[2].tx_id, 2);
}
END_TEST

START_TEST(head_and_304_have_no_body)
{
    start(NULL);
    cli("HEAD /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n"
        "GET /c HTTP/1.1\r\nHost: a\r\n\r\n");
    /* the HEAD answer announces 100 bytes that are not sent (RFC 9110 9.3.2) */
    srv("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    ck_assert_int_eq(sn->ntx, 3);
    ck_assert_int_eq(sn->tx[0].status, 200);
    ck_assert_uint_eq(sn->tx[0].resp_len, 0);
    ck_assert_int_eq(sn->tx[1].status, 304);
    ck_assert_int_eq(sn->tx[2].status, 200);
    ck_assert_uint_eq(sn->tx[2].resp_len, 2);
}
END_TEST

/* libhtp lowercases a Host header only when it is a lone name; with a port it keeps the case,
 * and the absolute URI's authority is always normalized (log4j-attack.pcap: Suricata logs
 * "victim.SYN-bit.lab" for "Host: victim.SYN-bit.lab:8080"). */
START_TEST(host_case_follows_libhtp)
{
    start(NULL);
    cli("GET /a HTTP/1.1\r\nHost: Victim.SYN-bit.lab:8080\r\n\r\n"
        "GET /b HTTP/1.1\r\nHost: Victim.SYN-bit.lab\r\n\r\n"
        "GET http://Victim.SYN-bit.lab:81/c HTTP/1.1\r\nHost: x\r\n\r\n");
    srv("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
        "HTTP/1.1 204 No Content\r\n\r\n");
    ck_assert_int_eq(sn->ntx, 3);
    ck_assert_str_eq(sn->tx[0].host, "Victim.SYN-bit.lab");
    ck_assert_int_eq(sn->tx[0].port, 8080);
    ck_assert_str_eq(sn->tx[1].host, "victim.syn-bit.lab");
    ck_assert_str_eq(sn->tx[2].host, "victim.syn-bit.lab");
    ck_assert_int_eq(sn->tx[2].port, 81);
}
END_TEST

START_TEST(continue_100_is_skipped)
{
    start(NULL);
    cli("POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    srv("HTTP/1.1 100 Continue\r\n\r\n");
    ck_assert_int_eq(sn->ntx, 0);
    cli("data");
    srv("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    ck_assert_int_eq(sn->ntx, 1);
    ck_assert_int_eq(sn->tx[0].status, 200);
    ck_assert_uint_eq(sn->tx[0].req_len, 4);
    ck_assert_uint_eq(sn->tx[0].resp_len, 2);
    ck_assert(!has_anomaly(KN_ANOM_APP_HTTP_100_CONTINUE_ALREADY_SEEN));
}
END_TEST

/* The tunnel's bytes are not the CONNECT's: they are probed as a new flow's (here the server
 * speaks HTTP inside it, a transaction of its own). */
START_TEST(connect_tunnel_is_probed_again)
{
    static const uint8_t hello[] = {0x16, 0x03, 0x01, 0x00, 0x05, 'H', 'T', 'T', 'P', '/'};

    start(NULL);
    cli("CONNECT apache.org:443 HTTP/1.1\r\nHost: apache.org:443\r\n\r\n");
    srv("HTTP/1.1 200 Connection established\r\n\r\n");
    tc_seg(&conv, 1, KN_TH_ACK, hello, sizeof(hello));
    srv("HTTP/1.1 200 OK\r\n\r\n"); /* inside the tunnel: not a response to CONNECT */
    close_flow();
    ck_assert_int_eq(sn->ntx, 2);
    ck_assert_str_eq(sn->tx[0].method, "CONNECT");
    ck_assert_str_eq(sn->tx[0].host, "apache.org");
    ck_assert_int_eq(sn->tx[0].port, 443);
    ck_assert_int_eq(sn->tx[0].status, 200);
    ck_assert(!has_anomaly(KN_ANOM_APP_HTTP_UNABLE_TO_MATCH_RESPONSE_TO_REQUEST));
}
END_TEST

START_TEST(upgrade_101_stops_parsing)
{
    start(NULL);
    cli("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    srv("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello");
    cli("GET /not-http HTTP/1.1\r\n\r\n");
    close_flow();
    ck_assert_int_eq(sn->ntx, 1);
    ck_assert_int_eq(sn->tx[0].status, 101);
}
END_TEST

START_TEST(missing_response_is_logged_at_flow_end)
{
    start(NULL);
    cli(get_req);
    ck_assert_int_eq(sn->ntx, 0);
    close_flow();
    ck_assert_int_eq(sn->ntx, 1);
    ck_assert_str_eq(sn->tx[0].uri, "/index.html");
    ck_assert_int_eq(sn->tx[0].has_response, 0);
    ck_assert_int_eq(sn->tx[0].status, 0);
}
END_TEST

START_TEST(body_to_close_ends_with_the_flow)
{
    start(NULL);
    cli("GET / HTTP/1.0\r\n\r\n");
    srv("HTTP/1.0 200 OK\r\n\r\nsome ");
    srv("body");
    ck_assert_int_eq(sn->ntx, 0);
    close_flow();
    ck_assert_int_eq(sn->ntx, 1);
    ck_assert_uint_eq(sn->tx[0].resp_len, 9);
    ck_assert_int_eq(sn->tx[0].port, -1);
}
END_TEST

START_TEST(simple_request_http09)
{
    start(NULL);
    cli("GET /zeek.html\r\n");
    srv("<html>hi</html>");
    close_flow();
    ck_assert_int_eq(sn->ntx, 1);
    ck_assert_str_eq(sn->tx[0].uri, "/zeek.html");
    ck_assert_int_eq(sn->tx[0].has_response, 0);
    ck_assert_uint_eq(sn->tx[0].resp_len, 15);
    ck_assert_int_eq(sn->tx[0].port, 0);
}
END_TEST

/* ---- malformed input -------------------------------------------------------------------------- */

START_TEST(malformed_request_line_raises_anomaly)
{
    start(NULL);
    cli("GET /a HTTP/1.1\r\nHost: a\r\n\r\nG\x01T\x02 /b HTTP/1.1\r\nHost: a\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 400 Bad\r\nContent-Length: 0\r\n\r\n");
    ck_assert(has_anomaly(KN_ANOM_APP_HTTP_REQUEST_LINE_INVALID));
    ck_assert_int_eq(sn->ntx, 2);
    ck_assert_int_eq(sn->tx[1].status, 400);
}
END_TEST

START_TEST(too_long_header_line_is_cut)
{
    char *req = malloc(12000);
    size_t n;

    n = (size_t)snprintf(req, 12000, "GET / HTTP/1.1\r\nHost: a\r\nX-Long: ");
    memset(req + n, 'A', 10000);
    memcpy(req + n + 10000, "\r\nUser-Agent: after\r\n\r\n", 24);
    start(NULL);
    for (n = 0; n < strlen(req); n += 1400) /* segments of an ordinary size */
        tc_seg(&conv, 1, KN_TH_ACK, req + n, strlen(req) - n < 1400 ? strlen(req) - n : 1400);
    srv(ok_resp);
    free(req);
    ck_assert(has_anomaly(KN_ANOM_APP_HTTP_REQUEST_FIELD_TOO_LONG));
    ck_assert_int_eq(sn->ntx, 1);
    ck_assert_str_eq(sn->tx[0].ua, "after");
    ck_assert_int_eq(sn->tx[0].status, 200);
}
END_TEST

START_TEST(gap_in_body_skips_to_next_message)
{
    start(NULL);
    cli("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123");
    conv.sseq += 8; /* 8 body bytes never seen */
    srv("cdefghij");
    tc_seg(&conv, 1, KN_TH_ACK, NULL, 0); /* the client acknowledges past the hole */
    cli("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    close_flow();
    ck_assert_int_eq(sn->ntx, 2);
    ck_assert_str_eq(sn->tx[0].uri, "/1");
    ck_assert_int_eq(sn->tx[0].status, 200);
    ck_assert_str_eq(sn->tx[1].uri, "/2");
    ck_assert_int_eq(sn->tx[1].status, 200);
    ck_assert_uint_eq(sn->tx[1].resp_len, 2);
}
END_TEST

START_TEST(unmatched_response_is_an_anomaly)
{
    start(NULL);
    cli("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    close_flow();
    ck_assert(has_anomaly(KN_ANOM_APP_HTTP_UNABLE_TO_MATCH_RESPONSE_TO_REQUEST));
    ck_assert_int_eq(sn->ntx, 1);
}
END_TEST

START_TEST(invalid_chunk_length_raises_anomaly)
{
    start(NULL);
    cli("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello");
    close_flow();
    ck_assert(has_anomaly(KN_ANOM_APP_HTTP_INVALID_RESPONSE_CHUNK_LEN));
    ck_assert_int_eq(sn->ntx, 1);
}
END_TEST

START_TEST(truncated_at_every_length_does_not_crash)
{
    static const char req[] = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "3\r\nabc\r\n0\r\n\r\n";
    size_t k, n = strlen(req);

    for (k = 1; k <= n; k++) {
        start(NULL);
        tc_seg(&conv, 1, KN_TH_ACK, req, k);
        srv("HTTP/1.1 200 OK\r\nContent-Length: 1");
        close_flow();
        ck_assert_int_eq(sn->ntx, 1);
        /* short prefixes are claimed by the response and replayed: the method is cut */
        ck_assert_uint_eq(strlen(sn->tx[0].method), k < 4 ? k : 4);
        ck_assert(!strncmp(sn->tx[0].method, "POST", k < 4 ? k : 4));
    }
}
END_TEST

/* ---- headers and buffers ---------------------------------------------------------------------- */

START_TEST(folded_and_repeated_fields_merge)
{
    start(NULL);
    cli("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n\t2\r\nX-a: 3\r\n\r\n");
    srv(ok_resp);
    ck_assert_int_eq(sn->ntx, 1);
    ck_assert_str_eq(sn->tx[0].hdrs, "Host=a|X-A=1 2, 3|");
    ck_assert(has_anomaly(KN_ANOM_APP_HTTP_REQUEST_HEADER_REPETITION));
}
END_TEST

START_TEST(header_buffers_as_suricata_builds_them)
{
    start("alert http any any -> any any (flow:to_server; http.header; "
          "content:\"Host: a|0d 0a|User-Agent: u|0d 0a|\"; bsize:24; sid:1;)\n"
          "alert http any any -> any any (flow:to_server; http.header_names; "
          "content:\"|0d 0a|Host|0d 0a|User-Agent|0d 0a|Cookie|0d 0a 0d 0a|\"; bsize:30; sid:2;)\n"
          "alert http any any -> any any (http.cookie; content:\"c=1\"; bsize:3; sid:3;)\n"
          "alert http any any -> any any (http.start; content:\"GET /%7e%41 HTTP/1.1|0d 0a|Host\"; "
          "startswith; sid:4;)\n"
          "alert http any any -> any any (http.uri; content:\"/~A\"; bsize:3; sid:5;)\n"
          "alert http any any -> any any (http.uri.raw; content:\"/%7e%41\"; bsize:7; sid:6;)\n"
          "alert http any any -> any any (urilen:3; sid:7;)\n"
          "alert http any any -> any any (urilen:7,raw; sid:8;)\n"
          "alert http any any -> any any (urilen:>3; sid:9;)\n"
          "alert http any any -> any any (http.host; content:\"a\"; bsize:1; sid:10;)\n"
          "alert http any any -> any any (http.stat_code; content:\"200\"; sid:11;)\n"
          "alert http any any -> any any (http.response_line; content:\"HTTP/1.1 200 OK\"; "
          "bsize:15; sid:12;)\n");
    cli("GET /%7e%41 HTTP/1.1\r\nHost: a\r\nUser-Agent: u\r\nCookie: c=1\r\n\r\n");
    srv(ok_resp);
    ck_assert_int_eq(alerted(1), 1);
    ck_assert_int_eq(alerted(2), 1);
    ck_assert_int_eq(alerted(3), 1);
    ck_assert_int_eq(alerted(4), 1);
    ck_assert_int_eq(alerted(5), 1);
    ck_assert_int_eq(alerted(6), 1);
    ck_assert_int_eq(alerted(7), 1);
    ck_assert_int_eq(alerted(8), 1);
    ck_assert_int_eq(alerted(9), 0);
    ck_assert_int_eq(alerted(10), 1);
    ck_assert_int_eq(alerted(11), 1);
    ck_assert_int_eq(alerted(12), 1);
}
END_TEST

/* A download cut short by the end of the flow is inspected from the server's side too: the
 * body reaches file.data rules with flow:to_client (ET's "PE EXE download" rules). */
START_TEST(body_cut_by_flow_end_is_inspected)
{
    start("alert http any any -> any any (flow:established,to_client; file.data; "
          "content:\"MZ\"; depth:2; sid:1;)\n");
    cli("GET /a.dll HTTP/1.1\r\nHost: h\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nMZ\x90\x00 only the start");
    ck_assert_int_eq(alerted(1), 0); /* the body is not complete yet */
    close_flow();
    ck_assert_int_eq(alerted(1), 1);
}
END_TEST

/* Hash lists for the file keywords: "hello" (the body below) is in hello.*, not in other.*. */
static char *hash_lists(void *user, const char *rule_file, const char *name, char *why,
                        size_t n)
{
    (void)user;
    (void)rule_file;
    if (!strcmp(name, "hello.md5"))
        return strdup("00112233445566778899aabbccddeeff\n5d41402abc4b2a76b9719d911017c592 a\n");
    if (!strcmp(name, "hello.sha1"))
        return strdup("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\n");
    if (!strcmp(name, "other.sha256"))
        return strdup("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9825\n");
    snprintf(why, n, "%s: not here", name);
    return NULL;
}

static void start_with_lists(const char *rules)
{
    rs = kn_ruleset_new();
    kn_ruleset_set_reader(rs, hash_lists, NULL);
    ck_assert_int_eq(kn_ruleset_add_rules(rs, "r", rules, NULL, NULL), 0);
    ck_assert_int_eq(kn_ruleset_build(rs, NULL, 0), KN_OK);
    start(NULL);
}

/* filename, fileext, filesize and the hash lists on a downloaded file; a rule's file
 * conditions hold together on one file. */
START_TEST(file_keywords_on_a_download)
{
    static const struct { const char *opts; int want; } r[] = {
        {"fileext:\"exe\";", 1},           {"filename:\"/A.ex\";", 1}, /* any case */
        {"fileext:\"txt\";", 0},           {"fileext:!\"txt\";", 1},
        {"filesize:5;", 1},                {"filesize:>5;", 0},
        {"filesize:4<>6;", 1},             {"filesize:!5;", 0},
        {"filemd5:hello.md5;", 1},         {"filemd5:!hello.md5;", 0},
        {"filesha1:hello.sha1;", 1},       {"filesha256:other.sha256;", 0},
        {"filesha256:!other.sha256;", 1},  {"fileext:\"exe\"; filesize:>5;", 0},
        {"fileext:\"exe\"; filesize:<6; filemd5:hello.md5;", 1},
    };
    char rules[4096];
    size_t i, len = 0;

    for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        len += (size_t)snprintf(rules + len, sizeof(rules) - len,
                                "alert http any any -> any any (%s sid:%zu;)\n", r[i].opts, i + 1);
    start_with_lists(rules);
    cli("GET /dl/a.EXE HTTP/1.1\r\nHost: h\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    close_flow();
    for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        ck_assert_msg(alerted((uint32_t)i + 1) == r[i].want, "%s: %d alerts", r[i].opts,
                      alerted((uint32_t)i + 1));
}
END_TEST

/* A file cut short (by the body limit): its size so far answers "more than" only; it has no
 * md5. (A body the flow's end cuts short is a CLOSED file, as in Suricata.) */
START_TEST(filesize_of_a_truncated_file)
{
    cfg.http_body_limit[KN_TOCLIENT] = 4;
    start_with_lists("alert http any any -> any any (filesize:>3; sid:1;)\n"
                     "alert http any any -> any any (filesize:<50; sid:2;)\n"
                     "alert http any any -> any any (filemd5:!hello.md5; sid:3;)\n");
    cli("GET /dl/b.bin HTTP/1.1\r\nHost: h\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n012");
    ck_assert_int_eq(alerted(1), 0); /* still open */
    srv("3456");
    srv("789"); /* past the limit: the file ends TRUNCATED with 4 bytes, more than 3 */
    ck_assert_int_eq(alerted(1), 1);
    ck_assert_int_eq(alerted(2), 0);
    ck_assert_int_eq(alerted(3), 0);
}
END_TEST

/* Rules on transformed buffers get their prefilter through the transform (dotprefix: the
 * pattern without its dot; case folding: the pattern without case) and are still checked on
 * the transformed buffer: ".example.com" matches example.com and www.example.com only. */
START_TEST(prefilter_through_transforms)
{
    start("alert http any any -> any any (http.host; dotprefix; content:\".example.com\"; "
          "endswith; sid:1;)\n"
          "alert http any any -> any any (http.user_agent; to_lowercase; content:\"curl/\"; "
          "startswith; sid:2;)\n");
    cli("GET / HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: CURL/8.0\r\n\r\n");
    srv(ok_resp);
    cli("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: xcurl/8.0\r\n\r\n");
    srv(ok_resp);
    cli("GET / HTTP/1.1\r\nHost: notexample.com\r\n\r\n");
    srv(ok_resp);
    ck_assert_int_eq(alerted(1), 2);
    ck_assert_int_eq(alerted(2), 1);
    ck_assert_uint_eq(kn_ruleset_stats(rs)->mpm_patterns, 2); /* both prefiltered */
}
END_TEST

/* app-layer-event fires on the packet whose bytes raised the anomaly. */
START_TEST(app_layer_event_rule)
{
    start("alert http any any -> any any (app-layer-event:http.request_header_repetition; "
          "sid:1;)\n"
          "alert http any any -> any any (app-layer-event:http.response_header_repetition; "
          "sid:2;)\n");
    cli("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-a: 3\r\n\r\n");
    srv(ok_resp);
    ck_assert_int_eq(alerted(1), 1);
    ck_assert_int_eq(alerted(2), 0);
}
END_TEST

/* http.request_header is one "Name: value" line at a time: anchors and bsize see one field. */
START_TEST(request_header_is_a_multi_buffer)
{
    start("alert http any any -> any any (http.request_header; content:\"X-Api-Version|3a 20|${\"; "
          "startswith; sid:1;)\n"
          "alert http any any -> any any (http.request_header; pcre:\"/^host: a$/i\"; sid:2;)\n"
          "alert http any any -> any any (http.request_header; content:\"Host|3a 20|a\"; bsize:7; "
          "sid:3;)\n"
          "alert http any any -> any any (http.request_header; content:\"a|0d 0a|\"; sid:4;)\n"
          "alert http any any -> any any (http.response_header; content:\"Server|3a 20|s\"; "
          "startswith; sid:5;)\n");
    cli("GET / HTTP/1.1\r\nHost: a\r\nX-Api-Version: ${jndi:x}\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nServer: s\r\n\r\n");
    ck_assert_int_eq(alerted(1), 1);
    ck_assert_int_eq(alerted(2), 1);
    ck_assert_int_eq(alerted(3), 1);
    ck_assert_int_eq(alerted(4), 0); /* no line ends inside an instance */
    ck_assert_int_eq(alerted(5), 1);
}
END_TEST

/* http.uri decodes every %XX, path and query (as libhtp), and drops dot segments from the
 * path only: what a Log4Shell rule on "${jndi:" must see in an encoded query string. */
START_TEST(uri_is_decoded_and_dot_segments_removed)
{
    start("alert http any any -> any any (http.uri; content:\"/b/c?q=${jndi:ldap://x/../y}\"; "
          "bsize:28; sid:1;)\n"
          "alert http any any -> any any (http.uri; content:\"/\"; bsize:1; sid:2;)\n"
          "alert http any any -> any any (http.uri; content:\"/a/\"; bsize:3; sid:3;)\n");
    cli("GET /a/./../b/%2e%2e/b/c?q=%24%7Bjndi%3Aldap%3A%2F%2Fx/../y%7d HTTP/1.1\r\nHost: a\r\n\r\n");
    srv(ok_resp);
    cli("GET /.. HTTP/1.1\r\nHost: a\r\n\r\n");
    srv(ok_resp);
    cli("GET /a/b/.. HTTP/1.1\r\nHost: a\r\n\r\n");
    srv(ok_resp);
    ck_assert_int_eq(alerted(1), 1);
    ck_assert_int_eq(alerted(2), 1);
    ck_assert_int_eq(alerted(3), 1);
}
END_TEST

/* Compresses text as gzip (windowBits 31) or raw deflate (-15) into out. */
static size_t squeeze(const char *text, int wbits, uint8_t *out, size_t cap)
{
    z_stream z;
    size_t n;

    memset(&z, 0, sizeof(z));
    ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)(uintptr_t)text;
    z.avail_in = (uInt)strlen(text);
    z.next_out = out;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

static void compressed_response(const char *encoding, int wbits)
{
    static const char text[] = "<html>the secret plain text, the secret plain text</html>";
    uint8_t body[256];
    char head[160];
    size_t n = squeeze(text, wbits, body, sizeof(body)), i;

    snprintf(head, sizeof(head),
             "HTTP/1.1 200 OK\r\nContent-Encoding: %s\r\nContent-Length: %zu\r\n\r\n", encoding,
             n);
    srv(head);
    for (i = 0; i < n; i += 7) /* the compressed bytes in small pieces */
        tc_seg(&conv, 0, KN_TH_ACK, body + i, n - i < 7 ? n - i : 7);
    ck_assert_int_eq(sn->ntx, 1);
    ck_assert_uint_eq(sn->tx[0].resp_len, n);
}

START_TEST(gzip_body_is_inflated_for_rules)
{
    start("alert http any any -> any any (file.data; content:\"secret plain text\"; sid:1;)\n");
    cli("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    compressed_response("gzip", 31);
    ck_assert_int_eq(alerted(1), 1);
    ck_assert(!has_anomaly(KN_ANOM_APP_HTTP_GZIP_DECOMPRESSION_FAILED));
}
END_TEST

START_TEST(raw_deflate_body_is_inflated_for_rules)
{
    start("alert http any any -> any any (http.response_body; content:\"secret plain\"; sid:1;)\n");
    cli("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    compressed_response("deflate", -15);
    ck_assert_int_eq(alerted(1), 1);
}
END_TEST

START_TEST(broken_gzip_raises_anomaly)
{
    start(NULL);
    cli("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    srv("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip at!");
    ck_assert_int_eq(sn->ntx, 1);
    ck_assert(has_anomaly(KN_ANOM_APP_HTTP_GZIP_DECOMPRESSION_FAILED));
}
END_TEST

START_TEST(request_body_limit_is_applied)
{
    cfg.http_body_limit[KN_TOSERVER] = 4;
    start("alert http any any -> any any (http.request_body; content:\"abcd\"; bsize:4; sid:1;)\n"
          "alert http any any -> any any (http.request_body; content:\"e\"; sid:2;)\n");
    cli("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nabcdefgh");
    srv(ok_resp);
    ck_assert_int_eq(alerted(1), 1);
    ck_assert_int_eq(alerted(2), 0);
    ck_assert_uint_eq(sn->tx[0].req_len, 8);
}
END_TEST

START_TEST(probe_decides_on_prefixes)
{
    const kn_app_parser_t *ps = kn_app_parser(KN_APP_HTTP);

    ck_assert_ptr_nonnull(ps);
    ck_assert_int_eq(ps->probe((const uint8_t *)"GE", 2, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"GET", 3, KN_TOSERVER), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"GET /", 5, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)"PROPFIND /", 10, KN_TOSERVER), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)"GETX /", 6, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"SSH-2.0", 7, KN_TOSERVER), KN_DECLINED);
    ck_assert_int_eq(ps->probe((const uint8_t *)"HTTP/", 5, KN_TOCLIENT), KN_AGAIN);
    ck_assert_int_eq(ps->probe((const uint8_t *)"HTTP/1.1 200", 12, KN_TOCLIENT), KN_OK);
    ck_assert_int_eq(ps->probe((const uint8_t *)"\x16\x03\x01", 3, KN_TOCLIENT), KN_DECLINED);
}
END_TEST

Suite *suite_app_http(void)
{
    Suite *s = suite_create("app_http");
    TCase *tc = tcase_create("app_http");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, get_split_at_every_byte);
    tcase_add_test(tc, chunked_response_split_at_every_byte);
    tcase_add_test(tc, pipelined_requests_pair_in_order);
    tcase_add_test(tc, head_and_304_have_no_body);
    tcase_add_test(tc, continue_100_is_skipped);
    tcase_add_test(tc, host_case_follows_libhtp);
    tcase_add_test(tc, connect_tunnel_is_probed_again);
    tcase_add_test(tc, upgrade_101_stops_parsing);
    tcase_add_test(tc, missing_response_is_logged_at_flow_end);
    tcase_add_test(tc, body_to_close_ends_with_the_flow);
    tcase_add_test(tc, simple_request_http09);
    tcase_add_test(tc, malformed_request_line_raises_anomaly);
    tcase_add_test(tc, too_long_header_line_is_cut);
    tcase_add_test(tc, gap_in_body_skips_to_next_message);
    tcase_add_test(tc, unmatched_response_is_an_anomaly);
    tcase_add_test(tc, invalid_chunk_length_raises_anomaly);
    tcase_add_test(tc, truncated_at_every_length_does_not_crash);
    tcase_add_test(tc, folded_and_repeated_fields_merge);
    tcase_add_test(tc, header_buffers_as_suricata_builds_them);
    tcase_add_test(tc, uri_is_decoded_and_dot_segments_removed);
    tcase_add_test(tc, request_header_is_a_multi_buffer);
    tcase_add_test(tc, app_layer_event_rule);
    tcase_add_test(tc, prefilter_through_transforms);
    tcase_add_test(tc, body_cut_by_flow_end_is_inspected);
    tcase_add_test(tc, file_keywords_on_a_download);
    tcase_add_test(tc, filesize_of_a_truncated_file);
    tcase_add_test(tc, gzip_body_is_inflated_for_rules);
    tcase_add_test(tc, raw_deflate_body_is_inflated_for_rules);
    tcase_add_test(tc, broken_gzip_raises_anomaly);
    tcase_add_test(tc, request_body_limit_is_applied);
    tcase_add_test(tc, probe_decides_on_prefixes);
    suite_add_tcase(s, tc);
    return s;
}
