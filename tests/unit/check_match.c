/* check_match.c: the payload matcher. Rules are parsed from text, then their lists run on byte
 * buffers the way detect.c runs them: contents and their windows, backtracking, byte_*,
 * isdataat, pcre, base64, bsize, every transform, the step budget, and stream windows (absolute
 * offsets from the first new byte, matches that must end in new data). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "match.h"
#include "ruleset.h"
#include "suites.h"

static kn_ruleset_t *rs;
static kn_sig_t *sig;
static kn_inspect_t in;

static void setup(void)
{
    rs = kn_ruleset_new();
    ck_assert_ptr_nonnull(rs);
    sig = NULL;
    memset(&in, 0, sizeof(in));
    in.md = pcre2_match_data_create(32, NULL);
    ck_assert_ptr_nonnull(in.md);
}

static void teardown(void)
{
    kn_sig_free(sig);
    kn_ruleset_free(rs);
    pcre2_match_data_free(in.md);
    kn_inspect_free(&in);
}

/* Parses "alert tcp any any -> any any (OPTS sid:1;)" into sig. */
static void load(const char *opts)
{
    char rule[2048];
    kn_rule_msg_t msg;

    snprintf(rule, sizeof(rule), "alert tcp any any -> any any (%s sid:1;)", opts);
    kn_sig_free(sig);
    memset(&msg, 0, sizeof(msg));
    sig = kn_rule_parse(rs, rule, &msg);
    ck_assert_msg(sig != NULL, "%s: %s: %s", rule, msg.keyword, msg.text);
    ck_assert_uint_gt(sig->nlists, 0);
}

/* Runs every list of sig on buf as detect.c does: each with a fresh budget, base64_data on
 * what base64_decode left, and only the payload as a stream window. */
static int run_lists(const void *buf, uint32_t len)
{
    uint32_t origin = in.origin;
    uint8_t i, stream = in.stream;

    memset(in.vars, 0, sizeof(in.vars));
    in.b64_len = 0;
    for (i = 0; i < sig->nlists; i++) {
        const kn_smlist_t *l = &sig->lists[i];
        const uint8_t *b = buf;
        uint32_t n = len;
        in.stream = l->buf == KN_BUF_PAYLOAD ? stream : 0;
        in.origin = l->buf == KN_BUF_PAYLOAD ? origin : 0;
        if (l->buf == KN_BUF_BASE64_DATA) {
            b = in.b64 ? in.b64 : (const uint8_t *)"";
            n = in.b64_len;
        }
        in.buf = kn_match_transform(&in, l, b, &n);
        in.len = n;
        in.budget = 0;
        if (!kn_match_list(&in, l))
            return 0;
    }
    return 1;
}

static int match_bin(const char *opts, const void *buf, size_t len)
{
    load(opts);
    return run_lists(buf, (uint32_t)len);
}

static int match(const char *opts, const char *text)
{
    return match_bin(opts, text, strlen(text));
}

/* A window of reassembled data whose new bytes start at origin. */
static int stream(const char *opts, const char *text, uint32_t origin)
{
    int r;

    in.stream = 1;
    in.origin = origin;
    r = match(opts, text);
    in.stream = 0;
    in.origin = 0;
    return r;
}

/* ---- kn_find ------------------------------------------------------------------------------- */

START_TEST(find_exact_and_nocase)
{
    const uint8_t *hay = (const uint8_t *)"xxHeLLo hello";

    ck_assert_int_eq(kn_find(hay, 13, (const uint8_t *)"hello", 5, 0), 8);
    ck_assert_int_eq(kn_find(hay, 13, (const uint8_t *)"hello", 5, 1), 2);
    ck_assert_int_eq(kn_find(hay, 13, (const uint8_t *)"HELLO", 5, 1), 2);
    ck_assert_int_eq(kn_find(hay, 13, (const uint8_t *)"help", 4, 1), -1);
    ck_assert_int_eq(kn_find(hay, 4, (const uint8_t *)"hello", 5, 0), -1);
    ck_assert_int_eq(kn_find(hay, 13, (const uint8_t *)"o", 1, 0), 6);
}
END_TEST

/* ---- content ------------------------------------------------------------------------------- */

START_TEST(content_anywhere)
{
    ck_assert(match("content:\"abc\";", "xxabcxx"));
    ck_assert(!match("content:\"abc\";", "xxabxcx"));
    ck_assert(match_bin("content:\"|00 ff|A\";", "q\0\xff" "A", 4));
    ck_assert(!match("content:\"abc\";", ""));
    ck_assert(match("content:\"abc\";", "xxabcxx"));
    ck_assert_uint_eq(in.end, 5); /* where the match ended */
}
END_TEST

START_TEST(content_nocase)
{
    ck_assert(!match("content:\"ABC\";", "xabcx"));
    ck_assert(match("content:\"ABC\"; nocase;", "xabcx"));
    ck_assert(match("content:\"aBc\"; nocase;", "xAbCx"));
}
END_TEST

START_TEST(offset_and_depth)
{
    ck_assert(match("content:\"cd\"; offset:2; depth:2;", "abcdef"));
    ck_assert(!match("content:\"cd\"; offset:3;", "abcdef"));
    ck_assert(!match("content:\"cd\"; depth:3;", "abcdef"));
    ck_assert(match("content:\"cd\"; depth:4;", "abcdef"));
    /* depth counts from the offset */
    ck_assert(match("content:\"cd\"; offset:1; depth:3;", "abcdef"));
    ck_assert(!match("content:\"cd\"; offset:1; depth:2;", "abcdef"));
    ck_assert(!match("content:\"ef\"; offset:10;", "abcdef"));
}
END_TEST

