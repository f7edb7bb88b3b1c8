/* hsinfo.c: Hyperscan block mode over reassembled windows against streaming mode, measured.
 *
 *   hsinfo [-c classification.config] [-r capture.pcap] [-n runs] rules.rules...
 *
 * Loads and builds a rule set with the engine (kn_ruleset_build), then reports every prefilter
 * database (patterns, size, block-mode compile time) and, for the TCP stream class, the same
 * patterns compiled in streaming mode: the state every open stream costs (hs_stream_size) and
 * what that means at 10k/100k/1M flows. With -r it replays the TCP payload of a capture through
 * both designs over the same bytes: block mode as detect.c prefilter() does it (each new
 * in-order segment scanned with the (maxlen - 1) bytes before it) and one hs_stream_t per
 * direction (with and without HS_FLAG_SINGLEMATCH); and, as references, block mode over the new
 * bytes alone (what the look-back costs and what it finds) and block mode with every pattern cut
 * to CUT bytes (a shorter look-back). Each mode runs once to check (distinct (direction,
 * pattern) pairs, compared across modes), then -n times (default 3) timed; medians are printed.
 * Written for docs/design.md ("Hyperscan: block mode over reassembled windows vs streaming
 * mode"); tools/hsinfo.md has the numbers. A measurement tool, not part of kanshi.
 *
 * The patterns are read from the built rule set (d->pf[w].build, kept after building), so they
 * are exactly those kanshi compiles; the databases here are compiled again the way mpm.c does
 * (escaped literals through hs_compile_multi) so that every mode goes through the same raw
 * hs_* calls and each compile can be timed on its own. */
#include <errno.h>
#include <hs.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buffers.h"
#include "detect.h"

#define MAX_RUNS 15
#define TCP_ESTABLISHED_TIMEOUT_US (600ull * 1000000) /* kanshi's default (engine.c) */
#define MAX_STREAM_BYTES (1u << 30)
#define CUT 32 /* the "patterns cut" block variant keeps this many bytes of each pattern */
#define STR_(x) #x
#define STR(x) STR_(x)

enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04 };

/* ---- small helpers --------------------------------------------------------------------------- */

static void die(const char *what)
{
    fprintf(stderr, "hsinfo: %s\n", what);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        die("out of memory");
    return q;
}

static double clock_s(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint16_t be16(const uint8_t *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, n;

    if (!fp)
        return NULL;
    do {
        buf = xrealloc(buf, len + 65536 + 1);
        n = fread(buf + len, 1, 65536, fp);
        len += n;
    } while (n == 65536);
    buf[len] = '\0';
    fclose(fp);
    return buf;
}

static const char *human(double bytes, char *out, size_t n)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;

    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        u++;
    }
    snprintf(out, n, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
    return out;
}

/* ---- the rule set ---------------------------------------------------------------------------- */

static void on_rule_msg(void *user, const kn_rule_msg_t *m)
{
    (void)m; /* the sensor prints these; here only the totals matter */
    ++*(unsigned *)user;
}

