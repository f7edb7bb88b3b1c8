/* rule_keywords.c: the non-payload keywords: meta (msg, sid, classtype, metadata ...), flow
 * and its bits and counters, thresholds, IP/TCP/ICMP header tests, events, and the checks
 * that complete a parsed rule (the app-layer conditions are in rule_appkw.c). */
#include "rule_private.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly.h"
#include "buffers.h"

/* ---- meta ---------------------------------------------------------------------------------- */

/* msg text: the escapes \" \; \\ \: become their characters. */
static int kw_msg(kn_rparse_t *ps, const char *val)
{
    char *m = strdup(val), *w = m;
    const char *r = val;

    if (!m)
        return kn_kw_fail(ps, "out of memory");
    for (; *r; r++) {
        if (*r == '\\' && r[1] && strchr("\"\\;:", r[1]))
            r++;
        *w++ = *r;
    }
    *w = '\0';
    free(ps->s->msg);
    ps->s->msg = m;
    return KN_KW_OK;
}

static int u32_kw(kn_rparse_t *ps, const char *kw, const char *val, int64_t lo, uint32_t *out)
{
    int64_t v;

    if (kn_parse_i64(val, lo, 0xffffffffLL, &v))
        return kn_kw_fail(ps, "%s: expected a number from %lld", kw, (long long)lo);
    *out = (uint32_t)v;
    return KN_KW_OK;
}

static int kw_sid(kn_rparse_t *ps, const char *v) { return u32_kw(ps, "sid", v, 1, &ps->s->sid); }
static int kw_rev(kn_rparse_t *ps, const char *v) { return u32_kw(ps, "rev", v, 0, &ps->s->rev); }
static int kw_gid(kn_rparse_t *ps, const char *v) { return u32_kw(ps, "gid", v, 0, &ps->s->gid); }

static int kw_classtype(kn_rparse_t *ps, const char *val)
{
    int c = kn_classtype_find(ps->rs, val);

    if (c < 0)
        return kn_kw_fail(ps, "unknown classtype '%.60s' (not in classification.config)", val);
    ps->s->classtype = (int16_t)c;
    return KN_KW_OK;
}

static int kw_priority(kn_rparse_t *ps, const char *val)
{
    int64_t v;

    if (kn_parse_i64(val, 1, 255, &v))
        return kn_kw_fail(ps, "priority: expected 1 to 255");
    ps->s->priority = (uint8_t)v;
    return KN_KW_OK;
}

static int kw_reference(kn_rparse_t *ps, const char *val)
{
    if (!strchr(val, ','))
        return kn_kw_fail(ps, "reference: expected TYPE,ID");
    return KN_KW_OK; /* not written in eve by Suricata's default alert output */
}

static int kw_metadata(kn_rparse_t *ps, const char *val)
{
    char *copy = strdup(val), *parts[64], **nm;
    kn_sig_t *s = ps->s;
    int n, i;

    if (!copy)
        return kn_kw_fail(ps, "out of memory");
    n = kn_split(copy, parts, 64);
    if (kn_kw_full(ps, s->nmetadata + (unsigned)n, UINT16_MAX + 1u, "metadata entries")) {
        free(copy);
        return KN_KW_FAIL;
    }
    nm = realloc(s->metadata, (s->nmetadata + (size_t)n) * sizeof(*nm));
    if (!nm) {
        free(copy);
        return kn_kw_fail(ps, "out of memory");
    }
    s->metadata = nm;
    for (i = 0; i < n; i++)
        if (*parts[i] && (nm[s->nmetadata] = strdup(parts[i])))
            s->nmetadata++;
    free(copy);
    return KN_KW_OK;
}

static int kw_target(kn_rparse_t *ps, const char *val)
{
    if (strcmp(val, "src_ip") == 0)
        ps->s->flags |= KN_SIGF_TARGET_SRC;
    else if (strcmp(val, "dest_ip") == 0)
        ps->s->flags |= KN_SIGF_TARGET_DST;
    else
        return kn_kw_fail(ps, "target: expected src_ip or dest_ip");
    return KN_KW_OK;
}

static int kw_noalert(kn_rparse_t *ps, const char *val)
{
    (void)val;
    ps->s->flags |= KN_SIGF_NOALERT;
    return KN_KW_OK;
}

