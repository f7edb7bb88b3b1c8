/* config.c: defaults, then the YAML file, then --set, each setting validated where it is read.
 *
 * The file has suricata.yaml's shape, so a Suricata configuration is read as is: the settings
 * kanshi implements are taken (docs/config.md lists them with their defaults), a bad value is
 * an error naming file:line, an unknown key inside a section kanshi reads is a warning naming
 * file:line (most likely a typo), and whole top-level sections kanshi does not use are listed
 * in one warning. Scalar settings are a table; the nested ones (outputs, flow-timeouts, pcap,
 * vars) have a function each. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "yamltree.h"

typedef struct kn_cfgctx {
    kn_config_t *cfg;
    int errors;
} kn_cfgctx_t;

typedef enum { T_BOOL, T_U32, T_U16, T_SIZE, T_SIZE32, T_STR, T_U8BOOL } kn_ctype_t;

typedef struct kn_setting {
    const char *path;
    kn_ctype_t type;
    size_t off;
    uint64_t min, max;
} kn_setting_t;

#define E(f) offsetof(kn_config_t, engine.f)
#define C(f) offsetof(kn_config_t, f)

static const kn_setting_t settings[] = {
    {"default-log-dir", T_STR, C(log_dir), 0, 0},
    {"classification-file", T_STR, C(classification_file), 0, 0},
    {"reference-config-file", T_STR, C(reference_file), 0, 0},
    {"threshold-file", T_STR, C(threshold_file), 0, 0},
    {"disable-sid-file", T_STR, C(disable_sid_file), 0, 0},
    {"detect.sgh-mpm-caching", T_BOOL, C(mpm_cache), 0, 1},
    {"detect.sgh-mpm-caching-path", T_STR, C(mpm_cache_dir), 0, 0},
    {"flow.memcap", T_SIZE, E(flow_memcap), 1 << 20, UINT64_MAX},
    {"flow.hash-size", T_U32, E(flow_hash_size), 1, 1u << 26},
    {"flow.prealloc", T_U32, E(flow_prealloc), 0, UINT32_MAX},
    {"flow.emergency-recovery", T_U32, E(emergency_recovery), 0, 100},
    {"defrag.memcap", T_SIZE, E(defrag_memcap), 4096, UINT64_MAX},
    {"defrag.timeout", T_U32, E(defrag_timeout), 1, 86400},
    {"defrag.max-frags", T_U32, E(defrag_max_frags), 1, UINT32_MAX},
    {"defrag.trackers", T_U32, E(defrag_trackers), 1, UINT32_MAX},
    {"stream.midstream", T_U8BOOL, E(midstream), 0, 1},
    {"stream.reassembly.depth", T_SIZE32, E(stream_depth), 0, UINT32_MAX},
    {"stream.reassembly.memcap", T_SIZE, E(stream_memcap), 1 << 16, UINT64_MAX},
    {"stream.reassembly.inspect-overlap", T_SIZE32, E(stream_overlap), 0, 1 << 20},
    {"detect.flow-state-memcap", T_SIZE, E(detect_state_memcap), 1 << 16, UINT64_MAX},
    {"app-layer.enabled", T_U8BOOL, E(app_enabled), 0, 1},
    {"app-layer.state-cap", T_SIZE32, E(app_state_cap), 4096, UINT32_MAX},
    {"app-layer.protocols.ssh.hassh", T_U8BOOL, E(ssh_hassh), 0, 1},
    {"app-layer.protocols.http.libhtp.default-config.request-body-limit", T_SIZE32,
     E(http_body_limit[0]), 0, UINT32_MAX},
    {"app-layer.protocols.http.libhtp.default-config.response-body-limit", T_SIZE32,
     E(http_body_limit[1]), 0, UINT32_MAX},
    {"app-layer.protocols.http.libhtp.default-config.decompression-limit", T_SIZE32,
     E(http_decompress_limit), 4096, UINT32_MAX},
    {"vlan.use-for-tracking", T_U8BOOL, E(vlan_tracking), 0, 1},
    {"stats.enabled", T_BOOL, C(stats_enabled), 0, 1},
    {"stats.interval", T_U32, C(stats_interval), 1, 86400},
    {NULL, T_BOOL, 0, 0, 0},
};

/* Sections whose every key kanshi reads: an unknown key in them is reported on its own. */
static const char *const read_sections[] = {
    "vars", "flow", "flow-timeouts", "defrag", "stats", "decoder", "vlan", "outputs",
    "pcap", "pcap-file", "default-log-dir", "default-rule-path", "rule-files",
    "classification-file", "reference-config-file", "threshold-file", "disable-sid-file", NULL};

