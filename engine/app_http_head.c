/* app_http_head.c: HTTP message heads (RFC 9112 2-5): the start line, header fields unfolded
 * and merged, the host and uri derived from them, all settled in one exact-size block per
 * direction once the head is complete. */
#include "app_http_private.h"
#include "hexfmt.h"

#include <stdlib.h>

/* ---- heads: fields, merged and unfolded (RFC 9112 5) ------------------------------------- */

const kn_header_t *kn_http_field(const side_t *s, const char *name)
{
    uint16_t i;

    for (i = 0; i < s->nhdrs; i++)
        if (kn_ci_eq(s->hdrs[i].name.p, s->hdrs[i].name.len, name))
            return &s->hdrs[i];
    return NULL;
}

kn_str_t kn_http_field_value(const side_t *s, const char *name)
{
    const kn_header_t *h = kn_http_field(s, name);
    kn_str_t none = {NULL, 0};

    return h ? h->value : none;
}

/* A bounded writer into the norm block (sized beforehand, so it never fails in practice). */
typedef struct wr {
    uint8_t *p;
    uint32_t len, cap;
} wr_t;

static uint8_t *wr_put(wr_t *w, const void *src, uint32_t n)
{
    uint8_t *at = w->p + w->len;

    if (n > w->cap - w->len)
        return NULL;
    if (n)
        memcpy(at, src, n);
    w->len += n;
    return at;
}

static int wr_str(wr_t *w, kn_str_t *out, const uint8_t *src, uint32_t n)
{
    uint8_t *at = wr_put(w, src, n);

    out->p = at ? at : w->p;
    out->len = at ? n : 0;
    return at ? 0 : -1;
}

/* One header line into the field list (written to w): a new field, or the continuation of the
 * previous one (obsolete line folding, RFC 9112 5.2), which is joined with one space. */
static void add_line(kn_app_io_t *io, side_t *s, int dir, wr_t *w, const uint8_t *l, uint32_t n)
{
    const uint8_t *colon;
    kn_str_t name, val;
    kn_header_t *h;

    if (is_ws(l[0])) {
        val = trim(l, n);
        if (!s->nhdrs || s->hdrs[s->nhdrs - 1].value.p + s->hdrs[s->nhdrs - 1].value.len !=
                             w->p + w->len) {
            kn_app_anomaly(io, pick(dir, KN_ANOM_APP_HTTP_INVALID_REQUEST_FIELD_FOLDING,
                                    KN_ANOM_APP_HTTP_INVALID_RESPONSE_FIELD_FOLDING));
            return;
        }
        if (wr_put(w, " ", 1) && wr_put(w, val.p, val.len))
            s->hdrs[s->nhdrs - 1].value.len += 1 + val.len;
        return;
    }
    if (!(colon = memchr(l, ':', n))) {
        kn_app_anomaly(io, pick(dir, KN_ANOM_APP_HTTP_REQUEST_FIELD_MISSING_COLON,
                                KN_ANOM_APP_HTTP_RESPONSE_FIELD_MISSING_COLON));
        return;
    }
    name = trim(l, (uint32_t)(colon - l));
    val = trim(colon + 1, (uint32_t)(n - (colon + 1 - l)));
    if (s->nhdrs >= MAX_HEADERS) {
        kn_app_anomaly(io, pick(dir, KN_ANOM_APP_HTTP_REQUEST_TOO_MANY_HEADERS,
                                KN_ANOM_APP_HTTP_RESPONSE_TOO_MANY_HEADERS));
        return;
    }
    h = &s->hdrs[s->nhdrs];
    if (wr_str(w, &h->name, name.p, name.len) || wr_str(w, &h->value, val.p, val.len))
        return;
    s->nhdrs++;
}

/* Repeated fields become one, values joined by ", " (as libhtp does, so buffers and eve see
 * "a, b"); the first one keeps its place. */
