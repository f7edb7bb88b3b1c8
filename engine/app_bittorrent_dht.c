/* app_bittorrent_dht.c: the BitTorrent DHT (BEP 5), KRPC messages over UDP: one bencoded
 * dictionary per datagram, a query ("y":"q", its name in "q", its arguments in "a"), a
 * response ("y":"r", "r") or an error ("y":"e", "e": [code, message]), with the transaction
 * id "t" and the optional client version "v" (BEP 5 "KRPC Protocol").
 *
 * Every message is one transaction, logged at once from its sender's side, with the fields and
 * the leniency of Suricata 7's bittorrent-dht logger so the eve objects are the same: a
 * message whose values have the wrong type, or nest more than three deep, yields nothing but
 * the anomaly; a message missing its transaction id is still logged (with an empty one).
 * Nothing is kept between datagrams: the transaction lives on the stack and points into the
 * datagram, which outlives it. */
#include "applayer.h"

#include <stdlib.h>
#include <string.h>

#include "bencode.h"

#define KRPC_DEPTH 3   /* message dict > response dict > values list (Suricata's limit) */
#define VALUES_MAX 256 /* peers kept from one response: more than a 64 KiB datagram holds */

typedef struct dht_tx {
    kn_app_tx_t tx; /* first: the app layer's header */
    kn_bt_dht_info_t info;
} dht_tx_t;

typedef struct dht_state {
    uint64_t messages;
} dht_state_t;

/* What the message's keys held, before deciding what it is. */
typedef struct found {
    kn_str_t y, q, t, v;
    uint8_t has_a, has_r, has_e;
} found_t;

/* A KRPC message's first key (BEP 3 sorts keys): "a" of a query, "e" of an error, "ip"
 * (BEP 42) or "r" of a response. Anything else on the flow is not DHT and is passed over. */
static int krpc_start(const uint8_t *d, uint32_t len)
{
    return len > 5 && (memcmp(d, "d1:ad", 5) == 0 || memcmp(d, "d1:rd", 5) == 0 ||
                       memcmp(d, "d2:ip", 5) == 0 || memcmp(d, "d1:el", 5) == 0);
}

/* A whole dictionary with a one-letter "y" of q, r or e: a KRPC message, on any port. */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    kn_benc_t top, y;
    uint32_t used;

    (void)dir;
    if (!krpc_start(d, len) || kn_benc_parse(d, len, KRPC_DEPTH, &top, &used) != KN_OK ||
        !kn_benc_dict_get(&top, "y", &y) || y.type != KN_BENC_STR || y.str.len != 1 ||
        !memchr("qre", y.str.p[0], 3))
        return KN_DECLINED;
    return KN_OK;
}

static void *state_new(void)
{
    return calloc(1, sizeof(dht_state_t));
}

static void state_free(void *st)
{
    free(st);
}

/* Valid UTF-8 (RFC 3629): the message type, query name and error text must be text. */
static int utf8_ok(kn_str_t s)
{
    uint32_t i = 0, need, k;

    while (i < s.len) {
        uint8_t c = s.p[i];
        need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2
                          : c >= 0xf0 && c <= 0xf4 ? 3 : 4;
        if (need == 4 || need > s.len - i - 1)
            return 0;
        for (k = 1; k <= need; k++)
            if ((s.p[i + k] & 0xc0) != 0x80)
                return 0;
        i += need + 1;
    }
    return 1;
}

static int want_str(const kn_benc_t *v, kn_str_t *out)
{
    if (v->type != KN_BENC_STR)
        return KN_ERR;
    *out = v->str;
    return KN_OK;
}

static int want_uint(const kn_benc_t *v, int64_t max, int32_t *out)
{
    if (v->type != KN_BENC_INT || v->num < 0 || v->num > max)
        return KN_ERR;
    *out = (int32_t)v->num;
    return KN_OK;
}

