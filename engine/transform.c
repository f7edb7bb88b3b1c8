/* transform.c: Suricata's transform keywords, applied to a buffer before its items run.
 *
 * Each transform writes into one half of the inspection context's scratch buffer and reads
 * the other, so a chain of transforms costs no allocation once the scratch has grown to the
 * largest buffer seen. Digests come from libcrypto, fetched once per inspection context. */
#include "match.h"
#include "hexfmt.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

typedef uint32_t (*kn_xform_fn)(const uint8_t *in, uint32_t len, uint8_t *out);

static uint32_t xf_lower(const uint8_t *in, uint32_t len, uint8_t *out)
{
    uint32_t i;

    for (i = 0; i < len; i++)
        out[i] = (uint8_t)tolower(in[i]);
    return len;
}

static uint32_t xf_upper(const uint8_t *in, uint32_t len, uint8_t *out)
{
    uint32_t i;

    for (i = 0; i < len; i++)
        out[i] = (uint8_t)toupper(in[i]);
    return len;
}

static uint32_t xf_strip_ws(const uint8_t *in, uint32_t len, uint8_t *out)
{
    uint32_t i, n = 0;

    for (i = 0; i < len; i++)
        if (!isspace(in[i]))
            out[n++] = in[i];
    return n;
}

/* Runs of white space become one space. */
static uint32_t xf_compress_ws(const uint8_t *in, uint32_t len, uint8_t *out)
{
    uint32_t i, n = 0;

    for (i = 0; i < len; i++)
        if (!isspace(in[i]) || !n || out[n - 1] != ' ')
            out[n++] = isspace(in[i]) ? ' ' : in[i];
    return n;
}

/* %XX to its byte and '+' to a space; a '%' without two hex digits stays as it is. */
static uint32_t xf_url_decode(const uint8_t *in, uint32_t len, uint8_t *out)
{
    uint32_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (in[i] == '%' && i + 2 < len && kn_hexval(in[i + 1]) >= 0 && kn_hexval(in[i + 2]) >= 0) {
            out[n++] = (uint8_t)(kn_hexval(in[i + 1]) << 4 | kn_hexval(in[i + 2]));
            i += 2;
        } else {
            out[n++] = in[i] == '+' ? ' ' : in[i];
        }
    }
    return n;
}

static uint32_t xf_dotprefix(const uint8_t *in, uint32_t len, uint8_t *out)
{
    out[0] = '.';
    memcpy(out + 1, in, len);
    return len + 1;
}

/* Header names (up to each line's first ':') lowercased, values kept. */
static uint32_t xf_header_lower(const uint8_t *in, uint32_t len, uint8_t *out)
{
    uint32_t i;
    int name = 1;

    for (i = 0; i < len; i++) {
        out[i] = name ? (uint8_t)tolower(in[i]) : in[i];
        if (in[i] == ':')
            name = 0;
        else if (in[i] == '\n')
            name = 1;
    }
    return len;
}

/* Lines starting with ':' (HTTP/2 pseudo headers) left out. */
static uint32_t xf_strip_pseudo(const uint8_t *in, uint32_t len, uint8_t *out)
{
    uint32_t i, n = 0;

    for (i = 0; i < len; i++) {
        uint32_t e = i;
        while (e < len && in[e] != '\n')
            e++;
        if (in[i] != ':') {
            memcpy(out + n, in + i, e - i + (e < len));
            n += e - i + (e < len);
        }
        i = e;
    }
    return n;
}

/* libcrypto objects of one inspection context, made on first use. OpenSSL 3 looks an algorithm
 * up in its provider store on every EVP_Digest(EVP_md5()) call (about half of the cost of
 * hashing a short buffer); a digest fetched once and a context reused avoid that. */
struct kn_inspect_crypto {
    EVP_MD *md[3]; /* md5, sha1, sha256 */
    EVP_MD_CTX *ctx;
    EVP_ENCODE_CTX *b64;
};

