/* check_eve.c: eve records as Suricata writes them: time and address text, flow records built
 * from reused templates (values never leak from one record into the next), stats. */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "eve.h"
#include "eve_private.h"
#include "output.h"
#include "suites.h"

static char path[] = "/tmp/kanshi-eve-XXXXXX";
static kn_config_t cfg;
static kn_output_t *out;
static kn_eve_t *eve;
static json_object *lines[16];
static int nlines;

static void setup(void)
{
    char err[256];
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    close(fd);
    kn_config_defaults(&cfg);
    out = kn_output_open(path, 1, err, sizeof(err));
    ck_assert_ptr_nonnull(out);
    eve = kn_eve_new(&cfg, out, 0, NULL, 0);
    nlines = 0;
}

static void teardown(void)
{
    int i;

    for (i = 0; i < nlines; i++)
        json_object_put(lines[i]);
    kn_eve_free(eve);
    kn_config_free(&cfg);
    unlink(path);
}

/* Closes the output and parses every line written. */
static void read_back(void)
{
    char buf[65536];
    FILE *fp;

    kn_output_close(out, NULL);
    out = NULL;
    fp = fopen(path, "r");
    while (fgets(buf, sizeof(buf), fp) && nlines < 16) {
        ck_assert_ptr_nonnull(strchr(buf, '\n'));
        lines[nlines] = json_tokener_parse(buf);
        ck_assert_ptr_nonnull(lines[nlines]);
        nlines++;
    }
    fclose(fp);
}

static json_object *get(json_object *o, const char *dotted)
{
    char buf[128], *part, *save = NULL;

    snprintf(buf, sizeof(buf), "%s", dotted);
    for (part = strtok_r(buf, ".", &save); part && o; part = strtok_r(NULL, ".", &save))
        if (!json_object_object_get_ex(o, part, &o))
            return NULL;
    return o;
}

static const char *str(json_object *o, const char *k)
{
    json_object *v = get(o, k);
    return v ? json_object_get_string(v) : NULL;
}

static int64_t num(json_object *o, const char *k)
{
    json_object *v = get(o, k);
    return v ? json_object_get_int64(v) : -1;
}

static void tcp_flow(kn_flow_info_t *f)
{
    memset(f, 0, sizeof(*f));
    f->flow_id = 1234567;
    f->start = 1389719053175317LL;
    f->last = 1389719057035424LL;
    f->ip_v = 4;
    inet_pton(AF_INET, "10.0.2.15", f->src.b);
    inet_pton(AF_INET, "192.150.187.43", f->dst.b);
    f->sp = 55127;
    f->dp = 80;
    f->proto = 6;
    f->pkts[0] = 6;
    f->pkts[1] = 5;
    f->bytes[0] = 691;
    f->bytes[1] = 4495;
    f->state = KN_FLOW_ESTABLISHED;
    f->end = KN_END_SHUTDOWN;
    f->tcp_session = 1;
    f->tcp_state = KN_TCP_ESTABLISHED;
    f->tcp_flags[0] = f->tcp_flags[1] = 0x1a;
    snprintf(f->community_id, sizeof(f->community_id), "1:SG7d96/AXRL6pKmh4r4MKENjfRU=");
}

static void emit_flow(const kn_flow_info_t *f, kn_time_t ts)
{
    kn_event_t ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = KN_EV_FLOW;
    ev.ts = ts;
    ev.flow = f;
    kn_eve_event(&ev, eve);
}

START_TEST(timestamps_and_addresses)
{
    char buf[48];
    kn_addr_t a;

    kn_eve_timestamp(1389719059311698LL, buf);
    ck_assert_str_eq(buf, "2014-01-14T17:04:19.311698+0000");
    kn_eve_timestamp(-5, buf);
    ck_assert_str_eq(buf, "1970-01-01T00:00:00.000000+0000");
    kn_eve_timestamp(INT64_MAX, buf);
    ck_assert_str_eq(buf, "9999-12-31T23:59:59.999999+0000");
    memset(&a, 0, sizeof(a));
    inet_pton(AF_INET6, "fe80::20c:29ff:faf2:ab42", a.b);
    kn_eve_addr(6, &a, buf);
    ck_assert_str_eq(buf, "fe80:0000:0000:0000:020c:29ff:faf2:ab42");
    inet_pton(AF_INET, "192.0.2.255", a.b);
    kn_eve_addr(4, &a, buf);
    ck_assert_str_eq(buf, "192.0.2.255");
}
END_TEST

