/* file.c: files of app-layer transactions: size, md5/sha1/sha256 through libcrypto's EVP
 * interface fed incrementally, the first bytes kept for libmagic and the PE parser, and one
 * KN_EV_FILE event when the file ends (file.h has the model and the memory rules). */
#include "file.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"

#define HEAD_FIRST 4096u   /* first head allocation; doubles up to KN_FILE_HEAD_MAX */
#define EVP_COST 1024u     /* what three digest contexts hold, for the memory account */

enum { H_MD5 = 0, H_SHA1, H_SHA256, H_N };

struct kn_file {
    kn_file_info_t info; /* what the event carries */
    struct kn_file *next;
    kn_files_t *fs;      /* the container, for its memory counter */
    kn_app_tx_t *tx;
    EVP_MD_CTX *md[H_N];
    uint8_t *head;
    uint32_t head_cap;
    uint8_t dir, open;
    kn_pe_t *pe;
    size_t charged;      /* bytes this file added to *fs->mem */
};

void kn_files_init(kn_files_t *fs, size_t *mem)
{
    memset(fs, 0, sizeof(*fs));
    fs->mem = mem;
}

/* Charges extra bytes to the container's owner within the flow's cap; -1 when over it. */
static int charge(kn_app_io_t *io, kn_file_t *f, size_t extra)
{
    size_t *mem = f->fs->mem;

    if (mem) {
        if (*mem + extra > kn_app_state_cap(io))
            return -1;
        *mem += extra;
    }
    f->charged += extra;
    return 0;
}

static void uncharge(kn_file_t *f, size_t n)
{
    if (f->fs->mem)
        *f->fs->mem -= n;
    f->charged -= n;
}

static void file_free(kn_file_t *f)
{
    int i;

    for (i = 0; i < H_N; i++)
        EVP_MD_CTX_free(f->md[i]);
    if (f->fs->mem)
        *f->fs->mem -= f->charged;
    free((void *)(uintptr_t)f->info.filename.p);
    free(f->head);
    free(f->pe);
    free(f);
}

