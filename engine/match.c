/* match.c: the items of one buffer list, run the way Suricata runs them.
 *
 * Items run in rule order, each from where the previous one left off when it is relative. A
 * content that matches but leaves the rest failing is retried at its next occurrence, so
 * "content:A; content:B; distance:0; within:4;" finds the A that B follows; a step budget keeps
 * hostile data from making that quadratic. In a window of reassembled data, absolute offsets
 * (offset, depth, startswith, pcre, byte_*, isdataat) count from the first byte not inspected
 * before, as Suricata counts them from the start of its inspection chunk, while an unanchored
 * content may also begin in the kept older bytes (a pattern split by a segment edge) as long
 * as the match ends in new ones. */
#include "match.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <openssl/evp.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define BUDGET_DEFAULT 4000

static int run(kn_inspect_t *c, const kn_sm_t *sm, int i, int n, int64_t pos);

int64_t kn_find(const uint8_t *hay, uint32_t hlen, const uint8_t *needle, uint32_t nlen,
                int nocase)
{
    uint32_t i, last;
    uint8_t a, b;

    if (nlen == 0 || nlen > hlen)
        return nlen == 0 ? 0 : -1;
    if (!nocase) {
        const uint8_t *p = memmem(hay, hlen, needle, nlen);
        return p ? p - hay : -1;
    }
    a = (uint8_t)tolower(needle[0]);
    b = (uint8_t)toupper(needle[0]);
    last = hlen - nlen;
    for (i = 0; i <= last; i++) {
        uint32_t k;
        if (hay[i] != a && hay[i] != b)
            continue;
        for (k = 1; k < nlen && tolower(hay[i + k]) == tolower(needle[k]); k++)
            ;
        if (k == nlen)
            return i;
    }
    return -1;
}

static int64_t val(const kn_inspect_t *c, const kn_val_t *v)
{
    return v->var >= 0 ? c->vars[v->var] : v->v;
}

/* A byte_test value or byte_math rvalue: 0 to 2^32-1 when the rule writes it (kept in the
 * int32_t of kn_val_t, so not sign-extended here), what the variable holds otherwise. */
static uint64_t uval(const kn_inspect_t *c, const kn_val_t *v)
{
    return v->var >= 0 ? (uint64_t)c->vars[v->var] : (uint32_t)v->v;
}

/* Whether an item sets the position later relative items count from (the others keep it). */
static int moves_position(const kn_sm_t *sm)
{
    switch (sm->type) {
    case KN_SM_CONTENT:
    case KN_SM_PCRE:
        return !(sm->flags & KN_SMF_NEGATED);
    case KN_SM_BYTE_JUMP:
    case KN_SM_BYTE_EXTRACT:
        return 1;
    default:
        return 0;
    }
}

/* Whether an item after i moves the position (i = -1: any item of the list). */
static int later_moves(const kn_sm_t *sm, int i, int n)
{
    for (i++; i < n; i++)
        if (moves_position(&sm[i]))
            return 1;
    return 0;
}

/* Whether what follows item i depends on where it matched, so that its next occurrence is
 * worth trying: a relative item before the next item that moves the position (as Suricata
 * links a relative keyword to the last content or pcre before it, whatever lies between), or,
 * in a stream window, the check that the match ends in new data when no later item moves. */
static int depends_on_position(const kn_inspect_t *c, const kn_sm_t *sm, int i, int n)
{
    int j;

    for (j = i + 1; j < n; j++) {
        if (sm[j].flags & KN_SMF_RELATIVE)
            return 1;
        if (moves_position(&sm[j]))
            return 0;
    }
    return c->stream;
}

/* The search window [*start, *end) of a content, in buffer offsets; 0 when empty. */
static int content_window(const kn_inspect_t *c, const kn_sm_t *sm, int64_t pos, int64_t *start,
                          int64_t *end)
{
    const kn_content_t *ct = &sm->u.content;

    if (sm->flags & KN_SMF_RELATIVE) {
        int64_t dist = (sm->flags & KN_SMF_HAS_DISTANCE) ? val(c, &ct->distance) : 0;
        *start = pos + dist;
        *end = (sm->flags & KN_SMF_HAS_WITHIN) ? pos + dist + val(c, &ct->within) : c->len;
    } else if (sm->flags & (KN_SMF_HAS_OFFSET | KN_SMF_HAS_DEPTH)) {
        int64_t off = (sm->flags & KN_SMF_HAS_OFFSET) ? val(c, &ct->offset) : 0;
        *start = (int64_t)c->origin + off;
        *end = (sm->flags & KN_SMF_HAS_DEPTH) ? *start + val(c, &ct->depth) : c->len;
    } else {
        *start = 0;
        *end = c->len;
    }
    if (*start < 0)
        *start = 0;
    if (*end > (int64_t)c->len)
        *end = c->len;
    return *end - *start >= (int64_t)ct->len;
}

