/* detect.h: a rule set built for matching, and the per-engine state that runs it (engine only).
 *
 * Building (detect_build.c) orders the signatures, picks each one's fast pattern and sorts the
 * signatures into prefilter databases (one per payload class and one per app-layer buffer),
 * per-port groups for those without a usable pattern, and the IP-only list. Running (detect.c)
 * collects a packet's candidates from those and checks each in full (detect_sig.c for the
 * packet conditions, match.c for the buffers, detect_state.c for flowbits and friends,
 * threshold.c for rates), emitting an alert event for every signature that matches. */
#ifndef KANSHI_ENGINE_DETECT_H
#define KANSHI_ENGINE_DETECT_H

#include "applayer.h"
#include "flow.h"
#include "ipidx.h"
#include "keytab.h"
#include "match.h"
#include "mpm.h"
#include "reasm.h"
#include "ruleset.h"
#include "threshold.h"

/* Payload classes: which data a payload prefilter database is scanned over. */
typedef enum kn_pclass {
    KN_PC_TCP = 0, /* reassembled stream data, and TCP packets outside a session */
    KN_PC_TCP_PKT, /* TCP packets inside a session, for rules that want the packet */
    KN_PC_UDP,
    KN_PC_ICMP,
    KN_PC_OTHER,
    KN_PC_MAX
} kn_pclass_t;

/* Prefilter databases: the payload classes, then one per buffer (indexed by kn_buf_t). */
#define KN_PF_APP(buf) (KN_PC_MAX + (buf))
#define KN_MULTI_MAX 1024 /* instances of a multi buffer inspected per transaction */
#define KN_PF_MAX (KN_PC_MAX + KN_BUF_MAX)

typedef struct kn_idlist {
    uint32_t *v; /* signature positions, ascending */
    uint32_t n, cap;
} kn_idlist_t;

typedef struct kn_pfpat { /* a fast pattern while building */
    const uint8_t *bytes;
    uint16_t len;
    uint8_t nocase;
    uint32_t sig;
} kn_pfpat_t;

typedef struct kn_pf {
    kn_mpm_t *mpm;
    uint32_t npat;
    uint32_t *off;  /* pattern id -> its first signature in sigs; npat + 1 entries */
    uint32_t *sigs; /* signature positions per pattern, ascending */
    uint16_t maxlen;
    kn_pfpat_t *build; /* one entry per signature, freed once built */
    uint32_t nbuild, capbuild;
} kn_pf_t;

/* Signatures without a prefilter pattern in one class, found by port. */
typedef struct kn_portidx {
    uint16_t *dp, *sp; /* port -> group; 0 is the empty group; NULL when not built */
    kn_idlist_t *groups;
    uint32_t ngroups;
    kn_idlist_t any;
    kn_idlist_t by_dp, by_sp; /* while building */
} kn_portidx_t;

/* What building adds to a signature. */
typedef struct kn_sigx {
    const kn_threshold_t *th; /* the rule's threshold, or threshold.config's, or NULL */
    uint32_t *supp;           /* indexes of the suppress entries that apply */
    uint16_t nsupp;
    uint8_t classes;          /* bit per kn_pclass_t */
    uint8_t source_pkt;       /* inspects the packet payload even inside a TCP session */
    uint8_t tx_per_dir;       /* on a transaction, may alert once from each direction */
} kn_sigx_t;

_Static_assert(KN_BUF_MAX <= 255, "txbuf holds buffer ids in uint8_t");

struct kn_detect {
    kn_pf_t pf[KN_PF_MAX];
    kn_portidx_t idx[KN_PC_MAX];
    kn_ipidx_builder_t *ipo_build[2]; /* while preparing */
    kn_ipidx_t *ipo[2];   /* IP-only rules by source [0] or destination [1] address set */
    kn_idlist_t ipo_any;  /* IP-only rules on any address on both sides */
    kn_idlist_t app_nopattern; /* app-layer rules with no pattern (the app layer runs them) */
    /* per app protocol, the buffers with a prefilter database a transaction is scanned in */
    uint8_t txbuf[KN_APP_MAX][KN_BUF_MAX]; /* kn_buf_t values: below 256 (asserted below) */
    uint8_t ntxbuf[KN_APP_MAX];
    kn_sigx_t *x;              /* per signature position */
    uint32_t nsigs;
    uint32_t maxvars;
    int prepared, built;
    char key[65];
    void *blob;
    size_t blob_len;
};

/* Called with each alert; the event is borrowed. */
typedef void (*kn_alert_fn)(void *user, kn_event_t *ev);

/* Where the stream of one packet's direction stands (filled by the engine). */
typedef struct kn_stream_view {
    kn_reasm_t *ra;    /* this direction's reassembly, or NULL */
    uint8_t in_stream; /* the packet's payload went into (or repeated) the stream */
} kn_stream_view_t;

/* What one signature is checked against: the packet, and which payload. */
typedef enum kn_src { KN_SRC_NONE = 0, KN_SRC_PACKET, KN_SRC_STREAM } kn_src_t;

typedef struct kn_fdet kn_fdet_t;

