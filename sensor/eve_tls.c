/* eve_tls.c: the "tls" object of an eve event from a kn_tls_info_t, as Suricata 7 writes it
 * with `extended: yes` (output-json-tls.c): subject, issuerdn, session_resumed, serial,
 * fingerprint, sni, version, notbefore, notafter, ja3, ja3s, in that order.
 *
 * JA3/JA3S are written whenever the parser computed them, as Suricata does once
 * `app-layer.protocols.tls.ja3-fingerprints` is on (or a rule uses them); JA4 is computed for
 * rules (ja4.hash) but, as in Suricata's default `ja4: off`, not written. ALPNs and the chain
 * are not part of Suricata 7's extended object either. */
#include "eve_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Wire bytes as a JSON string: valid UTF-8 is kept, any other byte becomes U+FFFD, so the
 * line stays valid JSON text whatever the peer sent. */
static json_object *str_json(kn_str_t s)
{
    char buf[512] = "", *out = buf;
    size_t cap = sizeof(buf), o = 0, i = 0, n;
    json_object *j;

    if (s.len * 3 + 1 > cap && !(out = malloc(cap = (size_t)s.len * 3 + 1)))
        return json_object_new_string("");
    out[0] = '\0';
    while (i < s.len) {
        uint8_t c = s.p[i];
        n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n && c && i + n <= s.len) {
            size_t k;
            for (k = 1; k < n && (s.p[i + k] & 0xc0) == 0x80; k++)
                ;
            if (k == n) {
                memcpy(out + o, s.p + i, n);
                o += n, i += n;
                continue;
            }
        }
        memcpy(out + o, "\xef\xbf\xbd", 3); /* U+FFFD */
        o += 3, i++;
    }
    j = json_object_new_string_len(out, (int)o);
    if (out != buf)
        free(out);
    return j;
}

static void add_str(json_object *o, const char *key, kn_str_t s)
{
    if (s.p)
        json_object_object_add_ex(o, key, str_json(s), NEW_KEY);
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
    return o;
}
