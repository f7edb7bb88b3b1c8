/* flow.h: the flow table (engine only). */
#ifndef KANSHI_ENGINE_FLOW_H
#define KANSHI_ENGINE_FLOW_H

#include <stdint.h>

#include "counters.h"
#include "event.h"
#include "kanshi.h"
#include "packet.h"
#include "stream.h"

typedef struct kn_flow {
    struct kn_flow *hnext;       /* hash chain */
    struct kn_flow **hpprev;     /* the pointer that points here, for O(1) unlinking */
    struct kn_flow *prev, *next; /* timeout list, least recently seen first */
    uint64_t hash;
    uint8_t list;  /* which timeout list holds it */
    uint8_t depth; /* tunnel depth, part of the key */
    uint8_t seen[2]; /* a packet (not an ICMP error) went this way: flow state follows these */
    uint8_t iponly_done; /* bit per direction: IP-only rules were checked */
    kn_flow_info_t info;
    kn_stream_t tcp;
    struct kn_fdet *det; /* detection state (flowbits ...), allocated on first need */
    struct kn_appflow *app; /* app-layer state (applayer.h), allocated on first payload */
} kn_flow_t;

/* Called when a flow ends, before its record is reused; the flow is borrowed. */
typedef void (*kn_flow_end_fn)(void *ctx, kn_flow_t *f);

/* Called for every flow still active when the table is freed, to release what it holds. */
typedef void (*kn_flow_release_fn)(void *ctx, kn_flow_t *f);

typedef struct kn_flow_table kn_flow_table_t;

/* Returns a table (caller frees with kn_flow_table_free), or NULL. cfg and ctr are borrowed. */
kn_flow_table_t *kn_flow_table_new(const kn_engine_config_t *cfg, kn_counters_t *ctr,
                                   kn_flow_end_fn end, kn_flow_release_fn release, void *ctx);

/* Frees every record without reporting them (release is called for each active one); call
 * kn_flow_flush() first to report them. */
void kn_flow_table_free(kn_flow_table_t *ft);

/* Finds or creates the flow of p and sets *dir (KN_TOSERVER/KN_TOCLIENT). A flow that timed
 * out, or whose TCP ports are reused by a new connection, is ended first. Returns NULL only when
 * no record can be had (allocation failure). */
kn_flow_t *kn_flow_get(kn_flow_table_t *ft, const kn_packet_t *p, int *dir);

/* Turns a UDP flow around after its first packet, when the app layer finds that packet was a
 * server's answer (a capture that missed the question, a one-sided mirror): the responder
 * becomes dst and what was counted to the server is counted to the client. */
void kn_flow_reverse(kn_flow_t *f);

/* Counts p in f, advances its TCP and flow state and its place in the timeout lists. */
void kn_flow_update(kn_flow_table_t *ft, kn_flow_t *f, kn_packet_t *p, int dir);

/* Ends the flows idle past their timeout at packet time now. */
void kn_flow_expire(kn_flow_table_t *ft, kn_time_t now);

/* Ends every flow with reason "shutdown". */
void kn_flow_flush(kn_flow_table_t *ft);

/* Flow records the memcap allows. */
uint64_t kn_flow_capacity(const kn_flow_table_t *ft);

#endif
