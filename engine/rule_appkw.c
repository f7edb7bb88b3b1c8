/* rule_appkw.c: the app-layer conditions of a rule (tls.version, ssl_version, ssl_state,
 * dns.opcode/rcode/rrtype, urilen, the TLS certificate tests and the file keywords).
 *
 * Each value is parsed once, when the rule loads, into the typed fields of kn_appkw_t (sig.h):
 * numbers and ranges into a kn_num_t (DNS code and type names become their numbers first, so a
 * named range works like a numeric one), name lists into bit masks, hash lists into a sorted
 * array. What Suricata 7 rejects fails the rule here, naming the value; the parsers then only
 * compare numbers and bits. The tests on the TLS masks are here too, beside their parsing. */
#include "rule_private.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appinfo.h"
#include "hexfmt.h"

#define HASH_MAX 32u /* sha256 */

/* A new condition of kind on the rule: a '!' before val is taken off into neg, the rest kept
 * in arg. NULL (ps->err set) when the rule has too many or memory is short. */
static kn_appkw_t *add_cond(kn_rparse_t *ps, int kind, const char **val)
{
    kn_sig_t *s = ps->s;
    kn_appkw_t *na, *a;

    if (kn_kw_full(ps, s->napp, UINT8_MAX, "app-layer conditions"))
        return NULL;
    if (!(na = realloc(s->appkw, (s->napp + 1u) * sizeof(*na)))) {
        kn_kw_fail(ps, "out of memory");
        return NULL;
    }
    s->appkw = na;
    a = &na[s->napp];
    memset(a, 0, sizeof(*a));
    a->kind = (uint8_t)kind;
    if (*val && **val == '!')
        a->neg = 1, (*val)++;
    if (*val && !(a->arg = strdup(*val))) {
        kn_kw_fail(ps, "out of memory");
        return NULL;
    }
    a->arg_len = a->arg ? (uint32_t)strlen(a->arg) : 0;
    s->napp++; /* counted at once so that kn_sig_free frees what it holds */
    s->flags |= KN_SIGF_NEEDS_APP;
    return a;
}

static int bad(kn_rparse_t *ps, const char *val, const char *expected)
{
    return kn_kw_fail(ps, "bad value '%.60s': expected %s", val, expected);
}

/* ---- numbers ---------------------------------------------------------------------------- */

static int add_num(kn_rparse_t *ps, int kind, const char *val, uint64_t max, const char *what)
{
    kn_appkw_t *a = add_cond(ps, kind, &val);

    if (!a)
        return KN_KW_FAIL;
    if (kn_parse_num(val, max, &a->num))
        return bad(ps, val, what);
    return KN_KW_OK;
}

static int kw_dns_opcode(kn_rparse_t *ps, const char *val)
{
    return add_num(ps, KN_AK_DNS_OPCODE, val, 255, "a number 0-255 or a comparison");
}

static int kw_cert_chain_len(kn_rparse_t *ps, const char *val)
{
    return add_num(ps, KN_AK_TLS_CERT_CHAIN_LEN, val, 255, "a number 0-255 or a comparison");
}

/* Copies in to out with every name (a letter, then letters and digits) replaced by its number
 * from lookup; -1 with the name in bad_name when one is unknown, or the whole text when out is
 * too small. */
static int names_to_numbers(const char *in, char *out, size_t cap, int (*lookup)(const char *),
                            char *bad_name, size_t bad_cap)
{
    size_t w = 0, n;
    const char *p = in;
    char item[32];

    while (*p) {
        n = 1;
        snprintf(item, sizeof(item), "%c", *p);
        if (isalpha((unsigned char)*p) && (p == in || !isalnum((unsigned char)p[-1]))) {
            int v;
            while (isalnum((unsigned char)p[n]))
                n++;
            snprintf(bad_name, bad_cap, "%.*s", (int)n, p);
            if (n >= sizeof(item) - 1 || (v = lookup(bad_name)) < 0)
                return -1;
            snprintf(item, sizeof(item), "%d", v);
        }
        if (w + strlen(item) >= cap) {
            snprintf(bad_name, bad_cap, "%s", in);
            return -1;
        }
        memcpy(out + w, item, strlen(item));
        w += strlen(item);
        p += n;
    }
    out[w] = '\0';
    return 0;
}

