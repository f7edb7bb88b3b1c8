/* buffers.h: every buffer a rule can inspect, in one table (engine only).
 *
 * A rule names a buffer with a sticky-buffer keyword (`http.uri;`), a legacy content modifier
 * (`content:"x"; http_uri;`) or a legacy sticky name (`dns_query;`); all three resolve to one
 * id here. The app layer fills the protocol buffers; until it does they are simply absent, so
 * rules on them load and wait. Adding a buffer is one row.
 *
 * X(id, name, legacy sticky name or NULL, legacy content modifier or NULL, app, direction) */
#ifndef KANSHI_ENGINE_BUFFERS_H
#define KANSHI_ENGINE_BUFFERS_H

#include <stdint.h>

#include "appinfo.h"

enum { KN_BDIR_ANY = 0, KN_BDIR_TOSERVER, KN_BDIR_TOCLIENT };

#define KN_BUFFER_LIST(X)                                                                          \
    X(PAYLOAD, "payload", NULL, NULL, NONE, ANY)                                                   \
    X(HTTP_URI, "http.uri", "http_uri", "http_uri", HTTP, TOSERVER)                                \
    X(HTTP_URI_RAW, "http.uri.raw", "http_raw_uri", "http_raw_uri", HTTP, TOSERVER)                \
    X(HTTP_METHOD, "http.method", "http_method", "http_method", HTTP, TOSERVER)                    \
    X(HTTP_PROTOCOL, "http.protocol", "http_protocol", NULL, HTTP, ANY)                            \
    X(HTTP_REQUEST_LINE, "http.request_line", "http_request_line", NULL, HTTP, TOSERVER)           \
    X(HTTP_HOST, "http.host", "http_host", "http_host", HTTP, TOSERVER)                            \
    X(HTTP_HOST_RAW, "http.host.raw", "http_raw_host", "http_raw_host", HTTP, TOSERVER)            \
    X(HTTP_USER_AGENT, "http.user_agent", "http_user_agent", "http_user_agent", HTTP, TOSERVER)    \
    X(HTTP_HEADER, "http.header", "http_header", "http_header", HTTP, ANY)                         \
    X(HTTP_HEADER_RAW, "http.header.raw", "http_raw_header", "http_raw_header", HTTP, ANY)         \
    X(HTTP_HEADER_NAMES, "http.header_names", "http_header_names", NULL, HTTP, ANY)                \
    X(HTTP_REQUEST_HEADER, "http.request_header", NULL, NULL, HTTP, TOSERVER)                      \
    X(HTTP_RESPONSE_HEADER, "http.response_header", NULL, NULL, HTTP, TOCLIENT)                    \
    X(HTTP_COOKIE, "http.cookie", "http_cookie", "http_cookie", HTTP, ANY)                         \
    X(HTTP_ACCEPT, "http.accept", "http_accept", NULL, HTTP, TOSERVER)                             \
    X(HTTP_ACCEPT_ENC, "http.accept_enc", "http_accept_enc", NULL, HTTP, TOSERVER)                 \
    X(HTTP_ACCEPT_LANG, "http.accept_lang", "http_accept_lang", NULL, HTTP, TOSERVER)              \
    X(HTTP_CONNECTION, "http.connection", "http_connection", NULL, HTTP, ANY)                      \
    X(HTTP_REFERER, "http.referer", "http_referer", NULL, HTTP, TOSERVER)                          \
    X(HTTP_CONTENT_TYPE, "http.content_type", "http_content_type", NULL, HTTP, ANY)                \
    X(HTTP_CONTENT_LEN, "http.content_len", "http_content_len", NULL, HTTP, ANY)                   \
    X(HTTP_START, "http.start", "http_start", NULL, HTTP, ANY)                                     \
    X(HTTP_REQUEST_BODY, "http.request_body", "http_client_body", "http_client_body", HTTP,        \
      TOSERVER)                                                                                    \
    X(HTTP_STAT_CODE, "http.stat_code", "http_stat_code", "http_stat_code", HTTP, TOCLIENT)        \
    X(HTTP_STAT_MSG, "http.stat_msg", "http_stat_msg", "http_stat_msg", HTTP, TOCLIENT)            \
    X(HTTP_RESPONSE_LINE, "http.response_line", "http_response_line", NULL, HTTP, TOCLIENT)       \
    X(HTTP_RESPONSE_BODY, "http.response_body", "http_server_body", "http_server_body", HTTP,      \
      TOCLIENT)                                                                                    \
    X(HTTP_SERVER, "http.server", "http_server", NULL, HTTP, TOCLIENT)                             \
    X(HTTP_LOCATION, "http.location", "http_location", NULL, HTTP, TOCLIENT)                       \
    X(FILE_DATA, "file.data", "file_data", NULL, NONE, ANY)                                        \
    X(FILE_NAME, "file.name", "file_name", NULL, NONE, ANY)                                        \
    X(DNS_QUERY, "dns.query", "dns_query", NULL, DNS, TOSERVER)                                    \
    X(TLS_SNI, "tls.sni", "tls_sni", NULL, TLS, TOSERVER)                                          \
    X(TLS_CERT_SUBJECT, "tls.cert_subject", "tls_cert_subject", NULL, TLS, TOCLIENT)               \
    X(TLS_CERT_ISSUER, "tls.cert_issuer", "tls_cert_issuer", NULL, TLS, TOCLIENT)                  \
    X(TLS_CERT_SERIAL, "tls.cert_serial", "tls_cert_serial", NULL, TLS, TOCLIENT)                  \
    X(TLS_CERT_FINGERPRINT, "tls.cert_fingerprint", "tls_cert_fingerprint", NULL, TLS, TOCLIENT)   \
    X(TLS_CERTS, "tls.certs", NULL, NULL, TLS, TOCLIENT)                                           \
    X(TLS_RANDOM, "tls.random", NULL, NULL, TLS, ANY)                                              \
    X(TLS_RANDOM_TIME, "tls.random_time", NULL, NULL, TLS, ANY)                                    \
    X(TLS_RANDOM_BYTES, "tls.random_bytes", NULL, NULL, TLS, ANY)                                  \
    X(JA3_HASH, "ja3.hash", "ja3_hash", NULL, TLS, TOSERVER)                                       \
    X(JA3_STRING, "ja3.string", "ja3_string", NULL, TLS, TOSERVER)                                 \
    X(JA3S_HASH, "ja3s.hash", "ja3s_hash", NULL, TLS, TOCLIENT)                                    \
    X(JA3S_STRING, "ja3s.string", "ja3s_string", NULL, TLS, TOCLIENT)                              \
    X(JA4_HASH, "ja4.hash", NULL, NULL, TLS, TOSERVER)                                             \
    X(SSH_PROTO, "ssh.proto", "ssh_proto", NULL, SSH, ANY)                                         \
    X(SSH_SOFTWARE, "ssh.software", "ssh_software", NULL, SSH, ANY)                                \
    X(SSH_HASSH, "ssh.hassh", NULL, NULL, SSH, TOSERVER)                                           \
    X(SSH_HASSH_SERVER, "ssh.hassh.server", NULL, NULL, SSH, TOCLIENT)                             \
    X(SSH_HASSH_STRING, "ssh.hassh.string", NULL, NULL, SSH, TOSERVER)                             \
    X(SSH_HASSH_SERVER_STRING, "ssh.hassh.server.string", NULL, NULL, SSH, TOCLIENT)               \
    X(QUIC_SNI, "quic.sni", NULL, NULL, QUIC, TOSERVER)                                            \
    X(QUIC_VERSION, "quic.version", NULL, NULL, QUIC, ANY)                                         \
    X(SMTP_HELO, "smtp.helo", NULL, NULL, SMTP, TOSERVER)                                          \
    X(SMTP_MAIL_FROM, "smtp.mail_from", NULL, NULL, SMTP, TOSERVER)                                \
    X(SMTP_RCPT_TO, "smtp.rcpt_to", NULL, NULL, SMTP, TOSERVER)                                    \
    X(BASE64_DATA, "base64_data", NULL, NULL, NONE, ANY)                                           \
    X(IPV4_HDR, "ipv4.hdr", NULL, NULL, NONE, ANY)                                                 \
    X(IPV6_HDR, "ipv6.hdr", NULL, NULL, NONE, ANY)                                                 \
    X(TCP_HDR, "tcp.hdr", NULL, NULL, NONE, ANY)                                                   \
    X(UDP_HDR, "udp.hdr", NULL, NULL, NONE, ANY)                                                   \
    X(ICMPV4_HDR, "icmpv4.hdr", NULL, NULL, NONE, ANY)                                             \
    X(ICMPV6_HDR, "icmpv6.hdr", NULL, NULL, NONE, ANY)

