/* app_tls_private.h: what app_tls.c shares with app_tls_cert.c, app_tls_fp.c (JA3, JA4), QUIC
 * and the unit tests (engine only); the hello walk itself is tls_hello.h.
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
#include "tls_hello.h"

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

/* JA3 and JA4 (app_tls_fp.c) over what tls_hello.c collects from a ClientHello. */
/* ids as decimal numbers joined by '-' (JA3's lists) */
void kn_tls_ids_text(kn_tls_sb_t *s, const uint16_t *v, unsigned n);
/* SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats (GREASE-free) */
void kn_tls_ja3_text(kn_tls_sb_t *s, uint16_t version, const kn_tls_chfp_t *fp);

/* The JA4 text of a ClientHello whose legacy_version is legacy; transport is 't' (TCP) or 'q'
 * (QUIC). */
void kn_tls_ja4(char transport, uint16_t legacy, const kn_tls_chfp_t *fp,
                char out[KN_TLS_JA4_LEN]);

#endif
