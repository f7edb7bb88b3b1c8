/* app_utp.c: the BitTorrent peer wire over uTP, the uTorrent transport protocol (BEP 29), a
 * reliable stream over UDP. Every datagram starts with a 20-byte header: type (high nibble:
 * ST_DATA 0, ST_FIN 1, ST_STATE 2, ST_RESET 3, ST_SYN 4) and version 1 (low nibble), the first
 * extension's type, connection_id, timestamp, timestamp_difference, wnd_size, seq_nr and
 * ack_nr; then a chain of extensions (next type, length, data), then the payload.
 *
 * Identity: a connection opens with an ST_SYN carrying no payload and a zero timestamp
 * difference (nothing was received yet). A random datagram is all that by a chance of about
 * 2^-48, and the probe claims nothing else: a header alone (DATA, STATE) is too short a
 * signature to tell from other UDP. The rest of the connection must then keep BEP 29's
 * relations, checked by the parser: the responder answers with connection_id equal to the
 * SYN's and acknowledges its seq_nr, the initiator sends with connection_id + 1; a break is
 * the anomaly bittorrent.utp_mismatch.
 *
 * The payload is the same peer wire as over TCP: the data packets of each direction, in
 * seq_nr order, are handed to app_bittorrent.c (handshake, BEP 10, MSE in the clear); one
 * out of order stops that direction (a gap), as the handshakes are in the first packets.
 * Datagrams that are not uTP (libtorrent runs the DHT on the same socket) are passed over. */
#include "applayer.h"

#include <stdlib.h>

#include "app_bittorrent_private.h"
#include "cursor.h"

#define HDR_LEN 20u
#define UTP_VERSION 1u
#define EXT_MAX 8  /* extensions followed in one packet (BEP 29 defines two) */
#define EXT_SACK 1 /* selective ack: a bitmask, a multiple of 4 bytes long */

enum { ST_DATA = 0, ST_FIN, ST_STATE, ST_RESET, ST_SYN };

extern const kn_app_parser_t kn_app_bittorrent_parser;
#define PEER (&kn_app_bittorrent_parser)

typedef struct utp_hdr {
    uint8_t type;
    uint16_t conn_id, seq, ack;
    uint32_t ts_diff;
    uint32_t hlen; /* header and extensions: the payload starts here */
} utp_hdr_t;

typedef struct utp_state {
    void *peer;          /* the peer wire parser's state */
    uint8_t syn;         /* the SYN was seen: the fields below are known */
    uint8_t syn_dir;     /* the initiator's direction */
    uint8_t answered;    /* the responder's first packet was checked */
    uint8_t mismatch;    /* the anomaly was raised */
    uint16_t id;         /* the SYN's connection_id */
    uint16_t syn_seq;
    uint16_t next[2];    /* per direction: seq_nr of the next data packet in order */
    uint8_t have_next[2], stopped[2];
} utp_state_t;

/* A uTP header and its extension chain within len; 0 when d is not one. */
static int read_hdr(const uint8_t *d, uint32_t len, utp_hdr_t *h)
{
    uint32_t off = HDR_LEN;
    uint8_t next;
    int i;

    if (len < HDR_LEN || (d[0] & 0x0f) != UTP_VERSION || (d[0] >> 4) > ST_SYN)
        return 0;
    h->type = d[0] >> 4;
    h->conn_id = kn_rd_be16(d + 2);
    h->ts_diff = kn_rd_be32(d + 8);
    h->seq = kn_rd_be16(d + 16);
    h->ack = kn_rd_be16(d + 18);
    for (next = d[1], i = 0; next; i++) {
        uint8_t type = next, elen;
        if (i == EXT_MAX || len - off < 2)
            return 0;
        next = d[off];
        elen = d[off + 1];
        if (len - off - 2 < elen || (type == EXT_SACK && (elen < 4 || elen % 4)))
            return 0;
        off += 2u + elen;
    }
    h->hlen = off;
    return 1;
}

