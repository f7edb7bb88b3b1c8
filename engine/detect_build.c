/* detect_build.c: a parsed rule set into the structures detect.c runs.
 *
 * Signatures are put in evaluation order (pass first, then flowbits setters before their
 * readers, then priority and sid), so a flowbit set by one rule is visible to the rules after
 * it on the same packet. Each signature's fast pattern (its fast_pattern content, else its
 * longest plain content) goes into the prefilter database of every class it inspects; rules
 * with no usable pattern are grouped by port, and rules on addresses alone are checked once
 * per flow direction. The prefilter databases are the slow part of a start; they are cached by
 * the sensor under a key that hashes exactly what goes into them, with the Hyperscan version
 * and the CPU platform. */
#include "detect.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrset.h"
#include "hexfmt.h"

#define BLOB_MAGIC "KNHSDB1"

/* Longest prefilter literal: Hyperscan refuses expressions over 16000 characters and mpm.c
 * writes each byte as \xNN, so a content of 4000 bytes or more failed the whole build. */
#define KN_PF_MAX_PATLEN 1024

int kn_idlist_add(kn_idlist_t *l, uint32_t v)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        uint32_t *nv = realloc(l->v, cap * sizeof(*nv));
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = v;
    return 0;
}

void kn_idlist_free(kn_idlist_t *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* ---- order ---------------------------------------------------------------------------------- */

static int action_rank(const kn_sig_t *s)
{
    switch (s->action) {
    case KN_ACT_PASS: return 0;
    case KN_ACT_DROP: return 1;
    case KN_ACT_REJECT: return 2;
    default: return 3;
    }
}

/* 0 sets flowbits only, 1 sets and reads, 2 reads only, 3 does not use them. */
static int flowbits_rank(const kn_sig_t *s)
{
    int set = 0, read = 0;
    uint8_t i;

    for (i = 0; i < s->nbits; i++) {
        if (s->bits[i].scope != 0)
            continue;
        if (s->bits[i].op == KN_BIT_ISSET || s->bits[i].op == KN_BIT_ISNOTSET)
            read = 1;
        else
            set = 1;
    }
    return set && !read ? 0 : set ? 1 : read ? 2 : 3;
}

static int sig_order(const void *a, const void *b)
{
    const kn_sig_t *x = *(const kn_sig_t *const *)a, *y = *(const kn_sig_t *const *)b;
    int d;

    if ((d = action_rank(x) - action_rank(y)) != 0)
        return d;
    if ((d = flowbits_rank(x) - flowbits_rank(y)) != 0)
        return d;
    if (x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    if (x->sid != y->sid)
        return x->sid < y->sid ? -1 : 1;
    return x->gid < y->gid ? -1 : x->gid > y->gid;
}

/* ---- fast pattern ---------------------------------------------------------------------------- */

/* Buffers whose contents are poor prefilters (few distinct values). */
static int buffer_rank(int buf)
{
    switch (buf) {
    case KN_BUF_HTTP_METHOD:
    case KN_BUF_HTTP_PROTOCOL:
    case KN_BUF_HTTP_STAT_CODE:
    case KN_BUF_HTTP_CONTENT_LEN:
        return 1;
    default:
        return 2;
    }
}

/* Transforms a prefilter can look through on an app-layer buffer: a match in the transformed
 * buffer implies a match of a relaxed pattern in the raw one (case folding: the pattern
 * without case; dotprefix: the pattern without its leading dot), and the candidates are
 * checked on the transformed buffer anyway. ET's 1,500 rules on `http.host; dotprefix;` or
 * `http.header.raw; header_lowercase;` need this, or they run on every transaction. */
static int relaxable(const kn_smlist_t *l)
{
    uint8_t i;

    if (l->buf == KN_BUF_PAYLOAD)
        return 0;
    for (i = 0; i < l->nxforms; i++)
        if (l->xforms[i] != KN_XF_TO_LOWERCASE && l->xforms[i] != KN_XF_TO_UPPERCASE &&
            l->xforms[i] != KN_XF_HEADER_LOWERCASE && l->xforms[i] != KN_XF_DOTPREFIX)
            return 0;
    return 1;
}

static int has_xform(const kn_smlist_t *l, int xf)
{
    uint8_t i;

    for (i = 0; i < l->nxforms; i++)
        if (l->xforms[i] == xf)
            return 1;
    return 0;
}

/* Whether a list can feed a prefilter: a payload or app-layer buffer without transforms, or
 * with ones the prefilter can look through. */
static int list_prefilters(const kn_smlist_t *l)
{
    return l->buf < KN_BUF_BASE64_DATA && l->buf != KN_BUF_FILE_NAME &&
           (!l->nxforms || relaxable(l));
}

/* A content of a dotprefix list that is the dot alone says nothing about the raw buffer. */
static int usable_fp(const kn_smlist_t *l, const kn_sm_t *sm)
{
    return !(has_xform(l, KN_XF_DOTPREFIX) && sm->u.content.len == 1 &&
             sm->u.content.pat[0] == '.');
}

/* The pattern the raw buffer must contain for the transformed one to match (relaxable()). */
static void relax(const kn_smlist_t *l, const kn_content_t *ct, kn_pfpat_t *p)
{
    if (has_xform(l, KN_XF_TO_LOWERCASE) || has_xform(l, KN_XF_TO_UPPERCASE) ||
        has_xform(l, KN_XF_HEADER_LOWERCASE))
        p->nocase = 1;
    if (has_xform(l, KN_XF_DOTPREFIX) && p->bytes == ct->pat && p->len > 1 && p->bytes[0] == '.') {
        p->bytes++;
        p->len--;
    }
}

static void choose_fast_pattern(kn_sig_t *s)
{
    int best_rank = -1, best_len = 0;
    uint8_t i;
    uint16_t k;

    for (i = 0; i < s->nlists; i++) {
        const kn_smlist_t *l = &s->lists[i];
        if (!list_prefilters(l))
            continue;
        for (k = 0; k < l->n; k++) {
            const kn_sm_t *sm = &l->sm[k];
            int rank = buffer_rank(l->buf), len;
            if (sm->type != KN_SM_CONTENT || (sm->flags & KN_SMF_NEGATED) || !usable_fp(l, sm))
                continue;
            len = sm->u.content.len;
            if (sm->flags & KN_SMF_FAST_PATTERN) {
                s->fp_list = i;
                s->fp_sm = (int16_t)k;
                return;
            }
            if (rank > best_rank || (rank == best_rank && len > best_len)) {
                best_rank = rank;
                best_len = len;
                s->fp_list = i;
                s->fp_sm = (int16_t)k;
            }
        }
    }
}

/* A rule whose buffers all exist on both sides (ssh.software, http.header) and that names no
 * direction is inspected on each side of a transaction, as in Suricata, and may alert for
 * each; one on request or response buffers alone alerts once per transaction. File conditions
 * are on the files of the side inspected, so they count as both-sided (Suricata alerts for a
 * request's upload and again for the response's download). */
static uint8_t sig_tx_per_dir(const kn_sig_t *s)
{
    uint8_t i, files = 0;

    if (s->flow & (KN_FLOWKW_TO_SERVER | KN_FLOWKW_TO_CLIENT))
        return 0;
    for (i = 0; i < s->napp; i++)
        files |= (uint8_t)kn_file_keyword_kind(s->appkw[i].kind);
    if (!s->nlists && !files)
        return 0;
    for (i = 0; i < s->nlists; i++)
        if (kn_buffer_info((kn_buf_t)s->lists[i].buf)->dir != KN_BDIR_ANY)
            return 0;
    return 1;
}

static void mark_buffers(kn_ruleset_t *rs, const kn_sig_t *s)
{
    uint8_t i;

    for (i = 0; i < s->nlists; i++)
        rs->uses_buf[s->lists[i].buf] = 1;
}

/* ---- classes ------------------------------------------------------------------------------- */

static uint8_t sig_classes(const kn_sig_t *s)
{
    switch (s->proto) {
    case KN_SP_TCP:
    case KN_SP_TCP_PKT:
    case KN_SP_TCP_STREAM:
        return 1u << KN_PC_TCP;
    case KN_SP_UDP:
        return 1u << KN_PC_UDP;
    case KN_SP_ICMP:
    case KN_SP_ICMPV4:
    case KN_SP_ICMPV6:
        return 1u << KN_PC_ICMP;
    case KN_SP_SCTP:
        return 1u << KN_PC_OTHER;
    default: /* ip, pkthdr, ipv4, ipv6 */
        return 1u << KN_PC_TCP | 1u << KN_PC_UDP | 1u << KN_PC_ICMP | 1u << KN_PC_OTHER;
    }
}

/* Whether a TCP rule reads the packet payload even when the packet is part of a session. */
static int sig_source_pkt(const kn_sig_t *s)
{
    uint8_t i;

    if (s->proto == KN_SP_TCP_PKT || (s->flow & KN_FLOWKW_NO_STREAM))
        return 1;
    for (i = 0; i < s->nhdr; i++) /* dsize is a packet's size: Suricata inspects the packet */
        if (s->hdr[i].kw == KN_HK_DSIZE)
            return 1;
    return s->proto != KN_SP_TCP && s->proto != KN_SP_TCP_STREAM;
}

/* Payload prefilter patterns are cut to their first bytes: a stream window is scanned from
 * (longest pattern - 1) bytes before its new data, so long patterns make every packet rescan
 * old bytes, while the matcher checks the whole content anyway (tools/hsinfo.md: the cut
 * takes the ET stream scan from 1.8 to 2.5 Gbit/s and finds the same rules). */
#define PF_PAYLOAD_MAXLEN 32

static int pf_add(kn_pf_t *pf, const kn_sig_t *s, int payload)
{
    const kn_sm_t *sm = &s->lists[s->fp_list].sm[s->fp_sm];
    const kn_content_t *ct = &sm->u.content;
    kn_pfpat_t *p;

    if (pf->nbuild == pf->capbuild) {
        uint32_t cap = pf->capbuild ? pf->capbuild * 2 : 64;
        kn_pfpat_t *nb = realloc(pf->build, cap * sizeof(*nb));
        if (!nb)
            return -1;
        pf->build = nb;
        pf->capbuild = cap;
    }
    p = &pf->build[pf->nbuild++];
    p->bytes = ct->pat;
    p->len = ct->len;
    if (sm->flags & KN_SMF_FP_CHOP) {
        p->bytes = ct->pat + ct->fp_off;
        p->len = ct->fp_len;
    }
    if (p->len > pf->maxlen) /* the stream rescan covers the whole pattern, as before */
        pf->maxlen = p->len;
    if (p->len > KN_PF_MAX_PATLEN) /* a prefix selects the same candidates (and a few more) */
        p->len = KN_PF_MAX_PATLEN;
    if (payload && p->len > PF_PAYLOAD_MAXLEN)
        p->len = PF_PAYLOAD_MAXLEN;
    p->nocase = (sm->flags & KN_SMF_NOCASE) != 0;
    if (s->lists[s->fp_list].nxforms)
        relax(&s->lists[s->fp_list], ct, p);
    p->sig = s->idx;
    return 0;
}

/* Signatures without a pattern: indexed by the port side that narrows them. */
static int portidx_add(kn_portidx_t *px, const kn_sig_t *s, int cls)
{
    if (cls != KN_PC_TCP && cls != KN_PC_UDP)
        return kn_idlist_add(&px->any, s->idx);
    if (s->flags & KN_SIGF_BIDIR)
        return kn_idlist_add(s->dp.any || s->sp.any ? &px->any : &px->by_dp, s->idx);
    if (!s->dp.any)
        return kn_idlist_add(&px->by_dp, s->idx);
    if (!s->sp.any)
        return kn_idlist_add(&px->by_sp, s->idx);
    return kn_idlist_add(&px->any, s->idx);
}

/* IP-only rules are filed under their narrower address set; a `<>` rule under that set on both
 * sides, since either end of a packet may be in it. */
static int place_iponly(struct kn_detect *d, const kn_sig_t *s)
{
    int side = kn_ipset_size(&s->src) <= kn_ipset_size(&s->dst) ? 0 : 1;
    const kn_ipset_t *set = side ? &s->dst : &s->src;

    if (set->any)
        return kn_idlist_add(&d->ipo_any, s->idx);
    if (kn_ipidx_add(d->ipo_build[side], set, s->idx) != 0)
        return -1;
    return (s->flags & KN_SIGF_BIDIR) ? kn_ipidx_add(d->ipo_build[!side], set, s->idx) : 0;
}

static int place_sig(struct kn_detect *d, const kn_sig_t *s)
{
    const kn_sigx_t *x = &d->x[s->idx];
    int c, has_fp = s->fp_list >= 0, buf = has_fp ? s->lists[s->fp_list].buf : -1;

    if (s->flags & KN_SIGF_IPONLY)
        return place_iponly(d, s);
    if (has_fp && buf != KN_BUF_PAYLOAD)
        return pf_add(&d->pf[KN_PF_APP(buf)], s, 0);
    if (!has_fp && ((s->flags & KN_SIGF_NEEDS_APP) || s->napp) &&
        !(s->flags & KN_SIGF_HAS_PAYLOAD))
        return kn_idlist_add(&d->app_nopattern, s->idx);
    for (c = 0; c < KN_PC_MAX; c++) {
        if (!(x->classes & (1u << c)))
            continue;
        if (!has_fp) {
            if (portidx_add(&d->idx[c], s, c) != 0)
                return -1;
            continue;
        }
        if (pf_add(&d->pf[c], s, 1) != 0)
            return -1;
        if (c == KN_PC_TCP && x->source_pkt && pf_add(&d->pf[KN_PC_TCP_PKT], s, 1) != 0)
            return -1;
    }
    return 0;
}

/* ---- suppress and threshold.config ---------------------------------------------------------- */

static int entry_applies(uint32_t gid, uint32_t sid, const kn_sig_t *s)
{
    if (gid == 0 && sid == 0)
        return 1;
    return gid == s->gid && (sid == 0 || sid == s->sid);
}

static int sig_rates(const kn_ruleset_t *rs, kn_sigx_t *x, const kn_sig_t *s)
{
    uint32_t i;

    x->th = s->has_threshold ? &s->threshold : NULL;
    for (i = 0; i < rs->nthconf; i++) { /* an entry for the sid replaces the rule's own; a
                                          * wildcard one applies to rules without one */
        const kn_thconf_t *t = &rs->thconf[i];
        if (entry_applies(t->gid, t->sid, s) && (t->sid || !s->has_threshold))
            x->th = &t->th;
    }
    for (i = 0; i < rs->nsupp; i++) {
        uint32_t *ns;
        if (!entry_applies(rs->supp[i].gid, rs->supp[i].sid, s))
            continue;
        if (!(ns = realloc(x->supp, (x->nsupp + 1u) * sizeof(*ns))))
            return -1;
        x->supp = ns;
        x->supp[x->nsupp++] = i;
    }
    return 0;
}

/* ---- patterns ------------------------------------------------------------------------------ */

static int pat_cmp(const void *a, const void *b)
{
    const kn_pfpat_t *x = a, *y = b;
    int d;

    if (x->nocase != y->nocase)
        return x->nocase - y->nocase;
    if (x->len != y->len)
        return x->len - y->len;
    if ((d = memcmp(x->bytes, y->bytes, x->len)) != 0)
        return d;
    return x->sig < y->sig ? -1 : x->sig > y->sig;
}

static int same_pat(const kn_pfpat_t *x, const kn_pfpat_t *y)
{
    return x->nocase == y->nocase && x->len == y->len && memcmp(x->bytes, y->bytes, x->len) == 0;
}

/* Sorts a class's patterns, merges equal ones and lays out pattern -> signatures. */
static int pf_layout(kn_pf_t *pf)
{
    uint32_t i, id = 0;

    if (!pf->nbuild)
        return 0;
    qsort(pf->build, pf->nbuild, sizeof(*pf->build), pat_cmp);
    pf->sigs = malloc(pf->nbuild * sizeof(*pf->sigs));
    pf->off = malloc((pf->nbuild + 1) * sizeof(*pf->off));
    if (!pf->sigs || !pf->off)
        return -1;
    for (i = 0; i < pf->nbuild; i++) {
        if (i == 0 || !same_pat(&pf->build[i], &pf->build[i - 1]))
            pf->off[id++] = i;
        pf->sigs[i] = pf->build[i].sig;
        if (pf->build[i].len > pf->maxlen)
            pf->maxlen = pf->build[i].len;
    }
    pf->off[id] = pf->nbuild;
    pf->npat = id;
    return 0;
}

static void key_update_pf(EVP_MD_CTX *md, int which, const kn_pf_t *pf)
{
    uint32_t i, hdr[3];

    for (i = 0; i < pf->npat; i++) {
        const kn_pfpat_t *p = &pf->build[pf->off[i]];
        hdr[0] = (uint32_t)which;
        hdr[1] = p->len;
        hdr[2] = p->nocase;
        EVP_DigestUpdate(md, hdr, sizeof(hdr));
        EVP_DigestUpdate(md, p->bytes, p->len);
    }
}

static int compute_key(struct kn_detect *d)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char out[32];
    uint64_t plat = kn_mpm_platform();
    const char *ver = kn_mpm_version();
    unsigned int n = 0;
    int w;

    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(md);
        return -1;
    }
    EVP_DigestUpdate(md, BLOB_MAGIC, sizeof(BLOB_MAGIC));
    EVP_DigestUpdate(md, ver, strlen(ver));
    EVP_DigestUpdate(md, &plat, sizeof(plat));
    for (w = 0; w < KN_PF_MAX; w++)
        key_update_pf(md, w, &d->pf[w]);
    EVP_DigestFinal_ex(md, out, &n);
    EVP_MD_CTX_free(md);
    kn_hex(out, sizeof(out), 0, d->key);
    return 0;
}