/* dns.rcode and dns.rrtype: numbers or Suricata's names ("NXDOMAIN", "AAAA"), any case, alone
 * or in a comparison or range ("NOERROR-NXDOMAIN"). */
static int add_dns_code(kn_rparse_t *ps, int kind, const char *val, uint64_t max,
                        int (*lookup)(const char *), const char *what)
{
    char nums[96], name[64];
    kn_appkw_t *a = add_cond(ps, kind, &val);

    if (!a)
        return KN_KW_FAIL;
    if (names_to_numbers(val, nums, sizeof(nums), lookup, name, sizeof(name)))
        return kn_kw_fail(ps, "bad value '%.60s': '%s' is not %s", val, name, what);
    if (kn_parse_num(nums, max, &a->num))
        return bad(ps, val, max == 255 ? "a number 0-255, a name or a comparison of them"
                                       : "a number 0-65535, a name or a comparison of them");
    return KN_KW_OK;
}

static int kw_dns_rcode(kn_rparse_t *ps, const char *val)
{
    return add_dns_code(ps, KN_AK_DNS_RCODE, val, 255, kn_dns_rcode_value, "a response code");
}

static int kw_dns_rrtype(kn_rparse_t *ps, const char *val)
{
    return add_dns_code(ps, KN_AK_DNS_RRTYPE, val, 65535, kn_dns_rrtype_value, "a record type");
}

/* urilen:[<|>]N[<>M][,norm|raw]: Suricata reads a 16-bit number. */
static int kw_urilen(kn_rparse_t *ps, const char *val)
{
    char buf[64], *comma, *mod;
    kn_appkw_t *a = add_cond(ps, KN_AK_URILEN, &val);

    if (!a)
        return KN_KW_FAIL;
    snprintf(buf, sizeof(buf), "%s", val);
    if ((comma = strchr(buf, ','))) {
        *comma = '\0';
        mod = kn_trim(comma + 1);
        if (!strcmp(mod, "raw"))
            a->raw = 1;
        else if (strcmp(mod, "norm"))
            return bad(ps, val, "a length, then optionally ',raw' or ',norm'");
    }
    if (strlen(val) >= sizeof(buf) || kn_parse_num(buf, 65535, &a->num))
        return bad(ps, val, "a length 0-65535 or a comparison");
    return KN_KW_OK;
}

/* filesize: a 64-bit number or comparison; a plain number may end in kb, mb or gb (powers of
 * 1024, any case), as Suricata's integer parser allows. */
static int kw_filesize(kn_rparse_t *ps, const char *val)
{
    static const struct { const char *unit; uint64_t mul; } units[] = {
        {"kb", 1u << 10}, {"mb", 1u << 20}, {"gb", 1u << 30}};
    char buf[64];
    size_t n, i;
    kn_appkw_t *a = add_cond(ps, KN_AK_FILE_SIZE, &val);

    if (!a)
        return KN_KW_FAIL;
    if (a->neg) { /* "!N" is Suricata's "not equal", which parse_num reads itself */
        val--;
        a->neg = 0;
    }
    n = strlen(val);
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (n > 2 && n < sizeof(buf) && !strcasecmp(val + n - 2, units[i].unit) &&
            isdigit((unsigned char)val[n - 3]) && isdigit((unsigned char)val[0])) {
            snprintf(buf, sizeof(buf), "%.*s", (int)(n - 2), val);
            if (kn_parse_num(buf, INT64_MAX / units[i].mul, &a->num) || a->num.cmp != KN_CMP_EQ)
                break;
            a->num.a *= units[i].mul;
            return KN_KW_OK;
        }
    if (kn_parse_num(val, INT64_MAX, &a->num))
        return bad(ps, val, "a size (N, Nkb, Nmb, Ngb) or a comparison such as >1000");
    return KN_KW_OK;
}

/* ---- TLS ------------------------------------------------------------------------------- */

