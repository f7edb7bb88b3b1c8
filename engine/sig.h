/* sig.h: a parsed signature, as the detection engine evaluates it (engine only).
 *
 * A signature is its header (action, protocol, addresses, ports, direction), packet-level
 * tests (header keywords, flow state, events, sizes), and one ordered list of match items per
 * inspected buffer. Items keep Suricata's semantics: contents with offset/depth/distance/within,
 * pcre, byte_* and isdataat, each relative to the previous item when asked. Signatures are
 * immutable once the rule set is built. */
#ifndef KANSHI_ENGINE_SIG_H
#define KANSHI_ENGINE_SIG_H

#include <stdint.h>

#include "buffers.h"
#include "packet.h"

#define KN_SIG_MAX_VARS 8 /* byte_extract / byte_math variables per signature */
#define KN_MAX_TRANSFORMS 4

typedef enum kn_action {
    KN_ACT_ALERT = 0,
    KN_ACT_PASS,
    KN_ACT_DROP,
    KN_ACT_REJECT,
} kn_action_t;

/* The protocol in the rule header. */
typedef enum kn_sproto {
    KN_SP_IP = 0,
    KN_SP_TCP,        /* stream when there is one, the packet otherwise */
    KN_SP_TCP_PKT,    /* packets only */
    KN_SP_TCP_STREAM, /* the reassembled stream only */
    KN_SP_UDP,
    KN_SP_ICMP,   /* ICMPv4 and ICMPv6, as Suricata's "icmp" */
    KN_SP_ICMPV4,
    KN_SP_ICMPV6,
    KN_SP_SCTP,
    KN_SP_PKTHDR, /* any packet, for decoder events */
    KN_SP_IPV4,
    KN_SP_IPV6,
} kn_sproto_t;

/* Address and port sets as sorted, disjoint, inclusive ranges, so negation, lists and nested
 * variables compose exactly (a complement is another range list) and a lookup is a binary
 * search. */
typedef unsigned __int128 kn_u128;

typedef struct kn_r4 {
    uint32_t lo, hi;
} kn_r4_t;

typedef struct kn_r6 {
    kn_u128 lo, hi;
} kn_r6_t;

typedef struct kn_ipset {
    kn_r4_t *r4;
    kn_r6_t *r6;
    uint32_t n4, n6;
    uint8_t any; /* every address of both families (a fast path; r4/r6 then unused) */
} kn_ipset_t;

typedef struct kn_prange {
    uint16_t lo, hi;
} kn_prange_t;

typedef struct kn_portset {
    kn_prange_t *r;
    uint32_t n;
    uint8_t any;
} kn_portset_t;

/* Numeric comparisons of header keywords and sizes (ttl:<5, dsize:10<>20, bsize:>=4). */
typedef enum kn_cmp { KN_CMP_EQ = 0, KN_CMP_NE, KN_CMP_LT, KN_CMP_LE, KN_CMP_GT, KN_CMP_GE,
                      KN_CMP_RANGE /* lo < v < hi */, KN_CMP_RANGE_INCL } kn_cmp_t;

typedef struct kn_num {
    uint8_t cmp;
    uint64_t a, b;
} kn_num_t;

/* v against a parsed number condition (dsize, bsize, urilen, dns.opcode ...). */
static inline int kn_num_match(const kn_num_t *n, uint64_t v)
{
    switch (n->cmp) {
    case KN_CMP_NE: return v != n->a;
    case KN_CMP_LT: return v < n->a;
    case KN_CMP_LE: return v <= n->a;
    case KN_CMP_GT: return v > n->a;
    case KN_CMP_GE: return v >= n->a;
    case KN_CMP_RANGE: return v > n->a && v < n->b;
    case KN_CMP_RANGE_INCL: return v >= n->a && v <= n->b;
    default: return v == n->a;
    }
}

/* Match items of a buffer list. */
typedef enum kn_sm_type {
    KN_SM_CONTENT = 0,
    KN_SM_PCRE,
    KN_SM_BYTE_TEST,
    KN_SM_BYTE_JUMP,
    KN_SM_BYTE_EXTRACT,
    KN_SM_BYTE_MATH,
    KN_SM_ISDATAAT,
    KN_SM_BSIZE,
    KN_SM_BASE64_DECODE,
} kn_sm_type_t;

