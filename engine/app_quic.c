/* app_quic.c: QUIC over UDP (RFC 9000, RFC 9001, RFC 9369) up to the TLS hellos, logged the way
 * Suricata 7 does: one transaction per long-header packet, until that side's hello was read.
 *
 * Each datagram may hold several coalesced packets (RFC 9000 12.2). Long headers (17.2) give
 * the version; Initial packets (17.2.2) of versions whose Initial keys are public (1, 2, drafts
 * 23 to 34) are opened (app_quic_crypto.c) and their frames read (19): the CRYPTO frames'
 * bytes are put back in order, whatever the order and the packets they came in, up to one
 * hello of at most HELLO_MAX bytes, which app_quic_hello.c decodes. A short header (17.3) or a
 * packet after the hello carries nothing readable and ends the datagram. Google QUIC (Q0xx in
 * either the IETF-style or the older public header) is logged with its version only.
 *
 * As in Suricata, a non-Initial long-header packet ends its datagram too (Suricata takes the
 * rest as its body), a server Retry (17.2.5) restarts the client's side once, and an Initial
 * that does not open or whose frames do not parse is logged with its version and raises an
 * anomaly, without giving up on the flow. */
#include "applayer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_quic_private.h"
#include "cursor.h"

#define HELLO_MAX 65535u /* Suricata's limit on a reassembled hello */
#define MAX_RANGES 32    /* CRYPTO pieces not yet joined to the start */

enum { PT_INITIAL, PT_0RTT, PT_HANDSHAKE, PT_RETRY, PT_VN, PT_GQUIC, PT_SHORT, PT_PAD };
enum { RX_COLLECT = 0, RX_DONE, RX_DEAD };

typedef struct qhdr {
    uint8_t type;
    uint32_t version;
    const uint8_t *dcid;
    uint8_t dcid_len;
    size_t pn_off, end; /* Initial: packet number offset and packet end in the datagram */
} qhdr_t;

typedef struct crypto_rx {
    uint8_t *buf;
    uint32_t cap;
    uint32_t lo[MAX_RANGES], hi[MAX_RANGES]; /* received ranges, sorted, disjoint */
    uint8_t nr;
    uint8_t state; /* RX_* */
    uint8_t too_long;
} crypto_rx_t;

typedef struct quic_tx {
    kn_app_tx_t tx; /* first: the app layer's header */
    kn_quic_info_t info;
    uint8_t version_buf[4];
} quic_tx_t;

typedef struct quic_state {
    quic_tx_t t;               /* the packet being reported */
    crypto_rx_t rx[2];         /* by direction */
    uint8_t hello_seen[2];     /* that side's hello was decoded: nothing more is logged */
    uint8_t odcid[KN_QUIC_CID_MAX], odcid_len, have_odcid;
    kn_quic_keys_t keys[2];    /* [0] client's, [1] server's Initial keys */
    uint32_t keys_version;
    uint8_t have_keys, retried;
    uint8_t ietf; /* an IETF long header was seen: no Google QUIC public header follows */
    size_t mem;
} quic_state_t;

/* ---- headers ------------------------------------------------------------------------------- */

/* RFC 9000 16: variable-length integer. */
static uint64_t cur_varint(kn_cursor_t *c)
{
    uint8_t b = kn_cur_u8(c);
    unsigned n = 1u << (b >> 6), i;
    uint64_t v = b & 0x3f;

    for (i = 1; i < n; i++)
        v = v << 8 | kn_cur_u8(c);
    return v;
}

static int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Google's versions are four ASCII characters: Q024 ... Q050, T050, T051. */
static int is_gquic(uint32_t v)
{
    return ((v >> 24) == 'Q' || (v >> 24) == 'T') && is_digit((v >> 16) & 0xff) &&
           is_digit((v >> 8) & 0xff) && is_digit(v & 0xff);
}

/* The long-header packet type (RFC 9000 17.2, RFC 9369 3.2 for version 2). */
static uint8_t long_type(uint32_t version, uint8_t first)
{
    static const uint8_t v1[4] = {PT_INITIAL, PT_0RTT, PT_HANDSHAKE, PT_RETRY};
    static const uint8_t v2[4] = {PT_RETRY, PT_INITIAL, PT_0RTT, PT_HANDSHAKE};
    unsigned t = (first >> 4) & 3;

    if (!version)
        return PT_VN;
    if (is_gquic(version))
        return PT_GQUIC;
    return version == KN_QUIC_V2 ? v2[t] : v1[t];
}

