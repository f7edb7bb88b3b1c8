/* addrset.c: address and port sets from rule syntax, as sorted disjoint ranges.
 *
 * Every operand becomes a range list, so "!", lists with negated members and nested variables
 * are plain set algebra (union, complement, difference) with no special cases, and the result
 * is exact. A list is the union of its positive members minus the union of its negated ones
 * (all addresses minus the negated ones when it has no positive member), as in Suricata. */
#include "addrset.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VAR_DEPTH 16
#define MAX_VAR_EXPANSIONS 256 /* per address or port: [$A,$A] nestings grow exponentially */
#define V4_MAX ((kn_u128)0xffffffffu)
#define V6_MAX (~(kn_u128)0)
#define PORT_MAX ((kn_u128)65535)

/* A growable range list over one number space. */
typedef struct rl {
    kn_u128 *lo, *hi;
    uint32_t n, cap;
    int oom;
} rl_t;

typedef struct range {
    kn_u128 lo, hi;
} range_t;

/* An address set under construction: one range list per family. */
typedef struct as {
    rl_t v4, v6;
} as_t;

typedef struct parse {
    const kn_rulevars_t *vars;
    char *err;
    size_t errlen;
    int depth;
    int ports; /* parsing ports: only v4 is used, over 0..65535 */
    int expansions; /* variables expanded so far */
} parse_t;

static void rl_add(rl_t *r, kn_u128 lo, kn_u128 hi)
{
    if (r->n == r->cap) {
        uint32_t cap = r->cap ? r->cap * 2 : 8;
        kn_u128 *nl = realloc(r->lo, cap * sizeof(*nl)), *nh;
        if (!nl) {
            r->oom = 1;
            return;
        }
        r->lo = nl;
        if (!(nh = realloc(r->hi, cap * sizeof(*nh)))) {
            r->oom = 1;
            return;
        }
        r->hi = nh;
        r->cap = cap;
    }
    r->lo[r->n] = lo;
    r->hi[r->n] = hi;
    r->n++;
}

static void rl_free(rl_t *r)
{
    free(r->lo);
    free(r->hi);
    memset(r, 0, sizeof(*r));
}

