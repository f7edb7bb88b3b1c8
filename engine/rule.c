/* rule.c: Suricata/Snort rule text -> kn_sig, and the rule set's lifetime.
 *
 * A rule is a header (action, protocol, addresses, ports, direction) and options between
 * parentheses. Options are split at unquoted, unescaped semicolons and dispatched through
 * keyword tables (rule_payload.c, rule_keywords.c, and the buffer table for sticky buffers and
 * legacy modifiers). A problem stops that rule only: it is reported with file, line, column and
 * keyword, counted per keyword, and loading goes on. */
#include "rule_private.h"

#include "detect.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffers.h"

#define MAX_RULE_LEN (256 * 1024)
#define MAX_OPTION_LEN 8191

/* Suricata's default address and port groups (suricata.yaml as shipped). */
static const char *const default_vars[][2] = {
    {"HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]"},
    {"EXTERNAL_NET", "!$HOME_NET"},
    {"HTTP_SERVERS", "$HOME_NET"},
    {"SMTP_SERVERS", "$HOME_NET"},
    {"SQL_SERVERS", "$HOME_NET"},
    {"DNS_SERVERS", "$HOME_NET"},
    {"TELNET_SERVERS", "$HOME_NET"},
    {"AIM_SERVERS", "$EXTERNAL_NET"},
    {"DC_SERVERS", "$HOME_NET"},
    {"DNP3_SERVER", "$HOME_NET"},
    {"DNP3_CLIENT", "$HOME_NET"},
    {"MODBUS_CLIENT", "$HOME_NET"},
    {"MODBUS_SERVER", "$HOME_NET"},
    {"ENIP_CLIENT", "$HOME_NET"},
    {"ENIP_SERVER", "$HOME_NET"},
    {"HTTP_PORTS", "80"},
    {"SHELLCODE_PORTS", "!80"},
    {"ORACLE_PORTS", "1521"},
    {"SSH_PORTS", "22"},
    {"DNP3_PORTS", "20000"},
    {"MODBUS_PORTS", "502"},
    {"FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"},
    {"FTP_PORTS", "21"},
    {"GENEVE_PORTS", "6081"},
    {"VXLAN_PORTS", "4789"},
    {"TEREDO_PORTS", "3544"},
};

/* Keywords Suricata has that kanshi does not evaluate: a rule using one is "unsupported". */
static const char *const unsupported_keywords[] = {
    "asn1", "ftpbounce", "lua", "luajit", "iprep", "geoip", "datarep", "dataset", "filestore",
    "filemagic", /* libmagic runs in the sensor, for fileinfo; detection has no file type */
    "replace", "rpc", "dce_iface", "dce_opnum", "dce_stub_data", "sameip_xx",
    "krb5_err_code", "krb5_msg_type", "modbus", "dnp3_func", "dnp3_ind", "dnp3_obj",
    "enip_command", "cip_service", "template", "pcrexform", "xor", "config",
    "entropy", "luaxform", "from_base64", NULL};

int kn_names_id(kn_names_t *t, const char *name, int add)
{
    uint32_t i;
    char **nv;

    for (i = 0; i < t->n; i++)
        if (strcmp(t->v[i], name) == 0)
            return (int)i;
    if (!add)
        return -1;
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 16;
        if (!(nv = realloc(t->v, cap * sizeof(*nv))))
            return -1;
        t->v = nv;
        t->cap = cap;
    }
    if (!(t->v[t->n] = strdup(name)))
        return -1;
    return (int)t->n++;
}

void kn_names_free(kn_names_t *t)
{
    uint32_t i;

    for (i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
    memset(t, 0, sizeof(*t));
}

/* A signature counts its header tests, events, bit and counter operations and app-layer
 * conditions in a uint8_t (metadata in a uint16_t): one item more fails the rule instead of
 * wrapping the count, which lost the items and leaked what they held. */
int kn_kw_full(kn_rparse_t *ps, unsigned n, unsigned max, const char *what)
{
    if (n < max)
        return 0;
    kn_kw_fail(ps, "more than %u %s in one rule", max, what);
    return 1;
}

int kn_kw_fail(kn_rparse_t *ps, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ps->err, sizeof(ps->err), fmt, ap);
    va_end(ap);
    return KN_KW_FAIL;
}

