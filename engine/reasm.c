/* reasm.c: one direction of a TCP stream, reassembled in a 64-bit relative sequence space.
 *
 * Sequence numbers are unwrapped against the contiguous end (RFC 9293 3.4 comparisons), so a
 * 32-bit wrap never reaches the offsets above. In-order bytes go straight into a window of
 * contiguous data; early bytes wait in a sorted list of segments, where overlaps are settled
 * by the target-based policy once, on arrival. Detection inspects the window's new bytes plus
 * an overlap of older ones (a match may straddle segments), after which only that overlap is
 * kept. Every byte held counts against the pool's memcap; a segment over it is dropped and
 * counted, and the hole it leaves is skipped when the receiver acknowledges past it. */
#include "reasm.h"

#include <stdlib.h>
#include <string.h>

typedef struct kn_seg {
    struct kn_seg *next;
    uint64_t off;
    uint32_t len;
    uint8_t data[];
} kn_seg_t;

struct kn_reasm {
    uint32_t base_seq; /* sequence number of relative offset 0 */
    uint64_t next;     /* end of the contiguous data */
    uint64_t inspected;
    uint64_t win_base; /* relative offset of buf[0] */
    uint8_t *buf;
    uint32_t len, cap;
    kn_seg_t *ooo; /* early segments, sorted, disjoint */
    uint8_t gap_acks; /* acknowledgements seen past a hole since data last arrived */
    uint8_t depth_hit;
};

kn_reasm_t *kn_reasm_new(kn_reasm_pool_t *pool, uint32_t seq)
{
    kn_reasm_t *r;

    if (pool->memuse + sizeof(*r) > pool->memcap) {
        pool->ctr->c[KN_CTR_TCP_SEGMENT_MEMCAP]++;
        return NULL;
    }
    if (!(r = calloc(1, sizeof(*r))))
        return NULL;
    r->base_seq = seq;
    pool->memuse += sizeof(*r);
    return r;
}

void kn_reasm_free(kn_reasm_pool_t *pool, kn_reasm_t *r)
{
    if (!r)
        return;
    while (r->ooo) {
        kn_seg_t *s = r->ooo;
        r->ooo = s->next;
        pool->memuse -= sizeof(*s) + s->len;
        free(s);
    }
    pool->memuse -= sizeof(*r) + r->cap;
    free(r->buf);
    free(r);
    pool->ctr->c[KN_CTR_TCP_REASSEMBLY_MEMUSE] = pool->memuse;
}

/* Relative offset of a sequence number: the nearest one to the contiguous end. */
static int64_t unwrap(const kn_reasm_t *r, uint32_t seq)
{
    uint32_t cur = r->base_seq + (uint32_t)r->next;
    return (int64_t)r->next + (int32_t)(seq - cur);
}

static int reserve(kn_reasm_pool_t *pool, kn_reasm_t *r, uint32_t need)
{
    uint32_t cap = r->cap ? r->cap : 1024;
    uint8_t *nb;

    if (r->len + need <= r->cap)
        return 0;
    while (cap < r->len + need)
        cap *= 2;
    if (pool->memuse - r->cap + cap > pool->memcap)
        return -1;
    if (!(nb = realloc(r->buf, cap)))
        return -1;
    pool->memuse += cap - r->cap;
    r->buf = nb;
    r->cap = cap;
    return 0;
}

/* Appends in-order bytes (the caller checked off == next). */
static unsigned append(kn_reasm_pool_t *pool, kn_reasm_t *r, const uint8_t *d, uint32_t n)
{
    unsigned f = 0;

    if (pool->depth && r->next + n > pool->depth) {
        n = r->next >= pool->depth ? 0 : (uint32_t)(pool->depth - r->next);
        f |= r->depth_hit ? KN_RA_PAST_DEPTH : KN_RA_DEPTH;
        r->depth_hit = 1;
    }
    if (!n)
        return f;
    if (reserve(pool, r, n) != 0) {
        pool->ctr->c[KN_CTR_TCP_SEGMENT_MEMCAP]++;
        return f | KN_RA_MEMCAP;
    }
    memcpy(r->buf + r->len, d, n);
    r->len += n;
    r->next += n;
    r->gap_acks = 0;
    return f | KN_RA_NEW_DATA;
}