START_TEST(distance_and_within)
{
    ck_assert(match("content:\"ab\"; content:\"cd\"; distance:2;", "abXXcd"));
    ck_assert(!match("content:\"ab\"; content:\"cd\"; distance:3;", "abXXcd"));
    ck_assert(match("content:\"ab\"; content:\"cd\"; distance:0; within:4;", "abXXcd"));
    ck_assert(!match("content:\"ab\"; content:\"cd\"; distance:0; within:3;", "abXXcd"));
    ck_assert(match("content:\"ab\"; content:\"cd\"; distance:1; within:3;", "abXXcd"));
    /* relative to the end of the previous match, not to its start */
    ck_assert(!match("content:\"ab\"; content:\"b\"; distance:0;", "ab"));
}
END_TEST

START_TEST(negative_distance)
{
    ck_assert(match("content:\"cd\"; content:\"bc\"; distance:-3; within:2;", "abcd"));
    ck_assert(!match("content:\"cd\"; content:\"bc\"; distance:-2; within:2;", "abcd"));
    ck_assert(match("content:\"cd\"; content:\"ab\"; distance:-10; within:8;", "abcd"));
}
END_TEST

START_TEST(first_relative_content_counts_from_the_start)
{
    ck_assert(match("content:\"ab\"; distance:2; within:2;", "xxabxx"));
    ck_assert(!match("content:\"ab\"; distance:3;", "xxabxx"));
    ck_assert(!match("content:\"ab\"; within:3;", "xxabxx"));
}
END_TEST

START_TEST(negated_content)
{
    ck_assert(match("content:!\"evil\";", "good"));
    ck_assert(!match("content:!\"evil\";", "so evil!"));
    ck_assert(match("content:\"a\"; content:!\"b\"; distance:0; within:1;", "ac"));
    ck_assert(!match("content:\"a\"; content:!\"b\"; distance:0; within:1;", "ab"));
    ck_assert(match("content:\"a\"; content:!\"b\"; distance:0; within:1;", "acb"));
    /* a window too small to hold it cannot hold it */
    ck_assert(match("content:\"a\"; content:!\"b\"; distance:0; within:1;", "xa"));
    ck_assert(match("content:!\"abc\"; offset:1;", "abcd"));
    ck_assert(!match("content:!\"abc\"; offset:1;", "xabc"));
}
END_TEST

START_TEST(negated_content_is_checked_after_each_candidate)
{
    /* the first "a" is followed by "b", the second is not: the rule matches there */
    ck_assert(match("content:\"a\"; content:!\"b\"; distance:0; within:1;", "abac"));
}
END_TEST

START_TEST(startswith_and_endswith)
{
    ck_assert(match("content:\"GET\"; startswith;", "GET /"));
    ck_assert(!match("content:\"GET\"; startswith;", " GET /"));
    ck_assert(match("content:\"ab\"; endswith;", "abab"));
    ck_assert(!match("content:\"ab\"; endswith;", "abx"));
    ck_assert(match("content:!\"ab\"; endswith;", "abx"));
    ck_assert(!match("content:!\"ab\"; endswith;", "xab"));
    ck_assert(match("content:\"ab\"; startswith; endswith;", "ab"));
    ck_assert(!match("content:\"ab\"; startswith; endswith;", "abab"));
}
END_TEST

/* ---- backtracking -------------------------------------------------------------------------- */

START_TEST(first_content_retried_at_its_next_occurrence)
{
    ck_assert(match("content:\"A\"; content:\"B\"; distance:0; within:1;", "AxAB"));
    ck_assert(match("content:\"A\"; content:\"B\"; distance:0; within:1; content:\"C\";"
                    " distance:0; within:1;", "ABxABxABC"));
    ck_assert(!match("content:\"A\"; content:\"B\"; distance:0; within:1;", "AxAxBA"));
}
END_TEST

START_TEST(retry_reaches_past_items_that_keep_the_position)
{
    /* B is relative to A whatever stands between: an absolute isdataat or byte_test does not
     * move the position, so the next A is still worth trying (Suricata: RELATIVE_NEXT) */
    ck_assert(match("content:\"A\"; isdataat:3; content:\"B\"; distance:0; within:1;",
                    "AxxxxAB"));
    ck_assert(match("content:\"A\"; byte_test:1,=,0x41,0; content:\"B\"; distance:0;"
                    " within:1;", "AxxxxAB"));
    ck_assert(match("content:\"A\"; content:!\"Q\"; content:\"B\"; distance:0; within:1;",
                    "AxxAB"));
}
END_TEST

START_TEST(absolute_items_after_a_match_are_not_relative_to_it)
{
    ck_assert(!match("content:\"A\"; content:\"B\"; offset:3; depth:1;", "AAAxB"));
    ck_assert(match("content:\"A\"; content:\"B\"; offset:3; depth:1;", "AAAB"));
    ck_assert(!match("pcre:\"/A/\"; content:\"B\"; offset:3; depth:1;", "AAAxB"));
    /* an absolute byte_jump sets the position the next relative item counts from */
    ck_assert(match("content:\"A\"; byte_jump:1,0; content:\"B\"; within:1;", "\x03" "ABxB"));
    ck_assert(!match("content:\"A\"; byte_jump:1,0; content:\"B\"; within:1;", "\x02" "AxxB"));
    ck_assert(match("content:\"A\"; byte_extract:1,2,n; content:\"B\"; within:1;",
                    "xAxB"));
}
END_TEST

START_TEST(pcre_retried_at_its_next_occurrence)
{
    ck_assert(match("pcre:\"/a./\"; content:\"Z\"; distance:0; within:1;", "abacZ"));
    ck_assert(!match("pcre:\"/a./\"; content:\"Z\"; distance:0; within:1;", "abacY"));
}
END_TEST

