/* strci.h: ASCII case-insensitive comparisons of wire bytes with text (protocol keywords,
 * header and command names). Only A-Z fold: other bytes must be equal, so a CR never passes
 * for a '-' as a bare "| 0x20" would let it. */
#ifndef KANSHI_ENGINE_STRCI_H
#define KANSHI_ENGINE_STRCI_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int kn_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The n bytes at a and at b are equal but for case. */
static inline int kn_ci_mem(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (kn_lower(a[i]) != kn_lower(b[i]))
            return 0;
    return 1;
}

/* The n bytes at a are the text s, whole, but for case. */
static inline int kn_ci_eq(const uint8_t *a, size_t n, const char *s)
{
    return strlen(s) == n && kn_ci_mem(a, (const uint8_t *)s, n);
}

/* The n bytes at a start with the text s, but for case. */
static inline int kn_ci_prefix(const uint8_t *a, size_t n, const char *s)
{
    size_t k = strlen(s);

    return n >= k && kn_ci_mem(a, (const uint8_t *)s, k);
}

#endif
