/* app_bittorrent.c: the BitTorrent peer wire protocol over TCP (BEP 3 "peer protocol"): each
 * side opens with a 68-byte handshake, the byte 19, "BitTorrent protocol", 8 reserved bytes
 * whose bits announce extensions (BEP 4), the torrent's 20-byte info_hash and the sender's
 * 20-byte peer id; then length-prefixed messages follow. When both sides announced the
 * extension protocol (BEP 10), one of the first messages is the extension handshake (message
 * 20, extended id 0), a bencoded dictionary whose "v" names the client.
 *
 * One transaction per connection, reported at each handshake (so rules see the first one at
 * once) and done when both sides have told what they will: their handshake and, if they
 * announced BEP 10, their extension handshake among their first SCAN_MSGS messages. Each side
 * holds at most the handshake and one extension handshake (capped by app-layer.state-cap).
 *
 * A side whose first byte is not the handshake's, while the other side's was, has a broken
 * handshake; when neither opened with it, the handshake may come in the clear after a Message
 * Stream Encryption key exchange (app_bittorrent_mse.c), and is looked for there. uTP
 * (app_utp.c) hands this parser its in-order payload: the peer wire is the same. */
#include "applayer.h"

#include <stdlib.h>
#include <string.h>

#include "app_bittorrent_private.h"
#include "bencode.h"
#include "bt_client.h"
#include "cursor.h"

#define HS_LEN 68u
#define PSTR KN_BT_PSTR
#define PSTR_LEN KN_BT_PSTR_LEN
#define SCAN_MSGS 8u             /* messages looked through for the extension handshake */
#define EXT_MAX (64u * 1024)     /* the largest extension handshake kept */
#define MSG_MAX (1u << 24)       /* no message is longer (a piece is 16 KiB + 9) */
#define MSG_EXTENDED 20
#define BENC_DEPTH 4             /* "m" and "p" are one level down; clients add a bit more */

enum {
    PH_HS = 0, /* collecting the handshake */
    PH_MSE,    /* looking for it behind an MSE key exchange (app_bittorrent_mse.c) */
    PH_HDR,    /* a message's 4-byte length and its id */
    PH_BODY,   /* the rest of a message: kept (extension handshake) or skipped */
    PH_STOP,   /* nothing more to learn on this side */
};

typedef struct side {
    uint8_t phase;
    uint8_t hslen;      /* handshake bytes in hs */
    uint8_t hlen;       /* message header bytes in hdr */
    uint8_t hs[HS_LEN];
    uint8_t hdr[6];     /* length, id, extended id */
    uint8_t msgs;
    uint8_t plain;      /* the side opened with its handshake (no MSE) */
    kn_bt_scan_t scan;  /* PH_MSE */
    uint32_t left;      /* bytes of the current message still to come */
    uint8_t *ext;       /* extension handshake being kept (caller frees: state_free) */
    uint32_t extlen, extcap;
    char version[24];
} side_t;

typedef struct bt_tx {
    kn_app_tx_t tx;
    kn_bittorrent_info_t info;
} bt_tx_t;

typedef struct bt_state {
    bt_tx_t t;
    uint8_t have_tx;
    side_t side[2]; /* by direction: KN_TOSERVER is the client */
} bt_state_t;

static const char *const ext_names[KN_BT_EXT_COUNT] = {
    "azureus_messaging", "extension_protocol", "dht", "fast", "nat_traversal", "v2_upgrade"};

const char *kn_bt_extension_name(unsigned bit)
{
    unsigned i;

    for (i = 0; i < KN_BT_EXT_COUNT; i++)
        if (bit == 1u << i)
            return ext_names[i];
    return NULL;
}

/* Either side may speak first; a prefix of the protocol string asks for more. A responder
 * that answered an MSE key exchange may send it in the clear further on. */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    uint32_t n = len < PSTR_LEN ? len : PSTR_LEN;

    if (memcmp(d, PSTR, n) != 0)
        return kn_bt_mse_probe(d, len, dir);
    return len < PSTR_LEN ? KN_AGAIN : KN_OK;
}

