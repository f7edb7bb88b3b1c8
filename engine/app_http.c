/* app_http.c: HTTP/1.x (RFC 9112) over one TCP flow, as transactions of a request and its
 * response.
 *
 * Each direction is a resumable state machine fed any split of the stream: the start line and
 * header lines are copied into the transaction as they arrive (a message head must outlive the
 * packets that carried it, for the rules and the eve record); the body is framed by
 * Content-Length, chunked coding or the connection close (RFC 9112 6.3) and only its first
 * bytes are kept, dechunked and inflated, for the body buffers. Responses pair with requests in
 * order, so pipelined requests work; interim 1xx responses are skipped; after a successful
 * CONNECT or a 101 the flow is no longer HTTP and the rest is ignored. When the head is
 * complete it is parsed once into unfolded, merged header fields and the derived buffers rules
 * inspect (http.header, http.start ...), all held in one exact-size block per direction. */
#include "app_http_private.h"
#include "hexfmt.h"

#include <stdlib.h>

/* ---- small helpers ------------------------------------------------------------------------ */

/* Case-insensitive search of the text s in the n bytes at a. */
static int ci_has(const uint8_t *a, size_t n, const char *s)
{
    size_t m = strlen(s), i;

    for (i = 0; m <= n && i <= n - m; i++)
        if (kn_ci_eq(a + i, m, s))
            return 1;
    return 0;
}

/* Makes room for extra more bytes in b within the flow's cap; -1 when over it. */
int kn_http_hb_reserve(http_state_t *st, hbuf_t *b, uint32_t extra, uint32_t hint)
{
    uint32_t need, cap;
    uint8_t *np;

    if (extra > UINT32_MAX / 2 - b->len)
        return -1;
    need = b->len + extra;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : hint;
    while (cap < need)
        cap *= 2;
    if (st->mem - b->cap + cap > st->cap || !(np = realloc(b->p, cap)))
        return -1;
    st->mem = st->mem - b->cap + cap;
    b->p = np;
    b->cap = cap;
    return 0;
}

void kn_http_hb_free(http_state_t *st, hbuf_t *b)
{
    st->mem -= b->cap;
    free(b->p);
    memset(b, 0, sizeof(*b));
}

void kn_http_cap_reached(kn_app_io_t *io, http_state_t *st)
{
    if (!st->capped)
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
    st->capped = 1;
}


/* ---- transactions ------------------------------------------------------------------------- */

static void side_free(http_state_t *st, side_t *s)
{
    kn_http_mp_free(st, s);
    kn_http_hb_free(st, &s->head);
    kn_http_hb_free(st, &s->body);
    st->mem -= s->norm_len + s->nhdrs * sizeof(kn_header_t);
    free(s->norm);
    free(s->hdrs);
    if (s->z) {
        inflateEnd(s->z);
        free(s->z);
        st->mem -= ZLIB_MEM;
    }
    memset(s, 0, sizeof(*s));
}

static void tx_free(http_state_t *st, http_tx_t *t)
{
    side_free(st, &t->s[REQ]);
    side_free(st, &t->s[RES]);
    kn_files_free(&t->files);
    kn_app_tx_clear(&t->tx);
    st->mem -= sizeof(*t);
    free(t);
}

static void tx_unlink(http_state_t *st, http_tx_t *t)
{
    http_tx_t **pp = &st->first, *prev = NULL;

    while (*pp && *pp != t)
        prev = *pp, pp = &(*pp)->next;
    if (!*pp)
        return;
    *pp = t->next;
    if (st->last == t)
        st->last = prev;
}

static http_tx_t *tx_open(kn_app_io_t *io, http_state_t *st)
{
    http_tx_t *t;

    if (st->mem + sizeof(*t) > st->cap || !(t = calloc(1, sizeof(*t)))) {
        kn_http_cap_reached(io, st);
        return NULL;
    }
    st->mem += sizeof(*t);
    t->info.port = -1;
    kn_files_init(&t->files, &st->mem);
    kn_app_tx_new(io, &t->tx);
    if (st->last)
        st->last->next = t;
    else
        st->first = t;
    st->last = t;
    return t;
}