int kn_kw_unsupported(kn_rparse_t *ps, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ps->err, sizeof(ps->err), fmt, ap);
    va_end(ap);
    return KN_KW_UNSUPPORTED;
}

static void refresh_vars(kn_ruleset_t *rs)
{
    rs->vars.names = (const char *const *)rs->var_names.v;
    rs->vars.values = (const char *const *)rs->var_values.v;
    rs->vars.n = rs->var_names.n;
}

int kn_ruleset_set_var(kn_ruleset_t *rs, const char *name, const char *value)
{
    int id = kn_names_id(&rs->var_names, name, 0);
    char *copy;

    if (id >= 0) {
        if (!(copy = strdup(value)))
            return KN_ERR;
        free(rs->var_values.v[id]);
        rs->var_values.v[id] = copy;
        return KN_OK;
    }
    id = kn_names_id(&rs->var_names, name, 1);
    if (id < 0 || (uint32_t)id != rs->var_values.n)
        return KN_ERR;
    if (rs->var_values.n == rs->var_values.cap) {
        uint32_t cap = rs->var_values.cap ? rs->var_values.cap * 2 : 16;
        char **nv = realloc(rs->var_values.v, cap * sizeof(*nv));
        if (!nv)
            return KN_ERR;
        rs->var_values.v = nv;
        rs->var_values.cap = cap;
    }
    if (!(rs->var_values.v[rs->var_values.n] = strdup(value)))
        return KN_ERR;
    rs->var_values.n++;
    refresh_vars(rs);
    return KN_OK;
}

kn_ruleset_t *kn_ruleset_new(void)
{
    kn_ruleset_t *rs = calloc(1, sizeof(*rs));
    size_t i;

    if (!rs)
        return NULL;
    for (i = 0; i < sizeof(default_vars) / sizeof(default_vars[0]); i++) {
        if (kn_ruleset_set_var(rs, default_vars[i][0], default_vars[i][1]) != KN_OK) {
            kn_ruleset_free(rs);
            return NULL;
        }
    }
    return rs;
}

