/* eve.c: engine events -> eve JSON lines in Suricata's schema, through json-c.
 *
 * A flow record is the hot path (one per flow), so it is not built object by object: a
 * template tree is built once per record shape (protocol class, VLAN count, tunnel, ICMP reply,
 * TCP flags seen ...) and kept, and each record only sets the values of its leaves before
 * json-c serializes the tree. Rarer events (anomalies, stats) are built fresh. Everything
 * Suricata's schema does not define goes in a top-level `kanshi` object. */
#include "eve_private.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "hexfmt.h"

static const char *const flow_states[] = {"new", "established", "closed"};
static const char *const end_reasons[] = {"", "timeout", "forced", "shutdown", "tcp_reuse"};
static const char *const tcp_states[KN_TCP_STATE_MAX] = {
    "none", "syn_sent", "syn_recv", "established", "fin_wait1", "fin_wait2",
    "time_wait", "last_ack", "close_wait", "closing", "closed"};

/* Gregorian date of a day count since 1970-01-01 (the days-to-civil conversion of proleptic
 * Gregorian calendars: 400-year eras of 146097 days), without gmtime's locking and locale. */
static void civil_date(int64_t days, int *y, unsigned *m, unsigned *d)
{
    int64_t era, yy;
    unsigned doe, yoe, doy, mp;

    days += 719468; /* shift the epoch to 0000-03-01 */
    era = (days >= 0 ? days : days - 146096) / 146097;
    doe = (unsigned)(days - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    yy = (int64_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static char *put_digits(char *p, unsigned v, int n)
{
    int i;

    for (i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

void kn_eve_timestamp(kn_time_t t, char *buf)
{
    /* a damaged capture can carry any time: keep it within years 1970..9999 */
    static const kn_time_t max = 253402300799LL * KN_USEC + 999999;
    int64_t sec, days;
    unsigned mon, day, sod;
    int year;
    char *p = buf;

    if (t < 0)
        t = 0;
    if (t > max)
        t = max;
    sec = t / KN_USEC;
    days = sec / 86400;
    sod = (unsigned)(sec % 86400);
    civil_date(days, &year, &mon, &day);
    p = put_digits(p, (unsigned)year, 4);
    *p++ = '-';
    p = put_digits(p, mon, 2);
    *p++ = '-';
    p = put_digits(p, day, 2);
    *p++ = 'T';
    p = put_digits(p, sod / 3600, 2);
    *p++ = ':';
    p = put_digits(p, sod / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, sod % 60, 2);
    *p++ = '.';
    p = put_digits(p, (unsigned)(t % KN_USEC), 6);
    memcpy(p, "+0000", 6);
}

/* kn_eve_timestamp into a caller's buffer; returns it. */
static const char *timestamp(kn_time_t t, char *buf)
{
    kn_eve_timestamp(t, buf);
    return buf;
}

void kn_eve_addr(uint8_t ip_v, const kn_addr_t *a, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    int i, n = 0;

    if (ip_v == 4) {
        for (i = 0; i < 4; i++) {
            unsigned v = a->b[i];
            if (i)
                buf[n++] = '.';
            if (v >= 100)
                buf[n++] = (char)('0' + v / 100);
            if (v >= 10)
                buf[n++] = (char)('0' + v / 10 % 10);
            buf[n++] = (char)('0' + v % 10);
        }
        buf[n] = '\0';
        return;
    }
    for (i = 0; i < 16; i += 2) {
        if (i)
            buf[n++] = ':';
        buf[n++] = hex[a->b[i] >> 4];
        buf[n++] = hex[a->b[i] & 15];
        buf[n++] = hex[a->b[i + 1] >> 4];
        buf[n++] = hex[a->b[i + 1] & 15];
    }
    buf[n] = '\0';
}

/* Protocol names as Suricata writes them (its known_proto table); others as a number. */
const char *kn_eve_proto_name(uint8_t proto, char *buf)
{
    switch (proto) {
    case 1: return "ICMP";
    case 2: return "IGMP";
    case 4: return "IPIP";
    case 6: return "TCP";
    case 17: return "UDP";
    case 41: return "IPv6";
    case 47: return "GRE";
    case 50: return "ESP";
    case 51: return "AH";
    case 58: return "IPv6-ICMP";
    case 89: return "OSPF";
    case 103: return "PIM";
    case 112: return "VRRP";
    case 132: return "SCTP";
    default:
        snprintf(buf, 8, "%u", proto);
        return buf;
    }
}

static json_object *add_str(json_object *o, const char *k)
{
    json_object *v = json_object_new_string("");
    json_object_object_add_ex(o, k, v, NEW_KEY);
    return v;
}

static json_object *add_int(json_object *o, const char *k)
{
    json_object *v = json_object_new_int64(0);
    json_object_object_add_ex(o, k, v, NEW_KEY);
    return v;
}

static void add_const(json_object *o, const char *k, const char *s)
{
    json_object_object_add_ex(o, k, json_object_new_string(s), NEW_KEY);
}

static tcp_tpl_t *tcp_template(kn_eve_t *e, unsigned shape)
{
    static const struct { uint8_t bit; const char *name; } bools[] = {
        {KN_TH_SYN, "syn"}, {KN_TH_FIN, "fin"}, {KN_TH_RST, "rst"}, {KN_TH_PSH, "psh"},
        {KN_TH_ACK, "ack"}, {KN_TH_URG, "urg"}, {KN_TH_ECE, "ecn"}, {KN_TH_CWR, "cwr"}};
    tcp_tpl_t *t = e->tcp_tpl[shape];
    size_t i;

    if (t)
        return t;
    if (!(t = calloc(1, sizeof(*t))))
        return NULL;
    t->obj = json_object_new_object();
    t->flags = add_str(t->obj, "tcp_flags");
    t->flags_ts = add_str(t->obj, "tcp_flags_ts");
    t->flags_tc = add_str(t->obj, "tcp_flags_tc");
    for (i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
        if (shape & bools[i].bit)
            json_object_object_add_ex(t->obj, bools[i].name, json_object_new_boolean(1), NEW_KEY);
    if (shape & 0x100)
        t->state = add_str(t->obj, "state");
    e->tcp_tpl[shape] = t;
    return t;
}

static unsigned flow_shape(const kn_eve_t *e, const kn_flow_info_t *fi)
{
    unsigned cls = (fi->proto == 6 || fi->proto == 17 || fi->proto == 132) ? CLS_PORTS
                   : (fi->proto == 1 || fi->proto == 58)                   ? CLS_ICMP
                                                                           : CLS_OTHER;
    unsigned tun = !fi->has_tunnel ? 0 : (fi->tunnel.sport || fi->tunnel.dport) ? 2 : 1;

    return cls | (unsigned)fi->vlan_n << 2 | tun << 4 | (unsigned)(e->live != 0) << 6 |
           (unsigned)(cls == CLS_ICMP && fi->icmp_seen[KN_TOCLIENT]) << 7 |
           (unsigned)(fi->proto == 6) << 8 | (unsigned)(fi->community_id[0] != 0) << 9 |
           (unsigned)(fi->has_spi != 0) << 10 | (unsigned)(fi->app_proto != 0) << 11 |
           (unsigned)(fi->parent_id != 0) << 12 | (unsigned)(fi->app_proto_orig != 0) << 13;
}

static void build_flow_head(flow_tpl_t *t, unsigned shape)
{
    unsigned cls = shape & 3, nvlan = (shape >> 2) & 3, tun = (shape >> 4) & 3, i;
    json_object *r = t->root, *tn, *va;

    t->ts = add_str(r, "timestamp");
    t->flow_id = add_int(r, "flow_id");
    if (shape & 0x1000)
        t->parent_id = add_int(r, "parent_id");
    if (shape & 0x40)
        t->iface = add_str(r, "in_iface");
    add_const(r, "event_type", "flow");
    if (nvlan) {
        va = json_object_new_array();
        for (i = 0; i < nvlan; i++) {
            t->vlan[i] = json_object_new_int64(0);
            json_object_array_add(va, t->vlan[i]);
        }
        json_object_object_add_ex(r, "vlan", va, NEW_KEY);
    }
    t->src_ip = add_str(r, "src_ip");
    if (cls == CLS_PORTS)
        t->src_port = add_int(r, "src_port");
    t->dest_ip = add_str(r, "dest_ip");
    if (cls == CLS_PORTS)
        t->dest_port = add_int(r, "dest_port");
    t->ip_v = add_int(r, "ip_v");
    t->proto = add_str(r, "proto");
    if (shape & 0x400)
        t->spi = add_int(r, "spi");
    if (cls == CLS_ICMP) {
        t->icmp_type = add_int(r, "icmp_type");
        t->icmp_code = add_int(r, "icmp_code");
        if (shape & 0x80) {
            t->r_icmp_type = add_int(r, "response_icmp_type");
            t->r_icmp_code = add_int(r, "response_icmp_code");
        }
    }
    if (shape & 0x800)
        t->app_proto = add_str(r, "app_proto");
    if (shape & 0x2000)
        t->app_proto_orig = add_str(r, "app_proto_orig");
    if (tun) {
        tn = json_object_new_object();
        t->t_src = add_str(tn, "src_ip");
        t->t_dst = add_str(tn, "dest_ip");
        if (tun == 2) {
            t->t_sport = add_int(tn, "src_port");
            t->t_dport = add_int(tn, "dest_port");
        }
        t->t_proto = add_str(tn, "proto");
        t->t_depth = add_int(tn, "depth");
        json_object_object_add_ex(r, "tunnel", tn, NEW_KEY);
    }
}

static flow_tpl_t *flow_template(kn_eve_t *e, unsigned shape)
{
    flow_tpl_t *t = e->flow_tpl[shape];
    json_object *f;

    if (t)
        return t;
    if (!(t = calloc(1, sizeof(*t))))
        return NULL;
    t->root = json_object_new_object();
    build_flow_head(t, shape);
    f = json_object_new_object();
    t->pkts_ts = add_int(f, "pkts_toserver");
    t->pkts_tc = add_int(f, "pkts_toclient");
    t->bytes_ts = add_int(f, "bytes_toserver");
    t->bytes_tc = add_int(f, "bytes_toclient");
    t->start = add_str(f, "start");
    t->end = add_str(f, "end");
    t->age = add_int(f, "age");
    t->state = add_str(f, "state");
    t->reason = add_str(f, "reason");
    t->alerted = json_object_new_boolean(0);
    json_object_object_add_ex(f, "alerted", t->alerted, NEW_KEY);
    json_object_object_add_ex(t->root, "flow", f, NEW_KEY);
    if (shape & 0x200)
        t->cid = add_str(t->root, "community_id");
    if (shape & 0x100) /* placeholder, replaced in place by a tcp template per record */
        json_object_object_add_ex(t->root, "tcp", json_object_new_object(), NEW_KEY);
    e->flow_tpl[shape] = t;
    return t;
}

static void set_hex2(json_object *o, uint8_t v)
{
    static const char hex[] = "0123456789abcdef";
    char b[3] = {hex[v >> 4], hex[v & 15], 0};
    json_object_set_string(o, b);
}

static void fill_tcp(kn_eve_t *e, flow_tpl_t *t, const kn_flow_info_t *fi)
{
    uint8_t all = fi->tcp_flags[0] | fi->tcp_flags[1];
    unsigned shape = all | (fi->tcp_session ? 0x100u : 0u);
    tcp_tpl_t *tt = tcp_template(e, shape);

    if (!tt)
        return;
    set_hex2(tt->flags, all);
    set_hex2(tt->flags_ts, fi->tcp_flags[KN_TOSERVER]);
    set_hex2(tt->flags_tc, fi->tcp_flags[KN_TOCLIENT]);
    if (tt->state)
        json_object_set_string(tt->state, tcp_states[fi->tcp_state]);
    json_object_object_add(t->root, "tcp", json_object_get(tt->obj));
}

static void fill_tunnel(flow_tpl_t *t, const kn_flow_info_t *fi)
{
    char a[48], pb[8];

    kn_eve_addr(fi->tunnel.ip_v, &fi->tunnel.src, a);
    json_object_set_string(t->t_src, a);
    kn_eve_addr(fi->tunnel.ip_v, &fi->tunnel.dst, a);
    json_object_set_string(t->t_dst, a);
    if (t->t_sport) {
        json_object_set_int64(t->t_sport, fi->tunnel.sport);
        json_object_set_int64(t->t_dport, fi->tunnel.dport);
    }
    json_object_set_string(t->t_proto, kn_eve_proto_name(fi->tunnel.proto, pb));
    json_object_set_int64(t->t_depth, fi->tunnel.depth);
}

static void fill_flow_head(kn_eve_t *e, flow_tpl_t *t, const kn_event_t *ev)
{
    const kn_flow_info_t *fi = ev->flow;
    char buf[48], pb[8];
    uint8_t i;

    json_object_set_string(t->ts, timestamp(ev->ts, buf));
    json_object_set_int64(t->flow_id, (int64_t)fi->flow_id);
    if (t->parent_id)
        json_object_set_int64(t->parent_id, (int64_t)fi->parent_id);
    if (t->iface)
        json_object_set_string(t->iface, fi->iface < e->n_ifaces ? e->ifaces[fi->iface] : "");
    for (i = 0; i < fi->vlan_n && i < KN_MAX_VLAN; i++)
        json_object_set_int64(t->vlan[i], fi->vlan[i]);
    kn_eve_addr(fi->ip_v, &fi->src, buf);
    json_object_set_string(t->src_ip, buf);
    kn_eve_addr(fi->ip_v, &fi->dst, buf);
    json_object_set_string(t->dest_ip, buf);
    if (t->src_port) {
        json_object_set_int64(t->src_port, fi->sp);
        json_object_set_int64(t->dest_port, fi->dp);
    }
    json_object_set_int64(t->ip_v, fi->ip_v);
    json_object_set_string(t->proto, kn_eve_proto_name(fi->proto, pb));
    if (t->spi)
        json_object_set_int64(t->spi, fi->spi);
    if (t->icmp_type) {
        int d = fi->icmp_seen[KN_TOSERVER] ? KN_TOSERVER : KN_TOCLIENT;
        json_object_set_int64(t->icmp_type, fi->icmp_type[d]);
        json_object_set_int64(t->icmp_code, fi->icmp_code[d]);
        if (t->r_icmp_type) {
            json_object_set_int64(t->r_icmp_type, fi->icmp_type[KN_TOCLIENT]);
            json_object_set_int64(t->r_icmp_code, fi->icmp_code[KN_TOCLIENT]);
        }
    }
    if (t->app_proto)
        json_object_set_string(t->app_proto, kn_app_name(fi->app_proto));
    if (t->app_proto_orig)
        json_object_set_string(t->app_proto_orig, kn_app_name(fi->app_proto_orig));
    if (t->t_src)
        fill_tunnel(t, fi);
}

void kn_eve_write(kn_eve_t *e, json_object *o)
{
    size_t len = 0;
    const char *s = json_object_to_json_string_length(o, SER_FLAGS, &len);

    if (s)
        kn_output_line(e->out, s, len);
}

static void eve_flow(kn_eve_t *e, const kn_event_t *ev)
{
    const kn_flow_info_t *fi = ev->flow;
    flow_tpl_t *t = flow_template(e, flow_shape(e, fi));
    char buf[48];

    if (!t)
        return;
    fill_flow_head(e, t, ev);
    json_object_set_int64(t->pkts_ts, (int64_t)fi->pkts[KN_TOSERVER]);
    json_object_set_int64(t->pkts_tc, (int64_t)fi->pkts[KN_TOCLIENT]);
    json_object_set_int64(t->bytes_ts, (int64_t)fi->bytes[KN_TOSERVER]);
    json_object_set_int64(t->bytes_tc, (int64_t)fi->bytes[KN_TOCLIENT]);
    json_object_set_string(t->start, timestamp(fi->start, buf));
    json_object_set_string(t->end, timestamp(fi->last, buf));
    json_object_set_int64(t->age, fi->last / KN_USEC - fi->start / KN_USEC);
    json_object_set_string(t->state, flow_states[fi->state]);
    json_object_set_string(t->reason, end_reasons[fi->end]);
    json_object_set_boolean(t->alerted, fi->alerted);
    if (t->cid)
        json_object_set_string(t->cid, fi->community_id);
    if (fi->proto == 6)
        fill_tcp(e, t, fi);
    kn_eve_write(e, t->root);
    e->written[KN_EV_FLOW]++;
}

/* Suricata's pkt_src names for where a packet came from. */
static const char *packet_source(const kn_packet_t *p)
{
    if (p->flags & KN_PKT_PSEUDO)
        return "stream (flow timeout)";
    if (p->flags & KN_PKT_REASSEMBLED)
        return "defrag";
    switch (p->tunnel) {
    case KN_TUN_NONE: return "wire/pcap";
    case KN_TUN_GRE: case KN_TUN_ERSPAN: return "gre tunnel";
    case KN_TUN_VXLAN: return "vxlan encapsulation";
    case KN_TUN_GENEVE: return "geneve encapsulation";
    case KN_TUN_TEREDO: return "teredo tunnel";
    case KN_TUN_IPIP: return p->parent && p->parent->ip_v == 6 ? "ipv6 tunnel" : "ipv4 tunnel";
    default: return "gtpu tunnel";
    }
}

/* Length of the part of a UTF-8 sequence at p[0 .. n) that is valid so far (Unicode 3.9, table
 * 3-7: the second byte's range depends on the first, which rules out overlong forms,
 * surrogates and code points above U+10FFFF); *whole tells whether it is a complete character. */
static size_t utf8_prefix(const uint8_t *p, size_t n, int *whole)
{
    uint8_t c = p[0], lo = 0x80, hi = 0xbf;
    size_t need, k;

    *whole = 1;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        need = 2;
    else if (c >= 0xe0 && c <= 0xef)
        need = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4)
        need = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    else
        need = 1, *whole = 0;
    for (k = 1; k < need && k < n && p[k] >= lo && p[k] <= hi; k++)
        lo = 0x80, hi = 0xbf;
    if (k < need)
        *whole = 0;
    return k;
}

/* Whether all of s is valid UTF-8 (the usual case: then it is written as it is). */
static int utf8_valid(kn_str_t s)
{
    size_t i, k;
    int whole = 1;

    for (i = 0; i < s.len && whole; i += k)
        k = utf8_prefix(s.p + i, s.len - i, &whole);
    return whole;
}

json_object *kn_eve_bytes(kn_str_t s)
{
    static const char hex[] = "0123456789abcdef";
    json_object *o;
    size_t i, k;
    char *buf;

    if (!s.p)
        return json_object_new_string("");
    if (utf8_valid(s))
        return json_object_new_string_len((const char *)s.p, (int)s.len);
    if (!(buf = malloc((size_t)s.len * 4 + 1)))
        return json_object_new_string("");
    for (i = k = 0; i < s.len; i++) {
        if (s.p[i] < 0x80) {
            buf[k++] = (char)s.p[i];
            continue;
        }
        buf[k++] = '\\', buf[k++] = 'x';
        buf[k++] = hex[s.p[i] >> 4], buf[k++] = hex[s.p[i] & 15];
    }
    o = json_object_new_string_len(buf, (int)k);
    free(buf);
    return o;
}

json_object *kn_eve_lossy(kn_str_t s)
{
    size_t o = 0, i = 0, k;
    int whole;
    json_object *j;
    char *out;

    if (!s.p)
        return json_object_new_string("");
    if (utf8_valid(s))
        return json_object_new_string_len((const char *)s.p, (int)s.len);
    /* each input byte yields at most 3 output bytes (U+FFFD) */
    if (!(out = malloc((size_t)s.len * 3)))
        return json_object_new_string("");
    while (i < s.len) {
        k = utf8_prefix(s.p + i, s.len - i, &whole);
        if (whole)
            memcpy(out + o, s.p + i, k), o += k;
        else
            memcpy(out + o, "\xef\xbf\xbd", 3), o += 3; /* U+FFFD for the maximal subpart */
        i += k;
    }
    j = json_object_new_string_len(out, (int)o);
    free(out);
    return j;
}

void kn_eve_add_bytes(json_object *o, const char *key, kn_str_t v)
{
    if (v.p)
        json_object_object_add_ex(o, key, kn_eve_bytes(v), NEW_KEY);
}

void kn_eve_add_bytes_list(json_object *o, const char *key, const kn_str_t *v, uint16_t n)
{
    json_object *a;
    uint16_t i;

    if (!n)
        return;
    a = json_object_new_array_ext(n);
    for (i = 0; i < n; i++)
        json_object_array_add(a, kn_eve_bytes(v[i]));
    json_object_object_add_ex(o, key, a, NEW_KEY);
}

json_object *kn_eve_hex(const uint8_t *b, size_t n, char sep)
{
    char small[200], *buf = n * 3 + 1 <= sizeof(small) ? small : malloc(n * 3 + 1);
    json_object *o;

    if (!buf)
        return json_object_new_string("");
    o = json_object_new_string(kn_hex(b, n, sep, buf));
    if (buf != small)
        free(buf);
    return o;
}

void kn_eve_add_flow_ids(json_object *o, const kn_flow_info_t *fi)
{
    json_object_object_add_ex(o, "flow_id", json_object_new_int64((int64_t)fi->flow_id), NEW_KEY);
    if (fi->parent_id)
        json_object_object_add_ex(o, "parent_id", json_object_new_int64((int64_t)fi->parent_id),
                                  NEW_KEY);
}

void kn_eve_add_vlans(json_object *o, const uint16_t *vlan, uint8_t n)
{
    json_object *va;
    uint8_t i;

    if (!n)
        return;
    va = json_object_new_array();
    for (i = 0; i < n; i++)
        json_object_array_add(va, json_object_new_int64(vlan[i]));
    json_object_object_add_ex(o, "vlan", va, NEW_KEY);
}

void kn_eve_add_endpoint(json_object *o, int dest, uint8_t ip_v, const kn_addr_t *a, int port)
{
    char buf[48];

    kn_eve_addr(ip_v, a, buf);
    json_object_object_add_ex(o, dest ? "dest_ip" : "src_ip", json_object_new_string(buf),
                              NEW_KEY);
    if (port >= 0)
        json_object_object_add_ex(o, dest ? "dest_port" : "src_port",
                                  json_object_new_int64(port), NEW_KEY);
}

/* The packet's tuple (with its flow's id when it has one), for packet-triggered events. */
void kn_eve_packet_head(kn_eve_t *e, json_object *o, const kn_event_t *ev, const char *type)
{
    const kn_packet_t *p = ev->pkt;
    char buf[48], pb[8];
    int l4 = (p->flags & KN_PKT_HAS_L4) != 0;

    json_object_object_add_ex(o, "timestamp", json_object_new_string(timestamp(ev->ts, buf)),
                              NEW_KEY);
    if (ev->flow)
        kn_eve_add_flow_ids(o, ev->flow);
    if (e->live && p->iface < e->n_ifaces)
        add_const(o, "in_iface", e->ifaces[p->iface]);
    if (p->pcap_cnt && !(p->flags & KN_PKT_PSEUDO))
        json_object_object_add_ex(o, "pcap_cnt", json_object_new_int64((int64_t)p->pcap_cnt),
                                  NEW_KEY);
    add_const(o, "event_type", type);
    kn_eve_add_vlans(o, p->vlan, p->vlan_n);
    if (p->ip_v) {
        kn_eve_add_endpoint(o, 0, p->ip_v, &p->src, l4 ? p->sport : -1);
        kn_eve_add_endpoint(o, 1, p->ip_v, &p->dst, l4 ? p->dport : -1);
        json_object_object_add_ex(o, "ip_v", json_object_new_int64(p->ip_v), NEW_KEY);
        add_const(o, "proto", kn_eve_proto_name(p->proto, pb));
        if ((p->proto == 1 || p->proto == 58) && p->l4) {
            json_object_object_add_ex(o, "icmp_type", json_object_new_int64(p->icmp_type), NEW_KEY);
            json_object_object_add_ex(o, "icmp_code", json_object_new_int64(p->icmp_code), NEW_KEY);
        }
    }
    add_const(o, "pkt_src", packet_source(p));
    if (ev->flow && ev->flow->community_id[0])
        add_const(o, "community_id", ev->flow->community_id);
}

static void eve_anomaly(kn_eve_t *e, const kn_event_t *ev)
{
    const kn_anomaly_info_t *ai = kn_anomaly_info(ev->u.anomaly.id);
    json_object *o, *a;
    char name[96];

    if (!(e->cfg->anomaly_types & (ai->layer == KN_LAYER_DECODE   ? KN_ANOMALY_DECODE
                                   : ai->layer == KN_LAYER_STREAM ? KN_ANOMALY_STREAM
                                                                  : KN_ANOMALY_APPLAYER)))
        return;
    o = json_object_new_object();
    kn_eve_packet_head(e, o, ev, "anomaly");
    a = json_object_new_object();
    add_const(a, "type", ai->layer == KN_LAYER_DECODE   ? "decode"
                         : ai->layer == KN_LAYER_STREAM ? "stream"
                                                        : "applayer");
    snprintf(name, sizeof(name), "%s%s", ai->layer == KN_LAYER_DECODE ? "decoder." : "",
             ai->name);
    add_const(a, "event", name);
    if (ai->layer == KN_LAYER_APPLAYER) {
        if (ev->flow && ev->flow->app_proto)
            add_const(a, "app_proto", kn_app_name(ev->flow->app_proto));
        add_const(a, "layer", "proto_parser");
    }
    json_object_object_add_ex(o, "anomaly", a, NEW_KEY);
    kn_eve_write(e, o);
    json_object_put(o);
    e->written[KN_EV_ANOMALY]++;
}

void kn_eve_event(const kn_event_t *ev, void *user)
{
    kn_eve_t *e = user;

    if (!e->cfg->eve_enabled)
        return;
    switch (ev->type) {
    case KN_EV_FLOW:
        if (e->cfg->eve_types & KN_EVE_FLOW)
            eve_flow(e, ev);
        break;
    case KN_EV_ANOMALY:
        if (e->cfg->eve_types & KN_EVE_ANOMALY)
            eve_anomaly(e, ev);
        break;
    case KN_EV_ALERT:
        if (e->cfg->eve_types & KN_EVE_ALERT)
            kn_eve_alert(e, ev);
        break;
    case KN_EV_APP:
        kn_eve_app(e, ev);
        break;
    case KN_EV_FILE:
        if (e->cfg->eve_types & KN_EVE_FILES)
            kn_eve_file(e, ev);
        break;
    default:
        break;
    }
}

/* Sets root[a][b]...[last] = v along a dotted path, creating the objects on the way. */
static void put_path(json_object *root, const char *path, int64_t v)
{
    char part[64];
    const char *dot;
    json_object *o = root, *next;

    while ((dot = strchr(path, '.'))) {
        size_t n = (size_t)(dot - path) < sizeof(part) - 1 ? (size_t)(dot - path) : sizeof(part) - 1;
        memcpy(part, path, n);
        part[n] = '\0';
        if (!json_object_object_get_ex(o, part, &next)) {
            next = json_object_new_object();
            json_object_object_add(o, part, next);
        }
        o = next;
        path = dot + 1;
    }
    json_object_object_add(o, path, json_object_new_int64(v));
}

static void stats_counters(json_object *stats, json_object *ours, const kn_counters_t *ctr)
{
    char name[160];
    int i;

    for (i = 0; i < KN_CTR_MAX; i++) {
        const char *n = kn_counter_info((kn_counter_id_t)i)->name;
        if (strncmp(n, "kanshi.", 7) == 0)
            put_path(ours, n + 7, (int64_t)ctr->c[i]);
        else
            put_path(stats, n, (int64_t)ctr->c[i]);
    }
    for (i = 1; i < KN_ANOM_MAX; i++) {
        const kn_anomaly_info_t *ai = kn_anomaly_info((kn_anomaly_t)i);
        if (ai->layer == KN_LAYER_STREAM) { /* Suricata has no stats for stream events */
            snprintf(name, sizeof(name), "stream.event.%s", ai->name + 7);
            put_path(ours, name, (int64_t)ctr->anomaly[i]);
            continue;
        }
        if (ai->layer == KN_LAYER_APPLAYER) { /* nor per app-layer event */
            snprintf(name, sizeof(name), "applayer.event.%s", ai->name);
            put_path(ours, name, (int64_t)ctr->anomaly[i]);
            continue;
        }
        snprintf(name, sizeof(name), "decoder.event.%s", ai->name);
        put_path(ai->suricata ? stats : ours, name, (int64_t)ctr->anomaly[i]);
    }
}

void kn_eve_stats(kn_eve_t *e, kn_time_t ts, uint64_t uptime, const kn_counters_t *ctr,
                  const kn_capture_counts_t *cap)
{
    json_object *o, *stats, *ours;
    kn_output_stats_t os;
    char buf[48];

    if (!e->cfg->eve_enabled || !(e->cfg->eve_types & KN_EVE_STATS))
        return;
    o = json_object_new_object();
    stats = json_object_new_object();
    ours = json_object_new_object();
    add_const(o, "timestamp", timestamp(ts, buf));
    add_const(o, "event_type", "stats");
    put_path(stats, "uptime", (int64_t)uptime);
    if (cap->live) {
        put_path(stats, "capture.kernel_packets", (int64_t)cap->kernel_packets);
        put_path(stats, "capture.kernel_drops", (int64_t)cap->kernel_drops);
        put_path(stats, "capture.kernel_ifdrops", (int64_t)cap->kernel_ifdrops);
    } else {
        put_path(ours, "capture.files", (int64_t)cap->files);
        put_path(ours, "capture.file_errors", (int64_t)cap->file_errors);
    }
    stats_counters(stats, ours, ctr);
    if (!cap->live)
        kn_output_sync(e->out);
    kn_output_stats(e->out, &os);
    put_path(ours, "output.lines", (int64_t)os.lines);
    put_path(ours, "output.written", (int64_t)os.written);
    put_path(ours, "output.dropped", (int64_t)os.dropped);
    put_path(ours, "output.write_errors", (int64_t)os.write_errors);
    json_object_object_add_ex(o, "stats", stats, NEW_KEY);
    json_object_object_add_ex(o, "kanshi", ours, NEW_KEY);
    kn_eve_write(e, o);
    json_object_put(o);
    e->stats_written++;
}

/* A copy of s fit for a JSON string: a byte that is not printable ASCII becomes '?'. Linux
 * interface names may hold any byte but '/' and white space; eve lines must stay valid UTF-8. */
static char *printable_copy(const char *s)
{
    char *c = strdup(s), *p;

    for (p = c; p && *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            *p = '?';
    return c;
}

kn_eve_t *kn_eve_new(const kn_config_t *cfg, kn_output_t *out, int live, char *const *ifaces,
                     size_t n_ifaces)
{
    kn_eve_t *e = calloc(1, sizeof(*e));
    size_t i;

    if (!e)
        return NULL;
    e->cfg = cfg;
    e->out = out;
    e->live = live;
    kn_eve_file_init(e);
    for (i = 0; i < n_ifaces && i < MAX_IFACES; i++) {
        if (!(e->ifaces[i] = printable_copy(ifaces[i]))) {
            kn_eve_free(e);
            return NULL;
        }
        e->n_ifaces++;
    }
    return e;
}

void kn_eve_free(kn_eve_t *e)
{
    int i;

    if (!e)
        return;
    kn_eve_file_free(e);
    for (i = 0; i < (int)e->n_ifaces; i++)
        free(e->ifaces[i]);
    for (i = 0; i < FLOW_SHAPES; i++) {
        if (e->flow_tpl[i]) {
            json_object_put(e->flow_tpl[i]->root);
            free(e->flow_tpl[i]);
        }
    }
    for (i = 0; i < TCP_SHAPES; i++) {
        if (e->tcp_tpl[i]) {
            json_object_put(e->tcp_tpl[i]->obj);
            free(e->tcp_tpl[i]);
        }
    }
    free(e);
}

uint64_t kn_eve_written(const kn_eve_t *e, kn_event_type_t type)
{
    return type < KN_EV_MAX ? e->written[type] : 0;
}

uint64_t kn_eve_stats_written(const kn_eve_t *e)
{
    return e->stats_written;
}
