/* app_bittorrent_mse.c: the peer wire behind Message Stream Encryption (MSE, also "protocol
 * encryption"; Vuze wiki "Message_Stream_Encryption", the de facto specification). MSE opens
 * with a Diffie-Hellman exchange (96 random-looking bytes each way plus random padding) and
 * RC4-encrypted negotiation; without the keys nothing of it can be read or verified. But when
 * the responder selects the "plaintext" method (crypto_select 0x01; libtorrent, qBittorrent
 * and Deluge do so when both are offered), everything after the negotiation goes in the clear:
 * the responder's BEP 3 handshake then appears whole, 110 to 1,134 bytes into its stream.
 *
 * That is the only MSE kanshi claims: the 20-byte protocol string at such an offset behind
 * random-looking bytes. Connections that chose RC4 look like any encrypted stream, and are
 * left alone: telling them from other random bytes takes guesses on packet sizes (what nDPI
 * does), which would label unknown encrypted TCP as BitTorrent. */
#include "applayer.h"

#include "app_bittorrent_private.h"

#define DH_LEN 96u           /* Ya / Yb: a 768-bit public value */
#define RANDOM_DISTINCT 64u  /* distinct values among 96 random bytes: 80 on average, sd 4 */

/* the probe must see the farthest handshake whole */
_Static_assert(KN_BT_MSE_MAX_OFFSET + KN_BT_PSTR_LEN <= KN_APP_PROBE_MAX,
               "the probe buffer is shorter than the MSE window");

uint32_t kn_bt_mse_scan(kn_bt_scan_t *sc, const uint8_t *d, uint32_t len, int *found)
{
    uint32_t i;

    *found = 0;
    for (i = 0; i < len; i++) {
        uint32_t pos = sc->seen;
        uint8_t c = d[i];

        if (!sc->matched && pos > KN_BT_MSE_MAX_OFFSET) {
            *found = -1;
            return i;
        }
        sc->seen++;
        /* the string's first byte (19) is nowhere else in it: a mismatch can only restart
         * a match on this very byte */
        if (c == (uint8_t)KN_BT_PSTR[sc->matched])
            sc->matched++;
        else
            sc->matched = c == (uint8_t)KN_BT_PSTR[0] && pos <= KN_BT_MSE_MAX_OFFSET;
        if (sc->matched == KN_BT_PSTR_LEN) {
            *found = 1;
            return i + 1;
        }
    }
    return len;
}

/* A DH public value is uniformly spread; text, headers and zero-filled structures are not. */
static int looks_random(const uint8_t *d)
{
    uint8_t seen[32] = {0};
    unsigned i, n = 0;

    for (i = 0; i < DH_LEN; i++) {
        if (!(seen[d[i] >> 3] & (1u << (d[i] & 7))))
            n++;
        seen[d[i] >> 3] |= (uint8_t)(1u << (d[i] & 7));
    }
    return n >= RANDOM_DISTINCT;
}

int kn_bt_mse_probe(const uint8_t *d, uint32_t len, int dir)
{
    kn_bt_scan_t sc = {KN_BT_MSE_MIN_OFFSET, 0};
    int found;

    if (dir != KN_TOCLIENT || len < DH_LEN || !looks_random(d))
        return KN_DECLINED;
    if (len <= KN_BT_MSE_MIN_OFFSET)
        return KN_AGAIN;
    kn_bt_mse_scan(&sc, d + KN_BT_MSE_MIN_OFFSET, len - KN_BT_MSE_MIN_OFFSET, &found);
    if (found > 0)
        return KN_OK;
    return found < 0 ? KN_DECLINED : KN_AGAIN;
}