int kn_strlist_add(kn_strlist_t *l, const char *s)
{
    char **nv = realloc(l->v, (l->n + 1) * sizeof(*nv));

    if (!nv)
        return -1;
    l->v = nv;
    if (!(nv[l->n] = strdup(s)))
        return -1;
    l->n++;
    return 0;
}

void kn_strlist_free(kn_strlist_t *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int kn_parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1", "enable", "enabled", NULL};
    static const char *const no[] = {"no", "false", "off", "0", "disable", "disabled", NULL};
    int i;

    for (i = 0; yes[i]; i++)
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, 0;
    for (i = 0; no[i]; i++)
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, 0;
    return -1;
}

int kn_parse_size(const char *s, uint64_t *out)
{
    static const struct { const char *unit; uint64_t mult; } units[] = {
        {"", 1}, {"b", 1}, {"kb", 1ULL << 10}, {"kib", 1ULL << 10}, {"k", 1ULL << 10},
        {"mb", 1ULL << 20}, {"mib", 1ULL << 20}, {"m", 1ULL << 20}, {"gb", 1ULL << 30},
        {"gib", 1ULL << 30}, {"g", 1ULL << 30}, {NULL, 0}};
    char *end;
    unsigned long long v;
    int i;

    errno = 0;
    if (!isdigit((unsigned char)*s))
        return -1;
    v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    while (*end == ' ')
        end++;
    for (i = 0; units[i].unit; i++) {
        if (strcasecmp(end, units[i].unit) == 0) {
            if (v > UINT64_MAX / units[i].mult)
                return -1;
            *out = v * units[i].mult;
            return 0;
        }
    }
    return -1;
}

static void cfg_error(kn_cfgctx_t *cx, const kn_ynode_t *n, const char *path, const char *what)
{
    if (n->line)
        kn_err("%s:%d: %s: %s", n->file, n->line, path, what);
    else
        kn_err("%s: %s: %s", n->file, path, what);
    cx->errors++;
}

static int scalar(kn_cfgctx_t *cx, const kn_ynode_t *n, const char *path)
{
    if (n->type == KN_Y_SCALAR)
        return 1;
    cfg_error(cx, n, path, "expected a single value, not a list or a section");
    return 0;
}

static void set_u64(void *field, kn_ctype_t t, uint64_t v)
{
    switch (t) {
    case T_U16:
        *(uint16_t *)field = (uint16_t)v;
        break;
    case T_U8BOOL:
        *(uint8_t *)field = (uint8_t)v;
        break;
    case T_BOOL:
        *(int *)field = (int)v;
        break;
    case T_U32:
    case T_SIZE32:
        *(uint32_t *)field = (uint32_t)v;
        break;
    default:
        *(uint64_t *)field = v;
    }
}

static void apply_setting(kn_cfgctx_t *cx, const kn_setting_t *s, kn_ynode_t *n)
{
    void *field = (char *)cx->cfg + s->off;
    char what[600];
    uint64_t v = 0;
    int b, ok = 1;
    char *end;

    if (!scalar(cx, n, s->path))
        return;
    switch (s->type) {
    case T_STR:
        free(*(char **)field);
        *(char **)field = strdup(n->value);
        return;
    case T_BOOL:
    case T_U8BOOL:
        ok = kn_parse_bool(n->value, &b) == 0;
        v = (uint64_t)b;
        break;
    case T_SIZE:
    case T_SIZE32:
        ok = kn_parse_size(n->value, &v) == 0;
        break;
    default:
        errno = 0;
        v = strtoull(n->value, &end, 10);
        ok = isdigit((unsigned char)n->value[0]) && !errno && *end == '\0';
        break;
    }
    if (ok && (v < s->min || v > s->max))
        ok = 0;
    if (!ok) {
        snprintf(what, sizeof(what), "bad value '%.200s' (expected %s in %llu..%llu)", n->value,
                 (s->type == T_SIZE || s->type == T_SIZE32) ? "a size such as 64mb"
                 : (s->type == T_BOOL || s->type == T_U8BOOL) ? "yes or no"
                                                              : "a whole number",
                 (unsigned long long)s->min, (unsigned long long)s->max);
        cfg_error(cx, n, s->path, what);
        return;
    }
    set_u64(field, s->type, v);
}

