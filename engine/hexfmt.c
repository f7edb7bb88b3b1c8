/* hexfmt.c: the hex text behind hexfmt.h. */
#include "hexfmt.h"

char *kn_hex(const uint8_t *b, size_t n, char sep, char *out)
{
    static const char digits[] = "0123456789abcdef";
    char *o = out;
    size_t i;

    for (i = 0; i < n; i++) {
        if (i && sep)
            *o++ = sep;
        *o++ = digits[b[i] >> 4];
        *o++ = digits[b[i] & 15];
    }
    *o = '\0';
    return out;
}

int kn_digest_hex(const EVP_MD *md, const void *data, size_t len, size_t nbytes, char sep,
                  char *out)
{
    uint8_t d[EVP_MAX_MD_SIZE];
    unsigned n = 0;

    if (EVP_Digest(data, len, d, &n, md, NULL) != 1 || nbytes > n)
        return -1;
    kn_hex(d, nbytes ? nbytes : n, sep, out);
    return 0;
}

int kn_hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}
