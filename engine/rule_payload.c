/* rule_payload.c: the payload keywords: content and its modifiers, sticky buffers, legacy
 * modifiers, transforms, pcre, byte_test/jump/extract/math, isdataat, bsize, base64.
 *
 * Items go to the list of the buffer in effect (the last sticky buffer, else the payload); a
 * legacy modifier moves the content before it to its buffer, as Snort rules expect. */
#include "rule_private.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <stdio.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "buffers.h"
#include "hexfmt.h"

/* ---- lists --------------------------------------------------------------------------------- */

static int new_list(kn_rparse_t *ps, int buf)
{
    kn_sig_t *s = ps->s;
    kn_smlist_t *nl;

    if (s->nlists == 255)
        return -1;
    if (!(nl = realloc(s->lists, (s->nlists + 1u) * sizeof(*nl))))
        return -1;
    s->lists = nl;
    memset(&nl[s->nlists], 0, sizeof(*nl));
    nl[s->nlists].buf = (uint16_t)buf;
    return s->nlists++;
}

/* The current list: the one the sticky buffer opened, or an existing list of the buffer with no
 * transforms, or a new one. */
static int current_list(kn_rparse_t *ps)
{
    kn_sig_t *s = ps->s;
    int i;

    if (ps->cur_list >= 0)
        return ps->cur_list;
    for (i = 0; i < s->nlists; i++)
        if (s->lists[i].buf == ps->cur_buf && s->lists[i].nxforms == 0)
            return ps->cur_list = i;
    return ps->cur_list = new_list(ps, ps->cur_buf);
}

kn_smlist_t *kn_sig_list(kn_rparse_t *ps, int buf)
{
    int saved = ps->cur_buf, saved_list = ps->cur_list, i;

    ps->cur_buf = buf;
    ps->cur_list = -1;
    i = current_list(ps);
    ps->cur_buf = saved;
    ps->cur_list = saved_list;
    return i < 0 ? NULL : &ps->s->lists[i];
}

static kn_sm_t *add_to_list(kn_rparse_t *ps, int li, int type)
{
    kn_smlist_t *l = &ps->s->lists[li];
    kn_sm_t *sm;

    if (l->n == l->cap) {
        uint16_t cap = l->cap ? (uint16_t)(l->cap * 2) : 4;
        kn_sm_t *ns = realloc(l->sm, cap * sizeof(*ns));
        if (!ns)
            return NULL;
        l->sm = ns;
        l->cap = cap;
    }
    sm = &l->sm[l->n];
    memset(sm, 0, sizeof(*sm));
    sm->type = (uint8_t)type;
    ps->last_list = li;
    ps->last_sm = l->n++;
    if (type == KN_SM_CONTENT) {
        ps->last_content_list = li;
        ps->last_content_sm = ps->last_sm;
    }
    return sm;
}

kn_sm_t *kn_sig_add_sm(kn_rparse_t *ps, int buf, int type)
{
    int li;

    if (buf == ps->cur_buf)
        li = current_list(ps);
    else {
        kn_smlist_t *l = kn_sig_list(ps, buf);
        li = l ? (int)(l - ps->s->lists) : -1;
    }
    return li < 0 ? NULL : add_to_list(ps, li, type);
}

/* The buffer an item goes to: a relative item right after `content:"x"; http_header;` is
 * relative to that content, so it joins the content's buffer (as Suricata places it) instead
 * of the payload. */
static int item_buf(const kn_rparse_t *ps, int relative)
{
    int lc = ps->last_content_list;

    if (relative && ps->cur_buf == KN_BUF_PAYLOAD && lc >= 0 &&
        ps->s->lists[lc].buf != KN_BUF_PAYLOAD && !ps->s->lists[lc].nxforms)
        return ps->s->lists[lc].buf;
    return ps->cur_buf;
}

static int says_relative(const char *val)
{
    return val && strstr(val, "relative") != NULL;
}

static kn_sm_t *last_content(kn_rparse_t *ps)
{
    if (ps->last_content_list < 0)
        return NULL;
    return &ps->s->lists[ps->last_content_list].sm[ps->last_content_sm];
}

/* ---- numbers and variables ----------------------------------------------------------------- */

static int var_index(kn_rparse_t *ps, const char *name)
{
    int i;

    for (i = 0; i < ps->s->nvars; i++)
        if (strcmp(ps->var_names[i], name) == 0)
            return i;
    return -1;
}

/* A number or the name of a byte_extract/byte_math variable defined earlier. */
static int parse_val(kn_rparse_t *ps, const char *s, int64_t lo, int64_t hi, kn_val_t *out)
{
    int64_t v;

    out->var = -1;
    if (kn_parse_i64(s, lo, hi, &v) == 0) {
        out->v = (int32_t)v;
        return 0;
    }
    if ((out->var = (int8_t)var_index(ps, s)) < 0)
        return kn_kw_fail(ps, "'%.40s' is neither a number in %lld..%lld nor a variable", s,
                          (long long)lo, (long long)hi);
    out->v = 0;
    return 0;
}

