/* check_app_expect.c: unit tests of engine/app_expect.c, the table of announced connections. */
#include <string.h>

#include "app_expect.h"
#include "suites.h"

#define SEC 1000000

static void addr4(kn_addr_t *a, uint8_t last)
{
    memset(a, 0, sizeof(*a));
    a->b[10] = a->b[11] = 0xff;
    a->b[12] = 10;
    a->b[15] = last;
}

static void expect(kn_expect_t *e, uint8_t client, uint8_t server, uint16_t port)
{
    memset(e, 0, sizeof(*e));
    e->ipproto = 6;
    e->app = KN_APP_FTP_DATA;
    addr4(&e->client, client);
    addr4(&e->server, server);
    e->server_port = port;
    e->ctx_len = 5;
    memcpy(e->ctx, "RETR", 5);
}

static void flow(kn_flow_info_t *fi, uint8_t client, uint8_t server, uint16_t port)
{
    memset(fi, 0, sizeof(*fi));
    fi->proto = 6;
    addr4(&fi->src, client);
    addr4(&fi->dst, server);
    fi->sp = 40000;
    fi->dp = port;
}

START_TEST(taken_once_by_the_right_flow)
{
    kn_expect_tab_t *t = kn_expect_new(64);
    kn_expect_t e, out;
    kn_flow_info_t fi;

    ck_assert_ptr_nonnull(t);
    expect(&e, 1, 2, 50000);
    ck_assert_int_eq(kn_expect_add(t, &e, 10 * SEC), 0);
    flow(&fi, 3, 2, 50000); /* another client */
    ck_assert_int_eq(kn_expect_take(t, &fi, 11 * SEC, &out), 0);
    flow(&fi, 1, 2, 50001); /* another port */
    ck_assert_int_eq(kn_expect_take(t, &fi, 11 * SEC, &out), 0);
    flow(&fi, 1, 2, 50000);
    fi.proto = 17;
    ck_assert_int_eq(kn_expect_take(t, &fi, 11 * SEC, &out), 0);
    fi.proto = 6;
    ck_assert_int_eq(kn_expect_take(t, &fi, 11 * SEC, &out), 1);
    ck_assert_uint_eq(out.app, KN_APP_FTP_DATA);
    ck_assert_str_eq((const char *)out.ctx, "RETR");
    ck_assert_int_eq(kn_expect_take(t, &fi, 11 * SEC, &out), 0); /* one flow per expectation */
    kn_expect_free(t);
}
END_TEST

START_TEST(expires_and_any_client)
{
    kn_expect_tab_t *t = kn_expect_new(64);
    kn_expect_t e, out;
    kn_flow_info_t fi;

    expect(&e, 1, 2, 50000);
    kn_expect_add(t, &e, 10 * SEC);
    flow(&fi, 1, 2, 50000);
    ck_assert_int_eq(kn_expect_take(t, &fi, 200 * SEC, &out), 0); /* two minutes went by */
    e.any_client = 1;
    kn_expect_add(t, &e, 300 * SEC);
    flow(&fi, 9, 2, 50000);
    ck_assert_int_eq(kn_expect_take(t, &fi, 301 * SEC, &out), 1);
    kn_expect_free(t);
}
END_TEST

/* More live expectations on one slot run than it holds: the oldest goes, counted. */
START_TEST(full_run_drops_the_oldest)
{
    kn_expect_tab_t *t = kn_expect_new(16);
    kn_expect_t e, out;
    kn_flow_info_t fi;
    int i, dropped = 0;

    expect(&e, 1, 2, 50000);
    for (i = 0; i < 5; i++) {
        memcpy(e.ctx, i ? "STOR" : "RETR", 5);
        dropped += kn_expect_add(t, &e, (10 + i) * SEC);
    }
    ck_assert_int_eq(dropped, 1);
    flow(&fi, 1, 2, 50000);
    for (i = 0; i < 4; i++) {
        ck_assert_int_eq(kn_expect_take(t, &fi, 20 * SEC, &out), 1);
        ck_assert_str_eq((const char *)out.ctx, "STOR"); /* the RETR one was the oldest */
    }
    ck_assert_int_eq(kn_expect_take(t, &fi, 20 * SEC, &out), 0);
    kn_expect_free(t);
}
END_TEST

Suite *suite_app_expect(void)
{
    Suite *s = suite_create("app_expect");
    TCase *tc = tcase_create("app_expect");

    tcase_add_test(tc, taken_once_by_the_right_flow);
    tcase_add_test(tc, expires_and_any_client);
    tcase_add_test(tc, full_run_drops_the_oldest);
    suite_add_tcase(s, tc);
    return s;
}
