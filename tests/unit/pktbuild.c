/* pktbuild.c: see pktbuild.h. */
#include "pktbuild.h"

#include <arpa/inet.h>
#include <string.h>

enum { L_IP4 = 1, L_IP6, L_TCP, L_UDP, L_ICMP, L_ICMP6 };

void tb_init(tb_t *t)
{
    memset(t, 0, sizeof(*t));
}

void tb_bytes(tb_t *t, const void *p, size_t n)
{
    if (t->len + n > TB_MAX)
        n = TB_MAX - t->len;
    memcpy(t->b + t->len, p, n);
    t->len += n;
}

void tb_u8(tb_t *t, uint8_t v)
{
    tb_bytes(t, &v, 1);
}

void tb_be16(tb_t *t, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    tb_bytes(t, b, 2);
}

void tb_be32(tb_t *t, uint32_t v)
{
    tb_be16(t, (uint16_t)(v >> 16));
    tb_be16(t, (uint16_t)v);
}

void tb_text(tb_t *t, const char *s)
{
    tb_bytes(t, s, strlen(s));
}

static void mark(tb_t *t, int kind)
{
    if (t->nlayers < TB_LAYERS) {
        t->layer[t->nlayers].kind = kind;
        t->layer[t->nlayers].off = t->len;
        t->nlayers++;
    }
}

void tb_eth(tb_t *t, uint16_t type)
{
    static const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
    tb_bytes(t, macs, 12);
    tb_be16(t, type);
}

void tb_vlan(tb_t *t, uint16_t vid, uint16_t type)
{
    tb_be16(t, vid);
    tb_be16(t, type);
}

void tb_ipv4_ex(tb_t *t, const char *src, const char *dst, uint8_t proto, uint16_t id,
                uint16_t frag_off_bytes, int mf, const uint8_t *opts, size_t olen)
{
    uint8_t a[4];

    mark(t, L_IP4);
    tb_u8(t, (uint8_t)(0x40 | ((20 + olen) / 4)));
    tb_u8(t, 0);
    tb_be16(t, 0); /* total length: tb_finish */
    tb_be16(t, id);
    tb_be16(t, (uint16_t)((mf ? 0x2000 : 0) | (frag_off_bytes / 8)));
    tb_u8(t, 64);
    tb_u8(t, proto);
    tb_be16(t, 0);
    inet_pton(AF_INET, src, a);
    tb_bytes(t, a, 4);
    inet_pton(AF_INET, dst, a);
    tb_bytes(t, a, 4);
    if (olen)
        tb_bytes(t, opts, olen);
}

void tb_ipv4(tb_t *t, const char *src, const char *dst, uint8_t proto)
{
    tb_ipv4_ex(t, src, dst, proto, 0x1234, 0, 0, NULL, 0);
}

void tb_ipv6(tb_t *t, const char *src, const char *dst, uint8_t nh)
{
    uint8_t a[16];

    mark(t, L_IP6);
    tb_be32(t, 0x60000000);
    tb_be16(t, 0);
    tb_u8(t, nh);
    tb_u8(t, 64);
    inet_pton(AF_INET6, src, a);
    tb_bytes(t, a, 16);
    inet_pton(AF_INET6, dst, a);
    tb_bytes(t, a, 16);
}

void tb_tcp_opts(tb_t *t, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack, uint8_t flags,
                 const uint8_t *opts, size_t olen)
{
    mark(t, L_TCP);
    tb_be16(t, sp);
    tb_be16(t, dp);
    tb_be32(t, seq);
    tb_be32(t, ack);
    tb_u8(t, (uint8_t)(((20 + olen) / 4) << 4));
    tb_u8(t, flags);
    tb_be16(t, 65535);
    tb_be16(t, 0);
    tb_be16(t, 0);
    if (olen)
        tb_bytes(t, opts, olen);
}

void tb_tcp(tb_t *t, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack, uint8_t flags)
{
    tb_tcp_opts(t, sp, dp, seq, ack, flags, NULL, 0);
}

void tb_udp(tb_t *t, uint16_t sp, uint16_t dp)
{
    mark(t, L_UDP);
    tb_be16(t, sp);
    tb_be16(t, dp);
    tb_be16(t, 0);
    tb_be16(t, 0);
}

static void icmp_common(tb_t *t, int kind, uint8_t type, uint8_t code, uint16_t id, uint16_t seq)
{
    mark(t, kind);
    tb_u8(t, type);
    tb_u8(t, code);
    tb_be16(t, 0);
    tb_be16(t, id);
    tb_be16(t, seq);
}

void tb_icmp(tb_t *t, uint8_t type, uint8_t code, uint16_t id, uint16_t seq)
{
    icmp_common(t, L_ICMP, type, code, id, seq);
}

void tb_icmp6(tb_t *t, uint8_t type, uint8_t code, uint16_t id, uint16_t seq)
{
    icmp_common(t, L_ICMP6, type, code, id, seq);
}

static uint32_t sum16(const uint8_t *b, size_t n, uint32_t s)
{
    size_t i;

    for (i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(b[i] << 8 | b[i + 1]);
    if (n & 1)
        s += (uint32_t)b[n - 1] << 8;
    return s;
}

static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The IP layer that encloses layer i. */
static int enclosing_ip(const tb_t *t, int i)
{
    while (--i >= 0)
        if (t->layer[i].kind == L_IP4 || t->layer[i].kind == L_IP6)
            return i;
    return -1;
}

static void l4_checksum(tb_t *t, int i, size_t csum_at)
{
    int ip = enclosing_ip(t, i);
    size_t off = t->layer[i].off, len = t->len - off;
    const uint8_t *h;
    uint32_t s = 0;
    uint8_t proto;

    if (ip < 0)
        return;
    h = t->b + t->layer[ip].off;
    put16(t->b + off + csum_at, 0);
    if (t->layer[i].kind != L_ICMP) {
        proto = t->layer[i].kind == L_TCP ? 6 : t->layer[i].kind == L_UDP ? 17 : 58;
        s = t->layer[ip].kind == L_IP4 ? sum16(h + 12, 8, 0) : sum16(h + 8, 32, 0);
        s += proto + (uint32_t)len;
    }
    s = sum16(t->b + off, len, s);
    put16(t->b + off + csum_at, fold(s));
}

void tb_finish(tb_t *t)
{
    int i;

    for (i = 0; i < t->nlayers; i++) {
        size_t off = t->layer[i].off;
        if (t->layer[i].kind == L_IP4)
            put16(t->b + off + 2, (uint16_t)(t->len - off));
        else if (t->layer[i].kind == L_IP6)
            put16(t->b + off + 4, (uint16_t)(t->len - off - 40));
        else if (t->layer[i].kind == L_UDP)
            put16(t->b + off + 4, (uint16_t)(t->len - off));
    }
    for (i = t->nlayers - 1; i >= 0; i--) {
        size_t off = t->layer[i].off;
        switch (t->layer[i].kind) {
        case L_IP4:
            put16(t->b + off + 10, 0);
            put16(t->b + off + 10, fold(sum16(t->b + off, (size_t)(t->b[off] & 15) * 4, 0)));
            break;
        case L_TCP:
            l4_checksum(t, i, 16);
            break;
        case L_UDP:
            l4_checksum(t, i, 6);
            break;
        case L_ICMP:
        case L_ICMP6:
            l4_checksum(t, i, 2);
            break;
        default:
            break;
        }
    }
}

void tb_corrupt_last(tb_t *t)
{
    if (t->len)
        t->b[t->len - 1] ^= 0x5a;
}