static void merge_fields(kn_app_io_t *io, side_t *s, int dir, wr_t *w)
{
    uint16_t i, j, n = 0;

    for (i = 0; i < s->nhdrs; i++) {
        kn_header_t *h = &s->hdrs[i];
        for (j = 0; j < n; j++)
            if (h->name.len == s->hdrs[j].name.len &&
                kn_ci_mem(s->hdrs[j].name.p, h->name.p, h->name.len))
                break;
        if (j == n) {
            s->hdrs[n++] = *h;
            continue;
        }
        kn_app_anomaly(io, pick(dir, KN_ANOM_APP_HTTP_REQUEST_HEADER_REPETITION,
                                KN_ANOM_APP_HTTP_RESPONSE_HEADER_REPETITION));
        {
            uint32_t start = w->len;
            kn_str_t old = s->hdrs[j].value;
            if (wr_put(w, old.p, old.len) && wr_put(w, ", ", 2) &&
                wr_put(w, h->value.p, h->value.len)) {
                s->hdrs[j].value.p = w->p + start;
                s->hdrs[j].value.len = w->len - start;
            } else {
                w->len = start;
            }
        }
    }
    s->nhdrs = n;
}

/* http.header (no Cookie/Set-Cookie), http.header_names and http.start (RFC 9112 2.1 shape:
 * start line, "Name: value" lines, an empty line), as Suricata builds them. */
static void derive(side_t *s, int dir, wr_t *w)
{
    const char *skip = dir == REQ ? "cookie" : "set-cookie";
    uint32_t at;
    uint16_t i;

    at = w->len;
    for (i = 0; i < s->nhdrs; i++) {
        const kn_header_t *h = &s->hdrs[i];
        if (kn_ci_eq(h->name.p, h->name.len, skip))
            continue;
        wr_put(w, h->name.p, h->name.len), wr_put(w, ": ", 2);
        wr_put(w, h->value.p, h->value.len), wr_put(w, "\r\n", 2);
    }
    s->header.p = w->p + at, s->header.len = w->len - at;
    at = w->len;
    wr_put(w, "\r\n", 2);
    for (i = 0; i < s->nhdrs; i++)
        wr_put(w, s->hdrs[i].name.p, s->hdrs[i].name.len), wr_put(w, "\r\n", 2);
    wr_put(w, "\r\n", 2);
    s->names.p = w->p + at, s->names.len = w->len - at;
    at = w->len;
    wr_put(w, s->line.p, s->line.len), wr_put(w, "\r\n", 2);
    for (i = 0; i < s->nhdrs; i++) {
        const kn_header_t *h = &s->hdrs[i];
        wr_put(w, h->name.p, h->name.len), wr_put(w, ": ", 2);
        wr_put(w, h->value.p, h->value.len), wr_put(w, "\r\n", 2);
    }
    wr_put(w, "\r\n", 2);
    s->start.p = w->p + at, s->start.len = w->len - at;
    s->all.p = s->start.p + s->line.len + 2;
    s->all.len = s->start.len >= s->line.len + 4 ? s->start.len - s->line.len - 4 : 0;
}

/* ---- heads: start lines, host and uri -------------------------------------------------- */

/* The line at off (CR LF stripped); returns the offset after it. */
uint32_t kn_http_next_line(const uint8_t *p, uint32_t len, uint32_t off, kn_str_t *line)
{
    const uint8_t *nl = memchr(p + off, '\n', len - off);
    uint32_t end = nl ? (uint32_t)(nl - p) : len, n = end - off;

    if (n && p[off + n - 1] == '\r')
        n--;
    line->p = p + off;
    line->len = n;
    return nl ? end + 1 : len;
}

/* Splits a start line in three at runs of whitespace; the third part is the rest. */
void kn_http_split3(kn_str_t l, kn_str_t *a, kn_str_t *b, kn_str_t *c)
{
    uint32_t i = 0, s;

    while (i < l.len && !is_ws(l.p[i]))
        i++;
    a->p = l.p, a->len = i;
    while (i < l.len && is_ws(l.p[i]))
        i++;
    s = i;
    while (i < l.len && !is_ws(l.p[i]))
        i++;
    b->p = l.p + s, b->len = i - s;
    *c = trim(l.p + i, l.len - i);
}

static int is_token(kn_str_t s)
{
    uint32_t i;

    for (i = 0; i < s.len; i++)
        if (s.p[i] <= 0x20 || s.p[i] >= 0x7f)
            return 0;
    return s.len > 0;
}

/* request-line = method SP request-target SP HTTP-version (RFC 9112 3); without a version it
 * is an HTTP/0.9 simple request. */
