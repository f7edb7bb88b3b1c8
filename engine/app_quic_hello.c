/* app_quic_hello.c: the TLS hello a QUIC Initial carries (RFC 9001 4.1.3), as Suricata 7's QUIC
 * logger reports it.
 *
 * A ClientHello (RFC 8446 4.1.2) or ServerHello (4.1.3) gives the SNI (RFC 6066 3), the
 * extension list in wire order with values for server_name, alpn (RFC 7301 3.1),
 * supported_versions and signature_algorithms, a JA3 (or JA3S) string over every value as
 * sent, GREASE included, the way Suricata's QUIC code builds it, and for a ClientHello the JA4
 * with 'q' for QUIC, computed by app_tls_fp.c from the GREASE-free lists that tls_hello.c, which
 * also walks the hello for this file, collects. All the text lives in one
 * owned buffer; the extension and value arrays point into it. */
#include "app_quic_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_tls_private.h"
#include "hexfmt.h"
#include "cursor.h"

#define HS_CLIENT_HELLO 1
#define HS_SERVER_HELLO 2
#define MAX_EXTS 128
#define MAX_VALUES 512

typedef struct span {
    size_t off, len;
} span_t;

/* What is collected while walking the hello; turned into kn_quic_hello_t at the end. */
typedef struct builder {
    int client;
    kn_tls_sb_t text, ja3;
    kn_tls_sb_t groups, pf; /* the JA3 fields after the extension list */
    struct { uint16_t type, first, n; } ext[MAX_EXTS];
    span_t val[MAX_VALUES];
    unsigned n_exts, n_vals;
    int have_sni;
    span_t sni;
    kn_tls_chfp_t *fp; /* ClientHello only: the JA4 input */
} builder_t;

static void sb_num(kn_tls_sb_t *s, unsigned v, int dash)
{
    char num[12];

    snprintf(num, sizeof(num), "%s%u", dash ? "-" : "", v);
    kn_tls_sb_str(s, num);
}

/* One value of the current extension, copied into the text. */
static void add_value(builder_t *b, const void *p, size_t n)
{
    if (b->n_vals >= MAX_VALUES || !b->n_exts)
        return;
    b->val[b->n_vals].off = b->text.len;
    b->val[b->n_vals].len = n;
    kn_tls_sb_add(&b->text, p, n);
    b->n_vals++;
    b->ext[b->n_exts - 1].n++;
}

/* tls-parser's names of TLS versions, which Suricata writes for supported_versions. */
static void add_version(builder_t *b, uint16_t v)
{
    static const struct { uint16_t v; const char *name; } names[] = {
        {0x0300, "Ssl30"}, {0x0301, "Tls10"}, {0x0302, "Tls11"}, {0x0303, "Tls12"},
        {0x0304, "Tls13"}, {0xfeff, "DTls10"}, {0xfefe, "DTls11"}, {0xfefd, "DTls12"}};
    char buf[40];
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].v == v) {
            add_value(b, names[i].name, strlen(names[i].name));
            return;
        }
    if (v >= 0x7f12 && v <= 0x7f1c) /* Tls13Draft18 .. Tls13Draft28 */
        snprintf(buf, sizeof(buf), "Tls13Draft%u", v - 0x7f00u);
    else
        snprintf(buf, sizeof(buf), "TlsVersion(%u / 0x%x)", v, v);
    add_value(b, buf, strlen(buf));
}

/* RFC 6066 3: ServerNameList; every name is a value, the first is the SNI. */
static void ext_sni(builder_t *b, kn_cursor_t *c)
{
    kn_cursor_t l;
    uint16_t len;
    uint8_t type;
    const uint8_t *name;

    kn_tls_list(c, 2, &l);
    while (kn_tls_name_next(&l, &type, &name, &len) == 1) {
        if (!b->have_sni && b->n_vals < MAX_VALUES) {
            b->have_sni = 1;
            b->sni.off = b->text.len;
            b->sni.len = len;
        }
        add_value(b, name, len);
    }
}

/* RFC 7301 3.1: ProtocolNameList. */
static void ext_alpn(builder_t *b, kn_cursor_t *c)
{
    kn_cursor_t l;
    const uint8_t *name;
    uint8_t len;

    kn_tls_list(c, 2, &l);
    while (kn_tls_alpn_next(&l, &name, &len))
        add_value(b, name, len);
}