static void add_file(kn_ruleset_t *rs, const char *path, int classes, unsigned *msgs)
{
    char *text = slurp(path);

    if (!text) {
        fprintf(stderr, "hsinfo: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    if (classes)
        kn_ruleset_add_classifications(rs, path, text, on_rule_msg, msgs);
    else
        kn_ruleset_add_rules(rs, path, text, on_rule_msg, msgs);
    free(text);
}

static kn_ruleset_t *load_rules(const char *classfile, char **files, int n)
{
    kn_ruleset_t *rs = kn_ruleset_new();
    const kn_rules_stats_t *st;
    unsigned msgs = 0;
    double t0;
    int i;

    if (!rs)
        die("out of memory");
    if (classfile)
        add_file(rs, classfile, 1, &msgs);
    for (i = 0; i < n; i++)
        add_file(rs, files[i], 0, &msgs);
    t0 = clock_s(CLOCK_MONOTONIC);
    if (kn_ruleset_build(rs, NULL, 0) != KN_OK) {
        fprintf(stderr, "hsinfo: build: %s\n", kn_ruleset_error(rs));
        exit(1);
    }
    st = kn_ruleset_stats(rs);
    if (st->failed && !classfile)
        fprintf(stderr, "hsinfo: rules with a classtype fail without -c classification.config\n");
    printf("rules: %u loaded, %u failed, %u unsupported; %u prefilter patterns in %u databases; "
           "kn_ruleset_build %.2f s (all block databases compiled)\n", st->loaded, st->failed,
           st->unsupported, st->mpm_patterns, st->mpm_databases, clock_s(CLOCK_MONOTONIC) - t0);
    return rs;
}

static const char *pf_name(int w)
{
    static const char *const pc[KN_PC_MAX] = {"tcp-stream", "tcp-packet", "udp", "icmp", "other"};

    return w < KN_PC_MAX ? pc[w] : kn_buffer_info((kn_buf_t)(w - KN_PC_MAX))->name;
}

/* ---- compiling the way mpm.c does ------------------------------------------------------------ */

typedef struct hsdb {
    hs_database_t *db;
    hs_scratch_t *scratch; /* one per database: each is scanned on its own */
    double secs;           /* hs_compile_multi alone */
    size_t size, scratch_size, stream_size;
} hsdb_t;

static char *escape(const uint8_t *b, uint16_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *e = xrealloc(NULL, (size_t)len * 4 + 1), *p = e;
    uint16_t i;

    for (i = 0; i < len; i++) {
        *p++ = '\\';
        *p++ = 'x';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
    return e;
}

static int hs_fail(const char *call, hs_error_t rc)
{
    fprintf(stderr, "hsinfo: %s failed: %d\n", call, (int)rc);
    return -1;
}

/* Size, scratch and (in streaming mode) per-stream state of a compiled database. */
static int hsdb_measure(hsdb_t *h, unsigned mode)
{
    hs_error_t rc;

    if ((rc = hs_database_size(h->db, &h->size)) != HS_SUCCESS)
        return hs_fail("hs_database_size", rc);
    if ((rc = hs_alloc_scratch(h->db, &h->scratch)) != HS_SUCCESS)
        return hs_fail("hs_alloc_scratch", rc);
    if ((rc = hs_scratch_size(h->scratch, &h->scratch_size)) != HS_SUCCESS)
        return hs_fail("hs_scratch_size", rc);
    if (mode == HS_MODE_STREAM && (rc = hs_stream_size(h->db, &h->stream_size)) != HS_SUCCESS)
        return hs_fail("hs_stream_size", rc);
    return 0;
}

/* The patterns of pf (one per distinct pattern, ids as detect_compile.c gives them); cut > 0
 * keeps only each pattern's first cut bytes (still a prefilter: match.c checks the content). */
static int hsdb_compile(const kn_pf_t *pf, unsigned mode, unsigned flag, uint16_t cut, hsdb_t *h)
{
    char **ex = xrealloc(NULL, pf->npat * sizeof(*ex));
    unsigned *fl = xrealloc(NULL, pf->npat * sizeof(*fl));
    unsigned *ids = xrealloc(NULL, pf->npat * sizeof(*ids));
    hs_compile_error_t *cerr = NULL;
    hs_error_t rc;
    uint32_t i;
    double t0;

    memset(h, 0, sizeof(*h));
    for (i = 0; i < pf->npat; i++) {
        const kn_pfpat_t *p = &pf->build[pf->off[i]];
        ex[i] = escape(p->bytes, cut && p->len > cut ? cut : p->len);
        fl[i] = flag | (p->nocase ? HS_FLAG_CASELESS : 0);
        ids[i] = i;
    }
    t0 = clock_s(CLOCK_MONOTONIC);
    rc = hs_compile_multi((const char *const *)ex, fl, ids, pf->npat, mode, NULL, &h->db, &cerr);
    h->secs = clock_s(CLOCK_MONOTONIC) - t0;
    for (i = 0; i < pf->npat; i++)
        free(ex[i]);
    free(ex);
    free(fl);
    free(ids);
    if (rc != HS_SUCCESS) {
        fprintf(stderr, "hsinfo: hs_compile_multi: %s\n", cerr ? cerr->message : "?");
        hs_free_compile_error(cerr);
        return -1;
    }
    return hsdb_measure(h, mode);
}

static void hsdb_free(hsdb_t *h)
{
    hs_free_scratch(h->scratch);
    hs_free_database(h->db);
}

static void report_databases(const struct kn_detect *d)
{
    char b[32];
    int w;

    printf("\nprefilter databases (block mode, HS_FLAG_SINGLEMATCH, as mpm.c compiles them)\n");
    printf("  %-20s %8s %7s %12s %12s %10s %12s\n", "database", "patterns", "maxlen",
           "kanshi size", "size here", "compile s", "scratch");
    for (w = 0; w < KN_PF_MAX; w++) {
        const kn_pf_t *pf = &d->pf[w];
        hsdb_t h;
        if (!pf->npat)
            continue;
        if (hsdb_compile(pf, HS_MODE_BLOCK, HS_FLAG_SINGLEMATCH, 0, &h) != 0)
            die("block compile failed");
        printf("  %-20s %8u %7u %12zu %12zu %10.3f %12s\n", pf_name(w), pf->npat, pf->maxlen,
               kn_mpm_size(pf->mpm), h.size, h.secs, human((double)h.scratch_size, b, sizeof(b)));
        hsdb_free(&h);
    }
}

static void report_stream_db(const char *label, const hsdb_t *h)
{
    static const double flows[] = {1e4, 1e5, 1e6};
    char s[3][32], db[32];
    int i;

    for (i = 0; i < 3; i++)
        human((double)h->stream_size * flows[i] * 2, s[i], sizeof(s[i]));
    printf("  %-26s %10s %9.3f %10zu %11s %11s %11s\n", label,
           human((double)h->size, db, sizeof(db)), h->secs, h->stream_size, s[0], s[1], s[2]);
}

static void report_cut(const kn_pf_t *pf, const hsdb_t *h)
{
    uint32_t i, n = 0;
    char a[32];

    for (i = 0; i < pf->npat; i++)
        n += pf->build[pf->off[i]].len > CUT;
    printf("  block, patterns cut to %d B: %u of %u patterns are longer; database %s, compiled in "
           "%.3f s\n", CUT, n, pf->npat, human((double)h->size, a, sizeof(a)), h->secs);
}

/* ---- the capture: in-order TCP payload per direction ----------------------------------------- */

typedef struct tkey {
    uint8_t v, pad[3];
    uint8_t src[16], dst[16];
    uint16_t sp, dp;
} tkey_t;

typedef struct tstream { /* one direction of one TCP connection */
    tkey_t key;
    uint8_t *buf; /* every accepted byte, in order: block mode scans windows of it in place */
    uint32_t len, cap, next;
    uint8_t closed, retired;
    uint64_t first_ts, last_data_ts, last_ts, end_ts; /* microseconds; end_ts 0: never closed */
} tstream_t;

typedef struct tev { /* len 0: the direction closed (FIN, RST, or a new connection) */
    uint32_t stream, off, len;
} tev_t;

typedef struct corpus {
    tstream_t *s;
    uint32_t ns, caps;
    uint32_t *tab, tabsize; /* key -> latest stream index + 1 */
    tev_t *ev;
    size_t nev, capev;
    uint64_t pkts, tcp_pkts, segs, bytes, gap_bytes, old_bytes, closed_bytes, cut_pkts, frags;
    uint64_t t_end;
} corpus_t;

typedef struct seg {
    tkey_t key;
    uint32_t seq, len;
    uint8_t flags, cut;
    const uint8_t *data;
} seg_t;

static uint32_t key_hash(const tkey_t *k)
{
    const uint8_t *b = (const uint8_t *)k;
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < sizeof(*k); i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static uint32_t *slot_of(corpus_t *c, const tkey_t *k)
{
    uint32_t i = key_hash(k) & (c->tabsize - 1);

    while (c->tab[i] && memcmp(&c->s[c->tab[i] - 1].key, k, sizeof(*k)) != 0)
        i = (i + 1) & (c->tabsize - 1);
    return &c->tab[i];
}

static void tab_grow(corpus_t *c)
{
    uint32_t *old = c->tab, oldsize = c->tabsize, i;

    c->tabsize = oldsize ? oldsize * 2 : 1u << 16;
    c->tab = calloc(c->tabsize, sizeof(*c->tab));
    if (!c->tab)
        die("out of memory");
    for (i = 0; i < oldsize; i++)
        if (old[i])
            *slot_of(c, &c->s[old[i] - 1].key) = old[i];
    free(old);
}

static void add_event(corpus_t *c, uint32_t stream, uint32_t off, uint32_t len)
{
    if (c->nev == c->capev) {
        c->capev = c->capev ? c->capev * 2 : 1u << 16;
        c->ev = xrealloc(c->ev, c->capev * sizeof(*c->ev));
    }
    c->ev[c->nev].stream = stream;
    c->ev[c->nev].off = off;
    c->ev[c->nev++].len = len;
}

static uint32_t new_stream(corpus_t *c, uint32_t *slot, const tkey_t *k, uint32_t seq,
                           uint64_t ts)
{
    tstream_t *s;

    if (c->ns == c->caps) {
        c->caps = c->caps ? c->caps * 2 : 1u << 14;
        c->s = xrealloc(c->s, c->caps * sizeof(*c->s));
    }
    s = &c->s[c->ns];
    memset(s, 0, sizeof(*s));
    s->key = *k;
    s->next = seq; /* a direction starts at its first data packet */
    s->first_ts = ts;
    *slot = ++c->ns;
    return c->ns - 1;
}

/* The direction is over: later bytes are ignored, streaming mode closes its stream here. */
static void close_stream(corpus_t *c, uint32_t i, uint64_t ts)
{
    tstream_t *s = &c->s[i];

    if (s->closed)
        return;
    s->closed = 1;
    s->end_ts = ts;
    add_event(c, i, s->len, 0);
}

static void append(corpus_t *c, uint32_t i, const uint8_t *data, uint32_t n, uint64_t ts)
{
    tstream_t *s = &c->s[i];

    if (s->len + (uint64_t)n > MAX_STREAM_BYTES)
        return;
    if (s->len + n > s->cap) {
        s->cap = s->cap ? s->cap : 4096;
        while (s->cap < s->len + n)
            s->cap *= 2;
        s->buf = xrealloc(s->buf, s->cap);
    }
    memcpy(s->buf + s->len, data, n);
    add_event(c, i, s->len, n);
    s->len += n;
    s->next += n;
    s->last_data_ts = ts;
    c->segs++;
    c->bytes += n;
}

/* Only bytes that extend the next expected sequence number go in; out-of-order and repeated
 * ones are counted and dropped, which is simpler than reasm.c but the same bytes for both modes. */
static void add_data(corpus_t *c, uint32_t *slot, const seg_t *sg, uint64_t ts)
{
    uint32_t i = *slot ? *slot - 1 : UINT32_MAX;
    int32_t diff;

    if (i == UINT32_MAX || c->s[i].retired)
        i = new_stream(c, slot, &sg->key, sg->seq, ts);
    if (c->s[i].closed) {
        c->closed_bytes += sg->len;
        return;
    }
    diff = (int32_t)(sg->seq - c->s[i].next);
    if (diff > 0)
        c->gap_bytes += sg->len;
    else if ((int64_t)diff + sg->len <= 0)
        c->old_bytes += sg->len;
    else {
        c->old_bytes += (uint32_t)-diff;
        append(c, i, sg->data + (uint32_t)-diff, sg->len - (uint32_t)-diff, ts);
    }
}

static void reset_peer(corpus_t *c, const tkey_t *k, uint64_t ts)
{
    tkey_t r;
    uint32_t *slot;

    memset(&r, 0, sizeof(r));
    r.v = k->v;
    memcpy(r.src, k->dst, 16);
    memcpy(r.dst, k->src, 16);
    r.sp = k->dp;
    r.dp = k->sp;
    slot = slot_of(c, &r);
    if (*slot && !c->s[*slot - 1].retired)
        close_stream(c, *slot - 1, ts);
}

static void feed(corpus_t *c, const seg_t *sg, uint64_t ts)
{
    uint32_t *slot;

    if (c->ns * 2 >= c->tabsize)
        tab_grow(c);
    slot = slot_of(c, &sg->key);
    if (*slot && (sg->flags & TH_SYN)) { /* a new connection on the same four-tuple */
        close_stream(c, *slot - 1, ts);
        c->s[*slot - 1].retired = 1;
    }
    if (sg->len && !sg->cut)
        add_data(c, slot, sg, ts);
    else if (sg->len)
        c->cut_pkts++; /* snaplen cut: the rest of the direction waits for a gap that stays */
    if (!*slot || c->s[*slot - 1].retired)
        return;
    c->s[*slot - 1].last_ts = ts;
    if (sg->flags & (TH_FIN | TH_RST))
        close_stream(c, *slot - 1, ts);
    if (sg->flags & TH_RST)
        reset_peer(c, &sg->key, ts);
}

static void corpus_free(corpus_t *c)
{
    uint32_t i;

    for (i = 0; i < c->ns; i++)
        free(c->s[i].buf);
    free(c->s);
    free(c->tab);
    free(c->ev);
}

/* ---- decoding just enough: Ethernet, VLAN, IPv4, IPv6, TCP ----------------------------------- */

static int parse_tcp(const uint8_t *b, uint32_t caplen, uint32_t iplen, seg_t *sg)
{
    uint32_t thl;

    if (caplen < 20 || iplen < 20 || (thl = (uint32_t)(b[12] >> 4) * 4) < 20 || thl > iplen ||
        thl > caplen)
        return -1;
    sg->key.sp = be16(b);
    sg->key.dp = be16(b + 2);
    sg->seq = be32(b + 4);
    sg->flags = b[13];
    sg->data = b + thl;
    sg->len = iplen - thl;
    sg->cut = caplen < iplen;
    return 0;
}

static int parse_ip4(corpus_t *c, const uint8_t *b, uint32_t caplen, seg_t *sg)
{
    uint32_t ihl, tot;

    if (caplen < 20 || (b[0] >> 4) != 4 || (ihl = (uint32_t)(b[0] & 15) * 4) < 20 ||
        (tot = be16(b + 2)) < ihl || caplen < ihl || b[9] != 6)
        return -1;
    if (be16(b + 6) & 0x3fff) {
        c->frags++; /* fragments are left out: the benchmark corpus has next to none */
        return -1;
    }
    sg->key.v = 4;
    memcpy(sg->key.src, b + 12, 4);
    memcpy(sg->key.dst, b + 16, 4);
    return parse_tcp(b + ihl, caplen - ihl, tot - ihl, sg);
}

static int parse_ip6(corpus_t *c, const uint8_t *b, uint32_t caplen, seg_t *sg)
{
    uint32_t off = 40, plen, nh, n;

    if (caplen < 40 || (b[0] >> 4) != 6)
        return -1;
    plen = be16(b + 4);
    nh = b[6];
    while (nh == 0 || nh == 43 || nh == 60) { /* hop-by-hop, routing, destination options */
        if (caplen < off + 8 || (n = (uint32_t)(b[off + 1] + 1) * 8) > plen + 40 - off)
            return -1;
        nh = b[off];
        off += n;
    }
    if (nh == 44)
        c->frags++;
    if (nh != 6 || caplen < off)
        return -1;
    sg->key.v = 6;
    memcpy(sg->key.src, b + 8, 16);
    memcpy(sg->key.dst, b + 24, 16);
    return parse_tcp(b + off, caplen - off, plen + 40 - off, sg);
}

static int parse_frame(corpus_t *c, int dlt, const uint8_t *b, uint32_t caplen, seg_t *sg)
{
    uint32_t off = 0;
    uint16_t type = 0;

    memset(&sg->key, 0, sizeof(sg->key));
    if (dlt == DLT_EN10MB) {
        if (caplen < 14)
            return -1;
        type = be16(b + 12);
        off = 14;
        while ((type == 0x8100 || type == 0x88a8) && caplen >= off + 4) {
            type = be16(b + off + 2);
            off += 4;
        }
    } else { /* DLT_RAW */
        type = caplen && (b[0] >> 4) == 6 ? 0x86dd : 0x0800;
    }
    if (type == 0x0800)
        return parse_ip4(c, b + off, caplen - off, sg);
    if (type == 0x86dd)
        return parse_ip6(c, b + off, caplen - off, sg);
    return -1;
}

static void load_capture(corpus_t *c, const char *path)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, err);
    struct pcap_pkthdr *h;
    const u_char *b;
    seg_t sg;
    int dlt, rc;

    if (!pc) {
        fprintf(stderr, "hsinfo: %s: %s\n", path, err);
        exit(1);
    }
    dlt = pcap_datalink(pc);
    if (dlt != DLT_EN10MB && dlt != DLT_RAW)
        die("only Ethernet and raw IP captures are read");
    while ((rc = pcap_next_ex(pc, &h, &b)) == 1) {
        uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec;
        c->pkts++;
        c->t_end = ts;
        if (parse_frame(c, dlt, b, h->caplen, &sg) != 0)
            continue;
        c->tcp_pkts++;
        feed(c, &sg, ts);
    }
    if (rc == -1)
        fprintf(stderr, "hsinfo: %s: %s (read so far is used)\n", path, pcap_geterr(pc));
    pcap_close(pc);
}

/* ---- concurrency of streams, from the capture's timestamps ----------------------------------- */

typedef struct edge {
    uint64_t t;
    int32_t d;
} edge_t;

static int edge_cmp(const void *a, const void *b)
{
    const edge_t *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return y->d - x->d; /* opens before closes at the same time: never undercounts */
}

/* The most streams alive at once, alive from first data to end (by_data: to last data; else to
 * FIN/RST, or kanshi's idle timeout after the last packet, or the end of the capture). */
static uint32_t peak_streams(const corpus_t *c, int by_data)
{
    edge_t *e = xrealloc(NULL, (size_t)c->ns * 2 * sizeof(*e));
    uint32_t i, n = 0, peak = 0, live = 0;

    for (i = 0; i < c->ns; i++) {
        const tstream_t *s = &c->s[i];
        uint64_t end = s->last_ts + TCP_ESTABLISHED_TIMEOUT_US;
        if (!s->len)
            continue;
        end = by_data ? s->last_data_ts : s->end_ts ? s->end_ts : end < c->t_end ? end : c->t_end;
        e[n++] = (edge_t){s->first_ts, 1};
        e[n++] = (edge_t){end, -1};
    }
    qsort(e, n, sizeof(*e), edge_cmp);
    for (i = 0; i < n; i++) {
        live = (uint32_t)((int32_t)live + e[i].d);
        peak = live > peak ? live : peak;
    }
    free(e);
    return peak;
}

/* ---- hits: counted always, collected as (stream, pattern) pairs in the checking run ---------- */

typedef struct u64set {
    uint64_t *v;
    size_t cap, n;
} u64set_t;

static int set_has(const u64set_t *s, uint64_t k)
{
    size_t i = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 20) & (s->cap - 1);

    while (s->v[i] && s->v[i] != k)
        i = (i + 1) & (s->cap - 1);
    return s->v[i] == k;
}

static void set_add(u64set_t *s, uint64_t k) /* k != 0 */
{
    size_t i;

    if ((s->n + 1) * 2 > s->cap) {
        u64set_t g = {calloc(s->cap ? s->cap * 2 : 1u << 16, 8), s->cap ? s->cap * 2 : 1u << 16, 0};
        if (!g.v)
            die("out of memory");
        for (i = 0; i < s->cap; i++)
            if (s->v[i])
                set_add(&g, s->v[i]);
        free(s->v);
        *s = g;
    }
    i = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 20) & (s->cap - 1);
    while (s->v[i] && s->v[i] != k)
        i = (i + 1) & (s->cap - 1);
    if (!s->v[i]) {
        s->v[i] = k;
        s->n++;
    }
}

