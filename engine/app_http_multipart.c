/* app_http_multipart.c: the files of a multipart/form-data request body (RFC 7578, RFC 2046
 * 5.1.1), as Suricata takes them: each part whose Content-Disposition has a filename is a file
 * of that name holding the part's content; parts without one are form fields, not files.
 *
 * The body is scanned as it streams in, in any split: the delimiter is CRLF "--" boundary (the
 * body is read as if a CRLF came first, so a delimiter at its very start counts), bytes that
 * could start a delimiter are held back until it is clear they do not, and a part's header
 * block is kept up to MP_HDR_MAX bytes. A file still open when the body ends without the
 * closing delimiter ends TRUNCATED. */
#include "app_http_private.h"

#include <stdlib.h>

#define MP_BOUNDARY_MAX 200u /* libhtp's HTP_BOUNDARY_MAX */
#define MP_HDR_MAX 2048u

enum { MP_DATA = 0, MP_AFTER, MP_HDR, MP_END };

struct http_mp {
    uint8_t delim[MP_BOUNDARY_MAX + 4]; /* CRLF "--" boundary */
    uint32_t dlen, k;                   /* delimiter length, bytes of it matched (held) */
    uint8_t state, after_n, after[2];
    uint8_t hdr[MP_HDR_MAX];
    uint32_t hlen, line_len;            /* header bytes kept; bytes of the current line */
    kn_file_t *file;                    /* the part being received, NULL for a field */
};

/* The boundary parameter of a multipart/form-data Content-Type, or a NULL string. */
static kn_str_t form_boundary(kn_str_t ct)
{
    kn_str_t b = {NULL, 0};
    uint32_t i, e;

    for (i = 0; ct.p && i + 9 <= ct.len; i++)
        if (kn_ci_eq(ct.p + i, 9, "boundary="))
            break;
    if (!ct.p || i + 9 > ct.len)
        return b;
    i += 9;
    for (e = i; e < ct.len && ct.p[e] != ';' && ct.p[e] != ',' && !is_ws(ct.p[e]); e++)
        ;
    if (e - i >= 2 && ct.p[i] == '"' && ct.p[e - 1] == '"')
        i++, e--;
    if (e > i && e - i <= MP_BOUNDARY_MAX)
        b.p = ct.p + i, b.len = e - i;
    return b;
}

int kn_http_mp_start(http_state_t *st, side_t *s)
{
    kn_str_t b = form_boundary(kn_http_field_value(s, "content-type"));
    struct http_mp *mp;

    if (!b.p || st->mem + sizeof(*mp) > st->cap || !(mp = calloc(1, sizeof(*mp))))
        return -1;
    st->mem += sizeof(*mp);
    memcpy(mp->delim, "\r\n--", 4);
    memcpy(mp->delim + 4, b.p, b.len);
    mp->dlen = b.len + 4;
    mp->k = 2; /* as if the body began with a CRLF */
    s->mp = mp;
    return 0;
}

void kn_http_mp_free(http_state_t *st, side_t *s)
{
    if (!s->mp)
        return;
    free(s->mp);
    s->mp = NULL;
    st->mem -= sizeof(struct http_mp);
}

/* A part's header block is complete: a Content-Disposition filename makes it a file. */
static void part_start(kn_app_io_t *io, http_tx_t *t, struct http_mp *mp)
{
    kn_str_t l, v;
    uint32_t off = 0;

    mp->file = NULL;
    while ((off = kn_http_next_line(mp->hdr, mp->hlen, off, &l)), l.len) {
        if (l.len > 20 && kn_ci_eq(l.p, 20, "content-disposition:")) {
            v.p = l.p + 20, v.len = l.len - 20;
            v = kn_http_content_disposition_filename(v);
            if (v.p) {
                mp->file = kn_file_open(io, &t->files, &t->tx, REQ, v.p, v.len);
                return;
            }
        }
        if (off >= mp->hlen)
            break;
    }
}

/* Content bytes: held-back delimiter bytes first when they turned out to be content. */
static void emit(kn_app_io_t *io, struct http_mp *mp, const uint8_t *p, uint32_t n)
{
    if (n && mp->file)
        kn_file_data(io, mp->file, p, n);
}

/* Part content up to the next delimiter; returns the bytes used. */
static uint32_t mp_data(kn_app_io_t *io, struct http_mp *mp, const uint8_t *p, uint32_t n)
{
    uint32_t i, run = 0;

    for (i = 0; i < n; i++) {
        if (mp->k && p[i] != mp->delim[mp->k]) {
            emit(io, mp, mp->delim, mp->k); /* not a delimiter after all */
            mp->k = 0;
        }
        if (p[i] != mp->delim[mp->k])
            continue;
        if (!mp->k)
            emit(io, mp, p + run, i - run);
        run = i + 1;
        if (++mp->k == mp->dlen) {
            kn_file_close(io, mp->file, KN_FILE_END_OK);
            mp->file = NULL;
            mp->k = 0;
            mp->state = MP_AFTER;
            mp->after_n = 0;
            return i + 1;
        }
    }
    if (!mp->k)
        emit(io, mp, p + run, n - run);
    return n;
}

/* After a delimiter: "--" closes the form; otherwise the line ends and headers follow. */
static uint32_t mp_after(struct http_mp *mp, const uint8_t *p, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        if (mp->after_n < 2)
            mp->after[mp->after_n++] = p[i];
        if (mp->after_n == 2 && mp->after[0] == '-' && mp->after[1] == '-') {
            mp->state = MP_END;
            return n;
        }
        if (p[i] == '\n') {
            mp->state = MP_HDR;
            mp->hlen = mp->line_len = 0;
            return i + 1;
        }
    }
    return n;
}

static uint32_t mp_hdr(kn_app_io_t *io, http_tx_t *t, struct http_mp *mp, const uint8_t *p,
                       uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        if (mp->hlen < MP_HDR_MAX)
            mp->hdr[mp->hlen++] = p[i];
        if (p[i] != '\n') {
            mp->line_len += p[i] != '\r';
            continue;
        }
        if (mp->line_len) {
            mp->line_len = 0;
            continue;
        }
        part_start(io, t, mp); /* an empty line ends the part's header block */
        mp->state = MP_DATA;
        mp->k = 0;
        return i + 1;
    }
    return n;
}

void kn_http_mp_data(kn_app_io_t *io, http_tx_t *t, const uint8_t *p, uint32_t n)
{
    struct http_mp *mp = t->s[REQ].mp;
    uint32_t used;

    while (mp && n && mp->state != MP_END) {
        switch (mp->state) {
        case MP_DATA: used = mp_data(io, mp, p, n); break;
        case MP_AFTER: used = mp_after(mp, p, n); break;
        default: used = mp_hdr(io, t, mp, p, n); break;
        }
        p += used;
        n -= used;
    }
}

/* The body ended (how: KN_FILE_END_TRUNCATED when the request did, _FLOW when the flow did):
 * a part still open never saw its delimiter. */
void kn_http_mp_end(kn_app_io_t *io, http_tx_t *t, int how)
{
    struct http_mp *mp = t->s[REQ].mp;

    if (mp && mp->file) {
        kn_file_close(io, mp->file, how);
        mp->file = NULL;
    }
}