static void read_timeouts(kn_cfgctx_t *cx, kn_ynode_t *root)
{
    static const char *const cls[KN_FC_MAX] = {"default", "tcp", "udp", "icmp"};
    static const struct { const char *key; size_t off; } keys[] = {
        {"new", offsetof(kn_timeouts_t, new_)},
        {"established", offsetof(kn_timeouts_t, established)},
        {"closed", offsetof(kn_timeouts_t, closed)},
        {"emergency-new", offsetof(kn_timeouts_t, emerg_new)},
        {"emergency-established", offsetof(kn_timeouts_t, emerg_established)},
        {"emergency-closed", offsetof(kn_timeouts_t, emerg_closed)},
        {"bypassed", (size_t)-1},
        {"emergency-bypassed", (size_t)-1}};
    char path[128];
    int c;
    size_t k;

    for (c = 0; c < KN_FC_MAX; c++) {
        for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
            kn_setting_t s = {path, T_U32, 0, 0, 86400 * 30};
            kn_ynode_t *n;

            snprintf(path, sizeof(path), "flow-timeouts.%s.%s", cls[c], keys[k].key);
            if (!(n = kn_ynode_path(root, path)) || keys[k].off == (size_t)-1)
                continue; /* bypass timeouts: nothing is bypassed in a passive sensor */
            s.off = offsetof(kn_config_t, engine.timeouts) + (size_t)c * sizeof(kn_timeouts_t) +
                    keys[k].off;
            apply_setting(cx, &s, n);
        }
    }
}

static void read_vars(kn_cfgctx_t *cx, kn_ynode_t *root, const char *section, kn_vars_t *vars)
{
    kn_ynode_t *m = kn_ynode_path(root, section), *c;

    if (!m)
        return;
    if (m->type != KN_Y_MAP) {
        cfg_error(cx, m, section, "expected a section of NAME: value entries");
        return;
    }
    for (c = m->child; c; c = c->next) {
        c->used = 1;
        if (c->type != KN_Y_SCALAR) {
            cfg_error(cx, c, c->key, "expected a value such as \"[10.0.0.0/8]\"");
            continue;
        }
        kn_strlist_add(&vars->names, c->key);
        kn_strlist_add(&vars->values, c->value);
    }
}

static const char *var_value(const kn_vars_t *vars, const char *name)
{
    size_t i;

    for (i = 0; i < vars->names.n; i++)
        if (strcmp(vars->names.v[i], name) == 0)
            return vars->values.v[i];
    return NULL;
}

/* A tunnel decoder's UDP port: "4789", "[4789, 8472]" (the first is used) or "$VXLAN_PORTS". */
static int tunnel_port(const kn_config_t *cfg, const char *v, uint16_t *out)
{
    unsigned long port;
    char *end;

    if (v[0] == '$' && !(v = var_value(&cfg->port_groups, v + 1)))
        return -1;
    while (*v == '[' || *v == ' ' || *v == '"')
        v++;
    errno = 0;
    port = strtoul(v, &end, 10);
    if (errno || end == v || port > 65535 || (*end && *end != ',' && *end != ']' && *end != ' '))
        return -1;
    *out = (uint16_t)port;
    return 0;
}

