/* udpfeed.h: one Ethernet/IPv4/UDP datagram built and fed to an engine, for the suites whose
 * protocols run over UDP (DNS, QUIC, the BitTorrent DHT). */
#ifndef KANSHI_TESTS_UDPFEED_H
#define KANSHI_TESTS_UDPFEED_H

#include <stddef.h>
#include <stdint.h>

#include "kanshi.h"

/* n bytes of payload from src:sp to dst:dp, fed at the suite's clock *now after advancing it
 * 1 ms (as tcpconv does per segment). */
void udp_feed(kn_engine_t *eng, double *now, const char *src, uint16_t sp, const char *dst,
              uint16_t dp, const void *p, size_t n);

#endif