/* ---- content ------------------------------------------------------------------------------- */

/* "abc|0d 0a|\;def" -> bytes. */
static int content_bytes(kn_rparse_t *ps, const char *v, uint8_t **out, uint16_t *outlen)
{
    size_t cap = strlen(v) + 1, n = 0;
    uint8_t *b = malloc(cap);
    int hex = 0, hi = -1;

    if (!b)
        return kn_kw_fail(ps, "out of memory");
    for (; *v; v++) {
        if (*v == '|') {
            if (hi >= 0)
                goto bad_hex;
            hex = !hex;
            continue;
        }
        if (hex) {
            int d;
            if (isspace((unsigned char)*v))
                continue;
            if ((d = kn_hexval((unsigned char)*v)) < 0)
                goto bad_hex;
            if (hi < 0) {
                hi = d;
            } else {
                b[n++] = (uint8_t)(hi << 4 | d);
                hi = -1;
            }
            continue;
        }
        if (*v == '"') { /* Suricata: "Invalid unescaped double quote within content" */
            free(b);
            return kn_kw_fail(ps, "content: a '\"' inside the value must be written \\\" or |22|");
        }
        if (*v == '\\') {
            if (!v[1] || !strchr("\"\\;:", v[1])) {
                free(b);
                return kn_kw_fail(ps, "content: '\\%c' is not an escape (use \\\" \\\\ \\; \\:)",
                                  v[1] ? v[1] : ' ');
            }
            v++;
        }
        b[n++] = (uint8_t)*v;
    }
    if (hex)
        goto bad_hex;
    if (n == 0 || n > 65535) {
        free(b);
        return kn_kw_fail(ps, "content must hold 1 to 65535 bytes");
    }
    *out = b;
    *outlen = (uint16_t)n;
    return KN_KW_OK;
bad_hex:
    free(b);
    return kn_kw_fail(ps, "content: malformed |hex| section");
}

static int add_content(kn_rparse_t *ps, const char *val, int buf)
{
    kn_sm_t *sm;
    uint8_t *pat = NULL;
    uint16_t len = 0;
    int neg = val[0] == '!';

    if (content_bytes(ps, val + neg, &pat, &len) != KN_KW_OK)
        return KN_KW_FAIL;
    if (!(sm = kn_sig_add_sm(ps, buf, KN_SM_CONTENT))) {
        free(pat);
        return kn_kw_fail(ps, "out of memory");
    }
    sm->flags = neg ? KN_SMF_NEGATED : 0;
    sm->u.content.pat = pat;
    sm->u.content.len = len;
    sm->u.content.offset.var = sm->u.content.depth.var = -1;
    sm->u.content.distance.var = sm->u.content.within.var = -1;
    return KN_KW_OK;
}

static int kw_content(kn_rparse_t *ps, const char *val)
{
    return add_content(ps, val, ps->cur_buf);
}

static int kw_uricontent(kn_rparse_t *ps, const char *val)
{
    return add_content(ps, val, KN_BUF_HTTP_URI);
}

static int modifier_target(kn_rparse_t *ps, const char *kw, kn_sm_t **sm)
{
    if (!(*sm = last_content(ps)))
        return kn_kw_fail(ps, "'%s' needs a content before it", kw);
    return KN_KW_OK;
}

static int kw_nocase(kn_rparse_t *ps, const char *val)
{
    kn_sm_t *sm;

    (void)val;
    if (modifier_target(ps, "nocase", &sm) != KN_KW_OK)
        return KN_KW_FAIL;
    sm->flags |= KN_SMF_NOCASE;
    return KN_KW_OK;
}

static int kw_rawbytes(kn_rparse_t *ps, const char *val)
{
    kn_sm_t *sm;

    (void)val;
    if (modifier_target(ps, "rawbytes", &sm) != KN_KW_OK)
        return KN_KW_FAIL;
    sm->flags |= KN_SMF_RAWBYTES;
    return KN_KW_OK;
}

/* depth, offset, distance, within: which field and which flag. */
static int positional(kn_rparse_t *ps, const char *kw, const char *val, int which)
{
    static const uint16_t flag[] = {KN_SMF_HAS_DEPTH, KN_SMF_HAS_OFFSET, KN_SMF_HAS_DISTANCE,
                                    KN_SMF_HAS_WITHIN};
    kn_sm_t *sm;
    kn_val_t *f;

    if (modifier_target(ps, kw, &sm) != KN_KW_OK)
        return KN_KW_FAIL;
    f = which == 0 ? &sm->u.content.depth
        : which == 1 ? &sm->u.content.offset
        : which == 2 ? &sm->u.content.distance
                     : &sm->u.content.within;
    if (sm->flags & flag[which])
        return kn_kw_fail(ps, "'%s' given twice for one content", kw);
    if (parse_val(ps, val, which == 2 ? -65535 : 0, 65535, f) != 0)
        return KN_KW_FAIL;
    if (which == 0 && f->var < 0 && f->v < (int32_t)sm->u.content.len)
        return kn_kw_fail(ps, "depth %d is smaller than the content (%u bytes)", f->v,
                          sm->u.content.len);
    if (which == 3 && f->var < 0 && f->v < (int32_t)sm->u.content.len)
        return kn_kw_fail(ps, "within %d is smaller than the content (%u bytes)", f->v,
                          sm->u.content.len);
    sm->flags |= flag[which];
    if (which >= 2)
        sm->flags |= KN_SMF_RELATIVE;
    if ((sm->flags & (KN_SMF_HAS_DEPTH | KN_SMF_HAS_OFFSET)) &&
        (sm->flags & (KN_SMF_HAS_DISTANCE | KN_SMF_HAS_WITHIN)))
        return kn_kw_fail(ps, "a content cannot be both absolute (depth/offset) and relative "
                              "(distance/within)");
    return KN_KW_OK;
}

