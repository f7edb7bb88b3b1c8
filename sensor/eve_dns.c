/* eve_dns.c: the "dns" object of an eve event from a kn_dns_info_t, in Suricata 8's version 3
 * layout (the same object in dns events and in alerts): header fields, "queries", "answers"
 * with "grouped", "authorities" and "additionals". As Suricata does, a TXT record with several
 * strings is one entry per string, names are written as raw bytes (UTF-8 when they are, bytes
 * above 0x7f as "\xNN" text otherwise), and types Suricata does not decode carry no rdata. */
#include "eve_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

#define MAX_GROUPS 16

static void add(json_object *o, const char *k, json_object *v)
{
    json_object_object_add_ex(o, k, v, NEW_KEY);
}

static void add_u(json_object *o, const char *k, uint64_t v)
{
    add(o, k, json_object_new_int64((int64_t)v));
}

/* "A", or the number as text when Suricata has no name. buf: 8 bytes. */
static const char *type_text(uint16_t t, char *buf)
{
    const char *n = kn_dns_rrtype_name(t);

    if (n)
        return n;
    snprintf(buf, 8, "%u", t);
    return buf;
}

static json_object *soa_object(const kn_dns_rr_t *r)
{
    json_object *o = json_object_new_object();
    static const char *const keys[5] = {"serial", "refresh", "retry", "expire", "minimum"};
    int i;

    add(o, "mname", kn_eve_bytes(r->rdata));
    if (r->rdata_truncated)
        add(o, "mname_truncated", json_object_new_boolean(1));
    add(o, "rname", kn_eve_bytes(r->rdata2));
    for (i = 0; i < 5; i++)
        add_u(o, keys[i], r->num[i]);
    return o;
}

static json_object *srv_object(const kn_dns_rr_t *r)
{
    json_object *o = json_object_new_object();

    add_u(o, "priority", r->num[0]);
    add_u(o, "weight", r->num[1]);
    add_u(o, "port", r->num[2]);
    add(o, "name", kn_eve_bytes(r->rdata));
    return o;
}

static json_object *sshfp_object(const kn_dns_rr_t *r)
{
    json_object *o = json_object_new_object();

    add(o, "fingerprint", kn_eve_hex(r->rdata.p, r->rdata.len, ':'));
    add_u(o, "algo", r->num[0]);
    add_u(o, "type", r->num[1]);
    return o;
}

/* EDNS options (RFC 6891 6.1.2): code, length, data; each as {"code", "data" in hex}. */
static json_object *opt_array(const kn_dns_rr_t *r)
{
    json_object *a = json_object_new_array();
    const uint8_t *p = r->rdata.p;
    uint32_t off = 0, n;

    while (r->rdata.len - off >= 4) {
        json_object *o = json_object_new_object();
        n = kn_rd_be16(p + off + 2);
        if (n > r->rdata.len - off - 4)
            n = r->rdata.len - off - 4;
        add_u(o, "code", kn_rd_be16(p + off));
        add(o, "data", kn_eve_hex(p + off + 4, n, 0));
        json_object_array_add(a, o);
        off += 4 + n;
    }
    return a;
}

/* The TXT strings of r, one at a time: *at walks the wire form. 0 when none is left. */
static int next_txt(const kn_dns_rr_t *r, uint32_t *at, const uint8_t **s, uint32_t *n)
{
    if (*at >= r->rdata.len)
        return 0;
    *n = r->rdata.p[*at];
    if (*n > r->rdata.len - *at - 1)
        return 0;
    *s = r->rdata.p + *at + 1;
    *at += 1 + *n;
    return 1;
}

/* One detailed entry; txt: the string of a TXT record this entry carries. marks: write the
 * *_truncated flags (the schema has them for authorities only, though Suricata 8 writes them in
 * every section). */
static json_object *rr_object(const kn_dns_rr_t *r, const uint8_t *txt, uint32_t txt_len,
                              int marks)
{
    json_object *o = json_object_new_object();
    char tb[8];

    add(o, "rrname", kn_eve_bytes(r->name));
    if (r->name_truncated && marks)
        add(o, "rrname_truncated", json_object_new_boolean(1));
    add(o, "rrtype", json_object_new_string(type_text(r->type, tb)));
    add_u(o, "ttl", r->ttl);
    switch (r->kind) {
    case KN_DNS_RD_TEXT:
        add(o, "rdata", kn_eve_bytes(r->rdata));
        if (r->rdata_truncated && marks)
            add(o, "rdata_truncated", json_object_new_boolean(1));
        break;
    case KN_DNS_RD_TXT: add(o, "rdata", kn_eve_bytes((kn_str_t){txt, txt_len})); break;
    case KN_DNS_RD_SOA: add(o, "soa", soa_object(r)); break;
    case KN_DNS_RD_SRV: add(o, "srv", srv_object(r)); break;
    case KN_DNS_RD_SSHFP: add(o, "sshfp", sshfp_object(r)); break;
    case KN_DNS_RD_OPT: add(o, "opt", opt_array(r)); break;
    default: break;
    }
    return o;
}

