/* collect.h: an engine callback that keeps copies of the events, for tests. */
#ifndef KANSHI_TESTS_COLLECT_H
#define KANSHI_TESTS_COLLECT_H

#include "kanshi.h"

#define COLLECT_MAX 256

typedef struct collect {
    kn_flow_info_t flows[COLLECT_MAX];
    kn_time_t flow_ts[COLLECT_MAX];
    int nflows;
    kn_anomaly_t anomalies[COLLECT_MAX];
    uint64_t anomaly_flow[COLLECT_MAX]; /* flow_id of the anomaly's flow, or 0 */
    int nanomalies;
    struct {
        kn_alert_info_t a; /* pointers (msg, payload ...) are not kept */
        uint64_t pcap_cnt;  /* 0 for a flow-end pseudo packet */
        uint64_t flow_id;
    } alerts[COLLECT_MAX];
    int nalerts;
} collect_t;

/* The kn_event_cb; user is a collect_t. */
void collect_cb(const kn_event_t *ev, void *user);

/* Feeds one frame (copied into a buffer of exactly its size) at time ts (seconds). */
int collect_feed(kn_engine_t *e, const uint8_t *b, size_t len, double ts, int linktype);

/* The first collected flow with this protocol and (if non-zero) this server port. */
const kn_flow_info_t *collect_find(const collect_t *c, uint8_t proto, uint16_t dp);

int collect_has_anomaly(const collect_t *c, kn_anomaly_t a);

/* Builds an Ethernet/IPv4/TCP frame (text payload or NULL) and feeds it at time ts. */
int collect_tcp(kn_engine_t *e, double ts, const char *src, uint16_t sp, const char *dst,
                uint16_t dp, uint32_t seq, uint32_t ack, uint8_t flags, const char *data);

/* How many alerts of this sid were collected. */
int collect_alerts(const collect_t *c, uint32_t sid);

#endif
