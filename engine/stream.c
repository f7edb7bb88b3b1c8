/* stream.c: the TCP session state machine seen from a mirror port (RFC 9293 3.3.2).
 *
 * States are named as Suricata logs them, from the server's side: a FIN from the client puts
 * the session in CLOSE_WAIT, a FIN from the server in FIN_WAIT1. Without a handshake no
 * session is started unless midstream pickup is on, as in Suricata, so flows that began
 * before the capture keep tcp.state out of their flow record. Sequence numbers are compared
 * modulo 2^32 (RFC 9293 3.4). */
#include "stream.h"

#include "decode.h"

#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)

static void set_state(kn_flow_info_t *fi, kn_tcp_state_t st)
{
    fi->tcp_state = (uint8_t)st;
    switch (st) {
    case KN_TCP_ESTABLISHED:
    case KN_TCP_FIN_WAIT1:
    case KN_TCP_FIN_WAIT2:
    case KN_TCP_CLOSING:
    case KN_TCP_CLOSE_WAIT:
        fi->state = KN_FLOW_ESTABLISHED;
        break;
    case KN_TCP_LAST_ACK:
    case KN_TCP_TIME_WAIT:
    case KN_TCP_CLOSED:
        fi->state = KN_FLOW_CLOSED;
        break;
    default:
        break;
    }
}

/* Sequence space a segment occupies: payload, plus one each for SYN and FIN. */
static uint32_t seg_len(const kn_packet_t *p)
{
    return p->payload_wirelen + ((p->tcp_flags & KN_TH_SYN) ? 1 : 0) +
           ((p->tcp_flags & KN_TH_FIN) ? 1 : 0);
}

static void note_segment(kn_stream_t *s, const kn_packet_t *p, int dir)
{
    kn_stream_dir_t *d = &s->d[dir];
    uint32_t end = p->tcp_seq + seg_len(p);

    if (SEQ_GEQ(end, d->next_seq) || !d->next_seq)
        d->next_seq = end;
    if ((p->tcp_flags & KN_TH_FIN) && !d->fin) {
        d->fin = 1;
        d->fin_seq = p->tcp_seq + p->payload_wirelen + ((p->tcp_flags & KN_TH_SYN) ? 1 : 0);
    }
    if ((p->tcp_flags & KN_TH_ACK) && s->d[!dir].fin && SEQ_GEQ(p->tcp_ack, s->d[!dir].fin_seq + 1))
        s->d[!dir].fin_acked = 1;
}

static void start_session(kn_stream_t *s, kn_flow_info_t *fi, const kn_packet_t *p, int dir,
                          kn_tcp_state_t st, kn_counters_t *ctr)
{
    s->d[dir].isn = p->tcp_seq;
    s->d[dir].syn = (p->tcp_flags & KN_TH_SYN) != 0;
    fi->tcp_session = 1;
    ctr->c[KN_CTR_TCP_SESSIONS]++;
    set_state(fi, st);
}

static void handshake(kn_stream_t *s, kn_flow_info_t *fi, kn_packet_t *p, int dir,
                      kn_counters_t *ctr)
{
    uint8_t f = p->tcp_flags;
    int syn_dir = s->d[KN_TOSERVER].syn ? KN_TOSERVER : KN_TOCLIENT;

    if (fi->tcp_state == KN_TCP_SYN_SENT && dir == syn_dir &&
        (f & (KN_TH_SYN | KN_TH_ACK)) == (KN_TH_SYN | KN_TH_ACK)) {
        kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_3WHS_SYNACK_WRONG_DIR);
    } else if (fi->tcp_state == KN_TCP_SYN_SENT && dir != syn_dir && (f & KN_TH_SYN)) {
        /* SYN/ACK, or a bare SYN back (simultaneous open, split handshake). The SYN/ACK may
         * acknowledge data the SYN carried (TCP Fast Open, RFC 7413). */
        if (!(f & KN_TH_ACK) || (SEQ_GEQ(p->tcp_ack, s->d[syn_dir].isn + 1) &&
                                 SEQ_LEQ(p->tcp_ack, s->d[syn_dir].next_seq))) {
            s->d[dir].isn = p->tcp_seq;
            s->d[dir].syn = 1;
            if (f & KN_TH_ACK)
                ctr->c[KN_CTR_TCP_SYNACK]++;
            set_state(fi, KN_TCP_SYN_RECV);
        } else {
            kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_3WHS_SYNACK_WRONG_ACK);
        }
    } else if (fi->tcp_state == KN_TCP_SYN_RECV && (f & KN_TH_ACK) && !(f & KN_TH_SYN)) {
        if (dir == syn_dir || !s->d[syn_dir].syn)
            set_state(fi, KN_TCP_ESTABLISHED);
    }
}

