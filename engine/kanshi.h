/* kanshi.h: the engine's public API, the only header the sensor includes from engine/.
 *
 * The engine is a library with no I/O, no globals, no exit and no printing. The sensor feeds
 * it packets (borrowed for one call) in capture order and receives events through one callback.
 * All time is packet time: kn_engine_tick() lets a live sensor advance the clock while idle, and
 * kn_engine_flush() ends every flow at shutdown. One engine serves one worker thread. */
#ifndef KANSHI_ENGINE_KANSHI_H
#define KANSHI_ENGINE_KANSHI_H

#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "event.h"
#include "packet.h"

#define KN_OK 0
#define KN_ERR -1
#define KN_AGAIN -2
#define KN_DECLINED -5

#define KN_VERSION "0.3.0"

/* Flow timeout classes (suricata.yaml flow-timeouts: default, tcp, udp, icmp). */
typedef enum kn_flow_class {
    KN_FC_DEFAULT = 0,
    KN_FC_TCP,
    KN_FC_UDP,
    KN_FC_ICMP,
    KN_FC_MAX
} kn_flow_class_t;

typedef struct kn_timeouts {
    uint32_t new_, established, closed; /* seconds */
    uint32_t emerg_new, emerg_established, emerg_closed;
} kn_timeouts_t;

typedef enum kn_csum_mode {
    KN_CSUM_NONE = 0, /* bad checksums are counted, packets are processed anyway */
    KN_CSUM_ALL,      /* bad checksums are counted and such packets skip stream/app layers */
} kn_csum_mode_t;

/* Which copy of overlapping fragment bytes wins (docs/operations.md, "Defragmentation"). */
typedef enum kn_defrag_policy {
    KN_DEFRAG_BSD = 0, /* the fragment that starts lower wins; on a tie, the first one */
    KN_DEFRAG_LINUX,   /* the fragment that starts lower wins; on a tie, the last one */
    KN_DEFRAG_FIRST,   /* bytes already held always win */
    KN_DEFRAG_LAST,    /* the newest bytes always win */
} kn_defrag_policy_t;

/* Which copy of overlapping TCP bytes wins (stream.reassembly.policy; docs/operations.md). */
typedef enum kn_tcp_policy {
    KN_TCP_POLICY_BSD = 0, /* the segment that starts lower wins; on a tie, the one held */
    KN_TCP_POLICY_LINUX,   /* lower start wins; on a tie, the longer new segment */
    KN_TCP_POLICY_WINDOWS, /* the one held, unless the new one covers it entirely */
    KN_TCP_POLICY_FIRST,   /* bytes held always win */
    KN_TCP_POLICY_LAST,    /* the newest bytes always win */
} kn_tcp_policy_t;

