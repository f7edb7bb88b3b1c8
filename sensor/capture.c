/* capture.c: libpcap input. Files are replayed in the order given, each with its own link type;
 * interfaces are opened with pcap_create()/pcap_activate() (snaplen, promiscuous mode, buffer
 * size, immediate mode) and read with pcap_dispatch() over poll(), as libpcap's capturetest
 * does, so several interfaces share one loop. Errors name the file or interface and say what
 * to do; a damaged file is reported and skipped, never fatal to the files after it. */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MAX_IFACES 16
#define POLL_MS 100
#define DISPATCH_BURST 512

struct kn_capture {
    const kn_config_t *cfg;
    int live;
    pcap_t *live_h[MAX_IFACES];
    char *names[MAX_IFACES];
    size_t n;
    uint64_t pcap_cnt;
    uint64_t files_done;
    uint64_t file_errors;
    kn_capture_pkt_fn pkt;
    void *user;
    uint16_t cur_iface;
    int cur_linktype;
};

/* The handles a signal handler may break out of (pcap_breakloop is async-signal-safe). This is
 * the one piece of state outside the configuration: a handler has no other way to reach them. */
static pcap_t *volatile breakable[MAX_IFACES];

void kn_capture_breakloop(void)
{
    int i;

    for (i = 0; i < MAX_IFACES; i++)
        if (breakable[i])
            pcap_breakloop(breakable[i]);
}

static int compile_filter(pcap_t *h, const char *bpf, const char *what, char *err, size_t errlen)
{
    struct bpf_program prog;

    if (!bpf || !*bpf)
        return 0;
    if (pcap_compile(h, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(err, errlen, "bad BPF filter \"%s\" for %s: %s", bpf, what, pcap_geterr(h));
        return -1;
    }
    if (pcap_setfilter(h, &prog) != 0) {
        snprintf(err, errlen, "cannot apply the BPF filter to %s: %s", what, pcap_geterr(h));
        pcap_freecode(&prog);
        return -1;
    }
    pcap_freecode(&prog);
    return 0;
}

static pcap_t *open_file(const char *path, const char *bpf, char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *h = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, ebuf);

    if (!h) {
        snprintf(err, errlen, "cannot read capture file %s: %s", path, ebuf);
        return NULL;
    }
    if (compile_filter(h, bpf, path, err, errlen) != 0) {
        pcap_close(h);
        return NULL;
    }
    return h;
}

static const char *activate_hint(int rc)
{
    switch (rc) {
    case PCAP_ERROR_NO_SUCH_DEVICE:
        return "no such interface (see `ip link`)";
    case PCAP_ERROR_PERM_DENIED:
        return "permission denied: run as root, or grant CAP_NET_RAW and CAP_NET_ADMIN";
    case PCAP_ERROR_IFACE_NOT_UP:
        return "the interface is down (ip link set IFACE up)";
    case PCAP_ERROR_PROMISC_PERM_DENIED:
        return "no permission for promiscuous mode";
    case PCAP_ERROR_RFMON_NOTSUP:
        return "monitor mode is not supported";
    default:
        return NULL;
    }
}

static pcap_t *open_iface(const kn_config_t *cfg, const char *name, char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *h = pcap_create(name, ebuf);
    const char *hint;
    int rc;

    if (!h) {
        snprintf(err, errlen, "interface %s: %s", name, ebuf);
        return NULL;
    }
    pcap_set_snaplen(h, (int)cfg->snaplen);
    pcap_set_promisc(h, cfg->promisc);
    pcap_set_timeout(h, POLL_MS);
    pcap_set_immediate_mode(h, 1);
    if (cfg->buffer_size)
        pcap_set_buffer_size(h, (int)cfg->buffer_size);
    rc = pcap_activate(h);
    if (rc < 0) {
        hint = activate_hint(rc);
        snprintf(err, errlen, "interface %s: %s%s%s", name, hint ? hint : pcap_statustostr(rc),
                 rc == PCAP_ERROR ? ": " : "", rc == PCAP_ERROR ? pcap_geterr(h) : "");
        pcap_close(h);
        return NULL;
    }
    if (rc > 0)
        kn_warn("interface %s: %s", name, pcap_statustostr(rc));
    if (compile_filter(h, cfg->bpf, name, err, errlen) != 0 || pcap_setnonblock(h, 1, ebuf) != 0) {
        if (!*err)
            snprintf(err, errlen, "interface %s: %s", name, ebuf);
        pcap_close(h);
        return NULL;
    }
    return h;
}

kn_capture_t *kn_capture_open(const kn_config_t *cfg, char *err, size_t errlen)
{
    kn_capture_t *c = calloc(1, sizeof(*c));
    size_t i;

    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->cfg = cfg;
    c->live = cfg->ifaces.n > 0;
    if (cfg->ifaces.n > MAX_IFACES) {
        snprintf(err, errlen, "at most %d interfaces", MAX_IFACES);
        goto err;
    }
    for (i = 0; i < cfg->read_files.n; i++) { /* fail before any work if one cannot be read */
        pcap_t *h = open_file(cfg->read_files.v[i], cfg->bpf, err, errlen);
        if (!h)
            goto err;
        pcap_close(h);
    }
    for (i = 0; i < cfg->ifaces.n; i++) {
        c->names[i] = cfg->ifaces.v[i];
        if (!(c->live_h[i] = open_iface(cfg, cfg->ifaces.v[i], err, errlen)))
            goto err;
        c->n++;
    }
    return c;
err:
    kn_capture_close(c);
    return NULL;
}

