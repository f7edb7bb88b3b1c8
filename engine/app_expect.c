/* app_expect.c: the table behind app_expect.h. Open addressing over a short probe run: a
 * lookup costs a few comparisons whatever the table holds, so every new flow can ask. */
#include "app_expect.h"

#include <stdlib.h>
#include <string.h>

#define EXPECT_TTL ((kn_time_t)120 * 1000000) /* a data connection comes within two minutes */
#define PROBE_RUN 4u                           /* slots looked at from the hashed one */

typedef struct slot {
    kn_expect_t e;
    kn_time_t added; /* 0: empty */
} slot_t;

struct kn_expect_tab {
    slot_t *s;
    uint32_t mask;
};

kn_expect_tab_t *kn_expect_new(uint32_t cap)
{
    kn_expect_tab_t *t = calloc(1, sizeof(*t));
    uint32_t n = 16;

    while (n < cap && n < (1u << 20))
        n <<= 1;
    if (!t || !(t->s = calloc(n, sizeof(*t->s)))) {
        free(t);
        return NULL;
    }
    t->mask = n - 1;
    return t;
}

void kn_expect_free(kn_expect_tab_t *t)
{
    if (!t)
        return;
    free(t->s);
    free(t);
}

static uint32_t hash(const kn_addr_t *server, uint16_t port, uint8_t ipproto)
{
    uint32_t h = 2166136261u;
    int i;

    for (i = 0; i < 16; i++)
        h = (h ^ server->b[i]) * 16777619u;
    h = (h ^ port) * 16777619u;
    return (h ^ ipproto) * 16777619u;
}

static int live(const slot_t *s, kn_time_t now)
{
    return s->added && now - s->added <= EXPECT_TTL;
}

int kn_expect_add(kn_expect_tab_t *t, const kn_expect_t *e, kn_time_t now)
{
    uint32_t h = hash(&e->server, e->server_port, e->ipproto), i, oldest = h & t->mask;
    slot_t *s;
    int dropped;

    for (i = 0; i < PROBE_RUN; i++) {
        s = &t->s[(h + i) & t->mask];
        if (!live(s, now))
            break;
        if (s->added < t->s[oldest].added)
            oldest = (h + i) & t->mask;
    }
    dropped = i == PROBE_RUN;
    s = dropped ? &t->s[oldest] : s;
    s->e = *e;
    if (s->e.ctx_len > KN_EXPECT_CTX_MAX)
        s->e.ctx_len = KN_EXPECT_CTX_MAX;
    s->added = now ? now : 1;
    return dropped;
}

static int fulfils(const kn_expect_t *e, const kn_flow_info_t *fi)
{
    return e->ipproto == fi->proto && e->server_port == fi->dp &&
           !memcmp(&e->server, &fi->dst, sizeof(e->server)) &&
           (e->any_client || !memcmp(&e->client, &fi->src, sizeof(e->client)));
}

int kn_expect_take(kn_expect_tab_t *t, const kn_flow_info_t *fi, kn_time_t now, kn_expect_t *out)
{
    uint32_t h = hash(&fi->dst, fi->dp, fi->proto), i;

    for (i = 0; i < PROBE_RUN; i++) {
        slot_t *s = &t->s[(h + i) & t->mask];
        if (live(s, now) && fulfils(&s->e, fi)) {
            *out = s->e;
            s->added = 0;
            return 1;
        }
    }
    return 0;
}