/* Only a connection's SYN: no payload, no timestamp difference yet. */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    utp_hdr_t h;

    (void)dir;
    if (!read_hdr(d, len, &h) || h.type != ST_SYN || h.hlen != len || h.ts_diff != 0)
        return KN_DECLINED;
    return KN_OK;
}

static void *state_new(void)
{
    utp_state_t *s = calloc(1, sizeof(*s));

    if (s && !(s->peer = PEER->state_new())) {
        free(s);
        return NULL;
    }
    if (s)
        kn_bt_set_utp(s->peer);
    return s;
}

static void state_free(void *st)
{
    utp_state_t *s = st;

    if (!s)
        return;
    PEER->state_free(s->peer);
    free(s);
}

static void mismatch(kn_app_io_t *io, utp_state_t *s)
{
    if (s->mismatch)
        return;
    s->mismatch = 1;
    kn_app_anomaly(io, KN_ANOM_APP_BT_UTP_MISMATCH);
}

/* BEP 29 "connection setup": the initiator sends with the SYN's id + 1, the responder with
 * the SYN's id, and the responder's first packet acknowledges the SYN. */
static int keeps_relations(kn_app_io_t *io, utp_state_t *s, int dir, const utp_hdr_t *h)
{
    uint16_t want = dir == s->syn_dir ? (uint16_t)(s->id + 1) : s->id;

    if (h->conn_id != want) {
        mismatch(io, s);
        return 0;
    }
    if (dir != s->syn_dir && !s->answered) {
        s->answered = 1;
        if (h->type == ST_STATE && h->ack != s->syn_seq)
            mismatch(io, s);
    }
    return 1;
}

/* A data packet: in order, its payload goes on to the peer wire parser. */
static int data(kn_app_io_t *io, utp_state_t *s, int dir, const utp_hdr_t *h,
                const uint8_t *d, uint32_t len)
{
    if (s->stopped[dir])
        return KN_OK;
    if (!s->have_next[dir]) {
        s->have_next[dir] = 1;
        s->next[dir] = h->seq;
    }
    if (h->seq != s->next[dir]) {
        if ((int16_t)(h->seq - s->next[dir]) < 0)
            return KN_OK; /* a retransmission of what was had */
        s->stopped[dir] = 1;
        return PEER->gap ? PEER->gap(io, s->peer, dir, 0) : KN_OK;
    }
    s->next[dir]++;
    return len > h->hlen ? PEER->parse(io, s->peer, dir, d + h->hlen, len - h->hlen) : KN_OK;
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    utp_state_t *s = st;
    utp_hdr_t h;

    if (!read_hdr(d, len, &h))
        return KN_OK;
    if (h.type == ST_SYN) {
        if (!s->syn) {
            s->syn = 1;
            s->syn_dir = (uint8_t)dir;
            s->id = h.conn_id;
            s->syn_seq = h.seq;
            s->next[dir] = (uint16_t)(h.seq + 1);
            s->have_next[dir] = 1;
        }
        return KN_OK;
    }
    if (!s->syn || !keeps_relations(io, s, dir, &h))
        return KN_OK;
    if (h.type == ST_STATE && dir != s->syn_dir && !s->have_next[dir]) {
        s->have_next[dir] = 1; /* an ST_STATE does not use up its seq_nr */
        s->next[dir] = h.seq;
    }
    return h.type == ST_DATA ? data(io, s, dir, &h, d, len) : KN_OK;
}

static void finish(kn_app_io_t *io, void *st)
{
    if (PEER->finish)
        PEER->finish(io, ((utp_state_t *)st)->peer);
}

static const void *info(const kn_app_tx_t *tx)
{
    return PEER->info(tx); /* the transactions are the peer wire parser's */
}

static size_t memuse(const void *st)
{
    return sizeof(utp_state_t) + PEER->memuse(((const utp_state_t *)st)->peer);
}

const kn_app_parser_t kn_app_utp_parser = {
    .app = KN_APP_BITTORRENT,
    .ipproto = 17,
    .ports = {6881},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .finish = finish,
    .info = info,
    .memuse = memuse,
};
