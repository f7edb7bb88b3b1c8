/* app_tls_fp.c: the JA3 and JA3S text (salesforce/ja3) and JA4 (FoxIO technical_details/JA4.md)
 * of a hello, from the GREASE-free lists tls_hello.c collects; the TLS parser hashes JA3 itself,
 * QUIC takes the JA4 ('q' for the transport) and builds its own JA3 over the values as sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_tls_private.h"
#include "hexfmt.h"

void kn_tls_ids_text(kn_tls_sb_t *s, const uint16_t *v, unsigned n)
{
    char num[8];
    unsigned i;

    for (i = 0; i < n; i++) {
        snprintf(num, sizeof(num), "%s%u", i ? "-" : "", v[i]);
        kn_tls_sb_str(s, num);
    }
}

void kn_tls_ja3_text(kn_tls_sb_t *s, uint16_t version, const kn_tls_chfp_t *fp)
{
    char num[8];
    unsigned i;

    snprintf(num, sizeof(num), "%u,", version);
    kn_tls_sb_str(s, num);
    kn_tls_ids_text(s, fp->ciphers, fp->nciphers);
    kn_tls_sb_str(s, ",");
    kn_tls_ids_text(s, fp->exts, fp->nexts);
    kn_tls_sb_str(s, ",");
    kn_tls_ids_text(s, fp->groups, fp->ngroups);
    kn_tls_sb_str(s, ",");
    for (i = 0; i < fp->npf; i++) {
        snprintf(num, sizeof(num), "%s%u", i ? "-" : "", fp->pf[i]);
        kn_tls_sb_str(s, num);
    }
}

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int is_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* JA4 section a's last two characters (JA4.md "ALPN Extension Value"). */
static void ja4_alpn(const kn_tls_chfp_t *fp, char out[2])
{
    static const char hx[] = "0123456789abcdef";
    const uint8_t *a = fp->alpn1;
    uint8_t n = fp->alpn1_len;

    if (!a || !n) {
        out[0] = out[1] = '0';
    } else if (is_alnum(a[0]) && is_alnum(a[n - 1])) {
        out[0] = (char)a[0];
        out[1] = (char)a[n - 1];
    } else { /* first and last character of the value's hex form */
        out[0] = hx[a[0] >> 4];
        out[1] = hx[a[n - 1] & 15];
    }
}

static const char *ja4_version(unsigned v)
{
    switch (v) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0002: return "s2";
    case 0xfeff: return "d1";
    case 0xfefd: return "d2";
    case 0xfefc: return "d3";
    default: return "00";
    }
}

/* sha256 of the comma-separated 4-digit hex list (and "_" + the second list if any). */
static void ja4_hash(const uint16_t *a, unsigned na, const uint16_t *b, unsigned nb, char *out)
{
    kn_tls_sb_t s = {0};
    char h[8];
    unsigned i;

    memcpy(out, "000000000000", 13); /* JA4.md: an empty list is shown as zeros */
    if (!na)
        return;
    for (i = 0; i < na; i++) {
        snprintf(h, sizeof(h), "%s%04x", i ? "," : "", a[i]);
        kn_tls_sb_str(&s, h);
    }
    for (i = 0; i < nb; i++) {
        snprintf(h, sizeof(h), "%s%04x", i ? "," : "_", b[i]);
        kn_tls_sb_str(&s, h);
    }
    if (s.oom || kn_digest_hex(EVP_sha256(), s.p, s.len, 6, 0, out))
        memcpy(out, "000000000000", 13);
    free(s.p);
}

void kn_tls_ja4(char transport, uint16_t legacy, const kn_tls_chfp_t *fp, char out[KN_TLS_JA4_LEN])
{
    uint16_t c[KN_TLS_MAX_IDS], e[KN_TLS_MAX_IDS];
    unsigned nc = fp->nciphers, ne = 0, i;
    char alpn[2], hb[13], hc[13];

    memcpy(c, fp->ciphers, nc * sizeof(c[0]));
    qsort(c, nc, sizeof(c[0]), cmp_u16);
    for (i = 0; i < fp->nexts; i++) /* SNI and ALPN are in section a already */
        if (fp->exts[i] != KN_TLS_EXT_SERVER_NAME && fp->exts[i] != KN_TLS_EXT_ALPN)
            e[ne++] = fp->exts[i];
    qsort(e, ne, sizeof(e[0]), cmp_u16);
    ja4_alpn(fp, alpn);
    ja4_hash(c, nc, NULL, 0, hb);
    ja4_hash(e, ne, fp->sigalgs, fp->nsigalgs, hc);
    snprintf(out, KN_TLS_JA4_LEN, "%c%s%c%02u%02u%c%c_%s_%s", transport,
             ja4_version(fp->max_version ? fp->max_version : legacy), fp->sni ? 'd' : 'i',
             nc > 99 ? 99 : nc, fp->nexts > 99 ? 99 : fp->nexts, alpn[0], alpn[1], hb, hc);
}