/* Google QUIC's public header before Q046: flags, connection id, then the version when flag
 * 0x01 is set (a client's first packets). */
static int gquic_public(const uint8_t *d, size_t n, qhdr_t *h)
{
    kn_cursor_t c;

    kn_cur_init(&c, d, n);
    kn_cur_skip(&c, 1);
    if (d[0] & 0x08)
        kn_cur_skip(&c, 8);
    else if (d[0] & 0x04)
        kn_cur_skip(&c, 32); /* diversification nonce */
    h->version = kn_cur_be32(&c);
    h->type = PT_GQUIC;
    return c.err || !is_gquic(h->version) ? -1 : 0;
}

/* Initial packets: token, Length, then the protected packet number (RFC 9000 17.2.2). */
static int initial_rest(kn_cursor_t *c, qhdr_t *h)
{
    uint64_t tlen = cur_varint(c), len;

    kn_cur_skip(c, tlen <= SIZE_MAX ? (size_t)tlen : SIZE_MAX);
    len = cur_varint(c);
    if (c->err || len > kn_cur_left(c))
        return -1;
    h->pn_off = c->off;
    h->end = c->off + (size_t)len;
    return 0;
}

/* One packet header at d[0 .. n); gquic: the flow may use Google QUIC's public header, whose
 * first bit is 0 as in a short header. Returns 0, or -1 when it does not parse. The fixed bit
 * (0x40) is not required: RFC 9287 lets a peer grease it. */
static int header(const uint8_t *d, size_t n, int gquic, qhdr_t *h)
{
    kn_cursor_t c;

    memset(h, 0, sizeof(*h));
    if (!n || !d[0]) { /* zero bytes after the last packet are padding */
        h->type = PT_PAD;
        return 0;
    }
    if (!(d[0] & 0x80)) {
        h->type = PT_SHORT;
        return gquic && (d[0] & 0x41) == 0x01 ? gquic_public(d, n, h) : 0;
    }
    kn_cur_init(&c, d, n);
    kn_cur_skip(&c, 1);
    h->version = kn_cur_be32(&c);
    h->type = long_type(h->version, d[0]);
    h->dcid_len = kn_cur_u8(&c);
    h->dcid = kn_cur_take(&c, h->dcid_len);
    kn_cur_skip(&c, kn_cur_u8(&c)); /* source connection id */
    if (c.err)
        return -1;
    if (h->type != PT_INITIAL || !kn_quic_version_known(h->version))
        return 0;
    if (h->dcid_len > KN_QUIC_CID_MAX)
        return -1;
    return initial_rest(&c, h);
}

/* ---- probe ----------------------------------------------------------------------------------- */

/* A long header of a known version (IETF with public Initial keys, or Google QUIC), or Google
 * QUIC's older public header with its version: on any port. */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    qhdr_t h;

    (void)dir;
    if (header(d, len, 1, &h) || h.type == PT_PAD || h.type == PT_VN)
        return KN_DECLINED;
    if (h.type == PT_GQUIC)
        return KN_OK;
    if (h.type == PT_SHORT || !kn_quic_version_known(h.version))
        return KN_DECLINED;
    return h.dcid_len <= KN_QUIC_CID_MAX ? KN_OK : KN_DECLINED;
}

/* ---- state ----------------------------------------------------------------------------------- */

static void *state_new(void)
{
    return calloc(1, sizeof(quic_state_t));
}

static void rx_reset(quic_state_t *st, int dir)
{
    st->mem -= st->rx[dir].cap;
    free(st->rx[dir].buf);
    memset(&st->rx[dir], 0, sizeof(st->rx[dir]));
}

static void state_free(void *vst)
{
    quic_state_t *st = vst;

    if (!st)
        return;
    kn_app_tx_clear(&st->t.tx);
    free(st->rx[0].buf);
    free(st->rx[1].buf);
    free(st);
}

static size_t memuse(const void *vst)
{
    const quic_state_t *st = vst;

    return sizeof(*st) + st->mem;
}

/* ---- transactions ----------------------------------------------------------------------------- */