void kn_bt_set_utp(void *st)
{
    ((bt_state_t *)st)->t.info.utp = 1;
}

static void *state_new(void)
{
    return calloc(1, sizeof(bt_state_t));
}

static void state_free(void *st)
{
    bt_state_t *s = st;

    if (!s)
        return;
    free(s->side[0].ext);
    free(s->side[1].ext);
    kn_app_tx_clear(&s->t.tx);
    free(s);
}

static kn_bt_side_t *info_side(bt_state_t *s, int dir)
{
    return dir == KN_TOSERVER ? &s->t.info.client : &s->t.info.server;
}

static void stop(side_t *sd)
{
    sd->phase = PH_STOP;
    free(sd->ext);
    sd->ext = NULL;
    sd->extlen = sd->extcap = 0;
}

static void check_done(kn_app_io_t *io, bt_state_t *s)
{
    if (!s->have_tx || s->t.tx.logged || s->side[0].phase != PH_STOP ||
        s->side[1].phase != PH_STOP)
        return;
    kn_app_tx_update(io, &s->t.tx, KN_TXP_DONE);
}

static unsigned side_progress(int dir)
{
    return dir == KN_TOSERVER ? KN_TXP_REQUEST : KN_TXP_RESPONSE;
}

/* BEP 4's reserved bits, as far as kanshi names them. */
static unsigned extensions(const uint8_t *r)
{
    return ((r[0] & 0x80) ? KN_BT_EXT_AZUREUS : 0) | ((r[5] & 0x10) ? KN_BT_EXT_LTEP : 0) |
           ((r[7] & 0x01) ? KN_BT_EXT_DHT : 0) | ((r[7] & 0x04) ? KN_BT_EXT_FAST : 0) |
           ((r[7] & 0x08) ? KN_BT_EXT_NAT : 0) | ((r[7] & 0x10) ? KN_BT_EXT_V2 : 0);
}

/* A side sends the BEP 10 handshake only when both announced the extension protocol: without
 * it there is nothing more to wait for (a side already keeping one is left to finish). */
static void no_extension_handshake(bt_state_t *s, int dir)
{
    const kn_bt_side_t *me = info_side(s, dir), *peer = info_side(s, !dir);
    side_t *other = &s->side[!dir];

    if (!(me->extensions & KN_BT_EXT_LTEP))
        stop(&s->side[dir]);
    if (!peer->peer_id.p || (me->extensions & peer->extensions & KN_BT_EXT_LTEP))
        return;
    stop(&s->side[dir]);
    if (other->phase == PH_HDR)
        stop(other);
}

static void take_handshake(kn_app_io_t *io, bt_state_t *s, int dir)
{
    side_t *sd = &s->side[dir];
    kn_bt_side_t *is = info_side(s, dir);
    kn_bittorrent_info_t *in = &s->t.info;

    is->reserved = (kn_str_t){sd->hs + 20, 8};
    is->peer_id = (kn_str_t){sd->hs + 48, 20};
    is->extensions = extensions(sd->hs + 20);
    kn_bt_client(sd->hs + 48, &is->client, sd->version, sizeof(sd->version),
                 &is->client_version);
    if (!in->info_hash.p) {
        in->info_hash = (kn_str_t){sd->hs + 28, 20};
    } else if (memcmp(in->info_hash.p, sd->hs + 28, 20) != 0) {
        in->info_hash_mismatch = 1;
        kn_app_anomaly(io, KN_ANOM_APP_BT_INFO_HASH_MISMATCH);
    }
    if (!s->have_tx) {
        s->have_tx = 1;
        kn_app_tx_new(io, &s->t.tx);
    }
    sd->phase = PH_HDR;
    no_extension_handshake(s, dir);
    kn_app_tx_update(io, &s->t.tx, side_progress(dir));
    check_done(io, s);
}

