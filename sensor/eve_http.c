/* eve_http.c: the "http" object of an eve event from a kn_http_info_t, with Suricata 7's keys
 * in Suricata 7's order (output-json-http.c, extended logging on): hostname, http_port, url,
 * http_user_agent, http_content_type, http_refer, http_method, protocol, status, redirect,
 * length, then the dumped request and response headers when the parser kept them. X-Forwarded-
 * For is not written: Suricata adds it only with its xff option, which is off by default. */
#include "eve_private.h"

#include <stdlib.h>
#include <string.h>

static json_object *headers(const kn_header_t *h, uint16_t n)
{
    json_object *a = json_object_new_array();
    uint16_t i;

    for (i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add_ex(o, "name", kn_eve_bytes(h[i].name), NEW_KEY);
        json_object_object_add_ex(o, "value", kn_eve_bytes(h[i].value), NEW_KEY);
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
    kn_eve_add_bytes(o, "hostname", info->host);
    if (info->port >= 0)
        json_object_object_add_ex(o, "http_port", json_object_new_int64(info->port), NEW_KEY);
    if (info->uri.len)
        kn_eve_add_bytes(o, "url", info->uri);
    kn_eve_add_bytes(o, "http_user_agent", info->user_agent);
    if (ct.p && (semi = memchr(ct.p, ';', ct.len))) /* the media type without parameters */
        ct.len = (uint32_t)(semi - ct.p);
    kn_eve_add_bytes(o, "http_content_type", ct);
    kn_eve_add_bytes(o, "http_refer", info->referer);
    kn_eve_add_bytes(o, "http_method", info->method);
    kn_eve_add_bytes(o, "protocol", info->protocol);
    if (info->has_response) {
        json_object_object_add_ex(o, "status", json_object_new_int64(info->status), NEW_KEY);
        kn_eve_add_bytes(o, "redirect", info->location);
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

