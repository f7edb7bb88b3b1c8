/* app_http_private.h: what the files of the HTTP/1.x parser share: the per-flow state and
 * transaction types, small byte helpers, and the functions one file offers another.
 *   app_http.c       framing, the per-direction state machine, the parser's entry points
 *   app_http_head.c  message heads: start lines, fields, host and uri
 *   app_http_body.c  bodies kept for rules: dechunked and inflated
 *   app_http_buf.c   the rule buffers and keywords of a transaction */
#ifndef KANSHI_ENGINE_APP_HTTP_PRIVATE_H
#define KANSHI_ENGINE_APP_HTTP_PRIVATE_H

#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "applayer.h"
#include "strci.h"
#include "file.h"

#define FIELD_MAX 9000u    /* a longer header line is cut (libhtp's soft field limit) */
#define MAX_HEADERS 1024u  /* fields kept per head; more raise too_many_headers */
#define CHUNK_LINE 32u     /* chunk-size line bytes kept; extensions beyond are skipped */
#define ZLIB_MEM (48u << 10) /* what an inflate stream holds, for the state cap */

enum { REQ = KN_TOSERVER, RES = KN_TOCLIENT };

/* Where a direction is in its current message. */
enum {
    M_IDLE = 0,     /* between messages: blank lines are skipped */
    M_HEAD,         /* start line and header fields, up to the empty line */
    M_CL,           /* Content-Length body */
    M_CHUNK_LEN,    /* chunk-size line (RFC 9112 7.1) */
    M_CHUNK_DATA,
    M_CHUNK_END,    /* CRLF after chunk data */
    M_TRAILER,      /* trailer fields after the last chunk, up to the empty line */
    M_CLOSE,        /* body delimited by the connection close (responses) */
    M_CONNECT_WAIT, /* after a CONNECT: client bytes are tunnel data until the answer */
    M_RESYNC,       /* after a gap: bytes are dropped until a start line appears */
};

enum { ENC_NONE = 0, ENC_GZIP, ENC_DEFLATE };

typedef struct hbuf {
    uint8_t *p;
    uint32_t len, cap;
} hbuf_t;

/* One direction of one transaction. */
typedef struct side {
    hbuf_t head;  /* start line and header lines as received */
    uint8_t *norm; /* exact-size block: unfolded merged fields and derived buffers */
    uint32_t norm_len;
    hbuf_t body;  /* first body bytes, dechunked and inflated, for the rules */
    kn_header_t *hdrs;
    uint16_t nhdrs;
    kn_str_t line, proto, raw, header, names, start, all;
    z_stream *z;
    uint64_t msg_len; /* body bytes as sent: chunk framing counted, trailer not (as libhtp's
                         message length, which eve's "length" is) */
    uint8_t enc, zdone, started, parsed, done, gap, field_long;
    uint8_t file_tried; /* the body's first byte was seen: file opened, or none is due */
    kn_file_t *file;    /* the body as a file (app_http_file.c), in the tx's files */
    struct http_mp *mp; /* a multipart/form-data request body (app_http_multipart.c) */
} side_t;

typedef struct http_tx {
    kn_app_tx_t tx; /* first: the app layer sees this */
    kn_http_info_t info;
    side_t s[2];
    kn_str_t uri_norm, host_raw, code;
    uint8_t head_req, connect, upload, http09, fields_follow, continues;
    kn_files_t files; /* bodies as files */
    struct http_tx *next;
} http_tx_t;

typedef struct dstate {
    uint8_t mode;
    uint8_t lbuf[CHUNK_LINE];
    uint32_t llen;    /* bytes of the current line, kept or not */
    uint32_t lstart;  /* offset of the current line in the head */
    uint64_t left;    /* body or chunk bytes still to come */
    http_tx_t *tx;    /* the message this direction is in, NULL when idle */
} dstate_t;

