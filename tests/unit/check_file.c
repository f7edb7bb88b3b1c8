/* check_file.c: engine/file.c through HTTP (engine/app_http_file.c): a body split anywhere
 * hashes the same as in one piece (the expected digests are computed here with a one-shot
 * EVP_Digest over the whole body), chunked and gzip bodies are hashed decoded, the body limit
 * truncates (sha256 of what was kept, no md5/sha1), a gap makes a TRUNCATED file with gaps,
 * the per-flow cap drops files, names come from Content-Disposition or the path, and which
 * request bodies are files (POST, PUT; not a form, not GET). */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "applayer.h"
#include "collect.h"
#include "tcpconv.h"
#include "suites.h"

#define MAX_FILES 8

typedef struct seen_file {
    char name[128];
    uint64_t size, tx_id;
    int state, gaps, has_md5, has_sha1, has_sha256, to_server, exe, has_pe, pe_64;
    char sec0[9]; /* the PE's first section name */
    uint8_t md5[16], sha1[20], sha256[32];
} seen_file_t;

static seen_file_t files[MAX_FILES];
static int nfiles;
static kn_engine_config_t cfg;
static kn_engine_t *eng;
static double now;
static tcpconv_t conv;

static void on_event(const kn_event_t *ev, void *user)
{
    const kn_file_info_t *f;
    seen_file_t *s;

    (void)user;
    if (ev->type != KN_EV_FILE || nfiles >= MAX_FILES)
        return;
    f = ev->u.file.file;
    s = &files[nfiles++];
    memset(s, 0, sizeof(*s));
    if (f->filename.p)
        memcpy(s->name, f->filename.p, f->filename.len < 127 ? f->filename.len : 127);
    s->size = f->size;
    s->tx_id = ev->u.file.tx_id;
    s->state = f->state;
    s->gaps = f->gaps;
    s->has_md5 = f->has_md5, s->has_sha1 = f->has_sha1, s->has_sha256 = f->has_sha256;
    memcpy(s->md5, f->md5, 16);
    memcpy(s->sha1, f->sha1, 20);
    memcpy(s->sha256, f->sha256, 32);
    s->to_server = ev->u.file.to_server;
    s->exe = f->exe;
    s->has_pe = f->pe != NULL;
    s->pe_64 = f->pe ? f->pe->is_64bit : 0;
    if (f->pe && f->pe->n_sections)
        memcpy(s->sec0, f->pe->section_names[0].p, f->pe->section_names[0].len);
}

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    eng = NULL;
    now = 1.0;
}

static void teardown(void)
{
    kn_engine_free(eng);
}

static void start(void)
{
    kn_engine_free(eng);
    memset(files, 0, sizeof(files));
    nfiles = 0;
    eng = kn_engine_new(&cfg, on_event, NULL);
    ck_assert_ptr_nonnull(eng);
    now += 1.0;
    tc_init(&conv, eng, &now, 40000, 80);
    tc_handshake(&conv, 100, 900);
}

static void send_bytes(int to_server, const void *p, size_t n)
{
    tc_seg(&conv, to_server, KN_TH_ACK | KN_TH_PSH, p, n);
}

static void send_text(int to_server, const char *s)
{
    send_bytes(to_server, s, strlen(s));
}

static void close_flow(void)
{
    tc_close(&conv, 1);
    kn_engine_flush(eng);
}

static void digest(const EVP_MD *md, const void *p, size_t n, uint8_t *out)
{
    unsigned len = 0;

    ck_assert_int_eq(EVP_Digest(p, n, out, &len, md, NULL), 1);
}

/* The file's hashes are those of the n bytes at p. */
static void assert_hashes(const seen_file_t *f, const void *p, size_t n)
{
    uint8_t h[32];

    ck_assert(f->has_md5 && f->has_sha1 && f->has_sha256);
    digest(EVP_md5(), p, n, h);
    ck_assert_mem_eq(f->md5, h, 16);
    digest(EVP_sha1(), p, n, h);
    ck_assert_mem_eq(f->sha1, h, 20);
    digest(EVP_sha256(), p, n, h);
    ck_assert_mem_eq(f->sha256, h, 32);
}