/* tag, requires and prefilter are accepted: tagging logs more packets (not done), requires
 * is met, prefilter only says which keyword Suricata should prefilter on. */
static int kw_accept(kn_rparse_t *ps, const char *val)
{
    (void)ps;
    (void)val;
    return KN_KW_OK;
}

/* ---- flow ---------------------------------------------------------------------------------- */

static int kw_flow(kn_rparse_t *ps, const char *val)
{
    static const struct { const char *name; uint16_t bit; } opts[] = {
        {"to_server", KN_FLOWKW_TO_SERVER}, {"from_client", KN_FLOWKW_TO_SERVER},
        {"to_client", KN_FLOWKW_TO_CLIENT}, {"from_server", KN_FLOWKW_TO_CLIENT},
        {"established", KN_FLOWKW_ESTABLISHED}, {"not_established", KN_FLOWKW_NOT_ESTABLISHED},
        {"stateless", KN_FLOWKW_STATELESS}, {"only_stream", KN_FLOWKW_ONLY_STREAM},
        {"no_stream", KN_FLOWKW_NO_STREAM}, {"only_frag", KN_FLOWKW_ONLY_FRAG},
        {"no_frag", KN_FLOWKW_NO_FRAG}};
    char buf[256], *parts[8];
    int n, i;
    size_t k;

    snprintf(buf, sizeof(buf), "%s", val);
    n = kn_split(buf, parts, 8);
    for (i = 0; i < n; i++) {
        for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
            if (strcmp(parts[i], opts[k].name) == 0)
                break;
        if (k == sizeof(opts) / sizeof(opts[0]))
            return kn_kw_fail(ps, "flow: unknown option '%.40s'", parts[i]);
        ps->s->flow |= opts[k].bit;
    }
    if ((ps->s->flow & KN_FLOWKW_TO_SERVER) && (ps->s->flow & KN_FLOWKW_TO_CLIENT))
        return kn_kw_fail(ps, "flow: to_server and to_client together");
    if ((ps->s->flow & KN_FLOWKW_ESTABLISHED) && (ps->s->flow & KN_FLOWKW_NOT_ESTABLISHED))
        return kn_kw_fail(ps, "flow: established and not_established together");
    return KN_KW_OK;
}

/* A new bit operation, or NULL with the reason in ps->err. */
static kn_bitsop_t *new_bitsop(kn_rparse_t *ps)
{
    kn_sig_t *s = ps->s;
    kn_bitsop_t *nb;

    if (kn_kw_full(ps, s->nbits, UINT8_MAX, "bit operations"))
        return NULL;
    if (!(nb = realloc(s->bits, (s->nbits + 1u) * sizeof(*nb)))) {
        kn_kw_fail(ps, "out of memory");
        return NULL;
    }
    s->bits = nb;
    memset(&nb[s->nbits], 0, sizeof(*nb));
    return &nb[s->nbits++];
}

static int bit_op(const char *name)
{
    static const char *const ops[] = {"set", "unset", "toggle", "isset", "isnotset", NULL};
    int i;

    for (i = 0; ops[i]; i++)
        if (strcmp(ops[i], name) == 0)
            return i;
    return -1;
}

/* NAME or NAME|NAME|... into op->names. */
static int bit_names(kn_rparse_t *ps, kn_names_t *table, char *names, kn_bitsop_t *op)
{
    char *save = NULL, *n;
    int id;

    for (n = strtok_r(names, "|&", &save); n; n = strtok_r(NULL, "|&", &save)) {
        n = kn_trim(n);
        if (!*n || op->nnames == 8)
            return kn_kw_fail(ps, "bad bit name list");
        if ((id = kn_names_id(table, n, 1)) < 0)
            return kn_kw_fail(ps, "out of memory");
        op->names[op->nnames++] = (uint16_t)id;
    }
    if (op->nnames > 1 && op->op != KN_BIT_ISSET && op->op != KN_BIT_ISNOTSET)
        return kn_kw_fail(ps, "only isset and isnotset take several names");
    return op->nnames ? KN_KW_OK : kn_kw_fail(ps, "missing bit name");
}

