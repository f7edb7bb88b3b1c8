/* decode.h: the packet decoder's internal interface (engine only).
 *
 * Decoding walks one layer chain, from the link type (or from a layer inside a tunnel) down to
 * the transport header, and records what it found in a kn_packet. It stops at a tunnel's inner
 * packet, which the engine decodes as the next layer, so no call recurses into itself. Every
 * read is bounded by the captured length of the current span; the wire length travels along
 * only to tell a snaplen cut (kept, flagged) from a header that lies (an anomaly). */
#ifndef KANSHI_ENGINE_DECODE_H
#define KANSHI_ENGINE_DECODE_H

#include "counters.h"
#include "cursor.h"
#include "kanshi.h"
#include "packet.h"

typedef struct kn_decoder {
    const kn_engine_config_t *cfg; /* borrowed from the engine */
    kn_counters_t *ctr;            /* borrowed from the engine */
} kn_decoder_t;

/* A window over packet bytes: len bytes were captured, wire bytes were on the wire. */
typedef struct kn_span {
    const uint8_t *b;
    uint32_t len;
    uint32_t wire;
} kn_span_t;

static inline kn_span_t kn_span_skip(kn_span_t s, uint32_t n)
{
    kn_span_t r;

    r.b = s.b + n;
    r.len = s.len > n ? s.len - n : 0;
    r.wire = s.wire > n ? s.wire - n : 0;
    return r;
}

static inline void kn_ctr_inc(kn_decoder_t *d, kn_counter_id_t id)
{
    d->ctr->c[id]++;
}

/* Records an anomaly on the packet (the first KN_MAX_ANOMALIES are kept) and counts it. */
static inline void kn_packet_anomaly(kn_counters_t *ctr, kn_packet_t *p, kn_anomaly_t a)
{
    ctr->anomaly[a]++;
    if (p->anomaly_n < KN_MAX_ANOMALIES)
        p->anomalies[p->anomaly_n++] = (uint16_t)a;
}

static inline void kn_decode_anomaly(kn_decoder_t *d, kn_packet_t *p, kn_anomaly_t a)
{
    kn_packet_anomaly(d->ctr, p, a);
}

/* Decodes p->data from the given layer (KN_L_NONE: from p->linktype). Returns KN_OK, or KN_ERR
 * with KN_PKT_INVALID set and the reason recorded as an anomaly. */
int kn_decode(kn_decoder_t *d, kn_packet_t *p, kn_layer_t layer);

/* Layer entry points shared between the decoder files. */
int kn_decode_ethertype(kn_decoder_t *d, kn_packet_t *p, uint16_t type, kn_span_t s);
int kn_decode_ethernet(kn_decoder_t *d, kn_packet_t *p, kn_span_t s);
int kn_decode_ppp_proto(kn_decoder_t *d, kn_packet_t *p, uint16_t proto, kn_span_t s);
int kn_decode_ipv4(kn_decoder_t *d, kn_packet_t *p, kn_span_t s);
int kn_decode_ipv6(kn_decoder_t *d, kn_packet_t *p, kn_span_t s);
int kn_decode_transport(kn_decoder_t *d, kn_packet_t *p, uint8_t proto, kn_span_t s);
int kn_decode_tcp(kn_decoder_t *d, kn_packet_t *p, kn_span_t s);
int kn_decode_udp(kn_decoder_t *d, kn_packet_t *p, kn_span_t s);
int kn_decode_icmpv4(kn_decoder_t *d, kn_packet_t *p, kn_span_t s);
int kn_decode_icmpv6(kn_decoder_t *d, kn_packet_t *p, kn_span_t s);
int kn_decode_gre(kn_decoder_t *d, kn_packet_t *p, kn_span_t s);
int kn_decode_ipip(kn_decoder_t *d, kn_packet_t *p, uint8_t proto, kn_span_t s);

/* Looks at a UDP payload for VXLAN, Geneve, Teredo or GTP-U; on a match sets the packet's
 * inner layer and returns KN_OK, otherwise KN_DECLINED (plain UDP). */
int kn_decode_udp_tunnel(kn_decoder_t *d, kn_packet_t *p, kn_span_t s);

/* Marks the packet invalid and records why; always returns KN_ERR. */
static inline int kn_decode_fail(kn_decoder_t *d, kn_packet_t *p, kn_anomaly_t a)
{
    kn_decode_anomaly(d, p, a);
    p->flags |= KN_PKT_INVALID;
    return KN_ERR;
}

/* Hands the packet's inner bytes to the engine as the next layer. */
static inline int kn_decode_set_inner(kn_packet_t *p, kn_layer_t layer, kn_span_t s, int tunnel)
{
    p->inner_layer = layer;
    p->inner = s.b;
    p->inner_len = s.len;
    p->inner_wire = s.wire;
    p->inner_tunnel = (uint8_t)tunnel;
    return KN_OK;
}

#endif
