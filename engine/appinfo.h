/* appinfo.h: what the application layer reports about a transaction, as the sensor reads it.
 *
 * One struct per protocol; an app event (event.h) points at one of them. Everything is
 * borrowed for the duration of the callback. Strings are byte ranges as they came off the wire
 * (not NUL-terminated, not validated as UTF-8: the writer escapes them); an absent field has
 * p == NULL, an empty one p != NULL and len 0. Field names follow Suricata's eve keys so the
 * mapping in the sensor stays one line per field. */
#ifndef KANSHI_ENGINE_APPINFO_H
#define KANSHI_ENGINE_APPINFO_H

#include <stdint.h>

/* Application protocols a rule or a buffer can name (Suricata's names; ours after them). */
#define KN_APP_LIST(X)                                                                             \
    X(NONE, "unknown")                                                                             \
    X(HTTP, "http")                                                                                \
    X(DNS, "dns")                                                                                  \
    X(TLS, "tls")                                                                                  \
    X(SSH, "ssh")                                                                                  \
    X(SMTP, "smtp")                                                                                \
    X(FTP, "ftp")                                                                                  \
    X(FTP_DATA, "ftp-data")                                                                        \
    X(SMB, "smb")                                                                                  \
    X(DCERPC, "dcerpc")                                                                            \
    X(IMAP, "imap")                                                                                \
    X(POP3, "pop3")                                                                                \
    X(QUIC, "quic")                                                                                \
    X(HTTP2, "http2")                                                                              \
    X(NTP, "ntp")                                                                                  \
    X(DHCP, "dhcp")                                                                                \
    X(SNMP, "snmp")                                                                                \
    X(SIP, "sip")                                                                                  \
    X(KRB5, "krb5")                                                                                \
    X(TFTP, "tftp")                                                                                \
    X(IKE, "ike")                                                                                  \
    X(NFS, "nfs")                                                                                  \
    X(RDP, "rdp")                                                                                  \
    X(RFB, "rfb")                                                                                  \
    X(MQTT, "mqtt")                                                                                \
    X(MODBUS, "modbus")                                                                            \
    X(DNP3, "dnp3")                                                                                \
    X(ENIP, "enip")                                                                                \
    X(TELNET, "telnet")                                                                            \
    X(BITTORRENT_DHT, "bittorrent-dht")                                                            \
    X(IRC, "irc")                                                                                  \
    X(BITTORRENT, "bittorrent")                                                                    \
    X(FAILED, "failed")

#define KN_APP_ENUM(id, name) KN_APP_##id,
typedef enum kn_app { KN_APP_LIST(KN_APP_ENUM) KN_APP_MAX } kn_app_t;
#undef KN_APP_ENUM

typedef struct kn_str {
    const uint8_t *p;
    uint32_t len;
} kn_str_t;

typedef struct kn_header {
    kn_str_t name, value;
} kn_header_t;

/* ---- HTTP/1.x (RFC 9112): one request and its response -------------------------------------- */
typedef struct kn_http_info {
    kn_str_t method, uri, protocol;           /* request line */
    kn_str_t host, user_agent, referer, xff;  /* request headers eve reports on their own */
    kn_str_t content_type, location;          /* response headers */
    kn_str_t resp_protocol, status_msg;       /* status line */
    uint16_t status;                          /* 0: no response (yet) */
    int32_t port;                             /* from the Host header, -1 when none */
    uint64_t req_body_len, resp_body_len;     /* body bytes as sent, before decompression;
                                                 chunk-size lines and CRLFs counted, trailer
                                                 not (libhtp's message length: eve "length") */
    const kn_header_t *req_headers, *resp_headers;
    uint16_t n_req_headers, n_resp_headers;
    uint8_t has_request, has_response;
} kn_http_info_t;

/* ---- DNS (RFC 1035 4.1): one message (Suricata logs a query and its response apart) -------- */
/* How a record's data is kept, and so how eve writes it (Suricata 8 "v3" dns object). */
enum {
    KN_DNS_RD_NONE = 0, /* not written (types Suricata does not decode) */
    KN_DNS_RD_TEXT,     /* rdata is text: an address, a decoded name, or NULL-record bytes */
    KN_DNS_RD_TXT,      /* rdata: the character-strings in wire form (length byte, bytes ...) */
    KN_DNS_RD_SOA,      /* rdata mname, rdata2 rname, num[] serial refresh retry expire minimum */
    KN_DNS_RD_SRV,      /* rdata target, num[] priority weight port */
    KN_DNS_RD_SSHFP,    /* rdata the fingerprint bytes, num[] algorithm, fingerprint type */
    KN_DNS_RD_OPT,      /* rdata the EDNS options in wire form (code, length, data ...) */
};