/* ---- byte_extract -------------------------------------------------------------------------- */

START_TEST(byte_extract_as_offset_and_depth)
{
    ck_assert(match_bin("byte_extract:1,0,off; content:\"AB\"; offset:off;", "\x03xxAB", 5));
    ck_assert(!match_bin("byte_extract:1,0,off; content:\"AB\"; offset:off;", "\x04xxAB", 5));
    ck_assert(match_bin("byte_extract:1,0,d; content:\"AB\"; offset:1; depth:d;", "\x04xxAB",
                        5));
    ck_assert(!match_bin("byte_extract:1,0,d; content:\"AB\"; offset:1; depth:d;",
                         "\x03xxAB", 5));
}
END_TEST

START_TEST(byte_extract_as_distance_and_within)
{
    const char *rule = "content:\"L\"; byte_extract:1,0,n,relative; content:\"Z\"; distance:n;"
                       " within:1;";

    ck_assert(match(rule, "L\x02" "abZ"));
    ck_assert(!match(rule, "L\x01" "abZ"));
    rule = "byte_extract:1,0,w; content:\"Z\"; distance:0; within:w;";
    ck_assert(match(rule, "\x04" "abZ"));
    ck_assert(!match(rule, "\x02" "abZ"));
}
END_TEST

START_TEST(byte_extract_options)
{
    /* multiplier, then align rounds the value up */
    ck_assert(match_bin("byte_extract:1,0,n,multiplier 3; content:\"Z\"; offset:n; depth:1;",
                        "\x02" "abcdeZ", 7));
    ck_assert(match_bin("byte_extract:1,0,n,align 4; content:\"Z\"; offset:n; depth:1;",
                        "\x01" "abcZ", 5));
    ck_assert(match_bin("byte_extract:2,0,n,little; content:\"Z\"; offset:n; depth:1;",
                        "\x03\x00" "aZ", 4));
    ck_assert(match("byte_extract:2,0,n,string,dec; content:\"Z\"; offset:n; depth:1;",
                    "04xxZ"));
    ck_assert(match("byte_extract:2,0,n,string,hex; content:\"Z\"; offset:n; depth:1;",
                    "0bxxxxxxxxxZ"));
    /* the position moves past the extracted bytes */
    ck_assert(match_bin("byte_extract:2,1,n; content:\"Z\"; within:1;", "q\0\0Z", 4));
    ck_assert(!match_bin("byte_extract:4,0,n;", "abc", 3));
}
END_TEST

/* ---- byte_test ----------------------------------------------------------------------------- */

START_TEST(byte_test_operators)
{
    static const struct { const char *test; int want; } tests[] = {
        {"byte_test:2,=,16,0;", 1}, {"byte_test:2,>,15,0;", 1}, {"byte_test:2,>,16,0;", 0},
        {"byte_test:2,<,16,0;", 0}, {"byte_test:2,<,17,0;", 1}, {"byte_test:2,<=,16,0;", 1},
        {"byte_test:2,>=,17,0;", 0}, {"byte_test:2,>=,16,0;", 1}, {"byte_test:2,&,0x10,0;", 1},
        {"byte_test:2,&,0x01,0;", 0}, {"byte_test:2,^,16,0;", 0}, {"byte_test:2,^,17,0;", 1},
        {"byte_test:2,!,16,0;", 0}, {"byte_test:2,!=,15,0;", 1}, {"byte_test:2,!<,16,0;", 1},
        {"byte_test:2,!&,0x01,0;", 1}, {"byte_test:1,=,0x10,1;", 1}};
    size_t i;

    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        ck_assert_msg(match_bin(tests[i].test, "\x00\x10", 2) == tests[i].want, "%s",
                      tests[i].test);
}
END_TEST

START_TEST(byte_test_endianness_and_bitmask)
{
    ck_assert(match_bin("byte_test:2,=,16,0,little;", "\x10\x00", 2));
    ck_assert(!match_bin("byte_test:2,=,16,0;", "\x10\x00", 2));
    ck_assert(match_bin("byte_test:2,=,1,0,dce;", "\x01\x00", 2));
    ck_assert(match_bin("byte_test:4,=,0x01020304,0;", "\x01\x02\x03\x04", 4));
    ck_assert(match_bin("byte_test:8,>,0xffffffff,0;", "\0\0\0\x01\0\0\0\0", 8));
    /* values of 2^31 and more are unsigned, as written */
    ck_assert(match_bin("byte_test:4,=,0xffffffff,0;", "\xff\xff\xff\xff", 4));
    ck_assert(match_bin("byte_test:4,>=,0x80000000,0;", "\x80\0\0\0", 4));
    ck_assert(!match_bin("byte_test:4,>,0x80000000,0;", "\x7f\0\0\0", 4));
    /* masked, then shifted right by the mask's trailing zeros */
    ck_assert(match_bin("byte_test:1,=,0x0a,0,bitmask 0xf0;", "\xab", 1));
    ck_assert(match_bin("byte_test:2,=,0x3,0,bitmask 0x0180;", "\x01\x80", 2));
    ck_assert(!match_bin("byte_test:1,=,0xab,0,bitmask 0xf0;", "\xab", 1));
}
END_TEST

START_TEST(byte_test_strings)
{
    ck_assert(match("byte_test:3,=,123,1,string,dec;", "x123y"));
    ck_assert(match("byte_test:3,>,122,1,string;", "x123y"));
    ck_assert(match("byte_test:2,=,0x1f,0,string,hex;", "1f"));
    ck_assert(match("byte_test:2,=,0x1F,0,string,hex;", "1F"));
    ck_assert(match("byte_test:2,=,15,0,string,oct;", "17"));
    ck_assert(!match("byte_test:2,=,0,0,string,dec;", "ab"));
    ck_assert(!match("byte_test:0,=,0,0,string;", "12")); /* loads, never matches */
}
END_TEST