/* tls.version:1.0|1.1|1.2|1.3|0xNNNN; "1.3" also matches the drafts (Suricata). */
static int kw_tls_version(kn_rparse_t *ps, const char *val)
{
    static const char *const names[] = {"1.0", "1.1", "1.2", "1.3"};
    char buf[32], *p, *end;
    unsigned long v;
    size_t i;
    kn_appkw_t *a;

    if (*val == '!')
        return bad(ps, val, "1.0, 1.1, 1.2, 1.3 or 0xNNNN (no negation)");
    if (!(a = add_cond(ps, KN_AK_TLS_VERSION, &val)))
        return KN_KW_FAIL;
    snprintf(buf, sizeof(buf), "%s", val);
    p = kn_trim(buf);
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(p, names[i])) {
            a->num.a = 0x0301 + i;
            a->num.b = i == 3; /* TLS 1.3 drafts (0x7fxx) count as 1.3 */
            return KN_KW_OK;
        }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
        v = strtoul(p + 2, &end, 16);
        if (!*end && v <= 0xffff) {
            a->num.a = v;
            return KN_KW_OK;
        }
    }
    return bad(ps, val, "1.0, 1.1, 1.2, 1.3 or 0xNNNN");
}

typedef struct named_bit {
    const char *name;
    uint8_t bit;
} named_bit_t;

static const named_bit_t ssl_versions[] = {
    {"sslv2", KN_SSLV_SSL2}, {"sslv3", KN_SSLV_SSL3}, {"tls1.0", KN_SSLV_TLS10},
    {"tls1.1", KN_SSLV_TLS11}, {"tls1.2", KN_SSLV_TLS12}, {"tls1.3", KN_SSLV_TLS13}, {NULL, 0}};

static const named_bit_t ssl_states[] = {
    {"client_hello", KN_SSLST_CLIENT_HELLO}, {"server_hello", KN_SSLST_SERVER_HELLO},
    {"client_keyx", KN_SSLST_CLIENT_KEYX}, {"server_keyx", KN_SSLST_SERVER_KEYX},
    {"unknown", KN_SSLST_UNKNOWN}, {NULL, 0}};

static int bit_of(const named_bit_t *t, const char *name, int nocase)
{
    for (; t->name; t++)
        if (nocase ? !strcasecmp(t->name, name) : !strcmp(t->name, name))
            return t->bit;
    return -1;
}

/* ssl_version:[!]name[,[!]name...], names in any case; empty items are skipped. Suricata
 * rejects plain and negated names together; a negated name never matches (Suricata 7 compares
 * the version with the listed ones and then inverts only for a listed one), so only the
 * plain names are kept. */
static int kw_ssl_version(kn_rparse_t *ps, const char *val)
{
    char buf[128], *save = NULL, *item;
    int bit, plain = 0, negated = 0;
    kn_appkw_t *a = add_cond(ps, KN_AK_SSL_VERSION, &val);

    if (!a)
        return KN_KW_FAIL;
    snprintf(buf, sizeof(buf), "%s%s", a->neg ? "!" : "", val);
    for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        int neg;
        item = kn_trim(item);
        if (!*item)
            continue;
        neg = *item == '!';
        if ((bit = bit_of(ssl_versions, kn_trim(item + neg), 1)) < 0)
            return bad(ps, val, "sslv2, sslv3, tls1.0, tls1.1, tls1.2 or tls1.3, ',' between");
        plain |= !neg;
        negated |= neg;
        if (!neg)
            a->mask |= (uint8_t)bit;
    }
    if (plain && negated)
        return kn_kw_fail(ps, "bad value '%.60s': plain and negated versions mixed", val);
    if (!plain && !negated)
        return bad(ps, val, "at least one version");
    return KN_KW_OK;
}