/* The tx's progress after one side completed: REQUEST or RESPONSE, DONE once both are. */
static void report(kn_app_io_t *io, http_state_t *st, http_tx_t *t, unsigned extra)
{
    unsigned prog = extra;

    t->info.req_body_len = t->s[REQ].msg_len;
    t->info.resp_body_len = t->s[RES].msg_len;
    if (t->s[REQ].done)
        prog |= KN_TXP_REQUEST;
    if (t->s[RES].done)
        prog |= KN_TXP_RESPONSE;
    if (t->s[REQ].done && t->s[RES].done)
        prog |= KN_TXP_DONE;
    kn_app_tx_update(io, &t->tx, prog);
    if (prog & KN_TXP_DONE) {
        if (st->d[REQ].tx == t)
            st->d[REQ].tx = NULL;
        if (st->d[RES].tx == t)
            st->d[RES].tx = NULL;
        tx_unlink(st, t);
        tx_free(st, t);
    }
}

/* One side of the current message of dir is complete. */
static void side_done(kn_app_io_t *io, http_state_t *st, int dir)
{
    http_tx_t *t = st->d[dir].tx;

    st->d[dir].tx = NULL;
    st->d[dir].mode = M_IDLE;
    if (!t)
        return;
    t->s[dir].done = 1;
    kn_http_file_end(io, t, dir, t->s[dir].gap ? KN_FILE_END_TRUNCATED : KN_FILE_END_OK);
    report(io, st, t, 0);
}


/* ---- message framing (RFC 9112 6.3) ------------------------------------------------------- */

/* Content-Length (RFC 9110 8.6): *n, or -1 when invalid. A repeated field arrives merged
 * ("10, 10"); the first value is used. */
static int content_length(kn_app_io_t *io, int dir, kn_str_t v, uint64_t *n)
{
    uint32_t i = 0;

    *n = 0;
    while (i < v.len && v.p[i] >= '0' && v.p[i] <= '9' && *n < (1ULL << 58))
        *n = *n * 10 + (uint64_t)(v.p[i++] - '0');
    if (!i || (i < v.len && v.p[i] != ',')) {
        kn_app_anomaly(io, pick(dir, KN_ANOM_APP_HTTP_INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST,
                                KN_ANOM_APP_HTTP_INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE));
        return -1;
    }
    if (i < v.len)
        kn_app_anomaly(io, pick(dir, KN_ANOM_APP_HTTP_DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST,
                                KN_ANOM_APP_HTTP_DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE));
    return 0;
}

static void set_encoding(side_t *s)
{
    kn_str_t ce = kn_http_field_value(s, "content-encoding");

    if (!ce.p)
        return;
    if (kn_ci_eq(ce.p, ce.len, "gzip") || kn_ci_eq(ce.p, ce.len, "x-gzip"))
        s->enc = ENC_GZIP;
    else if (kn_ci_eq(ce.p, ce.len, "deflate"))
        s->enc = ENC_DEFLATE;
}

