/* check_app_ssh.c: unit tests of engine/app_ssh.c (placeholder until the parser lands). */
#include "suites.h"

#include "applayer.h"

START_TEST(parser_is_registered)
{
    ck_assert_ptr_nonnull(kn_app_parser(KN_APP_SSH));
}
END_TEST

Suite *suite_app_ssh(void)
{
    Suite *s = suite_create("app_ssh");
    TCase *tc = tcase_create("app_ssh");

    tcase_add_test(tc, parser_is_registered);
    suite_add_tcase(s, tc);
    return s;
}
