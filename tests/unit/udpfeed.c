/* udpfeed.c: the datagram builder behind udpfeed.h. */
#include "udpfeed.h"

#include "collect.h"
#include "pktbuild.h"

void udp_feed(kn_engine_t *eng, double *now, const char *src, uint16_t sp, const char *dst,
              uint16_t dp, const void *p, size_t n)
{
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    tb_ipv4(&t, src, dst, 17);
    tb_udp(&t, sp, dp);
    tb_bytes(&t, p, n);
    tb_finish(&t);
    *now += 0.001;
    collect_feed(eng, t.b, t.len, *now, KN_LINK_ETHERNET);
}