static int kw_flowbits(kn_rparse_t *ps, const char *val)
{
    char buf[512], *parts[2];
    kn_bitsop_t *op;
    int o;

    snprintf(buf, sizeof(buf), "%s", val);
    if (kn_split(buf, parts, 2) == 1) {
        if (strcmp(parts[0], "noalert") == 0) {
            ps->s->flags |= KN_SIGF_NOALERT;
            return KN_KW_OK;
        }
        return kn_kw_fail(ps, "flowbits: expected OP,NAME or noalert");
    }
    if ((o = bit_op(parts[0])) < 0)
        return kn_kw_fail(ps, "flowbits: unknown operation '%.20s'", parts[0]);
    if (!(op = new_bitsop(ps)))
        return KN_KW_FAIL;
    op->op = (uint8_t)o;
    op->scope = 0;
    return bit_names(ps, &ps->rs->flowbits, parts[1], op);
}

/* xbits:OP,NAME,track ip_src|ip_dst|ip_pair[,expire N]; hostbits:OP,NAME[,src|dst] */
static int host_bits(kn_rparse_t *ps, const char *kw, const char *val, int xbits)
{
    char buf[512], *parts[4];
    kn_bitsop_t *op;
    int n, o, i;
    int64_t v;

    snprintf(buf, sizeof(buf), "%s", val);
    n = kn_split(buf, parts, 4);
    if (n == 1 && strcmp(parts[0], "noalert") == 0) {
        ps->s->flags |= KN_SIGF_NOALERT;
        return KN_KW_OK;
    }
    if (n < 2 || (o = bit_op(parts[0])) < 0)
        return kn_kw_fail(ps, "%s: expected OP,NAME[,options]", kw);
    if (!(op = new_bitsop(ps)))
        return KN_KW_FAIL;
    op->op = (uint8_t)o;
    op->scope = 1;
    for (i = 2; i < n; i++) {
        const char *a = parts[i];
        if (strcmp(a, "track ip_src") == 0 || strcmp(a, "src") == 0)
            op->scope = 1;
        else if (strcmp(a, "track ip_dst") == 0 || strcmp(a, "dst") == 0)
            op->scope = 2;
        else if (strcmp(a, "track ip_pair") == 0)
            op->scope = 3;
        else if (strncmp(a, "expire", 6) == 0 && !kn_parse_i64(a + 6, 1, 86400 * 365, &v))
            op->expire = (uint32_t)v;
        else
            return kn_kw_fail(ps, "%s: unknown option '%.40s'", kw, a);
    }
    if (xbits && n < 3 && op->op != KN_BIT_ISSET && op->op != KN_BIT_ISNOTSET)
        return kn_kw_fail(ps, "xbits: 'track' is required");
    return bit_names(ps, &ps->rs->xbits, parts[1], op);
}

static int kw_xbits(kn_rparse_t *ps, const char *val) { return host_bits(ps, "xbits", val, 1); }
static int kw_hostbits(kn_rparse_t *ps, const char *val) { return host_bits(ps, "hostbits", val, 0); }

/* flowint:NAME,OP[,VALUE] with OP = + - = == != < > <= >= isset notset isnotset */
static int kw_flowint(kn_rparse_t *ps, const char *val)
{
    static const struct { const char *s; char op; uint8_t cmp; } ops[] = {
        {"+", '+', 0}, {"-", '-', 0}, {"=", '=', 0}, {"==", 'c', KN_CMP_EQ},
        {"!=", 'c', KN_CMP_NE}, {"<", 'c', KN_CMP_LT}, {">", 'c', KN_CMP_GT},
        {"<=", 'c', KN_CMP_LE}, {">=", 'c', KN_CMP_GE}, {"isset", 'x', 0},
        {"notset", 'n', 0}, {"isnotset", 'n', 0}};
    char buf[256], *p[3];
    kn_sig_t *s = ps->s;
    kn_intop_t *op, *ni;
    int n, id;
    size_t k;
    int64_t v;

    snprintf(buf, sizeof(buf), "%s", val);
    if ((n = kn_split(buf, p, 3)) < 2)
        return kn_kw_fail(ps, "flowint: expected NAME,OP[,VALUE]");
    for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
        if (strcmp(p[1], ops[k].s) == 0)
            break;
    if (k == sizeof(ops) / sizeof(ops[0]))
        return kn_kw_fail(ps, "flowint: unknown operator '%.10s'", p[1]);
    if ((ops[k].op != 'x' && ops[k].op != 'n') != (n == 3))
        return kn_kw_fail(ps, "flowint: '%s' %s", p[1],
                          n == 3 ? "takes no value" : "needs a value");
    if (kn_kw_full(ps, s->nints, UINT8_MAX, "flowint operations"))
        return KN_KW_FAIL;
    if (!(ni = realloc(s->ints, (s->nints + 1u) * sizeof(*ni))))
        return kn_kw_fail(ps, "out of memory");
    s->ints = ni;
    op = &ni[s->nints++];
    memset(op, 0, sizeof(*op));
    if ((id = kn_names_id(&ps->rs->flowints, p[0], 1)) < 0)
        return kn_kw_fail(ps, "out of memory");
    op->var = (uint16_t)id;
    op->op = ops[k].op;
    op->cmp = ops[k].cmp;
    op->rvar = -1;
    if (n == 3) {
        if (!kn_parse_i64(p[2], 0, 0xffffffffLL, &v))
            op->value = (uint32_t)v;
        else if ((id = kn_names_id(&ps->rs->flowints, p[2], 1)) >= 0 && id < 128)
            op->rvar = (int8_t)id;
        else
            return kn_kw_fail(ps, "flowint: bad value '%.20s'", p[2]);
    }
    return KN_KW_OK;
}

