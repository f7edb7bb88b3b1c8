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
    X(STREAM_MEMCAP, "stream.reassembly_memcap", 0, STREAM)                                        \
    X(APP_HTTP_UNKNOWN_ERROR, "http.unknown_error", 1, APPLAYER)                                   \
    X(APP_HTTP_GZIP_DECOMPRESSION_FAILED, "http.gzip_decompression_failed", 1, APPLAYER)           \
    X(APP_HTTP_REQUEST_FIELD_MISSING_COLON, "http.request_field_missing_colon", 1, APPLAYER)       \
    X(APP_HTTP_RESPONSE_FIELD_MISSING_COLON, "http.response_field_missing_colon", 1, APPLAYER)     \
    X(APP_HTTP_INVALID_REQUEST_CHUNK_LEN, "http.invalid_request_chunk_len", 1, APPLAYER)           \
    X(APP_HTTP_INVALID_RESPONSE_CHUNK_LEN, "http.invalid_response_chunk_len", 1, APPLAYER)         \
    X(APP_HTTP_INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST, "http.invalid_transfer_encoding_value_in_request", 1, APPLAYER)\
    X(APP_HTTP_INVALID_TRANSFER_ENCODING_VALUE_IN_RESPONSE, "http.invalid_transfer_encoding_value_in_response", 1, APPLAYER)\
    X(APP_HTTP_INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST, "http.invalid_content_length_field_in_request", 1, APPLAYER)\
    X(APP_HTTP_INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE, "http.invalid_content_length_field_in_response", 1, APPLAYER)\
    X(APP_HTTP_DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST, "http.duplicate_content_length_field_in_request", 1, APPLAYER)\
    X(APP_HTTP_DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE, "http.duplicate_content_length_field_in_response", 1, APPLAYER)\
    X(APP_HTTP_100_CONTINUE_ALREADY_SEEN, "http.100_continue_already_seen", 1, APPLAYER)           \
    X(APP_HTTP_UNABLE_TO_MATCH_RESPONSE_TO_REQUEST, "http.unable_to_match_response_to_request", 1, APPLAYER)\
    X(APP_HTTP_INVALID_SERVER_PORT_IN_REQUEST, "http.invalid_server_port_in_request", 1, APPLAYER) \
    X(APP_HTTP_INVALID_AUTHORITY_PORT, "http.invalid_authority_port", 1, APPLAYER)                 \
    X(APP_HTTP_REQUEST_HEADER_INVALID, "http.request_header_invalid", 1, APPLAYER)                 \
    X(APP_HTTP_RESPONSE_HEADER_INVALID, "http.response_header_invalid", 1, APPLAYER)               \
    X(APP_HTTP_MISSING_HOST_HEADER, "http.missing_host_header", 1, APPLAYER)                       \
    X(APP_HTTP_HOST_HEADER_AMBIGUOUS, "http.host_header_ambiguous", 1, APPLAYER)                   \
    X(APP_HTTP_INVALID_REQUEST_FIELD_FOLDING, "http.invalid_request_field_folding", 1, APPLAYER)   \
    X(APP_HTTP_INVALID_RESPONSE_FIELD_FOLDING, "http.invalid_response_field_folding", 1, APPLAYER) \
    X(APP_HTTP_REQUEST_FIELD_TOO_LONG, "http.request_field_too_long", 1, APPLAYER)                 \
    X(APP_HTTP_RESPONSE_FIELD_TOO_LONG, "http.response_field_too_long", 1, APPLAYER)               \
    X(APP_HTTP_REQUEST_LINE_INVALID, "http.request_line_invalid", 1, APPLAYER)                     \
    X(APP_HTTP_REQUEST_BODY_UNEXPECTED, "http.request_body_unexpected", 1, APPLAYER)               \
    X(APP_HTTP_REQUEST_SERVER_PORT_TCP_PORT_MISMATCH, "http.request_server_port_tcp_port_mismatch", 1, APPLAYER)\
    X(APP_HTTP_REQUEST_URI_HOST_INVALID, "http.request_uri_host_invalid", 1, APPLAYER)             \
    X(APP_HTTP_REQUEST_HEADER_HOST_INVALID, "http.request_header_host_invalid", 1, APPLAYER)       \
    X(APP_HTTP_REQUEST_AUTH_UNRECOGNIZED, "http.request_auth_unrecognized", 1, APPLAYER)           \
    X(APP_HTTP_REQUEST_HEADER_REPETITION, "http.request_header_repetition", 1, APPLAYER)           \
    X(APP_HTTP_RESPONSE_HEADER_REPETITION, "http.response_header_repetition", 1, APPLAYER)         \
    X(APP_HTTP_URI_DELIM_NON_COMPLIANT, "http.uri_delim_non_compliant", 1, APPLAYER)               \
    X(APP_HTTP_METHOD_DELIM_NON_COMPLIANT, "http.method_delim_non_compliant", 1, APPLAYER)         \
    X(APP_HTTP_REQUEST_LINE_LEADING_WHITESPACE, "http.request_line_leading_whitespace", 1, APPLAYER)\
    X(APP_HTTP_TOO_MANY_ENCODING_LAYERS, "http.too_many_encoding_layers", 1, APPLAYER)             \
    X(APP_HTTP_ABNORMAL_CE_HEADER, "http.abnormal_ce_header", 1, APPLAYER)                         \
    X(APP_HTTP_RESPONSE_MULTIPART_BYTERANGES, "http.response_multipart_byteranges", 1, APPLAYER)   \
    X(APP_HTTP_RESPONSE_ABNORMAL_TRANSFER_ENCODING, "http.response_abnormal_transfer_encoding", 1, APPLAYER)\
    X(APP_HTTP_RESPONSE_CHUNKED_OLD_PROTO, "http.response_chunked_old_proto", 1, APPLAYER)         \
    X(APP_HTTP_RESPONSE_INVALID_PROTOCOL, "http.response_invalid_protocol", 1, APPLAYER)           \
    X(APP_HTTP_RESPONSE_INVALID_STATUS, "http.response_invalid_status", 1, APPLAYER)               \
    X(APP_HTTP_REQUEST_LINE_INCOMPLETE, "http.request_line_incomplete", 1, APPLAYER)               \
    X(APP_HTTP_LZMA_MEMLIMIT_REACHED, "http.lzma_memlimit_reached", 1, APPLAYER)                   \
    X(APP_HTTP_COMPRESSION_BOMB, "http.compression_bomb", 1, APPLAYER)                             \
    X(APP_HTTP_REQUEST_TOO_MANY_HEADERS, "http.request_too_many_headers", 1, APPLAYER)             \
    X(APP_HTTP_RESPONSE_TOO_MANY_HEADERS, "http.response_too_many_headers", 1, APPLAYER)           \
    X(APP_DNS_MALFORMED_DATA, "dns.malformed_data", 1, APPLAYER)                                   \
    X(APP_DNS_NOT_A_REQUEST, "dns.not_a_request", 1, APPLAYER)                                     \
    X(APP_DNS_NOT_A_RESPONSE, "dns.not_a_response", 1, APPLAYER)                                   \
    X(APP_DNS_Z_FLAG_SET, "dns.z_flag_set", 1, APPLAYER)                                           \
    X(APP_DNS_FLOODED, "dns.flooded", 1, APPLAYER)                                                 \
    X(APP_DNS_STATE_MEMCAP_REACHED, "dns.state_memcap_reached", 1, APPLAYER)                       \
    X(APP_DNS_INVALID_OPCODE, "dns.invalid_opcode", 1, APPLAYER)                                   \
    X(APP_DNS_NAME_TOO_LONG, "dns.name_too_long", 1, APPLAYER)                                     \
    X(APP_DNS_INFINITE_LOOP, "dns.infinite_loop", 1, APPLAYER)                                     \
    X(APP_DNS_TOO_MANY_LABELS, "dns.too_many_labels", 1, APPLAYER)                                 \
    X(APP_DNS_INVALID_ADDITIONALS, "dns.invalid_additionals", 1, APPLAYER)                         \
    X(APP_DNS_INVALID_AUTHORITIES, "dns.invalid_authorities", 1, APPLAYER)                         \
    X(APP_TLS_INVALID_SSLV2_HEADER, "tls.invalid_sslv2_header", 1, APPLAYER)                       \
    X(APP_TLS_INVALID_TLS_HEADER, "tls.invalid_tls_header", 1, APPLAYER)                           \
    X(APP_TLS_INVALID_RECORD_VERSION, "tls.invalid_record_version", 1, APPLAYER)                   \
    X(APP_TLS_INVALID_RECORD_TYPE, "tls.invalid_record_type", 1, APPLAYER)                         \
    X(APP_TLS_INVALID_RECORD_LENGTH, "tls.invalid_record_length", 1, APPLAYER)                     \
    X(APP_TLS_INVALID_HANDSHAKE_MESSAGE, "tls.invalid_handshake_message", 1, APPLAYER)             \
    X(APP_TLS_HEARTBEAT_MESSAGE, "tls.heartbeat_message", 1, APPLAYER)                             \
    X(APP_TLS_INVALID_HEARTBEAT_MESSAGE, "tls.invalid_heartbeat_message", 1, APPLAYER)             \
    X(APP_TLS_OVERFLOW_HEARTBEAT_MESSAGE, "tls.overflow_heartbeat_message", 1, APPLAYER)           \
    X(APP_TLS_DATALEAK_HEARTBEAT_MISMATCH, "tls.dataleak_heartbeat_mismatch", 1, APPLAYER)         \
    X(APP_TLS_HANDSHAKE_INVALID_LENGTH, "tls.handshake_invalid_length", 1, APPLAYER)               \
    X(APP_TLS_MULTIPLE_SNI_EXTENSIONS, "tls.multiple_sni_extensions", 1, APPLAYER)                 \
    X(APP_TLS_INVALID_SNI_TYPE, "tls.invalid_sni_type", 1, APPLAYER)                               \
    X(APP_TLS_INVALID_SNI_LENGTH, "tls.invalid_sni_length", 1, APPLAYER)                           \
    X(APP_TLS_TOO_MANY_RECORDS_IN_PACKET, "tls.too_many_records_in_packet", 1, APPLAYER)           \
    X(APP_TLS_CERTIFICATE_INVALID_DER, "tls.certificate_invalid_der", 1, APPLAYER)                 \
    X(APP_TLS_CERTIFICATE_MISSING_ELEMENT, "tls.certificate_missing_element", 1, APPLAYER)         \
    X(APP_TLS_CERTIFICATE_UNKNOWN_ELEMENT, "tls.certificate_unknown_element", 1, APPLAYER)         \
    X(APP_TLS_CERTIFICATE_INVALID_LENGTH, "tls.certificate_invalid_length", 1, APPLAYER)           \
    X(APP_TLS_CERTIFICATE_INVALID_STRING, "tls.certificate_invalid_string", 1, APPLAYER)           \
    X(APP_TLS_ERROR_MESSAGE_ENCOUNTERED, "tls.error_message_encountered", 1, APPLAYER)             \
    X(APP_TLS_INVALID_SSL_RECORD, "tls.invalid_ssl_record", 1, APPLAYER)                           \
    X(APP_SSH_INVALID_BANNER, "ssh.invalid_banner", 1, APPLAYER)                                   \
    X(APP_SSH_LONG_BANNER, "ssh.long_banner", 1, APPLAYER)                                         \
    X(APP_SSH_INVALID_RECORD_LENGTH, "ssh.invalid_record", 1, APPLAYER)                            \
    X(APP_SSH_LONG_KEX_RECORD, "ssh.long_kex_record", 1, APPLAYER)                                 \
    X(APP_QUIC_FAILED_DECRYPT, "quic.failed_decrypt", 1, APPLAYER)                                 \
    X(APP_QUIC_ERROR_ON_DATA, "quic.error_on_data", 1, APPLAYER)                                   \
    X(APP_QUIC_ERROR_ON_HEADER, "quic.error_on_header", 1, APPLAYER)                               \
    X(APP_QUIC_CRYPTO_FRAG_TOO_LONG, "quic.crypto_frag_too_long", 1, APPLAYER)                     \
    X(APP_SMTP_INVALID_REPLY, "smtp.invalid_reply", 1, APPLAYER)                                   \
    X(APP_SMTP_UNABLE_TO_MATCH_REPLY, "smtp.unable_to_match_reply_with_request", 1, APPLAYER)      \
    X(APP_SMTP_MAX_COMMAND_LINE_LEN_EXCEEDED, "smtp.max_command_line_len_exceeded", 1, APPLAYER)   \
    X(APP_SMTP_MAX_REPLY_LINE_LEN_EXCEEDED, "smtp.max_reply_line_len_exceeded", 1, APPLAYER)       \
    X(APP_SMTP_INVALID_PIPELINED_SEQUENCE, "smtp.invalid_pipelined_sequence", 1, APPLAYER)         \
    X(APP_SMTP_BDAT_CHUNK_LEN_EXCEEDED, "smtp.bdat_chunk_len_exceeded", 1, APPLAYER)               \
    X(APP_SMTP_NO_SERVER_WELCOME_MESSAGE, "smtp.no_server_welcome_message", 1, APPLAYER)           \
    X(APP_SMTP_TLS_REJECTED, "smtp.tls_rejected", 1, APPLAYER)                                     \
    X(APP_SMTP_DATA_COMMAND_REJECTED, "smtp.data_command_rejected", 1, APPLAYER)                   \
    X(APP_SMTP_MIME_PARSE_FAILED, "smtp.mime_parse_failed", 1, APPLAYER)                           \
    X(APP_SMTP_MIME_INVALID_BASE64, "smtp.mime_invalid_base64", 1, APPLAYER)                       \
    X(APP_SMTP_MIME_INVALID_QP, "smtp.mime_invalid_qp", 1, APPLAYER)                               \
    X(APP_SMTP_MIME_LONG_LINE, "smtp.mime_long_line", 1, APPLAYER)                                 \
    X(APP_SMTP_MIME_LONG_HEADER_VALUE, "smtp.mime_long_header_value", 1, APPLAYER)                 \
    X(APP_SMTP_MIME_LONG_BOUNDARY, "smtp.mime_long_boundary", 1, APPLAYER)                         \
    X(APP_SMTP_MIME_LONG_FILENAME, "smtp.mime_long_filename", 1, APPLAYER)                         \
    X(APP_SMTP_DUPLICATE_FIELDS, "smtp.duplicate_fields", 1, APPLAYER)                             \
    X(APP_SMTP_TRUNCATED_LINE, "smtp.truncated_line", 1, APPLAYER)                                 \
    X(APP_FTP_REQUEST_COMMAND_TOO_LONG, "ftp.request_command_too_long", 1, APPLAYER)               \
    X(APP_FTP_RESPONSE_COMMAND_TOO_LONG, "ftp.response_command_too_long", 1, APPLAYER)             \
    X(APP_IRC_MALFORMED_LINE, "irc.malformed_line", 0, APPLAYER)                                   \
    X(APP_IRC_LINE_TOO_LONG, "irc.line_too_long", 0, APPLAYER)                                     \
    X(APP_BT_INVALID_HANDSHAKE, "bittorrent.invalid_handshake", 0, APPLAYER)                       \
    X(APP_BT_INVALID_MESSAGE, "bittorrent.invalid_message", 0, APPLAYER)                           \
    X(APP_BT_INFO_HASH_MISMATCH, "bittorrent.info_hash_mismatch", 0, APPLAYER)                     \
    X(APP_BT_LSD_MALFORMED, "bittorrent.lsd_malformed", 0, APPLAYER)                               \
    X(APP_BT_UTP_MISMATCH, "bittorrent.utp_mismatch", 0, APPLAYER)                                 \
    X(APP_BT_DHT_MALFORMED, "bittorrent-dht.malformed_packet", 1, APPLAYER)                        \
    X(APP_PROTO_MISMATCH, "applayer_mismatch_protocol_both_directions", 1, APPLAYER)               \
    X(APP_PROTO_ONE_DIRECTION, "applayer_detect_protocol_only_one_direction", 1, APPLAYER)         \
    X(APP_STATE_CAP, "applayer.state_cap_reached", 0, APPLAYER)

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
