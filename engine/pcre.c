/* pcre.c: PCRE2 for rule expressions (engine only): freeing compiled expressions and running
 * one on a buffer with a match-data block owned by the detection thread. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "sig.h"

void kn_pcre_free(void *re)
{
    pcre2_code_free(re);
}