/* The hand-written date conversion against the C library, across four centuries. */
START_TEST(timestamps_match_gmtime)
{
    char ours[48], theirs[48];
    unsigned seed = 99;
    struct tm tm;
    time_t sec;
    int i;

    for (i = 0; i < 20000; i++) {
        kn_time_t t = ((kn_time_t)rand_r(&seed) << 31 | rand_r(&seed)) % (13000000000LL * KN_USEC);
        sec = (time_t)(t / KN_USEC);
        gmtime_r(&sec, &tm);
        strftime(theirs, sizeof(theirs), "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(theirs + 19, sizeof(theirs) - 19, ".%06lld+0000", (long long)(t % KN_USEC));
        kn_eve_timestamp(t, ours);
        ck_assert_str_eq(ours, theirs);
    }
}
END_TEST

START_TEST(tcp_flow_record)
{
    kn_flow_info_t f;
    json_object *o;

    tcp_flow(&f);
    emit_flow(&f, 1389719059311698LL);
    read_back();
    ck_assert_int_eq(nlines, 1);
    o = lines[0];
    ck_assert_str_eq(str(o, "event_type"), "flow");
    ck_assert_str_eq(str(o, "timestamp"), "2014-01-14T17:04:19.311698+0000");
    ck_assert_int_eq(num(o, "flow_id"), 1234567);
    ck_assert_str_eq(str(o, "src_ip"), "10.0.2.15");
    ck_assert_int_eq(num(o, "dest_port"), 80);
    ck_assert_str_eq(str(o, "proto"), "TCP");
    ck_assert_int_eq(num(o, "flow.pkts_toserver"), 6);
    ck_assert_int_eq(num(o, "flow.bytes_toclient"), 4495);
    ck_assert_str_eq(str(o, "flow.start"), "2014-01-14T17:04:13.175317+0000");
    ck_assert_int_eq(num(o, "flow.age"), 4);
    ck_assert_str_eq(str(o, "flow.state"), "established");
    ck_assert_str_eq(str(o, "flow.reason"), "shutdown");
    ck_assert_str_eq(str(o, "tcp.tcp_flags"), "1a");
    ck_assert(json_object_get_boolean(get(o, "tcp.syn")));
    ck_assert_ptr_null(get(o, "tcp.fin"));
    ck_assert_str_eq(str(o, "tcp.state"), "established");
    ck_assert_str_eq(str(o, "community_id"), "1:SG7d96/AXRL6pKmh4r4MKENjfRU=");
    ck_assert_ptr_null(get(o, "vlan"));
    ck_assert_ptr_null(get(o, "in_iface"));
}
END_TEST

/* Three records in a row with different shapes and values: each carries only its own. */
START_TEST(templates_do_not_leak)
{
    kn_flow_info_t a, b;

    tcp_flow(&a);
    emit_flow(&a, 1);
    b = a;
    b.proto = 1;
    b.sp = b.dp = 0;
    b.vlan_n = 2;
    b.vlan[0] = 6;
    b.vlan[1] = 10;
    b.icmp_seen[0] = b.icmp_seen[1] = 1;
    b.icmp_type[0] = 8;
    b.icmp_type[1] = 0;
    emit_flow(&b, 2);
    a.pkts[0] = 99;
    a.tcp_flags[0] = 0x02;
    a.tcp_flags[1] = 0x14;
    a.tcp_state = KN_TCP_CLOSED;
    emit_flow(&a, 3);
    read_back();
    ck_assert_int_eq(nlines, 3);
    ck_assert_str_eq(str(lines[1], "proto"), "ICMP");
    ck_assert_ptr_null(get(lines[1], "src_port"));
    ck_assert_ptr_null(get(lines[1], "tcp"));
    ck_assert_int_eq(num(lines[1], "icmp_type"), 8);
    ck_assert_int_eq(num(lines[1], "response_icmp_type"), 0);
    ck_assert_int_eq(json_object_array_length(get(lines[1], "vlan")), 2);
    ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(get(lines[1], "vlan"), 1)), 10);
    ck_assert_int_eq(num(lines[2], "flow.pkts_toserver"), 99);
    ck_assert_str_eq(str(lines[2], "tcp.tcp_flags"), "16");
    ck_assert_ptr_null(get(lines[2], "tcp.psh"));
    ck_assert(json_object_get_boolean(get(lines[2], "tcp.rst")));
    ck_assert_str_eq(str(lines[2], "tcp.state"), "closed");
    ck_assert_str_eq(str(lines[0], "tcp.state"), "established");
}
END_TEST

