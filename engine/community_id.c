/* community_id.c: Community ID v1 (corelight/community-id-spec): SHA-1 over the seed, the
 * ordered endpoints, the protocol and the ports (ICMP types mapped to port-like pairs), then
 * base64. SHA-1 and base64 come from libcrypto; the digest is fetched once, not per flow
 * (OpenSSL 3 looks an algorithm up on every EVP_Digest(EVP_sha1()) call). */
#include "community_id.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

struct kn_cid {
    EVP_MD *md;
    EVP_MD_CTX *ctx;
};

kn_cid_t *kn_cid_new(void)
{
    kn_cid_t *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->md = EVP_MD_fetch(NULL, "SHA1", NULL);
    c->ctx = EVP_MD_CTX_new();
    if (!c->md || !c->ctx) {
        kn_cid_free(c);
        return NULL;
    }
    return c;
}

void kn_cid_free(kn_cid_t *c)
{
    if (!c)
        return;
    EVP_MD_free(c->md);
    EVP_MD_CTX_free(c->ctx);
    free(c);
}

/* ICMP request/response pairs the spec treats as two-way (the spec's ICMP helper). */
static int icmp_counterpart(uint8_t proto, uint8_t type)
{
    static const uint8_t v4[][2] = {{8, 0}, {0, 8}, {13, 14}, {14, 13}, {15, 16},
                                    {16, 15}, {10, 9}, {17, 18}, {18, 17}};
    static const uint8_t v6[][2] = {{128, 129}, {129, 128}, {133, 134}, {134, 133},
                                    {135, 136}, {136, 135}, {130, 131}, {131, 130},
                                    {139, 140}, {140, 139}, {144, 145}, {145, 144}};
    const uint8_t(*map)[2] = proto == 1 ? v4 : v6;
    size_t n = proto == 1 ? sizeof(v4) / sizeof(v4[0]) : sizeof(v6) / sizeof(v6[0]);
    size_t i;

    for (i = 0; i < n; i++)
        if (map[i][0] == type)
            return map[i][1];
    return -1;
}

static int endpoint_less(const uint8_t *a, uint16_t pa, const uint8_t *b, uint16_t pb, size_t alen)
{
    int c = memcmp(a, b, alen);
    return c < 0 || (c == 0 && pa < pb);
}

void kn_community_id(kn_cid_t *c, uint16_t seed, uint8_t ip_v, const kn_addr_t *src, const kn_addr_t *dst,
                     uint8_t proto, uint16_t sp, uint16_t dp, int has_ports, char out[32])
{
    size_t alen = ip_v == 4 ? 4 : 16, n = 0;
    uint8_t buf[2 + 16 + 16 + 2 + 4], digest[EVP_MAX_MD_SIZE];
    const uint8_t *a = src->b, *b = dst->b;
    unsigned int dlen = 0;
    int one_way = 0;

    if (proto == 1 || proto == 58) {
        int peer = icmp_counterpart(proto, (uint8_t)sp);
        if (peer >= 0)
            dp = (uint16_t)peer;
        else
            one_way = 1;
    }
    if (!one_way && !endpoint_less(a, has_ports ? sp : 0, b, has_ports ? dp : 0, alen)) {
        uint16_t t = sp;
        a = dst->b;
        b = src->b;
        sp = dp;
        dp = t;
    }
    buf[n++] = (uint8_t)(seed >> 8);
    buf[n++] = (uint8_t)seed;
    memcpy(buf + n, a, alen);
    n += alen;
    memcpy(buf + n, b, alen);
    n += alen;
    buf[n++] = proto;
    buf[n++] = 0;
    if (has_ports) {
        buf[n++] = (uint8_t)(sp >> 8);
        buf[n++] = (uint8_t)sp;
        buf[n++] = (uint8_t)(dp >> 8);
        buf[n++] = (uint8_t)dp;
    }
    out[0] = '\0';
    if (!c || EVP_DigestInit_ex(c->ctx, c->md, NULL) != 1 ||
        EVP_DigestUpdate(c->ctx, buf, n) != 1 || EVP_DigestFinal_ex(c->ctx, digest, &dlen) != 1 ||
        dlen != 20)
        return;
    out[0] = '1';
    out[1] = ':';
    EVP_EncodeBlock((unsigned char *)out + 2, digest, 20);
}
