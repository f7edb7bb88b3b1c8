/* rules.c: rule files -> a built engine rule set.
 *
 * The engine parses and builds; this file does the I/O around it: reading classification.config
 * and the rule files, the variables of the configuration, the list of disabled sids, printing
 * what failed (file:line:column and keyword), and the compiled prefilter cache on disk, keyed by
 * the rule set, the Hyperscan version and the CPU, written atomically so a stale or torn file is
 * never used. */
#include "rules.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define MAX_FILE (256u << 20)
#define SHOW_PROBLEMS 20

typedef struct kn_load {
    const kn_config_t *cfg;
    int shown;
    int failed; /* rules and configuration lines that are wrong (not the unsupported ones) */
} kn_load_t;

/* Reads a whole file; NULL with errno set on failure. Caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && (unsigned long)n < MAX_FILE &&
        fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
            free(buf);
            buf = NULL;
            errno = EIO;
        } else {
            buf[n] = '\0';
            if (len)
                *len = (size_t)n;
        }
    } else if (!errno) {
        errno = EFBIG;
    }
    fclose(fp);
    return buf;
}

static void on_msg(void *user, const kn_rule_msg_t *m)
{
    kn_load_t *ld = user;
    static const char *const kinds[] = {"failed", "unsupported", "warning"};

    ld->failed += m->kind == KN_RULE_FAILED;
    if (ld->shown++ >= SHOW_PROBLEMS && !ld->cfg->verbose)
        return;
    kn_log(m->kind == KN_RULE_FAILED ? KN_LOG_ERROR : KN_LOG_WARN, "%s:%d:%d: %s%s%s (%s)",
           m->file, m->line, m->column, m->keyword, m->keyword[0] ? ": " : "", m->text,
           kinds[m->kind]);
}

/* Files rules name (filemd5:list.txt ...): an absolute name as it is; else in
 * default-rule-path, then beside the rule file, as Suricata looks for them. */
static char *read_rule_file(void *user, const char *rule_file, const char *name, char *why,
                            size_t whylen)
{
    const kn_config_t *cfg = user;
    const char *slash = rule_file ? strrchr(rule_file, '/') : NULL;
    char path[PATH_MAX];
    char *text;

    if (name[0] == '/' || !cfg->default_rule_path)
        snprintf(path, sizeof(path), "%s", name);
    else
        snprintf(path, sizeof(path), "%s/%s", cfg->default_rule_path, name);
    if ((text = slurp(path, NULL)) || name[0] == '/')
        goto out;
    if (slash)
        snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - rule_file), rule_file, name);
    else
        snprintf(path, sizeof(path), "%s", name); /* a rule file in the working directory */
    text = slurp(path, NULL);
out:
    if (!text)
        snprintf(why, whylen, "%s: %s", path, strerror(errno));
    return text;
}

/* classification.config: the configured file, else rules/ beside the binary, else ./rules/. */
static char *classification_path(const kn_config_t *cfg)
{
    char exe[PATH_MAX], *slash, path[PATH_MAX + 64];
    ssize_t n;

    if (cfg->classification_file)
        return strdup(cfg->classification_file);
    if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
        exe[n] = '\0';
        if ((slash = strrchr(exe, '/'))) {
            *slash = '\0';
            snprintf(path, sizeof(path), "%s/../rules/classification.config", exe);
            if (access(path, R_OK) == 0)
                return strdup(path);
        }
    }
    return access("rules/classification.config", R_OK) == 0
               ? strdup("rules/classification.config")
               : NULL;
}