/* threshold: type T, track K, count N, seconds S (and detection_filter without type) */
static int parse_threshold(kn_rparse_t *ps, const char *kw, const char *val, kn_threshold_t *t,
                           int need_type)
{
    static const char *const types[] = {"limit", "threshold", "both", NULL};
    static const char *const tracks[] = {"by_src", "by_dst", "by_rule", "by_both", "by_flow",
                                         NULL};
    char buf[256], *p[6];
    int n, i, j, have = 0;
    int64_t v;

    snprintf(buf, sizeof(buf), "%s", val);
    n = kn_split(buf, p, 6);
    t->type = need_type ? 255 : KN_THR_DF;
    for (i = 0; i < n; i++) {
        char *sp = strchr(p[i], ' '), *arg;
        if (!sp)
            return kn_kw_fail(ps, "%s: bad option '%.30s'", kw, p[i]);
        *sp = '\0';
        arg = kn_trim(sp + 1);
        if (strcmp(p[i], "type") == 0 && need_type) {
            for (j = 0; types[j] && strcmp(types[j], arg); j++)
                ;
            if (!types[j])
                return kn_kw_fail(ps, "%s: unknown type '%.20s'", kw, arg);
            t->type = (uint8_t)j;
        } else if (strcmp(p[i], "track") == 0) {
            for (j = 0; tracks[j] && strcmp(tracks[j], arg); j++)
                ;
            if (!tracks[j])
                return kn_kw_fail(ps, "%s: unknown track '%.20s'", kw, arg);
            t->track = (uint8_t)j;
            have |= 1;
        } else if (strcmp(p[i], "count") == 0 && !kn_parse_i64(arg, 1, 0xffffffffLL, &v)) {
            t->count = (uint32_t)v;
            have |= 2;
        } else if (strcmp(p[i], "seconds") == 0 && !kn_parse_i64(arg, 1, 0xffffffffLL, &v)) {
            t->seconds = (uint32_t)v;
            have |= 4;
        } else
            return kn_kw_fail(ps, "%s: bad option '%.30s'", kw, p[i]);
    }
    if (have != 7 || t->type == 255)
        return kn_kw_fail(ps, "%s needs %strack, count and seconds", kw, need_type ? "type, " : "");
    return KN_KW_OK;
}

static int kw_threshold(kn_rparse_t *ps, const char *val)
{
    ps->s->has_threshold = 1; /* a second one replaces the first, as Suricata loads it */
    return parse_threshold(ps, "threshold", val, &ps->s->threshold, 1);
}

static int kw_detection_filter(kn_rparse_t *ps, const char *val)
{
    ps->s->has_df = 1;
    return parse_threshold(ps, "detection_filter", val, &ps->s->detection_filter, 0);
}

/* ---- header tests -------------------------------------------------------------------------- */