/* How many pairs of a are not in b. */
static size_t set_minus(const u64set_t *a, const u64set_t *b)
{
    size_t i, n = 0;

    for (i = 0; i < a->cap; i++)
        n += a->v[i] && !set_has(b, a->v[i]);
    return n;
}

typedef struct hitctx {
    uint64_t hits;
    u64set_t *pairs; /* NULL in timed runs: the callback then costs what kanshi's costs at most */
    uint64_t stream;
} hitctx_t;

static int on_hit(unsigned int id, unsigned long long from, unsigned long long to,
                  unsigned int flags, void *ctx)
{
    hitctx_t *h = ctx;

    (void)from;
    (void)to;
    (void)flags;
    h->hits++;
    if (h->pairs)
        set_add(h->pairs, 1ull << 63 | h->stream << 32 | id);
    return 0;
}

/* ---- the two designs ------------------------------------------------------------------------- */

typedef struct mode {
    const char *name;
    const hsdb_t *db;
    int stream;
    uint32_t back; /* block mode: bytes before the new ones scanned again */
    double wall[MAX_RUNS], cpu[MAX_RUNS];
    uint64_t scanned, hits, fails;
    uint32_t peak_live;
    u64set_t pairs;
    uint64_t comp_sum, comp_n, comp_max; /* hs_compress_stream sizes at close */
} hsmode_t;

