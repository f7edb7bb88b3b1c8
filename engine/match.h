/* match.h: running one buffer's match items (content, pcre, byte_*, isdataat, bsize, base64)
 * on a buffer (engine only). */
#ifndef KANSHI_ENGINE_MATCH_H
#define KANSHI_ENGINE_MATCH_H

#include <openssl/types.h>
#include <stdint.h>

#include "sig.h"

typedef struct kn_inspect_crypto kn_inspect_crypto_t; /* transform.c */

typedef struct kn_inspect {
    const uint8_t *buf;
    uint32_t len;
    uint32_t origin;  /* where absolute offsets count from: 0 for a packet, the first byte not
                       * inspected before for a stream window (Suricata's inspection chunk) */
    uint8_t stream;   /* a stream window: a match must end beyond origin */
    int64_t vars[KN_SIG_MAX_VARS];
    void *md;         /* pcre2_match_data, owned by the detection thread */
    uint32_t budget;  /* steps left: backtracking stops here */
    uint8_t *b64;     /* base64_decode output, read by base64_data */
    uint32_t b64_len, b64_cap;
    uint8_t *xf;      /* transform output */
    uint32_t xf_cap;
    kn_inspect_crypto_t *crypto; /* digests and base64 context, made on first use */
    uint32_t end;     /* where the last match ended (for the caller) */
} kn_inspect_t;

/* Whether the items of l match in ctx->buf. */
int kn_match_list(kn_inspect_t *ctx, const kn_smlist_t *l);

/* Applies the transforms of l to (buf, len) (transform.c); returns the buffer to inspect
 * (ctx->xf or buf), or NULL when the scratch cannot grow (the buffer is then not inspected). */
const uint8_t *kn_match_transform(kn_inspect_t *ctx, const kn_smlist_t *l, const uint8_t *buf,
                                  uint32_t *len);

/* The libcrypto objects of ctx (made on first use; NULL when memory is short), the base64
 * decoding context among them (NULL likewise), and the release of everything the items and
 * transforms allocated in ctx (transform.c). */
kn_inspect_crypto_t *kn_inspect_crypto(kn_inspect_t *ctx);
EVP_ENCODE_CTX *kn_inspect_b64_ctx(kn_inspect_t *ctx);
void kn_inspect_free(kn_inspect_t *ctx);

/* Finds needle in hay, optionally ignoring ASCII case; returns the offset or -1. */
int64_t kn_find(const uint8_t *hay, uint32_t hlen, const uint8_t *needle, uint32_t nlen,
                int nocase);

#endif
