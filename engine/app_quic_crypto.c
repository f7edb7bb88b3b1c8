/* app_quic_crypto.c: QUIC Initial packet protection (RFC 9001 5), all of it through libcrypto.
 *
 * Initial packets are encrypted with keys derived from public values only: the version's
 * salt and the Destination Connection ID the client put in its first Initial packet (RFC 9001
 * 5.2). HKDF-Extract and HKDF-Expand-Label (RFC 8446 7.1) run on OpenSSL's HKDF KDF, header
 * protection is AES-128 in ECB mode over a 16-byte sample (RFC 9001 5.4.3), and the payload
 * is AEAD_AES_128_GCM with the packet number XORed into the IV (5.3). Version 2 (RFC 9369
 * 3.3) has its own salt and "quicv2 " labels; the drafts 23 to 34 have the draft salts. */
#include "app_quic_private.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <string.h>

#define SECRET_LEN 32 /* SHA-256 */
#define SAMPLE_LEN 16
#define PN_MAX 4

typedef struct version_params {
    uint8_t salt[20];
    const char *key, *iv, *hp; /* HKDF-Expand-Label labels */
} version_params_t;

/* RFC 9001 5.2 */
static const version_params_t v1 = {
    {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
     0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a},
    "quic key", "quic iv", "quic hp"};
/* RFC 9369 3.3.1 and 3.3.2 */
static const version_params_t v2 = {
    {0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
     0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9},
    "quicv2 key", "quicv2 iv", "quicv2 hp"};
/* draft-ietf-quic-tls-29 5.2 (drafts 29 to 34) */
static const version_params_t d29 = {
    {0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
     0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99},
    "quic key", "quic iv", "quic hp"};
/* draft-ietf-quic-tls-23 5.2 (drafts 23 to 28) */
static const version_params_t d23 = {
    {0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
     0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02},
    "quic key", "quic iv", "quic hp"};

static const version_params_t *params_of(uint32_t version)
{
    if (version == KN_QUIC_V1)
        return &v1;
    if (version == KN_QUIC_V2)
        return &v2;
    if (version >= 0xff00001du && version <= 0xff000022u)
        return &d29;
    if (version >= 0xff000017u && version <= 0xff00001cu)
        return &d23;
    return NULL;
}

int kn_quic_version_known(uint32_t version)
{
    return params_of(version) != NULL;
}

/* One HKDF step with SHA-256: mode EXTRACT_ONLY (key = ikm, salt) or EXPAND_ONLY (key = prk,
 * info). */
static int hkdf(int mode, const uint8_t *key, size_t key_len, const uint8_t *salt_or_info,
                size_t sl, uint8_t *out, size_t out_len)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    OSSL_PARAM p[5];
    int rc = -1;

    if (ctx) {
        p[0] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
        p[1] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
        p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, key_len);
        p[3] = OSSL_PARAM_construct_octet_string(mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY
                                                     ? OSSL_KDF_PARAM_SALT
                                                     : OSSL_KDF_PARAM_INFO,
                                                 (void *)salt_or_info, sl);
        p[4] = OSSL_PARAM_construct_end();
        rc = EVP_KDF_derive(ctx, out, out_len, p) > 0 ? 0 : -1;
    }
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    return rc;
}

/* RFC 8446 7.1 HKDF-Expand-Label with an empty context: the info is the HkdfLabel struct
 * (uint16 length, "tls13 " + label as an opaque<7..255>, an empty opaque context). */
static int expand_label(const uint8_t *secret, const char *label, uint8_t *out, size_t len)
{
    uint8_t info[2 + 1 + 255 + 1];
    size_t ll = strlen(label), n = 0;

    if (6 + ll > 255)
        return -1;
    info[n++] = (uint8_t)(len >> 8);
    info[n++] = (uint8_t)len;
    info[n++] = (uint8_t)(6 + ll);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, ll);
    n += ll;
    info[n++] = 0;
    return hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, SECRET_LEN, info, n, out, len);
}

