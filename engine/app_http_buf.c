/* app_http_buf.c: the rule buffers of an HTTP transaction (http.uri, http.header,
 * file.data ...) and its keywords (urilen). */
#include "app_http_private.h"

#include "sig.h"

static kn_str_t body_of(const side_t *s)
{
    kn_str_t v = {s->body.len ? s->body.p : NULL, s->body.len};

    return v;
}

static kn_str_t req_buffer(const http_tx_t *t, int buf)
{
    const side_t *q = &t->s[REQ];
    kn_str_t none = {NULL, 0};

    switch (buf) {
    case KN_BUF_HTTP_URI: return t->uri_norm;
    case KN_BUF_HTTP_URI_RAW: return t->info.uri;
    case KN_BUF_HTTP_METHOD: return t->info.method;
    case KN_BUF_HTTP_REQUEST_LINE: return q->line;
    case KN_BUF_HTTP_HOST: return t->info.host;
    case KN_BUF_HTTP_HOST_RAW: return t->host_raw;
    case KN_BUF_HTTP_USER_AGENT: return kn_http_field_value(q, "user-agent");
    case KN_BUF_HTTP_ACCEPT: return kn_http_field_value(q, "accept");
    case KN_BUF_HTTP_ACCEPT_ENC: return kn_http_field_value(q, "accept-encoding");
    case KN_BUF_HTTP_ACCEPT_LANG: return kn_http_field_value(q, "accept-language");
    case KN_BUF_HTTP_REFERER: return kn_http_field_value(q, "referer");
    case KN_BUF_HTTP_REQUEST_BODY: return body_of(q);
    default: return none;
    }
}

static kn_str_t res_buffer(const http_tx_t *t, int buf)
{
    const side_t *r = &t->s[RES];
    kn_str_t none = {NULL, 0};

    switch (buf) {
    case KN_BUF_HTTP_STAT_CODE: return t->code;
    case KN_BUF_HTTP_STAT_MSG: return t->info.status_msg;
    case KN_BUF_HTTP_RESPONSE_LINE: return r->line;
    case KN_BUF_HTTP_RESPONSE_BODY: return body_of(r);
    case KN_BUF_HTTP_SERVER: return kn_http_field_value(r, "server");
    case KN_BUF_HTTP_LOCATION: return kn_http_field_value(r, "location");
    default: return none;
    }
}

/* Buffers of either side take the side of the direction asked. */
static kn_str_t side_buffer(const http_tx_t *t, int buf, int side)
{
    const side_t *s = &t->s[side];
    kn_str_t none = {NULL, 0};

    switch (buf) {
    case KN_BUF_HTTP_PROTOCOL: return s->proto;
    case KN_BUF_HTTP_HEADER: return s->header;
    case KN_BUF_HTTP_HEADER_RAW: return s->raw;
    case KN_BUF_HTTP_HEADER_NAMES: return s->names;
    case KN_BUF_HTTP_START: return s->start;
    case KN_BUF_HTTP_COOKIE: return kn_http_field_value(s, side == REQ ? "cookie" : "set-cookie");
    case KN_BUF_HTTP_CONNECTION: return kn_http_field_value(s, "connection");
    case KN_BUF_HTTP_CONTENT_TYPE: return kn_http_field_value(s, "content-type");
    case KN_BUF_HTTP_CONTENT_LEN: return kn_http_field_value(s, "content-length");
    case KN_BUF_FILE_DATA: /* the response body, or what a POST or PUT uploads */
        return side == RES || t->upload ? body_of(s) : none;
    default: return none;
    }
}

/* http.request_header / http.response_header: the idx-th "Name: value" line of the merged
 * fields (the lines of s->all, each without its CR LF), as Suricata's multi buffer. */
static kn_str_t header_line(const side_t *s, uint32_t idx)
{
    kn_str_t v = {NULL, 0};
    const uint8_t *p = s->all.p, *end = p ? p + s->all.len : NULL;

    while (p && p < end) {
        const uint8_t *eol = memchr(p, '\r', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (!idx--) {
            v.p = p;
            v.len = (uint32_t)(eol - p);
            return v;
        }
        p = eol + 2;
    }
    return v;
}

int kn_http_buffer(const kn_app_tx_t *tx, int buf, int dir, uint32_t idx, const uint8_t **b,
                   uint32_t *len)
{
    const http_tx_t *t = (const http_tx_t *)tx;
    kn_str_t v = req_buffer(t, buf);

    if (buf == KN_BUF_HTTP_REQUEST_HEADER)
        v = header_line(&t->s[REQ], idx);
    else if (buf == KN_BUF_HTTP_RESPONSE_HEADER)
        v = header_line(&t->s[RES], idx);
    if (!v.p)
        v = res_buffer(t, buf);
    if (!v.p)
        v = side_buffer(t, buf, dir == KN_TOCLIENT ? RES : REQ);
    *b = v.p;
    *len = v.len;
    return v.p != NULL;
}

/* urilen (parsed when the rule loaded) on the normalized uri unless raw was asked. */
int kn_http_keyword(const kn_app_tx_t *tx, const kn_appkw_t *kw, int dir)
{
    const http_tx_t *t = (const http_tx_t *)tx;
    kn_str_t u = kw->raw ? t->info.uri : t->uri_norm;

    (void)dir;
    if (kw->kind != KN_AK_URILEN || !u.p)
        return 0;
    return kn_num_match(&kw->num, u.len) ^ (kw->neg != 0);
}

