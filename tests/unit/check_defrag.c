/* check_defrag.c: IPv4/IPv6 reassembly, the overlap policies, timeouts and caps. */
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "collect.h"
#include "decode.h"
#include "defrag.h"
#include "pktbuild.h"
#include "suites.h"

static kn_engine_config_t cfg;
static kn_counters_t ctr;
static kn_decoder_t dec;
static kn_defrag_t *df;
static uint8_t *out;
static tb_t frame;

static void setup(void)
{
    kn_engine_config_defaults(&cfg);
    memset(&ctr, 0, sizeof(ctr));
    dec.cfg = &cfg;
    dec.ctr = &ctr;
    df = kn_defrag_new(&cfg, &ctr);
    out = malloc(KN_DEFRAG_OUT_MAX);
}

static void teardown(void)
{
    kn_defrag_free(df);
    free(out);
}

/* One IPv4 fragment of datagram id 7 carrying data at byte offset off. */
static uint32_t frag4_n(uint16_t off, int mf, const char *data, size_t n, double ts,
                        kn_packet_t *p)
{
    tb_init(&frame);
    tb_eth(&frame, 0x0800);
    tb_ipv4_ex(&frame, "10.0.0.1", "10.0.0.2", 17, 7, off, mf, NULL, 0);
    tb_bytes(&frame, data, n);
    tb_finish(&frame);
    memset(p, 0, sizeof(*p));
    p->data = frame.b;
    p->caplen = p->wirelen = (uint32_t)frame.len;
    p->linktype = KN_LINK_ETHERNET;
    p->ts = (kn_time_t)(ts * 1e6);
    ck_assert_int_eq(kn_decode(&dec, p, KN_L_NONE), KN_OK);
    ck_assert(p->flags & KN_PKT_FRAGMENT);
    return kn_defrag_insert(df, p, out);
}

static uint32_t frag4(uint16_t off, int mf, const char *data, double ts, kn_packet_t *p)
{
    return frag4_n(off, mf, data, strlen(data), ts, p);
}

/* A UDP header (ports 1000 -> 2000, length 8 + 24) as text-safe fragment data is awkward, so
 * the first fragment's payload is built by hand. */
static const char *udp_head(void)
{
    static char h[9];
    h[0] = 0x03; h[1] = (char)0xe8; h[2] = 0x07; h[3] = (char)0xd0;
    h[4] = 0; h[5] = 32; h[6] = 0; h[7] = 0; h[8] = 0;
    return h;
}

static int has_anomaly(const kn_packet_t *p, kn_anomaly_t a)
{
    uint8_t i;
    for (i = 0; i < p->anomaly_n; i++)
        if (p->anomalies[i] == a)
            return 1;
    return 0;
}

START_TEST(ipv4_in_order_and_reversed)
{
    kn_packet_t p;
    uint32_t n;
    char first[17];
    int pass;

    memcpy(first, udp_head(), 8);
    memcpy(first + 8, "AAAAAAAA", 9);
    for (pass = 0; pass < 2; pass++) {
        kn_defrag_flush(df);
        if (pass == 0) {
            ck_assert_uint_eq(frag4_n(0, 1, first, 16, 1, &p), 0);
            ck_assert_uint_eq(frag4(16, 1, "BBBBBBBB", 1, &p), 0);
            n = frag4(24, 0, "CCCCCCCC", 1, &p);
        } else {
            ck_assert_uint_eq(frag4(24, 0, "CCCCCCCC", 1, &p), 0);
            ck_assert_uint_eq(frag4(16, 1, "BBBBBBBB", 1, &p), 0);
            n = frag4_n(0, 1, first, 16, 1, &p);
        }
        ck_assert_uint_eq(n, 20 + 32);
        ck_assert_uint_eq(out[2] << 8 | out[3], 52);        /* total length */
        ck_assert_uint_eq((out[6] << 8 | out[7]) & 0x3fff, 0); /* no MF, no offset */
        ck_assert_uint_eq(kn_csum_fold(kn_csum_add(0, out, 20)), 0);
        ck_assert_mem_eq(out + 28, "AAAAAAAABBBBBBBBCCCCCCCC", 24);
    }
    ck_assert_uint_eq(ctr.c[KN_CTR_DEFRAG_V4_REASSEMBLED], 2);
    ck_assert_uint_eq(ctr.c[KN_CTR_DEFRAG_V4_FRAGMENTS], 6);
}
END_TEST