/* ---- preparing ----------------------------------------------------------------------------- */

static int prepare_sigs(kn_ruleset_t *rs, struct kn_detect *d)
{
    uint32_t i;

    if (rs->nsigs > 1)
        qsort(rs->sigs, rs->nsigs, sizeof(*rs->sigs), sig_order);
    free(rs->sid_slots); /* positions changed: the duplicate table is rebuilt if ever needed */
    rs->sid_slots = NULL;
    rs->sid_cap = 0;
    for (i = 0; i < rs->nsigs; i++) {
        kn_sig_t *s = rs->sigs[i];
        kn_sigx_t *x = &d->x[i];
        s->idx = i;
        if (s->fp_list < 0)
            choose_fast_pattern(s);
        x->classes = sig_classes(s);
        x->source_pkt = (uint8_t)sig_source_pkt(s);
        x->tx_per_dir = sig_tx_per_dir(s);
        mark_buffers(rs, s);
        if (s->nvars > d->maxvars)
            d->maxvars = s->nvars;
        if (sig_rates(rs, x, s) != 0 || place_sig(d, s) != 0)
            return -1;
        if (s->flags & KN_SIGF_IPONLY)
            rs->stats.iponly++;
        else if (s->flags & KN_SIGF_NEEDS_APP)
            rs->stats.app++;
        else if (s->flags & KN_SIGF_HAS_PAYLOAD)
            rs->stats.payload++;
        else
            rs->stats.other++;
    }
    return 0;
}

