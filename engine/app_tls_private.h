/* app_tls_private.h: what app_tls.c shares with app_tls_cert.c and the unit tests (engine only).
 *
 * The X.509 side of the TLS parser lives in its own file so that the record and handshake
 * state machine stays readable: certificates are decoded with libcrypto (d2i_X509), never by
 * hand, and turned into the text Suricata writes in eve (subject "C=US, O=..., CN=...",
 * serial "00:99:FA", sha1 fingerprint "33:67:a1"). */
#ifndef KANSHI_ENGINE_APP_TLS_PRIVATE_H
#define KANSHI_ENGINE_APP_TLS_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "anomaly.h"

#define KN_TLS_FP_LEN 60 /* 20 bytes as "aa:" each, NUL-terminated */

typedef struct kn_tls_cert {
    char *subject, *issuer, *serial; /* NUL-terminated; caller frees with kn_tls_cert_clear */
    char fingerprint[KN_TLS_FP_LEN];
    int64_t notbefore, notafter; /* unix seconds */
} kn_tls_cert_t;

/* Decodes one DER certificate (borrowed) into *out. Returns 0, or the anomaly that explains why
 * not (the DER does not parse, or a name or the validity is missing); *out is then empty. */
int kn_tls_cert_parse(const uint8_t *der, uint32_t len, kn_tls_cert_t *out);

/* Frees what kn_tls_cert_parse allocated; safe on a zeroed or already cleared struct. */
void kn_tls_cert_clear(kn_tls_cert_t *c);

/* A growing NUL-terminated string (JA3 text, certificate names); oom is sticky, so callers
 * check it once at the end. Text longer than KN_TLS_SB_MAX is cut there. Caller frees p. */
#define KN_TLS_SB_MAX 65536u

typedef struct kn_tls_sb {
    char *p;
    size_t len, cap;
    int oom;
} kn_tls_sb_t;

void kn_tls_sb_add(kn_tls_sb_t *s, const void *d, size_t n);
void kn_tls_sb_str(kn_tls_sb_t *s, const char *z);
/* n bytes as hex digit pairs, sep (or nothing when NULL) between them */
void kn_tls_sb_hex(kn_tls_sb_t *s, const uint8_t *d, size_t n, int upper, const char *sep);

/* The lower-case hex md5 (33 bytes with NUL) and truncated sha256 (13 bytes) that JA3 and JA4
 * use, through libcrypto's EVP. Return 0, or -1 when libcrypto fails. */

/* What a ClientHello contributes to JA3 (salesforce/ja3) and JA4 (FoxIO JA4.md), GREASE (RFC
 * 8701) left out; filled by app_tls.c and app_quic_hello.c. */
#define KN_TLS_MAX_IDS 512

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
#define KN_TLS_JA4_LEN 40

typedef struct kn_tls_chfp {
    uint16_t ciphers[KN_TLS_MAX_IDS], exts[KN_TLS_MAX_IDS], groups[KN_TLS_MAX_IDS],
        sigalgs[KN_TLS_MAX_IDS];
    unsigned nciphers, nexts, ngroups, nsigalgs, npf, sni, max_version;
    uint8_t pf[256];
    const uint8_t *alpn1; /* the first ALPN protocol */
    uint8_t alpn1_len;
} kn_tls_chfp_t;

/* The JA4 text of a ClientHello whose legacy_version is legacy; transport is 't' (TCP) or 'q'
 * (QUIC). */
void kn_tls_ja4(char transport, uint16_t legacy, const kn_tls_chfp_t *fp,
                char out[KN_TLS_JA4_LEN]);

#endif
