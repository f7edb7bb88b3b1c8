/* main.c: the command line, the start-up order, the capture loop and the exit code.
 *
 * Start-up checks everything a run depends on before the first packet (configuration, rule
 * files, inputs, the BPF filter, the log directory) and stops with one line naming the problem.
 * Signals only set flags (and break libpcap's loop); SIGINT/SIGTERM end the run cleanly with
 * every flow flushed, SIGHUP reopens eve.json for logrotate. Exit codes: docs/operations.md. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "capture.h"
#include "config.h"
#include "eve.h"
#include "filestore.h"
#include "kanshi.h"
#include "log.h"
#include "output.h"
#include "rules.h"

enum {
    EXIT_OK = 0,
    EXIT_USAGE = 1,  /* bad command line or configuration */
    EXIT_INPUT = 2,  /* a capture file or interface cannot be used, bad BPF, rule file missing */
    EXIT_OUTPUT = 3, /* eve.json cannot be written, or events were lost writing it */
    EXIT_FATAL = 4,  /* out of memory */
};

typedef struct kn_sensor {
    kn_config_t cfg;
    kn_engine_t *engine;
    kn_capture_t *cap;
    kn_output_t *out;
    kn_eve_t *eve;
    kn_filestore_t *files; /* NULL unless file-store is enabled */
    kn_ruleset_t *rules;
    char eve_path[4096];
    kn_time_t first_ts, next_stats;
    struct timespec wall_start, last_flush;
} kn_sensor_t;

static volatile sig_atomic_t stop_flag, hup_flag;

static void on_signal(int sig)
{
    if (sig == SIGHUP) {
        hup_flag = 1;
        return;
    }
    stop_flag = 1;
    kn_capture_breakloop();
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: kanshi -r FILE [-r FILE ...] | -i IFACE[,IFACE] [options] [BPF filter]\n"
            "\n"
            "  -r FILE          replay a pcap or pcapng file (repeat for several, read in order)\n"
            "  -i IFACE[,IFACE] capture live from these interfaces\n"
            "  -F FILE          read the BPF filter from FILE (else: trailing arguments)\n"
            "  -l DIR           write eve.json into DIR (default: default-log-dir, else .)\n"
            "  -c FILE          configuration in suricata.yaml's shape (docs/config.md)\n"
            "  --set KEY=VALUE  override one setting, e.g. --set stats.interval=60\n"
            "  -S FILE          load only this rule file;  -s FILE  load it in addition\n"
            "  -k all|none|auto checksum validation (auto: off for files, on for interfaces)\n"
            "  -T               test the configuration and exit\n"
            "  -v / -q          more / fewer messages on stderr\n"
            "  -V, --version    print the version;  -h, --help  this text\n"
            "\n"
            "exit codes: 0 ok, 1 usage/config error, 2 input error, 3 output error, 4 fatal\n");
}

static char *read_text_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    char *buf = NULL;
    long n;

    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && n < (1 << 20) &&
        fseek(fp, 0, SEEK_SET) == 0 && (buf = calloc(1, (size_t)n + 1)) &&
        fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    return buf;
}

static int add_ifaces(kn_config_t *cfg, const char *arg)
{
    char *copy = strdup(arg), *part, *save = NULL;
    int rc = 0;

    if (!copy)
        return -1;
    for (part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save))
        if (*part && kn_strlist_add(&cfg->ifaces, part) != 0)
            rc = -1;
    free(copy);
    return rc;
}

static int set_checksum(kn_config_t *cfg, const char *arg)
{
    if (strcmp(arg, "all") == 0)
        cfg->csum_opt = KN_CSUM_OPT_ALL;
    else if (strcmp(arg, "none") == 0)
        cfg->csum_opt = KN_CSUM_OPT_NONE;
    else if (strcmp(arg, "auto") == 0)
        cfg->csum_opt = KN_CSUM_OPT_AUTO;
    else
        return -1;
    return 0;
}

/* Joins the trailing arguments into the BPF expression, as tcpdump does. */
static int trailing_bpf(kn_config_t *cfg, int argc, char **argv)
{
    size_t len = 0;
    int i;

    if (optind >= argc)
        return 0;
    for (i = optind; i < argc; i++)
        len += strlen(argv[i]) + 1;
    free(cfg->bpf);
    if (!(cfg->bpf = calloc(1, len + 1)))
        return -1;
    for (i = optind; i < argc; i++) {
        if (i > optind)
            strncat(cfg->bpf, " ", len - strlen(cfg->bpf));
        strncat(cfg->bpf, argv[i], len - strlen(cfg->bpf));
    }
    return 0;
}

