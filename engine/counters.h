/* counters.h: every engine counter in one table.
 *
 * A counter's name is its dotted path in the eve stats event. Names that Suricata's stats
 * object has are kept as Suricata writes them ("decoder.pkts", "flow.tcp"); ours start with
 * "kanshi." and land in kanshi's own top-level object, so Suricata's schema stays valid.
 * Anomaly counters are not listed here: they are indexed by kn_anomaly_t (anomaly.h).
 * Gauges (G) are current values; the others (C) only grow. */
#ifndef KANSHI_ENGINE_COUNTERS_H
#define KANSHI_ENGINE_COUNTERS_H

#include <stdint.h>

#include "anomaly.h"

#define KN_COUNTER_LIST(X)                                                                         \
    X(PKTS, "decoder.pkts", C)                                                                     \
    X(BYTES, "decoder.bytes", C)                                                                   \
    X(INVALID, "decoder.invalid", C)                                                               \
    X(IPV4, "decoder.ipv4", C)                                                                     \
    X(IPV6, "decoder.ipv6", C)                                                                     \
    X(ETHERNET, "decoder.ethernet", C)                                                             \
    X(ARP, "decoder.arp", C)                                                                       \
    X(UNKNOWN_ETHERTYPE, "decoder.unknown_ethertype", C)                                           \
    X(CHDLC, "decoder.chdlc", C)                                                                   \
    X(RAW, "decoder.raw", C)                                                                       \
    X(NULL_, "decoder.null", C)                                                                    \
    X(SLL, "decoder.sll", C)                                                                       \
    X(SLL2, "decoder.sll2", C)                                                                     \
    X(TCP, "decoder.tcp", C)                                                                       \
    X(UDP, "decoder.udp", C)                                                                       \
    X(SCTP, "decoder.sctp", C)                                                                     \
    X(ESP, "decoder.esp", C)                                                                       \
    X(ICMPV4, "decoder.icmpv4", C)                                                                 \
    X(ICMPV6, "decoder.icmpv6", C)                                                                 \
    X(IGMP, "decoder.igmp", C)                                                                     \
    X(PPP, "decoder.ppp", C)                                                                       \
    X(PPPOE, "decoder.pppoe", C)                                                                   \
    X(GENEVE, "decoder.geneve", C)                                                                 \
    X(GRE, "decoder.gre", C)                                                                       \
    X(VLAN, "decoder.vlan", C)                                                                     \
    X(VLAN_QINQ, "decoder.vlan_qinq", C)                                                           \
    X(VLAN_QINQINQ, "decoder.vlan_qinqinq", C)                                                     \
    X(VXLAN, "decoder.vxlan", C)                                                                   \
    X(TEREDO, "decoder.teredo", C)                                                                 \
    X(IPV4_IN_IPV4, "decoder.ipv4_in_ipv4", C)                                                     \
    X(IPV6_IN_IPV4, "decoder.ipv6_in_ipv4", C)                                                     \
    X(IPV4_IN_IPV6, "decoder.ipv4_in_ipv6", C)                                                     \
    X(IPV6_IN_IPV6, "decoder.ipv6_in_ipv6", C)                                                     \
    X(MPLS, "decoder.mpls", C)                                                                     \
    X(ERSPAN, "decoder.erspan", C)                                                                 \
    X(TOO_MANY_LAYERS, "decoder.too_many_layers", C)                                               \
    X(AVG_PKT_SIZE, "decoder.avg_pkt_size", G)                                                     \
    X(MAX_PKT_SIZE, "decoder.max_pkt_size", G)                                                     \
    X(GTPU, "kanshi.decoder.gtpu", C)                                                              \
    X(NFLOG, "kanshi.decoder.nflog", C)                                                            \
    X(IP_OTHER, "kanshi.decoder.ip_other", C)                                                      \
    X(SNAPLEN_TRUNCATED, "kanshi.decoder.snaplen_truncated", C)                                    \
    X(CSUM_IPV4_BAD, "kanshi.checksum.ipv4_bad", C)                                                \
    X(CSUM_TCP_BAD, "kanshi.checksum.tcp_bad", C)                                                  \
    X(CSUM_UDP_BAD, "kanshi.checksum.udp_bad", C)                                                  \
    X(CSUM_ICMPV4_BAD, "kanshi.checksum.icmpv4_bad", C)                                            \
    X(CSUM_ICMPV6_BAD, "kanshi.checksum.icmpv6_bad", C)                                            \
    X(CSUM_UNVERIFIED, "kanshi.checksum.unverified", C)                                            \
    X(FLOW_TOTAL, "flow.total", C)                                                                 \
    X(FLOW_ACTIVE, "flow.active", G)                                                               \
    X(FLOW_TCP, "flow.tcp", C)                                                                     \
    X(FLOW_UDP, "flow.udp", C)                                                                     \
    X(FLOW_ICMPV4, "flow.icmpv4", C)                                                               \
    X(FLOW_ICMPV6, "flow.icmpv6", C)                                                               \
    X(FLOW_OTHER, "kanshi.flow.other", C)                                                          \
    X(FLOW_TCP_REUSE, "flow.tcp_reuse", C)                                                         \
    X(FLOW_MEMCAP, "flow.memcap", C)                                                               \
    X(FLOW_MEMUSE, "flow.memuse", G)                                                               \
    X(FLOW_EMERG_ENTERED, "flow.emerg_mode_entered", C)                                            \
    X(FLOW_EMERG_OVER, "flow.emerg_mode_over", C)                                                  \
    X(FLOW_TIMEOUT, "flow.mgr.flows_timeout", C)                                                   \
    X(FLOW_EVICTED, "kanshi.flow.evicted", C)                                                      \
    X(FLOW_NO_FLOW_PKTS, "kanshi.flow.pkts_without_flow", C)                                       \
    X(FLOW_ICMP_ERR_UNMATCHED, "kanshi.flow.icmp_errors_unmatched", C)                             \
    X(FLOW_END_NEW, "flow.end.state.new", C)                                                       \
    X(FLOW_END_ESTABLISHED, "flow.end.state.established", C)                                       \
    X(FLOW_END_CLOSED, "flow.end.state.closed", C)                                                 \
    X(FLOW_END_TCP_NONE, "flow.end.tcp_state.none", C)                                             \
    X(FLOW_END_TCP_SYN_SENT, "flow.end.tcp_state.syn_sent", C)                                     \
    X(FLOW_END_TCP_SYN_RECV, "flow.end.tcp_state.syn_recv", C)                                     \
    X(FLOW_END_TCP_ESTABLISHED, "flow.end.tcp_state.established", C)                               \
    X(FLOW_END_TCP_FIN_WAIT1, "flow.end.tcp_state.fin_wait1", C)                                   \
    X(FLOW_END_TCP_FIN_WAIT2, "flow.end.tcp_state.fin_wait2", C)                                   \
    X(FLOW_END_TCP_TIME_WAIT, "flow.end.tcp_state.time_wait", C)                                   \
    X(FLOW_END_TCP_LAST_ACK, "flow.end.tcp_state.last_ack", C)                                     \
    X(FLOW_END_TCP_CLOSE_WAIT, "flow.end.tcp_state.close_wait", C)                                 \
    X(FLOW_END_TCP_CLOSING, "flow.end.tcp_state.closing", C)                                       \
    X(FLOW_END_TCP_CLOSED, "flow.end.tcp_state.closed", C)                                         \
    X(TCP_SESSIONS, "tcp.sessions", C)                                                             \
    X(TCP_SYN, "tcp.syn", C)                                                                       \
    X(TCP_SYNACK, "tcp.synack", C)                                                                 \
    X(TCP_RST, "tcp.rst", C)                                                                       \
    X(TCP_MIDSTREAM, "tcp.midstream_pickups", C)                                                   \
    X(TCP_INVALID_CSUM, "tcp.invalid_checksum", C)                                                 \
    X(TCP_SEGMENT_MEMCAP, "tcp.segment_memcap_drop", C)                                            \
    X(TCP_REASSEMBLY_MEMUSE, "tcp.reassembly_memuse", G)                                           \
    X(TCP_REASSEMBLY_GAP, "tcp.reassembly_gap", C)                                                 \
    X(TCP_OVERLAP, "tcp.overlap", C)                                                               \
    X(TCP_OVERLAP_DIFF, "tcp.overlap_diff_data", C)                                                \
    X(TCP_DEPTH_REACHED, "tcp.stream_depth_reached", C)                                            \
    X(DETECT_ALERT, "detect.alert", C)                                                             \
    X(DETECT_SUPPRESSED, "detect.alerts_suppressed", C)                                            \
    X(DETECT_CANDIDATES, "kanshi.detect.candidates", C)                                            \
    X(DETECT_MPM_ERRORS, "kanshi.detect.prefilter_errors", C)                                      \
    X(DETECT_BUDGET, "kanshi.detect.budget_exhausted", C)                                          \
    X(DETECT_STATE_MEMCAP, "kanshi.detect.state_memcap_drop", C)                                   \
    X(DETECT_THRESH_MEMCAP, "kanshi.detect.threshold_memcap_drop", C)                              \
    X(DETECT_THRESH_MEMUSE, "kanshi.detect.threshold_memuse", G)                                   \
    X(DEFRAG_V4_FRAGMENTS, "defrag.ipv4.fragments", C)                                             \
    X(DEFRAG_V4_REASSEMBLED, "defrag.ipv4.reassembled", C)                                         \
    X(DEFRAG_V4_TIMEOUTS, "defrag.ipv4.timeouts", C)                                               \
    X(DEFRAG_V6_FRAGMENTS, "defrag.ipv6.fragments", C)                                             \
    X(DEFRAG_V6_REASSEMBLED, "defrag.ipv6.reassembled", C)                                         \
    X(DEFRAG_V6_TIMEOUTS, "defrag.ipv6.timeouts", C)                                               \
    X(DEFRAG_MAX_FRAGS, "defrag.max_frags_reached", C)                                             \
    X(DEFRAG_MAX_TRACKERS, "defrag.max_trackers_reached", C)                                       \
    X(DEFRAG_MEMUSE, "defrag.memuse", G)                                                           \
    X(DEFRAG_MEMCAP_DROP, "kanshi.defrag.memcap_drop", C)                                          \
    X(DEFRAG_OVERLAPS, "kanshi.defrag.overlaps", C)                                                \
    X(APP_FLOW_HTTP, "app_layer.flow.http", C)                                                     \
    X(APP_FLOW_TLS, "app_layer.flow.tls", C)                                                       \
    X(APP_FLOW_SSH, "app_layer.flow.ssh", C)                                                       \
    X(APP_FLOW_DNS_TCP, "app_layer.flow.dns_tcp", C)                                               \
    X(APP_FLOW_DNS_UDP, "app_layer.flow.dns_udp", C)                                               \
    X(APP_FLOW_SMTP, "app_layer.flow.smtp", C)                                                     \
    X(APP_FLOW_FTP, "app_layer.flow.ftp", C)                                                       \
    X(APP_FLOW_FTP_DATA, "app_layer.flow.ftp_data", C)                                             \
    X(APP_FLOW_QUIC, "app_layer.flow.quic", C)                                                     \
    X(APP_FLOW_IRC, "kanshi.applayer.flow.irc", C)                                                 \
    X(APP_FLOW_BITTORRENT, "kanshi.applayer.flow.bittorrent", C)                                   \
    X(APP_FLOW_BITTORRENT_DHT, "app_layer.flow.bittorrent_dht", C)                                 \
    X(APP_FLOW_OTHER, "kanshi.applayer.flow.other", C)                                             \
    X(APP_FLOW_FAILED_TCP, "app_layer.flow.failed_tcp", C)                                         \
    X(APP_FLOW_FAILED_UDP, "app_layer.flow.failed_udp", C)                                         \
    X(APP_TX_HTTP, "app_layer.tx.http", C)                                                         \
    X(APP_TX_TLS, "app_layer.tx.tls", C)                                                           \
    X(APP_TX_SSH, "app_layer.tx.ssh", C)                                                           \
    X(APP_TX_DNS_TCP, "app_layer.tx.dns_tcp", C)                                                   \
    X(APP_TX_DNS_UDP, "app_layer.tx.dns_udp", C)                                                   \
    X(APP_TX_SMTP, "app_layer.tx.smtp", C)                                                         \
    X(APP_TX_FTP, "app_layer.tx.ftp", C)                                                           \
    X(APP_TX_FTP_DATA, "app_layer.tx.ftp_data", C)                                                 \
    X(APP_TX_QUIC, "app_layer.tx.quic", C)                                                         \
    X(APP_TX_IRC, "kanshi.applayer.tx.irc", C)                                                     \
    X(APP_TX_BITTORRENT, "kanshi.applayer.tx.bittorrent", C)                                       \
    X(APP_TX_BITTORRENT_DHT, "app_layer.tx.bittorrent_dht", C)                                     \
    X(APP_TX_OTHER, "kanshi.applayer.tx.other", C)                                                 \
    X(APP_PROBE_REJECTED, "kanshi.applayer.probe_rejected", C)                                     \
    X(APP_PARSE_ERRORS, "kanshi.applayer.parse_errors", C)                                         \
    X(APP_GAPS, "kanshi.applayer.gaps", C)                                                         \
    X(APP_STATE_CAP, "kanshi.applayer.state_cap_drop", C)                                          \
    X(APP_SMTP_URL_DROPPED, "kanshi.applayer.smtp_urls_dropped", C)                                \
    X(APP_SMTP_URL_TRUNCATED, "kanshi.applayer.smtp_urls_truncated", C)                            \
    X(APP_MEMCAP, "kanshi.applayer.memcap_drop", C)                                                \
    X(APP_EXPECT_ADDED, "kanshi.applayer.expectations", C)                                         \
    X(APP_EXPECT_MATCHED, "kanshi.applayer.expectations_matched", C)                               \
    X(APP_EXPECT_DROPPED, "kanshi.applayer.expectations_dropped", C)                               \
    X(APP_MEMUSE, "kanshi.applayer.memuse", G)                                                     \
    X(FILES_OPENED, "kanshi.files.opened", C)                                                      \
    X(FILES_CLOSED, "kanshi.files.closed", C)                                                      \
    X(FILES_TRUNCATED, "kanshi.files.truncated", C)                                                \
    X(FILES_DROPPED, "kanshi.files.dropped", C)                                                    \
    X(FILES_PE, "kanshi.files.pe", C)                                                              \
    X(EVENTS, "kanshi.engine.events", C)

#define KN_CTR_ENUM(id, name, kind) KN_CTR_##id,
typedef enum kn_counter_id { KN_COUNTER_LIST(KN_CTR_ENUM) KN_CTR_MAX } kn_counter_id_t;
#undef KN_CTR_ENUM

/* A snapshot of every counter; owned by the engine, read through kn_engine_counters(). */
typedef struct kn_counters {
    uint64_t c[KN_CTR_MAX];
    uint64_t anomaly[KN_ANOM_MAX];
} kn_counters_t;

typedef struct kn_counter_info {
    const char *name;
    uint8_t gauge;
} kn_counter_info_t;

/* Borrowed pointer into a static table. */
const kn_counter_info_t *kn_counter_info(kn_counter_id_t id);

#endif