/* decoder.{vxlan,geneve,teredo,gtpu}.{enabled,ports}; the vars default as in Suricata. */
static void read_decoder(kn_cfgctx_t *cx, kn_ynode_t *root)
{
    static const struct { const char *name; size_t off; } tun[] = {
        {"vxlan", E(vxlan_port)}, {"geneve", E(geneve_port)},
        {"teredo", E(teredo_port)}, {"gtpu", E(gtpu_port)}};
    char path[64];
    size_t i;
    int b;

    for (i = 0; i < sizeof(tun) / sizeof(tun[0]); i++) {
        uint16_t *port = (uint16_t *)((char *)cx->cfg + tun[i].off);
        kn_ynode_t *n;

        snprintf(path, sizeof(path), "decoder.%s.ports", tun[i].name);
        if ((n = kn_ynode_path(root, path)) && scalar(cx, n, path) &&
            tunnel_port(cx->cfg, n->value, port) != 0 && n->value[0] != '$')
            cfg_error(cx, n, path, "expected a UDP port");
        snprintf(path, sizeof(path), "decoder.%s.enabled", tun[i].name);
        if ((n = kn_ynode_path(root, path)) && scalar(cx, n, path)) {
            if (kn_parse_bool(n->value, &b) != 0)
                cfg_error(cx, n, path, "expected yes or no");
            else if (!b)
                *port = 0;
        }
    }
}

/* A policy name (kanshi's own keys defrag.policy and stream.reassembly.policy): which copy of
 * overlapping bytes wins. names[] is in the engine enum's order. */
static void read_policy(kn_cfgctx_t *cx, kn_ynode_t *root, const char *path,
                        const char *const *names, const char *expected, uint8_t *out)
{
    kn_ynode_t *n = kn_ynode_path(root, path);
    int i;

    if (!n || !scalar(cx, n, path))
        return;
    for (i = 0; names[i]; i++) {
        if (strcmp(n->value, names[i]) == 0) {
            *out = (uint8_t)i;
            return;
        }
    }
    cfg_error(cx, n, path, expected);
}

static void read_policies(kn_cfgctx_t *cx, kn_ynode_t *root)
{
    static const char *const defrag[] = {"bsd", "linux", "first", "last", NULL};
    static const char *const tcp[] = {"bsd", "linux", "windows", "first", "last", NULL};

    read_policy(cx, root, "defrag.policy", defrag, "expected bsd, linux, first or last",
                &cx->cfg->engine.defrag_policy);
    read_policy(cx, root, "stream.reassembly.policy", tcp,
                "expected bsd, linux, windows, first or last", &cx->cfg->engine.stream_policy);
}

static void mark_all(kn_ynode_t *n)
{
    for (; n; n = n->next) {
        n->used = 1;
        mark_all(n->child);
    }
}

static int in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

/* The bit of an eve-log type name; KN_EVE_OTHER_APP for Suricata's other loggers, 0 unknown. */
static unsigned eve_type_bit(const char *name)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        {"alert", KN_EVE_ALERT}, {"anomaly", KN_EVE_ANOMALY}, {"flow", KN_EVE_FLOW},
        {"stats", KN_EVE_STATS}, {"http", KN_EVE_HTTP}, {"dns", KN_EVE_DNS},
        {"tls", KN_EVE_TLS}, {"files", KN_EVE_FILES}, {"smtp", KN_EVE_SMTP},
        {"ssh", KN_EVE_SSH}, {"ftp", KN_EVE_FTP}, {"quic", KN_EVE_QUIC}, {"irc", KN_EVE_IRC},
        {"bittorrent", KN_EVE_BITTORRENT}, {"bittorrent-dht", KN_EVE_BITTORRENT_DHT},
        {NULL, 0}};
    static const char *const other_app[] = {
        "rdp", "nfs", "smb", "tftp", "ike", "dcerpc", "krb5", "snmp",
        "rfb", "mqtt", "http2", "pgsql", "dhcp", "sip", "ldap", "arp", "drop",
        "netflow", "frame", "metadata", "dnp3", "modbus", "enip", "websocket", "pop3",
        "mdns", "llmnr", "doh2", "template", "email", NULL};
    int i;

    for (i = 0; names[i].name; i++)
        if (strcmp(name, names[i].name) == 0)
            return names[i].bit;
    return in_list(other_app, name) ? KN_EVE_OTHER_APP : 0;
}

