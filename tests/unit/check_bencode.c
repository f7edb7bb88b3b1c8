/* check_bencode.c: unit tests of engine/bencode.c: every value type, nesting limits, the
 * malformed forms BEP 3 forbids, every truncation of a valid value, and walking lists and
 * dictionaries. */
#include <stdlib.h>
#include <string.h>

#include "bencode.h"
#include "kanshi.h"
#include "suites.h"

static int parse(const char *s, unsigned depth, kn_benc_t *v, uint32_t *used)
{
    return kn_benc_parse((const uint8_t *)s, (uint32_t)strlen(s), depth, v, used);
}

START_TEST(integers)
{
    kn_benc_t v;
    uint32_t used;

    ck_assert_int_eq(parse("i42e", 1, &v, &used), KN_OK);
    ck_assert_int_eq(v.type, KN_BENC_INT);
    ck_assert_int_eq(v.num, 42);
    ck_assert_uint_eq(used, 4);
    ck_assert_int_eq(parse("i-17etrailing", 1, &v, &used), KN_OK);
    ck_assert_int_eq(v.num, -17);
    ck_assert_uint_eq(used, 5); /* what follows is the caller's */
    ck_assert_int_eq(parse("i0e", 1, &v, &used), KN_OK);
    ck_assert_int_eq(v.num, 0);
    ck_assert_int_eq(parse("i9223372036854775807e", 1, &v, &used), KN_OK);
    ck_assert(v.num == INT64_MAX);
    ck_assert_int_eq(parse("i-9223372036854775808e", 1, &v, &used), KN_OK);
    ck_assert(v.num == INT64_MIN);
}
END_TEST

START_TEST(bad_integers)
{
    static const char *bad[] = {"ie",  "i-e", "i-0e", "i03e", "i1",   "i1x",
                                "i+1e", "i9223372036854775808e", "i 1e", "i--1e"};
    kn_benc_t v;
    uint32_t used;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(parse(bad[i], 1, &v, &used) == KN_ERR, "%s", bad[i]);
}
END_TEST

START_TEST(strings)
{
    kn_benc_t v;
    uint32_t used;
    static const uint8_t bin[] = {'3', ':', 0, 0xff, '\n'};

    ck_assert_int_eq(parse("4:spam", 1, &v, &used), KN_OK);
    ck_assert_int_eq(v.type, KN_BENC_STR);
    ck_assert_uint_eq(v.str.len, 4);
    ck_assert(memcmp(v.str.p, "spam", 4) == 0);
    ck_assert_int_eq(parse("0:", 1, &v, &used), KN_OK);
    ck_assert_uint_eq(v.str.len, 0);
    ck_assert_uint_eq(used, 2);
    ck_assert_int_eq(kn_benc_parse(bin, sizeof(bin), 1, &v, &used), KN_OK);
    ck_assert_uint_eq(v.str.len, 3);
    ck_assert_uint_eq(v.str.p[1], 0xff);
    ck_assert_int_eq(parse("5:spam", 1, &v, &used), KN_ERR);          /* runs past the end */
    ck_assert_int_eq(parse("04:spam", 1, &v, &used), KN_ERR);         /* leading zero */
    ck_assert_int_eq(parse("4spam", 1, &v, &used), KN_ERR);           /* no colon */
    ck_assert_int_eq(parse("99999999999:x", 1, &v, &used), KN_ERR);   /* beyond 32 bits */
    ck_assert_int_eq(parse(":", 1, &v, &used), KN_ERR);
    ck_assert_int_eq(parse("", 1, &v, &used), KN_ERR);
}
END_TEST