typedef struct http_state {
    dstate_t d[2];
    http_tx_t *first, *last; /* transactions not yet done, oldest first */
    hbuf_t scratch;          /* where a head is built before it is settled */
    size_t mem, cap;
    uint8_t tunnel, capped;
    const kn_engine_config_t *cfg;
} http_state_t;

/* ---- small helpers ------------------------------------------------------------------------ */

static inline int is_ws(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* p without surrounding blanks and CRs */
static inline kn_str_t trim(const uint8_t *p, uint32_t n)
{
    kn_str_t s;

    while (n && (is_ws(p[0]) || p[0] == '\r'))
        p++, n--;
    while (n && (is_ws(p[n - 1]) || p[n - 1] == '\r'))
        n--;
    s.p = p;
    s.len = n;
    return s;
}

static inline kn_anomaly_t pick(int dir, kn_anomaly_t req, kn_anomaly_t res)
{
    return dir == REQ ? req : res;
}

/* ---- app_http.c ------------------------------------------------------------------------- */

/* Makes room for extra more bytes in b within the flow's cap; -1 when over it. */
int kn_http_hb_reserve(http_state_t *st, hbuf_t *b, uint32_t extra, uint32_t hint);
void kn_http_hb_free(http_state_t *st, hbuf_t *b);
void kn_http_cap_reached(kn_app_io_t *io, http_state_t *st);

/* ---- app_http_head.c -------------------------------------------------------------------- */

/* Parses a complete head of t's direction dir into fields and derived buffers; -1 when the
 * flow's cap is reached. */
int kn_http_build_head(kn_app_io_t *io, http_state_t *st, http_tx_t *t, int dir);
const kn_header_t *kn_http_field(const side_t *s, const char *name);
kn_str_t kn_http_field_value(const side_t *s, const char *name);
uint32_t kn_http_next_line(const uint8_t *p, uint32_t len, uint32_t off, kn_str_t *line);
void kn_http_split3(kn_str_t l, kn_str_t *a, kn_str_t *b, kn_str_t *c);

/* ---- app_http_body.c -------------------------------------------------------------------- */

/* n body bytes of dir's current message, as sent: counted, and the first ones kept. */
void kn_http_body_data(kn_app_io_t *io, http_state_t *st, int dir, const uint8_t *p, uint32_t n);
void kn_http_z_stop(http_state_t *st, side_t *s);

/* ---- app_http_file.c: bodies as files ------------------------------------------------- */

/* Decoded body bytes of dir's message (opens its file at the first). */
void kn_http_file_body(kn_app_io_t *io, http_state_t *st, http_tx_t *t, int dir,
                       const uint8_t *p, uint32_t n);
void kn_http_file_gap(kn_app_io_t *io, http_tx_t *t, int dir, uint64_t lost);
/* Ends dir's file, if open (how: KN_FILE_END_*). */
void kn_http_file_end(kn_app_io_t *io, http_tx_t *t, int dir, int how);
/* The flow ends: each side's open file ends as its message did. */
void kn_http_files_finish(kn_app_io_t *io, http_tx_t *t);
kn_str_t kn_http_content_disposition_filename(kn_str_t v);
const kn_files_t *kn_http_files(const kn_app_tx_t *tx);

/* ---- app_http_multipart.c: the files of a form ---------------------------------------- */

/* Starts reading s's body as a form (-1: no boundary, or no memory). */
int kn_http_mp_start(http_state_t *st, side_t *s);
void kn_http_mp_data(kn_app_io_t *io, http_tx_t *t, const uint8_t *p, uint32_t n);
void kn_http_mp_end(kn_app_io_t *io, http_tx_t *t, int how);
void kn_http_mp_free(http_state_t *st, side_t *s);

/* ---- app_http_buf.c --------------------------------------------------------------------- */

int kn_http_buffer(const kn_app_tx_t *tx, int buf, int dir, uint32_t idx, const uint8_t **b,
                   uint32_t *len);
int kn_http_keyword(const kn_app_tx_t *tx, const struct kn_appkw *kw, int dir);

#endif