int kn_ruleset_disable_sid(kn_ruleset_t *rs, uint32_t sid)
{
    uint32_t *nd = realloc(rs->disabled, (rs->ndisabled + 1) * sizeof(*nd));

    if (!nd)
        return KN_ERR;
    rs->disabled = nd;
    rs->disabled[rs->ndisabled++] = sid;
    rs->disabled_sorted = 0;
    return KN_OK;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int is_disabled(kn_ruleset_t *rs, uint32_t sid)
{
    if (!rs->ndisabled)
        return 0;
    if (!rs->disabled_sorted) { /* sorted once, at the first rule */
        qsort(rs->disabled, rs->ndisabled, sizeof(*rs->disabled), u32_cmp);
        rs->disabled_sorted = 1;
    }
    return bsearch(&sid, rs->disabled, rs->ndisabled, sizeof(*rs->disabled), u32_cmp) != NULL;
}

int kn_classtype_find(const kn_ruleset_t *rs, const char *name)
{
    uint32_t i;

    for (i = 0; i < rs->nclasses; i++)
        if (strcmp(rs->classes[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* "config classification: shortname,description,priority" */
static int add_classification(kn_ruleset_t *rs, char *line)
{
    char *p = line + strlen("config classification:"), *parts[3];
    kn_classtype_t *nc;
    int64_t prio;

    if (kn_split(p, parts, 3) != 3 || kn_parse_i64(parts[2], 0, 255, &prio) != 0)
        return KN_ERR;
    if (kn_classtype_find(rs, parts[0]) >= 0)
        return KN_OK; /* the first definition wins, as in Suricata */
    if (!(nc = realloc(rs->classes, (rs->nclasses + 1) * sizeof(*nc))))
        return KN_ERR;
    rs->classes = nc;
    nc[rs->nclasses].name = strdup(parts[0]);
    nc[rs->nclasses].desc = strdup(parts[1]);
    nc[rs->nclasses].prio = (uint8_t)prio;
    rs->nclasses++;
    return KN_OK;
}

int kn_ruleset_add_classifications(kn_ruleset_t *rs, const char *file, const char *text,
                                   kn_rule_msg_fn fn, void *user)
{
    const char *p = text;
    int lineno = 0, bad = 0;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[1024], *line;
        lineno++;
        snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1), p);
        p += len + (nl ? 1 : 0);
        line = kn_trim(buf);
        if (!*line || *line == '#')
            continue;
        if (strncmp(line, "config classification:", 22) != 0 || add_classification(rs, line)) {
            kn_rule_msg_t m = {KN_RULE_FAILED, file, lineno, 1, "", ""};
            snprintf(m.text, sizeof(m.text), "not a classification: %.200s", line);
            if (fn)
                fn(user, &m);
            bad++;
        }
    }
    return bad;
}

void kn_ruleset_free(kn_ruleset_t *rs)
{
    uint32_t i;

    if (!rs)
        return;
    kn_detect_free(rs->detect);
    for (i = 0; i < rs->nsigs; i++)
        kn_sig_free(rs->sigs[i]);
    free(rs->sigs);
    for (i = 0; i < rs->nclasses; i++) {
        free(rs->classes[i].name);
        free(rs->classes[i].desc);
    }
    free(rs->classes);
    kn_names_free(&rs->flowbits);
    kn_names_free(&rs->flowints);
    kn_names_free(&rs->xbits);
    kn_names_free(&rs->var_names);
    kn_names_free(&rs->var_values);
    kn_names_free(&rs->bad_kw);
    free(rs->bad_kw_count);
    free(rs->disabled);
    free(rs->sid_slots);
    kn_ruleset_free_thresholds(rs);
    free(rs);
}

const kn_rules_stats_t *kn_ruleset_stats(const kn_ruleset_t *rs)
{
    return &rs->stats;
}

const char *kn_ruleset_error(const kn_ruleset_t *rs)
{
    return rs->build_err;
}

const char *kn_ruleset_bad_keyword(const kn_ruleset_t *rs, uint32_t i, uint32_t *count)
{
    if (i >= rs->bad_kw.n)
        return NULL;
    *count = rs->bad_kw_count[i];
    return rs->bad_kw.v[i];
}

static void count_bad_keyword(kn_ruleset_t *rs, const char *kw)
{
    uint32_t before = rs->bad_kw.n, *nc;
    int id = kn_names_id(&rs->bad_kw, kw[0] ? kw : "(header)", 1);

    if (id < 0)
        return;
    if (rs->bad_kw.n != before) { /* a new name: its counter */
        if (!(nc = realloc(rs->bad_kw_count, rs->bad_kw.n * sizeof(*nc)))) {
            free(rs->bad_kw.v[--rs->bad_kw.n]);
            return;
        }
        rs->bad_kw_count = nc;
        nc[id] = 0;
    }
    rs->bad_kw_count[id]++;
}

/* ---- header -------------------------------------------------------------------------------- */

/* Copies the next whitespace-separated field (brackets may hold spaces) into out. */
static const char *next_field(const char *p, char *out, size_t outlen)
{
    size_t n = 0;
    int depth = 0;

    while (isspace((unsigned char)*p))
        p++;
    while (*p && (depth > 0 || !isspace((unsigned char)*p)) && *p != '(') {
        if (*p == '[')
            depth++;
        else if (*p == ']')
            depth--;
        if (n < outlen - 1)
            out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    return p;
}

static int parse_action(kn_sig_t *s, const char *a)
{
    static const struct { const char *name; uint8_t act; } acts[] = {
        {"alert", KN_ACT_ALERT}, {"pass", KN_ACT_PASS}, {"drop", KN_ACT_DROP},
        {"reject", KN_ACT_REJECT}, {"rejectsrc", KN_ACT_REJECT}, {"rejectdst", KN_ACT_REJECT},
        {"rejectboth", KN_ACT_REJECT}, {"sdrop", KN_ACT_DROP}};
    size_t i;

    for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
        if (strcmp(a, acts[i].name) == 0) {
            s->action = acts[i].act;
            return 0;
        }
    }
    return -1;
}

static int parse_proto(kn_sig_t *s, const char *p)
{
    static const struct { const char *name; uint8_t proto; } protos[] = {
        {"ip", KN_SP_IP}, {"tcp", KN_SP_TCP}, {"tcp-pkt", KN_SP_TCP_PKT},
        {"tcp-stream", KN_SP_TCP_STREAM}, {"udp", KN_SP_UDP}, {"icmp", KN_SP_ICMP},
        {"icmpv4", KN_SP_ICMPV4}, {"icmpv6", KN_SP_ICMPV6}, {"sctp", KN_SP_SCTP},
        {"pkthdr", KN_SP_PKTHDR}, {"ipv4", KN_SP_IPV4}, {"ip4", KN_SP_IPV4},
        {"ipv6", KN_SP_IPV6}, {"ip6", KN_SP_IPV6}};
    size_t i;
    int app;

    s->app = -1;
    for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
        if (strcmp(p, protos[i].name) == 0) {
            s->proto = protos[i].proto;
            return 0;
        }
    }
    if ((app = kn_app_by_name(p)) < 0)
        return -1;
    s->app = (int8_t)app;
    s->proto = KN_SP_IP; /* the transport follows the protocol (DNS over TCP and UDP) */
    s->flags |= KN_SIGF_NEEDS_APP;
    return 0;
}

static int parse_header(kn_rparse_t *ps, const char *line, const char **opts)
{
    char f[7][4096];
    const char *p = line;
    kn_sig_t *s = ps->s;
    int i;

    for (i = 0; i < 7; i++) {
        p = next_field(p, f[i], sizeof(f[i]));
        if (!f[i][0])
            return kn_kw_fail(ps, "the header needs action, protocol, source, port, direction, "
                                  "destination and port");
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '(')
        return kn_kw_fail(ps, "expected '(' after the header");
    *opts = p + 1;
    if (parse_action(s, f[0]) != 0)
        return kn_kw_fail(ps, "unknown action '%.40s'", f[0]);
    if (parse_proto(s, f[1]) != 0)
        return kn_kw_unsupported(ps, "protocol '%.40s' is not supported", f[1]);
    if (kn_ipset_parse(&ps->rs->vars, f[2], &s->src, ps->err, sizeof(ps->err)) != 0 ||
        kn_portset_parse(&ps->rs->vars, f[3], &s->sp, ps->err, sizeof(ps->err)) != 0 ||
        kn_ipset_parse(&ps->rs->vars, f[5], &s->dst, ps->err, sizeof(ps->err)) != 0 ||
        kn_portset_parse(&ps->rs->vars, f[6], &s->dp, ps->err, sizeof(ps->err)) != 0)
        return KN_KW_FAIL;
    if (strcmp(f[4], "<>") == 0)
        s->flags |= KN_SIGF_BIDIR;
    else if (strcmp(f[4], "=>") == 0)
        s->flags |= KN_SIGF_TRANSACTIONAL | KN_SIGF_BIDIR;
    else if (strcmp(f[4], "->") != 0)
        return kn_kw_fail(ps, "direction must be ->, <> or =>, not '%.10s'", f[4]);
    return KN_KW_OK;
}

/* ---- options ------------------------------------------------------------------------------- */

/* Finds the end of the option starting at p: the first ';' that is not escaped. Quotes do not
 * matter, as in Suricata: a ';' inside a quoted value must be written \; (and pcre:"/["']/"
 * holds a quote of its own). */
static const char *option_end(const char *p)
{
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == ';')
            return p;
    }
    return NULL;
}