static int add_hdr(kn_rparse_t *ps, int kw, const char *val, uint64_t max, const char *name)
{
    kn_sig_t *s = ps->s;
    kn_hdrtest_t *nh;

    if (kn_kw_full(ps, s->nhdr, UINT8_MAX, "header tests"))
        return KN_KW_FAIL;
    if (!(nh = realloc(s->hdr, (s->nhdr + 1u) * sizeof(*nh))))
        return kn_kw_fail(ps, "out of memory");
    s->hdr = nh;
    memset(&nh[s->nhdr], 0, sizeof(*nh));
    nh[s->nhdr].kw = (uint8_t)kw;
    if (kn_parse_num(val, max, &nh[s->nhdr].num))
        return kn_kw_fail(ps, "%s: bad value '%.30s'", name, val);
    s->nhdr++;
    return KN_KW_OK;
}

#define HDR(fn, kw, max, name)                                                                     \
    static int fn(kn_rparse_t *ps, const char *val) { return add_hdr(ps, kw, val, max, name); }
HDR(kw_ttl, KN_HK_TTL, 255, "ttl")
HDR(kw_tos, KN_HK_TOS, 255, "tos")
HDR(kw_id, KN_HK_IPID, 65535, "id")
HDR(kw_fragoffset, KN_HK_FRAGOFFSET, 65535, "fragoffset")
HDR(kw_seq, KN_HK_TCP_SEQ, 0xffffffffu, "seq")
HDR(kw_ack, KN_HK_TCP_ACK, 0xffffffffu, "ack")
HDR(kw_window, KN_HK_TCP_WINDOW, 65535, "window")
HDR(kw_itype, KN_HK_ITYPE, 255, "itype")
HDR(kw_icode, KN_HK_ICODE, 255, "icode")
HDR(kw_icmp_id, KN_HK_ICMP_ID, 65535, "icmp_id")
HDR(kw_icmp_seq, KN_HK_ICMP_SEQ, 65535, "icmp_seq")
HDR(kw_dsize, KN_HK_DSIZE, 65535, "dsize")
#undef HDR

static int kw_ip_proto(kn_rparse_t *ps, const char *val)
{
    static const struct { const char *name; const char *num; } names[] = {
        {"icmp", "1"}, {"igmp", "2"}, {"tcp", "6"}, {"udp", "17"}, {"ipv6", "41"},
        {"gre", "47"}, {"esp", "50"}, {"ah", "51"}, {"ipv6-icmp", "58"}, {"icmpv6", "58"},
        {"ospf", "89"}, {"pim", "103"}, {"vrrp", "112"}, {"sctp", "132"}};
    char buf[64];
    const char *v = val;
    int neg = 0;
    size_t i;

    if (*v == '!')
        neg = 1, v++;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(v, names[i].name) == 0)
            v = names[i].num;
    snprintf(buf, sizeof(buf), "%s%s", neg ? "!" : "", v);
    return add_hdr(ps, KN_HK_IP_PROTO, buf, 255, "ip_proto");
}

/* stream_size:server|client|both|either,OP,N */
static int kw_stream_size(kn_rparse_t *ps, const char *val)
{
    static const char *const sides[] = {"server", "client", "both", "either", NULL};
    char buf[128], *p[3], num[64];
    int i;

    snprintf(buf, sizeof(buf), "%s", val);
    if (kn_split(buf, p, 3) != 3)
        return kn_kw_fail(ps, "stream_size: expected SIDE,OPERATOR,BYTES");
    for (i = 0; sides[i] && strcmp(sides[i], p[0]); i++)
        ;
    if (!sides[i])
        return kn_kw_fail(ps, "stream_size: unknown side '%.20s'", p[0]);
    snprintf(num, sizeof(num), "%s%s", p[1], p[2]);
    if (add_hdr(ps, KN_HK_STREAM_SIZE, num, 0xffffffffu, "stream_size") != KN_KW_OK)
        return KN_KW_FAIL;
    ps->s->hdr[ps->s->nhdr - 1].side = (uint8_t)i;
    return KN_KW_OK;
}

static int kw_ipopts(kn_rparse_t *ps, const char *val)
{
    static const char *const names[] = {"rr", "eol", "nop", "ts", "sec", "lsrr", "ssrr", "satid",
                                        NULL};
    int i;

    if (strcmp(val, "any") == 0) {
        ps->s->ipopts_any = 1;
        return KN_KW_OK;
    }
    for (i = 0; names[i]; i++) {
        if (strcmp(names[i], val) == 0) {
            ps->s->ipopts_mask |= (uint8_t)(1u << i);
            return KN_KW_OK;
        }
    }
    if (strcmp(val, "esec") == 0) {
        ps->s->ipopts_mask |= 1u << 4;
        return KN_KW_OK;
    }
    return kn_kw_fail(ps, "ipopts: unknown option '%.20s'", val);
}

