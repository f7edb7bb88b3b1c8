/* tcpconv.h: one TCP conversation, 10.0.0.1 (client) and 10.0.0.2 (server), fed to an engine
 * segment by segment with sequence numbers kept: the app-layer suites build their sessions
 * with it. */
#ifndef KANSHI_TESTS_TCPCONV_H
#define KANSHI_TESTS_TCPCONV_H

#include <stddef.h>
#include <stdint.h>

#include "kanshi.h"

typedef struct tcpconv {
    kn_engine_t *eng;
    double *now;          /* the suite's clock (seconds), advanced 1 ms per segment */
    uint16_t cport, sport;
    uint32_t cseq, sseq;  /* next sequence number of each side */
} tcpconv_t;

/* A conversation on eng between cport and sport; no packet is sent. */
void tc_init(tcpconv_t *c, kn_engine_t *eng, double *now, uint16_t cport, uint16_t sport);

/* SYN, SYN/ACK, ACK from the initial sequence numbers given. */
void tc_handshake(tcpconv_t *c, uint32_t cseq, uint32_t sseq);

/* One segment with flags and len bytes of data, acknowledging all the other side sent; SYN and
 * FIN take one sequence number each, as in RFC 9293. */
void tc_seg(tcpconv_t *c, int to_server, uint8_t flags, const void *data, size_t len);

/* len bytes sent in segments of chunk bytes, each acknowledged by the other side. */
void tc_send(tcpconv_t *c, int to_server, const void *data, size_t len, size_t chunk);

/* tc_send of a text. */
void tc_xmit(tcpconv_t *c, int to_server, const char *text, size_t chunk);

/* FIN/ACK from one side (the client when to_server), FIN/ACK back, and the last ACK. */
void tc_close(tcpconv_t *c, int to_server);

#endif