#define KN_BUF_ENUM(id, name, sticky, modifier, app, dir) KN_BUF_##id,
typedef enum kn_buf { KN_BUFFER_LIST(KN_BUF_ENUM) KN_BUF_MAX } kn_buf_t;
#undef KN_BUF_ENUM

typedef struct kn_buffer_info {
    const char *name;     /* "http.uri" */
    const char *sticky;   /* legacy sticky buffer name, or NULL */
    const char *modifier; /* legacy content modifier, or NULL */
    uint8_t app;          /* kn_app_t the buffer belongs to */
    uint8_t dir;          /* KN_BDIR_* */
} kn_buffer_info_t;

const kn_buffer_info_t *kn_buffer_info(kn_buf_t b);

/* 1 when the buffer comes in instances a rule matches one at a time (as Suricata's multi
 * buffers: http.request_header is each "Name: value" line on its own). */
int kn_buffer_multi(kn_buf_t b);

/* The buffer a sticky keyword (new or legacy name) selects, or -1. */
int kn_buffer_by_sticky(const char *name);

/* The buffer a legacy content modifier (`http_uri`) puts the previous content in, or -1. */
int kn_buffer_by_modifier(const char *name);

/* Application protocol by name ("http", "http1", "tls" ...), or -1. */
int kn_app_by_name(const char *name);
const char *kn_app_name(int app);

#endif
