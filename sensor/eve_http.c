/* eve_http.c: the "http" object of an eve event from a kn_http_info_t, with Suricata 7's keys
 * in Suricata 7's order (output-json-http.c, extended logging on): hostname, http_port, url,
 * http_user_agent, http_content_type, http_refer, http_method, protocol, status, redirect,
 * length, then the dumped request and response headers when the parser kept them. X-Forwarded-
 * For is not written: Suricata adds it only with its xff option, which is off by default. */
#include "eve_private.h"

#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not one. */
static size_t utf8_seq(const uint8_t *p, size_t n)
{
    size_t len, i;
    uint32_t cp;

    if (p[0] < 0x80)
        return 1;
    if ((p[0] & 0xe0) == 0xc0)
        len = 2, cp = p[0] & 0x1f;
    else if ((p[0] & 0xf0) == 0xe0)
        len = 3, cp = p[0] & 0x0f;
    else if ((p[0] & 0xf8) == 0xf0)
        len = 4, cp = p[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* Bytes as a JSON string the way Suricata's writer makes them: valid UTF-8 as it is, otherwise
 * every byte above 0x7f as the text \xHH (json-c escapes the control characters). */
static json_object *bytes_string(kn_str_t s)
{
    static const char hex[] = "0123456789abcdef";
    json_object *o;
    size_t i, k, bad = 0;
    char *buf;

    for (i = 0; i < s.len; i += k)
        if (!(k = utf8_seq(s.p + i, s.len - i)))
            bad = 1, k = 1;
    if (!bad)
        return json_object_new_string_len((const char *)s.p, (int)s.len);
    if (!(buf = malloc((size_t)s.len * 4 + 1)))
        return json_object_new_string("");
    for (i = k = 0; i < s.len; i++) {
        if (s.p[i] < 0x80) {
            buf[k++] = (char)s.p[i];
            continue;
        }
        buf[k++] = '\\', buf[k++] = 'x';
        buf[k++] = hex[s.p[i] >> 4], buf[k++] = hex[s.p[i] & 15];
    }
    o = json_object_new_string_len(buf, (int)k);
    free(buf);
    return o;
}

static void put(json_object *o, const char *key, kn_str_t s)
{
    if (s.p)
        json_object_object_add_ex(o, key, bytes_string(s), NEW_KEY);
}

static json_object *headers(const kn_header_t *h, uint16_t n)
{
    json_object *a = json_object_new_array();
    uint16_t i;

    for (i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add_ex(o, "name", bytes_string(h[i].name), NEW_KEY);
        json_object_object_add_ex(o, "value", bytes_string(h[i].value), NEW_KEY);
        json_object_array_add(a, o);
    }
    return a;
}

json_object *kn_eve_http_object(kn_eve_t *e, const kn_http_info_t *info)
{
    json_object *o = json_object_new_object();
    kn_str_t ct = info->content_type;
    const uint8_t *semi;

    (void)e;
    put(o, "hostname", info->host);
    if (info->port >= 0)
        json_object_object_add_ex(o, "http_port", json_object_new_int64(info->port), NEW_KEY);
    if (info->uri.len)
        put(o, "url", info->uri);
    put(o, "http_user_agent", info->user_agent);
    if (ct.p && (semi = memchr(ct.p, ';', ct.len))) /* the media type without parameters */
        ct.len = (uint32_t)(semi - ct.p);
    put(o, "http_content_type", ct);
    put(o, "http_refer", info->referer);
    put(o, "http_method", info->method);
    put(o, "protocol", info->protocol);
    if (info->has_response) {
        json_object_object_add_ex(o, "status", json_object_new_int64(info->status), NEW_KEY);
        put(o, "redirect", info->location);
    }
    json_object_object_add_ex(o, "length", json_object_new_int64((int64_t)info->resp_body_len),
                              NEW_KEY);
    if (info->req_headers)
        json_object_object_add_ex(o, "request_headers",
                                  headers(info->req_headers, info->n_req_headers), NEW_KEY);
    if (info->resp_headers)
        json_object_object_add_ex(o, "response_headers",
                                  headers(info->resp_headers, info->n_resp_headers), NEW_KEY);
    return o;
}

json_object *kn_eve_bytes(kn_str_t s)
{
    return bytes_string(s);
}