/* detect.c's way: each new segment with the (maxlen - 1) bytes before it, in place. */
static void run_block(const corpus_t *c, hsmode_t *m, hitctx_t *h)
{
    size_t i;

    for (i = 0; i < c->nev; i++) {
        const tev_t *e = &c->ev[i];
        uint32_t from = e->off > m->back ? e->off - m->back : 0;
        hs_error_t rc;
        if (!e->len)
            continue;
        h->stream = e->stream;
        rc = hs_scan(m->db->db, (const char *)c->s[e->stream].buf + from, e->off + e->len - from,
                     0, m->db->scratch, on_hit, h);
        m->scanned += e->off + e->len - from;
        m->fails += rc != HS_SUCCESS;
    }
}

/* Only in the checking run: what an idle stream's state would compress to. */
static void note_compressed(hsmode_t *m, const hs_stream_t *st)
{
    size_t used = 0;
    hs_error_t rc = hs_compress_stream(st, NULL, 0, &used);

    if (rc != HS_INSUFFICIENT_SPACE && rc != HS_SUCCESS) {
        m->fails++;
        return;
    }
    m->comp_sum += used;
    m->comp_n++;
    m->comp_max = used > m->comp_max ? used : m->comp_max;
}

static void stream_close(hsmode_t *m, hs_stream_t **st, hitctx_t *h, uint32_t *live)
{
    if (!*st)
        return;
    if (h->pairs)
        note_compressed(m, *st);
    m->fails += hs_close_stream(*st, m->db->scratch, on_hit, h) != HS_SUCCESS;
    *st = NULL;
    --*live;
}

