/* check_config.c: defaults, a suricata.yaml-shaped file, --set, includes, and errors that
 * name file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "suites.h"

static char dir[] = "/tmp/kanshi-config-XXXXXX";
static char errpath[512];
static int saved_stderr;
static kn_config_t cfg;

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
    fflush(stderr);
    saved_stderr = dup(2);
    ck_assert(freopen(errpath, "w", stderr) != NULL);
    kn_config_defaults(&cfg);
}

static void teardown(void)
{
    char cmd[600];

    kn_config_free(&cfg);
    fflush(stderr);
    dup2(saved_stderr, 2);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        return;
}

static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* Everything written to stderr so far. */
static const char *messages(void)
{
    static char buf[8192];
    FILE *fp;
    size_t n;

    fflush(stderr);
    fp = fopen(errpath, "r");
    n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static int load(const char *text)
{
    cfg.config_file = strdup(write_file("kanshi.yaml", text));
    return kn_config_load(&cfg);
}

START_TEST(defaults_follow_suricata)
{
    ck_assert_int_eq(kn_config_load(&cfg), 0);
    ck_assert(cfg.eve_enabled);
    ck_assert(cfg.eve_types & KN_EVE_FLOW);
    ck_assert(cfg.eve_types & KN_EVE_STATS);
    ck_assert(cfg.eve_types & KN_EVE_ANOMALY);
    ck_assert_uint_eq(cfg.anomaly_types, KN_ANOMALY_APPLAYER); /* decode: no, as Suricata */
    ck_assert_uint_eq(cfg.stats_interval, 8);
    ck_assert_uint_eq(cfg.engine.flow_memcap, 128u << 20);
    ck_assert_uint_eq(cfg.engine.timeouts[KN_FC_TCP].established, 600);
    ck_assert_uint_eq(cfg.engine.midstream, 0);
}
END_TEST

START_TEST(reads_a_suricata_shaped_file)
{
    ck_assert_int_eq(load("%YAML 1.1\n---\n"
                          "vars:\n"
                          "  address-groups:\n"
                          "    HOME_NET: \"[10.0.0.0/8]\"\n"
                          "flow:\n"
                          "  memcap: 64mb\n"
                          "flow-timeouts:\n"
                          "  tcp:\n"
                          "    established: 30\n"
                          "stream:\n"
                          "  midstream: true\n"
                          "outputs:\n"
                          "  - fast:\n"
                          "      enabled: no\n"
                          "  - eve-log:\n"
                          "      enabled: yes\n"
                          "      filename: out.json\n"
                          "      types:\n"
                          "        - anomaly:\n"
                          "            types:\n"
                          "              decode: yes\n"
                          "        - flow\n"),
                     0);
    ck_assert_uint_eq(cfg.engine.flow_memcap, 64u << 20);
    ck_assert_uint_eq(cfg.engine.timeouts[KN_FC_TCP].established, 30);
    ck_assert_uint_eq(cfg.engine.timeouts[KN_FC_TCP].new_, 60);
    ck_assert_uint_eq(cfg.engine.midstream, 1);
    ck_assert_str_eq(cfg.eve_filename, "out.json");
    ck_assert_uint_eq(cfg.eve_types, KN_EVE_ANOMALY | KN_EVE_FLOW);
    ck_assert(cfg.anomaly_types & KN_ANOMALY_DECODE);
    ck_assert_uint_eq(cfg.address_groups.names.n, 1);
    ck_assert_str_eq(cfg.address_groups.values.v[0], "[10.0.0.0/8]");
    ck_assert_ptr_null(strstr(messages(), "error"));
}
END_TEST

/* files: force-magic and the file store, as Suricata spells them; defaults: magic on, store
 * off. */
START_TEST(files_and_file_store)
{
    ck_assert_int_eq(cfg.file_magic, 1);
    ck_assert_int_eq(cfg.filestore_enabled, 0);
    ck_assert_int_eq(load("%YAML 1.1\n---\n"
                          "outputs:\n"
                          "  - eve-log:\n"
                          "      types:\n"
                          "        - files:\n"
                          "            force-magic: no\n"
                          "  - file-store:\n"
                          "      version: 2\n"
                          "      enabled: yes\n"
                          "      dir: /var/lib/kanshi/files\n"
                          "      max-open-files: 32\n"
                          "      force-hash: [sha256]\n"),
                     0);
    ck_assert_int_eq(cfg.file_magic, 0);
    ck_assert_int_eq(cfg.filestore_enabled, 1);
    ck_assert_str_eq(cfg.filestore_dir, "/var/lib/kanshi/files");
    ck_assert_uint_eq(cfg.filestore_max_open, 32);
    ck_assert_uint_eq(cfg.engine.file_data_events, 1);
    ck_assert_ptr_null(strstr(messages(), "warning"));
    kn_config_free(&cfg);
    kn_config_defaults(&cfg);
    ck_assert_int_ne(load("outputs:\n  - file-store:\n      version: 1\n"), 0);
    ck_assert_ptr_nonnull(strstr(messages(), "only version 2"));
}
END_TEST

START_TEST(bad_value_names_file_and_line)
{
    ck_assert_int_eq(load("flow:\n  hash-size: 1000\n  memcap: lots\n"), 1);
    ck_assert_ptr_nonnull(strstr(messages(), "kanshi.yaml:3: flow.memcap: bad value 'lots'"));
}
END_TEST

START_TEST(syntax_error_names_file_line_column)
{
    ck_assert_int_eq(load("flow:\n  memcap: [1, 2\nstats: {}\n"), 1);
    ck_assert_ptr_nonnull(strstr(messages(), "kanshi.yaml:"));
    ck_assert_ptr_nonnull(strstr(messages(), "YAML syntax error"));
}
END_TEST

START_TEST(unknown_keys_are_warnings)
{
    ck_assert_int_eq(load("flow:\n  memcapp: 1mb\nhost-mode: auto\nnfq:\n  mode: accept\n"), 0);
    ck_assert_ptr_nonnull(strstr(messages(), "kanshi.yaml:2: 'flow.memcapp' is not a kanshi setting"));
    ck_assert_ptr_nonnull(strstr(messages(), "2 sections not used by kanshi: host-mode, nfq"));
}
END_TEST

START_TEST(set_overrides_the_file)
{
    kn_strlist_add(&cfg.sets, "flow.memcap=32mb");
    kn_strlist_add(&cfg.sets, "stats.interval=60");
    kn_strlist_add(&cfg.sets, "outputs.0.eve-log.filename=other.json");
    ck_assert_int_eq(load("flow:\n  memcap: 64mb\noutputs:\n  - eve-log:\n      filename: a.json\n"),
                     0);
    ck_assert_uint_eq(cfg.engine.flow_memcap, 32u << 20);
    ck_assert_uint_eq(cfg.stats_interval, 60);
    ck_assert_str_eq(cfg.eve_filename, "other.json");
}
END_TEST

START_TEST(bad_set_is_an_error)
{
    kn_strlist_add(&cfg.sets, "stats.interval=0");
    kn_strlist_add(&cfg.sets, "noequals");
    ck_assert_int_eq(kn_config_load(&cfg), 2);
    ck_assert_ptr_nonnull(strstr(messages(), "--set: stats.interval: bad value '0'"));
}
END_TEST

START_TEST(include_merges_files)
{
    write_file("extra.yaml", "stats:\n  interval: 30\n");
    ck_assert_int_eq(load("include: extra.yaml\nflow:\n  prealloc: 5\n"), 0);
    ck_assert_uint_eq(cfg.stats_interval, 30);
    ck_assert_uint_eq(cfg.engine.flow_prealloc, 5);
}
END_TEST

START_TEST(empty_file_is_defaults)
{
    ck_assert_int_eq(load(""), 0);
    ck_assert(cfg.eve_types & KN_EVE_FLOW);
}
END_TEST

START_TEST(tunnel_ports_and_vars)
{
    ck_assert_int_eq(load("vars:\n  port-groups:\n    VXLAN_PORTS: 8472\n"
                          "decoder:\n  vxlan:\n    enabled: true\n    ports: $VXLAN_PORTS\n"
                          "  teredo:\n    enabled: false\n"),
                     0);
    ck_assert_uint_eq(cfg.engine.vxlan_port, 8472);
    ck_assert_uint_eq(cfg.engine.teredo_port, 0);
}
END_TEST

START_TEST(defrag_policy)
{
    ck_assert_int_eq(load("defrag:\n  policy: linux\n"), 0);
    ck_assert_uint_eq(cfg.engine.defrag_policy, KN_DEFRAG_LINUX);
    kn_config_free(&cfg);
    kn_config_defaults(&cfg);
    ck_assert_int_eq(load("defrag:\n  policy: windows\n"), 1);
}
END_TEST

START_TEST(value_parsers)
{
    uint64_t v;
    int b;

    ck_assert_int_eq(kn_parse_size("128mb", &v), 0);
    ck_assert_uint_eq(v, 128u << 20);
    ck_assert_int_eq(kn_parse_size("2 GiB", &v), 0);
    ck_assert_uint_eq(v, 2ULL << 30);
    ck_assert_int_eq(kn_parse_size("4096", &v), 0);
    ck_assert_uint_eq(v, 4096);
    ck_assert_int_eq(kn_parse_size("-1mb", &v), -1);
    ck_assert_int_eq(kn_parse_size("99999999999999999999gb", &v), -1);
    ck_assert_int_eq(kn_parse_size("12qq", &v), -1);
    ck_assert_int_eq(kn_parse_bool("Yes", &b), 0);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(kn_parse_bool("off", &b), 0);
    ck_assert_int_eq(b, 0);
    ck_assert_int_eq(kn_parse_bool("maybe", &b), -1);
}
END_TEST

Suite *suite_config(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("load");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, defaults_follow_suricata);
    tcase_add_test(tc, reads_a_suricata_shaped_file);
    tcase_add_test(tc, files_and_file_store);
    tcase_add_test(tc, bad_value_names_file_and_line);
    tcase_add_test(tc, syntax_error_names_file_line_column);
    tcase_add_test(tc, unknown_keys_are_warnings);
    tcase_add_test(tc, set_overrides_the_file);
    tcase_add_test(tc, bad_set_is_an_error);
    tcase_add_test(tc, include_merges_files);
    tcase_add_test(tc, empty_file_is_defaults);
    tcase_add_test(tc, tunnel_ports_and_vars);
    tcase_add_test(tc, defrag_policy);
    tcase_add_test(tc, value_parsers);
    suite_add_tcase(s, tc);
    return s;
}