/* A yes/no option of an eve-log type; sets *out and returns 1 when present and valid. */
static int type_flag(kn_cfgctx_t *cx, kn_ynode_t *opts, const char *key, int *out)
{
    kn_ynode_t *n = kn_ynode_path(opts, key);

    if (!n || !scalar(cx, n, key))
        return 0;
    if (kn_parse_bool(n->value, out) == 0)
        return 1;
    cfg_error(cx, n, key, "expected yes or no");
    return 0;
}

/* anomaly: {types: {decode, stream, applayer}}; alert: {packet, payload, payload-printable};
 * stats: {totals}; files: {force-magic}. The other options are Suricata's and are accepted
 * without effect. */
static void read_type_options(kn_cfgctx_t *cx, const char *name, kn_ynode_t *opts)
{
    static const struct { const char *type, *key; unsigned bit; size_t off; } opt[] = {
        {"anomaly", "types.decode", KN_ANOMALY_DECODE, 0},
        {"anomaly", "types.stream", KN_ANOMALY_STREAM, 0},
        {"anomaly", "types.applayer", KN_ANOMALY_APPLAYER, 0},
        {"alert", "packet", 0, C(alert_packet)},
        {"alert", "payload", 0, C(alert_payload)},
        {"alert", "payload-printable", 0, C(alert_payload_printable)},
        {"alert", "metadata", 0, C(alert_metadata)},
        {"stats", "totals", 0, C(stats_totals)},
        {"files", "force-magic", 0, C(file_magic)}};
    static const char *const dump[] = {"none", "request", "response", "both", NULL};
    kn_config_t *cfg = cx->cfg;
    size_t i;
    int b;

    for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
        if (strcmp(opt[i].type, name) != 0 || !type_flag(cx, opts, opt[i].key, &b))
            continue;
        if (!opt[i].bit)
            *(int *)((char *)cfg + opt[i].off) = b;
        else if (b)
            cfg->anomaly_types |= opt[i].bit;
        else
            cfg->anomaly_types &= ~opt[i].bit;
    }
    if (strcmp(name, "http") == 0) /* bit 0 request, bit 1 response */
        read_policy(cx, opts, "dump-all-headers", dump, "expected none, request, response or both",
                    &cfg->engine.http_dump_all_headers);
    mark_all(opts->child);
}

/* One entry of eve-log.types: "flow", or {anomaly: {...}}. */
static void read_eve_type(kn_cfgctx_t *cx, kn_ynode_t *t)
{
    kn_ynode_t *opts = NULL;
    const char *name = t->value;
    unsigned bit;
    int b;

    if (t->type == KN_Y_MAP && t->child) {
        opts = t->child;
        opts->used = 1;
        name = opts->key;
    }
    if (!name)
        return;
    if (!(bit = eve_type_bit(name))) {
        kn_warn("%s:%d: eve-log type '%s' is unknown (ignored)", t->file, t->line, name);
        mark_all(opts ? opts->child : NULL);
        return;
    }
    if (opts && type_flag(cx, opts, "enabled", &b) && !b) {
        mark_all(opts->child);
        return;
    }
    cx->cfg->eve_types |= bit;
    if (opts)
        read_type_options(cx, name, opts);
}

static void read_eve(kn_cfgctx_t *cx, kn_ynode_t *eve)
{
    kn_config_t *cfg = cx->cfg;
    kn_ynode_t *n, *types;
    int b;

    if ((n = kn_ymap_get(eve, "enabled")) && scalar(cx, n, "eve-log.enabled")) {
        if (kn_parse_bool(n->value, &b) != 0)
            cfg_error(cx, n, "eve-log.enabled", "expected yes or no");
        else
            cfg->eve_enabled = b;
    }
    if ((n = kn_ymap_get(eve, "filetype")) && scalar(cx, n, "eve-log.filetype") &&
        strcmp(n->value, "regular") != 0)
        cfg_error(cx, n, "eve-log.filetype", "only 'regular' files are supported");
    if ((n = kn_ymap_get(eve, "filename")) && scalar(cx, n, "eve-log.filename")) {
        free(cfg->eve_filename);
        cfg->eve_filename = strdup(n->value);
    }
    if ((n = kn_ymap_get(eve, "community-id")) && scalar(cx, n, "eve-log.community-id")) {
        if (kn_parse_bool(n->value, &b) != 0)
            cfg_error(cx, n, "eve-log.community-id", "expected yes or no");
        else
            cfg->engine.community_id = (uint8_t)b;
    }
    if ((n = kn_ymap_get(eve, "community-id-seed"))) {
        kn_setting_t s = {"eve-log.community-id-seed", T_U16, E(community_id_seed), 0, 65535};
        apply_setting(cx, &s, n);
    }
    if ((types = kn_ymap_get(eve, "types"))) {
        cfg->eve_types = 0;
        cfg->anomaly_types = KN_ANOMALY_APPLAYER;
        if (types->type != KN_Y_SEQ)
            cfg_error(cx, types, "eve-log.types", "expected a list of event types");
        else
            for (n = types->child; n; n = n->next) {
                n->used = 1;
                read_eve_type(cx, n);
            }
    }
    mark_all(kn_ymap_get(eve, "append"));
    mark_all(kn_ymap_get(eve, "pcap-file"));
}