static void stream_data(const corpus_t *c, hsmode_t *m, hs_stream_t **st, const tev_t *e,
                        hitctx_t *h, uint32_t *live)
{
    if (!*st) { /* opened at the direction's first data, as a flow table would */
        if (hs_open_stream(m->db->db, 0, st) != HS_SUCCESS) {
            m->fails++;
            *st = NULL;
            return;
        }
        if (++*live > m->peak_live)
            m->peak_live = *live;
    }
    m->fails += hs_scan_stream(*st, (const char *)c->s[e->stream].buf + e->off, e->len, 0,
                               m->db->scratch, on_hit, h) != HS_SUCCESS;
    m->scanned += e->len;
}

/* One hs_stream_t per direction, closed at FIN/RST/reuse, the rest at the end of the capture. */
static void run_stream(const corpus_t *c, hsmode_t *m, hitctx_t *h)
{
    hs_stream_t **st = calloc(c->ns ? c->ns : 1, sizeof(*st));
    uint32_t live = 0;
    size_t i;

    if (!st)
        die("out of memory");
    for (i = 0; i < c->nev; i++) {
        const tev_t *e = &c->ev[i];
        h->stream = e->stream;
        if (e->len)
            stream_data(c, m, &st[e->stream], e, h, &live);
        else
            stream_close(m, &st[e->stream], h, &live);
    }
    for (i = 0; i < c->ns; i++) {
        h->stream = i;
        stream_close(m, &st[i], h, &live);
    }
    free(st);
}

