/* check_app_dns.c: engine/app_dns.c through the whole engine — DNS over UDP and TCP (split at
 * every byte, several messages per segment), name compression and its loops, record data as
 * eve writes it, truncation at every length, probing, anomalies and the rule keywords. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "eve_private.h"
#include "suites.h"
#include "tcpconv.h"
#include "udpfeed.h"

static kn_engine_config_t cfg;
static kn_engine_t *eng;
static kn_ruleset_t *rs;
static collect_t *col;
static double now;
static tcpconv_t conv;

/* What the test keeps of each DNS event, copied at callback time (the info is borrowed). */
#define EV_MAX 64
typedef struct dns_seen {
    int is_response, rcode, opcode, n_queries, n_answers, n_authorities, n_additionals;
    uint64_t tx_id;
    int to_server;
    char qname[300];
    int qtype;
    char eve[4096]; /* the eve "dns" object */
} dns_seen_t;

static dns_seen_t seen[EV_MAX];
static int nseen;

static void copy_str(char *dst, size_t cap, kn_str_t s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;

    if (s.p)
        memcpy(dst, s.p, n);
    dst[s.p ? n : 0] = '\0';
}

static void dns_cb(const kn_event_t *ev, void *user)
{
    collect_cb(ev, user);
    if (ev->type == KN_EV_APP && ev->u.app.app == KN_APP_DNS && nseen < EV_MAX) {
        const kn_dns_info_t *in = ev->u.app.info;
        dns_seen_t *s = &seen[nseen++];
        json_object *o = kn_eve_dns_object(NULL, in);
        memset(s, 0, sizeof(*s));
        s->is_response = in->is_response;
        s->rcode = in->rcode;
        s->opcode = in->opcode;
        s->n_queries = in->n_queries;
        s->n_answers = in->n_answers;
        s->n_authorities = in->n_authorities;
        s->n_additionals = in->n_additionals;
        s->tx_id = in->tx_id;
        s->to_server = ev->u.app.to_server;
        if (in->n_queries) {
            copy_str(s->qname, sizeof(s->qname), in->queries[0].name);
            s->qtype = in->queries[0].type;
        }
        snprintf(s->eve, sizeof(s->eve), "%s", json_object_to_json_string_ext(o, SER_FLAGS));
        json_object_put(o);
    }
}

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    col = calloc(1, sizeof(*col));
    rs = NULL;
    eng = kn_engine_new(&cfg, dns_cb, col);
    nseen = 0;
    now = 1.0;
}

static void teardown(void)
{
    kn_engine_free(eng);
    kn_ruleset_free(rs);
    free(col);
}

static void start_rules(const char *rules)
{
    rs = kn_ruleset_new();
    ck_assert_int_eq(kn_ruleset_add_rules(rs, "r", rules, NULL, NULL), 0);
    ck_assert_int_eq(kn_ruleset_build(rs, NULL, 0), KN_OK);
    ck_assert_int_eq(kn_engine_set_ruleset(eng, rs), KN_OK);
}

/* ---- building messages (RFC 1035 4.1) ----------------------------------------------------- */

typedef struct msg {
    uint8_t b[2048];
    size_t len;
} msg_t;

static void m_u8(msg_t *m, uint8_t v) { m->b[m->len++] = v; }
static void m_be16(msg_t *m, uint16_t v) { m_u8(m, (uint8_t)(v >> 8)); m_u8(m, (uint8_t)v); }
static void m_be32(msg_t *m, uint32_t v) { m_be16(m, (uint16_t)(v >> 16)); m_be16(m, (uint16_t)v); }
static void m_raw(msg_t *m, const void *p, size_t n) { memcpy(m->b + m->len, p, n); m->len += n; }

static void m_hdr(msg_t *m, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns,
                  uint16_t ar)
{
    m->len = 0;
    m_be16(m, id);
    m_be16(m, flags);
    m_be16(m, qd);
    m_be16(m, an);
    m_be16(m, ns);
    m_be16(m, ar);
}