/* Closing sequence; the state names follow Suricata (see the top of this file). */
static void closing(kn_stream_t *s, kn_flow_info_t *fi, const kn_packet_t *p, int dir)
{
    int fin = (p->tcp_flags & KN_TH_FIN) != 0;
    const kn_stream_dir_t *cli = &s->d[KN_TOSERVER], *srv = &s->d[KN_TOCLIENT];

    switch (fi->tcp_state) {
    case KN_TCP_ESTABLISHED:
        if (fin)
            set_state(fi, dir == KN_TOSERVER ? KN_TCP_CLOSE_WAIT : KN_TCP_FIN_WAIT1);
        break;
    case KN_TCP_FIN_WAIT1: /* server closed first */
        if (dir == KN_TOSERVER && fin)
            set_state(fi, srv->fin_acked ? KN_TCP_TIME_WAIT : KN_TCP_CLOSING);
        else if (dir == KN_TOSERVER && srv->fin_acked)
            set_state(fi, KN_TCP_FIN_WAIT2);
        break;
    case KN_TCP_FIN_WAIT2:
        if (dir == KN_TOSERVER && fin)
            set_state(fi, KN_TCP_TIME_WAIT);
        break;
    case KN_TCP_CLOSING:
        if (srv->fin_acked && cli->fin_acked)
            set_state(fi, KN_TCP_TIME_WAIT);
        break;
    case KN_TCP_TIME_WAIT:
        if (dir == KN_TOCLIENT && cli->fin_acked)
            set_state(fi, KN_TCP_CLOSED);
        break;
    case KN_TCP_CLOSE_WAIT: /* client closed first */
        if (dir == KN_TOCLIENT && fin)
            set_state(fi, KN_TCP_LAST_ACK);
        break;
    case KN_TCP_LAST_ACK:
        if (dir == KN_TOSERVER && srv->fin_acked)
            set_state(fi, KN_TCP_CLOSED);
        break;
    default:
        break;
    }
}

/* Whether a RST would be taken by the receiver: as Suricata's default (BSD) policy checks it,
 * its sequence number must be the next one the sender's side is at. A RST behind that (a
 * retransmission, or a forged one out of the window) leaves the session as it was. */
static int rst_valid(const kn_stream_t *s, const kn_packet_t *p, int dir)
{
    const kn_stream_dir_t *d = &s->d[dir];

    return !d->next_seq || p->tcp_seq == d->next_seq;
}

/* A packet of a flow without a session: it may start one. Returns 0 when it did not. */
static int no_session(kn_stream_t *s, kn_flow_info_t *fi, kn_packet_t *p, int dir,
                      int midstream, kn_counters_t *ctr)
{
    uint8_t f = p->tcp_flags;

    /* only a plain SYN opens a session: SYN+FIN or SYN+RST is a probe, not a connection */
    if ((f & (KN_TH_SYN | KN_TH_ACK | KN_TH_RST | KN_TH_FIN)) == KN_TH_SYN) {
        start_session(s, fi, p, dir, KN_TCP_SYN_SENT, ctr);
        return 1;
    }
    if (f & KN_TH_RST)
        kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_RST_NO_SESSION);
    else if (f & KN_TH_FIN)
        kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_FIN_NO_SESSION);
    if (!midstream || (f & KN_TH_RST))
        return 0;
    ctr->c[KN_CTR_TCP_MIDSTREAM]++;
    start_session(s, fi, p, dir, (f & KN_TH_SYN) ? KN_TCP_SYN_RECV : KN_TCP_ESTABLISHED, ctr);
    return 1;
}