/* file-store (Suricata's version 2 layout): enabled, dir, max-open-files; the hashing and
 * stream options are Suricata's own and are accepted without effect. */
static void read_filestore(kn_cfgctx_t *cx, kn_ynode_t *body)
{
    kn_config_t *cfg = cx->cfg;
    kn_ynode_t *n;
    int b;

    if ((n = kn_ymap_get(body, "enabled")) && scalar(cx, n, "file-store.enabled")) {
        if (kn_parse_bool(n->value, &b) != 0)
            cfg_error(cx, n, "file-store.enabled", "expected yes or no");
        else
            cfg->filestore_enabled = b;
    }
    if ((n = kn_ymap_get(body, "version")) && scalar(cx, n, "file-store.version") &&
        strcmp(n->value, "2") != 0)
        cfg_error(cx, n, "file-store.version", "only version 2 (files named by sha256) exists");
    if ((n = kn_ymap_get(body, "dir")) && scalar(cx, n, "file-store.dir")) {
        free(cfg->filestore_dir);
        cfg->filestore_dir = strdup(n->value);
    }
    if ((n = kn_ymap_get(body, "max-open-files"))) {
        kn_setting_t s = {"file-store.max-open-files", T_U32, C(filestore_max_open), 1, 65536};
        apply_setting(cx, &s, n);
    }
    mark_all(body->child);
}

static void read_outputs(kn_cfgctx_t *cx, kn_ynode_t *root)
{
    kn_ynode_t *outs = kn_ymap_get(root, "outputs"), *o;
    int eve_seen = 0;

    if (!outs)
        return;
    if (outs->type != KN_Y_SEQ) {
        cfg_error(cx, outs, "outputs", "expected a list of outputs");
        return;
    }
    cx->cfg->eve_enabled = 0; /* a config that lists outputs enables only those */
    for (o = outs->child; o; o = o->next) {
        kn_ynode_t *body = o->type == KN_Y_MAP ? o->child : NULL;
        o->used = 1;
        if (!body)
            continue;
        body->used = 1;
        if (strcmp(body->key, "eve-log") == 0 && !eve_seen && body->type == KN_Y_MAP) {
            eve_seen = 1;
            read_eve(cx, body);
        } else if (strcmp(body->key, "file-store") == 0 && body->type == KN_Y_MAP) {
            read_filestore(cx, body);
        } else {
            kn_ynode_t *en = kn_ymap_get(body, "enabled");
            int b = 0;
            if (en && en->type == KN_Y_SCALAR && kn_parse_bool(en->value, &b) == 0 && b)
                kn_warn("%s:%d: output '%s' is not supported (only the first eve-log is written)",
                        body->file, body->line, body->key);
            mark_all(body->child);
        }
    }
}

