/* eve.h: engine events -> Suricata eve JSON lines (json-c); the only file that knows eve field
 * names. */
#ifndef KANSHI_SENSOR_EVE_H
#define KANSHI_SENSOR_EVE_H

#include <stdint.h>

#include "config.h"
#include "kanshi.h"
#include "output.h"

typedef struct kn_eve kn_eve_t;

/* Capture-side numbers for the stats event. */
typedef struct kn_capture_counts {
    int live;
    uint64_t kernel_packets, kernel_drops, kernel_ifdrops;
    uint64_t files, file_errors;
} kn_capture_counts_t;

/* Returns a writer (caller frees with kn_eve_free), or NULL when memory runs out. cfg, out and
 * iface names are borrowed and must outlive it. live: write in_iface (a pcap file has no
 * interface). */
kn_eve_t *kn_eve_new(const kn_config_t *cfg, kn_output_t *out, int live, char *const *ifaces,
                     size_t n_ifaces);
void kn_eve_free(kn_eve_t *e);

/* The engine callback (user is the kn_eve_t): serializes the event if its type is enabled. */
void kn_eve_event(const kn_event_t *ev, void *user);

/* Writes one stats event at packet time ts. */
void kn_eve_stats(kn_eve_t *e, kn_time_t ts, uint64_t uptime, const kn_counters_t *ctr,
                  const kn_capture_counts_t *cap);

/* Events of each engine type written so far, and stats events. */
uint64_t kn_eve_written(const kn_eve_t *e, kn_event_type_t type);
uint64_t kn_eve_stats_written(const kn_eve_t *e);

/* "2014-01-14T17:04:19.311698+0000" into buf (at least 40 bytes). */
void kn_eve_timestamp(kn_time_t t, char *buf);

/* Suricata's address text: dotted IPv4, IPv6 as eight 4-digit groups. buf: 40 bytes. */
void kn_eve_addr(uint8_t ip_v, const kn_addr_t *a, char *buf);

#endif
