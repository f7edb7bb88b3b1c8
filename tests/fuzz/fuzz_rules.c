/* fuzz_rules.c: libFuzzer entry point for the rule parser (tests/fuzz/README.md).
 *
 * One input is one rule file: it is loaded into a fresh rule set after a fixed
 * classification.config, and the set is built (fast-pattern choice, ordering, port groups,
 * address index, Hyperscan databases) whenever at least one rule loaded. Rules that parse but
 * do not build are a bug too: the target aborts on them. Deterministic, everything freed, no
 * I/O but the message before such an abort. replay.c runs the same function over a corpus
 * without libFuzzer. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kanshi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink; /* what the target read, so that no read is optimized away */

/* The classtypes ET Open and rules/ use (from rules/classification.config), and a bad line. */
static const char classes[] =
    "# classification.config for the fuzzer\n"
    "config classification: attempted-admin,Attempted Administrator Privilege Gain,1\n"
    "config classification: attempted-dos,Attempted Denial of Service,2\n"
    "config classification: attempted-recon,Attempted Information Leak,2\n"
    "config classification: attempted-user,Attempted User Privilege Gain,1\n"
    "config classification: bad-unknown,Potentially Bad Traffic,2\n"
    "config classification: coin-mining,Crypto Currency Mining Activity Detected,2\n"
    "config classification: command-and-control,Malware Command and Control Activity Detected,1\n"
    "config classification: credential-theft,Successful Credential Theft Detected,1\n"
    "config classification: default-login-attempt,"
    "Attempt to login by a default username and password,2\n"
    "config classification: denial-of-service,Detection of a Denial of Service Attack,2\n"
    "config classification: domain-c2,Domain Observed Used for C2 Detected,1\n"
    "config classification: exploit-kit,Exploit Kit Activity Detected,1\n"
    "config classification: external-ip-check,Device Retrieving External IP Address Detected,2\n"
    "config classification: misc-activity,Misc activity,3\n"
    "config classification: misc-attack,Misc Attack,2\n"
    "config classification: network-scan,Detection of a Network Scan,3\n"
    "config classification: non-standard-protocol,Detection of a non-standard protocol or event,2\n"
    "config classification: not-suspicious,Not Suspicious Traffic,3\n"
    "config classification: policy-violation,Potential Corporate Privacy Violation,1\n"
    "config classification: protocol-command-decode,Generic Protocol Command Decode,3\n"
    "config classification: pup-activity,Possibly Unwanted Program Detected,2\n"
    "config classification: rpc-portmap-decode,Decode of an RPC Query,2\n"
    "config classification: shellcode-detect,Executable code was detected,1\n"
    "config classification: social-engineering,Possible Social Engineering Attempted,2\n"
    "config classification: string-detect,A suspicious string was detected,3\n"
    "config classification: successful-admin,Successful Administrator Privilege Gain,1\n"
    "config classification: successful-dos,Denial of Service,2\n"
    "config classification: successful-recon-largescale,Large Scale Information Leak,2\n"
    "config classification: successful-recon-limited,Information Leak,2\n"
    "config classification: successful-user,Successful User Privilege Gain,1\n"
    "config classification: suspicious-filename-detect,A suspicious filename was detected,2\n"
    "config classification: suspicious-login,"
    "An attempted login using a suspicious username was detected,2\n"
    "config classification: system-call-detect,A system call was detected,2\n"
    "config classification: targeted-activity,Targeted Malicious Activity was Detected,1\n"
    "config classification: trojan-activity,A Network Trojan was detected,1\n"
    "config classification: unknown,Unknown Traffic,3\n"
    "config classification: unsuccessful-user,Unsuccessful User Privilege Gain,1\n"
    "config classification: unusual-client-port-connection,A client was using an unusual port,2\n"
    "config classification: web-application-activity,"
    "access to a potentially vulnerable web application,2\n"
    "config classification: web-application-attack,Web Application Attack,1\n"
    "config classification: broken-line\n";

/* Reads every field of a message, so that a bad pointer or a missing NUL shows up here. */
static void on_msg(void *user, const kn_rule_msg_t *m)
{
    size_t *sum = user;

    *sum += strlen(m->file) + strlen(m->keyword) + strlen(m->text) + (size_t)m->line +
            (size_t)m->column + (size_t)m->kind;
}

static void read_stats(const kn_ruleset_t *rs, size_t *sum)
{
    const kn_rules_stats_t *st = kn_ruleset_stats(rs);
    const char *kw;
    uint32_t i, count;

    *sum += st->loaded + st->failed + st->unsupported + st->mpm_patterns + st->iponly;
    for (i = 0; (kw = kn_ruleset_bad_keyword(rs, i, &count)) != NULL; i++)
        *sum += strlen(kw) + count;
}

/* Lines the rule parser skips as comments may configure the rule set first:
 *   #var NAME VALUE     an address or port variable (kn_ruleset_set_var)
 *   #disable SID        a rule not to load (kn_ruleset_disable_sid)
 *   #tc LINE            a threshold.config line (kn_ruleset_add_thresholds, after the rules)
 * so that variables nest and loop, and suppressions meet the rules, under the fuzzer too. */
static void directives(kn_ruleset_t *rs, const char *text, char *tc)
{
    const char *p = text;
    char name[64];

    while (*p) {
        size_t len = strcspn(p, "\n"), n;
        if (!strncmp(p, "#tc ", 4)) {
            tc += strlen(tc);
            memcpy(tc, p + 4, len - 4);
            memcpy(tc + len - 4, "\n", 2);
        } else if (!strncmp(p, "#disable ", 9)) {
            kn_ruleset_disable_sid(rs, (uint32_t)strtoul(p + 9, NULL, 10));
        } else if (!strncmp(p, "#var ", 5) && (n = strcspn(p + 5, " \n")) < sizeof(name) &&
                   p[5 + n] == ' ') {
            char *value = strndup(p + 6 + n, len - 6 - n);
            memcpy(name, p + 5, n);
            name[n] = '\0';
            if (value)
                kn_ruleset_set_var(rs, name, value);
            free(value);
        }
        p += len + (p[len] == '\n');
    }
}

/* Every rule the parser accepts must build: a failure (Hyperscan refusing a pattern, say) would
 * leave a sensor with no detection at all, so it counts as a crash. */
static void build(kn_ruleset_t *rs)
{
    size_t blob_len = 0;

    if (kn_ruleset_build(rs, NULL, 0) != KN_OK) {
        fprintf(stderr, "fuzz_rules: the rules parsed but do not build: %s\n",
                kn_ruleset_error(rs));
        abort();
    }
    sink = (uintptr_t)kn_ruleset_cache_blob(rs, &blob_len) + blob_len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *tc = calloc(1, size + 2);
    kn_ruleset_t *rs;
    size_t sum = 0;

    if (text && tc && (rs = kn_ruleset_new()) != NULL) {
        memcpy(text, data, size);
        text[size] = '\0';
        directives(rs, text, tc);
        kn_ruleset_add_classifications(rs, "classification.config", classes, on_msg, &sum);
        kn_ruleset_add_rules(rs, "fuzz.rules", text, on_msg, &sum);
        kn_ruleset_add_thresholds(rs, "threshold.config", tc, on_msg, &sum);
        if (kn_ruleset_stats(rs)->loaded > 0)
            build(rs);
        read_stats(rs, &sum);
        kn_ruleset_free(rs);
    }
    free(text);
    free(tc);
    sink = sum;
    return 0;
}
