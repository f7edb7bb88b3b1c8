/* check_filestore.c: unit tests of sensor/filestore.c — files named by sha256, temporary
 * copies removed, the open-file cap, and a missing directory reported. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include "filestore.h"
#include "suites.h"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/kanshi-fs-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void data(kn_filestore_t *fs, const kn_flow_info_t *fl, const kn_file_info_t *f,
                 const char *text)
{
    kn_event_t ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = KN_EV_FILE_DATA;
    ev.flow = fl;
    ev.u.file.file = f;
    ev.u.file.data = (const uint8_t *)text;
    ev.u.file.len = (uint32_t)strlen(text);
    kn_filestore_data(fs, &ev);
}

static int finish(kn_filestore_t *fs, const kn_flow_info_t *fl, kn_file_info_t *f,
                  const char *whole)
{
    kn_event_t ev;
    unsigned int n = 0;

    if (whole) {
        EVP_Digest(whole, strlen(whole), f->sha256, &n, EVP_sha256(), NULL);
        f->has_sha256 = 1;
    }
    memset(&ev, 0, sizeof(ev));
    ev.type = KN_EV_FILE;
    ev.flow = fl;
    ev.u.file.file = f;
    return kn_filestore_close(fs, &ev);
}

static int count_files(const char *sub)
{
    char cmd[160];
    FILE *p;
    int n = -1;

    snprintf(cmd, sizeof(cmd), "find %s/%s -type f | wc -l", dir, sub);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

/* Two files written interleaved end up under their sha256 with the right bytes; one that
 * ends without a hash leaves nothing behind; the same content twice is stored once. */
START_TEST(files_by_sha256)
{
    char err[256], path[256], buf[64];
    kn_filestore_t *fs = kn_filestore_new(dir, 8, err, sizeof(err));
    kn_flow_info_t fl = {.flow_id = 7};
    kn_file_info_t a, b, c;
    FILE *fp;
    size_t n;

    ck_assert_ptr_nonnull(fs);
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    memset(&c, 0, sizeof(c));
    data(fs, &fl, &a, "hello ");
    data(fs, &fl, &b, "cut ");
    data(fs, &fl, &a, "world");
    data(fs, &fl, &c, "hello world");
    ck_assert_int_eq(finish(fs, &fl, &a, "hello world"), 1);
    ck_assert_int_eq(finish(fs, &fl, &b, NULL), 0);
    ck_assert_int_eq(finish(fs, &fl, &c, "hello world"), 1); /* already there */
    snprintf(path, sizeof(path),
             "%s/b9/b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", dir);
    ck_assert_ptr_nonnull(fp = fopen(path, "rb"));
    n = fread(buf, 1, sizeof(buf), fp);
    fclose(fp);
    ck_assert_uint_eq(n, 11);
    ck_assert_int_eq(memcmp(buf, "hello world", 11), 0);
    ck_assert_int_eq(count_files("tmp"), 0);
    ck_assert_int_eq(count_files("."), 1);
    ck_assert_uint_eq(kn_filestore_stats(fs)->stored, 2);
    ck_assert_uint_eq(kn_filestore_stats(fs)->duplicate, 1);
    ck_assert_uint_eq(kn_filestore_stats(fs)->discarded, 1);
    kn_filestore_free(fs);
}
END_TEST

/* More files at once than max-open: the extra one is skipped, counted, and its end is a
 * no-op; the store keeps working. */
START_TEST(open_file_cap)
{
    char err[256];
    kn_filestore_t *fs = kn_filestore_new(dir, 1, err, sizeof(err));
    kn_flow_info_t fl = {.flow_id = 1};
    kn_file_info_t a, b;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    data(fs, &fl, &a, "one");
    data(fs, &fl, &b, "two");
    ck_assert_uint_eq(kn_filestore_stats(fs)->skipped, 1);
    ck_assert_int_eq(finish(fs, &fl, &b, "two"), 0);
    ck_assert_int_eq(finish(fs, &fl, &a, "one"), 1);
    data(fs, &fl, &b, "two");
    ck_assert_int_eq(finish(fs, &fl, &b, "two"), 1);
    kn_filestore_free(fs);
}
END_TEST

START_TEST(bad_directory_is_reported)
{
    char err[256], bad[128];
    int fd;

    snprintf(bad, sizeof(bad), "%s/plainfile", dir);
    fd = open(bad, O_CREAT | O_WRONLY, 0600);
    ck_assert_int_ge(fd, 0);
    close(fd);
    snprintf(bad, sizeof(bad), "%s/plainfile/store", dir);
    ck_assert_ptr_null(kn_filestore_new(bad, 4, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "cannot create"));
}
END_TEST

Suite *suite_filestore(void)
{
    Suite *s = suite_create("filestore");
    TCase *tc = tcase_create("filestore");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, files_by_sha256);
    tcase_add_test(tc, open_file_cap);
    tcase_add_test(tc, bad_directory_is_reported);
    suite_add_tcase(s, tc);
    return s;
}
