/* community_id.h: Community ID v1 flow hashes (github.com/corelight/community-id-spec). */
#ifndef KANSHI_ENGINE_COMMUNITY_ID_H
#define KANSHI_ENGINE_COMMUNITY_ID_H

#include <stdint.h>

#include "packet.h"

#define KN_COMMUNITY_ID_LEN 31 /* "1:" + 28 base64 characters + NUL fits in 32 */

typedef struct kn_cid kn_cid_t;

/* A hashing context, reused for every flow (caller frees with kn_cid_free); NULL when libcrypto
 * has no SHA-1. */
kn_cid_t *kn_cid_new(void);
void kn_cid_free(kn_cid_t *c);

/* Writes "1:<base64 sha1>" for the tuple into out (32 bytes); "" if hashing failed. For ICMP (1) and ICMPv6 (58),
 * sp and dp are the type and code; for protocols without ports (has_ports 0) they are
 * ignored. Either orientation of a flow gives the same value. */
void kn_community_id(kn_cid_t *c, uint16_t seed, uint8_t ip_v, const kn_addr_t *src, const kn_addr_t *dst,
                     uint8_t proto, uint16_t sp, uint16_t dp, int has_ports, char out[32]);

#endif
