/* check_app_tls.c: unit tests of engine/app_tls.c (placeholder until the parser lands). */
#include "suites.h"

#include "applayer.h"

START_TEST(parser_is_registered)
{
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_TLS));
}
END_TEST

Suite *suite_app_tls(void)
{
    Suite *s = suite_create("app_tls");
    TCase *tc = tcase_create("app_tls");

    tcase_add_test(tc, parser_is_registered);
    suite_add_tcase(s, tc);
    return s;
}