/* "www.example.com" as labels; ends with a root label unless ptr (then a pointer to ptr). */
static void m_name(msg_t *m, const char *dotted, int ptr)
{
    const char *p = dotted, *dot;

    while (*p) {
        dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        m_u8(m, (uint8_t)n);
        m_raw(m, p, n);
        p += n + (dot ? 1 : 0);
    }
    if (ptr >= 0)
        m_be16(m, (uint16_t)(0xC000 | ptr));
    else
        m_u8(m, 0);
}

static void m_question(msg_t *m, const char *name, uint16_t type)
{
    m_name(m, name, -1);
    m_be16(m, type);
    m_be16(m, 1);
}

/* The owner name is a pointer to offset owner; rdata copied as given. */
static void m_rr(msg_t *m, int owner, uint16_t type, uint32_t ttl, const void *rd, uint16_t n)
{
    m_be16(m, (uint16_t)(0xC000 | owner));
    m_be16(m, type);
    m_be16(m, 1);
    m_be32(m, ttl);
    m_be16(m, n);
    m_raw(m, rd, n);
}

/* A query for name/type, and its response with one A answer 93.184.216.34. */
static void query(msg_t *m, uint16_t id, const char *name, uint16_t type)
{
    m_hdr(m, id, 0x0100, 1, 0, 0, 0);
    m_question(m, name, type);
}

static void a_response(msg_t *m, uint16_t id, const char *name, uint16_t rcode)
{
    static const uint8_t addr[4] = {93, 184, 216, 34};

    m_hdr(m, id, (uint16_t)(0x8180 | rcode), 1, rcode ? 0 : 1, 0, 0);
    m_question(m, name, 1);
    if (!rcode)
        m_rr(m, 12, 1, 300, addr, 4);
}

/* ---- feeding ------------------------------------------------------------------------------- */

#define CLI "10.0.0.1"
#define SRV "10.0.0.53"

/* A message with its two-byte length (RFC 1035 4.2.2). */
static size_t framed(const msg_t *m, uint8_t *out)
{
    out[0] = (uint8_t)(m->len >> 8);
    out[1] = (uint8_t)m->len;
    memcpy(out + 2, m->b, m->len);
    return m->len + 2;
}

/* ---- UDP ---------------------------------------------------------------------------------- */

START_TEST(udp_a_query_and_response)
{
    msg_t q, r;

    query(&q, 0x1234, "www.example.com", 1);
    a_response(&r, 0x1234, "www.example.com", 0);
    udp_feed(eng, &now, CLI, 40000, SRV, 53, q.b, q.len);
    udp_feed(eng, &now, SRV, 53, CLI, 40000, r.b, r.len);
    ck_assert_int_eq(nseen, 2);
    ck_assert_int_eq(seen[0].is_response, 0);
    ck_assert_str_eq(seen[0].qname, "www.example.com");
    ck_assert_int_eq(seen[0].qtype, 1);
    ck_assert_int_eq(seen[0].tx_id, 0);
    ck_assert_int_eq(seen[0].to_server, 1);
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "\"type\":\"request\""));
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "\"flags\":\"100\",\"rd\":true"));
    ck_assert_ptr_nonnull(
        strstr(seen[0].eve, "\"queries\":[{\"rrname\":\"www.example.com\",\"rrtype\":\"A\"}]"));
    ck_assert_int_eq(seen[1].is_response, 1);
    ck_assert_int_eq(seen[1].tx_id, 1);
    ck_assert_int_eq(seen[1].n_answers, 1);
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"version\":3,\"type\":\"response\",\"tx_id\":1,"
                                              "\"id\":4660,\"flags\":\"8180\",\"qr\":true,"
                                              "\"rd\":true,\"ra\":true,\"opcode\":0,"
                                              "\"rcode\":\"NOERROR\""));
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"answers\":[{\"rrname\":\"www.example.com\","
                                              "\"rrtype\":\"A\",\"ttl\":300,"
                                              "\"rdata\":\"93.184.216.34\"}]"));
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"grouped\":{\"A\":[\"93.184.216.34\"]}"));
    kn_engine_flush(eng);
    ck_assert_int_eq(collect_find(col, 17, 53)->app_proto, KN_APP_DNS);
}
END_TEST