static int range_cmp(const void *a, const void *b)
{
    const range_t *x = a, *y = b;

    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorts by start and merges overlapping or adjacent ranges. qsort, not an insertion sort: a
 * list of variables ([$A,$A,...]) holds copies of their values, and sorting those in place was
 * quadratic. */
static void rl_normalize(rl_t *r)
{
    range_t *t;
    uint32_t i, out = 0;

    if (r->n < 2)
        return;
    if (!(t = malloc(r->n * sizeof(*t)))) {
        r->oom = 1;
        return;
    }
    for (i = 0; i < r->n; i++) {
        t[i].lo = r->lo[i];
        t[i].hi = r->hi[i];
    }
    qsort(t, r->n, sizeof(*t), range_cmp);
    for (i = 0; i < r->n; i++) {
        if (out && (t[i].lo <= r->hi[out - 1] || t[i].lo == r->hi[out - 1] + 1)) {
            if (t[i].hi > r->hi[out - 1])
                r->hi[out - 1] = t[i].hi;
            continue;
        }
        r->lo[out] = t[i].lo;
        r->hi[out] = t[i].hi;
        out++;
    }
    free(t);
    r->n = out;
}

/* out = [0, max] minus r (r normalized). */
static void rl_complement(const rl_t *r, kn_u128 max, rl_t *out)
{
    kn_u128 next = 0;
    uint32_t i;
    int done = 0;

    for (i = 0; i < r->n && !done; i++) {
        if (r->lo[i] > next)
            rl_add(out, next, r->lo[i] - 1);
        if (r->hi[i] >= max)
            done = 1;
        else
            next = r->hi[i] + 1;
    }
    if (!done)
        rl_add(out, next, max);
}

static void rl_append(rl_t *dst, const rl_t *src)
{
    uint32_t i;

    for (i = 0; i < src->n; i++)
        rl_add(dst, src->lo[i], src->hi[i]);
    dst->oom |= src->oom;
}

/* a = a minus b (both normalized). */
static void rl_subtract(rl_t *a, const rl_t *b, kn_u128 max)
{
    rl_t nb = {0}, res = {0};
    uint32_t i = 0, j = 0;

    rl_complement(b, max, &nb);
    while (i < a->n && j < nb.n) { /* intersection of a and not-b */
        kn_u128 lo = a->lo[i] > nb.lo[j] ? a->lo[i] : nb.lo[j];
        kn_u128 hi = a->hi[i] < nb.hi[j] ? a->hi[i] : nb.hi[j];
        if (lo <= hi)
            rl_add(&res, lo, hi);
        if (a->hi[i] < nb.hi[j])
            i++;
        else
            j++;
    }
    res.oom |= a->oom | nb.oom;
    rl_free(&nb);
    rl_free(a);
    *a = res;
}

static void as_free(as_t *s)
{
    rl_free(&s->v4);
    rl_free(&s->v6);
}

static void as_any(const parse_t *ps, as_t *s)
{
    rl_add(&s->v4, 0, ps->ports ? PORT_MAX : V4_MAX);
    if (!ps->ports)
        rl_add(&s->v6, 0, V6_MAX);
}

static void as_complement(const parse_t *ps, as_t *s)
{
    as_t c = {{0}, {0}};

    rl_normalize(&s->v4);
    rl_normalize(&s->v6);
    rl_complement(&s->v4, ps->ports ? PORT_MAX : V4_MAX, &c.v4);
    if (!ps->ports)
        rl_complement(&s->v6, V6_MAX, &c.v6);
    as_free(s);
    *s = c;
}

static int fail(parse_t *ps, const char *fmt, const char *arg) __attribute__((format(printf, 2, 0)));

/* fmt is one of this file's literals with a single %s. */
static int fail(parse_t *ps, const char *fmt, const char *arg)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(ps->err, ps->errlen, fmt, arg);
#pragma GCC diagnostic pop
    return -1;
}

static kn_u128 bytes_to_u128(const uint8_t *b, int n)
{
    kn_u128 v = 0;
    int i;

    for (i = 0; i < n; i++)
        v = v << 8 | b[i];
    return v;
}

/* One address: a.b.c.d, a.b.c.d/nn, a.b.c.d/m.m.m.m, IPv6 with an optional /nn, or a range. */
static int parse_cidr(parse_t *ps, const char *tok, as_t *out)
{
    char buf[128], *slash, *dash;
    uint8_t b[16];
    long bits;
    int v6, alen;
    kn_u128 v, mask, max;

    if (snprintf(buf, sizeof(buf), "%s", tok) >= (int)sizeof(buf))
        return fail(ps, "address too long: %s", tok);
    if ((dash = strchr(buf, '-')) && !strchr(buf, ':')) { /* IPv4 range a-b */
        uint8_t b2[4];
        *dash = '\0';
        if (inet_pton(AF_INET, buf, b) != 1 || inet_pton(AF_INET, dash + 1, b2) != 1)
            return fail(ps, "bad address range '%s'", tok);
        if (bytes_to_u128(b, 4) > bytes_to_u128(b2, 4))
            return fail(ps, "address range '%s' ends before it starts", tok);
        rl_add(&out->v4, bytes_to_u128(b, 4), bytes_to_u128(b2, 4));
        return 0;
    }
    slash = strchr(buf, '/');
    if (slash)
        *slash = '\0';
    v6 = strchr(buf, ':') != NULL;
    alen = v6 ? 16 : 4;
    if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, b) != 1)
        return fail(ps, "bad address '%s'", tok);
    bits = alen * 8;
    if (slash) {
        char *end;
        uint8_t m[4];
        if (!v6 && strchr(slash + 1, '.') && inet_pton(AF_INET, slash + 1, m) == 1) {
            kn_u128 mv = bytes_to_u128(m, 4);
            for (bits = 0; bits < 32 && (mv >> (31 - bits) & 1); bits++)
                ;
        } else {
            bits = strtol(slash + 1, &end, 10);
            if (*end || end == slash + 1 || bits < 0 || bits > alen * 8)
                return fail(ps, "bad prefix length in '%s'", tok);
        }
    }
    max = v6 ? V6_MAX : V4_MAX;
    v = bytes_to_u128(b, alen);
    mask = bits == 0 ? 0 : (max << (alen * 8 - bits)) & max;
    rl_add(v6 ? &out->v6 : &out->v4, v & mask, (v & mask) | (~mask & max));
    return 0;
}