static int kw_depth(kn_rparse_t *ps, const char *v) { return positional(ps, "depth", v, 0); }
static int kw_offset(kn_rparse_t *ps, const char *v) { return positional(ps, "offset", v, 1); }
static int kw_distance(kn_rparse_t *ps, const char *v) { return positional(ps, "distance", v, 2); }
static int kw_within(kn_rparse_t *ps, const char *v) { return positional(ps, "within", v, 3); }

static int kw_startswith(kn_rparse_t *ps, const char *val)
{
    kn_sm_t *sm;

    (void)val;
    if (modifier_target(ps, "startswith", &sm) != KN_KW_OK)
        return KN_KW_FAIL;
    if (sm->flags & (KN_SMF_HAS_DEPTH | KN_SMF_HAS_OFFSET | KN_SMF_RELATIVE))
        return kn_kw_fail(ps, "startswith cannot be combined with depth, offset, distance or "
                              "within");
    sm->flags |= KN_SMF_STARTSWITH | KN_SMF_HAS_DEPTH | KN_SMF_HAS_OFFSET;
    sm->u.content.depth.v = sm->u.content.len;
    return KN_KW_OK;
}

static int kw_endswith(kn_rparse_t *ps, const char *val)
{
    kn_sm_t *sm;

    (void)val;
    if (modifier_target(ps, "endswith", &sm) != KN_KW_OK)
        return KN_KW_FAIL;
    sm->flags |= KN_SMF_ENDSWITH;
    return KN_KW_OK;
}

static int kw_fast_pattern(kn_rparse_t *ps, const char *val)
{
    kn_sm_t *sm;
    char buf[64], *parts[2];
    int64_t off, len;

    if (modifier_target(ps, "fast_pattern", &sm) != KN_KW_OK)
        return KN_KW_FAIL;
    if (sm->flags & KN_SMF_NEGATED) /* Suricata loads it; kanshi picks another pattern */
        return KN_KW_OK;
    sm->flags |= KN_SMF_FAST_PATTERN;
    if (!val || !*val)
        return KN_KW_OK;
    if (strcmp(val, "only") == 0) {
        sm->flags |= KN_SMF_FP_ONLY;
        return KN_KW_OK;
    }
    snprintf(buf, sizeof(buf), "%s", val);
    if (kn_split(buf, parts, 2) != 2 || kn_parse_i64(parts[0], 0, 65535, &off) ||
        kn_parse_i64(parts[1], 1, 65535, &len) || off + len > sm->u.content.len)
        return kn_kw_fail(ps, "fast_pattern: expected 'only' or OFFSET,LENGTH within the "
                              "content");
    sm->flags |= KN_SMF_FP_CHOP;
    sm->u.content.fp_off = (uint16_t)off;
    sm->u.content.fp_len = (uint16_t)len;
    return KN_KW_OK;
}

/* ---- buffers ------------------------------------------------------------------------------- */

int kn_kw_sticky(kn_rparse_t *ps, int buf)
{
    ps->cur_buf = buf;
    ps->cur_list = -1;
    return KN_KW_OK;
}

static int kw_pkt_data(kn_rparse_t *ps, const char *val)
{
    (void)val;
    return kn_kw_sticky(ps, KN_BUF_PAYLOAD);
}

/* content:"x"; http_uri;  the content moves to the buffer's list (it must be the last item of
 * the payload list). */
int kn_kw_modifier(kn_rparse_t *ps, int buf)
{
    kn_smlist_t *from, *to;
    kn_sm_t sm;
    int li;

    if (ps->last_content_list < 0 || ps->last_list != ps->last_content_list ||
        ps->last_sm != ps->last_content_sm)
        return kn_kw_fail(ps, "'%s' must follow a content", kn_buffer_info(buf)->modifier);
    from = &ps->s->lists[ps->last_content_list];
    if (from->buf != KN_BUF_PAYLOAD || from->nxforms)
        return kn_kw_fail(ps, "'%s' cannot apply to a content of a sticky buffer",
                          kn_buffer_info(buf)->modifier);
    sm = from->sm[ps->last_content_sm];
    from->n--;
    if (!(to = kn_sig_list(ps, buf)))
        return kn_kw_fail(ps, "out of memory");
    li = (int)(to - ps->s->lists);
    if (!add_to_list(ps, li, KN_SM_CONTENT))
        return kn_kw_fail(ps, "out of memory");
    ps->s->lists[li].sm[ps->last_sm] = sm;
    return KN_KW_OK;
}

