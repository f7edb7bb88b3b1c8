/* check_cursor.c: the bounds-checked reader never reads past its end and keeps its error. */
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "suites.h"

START_TEST(reads_big_and_little_endian)
{
    static const uint8_t b[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
    kn_cursor_t c;

    kn_cur_init(&c, b, sizeof(b));
    ck_assert_uint_eq(kn_cur_be16(&c), 0x1234);
    ck_assert_uint_eq(kn_cur_u8(&c), 0x56);
    ck_assert_uint_eq(kn_cur_left(&c), 2);
    ck_assert_int_eq(c.err, 0);
    kn_cur_init(&c, b, sizeof(b));
    ck_assert_uint_eq(kn_cur_be32(&c), 0x12345678u);
    kn_cur_init(&c, b, sizeof(b));
    ck_assert_uint_eq(kn_cur_le16(&c), 0x3412);
    ck_assert_uint_eq(kn_cur_le16(&c), 0x7856);
}
END_TEST

START_TEST(overrun_is_sticky)
{
    uint8_t *b = malloc(3); /* exact size: ASan catches any read past it */
    kn_cursor_t c;

    memcpy(b, "\x01\x02\x03", 3);
    kn_cur_init(&c, b, 3);
    ck_assert_uint_eq(kn_cur_be16(&c), 0x0102);
    ck_assert_uint_eq(kn_cur_be32(&c), 0); /* 1 byte left: fails */
    ck_assert_int_eq(c.err, 1);
    ck_assert_uint_eq(kn_cur_u8(&c), 0); /* still failed, though one byte remains */
    ck_assert_uint_eq(kn_cur_left(&c), 0);
    ck_assert_ptr_null(kn_cur_take(&c, 1));
    free(b);
}
END_TEST

START_TEST(huge_skip_does_not_wrap)
{
    static const uint8_t b[4] = {0};
    kn_cursor_t c;

    kn_cur_init(&c, b, sizeof(b));
    kn_cur_skip(&c, 2);
    kn_cur_skip(&c, (size_t)-1);
    ck_assert_int_eq(c.err, 1);
    ck_assert_uint_eq(c.off, 2);
}
END_TEST

Suite *suite_cursor(void)
{
    Suite *s = suite_create("cursor");
    TCase *tc = tcase_create("bounds");

    tcase_add_test(tc, reads_big_and_little_endian);
    tcase_add_test(tc, overrun_is_sticky);
    tcase_add_test(tc, huge_skip_does_not_wrap);
    suite_add_tcase(s, tc);
    return s;
}
