/* app_quic_private.h: what the QUIC parser's files share with each other and the unit tests
 * (engine only).
 *
 * app_quic.c reads packets and frames; app_quic_crypto.c removes the Initial packet protection,
 * whose keys anyone can derive from the client's first Destination Connection ID (RFC 9001
 * 5.2), with libcrypto only; app_quic_hello.c turns the TLS ClientHello or ServerHello carried
 * in CRYPTO frames into what Suricata logs (SNI, the extension list, JA3, and JA4 through
 * app_tls_fp.c's kn_tls_ja4), walking it with tls_hello.c as the TLS parser does. */
#ifndef KANSHI_ENGINE_APP_QUIC_PRIVATE_H
#define KANSHI_ENGINE_APP_QUIC_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "appinfo.h"

#define KN_QUIC_V1 0x00000001u
#define KN_QUIC_V2 0x6b3343cfu /* RFC 9369 3.1 */
#define KN_QUIC_CID_MAX 20     /* RFC 9000 17.2: connection ids of version 1 */
#define KN_QUIC_TAG_LEN 16     /* AEAD_AES_128_GCM tag */

typedef struct kn_quic_keys {
    uint8_t key[16], iv[12], hp[16];
} kn_quic_keys_t;

/* 1 when version's Initial packets can be opened here: 1, 2, drafts 23 to 34. */
int kn_quic_version_known(uint32_t version);

/* The Initial keys of one side (server 0: what the client sends, 1: the server) of a
 * connection whose client chose dcid first (RFC 9001 5.2, RFC 9369 3.3). Returns 0, or -1 for
 * an unknown version or a libcrypto failure. */
int kn_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, int server,
                         kn_quic_keys_t *out);

/* Opens one long-header packet pkt[0 .. end) whose packet number starts at pn_off: removes the
 * header protection (RFC 9001 5.4) and the AEAD (5.3). The plaintext goes to out (room for
 * end - pn_off bytes); returns its length, or -1 when the packet is too short or does not
 * authenticate. pkt itself is not modified. */
long kn_quic_open(const kn_quic_keys_t *k, const uint8_t *pkt, size_t pn_off, size_t end,
                  uint8_t *out);

/* A TLS hello as Suricata's QUIC logger reports it. Everything points into text (owned). */
typedef struct kn_quic_hello {
    uint8_t client;               /* a ClientHello (else a ServerHello) */
    kn_str_t sni, ja3, ja3_hash;  /* ja3 is the JA3S text for a ServerHello */
    char ja4[40];                 /* ClientHello only; "" otherwise */
    char ja3_md5[33];             /* ja3_hash points here */
    char *ja3_text;               /* ja3 points here */
    kn_quic_ext_t *exts;
    kn_str_t *values;
    uint16_t n_exts, n_values;
    char *text;
    size_t mem;                   /* bytes allocated */
} kn_quic_hello_t;

/* Decodes one whole handshake message (type, 3-byte length, body: RFC 8446 4). Returns 0, 1
 * when it is neither a ClientHello nor a ServerHello (nothing filled), or -1 when malformed or
 * out of memory. */
int kn_quic_hello_parse(const uint8_t *msg, uint32_t len, kn_quic_hello_t *h);

/* Frees what kn_quic_hello_parse allocated; safe on a zeroed struct. */
void kn_quic_hello_free(kn_quic_hello_t *h);

#endif