static int hashes_start(kn_file_t *f)
{
    const EVP_MD *md[H_N] = {EVP_md5(), EVP_sha1(), EVP_sha256()};
    int i;

    for (i = 0; i < H_N; i++)
        if (!(f->md[i] = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(f->md[i], md[i], NULL))
            return -1;
    return 0;
}

static int set_name(kn_file_t *f, const uint8_t *name, uint32_t len)
{
    uint8_t *copy;

    if (!name)
        return 0;
    if (len > KN_FILE_NAME_MAX)
        len = KN_FILE_NAME_MAX;
    if (!(copy = malloc(len ? len : 1)))
        return -1;
    memcpy(copy, name, len);
    f->info.filename.p = copy;
    f->info.filename.len = len;
    return 0;
}

kn_file_t *kn_file_open(kn_app_io_t *io, kn_files_t *fs, kn_app_tx_t *tx, int dir,
                        const uint8_t *name, uint32_t name_len)
{
    kn_file_t *f = NULL;
    uint32_t nlen = name_len < KN_FILE_NAME_MAX ? name_len : KN_FILE_NAME_MAX;

    if (!fs || fs->n >= KN_FILE_MAX_PER_TX || !(f = calloc(1, sizeof(*f))))
        goto err;
    f->fs = fs;
    if (charge(io, f, sizeof(*f) + nlen + EVP_COST) || set_name(f, name, name_len) ||
        hashes_start(f))
        goto err;
    f->tx = tx;
    f->dir = (uint8_t)dir;
    f->open = 1;
    f->info.state = KN_FILE_OPEN;
    f->info.file_id = ++fs->next_id;
    if (fs->last)
        fs->last->next = f;
    else
        fs->first = f;
    fs->last = f;
    fs->n++;
    kn_app_count(io, KN_CTR_FILES_OPENED);
    return f;
err:
    if (f)
        file_free(f);
    kn_app_count(io, KN_CTR_FILES_DROPPED);
    return NULL;
}

/* Keeps the first bytes, growing the buffer by doubling within the cap and the flow's memory;
 * when it cannot grow the head simply stops there. */
static void keep_head(kn_app_io_t *io, kn_file_t *f, const uint8_t *p, uint32_t n)
{
    uint32_t len = f->info.head_len, want, cap;
    uint8_t *np;

    if (len >= KN_FILE_HEAD_MAX)
        return;
    want = n < KN_FILE_HEAD_MAX - len ? n : KN_FILE_HEAD_MAX - len;
    if (len + want > f->head_cap) {
        cap = f->head_cap ? f->head_cap : HEAD_FIRST;
        while (cap < len + want)
            cap *= 2;
        if (cap > KN_FILE_HEAD_MAX)
            cap = KN_FILE_HEAD_MAX;
        if (charge(io, f, cap - f->head_cap))
            return;
        if (!(np = realloc(f->head, cap))) {
            uncharge(f, cap - f->head_cap);
            return;
        }
        f->head = np;
        f->head_cap = cap;
        f->info.head = np;
    }
    memcpy(f->head + len, p, want);
    f->info.head_len = len + want;
}

void kn_file_data(kn_app_io_t *io, kn_file_t *f, const uint8_t *p, uint32_t n)
{
    int i;

    if (!f || !f->open || !n)
        return;
    f->info.size += n;
    for (i = 0; i < H_N; i++)
        EVP_DigestUpdate(f->md[i], p, n);
    keep_head(io, f, p, n);
    kn_app_file_data(io, &f->info, p, n);
}

void kn_file_gap(kn_app_io_t *io, kn_file_t *f, uint64_t lost)
{
    (void)io;
    if (!f || !f->open)
        return;
    f->info.gaps = 1;
    f->info.size += lost;
}

/* What the first bytes are: a PE (its headers fully kept), an ELF, or neither. */
static void recognise(kn_app_io_t *io, kn_file_t *f)
{
    uint32_t need;

    if (kn_elf_detect(f->head, f->info.head_len)) {
        f->info.exe = KN_FILE_EXE_ELF;
        return;
    }
    if (f->info.head_len < 2 || f->head[0] != 'M' || f->head[1] != 'Z' ||
        charge(io, f, sizeof(*f->pe)))
        return;
    if (!(f->pe = malloc(sizeof(*f->pe))) ||
        kn_pe_parse(f->head, f->info.head_len, f->pe, &need) != KN_OK) {
        free(f->pe); /* the names point into it: it is parsed where it stays */
        f->pe = NULL;
        uncharge(f, sizeof(*f->pe));
        return;
    }
    f->info.exe = KN_FILE_EXE_PE;
    f->info.pe = &f->pe->info;
    kn_app_count(io, KN_CTR_FILES_PE);
}

static void finish_hash(kn_file_t *f, int i, uint8_t *out, uint8_t *has)
{
    unsigned len = 0;

    *has = EVP_DigestFinal_ex(f->md[i], out, &len) == 1;
}

void kn_file_close(kn_app_io_t *io, kn_file_t *f, int how)
{
    if (!f || !f->open)
        return;
    f->open = 0;
    if (f->info.gaps && how == KN_FILE_END_OK)
        how = KN_FILE_END_TRUNCATED;
    f->info.state = how == KN_FILE_END_OK ? KN_FILE_CLOSED : KN_FILE_TRUNCATED;
    /* Suricata: a complete file has all three; one the protocol cut short keeps sha256 of what
     * was seen; one still open when its flow ended has none */
    if (how == KN_FILE_END_OK) {
        finish_hash(f, H_MD5, f->info.md5, &f->info.has_md5);
        finish_hash(f, H_SHA1, f->info.sha1, &f->info.has_sha1);
    }
    if (how != KN_FILE_END_FLOW)
        finish_hash(f, H_SHA256, f->info.sha256, &f->info.has_sha256);
    recognise(io, f);
    kn_app_count(io, how == KN_FILE_END_OK ? KN_CTR_FILES_CLOSED : KN_CTR_FILES_TRUNCATED);
    kn_app_file_event(io, f->tx, f->dir, &f->info);
}

int kn_file_is_open(const kn_file_t *f)
{
    return f && f->open;
}

uint64_t kn_file_size(const kn_file_t *f)
{
    return f ? f->info.size : 0;
}


void kn_files_close_all(kn_app_io_t *io, kn_files_t *fs, int how)
{
    kn_file_t *f;

    for (f = fs ? fs->first : NULL; f; f = f->next)
        kn_file_close(io, f, how);
}

void kn_files_free(kn_files_t *fs)
{
    kn_file_t *f, *next;

    if (!fs)
        return;
    for (f = fs->first; f; f = next) {
        next = f->next;
        file_free(f);
    }
    fs->first = fs->last = NULL;
    fs->n = 0;
}

const kn_file_info_t *kn_files_walk(const kn_files_t *fs, const kn_file_t **it, int *dir)
{
    const kn_file_t *f = *it ? (*it)->next : fs ? fs->first : NULL;

    *it = f;
    if (!f)
        return NULL;
    *dir = f->dir;
    return &f->info;
}