/* How the body of the head just parsed is framed: 1 when there is a body to read. */
static int framing(kn_app_io_t *io, http_state_t *st, int dir, side_t *s)
{
    dstate_t *d = &st->d[dir];
    kn_str_t te = kn_http_field_value(s, "transfer-encoding"), cl = kn_http_field_value(s, "content-length");
    kn_str_t ct = kn_http_field_value(s, "content-type");
    uint64_t n;

    set_encoding(s);
    if (te.p && ci_has(te.p, te.len, "chunked")) {
        if (cl.p) /* RFC 9112 6.3 item 3: a possible smuggling attempt */
            kn_app_anomaly(io, pick(dir, KN_ANOM_APP_HTTP_REQUEST_HEADER_INVALID,
                                    KN_ANOM_APP_HTTP_RESPONSE_ABNORMAL_TRANSFER_ENCODING));
        d->mode = M_CHUNK_LEN;
        d->llen = 0;
        return 1;
    }
    if (te.p)
        kn_app_anomaly(io,
                       pick(dir, KN_ANOM_APP_HTTP_INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST,
                            KN_ANOM_APP_HTTP_INVALID_TRANSFER_ENCODING_VALUE_IN_RESPONSE));
    if (dir == RES && ci_has(ct.p, ct.len, "multipart/byteranges") && !cl.p) {
        /* self-delimiting (RFC 9112 6.3 as of RFC 2616 4.4 item 4); libhtp reads no body */
        kn_app_anomaly(io, KN_ANOM_APP_HTTP_RESPONSE_MULTIPART_BYTERANGES);
        return 0;
    }
    if (cl.p && !content_length(io, dir, cl, &n)) {
        if (!n)
            return 0;
        d->mode = M_CL;
        d->left = n;
        return 1;
    }
    if (dir == RES) { /* RFC 9112 6.3 item 8: read until the connection closes */
        d->mode = M_CLOSE;
        return 1;
    }
    return 0;
}

static void request_head_done(kn_app_io_t *io, http_state_t *st, http_tx_t *t)
{
    int connect = t->connect;

    if (!t->http09 && framing(io, st, REQ, &t->s[REQ]))
        return;
    side_done(io, st, REQ);
    if (connect) /* the client's next bytes are for the tunnel, if the proxy agrees */
        st->d[REQ].mode = M_CONNECT_WAIT;
}

/* An interim response (RFC 9110 15.2) is dropped; the final one will follow for this tx. */
static void interim(kn_app_io_t *io, http_state_t *st, http_tx_t *t)
{
    side_t *s = &t->s[RES];

    if (t->continues++)
        kn_app_anomaly(io, KN_ANOM_APP_HTTP_100_CONTINUE_ALREADY_SEEN);
    side_free(st, s);
    s->started = 1;
    memset(&t->info.resp_protocol, 0, sizeof(t->info.resp_protocol));
    memset(&t->info.status_msg, 0, sizeof(t->info.status_msg));
    t->info.status = 0;
    t->info.has_response = 0;
    t->info.content_type.p = t->info.location.p = NULL;
    t->info.resp_headers = NULL;
    t->info.n_resp_headers = 0;
    st->d[RES].mode = M_IDLE;
}

static void response_head_done(kn_app_io_t *io, http_state_t *st, http_tx_t *t)
{
    unsigned code = t->info.status;

    if (code >= 100 && code < 200 && code != 101) {
        interim(io, st, t);
        return;
    }
    if (st->d[REQ].mode == M_CONNECT_WAIT)
        st->d[REQ].mode = M_IDLE;
    if (code == 101 || (t->connect && code >= 200 && code < 300)) {
        /* the connection now carries another protocol (RFC 9110 7.8, 9.3.6). A CONNECT
         * tunnel's is found out again (TLS, SMTP ... as Suricata does); after a 101 the new
         * protocol (WebSocket, h2c) has no parser here and its bytes are left alone. */
        st->tunnel = 1;
        if (t->connect)
            kn_app_reprobe(io);
        if (!t->s[REQ].done) {
            t->s[REQ].done = 1;
            st->d[REQ].tx = NULL;
        }
        side_done(io, st, RES);
        return;
    }
    /* RFC 9112 6.3 items 1-2: no content after HEAD, 1xx, 204, 304 */
    if (t->head_req || code == 204 || code == 304 || !framing(io, st, RES, &t->s[RES])) {
        side_done(io, st, RES);
        return;
    }
    if (st->d[RES].mode == M_CHUNK_LEN && kn_ci_eq(t->s[RES].proto.p, t->s[RES].proto.len,
                                                "HTTP/1.0"))
        kn_app_anomaly(io, KN_ANOM_APP_HTTP_RESPONSE_CHUNKED_OLD_PROTO);
}

/* ---- the state machine ----------------------------------------------------------------- */