int kn_detect_prepare(kn_ruleset_t *rs)
{
    struct kn_detect *d;
    int w;

    if (rs->detect && rs->detect->prepared)
        return KN_OK;
    if (!(d = rs->detect = calloc(1, sizeof(*d))))
        goto oom;
    d->nsigs = rs->nsigs;
    if (!(d->x = calloc(rs->nsigs ? rs->nsigs : 1, sizeof(*d->x))) ||
        !(d->ipo_build[0] = kn_ipidx_builder_new()) || !(d->ipo_build[1] = kn_ipidx_builder_new()))
        goto oom;
    if (prepare_sigs(rs, d) != 0)
        goto oom;
    for (w = 0; w < 2; w++) {
        if (!(d->ipo[w] = kn_ipidx_build(d->ipo_build[w])))
            goto oom;
        kn_ipidx_builder_free(d->ipo_build[w]);
        d->ipo_build[w] = NULL;
    }
    for (w = 0; w < KN_PF_MAX; w++)
        if (pf_layout(&d->pf[w]) != 0)
            goto oom;
    if (compute_key(d) != 0)
        goto oom;
    d->prepared = 1;
    return KN_OK;
oom:
    kn_detect_free(rs->detect);
    rs->detect = NULL;
    snprintf(rs->build_err, sizeof(rs->build_err), "out of memory while building the rules");
    return KN_ERR;
}

const char *kn_ruleset_cache_key(kn_ruleset_t *rs)
{
    if (kn_detect_prepare(rs) != KN_OK)
        return "";
    return rs->detect->key;
}
