/* eve_bittorrent.c: kanshi's "bittorrent" object (Suricata has no peer-wire logger;
 * docs/eve.md "bittorrent"): one connection's handshakes (over TCP or uTP, in the clear or
 * after MSE), or one Local Service Discovery announce, from a kn_bittorrent_info_t. */
#include "eve_private.h"

#include <stdio.h>

/* The peer id as text: printable ASCII as it is, anything else '.' (the hex form is exact). */
static json_object *peer_id_text(kn_str_t v)
{
    char buf[64];
    uint32_t i, n = v.len < sizeof(buf) - 1 ? v.len : (uint32_t)sizeof(buf) - 1;

    for (i = 0; i < n; i++)
        buf[i] = v.p[i] >= 0x20 && v.p[i] < 0x7f ? (char)v.p[i] : '.';
    return json_object_new_string_len(buf, (int)n);
}

static json_object *side_object(const kn_bt_side_t *sd)
{
    json_object *o = json_object_new_object(), *ext = json_object_new_array();
    unsigned bit;

    json_object_object_add_ex(o, "peer_id", kn_eve_hex(sd->peer_id.p, sd->peer_id.len, 0), NEW_KEY);
    json_object_object_add_ex(o, "peer_id_text", peer_id_text(sd->peer_id), NEW_KEY);
    if (sd->client.p)
        json_object_object_add_ex(o, "client", kn_eve_bytes(sd->client), NEW_KEY);
    if (sd->client_version.p)
        json_object_object_add_ex(o, "client_version", kn_eve_bytes(sd->client_version),
                                  NEW_KEY);
    if (sd->ext_client.p)
        json_object_object_add_ex(o, "ext_client", kn_eve_bytes(sd->ext_client), NEW_KEY);
    json_object_object_add_ex(o, "reserved",
                              kn_eve_hex(sd->reserved.p, sd->reserved.len, 0), NEW_KEY);
    for (bit = 1; bit < (1u << KN_BT_EXT_COUNT); bit <<= 1)
        if (sd->extensions & bit)
            json_object_array_add(ext, json_object_new_string(kn_bt_extension_name(bit)));
    json_object_object_add_ex(o, "extensions", ext, NEW_KEY);
    return o;
}

/* A Local Service Discovery announce (BEP 14). */
static json_object *lsd_object(const kn_bt_lsd_t *l)
{
    json_object *o = json_object_new_object(), *hashes = json_object_new_array();
    uint32_t i;

    kn_eve_add_bytes(o, "host", l->host);
    if (l->port >= 0)
        json_object_object_add_ex(o, "port", json_object_new_int(l->port), NEW_KEY);
    for (i = 0; i < l->n_info_hashes; i++)
        json_object_array_add(hashes, kn_eve_hex(l->info_hashes + 20 * i, 20, 0));
    json_object_object_add_ex(o, "info_hashes", hashes, NEW_KEY);
    kn_eve_add_bytes(o, "cookie", l->cookie);
    return o;
}

json_object *kn_eve_bittorrent_object(kn_eve_t *e, const kn_bittorrent_info_t *in)
{
    json_object *o = json_object_new_object();

    (void)e;
    if (in->info_hash.p)
        json_object_object_add_ex(o, "info_hash",
                                  kn_eve_hex(in->info_hash.p, in->info_hash.len, 0), NEW_KEY);
    if (in->info_hash_mismatch)
        json_object_object_add_ex(o, "info_hash_mismatch", json_object_new_boolean(1), NEW_KEY);
    if (in->utp)
        json_object_object_add_ex(o, "transport", json_object_new_string("utp"), NEW_KEY);
    if (in->mse)
        json_object_object_add_ex(o, "mse", json_object_new_boolean(1), NEW_KEY);
    if (in->client.peer_id.p)
        json_object_object_add_ex(o, "client", side_object(&in->client), NEW_KEY);
    if (in->server.peer_id.p)
        json_object_object_add_ex(o, "server", side_object(&in->server), NEW_KEY);
    if (in->lsd)
        json_object_object_add_ex(o, "lsd", lsd_object(in->lsd), NEW_KEY);
    return o;
}
