/* eve_alert.c: alert events in Suricata's shape.
 *
 * The tuple is the packet's (the direction it travelled), the flow object is the flow's
 * (oriented client to server), as Suricata writes them; drop and reject rules are logged as
 * "allowed" because kanshi only watches. Rule metadata "key value" pairs become arrays per key,
 * as Suricata groups them. Payload and packet bytes are written only when configured. */
#include "eve_private.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static void add_int64(json_object *o, const char *k, int64_t v)
{
    json_object_object_add_ex(o, k, json_object_new_int64(v), NEW_KEY);
}

static void add_string(json_object *o, const char *k, const char *v)
{
    json_object_object_add_ex(o, k, json_object_new_string(v), NEW_KEY);
}

/* metadata: {"key": ["value", ...]} in the order the rule gives them */
static json_object *metadata(const kn_alert_info_t *a)
{
    json_object *m = json_object_new_object(), *arr;
    char key[64];
    uint16_t i;

    for (i = 0; i < a->nmetadata; i++) {
        const char *kv = a->metadata[i], *sp = strchr(kv, ' ');
        size_t kl = sp ? (size_t)(sp - kv) : strlen(kv);
        if (kl == 0 || kl >= sizeof(key))
            continue;
        memcpy(key, kv, kl);
        key[kl] = '\0';
        if (!json_object_object_get_ex(m, key, &arr)) {
            arr = json_object_new_array();
            json_object_object_add(m, key, arr);
        }
        json_object_array_add(arr, json_object_new_string(sp ? sp + 1 : ""));
    }
    return m;
}

static json_object *endpoint(const kn_packet_t *p, int src)
{
    json_object *o = json_object_new_object();
    char buf[48];

    kn_eve_addr(p->ip_v, src ? &p->src : &p->dst, buf);
    add_string(o, "ip", buf);
    if (p->flags & KN_PKT_HAS_L4)
        add_int64(o, "port", src ? p->sport : p->dport);
    return o;
}

static json_object *alert_object(kn_eve_t *e, const kn_event_t *ev)
{
    const kn_alert_info_t *a = &ev->u.alert;
    json_object *o = json_object_new_object();

    add_string(o, "action", "allowed");
    add_int64(o, "gid", a->gid);
    add_int64(o, "signature_id", a->sid);
    add_int64(o, "rev", a->rev);
    add_string(o, "signature", a->msg);
    add_string(o, "category", a->category);
    add_int64(o, "severity", a->severity);
    if (a->target) { /* target:src_ip says the packet's source is the one attacked */
        json_object_object_add_ex(o, "source", endpoint(ev->pkt, a->target != 1), NEW_KEY);
        json_object_object_add_ex(o, "target", endpoint(ev->pkt, a->target == 1), NEW_KEY);
    }
    if (e->cfg->alert_metadata && a->nmetadata)
        json_object_object_add_ex(o, "metadata", metadata(a), NEW_KEY);
    return o;
}

static json_object *flow_object(const kn_flow_info_t *fi)
{
    json_object *o = json_object_new_object();
    char buf[48];
    int ports = fi->proto == 6 || fi->proto == 17 || fi->proto == 132;

    add_int64(o, "pkts_toserver", (int64_t)fi->pkts[KN_TOSERVER]);
    add_int64(o, "pkts_toclient", (int64_t)fi->pkts[KN_TOCLIENT]);
    add_int64(o, "bytes_toserver", (int64_t)fi->bytes[KN_TOSERVER]);
    add_int64(o, "bytes_toclient", (int64_t)fi->bytes[KN_TOCLIENT]);
    kn_eve_timestamp(fi->start, buf);
    add_string(o, "start", buf);
    kn_eve_addr(fi->ip_v, &fi->src, buf);
    add_string(o, "src_ip", buf);
    kn_eve_addr(fi->ip_v, &fi->dst, buf);
    add_string(o, "dest_ip", buf);
    if (ports) {
        add_int64(o, "src_port", fi->sp);
        add_int64(o, "dest_port", fi->dp);
    }
    return o;
}

static void add_base64(json_object *o, const char *k, const uint8_t *b, uint32_t n)
{
    char *out = malloc(4 * ((size_t)n / 3 + 1) + 1);

    if (!out)
        return;
    EVP_EncodeBlock((unsigned char *)out, b, (int)n);
    add_string(o, k, out);
    free(out);
}

/* Suricata's payload_printable: printable ASCII, CR and LF as they are, '.' for the rest. */
static void add_printable(json_object *o, const uint8_t *b, uint32_t n)
{
    char *out = malloc((size_t)n + 1);
    uint32_t i;

    if (!out)
        return;
    for (i = 0; i < n; i++)
        out[i] = (isprint(b[i]) || b[i] == '\r' || b[i] == '\n') ? (char)b[i] : '.';
    out[n] = '\0';
    json_object_object_add_ex(o, "payload_printable", json_object_new_string_len(out, (int)n),
                              NEW_KEY);
    free(out);
}

/* The packet as captured: the outermost layer's frame, or a rebuilt datagram from its IP
 * header (then linktype raw IPv4/IPv6, as Suricata writes it). */
static void add_packet(json_object *o, const kn_packet_t *p)
{
    json_object *pi = json_object_new_object();
    int linktype;

    while (p->parent && !(p->flags & KN_PKT_REASSEMBLED))
        p = p->parent;
    linktype = p->linktype;
    if (p->flags & KN_PKT_REASSEMBLED)
        linktype = p->ip_v == 6 ? KN_LINK_IPV6 : KN_LINK_IPV4;
    add_base64(o, "packet", p->data, p->caplen);
    add_int64(pi, "linktype", linktype);
    json_object_object_add_ex(o, "packet_info", pi, NEW_KEY);
}

void kn_eve_alert(kn_eve_t *e, const kn_event_t *ev)
{
    const kn_alert_info_t *a = &ev->u.alert;
    json_object *o;

    if (!ev->pkt)
        return;
    o = json_object_new_object();
    kn_eve_packet_head(e, o, ev, "alert");
    json_object_object_add_ex(o, "alert", alert_object(e, ev), NEW_KEY);
    if (ev->flow && ev->flow->app_proto)
        add_string(o, "app_proto", kn_app_name(ev->flow->app_proto));
    add_string(o, "direction", a->to_server ? "to_server" : "to_client");
    if (a->has_tx) {
        json_object *tx = kn_eve_app_object(e, a->app, a->app_info);
        add_int64(o, "tx_id", (int64_t)a->tx_id);
        if (tx)
            json_object_object_add_ex(o, kn_eve_app_key(a->app), tx, NEW_KEY);
    }
    if (ev->flow)
        json_object_object_add_ex(o, "flow", flow_object(ev->flow), NEW_KEY);
    if (e->cfg->alert_payload && a->payload_len)
        add_base64(o, "payload", a->payload, a->payload_len);
    if (e->cfg->alert_payload_printable && a->payload_len)
        add_printable(o, a->payload, a->payload_len);
    if (e->cfg->alert_payload || e->cfg->alert_payload_printable)
        add_int64(o, "stream", a->stream);
    if (e->cfg->alert_packet && !(ev->pkt->flags & KN_PKT_PSEUDO))
        add_packet(o, ev->pkt);
    kn_eve_write(e, o);
    json_object_put(o);
    e->written[KN_EV_ALERT]++;
}
