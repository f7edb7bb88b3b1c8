/* packet.h: the decoded view of one packet.
 *
 * The decoder fills a kn_packet with offsets, addresses, ports and flags; it never copies
 * payload bytes, which stay borrowed from the capture buffer (or, for a reassembled fragment
 * train, from the defrag module's buffer) for the duration of one kn_engine_packet() call.
 * A tunnelled packet is decoded into a second kn_packet whose `parent` points to the outer
 * one, so each layer is tracked as its own flow and the outer layer stays visible. */
#ifndef KANSHI_ENGINE_PACKET_H
#define KANSHI_ENGINE_PACKET_H

#include <stdint.h>

#include "anomaly.h"

typedef int64_t kn_time_t; /* microseconds since the Unix epoch, in packet time */

#define KN_USEC 1000000LL
#define KN_MAX_VLAN 3
#define KN_MAX_ANOMALIES 8
#define KN_MAX_DEPTH 4 /* tunnel layers decoded below the outermost packet */

/* An IPv4 address sits in the first 4 bytes with the rest zero; ip_v tells which. */
typedef struct kn_addr {
    uint8_t b[16];
} kn_addr_t;

/* pcap LINKTYPE_* values the decoder understands (tcpdump.org/linktypes.html). */
enum {
    KN_LINK_NULL = 0,
    KN_LINK_ETHERNET = 1,
    KN_LINK_PPP = 9,
    KN_LINK_RAW = 101,
    KN_LINK_CHDLC = 104,
    KN_LINK_LOOP = 108,
    KN_LINK_SLL = 113,
    KN_LINK_NFLOG = 239,
    KN_LINK_IPV4 = 228,
    KN_LINK_IPV6 = 229,
    KN_LINK_SLL2 = 276,
};

/* What follows a header, so decoding can start (or resume, inside a tunnel) at any layer. */
typedef enum kn_layer {
    KN_L_NONE = 0,
    KN_L_ETHERNET,
    KN_L_IPV4,
    KN_L_IPV6,
    KN_L_IP, /* version nibble decides */
    KN_L_PPP,
} kn_layer_t;

/* Encapsulation that produced an inner packet; index into a name table in decode.c. */
typedef enum kn_tunnel_kind {
    KN_TUN_NONE = 0,
    KN_TUN_GRE,
    KN_TUN_ERSPAN,
    KN_TUN_VXLAN,
    KN_TUN_GENEVE,
    KN_TUN_TEREDO,
    KN_TUN_IPIP,
    KN_TUN_GTPU,
    KN_TUN_MAX
} kn_tunnel_kind_t;

enum {
    KN_PKT_TRUNCATED = 1u << 0,   /* snaplen cut the frame: payload is partial */
    KN_PKT_FRAGMENT = 1u << 1,    /* an IP fragment, handed to defrag, not to flows */
    KN_PKT_REASSEMBLED = 1u << 2, /* rebuilt from fragments */
    KN_PKT_BAD_CSUM = 1u << 3,    /* an IP or L4 checksum did not verify */
    KN_PKT_INVALID = 1u << 4,     /* decoding stopped on an error: no flow update */
    KN_PKT_ICMP_ERROR = 1u << 5,  /* ICMP error quoting an inner header */
    KN_PKT_HAS_L4 = 1u << 6,      /* sport/dport/tcp fields are valid */
    KN_PKT_ACCT_L3 = 1u << 7,     /* count bytes from the IP header (VXLAN inner frames) */
    KN_PKT_PSEUDO = 1u << 8,      /* made up at a flow's end to inspect its last stream data */
    KN_PKT_PROTO_DETECTED = 1u << 9, /* its flow's app protocol became known (or failed) here */
};

typedef struct kn_packet kn_packet_t;

struct kn_packet {
    kn_time_t ts;
    uint64_t pcap_cnt; /* 1-based position in the capture; 0 for pseudo packets */
    const uint8_t *data; /* borrowed: the bytes this layer's decoding starts at */
    uint32_t caplen;     /* bytes available at data */
    uint32_t wirelen;    /* bytes on the wire at data */
    int linktype;
    uint16_t iface;
    uint32_t flags;

    uint16_t vlan[KN_MAX_VLAN];
    uint8_t vlan_n;

    /* layer 3 */
    uint8_t ip_v;  /* 4, 6, or 0 when there is no IP layer */
    uint8_t proto; /* IP protocol of the transport layer */
    uint8_t ttl;
    uint8_t ipopts; /* bitmask of IPv4 options seen */
    kn_addr_t src, dst;
    const uint8_t *l3; /* start of the (innermost) IP header */
    uint32_t l3_hlen;  /* IPv4 header or IPv6 header + extension headers */
    uint32_t l3_len;   /* IP datagram length as captured (bounded by caplen) */
    uint16_t ip_id;
    uint16_t frag_off; /* in bytes */
    uint8_t frag_mf;
    uint32_t frag_id; /* IPv6 fragment identification */

    /* layer 4 */
    const uint8_t *l4;
    uint32_t l4_len; /* captured bytes from the L4 header on */
    uint16_t sport, dport;
    uint8_t tcp_flags;
    uint8_t tcp_hlen;
    uint32_t tcp_seq, tcp_ack;
    uint16_t tcp_win;
    uint8_t tcp_wscale; /* 0xff when absent */
    uint16_t tcp_mss;
    uint8_t icmp_type, icmp_code;
    uint16_t icmp_id, icmp_seq;
    /* the header an ICMP error quotes (KN_PKT_ICMP_ERROR): the packet that caused it */
    uint8_t q_proto;
    uint16_t q_sport, q_dport;
    uint32_t q_l4len; /* quoted bytes after the quoted IP header */
    kn_addr_t q_src, q_dst;
    uint32_t spi; /* ESP security parameters index (KN_PKT_HAS_L4 set) */
    int32_t acct_adj; /* added to caplen when counting flow bytes, as Suricata counts them */
    const uint8_t *payload;
    uint32_t payload_len;    /* captured payload bytes */
    uint32_t payload_wirelen; /* payload bytes the IP header announces */

    /* tunnelling */
    uint8_t depth; /* 0 outermost */
    uint8_t tunnel; /* kn_tunnel_kind_t that carried this packet (0 at depth 0) */
    const kn_packet_t *parent;
    kn_layer_t inner_layer; /* set when this packet carries a decodable inner packet */
    const uint8_t *inner;
    uint32_t inner_len;
    uint32_t inner_wire;
    uint8_t inner_tunnel; /* kn_tunnel_kind_t for the inner packet */
    uint16_t inner_vlan;  /* a VLAN id the tunnel header carries for the inner frame, or 0 */
    uint16_t inner_hdr;   /* tunnel header bytes Suricata counts with the inner packet */

    uint16_t anomalies[KN_MAX_ANOMALIES];
    uint8_t anomaly_n;
};

/* TCP header flags (RFC 9293 3.1). */
enum {
    KN_TH_FIN = 0x01,
    KN_TH_SYN = 0x02,
    KN_TH_RST = 0x04,
    KN_TH_PSH = 0x08,
    KN_TH_ACK = 0x10,
    KN_TH_URG = 0x20,
    KN_TH_ECE = 0x40,
    KN_TH_CWR = 0x80,
};

#endif
