/* detect.c: building a rule set into groups and prefilter databases, and running it on
 * packets and stream data. */
#include "detect.h"

#include <stdlib.h>

struct kn_detect {
    int unused;
};

void kn_detect_free(struct kn_detect *d)
{
    free(d);
}

int kn_ruleset_build(kn_ruleset_t *rs, const void *cache, size_t cache_len)
{
    (void)cache;
    (void)cache_len;
    (void)rs;
    return KN_OK;
}

void kn_engine_set_ruleset(kn_engine_t *e, const kn_ruleset_t *rs)
{
    (void)e;
    (void)rs;
}

const char *kn_ruleset_cache_key(kn_ruleset_t *rs)
{
    (void)rs;
    return "";
}

const void *kn_ruleset_cache_blob(const kn_ruleset_t *rs, size_t *len)
{
    (void)rs;
    *len = 0;
    return NULL;
}
