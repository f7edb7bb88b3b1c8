/* eve_tls.c: the "tls" object of an eve event from a kn_tls_info_t, as Suricata 7 writes it
 * with `extended: yes` (output-json-tls.c): subject, issuerdn, session_resumed, serial,
 * fingerprint, sni, version, notbefore, notafter, ja3, ja3s, in that order; then what the
 * schema (Suricata 8) adds: ja4, client_alpns, server_alpns.
 *
 * JA3/JA3S are written whenever the parser computed them, as Suricata does once
 * `app-layer.protocols.tls.ja3-fingerprints` is on (or a rule uses them); JA4 and the ALPN
 * lists whenever the ClientHello/ServerHello had them (Suricata 7 leaves them out by default;
 * hunting on JA4 and on odd ALPNs needs them in the record). The chain is not written. */
#include "eve_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Length of the part of a UTF-8 sequence at p[0 .. n) that is valid so far (Unicode 3.9, table
 * 3-7: the second byte's range depends on the first, which rules out overlong forms,
 * surrogates and code points above U+10FFFF); *whole tells whether it is a complete character. */
static size_t utf8_prefix(const uint8_t *p, size_t n, int *whole)
{
    uint8_t c = p[0], lo = 0x80, hi = 0xbf;
    size_t need, k;

    *whole = 1;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        need = 2;
    else if (c >= 0xe0 && c <= 0xef)
        need = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4)
        need = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    else
        need = 1, *whole = 0;
    for (k = 1; k < need && k < n && p[k] >= lo && p[k] <= hi; k++)
        lo = 0x80, hi = 0xbf;
    if (k < need)
        *whole = 0;
    return k;
}

json_object *kn_eve_lossy(kn_str_t s)
{
    char small[512] = "", *out = small;
    size_t o = 0, i = 0, k;
    int whole;
    json_object *j;

    /* each input byte yields at most 3 output bytes (U+FFFD) */
    if ((size_t)s.len * 3 > sizeof(small)) {
        if (!(out = malloc((size_t)s.len * 3)))
            return json_object_new_string("");
        out[0] = '\0';
    }
    while (i < s.len) {
        k = utf8_prefix(s.p + i, s.len - i, &whole);
        if (whole)
            memcpy(out + o, s.p + i, k), o += k;
        else
            memcpy(out + o, "\xef\xbf\xbd", 3), o += 3; /* U+FFFD for the maximal subpart */
        i += k;
    }
    j = json_object_new_string_len(out, (int)o);
    if (out != small)
        free(out);
    return j;
}

static void add_str(json_object *o, const char *key, kn_str_t s)
{
    if (s.p)
        json_object_object_add_ex(o, key, kn_eve_lossy(s), NEW_KEY);
}

/* Suricata's SSLVersionToString names. */
static void version_name(uint16_t v, char *buf, size_t n)
{
    switch (v) {
    case 0: snprintf(buf, n, "UNDETERMINED"); return;
    case 0x0002: snprintf(buf, n, "SSLv2"); return;
    case 0x0300: snprintf(buf, n, "SSLv3"); return;
    case 0x0301: snprintf(buf, n, "TLSv1"); return;
    case 0x0302: snprintf(buf, n, "TLS 1.1"); return;
    case 0x0303: snprintf(buf, n, "TLS 1.2"); return;
    case 0x0304: snprintf(buf, n, "TLS 1.3"); return;
    case 0x7f00: snprintf(buf, n, "TLS 1.3 draft-<16"); return;
    case 0xfb14: case 0xfb15: case 0xfb16: case 0xfb17: case 0xfb1a:
        snprintf(buf, n, "TLS 1.3 draft-%u-fb", (unsigned)(v & 0xff));
        return;
    default:
        if (v >= 0x7f10 && v <= 0x7f1c)
            snprintf(buf, n, "TLS 1.3 draft-%u", (unsigned)(v & 0xff));
        else
            snprintf(buf, n, "0x%04x", (unsigned)v);
        return;
    }
}

/* "2016-07-04T23:59:59" (UTC, no zone), as Suricata writes certificate dates. */
static void add_date(json_object *o, const char *key, int64_t t)
{
    char buf[32];
    time_t tt = (time_t)t;
    struct tm tm;

    if (!t || !gmtime_r(&tt, &tm))
        return;
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    json_object_object_add_ex(o, key, json_object_new_string(buf), NEW_KEY);
}

static void add_hash_pair(json_object *o, const char *key, kn_str_t hash, kn_str_t text)
{
    json_object *j;

    if (!hash.p && !text.p)
        return;
    j = json_object_new_object();
    add_str(j, "hash", hash);
    add_str(j, "string", text);
    json_object_object_add_ex(o, key, j, NEW_KEY);
}

json_object *kn_eve_tls_object(kn_eve_t *e, const kn_tls_info_t *info)
{
    json_object *o = json_object_new_object();
    char ver[32];

    (void)e;
    add_str(o, "subject", info->subject);
    add_str(o, "issuerdn", info->issuerdn);
    if (info->session_resumed)
        json_object_object_add_ex(o, "session_resumed", json_object_new_boolean(1), NEW_KEY);
    add_str(o, "serial", info->serial);
    add_str(o, "fingerprint", info->fingerprint);
    add_str(o, "sni", info->sni);
    version_name(info->version, ver, sizeof(ver));
    json_object_object_add_ex(o, "version", json_object_new_string(ver), NEW_KEY);
    add_date(o, "notbefore", info->notbefore);
    add_date(o, "notafter", info->notafter);
    add_hash_pair(o, "ja3", info->ja3_hash, info->ja3);
    add_hash_pair(o, "ja3s", info->ja3s_hash, info->ja3s);
    add_str(o, "ja4", info->ja4);
    kn_eve_add_bytes_list(o, "client_alpns", info->client_alpns, info->n_client_alpns);
    kn_eve_add_bytes_list(o, "server_alpns", info->server_alpns, info->n_server_alpns);
    return o;
}
