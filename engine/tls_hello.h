/* tls_hello.h: one bounded walk over a TLS ClientHello or ServerHello body (RFC 8446 4.1.2,
 * 4.1.3; RFC 5246 7.4.1.2, 7.4.1.3), for the TLS parser and for QUIC, whose Initial packets
 * carry the same message (RFC 9001 4.1.3). Engine only.
 *
 * Everything reads through a kn_cursor_t over the borrowed message, so no read passes the
 * length given. The two callers frame a few lists differently on purpose (TLS follows Suricata's
 * C parser, QUIC Suricata's Rust tls-parser), so the walk gives the pieces (fixed fields, the
 * extension list, length-prefixed lists and their entries) and the callers assemble them; what
 * both need identically, the JA3/JA4 input (kn_tls_chfp_t), is filled here. */
#ifndef KANSHI_ENGINE_TLS_HELLO_H
#define KANSHI_ENGINE_TLS_HELLO_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/* Extensions the walk and its callers look into (RFC 6066, RFC 7301, RFC 8446 4.2, RFC 8422). */
enum {
    KN_TLS_EXT_SERVER_NAME = 0, KN_TLS_EXT_SUPPORTED_GROUPS = 10,
    KN_TLS_EXT_EC_POINT_FORMATS = 11, KN_TLS_EXT_SIGNATURE_ALGORITHMS = 13, KN_TLS_EXT_ALPN = 16,
    KN_TLS_EXT_SESSION_TICKET = 35, KN_TLS_EXT_SUPPORTED_VERSIONS = 43,
};

/* The fixed part of a hello; pointers borrow the message. */
typedef struct kn_tls_hello {
    uint16_t version;        /* legacy_version */
    uint16_t cipher;         /* ServerHello: the chosen suite */
    const uint8_t *random;   /* 32 bytes */
    const uint8_t *sid;      /* legacy_session_id, sid_len bytes (not checked against 32) */
    const uint8_t *ciphers;  /* ClientHello: the list; ServerHello: the chosen suite's 2 bytes */
    const uint8_t *exts;     /* the extension block; NULL when the hello has none */
    uint8_t sid_len;
    uint16_t ciphers_len, exts_len;
} kn_tls_hello_t;

/* Reads the fixed fields of a hello body (after the 4-byte handshake header); client selects
 * the ClientHello layout. Returns 0, or -1 when a field runs past n or the cipher list has an
 * odd length. The extension block is optional before TLS 1.3; when present it must fit. */
int kn_tls_hello_parse(const uint8_t *b, uint32_t n, int client, kn_tls_hello_t *h);

/* Next extension of a block (RFC 8446 4.2): 1 with its type and a cursor over its body, 0 at
 * the end, -1 when the block is cut inside an extension. */
int kn_tls_ext_next(kn_cursor_t *c, uint16_t *type, kn_cursor_t *body);

/* 1 when the block p[0 .. n) frames whole into extensions. */
int kn_tls_exts_valid(const uint8_t *p, size_t n);

/* A list behind a length of lenbytes (1 or 2) bytes: *list covers it. Returns 0, or -1 (and an
 * empty *list) when the length does not fit in c. */
int kn_tls_list(kn_cursor_t *c, int lenbytes, kn_cursor_t *list);

/* Entries of lists: each returns 1 with the entry, 0 at the end of the list. */
int kn_tls_u16_next(kn_cursor_t *list, uint16_t *v); /* a trailing odd byte is no entry */
int kn_tls_alpn_next(kn_cursor_t *list, const uint8_t **p, uint8_t *len); /* RFC 7301 3.1 */

/* One ServerName (RFC 6066 3): name_type, then a 2-byte length and the name. Returns 1, 0 when
 * c is empty, or -1 when the entry is cut short; *type is set whenever a byte was there. */
int kn_tls_name_next(kn_cursor_t *c, uint8_t *type, const uint8_t **name, uint16_t *len);

/* What a ClientHello contributes to JA3 (salesforce/ja3) and JA4 (FoxIO JA4.md), GREASE (RFC
 * 8701) left out. */
#define KN_TLS_MAX_IDS 512
#define KN_TLS_JA4_LEN 40

typedef struct kn_tls_chfp {
    uint16_t ciphers[KN_TLS_MAX_IDS], exts[KN_TLS_MAX_IDS], groups[KN_TLS_MAX_IDS],
        sigalgs[KN_TLS_MAX_IDS];
    unsigned nciphers, nexts, ngroups, nsigalgs, npf, sni, max_version;
    uint8_t pf[256];
    const uint8_t *alpn1; /* the first ALPN protocol (borrows the message) */
    uint8_t alpn1_len;
} kn_tls_chfp_t;

/* RFC 8701 2: the GREASE values 0x0A0A, 0x1A1A ... 0xFAFA, left out of JA3 and JA4. */
static inline int kn_tls_is_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* Appends id to the list v of *n ids (at most KN_TLS_MAX_IDS), GREASE left out. */
static inline void kn_tls_fp_add(uint16_t *v, unsigned *n, uint16_t id)
{
    if (!kn_tls_is_grease(id) && *n < KN_TLS_MAX_IDS)
        v[(*n)++] = id;
}

/* Adds a ClientHello's cipher suites to fp. */
void kn_tls_fp_ciphers(kn_tls_chfp_t *fp, const kn_tls_hello_t *h);

/* Adds one extension of a ClientHello to fp: its type, and what JA3/JA4 take from its body
 * (read from a copy of the cursor). A list whose length does not fit is left out. */
void kn_tls_fp_ext(kn_tls_chfp_t *fp, uint16_t type, kn_cursor_t body);

#endif