static char body[600];

static void fill_body(void)
{
    size_t i;

    for (i = 0; i < sizeof(body) - 1; i++)
        body[i] = (char)('a' + (i * 7 + i / 13) % 26);
    body[sizeof(body) - 1] = '\0';
}

static const char get_req[] = "GET /dir/file.txt?x=1 HTTP/1.1\r\nHost: h\r\n\r\n";

/* ---- hashing over any split ------------------------------------------------------------ */

START_TEST(response_split_anywhere)
{
    char resp[800];
    size_t k, n, hl;

    fill_body();
    hl = (size_t)snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n",
                          strlen(body));
    memcpy(resp + hl, body, strlen(body));
    n = hl + strlen(body);
    for (k = 1; k < n; k += (k < hl + 8 ? 1 : 37)) {
        start();
        send_text(1, get_req);
        send_bytes(0, resp, k);
        send_bytes(0, resp + k, n - k);
        ck_assert_int_eq(nfiles, 1);
        ck_assert_str_eq(files[0].name, "/dir/file.txt"); /* the path, as Suricata */
        ck_assert_int_eq(files[0].state, KN_FILE_CLOSED);
        ck_assert_int_eq(files[0].to_server, 0);
        ck_assert_uint_eq(files[0].size, strlen(body));
        assert_hashes(&files[0], body, strlen(body));
    }
}
END_TEST

START_TEST(chunked_gzip_hashed_decoded)
{
    uint8_t gz[800];
    char resp[1200];
    z_stream z;
    size_t glen, hl, at;

    fill_body();
    memset(&z, 0, sizeof(z));
    ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)body;
    z.avail_in = (uInt)strlen(body);
    z.next_out = gz;
    z.avail_out = sizeof(gz);
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    glen = sizeof(gz) - z.avail_out;
    deflateEnd(&z);
    hl = (size_t)snprintf(resp, sizeof(resp),
                          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                          "Content-Encoding: gzip\r\n\r\n%zx\r\n", glen / 2);
    memcpy(resp + hl, gz, glen / 2);
    at = hl + glen / 2;
    at += (size_t)snprintf(resp + at, sizeof(resp) - at, "\r\n%zx\r\n", glen - glen / 2);
    memcpy(resp + at, gz + glen / 2, glen - glen / 2);
    at += glen - glen / 2;
    at += (size_t)snprintf(resp + at, sizeof(resp) - at, "\r\n0\r\n\r\n");
    start();
    send_text(1, get_req);
    send_bytes(0, resp, at / 3);
    send_bytes(0, resp + at / 3, at - at / 3);
    ck_assert_int_eq(nfiles, 1);
    ck_assert_uint_eq(files[0].size, strlen(body));
    assert_hashes(&files[0], body, strlen(body));
}
END_TEST

/* ---- truncation, gaps, caps -------------------------------------------------------------- */

START_TEST(body_limit_truncates)
{
    char resp[800];
    uint8_t h[32];
    size_t hl;

    fill_body();
    cfg.http_body_limit[KN_TOCLIENT] = 100;
    hl = (size_t)snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n",
                          strlen(body));
    start();
    send_text(1, get_req);
    send_bytes(0, resp, hl);
    send_bytes(0, body, 150);                       /* crosses the limit: cut at 100 */
    send_bytes(0, body + 150, strlen(body) - 150);  /* past it: the file ends TRUNCATED */
    ck_assert_int_eq(nfiles, 1);
    ck_assert_int_eq(files[0].state, KN_FILE_TRUNCATED);
    ck_assert_uint_eq(files[0].size, 100);
    ck_assert(!files[0].has_md5 && !files[0].has_sha1 && files[0].has_sha256);
    digest(EVP_sha256(), body, 100, h);
    ck_assert_mem_eq(files[0].sha256, h, 32);
}
END_TEST