/* Removes the quotes around a value, in place, keeping a leading '!' (negation) in front and
 * the escapes inside: each keyword knows which escapes it takes (content and msg unescape,
 * pcre hands them to PCRE, which reads \" and \; as the plain characters). With bang_hex, a
 * '!' that opens the quoted text (content:"!x") is a byte, not a negation: it is written |21|,
 * which needs one byte more than v held (the option buffer keeps room for it). Returns -1 when
 * the value opens a quote it does not close. */
static int unquote(char *v, int bang_hex)
{
    char *r = v, *w = v, *end;
    size_t n;

    if (*r == '!')
        r = w = v + 1;
    while (isspace((unsigned char)*r))
        r++;
    if (*r != '"')
        return 0;
    end = r + strlen(r) - 1;
    while (end > r && isspace((unsigned char)*end))
        end--;
    if (end == r || *end != '"')
        return -1; /* an opening quote without its closing one, as Suricata rejects */
    n = (size_t)(end - r - 1);
    if (bang_hex && n && r[1] == '!') {
        memmove(w + 4, r + 2, n - 1);
        memcpy(w, "|21|", 4);
        w[n + 3] = '\0';
        return 0;
    }
    memmove(w, r + 1, n);
    w[n] = '\0';
    return 0;
}

/* The keywords whose value may be negated with a '!' before its quotes. */
static int negatable_bytes(const char *name)
{
    return strcmp(name, "content") == 0 || strcmp(name, "uricontent") == 0;
}

