/* check_rule.c: the rule parser: every keyword of the keyword tables, sticky buffers and legacy
 * modifiers, address and port sets, each error a rule can fail with (its kind, keyword and
 * column), and loading rule text into a rule set (counts, duplicates, file:line:column). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrset.h"
#include "anomaly.h"
#include "buffers.h"
#include "ruleset.h"
#include "suites.h"

/* A rule around some options: the tests read like rules. */
#define R(opts) "alert tcp any any -> any any (" opts " sid:1;)"

static kn_ruleset_t *rs;
static kn_sig_t *sig;
static kn_rule_msg_t msg;

static const char classes[] = "config classification: trojan-activity,A Network Trojan,1\n"
                              "config classification: misc-activity,Misc activity,3\n";

static void setup(void)
{
    rs = kn_ruleset_new();
    ck_assert_ptr_nonnull(rs);
    ck_assert_int_eq(kn_ruleset_add_classifications(rs, "c.config", classes, NULL, NULL), 0);
    sig = NULL;
}

static void teardown(void)
{
    kn_sig_free(sig);
    kn_ruleset_free(rs);
}

/* Parses a rule that must load; the signature stays in sig until the next parse. */
static kn_sig_t *parse(const char *rule)
{
    kn_sig_free(sig);
    memset(&msg, 0, sizeof(msg));
    sig = kn_rule_parse(rs, rule, &msg);
    ck_assert_msg(sig != NULL, "%.200s: %s: %s", rule, msg.keyword, msg.text);
    return sig;
}

/* Parses a rule that must not load, with this kind, keyword and a reason holding `what`. */
static void rejected(const char *rule, int kind, const char *kw, const char *what)
{
    kn_sig_free(sig);
    memset(&msg, 0, sizeof(msg));
    sig = kn_rule_parse(rs, rule, &msg);
    ck_assert_msg(sig == NULL, "loaded: %.200s", rule);
    ck_assert_msg(msg.kind == kind, "%.200s: kind %d", rule, msg.kind);
    ck_assert_msg(strcmp(msg.keyword, kw) == 0, "%.200s: keyword '%s'", rule, msg.keyword);
    ck_assert_msg(strstr(msg.text, what) != NULL, "%.200s: '%s' lacks '%s'", rule, msg.text,
                  what);
}

static void fails(const char *rule, const char *kw, const char *what)
{
    rejected(rule, KN_RULE_FAILED, kw, what);
}

static void unsupported(const char *rule, const char *kw, const char *what)
{
    rejected(rule, KN_RULE_UNSUPPORTED, kw, what);
}

/* Item i of list li of the last parsed rule. */
static const kn_sm_t *item(int li, int i)
{
    ck_assert_int_lt(li, sig->nlists);
    ck_assert_int_lt(i, sig->lists[li].n);
    return &sig->lists[li].sm[i];
}

/* The list of buffer buf that holds items, or NULL. */
static const kn_smlist_t *list_of(int buf)
{
    int i;

    for (i = 0; i < sig->nlists; i++)
        if (sig->lists[i].buf == buf && sig->lists[i].n)
            return &sig->lists[i];
    return NULL;
}

static const kn_content_t *content(int li, int i)
{
    ck_assert_uint_eq(item(li, i)->type, KN_SM_CONTENT);
    return &item(li, i)->u.content;
}

static void pattern_is(const kn_content_t *c, const void *bytes, size_t len)
{
    ck_assert_uint_eq(c->len, len);
    ck_assert_mem_eq(c->pat, bytes, len);
}

static const kn_bytes_t *bytes_item(int li, int i, int type)
{
    ck_assert_uint_eq(item(li, i)->type, type);
    return &item(li, i)->u.bytes;
}

/* ---- header -------------------------------------------------------------------------------- */

START_TEST(every_action)
{
    static const struct { const char *name; int act; } acts[] = {
        {"alert", KN_ACT_ALERT}, {"pass", KN_ACT_PASS}, {"drop", KN_ACT_DROP},
        {"sdrop", KN_ACT_DROP}, {"reject", KN_ACT_REJECT}, {"rejectsrc", KN_ACT_REJECT},
        {"rejectdst", KN_ACT_REJECT}, {"rejectboth", KN_ACT_REJECT}};
    char rule[128];
    size_t i;

    for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
        snprintf(rule, sizeof(rule), "%s tcp any any -> any any (sid:1;)", acts[i].name);
        ck_assert_uint_eq(parse(rule)->action, acts[i].act);
    }
}
END_TEST

START_TEST(every_transport_protocol)
{
    static const struct { const char *name; int proto; } protos[] = {
        {"ip", KN_SP_IP}, {"tcp", KN_SP_TCP}, {"tcp-pkt", KN_SP_TCP_PKT},
        {"tcp-stream", KN_SP_TCP_STREAM}, {"udp", KN_SP_UDP}, {"icmp", KN_SP_ICMP},
        {"icmpv4", KN_SP_ICMPV4}, {"icmpv6", KN_SP_ICMPV6}, {"sctp", KN_SP_SCTP},
        {"pkthdr", KN_SP_PKTHDR}, {"ipv4", KN_SP_IPV4}, {"ip4", KN_SP_IPV4},
        {"ipv6", KN_SP_IPV6}, {"ip6", KN_SP_IPV6}};
    char rule[128];
    size_t i;

    for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
        snprintf(rule, sizeof(rule), "alert %s any any -> any any (sid:1;)", protos[i].name);
        parse(rule);
        ck_assert_uint_eq(sig->proto, protos[i].proto);
        ck_assert_int_eq(sig->app, -1);
    }
}
END_TEST

START_TEST(app_protocol_in_header_needs_app_layer)
{
    parse("alert dns any any -> any any (sid:1;)");
    ck_assert_int_eq(sig->app, KN_APP_DNS);
    ck_assert_uint_eq(sig->proto, KN_SP_IP); /* DNS over TCP and UDP */
    ck_assert(sig->flags & KN_SIGF_NEEDS_APP);
    ck_assert_int_eq(parse("alert http1 any any -> any any (sid:1;)")->app, KN_APP_HTTP);
    ck_assert_int_eq(parse("alert tls any any -> any any (sid:1;)")->app, KN_APP_TLS);
}
END_TEST

START_TEST(directions)
{
    ck_assert_uint_eq(parse(R(""))->flags & (KN_SIGF_BIDIR | KN_SIGF_TRANSACTIONAL), 0);
    parse("alert tcp any any <> any any (sid:1;)");
    ck_assert_uint_eq(sig->flags & (KN_SIGF_BIDIR | KN_SIGF_TRANSACTIONAL), KN_SIGF_BIDIR);
    parse("alert tcp any any => any any (sid:1;)");
    ck_assert(sig->flags & KN_SIGF_TRANSACTIONAL);
    ck_assert(sig->flags & KN_SIGF_BIDIR);
}
END_TEST

START_TEST(defaults_of_a_minimal_rule)
{
    parse("alert tcp any any -> any any (sid:7;)");
    ck_assert_uint_eq(sig->sid, 7);
    ck_assert_uint_eq(sig->gid, 1);
    ck_assert_uint_eq(sig->rev, 0);
    ck_assert_str_eq(sig->msg, "");
    ck_assert_uint_eq(sig->priority, 3);
    ck_assert_int_eq(sig->classtype, -1);
    ck_assert_int_eq(sig->fp_list, -1);
    ck_assert_uint_eq(sig->nlists, 0);
    ck_assert(sig->src.any && sig->dst.any && sig->sp.any && sig->dp.any);
}
END_TEST

START_TEST(header_errors_fail_at_column_one)
{
    fails("alert tcp any any -> any (sid:1;)", "", "the header needs action");
    ck_assert_int_eq(msg.column, 1);
    fails("alert tcp any any -> any any sid:1;)", "", "expected '(' after the header");
    fails("alarm tcp any any -> any any (sid:1;)", "", "unknown action 'alarm'");
    fails("alert tcp any any <- any any (sid:1;)", "", "direction must be ->, <> or =>");
    ck_assert_int_eq(msg.column, 1);
}
END_TEST

START_TEST(unknown_protocol_is_unsupported)
{
    unsupported("alert foo any any -> any any (sid:1;)", "", "protocol 'foo' is not supported");
    ck_assert_int_eq(msg.column, 1);
}
END_TEST

START_TEST(parenthesis_and_semicolon_errors)
{
    /* no keyword is at fault: not the option before either */
    fails("alert tcp any any -> any any (msg:\"x\"; sid:1;", "", "missing ')'");
    ck_assert_int_eq(msg.column, 46); /* the end of the rule */
    fails("alert tcp any any -> any any (msg:\"x\"; sid:1)", "", "missing ';' after the last");
    ck_assert_int_eq(msg.column, 40); /* the option without its ';' */
    fails("alert tcp any any -> any any (sid:1;) extra", "", "text after the closing ')'");
    ck_assert_int_eq(msg.column, 39); /* where the extra text starts */
    parse("alert tcp any any -> any any (sid:1;)  \t");
}
END_TEST

START_TEST(unterminated_quote_fails)
{
    /* the ';' ends the option: the value keeps only its opening quote */
    fails(R("msg:\"a; b\";"), "msg", "unterminated quote");
    fails(R("content:\"abc;"), "content", "unterminated quote");
    fails(R("content:!\";"), "content", "unterminated quote");
    ck_assert_str_eq(parse(R("msg:\"a\\; b\";"))->msg, "a; b");
}
END_TEST

START_TEST(option_longer_than_the_limit_fails)
{
    size_t n = 9000;
    char *rule = malloc(n + 100), *p;

    p = rule + sprintf(rule, "alert tcp any any -> any any (content:\"");
    memset(p, 'a', n);
    strcpy(p + n, "\"; sid:1;)");
    fails(rule, "", "option longer than 8191 bytes");
    free(rule);
}
END_TEST

START_TEST(unknown_keyword_and_value_checks)
{
    fails(R("frobnicate:1;"), "frobnicate", "unknown keyword 'frobnicate'");
    fails(R("content;"), "content", "'content' needs a value");
    fails(R("content:;"), "content", "'content' needs a value");
    fails(R("content:\"a\"; nocase:yes;"), "nocase", "'nocase' takes no value");
    /* a sticky buffer name with a value is not a sticky buffer */
    fails(R("http.uri:x;"), "http.uri", "unknown keyword 'http.uri'");
}
END_TEST

START_TEST(every_unsupported_keyword)
{
    static const char *const kws[] = {
        "asn1", "ftpbounce", "lua", "luajit", "iprep", "geoip", "datarep", "dataset", "filestore",
        "filemagic",
        "replace", "rpc", "dce_iface", "dce_opnum", "dce_stub_data", "sameip_xx",
        "krb5_err_code", "krb5_msg_type", "modbus", "dnp3_func", "dnp3_ind", "dnp3_obj",
        "enip_command", "cip_service", "template", "pcrexform", "xor", "config", "entropy",
        "luaxform", "from_base64"};
    char rule[160];
    size_t i;

    for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (%s:x; sid:1;)", kws[i]);
        unsupported(rule, kws[i], "is not supported");
        ck_assert_int_eq(msg.column, 31);
    }
}
END_TEST

START_TEST(column_points_at_the_failing_option)
{
    const char *rule = R("msg:\"x\"; content:\"ab\"; depth:1;");

    fails(rule, "depth", "depth 1 is smaller than the content (2 bytes)");
    ck_assert_int_eq(msg.column, (int)(strstr(rule, "depth") - rule) + 1);
}
END_TEST

START_TEST(missing_sid_fails_for_the_whole_rule)
{
    fails("alert tcp any any -> any any (msg:\"x\"; rev:2;)", "", "the rule has no sid");
    ck_assert_int_eq(msg.column, 1);
}
END_TEST

/* ---- addresses and ports ------------------------------------------------------------------- */

static int has(const kn_ipset_t *s, const char *ip)
{
    kn_addr_t a;
    int v6 = strchr(ip, ':') != NULL;

    memset(&a, 0, sizeof(a));
    ck_assert_int_eq(inet_pton(v6 ? AF_INET6 : AF_INET, ip, a.b), 1);
    return kn_ipset_has(s, v6 ? 6 : 4, &a);
}

/* Parses a rule with this source address and destination port. */
static void header(const char *src, const char *dport)
{
    char rule[512];

    snprintf(rule, sizeof(rule), "alert tcp %s any -> any %s (sid:1;)", src, dport);
    parse(rule);
}

static void bad_header(const char *src, const char *dport, const char *what)
{
    char rule[512];

    snprintf(rule, sizeof(rule), "alert tcp %s any -> any %s (sid:1;)", src, dport);
    fails(rule, "", what);
    ck_assert_int_eq(msg.column, 1);
}

START_TEST(single_address_cidr_netmask_and_range)
{
    header("10.0.0.1", "any");
    ck_assert(has(&sig->src, "10.0.0.1"));
    ck_assert(!has(&sig->src, "10.0.0.2"));
    ck_assert(!sig->src.any);
    header("10.1.0.0/16", "any");
    ck_assert(has(&sig->src, "10.1.255.255") && !has(&sig->src, "10.2.0.0"));
    header("10.0.0.0/255.255.0.0", "any");
    ck_assert(has(&sig->src, "10.0.5.5") && !has(&sig->src, "10.1.0.0"));
    header("10.0.0.5-10.0.0.9", "any");
    ck_assert(has(&sig->src, "10.0.0.5") && has(&sig->src, "10.0.0.9"));
    ck_assert(!has(&sig->src, "10.0.0.4") && !has(&sig->src, "10.0.0.10"));
    ck_assert(!has(&sig->src, "::1"));
}
END_TEST

START_TEST(ipv6_addresses)
{
    header("2001:db8::/32", "any");
    ck_assert(has(&sig->src, "2001:db8::1") && has(&sig->src, "2001:db8:ffff::1"));
    ck_assert(!has(&sig->src, "2001:db9::1") && !has(&sig->src, "10.0.0.1"));
    header("[::1,10.0.0.1]", "any");
    ck_assert(has(&sig->src, "::1") && has(&sig->src, "10.0.0.1"));
    ck_assert_uint_eq(sig->src.n4, 1);
    ck_assert_uint_eq(sig->src.n6, 1);
}
END_TEST

START_TEST(negation_covers_both_families)
{
    header("!10.0.0.0/8", "any");
    ck_assert(!has(&sig->src, "10.9.9.9"));
    ck_assert(has(&sig->src, "11.0.0.0") && has(&sig->src, "9.255.255.255"));
    ck_assert(has(&sig->src, "2001:db8::1"));
    header("![10.0.0.1,10.0.0.2]", "any");
    ck_assert(!has(&sig->src, "10.0.0.1") && !has(&sig->src, "10.0.0.2"));
    ck_assert(has(&sig->src, "10.0.0.3"));
}
END_TEST

