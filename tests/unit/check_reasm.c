/* check_reasm.c: one direction of TCP reassembly — in-order and early segments, the overlap
 * policies, retransmissions, sequence wraparound, depth, memcap, gaps and the inspection
 * window. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reasm.h"
#include "suites.h"

static kn_counters_t ctr;
static kn_reasm_pool_t pool;

static void setup(void)
{
    memset(&ctr, 0, sizeof(ctr));
    memset(&pool, 0, sizeof(pool));
    pool.memcap = 1 << 20;
    pool.overlap = 4;
    pool.policy = KN_TCP_POLICY_BSD;
    pool.ctr = &ctr;
}

static unsigned add(kn_reasm_t *r, uint32_t seq, const char *s)
{
    return kn_reasm_add(&pool, r, seq, (const uint8_t *)s, (uint32_t)strlen(s));
}

/* The window's bytes from its fresh offset on, as a string (for short test data). */
static const char *fresh(const kn_reasm_t *r)
{
    static char out[256];
    const uint8_t *b;
    uint32_t len;
    uint64_t base, fr;

    kn_reasm_window(r, &b, &len, &base, &fr);
    ck_assert_uint_le(fr - base, len);
    memcpy(out, b + (fr - base), len - (fr - base));
    out[len - (fr - base)] = '\0';
    return out;
}

START_TEST(in_order_bytes_are_new_data)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 1000);

    ck_assert_uint_eq(add(r, 1000, "abc"), KN_RA_NEW_DATA);
    ck_assert_uint_eq(add(r, 1003, "def"), KN_RA_NEW_DATA);
    ck_assert_str_eq(fresh(r), "abcdef");
    ck_assert_uint_eq(kn_reasm_size(r), 6);
    kn_reasm_free(&pool, r);
    ck_assert_uint_eq(pool.memuse, 0);
}
END_TEST

START_TEST(consumed_keeps_the_overlap_only)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 1);
    const uint8_t *b;
    uint32_t len;
    uint64_t base, fr;

    add(r, 1, "0123456789");
    kn_reasm_consumed(&pool, r);
    ck_assert(!kn_reasm_fresh(r));
    add(r, 11, "AB");
    kn_reasm_window(r, &b, &len, &base, &fr);
    ck_assert_uint_eq(base, 6); /* four old bytes kept: "6789" */
    ck_assert_uint_eq(fr, 10);
    ck_assert_int_eq(memcmp(b, "6789AB", 6), 0);
    kn_reasm_free(&pool, r);
}
END_TEST

START_TEST(early_segment_waits_for_the_hole)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 100);

    ck_assert_uint_eq(add(r, 103, "def") & KN_RA_NEW_DATA, 0);
    ck_assert(!kn_reasm_fresh(r));
    ck_assert_uint_eq(add(r, 100, "abc") & KN_RA_NEW_DATA, KN_RA_NEW_DATA);
    ck_assert_str_eq(fresh(r), "abcdef");
    kn_reasm_free(&pool, r);
}
END_TEST

START_TEST(retransmission_is_flagged_not_new)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 100);

    add(r, 100, "abcdef");
    ck_assert_uint_eq(add(r, 100, "abc"), KN_RA_RETRANSMIT);
    ck_assert_uint_eq(add(r, 102, "XY"), KN_RA_RETRANSMIT | KN_RA_OVERLAP_DIFF);
    ck_assert_str_eq(fresh(r), "abcdef"); /* bytes held stay (they were inspected) */
    ck_assert_uint_eq(add(r, 104, "efgh"), KN_RA_RETRANSMIT | KN_RA_NEW_DATA);
    ck_assert_str_eq(fresh(r), "abcdefgh");
    kn_reasm_free(&pool, r);
}
END_TEST

/* Two early segments that overlap, then the hole fills: the policy chooses the bytes. */
static const char *overlap_result(int policy, uint32_t s1, const char *d1, uint32_t s2,
                                  const char *d2)
{
    static char out[64];
    kn_reasm_t *r;

    pool.policy = (uint8_t)policy;
    r = kn_reasm_new(&pool, 100);
    add(r, s1, d1);
    ck_assert_uint_ne(add(r, s2, d2) & KN_RA_OVERLAP_DIFF, 0);
    add(r, 100, "__");
    snprintf(out, sizeof(out), "%s", fresh(r));
    kn_reasm_free(&pool, r);
    return out;
}

