/* bt_client.h: which BitTorrent client a peer id names, by the conventions clients follow
 * (BEP 20 "Peer ID Conventions"). */
#ifndef KANSHI_ENGINE_BT_CLIENT_H
#define KANSHI_ENGINE_BT_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "appinfo.h"

/* The client of a 20-byte peer id: *name a static string ("uTorrent"), *version written into
 * buf (cap bytes, "3.5.5"). Both are left {NULL, 0} when the id follows no known convention. */
void kn_bt_client(const uint8_t *peer_id, kn_str_t *name, char *buf, size_t cap,
                  kn_str_t *version);

#endif
