/* check_applayer.c: unit tests of engine/applayer.c (the parser table; probing is tested
 * through each protocol's suite). */
#include "suites.h"

#include "applayer.h"

START_TEST(table_has_the_parsers)
{
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_HTTP));
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_TLS));
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_SSH));
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_DNS));
    ck_assert_ptr_null(kn_app_parser(KN_APP_MODBUS));
    ck_assert_int_eq(kn_app_parser(KN_APP_HTTP)->ipproto, 6);
}
END_TEST

Suite *suite_applayer(void)
{
    Suite *s = suite_create("applayer");
    TCase *tc = tcase_create("applayer");

    tcase_add_test(tc, table_has_the_parsers);
    suite_add_tcase(s, tc);
    return s;
}
