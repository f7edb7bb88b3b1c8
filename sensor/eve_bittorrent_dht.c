/* eve_bittorrent_dht.c: the "bittorrent_dht" object of one KRPC message, as Suricata 7 writes
 * it: ids, tokens, the transaction id and the client version in lowercase hex; nodes and
 * peers decoded from their compact forms (BEP 5) into {"id", "ip", "port"}; IPv6 addresses as
 * eight groups of four hex digits. */
#include "eve_private.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"

static void add_hex(json_object *o, const char *key, kn_str_t v)
{
    if (v.p)
        json_object_object_add_ex(o, key, kn_eve_hex(v.p, v.len, 0), NEW_KEY);
}

static void add_int(json_object *o, const char *key, int64_t v)
{
    json_object_object_add_ex(o, key, json_object_new_int64(v), NEW_KEY);
}

/* A compact node's address (4 or 16 bytes) as eve writes every address. */
static json_object *ip_string(const uint8_t *a, int v6)
{
    kn_addr_t ad = {{0}};
    char buf[48];

    memcpy(ad.b, a, v6 ? 16 : 4);
    kn_eve_addr(v6 ? 6 : 4, &ad, buf);
    return json_object_new_string(buf);
}

/* Compact node info: id (20), address (4 or 16), port (2). */
static void add_nodes(json_object *o, const char *key, kn_str_t v, int v6)
{
    uint32_t item = v6 ? 38 : 26, off;
    json_object *a, *n;

    if (!v.p || v.len < item)
        return;
    a = json_object_new_array();
    for (off = 0; v.len - off >= item; off += item) {
        n = json_object_new_object();
        add_hex(n, "id", (kn_str_t){v.p + off, 20});
        json_object_object_add_ex(n, "ip", ip_string(v.p + off + 20, v6), NEW_KEY);
        add_int(n, "port", kn_rd_be16(v.p + off + item - 2));
        json_object_array_add(a, n);
    }
    json_object_object_add_ex(o, key, a, NEW_KEY);
}

static void add_values(json_object *o, const kn_str_t *v, uint16_t n)
{
    json_object *a, *p;
    uint16_t i;

    if (!n)
        return;
    a = json_object_new_array();
    for (i = 0; i < n; i++) {
        int v6 = v[i].len >= 18;
        uint32_t port_at = v6 ? 16 : 4;
        p = json_object_new_object();
        json_object_object_add_ex(p, "ip", ip_string(v[i].p, v6), NEW_KEY);
        add_int(p, "port", kn_rd_be16(v[i].p + port_at));
        json_object_array_add(a, p);
    }
    json_object_object_add_ex(o, "values", a, NEW_KEY);
}

static json_object *request_object(const kn_bt_dht_info_t *in)
{
    json_object *o = json_object_new_object();

    add_hex(o, "id", in->request.id);
    add_hex(o, "target", in->request.target);
    add_hex(o, "info_hash", in->request.info_hash);
    add_hex(o, "token", in->request.token);
    if (in->request.implied_port >= 0)
        add_int(o, "implied_port", in->request.implied_port);
    if (in->request.port >= 0)
        add_int(o, "port", in->request.port);
    return o;
}

static json_object *response_object(const kn_bt_dht_info_t *in)
{
    json_object *o = json_object_new_object();

    add_hex(o, "id", in->response.id);
    add_nodes(o, "nodes", in->response.nodes, 0);
    add_nodes(o, "nodes6", in->response.nodes6, 1);
    add_values(o, in->response.values, in->response.n_values);
    add_hex(o, "token", in->response.token);
    return o;
}

json_object *kn_eve_bittorrent_dht_object(kn_eve_t *e, const kn_bt_dht_info_t *in)
{
    json_object *o = json_object_new_object(), *err;

    (void)e;
    json_object_object_add_ex(o, "transaction_id",
                              kn_eve_hex(in->transaction_id.p, in->transaction_id.len, 0), NEW_KEY);
    add_hex(o, "client_version", in->client_version);
    if (in->request_type.p)
        json_object_object_add_ex(o, "request_type", kn_eve_bytes(in->request_type),
                                  NEW_KEY);
    if (in->has_error) {
        err = json_object_new_object();
        add_int(err, "num", in->error.num);
        json_object_object_add_ex(err, "msg", kn_eve_bytes(in->error.msg), NEW_KEY);
        json_object_object_add_ex(o, "error", err, NEW_KEY);
    }
    if (in->has_request)
        json_object_object_add_ex(o, "request", request_object(in), NEW_KEY);
    if (in->has_response)
        json_object_object_add_ex(o, "response", response_object(in), NEW_KEY);
    return o;
}