START_TEST(gap_makes_truncated)
{
    char resp[800];
    size_t hl;

    fill_body();
    hl = (size_t)snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n",
                          strlen(body));
    start();
    send_text(1, get_req);
    send_bytes(0, resp, hl);
    send_bytes(0, body, 100);
    conv.sseq += 200; /* 200 body bytes never seen */
    send_bytes(0, body + 300, strlen(body) - 300);
    tc_seg(&conv, 1, KN_TH_ACK, NULL, 0); /* acknowledges past the hole */
    send_text(1, get_req);
    send_text(0, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    close_flow();
    ck_assert_int_eq(nfiles, 2);
    ck_assert_int_eq(files[0].gaps, 1);
    ck_assert_int_eq(files[0].state, KN_FILE_TRUNCATED);
    ck_assert(!files[0].has_md5);
    ck_assert_uint_ge(files[0].size, 100); /* the lost bytes count when their number is known */
    ck_assert_uint_le(files[0].size, strlen(body));
    ck_assert_uint_eq(kn_engine_counters(eng)->c[KN_CTR_FILES_TRUNCATED], 1);
    ck_assert_int_eq(files[1].state, KN_FILE_CLOSED); /* the next message is whole again */
    assert_hashes(&files[1], "ok", 2);
}
END_TEST

/* Caps from too small for the transaction to large enough for its file: wherever the file
 * does not fit it is dropped and counted, never half-made; some cap lets the transaction in
 * but not its file. */
START_TEST(cap_drops_file)
{
    char resp[800];
    size_t hl;
    uint32_t cap;
    int between = 0;

    fill_body();
    hl = (size_t)snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n",
                          strlen(body));
    memcpy(resp + hl, body, strlen(body));
    for (cap = 1000; cap <= 16000; cap += 250) {
        const kn_counters_t *c;
        cfg.app_state_cap = cap;
        start();
        send_text(1, get_req);
        send_bytes(0, resp, hl + strlen(body));
        close_flow();
        c = kn_engine_counters(eng);
        ck_assert_int_eq(nfiles, (int)c->c[KN_CTR_FILES_OPENED]);
        ck_assert_uint_le(nfiles + c->c[KN_CTR_FILES_DROPPED], 1);
        if (c->c[KN_CTR_APP_TX_HTTP] && c->c[KN_CTR_FILES_DROPPED])
            between = 1; /* the transaction was logged, its file dropped */
        if (nfiles)
            assert_hashes(&files[0], body, strlen(body));
    }
    ck_assert(between);
    ck_assert_int_eq(nfiles, 1); /* 16000 is enough */
}
END_TEST

START_TEST(connection_close_body_at_flow_end)
{
    start();
    send_text(1, get_req);
    send_text(0, "HTTP/1.0 200 OK\r\n\r\nuntil the end");
    kn_engine_flush(eng);
    ck_assert_int_eq(nfiles, 1);
    ck_assert_int_eq(files[0].state, KN_FILE_CLOSED); /* libhtp completes it at the close */
    assert_hashes(&files[0], "until the end", 13);
}
END_TEST

/* ---- names and which bodies are files ---------------------------------------------------- */

START_TEST(content_disposition_name)
{
    start();
    send_text(1, get_req);
    send_text(0, "HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"a b.exe\"\r\n"
                 "Content-Length: 3\r\n\r\nabc");
    ck_assert_int_eq(nfiles, 1);
    ck_assert_str_eq(files[0].name, "a b.exe");
}
END_TEST

START_TEST(request_bodies)
{
    start();
    send_text(1, "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\ndata");
    send_text(0, "HTTP/1.1 204 No Content\r\n\r\n");
    send_text(1, "PUT /p/x.bin HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nxy");
    send_text(0, "HTTP/1.1 204 No Content\r\n\r\n");
    send_text(1, "POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; "
                 "boundary=zz\r\nContent-Length: 4\r\n\r\n--zz");
    send_text(0, "HTTP/1.1 204 No Content\r\n\r\n");
    send_text(1, "GET /g HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nxy");
    send_text(0, "HTTP/1.1 204 No Content\r\n\r\n");
    ck_assert_int_eq(nfiles, 2);
    ck_assert_str_eq(files[0].name, "/up");
    ck_assert_int_eq(files[0].to_server, 1);
    ck_assert_uint_eq(files[0].tx_id, 0);
    assert_hashes(&files[0], "data", 4);
    ck_assert_str_eq(files[1].name, "/p/x.bin");
    ck_assert_uint_eq(files[1].tx_id, 1);
}
END_TEST