static int parse_port(parse_t *ps, const char *tok, as_t *out)
{
    const char *colon = strchr(tok, ':');
    long lo = 0, hi = 65535;
    char *end;

    if (!colon) {
        lo = hi = strtol(tok, &end, 10);
        if (*end || end == tok)
            return fail(ps, "bad port '%s'", tok);
    } else {
        if (colon != tok) {
            lo = strtol(tok, &end, 10);
            if (end != colon)
                return fail(ps, "bad port range '%s'", tok);
        }
        if (colon[1]) {
            hi = strtol(colon + 1, &end, 10);
            if (*end)
                return fail(ps, "bad port range '%s'", tok);
        }
    }
    if (lo < 0 || hi > 65535 || lo > hi)
        return fail(ps, "port out of range in '%s'", tok);
    rl_add(&out->v4, (kn_u128)lo, (kn_u128)hi);
    return 0;
}

static int parse_spec(parse_t *ps, const char **s, as_t *out);

static const char *var_value(const kn_rulevars_t *v, const char *name, size_t len)
{
    size_t i;

    for (i = 0; v && i < v->n; i++)
        if (strlen(v->names[i]) == len && strncmp(v->names[i], name, len) == 0)
            return v->values[i];
    return NULL;
}

static void skip_ws(const char **s)
{
    while (isspace((unsigned char)**s))
        (*s)++;
}

/* [a, b, !c]: positives minus negatives. */
static int parse_list(parse_t *ps, const char **s, as_t *out)
{
    as_t pos = {{0}, {0}}, neg = {{0}, {0}};
    int any_pos = 0, rc = 0;

    (*s)++; /* '[' */
    for (;;) {
        as_t item = {{0}, {0}};
        int negated;
        skip_ws(s);
        negated = **s == '!';
        if (negated)
            (*s)++;
        if ((rc = parse_spec(ps, s, &item)) != 0) {
            as_free(&item);
            break;
        }
        rl_append(negated ? &neg.v4 : &pos.v4, &item.v4);
        rl_append(negated ? &neg.v6 : &pos.v6, &item.v6);
        any_pos |= !negated;
        as_free(&item);
        skip_ws(s);
        if (**s == ',') {
            (*s)++;
            continue;
        }
        if (**s == ']') {
            (*s)++;
            break;
        }
        rc = fail(ps, "expected ',' or ']' in list at '%.20s'", *s);
        break;
    }
    if (rc == 0) {
        if (!any_pos)
            as_any(ps, &pos);
        rl_normalize(&pos.v4);
        rl_normalize(&pos.v6);
        rl_normalize(&neg.v4);
        rl_normalize(&neg.v6);
        rl_subtract(&pos.v4, &neg.v4, ps->ports ? PORT_MAX : V4_MAX);
        rl_subtract(&pos.v6, &neg.v6, V6_MAX);
        rl_append(&out->v4, &pos.v4);
        rl_append(&out->v6, &pos.v6);
    }
    as_free(&pos);
    as_free(&neg);
    return rc;
}

