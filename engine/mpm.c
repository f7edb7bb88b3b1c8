/* mpm.c: Hyperscan block-mode databases of literal fast patterns.
 *
 * Literals are compiled through hs_compile_multi() as escaped expressions (every byte as \xNN)
 * rather than hs_compile_lit_multi(): Debian's Hyperscan 5.4.0 has a scan bug on some literal
 * databases (intel/hyperscan#303, see docs/design.md). Each pattern reports at most once per
 * scan (HS_FLAG_SINGLEMATCH): a hit only selects candidate rules, which are then checked in
 * full, so positions are not needed. Every scan's return code is checked. */
#include "mpm.h"

#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kn_mpm {
    hs_database_t *db;
};

struct kn_mpm_scratch {
    hs_scratch_t *s;
};

typedef struct scan_ctx {
    kn_mpm_hit_fn fn;
    void *ctx;
} scan_ctx_t;

static char *escape(const uint8_t *b, uint16_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *e = malloc((size_t)len * 4 + 1), *p = e;
    uint16_t i;

    if (!e)
        return NULL;
    for (i = 0; i < len; i++) {
        *p++ = '\\';
        *p++ = 'x';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
    return e;
}

kn_mpm_t *kn_mpm_compile(const kn_mpm_pattern_t *p, uint32_t n, char *err, size_t errlen)
{
    char **exprs = calloc(n ? n : 1, sizeof(*exprs));
    unsigned *flags = calloc(n ? n : 1, sizeof(*flags)), *ids = calloc(n ? n : 1, sizeof(*ids));
    hs_compile_error_t *cerr = NULL;
    kn_mpm_t *m = calloc(1, sizeof(*m));
    uint32_t i;

    if (!exprs || !flags || !ids || !m || n == 0) {
        snprintf(err, errlen, n ? "out of memory" : "no patterns");
        goto err;
    }
    for (i = 0; i < n; i++) {
        if (!(exprs[i] = escape(p[i].bytes, p[i].len))) {
            snprintf(err, errlen, "out of memory");
            goto err;
        }
        flags[i] = HS_FLAG_SINGLEMATCH | (p[i].nocase ? HS_FLAG_CASELESS : 0);
        ids[i] = p[i].id;
    }
    if (hs_compile_multi((const char *const *)exprs, flags, ids, n, HS_MODE_BLOCK, NULL, &m->db,
                         &cerr) != HS_SUCCESS) {
        snprintf(err, errlen, "Hyperscan: %s (pattern %d)", cerr ? cerr->message : "?",
                 cerr ? cerr->expression : -1);
        hs_free_compile_error(cerr);
        goto err;
    }
    for (i = 0; i < n; i++)
        free(exprs[i]);
    free(exprs);
    free(flags);
    free(ids);
    return m;
err:
    for (i = 0; exprs && i < n; i++)
        free(exprs[i]);
    free(exprs);
    free(flags);
    free(ids);
    free(m);
    return NULL;
}

kn_mpm_t *kn_mpm_load(const void *blob, size_t len, char *err, size_t errlen)
{
    kn_mpm_t *m = calloc(1, sizeof(*m));

    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (hs_deserialize_database(blob, len, &m->db) != HS_SUCCESS) {
        snprintf(err, errlen, "cached database does not load");
        free(m);
        return NULL;
    }
    return m;
}

void *kn_mpm_serialize(const kn_mpm_t *m, size_t *len)
{
    char *out = NULL;

    if (hs_serialize_database(m->db, &out, len) != HS_SUCCESS)
        return NULL;
    return out; /* Hyperscan allocates with malloc (the default allocator) */
}

void kn_mpm_free(kn_mpm_t *m)
{
    if (!m)
        return;
    hs_free_database(m->db);
    free(m);
}

size_t kn_mpm_size(const kn_mpm_t *m)
{
    size_t n = 0;

    if (m && hs_database_size(m->db, &n) != HS_SUCCESS)
        n = 0;
    return n;
}

kn_mpm_scratch_t *kn_mpm_scratch_new(void)
{
    return calloc(1, sizeof(kn_mpm_scratch_t));
}

int kn_mpm_scratch_grow(kn_mpm_scratch_t *s, const kn_mpm_t *m)
{
    return hs_alloc_scratch(m->db, &s->s) == HS_SUCCESS ? 0 : -1;
}

void kn_mpm_scratch_free(kn_mpm_scratch_t *s)
{
    if (!s)
        return;
    hs_free_scratch(s->s);
    free(s);
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    scan_ctx_t *sc = ctx;

    (void)from;
    (void)to;
    (void)flags;
    return sc->fn(id, sc->ctx);
}

int kn_mpm_scan(const kn_mpm_t *m, kn_mpm_scratch_t *s, const uint8_t *buf, uint32_t len,
                kn_mpm_hit_fn fn, void *ctx)
{
    scan_ctx_t sc = {fn, ctx};
    hs_error_t rc;

    if (!len)
        return 0;
    rc = hs_scan(m->db, (const char *)buf, len, 0, s->s, on_match, &sc);
    return rc == HS_SUCCESS || rc == HS_SCAN_TERMINATED ? 0 : -1;
}

const char *kn_mpm_version(void)
{
    return hs_version();
}

uint64_t kn_mpm_platform(void)
{
    hs_platform_info_t pi;

    if (hs_populate_platform(&pi) != HS_SUCCESS)
        return 0;
    return (uint64_t)pi.tune << 32 ^ pi.cpu_features;
}
