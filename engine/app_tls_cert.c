/* app_tls_cert.c: a server certificate (RFC 5280 4.1) as the text eve carries, through libcrypto.
 *
 * The DER is decoded by OpenSSL's d2i_X509 only; this file never walks DER itself except to
 * read back the content octets of the serial INTEGER that OpenSSL re-encoded (i2d), because
 * Suricata prints the serial's raw content bytes, leading zero included ("00:99:FA").
 *
 * Names are written the way Suricata 7 (x509-parser) writes them so that rules and dashboards
 * keyed on "C=US, O=Let's Encrypt, CN=R3" keep working: RDNs in certificate order joined by
 * ", ", the attributes of a multi-valued RDN joined by " + ", short names CN C L ST O OU DC
 * Email, the oid-registry names for the other X.520 attributes, and "OID(1.2.3)" for the rest;
 * string values as their bytes, BMPString converted to UTF-8, anything else in upper-case hex. */
#include "app_tls_private.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hexfmt.h"
#include "cursor.h"

void kn_tls_sb_add(kn_tls_sb_t *s, const void *d, size_t n)
{
    char *np;
    size_t cap;

    if (s->oom || s->len + n + 1 > KN_TLS_SB_MAX)
        return;
    if (s->len + n + 1 > s->cap) {
        cap = s->cap ? s->cap * 2 : 128;
        while (cap < s->len + n + 1)
            cap *= 2;
        if (!(np = realloc(s->p, cap))) {
            s->oom = 1;
            return;
        }
        s->p = np;
        s->cap = cap;
    }
    memcpy(s->p + s->len, d, n);
    s->len += n;
    s->p[s->len] = '\0';
}

void kn_tls_sb_str(kn_tls_sb_t *s, const char *z)
{
    kn_tls_sb_add(s, z, strlen(z));
}

void kn_tls_sb_hex(kn_tls_sb_t *s, const uint8_t *d, size_t n, int upper, const char *sep)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char two[2];
    size_t i;

    for (i = 0; i < n; i++) {
        if (i && sep)
            kn_tls_sb_str(s, sep);
        two[0] = digits[d[i] >> 4];
        two[1] = digits[d[i] & 15];
        kn_tls_sb_add(s, two, 2);
    }
}

/* Attribute short names as x509-parser prints them (its abbreviations, then oid-registry). */
static const struct {
    int nid;
    const char *name;
} attr_names[] = {
    {NID_commonName, "CN"},
    {NID_countryName, "C"},
    {NID_localityName, "L"},
    {NID_stateOrProvinceName, "ST"},
    {NID_organizationName, "O"},
    {NID_organizationalUnitName, "OU"},
    {NID_domainComponent, "DC"},
    {NID_pkcs9_emailAddress, "Email"},
    {NID_surname, "surname"},
    {NID_serialNumber, "serialNumber"},
    {NID_streetAddress, "streetAddress"},
    {NID_title, "title"},
    {NID_description, "description"},
    {NID_searchGuide, "searchGuide"},
    {NID_businessCategory, "businessCategory"},
    {NID_postalAddress, "postalAddress"},
    {NID_postalCode, "postalCode"},
    {NID_name, "name"},
    {NID_givenName, "givenName"},
    {NID_initials, "initials"},
    {NID_generationQualifier, "generationQualifier"},
    {NID_x500UniqueIdentifier, "uniqueIdentifier"},
    {NID_dnQualifier, "dnQualifier"},
    {NID_pkcs9_unstructuredName, "unstructuredName"},
    {NID_jurisdictionLocalityName, "msJurisdictionLocality"},
    {NID_jurisdictionStateOrProvinceName, "msJurisdictionStateOrProvince"},
    {NID_jurisdictionCountryName, "msJurisdictionCountry"},
};