START_TEST(byte_test_relative_and_bounds)
{
    ck_assert(match_bin("content:\"K\"; byte_test:1,=,7,0,relative;", "aK\x07", 3));
    ck_assert(!match_bin("content:\"K\"; byte_test:1,=,7,0,relative;", "aK\x08", 3));
    ck_assert(match("content:\"K\"; byte_test:1,=,0x41,-2,relative;", "AK"));
    ck_assert(!match_bin("byte_test:4,=,0,2;", "\0\0\0\0\0", 5));
    ck_assert(!match_bin("content:\"K\"; byte_test:1,=,0,0,relative;", "aK", 2));
    ck_assert(!match("content:\"K\"; byte_test:1,=,0x41,-3,relative;", "AK"));
}
END_TEST

START_TEST(byte_test_value_from_a_variable)
{
    ck_assert(match_bin("byte_extract:1,0,v; byte_test:1,=,v,1;", "\x05\x05", 2));
    ck_assert(!match_bin("byte_extract:1,0,v; byte_test:1,=,v,1;", "\x05\x06", 2));
}
END_TEST

/* ---- byte_jump ----------------------------------------------------------------------------- */

START_TEST(byte_jump_moves_past_the_value)
{
    const char *rule = "byte_jump:1,0; content:\"Z\"; within:1;";

    ck_assert(match(rule, "\x02xxZ"));
    ck_assert(!match(rule, "\x01xxZ"));
    ck_assert(!match("byte_jump:1,0;", "\x50xx")); /* beyond the buffer */
    ck_assert(!match("byte_jump:4,0;", "ab"));
    ck_assert(!match_bin("byte_jump:8,0;", "\x01\0\0\0\0\0\0\0", 8));
    ck_assert(match_bin("byte_jump:2,0,little; content:\"Z\"; within:1;", "\x01\x00" "aZ", 4));
    ck_assert(match("byte_jump:2,0,string,dec; content:\"Z\"; within:1;", "03abcZ"));
    ck_assert(match("content:\"L\"; byte_jump:1,0,relative; content:\"Z\"; within:1;",
                    "qL\x02" "abZ"));
}
END_TEST

START_TEST(byte_jump_multiplier_and_align)
{
    ck_assert(match("byte_jump:1,0,multiplier 2; content:\"Z\"; within:1;", "\x02" "abcdZ"));
    ck_assert(!match("byte_jump:1,0; content:\"Z\"; within:1;", "\x02" "abcdZ"));
    ck_assert(match("byte_jump:1,0,align; content:\"Z\"; within:1;", "\x01" "abcdZ"));
    ck_assert(!match("byte_jump:1,0; content:\"Z\"; within:1;", "\x01" "abcdZ"));
    ck_assert(match("byte_jump:1,0,align; content:\"Z\"; within:1;", "\x04" "abcdZ"));
}
END_TEST

START_TEST(byte_jump_from_beginning_and_end)
{
    ck_assert(match("byte_jump:1,2,from_beginning; content:\"Z\"; within:1;", "ab\x03Zq"));
    ck_assert(!match("byte_jump:1,2; content:\"Z\"; within:1;", "ab\x03Zq"));
    ck_assert(match("byte_jump:0,0,from_end,post_offset -2; content:\"YZ\"; within:2;",
                    "abcYZ"));
    ck_assert(!match("byte_jump:0,0,from_end,post_offset -3; content:\"YZ\"; within:2;",
                     "abcYZ"));
}
END_TEST

START_TEST(byte_jump_post_offset)
{
    ck_assert(match("byte_jump:1,0,post_offset 2; content:\"Z\"; within:1;", "\x01" "aXYZ"));
    ck_assert(match("byte_jump:1,0,post_offset -1; content:\"Q\"; within:1;", "\x03" "abQc"));
    ck_assert(!match("byte_jump:1,0,post_offset -5;", "\x01" "abc"));
    /* 0 bytes: the position moves by post_offset alone */
    ck_assert(match("content:\"A\"; byte_jump:0,0,relative,post_offset 2; content:\"D\";"
                    " within:1;", "ABCD"));
    ck_assert(!match("content:\"A\"; byte_jump:0,0,relative,post_offset 1; content:\"D\";"
                     " within:1;", "ABCD"));
}
END_TEST

/* ---- byte_math ----------------------------------------------------------------------------- */

START_TEST(byte_math_operators)
{
    static const struct { const char *rule; const char *buf; } tests[] = {
        {"byte_math:bytes 1, offset 0, oper +, rvalue 3, result r; byte_test:1,=,r,1;",
         "\x02\x05"},
        {"byte_math:bytes 1, offset 0, oper -, rvalue 2, result r; byte_test:1,=,r,1;",
         "\x06\x04"},
        {"byte_math:bytes 1, offset 0, oper *, rvalue 3, result r; byte_test:1,=,r,1;",
         "\x02\x06"},
        {"byte_math:bytes 1, offset 0, oper /, rvalue 2, result r; byte_test:1,=,r,1;",
         "\x07\x03"},
        {"byte_math:bytes 1, offset 0, oper <<, rvalue 3, result r; byte_test:1,=,r,1;",
         "\x01\x08"},
        {"byte_math:bytes 1, offset 0, oper >>, rvalue 2, result r; byte_test:1,=,r,1;",
         "\x10\x04"}};
    size_t i;

    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        uint8_t wrong[2] = {(uint8_t)tests[i].buf[0], (uint8_t)(tests[i].buf[1] + 1)};
        ck_assert_msg(match_bin(tests[i].rule, tests[i].buf, 2), "%s", tests[i].rule);
        ck_assert_msg(!match_bin(tests[i].rule, wrong, 2), "%s", tests[i].rule);
    }
}
END_TEST