/* One packet's transaction, logged at once; hello (or NULL) is what the packet completed. */
static void report(kn_app_io_t *io, quic_state_t *st, int dir, uint32_t version,
                   const kn_quic_hello_t *hello)
{
    quic_tx_t *t = &st->t;
    kn_quic_info_t *in = &t->info;

    kn_app_tx_clear(&t->tx);
    memset(t, 0, sizeof(*t));
    kn_app_tx_new(io, &t->tx);
    in->version = version;
    in->client = dir == KN_TOSERVER;
    t->version_buf[0] = (uint8_t)(version >> 24);
    t->version_buf[1] = (uint8_t)(version >> 16);
    t->version_buf[2] = (uint8_t)(version >> 8);
    t->version_buf[3] = (uint8_t)version;
    if (hello) {
        in->sni = hello->sni;
        in->ja3 = hello->ja3;
        in->ja3_hash = hello->ja3_hash;
        in->ja4.p = (const uint8_t *)hello->ja4;
        in->ja4.len = (uint32_t)strlen(hello->ja4);
        if (!in->ja4.len)
            in->ja4.p = NULL;
        in->exts = hello->exts;
        in->n_exts = hello->n_exts;
    }
    kn_app_tx_update(io, &t->tx,
                     (dir == KN_TOSERVER ? KN_TXP_REQUEST : KN_TXP_RESPONSE) | KN_TXP_DONE);
    kn_app_tx_clear(&t->tx);
    memset(in, 0, sizeof(*in)); /* the hello is freed by the caller */
}

/* ---- CRYPTO stream reassembly ------------------------------------------------------------------ */

/* Adds [lo, hi) to the sorted, disjoint ranges, merging neighbours. -1: too many pieces. */
static int range_add(crypto_rx_t *rx, uint32_t lo, uint32_t hi)
{
    unsigned i = 0, j;

    while (i < rx->nr && rx->hi[i] < lo)
        i++;
    j = i;
    while (j < rx->nr && rx->lo[j] <= hi) { /* overlapping or touching: absorb */
        lo = rx->lo[j] < lo ? rx->lo[j] : lo;
        hi = rx->hi[j] > hi ? rx->hi[j] : hi;
        j++;
    }
    if (j == i && rx->nr == MAX_RANGES)
        return -1;
    memmove(rx->lo + i + 1, rx->lo + j, (rx->nr - j) * sizeof(rx->lo[0]));
    memmove(rx->hi + i + 1, rx->hi + j, (rx->nr - j) * sizeof(rx->hi[0]));
    rx->nr = (uint8_t)(rx->nr - (j - i) + 1);
    rx->lo[i] = lo;
    rx->hi[i] = hi;
    return 0;
}

/* Room for bytes up to end in the reassembly buffer, within the flow's cap. */
static int rx_grow(kn_app_io_t *io, quic_state_t *st, crypto_rx_t *rx, uint32_t end)
{
    uint32_t cap = rx->cap ? rx->cap : 2048;
    uint8_t *p;

    if (end <= rx->cap)
        return 0;
    while (cap < end)
        cap = cap * 2 > HELLO_MAX ? HELLO_MAX : cap * 2;
    if (st->mem - rx->cap + cap > kn_app_state_cap(io)) {
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
        return -1;
    }
    if (!(p = realloc(rx->buf, cap)))
        return -1;
    st->mem = st->mem - rx->cap + cap;
    rx->buf = p;
    rx->cap = cap;
    return 0;
}

static void too_long(kn_app_io_t *io, crypto_rx_t *rx)
{
    if (!rx->too_long)
        kn_app_anomaly(io, KN_ANOM_APP_QUIC_CRYPTO_FRAG_TOO_LONG);
    rx->too_long = 1;
    rx->state = RX_DEAD;
}

/* RFC 9000 19.6: the bytes of a CRYPTO frame at offset off of this side's stream. */
static void crypto_add(kn_app_io_t *io, quic_state_t *st, int dir, uint64_t off,
                       const uint8_t *d, uint64_t len)
{
    crypto_rx_t *rx = &st->rx[dir];

    if (rx->state != RX_COLLECT || !len)
        return;
    if (off >= HELLO_MAX || len > HELLO_MAX - off) {
        too_long(io, rx);
        return;
    }
    if (rx_grow(io, st, rx, (uint32_t)(off + len)) ||
        range_add(rx, (uint32_t)off, (uint32_t)(off + len))) {
        rx->state = RX_DEAD;
        return;
    }
    memcpy(rx->buf + off, d, (size_t)len);
}