/* The transaction a response belongs to: the oldest one without one, or NULL. */
static http_tx_t *response_tx(const http_state_t *st)
{
    http_tx_t *t;

    for (t = st->first; t; t = t->next)
        if (!t->s[RES].started && !t->s[RES].done)
            return t;
    return NULL;
}

/* Between messages: empty lines are skipped (RFC 9112 2.2), then a message starts. */
static int step_idle(kn_app_io_t *io, http_state_t *st, int dir, const uint8_t *p, uint32_t n,
                     uint32_t *used)
{
    dstate_t *d = &st->d[dir];
    http_tx_t *t;
    uint32_t i = 0;

    while (i < n && (p[i] == '\r' || p[i] == '\n'))
        i++;
    *used = i;
    if (i == n)
        return KN_OK;
    if (dir == REQ && !(d->tx = tx_open(io, st)))
        return KN_ERR;
    if (dir == RES && !d->tx && !(d->tx = response_tx(st))) {
        /* like libhtp, a response nobody asked for is not logged: the direction waits for
         * the next status line */
        kn_app_anomaly(io, KN_ANOM_APP_HTTP_UNABLE_TO_MATCH_RESPONSE_TO_REQUEST);
        d->mode = M_RESYNC;
        *used = n;
        return KN_OK;
    }
    t = d->tx;
    t->s[dir].started = 1;
    d->llen = d->lstart = 0;
    d->mode = dir == RES && t->http09 ? M_CLOSE : M_HEAD; /* a 0.9 response is all body */
    return KN_OK;
}

/* A response that does not start with a status line: what came is body (HTTP/0.9 style). */
static void no_status_line(kn_app_io_t *io, http_state_t *st, http_tx_t *t)
{
    hbuf_t h = t->s[RES].head;

    memset(&t->s[RES].head, 0, sizeof(h));
    st->d[RES].mode = M_CLOSE;
    kn_http_body_data(io, st, RES, h.p, h.len);
    kn_http_hb_free(st, &h);
}

/* Whether the bytes after a request line without a version start a header field (a name,
 * optional blanks, a colon): then the version was just left out, as libhtp decides. */
static int field_follows(const uint8_t *p, uint32_t n)
{
    uint32_t i;
    int blanks = 0;

    for (i = 0; i < n; i++) {
        if (p[i] == ':')
            return 1;
        if (is_ws(p[i]))
            blanks = 1;
        else if (blanks || p[i] == '\r' || p[i] == '\n')
            return 0;
    }
    return 0;
}

/* A line of the head is complete (rest: the bytes after it in this call): 1 when the head is,
 * -1 when the message turned out to have no head. */
static int line_done(kn_app_io_t *io, http_state_t *st, int dir, http_tx_t *t,
                     const uint8_t *rest, uint32_t nrest)
{
    dstate_t *d = &st->d[dir];
    side_t *s = &t->s[dir];
    kn_str_t l, m, u, v;
    int first = d->lstart == 0;

    kn_http_next_line(s->head.p, s->head.len, d->lstart, &l);
    d->lstart = s->head.len;
    d->llen = 0;
    if (!first)
        return l.len == 0;
    if (dir == RES) {
        if (l.len < 5 || !kn_ci_eq(l.p, 5, "HTTP/")) {
            no_status_line(io, st, t);
            return -1;
        }
        return 0;
    }
    kn_http_split3(l, &m, &u, &v);
    if (v.len)
        return 0;
    t->fields_follow = (uint8_t)field_follows(rest, nrest);
    return !t->fields_follow; /* a simple request is one line */
}