/* A mode prefix or suffix: '+' all of these and others, '*' any of these, '!' none of these;
 * no mode: exactly these. */
static int mode_char(char c)
{
    return c == '+' || c == '*' || c == '!';
}

static int kw_fragbits(kn_rparse_t *ps, const char *val)
{
    kn_sig_t *s = ps->s;
    const char *v = val;

    if (mode_char(*v))
        s->fragbits_mode = (uint8_t)*v++;
    for (; *v; v++) {
        switch (toupper((unsigned char)*v)) {
        case 'M': s->fragbits_set |= 0x20; break;
        case 'D': s->fragbits_set |= 0x40; break;
        case 'R': s->fragbits_set |= 0x80; break;
        default:
            if (mode_char(*v) && !v[1] && !s->fragbits_mode) {
                s->fragbits_mode = (uint8_t)*v;
                break;
            }
            return kn_kw_fail(ps, "fragbits: unknown bit '%c'", *v);
        }
    }
    return s->fragbits_set ? KN_KW_OK : kn_kw_fail(ps, "fragbits: no bit given");
}

static int tcp_flag_bit(char c)
{
    switch (toupper((unsigned char)c)) {
    case 'F': return 0x01;
    case 'S': return 0x02;
    case 'R': return 0x04;
    case 'P': return 0x08;
    case 'A': return 0x10;
    case 'U': return 0x20;
    case 'E': case '2': return 0x40;
    case 'C': case '1': return 0x80;
    case '0': return 0;
    default: return -1;
    }
}

/* flags:[!|*|+]SAFRPU...[,MASK] */
static int kw_flags(kn_rparse_t *ps, const char *val)
{
    kn_sig_t *s = ps->s;
    char buf[64], *mask;
    const char *v;
    int b;

    snprintf(buf, sizeof(buf), "%s", val);
    if ((mask = strchr(buf, ','))) {
        *mask++ = '\0';
        s->tcp_flags_mask = 0xff;
        for (mask = kn_trim(mask); *mask; mask++) {
            if ((b = tcp_flag_bit(*mask)) < 0)
                return kn_kw_fail(ps, "flags: unknown mask flag '%c'", *mask);
            s->tcp_flags_mask &= (uint8_t)~b;
        }
    } else {
        s->tcp_flags_mask = 0xff;
    }
    v = kn_trim(buf);
    if (mode_char(*v))
        s->tcp_flags_mode = (uint8_t)*v++;
    for (; *v; v++) {
        if (mode_char(*v) && !v[1] && !s->tcp_flags_mode) {
            s->tcp_flags_mode = (uint8_t)*v;
            break;
        }
        if ((b = tcp_flag_bit(*v)) < 0)
            return kn_kw_fail(ps, "flags: unknown flag '%c'", *v);
        s->tcp_flags |= (uint8_t)b;
    }
    if (!s->tcp_flags_mode)
        s->tcp_flags_mode = '=';
    return KN_KW_OK;
}

static int kw_sameip(kn_rparse_t *ps, const char *val)
{
    (void)val;
    ps->s->flags |= KN_SIGF_SAMEIP;
    return KN_KW_OK;
}

/* ---- events and app-layer conditions ------------------------------------------------------- */

static int anomaly_by_name(const char *name)
{
    int i;

    if (strncmp(name, "decoder.", 8) == 0)
        name += 8;
    for (i = 1; i < KN_ANOM_MAX; i++)
        if (strcmp(kn_anomaly_info((kn_anomaly_t)i)->name, name) == 0)
            return i;
    return -1;
}

/* A decode-event or stream-event condition: the packet must carry that anomaly. */
static int add_event(kn_rparse_t *ps, const char *name, int layer)
{
    kn_sig_t *s = ps->s;
    uint16_t *ne;
    int a = anomaly_by_name(name);

    if (a < 0 || kn_anomaly_info((kn_anomaly_t)a)->layer != layer)
        return kn_kw_unsupported(ps, "kanshi does not raise the event '%.60s'", name);
    if (kn_kw_full(ps, s->nevents, UINT8_MAX, "events"))
        return KN_KW_FAIL;
    if (!(ne = realloc(s->events, (s->nevents + 1u) * sizeof(*ne))))
        return kn_kw_fail(ps, "out of memory");
    s->events = ne;
    ne[s->nevents++] = (uint16_t)a;
    return KN_KW_OK;
}