/* ssl_state:[!]name[|[!]name...] ('|' or ','), names as Suricata spells them (lower case). */
static int kw_ssl_state(kn_rparse_t *ps, const char *val)
{
    char buf[128];
    const char *p;
    kn_appkw_t *a = add_cond(ps, KN_AK_SSL_STATE, &val);

    if (!a)
        return KN_KW_FAIL;
    snprintf(buf, sizeof(buf), "%s%s", a->neg ? "!" : "", val);
    for (p = buf; ; p++) {
        char name[32];
        size_t n;
        int neg, bit;
        while (*p == ' ')
            p++;
        neg = *p == '!';
        p += neg;
        n = strcspn(p, "|,");
        snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) ? n : sizeof(name) - 1), p);
        if (n >= sizeof(name) || (bit = bit_of(ssl_states, kn_trim(name), 0)) < 0)
            return bad(ps, val, "client_hello, server_hello, client_keyx, server_keyx or "
                                "unknown, '|' between");
        a->mask |= (uint8_t)bit;
        a->nmask |= neg ? (uint8_t)bit : 0;
        p += n;
        if (!*p)
            break;
    }
    return KN_KW_OK; /* neg (the first name's '!') stays for the record: nmask has it */
}

static int kw_cert_expired(kn_rparse_t *ps, const char *val)
{
    return add_cond(ps, KN_AK_TLS_CERT_EXPIRED, &val) ? KN_KW_OK : KN_KW_FAIL;
}

static int kw_cert_valid(kn_rparse_t *ps, const char *val)
{
    return add_cond(ps, KN_AK_TLS_CERT_VALID, &val) ? KN_KW_OK : KN_KW_FAIL;
}

int kn_appkw_tls_version(const kn_appkw_t *kw, uint16_t version)
{
    return version == kw->num.a || (kw->num.b && (version >> 8) == 0x7f);
}

int kn_appkw_ssl_version(const kn_appkw_t *kw, uint16_t version)
{
    unsigned bit = 0;

    if (version == 0x0002)
        bit = KN_SSLV_SSL2;
    else if (version >= 0x0300 && version <= 0x0304)
        bit = KN_SSLV_SSL3 << (version - 0x0300);
    else if ((version >> 8) == 0x7f)
        bit = KN_SSLV_TLS13;
    return (kw->mask & bit) != 0;
}

/* Suricata: the listed states seen, inverted where listed with '!'. */
int kn_appkw_ssl_state(const kn_appkw_t *kw, unsigned seen)
{
    return ((kw->mask & seen) ^ kw->nmask) != 0;
}

/* ---- files ----------------------------------------------------------------------------- */

/* filename:"x" / fileext:"x": the text as written (quotes already off), kept in lower case:
 * Suricata compares both in any case. */
static int add_name(kn_rparse_t *ps, int kind, const char *val)
{
    kn_appkw_t *a = add_cond(ps, kind, &val);
    uint32_t i;

    if (!a)
        return KN_KW_FAIL;
    if (!a->arg_len)
        return bad(ps, val, "a non-empty name");
    for (i = 0; i < a->arg_len; i++)
        a->arg[i] = (char)tolower((unsigned char)a->arg[i]);
    return KN_KW_OK;
}

static int kw_filename(kn_rparse_t *ps, const char *val)
{
    return add_name(ps, KN_AK_FILE_NAME, val);
}

static int kw_fileext(kn_rparse_t *ps, const char *val)
{
    return add_name(ps, KN_AK_FILE_EXT, val);
}

unsigned kn_appkw_hash_len(int kind)
{
    switch (kind) {
    case KN_AK_FILE_MD5: return 16;
    case KN_AK_FILE_SHA1: return 20;
    case KN_AK_FILE_SHA256: return 32;
    default: return 0;
    }
}

static int hash_cmp(const void *x, const void *y, void *len)
{
    return memcmp(x, y, *(const unsigned *)len);
}

/* One line of a hash list: its leading hex digits, which must be the digest's 2 * hlen (a
 * line starting with anything else is skipped, as Suricata does). 1 stored, 0 skipped, -1
 * bad. */
static int hash_line(const char *line, size_t n, unsigned hlen, uint8_t *out)
{
    size_t digits = 0, i;

    while (digits < n && kn_hexval((uint8_t)line[digits]) >= 0)
        digits++;
    if (!digits)
        return 0;
    if (digits != 2u * hlen)
        return -1;
    for (i = 0; i < hlen; i++)
        out[i] = (uint8_t)(kn_hexval((uint8_t)line[2 * i]) << 4 |
                           kn_hexval((uint8_t)line[2 * i + 1]));
    return 1;
}