/* Head bytes: copied line by line, a line longer than FIELD_MAX cut (and reported). */
static int step_head(kn_app_io_t *io, http_state_t *st, int dir, const uint8_t *p, uint32_t n,
                     uint32_t *used)
{
    dstate_t *d = &st->d[dir];
    http_tx_t *t = d->tx;
    side_t *s = &t->s[dir];
    const uint8_t *nl = memchr(p, '\n', n);
    uint32_t take = nl ? (uint32_t)(nl - p) + 1 : n, keep = take;
    int r;

    if (d->llen + (uint64_t)take > FIELD_MAX) {
        keep = d->llen < FIELD_MAX ? FIELD_MAX - d->llen : 0;
        if (!s->field_long)
            kn_app_anomaly(io, pick(dir, KN_ANOM_APP_HTTP_REQUEST_FIELD_TOO_LONG,
                                    KN_ANOM_APP_HTTP_RESPONSE_FIELD_TOO_LONG));
        s->field_long = 1;
    }
    if (kn_http_hb_reserve(st, &s->head, keep + 1, 512)) {
        kn_http_cap_reached(io, st);
        return KN_ERR;
    }
    memcpy(s->head.p + s->head.len, p, keep);
    s->head.len += keep;
    if (nl && keep < take)
        s->head.p[s->head.len++] = '\n';
    d->llen += take;
    *used = take;
    if (!nl || (r = line_done(io, st, dir, t, p + take, n - take)) <= 0)
        return KN_OK;
    if (kn_http_build_head(io, st, t, dir)) {
        kn_http_cap_reached(io, st);
        return KN_ERR;
    }
    if (dir == REQ)
        request_head_done(io, st, t);
    else
        response_head_done(io, st, t);
    return KN_OK;
}

/* chunk-size [ chunk-ext ] CRLF (RFC 9112 7.1): only the size matters; extensions are skipped. */
static int step_chunk_len(kn_app_io_t *io, http_state_t *st, int dir, const uint8_t *p,
                          uint32_t n, uint32_t *used)
{
    dstate_t *d = &st->d[dir];
    const uint8_t *nl = memchr(p, '\n', n);
    uint32_t take = nl ? (uint32_t)(nl - p) + 1 : n, i, k = 0;
    uint64_t size = 0;

    for (i = 0; i < take && d->llen < CHUNK_LINE; i++)
        d->lbuf[d->llen++] = p[i];
    *used = take;
    if (d->tx)
        d->tx->s[dir].msg_len += take;
    if (!nl)
        return KN_OK;
    i = 0;
    while (i < d->llen && is_ws(d->lbuf[i]))
        i++;
    for (; i < d->llen && kn_hexval(d->lbuf[i]) >= 0 && size < (1ULL << 56); i++, k++)
        size = size * 16 + (uint64_t)kn_hexval(d->lbuf[i]);
    if (!k && (i == d->llen || d->lbuf[i] == '\r' || d->lbuf[i] == '\n')) {
        d->llen = 0; /* a stray empty line */
        return KN_OK;
    }
    d->llen = 0;
    if (!k || size >= (1ULL << 56)) {
        kn_app_anomaly(io, pick(dir, KN_ANOM_APP_HTTP_INVALID_REQUEST_CHUNK_LEN,
                                KN_ANOM_APP_HTTP_INVALID_RESPONSE_CHUNK_LEN));
        if (dir == RES) { /* what follows can only be taken as body */
            d->mode = M_CLOSE;
            return KN_OK;
        }
        side_done(io, st, dir);
        d->mode = M_RESYNC;
        return KN_OK;
    }
    d->left = size;
    d->mode = size ? M_CHUNK_DATA : M_TRAILER;
    return KN_OK;
}

/* trailer-section after the last chunk (RFC 9112 7.1.2), up to its empty line. */
static int step_trailer(kn_app_io_t *io, http_state_t *st, int dir, const uint8_t *p,
                        uint32_t n, uint32_t *used)
{
    dstate_t *d = &st->d[dir];
    const uint8_t *nl = memchr(p, '\n', n);
    uint32_t take = nl ? (uint32_t)(nl - p) + 1 : n, i;

    for (i = 0; i < take; i++)
        d->llen += p[i] != '\r' && p[i] != '\n';
    *used = take;
    if (nl) {
        if (!d->llen)
            side_done(io, st, dir);
        d->llen = 0;
    }
    return KN_OK;
}