static int kw_transform(kn_rparse_t *ps, int xf)
{
    int li = current_list(ps);
    kn_smlist_t *l;

    if (li < 0)
        return kn_kw_fail(ps, "out of memory");
    l = &ps->s->lists[li];
    if (l->n > 0) { /* transforms come first: start a list of their own */
        ps->cur_list = -1;
        if ((li = new_list(ps, ps->cur_buf)) < 0)
            return kn_kw_fail(ps, "out of memory");
        ps->cur_list = li;
        l = &ps->s->lists[li];
    }
    if (l->nxforms == KN_MAX_TRANSFORMS)
        return kn_kw_fail(ps, "more than %d transforms on one buffer", KN_MAX_TRANSFORMS);
    l->xforms[l->nxforms++] = (uint8_t)xf;
    return KN_KW_OK;
}

#define XF(fn, id)                                                                                 \
    static int fn(kn_rparse_t *ps, const char *val)                                                \
    {                                                                                              \
        (void)val;                                                                                 \
        return kw_transform(ps, id);                                                               \
    }
XF(kw_to_lowercase, KN_XF_TO_LOWERCASE)
XF(kw_to_uppercase, KN_XF_TO_UPPERCASE)
XF(kw_strip_whitespace, KN_XF_STRIP_WHITESPACE)
XF(kw_compress_whitespace, KN_XF_COMPRESS_WHITESPACE)
XF(kw_url_decode, KN_XF_URL_DECODE)
XF(kw_dotprefix, KN_XF_DOTPREFIX)
XF(kw_header_lowercase, KN_XF_HEADER_LOWERCASE)
XF(kw_strip_pseudo_headers, KN_XF_STRIP_PSEUDO_HEADERS)
XF(kw_to_md5, KN_XF_TO_MD5)
XF(kw_to_sha1, KN_XF_TO_SHA1)
XF(kw_to_sha256, KN_XF_TO_SHA256)
#undef XF

/* ---- pcre ---------------------------------------------------------------------------------- */

/* Suricata's buffer flags of pcre ("/x/U"): the buffer the expression applies to. */
static int pcre_buffer_flag(char c)
{
    switch (c) {
    case 'U': return KN_BUF_HTTP_URI;
    case 'I': return KN_BUF_HTTP_URI_RAW;
    case 'P': return KN_BUF_HTTP_REQUEST_BODY;
    case 'Q': return KN_BUF_HTTP_RESPONSE_BODY;
    case 'H': return KN_BUF_HTTP_HEADER;
    case 'D': return KN_BUF_HTTP_HEADER_RAW;
    case 'M': return KN_BUF_HTTP_METHOD;
    case 'C': return KN_BUF_HTTP_COOKIE;
    case 'S': return KN_BUF_HTTP_STAT_CODE;
    case 'Y': return KN_BUF_HTTP_STAT_MSG;
    case 'V': return KN_BUF_HTTP_USER_AGENT;
    case 'W': return KN_BUF_HTTP_HOST;
    case 'Z': return KN_BUF_HTTP_HOST_RAW;
    default: return -1;
    }
}

static int pcre_flags(kn_rparse_t *ps, const char *f, uint32_t *copts, uint32_t *opts, int *buf)
{
    int b;

    for (; *f; f++) {
        switch (*f) {
        case 'i': *copts |= PCRE2_CASELESS; break;
        case 's': *copts |= PCRE2_DOTALL; break;
        case 'm': *copts |= PCRE2_MULTILINE; break;
        case 'x': *copts |= PCRE2_EXTENDED; break;
        case 'A': *copts |= PCRE2_ANCHORED; *opts |= KN_PCRE_ANCHOR_START; break;
        case 'E': *copts |= PCRE2_DOLLAR_ENDONLY; break;
        case 'G': *copts |= PCRE2_UNGREEDY; break;
        case 'R': *opts |= KN_PCRE_RELATIVE; break;
        case 'B': case 'O': break; /* rawbytes; match-limit override */
        default:
            if ((b = pcre_buffer_flag(*f)) < 0)
                return kn_kw_fail(ps, "pcre: unknown flag '%c'", *f);
            if (*buf != ps->cur_buf && *buf != b)
                return kn_kw_fail(ps, "pcre: two buffer flags");
            if (ps->cur_buf == KN_BUF_FILE_DATA && b == KN_BUF_HTTP_RESPONSE_BODY)
                b = KN_BUF_FILE_DATA; /* Suricata treats the HTTP response body as file.data */
            if (ps->cur_buf != KN_BUF_PAYLOAD && b != ps->cur_buf) /* as Suricata */
                return kn_kw_fail(ps, "pcre: flag '%c' names another buffer than the sticky "
                                      "buffer in effect", *f);
            *buf = b;
        }
    }
    return KN_KW_OK;
}

