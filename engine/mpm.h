/* mpm.h: the multi-pattern prefilter on Hyperscan (engine only; the only file using <hs.h>). */
#ifndef KANSHI_ENGINE_MPM_H
#define KANSHI_ENGINE_MPM_H

#include <stddef.h>
#include <stdint.h>

typedef struct kn_mpm kn_mpm_t;
typedef struct kn_mpm_scratch kn_mpm_scratch_t;

typedef struct kn_mpm_pattern {
    const uint8_t *bytes;
    uint16_t len;
    uint8_t nocase;
    uint32_t id; /* reported to the callback */
} kn_mpm_pattern_t;

/* Called once per pattern found (each pattern at most once per scan); return 0 to go on. */
typedef int (*kn_mpm_hit_fn)(uint32_t id, void *ctx);

/* Compiles the patterns into a block-mode database. NULL with a reason in err. */
kn_mpm_t *kn_mpm_compile(const kn_mpm_pattern_t *p, uint32_t n, char *err, size_t errlen);

/* A database from kn_mpm_serialize() output, or NULL (bad or foreign blob). */
kn_mpm_t *kn_mpm_load(const void *blob, size_t len, char *err, size_t errlen);

/* A serialized copy (caller frees with free()), or NULL. */
void *kn_mpm_serialize(const kn_mpm_t *m, size_t *len);

void kn_mpm_free(kn_mpm_t *m);
size_t kn_mpm_size(const kn_mpm_t *m);

/* Scratch space able to scan every database it was grown for (one per engine). */
kn_mpm_scratch_t *kn_mpm_scratch_new(void);
int kn_mpm_scratch_grow(kn_mpm_scratch_t *s, const kn_mpm_t *m);
void kn_mpm_scratch_free(kn_mpm_scratch_t *s);

/* Scans buf. Returns 0, or -1 when Hyperscan failed (counted by the caller). */
int kn_mpm_scan(const kn_mpm_t *m, kn_mpm_scratch_t *s, const uint8_t *buf, uint32_t len,
                kn_mpm_hit_fn fn, void *ctx);

/* "5.4.0 2021-01-26" and the platform key the cache is tied to. */
const char *kn_mpm_version(void);
uint64_t kn_mpm_platform(void);

#endif