/* "a": the query's arguments; "id" is required. */
static int take_request(const kn_benc_t *a, kn_bt_dht_info_t *in)
{
    kn_benc_iter_t it;
    kn_str_t k;
    kn_benc_t v;
    int rc = KN_OK;

    if (a->type != KN_BENC_DICT)
        return KN_ERR;
    memset(&in->request, 0, sizeof(in->request));
    in->request.implied_port = in->request.port = -1;
    kn_benc_iter(&it, a);
    while (rc == KN_OK && kn_benc_dict_next(&it, &k, &v)) {
        if (kn_benc_key_is(k, "id"))
            rc = want_str(&v, &in->request.id);
        else if (kn_benc_key_is(k, "target"))
            rc = want_str(&v, &in->request.target);
        else if (kn_benc_key_is(k, "info_hash"))
            rc = want_str(&v, &in->request.info_hash);
        else if (kn_benc_key_is(k, "token"))
            rc = want_str(&v, &in->request.token);
        else if (kn_benc_key_is(k, "implied_port"))
            rc = want_uint(&v, 255, &in->request.implied_port);
        else if (kn_benc_key_is(k, "port"))
            rc = want_uint(&v, 65535, &in->request.port);
    }
    return rc == KN_OK && in->request.id.p ? KN_OK : KN_ERR;
}

/* "values": a list of compact peer infos (BEP 5), each a string holding at least an address
 * and a port. */
static int take_values(const kn_benc_t *list, kn_str_t *vals, uint16_t *n)
{
    kn_benc_iter_t it;
    kn_benc_t v;

    if (list->type != KN_BENC_LIST)
        return KN_OK; /* not a list: passed over, as Suricata does */
    kn_benc_iter(&it, list);
    while (kn_benc_list_next(&it, &v)) {
        if (v.type != KN_BENC_STR || v.str.len < 6)
            return KN_ERR;
        if (*n < VALUES_MAX)
            vals[(*n)++] = v.str;
    }
    return KN_OK;
}

/* "r": the response's values; "id" is required. */
static int take_response(const kn_benc_t *r, kn_bt_dht_info_t *in, kn_str_t *vals)
{
    kn_benc_iter_t it;
    kn_str_t k;
    kn_benc_t v;
    int rc = KN_OK;

    if (r->type != KN_BENC_DICT)
        return KN_ERR;
    memset(&in->response, 0, sizeof(in->response));
    in->response.values = vals;
    kn_benc_iter(&it, r);
    while (rc == KN_OK && kn_benc_dict_next(&it, &k, &v)) {
        if (kn_benc_key_is(k, "id"))
            rc = want_str(&v, &in->response.id);
        else if (kn_benc_key_is(k, "nodes"))
            rc = want_str(&v, &in->response.nodes);
        else if (kn_benc_key_is(k, "nodes6"))
            rc = want_str(&v, &in->response.nodes6);
        else if (kn_benc_key_is(k, "token"))
            rc = want_str(&v, &in->response.token);
        else if (kn_benc_key_is(k, "values"))
            rc = take_values(&v, vals, &in->response.n_values);
    }
    return rc == KN_OK && in->response.id.p ? KN_OK : KN_ERR;
}

/* "e": [code, "message"] (BEP 5 "Errors"); both are required, the last of each counts. */
static int take_error(const kn_benc_t *e, kn_bt_dht_info_t *in)
{
    kn_benc_iter_t it;
    kn_benc_t v;
    int32_t num = -1;

    if (e->type != KN_BENC_LIST)
        return KN_ERR;
    memset(&in->error, 0, sizeof(in->error));
    kn_benc_iter(&it, e);
    while (kn_benc_list_next(&it, &v)) {
        if (v.type == KN_BENC_INT && want_uint(&v, 65535, &num) != KN_OK)
            return KN_ERR;
        if (v.type == KN_BENC_STR && !utf8_ok(v.str))
            return KN_ERR;
        if (v.type == KN_BENC_STR)
            in->error.msg = v.str;
    }
    if (num < 0 || !in->error.msg.p)
        return KN_ERR;
    in->error.num = (uint16_t)num;
    return KN_OK;
}