START_TEST(nxdomain_rcode)
{
    msg_t q, r;

    query(&q, 7, "nope.example", 1);
    a_response(&r, 7, "nope.example", 3);
    udp_feed(eng, &now, CLI, 40001, SRV, 53, q.b, q.len);
    udp_feed(eng, &now, SRV, 53, CLI, 40001, r.b, r.len);
    ck_assert_int_eq(nseen, 2);
    ck_assert_int_eq(seen[1].rcode, 3);
    ck_assert_int_eq(seen[1].n_answers, 0);
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"rcode\":\"NXDOMAIN\""));
    ck_assert_ptr_null(strstr(seen[1].eve, "\"answers\""));
    ck_assert_ptr_null(strstr(seen[1].eve, "\"grouped\""));
}
END_TEST

/* A CNAME chain written with pointers into the question and into earlier rdata. */
START_TEST(compression_pointers)
{
    msg_t q, r;
    size_t cname_at;
    uint8_t rd[64];
    msg_t tmp;

    query(&q, 9, "www.example.com", 1);
    udp_feed(eng, &now, CLI, 40002, SRV, 53, q.b, q.len);
    m_hdr(&r, 9, 0x8180, 1, 2, 0, 0);
    m_question(&r, "www.example.com", 1);
    /* www.example.com CNAME cdn.<example.com at 16> */
    tmp.len = 0;
    m_name(&tmp, "cdn", 16);
    memcpy(rd, tmp.b, tmp.len);
    m_rr(&r, 12, 5, 60, rd, (uint16_t)tmp.len);
    cname_at = r.len - tmp.len; /* where the rdata name starts */
    m_rr(&r, (int)cname_at, 1, 60, "\x01\x02\x03\x04", 4);
    udp_feed(eng, &now, SRV, 53, CLI, 40002, r.b, r.len);
    ck_assert_int_eq(nseen, 2);
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "{\"rrname\":\"www.example.com\",\"rrtype\":\"CNAME\","
                                              "\"ttl\":60,\"rdata\":\"cdn.example.com\"}"));
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "{\"rrname\":\"cdn.example.com\",\"rrtype\":\"A\","
                                              "\"ttl\":60,\"rdata\":\"1.2.3.4\"}"));
    ck_assert_ptr_nonnull(
        strstr(seen[1].eve, "\"grouped\":{\"CNAME\":[\"cdn.example.com\"],\"A\":[\"1.2.3.4\"]}"));
}
END_TEST

/* A pointer chain that comes back to itself: the name is cut where the loop closes. */
START_TEST(compression_loop)
{
    msg_t q, r;
    size_t at;

    query(&q, 10, "loop.test", 1);
    udp_feed(eng, &now, CLI, 40003, SRV, 53, q.b, q.len);
    m_hdr(&r, 10, 0x8180, 1, 1, 0, 0);
    m_question(&r, "loop.test", 1);
    /* the owner: label "a", then a pointer back to that label */
    at = r.len;
    m_u8(&r, 1), m_u8(&r, 'a'), m_be16(&r, (uint16_t)(0xC000 | at));
    m_be16(&r, 1), m_be16(&r, 1), m_be32(&r, 5), m_be16(&r, 4), m_be32(&r, 0x01020304);
    udp_feed(eng, &now, SRV, 53, CLI, 40003, r.b, r.len);
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_DNS_INFINITE_LOOP));
    ck_assert_int_eq(nseen, 2); /* the end of the name is known: the record is kept */
    ck_assert_int_eq(seen[1].n_answers, 1);
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"rdata\":\"1.2.3.4\""));

    /* a pointer to itself before any was followed: the message cannot be walked */
    r.len = 0;
    m_hdr(&r, 11, 0x8180, 1, 0, 0, 0);
    m_be16(&r, 0xC00C);
    m_be16(&r, 1), m_be16(&r, 1);
    udp_feed(eng, &now, SRV, 53, CLI, 40003, r.b, r.len);
    ck_assert_int_eq(nseen, 2);
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_DNS_MALFORMED_DATA));
}
END_TEST

