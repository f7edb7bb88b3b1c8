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