START_TEST(byte_math_division_by_zero_fails)
{
    ck_assert(!match_bin("byte_math:bytes 1, offset 0, oper /, rvalue 0, result r;", "\x04", 1));
    ck_assert(!match_bin("byte_extract:1,1,z; byte_math:bytes 1, offset 0, oper /, rvalue z,"
                         " result r;", "\x04\x00", 2));
}
END_TEST

START_TEST(byte_math_options)
{
    ck_assert(match_bin("byte_extract:1,1,k; byte_math:bytes 1, offset 0, oper +, rvalue k,"
                        " result r; byte_test:1,=,r,2;", "\x02\x03\x05", 3));
    ck_assert(match_bin("content:\"K\"; byte_math:bytes 1, offset 0, oper +, rvalue 1,"
                        " result r, relative; byte_test:1,=,r,0;", "\x04K\x03", 3));
    ck_assert(match_bin("byte_math:bytes 2, offset 0, oper +, rvalue 0, result r,"
                        " endian little; byte_test:1,=,r,2;", "\x05\x00\x05", 3));
    ck_assert(match("byte_math:bytes 2, offset 0, oper +, rvalue 1, result r, string dec;"
                    " byte_test:1,=,r,2;", "41*"));
    ck_assert(match("byte_math:bytes 2, offset 0, oper -, rvalue 1, result r, string hex;"
                    " content:\"Z\"; offset:r; depth:1;", "0bxxxxxxxxZ"));
    ck_assert(!match_bin("byte_math:bytes 4, offset 0, oper +, rvalue 1, result r;", "\x01",
                         1));
}
END_TEST

/* ---- isdataat ------------------------------------------------------------------------------ */

START_TEST(isdataat_absolute_is_a_byte_at_n)
{
    ck_assert(match("isdataat:3;", "abcd"));
    ck_assert(!match("isdataat:4;", "abcd"));
    ck_assert(match("isdataat:!4;", "abcd"));
    ck_assert(!match("isdataat:!0;", "a"));
    ck_assert(match("isdataat:!0;", ""));
}
END_TEST

START_TEST(isdataat_relative_is_n_more_bytes)
{
    /* pos + N <= len: N bytes follow the end of the match */
    ck_assert(match("content:\"ab\"; isdataat:2,relative;", "abcd"));
    ck_assert(!match("content:\"ab\"; isdataat:3,relative;", "abcd"));
    ck_assert(match("content:\"ab\"; isdataat:!1,relative;", "xab"));
    ck_assert(!match("content:\"ab\"; isdataat:!1,relative;", "abc"));
    ck_assert(match("content:\"ab\"; isdataat:0,relative;", "ab"));
}
END_TEST

START_TEST(isdataat_with_a_variable)
{
    ck_assert(match_bin("byte_extract:1,0,n; isdataat:n;", "\x03" "abc", 4));
    ck_assert(!match_bin("byte_extract:1,0,n; isdataat:n;", "\x04" "abc", 4));
}
END_TEST

/* ---- pcre ---------------------------------------------------------------------------------- */

START_TEST(pcre_plain_and_flags)
{
    ck_assert(match("pcre:\"/a.c/\";", "xxabcxx"));
    ck_assert(!match("pcre:\"/A.C/\";", "xxabcxx"));
    ck_assert(match("pcre:\"/A.C/i\";", "xxabcxx"));
    ck_assert(!match("pcre:\"/^abc/\";", "xabc"));
    ck_assert(!match("pcre:\"/a.b/\";", "a\nb"));
    ck_assert(match("pcre:\"/a.b/s\";", "a\nb"));
    ck_assert(!match("pcre:\"/^b/\";", "a\nb"));
    ck_assert(match("pcre:\"/^b/m\";", "a\nb"));
    ck_assert(match("pcre:\"/a b c/x\";", "abc"));
    ck_assert(!match("pcre:\"/b/A\";", "ab"));
    ck_assert(match("pcre:\"/b/A\";", "ba"));
    ck_assert(match("pcre:\"/[\"']x\\;/\";", "a'x;"));
}
END_TEST

START_TEST(pcre_sets_the_position)
{
    ck_assert(match("pcre:\"/ab/\"; content:\"c\"; within:1;", "xabc"));
    ck_assert(!match("pcre:\"/ab/\"; content:\"c\"; within:1;", "xabdc"));
    /* ungreedy: a.+b stops at the first b */
    ck_assert(match("pcre:\"/a.+b/G\"; content:\"c\"; within:1;", "axbcxb"));
    ck_assert(!match("pcre:\"/a.+b/\"; content:\"c\"; within:1;", "axbcxb"));
}
END_TEST

START_TEST(pcre_relative)
{
    ck_assert(match("content:\"x\"; pcre:\"/^abc/R\";", "xabc"));
    ck_assert(!match("content:\"x\"; pcre:\"/^abc/R\";", "xyabc"));
    ck_assert(match("content:\"x\"; pcre:\"/abc/R\";", "xyabc"));
    ck_assert(!match("content:\"x\"; pcre:\"/abc/R\";", "abcx"));
}
END_TEST

START_TEST(pcre_negated)
{
    ck_assert(match("pcre:!\"/evil/\";", "good"));
    ck_assert(!match("pcre:!\"/evil/\";", "so evil"));
    ck_assert(!match("content:\"a\"; pcre:!\"/^b/R\";", "ab"));
    ck_assert(match("content:\"a\"; pcre:!\"/^b/R\";", "ac"));
}
END_TEST