/* A list of 16-bit values after a length of lenbytes bytes, as text where Suricata has it. */
static void u16_list(builder_t *b, kn_cursor_t *c, int lenbytes, int ext)
{
    kn_cursor_t l;
    uint16_t v;
    char num[8];

    kn_tls_list(c, lenbytes, &l);
    while (kn_tls_u16_next(&l, &v)) {
        if (ext == KN_TLS_EXT_SUPPORTED_GROUPS) {
            sb_num(&b->groups, v, b->groups.len > 0);
        } else if (ext == KN_TLS_EXT_SIGNATURE_ALGORITHMS) {
            snprintf(num, sizeof(num), "%u", v);
            add_value(b, num, strlen(num));
        } else {
            add_version(b, v);
        }
    }
}

static void extension(builder_t *b, uint16_t type, kn_cursor_t *c)
{
    kn_cursor_t l;
    unsigned i = 0;

    switch (type) {
    case KN_TLS_EXT_SERVER_NAME: ext_sni(b, c); break;
    case KN_TLS_EXT_ALPN: ext_alpn(b, c); break;
    case KN_TLS_EXT_SUPPORTED_GROUPS:
        if (b->client)
            u16_list(b, c, 2, type);
        break;
    case KN_TLS_EXT_SIGNATURE_ALGORITHMS: u16_list(b, c, 2, type); break;
    case KN_TLS_EXT_SUPPORTED_VERSIONS:
        if (b->client)
            u16_list(b, c, 1, type);
        else if (kn_cur_left(c) >= 2) /* the ServerHello names one */
            add_version(b, kn_cur_be16(c));
        break;
    case KN_TLS_EXT_EC_POINT_FORMATS:
        kn_tls_list(c, 1, &l);
        while (b->client && kn_cur_left(&l)) /* no '-' between two such extensions */
            sb_num(&b->pf, kn_cur_u8(&l), i++ > 0);
        break;
    default: break;
    }
}

/* The extension block must parse whole (as tls-parser requires) to be reported at all. */
static void extensions(builder_t *b, const uint8_t *p, size_t n)
{
    kn_cursor_t c, body;
    uint16_t type;
    unsigned k = 0;

    if (!p || !kn_tls_exts_valid(p, n))
        return;
    kn_cur_init(&c, p, n);
    while (kn_tls_ext_next(&c, &type, &body) == 1) {
        sb_num(&b->ja3, type, k++ > 0);
        if (b->fp)
            kn_tls_fp_ext(b->fp, type, body);
        if (b->n_exts < MAX_EXTS) {
            b->ext[b->n_exts].type = type;
            b->ext[b->n_exts].first = (uint16_t)b->n_vals;
            b->ext[b->n_exts++].n = 0;
        }
        extension(b, type, &body);
    }
    if (b->client) {
        kn_tls_sb_str(&b->ja3, ",");
        if (b->groups.len)
            kn_tls_sb_add(&b->ja3, b->groups.p, b->groups.len);
        kn_tls_sb_str(&b->ja3, ",");
        if (b->pf.len)
            kn_tls_sb_add(&b->ja3, b->pf.p, b->pf.len);
    }
}

/* Suricata's QUIC JA3 keeps every value as sent, GREASE included. */
static int hello_fields(builder_t *b, const uint8_t *body, uint32_t n, uint16_t *legacy)
{
    kn_tls_hello_t h;
    uint16_t i;

    if (kn_tls_hello_parse(body, n, b->client, &h))
        return -1;
    *legacy = h.version;
    sb_num(&b->ja3, h.version, 0);
    kn_tls_sb_str(&b->ja3, ",");
    for (i = 0; i + 1 < h.ciphers_len; i += 2)
        sb_num(&b->ja3, kn_rd_be16(h.ciphers + i), i > 0);
    kn_tls_sb_str(&b->ja3, ",");
    if (b->fp)
        kn_tls_fp_ciphers(b->fp, &h);
    extensions(b, h.exts, h.exts_len);
    return 0;
}

static kn_str_t span_str(const char *base, span_t s)
{
    kn_str_t r = {(const uint8_t *)base + s.off, (uint32_t)s.len};

    return r;
}