START_TEST(truncated_at_every_length)
{
    msg_t q, r;
    size_t cut;
    uint16_t sp = 0;

    a_response(&r, 5, "trunc.example.org", 0);
    for (cut = 0; cut < r.len; cut++) {
        sp = (uint16_t)(41000 + cut);
        query(&q, 5, "trunc.example.org", 1);
        udp_feed(eng, &now, CLI, sp, SRV, 53, q.b, q.len);
        if (cut) /* UDP carries no empty datagram to the app layer */
            udp_feed(eng, &now, SRV, 53, CLI, sp, r.b, cut);
    }
    ck_assert_int_eq(nseen, (int)r.len); /* only the queries */
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_DNS_MALFORMED_DATA));
    udp_feed(eng, &now, SRV, 53, CLI, sp, r.b, r.len);
    ck_assert_int_eq(nseen, (int)r.len + 1);
    ck_assert_int_eq(seen[nseen - 1].is_response, 1);
}
END_TEST

START_TEST(non_dns_on_port_53_is_not_claimed)
{
    static const uint8_t junk[] = "\x17\x03\x03\x00\x20random bytes that are not DNS at all";
    uint8_t noise[64];
    int i;

    for (i = 0; i < 64; i++)
        noise[i] = (uint8_t)(i * 37 + 11);
    udp_feed(eng, &now, CLI, 40010, SRV, 53, junk, sizeof(junk) - 1);
    udp_feed(eng, &now, CLI, 40011, SRV, 53, noise, sizeof(noise));
    /* a header that claims a question which is not there */
    udp_feed(eng, &now, CLI, 40012, SRV, 53,
             "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x05" "ab", 15);
    /* a good question followed by garbage */
    {
        msg_t q;
        query(&q, 1, "example.com", 1);
        m_raw(&q, "XYZ", 3);
        udp_feed(eng, &now, CLI, 40013, SRV, 53, q.b, q.len);
    }
    ck_assert_int_eq(nseen, 0);
    kn_engine_flush(eng);
    for (i = 0; i < col->nflows; i++)
        ck_assert_int_ne(col->flows[i].app_proto, KN_APP_DNS);
}
END_TEST

/* NetBIOS names, multicast DNS and LLMNR share the format; Suricata does not log them as dns. */
START_TEST(sibling_protocols_are_not_claimed)
{
    msg_t q;

    query(&q, 0x8001, "FHEPFCELEHFCEPFFFACACACACACACAAA", 32); /* NBNS, RFC 1002 4.2.12 */
    udp_feed(eng, &now, CLI, 137, "10.0.0.255", 137, q.b, q.len);
    query(&q, 0, "printer.local", 12); /* mDNS: id 0 */
    q.b[2] = 0;                        /* and no recursion */
    udp_feed(eng, &now, CLI, 5353, "224.0.0.251", 5353, q.b, q.len);
    query(&q, 0x4444, "wpad", 1); /* LLMNR: one label, no recursion */
    q.b[2] = 0;
    udp_feed(eng, &now, CLI, 40070, "224.0.0.252", 5355, q.b, q.len);
    ck_assert_int_eq(nseen, 0);
    query(&q, 0x4444, "wpad", 1); /* the same name asked with recursion is DNS */
    udp_feed(eng, &now, CLI, 40071, SRV, 53, q.b, q.len);
    ck_assert_int_eq(nseen, 1);
}
END_TEST

START_TEST(dns_on_another_port_is_claimed)
{
    msg_t q, r;

    query(&q, 77, "odd.port.example", 16);
    a_response(&r, 77, "odd.port.example", 0);
    udp_feed(eng, &now, CLI, 40020, SRV, 5300, q.b, q.len);
    udp_feed(eng, &now, SRV, 5300, CLI, 40020, r.b, r.len);
    ck_assert_int_eq(nseen, 2);
    ck_assert_int_eq(seen[0].qtype, 16);
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "\"rrtype\":\"TXT\""));
}
END_TEST

