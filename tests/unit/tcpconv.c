/* tcpconv.c: the conversation builder behind tcpconv.h. */
#include "tcpconv.h"

#include <string.h>

#include "collect.h"
#include "pktbuild.h"

void tc_init(tcpconv_t *c, kn_engine_t *eng, double *now, uint16_t cport, uint16_t sport)
{
    memset(c, 0, sizeof(*c));
    c->eng = eng;
    c->now = now;
    c->cport = cport;
    c->sport = sport;
}

void tc_seg(tcpconv_t *c, int to_server, uint8_t flags, const void *data, size_t len)
{
    uint32_t used = (uint32_t)len + !!(flags & (KN_TH_SYN | KN_TH_FIN));
    tb_t t;

    tb_init(&t);
    tb_eth(&t, 0x0800);
    if (to_server) {
        tb_ipv4(&t, "10.0.0.1", "10.0.0.2", 6);
        tb_tcp(&t, c->cport, c->sport, c->cseq, c->sseq, flags);
    } else {
        tb_ipv4(&t, "10.0.0.2", "10.0.0.1", 6);
        tb_tcp(&t, c->sport, c->cport, c->sseq, c->cseq, flags);
    }
    if (len)
        tb_bytes(&t, data, len);
    tb_finish(&t);
    *c->now += 0.001;
    collect_feed(c->eng, t.b, t.len, *c->now, KN_LINK_ETHERNET);
    if (to_server)
        c->cseq += used;
    else
        c->sseq += used;
}

void tc_handshake(tcpconv_t *c, uint32_t cseq, uint32_t sseq)
{
    c->cseq = cseq;
    c->sseq = sseq;
    tc_seg(c, 1, KN_TH_SYN, NULL, 0);
    tc_seg(c, 0, KN_TH_SYN | KN_TH_ACK, NULL, 0);
    tc_seg(c, 1, KN_TH_ACK, NULL, 0);
}

void tc_send(tcpconv_t *c, int to_server, const void *data, size_t len, size_t chunk)
{
    const uint8_t *d = data;
    size_t off, n;

    for (off = 0; off < len; off += n) {
        n = len - off < chunk ? len - off : chunk;
        tc_seg(c, to_server, KN_TH_ACK | KN_TH_PSH, d + off, n);
        tc_seg(c, !to_server, KN_TH_ACK, NULL, 0);
    }
}

void tc_xmit(tcpconv_t *c, int to_server, const char *text, size_t chunk)
{
    tc_send(c, to_server, text, strlen(text), chunk);
}

void tc_close(tcpconv_t *c, int to_server)
{
    tc_seg(c, to_server, KN_TH_FIN | KN_TH_ACK, NULL, 0);
    tc_seg(c, !to_server, KN_TH_FIN | KN_TH_ACK, NULL, 0);
    tc_seg(c, to_server, KN_TH_ACK, NULL, 0);
}