START_TEST(dict_walk_and_get)
{
    static const char *doc = "d1:ai1e3:bob4:spam4:listl1:xi2ee1:zd1:kdeee";
    kn_benc_t v, w;
    kn_benc_iter_t it;
    kn_str_t k;
    uint32_t used;
    int n = 0;

    ck_assert_int_eq(parse(doc, 3, &v, &used), KN_OK);
    ck_assert_int_eq(v.type, KN_BENC_DICT);
    ck_assert_uint_eq(used, strlen(doc));
    ck_assert_uint_eq(v.raw.len, strlen(doc));
    kn_benc_iter(&it, &v);
    while (kn_benc_dict_next(&it, &k, &w))
        n++;
    ck_assert_int_eq(n, 4);
    ck_assert(kn_benc_dict_get(&v, "bob", &w));
    ck_assert_int_eq(w.type, KN_BENC_STR);
    ck_assert(memcmp(w.str.p, "spam", 4) == 0);
    ck_assert(kn_benc_dict_get(&v, "list", &w));
    ck_assert_int_eq(w.type, KN_BENC_LIST);
    kn_benc_iter(&it, &w);
    ck_assert(kn_benc_list_next(&it, &v));
    ck_assert_int_eq(v.type, KN_BENC_STR);
    ck_assert(kn_benc_list_next(&it, &v));
    ck_assert_int_eq(v.num, 2);
    ck_assert(!kn_benc_list_next(&it, &v));
    ck_assert_int_eq(parse(doc, 3, &v, &used), KN_OK);
    ck_assert(!kn_benc_dict_get(&v, "missing", &w));
    ck_assert(!kn_benc_dict_get(&v, "b", &w)); /* a prefix of a key is not the key */
}
END_TEST

START_TEST(depth_limit)
{
    kn_benc_t v;
    uint32_t used;
    char deep[2 * KN_BENC_DEPTH_MAX + 4];
    unsigned i;

    ck_assert_int_eq(parse("llee", 2, &v, &used), KN_OK);
    ck_assert_int_eq(parse("llee", 1, &v, &used), KN_ERR);
    ck_assert_int_eq(parse("d1:ad1:bleee", 3, &v, &used), KN_OK);
    ck_assert_int_eq(parse("d1:ad1:bleee", 2, &v, &used), KN_ERR);
    ck_assert_int_eq(parse("le", 0, &v, &used), KN_ERR);
    for (i = 0; i <= KN_BENC_DEPTH_MAX; i++) {
        deep[i] = 'l';
        deep[KN_BENC_DEPTH_MAX + 1 + i] = 'e';
    }
    deep[2 * KN_BENC_DEPTH_MAX + 2] = '\0';
    ck_assert_int_eq(parse(deep, 1000, &v, &used), KN_ERR); /* the hard limit holds */
    ck_assert_int_eq(parse(deep + 1, 1000, &v, &used), KN_OK); /* exactly at it */
    ck_assert_uint_eq(used, 2 * KN_BENC_DEPTH_MAX);            /* the extra 'e' is not its */
}
END_TEST

START_TEST(malformed_containers)
{
    static const char *bad[] = {"d",      "l",       "di1e1:xe", "d1:ae",  "d1:a",
                                "e",      "x",       "dle1:xe",  "l1:x",   "d1:ai1e",
                                "li1e2:x", "d1:al", "ld1:a1:b"};
    kn_benc_t v;
    uint32_t used;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(parse(bad[i], 8, &v, &used) == KN_ERR, "%s", bad[i]);
    ck_assert_int_eq(parse("de", 1, &v, &used), KN_OK);
    ck_assert_int_eq(parse("le", 1, &v, &used), KN_OK);
    /* unsorted keys are accepted (real clients do not all sort) */
    ck_assert_int_eq(parse("d1:bi1e1:ai2ee", 1, &v, &used), KN_OK);
}
END_TEST

/* Every proper prefix of a valid document is rejected, and never read past. */
START_TEST(every_truncation_is_an_error)
{
    static const char *doc = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
    size_t n = strlen(doc), cut;
    kn_benc_t v;
    uint32_t used;

    ck_assert_int_eq(parse(doc, 3, &v, &used), KN_OK);
    for (cut = 0; cut < n; cut++) {
        uint8_t *b = malloc(cut ? cut : 1); /* exact size: ASan sees any over-read */
        memcpy(b, doc, cut);
        ck_assert_msg(kn_benc_parse(b, (uint32_t)cut, 3, &v, &used) == KN_ERR, "cut %zu", cut);
        free(b);
    }
}
END_TEST

Suite *suite_bencode(void)
{
    Suite *s = suite_create("bencode");
    TCase *tc = tcase_create("bencode");

    tcase_add_test(tc, integers);
    tcase_add_test(tc, bad_integers);
    tcase_add_test(tc, strings);
    tcase_add_test(tc, dict_walk_and_get);
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, malformed_containers);
    tcase_add_test(tc, every_truncation_is_an_error);
    suite_add_tcase(s, tc);
    return s;
}