START_TEST(form_parts_are_files)
{
    static const char form[] =
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfield\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"up.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\nline1\r\n--Xy!\r\n\r\nline2\r\n"
        "--XyZ--\r\n";
    static const char content[] = "line1\r\n--Xy!\r\n\r\nline2"; /* most of a delimiter */
    char req[600];
    size_t hl, n = strlen(form), k;

    hl = (size_t)snprintf(req, sizeof(req), "POST /f HTTP/1.1\r\nHost: h\r\nContent-Type: "
                          "multipart/form-data; boundary=\"XyZ\"\r\nContent-Length: %zu\r\n\r\n", n);
    memcpy(req + hl, form, n);
    for (k = 1; k < n; k++) {
        start();
        send_bytes(1, req, hl + k);
        send_bytes(1, req + hl + k, n - k);
        ck_assert_int_eq(nfiles, 1);
        ck_assert_str_eq(files[0].name, "up.bin");
        ck_assert_int_eq(files[0].state, KN_FILE_CLOSED);
        assert_hashes(&files[0], content, strlen(content));
    }
    start(); /* the closing delimiter never comes: the part is cut short */
    send_bytes(1, req, hl + n - 9);
    kn_engine_flush(eng);
    ck_assert_int_eq(nfiles, 1);
    ck_assert_int_eq(files[0].state, KN_FILE_TRUNCATED);
}
END_TEST

/* A minimal PE32+ image: DOS header, "PE\0\0", COFF header, a 240-byte optional header, one
 * section. */
static size_t make_pe(uint8_t *b)
{
    memset(b, 0, 512);
    b[0] = 'M', b[1] = 'Z', b[0x3c] = 0x80;
    memcpy(b + 0x80, "PE\0\0", 4);
    b[0x84] = 0x64, b[0x85] = 0x86; /* AMD64 */
    b[0x86] = 1;                    /* one section */
    b[0x94] = 240;                  /* SizeOfOptionalHeader */
    b[0x96] = 0x22;                 /* EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE */
    b[0x98] = 0x0b, b[0x99] = 0x02; /* PE32+ */
    memcpy(b + 0x98 + 240, ".text", 5);
    return 512;
}

START_TEST(pe_body_recognised)
{
    uint8_t pe[512], resp[700];
    size_t n = make_pe(pe), hl;

    hl = (size_t)snprintf((char *)resp, sizeof(resp),
                          "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", n);
    memcpy(resp + hl, pe, n);
    start();
    send_text(1, get_req);
    send_bytes(0, resp, hl + 100);
    send_bytes(0, resp + hl + 100, n - 100);
    ck_assert_int_eq(nfiles, 1);
    ck_assert_int_eq(files[0].exe, KN_FILE_EXE_PE);
    ck_assert_int_eq(files[0].has_pe, 1);
    ck_assert_int_eq(files[0].pe_64, 1);
    ck_assert_str_eq(files[0].sec0, ".text"); /* the names live as long as the file */
}
END_TEST

Suite *suite_file(void)
{
    Suite *s = suite_create("file");
    TCase *t = tcase_create("file");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, response_split_anywhere);
    tcase_add_test(t, chunked_gzip_hashed_decoded);
    tcase_add_test(t, body_limit_truncates);
    tcase_add_test(t, gap_makes_truncated);
    tcase_add_test(t, cap_drops_file);
    tcase_add_test(t, connection_close_body_at_flow_end);
    tcase_add_test(t, content_disposition_name);
    tcase_add_test(t, request_bodies);
    tcase_add_test(t, pe_body_recognised);
    tcase_add_test(t, form_parts_are_files);
    suite_add_tcase(s, t);
    return s;
}
