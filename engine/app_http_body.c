/* app_http_body.c: the first bytes of a message body kept for the body buffers, dechunked and
 * inflated (gzip, deflate) within the configured limits; the rest is only counted. The decoded
 * bytes also go to the body's file (app_http_file.c). */
#include "app_http_private.h"

#include <stdlib.h>

/* ---- bodies ------------------------------------------------------------------------------- */

static uint32_t keep_limit(const http_state_t *st, int dir, int decoded)
{
    uint32_t lim = st->cfg->http_body_limit[dir];

    if (decoded && st->cfg->http_decompress_limit < lim)
        lim = st->cfg->http_decompress_limit;
    return lim;
}

static void keep_raw(kn_app_io_t *io, http_state_t *st, side_t *s, int dir, const uint8_t *p,
                     uint32_t n)
{
    uint32_t lim = keep_limit(st, dir, 0), room;

    if (s->body.len >= lim)
        return;
    room = lim - s->body.len;
    if (n > room)
        n = room;
    if (kn_http_hb_reserve(st, &s->body, n, 1024)) {
        kn_http_cap_reached(io, st);
        return;
    }
    memcpy(s->body.p + s->body.len, p, n);
    s->body.len += n;
}

void kn_http_z_stop(http_state_t *st, side_t *s)
{
    if (s->z) {
        inflateEnd(s->z);
        free(s->z);
        s->z = NULL;
        st->mem -= ZLIB_MEM;
    }
    s->zdone = 1;
}

/* Starts inflating: gzip and zlib headers are detected by zlib (15 + 32); a "deflate" body
 * without the RFC 1950 header (a first byte other than CM 8 with CINFO <= 7) is raw deflate. */
static int z_start(http_state_t *st, side_t *s, uint8_t first)
{
    int wbits = 15 + 32;

    if (s->enc == ENC_DEFLATE && !((first & 0x0f) == 8 && (first >> 4) <= 7))
        wbits = -15;
    if (st->mem + ZLIB_MEM > st->cap || !(s->z = calloc(1, sizeof(*s->z))))
        return -1;
    if (inflateInit2(s->z, wbits) != Z_OK) {
        free(s->z);
        s->z = NULL;
        return -1;
    }
    st->mem += ZLIB_MEM;
    return 0;
}

static void keep_inflated(kn_app_io_t *io, http_state_t *st, side_t *s, int dir,
                          const uint8_t *p, uint32_t n)
{
    uint32_t lim = keep_limit(st, dir, 1);
    int rc = Z_OK;

    if (s->zdone || !n)
        return;
    if (!s->z && z_start(st, s, p[0])) {
        kn_http_cap_reached(io, st);
        s->zdone = 1;
        return;
    }
    s->z->next_in = (Bytef *)(uintptr_t)p;
    s->z->avail_in = n;
    while (s->z->avail_in && s->body.len < lim && rc == Z_OK) {
        uint32_t room = lim - s->body.len < 16384 ? lim - s->body.len : 16384;
        if (kn_http_hb_reserve(st, &s->body, room, 4096)) {
            kn_http_cap_reached(io, st);
            break;
        }
        s->z->next_out = s->body.p + s->body.len;
        s->z->avail_out = room;
        rc = inflate(s->z, Z_SYNC_FLUSH);
        s->body.len += room - s->z->avail_out;
        if (rc == Z_BUF_ERROR) { /* no progress: more input, or more room, is needed */
            rc = Z_OK;
            if (s->z->avail_out)
                break;
        }
    }
    if (rc != Z_OK && rc != Z_STREAM_END)
        kn_app_anomaly(io, KN_ANOM_APP_HTTP_GZIP_DECOMPRESSION_FAILED);
    if (rc != Z_OK || s->body.len >= lim)
        kn_http_z_stop(st, s); /* done, broken, or all that is kept: the window is freed now */
}

/* Body bytes of the current message of dir (already dechunked). */
void kn_http_body_data(kn_app_io_t *io, http_state_t *st, int dir, const uint8_t *p, uint32_t n)
{
    http_tx_t *t = st->d[dir].tx;
    side_t *s;
    uint32_t before;

    if (!t || !n)
        return;
    s = &t->s[dir];
    s->msg_len += n;
    if (s->enc == ENC_NONE) /* the file gets what is not kept too (after a gap, its bytes) */
        kn_http_file_body(io, st, t, dir, p, n);
    if (s->gap)
        return;
    if (s->enc == ENC_NONE) {
        keep_raw(io, st, s, dir, p, n);
        return;
    }
    if (s->zdone && s->body.len >= keep_limit(st, dir, 1)) /* inflated past the limit */
        kn_http_file_end(io, t, dir, KN_FILE_END_TRUNCATED);
    before = s->body.len;
    keep_inflated(io, st, s, dir, p, n);
    kn_http_file_body(io, st, t, dir, s->body.p + before, s->body.len - before);
}

