/* hexfmt.h: bytes as lower-case hex text (hashes, fingerprints, ids in eve), a digest written
 * that way, and hex digits read back. For the engine and the sensor alike. */
#ifndef KANSHI_ENGINE_HEXFMT_H
#define KANSHI_ENGINE_HEXFMT_H

#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

/* The n bytes at b as hex into out, sep between bytes unless it is '\0', then a NUL: out holds
 * 2n + 1 characters (3n with a separator). Returns out. */
char *kn_hex(const uint8_t *b, size_t n, char sep, char *out);

/* md of the len bytes at data, its first nbytes (0: all of it) as kn_hex writes them; -1 when
 * libcrypto fails. */
int kn_digest_hex(const EVP_MD *md, const void *data, size_t len, size_t nbytes, char sep,
                  char *out);

/* The value of a hex digit, -1 for any other character. */
int kn_hexval(uint8_t c);

#endif
