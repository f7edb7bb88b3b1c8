/* check_hexfmt.c: unit tests of engine/hexfmt.c. */
#include "hexfmt.h"
#include "suites.h"

START_TEST(bytes_and_digests_as_hex)
{
    static const uint8_t b[] = {0x00, 0x9f, 0xab, 0xff};
    char out[64];

    ck_assert_str_eq(kn_hex(b, 4, 0, out), "009fabff");
    ck_assert_str_eq(kn_hex(b, 4, ':', out), "00:9f:ab:ff");
    ck_assert_str_eq(kn_hex(b, 0, ':', out), "");
    ck_assert_int_eq(kn_digest_hex(EVP_md5(), "abc", 3, 0, 0, out), 0);
    ck_assert_str_eq(out, "900150983cd24fb0d6963f7d28e17f72"); /* RFC 1321 A.5 */
    ck_assert_int_eq(kn_digest_hex(EVP_sha256(), "abc", 3, 6, 0, out), 0);
    ck_assert_str_eq(out, "ba7816bf8f01"); /* the first 6 bytes of FIPS 180-2's example */
    ck_assert_int_eq(kn_digest_hex(EVP_md5(), "abc", 3, 17, 0, out), -1); /* more than md5 */
}
END_TEST

START_TEST(hex_digits)
{
    ck_assert_int_eq(kn_hexval('0'), 0);
    ck_assert_int_eq(kn_hexval('9'), 9);
    ck_assert_int_eq(kn_hexval('a'), 10);
    ck_assert_int_eq(kn_hexval('F'), 15);
    ck_assert_int_eq(kn_hexval('g'), -1);
    ck_assert_int_eq(kn_hexval('&'), -1);
    ck_assert_int_eq(kn_hexval(0xc6), -1);
}
END_TEST

Suite *suite_hexfmt(void)
{
    Suite *s = suite_create("hexfmt");
    TCase *tc = tcase_create("hexfmt");

    tcase_add_test(tc, bytes_and_digests_as_hex);
    tcase_add_test(tc, hex_digits);
    suite_add_tcase(s, tc);
    return s;
}