static int load_classifications(kn_ruleset_t *rs, const kn_config_t *cfg, kn_load_t *ld)
{
    char *path = classification_path(cfg), *text;

    if (!path) {
        kn_warn("no classification.config found: rules with a classtype will fail "
                "(set classification-file)");
        return 0;
    }
    if (!(text = slurp(path, NULL))) {
        kn_err("classification file %s: cannot read: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    kn_ruleset_add_classifications(rs, path, text, on_msg, ld);
    free(text);
    free(path);
    return 0;
}

/* threshold.config, when configured: suppress and threshold entries; a bad line is reported
 * like a bad rule and skipped. */
static int load_thresholds(kn_ruleset_t *rs, const kn_config_t *cfg, kn_load_t *ld)
{
    char *text;

    if (!cfg->threshold_file)
        return 0;
    if (!(text = slurp(cfg->threshold_file, NULL))) {
        kn_err("threshold-file %s: cannot read: %s", cfg->threshold_file, strerror(errno));
        return -1;
    }
    kn_ruleset_add_thresholds(rs, cfg->threshold_file, text, on_msg, ld);
    free(text);
    return 0;
}

/* One sid per line ("2010935" or "1:2010935"); '#' comments. */
static int load_disabled(kn_ruleset_t *rs, const char *path)
{
    char *text = slurp(path, NULL), *line, *save = NULL;

    if (!text) {
        kn_err("disable-sid-file %s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *p = line + strspn(line, " \t"), *colon = strchr(p, ':'), *end;
        unsigned long sid;
        if (!*p || *p == '#')
            continue;
        sid = strtoul(colon ? colon + 1 : p, &end, 10);
        if (sid && sid <= 0xffffffffUL)
            kn_ruleset_disable_sid(rs, (uint32_t)sid);
    }
    free(text);
    return 0;
}

static void set_vars(kn_ruleset_t *rs, const kn_vars_t *v)
{
    size_t i;

    for (i = 0; i < v->names.n; i++)
        if (kn_ruleset_set_var(rs, v->names.v[i], v->values.v[i]) != KN_OK)
            kn_warn("variable %s: out of memory", v->names.v[i]);
}

static void summary(const kn_ruleset_t *rs, double secs)
{
    const kn_rules_stats_t *st = kn_ruleset_stats(rs);
    char top[512] = "";
    size_t len = 0;
    uint32_t i, count;
    const char *kw;

    for (i = 0; (kw = kn_ruleset_bad_keyword(rs, i, &count)) && len < sizeof(top) - 64; i++)
        len += (size_t)snprintf(top + len, sizeof(top) - len, "%s%s %u", len ? ", " : "", kw,
                                count);
    kn_info("%u rules loaded, %u failed, %u unsupported%s%s%s in %.2f s%s", st->loaded,
            st->failed, st->unsupported, len ? " (by keyword: " : "", top, len ? ")" : "", secs,
            st->cache_hit ? " (prefilter from cache)" : "");
    kn_log(KN_LOG_DEBUG, "rules: %u ip-only, %u on payload, %u on app-layer buffers, %u other; "
           "%u prefilter patterns in %u databases", st->iponly, st->payload, st->app, st->other,
           st->mpm_patterns, st->mpm_databases);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The cache directory: configured, else $HOME/.cache/kanshi, else /var/cache/kanshi. */
static void cache_dir(const kn_config_t *cfg, char *out, size_t outlen)
{
    const char *home = getenv("HOME");

    if (cfg->mpm_cache_dir)
        snprintf(out, outlen, "%s", cfg->mpm_cache_dir);
    else if (home && *home)
        snprintf(out, outlen, "%s/.cache/kanshi", home);
    else
        snprintf(out, outlen, "/var/cache/kanshi");
}

static void mkdirs(char *path)
{
    char *p;

    for (p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    mkdir(path, 0755);
}

/* Builds the rule set, through the cache when enabled. */
static int build(kn_ruleset_t *rs, const kn_config_t *cfg)
{
    char dir[PATH_MAX], path[PATH_MAX + 80], tmp[PATH_MAX + 100];
    void *blob = NULL;
    size_t len = 0;
    const void *out;
    FILE *fp;
    int rc;

    if (!cfg->mpm_cache)
        return kn_ruleset_build(rs, NULL, 0);
    cache_dir(cfg, dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/%s.hs", dir, kn_ruleset_cache_key(rs));
    blob = slurp(path, &len);
    rc = kn_ruleset_build(rs, blob, blob ? len : 0);
    free(blob);
    if (rc != KN_OK || kn_ruleset_stats(rs)->cache_hit || !(out = kn_ruleset_cache_blob(rs, &len)))
        return rc;
    mkdirs(dir);
    snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
    if (!(fp = fopen(tmp, "wb")) || fwrite(out, 1, len, fp) != len || fclose(fp) != 0 ||
        rename(tmp, path) != 0) {
        kn_warn("prefilter cache %s: cannot write (%s): the next start compiles again", path,
                strerror(errno));
        unlink(tmp);
    }
    return KN_OK;
}

kn_ruleset_t *kn_rules_load(const kn_config_t *cfg, int *failures)
{
    kn_load_t ld = {cfg, 0, 0};
    kn_ruleset_t *rs = kn_ruleset_new();
    double t0 = now_s();
    size_t i;

    *failures = 0;
    if (!rs) {
        kn_err("rules: out of memory");
        return NULL;
    }
    kn_ruleset_set_reader(rs, read_rule_file, (void *)(uintptr_t)cfg);
    set_vars(rs, &cfg->address_groups);
    set_vars(rs, &cfg->port_groups);
    if (load_classifications(rs, cfg, &ld) != 0 || load_thresholds(rs, cfg, &ld) != 0 ||
        (cfg->disable_sid_file && load_disabled(rs, cfg->disable_sid_file) != 0))
        goto err;
    for (i = 0; i < cfg->rule_files.n; i++) {
        char *text = slurp(cfg->rule_files.v[i], NULL);
        if (!text) {
            kn_err("rule file %s: cannot read: %s", cfg->rule_files.v[i], strerror(errno));
            goto err;
        }
        kn_ruleset_add_rules(rs, cfg->rule_files.v[i], text, on_msg, &ld);
        free(text);
    }
    if (ld.shown > SHOW_PROBLEMS && !cfg->verbose)
        kn_info("%d more rule problems not shown (-v shows all)", ld.shown - SHOW_PROBLEMS);
    if (build(rs, cfg) != KN_OK) {
        kn_err("rules: %s", kn_ruleset_error(rs));
        goto err;
    }
    summary(rs, now_s() - t0);
    *failures = ld.failed;
    return rs;
err:
    kn_ruleset_free(rs);
    return NULL;
}