static void request_line(kn_app_io_t *io, http_tx_t *t)
{
    kn_str_t m, u, v;

    kn_http_split3(t->s[REQ].line, &m, &u, &v);
    if (!is_token(m) || !u.len)
        kn_app_anomaly(io, KN_ANOM_APP_HTTP_REQUEST_LINE_INVALID);
    t->info.method = m;
    if (u.len)
        t->info.uri = u;
    if (v.len)
        t->info.protocol = v, t->s[REQ].proto = v;
    t->http09 = !v.len && !t->fields_follow;
    t->head_req = kn_ci_eq(m.p, m.len, "HEAD");
    t->connect = kn_ci_eq(m.p, m.len, "CONNECT");
    t->upload = kn_ci_eq(m.p, m.len, "POST") || kn_ci_eq(m.p, m.len, "PUT");
}

/* status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 4). */
static void status_line(kn_app_io_t *io, http_tx_t *t)
{
    kn_str_t v, c, m;

    kn_http_split3(t->s[RES].line, &v, &c, &m);
    t->s[RES].proto = v;
    t->info.resp_protocol = v;
    t->info.status_msg = m;
    t->code = c;
    t->info.has_response = 1;
    if (v.len < 5 || !kn_ci_eq(v.p, 5, "HTTP/"))
        kn_app_anomaly(io, KN_ANOM_APP_HTTP_RESPONSE_INVALID_PROTOCOL);
    if (c.len == 3 && c.p[0] >= '1' && c.p[0] <= '9' && c.p[1] >= '0' && c.p[1] <= '9' &&
        c.p[2] >= '0' && c.p[2] <= '9')
        t->info.status = (uint16_t)((c.p[0] - '0') * 100 + (c.p[1] - '0') * 10 + c.p[2] - '0');
    else
        kn_app_anomaly(io, KN_ANOM_APP_HTTP_RESPONSE_INVALID_STATUS);
}

/* The authority of an absolute-form target (RFC 9112 3.2.2) or of CONNECT (3.2.3). */
static kn_str_t uri_authority(const http_tx_t *t, uint32_t *path_at)
{
    kn_str_t u = t->info.uri, a = {NULL, 0};
    uint32_t i = 0, s;

    *path_at = 0;
    if (!u.p)
        return a;
    if (t->connect) {
        *path_at = u.len;
        return u;
    }
    while (i < u.len && u.p[i] != ':' && u.p[i] != '/')
        i++;
    if (i + 3 > u.len || u.p[i] != ':' || u.p[i + 1] != '/' || u.p[i + 2] != '/' || !i)
        return a;
    s = i + 3;
    for (i = s; i < u.len && u.p[i] != '/' && u.p[i] != '?' && u.p[i] != '#'; i++)
        if (u.p[i] == '@')
            s = i + 1; /* userinfo is not part of the host */
    a.p = u.p + s;
    a.len = i - s;
    *path_at = i;
    return a;
}

/* host[:port] (RFC 9110 7.2): the host without a trailing dot into w, and the port (-1 when
 * absent, -2 when not a number in 1..65535). The host is lowercased, except that a Host header
 * with a port or an IPv6 literal keeps its case, as libhtp (whose hostname Suricata logs and
 * matches) lowercases only a lone name. */
static int32_t split_host(kn_str_t a, wr_t *w, kn_str_t *host, int header)
{
    uint32_t end = a.len, i, hs = 0, he;
    int32_t port = -1;
    int keep;

    if (a.len && a.p[0] == '[') {
        const uint8_t *rb = memchr(a.p, ']', a.len);
        end = rb ? (uint32_t)(rb - a.p) + 1 : a.len;
    } else {
        const uint8_t *c = memchr(a.p, ':', a.len);
        end = c ? (uint32_t)(c - a.p) : a.len;
    }
    if (end < a.len && a.p[end] == ':') {
        port = end + 1 < a.len ? 0 : -2;
        for (i = end + 1; i < a.len && port >= 0; i++)
            port = a.p[i] >= '0' && a.p[i] <= '9' && port < 65536 ? port * 10 + a.p[i] - '0' : -2;
        if (port == 0 || port > 65535)
            port = -2;
    }
    keep = header && (port != -1 || (a.len && a.p[0] == '['));
    he = end;
    while (he > hs && a.p[he - 1] == '.')
        he--;
    host->p = w->p + w->len;
    host->len = 0;
    for (i = hs; i < he; i++) {
        uint8_t c = keep ? a.p[i] : (uint8_t)kn_lower(a.p[i]);
        if (wr_put(w, &c, 1))
            host->len++;
    }
    return port;
}