static const kn_keyword_t *find_keyword(const char *name)
{
    const kn_keyword_t *tables[] = {kn_payload_keywords, kn_other_keywords, kn_appkw_keywords};
    size_t t;
    const kn_keyword_t *k;

    for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
        for (k = tables[t]; k->name; k++)
            if (strcmp(k->name, name) == 0)
                return k;
    return NULL;
}

static int is_unsupported(const char *name)
{
    int i;

    for (i = 0; unsupported_keywords[i]; i++)
        if (strcmp(unsupported_keywords[i], name) == 0)
            return 1;
    return 0;
}

/* Runs one option "name" or "name: value". */
static int run_option(kn_rparse_t *ps, char *name, char *val)
{
    const kn_keyword_t *k = find_keyword(name);
    int buf;

    if (!k) {
        /* a content modifier first: http_uri and the like are modifiers in Suricata even
         * though the buffer table lists them as legacy sticky names too */
        if ((buf = kn_buffer_by_modifier(name)) >= 0 && !val)
            return kn_kw_modifier(ps, buf);
        if ((buf = kn_buffer_by_sticky(name)) >= 0 && !val)
            return kn_kw_sticky(ps, buf);
        if (is_unsupported(name))
            return kn_kw_unsupported(ps, "keyword '%s' is not supported", name);
        return kn_kw_fail(ps, "unknown keyword '%s'", name);
    }
    if ((k->flags & KN_KWF_VALUE) && (!val || !*val))
        return kn_kw_fail(ps, "'%s' needs a value", name);
    if ((k->flags & KN_KWF_NO_VALUE) && val && *val)
        return kn_kw_fail(ps, "'%s' takes no value", name);
    if (val && unquote(val, negatable_bytes(name)) != 0)
        return kn_kw_fail(ps, "'%s': unterminated quote (a ';' inside a value is written \\;)",
                          name);
    return k->fn(ps, val);
}

/* Only blanks may follow the closing parenthesis (Suricata rejects anything else). */
static int trailing_ok(kn_rparse_t *ps, const char *p, const char *line, kn_rule_msg_t *m)
{
    while (isspace((unsigned char)*p))
        p++;
    if (!*p)
        return KN_KW_OK;
    m->column = (int)(p - line) + 1;
    m->keyword[0] = '\0';
    return kn_kw_fail(ps, "text after the closing ')': '%.20s'", p);
}