void kn_stream_packet(kn_stream_t *s, kn_flow_info_t *fi, kn_packet_t *p, int dir,
                      int midstream, kn_counters_t *ctr)
{
    uint8_t f = p->tcp_flags;

    if ((f & (KN_TH_SYN | KN_TH_ACK)) == KN_TH_SYN)
        ctr->c[KN_CTR_TCP_SYN]++;
    if (!fi->tcp_session && !no_session(s, fi, p, dir, midstream, ctr))
        return;
    if ((f & (KN_TH_SYN | KN_TH_FIN)) == (KN_TH_SYN | KN_TH_FIN))
        kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_FIN_SYN);
    if (f & KN_TH_RST) {
        ctr->c[KN_CTR_TCP_RST]++;
        if (rst_valid(s, p, dir))
            set_state(fi, KN_TCP_CLOSED);
        return;
    }
    note_segment(s, p, dir);
    if (fi->tcp_state < KN_TCP_ESTABLISHED)
        handshake(s, fi, p, dir, ctr);
    else
        closing(s, fi, p, dir);
}

int kn_stream_is_reuse(const kn_stream_t *s, const kn_flow_info_t *fi, const kn_packet_t *p,
                       int dir)
{
    if ((p->tcp_flags & (KN_TH_SYN | KN_TH_ACK | KN_TH_RST)) != KN_TH_SYN || !fi->tcp_session)
        return 0;
    switch (fi->tcp_state) {
    case KN_TCP_LAST_ACK:
    case KN_TCP_TIME_WAIT:
    case KN_TCP_CLOSED:
        return !s->d[dir].syn || p->tcp_seq != s->d[dir].isn;
    default:
        return 0;
    }
}

/* ---- reassembly ---------------------------------------------------------------------------- */

static void data_anomalies(kn_packet_t *p, unsigned f, kn_counters_t *ctr)
{
    if (f & KN_RA_RETRANSMIT) {
        ctr->c[KN_CTR_TCP_OVERLAP]++;
        if (!(f & KN_RA_NEW_DATA))
            kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_PKT_RETRANSMISSION);
    }
    if (f & KN_RA_OVERLAP_DIFF) {
        ctr->c[KN_CTR_TCP_OVERLAP_DIFF]++;
        kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_OVERLAP_DIFF);
    }
    if (f & KN_RA_GAP)
        kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_SEQ_GAP);
    if (f & KN_RA_DEPTH) {
        ctr->c[KN_CTR_TCP_DEPTH_REACHED]++;
        kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_DEPTH_REACHED);
    }
    if (f & KN_RA_MEMCAP)
        kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_MEMCAP);
    if (f & KN_RA_BEFORE_BASE)
        kn_packet_anomaly(ctr, p, KN_ANOM_STREAM_BEFORE_BASE_SEQ);
}

static unsigned add_payload(kn_stream_t *s, kn_packet_t *p, int dir, kn_reasm_pool_t *pool)
{
    uint32_t seq = p->tcp_seq + ((p->tcp_flags & KN_TH_SYN) ? 1 : 0); /* SYN data: TFO */

    if (!s->ra[dir]) {
        uint32_t base = s->d[dir].syn ? s->d[dir].isn + 1 : seq;
        if (!(s->ra[dir] = kn_reasm_new(pool, base)))
            return KN_RA_MEMCAP;
    }
    return kn_reasm_add(pool, s->ra[dir], seq, p->payload, p->payload_len);
}

unsigned kn_stream_data(kn_stream_t *s, const kn_flow_info_t *fi, kn_packet_t *p, int dir,
                        kn_reasm_pool_t *pool)
{
    const kn_stream_dir_t *peer = &s->d[!dir];
    unsigned f = 0;

    if (!fi->tcp_session || (p->tcp_flags & KN_TH_RST) || fi->tcp_state == KN_TCP_CLOSED)
        return 0; /* a reset's data is not part of the stream, as the receiver drops it */
    if (p->payload_len)
        f = add_payload(s, p, dir, pool);
    if ((p->tcp_flags & KN_TH_ACK) && s->ra[!dir]) {
        uint32_t ack = p->tcp_ack;
        if (peer->fin && ack == peer->fin_seq + 1) /* the FIN's sequence number is no data */
            ack = peer->fin_seq;
        data_anomalies(p, kn_reasm_ack(pool, s->ra[!dir], ack) & KN_RA_GAP, pool->ctr);
    }
    data_anomalies(p, f, pool->ctr);
    return f;
}

void kn_stream_free(kn_stream_t *s, kn_reasm_pool_t *pool)
{
    int d;

    for (d = 0; d < 2; d++) {
        kn_reasm_free(pool, s->ra[d]);
        s->ra[d] = NULL;
    }
}