/* The engine's running state for one rule set. */
typedef struct kn_detect_ctx {
    const kn_ruleset_t *rs;
    const struct kn_detect *d;
    kn_counters_t *ctr;
    kn_alert_fn fn;
    void *user;
    kn_mpm_scratch_t *scratch;
    kn_inspect_t in;
    kn_idlist_t cand;  /* candidates of the data being inspected */
    uint8_t *seen;     /* per signature: already a candidate (cleared after each run) */
    kn_rate_t *rate;
    kn_keytab_t *xbits;
    uint32_t gen;           /* which rule set generation flow state belongs to */
    uint64_t *state_memuse; /* the engine's, so it survives a rule reload */
    uint64_t state_memcap;
    /* the data being inspected */
    const kn_packet_t *p;
    kn_flow_t *f;
    int dir;
    const uint8_t *stream;
    uint32_t stream_len;
    uint64_t stream_base, stream_fresh;
    uint8_t pass; /* a pass rule matched: no more rules for this packet */
    /* the transaction being inspected (detect_tx.c), or NULL for packet inspection */
    const kn_app_parser_t *tx_parser;
    kn_app_tx_t *tx;
} kn_detect_ctx_t;

kn_detect_ctx_t *kn_detect_ctx_new(const kn_ruleset_t *rs, kn_counters_t *ctr, kn_alert_fn fn,
                                   void *user, uint32_t gen, uint64_t *state_memuse);
void kn_detect_ctx_free(kn_detect_ctx_t *c);

/* Runs the rules on one packet (and its stream view); f may be NULL. */
void kn_detect_packet(kn_detect_ctx_t *c, const kn_packet_t *p, kn_flow_t *f, int dir,
                      const kn_stream_view_t *sv);

/* At the end of a flow: inspects stream data of either direction not inspected yet, skipping
 * the holes nothing will fill any more. */
void kn_detect_flow_end(kn_detect_ctx_t *c, kn_flow_t *f);

/* A packet standing for a flow's last data in one direction (Suricata's flow-end pseudo
 * packet): the flow's tuple, no payload of its own. */
void kn_detect_pseudo_packet(kn_packet_t *q, const kn_flow_t *f, int dir);

/* Runs the app-layer rules on transaction tx of parser, which progressed on packet p (in
 * direction dir): its buffers are scanned, each rule alerts at most once per transaction
 * (detect_tx.c). */
void kn_detect_tx(kn_detect_ctx_t *c, const kn_packet_t *p, kn_flow_t *f, int dir,
                  const kn_app_parser_t *parser, kn_app_tx_t *tx);

/* Shared by detect.c and detect_tx.c. */
void kn_detect_add_list(kn_detect_ctx_t *c, const kn_idlist_t *l);
void kn_detect_scan(kn_detect_ctx_t *c, int which, const uint8_t *buf, uint32_t len);
int kn_detect_lists_match(kn_detect_ctx_t *c, const kn_sig_t *s, int src);
void kn_detect_matched(kn_detect_ctx_t *c, const kn_sig_t *s, int src);
int kn_u32cmp(const void *a, const void *b);

/* File conditions of a signature (detect_file.c): whether kind is one (KN_AK_FILE_*), and
 * whether some file of direction dir in fs meets all of the rule's file conditions. */
struct kn_files;
int kn_file_keyword_kind(int kind);
int kn_detect_files_match(const kn_sig_t *s, const struct kn_files *fs, int dir);

/* Releases a flow's detection state without a context; returns the bytes it held. */
size_t kn_detect_flow_free(kn_flow_t *f);

void kn_detect_free(struct kn_detect *d);

/* Building (detect_build.c): ordering, fast patterns, groups; the cache key. */
int kn_detect_prepare(kn_ruleset_t *rs);

/* Packet conditions of a signature (detect_sig.c): protocol, addresses, ports, flow, header
 * keywords, events. dir is the packet's direction in its flow. */
int kn_sig_packet_match(const kn_sig_t *s, const kn_packet_t *p, const kn_flow_t *f, int dir);

/* Flow and host state (detect_state.c). */
kn_fdet_t *kn_fdet_get(kn_detect_ctx_t *c, kn_flow_t *f, int create);
void kn_fdet_release(kn_detect_ctx_t *c, kn_flow_t *f);
int kn_bits_check(kn_detect_ctx_t *c, const kn_sig_t *s, const kn_packet_t *p, kn_flow_t *f);
void kn_bits_apply(kn_detect_ctx_t *c, const kn_sig_t *s, const kn_packet_t *p, kn_flow_t *f);
int kn_ints_check(kn_detect_ctx_t *c, const kn_sig_t *s, kn_flow_t *f);
void kn_ints_apply(kn_detect_ctx_t *c, const kn_sig_t *s, kn_flow_t *f);
kn_ktval_t *kn_flow_rate(kn_detect_ctx_t *c, kn_flow_t *f, uint32_t sig);
int kn_idlist_add(kn_idlist_t *l, uint32_t v);
void kn_idlist_free(kn_idlist_t *l);

#endif
