/* addrset.h: address and port sets written in rule syntax (engine only). */
#ifndef KANSHI_ENGINE_ADDRSET_H
#define KANSHI_ENGINE_ADDRSET_H

#include <stddef.h>
#include <stdint.h>

#include "sig.h"

/* NAME = value pairs: address groups and port groups ($HOME_NET, $HTTP_PORTS). Borrowed. */
typedef struct kn_rulevars {
    const char *const *names;
    const char *const *values;
    size_t n;
} kn_rulevars_t;

/* Parses "any", "$HOME_NET", "!$HOME_NET", "[10.0.0.0/8,!10.1.0.0/16,2001:db8::/32]",
 * "1.2.3.4-1.2.3.9", nested lists and variables. Returns 0, or -1 with a reason in err.
 * The set is the caller's to free with kn_ipset_free(). */
int kn_ipset_parse(const kn_rulevars_t *vars, const char *spec, kn_ipset_t *out, char *err,
                   size_t errlen);

/* Parses "any", "80", "1024:", ":1023", "1:1024", "[80,443,!8080]", "$HTTP_PORTS". */
int kn_portset_parse(const kn_rulevars_t *vars, const char *spec, kn_portset_t *out, char *err,
                     size_t errlen);

int kn_ipset_has(const kn_ipset_t *s, uint8_t ip_v, const kn_addr_t *a);

/* An address as the number the sets are made of (IPv4: 32 bits, IPv6: 128). */
kn_u128 kn_addr_value(uint8_t ip_v, const kn_addr_t *a);
int kn_portset_has(const kn_portset_t *s, uint16_t port);

void kn_ipset_free(kn_ipset_t *s);
void kn_portset_free(kn_portset_t *s);

/* Calls fn for each range of the set (IPv4 as 32-bit values, IPv6 as 128-bit), for indexing. */
typedef void (*kn_range_fn)(void *user, uint8_t ip_v, kn_u128 lo, kn_u128 hi);
void kn_ipset_ranges(const kn_ipset_t *s, kn_range_fn fn, void *user);

/* Number of addresses (saturating), for choosing the side to index. */
kn_u128 kn_ipset_size(const kn_ipset_t *s);

#endif