/* Fills a->hashes from the text of a list; a bad line fails with its number. */
static int hash_list(kn_rparse_t *ps, kn_appkw_t *a, const char *name, const char *text)
{
    unsigned hlen = kn_appkw_hash_len(a->kind);
    uint32_t cap = 0, lineno = 0;
    const char *p = text;

    while (*p) {
        size_t n = strcspn(p, "\r\n");
        int r;
        lineno++;
        if (a->nhashes == cap) {
            uint8_t *nh;
            cap = cap ? cap * 2 : 64;
            if (cap > (1u << 26) || !(nh = realloc(a->hashes, (size_t)cap * hlen)))
                return kn_kw_fail(ps, "hash list '%.100s': out of memory", name);
            a->hashes = nh;
        }
        if ((r = hash_line(p, n, hlen, a->hashes + (size_t)a->nhashes * hlen)) < 0)
            return kn_kw_fail(ps, "hash list '%.100s' line %u: expected %u hex digits", name,
                              lineno, 2 * hlen);
        a->nhashes += (uint32_t)r;
        p += n;
        p += *p == '\r' && p[1] == '\n' ? 2 : *p != '\0';
    }
    if (a->nhashes > 1)
        qsort_r(a->hashes, a->nhashes, hlen, hash_cmp, &hlen);
    return KN_KW_OK;
}

/* filemd5/filesha1/filesha256:[!]LIST: LIST is read through the rule set's reader (the sensor
 * looks in default-rule-path, then beside the rule file, as Suricata does). */
static int add_hashes(kn_rparse_t *ps, int kind, const char *val)
{
    char why[512] = "";
    char *text;
    int rc;
    kn_appkw_t *a;

    if (!ps->rs->reader)
        return kn_kw_unsupported(ps, "no reader for hash list files was given");
    if (!(a = add_cond(ps, kind, &val)))
        return KN_KW_FAIL;
    val = a->arg;
    while (*val == ' ')
        val++;
    if (!*val)
        return bad(ps, a->arg, "the name of a file of hashes");
    if (!(text = ps->rs->reader(ps->rs->reader_user, ps->rs->cur_file, val, why, sizeof(why))))
        return kn_kw_fail(ps, "cannot read hash list '%.100s': %.300s", val, why);
    rc = hash_list(ps, a, val, text);
    free(text);
    return rc;
}

static int kw_filemd5(kn_rparse_t *ps, const char *val)
{
    return add_hashes(ps, KN_AK_FILE_MD5, val);
}

static int kw_filesha1(kn_rparse_t *ps, const char *val)
{
    return add_hashes(ps, KN_AK_FILE_SHA1, val);
}

static int kw_filesha256(kn_rparse_t *ps, const char *val)
{
    return add_hashes(ps, KN_AK_FILE_SHA256, val);
}

const kn_keyword_t kn_appkw_keywords[] = {
    {"tls.version", kw_tls_version, KN_KWF_VALUE},
    {"ssl_version", kw_ssl_version, KN_KWF_VALUE},
    {"ssl_state", kw_ssl_state, KN_KWF_VALUE},
    {"dns.opcode", kw_dns_opcode, KN_KWF_VALUE},
    {"dns.rcode", kw_dns_rcode, KN_KWF_VALUE},
    {"dns.rrtype", kw_dns_rrtype, KN_KWF_VALUE},
    {"urilen", kw_urilen, KN_KWF_VALUE},
    {"filename", kw_filename, KN_KWF_VALUE},
    {"fileext", kw_fileext, KN_KWF_VALUE},
    {"filesize", kw_filesize, KN_KWF_VALUE},
    {"filemd5", kw_filemd5, KN_KWF_VALUE},
    {"filesha1", kw_filesha1, KN_KWF_VALUE},
    {"filesha256", kw_filesha256, KN_KWF_VALUE},
    {"tls_cert_expired", kw_cert_expired, KN_KWF_NO_VALUE},
    {"tls_cert_valid", kw_cert_valid, KN_KWF_NO_VALUE},
    {"tls.cert_chain_len", kw_cert_chain_len, KN_KWF_VALUE},
    {NULL, NULL, 0},
};