/* Fragments: X at 0 (8 bytes), Y at 0 (16 bytes, same start, arrives second), Z at 16 (last).
 * Then W at 8 arrives before V at 0 in a second datagram to see who wins when the later
 * fragment starts lower. Returns the byte at payload offset 4 and 12. */
static void overlap_case(int policy, char *tie4, char *tie12)
{
    kn_packet_t p;

    cfg.defrag_policy = (uint8_t)policy;
    kn_defrag_flush(df);
    frag4(0, 1, "XXXXXXXX", 1, &p);
    frag4(0, 1, "YYYYYYYYYYYYYYYY", 1, &p);
    ck_assert(has_anomaly(&p, KN_ANOM_IPV4_FRAG_OVERLAP));
    ck_assert_uint_eq(frag4(16, 0, "ZZZZZZZZ", 1, &p), 20 + 24);
    *tie4 = (char)out[20 + 4];
    *tie12 = (char)out[20 + 12];
}

START_TEST(overlap_policies_same_start)
{
    char a, b;

    overlap_case(KN_DEFRAG_BSD, &a, &b);
    ck_assert_int_eq(a, 'X'); /* tie: the first fragment wins */
    ck_assert_int_eq(b, 'Y'); /* only Y covers 8..15 */
    overlap_case(KN_DEFRAG_LINUX, &a, &b);
    ck_assert_int_eq(a, 'Y'); /* tie: the last fragment wins */
    overlap_case(KN_DEFRAG_FIRST, &a, &b);
    ck_assert_int_eq(a, 'X');
    overlap_case(KN_DEFRAG_LAST, &a, &b);
    ck_assert_int_eq(a, 'Y');
}
END_TEST

static char lower_start_case(int policy)
{
    kn_packet_t p;

    cfg.defrag_policy = (uint8_t)policy;
    kn_defrag_flush(df);
    frag4(8, 1, "WWWWWWWW", 1, &p);
    frag4(0, 1, "VVVVVVVVVVVVVVVV", 1, &p); /* starts lower, covers W's bytes too */
    ck_assert_uint_eq(frag4(16, 0, "ZZZZZZZZ", 1, &p), 20 + 24);
    return (char)out[20 + 12];
}

START_TEST(overlap_policies_lower_start)
{
    ck_assert_int_eq(lower_start_case(KN_DEFRAG_BSD), 'V');
    ck_assert_int_eq(lower_start_case(KN_DEFRAG_LINUX), 'V');
    ck_assert_int_eq(lower_start_case(KN_DEFRAG_FIRST), 'W');
    ck_assert_int_eq(lower_start_case(KN_DEFRAG_LAST), 'V');
}
END_TEST

/* The IP id of a reassembled datagram comes round again: the new datagram is reassembled on its
 * own, not ignored (a decoy must not hide the datagram that follows it). */
START_TEST(reused_id_starts_over)
{
    kn_packet_t p;

    frag4(0, 1, "AAAAAAAA", 1, &p);
    ck_assert_uint_eq(frag4(8, 0, "BBBBBBBB", 1, &p), 36);
    ck_assert_uint_eq(frag4(8, 0, "DDDDDDDD", 2, &p), 0);
    ck_assert_uint_eq(p.anomaly_n, 0);
    ck_assert_uint_eq(frag4(0, 1, "CCCCCCCC", 2, &p), 36);
    ck_assert_mem_eq(out + 20, "CCCCCCCCDDDDDDDD", 16);
    ck_assert_uint_eq(ctr.c[KN_CTR_DEFRAG_V4_REASSEMBLED], 2);
}
END_TEST