static int parse_options(kn_rparse_t *ps, const char *line, const char *opts, kn_rule_msg_t *m)
{
    const char *p = opts;
    char buf[MAX_OPTION_LEN + 3]; /* + NUL, and the byte unquote() may add */

    for (;;) {
        const char *end;
        char *name, *colon, *val = NULL;
        size_t len;
        int rc;

        while (isspace((unsigned char)*p))
            p++;
        m->column = (int)(p - line) + 1; /* no keyword yet: not the previous option's */
        m->keyword[0] = '\0';
        if (*p == ')')
            return trailing_ok(ps, p + 1, line, m);
        if (!*p)
            return kn_kw_fail(ps, "missing ')' at the end of the rule");
        if (!(end = option_end(p)))
            return kn_kw_fail(ps, "missing ';' after the last option");
        len = (size_t)(end - p);
        if (len > MAX_OPTION_LEN)
            return kn_kw_fail(ps, "option longer than %d bytes", MAX_OPTION_LEN);
        memcpy(buf, p, len);
        buf[len] = '\0';
        colon = strchr(buf, ':');
        if (colon) {
            *colon = '\0';
            val = kn_trim(colon + 1);
        }
        name = kn_trim(buf);
        snprintf(m->keyword, sizeof(m->keyword), "%s", name);
        if ((rc = run_option(ps, name, val)) != KN_KW_OK)
            return rc;
        p = end + 1;
    }
}

kn_sig_t *kn_rule_parse(kn_ruleset_t *rs, const char *line, kn_rule_msg_t *msg)
{
    kn_rparse_t ps;
    const char *opts = NULL;
    int rc;

    memset(&ps, 0, sizeof(ps));
    ps.rs = rs;
    ps.cur_buf = KN_BUF_PAYLOAD;
    ps.cur_list = -1;
    ps.last_list = ps.last_content_list = -1;
    if (!(ps.s = calloc(1, sizeof(*ps.s)))) {
        snprintf(msg->text, sizeof(msg->text), "out of memory");
        return NULL;
    }
    ps.s->gid = 1;
    ps.s->classtype = -1;
    ps.s->fp_list = ps.s->fp_sm = -1;
    msg->keyword[0] = '\0';
    msg->column = 1;
    rc = parse_header(&ps, line, &opts);
    if (rc == KN_KW_OK)
        rc = parse_options(&ps, line, opts, msg);
    if (rc == KN_KW_OK) {
        msg->keyword[0] = '\0';
        msg->column = 1; /* what the rule as a whole lacks */
        rc = kn_rule_finish(&ps);
    }
    if (rc != KN_KW_OK) {
        msg->kind = rc == KN_KW_UNSUPPORTED ? KN_RULE_UNSUPPORTED : KN_RULE_FAILED;
        snprintf(msg->text, sizeof(msg->text), "%s", ps.err);
        kn_sig_free(ps.s);
        return NULL;
    }
    return ps.s;
}

/* ---- rule text ----------------------------------------------------------------------------- */

static uint32_t sid_hash(uint32_t gid, uint32_t sid)
{
    uint64_t h = ((uint64_t)gid << 32 | sid) * 0x9e3779b97f4a7c15ULL;
    return (uint32_t)(h >> 32);
}

/* The slot of (gid, sid): the one holding it, or the empty one where it would go. */
static uint32_t *sid_slot(kn_ruleset_t *rs, uint32_t gid, uint32_t sid)
{
    uint32_t i = sid_hash(gid, sid) & (rs->sid_cap - 1);

    while (rs->sid_slots[i]) {
        const kn_sig_t *o = rs->sigs[rs->sid_slots[i] - 1];
        if (o->sid == sid && o->gid == gid)
            break;
        i = (i + 1) & (rs->sid_cap - 1);
    }
    return &rs->sid_slots[i];
}