/* Moves what b collected into h. Returns -1 when memory ran out. */
static int finish(builder_t *b, kn_quic_hello_t *h)
{
    unsigned i;

    kn_tls_sb_str(&b->text, ""); /* allocated even when empty */
    h->exts = calloc(b->n_exts ? b->n_exts : 1, sizeof(*h->exts));
    h->values = calloc(b->n_vals ? b->n_vals : 1, sizeof(*h->values));
    if (b->text.oom || b->ja3.oom || !h->exts || !h->values ||
        kn_digest_hex(EVP_md5(), b->ja3.p ? b->ja3.p : "", b->ja3.len, 0, 0, h->ja3_md5))
        return -1;
    h->text = b->text.p;
    b->text.p = NULL;
    for (i = 0; i < b->n_vals; i++)
        h->values[i] = span_str(h->text, b->val[i]);
    for (i = 0; i < b->n_exts; i++) {
        h->exts[i].type = b->ext[i].type;
        h->exts[i].n_values = b->ext[i].n;
        h->exts[i].values = b->ext[i].n ? h->values + b->ext[i].first : NULL;
    }
    h->n_exts = (uint16_t)b->n_exts;
    h->n_values = (uint16_t)b->n_vals;
    if (b->have_sni)
        h->sni = span_str(h->text, b->sni);
    h->ja3_text = b->ja3.p;
    b->ja3.p = NULL;
    h->ja3.p = (const uint8_t *)h->ja3_text;
    h->ja3.len = (uint32_t)b->ja3.len;
    h->ja3_hash.p = (const uint8_t *)h->ja3_md5;
    h->ja3_hash.len = 32;
    h->mem = b->text.cap + b->ja3.cap + b->n_exts * sizeof(*h->exts) +
             b->n_vals * sizeof(*h->values);
    return 0;
}

int kn_quic_hello_parse(const uint8_t *msg, uint32_t len, kn_quic_hello_t *h)
{
    builder_t *b;
    uint16_t legacy = 0;
    uint32_t blen;
    int rc = -1;

    memset(h, 0, sizeof(*h));
    if (len < 4 || (msg[0] != HS_CLIENT_HELLO && msg[0] != HS_SERVER_HELLO))
        return len < 4 ? -1 : 1;
    blen = kn_rd_be24(msg + 1);
    if (blen > len - 4 || !(b = calloc(1, sizeof(*b))))
        return -1;
    b->client = h->client = msg[0] == HS_CLIENT_HELLO;
    if ((!b->client || (b->fp = calloc(1, sizeof(*b->fp)))) &&
        !hello_fields(b, msg + 4, blen, &legacy) && !finish(b, h)) {
        if (b->fp)
            kn_tls_ja4('q', legacy, b->fp, h->ja4);
        rc = 0;
    }
    free(b->text.p);
    free(b->ja3.p);
    free(b->groups.p);
    free(b->pf.p);
    free(b->fp);
    free(b);
    if (rc)
        kn_quic_hello_free(h);
    return rc;
}

void kn_quic_hello_free(kn_quic_hello_t *h)
{
    free(h->exts);
    free(h->values);
    free(h->text);
    free(h->ja3_text);
    memset(h, 0, sizeof(*h));
}

const char *kn_quic_ext_name(unsigned type)
{
    static const char *const names[] = {
        "server_name", "max_fragment_length", "client_certificate_url", "trusted_ca_keys",
        "truncated_hmac", "status_request", "user_mapping", "client_authz", "server_authz",
        "cert_type", "supported_groups", "ec_point_formats", "srp", "signature_algorithms",
        "use_srtp", "heartbeat", "alpn", "status_request_v2", "signed_certificate_timestamp",
        "client_certificate_type", "server_certificate_type", "padding", "encrypt_then_mac",
        "extended_master_secret", "token_binding", "cached_info", "tls_lts",
        "compress_certificate", "record_size_limit", "pwd_protect", "pwd_clear",
        "password_salt", "ticket_pinning", "tls_cert_with_extern_psk", "delegated_credentials",
        "session_ticket", "tlmsp", "tlmsp_proxying", "tlmsp_delegate", "supported_ekt_ciphers",
        NULL, "pre_shared_key", "early_data", "supported_versions", "cookie",
        "psk_key_exchange_modes", NULL, "certificate_authorities", "oid_filters",
        "post_handshake_auth", "signature_algorithms_cert", "key_share", "transparency_info",
        "connection_id_deprecated", "connection_id", "external_id_hash", "external_session_id",
        "quic_transport_parameters", "ticket_request", "dnssec_chain"};

    if (type < sizeof(names) / sizeof(names[0]))
        return names[type];
    if (type == 13172)
        return "next_protocol_negotiation";
    if (type == 65281)
        return "renegotiation_info";
    return NULL;
}