static int run_content(kn_inspect_t *c, const kn_sm_t *sm, int i, int n, int64_t pos)
{
    const kn_sm_t *me = &sm[i];
    const kn_content_t *ct = &me->u.content;
    int64_t start, end, at;
    int nocase = (me->flags & KN_SMF_NOCASE) != 0;

    if (!content_window(c, me, pos, &start, &end))
        return (me->flags & KN_SMF_NEGATED) ? run(c, sm, i + 1, n, pos) : 0;
    /* in a stream window the last match that moves must end in new data */
    if (c->stream && !(me->flags & KN_SMF_NEGATED) && !later_moves(sm, i, n) &&
        start < (int64_t)c->origin + 1 - ct->len)
        start = (int64_t)c->origin + 1 - ct->len;
    while (start <= end - ct->len) {
        if (!c->budget)
            return 0; /* out of steps: no match, even for a negated content */
        c->budget--;
        at = kn_find(c->buf + start, (uint32_t)(end - start), ct->pat, ct->len, nocase);
        if (at < 0)
            break;
        at += start;
        if ((me->flags & KN_SMF_ENDSWITH) && at + ct->len != (int64_t)c->len) {
            start = at + 1;
            continue;
        }
        if (me->flags & KN_SMF_NEGATED)
            return 0;
        if (run(c, sm, i + 1, n, at + ct->len))
            return 1;
        if (!depends_on_position(c, sm, i, n))
            return 0;
        start = at + 1;
    }
    return (me->flags & KN_SMF_NEGATED) ? run(c, sm, i + 1, n, pos) : 0;
}

static int run_pcre(kn_inspect_t *c, const kn_sm_t *sm, int i, int n, int64_t pos)
{
    const kn_sm_t *me = &sm[i];
    int rel = (me->u.pcre.opts & KN_PCRE_RELATIVE) != 0;
    int64_t base = rel ? pos : (int64_t)c->origin, from = 0;
    PCRE2_SIZE *ov;
    int rc;

    if (base > (int64_t)c->len)
        return 0;
    for (;;) {
        if (!c->budget)
            return 0; /* out of steps: no match, even for a negated pcre */
        c->budget--;
        rc = pcre2_match(me->u.pcre.re, c->buf + base, c->len - (uint32_t)base,
                         (PCRE2_SIZE)from, 0, c->md, NULL);
        if (rc < 0)
            break;
        if (me->flags & KN_SMF_NEGATED)
            return 0;
        ov = pcre2_get_ovector_pointer(c->md);
        if (run(c, sm, i + 1, n, base + (int64_t)ov[1]))
            return 1;
        if (!depends_on_position(c, sm, i, n) || (int64_t)ov[0] + 1 > (int64_t)c->len - base)
            return 0;
        from = (int64_t)ov[0] + 1;
    }
    return (me->flags & KN_SMF_NEGATED) ? run(c, sm, i + 1, n, pos) : 0;
}

/* Reads a byte_* value at buffer offset at. Returns 0 when it cannot. */
static int get_bytes(const kn_bytes_t *b, const uint8_t *buf, uint32_t len, int64_t at,
                     uint64_t *out)
{
    uint64_t v = 0;
    int k;

    if (at < 0 || at + b->nbytes > (int64_t)len)
        return 0;
    if (b->nbytes == 0) { /* byte_jump:0 reads nothing and moves by post_offset alone */
        *out = 0;
        return b->flags & KN_BYTE_STRING ? 0 : 1;
    }
    if (b->flags & KN_BYTE_STRING) {
        char tmp[32], *end;
        memcpy(tmp, buf + at, b->nbytes);
        tmp[b->nbytes] = '\0';
        if (!isxdigit((unsigned char)tmp[0]))
            return 0;
        v = strtoull(tmp, &end, b->base ? b->base : 10);
        if (end == tmp)
            return 0;
    } else if (b->flags & (KN_BYTE_LITTLE | KN_BYTE_DCE)) {
        for (k = b->nbytes - 1; k >= 0; k--)
            v = v << 8 | buf[at + k];
    } else {
        for (k = 0; k < b->nbytes; k++)
            v = v << 8 | buf[at + k];
    }
    if (b->flags & KN_BYTE_BITMASK) {
        v &= b->bitmask;
        if (b->bitmask)
            v >>= __builtin_ctz(b->bitmask);
    }
    *out = v;
    return 1;
}

