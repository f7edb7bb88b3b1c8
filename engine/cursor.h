/* cursor.h: bounds-checked reads over borrowed packet bytes.
 *
 * Every parser in the engine reads through these helpers so that no read can pass the captured
 * length. A cursor has a sticky error flag: once a read runs past the end every later read
 * returns zero and the caller checks the flag once, at the end of a group of reads, instead of
 * after each field (tcpdump's GET_* without the longjmp). Bytes are assembled one at a time, so
 * there is no alignment or endianness assumption and never a struct cast over packet data. */
#ifndef KANSHI_ENGINE_CURSOR_H
#define KANSHI_ENGINE_CURSOR_H

#include <stddef.h>
#include <stdint.h>

typedef struct kn_cursor {
    const uint8_t *p; /* borrowed */
    size_t len;
    size_t off;
    int err;
} kn_cursor_t;

static inline void kn_cur_init(kn_cursor_t *c, const uint8_t *p, size_t len)
{
    c->p = p;
    c->len = len;
    c->off = 0;
    c->err = 0;
}

/* Overflow-safe: off <= len always holds, so len - off cannot wrap. */
static inline int kn_cur_has(const kn_cursor_t *c, size_t n)
{
    return !c->err && n <= c->len - c->off;
}

static inline size_t kn_cur_left(const kn_cursor_t *c)
{
    return c->err ? 0 : c->len - c->off;
}

static inline const uint8_t *kn_cur_ptr(const kn_cursor_t *c)
{
    return c->p + c->off;
}

/* Returns a pointer to the next n bytes and moves past them, or NULL (and sets the error). */
static inline const uint8_t *kn_cur_take(kn_cursor_t *c, size_t n)
{
    const uint8_t *r;

    if (!kn_cur_has(c, n)) {
        c->err = 1;
        return NULL;
    }
    r = c->p + c->off;
    c->off += n;
    return r;
}

static inline void kn_cur_skip(kn_cursor_t *c, size_t n)
{
    (void)kn_cur_take(c, n);
}

static inline uint8_t kn_cur_u8(kn_cursor_t *c)
{
    const uint8_t *b = kn_cur_take(c, 1);
    return b ? b[0] : 0;
}

static inline uint16_t kn_cur_be16(kn_cursor_t *c)
{
    const uint8_t *b = kn_cur_take(c, 2);
    return b ? (uint16_t)((b[0] << 8) | b[1]) : 0;
}

static inline uint32_t kn_cur_be24(kn_cursor_t *c) /* TLS/QUIC handshake lengths */
{
    const uint8_t *b = kn_cur_take(c, 3);
    return b ? ((uint32_t)b[0] << 16) | ((uint32_t)b[1] << 8) | b[2] : 0;
}

static inline uint32_t kn_cur_be32(kn_cursor_t *c)
{
    const uint8_t *b = kn_cur_take(c, 4);
    return b ? ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3] : 0;
}

static inline uint16_t kn_cur_le16(kn_cursor_t *c)
{
    const uint8_t *b = kn_cur_take(c, 2);
    return b ? (uint16_t)((b[1] << 8) | b[0]) : 0;
}

static inline uint32_t kn_cur_le32(kn_cursor_t *c)
{
    const uint8_t *b = kn_cur_take(c, 4);
    return b ? ((uint32_t)b[3] << 24) | ((uint32_t)b[2] << 16) | ((uint32_t)b[1] << 8) | b[0] : 0;
}

/* Fixed-position reads for code that has already checked the length once (the caller owns the
 * check; these never look at a length). */
static inline uint16_t kn_rd_be16(const uint8_t *b)
{
    return (uint16_t)((b[0] << 8) | b[1]);
}

static inline uint32_t kn_rd_be24(const uint8_t *b)
{
    return ((uint32_t)b[0] << 16) | ((uint32_t)b[1] << 8) | b[2];
}

static inline uint32_t kn_rd_be32(const uint8_t *b)
{
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

#endif