/* Moves early segments that became contiguous into the window. */
static unsigned pull(kn_reasm_pool_t *pool, kn_reasm_t *r)
{
    unsigned f = 0;

    while (r->ooo && r->ooo->off <= r->next) {
        kn_seg_t *s = r->ooo;
        uint64_t end = s->off + s->len;
        r->ooo = s->next;
        if (end > r->next)
            f |= append(pool, r, s->data + (r->next - s->off), (uint32_t)(end - r->next));
        pool->memuse -= sizeof(*s) + s->len;
        free(s);
    }
    return f;
}

/* Bytes at [off, off+n) that are still in the window differ from d? */
static int differs_from_window(const kn_reasm_t *r, uint64_t off, const uint8_t *d, uint32_t n)
{
    uint64_t lo = off > r->win_base ? off : r->win_base, hi = off + n;

    if (hi > r->next)
        hi = r->next;
    if (lo >= hi)
        return 0;
    return memcmp(r->buf + (lo - r->win_base), d + (lo - off), (size_t)(hi - lo)) != 0;
}

static int new_wins(int policy, uint64_t noff, uint64_t nend, const kn_seg_t *old)
{
    uint64_t oend = old->off + old->len;

    switch (policy) {
    case KN_TCP_POLICY_LAST: return 1;
    case KN_TCP_POLICY_FIRST: return 0;
    case KN_TCP_POLICY_LINUX: return noff < old->off || (noff == old->off && nend > oend);
    case KN_TCP_POLICY_WINDOWS: return noff <= old->off && nend >= oend;
    default: return noff < old->off; /* BSD */
    }
}

static kn_seg_t *new_seg(kn_reasm_pool_t *pool, uint64_t off, const uint8_t *d, uint32_t n)
{
    kn_seg_t *s;

    if (pool->memuse + sizeof(*s) + n > pool->memcap) {
        pool->ctr->c[KN_CTR_TCP_SEGMENT_MEMCAP]++;
        return NULL;
    }
    if (!(s = malloc(sizeof(*s) + n)))
        return NULL;
    s->off = off;
    s->len = n;
    memcpy(s->data, d, n);
    pool->memuse += sizeof(*s) + n;
    return s;
}

/* Inserts early bytes: the parts no held segment covers become new segments; where one does,
 * the policy decides whose bytes stay. */
static unsigned insert_early(kn_reasm_pool_t *pool, kn_reasm_t *r, uint64_t off, const uint8_t *d,
                             uint32_t n)
{
    uint64_t end = off + n, at = off;
    kn_seg_t **pp = &r->ooo;
    unsigned f = 0;

    while (at < end) {
        kn_seg_t *s = *pp;
        uint64_t stop = s && s->off < end ? s->off : end;
        if (s && s->off + s->len <= at) { /* entirely before: move on */
            pp = &s->next;
            continue;
        }
        if (stop > at) { /* a hole before the next held segment */
            kn_seg_t *ns = new_seg(pool, at, d + (at - off), (uint32_t)(stop - at));
            if (!ns)
                return f | KN_RA_MEMCAP;
            f |= KN_RA_HELD;
            ns->next = s;
            *pp = ns;
            pp = &ns->next;
            at = stop;
            continue;
        }
        if (s && s->off <= at) { /* overlap with s */
            uint64_t hi = s->off + s->len < end ? s->off + s->len : end;
            uint8_t *held = s->data + (at - s->off);
            const uint8_t *nw = d + (at - off);
            if (memcmp(held, nw, (size_t)(hi - at)) != 0) {
                f |= KN_RA_OVERLAP_DIFF;
                if (new_wins(pool->policy, off, end, s))
                    memcpy(held, nw, (size_t)(hi - at));
            }
            f |= KN_RA_RETRANSMIT;
            at = hi;
            pp = &s->next;
        }
    }
    return f;
}