START_TEST(incomplete_trains_time_out)
{
    kn_packet_t p;

    frag4(0, 1, "AAAAAAAA", 100, &p);
    kn_defrag_tick(df, (kn_time_t)(100 + cfg.defrag_timeout - 1) * KN_USEC);
    ck_assert_uint_eq(ctr.c[KN_CTR_DEFRAG_V4_TIMEOUTS], 0);
    kn_defrag_tick(df, (kn_time_t)(100 + cfg.defrag_timeout + 1) * KN_USEC);
    ck_assert_uint_eq(ctr.c[KN_CTR_DEFRAG_V4_TIMEOUTS], 1);
    ck_assert_uint_eq(ctr.c[KN_CTR_DEFRAG_MEMUSE], 0);
    /* the rest of the datagram now starts a new train that never completes */
    ck_assert_uint_eq(frag4(8, 0, "BBBBBBBB", 200, &p), 0);
}
END_TEST

START_TEST(caps_are_enforced_and_counted)
{
    kn_packet_t p;

    cfg.defrag_max_frags = 1;
    frag4(0, 1, "AAAAAAAA", 1, &p);
    ck_assert_uint_eq(frag4(8, 0, "BBBBBBBB", 1, &p), 0);
    ck_assert_uint_eq(ctr.c[KN_CTR_DEFRAG_MAX_FRAGS], 1);
    cfg.defrag_max_frags = 100;
    cfg.defrag_memcap = 1; /* not even one train fits */
    kn_defrag_flush(df);
    ck_assert_uint_eq(frag4(0, 1, "AAAAAAAA", 1, &p), 0);
    ck_assert_uint_ge(ctr.c[KN_CTR_DEFRAG_MEMCAP_DROP], 1);
}
END_TEST

/* Through the whole engine: an IPv6 datagram in two fragments becomes one UDP flow packet. */
START_TEST(ipv6_through_engine)
{
    collect_t *col = calloc(1, sizeof(*col));
    kn_engine_t *e = kn_engine_new(&cfg, collect_cb, col);
    const kn_flow_info_t *f;
    tb_t t;
    int i;

    for (i = 0; i < 2; i++) {
        tb_init(&t);
        tb_eth(&t, 0x86dd);
        tb_ipv6(&t, "2001:db8::1", "2001:db8::2", 44);
        tb_u8(&t, 17);
        tb_u8(&t, 0);
        tb_be16(&t, (uint16_t)(i == 0 ? 0x0001 : 16)); /* offset 0 + M, then offset 16 */
        tb_be32(&t, 0x99);
        if (i == 0) {
            tb_be16(&t, 1000);
            tb_be16(&t, 2000);
            tb_be16(&t, 8 + 16);
            tb_be16(&t, 0);
            tb_text(&t, "01234567");
        } else {
            tb_text(&t, "89abcdef");
        }
        tb_finish(&t);
        ck_assert_int_eq(collect_feed(e, t.b, t.len, 5.0, KN_LINK_ETHERNET), KN_OK);
    }
    kn_engine_flush(e);
    ck_assert_uint_eq(kn_engine_counters(e)->c[KN_CTR_DEFRAG_V6_REASSEMBLED], 1);
    f = collect_find(col, 17, 2000);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->pkts[KN_TOSERVER], 1);
    ck_assert_uint_eq(f->bytes[KN_TOSERVER], 14 + 40 + 8 + 16); /* with the link header */
    kn_engine_free(e);
    free(col);
}
END_TEST

Suite *suite_defrag(void)
{
    Suite *s = suite_create("defrag");
    TCase *tc = tcase_create("reassembly");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, ipv4_in_order_and_reversed);
    tcase_add_test(tc, overlap_policies_same_start);
    tcase_add_test(tc, overlap_policies_lower_start);
    tcase_add_test(tc, reused_id_starts_over);
    tcase_add_test(tc, incomplete_trains_time_out);
    tcase_add_test(tc, caps_are_enforced_and_counted);
    tcase_add_test(tc, ipv6_through_engine);
    suite_add_tcase(s, tc);
    return s;
}