/* Run 0 checks (collects the pairs), runs 1..n are timed. */
static void run_mode(const corpus_t *c, hsmode_t *m, int run)
{
    hitctx_t h = {0, run ? NULL : &m->pairs, 0};
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);

    m->scanned = 0;
    m->peak_live = 0;
    if (m->stream)
        run_stream(c, m, &h);
    else
        run_block(c, m, &h);
    m->wall[run] = clock_s(CLOCK_MONOTONIC) - w0;
    m->cpu[run] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    m->hits = h.hits;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
    double s[MAX_RUNS];

    memcpy(s, v, (size_t)n * sizeof(*s));
    qsort(s, (size_t)n, sizeof(*s), dbl_cmp);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* ---- reports --------------------------------------------------------------------------------- */

static void report_capture(const corpus_t *c)
{
    uint32_t i, with_data = 0;
    char a[32];

    for (i = 0; i < c->ns; i++)
        with_data += c->s[i].len > 0;
    printf("\ncapture: %llu packets, %llu TCP; %u directions with in-order data, %llu segments, "
           "%llu bytes (%s) fed to both modes\n", (unsigned long long)c->pkts,
           (unsigned long long)c->tcp_pkts, with_data, (unsigned long long)c->segs,
           (unsigned long long)c->bytes, human((double)c->bytes, a, sizeof(a)));
    printf("  left out: %llu bytes after a gap (out of order or lost), %llu repeated, %llu after "
           "FIN/RST; %llu snaplen-cut packets, %llu fragments\n",
           (unsigned long long)c->gap_bytes, (unsigned long long)c->old_bytes,
           (unsigned long long)c->closed_bytes, (unsigned long long)c->cut_pkts,
           (unsigned long long)c->frags);
}

