/* detect_file.c: the file conditions of a rule (filename, fileext, filesize, filemd5,
 * filesha1, filesha256) on the files of a transaction.
 *
 * As in Suricata, a rule's file conditions hold together on one file: the rule matches when
 * some file of the inspected direction meets all of them. The values were parsed when the rule
 * loaded (rule_appkw.c); here they are only compared. */
#include "detect.h"
#include "file.h"
#include "match.h"
#include "strci.h"

#include <stdlib.h>
#include <string.h>

int kn_file_keyword_kind(int kind)
{
    switch (kind) {
    case KN_AK_FILE_NAME: case KN_AK_FILE_EXT: case KN_AK_FILE_SIZE:
    case KN_AK_FILE_MD5: case KN_AK_FILE_SHA1: case KN_AK_FILE_SHA256:
        return 1;
    default:
        return 0;
    }
}

/* Suricata 7 reads filename:"x" as file.name; content:"x"; nocase, and fileext:"x" as
 * file.name; content:".x"; endswith; nocase. */
static int has_sub(kn_str_t n, const char *s, size_t m)
{
    return kn_find(n.p, n.len, (const uint8_t *)s, (uint32_t)m, 1) >= 0;
}

static int ends_ext(kn_str_t n, const char *ext, size_t m)
{
    return n.len >= m + 1 && n.p[n.len - m - 1] == '.' &&
           kn_ci_mem(n.p + n.len - m, (const uint8_t *)ext, m);
}

/* Suricata: a closed file by its final size; a truncated one only for "more than" (what was
 * seen already exceeds the bound); an open one not yet. */
static int size_ok(const kn_appkw_t *kw, const kn_file_info_t *f)
{
    if (f->state == KN_FILE_CLOSED)
        return kn_num_match(&kw->num, f->size);
    if (f->state == KN_FILE_TRUNCATED && (kw->num.cmp == KN_CMP_GT || kw->num.cmp == KN_CMP_GE))
        return kn_num_match(&kw->num, f->size);
    return 0;
}

/* Whether the file's digest of the keyword's kind is in the sorted list; -1 when the file has
 * no such digest (not closed, or truncated): then neither the test nor its negation holds. */
static int hash_in(const kn_appkw_t *kw, const kn_file_info_t *f)
{
    unsigned len = kn_appkw_hash_len(kw->kind);
    const uint8_t *h = kw->kind == KN_AK_FILE_MD5 ? f->md5 : kw->kind == KN_AK_FILE_SHA1
                                                                ? f->sha1 : f->sha256;
    int has = kw->kind == KN_AK_FILE_MD5 ? f->has_md5 : kw->kind == KN_AK_FILE_SHA1
                                                            ? f->has_sha1 : f->has_sha256;
    uint32_t lo = 0, hi = kw->nhashes;

    if (f->state != KN_FILE_CLOSED || !has)
        return -1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = memcmp(kw->hashes + (size_t)mid * len, h, len);
        if (!c)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* One condition on one file; "!" inverts a test that could be made. */
static int file_ok(const kn_appkw_t *kw, const kn_file_info_t *f)
{
    int r;

    switch (kw->kind) {
    case KN_AK_FILE_NAME:
        if (!f->filename.p)
            return 0;
        r = has_sub(f->filename, kw->arg, kw->arg_len);
        break;
    case KN_AK_FILE_EXT:
        if (!f->filename.p)
            return 0;
        r = ends_ext(f->filename, kw->arg, kw->arg_len);
        break;
    case KN_AK_FILE_SIZE:
        return size_ok(kw, f); /* its '!' is a comparison (not equal), as in Suricata */
    default:
        if ((r = hash_in(kw, f)) < 0)
            return 0;
        break;
    }
    return r != (kw->neg != 0);
}

int kn_detect_files_match(const kn_sig_t *s, const kn_files_t *fs, int dir)
{
    const kn_file_t *it = NULL;
    const kn_file_info_t *f;
    int fdir;
    uint8_t i;

    while ((f = kn_files_walk(fs, &it, &fdir))) {
        if (fdir != dir)
            continue;
        for (i = 0; i < s->napp; i++)
            if (kn_file_keyword_kind(s->appkw[i].kind) && !file_ok(&s->appkw[i], f))
                break;
        if (i == s->napp)
            return 1;
    }
    return 0;
}