START_TEST(list_is_positives_minus_negatives)
{
    header("[10.0.0.0/8, !10.1.0.0/16, 192.168.1.1]", "any");
    ck_assert(has(&sig->src, "10.0.0.1") && has(&sig->src, "10.2.0.0"));
    ck_assert(!has(&sig->src, "10.1.2.3"));
    ck_assert(has(&sig->src, "192.168.1.1") && !has(&sig->src, "192.168.1.2"));
    /* a negated list inside a list: 10/8 minus (10.1/16 minus 10.1.1/24) */
    header("[10.0.0.0/8, ![10.1.0.0/16, !10.1.1.0/24]]", "any");
    ck_assert(has(&sig->src, "10.1.1.5") && has(&sig->src, "10.2.0.1"));
    ck_assert(!has(&sig->src, "10.1.2.3"));
    /* only negated members: everything else */
    header("[!10.0.0.1]", "any");
    ck_assert(!has(&sig->src, "10.0.0.1") && has(&sig->src, "1.2.3.4"));
    ck_assert(has(&sig->src, "::1"));
}
END_TEST

START_TEST(variables_and_defaults)
{
    header("$HOME_NET", "any");
    ck_assert(has(&sig->src, "192.168.3.4") && has(&sig->src, "10.2.3.4"));
    ck_assert(has(&sig->src, "172.16.0.1") && !has(&sig->src, "8.8.8.8"));
    header("$EXTERNAL_NET", "any");
    ck_assert(has(&sig->src, "8.8.8.8") && !has(&sig->src, "10.2.3.4"));
    ck_assert_int_eq(kn_ruleset_set_var(rs, "HOME_NET", "[10.1.0.0/16]"), KN_OK);
    header("$EXTERNAL_NET", "any"); /* defined on $HOME_NET: follows it */
    ck_assert(has(&sig->src, "10.2.3.4") && !has(&sig->src, "10.1.3.4"));
}
END_TEST

START_TEST(nested_variables)
{
    ck_assert_int_eq(kn_ruleset_set_var(rs, "INNER", "[1.1.1.1,2.2.2.2]"), KN_OK);
    ck_assert_int_eq(kn_ruleset_set_var(rs, "OUTER", "[$INNER,!2.2.2.2,3.3.3.0/24]"), KN_OK);
    header("$OUTER", "any");
    ck_assert(has(&sig->src, "1.1.1.1") && has(&sig->src, "3.3.3.7"));
    ck_assert(!has(&sig->src, "2.2.2.2"));
    header("[!$OUTER]", "any");
    ck_assert(has(&sig->src, "2.2.2.2") && !has(&sig->src, "1.1.1.1"));
}
END_TEST

START_TEST(ports_single_ranges_lists_and_negation)
{
    header("any", "80");
    ck_assert(kn_portset_has(&sig->dp, 80) && !kn_portset_has(&sig->dp, 81));
    header("any", "1024:");
    ck_assert(kn_portset_has(&sig->dp, 1024) && kn_portset_has(&sig->dp, 65535));
    ck_assert(!kn_portset_has(&sig->dp, 1023));
    header("any", ":1023");
    ck_assert(kn_portset_has(&sig->dp, 0) && !kn_portset_has(&sig->dp, 1024));
    header("any", "[80,443,8000:8100,!8080]");
    ck_assert(kn_portset_has(&sig->dp, 443) && kn_portset_has(&sig->dp, 8000));
    ck_assert(!kn_portset_has(&sig->dp, 8080) && !kn_portset_has(&sig->dp, 444));
    header("any", "!80");
    ck_assert(!kn_portset_has(&sig->dp, 80) && kn_portset_has(&sig->dp, 79));
    ck_assert(!sig->dp.any && sig->sp.any);
}
END_TEST

START_TEST(port_variables)
{
    header("any", "$HTTP_PORTS");
    ck_assert(kn_portset_has(&sig->dp, 80) && !kn_portset_has(&sig->dp, 8080));
    header("any", "$FILE_DATA_PORTS");
    ck_assert(kn_portset_has(&sig->dp, 80) && kn_portset_has(&sig->dp, 110));
    ck_assert(kn_portset_has(&sig->dp, 143) && !kn_portset_has(&sig->dp, 111));
    ck_assert_int_eq(kn_ruleset_set_var(rs, "HTTP_PORTS", "[80,8080]"), KN_OK);
    header("any", "$FILE_DATA_PORTS");
    ck_assert(kn_portset_has(&sig->dp, 8080));
}
END_TEST

START_TEST(address_errors)
{
    bad_header("1.2.3", "any", "bad address '1.2.3'");
    bad_header("10.0.0.0/33", "any", "bad prefix length in '10.0.0.0/33'");
    bad_header("10.0.0.1-x", "any", "bad address range");
    bad_header("10.0.0.9-10.0.0.5", "any", "ends before it starts");
    bad_header("[1.1.1.1 2.2.2.2]", "any", "expected ',' or ']' in list");
    bad_header("[]", "any", "missing address or port");
    bad_header("1.1.1.1]", "any", "unexpected text ']'");
    bad_header("$NOPE", "any", "undefined variable $NOPE");
    bad_header("[1.1.1.1,!1.1.1.1]", "any", "matches nothing");
    bad_header("!any", "any", "matches nothing");
}
END_TEST

START_TEST(address_too_long)
{
    char a[200];

    memset(a, '1', 140);
    a[140] = '\0';
    bad_header(a, "any", "address too long");
}
END_TEST

START_TEST(variable_errors)
{
    ck_assert_int_eq(kn_ruleset_set_var(rs, "LOOP_A", "$LOOP_B"), KN_OK);
    ck_assert_int_eq(kn_ruleset_set_var(rs, "LOOP_B", "[$LOOP_A]"), KN_OK);
    bad_header("$LOOP_A", "any", "nests too deep");
    ck_assert_int_eq(kn_ruleset_set_var(rs, "TWO", "1.1.1.1 2.2.2.2"), KN_OK);
    bad_header("$TWO", "any", "trailing text in the value of $TWO");
}
END_TEST

/* Found by the fuzzer: each level doubles the expansions, so ten levels are 1,024 copies of
 * W0 (the limit is 256); seven levels (128) still load. */
START_TEST(wide_variable_nesting_is_bounded)
{
    char name[16], value[48];
    int i;

    ck_assert_int_eq(kn_ruleset_set_var(rs, "W0", "10.0.0.1"), KN_OK);
    for (i = 1; i <= 10; i++) {
        snprintf(name, sizeof(name), "W%d", i);
        snprintf(value, sizeof(value), "[$W%d,$W%d]", i - 1, i - 1);
        ck_assert_int_eq(kn_ruleset_set_var(rs, name, value), KN_OK);
    }
    header("$W7", "any");
    ck_assert(has(&sig->src, "10.0.0.1") && !has(&sig->src, "10.0.0.2"));
    ck_assert_uint_eq(sig->src.n4, 1);
    bad_header("$W10", "any", "too many variables expanded");
}
END_TEST

START_TEST(port_errors)
{
    bad_header("any", "http", "bad port 'http'");
    bad_header("any", "80:x", "bad port range '80:x'");
    bad_header("any", "x:80", "bad port range 'x:80'");
    bad_header("any", "70000", "port out of range");
    bad_header("any", "90:80", "port out of range in '90:80'");
    bad_header("any", "$HOME_NET", "bad port");
}
END_TEST

/* ---- content and its modifiers ------------------------------------------------------------- */

START_TEST(plain_content)
{
    parse(R("content:\"abc\";"));
    ck_assert_uint_eq(sig->nlists, 1);
    ck_assert_uint_eq(sig->lists[0].buf, KN_BUF_PAYLOAD);
    ck_assert_uint_eq(item(0, 0)->flags, 0);
    pattern_is(content(0, 0), "abc", 3);
    ck_assert_int_eq(content(0, 0)->offset.var, -1);
    ck_assert_int_eq(content(0, 0)->within.var, -1);
    ck_assert(sig->flags & KN_SIGF_HAS_PAYLOAD);
    ck_assert(!(sig->flags & (KN_SIGF_NEEDS_APP | KN_SIGF_IPONLY)));
}
END_TEST

START_TEST(content_hex_sections)
{
    parse(R("content:\"|41 42|C|0d0A|\";"));
    pattern_is(content(0, 0), "ABC\r\n", 5);
    parse(R("content:\"|00|\";"));
    pattern_is(content(0, 0), "\0", 1);
}
END_TEST

START_TEST(content_escapes)
{
    parse(R("content:\"a\\;b\\\"c\\\\d\\:e\";"));
    pattern_is(content(0, 0), "a;b\"c\\d:e", 9);
}
END_TEST

START_TEST(content_errors)
{
    fails(R("content:\"a\\nb\";"), "content", "'\\n' is not an escape");
    fails(R("content:\"|4|\";"), "content", "malformed |hex| section");
    fails(R("content:\"|41 4G|\";"), "content", "malformed |hex| section");
    fails(R("content:\"|41\";"), "content", "malformed |hex| section");
    fails(R("content:\"\";"), "content", "content must hold 1 to 65535 bytes");
    fails(R("content:\"||\";"), "content", "content must hold 1 to 65535 bytes");
    /* Suricata: a quote inside the value is written \" or |22| */
    fails(R("content:\"a\"b\";"), "content", "must be written");
}
END_TEST

