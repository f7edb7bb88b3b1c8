/* event.h: what the engine hands to the sensor.
 *
 * An event is borrowed for the duration of the callback: the sensor serializes it before
 * returning and keeps no pointer into it. Flow-related events carry a kn_flow_info, the part of
 * a flow the outside world may read; packet-triggered events also carry the packet. */
#ifndef KANSHI_ENGINE_EVENT_H
#define KANSHI_ENGINE_EVENT_H

#include <stdint.h>

#include "anomaly.h"
#include "appinfo.h"
#include "packet.h"

typedef enum kn_flow_state {
    KN_FLOW_NEW = 0,
    KN_FLOW_ESTABLISHED,
    KN_FLOW_CLOSED,
} kn_flow_state_t;

/* Observer's view of a TCP session (RFC 9293 3.3.2 names, as Suricata logs them). */
typedef enum kn_tcp_state {
    KN_TCP_NONE = 0,
    KN_TCP_SYN_SENT,
    KN_TCP_SYN_RECV,
    KN_TCP_ESTABLISHED,
    KN_TCP_FIN_WAIT1,
    KN_TCP_FIN_WAIT2,
    KN_TCP_TIME_WAIT,
    KN_TCP_LAST_ACK,
    KN_TCP_CLOSE_WAIT,
    KN_TCP_CLOSING,
    KN_TCP_CLOSED,
    KN_TCP_STATE_MAX
} kn_tcp_state_t;

typedef enum kn_flow_end {
    KN_END_NONE = 0,
    KN_END_TIMEOUT,  /* idle past its timeout */
    KN_END_FORCED,   /* evicted to make room (memcap) */
    KN_END_SHUTDOWN, /* still active when the sensor stopped */
    KN_END_REUSE,    /* a new TCP connection took over the ports of a closed one */
} kn_flow_end_t;

#define KN_TOSERVER 0
#define KN_TOCLIENT 1

/* The outer layer of a tunnelled flow, as its first packet carried it. */
typedef struct kn_tunnel_info {
    uint8_t kind;  /* kn_tunnel_kind_t */
    uint8_t depth; /* 1 for the first tunnel layer */
    uint8_t ip_v;
    uint8_t proto;
    kn_addr_t src, dst;
    uint16_t sport, dport;
} kn_tunnel_info_t;

typedef struct kn_flow_info {
    uint64_t flow_id; /* below 2^51 */
    uint64_t parent_id; /* the flow that announced this one (FTP data), 0: none */
    kn_time_t start, last;
    /* oriented client -> server */
    kn_addr_t src, dst;
    uint16_t sp, dp;
    uint8_t ip_v;
    uint8_t proto;
    uint8_t vlan_n;
    uint16_t vlan[KN_MAX_VLAN];
    uint16_t iface;
    uint64_t pkts[2];  /* KN_TOSERVER, KN_TOCLIENT */
    uint64_t bytes[2];
    uint8_t state;     /* kn_flow_state_t */
    uint8_t end;       /* kn_flow_end_t, set when the flow ends */
    uint8_t tcp_session; /* 1 when the stream tracker follows this flow */
    uint8_t tcp_state; /* kn_tcp_state_t */
    uint8_t tcp_flags[2];
    uint8_t icmp_seen[2];
    uint8_t icmp_type[2], icmp_code[2];
    uint8_t alerted;
    uint8_t app_proto; /* kn_app_t once the app layer knows it, 0 (unknown) before */
    uint8_t app_proto_orig; /* what it was before STARTTLS or a tunnel took over, 0: none */
    uint8_t has_spi;
    uint32_t spi;
    uint8_t has_tunnel;
    kn_tunnel_info_t tunnel;
    char community_id[32]; /* "1:" + base64(sha1), NUL-terminated; "" when disabled */
} kn_flow_info_t;

typedef enum kn_event_type {
    KN_EV_FLOW = 0, /* a flow ended */
    KN_EV_ANOMALY,  /* a decode anomaly on one packet */
    KN_EV_ALERT,    /* a signature matched */
    KN_EV_APP,      /* an app-layer transaction is complete (or its flow ended) */
    KN_EV_FILE,     /* a file seen in a transaction was closed or cut short */
    KN_EV_FILE_DATA, /* bytes of an open file, in order (only with file_data_events) */
    KN_EV_MAX
} kn_event_type_t;

/* What an alert reports about its signature and the data that matched. */
typedef struct kn_alert_info {
    uint32_t sid, gid, rev;
    uint8_t action;   /* 0 alert, 1 pass, 2 drop, 3 reject (logged as "allowed" in IDS mode) */
    uint8_t severity; /* the rule's priority, or its classtype's */
    uint8_t target;   /* 0 none, 1 the source is the target, 2 the destination is */
    uint8_t to_server;
    uint8_t stream;   /* matched on reassembled stream data, not on the packet alone */
    const char *msg;
    const char *category; /* the classtype's description, or "" */
    const char *const *metadata; /* "key value" strings */
    uint16_t nmetadata;
    const uint8_t *payload; /* what was inspected: the packet payload or the stream window */
    uint32_t payload_len;
    /* the transaction the rule matched on, when it inspected app-layer data */
    uint8_t has_tx;
    uint8_t app;        /* kn_app_t of app_info */
    uint64_t tx_id;
    const void *app_info; /* kn_http_info_t, kn_dns_info_t ... as for an app event */
} kn_alert_info_t;

/* One app-layer transaction: info points at the struct of its protocol (appinfo.h):
 * KN_APP_HTTP kn_http_info_t, KN_APP_DNS kn_dns_info_t, KN_APP_TLS kn_tls_info_t,
 * KN_APP_SSH kn_ssh_info_t. */
typedef struct kn_app_event {
    uint8_t app;       /* kn_app_t (buffers.h names) */
    uint8_t to_server; /* the data that completed it went to the server */
    uint64_t tx_id;
    const void *info;
} kn_app_event_t;

typedef struct kn_file_event {
    uint8_t app; /* the protocol that carried it */
    uint8_t to_server; /* the file went to the server (eve then tells it client to server) */
    uint64_t tx_id;
    const void *app_info; /* that transaction, as in kn_app_event_t (may be NULL) */
    const kn_file_info_t *file;
    const uint8_t *data; /* KN_EV_FILE_DATA: the next bytes of the file (borrowed) */
    uint32_t len;
    uint8_t stored;      /* KN_EV_FILE: the sensor's file store kept it (set by the sensor) */
} kn_file_event_t;

typedef struct kn_event {
    kn_event_type_t type;
    kn_time_t ts;
    const kn_flow_info_t *flow; /* borrowed; NULL when the event has no flow */
    const kn_packet_t *pkt;     /* borrowed; NULL unless a packet triggered the event */
    union {
        struct {
            kn_anomaly_t id;
        } anomaly;
        kn_alert_info_t alert;
        kn_app_event_t app;
        kn_file_event_t file;
    } u;
} kn_event_t;

#endif
