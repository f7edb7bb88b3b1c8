/* app_http_file.c: HTTP message bodies as files (file.h), as Suricata 7 tracks them.
 *
 * A response body is a file named by its Content-Disposition filename, else by the request's
 * path; a request body is one when the request is a PUT, or a POST that is not a
 * multipart/form-data form (named by the path too). The file opens at the first body byte and
 * gets the body as decoded (dechunked, inflated); like Suricata's, it ends TRUNCATED when the
 * body goes past the direction's body limit, or after a gap. */
#include "app_http_private.h"

/* Suricata's reading of a Content-Disposition value (RFC 6266 4.1): parameters split at
 * semicolons outside quotes; the one that starts "filename=" gives the name, one pair of
 * quotes removed. Returns 1 and the name, or 0. */
static int disposition_filename(kn_str_t v, kn_str_t *name)
{
    uint32_t i, start = 0;
    int quote = 0;

    while (start < v.len && (is_ws(v.p[start]) || v.p[start] == '\r'))
        start++;
    for (i = start; i < v.len; i++) {
        uint32_t tlen;
        if (v.p[i] == '"' && (i == 0 || v.p[i - 1] != '\\'))
            quote = !quote;
        if (i + 1 < v.len && (v.p[i] != ';' || quote || (i && v.p[i - 1] == '\\')))
            continue;
        tlen = i - start + (i + 1 == v.len && v.p[i] != ';');
        if (tlen > 9 && kn_ci_eq(v.p + start, 9, "filename=")) {
            name->p = v.p + start + 9;
            name->len = tlen - 9;
            if (name->len && name->p[0] == '"')
                name->p++, name->len--;
            if (name->len && name->p[name->len - 1] == '"')
                name->len--;
            return 1;
        }
        start = i + 1;
        while (start < v.len && is_ws(v.p[start]))
            start++;
    }
    return 0;
}

kn_str_t kn_http_content_disposition_filename(kn_str_t v)
{
    kn_str_t n = {NULL, 0};

    if (v.p)
        disposition_filename(v, &n);
    return n;
}

/* The request's path: the normalized uri without its query or fragment (libhtp's path). */
static kn_str_t uri_path(const http_tx_t *t)
{
    kn_str_t p = t->uri_norm;
    uint32_t i;

    for (i = 0; p.p && i < p.len; i++)
        if (p.p[i] == '?' || p.p[i] == '#')
            break;
    p.len = p.p ? i : 0;
    return p;
}

static int is_form(const side_t *s)
{
    kn_str_t ct = kn_http_field_value(s, "content-type");
    uint32_t i;

    for (i = 0; ct.p && i + 19 <= ct.len; i++)
        if (kn_ci_eq(ct.p + i, 19, "multipart/form-data"))
            return 1;
    return 0;
}

/* The file the body of t's direction dir becomes, or NULL when Suricata makes none (a form's
 * files are its parts, app_http_multipart.c). */
static kn_file_t *open_file(kn_app_io_t *io, http_state_t *st, http_tx_t *t, int dir)
{
    kn_str_t m = t->info.method, name = uri_path(t);

    if (dir == REQ && m.len == 4 && !memcmp(m.p, "POST", 4) && is_form(&t->s[REQ])) {
        kn_http_mp_start(st, &t->s[REQ]);
        return NULL;
    }

    if (dir == RES) {
        kn_str_t cd = kn_http_field_value(&t->s[RES], "content-disposition"), fn;
        if ((!t->info.has_response && !t->http09) || t->connect)
            return NULL; /* libhtp hands on no body of a CONNECT's answer */
        if (cd.p && cd.len && (fn = kn_http_content_disposition_filename(cd)).p)
            name = fn;
    } else if (!(m.len == 3 && !memcmp(m.p, "PUT", 3)) &&
               !(m.len == 4 && !memcmp(m.p, "POST", 4) && !is_form(&t->s[REQ]))) {
        return NULL;
    }
    if (!name.p)
        return NULL;
    return kn_file_open(io, &t->files, &t->tx, dir, name.p, name.len);
}

/* The eve record of the file carries the transaction as it is now. */
static void refresh_info(http_tx_t *t)
{
    t->info.req_body_len = t->s[REQ].msg_len;
    t->info.resp_body_len = t->s[RES].msg_len;
}

void kn_http_file_end(kn_app_io_t *io, http_tx_t *t, int dir, int how)
{
    side_t *s = &t->s[dir];

    if (s->mp) { /* a part still open when the body ends missed its delimiter */
        refresh_info(t);
        kn_http_mp_end(io, t, how == KN_FILE_END_FLOW ? how : KN_FILE_END_TRUNCATED);
    }
    if (!kn_file_is_open(s->file))
        return;
    if (s->gap) /* a gap of unknown size ended the message: the file has one too */
        kn_file_gap(io, s->file, 0);
    refresh_info(t);
    kn_file_close(io, s->file, how);
}

void kn_http_file_body(kn_app_io_t *io, http_state_t *st, http_tx_t *t, int dir,
                       const uint8_t *p, uint32_t n)
{
    side_t *s = &t->s[dir];
    uint32_t lim = st->cfg->http_body_limit[dir];
    uint64_t size;

    if (!n)
        return;
    if (!s->file_tried) {
        s->file_tried = 1;
        s->file = open_file(io, st, t, dir);
    }
    if (s->mp) {
        kn_http_mp_data(io, t, p, n);
        return;
    }
    if (!kn_file_is_open(s->file))
        return;
    size = kn_file_size(s->file);
    if (lim && size >= lim) { /* Suricata cuts the chunk that crosses the limit, and closes
                                 the file at the next one */
        kn_http_file_end(io, t, dir, KN_FILE_END_TRUNCATED);
        return;
    }
    if (lim && n > lim - size)
        n = (uint32_t)(lim - size);
    kn_file_data(io, s->file, p, n);
}

void kn_http_file_gap(kn_app_io_t *io, http_tx_t *t, int dir, uint64_t lost)
{
    kn_file_gap(io, t->s[dir].file, lost);
}

/* The flow ended: like libhtp at the connection's close, Suricata completes the message, so
 * even a body shorter than its Content-Length is a CLOSED file with its hashes. */
void kn_http_files_finish(kn_app_io_t *io, http_tx_t *t)
{
    int dir;

    refresh_info(t);
    kn_http_mp_end(io, t, KN_FILE_END_FLOW); /* a form's part: TRUNCATED, no hash */
    for (dir = 0; dir < 2; dir++)
        kn_http_file_end(io, t, dir, t->s[dir].gap ? KN_FILE_END_TRUNCATED : KN_FILE_END_OK);
}

const kn_files_t *kn_http_files(const kn_app_tx_t *tx)
{
    return &((const http_tx_t *)tx)->files;
}