/* The whole first handshake message of this side, once its bytes are all there. */
static const uint8_t *crypto_msg(kn_app_io_t *io, crypto_rx_t *rx, uint32_t *len)
{
    uint32_t have, need;

    if (rx->state != RX_COLLECT || !rx->nr || rx->lo[0] != 0 || (have = rx->hi[0]) < 4)
        return NULL;
    need = 4 + kn_rd_be24(rx->buf + 1);
    if (need > HELLO_MAX) {
        too_long(io, rx);
        return NULL;
    }
    if (have < need)
        return NULL;
    *len = need;
    return rx->buf;
}

/* ---- frames ------------------------------------------------------------------------------------ */

/* RFC 9000 19.3: ACK, and ACK with ECN counts (0x03). */
static void skip_ack(kn_cursor_t *c, uint64_t type)
{
    uint64_t ranges, i;

    cur_varint(c); /* largest acknowledged */
    cur_varint(c); /* delay */
    ranges = cur_varint(c);
    cur_varint(c); /* first range */
    for (i = 0; i < ranges && !c->err; i++) {
        cur_varint(c);
        cur_varint(c);
    }
    if (type == 0x03)
        for (i = 0; i < 3; i++)
            cur_varint(c);
}

/* The frames of an opened Initial packet (RFC 9000 12.4: PADDING, PING, ACK, CRYPTO,
 * CONNECTION_CLOSE). Another type ends the packet, as Suricata reads it. Returns -1 when a
 * frame runs past the packet. */
static int frames(kn_app_io_t *io, quic_state_t *st, int dir, const uint8_t *p, size_t n)
{
    kn_cursor_t c;

    kn_cur_init(&c, p, n);
    while (kn_cur_left(&c) && !c.err) {
        uint64_t type = cur_varint(&c), off, len;
        const uint8_t *d;
        if (type == 0x00 || type == 0x01)
            continue;
        if (type == 0x02 || type == 0x03) {
            skip_ack(&c, type);
        } else if (type == 0x06) {
            off = cur_varint(&c);
            len = cur_varint(&c);
            if ((d = kn_cur_take(&c, len <= SIZE_MAX ? (size_t)len : SIZE_MAX)))
                crypto_add(io, st, dir, off, d, len);
        } else if (type == 0x1c) {
            cur_varint(&c);
            cur_varint(&c);
            len = cur_varint(&c);
            kn_cur_skip(&c, len <= SIZE_MAX ? (size_t)len : SIZE_MAX);
        } else {
            break;
        }
    }
    return c.err ? -1 : 0;
}

/* ---- Initial packets ---------------------------------------------------------------------------- */

static int derive(quic_state_t *st, uint32_t version)
{
    if (st->have_keys && st->keys_version == version)
        return 0;
    if (kn_quic_initial_keys(version, st->odcid, st->odcid_len, 0, &st->keys[0]) ||
        kn_quic_initial_keys(version, st->odcid, st->odcid_len, 1, &st->keys[1]))
        return -1;
    st->have_keys = 1;
    st->keys_version = version;
    return 0;
}

static void set_odcid(quic_state_t *st, const qhdr_t *h)
{
    memcpy(st->odcid, h->dcid, h->dcid_len);
    st->odcid_len = h->dcid_len;
    st->have_odcid = 1;
    st->have_keys = 0;
}

/* Opens the packet into out. The keys come from the client's first Destination Connection ID;
 * a client packet that does not open with them may start a connection we saw only part of,
 * so its own DCID is tried once. */
static long open_initial(quic_state_t *st, int dir, const uint8_t *d, const qhdr_t *h,
                         uint8_t *out)
{
    long n = -1;

    if (!st->have_odcid)
        set_odcid(st, h);
    if (!derive(st, h->version))
        n = kn_quic_open(&st->keys[dir == KN_TOCLIENT], d, h->pn_off, h->end, out);
    if (n < 0 && dir == KN_TOSERVER &&
        (h->dcid_len != st->odcid_len || memcmp(h->dcid, st->odcid, h->dcid_len))) {
        set_odcid(st, h);
        if (!derive(st, h->version))
            n = kn_quic_open(&st->keys[0], d, h->pn_off, h->end, out);
    }
    return n;
}

