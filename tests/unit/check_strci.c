/* check_strci.c: unit tests of engine/strci.h. */
#include "strci.h"
#include "suites.h"

#define B(s) ((const uint8_t *)(s))

START_TEST(case_folds_letters_only)
{
    ck_assert(kn_ci_eq(B("Content-Type"), 12, "content-type"));
    ck_assert(!kn_ci_eq(B("Content\rType"), 12, "content-type")); /* CR is not '-' */
    ck_assert(!kn_ci_eq(B("Content-Typ"), 11, "content-type"));
    ck_assert(!kn_ci_eq(B("USER@"), 5, "user`"));
    ck_assert(kn_ci_prefix(B("RETR file"), 9, "retr "));
    ck_assert(!kn_ci_prefix(B("RET"), 3, "retr"));
    ck_assert(kn_ci_mem(B("ehlo"), B("EHLO"), 4));
    ck_assert_int_eq(kn_lower('Q'), 'q');
    ck_assert_int_eq(kn_lower('['), '[');
}
END_TEST

Suite *suite_strci(void)
{
    Suite *s = suite_create("strci");
    TCase *tc = tcase_create("strci");

    tcase_add_test(tc, case_folds_letters_only);
    suite_add_tcase(s, tc);
    return s;
}
