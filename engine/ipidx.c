/* ipidx.c: a sweep over range boundaries builds the elementary ranges.
 *
 * Every range of every added set becomes two events, "id starts at lo" and "id stops at hi+1".
 * Sorted by family and position, the events are walked once while the set of ids in force is
 * kept; each position where it changes starts an elementary range. Equal id lists are stored
 * once (hashed), so a thousand rules with disjoint lists cost a thousand short lists. */
#include "ipidx.h"

#include <stdlib.h>
#include <string.h>

#include "addrset.h"

#define V4_MAX ((kn_u128)0xffffffffu)
#define V6_MAX (~(kn_u128)0)

typedef struct ev {
    kn_u128 pos;
    uint32_t id;
    int8_t delta; /* +1 starts, -1 stops */
    uint8_t fam;  /* 0 IPv4, 1 IPv6 */
} ev_t;

struct kn_ipidx_builder {
    ev_t *ev;
    size_t n, cap;
    int oom;
};

typedef struct range {
    kn_u128 lo;
    uint32_t list;
} range_t;

struct kn_ipidx {
    range_t *r[2];
    uint32_t nr[2], capr[2];
    uint32_t *ids, nids, capids;
    uint32_t *off; /* list i is ids[off[i] .. off[i+1]); list 0 is empty */
    uint32_t nlists, caplists;
    uint32_t *hash; /* open addressing: list index + 1, 0 empty */
    uint32_t hcap;
};

kn_ipidx_builder_t *kn_ipidx_builder_new(void)
{
    return calloc(1, sizeof(kn_ipidx_builder_t));
}

void kn_ipidx_builder_free(kn_ipidx_builder_t *b)
{
    if (!b)
        return;
    free(b->ev);
    free(b);
}

static void push(kn_ipidx_builder_t *b, uint8_t fam, kn_u128 pos, uint32_t id, int8_t delta)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        ev_t *ne = realloc(b->ev, cap * sizeof(*ne));
        if (!ne) {
            b->oom = 1;
            return;
        }
        b->ev = ne;
        b->cap = cap;
    }
    b->ev[b->n].pos = pos;
    b->ev[b->n].id = id;
    b->ev[b->n].delta = delta;
    b->ev[b->n].fam = fam;
    b->n++;
}

typedef struct add_ctx {
    kn_ipidx_builder_t *b;
    uint32_t id;
} add_ctx_t;

static void on_range(void *user, uint8_t ip_v, kn_u128 lo, kn_u128 hi)
{
    add_ctx_t *a = user;
    uint8_t fam = ip_v == 4 ? 0 : 1;

    push(a->b, fam, lo, a->id, 1);
    if (hi != (fam ? V6_MAX : V4_MAX))
        push(a->b, fam, hi + 1, a->id, -1);
}

int kn_ipidx_add(kn_ipidx_builder_t *b, const kn_ipset_t *set, uint32_t id)
{
    add_ctx_t a = {b, id};

    kn_ipset_ranges(set, on_range, &a);
    return b->oom ? -1 : 0;
}

static int ev_cmp(const void *x, const void *y)
{
    const ev_t *a = x, *b = y;

    if (a->fam != b->fam)
        return a->fam - b->fam;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return a->delta - b->delta; /* stops before starts at one position */
}

/* ---- lists ----------------------------------------------------------------------------------- */

static uint64_t list_hash(const uint32_t *v, uint32_t n)
{
    uint64_t h = 1469598103934665603ULL;
    uint32_t i;

    for (i = 0; i < n; i++) {
        h ^= v[i];
        h *= 1099511628211ULL;
    }
    return h ^ n;
}

static int same(const kn_ipidx_t *x, uint32_t list, const uint32_t *v, uint32_t n)
{
    uint32_t len = x->off[list + 1] - x->off[list];
    return len == n && memcmp(x->ids + x->off[list], v, n * sizeof(*v)) == 0;
}

static int rehash(kn_ipidx_t *x)
{
    uint32_t cap = x->hcap ? x->hcap * 2 : 1024, i;
    uint32_t *nh = calloc(cap, sizeof(*nh));

    if (!nh)
        return -1;
    for (i = 1; i < x->nlists; i++) {
        uint32_t n = x->off[i + 1] - x->off[i];
        uint64_t h = list_hash(x->ids + x->off[i], n) & (cap - 1);
        while (nh[h])
            h = (h + 1) & (cap - 1);
        nh[h] = i + 1;
    }
    free(x->hash);
    x->hash = nh;
    x->hcap = cap;
    return 0;
}

static int grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
    uint32_t nc = *cap ? *cap : 64;
    void *np;

    if (need <= *cap)
        return 0;
    while (nc < need)
        nc *= 2;
    if (!(np = realloc(*p, nc * size)))
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