/* ---- base64 -------------------------------------------------------------------------------- */

START_TEST(base64_decode_then_data)
{
    ck_assert(match("base64_decode; base64_data; content:\"hello\";", "aGVsbG8="));
    ck_assert(!match("base64_decode; base64_data; content:\"world\";", "aGVsbG8="));
    ck_assert(match("base64_decode; base64_data; content:\"hello\"; bsize:5;", "aGVsbG8="));
    /* base64_data without a decode is empty */
    ck_assert(!match("base64_data; content:\"hello\";", "aGVsbG8="));
    ck_assert(match("base64_data; bsize:0;", "aGVsbG8="));
    ck_assert(match("base64_decode; base64_data; bsize:0;", "!aGVsbG8="));
    ck_assert(match("base64_decode:offset 20; base64_data; bsize:0;", "aGVsbG8="));
}
END_TEST

START_TEST(base64_decode_bytes_offset_relative)
{
    ck_assert(match("base64_decode:bytes 8, offset 4; base64_data; content:\"hello\";",
                    "xxxxaGVsbG8="));
    ck_assert(!match("base64_decode:bytes 4, offset 4; base64_data; content:\"hello\";",
                     "xxxxaGVsbG8="));
    ck_assert(match("base64_decode:bytes 4, offset 4; base64_data; content:\"hel\";",
                    "xxxxaGVsbG8="));
    ck_assert(match("content:\"b64:\"; base64_decode:relative; base64_data; content:\"hello\";",
                    "xx b64:aGVsbG8="));
    ck_assert(!match("content:\"b64:\"; base64_decode:relative; base64_data;"
                     " content:\"hello\";", "aGVsbG8= b64:"));
}
END_TEST

START_TEST(base64_without_padding)
{
    /* a last group without its '=' is decoded too: unpadded text, or a cut by bytes */
    ck_assert(match("base64_decode; base64_data; content:\"hello world\"; bsize:11;",
                    "aGVsbG8gd29ybGQ"));
    ck_assert(match("base64_decode; base64_data; content:\"ABCD\"; bsize:4;", "QUJDRA"));
    ck_assert(match("base64_decode:bytes 6; base64_data; content:\"hell\"; bsize:4;",
                    "aGVsbG8="));
    /* a single character left over carries no whole byte */
    ck_assert(match("base64_decode; base64_data; content:\"ABC\"; bsize:3;", "QUJDR"));
}
END_TEST

START_TEST(base64_text_ends_at_the_first_other_byte)
{
    ck_assert(match("base64_decode; base64_data; content:\"hello\"; bsize:5;", "aGVsbG8=!junk"));
    ck_assert(match_bin("base64_decode; base64_data; content:\"hello\"; bsize:5;",
                        "aGVsbG8=\0xyz", 12));
}
END_TEST

/* ---- bsize --------------------------------------------------------------------------------- */

START_TEST(bsize_comparisons)
{
    ck_assert(match("http.uri; bsize:5;", "abcde"));
    ck_assert(!match("http.uri; bsize:5;", "abcd"));
    ck_assert(match("http.uri; bsize:<5;", "abcd"));
    ck_assert(match("http.uri; bsize:>=5;", "abcde"));
    ck_assert(match("http.uri; bsize:!5;", "abcd"));
    ck_assert(match("http.uri; bsize:2<>5;", "abc"));
    ck_assert(!match("http.uri; bsize:2<>5;", "abcde"));
    ck_assert(!match("http.uri; bsize:2<>5;", "ab"));
    /* "a range between 1 and 4 will match 2 and 3, but neither 1 nor 4" */
    ck_assert(!match("http.uri; bsize:2-5;", "abcde"));
    ck_assert(match("http.uri; bsize:2-5;", "abcd"));
}
END_TEST

/* ---- transforms ---------------------------------------------------------------------------- */

START_TEST(case_transforms)
{
    ck_assert(!match("http.uri; content:\"abc\";", "xABCx"));
    ck_assert(match("http.uri; to_lowercase; content:\"abc\";", "xABCx"));
    ck_assert(!match("http.uri; to_lowercase; content:\"ABC\";", "xABCx"));
    ck_assert(match("http.uri; to_uppercase; content:\"ABC\";", "xabcx"));
}
END_TEST

START_TEST(whitespace_transforms)
{
    ck_assert(match("http.uri; strip_whitespace; content:\"abc\"; bsize:3;", "a b\tc\r\n"));
    ck_assert(match("http.uri; compress_whitespace; content:\"a b c\"; bsize:5;",
                    "a  \t b \r\nc"));
    ck_assert(!match("http.uri; compress_whitespace; content:\"a  b\";", "a  b"));
}
END_TEST

START_TEST(url_decode_transform)
{
    ck_assert(match("http.uri; url_decode; content:\"A/b c%zz%4\"; bsize:10;",
                    "%41%2fb+c%zz%4"));
    ck_assert(match("http.uri; url_decode; content:\"|00|\";", "a%00b"));
}
END_TEST

START_TEST(dotprefix_transform)
{
    ck_assert(match("http.host; dotprefix; content:\".example.com\"; startswith; endswith;",
                    "example.com"));
    ck_assert(!match("http.host; dotprefix; content:\".example.com\"; startswith;",
                     "badexample.com"));
}
END_TEST

START_TEST(header_transforms)
{
    const char *hdrs = "Host: ExAmple\r\nUser-Agent: X\r\n";

    ck_assert(match("http.header; header_lowercase; content:\"host: ExAmple|0d 0a|user-agent:"
                    " X\";", hdrs));
    ck_assert(match("http.header; strip_pseudo_headers; content:\"host: x|0d 0a|\"; startswith;"
                    " bsize:9;", ":method: GET\r\nhost: x\r\n:path: /\r\n"));
}
END_TEST