static uint32_t take_hs_bytes(kn_app_io_t *io, bt_state_t *s, int dir, const uint8_t *d,
                              uint32_t len)
{
    side_t *sd = &s->side[dir];
    uint32_t n = HS_LEN - sd->hslen, start = sd->hslen;

    n = n < len ? n : len;
    memcpy(sd->hs + sd->hslen, d, n);
    sd->hslen = (uint8_t)(sd->hslen + n);
    if (start < PSTR_LEN) {
        uint32_t upto = sd->hslen < PSTR_LEN ? sd->hslen : PSTR_LEN;
        if (memcmp(sd->hs + start, PSTR + start, upto - start) != 0) {
            kn_app_anomaly(io, KN_ANOM_APP_BT_INVALID_HANDSHAKE);
            stop(sd);
            check_done(io, s);
            return len;
        }
    }
    if (sd->hslen == HS_LEN)
        take_handshake(io, s, dir);
    return n;
}

/* The extension handshake is complete: its "v" names the client (BEP 10). */
static void ext_done(kn_app_io_t *io, bt_state_t *s, int dir)
{
    side_t *sd = &s->side[dir];
    kn_benc_t top, v;
    uint32_t used;

    if (kn_benc_parse(sd->ext, sd->extlen, BENC_DEPTH, &top, &used) != KN_OK ||
        top.type != KN_BENC_DICT)
        kn_app_anomaly(io, KN_ANOM_APP_BT_INVALID_MESSAGE);
    else if (kn_benc_dict_get(&top, "v", &v) && v.type == KN_BENC_STR)
        info_side(s, dir)->ext_client = v.str; /* points into sd->ext, kept to the end */
    sd->phase = PH_STOP; /* sd->ext stays: the transaction points into it */
    kn_app_tx_update(io, &s->t.tx, side_progress(dir));
    check_done(io, s);
}

/* A message header (length, id, extended id) is in: keep the body or skip it. */
static void msg_start(kn_app_io_t *io, bt_state_t *s, int dir, uint32_t mlen)
{
    side_t *sd = &s->side[dir];
    int ext_hs = mlen >= 2 && sd->hdr[4] == MSG_EXTENDED && sd->hdr[5] == 0;

    sd->left = mlen - 2;
    sd->phase = PH_BODY;
    if (!ext_hs)
        return;
    if (sd->left > EXT_MAX || sd->left > kn_app_state_cap(io) ||
        !(sd->ext = malloc(sd->left ? sd->left : 1))) {
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
        return;
    }
    sd->extcap = sd->left;
    sd->extlen = 0;
}

/* Collects the 4-byte length and up to 2 bytes of id; a message shorter than that (keep-alive,
 * or one byte of id) is passed over as soon as it is whole. */
static uint32_t take_hdr(kn_app_io_t *io, bt_state_t *s, int dir, const uint8_t *d, uint32_t len)
{
    side_t *sd = &s->side[dir];
    uint32_t mlen, need, n;

    need = sd->hlen < 4 ? 4 : 4 + (kn_rd_be32(sd->hdr) < 2 ? kn_rd_be32(sd->hdr) : 2);
    n = need - sd->hlen < len ? need - sd->hlen : len;
    memcpy(sd->hdr + sd->hlen, d, n);
    sd->hlen = (uint8_t)(sd->hlen + n);
    if (sd->hlen < 4 || (sd->hlen == 4 && kn_rd_be32(sd->hdr) > 0) || sd->hlen < need)
        return n;
    mlen = kn_rd_be32(sd->hdr);
    sd->hlen = 0;
    if (mlen > MSG_MAX) {
        kn_app_anomaly(io, KN_ANOM_APP_BT_INVALID_MESSAGE);
        stop(sd);
        check_done(io, s);
    } else if (++sd->msgs > SCAN_MSGS) {
        stop(sd);
        check_done(io, s);
    } else if (mlen >= 2) {
        msg_start(io, s, dir, mlen);
    }
    return n;
}

