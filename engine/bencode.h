/* bencode.h: a bounded reader of bencoded values (BEP 3 "bencoding"), for BitTorrent's KRPC
 * (BEP 5) and extension handshakes (BEP 10).
 *
 * Nothing is copied or allocated: a value is a view into the caller's bytes (borrowed), and a
 * list or dictionary is walked with an iterator over those bytes. kn_benc_parse validates one
 * whole value first (nesting no deeper than max_depth, every length within the bytes given),
 * so walking it afterwards cannot fail or read out of bounds. */
#ifndef KANSHI_ENGINE_BENCODE_H
#define KANSHI_ENGINE_BENCODE_H

#include <stdint.h>

#include "appinfo.h"

#define KN_BENC_DEPTH_MAX 32u /* the deepest nesting kn_benc_parse accepts at all */

enum { KN_BENC_INT = 1, KN_BENC_STR, KN_BENC_LIST, KN_BENC_DICT };

typedef struct kn_benc {
    uint8_t type;    /* KN_BENC_* */
    kn_str_t raw;    /* the whole encoding: "i42e", "4:spam", "l...e", "d...e" */
    kn_str_t str;    /* KN_BENC_STR: the string's bytes */
    int64_t num;     /* KN_BENC_INT */
} kn_benc_t;

typedef struct kn_benc_iter {
    const uint8_t *p; /* the members of a list or dictionary (borrowed) */
    uint32_t len, off;
} kn_benc_iter_t;

/* One value at the start of d[0..len), nested at most max_depth lists/dictionaries deep
 * (1: a flat list or dictionary). *used: its length (bytes after it are the caller's).
 * KN_OK, or KN_ERR when malformed, truncated or too deep. Dictionary keys must be strings;
 * their order is not checked (BEP 3 wants them sorted; real clients do not all sort). */
int kn_benc_parse(const uint8_t *d, uint32_t len, unsigned max_depth, kn_benc_t *v,
                  uint32_t *used);

/* Starts a walk over the members of v, a list or dictionary kn_benc_parse returned. */
void kn_benc_iter(kn_benc_iter_t *it, const kn_benc_t *v);

/* The next member of a list: 1, or 0 at the end. */
int kn_benc_list_next(kn_benc_iter_t *it, kn_benc_t *v);

/* The next key and value of a dictionary: 1, or 0 at the end. */
int kn_benc_dict_next(kn_benc_iter_t *it, kn_str_t *key, kn_benc_t *v);

/* The value of key in dictionary dict (the first one if repeated): 1, or 0 when absent. */
int kn_benc_dict_get(const kn_benc_t *dict, const char *key, kn_benc_t *v);

/* key equals the NUL-terminated text s. */
int kn_benc_key_is(kn_str_t key, const char *s);

#endif