START_TEST(digest_transforms)
{
    ck_assert(match("http.uri; to_md5; content:\"|90 01 50 98 3c d2 4f b0 d6 96 3f 7d 28 e1 7f"
                    " 72|\"; bsize:16;", "abc"));
    ck_assert(match("http.uri; to_sha1; content:\"|a9 99 3e 36 47 06 81 6a ba 3e 25 71 78 50 c2"
                    " 6c 9c d0 d8 9d|\"; bsize:20;", "abc"));
    ck_assert(match("http.uri; to_sha256; content:\"|ba 78 16 bf 8f 01 cf ea 41 41 40 de 5d ae"
                    " 22 23 b0 03 61 a3 96 17 7a 9c b4 10 ff 61 f2 00 15 ad|\"; bsize:32;", "abc"));
    ck_assert(!match("http.uri; to_md5; content:\"abc\";", "abc"));
}
END_TEST

START_TEST(transforms_chain_in_order)
{
    ck_assert(match("http.uri; url_decode; to_lowercase; content:\"ab\"; bsize:2;", "%41B"));
    ck_assert(match("http.uri; to_uppercase; dotprefix; to_md5; bsize:16;", "x"));
    ck_assert(match("http.uri; dotprefix; dotprefix; dotprefix; content:\"...a\"; bsize:4;",
                    "a"));
}
END_TEST

START_TEST(no_transform_keeps_the_buffer)
{
    const uint8_t data[] = "abc";
    uint32_t len = 3;

    load("content:\"a\";");
    ck_assert_ptr_eq(kn_match_transform(&in, &sig->lists[0], data, &len), data);
    ck_assert_uint_eq(len, 3);
}
END_TEST

/* ---- the step budget ----------------------------------------------------------------------- */

START_TEST(hostile_buffer_stops_at_the_budget)
{
    static char hay[3001];
    const char *rule = "content:\"a\"; content:\"a\"; distance:0; content:\"a\"; distance:0;"
                       " content:\"a\"; distance:0; content:\"b\"; distance:0;";

    memset(hay, 'a', 3000);
    load(rule);
    in.buf = (const uint8_t *)hay;
    in.len = 3000;
    in.budget = 0; /* the default */
    ck_assert(!kn_match_list(&in, &sig->lists[0]));
    ck_assert_uint_eq(in.budget, 0); /* gave up, did not try every combination */
    hay[2999] = 'b';
    in.budget = 0;
    ck_assert(kn_match_list(&in, &sig->lists[0]));
    ck_assert_uint_gt(in.budget, 0);
}
END_TEST

START_TEST(running_out_of_steps_never_matches_a_negation)
{
    const char *text = "abcabcabcabc";
    uint32_t b;

    /* every "ab" is followed by "c": whatever the budget, the rule must not match */
    load("content:\"a\"; content:\"b\"; distance:0; within:1; content:!\"c\"; distance:0;"
         " within:1;");
    for (b = 1; b < 40; b++) {
        in.buf = (const uint8_t *)text;
        in.len = (uint32_t)strlen(text);
        in.budget = b;
        ck_assert_msg(!kn_match_list(&in, &sig->lists[0]), "budget %u", b);
    }
    load("content:\"a\"; pcre:!\"/^c/R\";");
    for (b = 1; b < 20; b++) {
        in.buf = (const uint8_t *)"acacac";
        in.len = 6;
        in.budget = b;
        ck_assert_msg(!kn_match_list(&in, &sig->lists[0]), "budget %u", b);
    }
}
END_TEST

/* ---- stream windows ------------------------------------------------------------------------ */

START_TEST(stream_offsets_count_from_the_origin)
{
    ck_assert(stream("content:\"GET\"; offset:0; depth:3;", "xxxxxxGET", 6));
    ck_assert(!match("content:\"GET\"; offset:0; depth:3;", "xxxxxxGET"));
    ck_assert(stream("content:\"GET\"; startswith;", "GET /GET /", 5));
    ck_assert(!stream("content:\"GET\"; startswith;", "GET /xGET /", 5));
    ck_assert(stream("content:\"c\"; offset:1; depth:1;", "aXbcd", 2));
    ck_assert(!stream("content:\"X\"; offset:1; depth:1;", "aXbcd", 2));
    ck_assert(match("content:\"X\"; offset:1; depth:1;", "aXbcd"));
    ck_assert(stream("pcre:\"/^new/\";", "oldnew", 3));
    ck_assert(!stream("pcre:\"/^old/\";", "oldnew", 3));
}
END_TEST

START_TEST(stream_byte_keywords_count_from_the_origin)
{
    /* a list whose items keep the position looked at new bytes only: it matches */
    ck_assert(stream("byte_test:1,=,7,0;", "\x01\x01\x07", 2));
    ck_assert(!stream("byte_test:1,=,1,0;", "\x01\x01\x07", 2));
    ck_assert(stream("isdataat:1;", "abcd", 2));
    ck_assert(!stream("isdataat:2;", "abcd", 2));
    ck_assert(stream("byte_jump:1,0,from_beginning; content:\"Z\"; within:1;", "xx\x01Z", 2));
    ck_assert(stream("byte_extract:1,0,n; content:\"Z\"; offset:n; depth:1;", "Z\x02" "aZ", 1));
    ck_assert(stream("base64_decode; base64_data; content:\"hi\";", "????aGk=", 4));
}
END_TEST

START_TEST(stream_match_may_start_in_old_bytes)
{
    ck_assert(stream("content:\"ABC\";", "xxABCyy", 3));
    ck_assert(stream("content:\"ABC\";", "ABCxx", 2));
}
END_TEST