/* One Initial packet: 0 to go on with the datagram, -1 to stop. */
static int initial(kn_app_io_t *io, quic_state_t *st, int dir, const uint8_t *d, const qhdr_t *h)
{
    uint8_t *plain = malloc(h->end - h->pn_off + 1);
    kn_quic_hello_t hello;
    const uint8_t *msg;
    uint32_t mlen;
    long n;
    int rc;

    if (!plain)
        return -1;
    if ((n = open_initial(st, dir, d, h, plain)) < 0) {
        kn_app_anomaly(io, KN_ANOM_APP_QUIC_FAILED_DECRYPT);
        report(io, st, dir, h->version, NULL);
        free(plain);
        return -1;
    }
    rc = frames(io, st, dir, plain, (size_t)n);
    free(plain);
    if (rc) {
        kn_app_anomaly(io, KN_ANOM_APP_QUIC_ERROR_ON_DATA);
        report(io, st, dir, h->version, NULL);
        return -1;
    }
    if (!(msg = crypto_msg(io, &st->rx[dir], &mlen))) {
        report(io, st, dir, h->version, NULL);
        return 0;
    }
    rc = kn_quic_hello_parse(msg, mlen, &hello);
    if (rc < 0)
        kn_app_anomaly(io, KN_ANOM_APP_QUIC_ERROR_ON_DATA);
    st->hello_seen[dir] = !rc;
    report(io, st, dir, h->version, rc ? NULL : &hello);
    kn_quic_hello_free(&hello);
    rx_reset(st, dir); /* the hello is all this side's Initial stream is read for */
    st->rx[dir].state = rc ? RX_DEAD : RX_DONE;
    return 0;
}

/* RFC 9000 17.2.5.2: after a Retry the client starts over with new Initial keys; only the
 * first Retry counts. */
static void retry(quic_state_t *st)
{
    if (st->retried)
        return;
    st->retried = 1;
    st->have_odcid = 0;
    st->have_keys = 0;
    st->hello_seen[KN_TOSERVER] = 0;
    rx_reset(st, KN_TOSERVER);
}

static int parse(kn_app_io_t *io, void *vst, int dir, const uint8_t *data, uint32_t len)
{
    quic_state_t *st = vst;
    size_t off = 0;
    qhdr_t h;

    while (off < len && !st->hello_seen[dir]) {
        if (header(data + off, len - off, !st->ietf, &h)) {
            kn_app_anomaly(io, KN_ANOM_APP_QUIC_ERROR_ON_HEADER);
            break;
        }
        if (h.type <= PT_VN)
            st->ietf = 1;
        if (h.type == PT_PAD || (h.type == PT_SHORT && !h.version))
            break;
        if (h.type == PT_RETRY && dir == KN_TOCLIENT)
            retry(st);
        if (h.type != PT_INITIAL || !kn_quic_version_known(h.version)) {
            report(io, st, dir, h.version, NULL);
            break;
        }
        if (initial(io, st, dir, data + off, &h))
            break;
        off += h.end;
    }
    return KN_OK;
}

/* ---- rules and events ---------------------------------------------------------------------------- */

static int buffer(const kn_app_tx_t *tx, int buf, int dir, uint32_t idx, const uint8_t **b,
                  uint32_t *len)
{
    const quic_tx_t *t = (const quic_tx_t *)tx;

    (void)dir;
    if (idx)
        return 0;
    switch (buf) {
    case KN_BUF_QUIC_SNI:
        *b = t->info.sni.p;
        *len = t->info.sni.len;
        return t->info.sni.p != NULL;
    case KN_BUF_QUIC_VERSION:
        *b = t->version_buf;
        *len = sizeof(t->version_buf);
        return 1;
    default:
        return 0;
    }
}

static const void *info(const kn_app_tx_t *tx)
{
    return &((const quic_tx_t *)tx)->info;
}

const char *kn_quic_version_name(uint32_t version, char *buf, unsigned size)
{
    /* Suricata names the Google versions it parses; the rest are lower-case hex */
    if (version >= 0x51303433u && version <= 0x51303436u)
        snprintf(buf, size, "Q04%c", (char)(version & 0xff));
    else if (version == 0x51303339u)
        snprintf(buf, size, "Q039");
    else
        snprintf(buf, size, "%x", version);
    return buf;
}

const kn_app_parser_t kn_app_quic_parser = {
    .app = KN_APP_QUIC,
    .ipproto = 17,
    .ports = {443, 80},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .buffer = buffer,
    .keyword = NULL,
    .info = info,
    .memuse = memuse,
};