START_TEST(stats_record)
{
    kn_counters_t c;
    kn_capture_counts_t cc;

    memset(&c, 0, sizeof(c));
    memset(&cc, 0, sizeof(cc));
    c.c[KN_CTR_PKTS] = 751;
    c.c[KN_CTR_FLOW_TCP] = 13;
    c.c[KN_CTR_GTPU] = 2;
    c.anomaly[KN_ANOM_IPV4_TRUNC_PKT] = 3;
    c.anomaly[KN_ANOM_GTP_HEADER_TOO_SMALL] = 4;
    cc.files = 1;
    kn_eve_stats(eve, 1389719059311698LL, 17, &c, &cc);
    read_back();
    ck_assert_int_eq(nlines, 1);
    ck_assert_str_eq(str(lines[0], "event_type"), "stats");
    ck_assert_int_eq(num(lines[0], "stats.uptime"), 17);
    ck_assert_int_eq(num(lines[0], "stats.decoder.pkts"), 751);
    ck_assert_int_eq(num(lines[0], "stats.flow.tcp"), 13);
    ck_assert_int_eq(num(lines[0], "stats.decoder.event.ipv4.trunc_pkt"), 3);
    ck_assert_int_eq(num(lines[0], "kanshi.decoder.gtpu"), 2);
    ck_assert_int_eq(num(lines[0], "kanshi.decoder.event.gtpu.header_too_small"), 4);
    ck_assert_ptr_null(get(lines[0], "stats.decoder.gtpu"));
    ck_assert_int_eq(num(lines[0], "kanshi.capture.files"), 1);
}
END_TEST

START_TEST(disabled_types_are_not_written)
{
    kn_flow_info_t f;

    cfg.eve_types &= ~(unsigned)KN_EVE_FLOW;
    tcp_flow(&f);
    emit_flow(&f, 1);
    read_back();
    ck_assert_int_eq(nlines, 0);
}
END_TEST

static const char *bytes_text(const char *b, uint32_t n)
{
    static char text[128];
    json_object *o = kn_eve_bytes((kn_str_t){(const uint8_t *)b, n});

    snprintf(text, sizeof(text), "%s", json_object_get_string(o));
    json_object_put(o);
    return text;
}

/* Wire bytes: valid UTF-8 as it is; otherwise every byte above 0x7f as \xHH, overlong forms
 * and UTF-16 surrogates included (json-c would pass them through as invalid UTF-8). */
START_TEST(wire_bytes_as_suricata)
{
    ck_assert_str_eq(bytes_text("caf\xc3\xa9", 5), "caf\xc3\xa9");
    ck_assert_str_eq(bytes_text("a\xff", 2), "a\\xff");
    ck_assert_str_eq(bytes_text("\xc0\xaf", 2), "\\xc0\\xaf");         /* overlong '/' */
    ck_assert_str_eq(bytes_text("\xed\xa0\x80", 3), "\\xed\\xa0\\x80"); /* surrogate */
    ck_assert_str_eq(bytes_text("\xe2\x82", 2), "\\xe2\\x82");         /* cut short */
    ck_assert_str_eq(bytes_text(NULL, 0), "");
}
END_TEST

/* The tls object carries JA4 and both ALPN lists when the hellos had them, and leaves the
 * keys out when they did not. */
START_TEST(tls_object_ja4_and_alpns)
{
    static const kn_str_t alpns[] = {{(const uint8_t *)"h2", 2}, {(const uint8_t *)"http/1.1", 8}};
    kn_tls_info_t in;
    json_object *o, *v;

    memset(&in, 0, sizeof(in));
    in.version = 0x0303;
    in.ja4.p = (const uint8_t *)"t13d1516h2_8daaf6152771_02713d6af862";
    in.ja4.len = 36;
    in.client_alpns = alpns;
    in.n_client_alpns = 2;
    o = kn_eve_tls_object(NULL, &in);
    ck_assert(json_object_object_get_ex(o, "ja4", &v));
    ck_assert_str_eq(json_object_get_string(v), "t13d1516h2_8daaf6152771_02713d6af862");
    ck_assert(json_object_object_get_ex(o, "client_alpns", &v));
    ck_assert_int_eq((int)json_object_array_length(v), 2);
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(v, 1)), "http/1.1");
    ck_assert(!json_object_object_get_ex(o, "server_alpns", NULL));
    json_object_put(o);
    memset(&in, 0, sizeof(in));
    o = kn_eve_tls_object(NULL, &in);
    ck_assert(!json_object_object_get_ex(o, "ja4", NULL));
    ck_assert(!json_object_object_get_ex(o, "client_alpns", NULL));
    json_object_put(o);
}
END_TEST

Suite *suite_eve(void)
{
    Suite *s = suite_create("eve");
    TCase *tc = tcase_create("records");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, timestamps_and_addresses);
    tcase_add_test(tc, timestamps_match_gmtime);
    tcase_add_test(tc, tcp_flow_record);
    tcase_add_test(tc, templates_do_not_leak);
    tcase_add_test(tc, stats_record);
    tcase_add_test(tc, disabled_types_are_not_written);
    tcase_add_test(tc, wire_bytes_as_suricata);
    tcase_add_test(tc, tls_object_ja4_and_alpns);
    suite_add_tcase(s, tc);
    return s;
}
