/* suites.h: every Check suite the unit test runner knows. */
#ifndef KANSHI_TESTS_SUITES_H
#define KANSHI_TESTS_SUITES_H

#include <check.h>

Suite *suite_cursor(void);
Suite *suite_decode(void);
Suite *suite_tunnel(void);
Suite *suite_defrag(void);
Suite *suite_flow(void);
Suite *suite_stream(void);
Suite *suite_community_id(void);
Suite *suite_engine(void);
Suite *suite_config(void);
Suite *suite_eve(void);
Suite *suite_output(void);
Suite *suite_filestore(void);
Suite *suite_rule(void);
Suite *suite_match(void);
Suite *suite_reasm(void);
Suite *suite_detect(void);
Suite *suite_applayer(void);
Suite *suite_hexfmt(void);
Suite *suite_strci(void);
Suite *suite_app_expect(void);
Suite *suite_app_http(void);
Suite *suite_file(void);
Suite *suite_pe(void);
Suite *suite_app_dns(void);
Suite *suite_app_tls(void);
Suite *suite_app_ssh(void);
Suite *suite_app_smtp(void);
Suite *suite_app_ftp(void);
Suite *suite_app_quic(void);
Suite *suite_bencode(void);
Suite *suite_app_irc(void);
Suite *suite_app_bittorrent(void);
Suite *suite_app_bt_transport(void);

#endif
