/* checksum.h: the Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo headers
 * (RFC 9293 3.1, RFC 768, RFC 8200 8.1) used by TCP, UDP and ICMPv6.
 *
 * Sums are kept in network byte order semantics: kn_csum_add() adds 32-bit words in host order
 * (RFC 1071 2(B): the sum is byte-order independent) and converts once when folding, which is
 * several times faster than adding 16-bit big-endian words on the packet path. */
#ifndef KANSHI_ENGINE_CHECKSUM_H
#define KANSHI_ENGINE_CHECKSUM_H

#include <stdint.h>
#include <string.h>

#include "packet.h"

/* Adds len bytes to a running sum. The message must be summed from its start in chunks of
 * even length; only the last chunk may be odd (padded with a zero byte). The result is a
 * host-order partial sum: combine it only with kn_csum_add() results and kn_csum_word(). */
static inline uint64_t kn_csum_add(uint64_t sum, const uint8_t *b, uint32_t len)
{
    uint32_t w;
    uint16_t h;

    while (len >= 4) {
        memcpy(&w, b, 4);
        sum += w;
        b += 4;
        len -= 4;
    }
    if (len >= 2) {
        memcpy(&h, b, 2);
        sum += h;
        b += 2;
        len -= 2;
    }
    if (len) {
        uint8_t pad[2] = {b[0], 0};
        memcpy(&h, pad, 2);
        sum += h;
    }
    return sum;
}

/* Adds a 16-bit value given in host order, as if it had been read from the wire. */
static inline uint64_t kn_csum_word(uint64_t sum, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    return kn_csum_add(sum, b, 2);
}

/* Folds the sum to 16 bits and complements it: 0 means the message verified. */
static inline uint16_t kn_csum_fold(uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Sum of the pseudo header for an upper-layer message of len bytes. */
static inline uint64_t kn_csum_pseudo(const kn_packet_t *p, uint8_t proto, uint32_t len)
{
    uint32_t alen = p->ip_v == 4 ? 4 : 16;
    uint64_t sum = 0;

    sum = kn_csum_add(sum, p->src.b, alen);
    sum = kn_csum_add(sum, p->dst.b, alen);
    sum = kn_csum_word(sum, proto);
    sum = kn_csum_word(sum, (uint16_t)(len >> 16));
    return kn_csum_word(sum, (uint16_t)len);
}

#endif
