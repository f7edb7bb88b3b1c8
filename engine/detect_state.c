/* detect_state.c: what rules remember between packets — flowbits and flowints in the flow,
 * by_flow rate counters, and xbits/hostbits in a bounded table keyed by host or host pair.
 *
 * A flow's state is allocated the first time a rule writes to it, sized for the rule set of the
 * engine, and counted against the detection state memcap; a flow that cannot get it behaves as
 * if no bit were set (counted). */
#include "detect.h"

#include <stdlib.h>
#include <string.h>

typedef struct kn_fthr {
    uint32_t sig;
    kn_ktval_t v;
} kn_fthr_t;

struct kn_fdet {
    uint32_t gen; /* the rule set generation the arrays are sized for */
    size_t size;
    uint64_t *bits;   /* flowbits */
    uint64_t *intset; /* which flowints hold a value */
    uint32_t *ints;
    kn_fthr_t *thr; /* by_flow rate state */
    uint32_t nthr, capthr;
    uint64_t words[]; /* bits, intset, then ints */
};

#define WORDS(n) (((n) + 63) / 64)

static int bit_get(const uint64_t *w, uint32_t i)
{
    return (int)(w[i / 64] >> (i % 64) & 1);
}

static void bit_put(uint64_t *w, uint32_t i, int v)
{
    if (v)
        w[i / 64] |= 1ULL << (i % 64);
    else
        w[i / 64] &= ~(1ULL << (i % 64));
}

size_t kn_detect_flow_free(kn_flow_t *f)
{
    size_t size;

    if (!f->det)
        return 0;
    size = f->det->size;
    free(f->det->thr);
    free(f->det);
    f->det = NULL;
    return size;
}

/* The flow's state for the context's rule set; created when create is set. NULL when absent or
 * refused (memcap). */
kn_fdet_t *kn_fdet_get(kn_detect_ctx_t *c, kn_flow_t *f, int create)
{
    const kn_ruleset_t *rs = c->rs;
    size_t bw = WORDS(rs->flowbits.n), iw = WORDS(rs->flowints.n), size;
    kn_fdet_t *d = f ? f->det : NULL;

    if (!f || (d && d->gen == c->gen))
        return d;
    if (d) /* sized for an older rule set: start over */
        *c->state_memuse -= kn_detect_flow_free(f);
    if (!create)
        return NULL;
    size = sizeof(*d) + (bw + iw) * 8 + rs->flowints.n * sizeof(uint32_t);
    if (*c->state_memuse + size > c->state_memcap || !(d = calloc(1, size))) {
        c->ctr->c[KN_CTR_DETECT_STATE_MEMCAP]++;
        return NULL;
    }
    d->gen = c->gen;
    d->size = size;
    d->bits = d->words;
    d->intset = d->words + bw;
    d->ints = (uint32_t *)(d->words + bw + iw);
    *c->state_memuse += size;
    f->det = d;
    return d;
}

void kn_fdet_release(kn_detect_ctx_t *c, kn_flow_t *f)
{
    *c->state_memuse -= kn_detect_flow_free(f);
}

/* ---- flowbits and hostbits ------------------------------------------------------------------ */

/* The key of a host or ip-pair bit for the packet, per the operation's scope. */
static void xbit_key(const kn_bitsop_t *op, uint16_t name, const kn_packet_t *p,
                     kn_ktkey_t *k)
{
    const kn_addr_t *a = op->scope == 2 ? &p->dst : &p->src, *b = NULL;

    if (op->scope == 3) { /* ip_pair: either order */
        int lo = memcmp(p->src.b, p->dst.b, 16) <= 0;
        a = lo ? &p->src : &p->dst;
        b = lo ? &p->dst : &p->src;
    }
    kn_ktkey_make(k, a, b, name, op->scope);
}

static int xbit_isset(kn_detect_ctx_t *c, const kn_bitsop_t *op, uint16_t name,
                      const kn_packet_t *p)
{
    kn_ktkey_t k;
    kn_ktval_t *v;
    int created, evicted;

    xbit_key(op, name, p, &k);
    v = kn_keytab_get(c->xbits, &k, 0, &created, &evicted);
    return v && (v->t == 0 || v->t > p->ts);
}

static int flowbit_isset(kn_detect_ctx_t *c, kn_flow_t *f, uint16_t name)
{
    kn_fdet_t *d = kn_fdet_get(c, f, 0);
    return d && bit_get(d->bits, name);
}

static int one_isset(kn_detect_ctx_t *c, const kn_bitsop_t *op, uint16_t name,
                     const kn_packet_t *p, kn_flow_t *f)
{
    return op->scope == 0 ? flowbit_isset(c, f, name) : xbit_isset(c, op, name, p);
}

int kn_bits_check(kn_detect_ctx_t *c, const kn_sig_t *s, const kn_packet_t *p, kn_flow_t *f)
{
    uint8_t i, k;

    for (i = 0; i < s->nbits; i++) {
        const kn_bitsop_t *op = &s->bits[i];
        int any_set = 0, any_clear = 0;
        if (op->op != KN_BIT_ISSET && op->op != KN_BIT_ISNOTSET)
            continue;
        if (op->scope == 0 && !f)
            return 0;
        for (k = 0; k < op->nnames; k++) {
            if (one_isset(c, op, op->names[k], p, f))
                any_set = 1;
            else
                any_clear = 1;
        }
        if (op->op == KN_BIT_ISSET ? !any_set : !any_clear)
            return 0;
    }
    return 1;
}