START_TEST(bang_inside_the_quotes_is_a_byte)
{
    parse(R("content:\"!\";"));
    ck_assert_uint_eq(item(0, 0)->flags, 0);
    pattern_is(content(0, 0), "!", 1);
    parse(R("content:\"!|41|b\"; uricontent:\"!x\";"));
    pattern_is(content(0, 0), "!Ab", 3);
    ck_assert_uint_eq(item(0, 0)->flags, 0);
    pattern_is(&list_of(KN_BUF_HTTP_URI)->sm[0].u.content, "!x", 2);
    ck_assert_uint_eq(list_of(KN_BUF_HTTP_URI)->sm[0].flags, 0);
    parse(R("content:!\"!\";"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_NEGATED);
    pattern_is(content(0, 0), "!", 1);
    ck_assert_str_eq(parse(R("msg:\"!important\";"))->msg, "!important");
}
END_TEST

START_TEST(negated_content)
{
    parse(R("content:!\"evil\";"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_NEGATED);
    pattern_is(content(0, 0), "evil", 4);
    parse(R("content: ! \"evil\";"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_NEGATED);
    pattern_is(content(0, 0), "evil", 4);
}
END_TEST

START_TEST(nocase_and_rawbytes)
{
    parse(R("content:\"a\"; nocase; rawbytes;"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_NOCASE | KN_SMF_RAWBYTES);
    fails(R("nocase;"), "nocase", "'nocase' needs a content before it");
    fails(R("rawbytes;"), "rawbytes", "'rawbytes' needs a content before it");
}
END_TEST

START_TEST(offset_and_depth)
{
    parse(R("content:\"ab\"; offset:3; depth:5;"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_HAS_OFFSET | KN_SMF_HAS_DEPTH);
    ck_assert_int_eq(content(0, 0)->offset.v, 3);
    ck_assert_int_eq(content(0, 0)->depth.v, 5);
    ck_assert_int_eq(content(0, 0)->depth.var, -1);
    parse(R("content:\"ab\"; depth:0x10;"));
    ck_assert_int_eq(content(0, 0)->depth.v, 16);
}
END_TEST

START_TEST(distance_and_within_are_relative)
{
    parse(R("content:\"a\"; content:\"bc\"; distance:-2; within:6;"));
    ck_assert_uint_eq(item(0, 0)->flags, 0);
    ck_assert_uint_eq(item(0, 1)->flags,
                      KN_SMF_RELATIVE | KN_SMF_HAS_DISTANCE | KN_SMF_HAS_WITHIN);
    ck_assert_int_eq(content(0, 1)->distance.v, -2);
    ck_assert_int_eq(content(0, 1)->within.v, 6);
}
END_TEST

START_TEST(positional_errors)
{
    fails(R("depth:3;"), "depth", "'depth' needs a content before it");
    fails(R("content:\"a\"; offset:1; offset:2;"), "offset", "'offset' given twice");
    fails(R("content:\"a\"; distance:x;"), "distance", "'x' is neither a number");
    fails(R("content:\"a\"; offset:-1;"), "offset", "is neither a number in 0..65535");
    fails(R("content:\"a\"; distance:-70000;"), "distance", "in -65535..65535");
    fails(R("content:\"abc\"; within:2;"), "within", "within 2 is smaller than the content");
    fails(R("content:\"a\"; offset:1; distance:0;"), "distance", "both absolute");
    fails(R("content:\"a\"; within:4; depth:4;"), "depth", "both absolute");
}
END_TEST

START_TEST(startswith_and_endswith)
{
    parse(R("content:\"GET\"; startswith;"));
    ck_assert_uint_eq(item(0, 0)->flags,
                      KN_SMF_STARTSWITH | KN_SMF_HAS_DEPTH | KN_SMF_HAS_OFFSET);
    ck_assert_int_eq(content(0, 0)->depth.v, 3);
    ck_assert_int_eq(content(0, 0)->offset.v, 0);
    parse(R("content:\"end\"; endswith;"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_ENDSWITH);
    fails(R("content:\"a\"; depth:2; startswith;"), "startswith", "cannot be combined");
    fails(R("content:\"a\"; startswith; offset:1;"), "offset", "'offset' given twice");
    fails(R("startswith;"), "startswith", "needs a content before it");
    fails(R("endswith;"), "endswith", "needs a content before it");
}
END_TEST

START_TEST(fast_pattern_variants)
{
    parse(R("content:\"abcd\"; fast_pattern;"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_FAST_PATTERN);
    parse(R("content:\"abcd\"; fast_pattern:only;"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_FAST_PATTERN | KN_SMF_FP_ONLY);
    parse(R("content:\"abcd\"; fast_pattern:1,2;"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_FAST_PATTERN | KN_SMF_FP_CHOP);
    ck_assert_uint_eq(content(0, 0)->fp_off, 1);
    ck_assert_uint_eq(content(0, 0)->fp_len, 2);
    /* on a negated content it is accepted and ignored: another content feeds the prefilter */
    parse(R("content:!\"abcd\"; fast_pattern;"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_NEGATED);
}
END_TEST

START_TEST(fast_pattern_errors)
{
    fails(R("content:\"abcd\"; fast_pattern:3,2;"), "fast_pattern", "OFFSET,LENGTH within");
    fails(R("content:\"abcd\"; fast_pattern:1;"), "fast_pattern", "expected 'only'");
    fails(R("content:\"abcd\"; fast_pattern:0,0;"), "fast_pattern", "expected 'only'");
    fails(R("fast_pattern;"), "fast_pattern", "needs a content before it");
}
END_TEST

START_TEST(modifiers_apply_to_the_last_content_only)
{
    parse(R("content:\"a\"; content:\"b\"; nocase; depth:9;"));
    ck_assert_uint_eq(item(0, 0)->flags, 0);
    ck_assert_uint_eq(item(0, 1)->flags, KN_SMF_NOCASE | KN_SMF_HAS_DEPTH);
    /* past other items too (Suricata modifies the last content) */
    parse(R("content:\"ab\"; isdataat:1,relative; nocase;"));
    ck_assert(item(0, 0)->flags & KN_SMF_NOCASE);
}
END_TEST

START_TEST(variables_as_positions)
{
    parse(R("byte_extract:1,0,off; byte_extract:1,1,len; content:\"a\"; offset:off; depth:len;"
            " content:\"b\"; distance:off; within:len;"));
    ck_assert_uint_eq(sig->nvars, 2);
    ck_assert_int_eq(content(0, 2)->offset.var, 0);
    ck_assert_int_eq(content(0, 2)->depth.var, 1);
    ck_assert_int_eq(content(0, 3)->distance.var, 0);
    ck_assert_int_eq(content(0, 3)->within.var, 1);
}
END_TEST

/* ---- buffers ------------------------------------------------------------------------------- */

START_TEST(every_sticky_buffer_by_both_names)
{
    char rule[200];
    int b;

    for (b = 1; b < KN_BUF_MAX; b++) {
        const kn_buffer_info_t *bi = kn_buffer_info((kn_buf_t)b);
        const char *names[2] = {bi->name, bi->sticky};
        int k;
        for (k = 0; k < 2 && names[k]; k++) {
            if (bi->modifier && strcmp(names[k], bi->modifier) == 0)
                continue; /* a content modifier: every_legacy_modifier_moves_its_content */
            snprintf(rule, sizeof(rule), "alert tcp any any -> any any (%s; content:\"x\"; "
                     "sid:1;)", names[k]);
            parse(rule);
            ck_assert_msg(list_of(b) != NULL, "%s", rule);
            ck_assert_msg(!list_of(KN_BUF_PAYLOAD), "%s", rule);
            if (bi->app != KN_APP_NONE)
                ck_assert_int_eq(sig->app, bi->app);
            ck_assert(!(sig->flags & KN_SIGF_HAS_PAYLOAD));
        }
    }
}
END_TEST

START_TEST(every_legacy_modifier_moves_its_content)
{
    char rule[200];
    int b, seen = 0;

    for (b = 1; b < KN_BUF_MAX; b++) {
        const kn_buffer_info_t *bi = kn_buffer_info((kn_buf_t)b);
        if (!bi->modifier)
            continue;
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (content:\"p\"; "
                 "content:\"x\"; %s; nocase; sid:1;)", bi->modifier);
        parse(rule);
        ck_assert_msg(list_of(b) && list_of(b)->n == 1, "%s", rule);
        pattern_is(&list_of(b)->sm[0].u.content, "x", 1);
        ck_assert(list_of(b)->sm[0].flags & KN_SMF_NOCASE); /* nocase follows the move */
        ck_assert_uint_eq(list_of(KN_BUF_PAYLOAD)->n, 1);
        ck_assert(sig->flags & KN_SIGF_NEEDS_APP);
        seen++;
    }
    ck_assert_int_ge(seen, 13);
}
END_TEST

START_TEST(sticky_buffer_needs_app_layer)
{
    parse(R("http.uri; content:\"/a\"; http.host; content:\"h\";"));
    ck_assert_uint_eq(sig->nlists, 2);
    ck_assert_uint_eq(sig->lists[0].buf, KN_BUF_HTTP_URI);
    ck_assert_uint_eq(sig->lists[1].buf, KN_BUF_HTTP_HOST);
    ck_assert(sig->flags & KN_SIGF_NEEDS_APP);
    ck_assert_int_eq(sig->app, KN_APP_HTTP);
}
END_TEST

START_TEST(moved_content_leaves_no_payload_inspection)
{
    parse(R("content:\"x\"; http_uri;"));
    ck_assert_ptr_null(list_of(KN_BUF_PAYLOAD));
    /* no empty payload list either: it would demand a payload the transaction lacks */
    ck_assert_uint_eq(sig->nlists, 1);
    ck_assert_uint_eq(sig->lists[0].buf, KN_BUF_HTTP_URI);
    ck_assert_int_eq(sig->fp_list, -1);
    ck_assert(!(sig->flags & KN_SIGF_HAS_PAYLOAD));
    ck_assert(sig->flags & KN_SIGF_NEEDS_APP);
}
END_TEST

/* Relative items after a content moved by a legacy modifier stay with that content. */
START_TEST(relative_items_follow_a_moved_content)
{
    parse(R("content:\"Basic \"; http_header; base64_decode:bytes 10, relative; base64_data; "
            "content:\"x\";"));
    ck_assert_ptr_null(list_of(KN_BUF_PAYLOAD));
    ck_assert_uint_eq(list_of(KN_BUF_HTTP_HEADER)->n, 2);
    ck_assert_uint_eq(list_of(KN_BUF_HTTP_HEADER)->sm[1].type, KN_SM_BASE64_DECODE);
    ck_assert_uint_eq(list_of(KN_BUF_BASE64_DATA)->n, 1);
    parse(R("content:\"/a\"; http_uri; isdataat:1,relative; pcre:\"/^b/R\"; "
            "byte_test:1,=,0x62,0,relative;"));
    ck_assert_ptr_null(list_of(KN_BUF_PAYLOAD));
    ck_assert_uint_eq(list_of(KN_BUF_HTTP_URI)->n, 4);
    /* not relative: still the payload's */
    parse(R("content:\"/a\"; http_uri; isdataat:1;"));
    ck_assert_uint_eq(list_of(KN_BUF_PAYLOAD)->n, 1);
}
END_TEST

START_TEST(pkt_data_returns_to_the_payload)
{
    parse(R("content:\"a\"; http.uri; content:\"b\"; pkt_data; content:\"c\";"));
    ck_assert_uint_eq(sig->nlists, 2);
    ck_assert_uint_eq(list_of(KN_BUF_PAYLOAD)->n, 2);
    pattern_is(&list_of(KN_BUF_PAYLOAD)->sm[1].u.content, "c", 1);
}
END_TEST

START_TEST(uricontent_goes_to_the_uri)
{
    parse(R("uricontent:\"/admin\"; nocase;"));
    ck_assert_uint_eq(sig->lists[0].buf, KN_BUF_HTTP_URI);
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_NOCASE);
    ck_assert_int_eq(sig->app, KN_APP_HTTP);
}
END_TEST

START_TEST(modifier_errors)
{
    /* http_uri is a content modifier, never a sticky buffer (that is http.uri) */
    fails(R("http_uri;"), "http_uri", "'http_uri' must follow a content");
    fails(R("http_header; content:\"a\";"), "http_header", "must follow a content");
    fails(R("content:\"a\"; isdataat:1,relative; http_uri;"), "http_uri", "must follow a content");
    fails(R("http.host; content:\"a\"; http_uri;"), "http_uri",
          "cannot apply to a content of a sticky buffer");
}
END_TEST

START_TEST(base64_data_is_no_app_buffer)
{
    parse(R("content:\"b64=\"; base64_decode:bytes 10, offset 2, relative; base64_data;"
            " content:\"x\";"));
    ck_assert_uint_eq(sig->nlists, 2);
    ck_assert_uint_eq(item(0, 1)->type, KN_SM_BASE64_DECODE);
    ck_assert_uint_eq(item(0, 1)->flags, KN_SMF_RELATIVE);
    ck_assert_uint_eq(item(0, 1)->u.b64.bytes, 10);
    ck_assert_uint_eq(item(0, 1)->u.b64.offset, 2);
    ck_assert_uint_eq(sig->lists[1].buf, KN_BUF_BASE64_DATA);
    ck_assert(!(sig->flags & KN_SIGF_NEEDS_APP));
    parse(R("base64_decode;"));
    ck_assert_uint_eq(item(0, 0)->u.b64.bytes, 0);
    ck_assert_uint_eq(item(0, 0)->flags, 0);
}
END_TEST

START_TEST(base64_decode_errors)
{
    fails(R("base64_decode:bytes;"), "base64_decode", "bad option 'bytes'");
    fails(R("base64_decode:bytes x;"), "base64_decode", "bad option");
    fails(R("base64_decode:count 4;"), "base64_decode", "unknown option 'count'");
}
END_TEST

/* ---- transforms ---------------------------------------------------------------------------- */

START_TEST(every_transform)
{
    static const struct { const char *kw; int xf; } xfs[] = {
        {"to_lowercase", KN_XF_TO_LOWERCASE}, {"to_uppercase", KN_XF_TO_UPPERCASE},
        {"strip_whitespace", KN_XF_STRIP_WHITESPACE},
        {"compress_whitespace", KN_XF_COMPRESS_WHITESPACE}, {"url_decode", KN_XF_URL_DECODE},
        {"dotprefix", KN_XF_DOTPREFIX}, {"header_lowercase", KN_XF_HEADER_LOWERCASE},
        {"strip_pseudo_headers", KN_XF_STRIP_PSEUDO_HEADERS}, {"to_md5", KN_XF_TO_MD5},
        {"to_sha1", KN_XF_TO_SHA1}, {"to_sha256", KN_XF_TO_SHA256}};
    char rule[200];
    size_t i;

    for (i = 0; i < sizeof(xfs) / sizeof(xfs[0]); i++) {
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (http.uri; %s; "
                 "content:\"x\"; sid:1;)", xfs[i].kw);
        parse(rule);
        ck_assert_uint_eq(sig->nlists, 1);
        ck_assert_uint_eq(sig->lists[0].nxforms, 1);
        ck_assert_uint_eq(sig->lists[0].xforms[0], xfs[i].xf);
        ck_assert_uint_eq(sig->lists[0].n, 1);
    }
}
END_TEST

START_TEST(transforms_chain_in_rule_order)
{
    parse(R("http.uri; url_decode; to_lowercase; content:\"a\";"));
    ck_assert_uint_eq(sig->lists[0].nxforms, 2);
    ck_assert_uint_eq(sig->lists[0].xforms[0], KN_XF_URL_DECODE);
    ck_assert_uint_eq(sig->lists[0].xforms[1], KN_XF_TO_LOWERCASE);
}
END_TEST

START_TEST(transformed_buffer_is_its_own_list)
{
    parse(R("http.uri; content:\"A\"; http.uri; to_lowercase; content:\"b\";"));
    ck_assert_uint_eq(sig->nlists, 2);
    ck_assert_uint_eq(sig->lists[0].nxforms, 0);
    ck_assert_uint_eq(sig->lists[1].nxforms, 1);
    ck_assert_uint_eq(sig->lists[1].buf, KN_BUF_HTTP_URI);
    pattern_is(content(1, 0), "b", 1);
}
END_TEST

START_TEST(more_than_four_transforms_fail)
{
    fails(R("http.uri; to_lowercase; to_uppercase; dotprefix; url_decode; to_md5;"), "to_md5",
          "more than 4 transforms on one buffer");
}
END_TEST

/* ---- pcre ---------------------------------------------------------------------------------- */

START_TEST(pcre_plain_relative_and_negated)
{
    parse(R("pcre:\"/a.c/i\";"));
    ck_assert_uint_eq(item(0, 0)->type, KN_SM_PCRE);
    ck_assert_ptr_nonnull(item(0, 0)->u.pcre.re);
    ck_assert_uint_eq(item(0, 0)->flags, 0);
    parse(R("content:\"x\"; pcre:\"/^y/R\";"));
    ck_assert_uint_eq(item(0, 1)->flags, KN_SMF_RELATIVE);
    ck_assert_uint_eq(item(0, 1)->u.pcre.opts, KN_PCRE_RELATIVE);
    parse(R("pcre:!\"/z/\";"));
    ck_assert_uint_eq(item(0, 0)->flags, KN_SMF_NEGATED);
    parse(R("pcre:\"/a/A\";"));
    ck_assert_uint_eq(item(0, 0)->u.pcre.opts, KN_PCRE_ANCHOR_START);
}
END_TEST

START_TEST(pcre_every_modifier_flag)
{
    parse(R("pcre:\"/a b/ismxEGBO\";"));
    ck_assert_uint_eq(sig->lists[0].buf, KN_BUF_PAYLOAD);
    /* a quote and an escaped ';' inside the expression */
    parse(R("pcre:\"/[\"']\\;/\";"));
    ck_assert_uint_eq(item(0, 0)->type, KN_SM_PCRE);
}
END_TEST

START_TEST(pcre_buffer_flags)
{
    static const struct { char flag; int buf; } flags[] = {
        {'U', KN_BUF_HTTP_URI}, {'I', KN_BUF_HTTP_URI_RAW}, {'P', KN_BUF_HTTP_REQUEST_BODY},
        {'Q', KN_BUF_HTTP_RESPONSE_BODY}, {'H', KN_BUF_HTTP_HEADER},
        {'D', KN_BUF_HTTP_HEADER_RAW}, {'M', KN_BUF_HTTP_METHOD}, {'C', KN_BUF_HTTP_COOKIE},
        {'S', KN_BUF_HTTP_STAT_CODE}, {'Y', KN_BUF_HTTP_STAT_MSG},
        {'V', KN_BUF_HTTP_USER_AGENT}, {'W', KN_BUF_HTTP_HOST}, {'Z', KN_BUF_HTTP_HOST_RAW}};
    char rule[128];
    size_t i;

    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (pcre:\"/x/%ci\"; sid:1;)",
                 flags[i].flag);
        parse(rule);
        ck_assert_msg(list_of(flags[i].buf) != NULL, "%s", rule);
        ck_assert(sig->flags & KN_SIGF_NEEDS_APP);
    }
    /* the flag of the sticky buffer in effect; Q in file.data is file.data */
    parse(R("http.uri; pcre:\"/x/U\";"));
    ck_assert_ptr_nonnull(list_of(KN_BUF_HTTP_URI));
    parse(R("file_data; pcre:\"/x/Q\";"));
    ck_assert_ptr_nonnull(list_of(KN_BUF_FILE_DATA));
}
END_TEST

START_TEST(pcre_errors)
{
    fails(R("pcre:\"abc\";"), "pcre", "pcre must be \"/expression/flags\"");
    fails(R("pcre:\"/abc\";"), "pcre", "pcre must be");
    fails(R("pcre:\"/a/q\";"), "pcre", "unknown flag 'q'");
    fails(R("pcre:\"/a/UH\";"), "pcre", "two buffer flags");
    fails(R("http.uri; pcre:\"/a/H\";"), "pcre", "names another buffer");
    fails(R("pcre:\"/a(/\";"), "pcre", "at offset");
}
END_TEST

/* ---- byte_* -------------------------------------------------------------------------------- */

START_TEST(byte_test_fields)
{
    const kn_bytes_t *b;

    parse(R("content:\"x\"; byte_test:2,>,10,-4,relative,little;"));
    b = bytes_item(0, 1, KN_SM_BYTE_TEST);
    ck_assert_uint_eq(item(0, 1)->flags, KN_SMF_RELATIVE);
    ck_assert_uint_eq(b->nbytes, 2);
    ck_assert_int_eq(b->op, '>');
    ck_assert_int_eq(b->value.v, 10);
    ck_assert_int_eq(b->offset.v, -4);
    ck_assert_uint_eq(b->flags, KN_BYTE_RELATIVE | KN_BYTE_LITTLE);
    ck_assert_int_eq(b->multiplier, 1);
}
END_TEST

START_TEST(byte_test_operators)
{
    static const struct { const char *op; char want; int neg; } ops[] = {
        {"<", '<', 0}, {">", '>', 0}, {"=", '=', 0}, {"&", '&', 0}, {"^", '^', 0},
        {"<=", 'L', 0}, {">=", 'G', 0}, {"!", '=', 1}, {"!=", '=', 1}, {"!<", '<', 1},
        {"!&", '&', 1}};
    char rule[128];
    size_t i;

    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        const kn_bytes_t *b;
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (byte_test:1,%s,5,0; "
                 "sid:1;)", ops[i].op);
        parse(rule);
        b = bytes_item(0, 0, KN_SM_BYTE_TEST);
        ck_assert_msg(b->op == ops[i].want, "%s: op %c", rule, b->op);
        ck_assert_int_eq(!!(b->flags & KN_BYTE_NEGATE_OP), ops[i].neg);
    }
}
END_TEST

START_TEST(byte_test_string_bases_bitmask_and_dce)
{
    const kn_bytes_t *b;

    parse(R("byte_test:4,=,0x1f,0,string,hex;"));
    b = bytes_item(0, 0, KN_SM_BYTE_TEST);
    ck_assert_uint_eq(b->flags, KN_BYTE_STRING);
    ck_assert_uint_eq(b->base, 16);
    ck_assert_int_eq(b->value.v, 31);
    ck_assert_uint_eq(parse(R("byte_test:3,=,7,0,string,oct;"))->lists[0].sm[0].u.bytes.base, 8);
    ck_assert_uint_eq(parse(R("byte_test:3,=,7,0,string;"))->lists[0].sm[0].u.bytes.base, 10);
    ck_assert_uint_eq(parse(R("byte_test:3,=,7,0,string,dec;"))->lists[0].sm[0].u.bytes.base, 10);
    parse(R("byte_test:2,=,1,0,bitmask 0x0ff0,big;"));
    b = bytes_item(0, 0, KN_SM_BYTE_TEST);
    ck_assert_uint_eq(b->flags, KN_BYTE_BITMASK);
    ck_assert_uint_eq(b->bitmask, 0x0ff0);
    parse(R("byte_test:2,=,1,0,little,big,dce;"));
    ck_assert_uint_eq(bytes_item(0, 0, KN_SM_BYTE_TEST)->flags, KN_BYTE_DCE);
}
END_TEST

START_TEST(byte_test_errors)
{
    fails(R("byte_test:2,=,1;"), "byte_test", "expected bytes,operator,value,offset");
    fails(R("byte_test:x,=,1,0;"), "byte_test", "expected bytes,operator");
    fails(R("byte_test:2,~,1,0;"), "byte_test", "unknown operator '~'");
    fails(R("byte_test:2,=,1,0,sideways;"), "byte_test", "unknown option 'sideways'");
    fails(R("byte_test:2,=,nope,0;"), "byte_test", "'nope' is neither a number");
    fails(R("byte_test:2,=,1,70000;"), "byte_test", "in -65535..65535");
    fails(R("byte_test:9,=,1,0;"), "byte_test", "9 bytes (1 to 8 unless string)");
    fails(R("byte_test:24,=,1,0,string;"), "byte_test", "24 bytes (1 to 23)");
    fails(R("byte_test:0,=,1,0;"), "byte_test", "0 bytes");
    fails(R("byte_test:2,=,1,0,string,little;"), "byte_test",
          "string and little-endian cannot be combined");
    /* a string byte_test of 0 bytes loads (ET has such rules); it never matches */
    parse(R("byte_test:0,=,1,0,string;"));
}
END_TEST

START_TEST(byte_jump_fields)
{
    const kn_bytes_t *b;

    parse(R("content:\"x\"; byte_jump:4,2,relative,multiplier 2,align,post_offset -3;"));
    b = bytes_item(0, 1, KN_SM_BYTE_JUMP);
    ck_assert_uint_eq(item(0, 1)->flags, KN_SMF_RELATIVE);
    ck_assert_uint_eq(b->nbytes, 4);
    ck_assert_int_eq(b->offset.v, 2);
    ck_assert_int_eq(b->multiplier, 2);
    ck_assert_int_eq(b->post_offset, -3);
    ck_assert_uint_eq(b->flags, KN_BYTE_RELATIVE | KN_BYTE_ALIGN);
    parse(R("byte_jump:2,0,from_beginning,little;"));
    ck_assert_uint_eq(bytes_item(0, 0, KN_SM_BYTE_JUMP)->flags,
                      KN_BYTE_FROM_BEGINNING | KN_BYTE_LITTLE);
    parse(R("byte_jump:0,0,from_end,post_offset -10;"));
    b = bytes_item(0, 0, KN_SM_BYTE_JUMP);
    ck_assert_uint_eq(b->nbytes, 0); /* 0 bytes: moves by post_offset alone */
    ck_assert_uint_eq(b->flags, KN_BYTE_FROM_END);
    parse(R("byte_jump:3,0,string,dec;"));
    ck_assert_uint_eq(bytes_item(0, 0, KN_SM_BYTE_JUMP)->flags, KN_BYTE_STRING);
}
END_TEST

START_TEST(byte_jump_errors)
{
    fails(R("byte_jump:4;"), "byte_jump", "expected bytes,offset[,options]");
    fails(R("byte_jump:65,0;"), "byte_jump", "expected bytes,offset");
    fails(R("byte_jump:4,0,hop;"), "byte_jump", "unknown option 'hop'");
    fails(R("byte_jump:4,0,multiplier 0;"), "byte_jump", "unknown option 'multiplier 0'");
    fails(R("byte_jump:4,0,post_offset x;"), "byte_jump", "unknown option 'post_offset x'");
    fails(R("byte_jump:4,z;"), "byte_jump", "'z' is neither a number");
    fails(R("byte_jump:9,0;"), "byte_jump", "9 bytes");
}
END_TEST

START_TEST(byte_extract_fields)
{
    const kn_bytes_t *b;

    parse(R("content:\"x\"; byte_extract:2,1,len,relative,multiplier 4,align 4,little;"
            " byte_extract:3,0,num,string,hex;"));
    b = bytes_item(0, 1, KN_SM_BYTE_EXTRACT);
    ck_assert_uint_eq(item(0, 1)->flags, KN_SMF_RELATIVE);
    ck_assert_uint_eq(b->nbytes, 2);
    ck_assert_int_eq(b->offset.v, 1);
    ck_assert_int_eq(b->result_var, 0);
    ck_assert_int_eq(b->multiplier, 4);
    ck_assert_int_eq(b->post_offset, 4); /* the alignment */
    ck_assert_uint_eq(b->flags, KN_BYTE_RELATIVE | KN_BYTE_ALIGN | KN_BYTE_LITTLE);
    b = bytes_item(0, 2, KN_SM_BYTE_EXTRACT);
    ck_assert_int_eq(b->result_var, 1);
    ck_assert_uint_eq(b->base, 16);
    ck_assert_uint_eq(sig->nvars, 2);
}
END_TEST

START_TEST(byte_extract_errors)
{
    fails(R("byte_extract:2,0;"), "byte_extract", "expected bytes,offset,name");
    fails(R("byte_extract:0,0,v;"), "byte_extract", "expected bytes,offset,name");
    fails(R("byte_extract:2,0,v,align 3;"), "byte_extract", "unknown option 'align 3'");
    fails(R("byte_extract:2,0,v,align 8;"), "byte_extract", "unknown option 'align 8'");
    fails(R("byte_extract:2,0,v,multiplier 0;"), "byte_extract", "unknown option");
    fails(R("byte_extract:2,0,1v;"), "byte_extract", "bad variable name '1v'");
    fails(R("byte_extract:2,0,;"), "byte_extract", "bad variable name ''");
    fails(R("byte_extract:2,0,a_name_that_is_much_too_long_for_it;"), "byte_extract",
          "bad variable name");
    fails(R("byte_extract:9,0,v;"), "byte_extract", "9 bytes");
    fails(R("byte_extract:2,x,v;"), "byte_extract", "'x' is neither a number");
    fails(R("byte_extract:1,0,a; byte_extract:1,0,b; byte_extract:1,0,c; byte_extract:1,0,d;"
            " byte_extract:1,0,e; byte_extract:1,0,f; byte_extract:1,0,g; byte_extract:1,0,h;"
            " byte_extract:1,0,i;"), "byte_extract", "more than 8 variables");
}
END_TEST

START_TEST(byte_extract_reuses_a_name)
{
    parse(R("byte_extract:1,0,v; byte_extract:1,1,v; content:\"a\"; offset:v;"));
    ck_assert_uint_eq(sig->nvars, 1);
    ck_assert_int_eq(bytes_item(0, 1, KN_SM_BYTE_EXTRACT)->result_var, 0);
}
END_TEST

START_TEST(byte_math_fields)
{
    const kn_bytes_t *b;

    parse(R("content:\"x\"; byte_math:bytes 2, offset -1, oper <<, rvalue 3, result r,"
            " relative, endian little;"));
    b = bytes_item(0, 1, KN_SM_BYTE_MATH);
    ck_assert_uint_eq(item(0, 1)->flags, KN_SMF_RELATIVE);
    ck_assert_uint_eq(b->nbytes, 2);
    ck_assert_int_eq(b->offset.v, -1);
    ck_assert_int_eq(b->op, '<');
    ck_assert_int_eq(b->value.v, 3);
    ck_assert_int_eq(b->result_var, 0);
    ck_assert_uint_eq(b->flags, KN_BYTE_RELATIVE | KN_BYTE_LITTLE);
    parse(R("byte_math:bytes 4, offset 0, oper >>, rvalue 1, result r, string hex, dce,"
            " bitmask 0xf0, endian big;"));
    b = bytes_item(0, 0, KN_SM_BYTE_MATH);
    ck_assert_int_eq(b->op, '>');
    ck_assert_uint_eq(b->base, 16);
    ck_assert_uint_eq(b->bitmask, 0xf0);
    ck_assert_uint_eq(b->flags, KN_BYTE_STRING | KN_BYTE_DCE | KN_BYTE_BITMASK);
}
END_TEST

START_TEST(byte_math_operators_and_variable_rvalue)
{
    static const char ops[] = "+-*/";
    char rule[200];
    int i;

    for (i = 0; ops[i]; i++) {
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (byte_math:bytes 1, offset"
                 " 0, oper %c, rvalue 2, result r; sid:1;)", ops[i]);
        ck_assert_int_eq(parse(rule)->lists[0].sm[0].u.bytes.op, ops[i]);
    }
    parse(R("byte_extract:1,0,n; byte_math:bytes 1, offset 1, oper +, rvalue n, result s;"));
    ck_assert_int_eq(bytes_item(0, 1, KN_SM_BYTE_MATH)->value.var, 0);
    ck_assert_int_eq(bytes_item(0, 1, KN_SM_BYTE_MATH)->result_var, 1);
}
END_TEST

START_TEST(byte_math_errors)
{
    fails(R("byte_math:bytes 1, offset 0, oper %, rvalue 1, result r;"), "byte_math",
          "unknown option 'oper'");
    fails(R("byte_math:bytes 1, offset 0, oper +, rvalue 1, result r, colour red;"),
          "byte_math", "unknown option 'colour'");
    fails(R("byte_math:bytes 1, offset 0, oper +, result r;"), "byte_math",
          "needs bytes, offset, oper, rvalue and result");
    fails(R("byte_math:offset 0, oper +, rvalue 1, result r;"), "byte_math", "needs bytes");
    fails(R("byte_math:bytes 1, offset 0, oper +, rvalue v, result r;"), "byte_math",
          "'v' is neither a number");
    fails(R("byte_math:bytes 1, offset x, oper +, rvalue 1, result r;"), "byte_math",
          "'x' is neither a number");
    fails(R("byte_math:bytes 1, offset 0, oper +, rvalue 1, result 9r;"), "byte_math",
          "bad variable name '9r'");
    fails(R("byte_math:bytes 9, offset 0, oper +, rvalue 1, result r;"), "byte_math", "9 bytes");
}
END_TEST

/* ---- isdataat, bsize ----------------------------------------------------------------------- */

START_TEST(isdataat_forms)
{
    parse(R("content:\"a\"; isdataat:!5,relative;"));
    ck_assert_uint_eq(item(0, 1)->type, KN_SM_ISDATAAT);
    ck_assert_uint_eq(item(0, 1)->flags, KN_SMF_NEGATED | KN_SMF_RELATIVE);
    ck_assert_int_eq(item(0, 1)->u.isdataat.n.v, 5);
    parse(R("isdataat:10,rawbytes;"));
    ck_assert_uint_eq(item(0, 0)->flags, 0);
    parse(R("byte_extract:1,0,n; isdataat:n;"));
    ck_assert_int_eq(item(0, 1)->u.isdataat.n.var, 0);
    fails(R("isdataat:5,later;"), "isdataat", "unknown option 'later'");
    fails(R("isdataat:x;"), "isdataat", "'x' is neither a number");
}
END_TEST

START_TEST(bsize_forms)
{
    static const struct { const char *v; int cmp; uint64_t a, b; } forms[] = {
        {"10", KN_CMP_EQ, 10, 0}, {"=10", KN_CMP_EQ, 10, 0}, {"<5", KN_CMP_LT, 5, 0},
        {">5", KN_CMP_GT, 5, 0}, {"<=5", KN_CMP_LE, 5, 0}, {">=5", KN_CMP_GE, 5, 0},
        {"!5", KN_CMP_NE, 5, 0}, {"!=5", KN_CMP_NE, 5, 0}, {"2<>8", KN_CMP_RANGE, 2, 8},
        /* Suricata's integer ranges exclude their bounds in both spellings */
        {"2-8", KN_CMP_RANGE, 2, 8}};
    char rule[128];
    size_t i;

    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        const kn_num_t *nm;
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (http.uri; bsize:%s; sid:1;)",
                 forms[i].v);
        parse(rule);
        nm = &item(0, 0)->u.bsize;
        ck_assert_msg(nm->cmp == forms[i].cmp, "%s: cmp %u", rule, nm->cmp);
        ck_assert_uint_eq(nm->a, forms[i].a);
        ck_assert_uint_eq(nm->b, forms[i].b);
    }
}
END_TEST

START_TEST(bsize_errors)
{
    fails(R("bsize:abc;"), "bsize", "bsize: expected N");
    fails(R("bsize:8<>2;"), "bsize", "bsize: expected N");
    fails(R("bsize:<>2;"), "bsize", "bsize: expected N");
}
END_TEST

/* ---- meta ---------------------------------------------------------------------------------- */

START_TEST(msg_unescapes)
{
    ck_assert_str_eq(parse(R("msg:\"a \\\"b\\\" \\; c\\\\ d\\:\";"))->msg, "a \"b\" ; c\\ d:");
}
END_TEST

START_TEST(sid_rev_gid)
{
    parse("alert tcp any any -> any any (sid:2010935; rev:7; gid:3;)");
    ck_assert_uint_eq(sig->sid, 2010935);
    ck_assert_uint_eq(sig->rev, 7);
    ck_assert_uint_eq(sig->gid, 3);
    fails("alert tcp any any -> any any (sid:0;)", "sid", "sid: expected a number from 1");
    fails("alert tcp any any -> any any (sid:x;)", "sid", "sid: expected a number");
    fails(R("rev:-1;"), "rev", "rev: expected a number from 0");
    fails(R("gid:4294967296;"), "gid", "gid: expected a number from 0");
}
END_TEST

START_TEST(classtype_and_priority)
{
    parse(R("classtype:trojan-activity;"));
    ck_assert_int_eq(sig->classtype, kn_classtype_find(rs, "trojan-activity"));
    ck_assert_uint_eq(sig->priority, 1);
    parse(R("classtype:trojan-activity; priority:4;"));
    ck_assert_uint_eq(sig->priority, 4);
    ck_assert_uint_eq(parse(R("priority:255;"))->priority, 255);
    fails(R("classtype:nope;"), "classtype", "unknown classtype 'nope'");
    fails(R("priority:0;"), "priority", "priority: expected 1 to 255");
    fails(R("priority:256;"), "priority", "priority: expected 1 to 255");
}
END_TEST

START_TEST(reference_metadata_target)
{
    parse(R("reference:url,example.com/a; metadata:created_at 2020_01_01, former_category X;"
            " metadata:deployment Perimeter; target:dest_ip;"));
    ck_assert_uint_eq(sig->nmetadata, 3);
    ck_assert_str_eq(sig->metadata[0], "created_at 2020_01_01");
    ck_assert_str_eq(sig->metadata[1], "former_category X");
    ck_assert_str_eq(sig->metadata[2], "deployment Perimeter");
    ck_assert(sig->flags & KN_SIGF_TARGET_DST);
    ck_assert(parse(R("target:src_ip;"))->flags & KN_SIGF_TARGET_SRC);
    fails(R("reference:cve;"), "reference", "reference: expected TYPE,ID");
    fails(R("target:both;"), "target", "target: expected src_ip or dest_ip");
}
END_TEST

START_TEST(noalert_and_accepted_keywords)
{
    ck_assert(parse(R("noalert;"))->flags & KN_SIGF_NOALERT);
    /* tag, requires and prefilter load without changing what matches */
    parse(R("content:\"a\"; tag:session,5,packets; requires:feature foo; prefilter; tag;"));
    ck_assert_uint_eq(sig->nlists, 1);
    ck_assert_uint_eq(sig->flags & KN_SIGF_NOALERT, 0);
    fails(R("prefilter:yes;"), "prefilter", "takes no value");
}
END_TEST

START_TEST(metadata_entries_are_limited)
{
    size_t cap = 1100 * 140, len;
    char *rule = malloc(cap);
    int i, k;

    len = (size_t)sprintf(rule, "alert tcp any any -> any any (");
    for (i = 0; i < 1025; i++) { /* 1025 x 64 entries: more than a uint16_t counts */
        len += (size_t)sprintf(rule + len, "metadata:");
        for (k = 0; k < 64; k++)
            len += (size_t)sprintf(rule + len, "%sa", k ? "," : "");
        len += (size_t)sprintf(rule + len, "; ");
    }
    sprintf(rule + len, "sid:1;)");
    fails(rule, "metadata", "more than 65536 metadata entries in one rule");
    free(rule);
}
END_TEST

/* ---- flow, bits, counters ------------------------------------------------------------------ */

START_TEST(flow_options)
{
    static const struct { const char *opt; uint16_t bit; } opts[] = {
        {"to_server", KN_FLOWKW_TO_SERVER}, {"from_client", KN_FLOWKW_TO_SERVER},
        {"to_client", KN_FLOWKW_TO_CLIENT}, {"from_server", KN_FLOWKW_TO_CLIENT},
        {"established", KN_FLOWKW_ESTABLISHED}, {"not_established", KN_FLOWKW_NOT_ESTABLISHED},
        {"stateless", KN_FLOWKW_STATELESS}, {"only_stream", KN_FLOWKW_ONLY_STREAM},
        {"no_stream", KN_FLOWKW_NO_STREAM}, {"only_frag", KN_FLOWKW_ONLY_FRAG},
        {"no_frag", KN_FLOWKW_NO_FRAG}};
    char rule[128];
    size_t i;

    for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (flow:%s; sid:1;)",
                 opts[i].opt);
        ck_assert_uint_eq(parse(rule)->flow, opts[i].bit);
    }
    ck_assert_uint_eq(parse(R("flow:established, to_server;"))->flow,
                      KN_FLOWKW_ESTABLISHED | KN_FLOWKW_TO_SERVER);
}
END_TEST

START_TEST(flow_errors)
{
    fails(R("flow:sideways;"), "flow", "flow: unknown option 'sideways'");
    fails(R("flow:to_server,from_server;"), "flow", "to_server and to_client together");
    fails(R("flow:established,not_established;"), "flow", "established and not_established");
}
END_TEST

START_TEST(flowbits_operations)
{
    static const struct { const char *op; int want; } ops[] = {
        {"set", KN_BIT_SET}, {"unset", KN_BIT_UNSET}, {"toggle", KN_BIT_TOGGLE},
        {"isset", KN_BIT_ISSET}, {"isnotset", KN_BIT_ISNOTSET}};
    char rule[128];
    size_t i;

    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (flowbits:%s,ET.x; sid:1;)",
                 ops[i].op);
        parse(rule);
        ck_assert_uint_eq(sig->nbits, 1);
        ck_assert_uint_eq(sig->bits[0].op, ops[i].want);
        ck_assert_uint_eq(sig->bits[0].scope, 0);
        ck_assert_uint_eq(sig->bits[0].nnames, 1);
        ck_assert_int_eq(sig->bits[0].names[0], kn_names_id(&rs->flowbits, "ET.x", 0));
    }
}
END_TEST

START_TEST(flowbits_or_group_and_noalert)
{
    parse(R("flowbits:set,a; flowbits:isset,b|a | c; flowbits:noalert;"));
    ck_assert_uint_eq(sig->nbits, 2);
    ck_assert_uint_eq(sig->bits[1].nnames, 3);
    ck_assert_uint_eq(sig->bits[1].names[0], (uint16_t)kn_names_id(&rs->flowbits, "b", 0));
    ck_assert_uint_eq(sig->bits[1].names[1], sig->bits[0].names[0]);
    ck_assert(sig->flags & KN_SIGF_NOALERT);
}
END_TEST

START_TEST(flowbits_errors)
{
    fails(R("flowbits:set;"), "flowbits", "flowbits: expected OP,NAME or noalert");
    fails(R("flowbits:flip,a;"), "flowbits", "flowbits: unknown operation 'flip'");
    fails(R("flowbits:set,a|b;"), "flowbits", "only isset and isnotset take several names");
    fails(R("flowbits:set,;"), "flowbits", "missing bit name");
    fails(R("flowbits:isset,a| |b;"), "flowbits", "bad bit name list");
    fails(R("flowbits:isset,a|b|c|d|e|f|g|h|i;"), "flowbits", "bad bit name list");
}
END_TEST

START_TEST(xbits_and_hostbits)
{
    parse(R("xbits:set,bad,track ip_dst,expire 60;"));
    ck_assert_uint_eq(sig->bits[0].op, KN_BIT_SET);
    ck_assert_uint_eq(sig->bits[0].scope, 2);
    ck_assert_uint_eq(sig->bits[0].expire, 60);
    ck_assert_int_eq(sig->bits[0].names[0], kn_names_id(&rs->xbits, "bad", 0));
    ck_assert_uint_eq(parse(R("xbits:unset,bad,track ip_src;"))->bits[0].scope, 1);
    ck_assert_uint_eq(parse(R("xbits:toggle,bad,track ip_pair;"))->bits[0].scope, 3);
    ck_assert_uint_eq(parse(R("xbits:isset,bad;"))->bits[0].op, KN_BIT_ISSET);
    ck_assert(parse(R("xbits:noalert;"))->flags & KN_SIGF_NOALERT);
    ck_assert_uint_eq(parse(R("hostbits:set,h;"))->bits[0].scope, 1);
    ck_assert_uint_eq(parse(R("hostbits:set,h,dst;"))->bits[0].scope, 2);
    ck_assert_uint_eq(parse(R("hostbits:isnotset,h,src;"))->bits[0].scope, 1);
}
END_TEST

START_TEST(xbits_errors)
{
    fails(R("xbits:set,bad;"), "xbits", "xbits: 'track' is required");
    fails(R("xbits:set;"), "xbits", "xbits: expected OP,NAME[,options]");
    fails(R("xbits:grab,bad,track ip_src;"), "xbits", "expected OP,NAME");
    fails(R("xbits:set,bad,track ip_both;"), "xbits", "xbits: unknown option 'track ip_both'");
    fails(R("xbits:set,bad,track ip_src,expire 0;"), "xbits", "unknown option 'expire 0'");
    fails(R("hostbits:set,h,sideways;"), "hostbits", "hostbits: unknown option 'sideways'");
    fails(R("hostbits:set,a|b;"), "hostbits", "only isset and isnotset");
}
END_TEST

START_TEST(flowint_forms)
{
    static const struct { const char *v; char op; int cmp; } forms[] = {
        {"cnt,+,1", '+', 0}, {"cnt,-,1", '-', 0}, {"cnt,=,1", '=', 0},
        {"cnt,==,1", 'c', KN_CMP_EQ}, {"cnt,!=,1", 'c', KN_CMP_NE}, {"cnt,<,1", 'c', KN_CMP_LT},
        {"cnt,>,1", 'c', KN_CMP_GT}, {"cnt,<=,1", 'c', KN_CMP_LE}, {"cnt,>=,1", 'c', KN_CMP_GE},
        {"cnt,isset", 'x', 0}, {"cnt,notset", 'n', 0}, {"cnt,isnotset", 'n', 0}};
    char rule[128];
    size_t i;

    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (flowint:%s; sid:1;)",
                 forms[i].v);
        parse(rule);
        ck_assert_uint_eq(sig->nints, 1);
        ck_assert_int_eq(sig->ints[0].op, forms[i].op);
        ck_assert_uint_eq(sig->ints[0].cmp, forms[i].cmp);
        ck_assert_int_eq(sig->ints[0].rvar, -1);
        ck_assert_uint_eq(sig->ints[0].var, (uint16_t)kn_names_id(&rs->flowints, "cnt", 0));
    }
    ck_assert_uint_eq(parse(R("flowint:cnt,=,0x10;"))->ints[0].value, 16);
    parse(R("flowint:cnt,>,other;"));
    ck_assert_int_eq(sig->ints[0].rvar, kn_names_id(&rs->flowints, "other", 0));
}
END_TEST