START_TEST(stream_match_must_end_in_new_bytes)
{
    ck_assert(!stream("content:\"ABC\";", "ABCxx", 3));
    ck_assert(!stream("content:\"A\"; content:\"B\"; distance:0;", "ABxx", 2));
    ck_assert(stream("content:\"A\"; content:\"B\"; distance:0;", "AxxB", 2));
    ck_assert(!stream("content:\"A\"; pcre:\"/B/R\";", "ABxx", 2));
    ck_assert(stream("content:\"A\"; pcre:\"/B/R\";", "ABxB", 2));
}
END_TEST

START_TEST(stream_old_occurrence_does_not_hide_a_new_one)
{
    ck_assert(stream("content:\"ABC\";", "ABCxABC", 4));
    ck_assert(stream("content:\"A\"; isdataat:0,relative;", "AxxA", 2));
    ck_assert(stream("content:\"A\"; pcre:\"/B/R\";", "ABxAB", 3));
}
END_TEST

START_TEST(stream_first_relative_item_counts_from_the_origin)
{
    /* as offset and depth do: "within 2 of the start" is within the new bytes */
    ck_assert(stream("content:\"X\"; within:2;", "XoooaX", 4));
    ck_assert(!stream("content:\"X\"; within:2;", "XoooaaX", 4));
    ck_assert(stream("pcre:\"/^new/R\";", "oldnew", 3));
}
END_TEST

START_TEST(stream_negated_content_alone)
{
    ck_assert(stream("content:!\"evil\";", "goodgood", 4));
    ck_assert(!stream("content:!\"evil\";", "goodevil", 4));
}
END_TEST

Suite *suite_match(void)
{
    Suite *s = suite_create("match");
    TCase *tc;

    tc = tcase_create("content");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, find_exact_and_nocase);
    tcase_add_test(tc, content_anywhere);
    tcase_add_test(tc, content_nocase);
    tcase_add_test(tc, offset_and_depth);
    tcase_add_test(tc, distance_and_within);
    tcase_add_test(tc, negative_distance);
    tcase_add_test(tc, first_relative_content_counts_from_the_start);
    tcase_add_test(tc, negated_content);
    tcase_add_test(tc, negated_content_is_checked_after_each_candidate);
    tcase_add_test(tc, startswith_and_endswith);
    suite_add_tcase(s, tc);

    tc = tcase_create("backtracking");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, first_content_retried_at_its_next_occurrence);
    tcase_add_test(tc, retry_reaches_past_items_that_keep_the_position);
    tcase_add_test(tc, absolute_items_after_a_match_are_not_relative_to_it);
    tcase_add_test(tc, pcre_retried_at_its_next_occurrence);
    tcase_add_test(tc, hostile_buffer_stops_at_the_budget);
    tcase_add_test(tc, running_out_of_steps_never_matches_a_negation);
    suite_add_tcase(s, tc);

    tc = tcase_create("bytes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, byte_extract_as_offset_and_depth);
    tcase_add_test(tc, byte_extract_as_distance_and_within);
    tcase_add_test(tc, byte_extract_options);
    tcase_add_test(tc, byte_test_operators);
    tcase_add_test(tc, byte_test_endianness_and_bitmask);
    tcase_add_test(tc, byte_test_strings);
    tcase_add_test(tc, byte_test_relative_and_bounds);
    tcase_add_test(tc, byte_test_value_from_a_variable);
    tcase_add_test(tc, byte_jump_moves_past_the_value);
    tcase_add_test(tc, byte_jump_multiplier_and_align);
    tcase_add_test(tc, byte_jump_from_beginning_and_end);
    tcase_add_test(tc, byte_jump_post_offset);
    tcase_add_test(tc, byte_math_operators);
    tcase_add_test(tc, byte_math_division_by_zero_fails);
    tcase_add_test(tc, byte_math_options);
    tcase_add_test(tc, isdataat_absolute_is_a_byte_at_n);
    tcase_add_test(tc, isdataat_relative_is_n_more_bytes);
    tcase_add_test(tc, isdataat_with_a_variable);
    suite_add_tcase(s, tc);

    tc = tcase_create("pcre");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, pcre_plain_and_flags);
    tcase_add_test(tc, pcre_sets_the_position);
    tcase_add_test(tc, pcre_relative);
    tcase_add_test(tc, pcre_negated);
    suite_add_tcase(s, tc);

    tc = tcase_create("buffers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, base64_decode_then_data);
    tcase_add_test(tc, base64_decode_bytes_offset_relative);
    tcase_add_test(tc, base64_without_padding);
    tcase_add_test(tc, base64_text_ends_at_the_first_other_byte);
    tcase_add_test(tc, bsize_comparisons);
    tcase_add_test(tc, case_transforms);
    tcase_add_test(tc, whitespace_transforms);
    tcase_add_test(tc, url_decode_transform);
    tcase_add_test(tc, dotprefix_transform);
    tcase_add_test(tc, header_transforms);
    tcase_add_test(tc, digest_transforms);
    tcase_add_test(tc, transforms_chain_in_order);
    tcase_add_test(tc, no_transform_keeps_the_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("stream");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, stream_offsets_count_from_the_origin);
    tcase_add_test(tc, stream_byte_keywords_count_from_the_origin);
    tcase_add_test(tc, stream_match_may_start_in_old_bytes);
    tcase_add_test(tc, stream_match_must_end_in_new_bytes);
    tcase_add_test(tc, stream_old_occurrence_does_not_hide_a_new_one);
    tcase_add_test(tc, stream_first_relative_item_counts_from_the_origin);
    tcase_add_test(tc, stream_negated_content_alone);
    suite_add_tcase(s, tc);
    return s;
}