unsigned kn_reasm_add(kn_reasm_pool_t *pool, kn_reasm_t *r, uint32_t seq, const uint8_t *data,
                      uint32_t len)
{
    int64_t off = unwrap(r, seq);
    unsigned f = 0;

    if (!len)
        return 0;
    if (off + (int64_t)len <= 0)
        return KN_RA_BEFORE_BASE;
    if (off < 0) { /* starts before the stream did */
        data += -off;
        len -= (uint32_t)-off;
        off = 0;
        f |= KN_RA_BEFORE_BASE;
    }
    if ((uint64_t)off < r->next) { /* some or all of it already here */
        uint32_t dup = (uint64_t)off + len <= r->next ? len : (uint32_t)(r->next - (uint64_t)off);
        f |= KN_RA_RETRANSMIT;
        if (differs_from_window(r, (uint64_t)off, data, dup))
            f |= KN_RA_OVERLAP_DIFF;
        data += dup;
        len -= dup;
        off += dup;
        if (!len)
            return f;
    }
    if ((uint64_t)off == r->next)
        f |= append(pool, r, data, len) | pull(pool, r);
    else if (pool->depth && (uint64_t)off >= pool->depth)
        f |= KN_RA_PAST_DEPTH; /* early bytes past the depth would never be used */
    else
        f |= insert_early(pool, r, (uint64_t)off, data,
                          pool->depth && (uint64_t)off + len > pool->depth
                              ? (uint32_t)(pool->depth - (uint64_t)off)
                              : len);
    pool->ctr->c[KN_CTR_TCP_REASSEMBLY_MEMUSE] = pool->memuse;
    return f;
}

/* Moves the contiguous end to hole_end: what was before the hole is not contiguous with what
 * follows, so the window starts again there. */
static unsigned skip_to(kn_reasm_pool_t *pool, kn_reasm_t *r, uint64_t hole_end)
{
    pool->ctr->c[KN_CTR_TCP_REASSEMBLY_GAP]++;
    r->next = r->inspected = r->win_base = hole_end;
    r->len = 0;
    r->gap_acks = 0;
    return KN_RA_GAP | pull(pool, r);
}

unsigned kn_reasm_ack(kn_reasm_pool_t *pool, kn_reasm_t *r, uint32_t ack)
{
    int64_t a = unwrap(r, ack);
    uint64_t hole_end;

    if (a <= (int64_t)r->next || (r->ooo && r->ooo->off == r->next))
        return 0;
    if (pool->depth && r->next >= pool->depth)
        return 0; /* past the depth nothing is kept anyway */
    if (++r->gap_acks < 2 || r->inspected < r->next)
        return 0;
    hole_end = r->ooo && r->ooo->off < (uint64_t)a ? r->ooo->off : (uint64_t)a;
    return skip_to(pool, r, hole_end);
}

unsigned kn_reasm_skip(kn_reasm_pool_t *pool, kn_reasm_t *r)
{
    if (!r->ooo)
        return 0;
    return skip_to(pool, r, r->ooo->off);
}

int kn_reasm_fresh(const kn_reasm_t *r)
{
    return r->inspected < r->next;
}

void kn_reasm_window(const kn_reasm_t *r, const uint8_t **buf, uint32_t *len, uint64_t *base,
                     uint64_t *fresh)
{
    *buf = r->buf;
    *len = r->len;
    *base = r->win_base;
    *fresh = r->inspected;
}

void kn_reasm_consumed(kn_reasm_pool_t *pool, kn_reasm_t *r)
{
    uint32_t keep = pool->overlap;

    r->inspected = r->next;
    if (r->len > keep) {
        memmove(r->buf, r->buf + (r->len - keep), keep);
        r->win_base += r->len - keep;
        r->len = keep;
    }
    if (r->cap > 65536 && r->cap > 4 * (keep + 1024)) { /* give back a burst's memory */
        uint32_t cap = keep + 1024;
        uint8_t *nb = realloc(r->buf, cap);
        if (nb) {
            pool->memuse -= r->cap - cap;
            r->buf = nb;
            r->cap = cap;
        }
    }
}

uint64_t kn_reasm_size(const kn_reasm_t *r)
{
    return r->next;
}