START_TEST(flowint_errors)
{
    fails(R("flowint:cnt;"), "flowint", "flowint: expected NAME,OP[,VALUE]");
    fails(R("flowint:cnt,%,1;"), "flowint", "flowint: unknown operator '%'");
    fails(R("flowint:cnt,+;"), "flowint", "flowint: '+' needs a value");
    fails(R("flowint:cnt,isset,1;"), "flowint", "flowint: 'isset' takes no value");
}
END_TEST

START_TEST(flowint_variable_value_needs_a_small_id)
{
    char opt[64];
    int i;

    for (i = 0; i < 127; i++) { /* flowint ids 0..127 */
        snprintf(opt, sizeof(opt), "alert tcp any any -> any any (flowint:v%d,=,1; sid:1;)", i);
        parse(opt);
    }
    parse(R("flowint:a,=,1;"));
    fails(R("flowint:a,>,other;"), "flowint", "flowint: bad value 'other'");
}
END_TEST

START_TEST(bit_and_counter_operations_are_limited)
{
    size_t cap = 300 * 32, len;
    char *rule = malloc(cap);
    int i;

    len = (size_t)sprintf(rule, "alert tcp any any -> any any (");
    for (i = 0; i < 256; i++)
        len += (size_t)sprintf(rule + len, "flowbits:set,b%d; ", i);
    sprintf(rule + len, "sid:1;)");
    fails(rule, "flowbits", "more than 255 bit operations in one rule");
    len = (size_t)sprintf(rule, "alert tcp any any -> any any (");
    for (i = 0; i < 256; i++)
        len += (size_t)sprintf(rule + len, "flowint:c,+,1; ");
    sprintf(rule + len, "sid:1;)");
    fails(rule, "flowint", "more than 255 flowint operations in one rule");
    len = (size_t)sprintf(rule, "alert tcp any any -> any any (");
    for (i = 0; i < 256; i++)
        len += (size_t)sprintf(rule + len, "hostbits:set,h; ");
    sprintf(rule + len, "sid:1;)");
    fails(rule, "hostbits", "more than 255 bit operations in one rule");
    free(rule);
}
END_TEST