static void xbit_write(kn_detect_ctx_t *c, const kn_bitsop_t *op, const kn_packet_t *p)
{
    kn_ktkey_t k;
    kn_ktval_t *v;
    int created, evicted, set;

    xbit_key(op, op->names[0], p, &k);
    if (op->op == KN_BIT_UNSET) {
        kn_keytab_del(c->xbits, &k);
        return;
    }
    set = op->op == KN_BIT_SET || !xbit_isset(c, op, op->names[0], p);
    if (!set) {
        kn_keytab_del(c->xbits, &k);
        return;
    }
    v = kn_keytab_get(c->xbits, &k, 1, &created, &evicted);
    if (evicted)
        c->ctr->c[KN_CTR_DETECT_STATE_MEMCAP]++;
    if (v) /* Suricata's default lifetime of a host bit is 30 seconds */
        v->t = p->ts + (kn_time_t)(op->expire ? op->expire : 30) * KN_USEC;
}

static void flowbit_write(kn_detect_ctx_t *c, const kn_bitsop_t *op, kn_flow_t *f)
{
    kn_fdet_t *d = kn_fdet_get(c, f, op->op != KN_BIT_UNSET);
    uint16_t n = op->names[0];

    if (!d)
        return;
    if (op->op == KN_BIT_SET)
        bit_put(d->bits, n, 1);
    else if (op->op == KN_BIT_UNSET)
        bit_put(d->bits, n, 0);
    else
        bit_put(d->bits, n, !bit_get(d->bits, n));
}

void kn_bits_apply(kn_detect_ctx_t *c, const kn_sig_t *s, const kn_packet_t *p, kn_flow_t *f)
{
    uint8_t i;

    for (i = 0; i < s->nbits; i++) {
        const kn_bitsop_t *op = &s->bits[i];
        if (op->op == KN_BIT_ISSET || op->op == KN_BIT_ISNOTSET)
            continue;
        if (op->scope == 0 && f)
            flowbit_write(c, op, f);
        else if (op->scope != 0 && p)
            xbit_write(c, op, p);
    }
}

/* ---- flowint ------------------------------------------------------------------------------- */

static int cmp_num(uint8_t cmp, uint64_t v, uint64_t ref)
{
    switch (cmp) {
    case KN_CMP_NE: return v != ref;
    case KN_CMP_LT: return v < ref;
    case KN_CMP_LE: return v <= ref;
    case KN_CMP_GT: return v > ref;
    case KN_CMP_GE: return v >= ref;
    default: return v == ref;
    }
}

int kn_ints_check(kn_detect_ctx_t *c, const kn_sig_t *s, kn_flow_t *f)
{
    kn_fdet_t *d = kn_fdet_get(c, f, 0);
    uint8_t i;

    for (i = 0; i < s->nints; i++) {
        const kn_intop_t *op = &s->ints[i];
        int have = d && bit_get(d->intset, op->var);
        if (op->op == 'x' && !have)
            return 0;
        if (op->op == 'n' && have)
            return 0;
        if (op->op == 'c') {
            uint32_t ref = op->value;
            if (!have || (op->rvar >= 0 && !bit_get(d->intset, (uint32_t)op->rvar)))
                return 0;
            if (op->rvar >= 0)
                ref = d->ints[op->rvar];
            if (!cmp_num(op->cmp, d->ints[op->var], ref))
                return 0;
        }
    }
    return 1;
}

void kn_ints_apply(kn_detect_ctx_t *c, const kn_sig_t *s, kn_flow_t *f)
{
    kn_fdet_t *d;
    uint8_t i;

    for (i = 0; i < s->nints; i++) {
        const kn_intop_t *op = &s->ints[i];
        uint32_t v;
        if (op->op != '=' && op->op != '+' && op->op != '-')
            continue;
        if (!(d = kn_fdet_get(c, f, 1)))
            return;
        if (op->rvar >= 0 && !bit_get(d->intset, (uint32_t)op->rvar))
            continue;
        v = op->rvar >= 0 ? d->ints[op->rvar] : op->value;
        if (op->op == '=')
            d->ints[op->var] = v;
        else if (!bit_get(d->intset, op->var))
            d->ints[op->var] = op->op == '+' ? v : 0; /* Suricata starts an unset one at 0 */
        else
            d->ints[op->var] = op->op == '+' ? d->ints[op->var] + v : d->ints[op->var] - v;
        bit_put(d->intset, op->var, 1);
    }
}

/* ---- by_flow rates -------------------------------------------------------------------------- */

kn_ktval_t *kn_flow_rate(kn_detect_ctx_t *c, kn_flow_t *f, uint32_t sig)
{
    kn_fdet_t *d = kn_fdet_get(c, f, 1);
    uint32_t i;

    if (!d)
        return NULL;
    for (i = 0; i < d->nthr; i++)
        if (d->thr[i].sig == sig)
            return &d->thr[i].v;
    if (d->nthr == d->capthr) {
        uint32_t cap = d->capthr ? d->capthr * 2 : 4;
        kn_fthr_t *nt = realloc(d->thr, cap * sizeof(*nt));
        if (!nt)
            return NULL;
        d->thr = nt;
        d->capthr = cap;
    }
    memset(&d->thr[d->nthr], 0, sizeof(d->thr[0]));
    d->thr[d->nthr].sig = sig;
    return &d->thr[d->nthr++].v;
}