typedef struct kn_engine_config {
    kn_timeouts_t timeouts[KN_FC_MAX];
    uint64_t flow_memcap;      /* bytes for flow records */
    uint32_t flow_hash_size;   /* buckets; rounded up to a power of two */
    uint32_t flow_prealloc;    /* flows allocated at start */
    uint32_t emergency_recovery; /* percent of the cap free again that ends emergency mode */
    uint64_t defrag_memcap;    /* bytes of fragment data held */
    uint32_t defrag_timeout;   /* seconds a fragment train may wait */
    uint32_t defrag_max_frags; /* fragments held at once */
    uint32_t defrag_trackers;  /* fragment trains followed at once */
    uint8_t defrag_policy;     /* kn_defrag_policy_t */
    uint8_t csum_mode;         /* kn_csum_mode_t */
    uint8_t vlan_tracking;     /* 1: VLAN ids are part of the flow key */
    uint8_t community_id;      /* 1: compute Community ID v1 */
    uint16_t community_id_seed;
    uint16_t vxlan_port, geneve_port, teredo_port, gtpu_port; /* 0 disables that decoder */
    uint8_t midstream;         /* 1: pick up TCP sessions without a handshake */
    uint32_t stream_depth;     /* bytes reassembled per direction, 0: no limit */
    uint64_t stream_memcap;    /* bytes of reassembled data held at once */
    uint8_t stream_policy;     /* kn_tcp_policy_t (reasm.h): which overlapping bytes win */
    uint32_t stream_overlap;   /* inspected bytes kept so a match may straddle segments */
    uint64_t detect_state_memcap; /* bytes of per-flow rule state (flowbits, flowints) */
    uint32_t simulate_flow_memcap_at; /* QA: act as if the flow memcap were hit from packet N on */
    /* application layer (docs/operations.md "Application layer") */
    uint8_t app_enabled;       /* 0: no protocol detection or parsing at all */
    uint8_t http_dump_all_headers; /* bit 0 request, bit 1 response headers kept for eve */
    uint8_t ssh_hassh;         /* 1: HASSH of each side (on by itself when a rule reads it) */
    uint8_t file_data_events;  /* 1: every file's bytes as KN_EV_FILE_DATA (the file store) */
    uint32_t app_state_cap;    /* bytes one flow's parser may hold */
    uint32_t http_body_limit[2]; /* body bytes kept for rules per direction (0: none) */
    uint32_t http_decompress_limit; /* bytes a compressed body may inflate to */
} kn_engine_config_t;

typedef struct kn_engine kn_engine_t;

/* Called for each event; the event and everything it points to are borrowed. */
typedef void (*kn_event_cb)(const kn_event_t *ev, void *user);

typedef struct kn_pkthdr {
    kn_time_t ts;
    uint32_t caplen;
    uint32_t wirelen;
    int linktype;
    uint16_t iface;
    uint64_t pcap_cnt;
} kn_pkthdr_t;

/* Fills cfg with Suricata's defaults (suricata.yaml as shipped). */
void kn_engine_config_defaults(kn_engine_config_t *cfg);

/* Returns a new engine (caller frees with kn_engine_free), or NULL when memory runs out or the
 * configuration is inconsistent. cfg is copied. */
kn_engine_t *kn_engine_new(const kn_engine_config_t *cfg, kn_event_cb cb, void *user);
void kn_engine_free(kn_engine_t *e);

/* Processes one captured frame; data is borrowed for the call. Returns KN_OK, or KN_DECLINED
 * when the frame could not be decoded (it is still counted). */
int kn_engine_packet(kn_engine_t *e, const kn_pkthdr_t *h, const uint8_t *data);

/* Advances packet time to now (never backwards) and ends the flows that timed out. */
void kn_engine_tick(kn_engine_t *e, kn_time_t now);

/* Ends every flow (reason "shutdown") and drops pending fragments. */
void kn_engine_flush(kn_engine_t *e);

/* Borrowed view of the counters, valid until the next engine call. */
const kn_counters_t *kn_engine_counters(kn_engine_t *e);

/* The engine's current packet time (the latest seen), 0 before the first packet. */
kn_time_t kn_engine_now(const kn_engine_t *e);

/* Name of a tunnel kind ("vxlan"), or "none". */
const char *kn_tunnel_name(int kind);

/* Name of an application protocol as eve writes it ("http"), or "unknown". */
const char *kn_app_name(int app);

/* ---- rules ---------------------------------------------------------------------------------
 * A rule set is loaded from text (the sensor reads the files), built once, then handed to any
 * number of engines. Reloading builds a new set and swaps it in. */

typedef struct kn_ruleset kn_ruleset_t;

typedef enum kn_rule_msg_kind {
    KN_RULE_FAILED = 0,  /* the rule is wrong */
    KN_RULE_UNSUPPORTED, /* the rule is fine but uses what kanshi does not do */
    KN_RULE_WARNING,     /* loaded, with a remark */
} kn_rule_msg_kind_t;

typedef struct kn_rule_msg {
    int kind;          /* kn_rule_msg_kind_t */
    const char *file;  /* as given to kn_ruleset_add_rules() */
    int line, column;  /* 1-based; column of the keyword that failed */
    char keyword[48];  /* the keyword at fault, "" for the header */
    char text[256];
} kn_rule_msg_t;