static void deliver(u_char *arg, const struct pcap_pkthdr *ph, const u_char *data)
{
    kn_capture_t *c = (kn_capture_t *)arg;
    kn_pkthdr_t h;

    h.ts = (kn_time_t)ph->ts.tv_sec * KN_USEC + ph->ts.tv_usec;
    h.caplen = ph->caplen;
    h.wirelen = ph->len;
    h.linktype = c->cur_linktype;
    h.iface = c->cur_iface;
    h.pcap_cnt = ++c->pcap_cnt;
    c->pkt(c->user, &h, data);
}

static int run_file(kn_capture_t *c, const char *path, volatile sig_atomic_t *stop)
{
    char err[512];
    pcap_t *h = open_file(path, c->cfg->bpf, err, sizeof(err));
    struct pcap_pkthdr *ph;
    const u_char *data;
    int rc = 1;

    if (!h) {
        kn_err("%s", err);
        return 1;
    }
    breakable[0] = h;
    c->cur_linktype = pcap_datalink(h);
    c->cur_iface = 0;
    while (!*stop && (rc = pcap_next_ex(h, &ph, &data)) == 1)
        deliver((u_char *)c, ph, data);
    breakable[0] = NULL;
    if (rc == PCAP_ERROR)
        kn_warn("%s: capture file damaged after packet %llu: %s; continuing with what was read",
                path, (unsigned long long)c->pcap_cnt, pcap_geterr(h));
    pcap_close(h);
    c->files_done++;
    c->file_errors += rc == PCAP_ERROR;
    return rc == PCAP_ERROR;
}

static int run_live(kn_capture_t *c, kn_capture_idle_fn idle, volatile sig_atomic_t *stop)
{
    struct pollfd pfd[MAX_IFACES];
    size_t i;
    int errors = 0;

    for (i = 0; i < c->n; i++) {
        pfd[i].fd = pcap_get_selectable_fd(c->live_h[i]);
        pfd[i].events = POLLIN;
        breakable[i] = c->live_h[i];
    }
    while (!*stop) {
        int n = poll(pfd, (nfds_t)c->n, POLL_MS);
        if (n < 0 && errno != EINTR) {
            kn_err("poll: %s", strerror(errno));
            errors++;
            break;
        }
        for (i = 0; n > 0 && i < c->n && !*stop; i++) {
            if (!(pfd[i].revents & (POLLIN | POLLERR | POLLHUP)))
                continue;
            c->cur_iface = (uint16_t)i;
            c->cur_linktype = pcap_datalink(c->live_h[i]);
            if (pcap_dispatch(c->live_h[i], DISPATCH_BURST, deliver, (u_char *)c) == PCAP_ERROR) {
                kn_err("interface %s: %s", c->names[i], pcap_geterr(c->live_h[i]));
                errors++;
                *stop = 1;
            }
        }
        idle(c->user);
    }
    for (i = 0; i < c->n; i++)
        breakable[i] = NULL;
    return errors;
}

int kn_capture_run(kn_capture_t *c, kn_capture_pkt_fn pkt, kn_capture_idle_fn idle, void *user,
                   volatile sig_atomic_t *stop)
{
    size_t i;
    int errors = 0;

    c->pkt = pkt;
    c->user = user;
    if (c->live)
        return run_live(c, idle, stop);
    for (i = 0; i < c->cfg->read_files.n && !*stop; i++) {
        errors += run_file(c, c->cfg->read_files.v[i], stop);
        idle(user);
    }
    return errors;
}

void kn_capture_kernel_stats(kn_capture_t *c, uint64_t *recv, uint64_t *drop, uint64_t *ifdrop)
{
    struct pcap_stat ps;
    size_t i;

    *recv = *drop = *ifdrop = 0;
    for (i = 0; i < c->n; i++) {
        if (pcap_stats(c->live_h[i], &ps) != 0)
            continue;
        *recv += ps.ps_recv;
        *drop += ps.ps_drop;
        *ifdrop += ps.ps_ifdrop;
    }
}

int kn_capture_is_live(const kn_capture_t *c)
{
    return c->live;
}

uint64_t kn_capture_files_done(const kn_capture_t *c)
{
    return c->files_done;
}

uint64_t kn_capture_file_errors(const kn_capture_t *c)
{
    return c->file_errors;
}

char *const *kn_capture_iface_names(const kn_capture_t *c, size_t *n)
{
    *n = c->n;
    return c->names;
}

void kn_capture_close(kn_capture_t *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->n; i++)
        if (c->live_h[i])
            pcap_close(c->live_h[i]);
    free(c);
}
