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
/* The other way (any case), for rules; -1 when the name is unknown. */
int kn_dns_rrtype_value(const char *name);
int kn_dns_rcode_value(const char *name);

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

/* ---- QUIC (RFC 9000, RFC 9001): one long-header packet, as Suricata 7 logs each -------------- */
typedef struct kn_quic_ext {
    uint16_t type;                   /* TLS extension type, in the hello's order */
    uint16_t n_values;
    const kn_str_t *values;          /* server names, ALPN protocols, supported versions
                                        ("Tls13"), signature algorithms (decimal) */
} kn_quic_ext_t;

typedef struct kn_quic_info {
    uint32_t version;                /* 0: version negotiation */
    uint8_t client;                  /* sent by the client: ja3 is JA3 (else JA3S) */
    kn_str_t sni;                    /* from the ClientHello completed by this packet */
    kn_str_t ja3, ja3_hash, ja4;     /* ja4 ("q13d...") is not written by default */
    const kn_quic_ext_t *exts;
    uint16_t n_exts;
} kn_quic_info_t;

/* Suricata's text of a QUIC version ("1", "ff00001d", "Q046") into buf (at least 9 bytes). */
const char *kn_quic_version_name(uint32_t version, char *buf, unsigned size);
/* Suricata's name of a TLS extension type in the quic object ("server_name"), or NULL. */
const char *kn_quic_ext_name(unsigned type);

/* ---- SMTP (RFC 5321) and the message it carries (RFC 5322, MIME RFC 2045/2046) ------------ */
enum { /* how far the message was parsed (eve email.status, Suricata's names) */
    KN_EMAIL_NONE = 0, /* no DATA content: eve writes no "email" object */
    KN_EMAIL_HEADER_STARTED,
    KN_EMAIL_HEADER_READY,
    KN_EMAIL_PARSE_DONE,
    KN_EMAIL_PARSE_ERROR,
    KN_EMAIL_HEADER_DONE,      /* the blank line after an entity's header fields */
    KN_EMAIL_BODY_STARTED,
    KN_EMAIL_BODY_END_BOUND,   /* a multipart's close delimiter */
};
enum { KN_EMAIL_URL_IPV4 = 1, KN_EMAIL_URL_IPV6 = 2, KN_EMAIL_URL_EXE = 4,
       KN_EMAIL_URL_OWN = 8 /* the entity reported has URLs of its own: eve writes has_* */ };

typedef struct kn_smtp_info {
    kn_str_t helo, mail_from;          /* command parameters ("<a@b>"), as sent */
    const kn_str_t *rcpt_to;
    uint16_t n_rcpt_to;
    uint8_t email_status;              /* KN_EMAIL_* */
    uint8_t url_flags;                 /* KN_EMAIL_URL_*, of the urls below */
    /* top-level header values, unfolded (CR LF removed); to and cc are whole lists */
    kn_str_t from, to, cc, bcc, reply_to, subject, date, message_id, x_mailer, user_agent;
    const kn_str_t *attachments, *urls; /* part file names; URLs found in text parts */
    uint16_t n_attachments, n_urls;
} kn_smtp_info_t;

/* ---- FTP control channel (RFC 959, RFC 2428): one command and its reply --------------------- */
typedef struct kn_ftp_info {
    kn_str_t command;          /* upper-case name from the command table; empty: no command
                                  (the server's banner, or replies nobody asked for) */
    kn_str_t command_data;     /* what follows the command and one space, CR LF stripped */
    const kn_str_t *replies;   /* complete reply lines as they came in one segment each,
                                  CR LF between lines (eve splits them as Suricata) */
    uint16_t n_replies;
    uint16_t dynamic_port;     /* data port from PORT/EPRT/PASV/EPSV, 0 when none */
    uint8_t has_data;          /* command_data is present */
    uint8_t command_truncated, reply_truncated;
    uint8_t reply_received;    /* a final (non-1xx) reply completed the transaction */
    uint8_t port_cmd;          /* PORT or EPRT: eve writes "mode" */
    uint8_t active;            /* the port was accepted (mode active) */
} kn_ftp_info_t;

/* An ftp-data connection: the file name and command of the control transaction it serves. */
typedef struct kn_ftp_data_info {
    kn_str_t filename, command; /* "RETR" / "STOR" ... */
} kn_ftp_data_info_t;

/* ---- IRC (RFC 2812 2.3): one message that matters, with the session it belongs to --------- */
typedef struct kn_irc_info {
    uint8_t from_server;               /* a server line (a reply, or a message relayed) */
    kn_str_t prefix, command;          /* "nick!user@host" (absent on most client lines),
                                          "PRIVMSG", "332" */
    kn_str_t nick, user, realname;     /* the session so far: the client's NICK (or the one
                                          001 confirmed), USER's username and real name */
    kn_str_t text;                     /* the trailing text of PRIVMSG, NOTICE, TOPIC, 332,
                                          QUIT, PART, KICK, ERROR (bounded: text_truncated) */
    kn_str_t ctcp;                     /* the CTCP command at the start of text: "DCC" */
    const kn_str_t *targets, *channels, *keys, *names, *params;
    uint16_t n_targets, n_channels, n_keys, n_names, n_params;
    uint8_t text_truncated, line_truncated, names_truncated;
} kn_irc_info_t;

