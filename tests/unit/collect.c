/* collect.c: see collect.h. */
#include "collect.h"

#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

void collect_cb(const kn_event_t *ev, void *user)
{
    collect_t *c = user;

    if (ev->type == KN_EV_FLOW && c->nflows < COLLECT_MAX) {
        c->flow_ts[c->nflows] = ev->ts;
        c->flows[c->nflows++] = *ev->flow;
    } else if (ev->type == KN_EV_ANOMALY && c->nanomalies < COLLECT_MAX) {
        c->anomaly_flow[c->nanomalies] = ev->flow ? ev->flow->flow_id : 0;
        c->anomalies[c->nanomalies++] = ev->u.anomaly.id;
    } else if (ev->type == KN_EV_ALERT && c->nalerts < COLLECT_MAX) {
        c->alerts[c->nalerts].a = ev->u.alert;
        c->alerts[c->nalerts].a.msg = c->alerts[c->nalerts].a.category = NULL;
        c->alerts[c->nalerts].a.metadata = NULL;
        c->alerts[c->nalerts].a.payload = NULL;
        c->alerts[c->nalerts].pcap_cnt =
            ev->pkt && !(ev->pkt->flags & KN_PKT_PSEUDO) ? ev->pkt->pcap_cnt : 0;
        c->alerts[c->nalerts++].flow_id = ev->flow ? ev->flow->flow_id : 0;
    }
}

int collect_feed(kn_engine_t *e, const uint8_t *b, size_t len, double ts, int linktype)
{
    static uint64_t cnt;
    uint8_t *copy = malloc(len ? len : 1);
    kn_pkthdr_t h;
    int rc;

    memcpy(copy, b, len);
    h.ts = (kn_time_t)(ts * 1e6 + 0.5);
    h.caplen = h.wirelen = (uint32_t)len;
    h.linktype = linktype;
    h.iface = 0;
    h.pcap_cnt = ++cnt;
    rc = kn_engine_packet(e, &h, copy);
    free(copy);
    return rc;
}

const kn_flow_info_t *collect_find(const collect_t *c, uint8_t proto, uint16_t dp)
{
    int i;

    for (i = 0; i < c->nflows; i++)
        if (c->flows[i].proto == proto && (!dp || c->flows[i].dp == dp))
            return &c->flows[i];
    return NULL;
}

int collect_has_anomaly(const collect_t *c, kn_anomaly_t a)
{
    int i;

    for (i = 0; i < c->nanomalies; i++)
        if (c->anomalies[i] == a)
            return 1;
    return 0;
}

int collect_alerts(const collect_t *c, uint32_t sid)
{
    int i, n = 0;

    for (i = 0; i < c->nalerts; i++)
        n += c->alerts[i].a.sid == sid;
    return n;
}

int collect_tcp(kn_engine_t *e, double ts, const char *src, uint16_t sp, const char *dst,
                uint16_t dp, uint32_t seq, uint32_t ack, uint8_t flags, const char *data)
{
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, src, dst, 6);
    tb_tcp(&t, sp, dp, seq, ack, flags);
    if (data)
        tb_text(&t, data);
    tb_finish(&t);
    return collect_feed(e, t.b, t.len, ts, KN_LINK_ETHERNET);
}