typedef struct kn_dns_rr {
    kn_str_t name; /* decoded dotted name, no trailing dot ("" for the root) */
    uint16_t type, class;
    uint32_t ttl;
    uint8_t kind;                  /* KN_DNS_RD_* (queries: NONE) */
    uint8_t name_truncated;        /* name cut at 1025 characters, as Suricata does */
    uint8_t rdata_truncated;       /* likewise for a name in rdata */
    kn_str_t rdata, rdata2;        /* see KN_DNS_RD_* */
    uint32_t num[5];
} kn_dns_rr_t;

typedef struct kn_dns_info {
    uint64_t tx_id;     /* the flow's transaction number (eve writes it inside "dns") */
    uint16_t id, flags; /* flags: the 16-bit header word after the id */
    uint8_t is_response;
    uint8_t opcode, rcode;
    const kn_dns_rr_t *queries, *answers, *authorities, *additionals;
    uint16_t n_queries, n_answers, n_authorities, n_additionals;
    uint8_t truncated; /* records were left out (the per-flow memory cap) */
} kn_dns_info_t;

/* Suricata's names of record types ("A", "AAAA" ...) and of response codes; NULL when it has
 * none (eve then writes the number). Static strings. */
const char *kn_dns_rrtype_name(unsigned type);
const char *kn_dns_rcode_name(unsigned rcode);

/* ---- TLS (RFC 8446, RFC 5246): the handshake of one connection ---------------------------- */
typedef struct kn_tls_info {
    uint16_t version;     /* the server's (supported_versions if present), 0 when unknown;
                             0x7f00 stands for the TLS 1.3 drafts before 16 (Suricata) */
    kn_str_t sni;
    kn_str_t subject, issuerdn, serial, fingerprint; /* server certificate, RFC 4514-ish text
                                                        as Suricata writes it; serial "AA:BB";
                                                        fingerprint sha1 "aa:bb:..." */
    int64_t notbefore, notafter;                      /* unix seconds; 0 when unknown */
    kn_str_t ja3, ja3_hash, ja3s, ja3s_hash, ja4;     /* text forms and md5 hex */
    const kn_str_t *client_alpns, *server_alpns;
    uint16_t n_client_alpns, n_server_alpns;
    const kn_str_t *certs; /* DER certificates of the server chain, leaf first (tls.certs) */
    uint16_t n_certs;
    uint8_t session_resumed; /* eve "session_resumed": resumed without a certificate, < 1.3 */
    uint8_t loggable; /* Suricata writes a "tls" event for it: a certificate was seen, or the
                         session was resumed, or the server chose TLS 1.3 (alerts always carry
                         the object) */
} kn_tls_info_t;

/* ---- SSH (RFC 4253 4.2, 7.1) -------------------------------------------------------------- */
typedef struct kn_ssh_side {
    kn_str_t proto_version, software_version; /* "2.0", "OpenSSH_9.2p1" */
    kn_str_t hassh, hassh_string;             /* md5 hex, and the string it hashes */
} kn_ssh_side_t;

typedef struct kn_ssh_info {
    kn_ssh_side_t client, server;
} kn_ssh_info_t;

/* ---- files (HTTP bodies, SMTP attachments, FTP-data) --------------------------------------- */
enum { KN_FILE_OPEN = 0, KN_FILE_CLOSED, KN_FILE_TRUNCATED };

typedef struct kn_pe_info { /* Zeek pe.log fields */
    uint16_t machine, subsystem;
    uint32_t compile_ts;
    kn_str_t os;
    uint8_t is_exe, is_64bit, uses_aslr, uses_dep, uses_code_integrity, uses_seh,
        has_import_table, has_export_table, has_cert_table, has_debug_data;
    const kn_str_t *section_names;
    uint16_t n_sections;
} kn_pe_info_t;

typedef struct kn_file_info {
    kn_str_t filename;
    kn_str_t magic; /* "" when libmagic is not used (the sensor fills it) */
    uint64_t size;
    uint32_t file_id;
    uint8_t state;  /* KN_FILE_* */
    uint8_t gaps;
    uint8_t has_hashes;
    uint8_t md5[16], sha1[20], sha256[32];
    const kn_pe_info_t *pe; /* NULL unless a PE executable */
    const uint8_t *head;    /* the first bytes, for libmagic */
    uint32_t head_len;
} kn_file_info_t;

#endif