int kn_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, int server,
                         kn_quic_keys_t *out)
{
    const version_params_t *vp = params_of(version);
    uint8_t initial[SECRET_LEN], side[SECRET_LEN];
    int rc;

    if (!vp || dcid_len > KN_QUIC_CID_MAX)
        return -1;
    rc = hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, dcid, dcid_len, vp->salt, sizeof(vp->salt),
              initial, sizeof(initial));
    if (!rc)
        rc = expand_label(initial, server ? "server in" : "client in", side, sizeof(side));
    if (!rc)
        rc = expand_label(side, vp->key, out->key, sizeof(out->key));
    if (!rc)
        rc = expand_label(side, vp->iv, out->iv, sizeof(out->iv));
    if (!rc)
        rc = expand_label(side, vp->hp, out->hp, sizeof(out->hp));
    OPENSSL_cleanse(initial, sizeof(initial));
    OPENSSL_cleanse(side, sizeof(side));
    return rc;
}

/* RFC 9001 5.4.3: mask = AES-ECB(hp, sample). */
static int hp_mask(const uint8_t hp[16], const uint8_t *sample, uint8_t mask[16])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0, ok;

    ok = c && EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, hp, NULL) > 0 &&
         EVP_CIPHER_CTX_set_padding(c, 0) > 0 &&
         EVP_EncryptUpdate(c, mask, &n, sample, SAMPLE_LEN) > 0 && n == SAMPLE_LEN;
    EVP_CIPHER_CTX_free(c);
    return ok ? 0 : -1;
}

/* RFC 9001 5.3: AEAD_AES_128_GCM over ct with the header (in two pieces: the unprotected
 * first byte and packet number, the rest as sent) as associated data. */
typedef struct aead_in {
    const uint8_t *hdr_mid; /* bytes 1 .. pn_off of the header */
    size_t mid_len;
    uint8_t first, pn[PN_MAX];
    size_t pn_len;
    const uint8_t *ct, *tag;
    size_t ct_len;
} aead_in_t;

static long aead_open(const kn_quic_keys_t *k, const uint8_t nonce[12], const aead_in_t *a,
                      uint8_t *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0, fin = 0, ok;

    ok = c && EVP_DecryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL) > 0 &&
         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) > 0 &&
         EVP_DecryptInit_ex(c, NULL, NULL, k->key, nonce) > 0 &&
         EVP_DecryptUpdate(c, NULL, &n, &a->first, 1) > 0 &&
         EVP_DecryptUpdate(c, NULL, &n, a->hdr_mid, (int)a->mid_len) > 0 &&
         EVP_DecryptUpdate(c, NULL, &n, a->pn, (int)a->pn_len) > 0 &&
         EVP_DecryptUpdate(c, out, &n, a->ct, (int)a->ct_len) > 0 &&
         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, KN_QUIC_TAG_LEN, (void *)a->tag) > 0 &&
         EVP_DecryptFinal_ex(c, out + n, &fin) > 0;
    EVP_CIPHER_CTX_free(c);
    return ok ? (long)n + fin : -1;
}

long kn_quic_open(const kn_quic_keys_t *k, const uint8_t *pkt, size_t pn_off, size_t end,
                  uint8_t *out)
{
    uint8_t mask[16], nonce[12];
    aead_in_t a;
    uint64_t pn = 0;
    size_t i;

    /* the sample starts 4 bytes after the packet number's start, whatever its length */
    if (pn_off < 1 || end < pn_off || end - pn_off < PN_MAX + SAMPLE_LEN ||
        hp_mask(k->hp, pkt + pn_off + PN_MAX, mask))
        return -1;
    a.first = (uint8_t)(pkt[0] ^ (mask[0] & 0x0f)); /* long header: 4 bits protected */
    a.pn_len = (size_t)(a.first & 3) + 1;
    for (i = 0; i < a.pn_len; i++) {
        a.pn[i] = (uint8_t)(pkt[pn_off + i] ^ mask[1 + i]);
        pn = pn << 8 | a.pn[i];
    }
    if (end - pn_off - a.pn_len < KN_QUIC_TAG_LEN)
        return -1;
    a.hdr_mid = pkt + 1;
    a.mid_len = pn_off - 1;
    a.ct = pkt + pn_off + a.pn_len;
    a.ct_len = end - pn_off - a.pn_len - KN_QUIC_TAG_LEN;
    a.tag = a.ct + a.ct_len;
    /* RFC 9001 5.3: the nonce is the IV XOR the packet number, left-padded. Initial packet
     * numbers are small, so the truncated number is the full one. */
    memcpy(nonce, k->iv, sizeof(nonce));
    for (i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
    return aead_open(k, nonce, &a, out);
}
