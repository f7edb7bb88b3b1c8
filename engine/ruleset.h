/* ruleset.h: a rule set while it is loaded and once it is built (engine only).
 *
 * Loading parses rule text into kn_sig; building orders the signatures (flowbits setters before
 * their readers), groups them and compiles the Hyperscan databases (detect.c). A built rule set
 * is immutable and may be shared by engines; a reload builds a new one. */
#ifndef KANSHI_ENGINE_RULESET_H
#define KANSHI_ENGINE_RULESET_H

#include <stdint.h>

#include "addrset.h"
#include "kanshi.h"
#include "sig.h"
#include "threshold.h"

typedef struct kn_classtype {
    char *name, *desc;
    uint8_t prio;
} kn_classtype_t;

/* Interned names: flowbits, flowints, xbits, byte_extract variables are small integers. */
typedef struct kn_names {
    char **v;
    uint32_t n, cap;
} kn_names_t;

struct kn_detect; /* detect.c: groups, prefilter databases */

struct kn_ruleset {
    kn_sig_t **sigs;
    uint32_t nsigs, cap;
    kn_classtype_t *classes;
    uint32_t nclasses;
    kn_names_t flowbits, flowints, xbits;
    kn_names_t var_names, var_values; /* address and port groups, owned */
    kn_rulevars_t vars;               /* views of the two above */
    uint32_t *disabled;               /* sids not to load */
    uint32_t ndisabled;
    uint8_t disabled_sorted;
    uint32_t *sid_slots; /* open addressing over (gid, sid): signature position + 1, 0 empty */
    uint32_t sid_cap;
    kn_rules_stats_t stats;
    kn_suppress_t *supp; /* threshold.config */
    uint32_t nsupp;
    kn_thconf_t *thconf;
    uint32_t nthconf;
    kn_names_t bad_kw; /* keywords that failed or are unsupported, with counts below */
    uint32_t *bad_kw_count;
    struct kn_detect *detect; /* set by kn_ruleset_build() */
    uint8_t uses_buf[KN_BUF_MAX]; /* some rule reads this buffer (parsers then fill it) */
    kn_rule_reader_fn reader; /* files rules name (hash lists), through the caller */
    void *reader_user;
    const char *cur_file;     /* the file kn_ruleset_add_rules is reading (borrowed) */
    char build_err[256];
};

/* Returns the id of name in t, adding it when add is set; -1 when absent or out of memory. */
int kn_names_id(kn_names_t *t, const char *name, int add);
void kn_names_free(kn_names_t *t);

/* Parses one rule (one logical line). Returns the signature (caller owns it), or NULL with the
 * problem in msg (msg->kind says failed or unsupported). */
kn_sig_t *kn_rule_parse(kn_ruleset_t *rs, const char *line, kn_rule_msg_t *msg);

void kn_sig_free(kn_sig_t *s);

/* Frees the threshold.config entries (rule_threshold.c). */
void kn_ruleset_free_thresholds(kn_ruleset_t *rs);

/* The classification by name, or -1. */
int kn_classtype_find(const kn_ruleset_t *rs, const char *name);

#endif