kn_inspect_crypto_t *kn_inspect_crypto(kn_inspect_t *c)
{
    static const char *const names[] = {"MD5", "SHA1", "SHA256"};
    kn_inspect_crypto_t *k = c->crypto;
    int i;

    if (k)
        return k;
    if (!(k = calloc(1, sizeof(*k))))
        return NULL;
    for (i = 0; i < 3; i++)
        k->md[i] = EVP_MD_fetch(NULL, names[i], NULL);
    k->ctx = EVP_MD_CTX_new();
    k->b64 = EVP_ENCODE_CTX_new();
    c->crypto = k;
    return k;
}

void kn_inspect_free(kn_inspect_t *c)
{
    kn_inspect_crypto_t *k = c->crypto;
    int i;

    if (k) {
        for (i = 0; i < 3; i++)
            EVP_MD_free(k->md[i]);
        EVP_MD_CTX_free(k->ctx);
        EVP_ENCODE_CTX_free(k->b64);
        free(k);
    }
    free(c->b64);
    free(c->xf);
    c->crypto = NULL;
    c->b64 = c->xf = NULL;
    c->b64_cap = c->xf_cap = 0;
}

EVP_ENCODE_CTX *kn_inspect_b64_ctx(kn_inspect_t *c)
{
    kn_inspect_crypto_t *k = kn_inspect_crypto(c);

    return k ? k->b64 : NULL;
}

/* to_md5, to_sha1, to_sha256 (which: 0, 1, 2); 0 bytes when libcrypto fails. */
static uint32_t xf_digest(kn_inspect_t *c, int which, const uint8_t *in, uint32_t len,
                          uint8_t *out)
{
    kn_inspect_crypto_t *k = kn_inspect_crypto(c);
    unsigned int dl = 0;

    if (!k || !k->md[which] || !k->ctx || EVP_DigestInit_ex(k->ctx, k->md[which], NULL) != 1 ||
        EVP_DigestUpdate(k->ctx, in, len) != 1 || EVP_DigestFinal_ex(k->ctx, out, &dl) != 1)
        return 0;
    return dl;
}

static const kn_xform_fn xforms[] = {
    [KN_XF_TO_LOWERCASE] = xf_lower,          [KN_XF_TO_UPPERCASE] = xf_upper,
    [KN_XF_STRIP_WHITESPACE] = xf_strip_ws,   [KN_XF_COMPRESS_WHITESPACE] = xf_compress_ws,
    [KN_XF_URL_DECODE] = xf_url_decode,       [KN_XF_DOTPREFIX] = xf_dotprefix,
    [KN_XF_HEADER_LOWERCASE] = xf_header_lower,
    [KN_XF_STRIP_PSEUDO_HEADERS] = xf_strip_pseudo,
};

const uint8_t *kn_match_transform(kn_inspect_t *c, const kn_smlist_t *l, const uint8_t *buf,
                                  uint32_t *len)
{
    /* each half holds the input plus a byte per transform (dotprefix), or a digest */
    uint32_t half = *len + KN_MAX_TRANSFORMS + 64, i;

    if (!l->nxforms)
        return buf;
    if (2 * half > c->xf_cap) {
        uint8_t *nb = realloc(c->xf, 2 * half);
        if (!nb)
            return NULL;
        c->xf = nb;
        c->xf_cap = 2 * half;
    }
    half = c->xf_cap / 2;
    for (i = 0; i < l->nxforms; i++) { /* ping-pong between the two halves */
        uint8_t *out = c->xf + (i % 2) * half;
        uint8_t xf = l->xforms[i];
        kn_xform_fn fn = xf < sizeof(xforms) / sizeof(xforms[0]) ? xforms[xf] : NULL;
        if (xf >= KN_XF_TO_MD5 && xf <= KN_XF_TO_SHA256)
            *len = xf_digest(c, xf - KN_XF_TO_MD5, buf, *len, out);
        else if (fn)
            *len = fn(buf, *len, out);
        else
            memcpy(out, buf, *len);
        buf = out;
    }
    return buf;
}