START_TEST(overlap_policies)
{
    /* new segment starts lower than the held one */
    ck_assert_str_eq(overlap_result(KN_TCP_POLICY_BSD, 104, "bbbb", 102, "AAAA"), "__AAAAbb");
    ck_assert_str_eq(overlap_result(KN_TCP_POLICY_FIRST, 104, "bbbb", 102, "AAAA"), "__AAbbbb");
    ck_assert_str_eq(overlap_result(KN_TCP_POLICY_LAST, 104, "bbbb", 102, "AAAA"), "__AAAAbb");
    /* same start: bsd keeps what it holds, linux takes the longer new one */
    ck_assert_str_eq(overlap_result(KN_TCP_POLICY_BSD, 102, "bb", 102, "AAAA"), "__bbAA");
    ck_assert_str_eq(overlap_result(KN_TCP_POLICY_LINUX, 102, "bb", 102, "AAAA"), "__AAAA");
    /* windows: the held bytes stay unless the new segment covers them all */
    ck_assert_str_eq(overlap_result(KN_TCP_POLICY_WINDOWS, 103, "bbb", 102, "AAA"), "__Abbb");
    ck_assert_str_eq(overlap_result(KN_TCP_POLICY_WINDOWS, 103, "bb", 102, "AAAA"), "__AAAA");
    /* new segment starts higher: only last takes it */
    ck_assert_str_eq(overlap_result(KN_TCP_POLICY_BSD, 102, "bbbb", 104, "AAAA"), "__bbbbAA");
    ck_assert_str_eq(overlap_result(KN_TCP_POLICY_LAST, 102, "bbbb", 104, "AAAA"), "__bbAAAA");
}
END_TEST

START_TEST(sequence_wraparound_is_invisible)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 0xfffffffcu);

    ck_assert_uint_eq(add(r, 0xfffffffcu, "abcd"), KN_RA_NEW_DATA);
    ck_assert_uint_eq(add(r, 0, "efgh"), KN_RA_NEW_DATA); /* 2^32 wraps to 0 */
    ck_assert_uint_eq(add(r, 8, "mn") & KN_RA_NEW_DATA, 0); /* early, after the wrap */
    ck_assert_uint_eq(add(r, 4, "ijkl"), KN_RA_NEW_DATA);
    ck_assert_str_eq(fresh(r), "abcdefghijklmn");
    ck_assert_uint_eq(kn_reasm_size(r), 14);
    kn_reasm_free(&pool, r);
}
END_TEST

START_TEST(bytes_before_the_first_sequence_number_are_cut)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 100);

    ck_assert_uint_eq(add(r, 96, "xxxxab"), KN_RA_BEFORE_BASE | KN_RA_NEW_DATA);
    ck_assert_str_eq(fresh(r), "ab");
    ck_assert_uint_eq(add(r, 90, "yy"), KN_RA_BEFORE_BASE);
    kn_reasm_free(&pool, r);
}
END_TEST

START_TEST(depth_stops_reassembly_once)
{
    kn_reasm_t *r;

    pool.depth = 5;
    r = kn_reasm_new(&pool, 1);
    ck_assert_uint_eq(add(r, 1, "abc"), KN_RA_NEW_DATA);
    ck_assert_uint_eq(add(r, 4, "defg"), KN_RA_NEW_DATA | KN_RA_DEPTH);
    ck_assert_uint_eq(add(r, 8, "hi"), KN_RA_PAST_DEPTH); /* the depth anomaly only once */
    ck_assert_uint_eq(add(r, 6, "fg"), KN_RA_PAST_DEPTH);
    ck_assert_str_eq(fresh(r), "abcde");
    kn_reasm_free(&pool, r);
}
END_TEST