/* AAAA, CNAME, MX (the preference is not written), TXT with two strings, SOA, SRV. */
START_TEST(rdata_as_eve_writes_it)
{
    msg_t q, r, tmp;
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    uint8_t rd[128];

    query(&q, 3, "x.example", 255);
    udp_feed(eng, &now, CLI, 40030, SRV, 53, q.b, q.len);
    m_hdr(&r, 3, 0x8180, 1, 5, 1, 0);
    m_question(&r, "x.example", 255);
    m_rr(&r, 12, 28, 10, v6, 16);
    tmp.len = 0, m_name(&tmp, "alias", 14), m_rr(&r, 12, 5, 10, tmp.b, (uint16_t)tmp.len);
    tmp.len = 0, m_be16(&tmp, 10), m_name(&tmp, "mx", 14);
    m_rr(&r, 12, 15, 10, tmp.b, (uint16_t)tmp.len);
    m_rr(&r, 12, 16, 10, "\x05hello\x05world", 12);
    tmp.len = 0, m_be16(&tmp, 1), m_be16(&tmp, 2), m_be16(&tmp, 5060), m_name(&tmp, "sip", 14);
    m_rr(&r, 12, 33, 10, tmp.b, (uint16_t)tmp.len);
    tmp.len = 0, m_name(&tmp, "ns", 14), m_name(&tmp, "admin", 14);
    m_be32(&tmp, 2024), m_be32(&tmp, 3600), m_be32(&tmp, 600), m_be32(&tmp, 86400),
        m_be32(&tmp, 60);
    memcpy(rd, tmp.b, tmp.len);
    m_rr(&r, 14, 6, 20, rd, (uint16_t)tmp.len);
    udp_feed(eng, &now, SRV, 53, CLI, 40030, r.b, r.len);
    ck_assert_int_eq(nseen, 2);
    ck_assert_int_eq(seen[1].n_answers, 5);
    ck_assert_int_eq(seen[1].n_authorities, 1);
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"rrtype\":\"AAAA\",\"ttl\":10,"
                                              "\"rdata\":\"2001:0db8:0000:0000:0000:0000:0000:0001\""));
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"rrtype\":\"CNAME\",\"ttl\":10,"
                                              "\"rdata\":\"alias.example\""));
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"rrtype\":\"MX\",\"ttl\":10,"
                                              "\"rdata\":\"mx.example\""));
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"rrtype\":\"TXT\",\"ttl\":10,\"rdata\":\"hello\"},"
                                              "{\"rrname\":\"x.example\",\"rrtype\":\"TXT\","
                                              "\"ttl\":10,\"rdata\":\"world\"}"));
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"srv\":{\"priority\":1,\"weight\":2,"
                                              "\"port\":5060,\"name\":\"sip.example\"}"));
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"TXT\":[\"hello\",\"world\"]"));
    ck_assert_ptr_nonnull(strstr(seen[1].eve, "\"authorities\":[{\"rrname\":\"example\","
                                              "\"rrtype\":\"SOA\",\"ttl\":20,\"soa\":{"
                                              "\"mname\":\"ns.example\",\"rname\":"
                                              "\"admin.example\",\"serial\":2024,"
                                              "\"refresh\":3600,\"retry\":600,"
                                              "\"expire\":86400,\"minimum\":60}}]"));
}
END_TEST

/* ---- TCP ------------------------------------------------------------------------------------ */

START_TEST(tcp_split_at_every_byte)
{
    msg_t q, r;
    uint8_t fq[600], fr[600];
    size_t nq, nr, k, kr;
    uint16_t sp;
    int before;

    query(&q, 0x4242, "split.example.net", 28);
    a_response(&r, 0x4242, "split.example.net", 0);
    nq = framed(&q, fq);
    nr = framed(&r, fr);
    for (k = 1; k < nq; k++) {
        sp = (uint16_t)(42000 + k);
        nseen = 0; /* each connection starts the record afresh */
        before = nseen;
        tc_init(&conv, eng, &now, sp, 53);
        tc_handshake(&conv, 100, 900);
        tc_seg(&conv, 1, KN_TH_ACK | KN_TH_PSH, fq, k);
        ck_assert_int_eq(nseen, before);
        tc_seg(&conv, 1, KN_TH_ACK | KN_TH_PSH, fq + k, nq - k);
        ck_assert_int_eq(nseen, before + 1);
        ck_assert_str_eq(seen[before].qname, "split.example.net");
        ck_assert_int_eq(seen[before].qtype, 28);
        /* the response split at the same place (or its last byte) */
        kr = k < nr ? k : nr - 1;
        tc_seg(&conv, 0, KN_TH_ACK | KN_TH_PSH, fr, kr);
        tc_seg(&conv, 0, KN_TH_ACK | KN_TH_PSH, fr + kr, nr - kr);
        ck_assert_int_eq(nseen, before + 2);
        ck_assert_int_eq(seen[before + 1].is_response, 1);
        ck_assert_int_eq(seen[before + 1].n_answers, 1);
    }
}
END_TEST