static int kw_decode_event(kn_rparse_t *ps, const char *val)
{
    return add_event(ps, val, KN_LAYER_DECODE);
}

static int kw_stream_event(kn_rparse_t *ps, const char *val)
{
    char name[96];

    snprintf(name, sizeof(name), "stream.%s", val);
    return add_event(ps, name, KN_LAYER_STREAM);
}

/* app-layer-event:proto.name: the parsers raise their anomalies on the packet whose bytes
 * showed them, so the condition is checked there like a decode event. */
static int kw_app_event(kn_rparse_t *ps, const char *val)
{
    return add_event(ps, val, KN_LAYER_APPLAYER);
}

/* app-layer-protocol:[!]NAME[,final|original|either|to_server|to_client] */
static int kw_app_layer_protocol(kn_rparse_t *ps, const char *val)
{
    char buf[64], *p[2];
    int app;

    kn_sig_t *s = ps->s;
    int neg;

    snprintf(buf, sizeof(buf), "%s", val);
    kn_split(buf, p, 2);
    neg = p[0][0] == '!';
    if ((app = kn_app_by_name(p[0] + neg)) < 0)
        return kn_kw_unsupported(ps, "unknown application protocol '%.30s'", p[0]);
    if (s->nalp == sizeof(s->alp))
        return kn_kw_fail(ps, "more than %zu app-layer-protocol conditions", sizeof(s->alp));
    s->alp_neg |= (uint8_t)(neg << s->nalp);
    s->alp[s->nalp++] = (uint8_t)app;
    return KN_KW_OK;
}

const kn_keyword_t kn_other_keywords[] = {
    {"msg", kw_msg, KN_KWF_VALUE},
    {"sid", kw_sid, KN_KWF_VALUE},
    {"rev", kw_rev, KN_KWF_VALUE},
    {"gid", kw_gid, KN_KWF_VALUE},
    {"classtype", kw_classtype, KN_KWF_VALUE},
    {"priority", kw_priority, KN_KWF_VALUE},
    {"reference", kw_reference, KN_KWF_VALUE},
    {"metadata", kw_metadata, KN_KWF_VALUE},
    {"target", kw_target, KN_KWF_VALUE},
    {"noalert", kw_noalert, KN_KWF_NO_VALUE},
    {"tag", kw_accept, 0},
    {"requires", kw_accept, 0},
    {"prefilter", kw_accept, KN_KWF_NO_VALUE}, /* a prefilter hint: no effect on what matches */
    {"flow", kw_flow, KN_KWF_VALUE},
    {"flowbits", kw_flowbits, KN_KWF_VALUE},
    {"flowint", kw_flowint, KN_KWF_VALUE},
    {"xbits", kw_xbits, KN_KWF_VALUE},
    {"hostbits", kw_hostbits, KN_KWF_VALUE},
    {"threshold", kw_threshold, KN_KWF_VALUE},
    {"detection_filter", kw_detection_filter, KN_KWF_VALUE},
    {"ttl", kw_ttl, KN_KWF_VALUE},
    {"tos", kw_tos, KN_KWF_VALUE},
    {"id", kw_id, KN_KWF_VALUE},
    {"ip_proto", kw_ip_proto, KN_KWF_VALUE},
    {"fragoffset", kw_fragoffset, KN_KWF_VALUE},
    {"fragbits", kw_fragbits, KN_KWF_VALUE},
    {"ipopts", kw_ipopts, KN_KWF_VALUE},
    {"flags", kw_flags, KN_KWF_VALUE},
    {"tcp.flags", kw_flags, KN_KWF_VALUE},
    {"seq", kw_seq, KN_KWF_VALUE},
    {"ack", kw_ack, KN_KWF_VALUE},
    {"window", kw_window, KN_KWF_VALUE},
    {"itype", kw_itype, KN_KWF_VALUE},
    {"icode", kw_icode, KN_KWF_VALUE},
    {"icmp_id", kw_icmp_id, KN_KWF_VALUE},
    {"icmp_seq", kw_icmp_seq, KN_KWF_VALUE},
    {"dsize", kw_dsize, KN_KWF_VALUE},
    {"sameip", kw_sameip, KN_KWF_NO_VALUE},
    {"stream_size", kw_stream_size, KN_KWF_VALUE},
    {"decode-event", kw_decode_event, KN_KWF_VALUE},
    {"stream-event", kw_stream_event, KN_KWF_VALUE},
    {"app-layer-event", kw_app_event, KN_KWF_VALUE},
    {"app-layer-protocol", kw_app_layer_protocol, KN_KWF_VALUE},
    {NULL, NULL, 0},
};

