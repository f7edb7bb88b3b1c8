/* app_expect.h: connections a control channel announced (FTP's PASV/PORT before RETR/STOR), so
 * the data flow is known for what it is from its first byte, whatever its port.
 *
 * A fixed table keyed by the flow's server side (address, port, IP protocol): when a new flow
 * matches, the entry is taken (one flow per expectation) and the announcing parser's context
 * (the file name, the command) goes to the protocol named. Entries expire after a while of
 * packet time; a full table replaces its oldest entry in the slot and counts the drop. */
#ifndef KANSHI_ENGINE_APP_EXPECT_H
#define KANSHI_ENGINE_APP_EXPECT_H

#include <stdint.h>

#include "event.h"

#define KN_EXPECT_CTX_MAX 520 /* context bytes an expectation carries (a file name and more) */

typedef struct kn_expect_tab kn_expect_tab_t;

/* A table of about cap entries (rounded up to a power of two), or NULL when out of memory. */
kn_expect_tab_t *kn_expect_new(uint32_t cap);
void kn_expect_free(kn_expect_tab_t *t);

typedef struct kn_expect {
    uint8_t ipproto, app;
    uint8_t any_client;       /* 1: the connecting side's address is not checked */
    kn_addr_t client, server; /* who connects, and to whom */
    uint16_t server_port;
    uint64_t parent_id; /* the announcing flow (set by kn_app_expect) */
    uint32_t ctx_len;
    uint8_t ctx[KN_EXPECT_CTX_MAX];
} kn_expect_t;

/* Adds e, stamped now; returns 1 when an older live entry had to go. */
int kn_expect_add(kn_expect_tab_t *t, const kn_expect_t *e, kn_time_t now);

/* The expectation a new flow (oriented client to server) fulfils, removed from the table into
 * *out; 0 when none (or it expired). */
int kn_expect_take(kn_expect_tab_t *t, const kn_flow_info_t *fi, kn_time_t now, kn_expect_t *out);

#endif