/* Returns -1 to exit with EXIT_USAGE, 1 to exit successfully (help, version), 0 to run. */
static int parse_args(kn_config_t *cfg, int argc, char **argv, char **log_dir, char **bpf_file)
{
    static const struct option longopts[] = {
        {"set", required_argument, NULL, 1000},     {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},           {"runmode", required_argument, NULL, 1001},
        {"init-errors-fatal", no_argument, NULL, 1002}, {NULL, 0, NULL, 0}};
    int c;

    while ((c = getopt_long(argc, argv, "+r:i:F:l:c:S:s:k:TvqVh", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': if (kn_strlist_add(&cfg->read_files, optarg)) return -1; break;
        case 'i': if (add_ifaces(cfg, optarg)) return -1; break;
        case 'F': *bpf_file = optarg; break;
        case 'l': *log_dir = optarg; break;
        case 'c': free(cfg->config_file); cfg->config_file = strdup(optarg); break;
        case 'S':
            if (!cfg->rules_exclusive)
                kn_strlist_free(&cfg->rule_files);
            cfg->rules_exclusive = 1;
            if (kn_strlist_add(&cfg->rule_files, optarg)) return -1;
            break;
        case 's': if (kn_strlist_add(&cfg->rule_files, optarg)) return -1; break;
        case 'k':
            if (set_checksum(cfg, optarg) != 0) {
                kn_err("-k %s: expected all, none or auto", optarg);
                return -1;
            }
            break;
        case 'T': cfg->test_only = 1; break;
        case 'v': kn_log_set_level(kn_log_level() + 1); cfg->verbose++; break;
        case 'q': kn_log_set_level(KN_LOG_ERROR); break;
        case 'V': printf("kanshi %s\n", KN_VERSION); return 1;
        case 'h': usage(stdout); return 1;
        case 1000: if (kn_strlist_add(&cfg->sets, optarg)) return -1; break;
        case 1001: case 1002: break; /* Suricata's runmode options: one worker here */
        default: usage(stderr); return -1;
        }
    }
    return trailing_bpf(cfg, argc, argv);
}

/* Settings from the command line win over the file; -k auto depends on the input kind. */
static int finish_config(kn_config_t *cfg, const char *log_dir, const char *bpf_file)
{
    if (log_dir) {
        free(cfg->log_dir);
        cfg->log_dir = strdup(log_dir);
    }
    if (bpf_file) {
        free(cfg->bpf);
        if (!(cfg->bpf = read_text_file(bpf_file))) {
            kn_err("-F %s: cannot read the filter file: %s", bpf_file, strerror(errno));
            return EXIT_INPUT;
        }
    }
    if (cfg->csum_opt == KN_CSUM_OPT_AUTO)
        cfg->engine.csum_mode = cfg->ifaces.n ? KN_CSUM_ALL : KN_CSUM_NONE;
    else
        cfg->engine.csum_mode = cfg->csum_opt == KN_CSUM_OPT_ALL ? KN_CSUM_ALL : KN_CSUM_NONE;
    if (!cfg->test_only && cfg->read_files.n == 0 && cfg->ifaces.n == 0) {
        kn_err("nothing to read: give -r FILE or -i IFACE (kanshi -h for help)");
        return EXIT_USAGE;
    }
    if (cfg->read_files.n && cfg->ifaces.n) {
        kn_err("-r and -i cannot be used together");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static double elapsed(const struct timespec *since)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

static void write_stats(kn_sensor_t *s, kn_time_t ts)
{
    kn_capture_counts_t cc;

    memset(&cc, 0, sizeof(cc));
    cc.live = kn_capture_is_live(s->cap);
    if (cc.live)
        kn_capture_kernel_stats(s->cap, &cc.kernel_packets, &cc.kernel_drops, &cc.kernel_ifdrops);
    cc.files = kn_capture_files_done(s->cap);
    cc.file_errors = kn_capture_file_errors(s->cap);
    kn_eve_stats(s->eve, ts, (uint64_t)((ts - s->first_ts) / KN_USEC),
                 kn_engine_counters(s->engine), &cc);
}

static void maybe_stats(kn_sensor_t *s, kn_time_t now)
{
    kn_time_t step = (kn_time_t)s->cfg.stats_interval * KN_USEC;

    if (!s->cfg.stats_enabled || now < s->next_stats)
        return;
    write_stats(s, now);
    while (s->next_stats <= now)
        s->next_stats += step;
}

static void on_packet(void *user, const kn_pkthdr_t *h, const uint8_t *data)
{
    kn_sensor_t *s = user;

    if (!s->first_ts) {
        s->first_ts = h->ts;
        s->next_stats = h->ts + (kn_time_t)s->cfg.stats_interval * KN_USEC;
    }
    kn_engine_packet(s->engine, h, data);
    maybe_stats(s, kn_engine_now(s->engine));
}

/* Live capture: time moves even without packets, and eve.json is flushed once a second. */
static void on_idle(void *user)
{
    kn_sensor_t *s = user;
    struct timespec wall;

    if (hup_flag) {
        hup_flag = 0;
        kn_output_reopen(s->out);
    }
    if (!kn_capture_is_live(s->cap))
        return;
    clock_gettime(CLOCK_REALTIME, &wall);
    if (s->first_ts) {
        kn_engine_tick(s->engine, (kn_time_t)wall.tv_sec * KN_USEC + wall.tv_nsec / 1000);
        maybe_stats(s, kn_engine_now(s->engine));
    }
    if (elapsed(&s->last_flush) >= 1.0) {
        kn_output_flush(s->out);
        clock_gettime(CLOCK_MONOTONIC, &s->last_flush);
    }
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* The engine's events: file bytes to the file store, whose verdict ("stored") the fileinfo
 * record carries; everything else straight to eve. */
static void on_event(const kn_event_t *ev, void *user)
{
    kn_sensor_t *s = user;
    kn_event_t copy;

    if (ev->type == KN_EV_FILE_DATA) {
        if (s->files)
            kn_filestore_data(s->files, ev);
        return;
    }
    if (ev->type == KN_EV_FILE && s->files) {
        copy = *ev;
        copy.u.file.stored = (uint8_t)kn_filestore_close(s->files, ev);
        kn_eve_event(&copy, s->eve);
        return;
    }
    kn_eve_event(ev, s->eve);
}

static int open_filestore(kn_sensor_t *s)
{
    char dir[4096], err[512];

    if (!s->cfg.filestore_enabled)
        return EXIT_OK;
    if (s->cfg.filestore_dir[0] == '/')
        snprintf(dir, sizeof(dir), "%s", s->cfg.filestore_dir);
    else
        snprintf(dir, sizeof(dir), "%s/%s", s->cfg.log_dir, s->cfg.filestore_dir);
    if (!(s->files = kn_filestore_new(dir, s->cfg.filestore_max_open, err, sizeof(err)))) {
        kn_err("%s", err);
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}

static int open_outputs(kn_sensor_t *s)
{
    char err[512];
    struct stat st;
    size_t n;
    char *const *names = kn_capture_iface_names(s->cap, &n);

    if (stat(s->cfg.log_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        kn_err("log directory %s: %s", s->cfg.log_dir,
               errno == ENOENT ? "does not exist" : "is not a directory");
        return EXIT_OUTPUT;
    }
    snprintf(s->eve_path, sizeof(s->eve_path), "%s/%s", s->cfg.log_dir, s->cfg.eve_filename);
    if (s->cfg.eve_filename[0] == '/')
        snprintf(s->eve_path, sizeof(s->eve_path), "%s", s->cfg.eve_filename);
    if (!(s->out = kn_output_open(s->eve_path, !kn_capture_is_live(s->cap), err, sizeof(err)))) {
        kn_err("%s", err);
        return EXIT_OUTPUT;
    }
    if (!(s->eve = kn_eve_new(&s->cfg, s->out, kn_capture_is_live(s->cap), names, n)))
        return EXIT_FATAL;
    if (open_filestore(s) != EXIT_OK)
        return EXIT_OUTPUT;
    if (!(s->engine = kn_engine_new(&s->cfg.engine, on_event, s))) {
        kn_err("cannot create the engine: out of memory");
        return EXIT_FATAL;
    }
    if (kn_engine_set_ruleset(s->engine, s->rules) != KN_OK) {
        kn_err("cannot start detection: out of memory");
        return EXIT_FATAL;
    }
    return EXIT_OK;
}

static void summary(kn_sensor_t *s, const kn_output_stats_t *os)
{
    const kn_counters_t *c = kn_engine_counters(s->engine);
    uint64_t anomalies = 0;
    int i;

    for (i = 1; i < KN_ANOM_MAX; i++)
        anomalies += c->anomaly[i];
    kn_info("%llu packets, %llu flows (tcp %llu, udp %llu, icmp %llu, other %llu), "
            "%llu anomalies, %llu events written to %s%s in %.2f s",
            (unsigned long long)c->c[KN_CTR_PKTS], (unsigned long long)c->c[KN_CTR_FLOW_TOTAL],
            (unsigned long long)c->c[KN_CTR_FLOW_TCP], (unsigned long long)c->c[KN_CTR_FLOW_UDP],
            (unsigned long long)(c->c[KN_CTR_FLOW_ICMPV4] + c->c[KN_CTR_FLOW_ICMPV6]),
            (unsigned long long)c->c[KN_CTR_FLOW_OTHER], (unsigned long long)anomalies,
            (unsigned long long)os->written, s->eve_path,
            os->dropped ? " (some LOST, see above)" : "", elapsed(&s->wall_start));
    if (s->files) {
        const kn_filestore_stats_t *fs = kn_filestore_stats(s->files);
        kn_info("file-store: %llu files stored (%llu already there), %llu without a hash, "
                "%llu lost to writing errors, %llu skipped (too many open)",
                (unsigned long long)fs->stored, (unsigned long long)fs->duplicate,
                (unsigned long long)fs->discarded, (unsigned long long)fs->errors,
                (unsigned long long)fs->skipped);
    }
}

static int run(kn_sensor_t *s)
{
    kn_output_stats_t os;
    int rc, lost;

    install_signals();
    clock_gettime(CLOCK_MONOTONIC, &s->last_flush);
    kn_capture_run(s->cap, on_packet, on_idle, s, &stop_flag);
    kn_engine_flush(s->engine);
    if (s->cfg.stats_enabled && s->first_ts)
        write_stats(s, kn_engine_now(s->engine));
    lost = kn_output_close(s->out, &os);
    s->out = NULL;
    summary(s, &os);
    rc = lost ? EXIT_OUTPUT : EXIT_OK;
    return rc;
}

static void teardown(kn_sensor_t *s)
{
    kn_engine_free(s->engine);
    kn_filestore_free(s->files);
    kn_ruleset_free(s->rules);
    kn_eve_free(s->eve);
    kn_output_close(s->out, NULL);
    kn_capture_close(s->cap);
    kn_config_free(&s->cfg);
}

/* Rules: loaded and built before the first packet. With -T a rule that does not load is an
 * error; otherwise it is reported and the others run. */
static int load_rules(kn_sensor_t *s)
{
    int failures = 0;

    if (s->cfg.rule_files.n == 0)
        return EXIT_OK;
    if (!(s->rules = kn_rules_load(&s->cfg, &failures)))
        return EXIT_INPUT;
    return s->cfg.test_only && failures ? EXIT_USAGE : EXIT_OK;
}

int main(int argc, char **argv)
{
    kn_sensor_t s;
    char *log_dir = NULL, *bpf_file = NULL, err[1024];
    int rc;

    memset(&s, 0, sizeof(s));
    clock_gettime(CLOCK_MONOTONIC, &s.wall_start);
    kn_config_defaults(&s.cfg);
    rc = parse_args(&s.cfg, argc, argv, &log_dir, &bpf_file);
    if (rc != 0) {
        kn_config_free(&s.cfg);
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (kn_config_load(&s.cfg) != 0) {
        kn_config_free(&s.cfg);
        return EXIT_USAGE;
    }
    if ((rc = finish_config(&s.cfg, log_dir, bpf_file)) != EXIT_OK) {
        kn_config_free(&s.cfg);
        return rc;
    }
    if ((rc = load_rules(&s)) != EXIT_OK || s.cfg.test_only) {
        if (rc == EXIT_OK)
            kn_info("configuration OK%s%s", s.cfg.config_file ? ": " : "",
                    s.cfg.config_file ? s.cfg.config_file : "");
        teardown(&s);
        return rc;
    }
    if (!(s.cap = kn_capture_open(&s.cfg, err, sizeof(err)))) {
        kn_err("%s", err);
        teardown(&s);
        return EXIT_INPUT;
    }
    rc = open_outputs(&s);
    if (rc == EXIT_OK)
        rc = run(&s);
    teardown(&s);
    return rc;
}
