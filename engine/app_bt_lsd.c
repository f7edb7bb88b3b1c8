/* app_bt_lsd.c: BitTorrent Local Service Discovery (BEP 14): a client announces the torrents
 * it takes part in to its neighbours with an HTTP-like datagram to 239.192.152.143:6771 or
 * [ff15::efc0:988f]:6771:
 *
 *     BT-SEARCH * HTTP/1.1\r\n  Host: <host>\r\n  Port: <port>\r\n  Infohash: <40 hex>\r\n
 *     (more Infohash lines)  cookie: <optional>\r\n  \r\n  \r\n
 *
 * Every datagram is one transaction, a kn_bittorrent_info_t with its lsd part, logged at once
 * (its strings point into the datagram, which outlives the call). Headers BEP 14 does not name
 * are passed over (its forward-compatibility rule); a missing or malformed Infohash or Port is
 * the anomaly bittorrent.lsd_malformed, the rest of the announce is still logged. */
#include "applayer.h"

#include <stdlib.h>
#include <string.h>

#include "hexfmt.h"
#include "strci.h"

#define REQUEST_LINE "BT-SEARCH * HTTP/1.1"
#define HASH_HEX 40u
#define HASHES_MAX 64 /* a 1,400-byte announce (BEP 14's advice) holds at most 27 */

typedef struct lsd_tx {
    kn_app_tx_t tx; /* first: the app layer's header */
    kn_bittorrent_info_t info;
    kn_bt_lsd_t lsd;
    uint8_t hashes[HASHES_MAX][20];
    uint8_t malformed;
} lsd_tx_t;

typedef struct lsd_state {
    uint64_t announces;
} lsd_state_t;

/* The request line, CRLF ended; a prefix of it asks for more (a datagram never gets more). */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    static const char line[] = REQUEST_LINE "\r\n";
    uint32_t n = len < sizeof(line) - 1 ? len : (uint32_t)sizeof(line) - 1;

    (void)dir;
    if (memcmp(d, line, n) != 0)
        return KN_DECLINED;
    return n < sizeof(line) - 1 ? KN_AGAIN : KN_OK;
}

static void *state_new(void)
{
    return calloc(1, sizeof(lsd_state_t));
}

static void state_free(void *st)
{
    free(st);
}

static int32_t port_value(const uint8_t *v, uint32_t n)
{
    int32_t port = 0;
    uint32_t i;

    if (!n || n > 5)
        return -1;
    for (i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        port = port * 10 + (v[i] - '0');
    }
    return port >= 1 && port <= 65535 ? port : -1;
}

/* 40 hex digits into the next slot; 0 when they are not that. */
static int add_hash(lsd_tx_t *t, const uint8_t *v, uint32_t n)
{
    uint8_t *h;
    uint32_t i;

    if (n != HASH_HEX || t->lsd.n_info_hashes == HASHES_MAX)
        return n == HASH_HEX;
    h = t->hashes[t->lsd.n_info_hashes];
    for (i = 0; i < 20; i++) {
        int hi = kn_hexval(v[2 * i]), lo = kn_hexval(v[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return 0;
        h[i] = (uint8_t)(hi << 4 | lo);
    }
    t->lsd.n_info_hashes++;
    return 1;
}

/* One "Name: value" line (value without surrounding blanks). */
static void header(lsd_tx_t *t, const uint8_t *l, uint32_t n)
{
    const uint8_t *colon = memchr(l, ':', n), *v;
    uint32_t nlen, vlen;

    if (!colon) {
        t->malformed = 1;
        return;
    }
    nlen = (uint32_t)(colon - l);
    v = colon + 1;
    vlen = n - nlen - 1;
    while (vlen && (*v == ' ' || *v == '\t'))
        v++, vlen--;
    while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
        vlen--;
    if (kn_ci_eq(l, nlen, "host"))
        t->lsd.host = (kn_str_t){v, vlen};
    else if (kn_ci_eq(l, nlen, "cookie"))
        t->lsd.cookie = (kn_str_t){v, vlen};
    else if (kn_ci_eq(l, nlen, "port") && (t->lsd.port = port_value(v, vlen)) < 0)
        t->malformed = 1;
    else if (kn_ci_eq(l, nlen, "infohash") && !add_hash(t, v, vlen))
        t->malformed = 1;
}

/* The header lines after the request line, up to the empty one or the datagram's end. */
static void headers(lsd_tx_t *t, const uint8_t *d, uint32_t len)
{
    while (len) {
        const uint8_t *eol = memchr(d, '\n', len);
        uint32_t n = eol ? (uint32_t)(eol - d) : len, next = eol ? n + 1 : len;
        if (n && d[n - 1] == '\r')
            n--;
        if (!n)
            break;
        header(t, d, n);
        d += next;
        len -= next;
    }
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    lsd_state_t *s = st;
    lsd_tx_t t;
    uint32_t start = sizeof(REQUEST_LINE "\r\n") - 1;

    if (probe(d, len, dir) != KN_OK)
        return KN_OK; /* not an announce: passed over */
    memset(&t, 0, sizeof(t));
    t.lsd.port = -1;
    headers(&t, d + start, len - start);
    if (t.lsd.n_info_hashes)
        t.info.info_hash = (kn_str_t){t.hashes[0], 20};
    t.lsd.info_hashes = t.hashes[0];
    t.info.lsd = &t.lsd;
    if (t.malformed || !t.lsd.n_info_hashes || t.lsd.port < 0)
        kn_app_anomaly(io, KN_ANOM_APP_BT_LSD_MALFORMED);
    s->announces++;
    kn_app_tx_single(io, &t.tx);
    return KN_OK;
}

static const void *info(const kn_app_tx_t *tx)
{
    return &((const lsd_tx_t *)tx)->info;
}

static size_t memuse(const void *st)
{
    (void)st;
    return sizeof(lsd_state_t);
}

const kn_app_parser_t kn_app_bt_lsd_parser = {
    .app = KN_APP_BITTORRENT,
    .ipproto = 17,
    .ports = {6771},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .info = info,
    .memuse = memuse,
};