enum {
    KN_SMF_NEGATED = 1u << 0,
    KN_SMF_RELATIVE = 1u << 1, /* distance/within set, or the keyword's "relative" */
    KN_SMF_NOCASE = 1u << 2,
    KN_SMF_STARTSWITH = 1u << 3,
    KN_SMF_ENDSWITH = 1u << 4,
    KN_SMF_FAST_PATTERN = 1u << 5,
    KN_SMF_FP_ONLY = 1u << 6,
    KN_SMF_RAWBYTES = 1u << 7,
    KN_SMF_HAS_OFFSET = 1u << 8,
    KN_SMF_HAS_DEPTH = 1u << 9,
    KN_SMF_HAS_DISTANCE = 1u << 10,
    KN_SMF_HAS_WITHIN = 1u << 11,
    KN_SMF_FP_CHOP = 1u << 12,
};

/* A value that is either a number or a byte_extract/byte_math variable. */
typedef struct kn_val {
    int32_t v;
    int8_t var; /* -1: use v */
} kn_val_t;

typedef struct kn_content {
    uint8_t *pat;
    uint16_t len;
    kn_val_t offset, depth, distance, within;
    uint16_t fp_off, fp_len; /* fast_pattern:chop */
} kn_content_t;

typedef struct kn_pcre {
    void *re;      /* pcre2_code (pcre.c owns it) */
    uint32_t opts; /* KN_PCRE_* below */
} kn_pcre_t;

enum {
    KN_PCRE_RELATIVE = 1u << 0, /* R */
    KN_PCRE_ANCHOR_START = 1u << 1,
};

/* byte_test / byte_jump / byte_extract / byte_math */
enum {
    KN_BYTE_STRING = 1u << 0,
    KN_BYTE_LITTLE = 1u << 1,
    KN_BYTE_DCE = 1u << 2,
    KN_BYTE_RELATIVE = 1u << 3,
    KN_BYTE_ALIGN = 1u << 4,
    KN_BYTE_FROM_BEGINNING = 1u << 5,
    KN_BYTE_FROM_END = 1u << 6,
    KN_BYTE_NEGATE_OP = 1u << 7, /* byte_test with !op */
    KN_BYTE_BITMASK = 1u << 8,
};

typedef struct kn_bytes {
    uint8_t nbytes;
    uint8_t base; /* 10, 16, 8 when KN_BYTE_STRING */
    uint16_t flags;
    char op;      /* byte_test: < > = ! & ^ (and 'L' <=, 'G' >=); byte_math: + - * / < > (shifts) */
    kn_val_t offset;
    kn_val_t value; /* byte_test value, byte_math rvalue */
    int32_t multiplier;
    int32_t post_offset;
    uint32_t bitmask;
    int8_t result_var; /* byte_extract / byte_math */
} kn_bytes_t;

typedef struct kn_sm {
    uint8_t type; /* kn_sm_type_t */
    uint16_t flags;
    union {
        kn_content_t content;
        kn_pcre_t pcre;
        kn_bytes_t bytes;
        struct {
            kn_val_t n;
        } isdataat;
        kn_num_t bsize;
        struct {
            uint32_t bytes, offset;
        } b64;
    } u;
} kn_sm_t;

/* Transforms applied to a buffer before its items run (Suricata's transform keywords). */
typedef enum kn_xform {
    KN_XF_NONE = 0,
    KN_XF_TO_LOWERCASE,
    KN_XF_TO_UPPERCASE,
    KN_XF_STRIP_WHITESPACE,
    KN_XF_COMPRESS_WHITESPACE,
    KN_XF_URL_DECODE,
    KN_XF_DOTPREFIX,
    KN_XF_HEADER_LOWERCASE,
    KN_XF_STRIP_PSEUDO_HEADERS,
    KN_XF_TO_MD5,
    KN_XF_TO_SHA1,
    KN_XF_TO_SHA256,
} kn_xform_t;

typedef struct kn_smlist {
    uint16_t buf; /* kn_buf_t */
    uint8_t xforms[KN_MAX_TRANSFORMS];
    uint8_t nxforms;
    kn_sm_t *sm;
    uint16_t n, cap;
} kn_smlist_t;

/* Header keyword tests, evaluated on the packet before any buffer. */
typedef enum kn_hk {
    KN_HK_TTL = 0,
    KN_HK_TOS,
    KN_HK_IPID,
    KN_HK_IP_PROTO,
    KN_HK_FRAGOFFSET,
    KN_HK_TCP_SEQ,
    KN_HK_TCP_ACK,
    KN_HK_TCP_WINDOW,
    KN_HK_ITYPE,
    KN_HK_ICODE,
    KN_HK_ICMP_ID,
    KN_HK_ICMP_SEQ,
    KN_HK_DSIZE,
    KN_HK_STREAM_SIZE, /* stream bytes seen, per side */
} kn_hk_t;