/* One pass over the message's keys; any value of the wrong type spoils the whole message. */
static int walk(const kn_benc_t *top, found_t *f, kn_bt_dht_info_t *in, kn_str_t *vals)
{
    kn_benc_iter_t it;
    kn_str_t k;
    kn_benc_t v;
    int rc = KN_OK;

    kn_benc_iter(&it, top);
    while (rc == KN_OK && kn_benc_dict_next(&it, &k, &v)) {
        if (kn_benc_key_is(k, "y"))
            rc = want_str(&v, &f->y) == KN_OK && utf8_ok(f->y) ? KN_OK : KN_ERR;
        else if (kn_benc_key_is(k, "q"))
            rc = want_str(&v, &f->q) == KN_OK && utf8_ok(f->q) ? KN_OK : KN_ERR;
        else if (kn_benc_key_is(k, "t"))
            rc = want_str(&v, &f->t);
        else if (kn_benc_key_is(k, "v"))
            rc = want_str(&v, &f->v);
        else if (kn_benc_key_is(k, "a") && (rc = take_request(&v, in)) == KN_OK)
            f->has_a = 1;
        else if (kn_benc_key_is(k, "r") && (rc = take_response(&v, in, vals)) == KN_OK)
            f->has_r = 1;
        else if (kn_benc_key_is(k, "e") && (rc = take_error(&v, in)) == KN_OK)
            f->has_e = 1;
    }
    return rc;
}

/* Decides what the message is. Returns KN_ERR when it is malformed; the parts decided before
 * the fault stay (a query without "t" is still a query). */
static int decode(const uint8_t *d, uint32_t len, kn_bt_dht_info_t *in, kn_str_t *vals)
{
    kn_benc_t top;
    found_t f;
    uint32_t used;

    memset(&f, 0, sizeof(f));
    if (kn_benc_parse(d, len, KRPC_DEPTH, &top, &used) != KN_OK || top.type != KN_BENC_DICT ||
        walk(&top, &f, in, vals) != KN_OK || f.y.len != 1)
        return KN_ERR;
    if (f.y.p[0] == 'q') {
        if (!f.q.p)
            return KN_ERR;
        in->request_type = f.q;
        in->has_request = f.has_a;
    } else if (f.y.p[0] == 'r') {
        in->has_response = f.has_r;
    } else if (f.y.p[0] == 'e') {
        in->has_error = f.has_e;
    }
    if (!in->has_request && !in->has_response && !in->has_error)
        return KN_ERR;
    if (!f.t.p)
        return KN_ERR;
    in->transaction_id = f.t;
    in->client_version = f.v;
    return KN_OK;
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    dht_state_t *s = st;
    kn_str_t vals[VALUES_MAX];
    dht_tx_t t;

    (void)dir; /* kn_app_tx_single takes the direction from io */
    if (!krpc_start(d, len))
        return KN_OK;
    memset(&t, 0, sizeof(t));
    t.info.transaction_id.p = d; /* "" until the message's own is known */
    if (decode(d, len, &t.info, vals) != KN_OK)
        kn_app_anomaly(io, KN_ANOM_APP_BT_DHT_MALFORMED);
    s->messages++;
    if (!t.info.has_request && !t.info.has_response && !t.info.has_error)
        return KN_OK;
    kn_app_tx_single(io, &t.tx);
    return KN_OK;
}

static const void *info(const kn_app_tx_t *tx)
{
    return &((const dht_tx_t *)tx)->info;
}

static size_t memuse(const void *st)
{
    (void)st;
    return sizeof(dht_state_t);
}

const kn_app_parser_t kn_app_bittorrent_dht_parser = {
    .app = KN_APP_BITTORRENT_DHT,
    .ipproto = 17,
    .ports = {6881},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .info = info,
    .memuse = memuse,
};