static void request_host(kn_app_io_t *io, http_tx_t *t, wr_t *w)
{
    const side_t *s = &t->s[REQ];
    kn_str_t hv = kn_http_field_value(s, "host"), a;
    uint32_t path_at;
    int32_t port;

    a = uri_authority(t, &path_at);
    if (!a.len)
        a = hv;
    if (t->http09)
        t->info.port = 0; /* what Suricata reports for a simple request */
    if (!a.p) {
        if (!t->http09 && kn_ci_eq(t->info.protocol.p, t->info.protocol.len, "HTTP/1.1"))
            kn_app_anomaly(io, KN_ANOM_APP_HTTP_MISSING_HOST_HEADER);
        return;
    }
    if (hv.p && memchr(hv.p, ',', hv.len))
        kn_app_anomaly(io, KN_ANOM_APP_HTTP_HOST_HEADER_AMBIGUOUS);
    t->host_raw = a;
    port = split_host(a, w, &t->info.host, a.p == hv.p);
    if (port == -2) {
        kn_app_anomaly(io, a.p == hv.p ? KN_ANOM_APP_HTTP_INVALID_SERVER_PORT_IN_REQUEST
                                       : KN_ANOM_APP_HTTP_INVALID_AUTHORITY_PORT);
        port = -1;
    }
    if (port >= 0)
        t->info.port = port;
}

static int starts(const uint8_t *p, uint32_t n, const char *s)
{
    uint32_t m = (uint32_t)strlen(s);

    return n >= m && memcmp(p, s, m) == 0;
}

/* Drops the last segment (and its slash) from the output p[0..*o). */
static void pop_segment(const uint8_t *p, uint32_t *o)
{
    while (*o > 0 && p[*o - 1] != '/')
        (*o)--;
    if (*o > 0)
        (*o)--;
}

/* RFC 3986 5.2.4 on the n bytes at p, in place (the output never outgrows what was read);
 * returns the new length. */
static uint32_t remove_dots(uint8_t *p, uint32_t n)
{
    uint32_t r = 0, o = 0;

    while (r < n) {
        const uint8_t *q = p + r;
        uint32_t left = n - r;
        if (starts(q, left, "../") || starts(q, left, "./")) {
            r += q[1] == '.' ? 3 : 2;
        } else if (starts(q, left, "/./") || (left == 2 && starts(q, left, "/."))) {
            r += 2;
            if (r == n)
                p[o++] = '/';
        } else if (starts(q, left, "/../") || (left == 3 && starts(q, left, "/.."))) {
            r += 3;
            pop_segment(p, &o);
            if (r == n)
                p[o++] = '/';
        } else if ((left == 1 && q[0] == '.') || (left == 2 && starts(q, left, ".."))) {
            r = n;
        } else {
            do
                p[o++] = p[r++];
            while (r < n && p[r] != '/');
        }
    }
    return o;
}

/* http.uri as libhtp normalizes it for Suricata's rules: the path and query of the target (an
 * absolute-form target loses its scheme and authority), every valid %XX decoded (so
 * "%24%7Bjndi" reads "${jndi") and the path's dot segments removed; nothing is case folded. */
static void normalize_uri(http_tx_t *t, wr_t *w)
{
    kn_str_t u = t->info.uri;
    uint32_t i, at, start = w->len, path = UINT32_MAX, plen;
    uint8_t *b;

    if (!u.p)
        return;
    uri_authority(t, &at);
    if (t->connect)
        at = 0;
    for (i = at; i < u.len; i++) {
        uint8_t c = u.p[i];
        if (c == '?' && path == UINT32_MAX)
            path = w->len - start;
        if (c == '%' && i + 2 < u.len && kn_hexval(u.p[i + 1]) >= 0 &&
            kn_hexval(u.p[i + 2]) >= 0) {
            c = (uint8_t)(kn_hexval(u.p[i + 1]) * 16 + kn_hexval(u.p[i + 2]));
            i += 2;
        }
        if (!wr_put(w, &c, 1))
            break;
    }
    b = w->p + start;
    path = path == UINT32_MAX ? w->len - start : path;
    plen = t->connect ? path : remove_dots(b, path);
    memmove(b + plen, b + path, w->len - start - path);
    w->len -= path - plen;
    t->uri_norm.p = b;
    t->uri_norm.len = w->len - start;
}

/* ---- heads: building -------------------------------------------------------------------- */

