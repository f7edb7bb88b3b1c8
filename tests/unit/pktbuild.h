/* pktbuild.h: builds test frames layer by layer, then fixes every length and checksum, so a
 * test states the protocol fields it cares about and nothing else. Checksums are computed here
 * with a plain RFC 1071 loop, independently of the engine's checksum code. */
#ifndef KANSHI_TESTS_PKTBUILD_H
#define KANSHI_TESTS_PKTBUILD_H

#include <stddef.h>
#include <stdint.h>

#define TB_MAX 9000
#define TB_LAYERS 16

typedef struct tb {
    uint8_t b[TB_MAX];
    size_t len;
    struct { int kind; size_t off; } layer[TB_LAYERS];
    int nlayers;
} tb_t;

void tb_init(tb_t *t);
void tb_bytes(tb_t *t, const void *p, size_t n);
void tb_u8(tb_t *t, uint8_t v);
void tb_be16(tb_t *t, uint16_t v);
void tb_be32(tb_t *t, uint32_t v);
void tb_text(tb_t *t, const char *s);

void tb_eth(tb_t *t, uint16_t type);
void tb_vlan(tb_t *t, uint16_t vid, uint16_t type);
void tb_ipv4(tb_t *t, const char *src, const char *dst, uint8_t proto);
/* IPv4 with options (olen bytes, a multiple of 4) and fragment fields */
void tb_ipv4_ex(tb_t *t, const char *src, const char *dst, uint8_t proto, uint16_t id,
                uint16_t frag_off_bytes, int mf, const uint8_t *opts, size_t olen);
void tb_ipv6(tb_t *t, const char *src, const char *dst, uint8_t nh);
void tb_tcp(tb_t *t, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack, uint8_t flags);
void tb_tcp_opts(tb_t *t, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack, uint8_t flags,
                 const uint8_t *opts, size_t olen);
void tb_udp(tb_t *t, uint16_t sp, uint16_t dp);
void tb_icmp(tb_t *t, uint8_t type, uint8_t code, uint16_t id, uint16_t seq);
void tb_icmp6(tb_t *t, uint8_t type, uint8_t code, uint16_t id, uint16_t seq);

/* Sets every IP and UDP length and every checksum, innermost first. */
void tb_finish(tb_t *t);

/* The frame with its last byte changed, for checksum tests. */
void tb_corrupt_last(tb_t *t);

#endif