/* ---- threshold ----------------------------------------------------------------------------- */

START_TEST(threshold_types_and_tracks)
{
    static const char *const types[] = {"limit", "threshold", "both"};
    static const char *const tracks[] = {"by_src", "by_dst", "by_rule", "by_both", "by_flow"};
    char rule[200];
    int t, k;

    for (t = 0; t < 3; t++) {
        for (k = 0; k < 5; k++) {
            snprintf(rule, sizeof(rule), "alert tcp any any -> any any (threshold: type %s, "
                     "track %s, count 3, seconds 60; sid:1;)", types[t], tracks[k]);
            parse(rule);
            ck_assert(sig->has_threshold);
            ck_assert_uint_eq(sig->threshold.type, t);
            ck_assert_uint_eq(sig->threshold.track, k);
            ck_assert_uint_eq(sig->threshold.count, 3);
            ck_assert_uint_eq(sig->threshold.seconds, 60);
        }
    }
}
END_TEST

START_TEST(detection_filter_fields)
{
    parse(R("detection_filter: track by_dst, count 10, seconds 2;"));
    ck_assert(sig->has_df);
    ck_assert(!sig->has_threshold);
    ck_assert_uint_eq(sig->detection_filter.type, KN_THR_DF);
    ck_assert_uint_eq(sig->detection_filter.track, KN_TRACK_DST);
    ck_assert_uint_eq(sig->detection_filter.count, 10);
    ck_assert_uint_eq(sig->detection_filter.seconds, 2);
}
END_TEST