typedef struct kn_hdrtest {
    uint8_t kw;  /* kn_hk_t */
    uint8_t neg;
    uint8_t side; /* stream_size: 0 server, 1 client, 2 both, 3 either */
    kn_num_t num;
} kn_hdrtest_t;

/* flow keyword */
enum {
    KN_FLOWKW_TO_SERVER = 1u << 0,
    KN_FLOWKW_TO_CLIENT = 1u << 1,
    KN_FLOWKW_ESTABLISHED = 1u << 2,
    KN_FLOWKW_NOT_ESTABLISHED = 1u << 3,
    KN_FLOWKW_STATELESS = 1u << 4,
    KN_FLOWKW_ONLY_STREAM = 1u << 5,
    KN_FLOWKW_NO_STREAM = 1u << 6,
    KN_FLOWKW_ONLY_FRAG = 1u << 7,
    KN_FLOWKW_NO_FRAG = 1u << 8,
};

/* flowbits, flowint, xbits/hostbits operations, in rule order */
typedef enum kn_bitop {
    KN_BIT_SET = 0,
    KN_BIT_UNSET,
    KN_BIT_TOGGLE,
    KN_BIT_ISSET,
    KN_BIT_ISNOTSET,
} kn_bitop_t;

typedef struct kn_bitsop {
    uint8_t op;
    uint8_t scope; /* 0 flow, 1 host by_src, 2 host by_dst, 3 ippair */
    uint8_t nnames;
    uint16_t names[8]; /* bit ids (OR group when nnames > 1) */
    uint32_t expire;  /* xbits/hostbits: seconds */
} kn_bitsop_t;

typedef struct kn_intop {
    uint16_t var;
    char op;     /* '=' set, '+' add, '-' sub, 'c' compare, 'x' isset, 'n' notset */
    uint8_t cmp; /* kn_cmp_t for compares */
    int8_t rvar; /* another flowint as the value, or -1 */
    uint32_t value;
} kn_intop_t;

/* threshold / detection_filter */
typedef enum kn_thr_type { KN_THR_LIMIT = 0, KN_THR_THRESHOLD, KN_THR_BOTH, KN_THR_DF } kn_thr_type_t;
typedef enum kn_track { KN_TRACK_SRC = 0, KN_TRACK_DST, KN_TRACK_RULE, KN_TRACK_BOTH,
                        KN_TRACK_FLOW } kn_track_t;

typedef struct kn_threshold {
    uint8_t type, track;
    uint32_t count, seconds;
} kn_threshold_t;

/* Conditions only the application layer can answer (tls.version, dns.opcode, urilen, the file
 * keywords ...). Until a parser fills them in they do not match, so such rules load and wait.
 * The argument is parsed once, when the rule loads (rule_appkw.c), into the fields its kind
 * uses; a value that cannot be parsed fails the rule there, so matching never parses text. */
typedef struct kn_appkw {
    uint8_t kind;  /* kn_appkw_kind_t */
    uint8_t neg;   /* a '!' before the value */
    uint8_t raw;   /* urilen: on the raw uri, not the normalized one */
    uint8_t mask;  /* ssl_version: KN_SSLV_* listed; ssl_state: KN_SSLST_* listed */
    uint8_t nmask; /* ssl_state: the listed states that carry a '!' */
    kn_num_t num;  /* dns.opcode/rcode/rrtype (names as numbers), urilen, filesize,
                      tls.cert_chain_len; tls.version: a = the version, b = 1 when TLS 1.3
                      drafts count too */
    char *arg;     /* the value as written ('!' and quotes off); filename/fileext match it */
    uint32_t arg_len;
    uint8_t *hashes; /* filemd5/filesha1/filesha256: sorted digests, kn_appkw_hash_len each */
    uint32_t nhashes;
} kn_appkw_t;

typedef enum kn_appkw_kind {
    KN_AK_TLS_VERSION = 0,
    KN_AK_SSL_VERSION,
    KN_AK_SSL_STATE,
    KN_AK_DNS_OPCODE,
    KN_AK_DNS_RRTYPE,
    KN_AK_DNS_RCODE,
    KN_AK_URILEN,
    KN_AK_TLS_CERT_EXPIRED,
    KN_AK_TLS_CERT_VALID,
    KN_AK_TLS_CERT_CHAIN_LEN,
    KN_AK_FILE_SIZE, /* filesize: the size of a finished file (detect_file.c) */
    KN_AK_FILE_NAME, /* filename: a file of the transaction whose name contains arg */
    KN_AK_FILE_EXT,  /* fileext: ... whose name ends in "." arg, any case */
    KN_AK_FILE_MD5,  /* filemd5: a closed file whose md5 is in hashes */
    KN_AK_FILE_SHA1,
    KN_AK_FILE_SHA256,
} kn_appkw_kind_t;