static void read_pcap(kn_cfgctx_t *cx, kn_ynode_t *root)
{
    kn_ynode_t *list = kn_ymap_get(root, "pcap"), *e, *n;
    kn_config_t *cfg = cx->cfg;
    int b;

    if ((n = kn_ynode_path(root, "pcap-file.checksum-checks")) && scalar(cx, n, "checksum")) {
        if (strcmp(n->value, "auto") == 0)
            cfg->csum_opt = KN_CSUM_OPT_AUTO;
        else if (kn_parse_bool(n->value, &b) == 0)
            cfg->csum_opt = b ? KN_CSUM_OPT_ALL : KN_CSUM_OPT_NONE;
        else
            cfg_error(cx, n, "pcap-file.checksum-checks", "expected auto, yes or no");
    }
    if (!list || list->type != KN_Y_SEQ)
        return;
    for (e = list->child; e; e = e->next) { /* the first entry sets the capture defaults */
        kn_setting_t s[] = {{"snaplen", T_U32, C(snaplen), 64, 262144},
                            {"promisc", T_BOOL, C(promisc), 0, 1},
                            {"buffer-size", T_SIZE, 0, 0, UINT32_MAX}};
        uint64_t bs;
        e->used = 1;
        if (e->type != KN_Y_MAP)
            continue;
        if ((n = kn_ymap_get(e, "snaplen")))
            apply_setting(cx, &s[0], n);
        if ((n = kn_ymap_get(e, "promisc")))
            apply_setting(cx, &s[1], n);
        if ((n = kn_ymap_get(e, "buffer-size")) && scalar(cx, n, "buffer-size")) {
            if (kn_parse_size(n->value, &bs) != 0 || bs > UINT32_MAX)
                cfg_error(cx, n, "pcap.buffer-size", "expected a size such as 32mb");
            else
                cfg->buffer_size = (uint32_t)bs;
        }
        mark_all(e->child); /* interface, bpf-filter, checksum-checks: given on the command line */
        break;
    }
}

static void read_rules(kn_cfgctx_t *cx, kn_ynode_t *root)
{
    kn_ynode_t *files = kn_ymap_get(root, "rule-files"), *dir = kn_ymap_get(root, "default-rule-path");
    char path[4096];
    kn_ynode_t *f;

    if (dir && dir->type == KN_Y_SCALAR && !cx->cfg->default_rule_path)
        cx->cfg->default_rule_path = strdup(dir->value);
    if (!files || cx->cfg->rules_exclusive)
        return;
    if (files->type != KN_Y_SEQ) {
        cfg_error(cx, files, "rule-files", "expected a list of file names");
        return;
    }
    for (f = files->child; f; f = f->next) {
        f->used = 1;
        if (f->type != KN_Y_SCALAR)
            continue;
        if (f->value[0] != '/' && dir && dir->type == KN_Y_SCALAR)
            snprintf(path, sizeof(path), "%s/%s", dir->value, f->value);
        else
            snprintf(path, sizeof(path), "%s", f->value);
        kn_strlist_add(&cx->cfg->rule_files, path);
    }
}


static void warn_unused_below(const kn_ynode_t *n, const char *prefix)
{
    char path[512];
    const kn_ynode_t *c;

    for (c = n->child; c; c = c->next) {
        snprintf(path, sizeof(path), "%s.%s", prefix, c->key ? c->key : "-");
        if (!c->used)
            kn_warn("%s:%d: '%s' is not a kanshi setting (ignored)", c->file, c->line, path);
        else if (c->type == KN_Y_MAP)
            warn_unused_below(c, path);
    }
}

/* Top-level sections kanshi never reads are summed up in one line; keys kanshi does not know
 * inside the sections it reads are listed one by one, as they are likely typos. */
static void warn_unused(const kn_ytree_t *t)
{
    char list[1024] = "";
    size_t len = 0;
    int n = 0;
    const kn_ynode_t *c;

    for (c = t->root->child; c; c = c->next) {
        if (in_list(read_sections, c->key)) {
            if (c->type == KN_Y_MAP)
                warn_unused_below(c, c->key);
            continue;
        }
        if (c->used)
            continue;
        n++;
        if (len < sizeof(list) - 64)
            len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "",
                                    c->key);
    }
    if (n)
        kn_warn("%s: %d section%s not used by kanshi: %s%s", t->nfiles ? t->files[0] : "config",
                n, n == 1 ? "" : "s", list, len >= sizeof(list) - 64 ? ", ..." : "");
}

