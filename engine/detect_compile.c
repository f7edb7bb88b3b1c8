/* detect_compile.c: the prefilter databases (compiled, or loaded from the cache blob), the
 * port groups, and freeing it all.
 *
 * The cache blob is the serialized Hyperscan databases behind a header naming the key they
 * were built for; a blob for another key, or one Hyperscan will not load, is ignored and the
 * databases are compiled again, so a stale or damaged cache costs time, never correctness. */
#include "detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOB_MAGIC "KNHSDB1"

/* ---- databases ----------------------------------------------------------------------------- */

static int pf_compile(kn_pf_t *pf, char *err, size_t errlen)
{
    kn_mpm_pattern_t *pats;
    uint32_t i;

    if (!pf->npat)
        return 0;
    if (!(pats = calloc(pf->npat, sizeof(*pats)))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (i = 0; i < pf->npat; i++) {
        const kn_pfpat_t *p = &pf->build[pf->off[i]];
        pats[i].bytes = p->bytes;
        pats[i].len = p->len;
        pats[i].nocase = p->nocase;
        pats[i].id = i;
    }
    pf->mpm = kn_mpm_compile(pats, pf->npat, err, errlen);
    free(pats);
    return pf->mpm ? 0 : -1;
}

typedef struct blob_rd {
    const uint8_t *p;
    size_t left;
} blob_rd_t;

static int rd(blob_rd_t *r, void *out, size_t n)
{
    if (r->left < n)
        return -1;
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return 0;
}

/* Loads every database from a cache blob; 0 on success, -1 (nothing loaded) otherwise. */
static int load_blob(struct kn_detect *d, const void *blob, size_t len)
{
    blob_rd_t r = {blob, len};
    char magic[sizeof(BLOB_MAGIC)], key[64];
    uint32_t count, i, which;
    uint64_t n;

    if (rd(&r, magic, sizeof(magic)) || memcmp(magic, BLOB_MAGIC, sizeof(magic)) ||
        rd(&r, key, 64) || memcmp(key, d->key, 64) || rd(&r, &count, 4) || !count)
        return -1;
    for (i = 0; i < count; i++) {
        char err[128];
        if (rd(&r, &which, 4) || rd(&r, &n, 8) || which >= KN_PF_MAX || n > r.left ||
            !d->pf[which].npat || d->pf[which].mpm)
            goto bad;
        if (!(d->pf[which].mpm = kn_mpm_load(r.p, (size_t)n, err, sizeof(err))))
            goto bad;
        r.p += n;
        r.left -= (size_t)n;
    }
    for (i = 0; i < KN_PF_MAX; i++)
        if (d->pf[i].npat && !d->pf[i].mpm)
            goto bad;
    return 0;
bad:
    for (i = 0; i < KN_PF_MAX; i++) {
        kn_mpm_free(d->pf[i].mpm);
        d->pf[i].mpm = NULL;
    }
    return -1;
}

static int put(uint8_t **buf, size_t *len, size_t *cap, const void *src, size_t n)
{
    if (*len + n > *cap) {
        size_t nc = (*cap ? *cap : 4096);
        uint8_t *nb;
        while (nc < *len + n)
            nc *= 2;
        if (!(nb = realloc(*buf, nc)))
            return -1;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, src, n);
    *len += n;
    return 0;
}

static int make_blob(struct kn_detect *d)
{
    uint8_t *b = NULL;
    size_t len = 0, cap = 0;
    uint32_t count = 0, i;
    int rc = 0;

    for (i = 0; i < KN_PF_MAX; i++)
        count += d->pf[i].mpm != NULL;
    if (!count)
        return 0; /* nothing compiled: nothing to cache */
    rc |= put(&b, &len, &cap, BLOB_MAGIC, sizeof(BLOB_MAGIC));
    rc |= put(&b, &len, &cap, d->key, 64);
    rc |= put(&b, &len, &cap, &count, 4);
    for (i = 0; i < KN_PF_MAX && rc == 0; i++) {
        size_t n = 0;
        uint64_t n64;
        void *ser;
        if (!d->pf[i].mpm)
            continue;
        if (!(ser = kn_mpm_serialize(d->pf[i].mpm, &n))) {
            rc = -1;
            break;
        }
        n64 = n;
        rc |= put(&b, &len, &cap, &i, 4);
        rc |= put(&b, &len, &cap, &n64, 8);
        rc |= put(&b, &len, &cap, ser, n);
        free(ser);
    }
    if (rc != 0) {
        free(b);
        return -1;
    }
    d->blob = b;
    d->blob_len = len;
    return 0;
}

/* ---- port groups ----------------------------------------------------------------------------- */

typedef struct cut_ctx {
    uint32_t *cuts;
    uint32_t n;
} cut_ctx_t;

static void add_cuts(cut_ctx_t *c, const kn_portset_t *ps)
{
    uint32_t i;

    for (i = 0; i < ps->n; i++) {
        c->cuts[c->n++] = ps->r[i].lo;
        c->cuts[c->n++] = (uint32_t)ps->r[i].hi + 1;
    }
}

static int u32cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether a signature indexed by side (0 destination, 1 source) covers port. */
static int covers(const kn_sig_t *s, int side, uint16_t port)
{
    if (s->flags & KN_SIGF_BIDIR)
        return kn_portset_has(&s->dp, port) || kn_portset_has(&s->sp, port);
    return kn_portset_has(side ? &s->sp : &s->dp, port);
}

static int same_list(const kn_idlist_t *a, const kn_idlist_t *b)
{
    return a->n == b->n && memcmp(a->v, b->v, a->n * sizeof(*a->v)) == 0;
}

/* The group id of list (adding it when new); the list is taken over or freed. */
static int group_of(kn_portidx_t *px, kn_idlist_t *l)
{
    uint32_t g;
    kn_idlist_t *ng;

    if (!l->n)
        return 0;
    for (g = 1; g < px->ngroups; g++) {
        if (same_list(&px->groups[g], l)) {
            kn_idlist_free(l);
            return (int)g;
        }
    }
    if (px->ngroups >= 65535 || !(ng = realloc(px->groups, (px->ngroups + 1) * sizeof(*ng))))
        return -1;
    px->groups = ng;
    px->groups[px->ngroups] = *l;
    memset(l, 0, sizeof(*l));
    return (int)px->ngroups++;
}

/* Maps each port to the group of signatures in src whose side covers it. */
static int build_map(const kn_ruleset_t *rs, kn_portidx_t *px, const kn_idlist_t *src, int side,
                     uint16_t **map)
{
    cut_ctx_t c = {NULL, 0};
    uint32_t i, k, max = 2;
    int rc = 0;

    for (i = 0; i < src->n; i++) {
        const kn_sig_t *s = rs->sigs[src->v[i]];
        max += 2 * (s->dp.n + s->sp.n);
    }
    if (!(*map = calloc(65536, sizeof(**map))) || !(c.cuts = malloc(max * sizeof(*c.cuts))))
        return -1;
    c.cuts[c.n++] = 0;
    for (i = 0; i < src->n; i++) {
        const kn_sig_t *s = rs->sigs[src->v[i]];
        if ((s->flags & KN_SIGF_BIDIR) || !side)
            add_cuts(&c, &s->dp);
        if ((s->flags & KN_SIGF_BIDIR) || side)
            add_cuts(&c, &s->sp);
    }
    qsort(c.cuts, c.n, sizeof(*c.cuts), u32cmp);
    for (k = 0; k < c.n && rc == 0; k++) {
        uint32_t lo = c.cuts[k], hi = k + 1 < c.n ? c.cuts[k + 1] : 65536, p;
        kn_idlist_t l = {NULL, 0, 0};
        int g;
        if (lo >= 65536 || lo == hi)
            continue;
        for (i = 0; i < src->n && rc == 0; i++)
            if (covers(rs->sigs[src->v[i]], side, (uint16_t)lo))
                rc = kn_idlist_add(&l, src->v[i]);
        if (rc != 0 || (g = group_of(px, &l)) < 0) {
            kn_idlist_free(&l);
            rc = -1;
            break;
        }
        for (p = lo; p < hi && p < 65536; p++)
            (*map)[p] = (uint16_t)g;
    }
    free(c.cuts);
    return rc;
}

static int build_portidx(const kn_ruleset_t *rs, kn_portidx_t *px)
{
    if (!px->groups && !(px->groups = calloc(1, sizeof(*px->groups))))
        return -1;
    px->ngroups = px->ngroups ? px->ngroups : 1;
    if (px->by_dp.n && build_map(rs, px, &px->by_dp, 0, &px->dp) != 0)
        return -1;
    if (px->by_sp.n && build_map(rs, px, &px->by_sp, 1, &px->sp) != 0)
        return -1;
    return 0;
}

/* ---- the public build ------------------------------------------------------------------------- */

static int compile_all(kn_ruleset_t *rs, struct kn_detect *d)
{
    char err[200];
    int w;

    for (w = 0; w < KN_PF_MAX; w++) {
        if (pf_compile(&d->pf[w], err, sizeof(err)) != 0) {
            snprintf(rs->build_err, sizeof(rs->build_err), "prefilter database %d: %s", w, err);
            return -1;
        }
    }
    if (make_blob(d) != 0) /* a build without a cache blob still runs */
        d->blob_len = 0;
    return 0;
}

/* Which buffers a transaction of each protocol is scanned in: its own that have a database,
 * and the file buffers, which every protocol carrying files fills. */
static void tx_buffers(struct kn_detect *d)
{
    int app, b;

    for (app = 0; app < KN_APP_MAX; app++) {
        d->ntxbuf[app] = 0;
        for (b = 1; b < KN_BUF_MAX; b++) {
            uint8_t owner = kn_buffer_info((kn_buf_t)b)->app;
            if (d->pf[KN_PF_APP(b)].mpm &&
                (owner == app || b == KN_BUF_FILE_DATA || b == KN_BUF_FILE_NAME))
                d->txbuf[app][d->ntxbuf[app]++] = (uint8_t)b;
        }
    }
}

int kn_ruleset_build(kn_ruleset_t *rs, const void *cache, size_t cache_len)
{
    struct kn_detect *d;
    int w;

    if (kn_detect_prepare(rs) != KN_OK)
        return KN_ERR;
    d = rs->detect;
    if (d->built)
        return KN_OK;
    rs->stats.cache_hit = cache && load_blob(d, cache, cache_len) == 0;
    if (!rs->stats.cache_hit && compile_all(rs, d) != 0)
        return KN_ERR;
    for (w = 0; w < KN_PC_MAX; w++) {
        if (build_portidx(rs, &d->idx[w]) != 0) {
            snprintf(rs->build_err, sizeof(rs->build_err), "out of memory in port groups");
            return KN_ERR;
        }
    }
    for (w = 0; w < KN_PF_MAX; w++) {
        rs->stats.mpm_patterns += d->pf[w].npat;
        rs->stats.mpm_databases += d->pf[w].mpm != NULL;
    }
    tx_buffers(d);
    d->built = 1;
    return KN_OK;
}

const void *kn_ruleset_cache_blob(const kn_ruleset_t *rs, size_t *len)
{
    if (!rs->detect || !rs->detect->blob_len) {
        *len = 0;
        return NULL;
    }
    *len = rs->detect->blob_len;
    return rs->detect->blob;
}

void kn_detect_free(struct kn_detect *d)
{
    uint32_t i, w;

    if (!d)
        return;
    for (w = 0; w < KN_PF_MAX; w++) {
        kn_mpm_free(d->pf[w].mpm);
        free(d->pf[w].off);
        free(d->pf[w].sigs);
        free(d->pf[w].build);
    }
    for (w = 0; w < KN_PC_MAX; w++) {
        kn_portidx_t *px = &d->idx[w];
        for (i = 0; i < px->ngroups; i++)
            kn_idlist_free(&px->groups[i]);
        free(px->groups);
        free(px->dp);
        free(px->sp);
        kn_idlist_free(&px->any);
        kn_idlist_free(&px->by_dp);
        kn_idlist_free(&px->by_sp);
    }
    for (w = 0; w < 2; w++) {
        kn_ipidx_builder_free(d->ipo_build[w]);
        kn_ipidx_free(d->ipo[w]);
    }
    kn_idlist_free(&d->ipo_any);
    kn_idlist_free(&d->app_nopattern);
    for (i = 0; i < d->nsigs; i++)
        free(d->x[i].supp);
    free(d->blob);
    free(d->x);
    free(d);
}
