/* app_bittorrent_private.h: what the peer wire parser (app_bittorrent.c) shares with the
 * transports and disguises it is found in: Message Stream Encryption (app_bittorrent_mse.c)
 * and uTP (app_utp.c). Engine only. */
#ifndef KANSHI_ENGINE_APP_BITTORRENT_PRIVATE_H
#define KANSHI_ENGINE_APP_BITTORRENT_PRIVATE_H

#include <stdint.h>

#define KN_BT_PSTR "\x13" "BitTorrent protocol"
#define KN_BT_PSTR_LEN 20u

/* Where a handshake sent in the clear after an MSE key exchange can start: the responder's
 * Yb (96) + PadB (<= 512) + VC, crypto_select, len(PadD) (14) + PadD (<= 512); the
 * initiator's is at most 42 bytes later (its two 20-byte hashes and len(IA)). */
#define KN_BT_MSE_MIN_OFFSET 110u
#define KN_BT_MSE_MAX_OFFSET 1200u

/* Looking for the protocol string in a byte stream that may end anywhere. */
typedef struct kn_bt_scan {
    uint16_t seen;   /* bytes looked at so far */
    uint8_t matched; /* bytes of KN_BT_PSTR matched by the last ones seen */
} kn_bt_scan_t;

/* Consumes bytes of d until the protocol string is complete (*found = 1: the bytes used end
 * with it) or len runs out; stops early (*found = -1) once the string could no longer start
 * within KN_BT_MSE_MAX_OFFSET. Returns the bytes used. */
uint32_t kn_bt_mse_scan(kn_bt_scan_t *sc, const uint8_t *d, uint32_t len, int *found);

/* The responder's first bytes of a connection obfuscated with MSE whose payload it then
 * sends in the clear: KN_OK when the handshake is there, KN_AGAIN while it may still come. */
int kn_bt_mse_probe(const uint8_t *d, uint32_t len, int dir);

/* Marks a peer wire state of kn_app_bittorrent_parser as carried by uTP (app_utp.c). */
void kn_bt_set_utp(void *st);

#endif