static int parse_var(parse_t *ps, const char **s, as_t *out)
{
    const char *start = ++*s, *val;
    char name[128];
    int rc;

    while (isalnum((unsigned char)**s) || **s == '_' || **s == '-')
        (*s)++;
    snprintf(name, sizeof(name), "%.*s", (int)(*s - start), start);
    if (!(val = var_value(ps->vars, start, (size_t)(*s - start))))
        return fail(ps, "undefined variable $%s", name);
    if (++ps->depth > MAX_VAR_DEPTH)
        return fail(ps, "variable $%s nests too deep (a loop?)", name);
    if (++ps->expansions > MAX_VAR_EXPANSIONS)
        return fail(ps, "variable $%s: too many variables expanded in one set (a wide "
                        "nesting?)", name);
    rc = parse_spec(ps, &val, out);
    if (rc == 0) {
        skip_ws(&val);
        if (*val)
            rc = fail(ps, "trailing text in the value of $%s", name);
    }
    ps->depth--;
    return rc;
}

/* One operand, optionally negated. */
static int parse_spec(parse_t *ps, const char **s, as_t *out)
{
    char tok[160];
    size_t n = 0;
    int rc;

    skip_ws(s);
    if (**s == '!') {
        as_t inner = {{0}, {0}};
        (*s)++;
        if ((rc = parse_spec(ps, s, &inner)) == 0) {
            as_complement(ps, &inner);
            rl_append(&out->v4, &inner.v4);
            rl_append(&out->v6, &inner.v6);
        }
        as_free(&inner);
        return rc;
    }
    if (**s == '[')
        return parse_list(ps, s, out);
    if (**s == '$')
        return parse_var(ps, s, out);
    while (**s && **s != ',' && **s != ']' && !isspace((unsigned char)**s) && n < sizeof(tok) - 1)
        tok[n++] = *(*s)++;
    tok[n] = '\0';
    if (!n)
        return fail(ps, "missing address or port%s", "");
    if (strcmp(tok, "any") == 0) {
        as_any(ps, out);
        return 0;
    }
    return ps->ports ? parse_port(ps, tok, out) : parse_cidr(ps, tok, out);
}

static int parse_top(parse_t *ps, const char *spec, as_t *out)
{
    const char *s = spec;
    int rc = parse_spec(ps, &s, out);

    if (rc == 0) {
        skip_ws(&s);
        if (*s)
            rc = fail(ps, "unexpected text '%.20s'", s);
    }
    if (rc == 0) {
        rl_normalize(&out->v4);
        rl_normalize(&out->v6);
    }
    if (rc == 0 && (out->v4.oom || out->v6.oom)) /* normalizing allocates too */
        rc = fail(ps, "out of memory%s", "");
    if (rc == 0 && out->v4.n == 0 && out->v6.n == 0)
        rc = fail(ps, "'%s' matches nothing", spec);
    return rc;
}

int kn_ipset_parse(const kn_rulevars_t *vars, const char *spec, kn_ipset_t *out, char *err,
                   size_t errlen)
{
    parse_t ps = {vars, err, errlen, 0, 0, 0};
    as_t s = {{0}, {0}};
    uint32_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = parse_top(&ps, spec, &s);
    if (rc == 0 && s.v4.n == 1 && s.v4.lo[0] == 0 && s.v4.hi[0] == V4_MAX && s.v6.n == 1 &&
        s.v6.lo[0] == 0 && s.v6.hi[0] == V6_MAX) {
        out->any = 1;
    } else if (rc == 0) {
        out->r4 = s.v4.n ? calloc(s.v4.n, sizeof(*out->r4)) : NULL;
        out->r6 = s.v6.n ? calloc(s.v6.n, sizeof(*out->r6)) : NULL;
        if ((s.v4.n && !out->r4) || (s.v6.n && !out->r6)) {
            rc = fail(&ps, "out of memory%s", "");
        } else {
            for (i = 0; i < s.v4.n; i++) {
                out->r4[i].lo = (uint32_t)s.v4.lo[i];
                out->r4[i].hi = (uint32_t)s.v4.hi[i];
            }
            for (i = 0; i < s.v6.n; i++) {
                out->r6[i].lo = s.v6.lo[i];
                out->r6[i].hi = s.v6.hi[i];
            }
            out->n4 = s.v4.n;
            out->n6 = s.v6.n;
        }
    }
    as_free(&s);
    if (rc != 0)
        kn_ipset_free(out);
    return rc;
}