START_TEST(threshold_errors)
{
    fails(R("threshold: type limit, track by_src, count 1;"), "threshold",
          "threshold needs type, track, count and seconds");
    fails(R("threshold: track by_src, count 1, seconds 1;"), "threshold", "needs type");
    fails(R("threshold: type often, track by_src, count 1, seconds 1;"), "threshold",
          "threshold: unknown type 'often'");
    fails(R("threshold: type limit, track by_port, count 1, seconds 1;"), "threshold",
          "threshold: unknown track 'by_port'");
    fails(R("threshold: type limit, track by_src, count 0, seconds 1;"), "threshold",
          "threshold: bad option 'count'");
    fails(R("threshold: type limit, track, count 1, seconds 1;"), "threshold",
          "threshold: bad option 'track'");
    fails(R("detection_filter: track by_src, count 1;"), "detection_filter",
          "detection_filter needs track, count and seconds");
    fails(R("detection_filter: type limit, track by_src, count 1, seconds 1;"),
          "detection_filter", "detection_filter: bad option 'type'");
}
END_TEST

/* ---- header keywords ----------------------------------------------------------------------- */

/* The only header test of the last parsed rule. */
static const kn_hdrtest_t *hdr(int kw)
{
    ck_assert_uint_eq(sig->nhdr, 1);
    ck_assert_uint_eq(sig->hdr[0].kw, kw);
    return &sig->hdr[0];
}

START_TEST(every_numeric_header_keyword)
{
    static const struct { const char *opt; int kw; int cmp; uint64_t a; } kws[] = {
        {"ttl:<5", KN_HK_TTL, KN_CMP_LT, 5}, {"tos:0x10", KN_HK_TOS, KN_CMP_EQ, 16},
        {"id:400", KN_HK_IPID, KN_CMP_EQ, 400}, {"fragoffset:>0", KN_HK_FRAGOFFSET, KN_CMP_GT, 0},
        {"seq:4294967295", KN_HK_TCP_SEQ, KN_CMP_EQ, 4294967295u},
        {"ack:0", KN_HK_TCP_ACK, KN_CMP_EQ, 0}, {"window:!1024", KN_HK_TCP_WINDOW, KN_CMP_NE, 1024},
        {"itype:>=8", KN_HK_ITYPE, KN_CMP_GE, 8}, {"icode:<=3", KN_HK_ICODE, KN_CMP_LE, 3},
        {"icmp_id:77", KN_HK_ICMP_ID, KN_CMP_EQ, 77}, {"icmp_seq:9", KN_HK_ICMP_SEQ, KN_CMP_EQ, 9},
        {"dsize:>100", KN_HK_DSIZE, KN_CMP_GT, 100}, {"ip_proto:tcp", KN_HK_IP_PROTO, KN_CMP_EQ, 6},
        {"ip_proto:!UDP", KN_HK_IP_PROTO, KN_CMP_NE, 17},
        {"ip_proto:ipv6-icmp", KN_HK_IP_PROTO, KN_CMP_EQ, 58},
        {"ip_proto:47", KN_HK_IP_PROTO, KN_CMP_EQ, 47}};
    char rule[128];
    size_t i;

    for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
        const kn_hdrtest_t *h;
        snprintf(rule, sizeof(rule), "alert ip any any -> any any (%s; sid:1;)", kws[i].opt);
        parse(rule);
        h = hdr(kws[i].kw);
        ck_assert_msg(h->num.cmp == kws[i].cmp, "%s: cmp %u", rule, h->num.cmp);
        ck_assert_uint_eq(h->num.a, kws[i].a);
        ck_assert(!(sig->flags & KN_SIGF_IPONLY));
    }
}
END_TEST

START_TEST(ranges_exclude_their_bounds)
{
    const kn_hdrtest_t *h;

    parse(R("dsize:10<>20;"));
    h = hdr(KN_HK_DSIZE);
    ck_assert_uint_eq(h->num.cmp, KN_CMP_RANGE);
    ck_assert_uint_eq(h->num.a, 10);
    ck_assert_uint_eq(h->num.b, 20);
    /* "1-4 will match 2 and 3" (Suricata's integer keywords) */
    parse(R("ttl:1-4;"));
    h = hdr(KN_HK_TTL);
    ck_assert_uint_eq(h->num.cmp, KN_CMP_RANGE);
    ck_assert_uint_eq(h->num.a, 1);
    ck_assert_uint_eq(h->num.b, 4);
}
END_TEST

START_TEST(header_keyword_errors)
{
    fails(R("ttl:256;"), "ttl", "ttl: bad value '256'");
    fails(R("ttl:abc;"), "ttl", "ttl: bad value");
    fails(R("dsize:20<>10;"), "dsize", "dsize: bad value");
    fails(R("dsize:-5;"), "dsize", "dsize: bad value");
    fails(R("window:65536;"), "window", "window: bad value");
    fails(R("ip_proto:bogus;"), "ip_proto", "ip_proto: bad value 'bogus'");
}
END_TEST

START_TEST(header_tests_are_limited)
{
    char *rule = malloc(256 * 16 + 100);
    size_t len;
    int i;

    len = (size_t)sprintf(rule, "alert tcp any any -> any any (");
    for (i = 0; i < 256; i++)
        len += (size_t)sprintf(rule + len, "ttl:%d; ", i % 200);
    sprintf(rule + len, "sid:1;)");
    fails(rule, "ttl", "more than 255 header tests in one rule");
    free(rule);
}
END_TEST

START_TEST(stream_size_sides)
{
    static const char *const sides[] = {"server", "client", "both", "either"};
    char rule[128];
    int i;

    for (i = 0; i < 4; i++) {
        const kn_hdrtest_t *h;
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (stream_size:%s,>=,100; "
                 "sid:1;)", sides[i]);
        parse(rule);
        h = hdr(KN_HK_STREAM_SIZE);
        ck_assert_uint_eq(h->side, i);
        ck_assert_uint_eq(h->num.cmp, KN_CMP_GE);
        ck_assert_uint_eq(h->num.a, 100);
    }
    fails(R("stream_size:client,>;"), "stream_size", "stream_size: expected SIDE,OPERATOR,BYTES");
    fails(R("stream_size:middle,>,1;"), "stream_size", "stream_size: unknown side 'middle'");
    fails(R("stream_size:client,~,1;"), "stream_size", "stream_size: bad value");
}
END_TEST

START_TEST(fragbits_modes)
{
    parse(R("fragbits:M+;"));
    ck_assert_uint_eq(sig->fragbits_set, 0x20);
    ck_assert_uint_eq(sig->fragbits_mode, '+');
    parse(R("fragbits:!D;"));
    ck_assert_uint_eq(sig->fragbits_set, 0x40);
    ck_assert_uint_eq(sig->fragbits_mode, '!');
    parse(R("fragbits:*MDR;"));
    ck_assert_uint_eq(sig->fragbits_set, 0xe0);
    ck_assert_uint_eq(sig->fragbits_mode, '*');
    parse(R("fragbits:dm;"));
    ck_assert_uint_eq(sig->fragbits_set, 0x60);
    ck_assert_uint_eq(sig->fragbits_mode, 0);
    fails(R("fragbits:MX;"), "fragbits", "fragbits: unknown bit 'X'");
    fails(R("fragbits:+;"), "fragbits", "fragbits: no bit given");
    fails(R("fragbits:M+*;"), "fragbits", "fragbits: unknown bit '+'");
}
END_TEST

START_TEST(ipopts_names)
{
    static const char *const names[] = {"rr", "eol", "nop", "ts", "sec", "lsrr", "ssrr",
                                        "satid"};
    char rule[128];
    int i;

    for (i = 0; i < 8; i++) {
        snprintf(rule, sizeof(rule), "alert ip any any -> any any (ipopts:%s; sid:1;)",
                 names[i]);
        ck_assert_uint_eq(parse(rule)->ipopts_mask, 1u << i);
    }
    ck_assert_uint_eq(parse(R("ipopts:esec;"))->ipopts_mask, 1u << 4); /* as the decoder */
    parse(R("ipopts:any;"));
    ck_assert_uint_eq(sig->ipopts_any, 1);
    ck_assert_uint_eq(sig->ipopts_mask, 0);
    fails(R("ipopts:mtu;"), "ipopts", "ipopts: unknown option 'mtu'");
}
END_TEST

START_TEST(tcp_flags_forms)
{
    parse(R("flags:SA,12;"));
    ck_assert_uint_eq(sig->tcp_flags, 0x12);
    ck_assert_uint_eq(sig->tcp_flags_mask, 0x3f); /* CWR and ECE ignored */
    ck_assert_uint_eq(sig->tcp_flags_mode, '=');
    parse(R("flags:+S;"));
    ck_assert_uint_eq(sig->tcp_flags, 0x02);
    ck_assert_uint_eq(sig->tcp_flags_mode, '+');
    ck_assert_uint_eq(sig->tcp_flags_mask, 0xff);
    parse(R("flags:FPU*;"));
    ck_assert_uint_eq(sig->tcp_flags, 0x29);
    ck_assert_uint_eq(sig->tcp_flags_mode, '*');
    parse(R("tcp.flags:!R;"));
    ck_assert_uint_eq(sig->tcp_flags, 0x04);
    ck_assert_uint_eq(sig->tcp_flags_mode, '!');
    parse(R("flags:0;"));
    ck_assert_uint_eq(sig->tcp_flags, 0);
    ck_assert_uint_eq(sig->tcp_flags_mode, '=');
    ck_assert_uint_eq(parse(R("flags:EC;"))->tcp_flags, 0xc0);
    fails(R("flags:SX;"), "flags", "flags: unknown flag 'X'");
    fails(R("flags:S,Z;"), "flags", "flags: unknown mask flag 'Z'");
}
END_TEST

START_TEST(sameip_flag)
{
    ck_assert(parse(R("sameip;"))->flags & KN_SIGF_SAMEIP);
    ck_assert(!(sig->flags & KN_SIGF_IPONLY));
}
END_TEST

/* ---- events and app-layer conditions ------------------------------------------------------- */

START_TEST(decode_and_stream_events)
{
    parse(R("decode-event:ipv4.trunc_pkt;"));
    ck_assert_uint_eq(sig->nevents, 1);
    ck_assert_uint_eq(sig->events[0], KN_ANOM_IPV4_TRUNC_PKT);
    ck_assert_uint_eq(parse(R("decode-event:decoder.tcp.hlen_too_small;"))->events[0],
                      KN_ANOM_TCP_HLEN_TOO_SMALL);
    ck_assert_uint_eq(parse(R("stream-event:fin_syn;"))->events[0], KN_ANOM_STREAM_FIN_SYN);
    ck_assert_uint_eq(parse(R("stream-event:3whs_synack_with_wrong_ack;"))->events[0],
                      KN_ANOM_STREAM_3WHS_SYNACK_WRONG_ACK);
}
END_TEST

START_TEST(unknown_events_are_unsupported)
{
    unsupported(R("decode-event:ipv4.bogus;"), "decode-event", "does not raise the event");
    /* a stream event name under decode-event, and a decoder one under stream-event */
    unsupported(R("decode-event:stream.fin_syn;"), "decode-event", "does not raise");
    unsupported(R("stream-event:ipv4.trunc_pkt;"), "stream-event", "does not raise");
}
END_TEST

START_TEST(events_are_limited)
{
    char *rule = malloc(256 * 32 + 100);
    size_t len;
    int i;

    len = (size_t)sprintf(rule, "alert tcp any any -> any any (");
    for (i = 0; i < 256; i++)
        len += (size_t)sprintf(rule + len, "decode-event:ipv4.trunc_pkt; ");
    sprintf(rule + len, "sid:1;)");
    fails(rule, "decode-event", "more than 255 events in one rule");
    len = (size_t)sprintf(rule, "alert tcp any any -> any any (");
    for (i = 0; i < 256; i++)
        len += (size_t)sprintf(rule + len, "tls.version:1.2; ");
    sprintf(rule + len, "sid:1;)");
    fails(rule, "tls.version", "more than 255 app-layer conditions in one rule");
    free(rule);
}
END_TEST

/* app-layer-event names the parsers' anomalies (checked on the packet, as decode-event). */
START_TEST(app_layer_event)
{
    parse(R("app-layer-event:http.request_auth_unrecognized;"));
    ck_assert_uint_eq(sig->nevents, 1);
    ck_assert_uint_eq(sig->events[0], KN_ANOM_APP_HTTP_REQUEST_AUTH_UNRECOGNIZED);
    ck_assert_uint_eq(sig->napp, 0);
    unsupported(R("app-layer-event:http.no_such_event;"), "app-layer-event",
                "kanshi does not raise the event 'http.no_such_event'");
    /* a decoder event's name is not an app-layer event */
    unsupported(R("app-layer-event:ipv4.trunc_pkt;"), "app-layer-event",
                "kanshi does not raise the event 'ipv4.trunc_pkt'");
}
END_TEST

START_TEST(every_app_layer_condition)
{
    static const struct { const char *opt; int kind; const char *arg; } kws[] = {
        {"tls.version:1.2", KN_AK_TLS_VERSION, "1.2"},
        {"ssl_version:sslv3,tls1.0", KN_AK_SSL_VERSION, "sslv3,tls1.0"},
        {"ssl_state:client_hello", KN_AK_SSL_STATE, "client_hello"},
        {"dns.opcode:4", KN_AK_DNS_OPCODE, "4"}, {"dns.rcode:3", KN_AK_DNS_RCODE, "3"},
        {"dns.rrtype:1", KN_AK_DNS_RRTYPE, "1"}, {"urilen:>10", KN_AK_URILEN, ">10"},
        {"tls_cert_expired", KN_AK_TLS_CERT_EXPIRED, NULL},
        {"tls_cert_valid", KN_AK_TLS_CERT_VALID, NULL},
        {"tls.cert_chain_len:>2", KN_AK_TLS_CERT_CHAIN_LEN, ">2"}};
    char rule[160];
    size_t i;

    for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
        snprintf(rule, sizeof(rule), "alert tcp any any -> any any (%s; sid:1;)", kws[i].opt);
        parse(rule);
        ck_assert_uint_eq(sig->napp, 1);
        ck_assert_uint_eq(sig->appkw[0].kind, kws[i].kind);
        if (kws[i].arg)
            ck_assert_str_eq(sig->appkw[0].arg, kws[i].arg);
        else
            ck_assert_ptr_null(sig->appkw[0].arg);
        ck_assert(sig->flags & KN_SIGF_NEEDS_APP);
    }
}
END_TEST

START_TEST(numeric_app_conditions)
{
    parse(R("dns.opcode:!4;"));
    ck_assert_uint_eq(sig->appkw[0].neg, 1);
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_EQ);
    ck_assert_uint_eq(sig->appkw[0].num.a, 4);
    parse(R("tls.cert_chain_len:>2;"));
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_GT);
    ck_assert_uint_eq(sig->appkw[0].num.a, 2);
    parse(R("dns.opcode:16;")); /* Suricata reads a u8, as it does */
    fails(R("dns.opcode:256;"), "dns.opcode", "bad value '256'");
    fails(R("tls.cert_chain_len:many;"), "tls.cert_chain_len", "bad value 'many'");
}
END_TEST

/* DNS codes and types by name, alone, negated, compared and in ranges: the names become
 * numbers when the rule loads, so a named range is a numeric one. */