static int step(kn_app_io_t *io, http_state_t *st, int dir, const uint8_t *p, uint32_t n,
                uint32_t *used)
{
    dstate_t *d = &st->d[dir];
    uint32_t k;

    switch (d->mode) {
    case M_IDLE: return step_idle(io, st, dir, p, n, used);
    case M_HEAD: return step_head(io, st, dir, p, n, used);
    case M_CHUNK_LEN: return step_chunk_len(io, st, dir, p, n, used);
    case M_TRAILER: return step_trailer(io, st, dir, p, n, used);
    case M_CL:
    case M_CHUNK_DATA:
        k = d->left < n ? (uint32_t)d->left : n;
        kn_http_body_data(io, st, dir, p, k);
        d->left -= k;
        *used = k;
        if (!d->left && d->mode == M_CL)
            side_done(io, st, dir);
        else if (!d->left)
            d->mode = M_CHUNK_END;
        return KN_OK;
    case M_CHUNK_END:
        *used = p[0] == '\r' || p[0] == '\n';
        if (d->tx)
            d->tx->s[dir].msg_len += *used;
        if (p[0] != '\r')
            d->mode = M_CHUNK_LEN, d->llen = 0;
        return KN_OK;
    case M_CLOSE:
        kn_http_body_data(io, st, dir, p, n);
        *used = n;
        return KN_OK;
    default: /* tunnel bytes of a pending CONNECT, or bytes after a gap */
        *used = n;
        return KN_OK;
    }
}


/* ---- detection ------------------------------------------------------------------------ */

static const char *const methods[] = {
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH",
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "CHECKOUT",
    "UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY",
    "MERGE", "SEARCH", "VERSION-CONTROL", "BASELINE-CONTROL", NULL,
};

/* A request line starts with a known method and a space (RFC 9112 3). */
static int probe_request(const uint8_t *d, uint32_t len)
{
    int again = 0;
    size_t i;

    for (i = 0; methods[i]; i++) {
        size_t m = strlen(methods[i]);
        if (!kn_ci_mem(d, (const uint8_t *)methods[i], len < m ? len : m))
            continue;
        if (len <= m)
            again = 1;
        else if (is_ws(d[m]))
            return KN_OK;
    }
    return again ? KN_AGAIN : KN_DECLINED;
}

static int probe(const uint8_t *d, uint32_t len, int dir)
{
    static const uint8_t ver[] = "HTTP/1.";

    if (dir == KN_TOSERVER)
        return probe_request(d, len);
    if (!kn_ci_mem(d, ver, len < 7 ? len : 7))
        return KN_DECLINED;
    return len < 7 ? KN_AGAIN : KN_OK;
}

/* ---- the parser's entry points ---------------------------------------------------------- */

static void *state_new(void)
{
    http_state_t *st = calloc(1, sizeof(*st));

    if (st)
        st->cap = 1u << 20;
    return st;
}

static void state_free(void *vst)
{
    http_state_t *st = vst;

    if (!st)
        return;
    while (st->first) {
        http_tx_t *t = st->first;
        st->first = t->next;
        tx_free(st, t);
    }
    kn_http_hb_free(st, &st->scratch);
    free(st);
}

/* After a gap a new message is found again at a start line: a request line at the start of
 * the bytes or of one of their lines; "HTTP/1." anywhere, since the rest of a body of unknown
 * length may run right up to the next status line. Returns where it starts, or n. */
static uint32_t resync(http_state_t *st, int dir, const uint8_t *p, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        if (dir == REQ && i && p[i - 1] != '\n')
            continue;
        if (dir == REQ ? probe_request(p + i, n - i) == KN_OK
                       : (n - i >= 7 && kn_ci_mem(p + i, (const uint8_t *)"HTTP/1.", 7))) {
            st->d[dir].mode = M_IDLE;
            return i;
        }
    }
    return n;
}