/* ssl_version names (Suricata's), as bits of kn_appkw_t.mask */
enum { KN_SSLV_SSL2 = 1u << 0, KN_SSLV_SSL3 = 1u << 1, KN_SSLV_TLS10 = 1u << 2,
       KN_SSLV_TLS11 = 1u << 3, KN_SSLV_TLS12 = 1u << 4, KN_SSLV_TLS13 = 1u << 5 };
/* ssl_state names, as bits of kn_appkw_t.mask/nmask; the TLS parser reports the handshake
 * messages of its last parse call in the same bits */
enum { KN_SSLST_CLIENT_HELLO = 1u << 0, KN_SSLST_SERVER_HELLO = 1u << 1,
       KN_SSLST_CLIENT_KEYX = 1u << 2, KN_SSLST_SERVER_KEYX = 1u << 3, KN_SSLST_UNKNOWN = 1u << 4 };

/* The tests of the parsed TLS conditions, for the TLS parser (rule_appkw.c): version is the
 * record or supported_versions value of the direction inspected (0x0002 SSLv2, 0x7fxx the
 * TLS 1.3 drafts); seen the KN_SSLST_* bits of the messages just parsed. 1 true, 0 false. */
int kn_appkw_tls_version(const kn_appkw_t *kw, uint16_t version);
int kn_appkw_ssl_version(const kn_appkw_t *kw, uint16_t version);
int kn_appkw_ssl_state(const kn_appkw_t *kw, unsigned seen);
/* Bytes of one digest of a filemd5/filesha1/filesha256 condition (0 for other kinds). */
unsigned kn_appkw_hash_len(int kind);

enum {
    KN_SIGF_NOALERT = 1u << 0,
    KN_SIGF_BIDIR = 1u << 1,        /* <> */
    KN_SIGF_IPONLY = 1u << 2,       /* addresses only: checked once per flow direction */
    KN_SIGF_SAMEIP = 1u << 3,
    KN_SIGF_NEEDS_APP = 1u << 4,    /* inspects an app-layer buffer */
    KN_SIGF_TARGET_SRC = 1u << 5,
    KN_SIGF_TARGET_DST = 1u << 6,
    KN_SIGF_HAS_PAYLOAD = 1u << 7,  /* items on the payload/stream */
    KN_SIGF_TRANSACTIONAL = 1u << 8, /* => */
    KN_SIGF_NOT_SAMEIP = 1u << 9,
    KN_SIGF_PDONLY = 1u << 10,      /* app-layer-protocol alone: once, when the protocol is known */
};

typedef struct kn_sig {
    uint32_t idx; /* position in evaluation order */
    uint32_t sid, rev, gid;
    uint8_t action;
    uint8_t proto;   /* kn_sproto_t */
    int8_t app;      /* kn_app_t required by the header or app-layer-protocol, -1 none */
    uint8_t alp[4];  /* app-layer-protocol:[!]x conditions, all must hold */
    uint8_t alp_neg; /* bit i: alp[i] is negated */
    uint8_t nalp;
    uint16_t flags;
    uint16_t flow;   /* KN_FLOW_* */
    uint8_t priority;
    int16_t classtype; /* index in the classification table, -1 none */
    char *msg;
    char **metadata; /* "key value" strings */
    uint16_t nmetadata;
    kn_ipset_t src, dst;
    kn_portset_t sp, dp;

    kn_hdrtest_t *hdr;
    uint8_t nhdr;
    uint8_t ipopts_mask, ipopts_any;
    uint8_t fragbits_set, fragbits_clear, fragbits_mode; /* D, M, R bits; +, *, ! */
    uint8_t tcp_flags, tcp_flags_mask, tcp_flags_mode;
    uint16_t *events; /* kn_anomaly_t the packet must carry */
    uint8_t nevents;

    kn_smlist_t *lists; /* one per inspected buffer, in rule order */
    uint8_t nlists;
    int16_t fp_list, fp_sm; /* the fast pattern, or -1 */

    kn_bitsop_t *bits;
    uint8_t nbits;
    kn_intop_t *ints;
    uint8_t nints;
    kn_threshold_t threshold, detection_filter;
    uint8_t has_threshold, has_df;
    uint8_t nvars;
    kn_appkw_t *appkw; /* app-layer conditions, evaluated by the app layer */
    uint8_t napp;
} kn_sig_t;

/* Frees a compiled pcre of a match item (pcre.c). */
void kn_pcre_free(void *re);

#endif