/* Room for one more signature in the array and in the sid table (kept at most half full). */
static int sig_room(kn_ruleset_t *rs)
{
    uint32_t i, cap;
    kn_sig_t **ns;

    if (rs->nsigs == rs->cap) {
        cap = rs->cap ? rs->cap * 2 : 1024;
        if (!(ns = realloc(rs->sigs, cap * sizeof(*ns))))
            return -1;
        rs->sigs = ns;
        rs->cap = cap;
    }
    if ((rs->nsigs + 1) * 2 <= rs->sid_cap)
        return 0;
    cap = rs->sid_cap ? rs->sid_cap * 2 : 2048;
    free(rs->sid_slots);
    if (!(rs->sid_slots = calloc(cap, sizeof(*rs->sid_slots))))
        return rs->sid_cap = 0, -1;
    rs->sid_cap = cap;
    for (i = 0; i < rs->nsigs; i++)
        *sid_slot(rs, rs->sigs[i]->gid, rs->sigs[i]->sid) = i + 1;
    return 0;
}

/* Adds s (taken over). A second rule with the same gid and sid keeps the higher rev. Returns
 * 0 when added, 1 for a duplicate (m says so), -1 when out of memory. */
static int add_sig(kn_ruleset_t *rs, kn_sig_t *s, kn_rule_msg_t *m)
{
    uint32_t *slot;

    if (sig_room(rs) != 0) {
        kn_sig_free(s);
        return -1;
    }
    slot = sid_slot(rs, s->gid, s->sid);
    if (*slot) {
        kn_sig_t **held = &rs->sigs[*slot - 1];
        rs->stats.duplicates++;
        m->kind = KN_RULE_WARNING;
        snprintf(m->text, sizeof(m->text), "duplicate sid %u: the one with the higher rev "
                 "is kept", s->sid);
        if (s->rev > (*held)->rev) {
            kn_sig_free(*held);
            *held = s;
        } else {
            kn_sig_free(s);
        }
        return 1;
    }
    rs->sigs[rs->nsigs++] = s;
    *slot = rs->nsigs;
    return 0;
}

static void one_rule(kn_ruleset_t *rs, const char *file, int lineno, int indent,
                     const char *line, kn_rule_msg_fn fn, void *user, int *bad)
{
    kn_rule_msg_t m;
    kn_sig_t *s;
    int rc;

    memset(&m, 0, sizeof(m));
    m.file = file;
    m.line = lineno;
    if (!(s = kn_rule_parse(rs, line, &m))) {
        m.column += indent;
        if (m.kind == KN_RULE_UNSUPPORTED)
            rs->stats.unsupported++;
        else
            rs->stats.failed++;
        count_bad_keyword(rs, m.keyword);
        (*bad)++;
        if (fn)
            fn(user, &m);
        return;
    }
    if (is_disabled(rs, s->sid)) {
        rs->stats.skipped_disabled++;
        kn_sig_free(s);
        return;
    }
    rc = add_sig(rs, s, &m);
    if (rc == 0)
        rs->stats.loaded++;
    else if (rc == 1 && fn)
        fn(user, &m); /* a duplicate: counted in stats.duplicates, not loaded again */
}

int kn_ruleset_add_rules(kn_ruleset_t *rs, const char *file, const char *text, kn_rule_msg_fn fn,
                         void *user)
{
    char *line = malloc(MAX_RULE_LEN);
    const char *p = text;
    size_t len = 0;
    int lineno = 0, first = 0, bad = 0;

    if (!line)
        return -1;
    rs->cur_file = file;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        if (n && p[n - 1] == '\r')
            n--;
        if (!len)
            first = lineno;
        if (len + n + 1 < MAX_RULE_LEN) {
            memcpy(line + len, p, n);
            len += n;
        }
        p += (nl ? (size_t)(nl - p) + 1 : strlen(p));
        if (len && line[len - 1] == '\\') { /* continued on the next line */
            len--;
            continue;
        }
        char *l;
        line[len] = '\0';
        len = 0;
        l = kn_trim(line);
        if (!*l || *l == '#')
            continue;
        one_rule(rs, file, first, (int)(l - line), l, fn, user, &bad);
    }
    free(line);
    rs->cur_file = NULL;
    return bad;
}