/* Where a byte_* keyword reads: from the position when relative, else from the origin. */
static int64_t byte_at(const kn_inspect_t *c, const kn_bytes_t *b, int64_t pos)
{
    return ((b->flags & KN_BYTE_RELATIVE) ? pos : (int64_t)c->origin) + val(c, &b->offset);
}

static int byte_test(kn_inspect_t *c, const kn_bytes_t *b, int64_t pos)
{
    int64_t at = byte_at(c, b, pos);
    uint64_t v, ref = uval(c, &b->value);
    int ok;

    if (!get_bytes(b, c->buf, c->len, at, &v))
        return 0;
    switch (b->op) {
    case '<': ok = v < ref; break;
    case '>': ok = v > ref; break;
    case 'L': ok = v <= ref; break;
    case 'G': ok = v >= ref; break;
    case '&': ok = (v & ref) != 0; break;
    case '^': ok = (v ^ ref) != 0; break;
    default: ok = v == ref; break;
    }
    return (b->flags & KN_BYTE_NEGATE_OP) ? !ok : ok;
}

/* The position byte_jump moves to, or -1. */
static int64_t byte_jump(kn_inspect_t *c, const kn_bytes_t *b, int64_t pos)
{
    int64_t at = byte_at(c, b, pos), to;
    uint64_t v;

    if (!get_bytes(b, c->buf, c->len, at, &v))
        return -1;
    v *= (uint64_t)b->multiplier;
    if (b->flags & KN_BYTE_ALIGN)
        v = (v + 3) & ~(uint64_t)3;
    if (v > 0xffffffffu)
        return -1;
    if (b->flags & KN_BYTE_FROM_BEGINNING)
        to = (int64_t)c->origin + (int64_t)v + b->post_offset;
    else if (b->flags & KN_BYTE_FROM_END)
        to = (int64_t)c->len + (int64_t)v + b->post_offset;
    else
        to = at + b->nbytes + (int64_t)v + b->post_offset;
    return to < 0 || to > (int64_t)c->len ? -1 : to;
}

/* byte_extract and byte_math: the value, stored in the variable. Returns the new position (the
 * end of the bytes for byte_extract, unchanged for byte_math) or -1. */
static int64_t byte_var(kn_inspect_t *c, const kn_sm_t *sm, int64_t pos)
{
    const kn_bytes_t *b = &sm->u.bytes;
    int64_t at = byte_at(c, b, pos);
    uint64_t v, r;

    if (!get_bytes(b, c->buf, c->len, at, &v))
        return -1;
    if (sm->type == KN_SM_BYTE_EXTRACT) {
        v *= (uint64_t)b->multiplier;
        if ((b->flags & KN_BYTE_ALIGN) && b->post_offset > 1)
            v = (v + (uint64_t)b->post_offset - 1) / (uint64_t)b->post_offset *
                (uint64_t)b->post_offset;
        c->vars[b->result_var] = (int64_t)v;
        return at + b->nbytes;
    }
    r = uval(c, &b->value);
    switch (b->op) {
    case '+': v += r; break;
    case '-': v -= r; break;
    case '*': v *= r; break;
    case '/': if (!r) return -1; v /= r; break;
    case '<': v = r < 64 ? v << r : 0; break;
    default: v = r < 64 ? v >> r : 0; break;
    }
    c->vars[b->result_var] = (int64_t)v;
    return pos;
}

static int is_b64(uint8_t ch)
{
    return isalnum(ch) || ch == '+' || ch == '/' || ch == '=';
}

/* Decodes n base64 characters into out (room for n + 3 bytes); returns the length. A last group
 * without its '=' padding (unpadded text, or a `bytes` count that cuts a group) is decoded as if
 * padded, as Suricata decodes it: libcrypto alone rejects the whole text then. */
