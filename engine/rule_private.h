/* rule_private.h: the state shared by the rule parser's files (rule.c, rule_payload.c,
 * rule_keywords.c) and their tests. */
#ifndef KANSHI_ENGINE_RULE_PRIVATE_H
#define KANSHI_ENGINE_RULE_PRIVATE_H

#include <stddef.h>

#include "ruleset.h"
#include "sig.h"

/* What a keyword handler returns. */
enum { KN_KW_OK = 0, KN_KW_FAIL = -1, KN_KW_UNSUPPORTED = -2 };

typedef struct kn_rparse {
    kn_ruleset_t *rs;
    kn_sig_t *s;
    int cur_buf;   /* the sticky buffer in effect (KN_BUF_PAYLOAD when none) */
    int cur_list;  /* its list, -1 until an item or a transform needs one */
    int last_list; /* list and item of the last match item added, -1 when none */
    int last_sm;
    int last_content_list, last_content_sm; /* the last content, for its modifiers */
    char var_names[KN_SIG_MAX_VARS][32];
    char err[256];
} kn_rparse_t;

typedef int (*kn_kw_fn)(kn_rparse_t *ps, const char *val);

enum {
    KN_KWF_VALUE = 1u << 0,    /* needs a value */
    KN_KWF_NO_VALUE = 1u << 1, /* takes none */
};

typedef struct kn_keyword {
    const char *name;
    kn_kw_fn fn;
    uint8_t flags;
} kn_keyword_t;

/* Keyword tables of rule_payload.c, rule_keywords.c and rule_appkw.c, each ending with a NULL
 * name. */
extern const kn_keyword_t kn_payload_keywords[];
extern const kn_keyword_t kn_other_keywords[];
extern const kn_keyword_t kn_appkw_keywords[];

/* Sticky buffer keywords and legacy content modifiers come from the buffer table; the payload
 * file handles them. */
int kn_kw_sticky(kn_rparse_t *ps, int buf);
int kn_kw_modifier(kn_rparse_t *ps, int buf);

/* Formats a reason into ps->err; returns KN_KW_FAIL (or KN_KW_UNSUPPORTED). */
int kn_kw_fail(kn_rparse_t *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 (and the rule fails) when n items already fill the max a signature's counter holds. */
int kn_kw_full(kn_rparse_t *ps, unsigned n, unsigned max, const char *what);
int kn_kw_unsupported(kn_rparse_t *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Small parsing helpers. */
int kn_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);
char *kn_trim(char *s);
/* Splits a comma-separated value into at most max trimmed parts (in place); returns the count. */
int kn_split(char *s, char **parts, int max);
/* "<5", ">=3", "4<>8", "!=2", "7": a comparison of a number. */
int kn_parse_num(const char *s, uint64_t max, kn_num_t *out);

/* Checks and completes a parsed signature (relative keywords, fast pattern, flags). */
int kn_rule_finish(kn_rparse_t *ps);

/* The list for buffer buf, created on first use; NULL when out of memory. */
kn_smlist_t *kn_sig_list(kn_rparse_t *ps, int buf);
/* Appends an item to the list of buffer buf; returns it (zeroed) or NULL. */
kn_sm_t *kn_sig_add_sm(kn_rparse_t *ps, int buf, int type);

#endif
