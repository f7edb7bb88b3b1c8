/* eve_app.c: app-layer transactions and files as eve events (event_type http, dns, tls, ssh,
 * fileinfo), and the transaction object an alert carries beside it, as Suricata writes both.
 * The per-protocol objects are built in eve_<proto>.c. */
#include "eve_private.h"

#include <string.h>

/* Each app protocol's event type, which is also the key of its object (beside an alert or a
 * fileinfo), and the eve-log type that turns it on. The objects themselves are built by the
 * typed functions of eve_<proto>.c, chosen in kn_eve_app_object. */
static const struct app_row {
    uint8_t app;
    const char *name;
    unsigned bit;
} app_rows[] = {
    {KN_APP_HTTP, "http", KN_EVE_HTTP},
    {KN_APP_DNS, "dns", KN_EVE_DNS},
    {KN_APP_TLS, "tls", KN_EVE_TLS},
    {KN_APP_SSH, "ssh", KN_EVE_SSH},
    {KN_APP_SMTP, "smtp", KN_EVE_SMTP},
    {KN_APP_FTP, "ftp", KN_EVE_FTP},
    {KN_APP_FTP_DATA, "ftp_data", KN_EVE_FTP},
    {KN_APP_QUIC, "quic", KN_EVE_QUIC},
    {KN_APP_IRC, "irc", KN_EVE_IRC},
    {KN_APP_BITTORRENT, "bittorrent", KN_EVE_BITTORRENT},
    {KN_APP_BITTORRENT_DHT, "bittorrent_dht", KN_EVE_BITTORRENT_DHT},
};

static const struct app_row *app_row(int app)
{
    size_t i;

    for (i = 0; i < sizeof(app_rows) / sizeof(app_rows[0]); i++)
        if (app_rows[i].app == app)
            return &app_rows[i];
    return NULL;
}

/* The event type of app's transactions when its eve-log type is on, else NULL. */
static const char *app_type(const kn_eve_t *e, int app)
{
    const struct app_row *r = app_row(app);

    return r && (e->cfg->eve_types & r->bit) ? r->name : NULL;
}

/* A TLS session is logged when it showed something: a certificate, resumption, or TLS 1.3
 * (as Suricata); a lone ClientHello is not. */
static int loggable(const kn_app_event_t *a)
{
    return a->app != KN_APP_TLS || ((const kn_tls_info_t *)a->info)->loggable;
}

json_object *kn_eve_app_object(kn_eve_t *e, int app, const void *info)
{
    switch (app) {
    case KN_APP_HTTP: return kn_eve_http_object(e, info);
    case KN_APP_DNS: return kn_eve_dns_object(e, info);
    case KN_APP_TLS: return kn_eve_tls_object(e, info);
    case KN_APP_SSH: return kn_eve_ssh_object(e, info);
    case KN_APP_SMTP: return kn_eve_smtp_object(e, info);
    case KN_APP_FTP: return kn_eve_ftp_object(e, info);
    case KN_APP_FTP_DATA: return kn_eve_ftp_data_object(e, info);
    case KN_APP_QUIC: return kn_eve_quic_object(e, info);
    case KN_APP_IRC: return kn_eve_irc_object(e, info);
    case KN_APP_BITTORRENT: return kn_eve_bittorrent_object(e, info);
    case KN_APP_BITTORRENT_DHT: return kn_eve_bittorrent_dht_object(e, info);
    default: return NULL;
    }
}

const char *kn_eve_app_key(int app)
{
    const struct app_row *r = app_row(app);

    return r ? r->name : NULL;
}

void kn_eve_app_extra(kn_eve_t *e, json_object *o, int app, const void *info)
{
    json_object *x;

    if (app == KN_APP_SMTP && (x = kn_eve_email_object(e, info)))
        json_object_object_add_ex(o, "email", x, NEW_KEY);
}

/* The flow's tuple, client to server (server to client with reverse), for events about a
 * transaction rather than a packet. */
void kn_eve_flow_head(kn_eve_t *e, json_object *o, const kn_event_t *ev, const char *type,
                      int reverse)
{
    const kn_flow_info_t *fi = ev->flow;
    const kn_addr_t *sa = reverse ? &fi->dst : &fi->src, *da = reverse ? &fi->src : &fi->dst;
    char buf[48], pb[8];

    kn_eve_timestamp(ev->ts, buf);
    json_object_object_add_ex(o, "timestamp", json_object_new_string(buf), NEW_KEY);
    kn_eve_add_flow_ids(o, fi);
    if (e->live && fi->iface < e->n_ifaces)
        json_object_object_add_ex(o, "in_iface", json_object_new_string(e->ifaces[fi->iface]),
                                  NEW_KEY);
    if (ev->pkt && ev->pkt->pcap_cnt)
        json_object_object_add_ex(o, "pcap_cnt", json_object_new_int64((int64_t)ev->pkt->pcap_cnt),
                                  NEW_KEY);
    json_object_object_add_ex(o, "event_type", json_object_new_string(type), NEW_KEY);
    kn_eve_add_vlans(o, fi->vlan, fi->vlan_n);
    kn_eve_add_endpoint(o, 0, fi->ip_v, sa, reverse ? fi->dp : fi->sp);
    kn_eve_add_endpoint(o, 1, fi->ip_v, da, reverse ? fi->sp : fi->dp);
    json_object_object_add_ex(o, "ip_v", json_object_new_int64(fi->ip_v), NEW_KEY);
    json_object_object_add_ex(o, "proto", json_object_new_string(kn_eve_proto_name(fi->proto, pb)),
                              NEW_KEY);
    json_object_object_add_ex(o, "pkt_src", json_object_new_string("wire/pcap"), NEW_KEY);
    if (fi->community_id[0])
        json_object_object_add_ex(o, "community_id", json_object_new_string(fi->community_id),
                                  NEW_KEY);
}

void kn_eve_app(kn_eve_t *e, const kn_event_t *ev)
{
    const kn_app_event_t *a = &ev->u.app;
    const char *type = app_type(e, a->app);
    json_object *o, *obj;

    if (!type || !ev->flow || !loggable(a) || !(obj = kn_eve_app_object(e, a->app, a->info)))
        return;
    o = json_object_new_object();
    /* a DNS response is told from the responder's side, as Suricata 8 (eve dns v3) does; a
     * QUIC packet or a DHT message from the side that sent it, as Suricata 7 does */
    kn_eve_flow_head(e, o, ev, type,
                     (a->app == KN_APP_DNS || a->app == KN_APP_QUIC ||
                      a->app == KN_APP_BITTORRENT_DHT) &&
                         !a->to_server);
    json_object_object_add_ex(o, "tx_id", json_object_new_int64((int64_t)a->tx_id), NEW_KEY);
    json_object_object_add_ex(o, kn_eve_app_key(a->app), obj, NEW_KEY);
    kn_eve_app_extra(e, o, a->app, a->info);
    kn_eve_write(e, o);
    json_object_put(o);
    e->written[KN_EV_APP]++;
}
