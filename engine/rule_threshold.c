/* rule_threshold.c: threshold.config, Suricata's format.
 *
 *   suppress gen_id G, sig_id S[, track by_src|by_dst|by_either, ip ADDRESSES]
 *   threshold gen_id G, sig_id S, type limit|threshold|both, track T, count N, seconds M
 *   event_filter ...   (the same as threshold)
 *   rate_filter ...    (changes the action of a rule: nothing to change in IDS mode; reported)
 *
 * sig_id 0 means every rule of the generator, gen_id 0 too every rule. A threshold entry for a
 * sid replaces the rule's own threshold keyword. ADDRESSES is rule address syntax, variables
 * included. A bad line is reported with its file and line and skipped. */
#include "rule_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrset.h"

typedef struct th_line {
    char *kind;
    uint32_t gid, sid;
    int have_gid, have_sid;
    const char *type, *track, *ip;
    int64_t count, seconds;
    int have_count, have_seconds;
} th_line_t;

/* The next comma-separated part (commas inside [...] belong to an address list), or NULL. */
static char *next_part(char **cur)
{
    char *start = *cur, *p = start;
    int depth = 0;

    if (!start)
        return NULL;
    for (; *p && (depth > 0 || *p != ','); p++)
        depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
    *cur = *p ? p + 1 : NULL;
    *p = '\0';
    return start;
}

/* "key value" parts of a line after its first word. Returns an error text or NULL. */
static const char *read_parts(char *rest, th_line_t *t)
{
    char *part, *cur = rest;
    int64_t v;

    while ((part = next_part(&cur)) != NULL) {
        char *k = kn_trim(part), *val = k + strcspn(k, " \t");
        if (*val)
            *val++ = '\0';
        val = kn_trim(val);
        if (!*val)
            return "an option without a value";
        if (!strcmp(k, "gen_id") && !kn_parse_i64(val, 0, 0xffffffffLL, &v))
            t->gid = (uint32_t)v, t->have_gid = 1;
        else if (!strcmp(k, "sig_id") && !kn_parse_i64(val, 0, 0xffffffffLL, &v))
            t->sid = (uint32_t)v, t->have_sid = 1;
        else if (!strcmp(k, "type"))
            t->type = val;
        else if (!strcmp(k, "track"))
            t->track = val;
        else if (!strcmp(k, "ip"))
            t->ip = val;
        else if (!strcmp(k, "count") && !kn_parse_i64(val, 0, 0xffffffffLL, &v))
            t->count = v, t->have_count = 1;
        else if (!strcmp(k, "seconds") && !kn_parse_i64(val, 1, 0xffffffffLL, &v))
            t->seconds = v, t->have_seconds = 1;
        else if (strcmp(k, "new_action") && strcmp(k, "timeout"))
            return "unknown option or bad number";
    }
    return t->have_gid && t->have_sid ? NULL : "gen_id and sig_id are required";
}

static int word_index(const char *w, const char *const *list)
{
    int i;

    for (i = 0; w && list[i]; i++)
        if (!strcmp(w, list[i]))
            return i;
    return -1;
}

static const char *add_suppress(kn_ruleset_t *rs, const th_line_t *t)
{
    static const char *const tracks[] = {"by_src", "by_dst", "by_either", NULL};
    kn_suppress_t s, *ns;
    char err[160];
    int tr = word_index(t->track, tracks);

    memset(&s, 0, sizeof(s));
    s.gid = t->gid;
    s.sid = t->sid;
    if (!t->track != !t->ip || (t->track && tr < 0))
        return "suppress: 'track by_src|by_dst|by_either' and 'ip' go together";
    s.track = (uint8_t)(t->track ? KN_SUPP_SRC + tr : KN_SUPP_ALL);
    if (t->ip && kn_ipset_parse(&rs->vars, t->ip, &s.ips, err, sizeof(err)) != 0)
        return "suppress: bad ip";
    if (!(ns = realloc(rs->supp, (rs->nsupp + 1) * sizeof(*ns)))) {
        kn_ipset_free(&s.ips);
        return "out of memory";
    }
    rs->supp = ns;
    rs->supp[rs->nsupp++] = s;
    return NULL;
}

static const char *add_threshold(kn_ruleset_t *rs, const th_line_t *t)
{
    static const char *const types[] = {"limit", "threshold", "both", NULL};
    static const char *const tracks[] = {"by_src", "by_dst", "by_rule", "by_both", "by_flow",
                                         NULL};
    int ty = word_index(t->type, types), tr = word_index(t->track, tracks);
    kn_thconf_t *nt;

    if (ty < 0 || tr < 0 || !t->have_count || !t->have_seconds)
        return "threshold: type, track, count and seconds are required";
    if (!(nt = realloc(rs->thconf, (rs->nthconf + 1) * sizeof(*nt))))
        return "out of memory";
    rs->thconf = nt;
    memset(&nt[rs->nthconf], 0, sizeof(*nt));
    nt[rs->nthconf].gid = t->gid;
    nt[rs->nthconf].sid = t->sid;
    nt[rs->nthconf].th.type = (uint8_t)ty;
    nt[rs->nthconf].th.track = (uint8_t)tr;
    nt[rs->nthconf].th.count = (uint32_t)t->count;
    nt[rs->nthconf].th.seconds = (uint32_t)t->seconds;
    rs->nthconf++;
    return NULL;
}

/* One line; returns NULL, or why it was not taken. *unsupported is set for rate_filter. */
static const char *threshold_line(kn_ruleset_t *rs, char *line, int *unsupported)
{
    static const char *const kinds[] = {"suppress", "threshold", "event_filter", "rate_filter",
                                        NULL};
    char *rest = line + strcspn(line, " \t");
    th_line_t t;
    const char *err;
    int k;

    memset(&t, 0, sizeof(t));
    if (*rest)
        *rest++ = '\0';
    if ((k = word_index(line, kinds)) < 0)
        return "expected suppress, threshold, event_filter or rate_filter";
    if ((err = read_parts(rest, &t)) != NULL)
        return err;
    if (k == 3) {
        *unsupported = 1;
        return "rate_filter changes rule actions, which an IDS does not take: ignored";
    }
    return k == 0 ? add_suppress(rs, &t) : add_threshold(rs, &t);
}

int kn_ruleset_add_thresholds(kn_ruleset_t *rs, const char *file, const char *text,
                              kn_rule_msg_fn fn, void *user)
{
    const char *p = text;
    int lineno = 0, bad = 0;

    while (*p) {
        const char *nl = strchr(p, '\n'), *err;
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[4096], *line;
        int unsupported = 0;
        lineno++;
        snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1), p);
        p += len + (nl ? 1 : 0);
        line = kn_trim(buf);
        if (!*line || *line == '#' || !(err = threshold_line(rs, line, &unsupported)))
            continue;
        if (fn) {
            kn_rule_msg_t m = {unsupported ? KN_RULE_UNSUPPORTED : KN_RULE_FAILED, file, lineno,
                               1, "", ""};
            snprintf(m.text, sizeof(m.text), "%s", err);
            fn(user, &m);
        }
        bad++;
    }
    return bad;
}

void kn_ruleset_free_thresholds(kn_ruleset_t *rs)
{
    uint32_t i;

    for (i = 0; i < rs->nsupp; i++)
        kn_ipset_free(&rs->supp[i].ips);
    free(rs->supp);
    free(rs->thconf);
    rs->supp = NULL;
    rs->thconf = NULL;
    rs->nsupp = rs->nthconf = 0;
}