START_TEST(tcp_two_messages_in_one_segment)
{
    msg_t q1, q2;
    uint8_t buf[600];
    size_t n;

    query(&q1, 1, "one.example", 1);
    query(&q2, 2, "two.example", 28);
    n = framed(&q1, buf);
    n += framed(&q2, buf + n);
    tc_init(&conv, eng, &now, 43000, 53);
    tc_handshake(&conv, 100, 900);
    tc_seg(&conv, 1, KN_TH_ACK | KN_TH_PSH, buf, n);
    ck_assert_int_eq(nseen, 2);
    ck_assert_str_eq(seen[0].qname, "one.example");
    ck_assert_str_eq(seen[1].qname, "two.example");
    ck_assert_int_eq(seen[1].qtype, 28);
    ck_assert_int_eq(seen[1].tx_id, 1);
}
END_TEST

/* ---- anomalies and keywords ----------------------------------------------------------------- */

START_TEST(header_anomalies)
{
    msg_t q;

    query(&q, 1, "z.example", 1);
    q.b[3] |= 0x40; /* Z */
    udp_feed(eng, &now, CLI, 40040, SRV, 53, q.b, q.len);
    ck_assert_int_eq(nseen, 1);
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_DNS_Z_FLAG_SET));
    ck_assert_ptr_nonnull(strstr(seen[0].eve, "\"z\":true"));
    /* a response from the client of an established flow is not a request */
    a_response(&q, 1, "z.example", 0);
    udp_feed(eng, &now, CLI, 40040, SRV, 53, q.b, q.len);
    ck_assert_int_eq(nseen, 1);
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_DNS_NOT_A_REQUEST));
    /* and a query from the server is not a response (but it is logged) */
    query(&q, 2, "z.example", 1);
    udp_feed(eng, &now, SRV, 53, CLI, 40040, q.b, q.len);
    ck_assert_int_eq(nseen, 2);
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_DNS_NOT_A_RESPONSE));
}
END_TEST

START_TEST(long_names)
{
    msg_t q;
    char name[700];
    int i;

    /* 130 labels of 3 characters: 520 octets on the wire, over RFC 1035's 255 */
    for (i = 0; i < 130; i++)
        memcpy(name + 4 * i, "abc.", 4);
    name[4 * 130 - 1] = '\0';
    query(&q, 1, name, 1);
    udp_feed(eng, &now, CLI, 40050, SRV, 53, q.b, q.len);
    ck_assert_int_eq(nseen, 1);
    ck_assert(collect_has_anomaly(col, KN_ANOM_APP_DNS_NAME_TOO_LONG));
    ck_assert_int_eq((int)strlen(seen[0].qname), 299); /* our copy's cap; the name is 519 */
    /* 300 one-character labels: past the label limit */
    for (i = 0; i < 300; i++)
        memcpy(name + 2 * i, "a.", 2);
    name[599] = '\0';
    query(&q, 2, name, 1);
    udp_feed(eng, &now, CLI, 40051, SRV, 53, q.b, q.len);
    ck_assert_int_eq(nseen, 1); /* too many labels, no pointer: the message cannot be walked */
    /* the same labels in an established flow, behind a pointer: cut, flagged, and kept */
    {
        msg_t r;
        size_t at;
        query(&q, 3, "ok.example", 1);
        udp_feed(eng, &now, CLI, 40052, SRV, 53, q.b, q.len);
        m_hdr(&r, 3, 0x8180, 1, 1, 0, 0);
        m_question(&r, "ok.example", 1);
        at = r.len + 12; /* where the CNAME's rdata starts */
        m_be16(&r, 0xC00C), m_be16(&r, 5), m_be16(&r, 1), m_be32(&r, 9);
        m_be16(&r, 2);
        m_be16(&r, (uint16_t)(0xC000 | (at + 2))); /* rdata: a pointer to the labels below */
        for (i = 0; i < 300; i++)
            m_u8(&r, 1), m_u8(&r, 'a');
        m_u8(&r, 0);
        /* one answer: the labels after it are bytes only its pointer refers to */
        udp_feed(eng, &now, SRV, 53, CLI, 40052, r.b, r.len);
        ck_assert(collect_has_anomaly(col, KN_ANOM_APP_DNS_TOO_MANY_LABELS));
        ck_assert_int_eq(nseen, 3);
        ck_assert_int_eq(seen[2].n_answers, 1);
    }
}
END_TEST

