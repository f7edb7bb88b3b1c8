/* file.h: files carried by an app-layer transaction (HTTP bodies, SMTP attachments, FTP data).
 *
 * A parser that sees a file's bytes opens it in a container that lives in its transaction,
 * hands on every byte in order (already de-framed: dechunked, inflated, base64-decoded ...),
 * reports lost bytes as a gap and closes it. Closing hashes what was seen (md5, sha1, sha256
 * through libcrypto EVP, incrementally), recognises a PE or ELF executable in the kept first
 * bytes, and emits one KN_EV_FILE event that carries the transaction's public struct beside
 * the file (the sensor writes a Suricata "fileinfo" record). The file then stays in the
 * container, read-only, for the file rule keywords, until the transaction frees it.
 *
 * Memory: a file holds its name (cut at KN_FILE_NAME_MAX), three digest contexts and up to
 * KN_FILE_HEAD_MAX first bytes (for libmagic in the sensor and the PE parser); the head buffer
 * grows by doubling, so the steady state allocates nothing per packet. All of it is charged
 * to the counter the container was given (the parser's per-flow memory, checked against
 * kn_app_state_cap); a file that would not fit is not opened (counted as dropped). */
#ifndef KANSHI_ENGINE_FILE_H
#define KANSHI_ENGINE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "applayer.h"
#include "appinfo.h"

#define KN_FILE_NAME_MAX 1024u          /* Suricata's SC_FILENAME_MAX */
#define KN_FILE_HEAD_MAX (64u << 10)    /* first bytes kept: libmagic and PE headers */
#define KN_FILE_MAX_PER_TX 64u          /* files one transaction may carry (MIME parts) */

typedef struct kn_file kn_file_t;

/* The files of one transaction and one direction set. Zero it, then kn_files_init. */
typedef struct kn_files {
    kn_file_t *first, *last;
    uint16_t n;
    uint32_t next_id; /* the last file_id given in this container (its transaction) */
    size_t *mem;      /* the owner's memory counter, charged for every file */
} kn_files_t;

/* mem: the owning parser's per-flow byte counter (borrowed; must outlive the container). */
void kn_files_init(kn_files_t *fs, size_t *mem);

/* Opens a file that the transaction tx (the parser's, KN_TXP ... as usual) carries in
 * direction dir (KN_TOSERVER: sent by the client). name is borrowed and copied (cut at
 * KN_FILE_NAME_MAX); it may be NULL/0. Returns the file, or NULL when it does not fit in the
 * flow's cap or the container is full (counted kanshi.files.dropped; the caller just skips
 * the data). The tx must outlive the file (it is closed before the tx is freed). */
kn_file_t *kn_file_open(kn_app_io_t *io, kn_files_t *fs, kn_app_tx_t *tx, int dir,
                        const uint8_t *name, uint32_t name_len);

/* n more bytes of f, in order (borrowed). Hashed and counted; the first ones kept. */
void kn_file_data(kn_app_io_t *io, kn_file_t *f, const uint8_t *p, uint32_t n);

/* lost bytes of f went by unseen (0: unknown). Hashes stop being reported (they would not
 * be the file's), gaps becomes true, and the file will close TRUNCATED. */
void kn_file_gap(kn_app_io_t *io, kn_file_t *f, uint64_t lost);

/* How a file ended (Suricata's states and which hashes it reports with them). */
enum {
    KN_FILE_END_OK = 0,    /* complete: CLOSED, md5 sha1 sha256 */
    KN_FILE_END_TRUNCATED, /* cut by the protocol (a gap, a body limit, a form without its end
                              boundary): TRUNCATED, sha256 of the bytes seen */
    KN_FILE_END_FLOW,      /* the flow ended while it was open: TRUNCATED, no hash */
};

/* The file ends (how: KN_FILE_END_*; a file with gaps is TRUNCATED whatever how says).
 * Emits KN_EV_FILE once; later calls do nothing. NULL is accepted (a file never opened). */
void kn_file_close(kn_app_io_t *io, kn_file_t *f, int how);

/* Bytes of f so far (gaps included), e.g. for a body limit. 0 for NULL. */
uint64_t kn_file_size(const kn_file_t *f);

/* Whether f is open (neither closed nor NULL). */
int kn_file_is_open(const kn_file_t *f);

/* Walks the files of fs in order, for the file rule keywords (detect_file.c): *it NULL starts;
 * returns each file's info with its direction in *dir, NULL after the last. */
const kn_file_info_t *kn_files_walk(const kn_files_t *fs, const kn_file_t **it, int *dir);

/* Closes every file still open with how (KN_FILE_END_FLOW at flow end), emitting events. */
void kn_files_close_all(kn_app_io_t *io, kn_files_t *fs, int how);

/* Frees every file without emitting anything (the tx is being freed); uncharges mem. */
void kn_files_free(kn_files_t *fs);

#endif