static void attr_name(kn_tls_sb_t *s, const ASN1_OBJECT *obj)
{
    int nid = OBJ_obj2nid(obj);
    char oid[128];
    size_t i;

    for (i = 0; nid != NID_undef && i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
        if (attr_names[i].nid == nid) {
            kn_tls_sb_str(s, attr_names[i].name);
            return;
        }
    if (OBJ_obj2txt(oid, sizeof(oid), obj, 1) <= 0)
        oid[0] = '\0';
    kn_tls_sb_str(s, "OID(");
    kn_tls_sb_str(s, oid);
    kn_tls_sb_str(s, ")");
}

/* BMPString (UCS-2, big-endian) to UTF-8; surrogate pairs combined, lone halves dropped. */
static void sb_bmp(kn_tls_sb_t *s, const uint8_t *d, size_t n)
{
    size_t i;
    uint32_t c, lo;
    uint8_t u[4];

    for (i = 0; i + 1 < n; i += 2) {
        c = kn_rd_be16(d + i);
        if (c >= 0xd800 && c < 0xdc00 && i + 3 < n) {
            lo = kn_rd_be16(d + i + 2);
            if (lo < 0xdc00 || lo > 0xdfff)
                continue;
            c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
            i += 2;
        } else if (c >= 0xd800 && c <= 0xdfff) {
            continue;
        }
        if (c < 0x80) {
            u[0] = (uint8_t)c;
            kn_tls_sb_add(s, u, 1);
        } else if (c < 0x800) {
            u[0] = (uint8_t)(0xc0 | c >> 6), u[1] = (uint8_t)(0x80 | (c & 0x3f));
            kn_tls_sb_add(s, u, 2);
        } else if (c < 0x10000) {
            u[0] = (uint8_t)(0xe0 | c >> 12), u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
            u[2] = (uint8_t)(0x80 | (c & 0x3f));
            kn_tls_sb_add(s, u, 3);
        } else {
            u[0] = (uint8_t)(0xf0 | c >> 18), u[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
            u[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)), u[3] = (uint8_t)(0x80 | (c & 0x3f));
            kn_tls_sb_add(s, u, 4);
        }
    }
}

static void attr_value(kn_tls_sb_t *s, const ASN1_STRING *v)
{
    const uint8_t *d = ASN1_STRING_get0_data(v);
    size_t n = (size_t)ASN1_STRING_length(v);

    switch (ASN1_STRING_type(v)) {
    case V_ASN1_NUMERICSTRING:
    case V_ASN1_VISIBLESTRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_GENERALSTRING:
    case V_ASN1_OBJECT_DESCRIPTOR:
    case V_ASN1_GRAPHICSTRING:
    case V_ASN1_T61STRING:
    case V_ASN1_VIDEOTEXSTRING:
    case V_ASN1_UTF8STRING:
    case V_ASN1_IA5STRING:
        kn_tls_sb_add(s, d, n);
        break;
    case V_ASN1_BMPSTRING:
        sb_bmp(s, d, n);
        break;
    default:
        kn_tls_sb_hex(s, d, n, 1, NULL);
        break;
    }
}

/* The whole name, or NULL when it is empty or memory ran out (caller frees). */
static char *name_text(const X509_NAME *name)
{
    kn_tls_sb_t s = {0};
    int i, n = X509_NAME_entry_count(name), prev_set = -1;

    for (i = 0; i < n; i++) {
        const X509_NAME_ENTRY *ent = X509_NAME_get_entry(name, i);
        int set = X509_NAME_ENTRY_set(ent);
        if (i)
            kn_tls_sb_str(&s, set == prev_set ? " + " : ", ");
        prev_set = set;
        attr_name(&s, X509_NAME_ENTRY_get_object(ent));
        kn_tls_sb_str(&s, "=");
        attr_value(&s, X509_NAME_ENTRY_get_data(ent));
    }
    if (!s.p) /* an empty name is "" (Suricata logs it so) */
        kn_tls_sb_add(&s, "", 0);
    if (s.oom) {
        free(s.p);
        return NULL;
    }
    return s.p;
}

/* The serial's content octets as DER has them (sign byte included), "00:99:FA". */
static char *serial_text(const X509 *x)
{
    const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
    unsigned char *der = NULL;
    size_t off = 2, clen;
    kn_tls_sb_t s = {0};
    int len = serial ? i2d_ASN1_INTEGER(serial, &der) : -1;

    if (len < 2) {
        OPENSSL_free(der);
        return NULL;
    }
    clen = der[1];
    if (der[1] & 0x80) { /* long form length (X.690 8.1.3.5) */
        size_t nb = der[1] & 0x7f, k;
        clen = 0;
        for (k = 0; k < nb && off < (size_t)len; k++)
            clen = clen << 8 | der[off++];
    }
    if (off + clen != (size_t)len || !clen) {
        OPENSSL_free(der);
        return NULL;
    }
    kn_tls_sb_hex(&s, der + off, clen, 1, ":");
    OPENSSL_free(der);
    if (s.oom) {
        free(s.p);
        return NULL;
    }
    return s.p;
}

static int time_of(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return -1;
    *out = (int64_t)timegm(&tm);
    return 0;
}

int kn_tls_cert_parse(const uint8_t *der, uint32_t len, kn_tls_cert_t *out)
{
    const unsigned char *p = der;
    X509 *x;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (!len || !(x = d2i_X509(NULL, &p, (long)len)))
        return KN_ANOM_APP_TLS_CERTIFICATE_INVALID_DER;
    if (p != der + len)
        rc = KN_ANOM_APP_TLS_CERTIFICATE_INVALID_LENGTH;
    else if (!(out->subject = name_text(X509_get_subject_name(x))) ||
             !(out->issuer = name_text(X509_get_issuer_name(x))) ||
             !(out->serial = serial_text(x)) ||
             time_of(X509_get0_notBefore(x), &out->notbefore) ||
             time_of(X509_get0_notAfter(x), &out->notafter))
        rc = KN_ANOM_APP_TLS_CERTIFICATE_MISSING_ELEMENT;
    else if (kn_digest_hex(EVP_sha1(), der, len, 0, ':', out->fingerprint))
        rc = KN_ANOM_APP_TLS_CERTIFICATE_INVALID_DER;
    X509_free(x);
    if (rc)
        kn_tls_cert_clear(out);
    return rc;
}

void kn_tls_cert_clear(kn_tls_cert_t *c)
{
    free(c->subject);
    free(c->issuer);
    free(c->serial);
    memset(c, 0, sizeof(*c));
}