void kn_ruleset_set_reader(kn_ruleset_t *rs, kn_rule_reader_fn fn, void *user)
{
    rs->reader = fn;
    rs->reader_user = user;
}

/* ---- helpers shared by the keyword files --------------------------------------------------- */

char *kn_trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

int kn_split(char *s, char **parts, int max)
{
    int n = 0;

    while (n < max) {
        char *comma = strchr(s, ',');
        if (comma && n < max - 1)
            *comma = '\0';
        parts[n++] = kn_trim(s);
        if (!comma || n == max)
            break;
        s = comma + 1;
    }
    return n;
}

int kn_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    long long v;
    int base = 10;

    while (isspace((unsigned char)*s))
        s++;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16;
    if (!*s || (!isdigit((unsigned char)*s) && *s != '-' && *s != '+'))
        return -1;
    errno = 0;
    v = strtoll(s, &end, base);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int kn_parse_num(const char *s, uint64_t max, kn_num_t *out)
{
    char buf[64], *p, *sep;
    int64_t a, b;

    snprintf(buf, sizeof(buf), "%s", s);
    p = kn_trim(buf);
    memset(out, 0, sizeof(*out));
    if ((sep = strstr(p, "<>")) || (isdigit((unsigned char)*p) && (sep = strchr(p + 1, '-')))) {
        int dash = *sep == '-';
        *sep = '\0';
        if (kn_parse_i64(p, 0, (int64_t)max, &a) || kn_parse_i64(sep + (dash ? 1 : 2), 0,
                                                                (int64_t)max, &b) || a >= b)
            return -1;
        out->cmp = KN_CMP_RANGE; /* both forms exclude their bounds, as Suricata documents */
        out->a = (uint64_t)a;
        out->b = (uint64_t)b;
        return 0;
    }
    if (p[0] == '<' && p[1] == '=')
        out->cmp = KN_CMP_LE, p += 2;
    else if (p[0] == '>' && p[1] == '=')
        out->cmp = KN_CMP_GE, p += 2;
    else if (p[0] == '!' && p[1] == '=')
        out->cmp = KN_CMP_NE, p += 2;
    else if (p[0] == '<')
        out->cmp = KN_CMP_LT, p++;
    else if (p[0] == '>')
        out->cmp = KN_CMP_GT, p++;
    else if (p[0] == '!')
        out->cmp = KN_CMP_NE, p++;
    else if (p[0] == '=')
        out->cmp = KN_CMP_EQ, p++;
    if (kn_parse_i64(p, 0, (int64_t)max, &a))
        return -1;
    out->a = (uint64_t)a;
    return 0;
}

void kn_sig_free(kn_sig_t *s)
{
    int i, j;

    if (!s)
        return;
    for (i = 0; i < s->nlists; i++) {
        for (j = 0; j < s->lists[i].n; j++) {
            kn_sm_t *sm = &s->lists[i].sm[j];
            if (sm->type == KN_SM_CONTENT)
                free(sm->u.content.pat);
            else if (sm->type == KN_SM_PCRE)
                kn_pcre_free(sm->u.pcre.re);
        }
        free(s->lists[i].sm);
    }
    free(s->lists);
    for (i = 0; i < s->nmetadata; i++)
        free(s->metadata[i]);
    for (i = 0; i < s->napp; i++) {
        free(s->appkw[i].arg);
        free(s->appkw[i].hashes);
    }
    free(s->appkw);
    free(s->metadata);
    free(s->msg);
    free(s->hdr);
    free(s->events);
    free(s->bits);
    free(s->ints);
    kn_ipset_free(&s->src);
    kn_ipset_free(&s->dst);
    kn_portset_free(&s->sp);
    kn_portset_free(&s->dp);
    free(s);
}
