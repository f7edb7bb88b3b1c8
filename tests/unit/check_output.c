/* check_output.c: the file sink keeps lines whole and in order, reopens on request, and counts
 * what a failing disk loses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "suites.h"

static char dir[] = "/tmp/kanshi-out-XXXXXX";

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[600];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        return;
}

START_TEST(lines_stay_whole_and_ordered)
{
    char path[600], err[256], *line, *buf;
    kn_output_stats_t st;
    kn_output_t *o;
    unsigned seed = 7;
    size_t i, n;
    FILE *fp;

    snprintf(path, sizeof(path), "%s/eve.json", dir);
    o = kn_output_open(path, 1, err, sizeof(err));
    ck_assert_ptr_nonnull(o);
    line = malloc(600000);
    for (i = 0; i < 20000; i++) {
        n = i == 777 ? 500000 : (size_t)(rand_r(&seed) % 300) + 10; /* one line > a batch */
        memset(line, 'a' + (int)(i % 26), n);
        n = (size_t)snprintf(line, 16, "%06zu", i) + n - 6;
        line[6] = ':';
        kn_output_line(o, line, n);
    }
    ck_assert_int_eq(kn_output_close(o, &st), 0);
    ck_assert_uint_eq(st.lines, 20000);
    ck_assert_uint_eq(st.written, 20000);
    ck_assert_uint_eq(st.dropped, 0);
    fp = fopen(path, "r");
    buf = malloc(600000);
    for (i = 0; fgets(buf, 600000, fp); i++) {
        ck_assert_int_eq((int)strtol(buf, NULL, 10), (int)i);
        ck_assert_ptr_nonnull(strchr(buf, '\n'));
    }
    ck_assert_uint_eq(i, 20000);
    fclose(fp);
    free(buf);
    free(line);
}
END_TEST

START_TEST(reopen_after_rotation)
{
    char path[600], rotated[600], err[256];
    kn_output_t *o;

    snprintf(path, sizeof(path), "%s/eve.json", dir);
    snprintf(rotated, sizeof(rotated), "%s/eve.json.1", dir);
    o = kn_output_open(path, 1, err, sizeof(err));
    kn_output_line(o, "{\"a\":1}", 7);
    kn_output_flush(o);
    usleep(100000);
    ck_assert_int_eq(rename(path, rotated), 0);
    kn_output_reopen(o);
    kn_output_line(o, "{\"b\":2}", 7);
    ck_assert_int_eq(kn_output_close(o, NULL), 0);
    ck_assert_int_eq(access(path, F_OK), 0);
    ck_assert_int_eq(access(rotated, F_OK), 0);
}
END_TEST

START_TEST(full_disk_is_counted)
{
    kn_output_stats_t st;
    char err[256];
    kn_output_t *o;
    int i;

    if (access("/dev/full", W_OK) != 0)
        return;
    o = kn_output_open("/dev/full", 1, err, sizeof(err));
    ck_assert_ptr_nonnull(o);
    for (i = 0; i < 100; i++)
        kn_output_line(o, "{\"x\":1}", 7);
    ck_assert_int_eq(kn_output_close(o, &st), -1);
    ck_assert_uint_eq(st.dropped, 100);
    ck_assert_uint_ge(st.write_errors, 1);
}
END_TEST

START_TEST(unwritable_path_fails_with_reason)
{
    char err[256];

    ck_assert_ptr_null(kn_output_open("/nonexistent-dir/eve.json", 1, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "No such file or directory"));
}
END_TEST

Suite *suite_output(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("file");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, lines_stay_whole_and_ordered);
    tcase_add_test(tc, reopen_after_rotation);
    tcase_add_test(tc, full_disk_is_counted);
    tcase_add_test(tc, unwritable_path_fails_with_reason);
    suite_add_tcase(s, tc);
    return s;
}