static void report_modes(const corpus_t *c, hsmode_t *m, int nm, int runs)
{
    char a[32];
    int i;

    printf("\nscan over the same bytes, median of %d timed runs (a checking run before them)\n",
           runs);
    printf("  %-22s %12s %7s %7s %7s %7s %7s %9s %8s %5s %6s %10s\n", "mode", "bytes scanned",
           "rescan", "wall s", "cpu s", "Gb/s w", "Gb/s c", "callbacks", "pairs", "fails", "peak",
           "peak state");
    for (i = 0; i < nm; i++) {
        double w = median(m[i].wall + 1, runs), cp = median(m[i].cpu + 1, runs);
        double bits = (double)c->bytes * 8;
        printf("  %-22s %12llu %6.1f%% %7.3f %7.3f %7.2f %7.2f %9llu %8zu %5llu %6u %10s\n",
               m[i].name, (unsigned long long)m[i].scanned,
               100.0 * (double)(m[i].scanned - c->bytes) / (double)c->bytes, w, cp,
               bits / w / 1e9, bits / cp / 1e9, (unsigned long long)m[i].hits, m[i].pairs.n,
               (unsigned long long)m[i].fails, m[i].peak_live,
               m[i].stream ? human((double)m[i].peak_live * (double)m[i].db->stream_size, a,
                                   sizeof(a))
                           : "-");
    }
    printf("  (rescan: bytes scanned beyond the new ones; Gb/s: new payload bits / wall or "
           "process CPU time;\n   pairs: distinct (direction, pattern) found; peak: streams open "
           "at once in the run, closed at FIN/RST or the end)\n");
    for (i = 1; i < nm; i++)
        printf("  pairs %s has and %s lacks: %zu; the reverse: %zu\n", m[0].name, m[i].name,
               set_minus(&m[0].pairs, &m[i].pairs), set_minus(&m[i].pairs, &m[0].pairs));
    for (i = 0; i < nm; i++)
        if (m[i].comp_n)
            printf("  %s: hs_compress_stream at close: mean %.0f B, max %llu B\n", m[i].name,
                   (double)m[i].comp_sum / (double)m[i].comp_n, (unsigned long long)m[i].comp_max);
}