START_TEST(keywords_and_query_buffer)
{
    msg_t q, r;

    start_rules("alert dns any any -> any any (dns.query; content:\"evil\"; sid:1;)\n"
                "alert dns any any -> any any (dns.opcode:0; flow:to_server; sid:2;)\n"
                "alert dns any any -> any any (dns.rrtype:AAAA; sid:3;)\n"
                "alert dns any any -> any any (dns.rrtype:!28; sid:4;)\n"
                "alert dns any any -> any any (dns.rcode:3; sid:5;)\n"
                "alert dns any any -> any any (dns.rcode:NXDOMAIN; sid:6;)\n"
                "alert dns any any -> any any (dns.opcode:!0; sid:7;)\n"
                "alert dns any any -> any any (dns_query; content:\"good\"; sid:8;)\n"
                "alert dns any any -> any any (dns.rcode:NOERROR-notimp; sid:9;)\n"
                "alert dns any any -> any any (dns.rcode:>=REFUSED; sid:10;)\n"
                "alert dns any any -> any any (dns.rrtype:NS-CNAME; sid:11;)\n"
                "alert dns any any -> any any (dns.rrtype:>=AAAA; sid:12;)\n");
    query(&q, 1, "www.evil.example", 28);
    r.len = 0;
    m_hdr(&r, 1, 0x8183, 1, 0, 0, 0);
    m_question(&r, "www.evil.example", 28);
    udp_feed(eng, &now, CLI, 40060, SRV, 53, q.b, q.len);
    udp_feed(eng, &now, SRV, 53, CLI, 40060, r.b, r.len);
    ck_assert_int_eq(nseen, 2);
    ck_assert_int_eq(collect_alerts(col, 1), 1); /* the query buffer is the request's */
    ck_assert_int_eq(collect_alerts(col, 2), 1);
    ck_assert_int_eq(collect_alerts(col, 3), 2); /* request and response ask AAAA */
    ck_assert_int_eq(collect_alerts(col, 4), 0);
    ck_assert_int_eq(collect_alerts(col, 5), 1);
    ck_assert_int_eq(collect_alerts(col, 6), 1);
    ck_assert_int_eq(collect_alerts(col, 7), 0);
    ck_assert_int_eq(collect_alerts(col, 8), 0);
    /* named ranges (bounds excluded): NXDOMAIN (3) lies in NOERROR-NOTIMP, the query's 0
     * does not; AAAA (28) is not between NS and CNAME but is >= AAAA, both ways */
    ck_assert_int_eq(collect_alerts(col, 9), 1);
    ck_assert_int_eq(collect_alerts(col, 10), 0);
    ck_assert_int_eq(collect_alerts(col, 11), 0);
    ck_assert_int_eq(collect_alerts(col, 12), 2);
}
END_TEST

Suite *suite_app_dns(void)
{
    Suite *s = suite_create("app_dns");
    TCase *tc = tcase_create("app_dns");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, udp_a_query_and_response);
    tcase_add_test(tc, nxdomain_rcode);
    tcase_add_test(tc, compression_pointers);
    tcase_add_test(tc, compression_loop);
    tcase_add_test(tc, truncated_at_every_length);
    tcase_add_test(tc, non_dns_on_port_53_is_not_claimed);
    tcase_add_test(tc, sibling_protocols_are_not_claimed);
    tcase_add_test(tc, dns_on_another_port_is_claimed);
    tcase_add_test(tc, rdata_as_eve_writes_it);
    tcase_add_test(tc, tcp_split_at_every_byte);
    tcase_add_test(tc, tcp_two_messages_in_one_segment);
    tcase_add_test(tc, header_anomalies);
    tcase_add_test(tc, long_names);
    tcase_add_test(tc, keywords_and_query_buffer);
    suite_add_tcase(s, tc);
    return s;
}