static uint32_t take_body(kn_app_io_t *io, bt_state_t *s, int dir, const uint8_t *d,
                          uint32_t len)
{
    side_t *sd = &s->side[dir];
    uint32_t n = len < sd->left ? len : sd->left;

    if (sd->ext) {
        memcpy(sd->ext + sd->extlen, d, n);
        sd->extlen += n;
    }
    sd->left -= n;
    if (!sd->left) {
        sd->phase = PH_HDR;
        if (sd->ext)
            ext_done(io, s, dir);
    }
    return n;
}

/* The handshake was not at the start: it may follow an MSE key exchange in the clear. */
static uint32_t take_mse(kn_app_io_t *io, bt_state_t *s, int dir, const uint8_t *d,
                         uint32_t len)
{
    side_t *sd = &s->side[dir];
    int found;
    uint32_t n = kn_bt_mse_scan(&sd->scan, d, len, &found);

    if (found > 0) {
        memcpy(sd->hs, PSTR, PSTR_LEN);
        sd->hslen = PSTR_LEN;
        sd->phase = PH_HS;
        s->t.info.mse = 1;
    } else if (found < 0) {
        stop(sd); /* RC4 was chosen, or this is not BitTorrent: nothing to read */
        check_done(io, s);
        return len;
    }
    return n;
}

/* A side's first byte. One that is not the handshake's is MSE unless the other side opened
 * with its handshake in the clear: then it is a broken handshake (take_hs_bytes). */
static void side_start(bt_state_t *s, int dir, uint8_t first)
{
    side_t *sd = &s->side[dir];

    if (first == (uint8_t)PSTR[0])
        sd->plain = 1;
    else if (!s->side[!dir].plain)
        sd->phase = PH_MSE;
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    bt_state_t *s = st;
    side_t *sd = &s->side[dir];
    uint32_t used = 0;

    if (len && sd->phase == PH_HS && !sd->hslen && !sd->scan.seen)
        side_start(s, dir, d[0]);
    while (len && sd->phase != PH_STOP) {
        switch (sd->phase) {
        case PH_HS: used = take_hs_bytes(io, s, dir, d, len); break;
        case PH_MSE: used = take_mse(io, s, dir, d, len); break;
        case PH_HDR: used = take_hdr(io, s, dir, d, len); break;
        case PH_BODY: used = take_body(io, s, dir, d, len); break;
        default: break;
        }
        d += used;
        len -= used;
    }
    return KN_OK;
}

/* Lost bytes: this side cannot be followed; what it told stays. */
static int gap(kn_app_io_t *io, void *st, int dir, uint64_t lost)
{
    bt_state_t *s = st;

    (void)lost;
    if (s->side[dir].phase != PH_STOP) {
        free(s->side[dir].ext);
        s->side[dir].ext = NULL;
        s->side[dir].phase = PH_STOP;
    }
    check_done(io, s);
    return KN_OK;
}

static void finish(kn_app_io_t *io, void *st)
{
    bt_state_t *s = st;

    if (s->have_tx && !s->t.tx.logged)
        kn_app_tx_update(io, &s->t.tx, KN_TXP_DONE);
}


static const void *info(const kn_app_tx_t *tx)
{
    return &((const bt_tx_t *)tx)->info;
}

static size_t memuse(const void *st)
{
    const bt_state_t *s = st;

    return sizeof(*s) + s->side[0].extcap + s->side[1].extcap;
}

const kn_app_parser_t kn_app_bittorrent_parser = {
    .app = KN_APP_BITTORRENT,
    .ipproto = 6,
    .ports = {6881, 6882, 6883, 6889, 51413},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .info = info,
    .memuse = memuse,
};
