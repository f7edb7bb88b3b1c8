/* main.c: runs every unit suite. Check forks each test (CK_FORK), so a crash in one test is a
 * failure of that test, not of the run. One suite or case: CK_RUN_SUITE=decode,
 * CK_RUN_CASE=truncation (Check's own variables). */
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    Suite *(*const all[])(void) = {
        suite_cursor, suite_decode, suite_tunnel, suite_defrag, suite_flow, suite_stream,
        suite_community_id, suite_engine, suite_config, suite_eve, suite_output, suite_filestore,
        suite_reasm, suite_detect, suite_rule, suite_match, suite_applayer, suite_app_expect,
        suite_hexfmt, suite_strci, suite_app_http, suite_file, suite_pe, suite_app_dns,
        suite_app_tls, suite_app_ssh, suite_app_smtp, suite_app_ftp, suite_app_quic, suite_bencode,
        suite_app_irc, suite_app_bittorrent, suite_app_bt_transport};
    SRunner *sr = srunner_create(all[0]());
    size_t i;
    int failed;

    for (i = 1; i < sizeof(all) / sizeof(all[0]); i++)
        srunner_add_suite(sr, all[i]());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    printf("unit: %d tests, %d failed\n", srunner_ntests_run(sr), failed);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