static int parse(kn_app_io_t *io, void *vst, int dir, const uint8_t *data, uint32_t len)
{
    http_state_t *st = vst;
    uint32_t off = 0, used;
    int rc;

    if (dir != REQ && dir != RES)
        return KN_ERR;
    st->cap = kn_app_state_cap(io);
    st->cfg = kn_app_config(io);
    if (st->d[dir].mode == M_RESYNC)
        off = resync(st, dir, data, len);
    while (off < len && !st->tunnel && st->d[dir].mode != M_RESYNC) {
        uint8_t mode = st->d[dir].mode;
        used = 0;
        if ((rc = step(io, st, dir, data + off, len - off, &used)) != KN_OK)
            return rc;
        if (!used && st->d[dir].mode == mode)
            return KN_ERR; /* no progress would be a bug: never loop on it */
        off += used;
    }
    return KN_OK;
}

/* lost bytes of dir (0: how many is unknown). A body of known length skips them and goes
 * on; otherwise the message ends there and the direction waits for the next start line. A
 * head cannot be recovered. Body bytes after a gap are counted but not kept: rules would see
 * content that was never contiguous. */
static int gap_bytes(kn_app_io_t *io, http_state_t *st, int dir, uint64_t lost)
{
    dstate_t *d = &st->d[dir];
    side_t *s = d->tx ? &d->tx->s[dir] : NULL;

    if (st->tunnel)
        return KN_OK;
    if (s)
        s->gap = 1;
    switch (d->mode) {
    case M_HEAD: return KN_ERR;
    case M_CLOSE:
        s->msg_len += lost;
        kn_http_file_gap(io, d->tx, dir, lost);
        return KN_OK;
    case M_CL:
    case M_CHUNK_DATA:
        if (lost && lost <= d->left) {
            s->msg_len += lost;
            kn_http_file_gap(io, d->tx, dir, lost);
            d->left -= lost;
            if (!d->left && d->mode == M_CL)
                side_done(io, st, dir);
            else if (!d->left)
                d->mode = M_CHUNK_END;
            return KN_OK;
        }
        side_done(io, st, dir);
        break;
    case M_CHUNK_LEN:
    case M_CHUNK_END:
    case M_TRAILER: side_done(io, st, dir); break;
    default: break;
    }
    d->mode = M_RESYNC;
    return KN_OK;
}

static int gap(kn_app_io_t *io, void *vst, int dir, uint64_t lost)
{
    if (dir != REQ && dir != RES)
        return KN_OK;
    return gap_bytes(io, vst, dir, lost);
}

/* The flow ended: a body read to the close is complete; everything pending is reported, a
 * head cut short with what it had. */
static void finish(kn_app_io_t *io, void *vst)
{
    http_state_t *st = vst;
    int dir;

    st->cap = kn_app_state_cap(io);
    st->cfg = kn_app_config(io);
    while (st->first) {
        http_tx_t *t = st->first;
        for (dir = 0; dir < 2; dir++) {
            dstate_t *d = &st->d[dir];
            side_t *s = &t->s[dir];
            if (s->done || d->tx != t)
                continue;
            if (d->mode == M_HEAD && !s->parsed && s->head.len && kn_http_build_head(io, st, t, dir))
                kn_http_cap_reached(io, st);
            if (d->mode == M_CLOSE)
                s->done = 1;
            d->tx = NULL;
            d->mode = M_IDLE;
        }
        kn_http_files_finish(io, t);
        report(io, st, t, KN_TXP_DONE);
    }
}


static const void *info(const kn_app_tx_t *tx)
{
    return &((const http_tx_t *)tx)->info;
}

static size_t memuse(const void *vst)
{
    const http_state_t *st = vst;

    return st->mem + sizeof(*st);
}

const kn_app_parser_t kn_app_http_parser = {
    .app = KN_APP_HTTP,
    .ipproto = 6,
    .ports = {80, 8080, 8000, 3128},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .buffer = kn_http_buffer,
    .keyword = kn_http_keyword,
    .files = kn_http_files,
    .info = info,
    .memuse = memuse,
};