/* The index of the list v[0..n), stored once; -1 when out of memory. */
static int64_t list_of(kn_ipidx_t *x, const uint32_t *v, uint32_t n)
{
    uint64_t h;

    if (!n)
        return 0;
    if ((x->nlists + 1) * 2 > x->hcap && rehash(x) != 0)
        return -1;
    for (h = list_hash(v, n) & (x->hcap - 1); x->hash[h]; h = (h + 1) & (x->hcap - 1))
        if (same(x, x->hash[h] - 1, v, n))
            return x->hash[h] - 1;
    if (grow((void **)&x->ids, &x->capids, x->nids + n, sizeof(*x->ids)) != 0 ||
        grow((void **)&x->off, &x->caplists, x->nlists + 2, sizeof(*x->off)) != 0)
        return -1;
    memcpy(x->ids + x->nids, v, n * sizeof(*v));
    x->nids += n;
    x->off[x->nlists + 1] = x->nids;
    x->hash[h] = x->nlists + 1;
    return x->nlists++;
}

/* ---- the sweep --------------------------------------------------------------------------------- */

typedef struct active {
    uint32_t *v;
    uint32_t n, cap;
} active_t;

static int active_apply(active_t *a, uint32_t id, int delta)
{
    uint32_t lo = 0, hi = a->n;

    while (lo < hi) { /* first position >= id */
        uint32_t mid = (lo + hi) / 2;
        if (a->v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (delta < 0) {
        if (lo < a->n && a->v[lo] == id)
            memmove(a->v + lo, a->v + lo + 1, (a->n - lo - 1) * sizeof(*a->v)), a->n--;
        return 0;
    }
    if (lo < a->n && a->v[lo] == id)
        return 0;
    if (grow((void **)&a->v, &a->cap, a->n + 1, sizeof(*a->v)) != 0)
        return -1;
    memmove(a->v + lo + 1, a->v + lo, (a->n - lo) * sizeof(*a->v));
    a->v[lo] = id;
    a->n++;
    return 0;
}

static int add_range(kn_ipidx_t *x, uint8_t fam, kn_u128 lo, uint32_t list)
{
    if (x->nr[fam] && x->r[fam][x->nr[fam] - 1].list == list)
        return 0; /* same ids as the range before: one range */
    if (grow((void **)&x->r[fam], &x->capr[fam], x->nr[fam] + 1, sizeof(range_t)) != 0)
        return -1;
    x->r[fam][x->nr[fam]].lo = lo;
    x->r[fam][x->nr[fam]++].list = list;
    return 0;
}

static int sweep(kn_ipidx_t *x, const ev_t *ev, size_t n)
{
    active_t a = {NULL, 0, 0};
    size_t i = 0;
    int rc = 0;

    while (i < n && rc == 0) {
        uint8_t fam = ev[i].fam;
        kn_u128 pos = ev[i].pos;
        int64_t list;
        if (i == 0 || ev[i - 1].fam != fam) {
            a.n = 0; /* a new family starts empty at address 0 */
            if (pos != 0)
                rc = add_range(x, fam, 0, 0);
        }
        for (; i < n && ev[i].fam == fam && ev[i].pos == pos && rc == 0; i++)
            rc = active_apply(&a, ev[i].id, ev[i].delta);
        if (rc == 0 && (list = list_of(x, a.v, a.n)) < 0)
            rc = -1;
        if (rc == 0)
            rc = add_range(x, fam, pos, (uint32_t)list);
    }
    free(a.v);
    return rc;
}

kn_ipidx_t *kn_ipidx_build(kn_ipidx_builder_t *b)
{
    kn_ipidx_t *x = calloc(1, sizeof(*x));

    if (!x || b->oom || grow((void **)&x->off, &x->caplists, 2, sizeof(*x->off)) != 0)
        goto err;
    x->off[0] = x->off[1] = 0;
    x->nlists = 1; /* list 0: no ids */
    if (b->n > 1)
        qsort(b->ev, b->n, sizeof(*b->ev), ev_cmp);
    if (sweep(x, b->ev, b->n) != 0)
        goto err;
    b->n = 0;
    free(x->hash);
    x->hash = NULL;
    return x;
err:
    kn_ipidx_free(x);
    return NULL;
}

void kn_ipidx_free(kn_ipidx_t *x)
{
    if (!x)
        return;
    free(x->r[0]);
    free(x->r[1]);
    free(x->ids);
    free(x->off);
    free(x->hash);
    free(x);
}

const uint32_t *kn_ipidx_lookup(const kn_ipidx_t *x, uint8_t ip_v, const kn_addr_t *a,
                                uint32_t *n)
{
    uint8_t fam = ip_v == 4 ? 0 : 1;
    kn_u128 v = kn_addr_value(ip_v, a);
    uint32_t lo = 0, hi = x->nr[fam], list;

    *n = 0;
    while (lo < hi) { /* first range starting after v */
        uint32_t mid = (lo + hi) / 2;
        if (x->r[fam][mid].lo <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    list = x->r[fam][lo - 1].list;
    *n = x->off[list + 1] - x->off[list];
    return x->ids + x->off[list];
}

void kn_ipidx_size(const kn_ipidx_t *x, uint32_t *ranges, uint32_t *lists)
{
    *ranges = x->nr[0] + x->nr[1];
    *lists = x->nlists;
}