int kn_portset_parse(const kn_rulevars_t *vars, const char *spec, kn_portset_t *out, char *err,
                     size_t errlen)
{
    parse_t ps = {vars, err, errlen, 0, 1, 0};
    as_t s = {{0}, {0}};
    uint32_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = parse_top(&ps, spec, &s);
    if (rc == 0 && s.v4.n == 1 && s.v4.lo[0] == 0 && s.v4.hi[0] == PORT_MAX) {
        out->any = 1;
    } else if (rc == 0) {
        if (!(out->r = calloc(s.v4.n, sizeof(*out->r)))) {
            rc = fail(&ps, "out of memory%s", "");
        } else {
            for (i = 0; i < s.v4.n; i++) {
                out->r[i].lo = (uint16_t)s.v4.lo[i];
                out->r[i].hi = (uint16_t)s.v4.hi[i];
            }
            out->n = s.v4.n;
        }
    }
    as_free(&s);
    return rc;
}

kn_u128 kn_addr_value(uint8_t ip_v, const kn_addr_t *a)
{
    return bytes_to_u128(a->b, ip_v == 4 ? 4 : 16);
}

int kn_ipset_has(const kn_ipset_t *s, uint8_t ip_v, const kn_addr_t *a)
{
    uint32_t lo = 0, hi;

    if (s->any)
        return 1;
    if (ip_v == 4) {
        uint32_t v = (uint32_t)bytes_to_u128(a->b, 4);
        hi = s->n4;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (s->r4[mid].hi < v)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < s->n4 && s->r4[lo].lo <= v;
    } else {
        kn_u128 v = bytes_to_u128(a->b, 16);
        hi = s->n6;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (s->r6[mid].hi < v)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < s->n6 && s->r6[lo].lo <= v;
    }
}

int kn_portset_has(const kn_portset_t *s, uint16_t port)
{
    uint32_t lo = 0, hi = s->n;

    if (s->any)
        return 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (s->r[mid].hi < port)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->r[lo].lo <= port;
}

void kn_ipset_free(kn_ipset_t *s)
{
    free(s->r4);
    free(s->r6);
    memset(s, 0, sizeof(*s));
}

void kn_portset_free(kn_portset_t *s)
{
    free(s->r);
    memset(s, 0, sizeof(*s));
}

void kn_ipset_ranges(const kn_ipset_t *s, kn_range_fn fn, void *user)
{
    uint32_t i;

    if (s->any) {
        fn(user, 4, 0, V4_MAX);
        fn(user, 6, 0, V6_MAX);
        return;
    }
    for (i = 0; i < s->n4; i++)
        fn(user, 4, s->r4[i].lo, s->r4[i].hi);
    for (i = 0; i < s->n6; i++)
        fn(user, 6, s->r6[i].lo, s->r6[i].hi);
}

kn_u128 kn_ipset_size(const kn_ipset_t *s)
{
    kn_u128 n = 0, d;
    uint32_t i;

    if (s->any)
        return V6_MAX;
    for (i = 0; i < s->n4; i++)
        n += (kn_u128)(s->r4[i].hi - s->r4[i].lo) + 1;
    for (i = 0; i < s->n6; i++) {
        d = s->r6[i].hi - s->r6[i].lo;
        if (d == V6_MAX || n + d + 1 < n)
            return V6_MAX;
        n += d + 1;
    }
    return n;
}