START_TEST(memcap_refuses_and_counts)
{
    kn_reasm_t *r;
    char big[600];

    pool.memcap = 1500; /* the record, a 1 KiB window, not much more */
    r = kn_reasm_new(&pool, 1);
    ck_assert_ptr_nonnull(r);
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ck_assert_uint_eq(add(r, 1, big), KN_RA_NEW_DATA);
    ck_assert_uint_eq(add(r, 1 + 599, big), KN_RA_MEMCAP); /* would grow the window to 2 KiB */
    ck_assert_uint_eq(add(r, 5000, big), KN_RA_MEMCAP);    /* an early segment, also refused */
    ck_assert_uint_eq(ctr.c[KN_CTR_TCP_SEGMENT_MEMCAP], 2);
    ck_assert_uint_le(pool.memuse, pool.memcap);
    kn_reasm_free(&pool, r);
    ck_assert_uint_eq(pool.memuse, 0);
}
END_TEST

START_TEST(gap_is_skipped_after_two_acks)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 1);

    add(r, 1, "ab");
    kn_reasm_consumed(&pool, r);
    add(r, 10, "XYZ"); /* bytes 3..9 never come */
    ck_assert_uint_eq(kn_reasm_ack(&pool, r, 13), 0); /* once: may be reordering */
    ck_assert_uint_eq(kn_reasm_ack(&pool, r, 13), KN_RA_GAP | KN_RA_NEW_DATA);
    ck_assert_str_eq(fresh(r), "XYZ");
    ck_assert_uint_eq(ctr.c[KN_CTR_TCP_REASSEMBLY_GAP], 1);
    ck_assert_uint_eq(kn_reasm_size(r), 12);
    kn_reasm_free(&pool, r);
}
END_TEST

START_TEST(gap_waits_while_bytes_before_it_are_uninspected)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 1);

    add(r, 1, "ab"); /* not consumed yet */
    add(r, 10, "XYZ");
    ck_assert_uint_eq(kn_reasm_ack(&pool, r, 13), 0);
    ck_assert_uint_eq(kn_reasm_ack(&pool, r, 13), 0);
    kn_reasm_consumed(&pool, r);
    ck_assert_uint_eq(kn_reasm_ack(&pool, r, 13), KN_RA_GAP | KN_RA_NEW_DATA);
    kn_reasm_free(&pool, r);
}
END_TEST

START_TEST(data_arriving_resets_the_gap_count)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 1);

    add(r, 1, "ab");
    kn_reasm_consumed(&pool, r);
    ck_assert_uint_eq(kn_reasm_ack(&pool, r, 5), 0);
    add(r, 3, "c"); /* the late segment came */
    kn_reasm_consumed(&pool, r);
    ck_assert_uint_eq(kn_reasm_ack(&pool, r, 5), 0); /* counting starts again */
    add(r, 4, "d");
    ck_assert_str_eq(fresh(r), "d");
    kn_reasm_free(&pool, r);
}
END_TEST

START_TEST(skip_at_flow_end_reaches_early_data)
{
    kn_reasm_t *r = kn_reasm_new(&pool, 1);

    add(r, 1, "ab");
    kn_reasm_consumed(&pool, r);
    add(r, 20, "tail");
    ck_assert_uint_eq(kn_reasm_skip(&pool, r), KN_RA_GAP | KN_RA_NEW_DATA);
    ck_assert_str_eq(fresh(r), "tail");
    ck_assert_uint_eq(kn_reasm_skip(&pool, r), 0); /* nothing held any more */
    kn_reasm_free(&pool, r);
}
END_TEST

Suite *suite_reasm(void)
{
    Suite *s = suite_create("reasm");
    TCase *tc = tcase_create("reasm");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, in_order_bytes_are_new_data);
    tcase_add_test(tc, consumed_keeps_the_overlap_only);
    tcase_add_test(tc, early_segment_waits_for_the_hole);
    tcase_add_test(tc, retransmission_is_flagged_not_new);
    tcase_add_test(tc, overlap_policies);
    tcase_add_test(tc, sequence_wraparound_is_invisible);
    tcase_add_test(tc, bytes_before_the_first_sequence_number_are_cut);
    tcase_add_test(tc, depth_stops_reassembly_once);
    tcase_add_test(tc, memcap_refuses_and_counts);
    tcase_add_test(tc, gap_is_skipped_after_two_acks);
    tcase_add_test(tc, gap_waits_while_bytes_before_it_are_uninspected);
    tcase_add_test(tc, data_arriving_resets_the_gap_count);
    tcase_add_test(tc, skip_at_flow_end_reaches_early_data);
    suite_add_tcase(s, tc);
    return s;
}