/* ---- BitTorrent peer wire (BEP 3 handshake, BEP 10 extension handshake): one connection ---- */
enum { /* reserved-byte extension bits (BEP 4) */
    KN_BT_EXT_AZUREUS = 1u << 0,   /* byte 0 0x80: Azureus messaging */
    KN_BT_EXT_LTEP = 1u << 1,      /* byte 5 0x10: extension protocol (BEP 10) */
    KN_BT_EXT_DHT = 1u << 2,       /* byte 7 0x01: DHT (BEP 5) */
    KN_BT_EXT_FAST = 1u << 3,      /* byte 7 0x04: fast extension (BEP 6) */
    KN_BT_EXT_NAT = 1u << 4,       /* byte 7 0x08: NAT traversal (libtorrent) */
    KN_BT_EXT_V2 = 1u << 5,        /* byte 7 0x10: hybrid v2 upgrade (BEP 52) */
    KN_BT_EXT_COUNT = 6
};

typedef struct kn_bt_side {
    kn_str_t peer_id;               /* 20 bytes; p NULL when this side's handshake was not seen */
    kn_str_t reserved;              /* the 8 reserved bytes */
    unsigned extensions;            /* KN_BT_EXT_* */
    kn_str_t client, client_version; /* from the peer id's conventions: "uTorrent", "3.5.5" */
    kn_str_t ext_client;            /* the BEP 10 handshake's "v": "uTorrent 3.5.5" */
} kn_bt_side_t;

/* A Local Service Discovery announce (BEP 14 "BT-SEARCH"): one datagram. */
typedef struct kn_bt_lsd {
    kn_str_t host, cookie;          /* header values as sent; p NULL: absent */
    int32_t port;                   /* the announced peer port, -1: absent or not a port */
    const uint8_t *info_hashes;     /* n_info_hashes x 20 bytes, decoded from the hex */
    uint32_t n_info_hashes;
} kn_bt_lsd_t;

typedef struct kn_bittorrent_info {
    kn_str_t info_hash;             /* 20 bytes, from the first handshake seen */
    uint8_t info_hash_mismatch;     /* the other side named another torrent */
    uint8_t utp;                    /* the peer wire ran over uTP (BEP 29), not TCP */
    uint8_t mse;                    /* a handshake came in the clear after an MSE key exchange */
    kn_bt_side_t client, server;
    const kn_bt_lsd_t *lsd;         /* an LSD announce, not a peer connection; NULL otherwise */
} kn_bittorrent_info_t;

/* "dht", "fast" ... for one KN_BT_EXT_* bit; NULL for another value. Static strings. */
const char *kn_bt_extension_name(unsigned bit);

/* ---- BitTorrent DHT (BEP 5 KRPC): one message, as Suricata 7 logs it ---------------------- */
typedef struct kn_bt_dht_info {
    kn_str_t transaction_id, client_version; /* "t" ("" when missing), "v" (p NULL: absent) */
    kn_str_t request_type;                   /* "q" of a query */
    uint8_t has_request, has_response, has_error;
    struct {
        kn_str_t id, target, info_hash, token; /* p NULL: absent */
        int32_t implied_port, port;            /* -1: absent */
    } request;
    struct {
        kn_str_t id, token;
        kn_str_t nodes, nodes6; /* compact node info: 26-byte (IPv4) / 38-byte (IPv6) items,
                                   id then address then port; a shorter remainder is ignored */
        const kn_str_t *values; /* compact peer info: address then port, IPv6 when 18 bytes
                                   or more, else IPv4 (at least 6 bytes) */
        uint16_t n_values;
    } response;
    struct {
        uint16_t num;
        kn_str_t msg; /* valid UTF-8 */
    } error;
} kn_bt_dht_info_t;

/* ---- files (HTTP bodies, SMTP attachments, FTP-data): engine/file.h ------------------------ */
enum { KN_FILE_OPEN = 0, KN_FILE_CLOSED, KN_FILE_TRUNCATED };
enum { KN_FILE_EXE_NONE = 0, KN_FILE_EXE_PE, KN_FILE_EXE_ELF }; /* by content */

/* A PE's headers as Zeek's pe.log reports them (engine/pe.c); the sensor names the numbers
 * (machine "I386", subsystem "WINDOWS_GUI", os "Windows XP" ...) as Zeek does. */
typedef struct kn_pe_info {
    uint16_t machine;         /* IMAGE_FILE_HEADER.Machine */
    uint32_t compile_ts;      /* TimeDateStamp, unix seconds */
    uint8_t is_exe;           /* has an optional header (Zeek: not an object file) */
    uint8_t is_64bit;         /* Zeek: the 32BIT_MACHINE characteristic is absent */
    uint8_t has_opt;          /* the optional header was read: the fields below are set */
    uint16_t os_major, os_minor, subsystem;
    uint8_t uses_aslr, uses_dep, uses_code_integrity, uses_seh;
    uint8_t has_import_table, has_export_table, has_cert_table, has_debug_data;
    const kn_str_t *section_names; /* up to the first NUL of each 8-byte name */
    uint16_t n_sections;
} kn_pe_info_t;

typedef struct kn_file_info {
    kn_str_t filename;
    uint64_t size;      /* bytes of the file so far, gaps included */
    uint32_t file_id;   /* 1, 2 ... in its transaction */
    uint8_t state;      /* KN_FILE_* */
    uint8_t gaps;
    uint8_t has_md5, has_sha1, has_sha256; /* what Suricata reports for the state */
    uint8_t md5[16], sha1[20], sha256[32];
    uint8_t exe;            /* KN_FILE_EXE_* */
    const kn_pe_info_t *pe; /* NULL unless a PE whose headers were all seen */
    const uint8_t *head;    /* the first bytes (up to KN_FILE_HEAD_MAX), for libmagic */
    uint32_t head_len;
} kn_file_info_t;

#endif