void kn_config_defaults(kn_config_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    kn_engine_config_defaults(&cfg->engine);
    cfg->log_dir = strdup(".");
    cfg->eve_enabled = 1;
    cfg->eve_filename = strdup("eve.json");
    cfg->filestore_dir = strdup("filestore");
    cfg->filestore_max_open = 256;
    cfg->file_magic = 1;
    /* Suricata's default eve-log: every logger on; anomalies for the app layer only */
    cfg->eve_types = KN_EVE_ALERT | KN_EVE_ANOMALY | KN_EVE_FLOW | KN_EVE_STATS | KN_EVE_HTTP |
                     KN_EVE_DNS | KN_EVE_TLS | KN_EVE_FILES | KN_EVE_SMTP | KN_EVE_SSH |
                     KN_EVE_OTHER_APP | KN_EVE_FTP | KN_EVE_QUIC | KN_EVE_IRC |
                     KN_EVE_BITTORRENT | KN_EVE_BITTORRENT_DHT;
    cfg->anomaly_types = KN_ANOMALY_APPLAYER;
    cfg->stats_enabled = 1;
    cfg->stats_interval = 8;
    cfg->stats_totals = 1;
    cfg->alert_metadata = 1;
    cfg->snaplen = 65535;
    cfg->promisc = 1;
    cfg->csum_opt = KN_CSUM_OPT_AUTO;
    cfg->mpm_cache = 1;
}

static int apply_sets(kn_cfgctx_t *cx, kn_ytree_t *t)
{
    char err[1024];
    size_t i;

    for (i = 0; i < cx->cfg->sets.n; i++) {
        char *kv = cx->cfg->sets.v[i], *eq = strchr(kv, '=');
        if (!eq) {
            kn_err("--set %s: expected key=value", kv);
            cx->errors++;
            continue;
        }
        *eq = '\0';
        if (kn_ytree_set(t, kv, eq + 1, err, sizeof(err)) != 0) {
            kn_err("%s", err);
            cx->errors++;
        }
        *eq = '=';
    }
    return cx->errors;
}

int kn_config_load(kn_config_t *cfg)
{
    kn_cfgctx_t cx = {cfg, 0};
    const kn_setting_t *s;
    kn_ytree_t t;
    char err[1024];

    if (kn_ytree_init(&t) != 0) {
        kn_err("out of memory");
        return 1;
    }
    if (cfg->config_file && kn_ytree_load(&t, cfg->config_file, err, sizeof(err)) != 0) {
        kn_err("%s", err);
        kn_ytree_free(&t);
        return 1;
    }
    apply_sets(&cx, &t);
    for (s = settings; s->path; s++) {
        kn_ynode_t *n = kn_ynode_path(t.root, s->path);
        if (n)
            apply_setting(&cx, s, n);
    }
    read_timeouts(&cx, t.root);
    read_vars(&cx, t.root, "vars.address-groups", &cfg->address_groups);
    read_vars(&cx, t.root, "vars.port-groups", &cfg->port_groups);
    read_decoder(&cx, t.root);
    read_policies(&cx, t.root);
    read_outputs(&cx, t.root);
    cfg->engine.file_data_events = (uint8_t)(cfg->filestore_enabled != 0);
    read_pcap(&cx, t.root);
    read_rules(&cx, t.root);
    mark_all(kn_ymap_get(t.root, "default-rule-path"));
    warn_unused(&t);
    kn_ytree_free(&t);
    return cx.errors;
}

void kn_config_free(kn_config_t *cfg)
{
    kn_strlist_free(&cfg->read_files);
    kn_strlist_free(&cfg->ifaces);
    kn_strlist_free(&cfg->sets);
    kn_strlist_free(&cfg->rule_files);
    kn_strlist_free(&cfg->address_groups.names);
    kn_strlist_free(&cfg->address_groups.values);
    kn_strlist_free(&cfg->port_groups.names);
    kn_strlist_free(&cfg->port_groups.values);
    free(cfg->bpf);
    free(cfg->config_file);
    free(cfg->log_dir);
    free(cfg->eve_filename);
    free(cfg->filestore_dir);
    free(cfg->classification_file);
    free(cfg->default_rule_path);
    free(cfg->reference_file);
    free(cfg->threshold_file);
    free(cfg->disable_sid_file);
    free(cfg->mpm_cache_dir);
}