static uint32_t b64_text(EVP_ENCODE_CTX *ctx, const uint8_t *in, uint32_t n, uint8_t *out)
{
    uint8_t last[4] = {'=', '=', '=', '='};
    uint32_t full = n - n % 4;
    int outl = 0, more = 0, fin = 0, ok;

    if (!ctx)
        return 0;
    EVP_DecodeInit(ctx);
    ok = EVP_DecodeUpdate(ctx, out, &outl, in, (int)full) >= 0;
    if (ok && n % 4 >= 2) {
        memcpy(last, in + full, n % 4);
        ok = EVP_DecodeUpdate(ctx, out + outl, &more, last, 4) >= 0;
        outl += ok ? more : 0;
    }
    if (ok && EVP_DecodeFinal(ctx, out + outl, &fin) >= 0)
        outl += fin;
    return outl > 0 ? (uint32_t)outl : 0;
}

/* Decodes base64 text from the position on into c->b64 (the text is cut at the first character
 * that is not base64). */
static void base64_decode(kn_inspect_t *c, const kn_sm_t *sm, int64_t pos)
{
    int64_t start = ((sm->flags & KN_SMF_RELATIVE) ? pos : (int64_t)c->origin) + sm->u.b64.offset;
    uint32_t n = 0, max;
    EVP_ENCODE_CTX *ctx;

    c->b64_len = 0;
    if (start < 0 || start >= (int64_t)c->len)
        return;
    max = c->len - (uint32_t)start;
    if (sm->u.b64.bytes && sm->u.b64.bytes < max)
        max = sm->u.b64.bytes;
    while (n < max && is_b64(c->buf[start + n])) /* the text ends at the first other byte */
        n++;
    if (n == 0)
        return;
    if (n + 3 > c->b64_cap) {
        uint8_t *nb = realloc(c->b64, n + 3);
        if (!nb)
            return;
        c->b64 = nb;
        c->b64_cap = n + 3;
    }
    if ((ctx = kn_inspect_b64_ctx(c))) /* reused: EVP_DecodeInit starts it afresh */
        c->b64_len = b64_text(ctx, c->buf + start, n, c->b64);
}

static int run(kn_inspect_t *c, const kn_sm_t *sm, int i, int n, int64_t pos)
{
    const kn_sm_t *me;
    int64_t to;
    int ok;

    if (i == n) {
        /* a match inside data inspected before is not new; a list whose items all keep the
         * position (byte_test, isdataat ...) looked at new data only */
        if (c->stream && pos <= (int64_t)c->origin && later_moves(sm, -1, n))
            return 0;
        c->end = (uint32_t)pos;
        return 1;
    }
    me = &sm[i];
    switch (me->type) {
    case KN_SM_CONTENT:
        return run_content(c, sm, i, n, pos);
    case KN_SM_PCRE:
        return run_pcre(c, sm, i, n, pos);
    case KN_SM_BYTE_TEST:
        return byte_test(c, &me->u.bytes, pos) && run(c, sm, i + 1, n, pos);
    case KN_SM_BYTE_JUMP:
        return (to = byte_jump(c, &me->u.bytes, pos)) >= 0 && run(c, sm, i + 1, n, to);
    case KN_SM_BYTE_EXTRACT:
    case KN_SM_BYTE_MATH:
        return (to = byte_var(c, me, pos)) >= 0 && run(c, sm, i + 1, n, to);
    case KN_SM_ISDATAAT:
        /* absolute: a byte exists at offset N; relative: N more bytes follow the position */
        ok = (me->flags & KN_SMF_RELATIVE)
                 ? pos + val(c, &me->u.isdataat.n) <= (int64_t)c->len
                 : (int64_t)c->origin + val(c, &me->u.isdataat.n) < (int64_t)c->len;
        if (me->flags & KN_SMF_NEGATED)
            ok = !ok;
        return ok && run(c, sm, i + 1, n, pos);
    case KN_SM_BSIZE:
        return kn_num_match(&me->u.bsize, c->len) && run(c, sm, i + 1, n, pos);
    case KN_SM_BASE64_DECODE:
        base64_decode(c, me, pos);
        return run(c, sm, i + 1, n, pos);
    default:
        return 0;
    }
}

int kn_match_list(kn_inspect_t *c, const kn_smlist_t *l)
{
    if (!c->budget)
        c->budget = BUDGET_DEFAULT;
    /* relative items at the start of a list count from where absolute ones do */
    return run(c, l->sm, 0, l->n, c->origin);
}