static void report_peaks(const corpus_t *c, const hsdb_t *sm, const hsdb_t *nosm)
{
    uint32_t p[2] = {peak_streams(c, 1), peak_streams(c, 0)};
    static const char *const what[2] = {"first to last data byte",
                                        "flow-table model (FIN/RST, else 600 s idle)"};
    char a[32], b[32];
    int i;

    printf("\nstreams alive at once, from the capture's timestamps\n");
    for (i = 0; i < 2; i++)
        printf("  %-46s %8u streams: %10s with SINGLEMATCH, %10s without\n", what[i], p[i],
               human((double)p[i] * (double)sm->stream_size, a, sizeof(a)),
               human((double)p[i] * (double)nosm->stream_size, b, sizeof(b)));
}

/* ---- main ------------------------------------------------------------------------------------ */

static void bench_capture(const char *path, const kn_pf_t *pf, hsdb_t *db, int runs)
{
    corpus_t c;
    hsmode_t m[5];
    int r, i;
    double t0 = clock_s(CLOCK_MONOTONIC);

    memset(&c, 0, sizeof(c));
    memset(m, 0, sizeof(m));
    load_capture(&c, path);
    printf("\n%s read in %.2f s\n", path, clock_s(CLOCK_MONOTONIC) - t0);
    report_capture(&c);
    m[0] = (hsmode_t){.name = "block (maxlen-1 back)", .db = &db[0], .back = pf->maxlen - 1};
    m[1] = (hsmode_t){.name = "stream SINGLEMATCH", .db = &db[1], .stream = 1};
    m[2] = (hsmode_t){.name = "stream all matches", .db = &db[2], .stream = 1};
    /* a reference, not a design: what the rescan costs, and what skipping it misses */
    m[3] = (hsmode_t){.name = "block, new bytes only", .db = &db[0], .back = 0};
    /* block mode with a shorter look-back: the longest pattern sets it, so cut the patterns */
    m[4] = (hsmode_t){.name = "block, cut to " STR(CUT) " B", .db = &db[3],
                      .back = (pf->maxlen > CUT ? CUT : pf->maxlen) - 1u};
    for (r = 0; r <= runs; r++) /* interleaved, so that drift on a shared machine hits all */
        for (i = 0; i < 5; i++)
            run_mode(&c, &m[i], r);
    report_modes(&c, m, 5, runs);
    report_peaks(&c, &db[1], &db[2]);
    for (i = 0; i < 5; i++)
        free(m[i].pairs.v);
    corpus_free(&c);
}

static void usage(void)
{
    fprintf(stderr, "usage: hsinfo [-c classification.config] [-r capture.pcap] [-n runs] "
                    "rules.rules...\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *classfile = NULL, *pcapfile = NULL;
    int opt, runs = 3, i;
    kn_ruleset_t *rs;
    const kn_pf_t *pf;
    hsdb_t db[4];

    while ((opt = getopt(argc, argv, "c:r:n:")) != -1) {
        if (opt == 'c')
            classfile = optarg;
        else if (opt == 'r')
            pcapfile = optarg;
        else if (opt == 'n' && (runs = (int)strtol(optarg, NULL, 10)) >= 1 && runs < MAX_RUNS)
            continue;
        else
            usage();
    }
    if (optind >= argc)
        usage();
    printf("Hyperscan %s\n", hs_version());
    rs = load_rules(classfile, argv + optind, argc - optind);
    report_databases(rs->detect);
    pf = &rs->detect->pf[KN_PC_TCP];
    if (!pf->npat)
        die("no tcp-stream patterns in this rule set");
    if (hsdb_compile(pf, HS_MODE_BLOCK, HS_FLAG_SINGLEMATCH, 0, &db[0]) != 0 ||
        hsdb_compile(pf, HS_MODE_STREAM, HS_FLAG_SINGLEMATCH, 0, &db[1]) != 0 ||
        hsdb_compile(pf, HS_MODE_STREAM, 0, 0, &db[2]) != 0 ||
        hsdb_compile(pf, HS_MODE_BLOCK, HS_FLAG_SINGLEMATCH, CUT, &db[3]) != 0)
        die("tcp-stream compile failed");
    printf("\ntcp-stream patterns in streaming mode (%u patterns, longest %u bytes)\n", pf->npat,
           pf->maxlen);
    printf("  %-26s %10s %9s %10s %11s %11s %11s\n", "", "db size", "compile s", "B/stream",
           "10k x 2", "100k x 2", "1M x 2");
    report_stream_db("stream, SINGLEMATCH", &db[1]);
    report_stream_db("stream, all matches", &db[2]);
    report_cut(pf, &db[3]);
    if (pcapfile)
        bench_capture(pcapfile, pf, db, runs);
    for (i = 0; i < 4; i++)
        hsdb_free(&db[i]);
    kn_ruleset_free(rs);
    return 0;
}
