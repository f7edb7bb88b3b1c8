/* eve_private.h: what the eve writer's files share (eve.c, eve_alert.c); sensor only. */
#ifndef KANSHI_SENSOR_EVE_PRIVATE_H
#define KANSHI_SENSOR_EVE_PRIVATE_H

#include <json-c/json.h>

#include "eve.h"

#define FLOW_SHAPES 16384
#define TCP_SHAPES 512
#define SER_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
#define NEW_KEY (JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_KEY_IS_CONSTANT)

enum { CLS_PORTS = 0, CLS_ICMP = 1, CLS_OTHER = 2 };

typedef struct tcp_tpl {
    json_object *obj, *flags, *flags_ts, *flags_tc, *state;
} tcp_tpl_t;

typedef struct flow_tpl {
    json_object *root;
    json_object *ts, *flow_id, *parent_id, *iface, *vlan[KN_MAX_VLAN];
    json_object *src_ip, *src_port, *dest_ip, *dest_port, *ip_v, *proto;
    json_object *icmp_type, *icmp_code, *r_icmp_type, *r_icmp_code, *spi;
    json_object *t_src, *t_dst, *t_sport, *t_dport, *t_proto, *t_depth;
    json_object *pkts_ts, *pkts_tc, *bytes_ts, *bytes_tc, *start, *end, *age, *state, *reason,
        *alerted;
    json_object *cid, *app_proto, *app_proto_orig;
} flow_tpl_t;

#define MAX_IFACES 16

struct kn_eve {
    const kn_config_t *cfg;
    kn_output_t *out;
    int live;
    char *ifaces[MAX_IFACES]; /* the names as eve writes them (valid UTF-8, printable) */
    size_t n_ifaces;
    flow_tpl_t *flow_tpl[FLOW_SHAPES];
    tcp_tpl_t *tcp_tpl[TCP_SHAPES];
    uint64_t written[KN_EV_MAX];
    void *magic; /* libmagic's magic_t, NULL without a database (eve_file.c) */
    uint64_t stats_written;
};

/* The packet's tuple and common fields of a packet-triggered event of the given type. */
void kn_eve_packet_head(kn_eve_t *e, json_object *o, const kn_event_t *ev, const char *type);

/* Serializes o as one eve line. */
void kn_eve_write(kn_eve_t *e, json_object *o);

/* An alert event (eve_alert.c). */
void kn_eve_alert(kn_eve_t *e, const kn_event_t *ev);

/* "TCP", "UDP" ... or the number as text in buf (8 bytes). */
const char *kn_eve_proto_name(uint8_t proto, char *buf);

/* App-layer events (eve_app.c): the flow's tuple client to server; a transaction's event; the
 * object of one protocol's transaction (NULL for a protocol without one) and its key. */
void kn_eve_flow_head(kn_eve_t *e, json_object *o, const kn_event_t *ev, const char *type,
                      int reverse);
/* "flow_id", and "parent_id" for a flow another announced (FTP data), as Suricata */
void kn_eve_add_flow_ids(json_object *o, const kn_flow_info_t *fi);
/* The n bytes at b as a lower-case hex string, sep between bytes unless '\0'. */
json_object *kn_eve_hex(const uint8_t *b, size_t n, char sep);
/* "vlan": [..] when n > 0 */
void kn_eve_add_vlans(json_object *o, const uint16_t *vlan, uint8_t n);
/* src_ip/src_port (dest 0) or dest_ip/dest_port (dest 1); port < 0: none */
void kn_eve_add_endpoint(json_object *o, int dest, uint8_t ip_v, const kn_addr_t *a, int port);
void kn_eve_app(kn_eve_t *e, const kn_event_t *ev);
json_object *kn_eve_app_object(kn_eve_t *e, int app, const void *info);
const char *kn_eve_app_key(int app);

/* One protocol's object each (eve_http.c, eve_dns.c, eve_tls.c, eve_ssh.c); never NULL. */
json_object *kn_eve_http_object(kn_eve_t *e, const kn_http_info_t *info);
json_object *kn_eve_dns_object(kn_eve_t *e, const kn_dns_info_t *info);
json_object *kn_eve_tls_object(kn_eve_t *e, const kn_tls_info_t *info);
json_object *kn_eve_ssh_object(kn_eve_t *e, const kn_ssh_info_t *info);

/* Wire bytes as Suricata writes them (its string_from_bytes): valid UTF-8 as is, otherwise every
 * byte above 0x7f as the text \xHH; NULL as "". */
json_object *kn_eve_bytes(kn_str_t s);
/* Wire bytes as Rust's String::from_utf8_lossy turns them (Suricata's QUIC logger; TLS uses it
 * too): valid UTF-8 as is, each maximal invalid subpart as one U+FFFD. */
json_object *kn_eve_lossy(kn_str_t s);
/* key: kn_eve_bytes(v) when v is present; key: [..] when n > 0 */
void kn_eve_add_bytes(json_object *o, const char *key, kn_str_t v);
void kn_eve_add_bytes_list(json_object *o, const char *key, const kn_str_t *v, uint16_t n);

/* Files (eve_file.c): libmagic opened and closed with the writer; a fileinfo event; the
 * "fileinfo" object alone (alerts on files carry it too). */
void kn_eve_file_init(kn_eve_t *e);
void kn_eve_file_free(kn_eve_t *e);
void kn_eve_file(kn_eve_t *e, const kn_event_t *ev);
json_object *kn_eve_fileinfo_object(kn_eve_t *e, const kn_file_info_t *f, uint64_t tx_id,
                                    int stored);
json_object *kn_eve_smtp_object(kn_eve_t *e, const kn_smtp_info_t *info);
/* Suricata's "email" object beside "smtp" (NULL when the transaction carried no message) */
json_object *kn_eve_email_object(kn_eve_t *e, const kn_smtp_info_t *info);
json_object *kn_eve_ftp_object(kn_eve_t *e, const kn_ftp_info_t *info);
json_object *kn_eve_ftp_data_object(kn_eve_t *e, const kn_ftp_data_info_t *info);
/* Objects an app event carries beside its own (SMTP: "email"), for app, fileinfo and alert
 * records alike. */
void kn_eve_app_extra(kn_eve_t *e, json_object *o, int app, const void *info);
/* Wire bytes as a JSON string as Suricata writes them: valid UTF-8 as is, other bytes "\xNN"
 * (eve_ssh.c). */
json_object *kn_eve_quic_object(kn_eve_t *e, const kn_quic_info_t *info);
/* kanshi's own objects (docs/eve.md), and Suricata's bittorrent_dht */
json_object *kn_eve_irc_object(kn_eve_t *e, const kn_irc_info_t *info);
json_object *kn_eve_bittorrent_object(kn_eve_t *e, const kn_bittorrent_info_t *info);
json_object *kn_eve_bittorrent_dht_object(kn_eve_t *e, const kn_bt_dht_info_t *info);

#endif
