/* bencode.c: bencoding (BEP 3) read in place.
 *
 *   integer  i<decimal>e    no leading zeros, no "-0"
 *   string   <length>:<bytes>   length in decimal, no leading zeros
 *   list     l<values>e
 *   dict     d<string key><value>...e
 *
 * Validation walks the value once without recursion: a small stack remembers, for each open
 * list or dictionary, whether it is a dictionary and whether a key or a value comes next. */
#include "bencode.h"

#include <string.h>

#include "kanshi.h"

typedef struct frame {
    uint8_t is_dict, want_key;
} frame_t;

/* Decimal digits at d[*off..len) up to the terminator term; no leading zero unless alone. */
static int scan_decimal(const uint8_t *d, uint32_t len, uint32_t *off, uint8_t term,
                        uint64_t limit, uint64_t *out)
{
    uint32_t i = *off, start = i;
    uint64_t v = 0;

    while (i < len && d[i] >= '0' && d[i] <= '9') {
        if (v > (limit - (uint64_t)(d[i] - '0')) / 10)
            return KN_ERR;
        v = v * 10 + (uint64_t)(d[i] - '0');
        i++;
    }
    if (i == start || i >= len || d[i] != term || (d[start] == '0' && i - start > 1))
        return KN_ERR;
    *off = i + 1;
    *out = v;
    return KN_OK;
}

static int scan_int(const uint8_t *d, uint32_t len, uint32_t *off, kn_benc_t *v)
{
    uint32_t i = *off + 1; /* past 'i' */
    int neg = i < len && d[i] == '-';
    uint64_t mag;

    i += (uint32_t)neg;
    if (scan_decimal(d, len, &i, 'e', neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX,
                     &mag) != KN_OK ||
        (neg && mag == 0))
        return KN_ERR;
    v->type = KN_BENC_INT;
    v->num = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    *off = i;
    return KN_OK;
}

static int scan_str(const uint8_t *d, uint32_t len, uint32_t *off, kn_benc_t *v)
{
    uint32_t i = *off;
    uint64_t n;

    if (scan_decimal(d, len, &i, ':', UINT32_MAX, &n) != KN_OK || n > len - i)
        return KN_ERR;
    v->type = KN_BENC_STR;
    v->str.p = d + i;
    v->str.len = (uint32_t)n;
    *off = i + (uint32_t)n;
    return KN_OK;
}

/* One scalar, or the opening of a container (pushed on the stack). */
static int scan_item(const uint8_t *d, uint32_t len, uint32_t *off, kn_benc_t *v, frame_t *st,
                     unsigned *depth, unsigned max_depth)
{
    uint8_t c = d[*off];

    if (*depth && st[*depth - 1].is_dict && st[*depth - 1].want_key && !(c >= '0' && c <= '9'))
        return KN_ERR; /* dictionary keys are strings */
    if (c == 'i')
        return scan_int(d, len, off, v);
    if (c >= '0' && c <= '9')
        return scan_str(d, len, off, v);
    if (c != 'l' && c != 'd')
        return KN_ERR;
    if (*depth >= max_depth || *depth >= KN_BENC_DEPTH_MAX)
        return KN_ERR;
    st[*depth].is_dict = c == 'd';
    st[*depth].want_key = 1;
    v->type = c == 'd' ? KN_BENC_DICT : KN_BENC_LIST;
    (*depth)++;
    (*off)++;
    return KN_OK;
}

int kn_benc_parse(const uint8_t *d, uint32_t len, unsigned max_depth, kn_benc_t *v,
                  uint32_t *used)
{
    frame_t st[KN_BENC_DEPTH_MAX];
    unsigned depth = 0;
    uint32_t off = 0;
    kn_benc_t item, top;
    int first = 1;

    memset(&top, 0, sizeof(top));
    do {
        if (off >= len)
            return KN_ERR;
        if (depth && d[off] == 'e') {
            if (st[depth - 1].is_dict && !st[depth - 1].want_key)
                return KN_ERR; /* a key without its value */
            depth--;
            off++;
        } else {
            memset(&item, 0, sizeof(item));
            if (scan_item(d, len, &off, &item, st, &depth, max_depth) != KN_OK)
                return KN_ERR;
            if (first)
                top = item;
            first = 0;
            if (item.type == KN_BENC_LIST || item.type == KN_BENC_DICT)
                continue; /* its members come next; it counts once it is closed */
        }
        if (depth && st[depth - 1].is_dict)
            st[depth - 1].want_key = !st[depth - 1].want_key;
    } while (depth);
    top.raw.p = d;
    top.raw.len = off;
    *v = top;
    *used = off;
    return KN_OK;
}

void kn_benc_iter(kn_benc_iter_t *it, const kn_benc_t *v)
{
    int container = v->type == KN_BENC_LIST || v->type == KN_BENC_DICT;

    it->p = container ? v->raw.p + 1 : NULL;
    it->len = container ? v->raw.len - 2 : 0; /* without the opening letter and the 'e' */
    it->off = 0;
}

int kn_benc_list_next(kn_benc_iter_t *it, kn_benc_t *v)
{
    uint32_t used;

    if (it->off >= it->len ||
        kn_benc_parse(it->p + it->off, it->len - it->off, KN_BENC_DEPTH_MAX, v, &used) != KN_OK)
        return 0;
    it->off += used;
    return 1;
}

int kn_benc_dict_next(kn_benc_iter_t *it, kn_str_t *key, kn_benc_t *v)
{
    kn_benc_t k;

    if (!kn_benc_list_next(it, &k) || k.type != KN_BENC_STR || !kn_benc_list_next(it, v))
        return 0;
    *key = k.str;
    return 1;
}

int kn_benc_key_is(kn_str_t key, const char *s)
{
    size_t n = strlen(s);

    return key.len == n && memcmp(key.p, s, n) == 0;
}

int kn_benc_dict_get(const kn_benc_t *dict, const char *key, kn_benc_t *v)
{
    kn_benc_iter_t it;
    kn_str_t k;

    if (dict->type != KN_BENC_DICT)
        return 0;
    kn_benc_iter(&it, dict);
    while (kn_benc_dict_next(&it, &k, v))
        if (kn_benc_key_is(k, key))
            return 1;
    return 0;
}
