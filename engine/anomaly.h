/* anomaly.h: the named anomalies the engine can raise, in one table.
 *
 * Each row is an id, the name written in eve and stats, whether Suricata has the same name
 * (its decode-events.h, or its stream events), and the layer that raises it. Rows Suricata has
 * keep Suricata's name so the `decode-event` / `stream-event` rule keywords and existing
 * dashboards see the same strings; decoder rows Suricata has are counted in its
 * stats.decoder.event object, the others (and every stream row, which Suricata does not count)
 * in the `kanshi` stats object. Adding an anomaly is one row here. */
#ifndef KANSHI_ENGINE_ANOMALY_H
#define KANSHI_ENGINE_ANOMALY_H

#include <stdint.h>

/* X(id, name, suricata_has_it, layer) */
#define KN_ANOMALY_LIST(X)                                                                         \
    X(ETH_PKT_TOO_SMALL, "ethernet.pkt_too_small", 1, DECODE)                                     \
    X(ETH_UNKNOWN_ETHERTYPE, "ethernet.unknown_ethertype", 1, DECODE)                             \
    X(SLL_PKT_TOO_SMALL, "sll.pkt_too_small", 1, DECODE)                                           \
    X(SLL2_PKT_TOO_SMALL, "sll2.pkt_too_small", 1, DECODE)                                         \
    X(NULL_PKT_TOO_SMALL, "ltnull.pkt_too_small", 1, DECODE)                                       \
    X(NULL_UNSUPPORTED_TYPE, "ltnull.unsupported_type", 1, DECODE)                                 \
    X(RAW_INVALID_IP_VERSION, "ipraw.invalid_ip_version", 1, DECODE)                               \
    X(CHDLC_PKT_TOO_SMALL, "chdlc.pkt_too_small", 1, DECODE)                                       \
    X(NFLOG_MALFORMED, "nflog.malformed", 0, DECODE)                                               \
    X(VLAN_HEADER_TOO_SMALL, "vlan.header_too_small", 1, DECODE)                                   \
    X(VLAN_UNKNOWN_TYPE, "vlan.unknown_type", 1, DECODE)                                           \
    X(VLAN_TOO_MANY_LAYERS, "vlan.too_many_layers", 1, DECODE)                                     \
    X(MPLS_HEADER_TOO_SMALL, "mpls.header_too_small", 1, DECODE)                                   \
    X(MPLS_PKT_TOO_SMALL, "mpls.pkt_too_small", 1, DECODE)                                         \
    X(MPLS_BAD_LABEL_ROUTER_ALERT, "mpls.bad_label_router_alert", 1, DECODE)                       \
    X(MPLS_BAD_LABEL_IMPLICIT_NULL, "mpls.bad_label_implicit_null", 1, DECODE)                     \
    X(MPLS_BAD_LABEL_RESERVED, "mpls.bad_label_reserved", 1, DECODE)                               \
    X(MPLS_UNKNOWN_PAYLOAD_TYPE, "mpls.unknown_payload_type", 1, DECODE)                           \
    X(PPP_PKT_TOO_SMALL, "ppp.pkt_too_small", 1, DECODE)                                           \
    X(PPP_UNSUP_PROTO, "ppp.unsup_proto", 1, DECODE)                                               \
    X(PPPOE_PKT_TOO_SMALL, "pppoe.pkt_too_small", 1, DECODE)                                       \
    X(PPPOE_WRONG_CODE, "pppoe.wrong_code", 1, DECODE)                                             \
    X(PPPOE_MALFORMED_TAGS, "pppoe.malformed_tags", 1, DECODE)                                     \
    X(IPV4_PKT_TOO_SMALL, "ipv4.pkt_too_small", 1, DECODE)                                         \
    X(IPV4_HLEN_TOO_SMALL, "ipv4.hlen_too_small", 1, DECODE)                                       \
    X(IPV4_IPLEN_SMALLER_THAN_HLEN, "ipv4.iplen_smaller_than_hlen", 1, DECODE)                     \
    X(IPV4_TRUNC_PKT, "ipv4.trunc_pkt", 1, DECODE)                                                 \
    X(IPV4_OPT_INVALID, "ipv4.opt_invalid", 1, DECODE)                                             \
    X(IPV4_OPT_INVALID_LEN, "ipv4.opt_invalid_len", 1, DECODE)                                     \
    X(IPV4_OPT_MALFORMED, "ipv4.opt_malformed", 1, DECODE)                                         \
    X(IPV4_OPT_PAD_REQUIRED, "ipv4.opt_pad_required", 1, DECODE)                                   \
    X(IPV4_OPT_EOL_REQUIRED, "ipv4.opt_eol_required", 1, DECODE)                                   \
    X(IPV4_OPT_DUPLICATE, "ipv4.opt_duplicate", 1, DECODE)                                         \
    X(IPV4_OPT_UNKNOWN, "ipv4.opt_unknown", 1, DECODE)                                             \
    X(IPV4_WRONG_IP_VERSION, "ipv4.wrong_ip_version", 1, DECODE)                                   \
    X(IPV4_ICMPV6, "ipv4.icmpv6", 1, DECODE)                                                       \
    X(IPV4_FRAG_PKT_TOO_LARGE, "ipv4.frag_pkt_too_large", 1, DECODE)                               \
    X(IPV4_FRAG_OVERLAP, "ipv4.frag_overlap", 1, DECODE)                                           \
    X(IPV4_FRAG_IGNORED, "ipv4.frag_ignored", 1, DECODE)                                           \
    X(IPV6_PKT_TOO_SMALL, "ipv6.pkt_too_small", 1, DECODE)                                         \
    X(IPV6_TRUNC_PKT, "ipv6.trunc_pkt", 1, DECODE)                                                 \
    X(IPV6_TRUNC_EXTHDR, "ipv6.trunc_exthdr", 1, DECODE)                                           \
    X(IPV6_EXTHDR_DUPL_FH, "ipv6.exthdr_dupl_fh", 1, DECODE)                                       \
    X(IPV6_EXTHDR_USELESS_FH, "ipv6.exthdr_useless_fh", 1, DECODE)                                 \
    X(IPV6_EXTHDR_DUPL_RH, "ipv6.exthdr_dupl_rh", 1, DECODE)                                       \
    X(IPV6_EXTHDR_DUPL_HH, "ipv6.exthdr_dupl_hh", 1, DECODE)                                       \
    X(IPV6_EXTHDR_DUPL_DH, "ipv6.exthdr_dupl_dh", 1, DECODE)                                       \
    X(IPV6_EXTHDR_DUPL_AH, "ipv6.exthdr_dupl_ah", 1, DECODE)                                       \
    X(IPV6_EXTHDR_DUPL_EH, "ipv6.exthdr_dupl_eh", 1, DECODE)                                       \
    X(IPV6_EXTHDR_INVALID_OPTLEN, "ipv6.exthdr_invalid_optlen", 1, DECODE)                         \
    X(IPV6_WRONG_IP_VERSION, "ipv6.wrong_ip_version", 1, DECODE)                                   \
    X(IPV6_EXTHDR_AH_RES_NOT_NULL, "ipv6.exthdr_ah_res_not_null", 1, DECODE)                       \
    X(IPV6_HOPOPTS_UNKNOWN_OPT, "ipv6.hopopts_unknown_opt", 1, DECODE)                             \
    X(IPV6_HOPOPTS_ONLY_PADDING, "ipv6.hopopts_only_padding", 1, DECODE)                           \
    X(IPV6_DSTOPTS_UNKNOWN_OPT, "ipv6.dstopts_unknown_opt", 1, DECODE)                             \
    X(IPV6_DSTOPTS_ONLY_PADDING, "ipv6.dstopts_only_padding", 1, DECODE)                           \
    X(IPV6_RH_TYPE_0, "ipv6.rh_type_0", 1, DECODE)                                                 \
    X(IPV6_ZERO_LEN_PADN, "ipv6.zero_len_padn", 1, DECODE)                                         \
    X(IPV6_FH_NON_ZERO_RESERVED_FIELD, "ipv6.fh_non_zero_reserved_field", 1, DECODE)               \
    X(IPV6_DATA_AFTER_NONE_HEADER, "ipv6.data_after_none_header", 1, DECODE)                       \
    X(IPV6_UNKNOWN_NEXT_HEADER, "ipv6.unknown_next_header", 1, DECODE)                             \
    X(IPV6_ICMPV4, "ipv6.icmpv4", 1, DECODE)                                                       \
    X(IPV6_FRAG_PKT_TOO_LARGE, "ipv6.frag_pkt_too_large", 1, DECODE)                               \
    X(IPV6_FRAG_OVERLAP, "ipv6.frag_overlap", 1, DECODE)                                           \
    X(IPV6_FRAG_INVALID_LENGTH, "ipv6.frag_invalid_length", 1, DECODE)                             \
    X(IPV6_FRAG_IGNORED, "ipv6.frag_ignored", 1, DECODE)                                           \
    X(IPV6_IPV4_IN_IPV6_TOO_SMALL, "ipv6.ipv4_in_ipv6_too_small", 1, DECODE)                       \
    X(IPV6_IPV4_IN_IPV6_WRONG_VERSION, "ipv6.ipv4_in_ipv6_wrong_version", 1, DECODE)               \
    X(IPV6_IPV6_IN_IPV6_TOO_SMALL, "ipv6.ipv6_in_ipv6_too_small", 1, DECODE)                       \
    X(IPV6_IPV6_IN_IPV6_WRONG_VERSION, "ipv6.ipv6_in_ipv6_wrong_version", 1, DECODE)               \
    X(TCP_PKT_TOO_SMALL, "tcp.pkt_too_small", 1, DECODE)                                           \
    X(TCP_HLEN_TOO_SMALL, "tcp.hlen_too_small", 1, DECODE)                                         \
    X(TCP_INVALID_OPTLEN, "tcp.invalid_optlen", 1, DECODE)                                         \
    X(TCP_OPT_INVALID_LEN, "tcp.opt_invalid_len", 1, DECODE)                                       \
    X(TCP_OPT_DUPLICATE, "tcp.opt_duplicate", 1, DECODE)                                           \
    X(UDP_PKT_TOO_SMALL, "udp.pkt_too_small", 1, DECODE)                                           \
    X(UDP_HLEN_TOO_SMALL, "udp.hlen_too_small", 1, DECODE)                                         \
    X(UDP_HLEN_INVALID, "udp.hlen_invalid", 1, DECODE)                                             \
    X(UDP_LEN_INVALID, "udp.len_invalid", 1, DECODE)                                               \
    X(ICMPV4_PKT_TOO_SMALL, "icmpv4.pkt_too_small", 1, DECODE)                                     \
    X(ICMPV4_UNKNOWN_TYPE, "icmpv4.unknown_type", 1, DECODE)                                       \
    X(ICMPV4_UNKNOWN_CODE, "icmpv4.unknown_code", 1, DECODE)                                       \
    X(ICMPV4_IPV4_TRUNC_PKT, "icmpv4.ipv4_trunc_pkt", 1, DECODE)                                   \
    X(ICMPV4_IPV4_UNKNOWN_VER, "icmpv4.ipv4_unknown_ver", 1, DECODE)                               \
    X(ICMPV6_UNKNOWN_TYPE, "icmpv6.unknown_type", 1, DECODE)                                       \
    X(ICMPV6_UNKNOWN_CODE, "icmpv6.unknown_code", 1, DECODE)                                       \
    X(ICMPV6_PKT_TOO_SMALL, "icmpv6.pkt_too_small", 1, DECODE)                                     \
    X(ICMPV6_IPV6_UNKNOWN_VERSION, "icmpv6.ipv6_unknown_version", 1, DECODE)                       \
    X(ICMPV6_IPV6_TRUNC_PKT, "icmpv6.ipv6_trunc_pkt", 1, DECODE)                                   \
    X(ICMPV6_MLD_MESSAGE_WITH_INVALID_HL, "icmpv6.mld_message_with_invalid_hl", 1, DECODE)         \
    X(ICMPV6_UNASSIGNED_TYPE, "icmpv6.unassigned_type", 1, DECODE)                                 \
    X(ICMPV6_EXPERIMENTATION_TYPE, "icmpv6.experimentation_type", 1, DECODE)                       \
    X(GRE_PKT_TOO_SMALL, "gre.pkt_too_small", 1, DECODE)                                           \
    X(GRE_WRONG_VERSION, "gre.wrong_version", 1, DECODE)                                           \
    X(GRE_VERSION0_RECUR, "gre.version0_recur", 1, DECODE)                                         \
    X(GRE_VERSION0_FLAGS, "gre.version0_flags", 1, DECODE)                                         \
    X(GRE_VERSION0_HDR_TOO_BIG, "gre.version0_hdr_too_big", 1, DECODE)                             \
    X(GRE_VERSION0_MALFORMED_SRE_HDR, "gre.version0_malformed_sre_hdr", 1, DECODE)                 \
    X(GRE_VERSION1_CHKSUM, "gre.version1_chksum", 1, DECODE)                                       \
    X(GRE_VERSION1_ROUTE, "gre.version1_route", 1, DECODE)                                         \
    X(GRE_VERSION1_SSR, "gre.version1_ssr", 1, DECODE)                                             \
    X(GRE_VERSION1_RECUR, "gre.version1_recur", 1, DECODE)                                         \
    X(GRE_VERSION1_FLAGS, "gre.version1_flags", 1, DECODE)                                         \
    X(GRE_VERSION1_NO_KEY, "gre.version1_no_key", 1, DECODE)                                       \
    X(GRE_VERSION1_WRONG_PROTOCOL, "gre.version1_wrong_protocol", 1, DECODE)                       \
    X(GRE_VERSION1_HDR_TOO_BIG, "gre.version1_hdr_too_big", 1, DECODE)                             \
    X(ERSPAN_HEADER_TOO_SMALL, "erspan.header_too_small", 1, DECODE)                               \
    X(ERSPAN_UNSUPPORTED_VERSION, "erspan.unsupported_version", 1, DECODE)                         \
    X(ERSPAN_TOO_MANY_VLAN_LAYERS, "erspan.too_many_vlan_layers", 1, DECODE)                       \
    X(VXLAN_UNKNOWN_PAYLOAD_TYPE, "vxlan.unknown_payload_type", 1, DECODE)                         \
    X(VXLAN_HEADER_TOO_SMALL, "vxlan.header_too_small", 0, DECODE)                                 \
    X(GENEVE_UNKNOWN_PAYLOAD_TYPE, "geneve.unknown_payload_type", 1, DECODE)                       \
    X(GENEVE_HEADER_TOO_SMALL, "geneve.header_too_small", 0, DECODE)                               \
    X(TEREDO_MALFORMED, "teredo.malformed", 0, DECODE)                                             \
    X(GTP_HEADER_TOO_SMALL, "gtpu.header_too_small", 0, DECODE)                                    \
    X(GTP_UNKNOWN_PAYLOAD_TYPE, "gtpu.unknown_payload_type", 0, DECODE)                            \
    X(TOO_MANY_LAYERS, "too_many_layers", 0, DECODE)                                               \
    X(SNAPLEN_TRUNCATED, "snaplen_truncated", 0, DECODE)                                           \
    X(UNKNOWN_LINKTYPE, "unknown_linktype", 0, DECODE)                                             \
    X(DEFRAG_MEMCAP, "defrag.memcap", 0, DECODE)                                                   \
    X(DEFRAG_TIMEOUT, "defrag.timeout", 0, DECODE)                                                 \
    X(FLOW_MEMCAP, "flow.memcap", 0, DECODE)                                                       \
    X(STREAM_3WHS_SYNACK_WRONG_ACK, "stream.3whs_synack_with_wrong_ack", 1, STREAM)                \
    X(STREAM_3WHS_SYNACK_WRONG_DIR, "stream.3whs_synack_in_wrong_direction", 1, STREAM)            \
    X(STREAM_FIN_NO_SESSION, "stream.fin_but_no_session", 1, STREAM)                               \
    X(STREAM_RST_NO_SESSION, "stream.rst_but_no_session", 1, STREAM)                               \
    X(STREAM_FIN_SYN, "stream.fin_syn", 1, STREAM)                                                 \
    X(STREAM_PKT_RETRANSMISSION, "stream.pkt_retransmission", 1, STREAM)                           \
    X(STREAM_OVERLAP_DIFF, "stream.reassembly_overlap_different_data", 1, STREAM)                  \
    X(STREAM_SEQ_GAP, "stream.reassembly_seq_gap", 1, STREAM)                                      \
    X(STREAM_DEPTH_REACHED, "stream.reassembly_depth_reached", 1, STREAM)                          \
    X(STREAM_BEFORE_BASE_SEQ, "stream.reassembly_segment_before_base_seq", 1, STREAM)              \
    X(STREAM_MEMCAP, "stream.reassembly_memcap", 0, STREAM)

#define KN_ANOM_ENUM(id, name, sur, layer) KN_ANOM_##id,
typedef enum kn_anomaly {
    KN_ANOM_NONE = 0,
    KN_ANOMALY_LIST(KN_ANOM_ENUM) KN_ANOM_MAX
} kn_anomaly_t;
#undef KN_ANOM_ENUM

typedef enum kn_anomaly_layer {
    KN_LAYER_DECODE,
    KN_LAYER_STREAM,
    KN_LAYER_APPLAYER,
} kn_anomaly_layer_t;

typedef struct kn_anomaly_info {
    const char *name; /* "ipv4.trunc_pkt"; eve writes "decoder." + name */
    uint8_t suricata; /* 1: Suricata has this name; counted in stats.decoder.event */
    uint8_t layer;    /* kn_anomaly_layer_t */
} kn_anomaly_info_t;

/* Borrowed pointer into a static table; never NULL (KN_ANOM_NONE maps to "none"). */
const kn_anomaly_info_t *kn_anomaly_info(kn_anomaly_t id);

#endif
