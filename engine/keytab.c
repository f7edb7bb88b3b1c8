/* keytab.c: chained hash buckets and one least-recently-used list. A lookup that finds a
 * record moves it to the tail, so the head is always the record to give up when the table is
 * full. Records are allocated as keys appear (never per packet of a known key) and freed when
 * deleted or evicted. */
#include "keytab.h"

#include <stdlib.h>
#include <string.h>

typedef struct kn_ktent {
    struct kn_ktent *hnext;
    struct kn_ktent *prev, *next; /* LRU order, oldest first */
    uint64_t hash;
    kn_ktkey_t key;
    kn_ktval_t val;
} kn_ktent_t;

struct kn_keytab {
    kn_ktent_t **buckets;
    uint64_t mask;
    kn_ktent_t *head, *tail;
    uint32_t n, max;
};

static uint64_t key_hash(const kn_ktkey_t *k)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL, w;
    size_t i;

    for (i = 0; i < sizeof(k->b); i += 8) {
        memcpy(&w, k->b + i, 8);
        h ^= w;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    return h;
}

kn_keytab_t *kn_keytab_new(uint32_t max)
{
    kn_keytab_t *t = calloc(1, sizeof(*t));
    uint64_t nb = 16;

    if (!t)
        return NULL;
    while (nb < max / 2)
        nb <<= 1;
    if (!(t->buckets = calloc(nb, sizeof(*t->buckets)))) {
        free(t);
        return NULL;
    }
    t->mask = nb - 1;
    t->max = max ? max : 1;
    return t;
}

void kn_keytab_free(kn_keytab_t *t)
{
    kn_ktent_t *e, *next;

    if (!t)
        return;
    for (e = t->head; e; e = next) {
        next = e->next;
        free(e);
    }
    free(t->buckets);
    free(t);
}

static void lru_unlink(kn_keytab_t *t, kn_ktent_t *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        t->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        t->tail = e->prev;
}

static void lru_append(kn_keytab_t *t, kn_ktent_t *e)
{
    e->next = NULL;
    e->prev = t->tail;
    if (t->tail)
        t->tail->next = e;
    else
        t->head = e;
    t->tail = e;
}

/* Unlinks e from its bucket and the list and frees it. */
static void remove_ent(kn_keytab_t *t, kn_ktent_t *e)
{
    kn_ktent_t **pp = &t->buckets[e->hash & t->mask];

    while (*pp && *pp != e)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = e->hnext;
    lru_unlink(t, e);
    free(e);
    t->n--;
}

static kn_ktent_t *find(const kn_keytab_t *t, const kn_ktkey_t *key, uint64_t h)
{
    kn_ktent_t *e;

    for (e = t->buckets[h & t->mask]; e; e = e->hnext)
        if (e->hash == h && memcmp(&e->key, key, sizeof(*key)) == 0)
            return e;
    return NULL;
}

kn_ktval_t *kn_keytab_get(kn_keytab_t *t, const kn_ktkey_t *key, int create, int *created,
                          int *evicted)
{
    uint64_t h = key_hash(key);
    kn_ktent_t *e = find(t, key, h);

    *created = *evicted = 0;
    if (e) {
        lru_unlink(t, e);
        lru_append(t, e);
        return &e->val;
    }
    if (!create)
        return NULL;
    if (t->n >= t->max && t->head) {
        remove_ent(t, t->head);
        *evicted = 1;
    }
    if (!(e = calloc(1, sizeof(*e))))
        return NULL;
    e->hash = h;
    e->key = *key;
    e->hnext = t->buckets[h & t->mask];
    t->buckets[h & t->mask] = e;
    lru_append(t, e);
    t->n++;
    *created = 1;
    return &e->val;
}

void kn_keytab_del(kn_keytab_t *t, const kn_ktkey_t *key)
{
    kn_ktent_t *e = find(t, key, key_hash(key));

    if (e)
        remove_ent(t, e);
}

size_t kn_keytab_memuse(const kn_keytab_t *t)
{
    return (size_t)t->n * sizeof(kn_ktent_t) + (size_t)(t->mask + 1) * sizeof(kn_ktent_t *);
}

void kn_ktkey_make(kn_ktkey_t *k, const kn_addr_t *a, const kn_addr_t *b, uint32_t id1,
                   uint32_t id2)
{
    memset(k, 0, sizeof(*k));
    if (a)
        memcpy(k->b, a->b, 16);
    if (b)
        memcpy(k->b + 16, b->b, 16);
    memcpy(k->b + 32, &id1, 4);
    memcpy(k->b + 36, &id2, 4);
}