static int kw_pcre(kn_rparse_t *ps, const char *val)
{
    int neg = val[0] == '!', buf = ps->cur_buf, errcode;
    const char *re = val + neg, *close;
    uint32_t copts = 0, opts = 0;
    PCRE2_SIZE erroff;
    pcre2_code *code;
    kn_sm_t *sm;

    while (isspace((unsigned char)*re))
        re++;
    if (*re != '/' || !(close = strrchr(re, '/')) || close == re)
        return kn_kw_fail(ps, "pcre must be \"/expression/flags\"");
    if (pcre_flags(ps, close + 1, &copts, &opts, &buf) != KN_KW_OK)
        return KN_KW_FAIL;
    code = pcre2_compile((PCRE2_SPTR)(re + 1), (PCRE2_SIZE)(close - re - 1), copts, &errcode,
                         &erroff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(errcode, msg, sizeof(msg));
        return kn_kw_fail(ps, "pcre: %s at offset %zu", (char *)msg, (size_t)erroff);
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* a plain interpreter run if JIT is absent */
    if (buf == ps->cur_buf)
        buf = item_buf(ps, (opts & KN_PCRE_RELATIVE) != 0);
    if (!(sm = kn_sig_add_sm(ps, buf, KN_SM_PCRE))) {
        pcre2_code_free(code);
        return kn_kw_fail(ps, "out of memory");
    }
    sm->flags = (uint16_t)((neg ? KN_SMF_NEGATED : 0) |
                           ((opts & KN_PCRE_RELATIVE) ? KN_SMF_RELATIVE : 0));
    sm->u.pcre.re = code;
    sm->u.pcre.opts = opts;
    return KN_KW_OK;
}

/* ---- byte_* -------------------------------------------------------------------------------- */

/* The options byte_test, byte_jump and byte_extract share. Returns 1 if taken. */
static int byte_common_opt(kn_rparse_t *ps, kn_bytes_t *b, const char *o)
{
    int64_t v;

    if (strcmp(o, "relative") == 0)
        b->flags |= KN_BYTE_RELATIVE;
    else if (strcmp(o, "little") == 0)
        b->flags |= KN_BYTE_LITTLE;
    else if (strcmp(o, "big") == 0)
        b->flags &= (uint16_t)~KN_BYTE_LITTLE;
    else if (strcmp(o, "dce") == 0)
        b->flags |= KN_BYTE_DCE;
    else if (strcmp(o, "string") == 0) {
        b->flags |= KN_BYTE_STRING;
        if (!b->base)
            b->base = 10;
    } else if (strcmp(o, "hex") == 0)
        b->base = 16;
    else if (strcmp(o, "dec") == 0)
        b->base = 10;
    else if (strcmp(o, "oct") == 0)
        b->base = 8;
    else if (strncmp(o, "bitmask", 7) == 0 && kn_parse_i64(kn_trim((char *)o + 7), 1,
                                                           0xffffffffLL, &v) == 0) {
        b->flags |= KN_BYTE_BITMASK;
        b->bitmask = (uint32_t)v;
    } else
        return 0;
    (void)ps;
    return 1;
}

static int byte_check(kn_rparse_t *ps, const char *kw, kn_bytes_t *b)
{
    int max = (b->flags & KN_BYTE_STRING) ? 23 : 8;

    /* 0 bytes: byte_jump moves by its post_offset alone; a string byte_test loads (Suricata
     * takes it; ET has such rules) and never matches */
    if (b->nbytes > max ||
        (b->nbytes == 0 && !(b->flags & KN_BYTE_STRING) && strcmp(kw, "byte_jump") != 0))
        return kn_kw_fail(ps, "%s: %u bytes (1 to %d%s)", kw, b->nbytes, max,
                          max == 8 ? " unless string" : "");
    if ((b->flags & KN_BYTE_STRING) && (b->flags & KN_BYTE_LITTLE))
        return kn_kw_fail(ps, "%s: string and little-endian cannot be combined", kw);
    return KN_KW_OK;
}

static kn_sm_t *byte_item(kn_rparse_t *ps, int type, const char *kw, const char *val)
{
    kn_sm_t *sm = kn_sig_add_sm(ps, item_buf(ps, says_relative(val)), type);

    if (!sm) {
        kn_kw_fail(ps, "%s: out of memory", kw);
        return NULL;
    }
    sm->u.bytes.offset.var = sm->u.bytes.value.var = sm->u.bytes.result_var = -1;
    sm->u.bytes.multiplier = 1;
    return sm;
}

/* byte_test:bytes,[!]op,value,offset[,options] */
static int kw_byte_test(kn_rparse_t *ps, const char *val)
{
    char buf[512], *p[16], *op;
    kn_sm_t *sm;
    kn_bytes_t *b;
    int n, i;
    int64_t nb;

    snprintf(buf, sizeof(buf), "%s", val);
    if ((n = kn_split(buf, p, 16)) < 4 || kn_parse_i64(p[0], 0, 64, &nb))
        return kn_kw_fail(ps, "byte_test: expected bytes,operator,value,offset[,options]");
    if (!(sm = byte_item(ps, KN_SM_BYTE_TEST, "byte_test", val)))
        return KN_KW_FAIL;
    b = &sm->u.bytes;
    b->nbytes = (uint8_t)nb;
    op = p[1];
    if (*op == '!') {
        b->flags |= KN_BYTE_NEGATE_OP;
        op++;
    }
    if (strcmp(op, "<") == 0 || strcmp(op, ">") == 0 || strcmp(op, "=") == 0 ||
        strcmp(op, "&") == 0 || strcmp(op, "^") == 0)
        b->op = *op;
    else if (strcmp(op, "<=") == 0)
        b->op = 'L';
    else if (strcmp(op, ">=") == 0)
        b->op = 'G';
    else if (strcmp(op, "!") == 0 || (op == p[1] + 1 && *op == '\0'))
        b->op = '=', b->flags |= KN_BYTE_NEGATE_OP;
    else
        return kn_kw_fail(ps, "byte_test: unknown operator '%s'", p[1]);
    if (parse_val(ps, p[2], 0, 0xffffffffLL, &b->value) ||
        parse_val(ps, p[3], -65535, 65535, &b->offset))
        return KN_KW_FAIL;
    for (i = 4; i < n; i++)
        if (!byte_common_opt(ps, b, p[i]))
            return kn_kw_fail(ps, "byte_test: unknown option '%.40s'", p[i]);
    if (b->flags & KN_BYTE_RELATIVE)
        sm->flags |= KN_SMF_RELATIVE;
    return byte_check(ps, "byte_test", b);
}

/* byte_jump:bytes,offset[,options] */
static int kw_byte_jump(kn_rparse_t *ps, const char *val)
{
    char buf[512], *p[16];
    kn_sm_t *sm;
    kn_bytes_t *b;
    int n, i;
    int64_t nb, v;

    snprintf(buf, sizeof(buf), "%s", val);
    if ((n = kn_split(buf, p, 16)) < 2 || kn_parse_i64(p[0], 0, 64, &nb))
        return kn_kw_fail(ps, "byte_jump: expected bytes,offset[,options]");
    if (!(sm = byte_item(ps, KN_SM_BYTE_JUMP, "byte_jump", val)))
        return KN_KW_FAIL;
    b = &sm->u.bytes;
    b->nbytes = (uint8_t)nb;
    if (parse_val(ps, p[1], -65535, 65535, &b->offset))
        return KN_KW_FAIL;
    for (i = 2; i < n; i++) {
        if (byte_common_opt(ps, b, p[i]))
            continue;
        if (strcmp(p[i], "align") == 0)
            b->flags |= KN_BYTE_ALIGN;
        else if (strcmp(p[i], "from_beginning") == 0)
            b->flags |= KN_BYTE_FROM_BEGINNING;
        else if (strcmp(p[i], "from_end") == 0)
            b->flags |= KN_BYTE_FROM_END;
        else if (strncmp(p[i], "multiplier", 10) == 0 &&
                 !kn_parse_i64(kn_trim(p[i] + 10), 1, 65535, &v))
            b->multiplier = (int32_t)v;
        else if (strncmp(p[i], "post_offset", 11) == 0 &&
                 !kn_parse_i64(kn_trim(p[i] + 11), -65535, 65535, &v))
            b->post_offset = (int32_t)v;
        else
            return kn_kw_fail(ps, "byte_jump: unknown option '%.40s'", p[i]);
    }
    if (b->flags & KN_BYTE_RELATIVE)
        sm->flags |= KN_SMF_RELATIVE;
    return byte_check(ps, "byte_jump", b);
}

static int new_var(kn_rparse_t *ps, const char *kw, const char *name)
{
    int v = var_index(ps, name);

    if (v >= 0)
        return v;
    if (ps->s->nvars == KN_SIG_MAX_VARS)
        return kn_kw_fail(ps, "%s: more than %d variables", kw, KN_SIG_MAX_VARS), -1;
    if (!*name || strlen(name) >= sizeof(ps->var_names[0]) || isdigit((unsigned char)*name))
        return kn_kw_fail(ps, "%s: bad variable name '%.40s'", kw, name), -1;
    snprintf(ps->var_names[ps->s->nvars], sizeof(ps->var_names[0]), "%s", name);
    return ps->s->nvars++;
}

/* byte_extract:bytes,offset,name[,options] */
static int kw_byte_extract(kn_rparse_t *ps, const char *val)
{
    char buf[512], *p[16];
    kn_sm_t *sm;
    kn_bytes_t *b;
    int n, i, var;
    int64_t nb, v;

    snprintf(buf, sizeof(buf), "%s", val);
    if ((n = kn_split(buf, p, 16)) < 3 || kn_parse_i64(p[0], 1, 64, &nb))
        return kn_kw_fail(ps, "byte_extract: expected bytes,offset,name[,options]");
    if ((var = new_var(ps, "byte_extract", p[2])) < 0)
        return KN_KW_FAIL;
    if (!(sm = byte_item(ps, KN_SM_BYTE_EXTRACT, "byte_extract", val)))
        return KN_KW_FAIL;
    b = &sm->u.bytes;
    b->nbytes = (uint8_t)nb;
    b->result_var = (int8_t)var;
    if (parse_val(ps, p[1], -65535, 65535, &b->offset))
        return KN_KW_FAIL;
    for (i = 3; i < n; i++) {
        if (byte_common_opt(ps, b, p[i]))
            continue;
        if (strncmp(p[i], "multiplier", 10) == 0 &&
            !kn_parse_i64(kn_trim(p[i] + 10), 1, 65535, &v))
            b->multiplier = (int32_t)v;
        else if (strncmp(p[i], "align", 5) == 0 && !kn_parse_i64(kn_trim(p[i] + 5), 2, 4, &v) &&
                 v != 3) /* 2 or 4, as Suricata documents */
            b->flags |= KN_BYTE_ALIGN, b->post_offset = (int32_t)v;
        else
            return kn_kw_fail(ps, "byte_extract: unknown option '%.40s'", p[i]);
    }
    if (b->flags & KN_BYTE_RELATIVE)
        sm->flags |= KN_SMF_RELATIVE;
    return byte_check(ps, "byte_extract", b);
}

/* byte_math:bytes N, offset N, oper OP, rvalue V, result NAME[, options] */
static int kw_byte_math(kn_rparse_t *ps, const char *val)
{
    char buf[512], *p[16], rv[64] = "", res[64] = "";
    kn_sm_t *sm;
    kn_bytes_t *b;
    int n, i, var;
    int64_t v;

    snprintf(buf, sizeof(buf), "%s", val);
    n = kn_split(buf, p, 16);
    if (!(sm = byte_item(ps, KN_SM_BYTE_MATH, "byte_math", val)))
        return KN_KW_FAIL;
    b = &sm->u.bytes;
    for (i = 0; i < n; i++) {
        char *sp = strchr(p[i], ' '), *arg = sp ? kn_trim(sp + 1) : (char *)"";
        if (sp)
            *sp = '\0';
        if (strcmp(p[i], "bytes") == 0 && !kn_parse_i64(arg, 1, 64, &v))
            b->nbytes = (uint8_t)v;
        else if (strcmp(p[i], "offset") == 0) {
            if (parse_val(ps, arg, -65535, 65535, &b->offset))
                return KN_KW_FAIL;
        } else if (strcmp(p[i], "oper") == 0 && strlen(arg) <= 2 && strchr("+-*/<>", arg[0]))
            b->op = arg[0];
        else if (strcmp(p[i], "rvalue") == 0)
            snprintf(rv, sizeof(rv), "%s", arg);
        else if (strcmp(p[i], "result") == 0)
            snprintf(res, sizeof(res), "%s", arg);
        else if (strcmp(p[i], "endian") == 0)
            b->flags = (uint16_t)(strcmp(arg, "little") == 0 ? b->flags | KN_BYTE_LITTLE
                                                              : b->flags & ~KN_BYTE_LITTLE);
        else if (strcmp(p[i], "string") == 0) {
            b->flags |= KN_BYTE_STRING;
            b->base = strcmp(arg, "hex") == 0 ? 16 : strcmp(arg, "oct") == 0 ? 8 : 10;
        } else if (!sp && byte_common_opt(ps, b, p[i]))
            continue;
        else if (strcmp(p[i], "bitmask") == 0 && !kn_parse_i64(arg, 1, 0xffffffffLL, &v))
            b->flags |= KN_BYTE_BITMASK, b->bitmask = (uint32_t)v;
        else
            return kn_kw_fail(ps, "byte_math: unknown option '%.40s'", p[i]);
    }
    if (!b->nbytes || !b->op || !rv[0] || !res[0])
        return kn_kw_fail(ps, "byte_math needs bytes, offset, oper, rvalue and result");
    if (parse_val(ps, rv, 0, 0xffffffffLL, &b->value))
        return KN_KW_FAIL;
    if ((var = new_var(ps, "byte_math", res)) < 0)
        return KN_KW_FAIL;
    b->result_var = (int8_t)var;
    if (b->flags & KN_BYTE_RELATIVE)
        sm->flags |= KN_SMF_RELATIVE;
    return byte_check(ps, "byte_math", b);
}

/* ---- isdataat, bsize, base64 --------------------------------------------------------------- */

static int kw_isdataat(kn_rparse_t *ps, const char *val)
{
    char buf[128], *p[3];
    int neg = val[0] == '!', n, i;
    kn_sm_t *sm;

    snprintf(buf, sizeof(buf), "%s", val + neg);
    n = kn_split(buf, p, 3);
    if (!(sm = kn_sig_add_sm(ps, item_buf(ps, says_relative(val)), KN_SM_ISDATAAT)))
        return kn_kw_fail(ps, "out of memory");
    if (parse_val(ps, p[0], 0, 65535, &sm->u.isdataat.n))
        return KN_KW_FAIL;
    sm->flags = neg ? KN_SMF_NEGATED : 0;
    for (i = 1; i < n; i++) {
        if (strcmp(p[i], "relative") == 0)
            sm->flags |= KN_SMF_RELATIVE;
        else if (strcmp(p[i], "rawbytes") != 0)
            return kn_kw_fail(ps, "isdataat: unknown option '%.40s'", p[i]);
    }
    return KN_KW_OK;
}

static int kw_bsize(kn_rparse_t *ps, const char *val)
{
    kn_sm_t *sm = kn_sig_add_sm(ps, ps->cur_buf, KN_SM_BSIZE);

    if (!sm)
        return kn_kw_fail(ps, "out of memory");
    if (kn_parse_num(val, 0xffffffffu, &sm->u.bsize) != 0)
        return kn_kw_fail(ps, "bsize: expected N, <N, >N, <=N, >=N or N<>M");
    return KN_KW_OK;
}

static int kw_base64_decode(kn_rparse_t *ps, const char *val)
{
    char buf[128], *p[3];
    kn_sm_t *sm;
    int n = 0, i;
    int64_t v;

    if (!(sm = kn_sig_add_sm(ps, item_buf(ps, says_relative(val)), KN_SM_BASE64_DECODE)))
        return kn_kw_fail(ps, "out of memory");
    if (val) {
        snprintf(buf, sizeof(buf), "%s", val);
        n = kn_split(buf, p, 3);
    }
    for (i = 0; i < n; i++) {
        char *sp = strchr(p[i], ' ');
        if (strcmp(p[i], "relative") == 0) {
            sm->flags |= KN_SMF_RELATIVE;
            continue;
        }
        if (!sp || kn_parse_i64(kn_trim(sp + 1), 0, 65535, &v))
            return kn_kw_fail(ps, "base64_decode: bad option '%.40s'", p[i]);
        *sp = '\0';
        if (strcmp(p[i], "bytes") == 0)
            sm->u.b64.bytes = (uint32_t)v;
        else if (strcmp(p[i], "offset") == 0)
            sm->u.b64.offset = (uint32_t)v;
        else
            return kn_kw_fail(ps, "base64_decode: unknown option '%.40s'", p[i]);
    }
    return KN_KW_OK;
}

static int kw_base64_data(kn_rparse_t *ps, const char *val)
{
    (void)val;
    return kn_kw_sticky(ps, KN_BUF_BASE64_DATA);
}

const kn_keyword_t kn_payload_keywords[] = {
    {"content", kw_content, KN_KWF_VALUE},
    {"uricontent", kw_uricontent, KN_KWF_VALUE},
    {"nocase", kw_nocase, KN_KWF_NO_VALUE},
    {"rawbytes", kw_rawbytes, KN_KWF_NO_VALUE},
    {"depth", kw_depth, KN_KWF_VALUE},
    {"offset", kw_offset, KN_KWF_VALUE},
    {"distance", kw_distance, KN_KWF_VALUE},
    {"within", kw_within, KN_KWF_VALUE},
    {"startswith", kw_startswith, KN_KWF_NO_VALUE},
    {"endswith", kw_endswith, KN_KWF_NO_VALUE},
    {"fast_pattern", kw_fast_pattern, 0},
    {"pkt_data", kw_pkt_data, KN_KWF_NO_VALUE},
    {"to_lowercase", kw_to_lowercase, KN_KWF_NO_VALUE},
    {"to_uppercase", kw_to_uppercase, KN_KWF_NO_VALUE},
    {"strip_whitespace", kw_strip_whitespace, KN_KWF_NO_VALUE},
    {"compress_whitespace", kw_compress_whitespace, KN_KWF_NO_VALUE},
    {"url_decode", kw_url_decode, KN_KWF_NO_VALUE},
    {"dotprefix", kw_dotprefix, KN_KWF_NO_VALUE},
    {"header_lowercase", kw_header_lowercase, KN_KWF_NO_VALUE},
    {"strip_pseudo_headers", kw_strip_pseudo_headers, KN_KWF_NO_VALUE},
    {"to_md5", kw_to_md5, KN_KWF_NO_VALUE},
    {"to_sha1", kw_to_sha1, KN_KWF_NO_VALUE},
    {"to_sha256", kw_to_sha256, KN_KWF_NO_VALUE},
    {"pcre", kw_pcre, KN_KWF_VALUE},
    {"byte_test", kw_byte_test, KN_KWF_VALUE},
    {"byte_jump", kw_byte_jump, KN_KWF_VALUE},
    {"byte_extract", kw_byte_extract, KN_KWF_VALUE},
    {"byte_math", kw_byte_math, KN_KWF_VALUE},
    {"isdataat", kw_isdataat, KN_KWF_VALUE},
    {"bsize", kw_bsize, KN_KWF_VALUE},
    {"base64_decode", kw_base64_decode, 0},
    {"base64_data", kw_base64_data, KN_KWF_NO_VALUE},
    {NULL, NULL, 0},
};