/* ---- completing a rule --------------------------------------------------------------------- */

/* A payload list left empty when its only content moved on (content:"GET"; http_method;)
 * would demand a payload the transaction does not have: such lists go. */
static void drop_empty_lists(kn_sig_t *s)
{
    int i, k = 0;

    for (i = 0; i < s->nlists; i++) {
        if (s->lists[i].n == 0 && s->lists[i].nxforms == 0) {
            free(s->lists[i].sm);
            if (s->fp_list > k)
                s->fp_list--;
            continue;
        }
        s->lists[k++] = s->lists[i];
    }
    s->nlists = (uint8_t)k;
}

/* Flags from the lists: what the rule needs. A relative item first in its buffer is relative
 * to the buffer's start, as in Suricata. */
static int check_lists(kn_rparse_t *ps)
{
    kn_sig_t *s = ps->s;
    int i;

    drop_empty_lists(s);
    for (i = 0; i < s->nlists; i++) {
        kn_smlist_t *l = &s->lists[i];
        const kn_buffer_info_t *bi = kn_buffer_info((kn_buf_t)l->buf);
        if (l->n == 0)
            continue;
        if (l->buf != KN_BUF_PAYLOAD && !(l->buf >= KN_BUF_BASE64_DATA))
            s->flags |= KN_SIGF_NEEDS_APP;
        if (l->buf == KN_BUF_PAYLOAD)
            s->flags |= KN_SIGF_HAS_PAYLOAD;
        if (bi->app != KN_APP_NONE && s->app < 0)
            s->app = (int8_t)bi->app;
    }
    return KN_KW_OK;
}

/* Flowbits a rule on addresses alone may write (Suricata's IP-only rules may set them). */
static int bits_iponly(const kn_sig_t *s)
{
    uint8_t i;

    for (i = 0; i < s->nbits; i++)
        if (s->bits[i].scope != 0 || s->bits[i].op == KN_BIT_ISSET ||
            s->bits[i].op == KN_BIT_ISNOTSET)
            return 0;
    return 1;
}

/* Protocol, addresses and any ports only: such a rule is checked once per flow direction, found
 * through the address index (reputation lists). */
static int is_iponly(const kn_sig_t *s)
{
    return s->app < 0 && !s->nalp && s->sp.any && s->dp.any && s->nlists == 0 && s->nhdr == 0 && !s->flow &&
           bits_iponly(s) && !s->nints && !s->nevents && !s->napp && !s->tcp_flags_mode &&
           !s->fragbits_set && !s->ipopts_mask && !s->ipopts_any &&
           !(s->flags & (KN_SIGF_SAMEIP | KN_SIGF_NOT_SAMEIP)) && s->proto != KN_SP_PKTHDR;
}

/* app-layer-protocol and addresses only: like Suricata's protocol-detection-only rules it is
 * checked on the packet where the protocol became known, not on every packet after. */
static int is_pdonly(const kn_sig_t *s)
{
    return s->nalp && s->app < 0 && s->nlists == 0 && s->nhdr == 0 && !s->flow && !s->nbits &&
           !s->nints && !s->nevents && !s->napp;
}

int kn_rule_finish(kn_rparse_t *ps)
{
    kn_sig_t *s = ps->s;

    if (!s->sid)
        return kn_kw_fail(ps, "the rule has no sid");
    if (!s->msg && !(s->msg = strdup("")))
        return kn_kw_fail(ps, "out of memory");
    if (check_lists(ps) != KN_KW_OK)
        return KN_KW_FAIL;
    if (!s->priority)
        s->priority = s->classtype >= 0 ? ps->rs->classes[s->classtype].prio : 3;
    if (is_iponly(s))
        s->flags |= KN_SIGF_IPONLY;
    if (is_pdonly(s))
        s->flags |= KN_SIGF_PDONLY;
    return KN_KW_OK;
}
