/* tls_hello.c: the walk over a TLS hello that the TLS and QUIC parsers share (tls_hello.h). */
#include "tls_hello.h"

#include <string.h>

int kn_tls_hello_parse(const uint8_t *b, uint32_t n, int client, kn_tls_hello_t *h)
{
    kn_cursor_t c;

    memset(h, 0, sizeof(*h));
    kn_cur_init(&c, b, n);
    h->version = kn_cur_be16(&c);
    h->random = kn_cur_take(&c, 32);
    h->sid_len = kn_cur_u8(&c);
    h->sid = kn_cur_take(&c, h->sid_len);
    if (client) {
        h->ciphers_len = kn_cur_be16(&c);
        h->ciphers = kn_cur_take(&c, h->ciphers_len);
        kn_cur_skip(&c, kn_cur_u8(&c)); /* legacy_compression_methods */
    } else {
        h->ciphers_len = 2;
        h->ciphers = kn_cur_take(&c, 2);
        h->cipher = h->ciphers ? kn_rd_be16(h->ciphers) : 0;
        kn_cur_skip(&c, 1); /* legacy_compression_method */
    }
    if (!c.err && kn_cur_left(&c) >= 2) {
        h->exts_len = kn_cur_be16(&c);
        h->exts = kn_cur_take(&c, h->exts_len);
    }
    return c.err || (h->ciphers_len & 1) ? -1 : 0;
}

int kn_tls_ext_next(kn_cursor_t *c, uint16_t *type, kn_cursor_t *body)
{
    uint16_t len;
    const uint8_t *p;

    if (!kn_cur_left(c))
        return 0;
    *type = kn_cur_be16(c);
    len = kn_cur_be16(c);
    p = kn_cur_take(c, len);
    if (c->err)
        return -1;
    kn_cur_init(body, p, len);
    return 1;
}

int kn_tls_exts_valid(const uint8_t *p, size_t n)
{
    kn_cursor_t c, body;
    uint16_t type;
    int rc;

    kn_cur_init(&c, p, n);
    while ((rc = kn_tls_ext_next(&c, &type, &body)) == 1)
        ;
    return rc == 0;
}

int kn_tls_list(kn_cursor_t *c, int lenbytes, kn_cursor_t *list)
{
    size_t n = lenbytes == 1 ? kn_cur_u8(c) : kn_cur_be16(c);
    const uint8_t *p = kn_cur_take(c, n);

    kn_cur_init(list, p, p ? n : 0);
    return p ? 0 : -1;
}

int kn_tls_u16_next(kn_cursor_t *list, uint16_t *v)
{
    if (kn_cur_left(list) < 2)
        return 0;
    *v = kn_cur_be16(list);
    return 1;
}

int kn_tls_alpn_next(kn_cursor_t *list, const uint8_t **p, uint8_t *len)
{
    if (!kn_cur_left(list))
        return 0;
    *len = kn_cur_u8(list);
    *p = kn_cur_take(list, *len);
    return *p != NULL;
}

int kn_tls_name_next(kn_cursor_t *c, uint8_t *type, const uint8_t **name, uint16_t *len)
{
    if (!kn_cur_left(c))
        return 0;
    *type = kn_cur_u8(c);
    *len = kn_cur_be16(c);
    *name = kn_cur_take(c, *len);
    return c->err ? -1 : 1;
}

void kn_tls_fp_ciphers(kn_tls_chfp_t *fp, const kn_tls_hello_t *h)
{
    uint16_t i;

    for (i = 0; i + 1 < h->ciphers_len; i += 2)
        kn_tls_fp_add(fp->ciphers, &fp->nciphers, kn_rd_be16(h->ciphers + i));
}

/* A list of 16-bit ids into v (GREASE left out); max, when given, keeps the largest. */
static void fp_u16s(kn_cursor_t *c, int lenbytes, uint16_t *v, unsigned *n, unsigned *max)
{
    kn_cursor_t l;
    uint16_t id;

    kn_tls_list(c, lenbytes, &l);
    while (kn_tls_u16_next(&l, &id)) {
        if (v)
            kn_tls_fp_add(v, n, id);
        else if (!kn_tls_is_grease(id) && id > *max)
            *max = id;
    }
}

void kn_tls_fp_ext(kn_tls_chfp_t *fp, uint16_t type, kn_cursor_t body)
{
    kn_cursor_t l;
    const uint8_t *p;
    uint8_t len;

    kn_tls_fp_add(fp->exts, &fp->nexts, type);
    switch (type) {
    case KN_TLS_EXT_SERVER_NAME:
        fp->sni = 1;
        break;
    case KN_TLS_EXT_SUPPORTED_GROUPS:
        fp_u16s(&body, 2, fp->groups, &fp->ngroups, NULL);
        break;
    case KN_TLS_EXT_SIGNATURE_ALGORITHMS:
        fp_u16s(&body, 2, fp->sigalgs, &fp->nsigalgs, NULL);
        break;
    case KN_TLS_EXT_SUPPORTED_VERSIONS: /* JA4 takes the highest offered */
        fp_u16s(&body, 1, NULL, NULL, &fp->max_version);
        break;
    case KN_TLS_EXT_EC_POINT_FORMATS:
        kn_tls_list(&body, 1, &l);
        while (kn_cur_left(&l) && fp->npf < sizeof(fp->pf))
            fp->pf[fp->npf++] = kn_cur_u8(&l);
        break;
    case KN_TLS_EXT_ALPN:
        kn_tls_list(&body, 2, &l);
        if (!fp->alpn1 && kn_tls_alpn_next(&l, &p, &len))
            fp->alpn1 = p, fp->alpn1_len = len;
        break;
    default:
        break;
    }
}