START_TEST(dns_names_parse_once)
{
    parse(R("dns.rcode:NXDOMAIN;"));
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_EQ);
    ck_assert_uint_eq(sig->appkw[0].num.a, 3);
    parse(R("dns.rcode:noerror-NXDOMAIN;"));
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_RANGE);
    ck_assert_uint_eq(sig->appkw[0].num.a, 0);
    ck_assert_uint_eq(sig->appkw[0].num.b, 3);
    ck_assert(kn_num_match(&sig->appkw[0].num, 2));
    ck_assert(!kn_num_match(&sig->appkw[0].num, 3)); /* bounds excluded, as Suricata */
    parse(R("dns.rrtype:!AAAA;"));
    ck_assert_uint_eq(sig->appkw[0].neg, 1);
    ck_assert_uint_eq(sig->appkw[0].num.a, 28);
    parse(R("dns.rrtype:>=NSEC3;"));
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_GE);
    ck_assert_uint_eq(sig->appkw[0].num.a, 50);
    parse(R("dns.rrtype:0x1c;"));
    ck_assert_uint_eq(sig->appkw[0].num.a, 28);
    fails(R("dns.rcode:NXDOMIAN;"), "dns.rcode", "'NXDOMIAN' is not a response code");
    fails(R("dns.rcode:NOERROR-BOGUS;"), "dns.rcode", "'BOGUS' is not a response code");
    fails(R("dns.rcode:300;"), "dns.rcode", "bad value '300'");
    fails(R("dns.rrtype:70000;"), "dns.rrtype", "bad value '70000'");
    fails(R("dns.rrtype:A-;"), "dns.rrtype", "bad value 'A-'");
}
END_TEST

START_TEST(urilen_parses_once)
{
    parse(R("urilen:5<>10,raw;"));
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_RANGE);
    ck_assert_uint_eq(sig->appkw[0].num.a, 5);
    ck_assert_uint_eq(sig->appkw[0].num.b, 10);
    ck_assert_uint_eq(sig->appkw[0].raw, 1);
    parse(R("urilen: >3 , norm;"));
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_GT);
    ck_assert_uint_eq(sig->appkw[0].raw, 0);
    fails(R("urilen:abc;"), "urilen", "bad value 'abc'");
    fails(R("urilen:70000;"), "urilen", "a length 0-65535");
    fails(R("urilen:5,foo;"), "urilen", "',raw' or ',norm'");
}
END_TEST

START_TEST(tls_conditions_parse_once)
{
    parse(R("ssl_version:sslv3, TLS1.0,,;"));
    ck_assert_uint_eq(sig->appkw[0].mask, KN_SSLV_SSL3 | KN_SSLV_TLS10);
    ck_assert(kn_appkw_ssl_version(&sig->appkw[0], 0x0300));
    ck_assert(kn_appkw_ssl_version(&sig->appkw[0], 0x0301));
    ck_assert(!kn_appkw_ssl_version(&sig->appkw[0], 0x0303));
    parse(R("ssl_version:tls1.3;"));
    ck_assert(kn_appkw_ssl_version(&sig->appkw[0], 0x7f12)); /* a draft */
    ck_assert(!kn_appkw_ssl_version(&sig->appkw[0], 0x0002));
    parse(R("ssl_version:!sslv3;")); /* loads; Suricata 7 never matches a negated version */
    ck_assert(!kn_appkw_ssl_version(&sig->appkw[0], 0x0300));
    ck_assert(!kn_appkw_ssl_version(&sig->appkw[0], 0x0303));
    fails(R("ssl_version:sslv3,!tls1.0;"), "ssl_version", "plain and negated versions mixed");
    fails(R("ssl_version:sslv3|tls1.0;"), "ssl_version", "bad value");
    fails(R("ssl_version:bogus;"), "ssl_version", "bad value 'bogus'");

    parse(R("ssl_state:client_hello | !server_hello;"));
    ck_assert_uint_eq(sig->appkw[0].mask, KN_SSLST_CLIENT_HELLO | KN_SSLST_SERVER_HELLO);
    ck_assert_uint_eq(sig->appkw[0].nmask, KN_SSLST_SERVER_HELLO);
    ck_assert(kn_appkw_ssl_state(&sig->appkw[0], KN_SSLST_CLIENT_HELLO));
    ck_assert(!kn_appkw_ssl_state(&sig->appkw[0], KN_SSLST_SERVER_HELLO));
    parse(R("ssl_state:!unknown;"));
    ck_assert_uint_eq(sig->appkw[0].nmask, KN_SSLST_UNKNOWN);
    ck_assert(!kn_appkw_ssl_state(&sig->appkw[0], KN_SSLST_UNKNOWN));
    ck_assert(kn_appkw_ssl_state(&sig->appkw[0], KN_SSLST_CLIENT_HELLO));
    parse(R("ssl_state:server_keyx,client_keyx;"));
    ck_assert(kn_appkw_ssl_state(&sig->appkw[0], KN_SSLST_CLIENT_KEYX));
    ck_assert(!kn_appkw_ssl_state(&sig->appkw[0], KN_SSLST_CLIENT_HELLO));
    fails(R("ssl_state:client_hello|bogus;"), "ssl_state", "bad value");
    fails(R("ssl_state:CLIENT_HELLO;"), "ssl_state", "bad value 'CLIENT_HELLO'");
    fails(R("ssl_state:client_hello,;"), "ssl_state", "bad value");

    parse(R("tls.version:1.3;"));
    ck_assert(kn_appkw_tls_version(&sig->appkw[0], 0x0304));
    ck_assert(kn_appkw_tls_version(&sig->appkw[0], 0x7f1c));
    ck_assert(!kn_appkw_tls_version(&sig->appkw[0], 0x0303));
    parse(R("tls.version:0x0303;"));
    ck_assert(kn_appkw_tls_version(&sig->appkw[0], 0x0303));
    ck_assert(!kn_appkw_tls_version(&sig->appkw[0], 0x0302));
    fails(R("tls.version:1.4;"), "tls.version", "bad value '1.4'");
    fails(R("tls.version:771;"), "tls.version", "bad value '771'");
    fails(R("tls.version:!1.2;"), "tls.version", "no negation");
}
END_TEST

START_TEST(file_conditions_parse_once)
{
    parse(R("filesize:>100;"));
    ck_assert_uint_eq(sig->appkw[0].kind, KN_AK_FILE_SIZE);
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_GT);
    ck_assert_uint_eq(sig->appkw[0].num.a, 100);
    parse(R("filesize:2Mb;"));
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_EQ);
    ck_assert_uint_eq(sig->appkw[0].num.a, 2u << 20);
    parse(R("filesize:!5;"));
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_NE);
    ck_assert_uint_eq(sig->appkw[0].neg, 0);
    parse(R("filesize:5-10;"));
    ck_assert_uint_eq(sig->appkw[0].num.cmp, KN_CMP_RANGE);
    fails(R("filesize:abc;"), "filesize", "bad value 'abc'");
    fails(R("filesize:1x;"), "filesize", "bad value '1x'");
    fails(R("filesize:>1GB;"), "filesize", "bad value '>1GB'");
    fails(R("filesize:10<>5;"), "filesize", "bad value");
    parse(R("fileext:\"EXE\";"));
    ck_assert_str_eq(sig->appkw[0].arg, "exe");
    ck_assert_uint_eq(sig->appkw[0].arg_len, 3);
    parse(R("filename:!\"A.b\";"));
    ck_assert_uint_eq(sig->appkw[0].neg, 1);
    ck_assert_str_eq(sig->appkw[0].arg, "a.b");
    fails(R("fileext:\"\";"), "fileext", "a non-empty name");
}
END_TEST

/* Hash lists come through the rule set's reader, named as the rule wrote them. */
static char *lists(void *user, const char *rule_file, const char *name, char *why, size_t n)
{
    (void)user;
    (void)rule_file;
    if (!strcmp(name, "good.md5")) /* a comment, a blank line, trailing text, any case */
        return strdup("# md5s\n\nFFEEDDCCBBAA99887766554433221100  evil.exe\r\n"
                      "00112233445566778899aabbccddeeff\n");
    if (!strcmp(name, "short.md5"))
        return strdup("00112233445566778899aabbccddeeff\n0011\n");
    snprintf(why, n, "/rules/%s: No such file or directory", name);
    return NULL;
}

START_TEST(hash_lists_load_or_fail)
{
    unsupported(R("filemd5:good.md5;"), "filemd5", "no reader for hash list files");
    kn_ruleset_set_reader(rs, lists, NULL);
    parse(R("filemd5:good.md5;"));
    ck_assert_uint_eq(sig->appkw[0].kind, KN_AK_FILE_MD5);
    ck_assert_uint_eq(sig->appkw[0].nhashes, 2);
    ck_assert_uint_eq(sig->appkw[0].hashes[0], 0x00); /* sorted */
    ck_assert_uint_eq(sig->appkw[0].hashes[16], 0xff);
    ck_assert_uint_eq(sig->appkw[0].hashes[31], 0x00);
    parse(R("filemd5:!good.md5;"));
    ck_assert_uint_eq(sig->appkw[0].neg, 1);
    fails(R("filemd5:nosuch.md5;"), "filemd5",
          "cannot read hash list 'nosuch.md5': /rules/nosuch.md5: No such file");
    fails(R("filemd5:short.md5;"), "filemd5", "'short.md5' line 2: expected 32 hex digits");
    fails(R("filesha256:good.md5;"), "filesha256", "line 3: expected 64 hex digits");
}
END_TEST

START_TEST(app_layer_protocol)
{
    parse(R("app-layer-protocol:http;"));
    ck_assert_uint_eq(sig->nalp, 1);
    ck_assert_uint_eq(sig->alp[0], KN_APP_HTTP);
    ck_assert_uint_eq(sig->alp_neg, 0);
    /* a packet condition, as in Suricata: the rule does not wait for a transaction */
    ck_assert(!(sig->flags & KN_SIGF_NEEDS_APP));
    ck_assert(!(sig->flags & KN_SIGF_IPONLY));
    ck_assert(sig->flags & KN_SIGF_PDONLY); /* checked where the protocol became known */
    parse(R("flow:to_server; app-layer-protocol:http;"));
    ck_assert(!(sig->flags & KN_SIGF_PDONLY)); /* then on every packet */
    /* each condition is kept: "neither http nor tls" */
    parse(R("app-layer-protocol:!http,final; app-layer-protocol:!tls,final;"));
    ck_assert_uint_eq(sig->nalp, 2);
    ck_assert_uint_eq(sig->alp[0], KN_APP_HTTP);
    ck_assert_uint_eq(sig->alp[1], KN_APP_TLS);
    ck_assert_uint_eq(sig->alp_neg, 3);
    parse(R("app-layer-protocol:failed;"));
    ck_assert_uint_eq(sig->alp[0], KN_APP_FAILED);
    fails(R("app-layer-protocol:http; app-layer-protocol:tls; app-layer-protocol:dns; "
            "app-layer-protocol:ssh; app-layer-protocol:smtp;"),
          "app-layer-protocol", "more than 4 app-layer-protocol conditions");
    unsupported(R("app-layer-protocol:gopher;"), "app-layer-protocol",
                "unknown application protocol 'gopher'");
}
END_TEST

/* ---- what the rule needs ------------------------------------------------------------------- */

START_TEST(ip_only_rules)
{
    ck_assert(parse("alert ip 1.2.3.4 any -> any any (sid:1;)")->flags & KN_SIGF_IPONLY);
    ck_assert(parse("alert ip 1.2.3.4 any -> any any (flowbits:set,x; sid:1;)")->flags &
              KN_SIGF_IPONLY);
    ck_assert(!(parse("alert ip 1.2.3.4 any -> any any (flowbits:isset,x; sid:1;)")->flags &
                KN_SIGF_IPONLY));
    ck_assert(!(parse("alert ip 1.2.3.4 any -> any 80 (sid:1;)")->flags & KN_SIGF_IPONLY));
    ck_assert(!(parse("alert ip 1.2.3.4 any -> any any (flow:to_server; sid:1;)")->flags &
                KN_SIGF_IPONLY));
    ck_assert(!(parse("alert pkthdr 1.2.3.4 any -> any any (sid:1;)")->flags & KN_SIGF_IPONLY));
    ck_assert(!(parse("alert http 1.2.3.4 any -> any any (sid:1;)")->flags & KN_SIGF_IPONLY));
}
END_TEST

/* ---- loading rule text --------------------------------------------------------------------- */

typedef struct msgs {
    kn_rule_msg_t m[16];
    int n;
} msgs_t;

static void on_msg(void *user, const kn_rule_msg_t *m)
{
    msgs_t *c = user;

    if (c->n < 16)
        c->m[c->n++] = *m;
}

START_TEST(loading_counts_failures_like_dash_t)
{
    const char *text = "alert tcp any any -> any any (msg:\"ok\"; sid:1;)\n"
                       "alert tcp any any -> any any (content:\"ab\"; depth:1; sid:2;)\n"
                       "alert tcp any any -> any any (lua:x.lua; sid:3;)\n"
                       "alert tcp any any -> any any (sid:4;)\n";
    msgs_t got = {0};
    const kn_rules_stats_t *st;

    ck_assert_int_eq(kn_ruleset_add_rules(rs, "t.rules", text, on_msg, &got), 2);
    st = kn_ruleset_stats(rs);
    ck_assert_uint_eq(st->loaded, 2);
    ck_assert_uint_eq(st->failed, 1);
    ck_assert_uint_eq(st->unsupported, 1);
    ck_assert_uint_eq(rs->nsigs, 2);
    ck_assert_int_eq(got.n, 2);
    ck_assert_str_eq(got.m[0].file, "t.rules");
    ck_assert_int_eq(got.m[0].kind, KN_RULE_FAILED);
    ck_assert_int_eq(got.m[0].line, 2);
    ck_assert_int_eq(got.m[0].column, (int)(strstr(strchr(text, '\n'), "depth") -
                                            strchr(text, '\n')));
    ck_assert_str_eq(got.m[0].keyword, "depth");
    ck_assert_int_eq(got.m[1].kind, KN_RULE_UNSUPPORTED);
    ck_assert_int_eq(got.m[1].line, 3);
    ck_assert_str_eq(got.m[1].keyword, "lua");
}
END_TEST

START_TEST(comments_blank_lines_continuations_and_crlf)
{
    const char *text = "# a comment\n"
                       "\n"
                       "alert tcp any any -> any any (msg:\"a\"; \\\n"
                       "    content:\"x\"; \\\n"
                       "    sid:1;)\r\n"
                       "   # alert tcp any any -> any any (sid:2;)\n"
                       "alert tcp any any -> any any (content:\"x\"; \\\n"
                       "  offset:1; distance:1; sid:3;)\n";
    msgs_t got = {0};

    ck_assert_int_eq(kn_ruleset_add_rules(rs, "t.rules", text, on_msg, &got), 1);
    ck_assert_uint_eq(kn_ruleset_stats(rs)->loaded, 1);
    ck_assert_uint_eq(rs->sigs[0]->sid, 1);
    ck_assert_uint_eq(rs->sigs[0]->lists[0].n, 1);
    ck_assert_int_eq(got.n, 1);
    ck_assert_int_eq(got.m[0].line, 7); /* the line the rule starts on */
    ck_assert_str_eq(got.m[0].keyword, "distance");
}
END_TEST