/* A section's entries into array a (a TXT record gives one entry per string). */
static void section_into(json_object *a, const kn_dns_rr_t *rr, uint16_t n, int additionals,
                         int marks)
{
    uint16_t i;
    uint32_t at, len;
    const uint8_t *s;

    for (i = 0; i < n; i++) {
        const kn_dns_rr_t *r = &rr[i];
        if (additionals && r->kind == KN_DNS_RD_OPT && !r->rdata.len)
            continue;
        if (r->kind != KN_DNS_RD_TXT) {
            json_object_array_add(a, rr_object(r, NULL, 0, marks));
            continue;
        }
        for (at = 0; next_txt(r, &at, &s, &len);)
            json_object_array_add(a, rr_object(r, s, len, marks));
    }
}

/* The array under "grouped" for r's type, created in the order types first appear. */
static json_object *group_of(json_object *grouped, const kn_dns_rr_t *r)
{
    char tb[8];
    const char *k = type_text(r->type, tb);
    json_object *a;

    if (json_object_object_get_ex(grouped, k, &a))
        return a;
    a = json_object_new_array();
    json_object_object_add(grouped, k, a);
    return a;
}

/* Answers by type (Suricata's "grouped" format, which it writes beside the detailed one). */
static json_object *grouped_object(const kn_dns_info_t *in)
{
    json_object *g = json_object_new_object();
    uint16_t i;
    uint32_t at, len;
    const uint8_t *s;

    for (i = 0; i < in->n_answers; i++) {
        const kn_dns_rr_t *r = &in->answers[i];
        switch (r->kind) {
        case KN_DNS_RD_TEXT:
            json_object_array_add(group_of(g, r), kn_eve_bytes(r->rdata));
            break;
        case KN_DNS_RD_TXT:
            for (at = 0; next_txt(r, &at, &s, &len);)
                json_object_array_add(group_of(g, r), kn_eve_bytes((kn_str_t){s, len}));
            break;
        case KN_DNS_RD_SOA: json_object_array_add(group_of(g, r), soa_object(r)); break;
        case KN_DNS_RD_SRV: json_object_array_add(group_of(g, r), srv_object(r)); break;
        case KN_DNS_RD_SSHFP: json_object_array_add(group_of(g, r), sshfp_object(r)); break;
        default: break;
        }
    }
    return g;
}

static void add_header(json_object *o, const kn_dns_info_t *in)
{
    static const struct {
        uint16_t bit;
        const char *key;
    } bits[] = {{0x8000, "qr"}, {0x0400, "aa"}, {0x0200, "tc"}, {0x0100, "rd"}, {0x0080, "ra"},
                {0x0040, "z"}};
    const char *rc = kn_dns_rcode_name(in->rcode);
    char buf[8];
    size_t i;

    add_u(o, "version", 3);
    add(o, "type", json_object_new_string(in->is_response ? "response" : "request"));
    add_u(o, "tx_id", in->tx_id);
    add_u(o, "id", in->id);
    snprintf(buf, sizeof(buf), "%x", in->flags);
    add(o, "flags", json_object_new_string(buf));
    for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (in->flags & bits[i].bit)
            add(o, bits[i].key, json_object_new_boolean(1));
    add_u(o, "opcode", in->opcode);
    if (!rc) {
        snprintf(buf, sizeof(buf), "%u", in->rcode);
        rc = buf;
    }
    add(o, "rcode", json_object_new_string(rc));
}

/* A non-empty section as an array under key (the schema wants at least one item). */
static void add_section(json_object *o, const char *key, const kn_dns_rr_t *rr, uint16_t n,
                        int additionals, int marks)
{
    json_object *a;

    if (!n)
        return;
    a = json_object_new_array();
    section_into(a, rr, n, additionals, marks);
    if (json_object_array_length(a))
        add(o, key, a);
    else
        json_object_put(a);
}

static json_object *queries_array(const kn_dns_info_t *in)
{
    json_object *a = json_object_new_array();
    char tb[8];
    uint16_t i;

    for (i = 0; i < in->n_queries; i++) {
        const kn_dns_rr_t *q = &in->queries[i];
        json_object *o = json_object_new_object();
        add(o, "rrname", kn_eve_bytes(q->name));
        add(o, "rrtype", json_object_new_string(type_text(q->type, tb)));
        if (q->name_truncated)
            add(o, "rrname_truncated", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

json_object *kn_eve_dns_object(kn_eve_t *e, const kn_dns_info_t *in)
{
    json_object *o = json_object_new_object();

    (void)e;
    add_header(o, in);
    if (in->n_queries)
        add(o, "queries", queries_array(in));
    add_section(o, "answers", in->answers, in->n_answers, 0, 0);
    if (in->n_answers)
        add(o, "grouped", grouped_object(in));
    add_section(o, "authorities", in->authorities, in->n_authorities, 0, 1);
    add_section(o, "additionals", in->additionals, in->n_additionals, 1, 0);
    return o;
}