/* The header lines of s into its field list, unfolded and merged, written to w. */
static int parse_fields(kn_app_io_t *io, http_state_t *st, side_t *s, int dir, wr_t *w)
{
    uint32_t off, n = 1, i;
    kn_str_t l;

    for (i = 0; i < s->head.len; i++)
        n += s->head.p[i] == '\n';
    if (n > MAX_HEADERS)
        n = MAX_HEADERS;
    if (st->mem + n * sizeof(kn_header_t) > st->cap ||
        !(s->hdrs = calloc(n, sizeof(kn_header_t))))
        return -1;
    st->mem += n * sizeof(kn_header_t);
    s->nhdrs = 0;
    off = kn_http_next_line(s->head.p, s->head.len, 0, &s->line);
    s->raw.p = s->head.p + off;
    s->raw.len = s->head.len - off;
    while (off < s->head.len) {
        off = kn_http_next_line(s->head.p, s->head.len, off, &l);
        if (!l.len)
            break;
        add_line(io, s, dir, w, l.p, l.len);
    }
    merge_fields(io, s, dir, w);
    /* what is held is the count allocated, not the count used */
    st->mem -= (n - s->nhdrs) * sizeof(kn_header_t);
    return 0;
}

static void rebase(kn_str_t *s, const uint8_t *from, uint32_t len, uint8_t *to)
{
    uintptr_t a = (uintptr_t)s->p, b = (uintptr_t)from;

    if (s->p && a >= b && a <= b + len)
        s->p = to + (a - b);
}

/* Moves what was built in the scratch block into an exact-size block of the side. */
static int settle(http_state_t *st, http_tx_t *t, int dir, const wr_t *w)
{
    side_t *s = &t->s[dir];
    kn_str_t *refs[] = {&s->header, &s->names, &s->start, &s->all, &t->uri_norm, &t->info.host};
    size_t i, nrefs = dir == REQ ? 6 : 4;

    if (st->mem + w->len > st->cap || !(s->norm = malloc(w->len ? w->len : 1)))
        return -1;
    st->mem += w->len;
    s->norm_len = w->len;
    memcpy(s->norm, w->p, w->len);
    for (i = 0; i < s->nhdrs; i++) {
        rebase(&s->hdrs[i].name, w->p, w->len, s->norm);
        rebase(&s->hdrs[i].value, w->p, w->len, s->norm);
    }
    for (i = 0; i < nrefs; i++)
        rebase(refs[i], w->p, w->len, s->norm);
    return 0;
}

static void fill_info(http_state_t *st, http_tx_t *t, int dir)
{
    side_t *s = &t->s[dir];
    kn_http_info_t *in = &t->info;

    if (dir == REQ) {
        in->has_request = 1;
        in->user_agent = kn_http_field_value(s, "user-agent");
        in->referer = kn_http_field_value(s, "referer");
        in->xff = kn_http_field_value(s, "x-forwarded-for");
        if (st->cfg->http_dump_all_headers & 1)
            in->req_headers = s->hdrs, in->n_req_headers = s->nhdrs;
    } else {
        in->content_type = kn_http_field_value(s, "content-type");
        in->location = kn_http_field_value(s, "location");
        if (st->cfg->http_dump_all_headers & 2)
            in->resp_headers = s->hdrs, in->n_resp_headers = s->nhdrs;
    }
}

/* The head of dir is complete (or the flow ended): fields, start line, derived buffers. */
int kn_http_build_head(kn_app_io_t *io, http_state_t *st, http_tx_t *t, int dir)
{
    side_t *s = &t->s[dir];
    uint32_t bound = s->head.len * 8 + 256;
    hbuf_t *sc = &st->scratch;
    wr_t w;

    s->parsed = 1;
    sc->len = 0;
    if (kn_http_hb_reserve(st, sc, bound, 4096))
        return -1;
    w.p = sc->p;
    w.len = 0;
    w.cap = sc->cap;
    if (parse_fields(io, st, s, dir, &w))
        return -1;
    if (dir == REQ) {
        request_line(io, t);
        request_host(io, t, &w);
        normalize_uri(t, &w);
    } else {
        status_line(io, t);
    }
    derive(s, dir, &w);
    if (settle(st, t, dir, &w))
        return -1;
    fill_info(st, t, dir);
    if (sc->cap > (256u << 10))
        kn_http_hb_free(st, sc); /* an unusually large head: do not keep its scratch */
    return 0;
}