START_TEST(column_counts_the_indentation)
{
    const char *text = "  \talert tcp any any -> any any (content:\"ab\"; depth:1; sid:2;)\n"
                       "    alarm tcp any any -> any any (sid:3;)\n";
    msgs_t got = {0};

    ck_assert_int_eq(kn_ruleset_add_rules(rs, "t.rules", text, on_msg, &got), 2);
    ck_assert_int_eq(got.m[0].column, (int)(strstr(text, "depth") - text) + 1);
    ck_assert_int_eq(got.m[1].line, 2);
    ck_assert_int_eq(got.m[1].column, 5); /* where the header starts */
}
END_TEST

START_TEST(duplicate_sid_keeps_the_higher_rev)
{
    const char *text = "alert tcp any any -> any any (msg:\"one\"; sid:9; rev:1;)\n"
                       "alert tcp any any -> any any (msg:\"two\"; sid:9; rev:2;)\n"
                       "alert tcp any any -> any any (msg:\"old\"; sid:9; rev:1;)\n"
                       "alert tcp any any -> any any (msg:\"gid\"; sid:9; gid:2;)\n";
    msgs_t got = {0};
    const kn_rules_stats_t *st;

    ck_assert_int_eq(kn_ruleset_add_rules(rs, "t.rules", text, on_msg, &got), 0);
    st = kn_ruleset_stats(rs);
    ck_assert_uint_eq(st->duplicates, 2);
    ck_assert_uint_eq(st->loaded, 2); /* sid 9 once, and 2:9 */
    ck_assert_uint_eq(rs->nsigs, 2);
    ck_assert_str_eq(rs->sigs[0]->msg, "two");
    ck_assert_uint_eq(rs->sigs[0]->rev, 2);
    ck_assert_int_eq(got.n, 2);
    ck_assert_int_eq(got.m[0].kind, KN_RULE_WARNING);
    ck_assert_int_eq(got.m[0].line, 2);
    ck_assert_ptr_nonnull(strstr(got.m[0].text, "duplicate sid 9"));
}
END_TEST

START_TEST(duplicates_are_not_counted_as_loaded_without_a_callback)
{
    const char *text = "alert tcp any any -> any any (sid:9; rev:3;)\n"
                       "alert tcp any any -> any any (sid:9; rev:2;)\n";

    ck_assert_int_eq(kn_ruleset_add_rules(rs, "t.rules", text, NULL, NULL), 0);
    ck_assert_uint_eq(kn_ruleset_stats(rs)->loaded, 1);
    ck_assert_uint_eq(kn_ruleset_stats(rs)->duplicates, 1);
    ck_assert_uint_eq(rs->sigs[0]->rev, 3);
}
END_TEST

START_TEST(disabled_sids_are_skipped)
{
    const char *text = "alert tcp any any -> any any (sid:5;)\n"
                       "alert tcp any any -> any any (sid:6;)\n";

    ck_assert_int_eq(kn_ruleset_disable_sid(rs, 5), KN_OK);
    ck_assert_int_eq(kn_ruleset_add_rules(rs, "t.rules", text, NULL, NULL), 0);
    ck_assert_uint_eq(kn_ruleset_stats(rs)->skipped_disabled, 1);
    ck_assert_uint_eq(kn_ruleset_stats(rs)->loaded, 1);
    ck_assert_uint_eq(rs->sigs[0]->sid, 6);
}
END_TEST

START_TEST(bad_keywords_are_counted)
{
    const char *text = "alert tcp any any -> any any (content:\"ab\"; depth:1; sid:1;)\n"
                       "alert tcp any any -> any any (content:\"ab\"; depth:x; sid:2;)\n"
                       "alert tcp any any -> any any (lua:a.lua; sid:3;)\n"
                       "alarm tcp any any -> any any (sid:4;)\n";
    uint32_t count = 0;

    ck_assert_int_eq(kn_ruleset_add_rules(rs, "t.rules", text, NULL, NULL), 4);
    ck_assert_str_eq(kn_ruleset_bad_keyword(rs, 0, &count), "depth");
    ck_assert_uint_eq(count, 2);
    ck_assert_str_eq(kn_ruleset_bad_keyword(rs, 1, &count), "lua");
    ck_assert_uint_eq(count, 1);
    ck_assert_str_eq(kn_ruleset_bad_keyword(rs, 2, &count), "(header)");
    ck_assert_uint_eq(count, 1);
    ck_assert_ptr_null(kn_ruleset_bad_keyword(rs, 3, &count));
}
END_TEST

START_TEST(classification_file)
{
    const char *text = "# comment\n"
                       "config classification: misc-activity,Other text,2\n"
                       "config classification: new-one,Something new,2\n"
                       "config classification: broken\n"
                       "not a config line\n";
    msgs_t got = {0};
    int c;

    ck_assert_int_eq(kn_ruleset_add_classifications(rs, "x.config", text, on_msg, &got), 2);
    ck_assert_int_eq(got.n, 2);
    ck_assert_int_eq(got.m[0].line, 4);
    ck_assert_ptr_nonnull(strstr(got.m[0].text, "not a classification"));
    ck_assert_int_eq(got.m[1].line, 5);
    c = kn_classtype_find(rs, "misc-activity");
    ck_assert_uint_eq(rs->classes[c].prio, 3); /* the first definition wins */
    c = kn_classtype_find(rs, "new-one");
    ck_assert_int_ge(c, 0);
    ck_assert_str_eq(rs->classes[c].desc, "Something new");
    ck_assert_int_eq(kn_classtype_find(rs, "broken"), -1);
}
END_TEST

START_TEST(build_sorts_rules_into_kinds)
{
    const char *text = "alert ip 1.2.3.4 any -> any any (sid:1;)\n"
                       "alert tcp any any -> any 80 (content:\"abcd\"; content:\"xy\";"
                       " fast_pattern; sid:2;)\n"
                       "alert tcp any any -> any any (http.uri; content:\"/a\"; sid:3;)\n"
                       "alert tcp any any -> any any (ttl:3; sid:4;)\n";
    const kn_rules_stats_t *st;
    uint32_t i;

    ck_assert_int_eq(kn_ruleset_add_rules(rs, "t.rules", text, NULL, NULL), 0);
    ck_assert_int_eq(kn_ruleset_build(rs, NULL, 0), KN_OK);
    st = kn_ruleset_stats(rs);
    ck_assert_uint_eq(st->iponly, 1);
    ck_assert_uint_eq(st->payload, 1);
    ck_assert_uint_eq(st->app, 1);
    ck_assert_uint_eq(st->other, 1);
    ck_assert_uint_ge(st->mpm_patterns, 2);
    for (i = 0; i < rs->nsigs; i++) /* the fast pattern asked for, not the longest */
        if (rs->sigs[i]->sid == 2)
            ck_assert_int_eq(rs->sigs[i]->fp_sm, 1);
}
END_TEST

Suite *suite_rule(void)
{
    Suite *s = suite_create("rule");
    TCase *tc;

    tc = tcase_create("header");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_action);
    tcase_add_test(tc, every_transport_protocol);
    tcase_add_test(tc, app_protocol_in_header_needs_app_layer);
    tcase_add_test(tc, directions);
    tcase_add_test(tc, defaults_of_a_minimal_rule);
    tcase_add_test(tc, header_errors_fail_at_column_one);
    tcase_add_test(tc, unknown_protocol_is_unsupported);
    tcase_add_test(tc, parenthesis_and_semicolon_errors);
    tcase_add_test(tc, unterminated_quote_fails);
    tcase_add_test(tc, option_longer_than_the_limit_fails);
    tcase_add_test(tc, unknown_keyword_and_value_checks);
    tcase_add_test(tc, every_unsupported_keyword);
    tcase_add_test(tc, column_points_at_the_failing_option);
    tcase_add_test(tc, missing_sid_fails_for_the_whole_rule);
    suite_add_tcase(s, tc);

    tc = tcase_create("addresses");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, single_address_cidr_netmask_and_range);
    tcase_add_test(tc, ipv6_addresses);
    tcase_add_test(tc, negation_covers_both_families);
    tcase_add_test(tc, list_is_positives_minus_negatives);
    tcase_add_test(tc, variables_and_defaults);
    tcase_add_test(tc, nested_variables);
    tcase_add_test(tc, ports_single_ranges_lists_and_negation);
    tcase_add_test(tc, port_variables);
    tcase_add_test(tc, address_errors);
    tcase_add_test(tc, address_too_long);
    tcase_add_test(tc, variable_errors);
    tcase_add_test(tc, wide_variable_nesting_is_bounded);
    tcase_add_test(tc, port_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("content");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, plain_content);
    tcase_add_test(tc, content_hex_sections);
    tcase_add_test(tc, content_escapes);
    tcase_add_test(tc, content_errors);
    tcase_add_test(tc, bang_inside_the_quotes_is_a_byte);
    tcase_add_test(tc, negated_content);
    tcase_add_test(tc, nocase_and_rawbytes);
    tcase_add_test(tc, offset_and_depth);
    tcase_add_test(tc, distance_and_within_are_relative);
    tcase_add_test(tc, positional_errors);
    tcase_add_test(tc, startswith_and_endswith);
    tcase_add_test(tc, fast_pattern_variants);
    tcase_add_test(tc, fast_pattern_errors);
    tcase_add_test(tc, modifiers_apply_to_the_last_content_only);
    tcase_add_test(tc, variables_as_positions);
    suite_add_tcase(s, tc);

    tc = tcase_create("buffers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_sticky_buffer_by_both_names);
    tcase_add_test(tc, every_legacy_modifier_moves_its_content);
    tcase_add_test(tc, sticky_buffer_needs_app_layer);
    tcase_add_test(tc, moved_content_leaves_no_payload_inspection);
    tcase_add_test(tc, pkt_data_returns_to_the_payload);
    tcase_add_test(tc, relative_items_follow_a_moved_content);
    tcase_add_test(tc, uricontent_goes_to_the_uri);
    tcase_add_test(tc, modifier_errors);
    tcase_add_test(tc, base64_data_is_no_app_buffer);
    tcase_add_test(tc, base64_decode_errors);
    tcase_add_test(tc, every_transform);
    tcase_add_test(tc, transforms_chain_in_rule_order);
    tcase_add_test(tc, transformed_buffer_is_its_own_list);
    tcase_add_test(tc, more_than_four_transforms_fail);
    suite_add_tcase(s, tc);

    tc = tcase_create("pcre");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, pcre_plain_relative_and_negated);
    tcase_add_test(tc, pcre_every_modifier_flag);
    tcase_add_test(tc, pcre_buffer_flags);
    tcase_add_test(tc, pcre_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("bytes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, byte_test_fields);
    tcase_add_test(tc, byte_test_operators);
    tcase_add_test(tc, byte_test_string_bases_bitmask_and_dce);
    tcase_add_test(tc, byte_test_errors);
    tcase_add_test(tc, byte_jump_fields);
    tcase_add_test(tc, byte_jump_errors);
    tcase_add_test(tc, byte_extract_fields);
    tcase_add_test(tc, byte_extract_errors);
    tcase_add_test(tc, byte_extract_reuses_a_name);
    tcase_add_test(tc, byte_math_fields);
    tcase_add_test(tc, byte_math_operators_and_variable_rvalue);
    tcase_add_test(tc, byte_math_errors);
    tcase_add_test(tc, isdataat_forms);
    tcase_add_test(tc, bsize_forms);
    tcase_add_test(tc, bsize_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("meta");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, msg_unescapes);
    tcase_add_test(tc, sid_rev_gid);
    tcase_add_test(tc, classtype_and_priority);
    tcase_add_test(tc, reference_metadata_target);
    tcase_add_test(tc, noalert_and_accepted_keywords);
    tcase_add_test(tc, metadata_entries_are_limited);
    suite_add_tcase(s, tc);

    tc = tcase_create("flow");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, flow_options);
    tcase_add_test(tc, flow_errors);
    tcase_add_test(tc, flowbits_operations);
    tcase_add_test(tc, flowbits_or_group_and_noalert);
    tcase_add_test(tc, flowbits_errors);
    tcase_add_test(tc, xbits_and_hostbits);
    tcase_add_test(tc, xbits_errors);
    tcase_add_test(tc, flowint_forms);
    tcase_add_test(tc, flowint_errors);
    tcase_add_test(tc, flowint_variable_value_needs_a_small_id);
    tcase_add_test(tc, bit_and_counter_operations_are_limited);
    tcase_add_test(tc, threshold_types_and_tracks);
    tcase_add_test(tc, detection_filter_fields);
    tcase_add_test(tc, threshold_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("packet");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_numeric_header_keyword);
    tcase_add_test(tc, ranges_exclude_their_bounds);
    tcase_add_test(tc, header_keyword_errors);
    tcase_add_test(tc, header_tests_are_limited);
    tcase_add_test(tc, stream_size_sides);
    tcase_add_test(tc, fragbits_modes);
    tcase_add_test(tc, ipopts_names);
    tcase_add_test(tc, tcp_flags_forms);
    tcase_add_test(tc, sameip_flag);
    tcase_add_test(tc, decode_and_stream_events);
    tcase_add_test(tc, unknown_events_are_unsupported);
    tcase_add_test(tc, events_are_limited);
    tcase_add_test(tc, every_app_layer_condition);
    tcase_add_test(tc, app_layer_event);
    tcase_add_test(tc, numeric_app_conditions);
    tcase_add_test(tc, dns_names_parse_once);
    tcase_add_test(tc, urilen_parses_once);
    tcase_add_test(tc, tls_conditions_parse_once);
    tcase_add_test(tc, file_conditions_parse_once);
    tcase_add_test(tc, hash_lists_load_or_fail);
    tcase_add_test(tc, app_layer_protocol);
    tcase_add_test(tc, ip_only_rules);
    suite_add_tcase(s, tc);

    tc = tcase_create("loading");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, loading_counts_failures_like_dash_t);
    tcase_add_test(tc, comments_blank_lines_continuations_and_crlf);
    tcase_add_test(tc, column_counts_the_indentation);
    tcase_add_test(tc, duplicate_sid_keeps_the_higher_rev);
    tcase_add_test(tc, duplicates_are_not_counted_as_loaded_without_a_callback);
    tcase_add_test(tc, disabled_sids_are_skipped);
    tcase_add_test(tc, bad_keywords_are_counted);
    tcase_add_test(tc, classification_file);
    tcase_add_test(tc, build_sorts_rules_into_kinds);
    suite_add_tcase(s, tc);
    return s;
}