typedef void (*kn_rule_msg_fn)(void *user, const kn_rule_msg_t *msg);

typedef struct kn_rules_stats {
    uint32_t loaded, failed, unsupported, skipped_disabled, duplicates;
    uint32_t mpm_patterns, mpm_databases;
    uint32_t iponly, payload, app, other;
    int cache_hit; /* the prefilter came from the compiled-database cache */
} kn_rules_stats_t;

kn_ruleset_t *kn_ruleset_new(void);
void kn_ruleset_free(kn_ruleset_t *rs);

/* Address or port variable (`HOME_NET`, `HTTP_PORTS`); overrides the defaults. */
int kn_ruleset_set_var(kn_ruleset_t *rs, const char *name, const char *value);

/* classification.config text ("config classification: name,description,priority"). */
int kn_ruleset_add_classifications(kn_ruleset_t *rs, const char *file, const char *text,
                                   kn_rule_msg_fn fn, void *user);

/* threshold.config text: suppress, threshold and event_filter lines (rate_filter is reported
 * as unsupported). Call before kn_ruleset_build(). Returns the number of lines not taken. */
int kn_ruleset_add_thresholds(kn_ruleset_t *rs, const char *file, const char *text,
                              kn_rule_msg_fn fn, void *user);

/* Rules not to load (the sensor reads them from its configuration). */
int kn_ruleset_disable_sid(kn_ruleset_t *rs, uint32_t sid);

/* Reads a file a rule names (the hash list of filemd5:list.txt ...). rule_file is the file the
 * rule came from (as given to kn_ruleset_add_rules), name the value as written. Returns the
 * contents, NUL-terminated and malloc'd (the engine frees it), or NULL with the reason in why
 * ("path: error"). Without a reader such rules load as unsupported. */
typedef char *(*kn_rule_reader_fn)(void *user, const char *rule_file, const char *name,
                                   char *why, size_t whylen);
void kn_ruleset_set_reader(kn_ruleset_t *rs, kn_rule_reader_fn fn, void *user);

/* Parses rule text (one rule per logical line; "\" continues a line; "#" comments). Every
 * problem is reported through fn; loading goes on with the next rule. Returns the number of
 * rules that failed or are unsupported. */
int kn_ruleset_add_rules(kn_ruleset_t *rs, const char *file, const char *text, kn_rule_msg_fn fn,
                         void *user);

/* Compiles the prefilter databases. A serialized database from an earlier build with the same
 * rules may be given (cache, cache_len) and is used when its key matches; after a build that
 * compiled, kn_ruleset_cache_blob() returns what to store. Returns KN_OK or KN_ERR (reason in
 * kn_ruleset_error()). */
int kn_ruleset_build(kn_ruleset_t *rs, const void *cache, size_t cache_len);

/* The cache key of this rule set (rules, Hyperscan version, CPU platform), 64 hex digits. */
const char *kn_ruleset_cache_key(kn_ruleset_t *rs);

/* A serialized copy of the compiled databases (borrowed), or NULL. */
const void *kn_ruleset_cache_blob(const kn_ruleset_t *rs, size_t *len);

const char *kn_ruleset_error(const kn_ruleset_t *rs);
const kn_rules_stats_t *kn_ruleset_stats(const kn_ruleset_t *rs);

/* Keywords that failed or are unsupported, with counts: call with i = 0, 1, ... until NULL. */
const char *kn_ruleset_bad_keyword(const kn_ruleset_t *rs, uint32_t i, uint32_t *count);

/* Makes the engine use rs (borrowed, built; NULL: no detection). Takes effect with the next
 * packet. Returns KN_ERR (and detection is off) when memory runs out or rs is not built. */
int kn_engine_set_ruleset(kn_engine_t *e, const kn_ruleset_t *rs);

#endif
