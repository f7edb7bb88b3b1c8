/* config.h: the one kanshi configuration: defaults, the YAML file (suricata.yaml's shape),
 * --set overrides and the command line, validated in one place. */
#ifndef KANSHI_SENSOR_CONFIG_H
#define KANSHI_SENSOR_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "kanshi.h"

/* eve-log event types (outputs[].eve-log.types). */
enum {
    KN_EVE_ALERT = 1u << 0,
    KN_EVE_ANOMALY = 1u << 1,
    KN_EVE_FLOW = 1u << 2,
    KN_EVE_STATS = 1u << 3,
    KN_EVE_HTTP = 1u << 4,
    KN_EVE_DNS = 1u << 5,
    KN_EVE_TLS = 1u << 6,
    KN_EVE_FILES = 1u << 7,
    KN_EVE_SMTP = 1u << 8,
    KN_EVE_SSH = 1u << 9,
    KN_EVE_OTHER_APP = 1u << 10, /* the rest of Suricata's app-layer loggers */
    KN_EVE_FTP = 1u << 17,       /* ftp and ftp_data */
    KN_EVE_QUIC = 1u << 16,
    KN_EVE_IRC = 1u << 20,            /* kanshi's own (docs/eve.md) */
    KN_EVE_BITTORRENT = 1u << 21,     /* kanshi's own (docs/eve.md) */
    KN_EVE_BITTORRENT_DHT = 1u << 22,
};

/* anomaly types (outputs[].eve-log.types[].anomaly.types). */
enum {
    KN_ANOMALY_DECODE = 1u << 0,
    KN_ANOMALY_STREAM = 1u << 1,
    KN_ANOMALY_APPLAYER = 1u << 2,
};

typedef enum kn_csum_opt { KN_CSUM_OPT_AUTO = 0, KN_CSUM_OPT_ALL, KN_CSUM_OPT_NONE } kn_csum_opt_t;

typedef struct kn_strlist {
    char **v;
    size_t n;
} kn_strlist_t;

/* name = value pairs, such as vars.address-groups. */
typedef struct kn_vars {
    kn_strlist_t names, values;
} kn_vars_t;

typedef struct kn_config {
    kn_engine_config_t engine;

    /* inputs (command line) */
    kn_strlist_t read_files; /* -r */
    kn_strlist_t ifaces;     /* -i, split at commas */
    char *bpf;               /* trailing arguments or -F */
    char *config_file;       /* -c */
    kn_strlist_t sets;       /* --set key=value, applied in order */
    kn_strlist_t rule_files; /* -S replaces, -s adds; default-rule-path + rule-files */
    char *default_rule_path; /* also where files rules name are looked for (filemd5 lists) */
    int rules_exclusive;     /* -S given */
    int test_only;           /* -T */
    int csum_opt;            /* -k */
    int verbose;

    /* outputs */
    char *log_dir;
    int eve_enabled;
    char *eve_filename;
    unsigned eve_types;
    unsigned anomaly_types;
    int alert_packet, alert_payload, alert_payload_printable, alert_metadata;
    int file_magic;             /* eve-log types files.force-magic: libmagic on every file */
    int filestore_enabled;      /* outputs: - file-store: enabled: yes */
    char *filestore_dir;        /* its dir, under log_dir unless absolute ("filestore") */
    uint32_t filestore_max_open; /* files written at once (max-open-files, default 256) */
    int stats_enabled;
    uint32_t stats_interval; /* seconds of packet time */
    int stats_totals;

    /* live capture */
    uint32_t snaplen;
    int promisc;
    uint32_t buffer_size; /* bytes; 0 keeps libpcap's default */

    kn_vars_t address_groups, port_groups;

    /* rules */
    char *classification_file; /* NULL: rules/classification.config beside the binary */
    char *reference_file;
    char *threshold_file;
    char *disable_sid_file;
    int mpm_cache;       /* detect.sgh-mpm-caching */
    char *mpm_cache_dir; /* detect.sgh-mpm-caching-path */
} kn_config_t;

/* Fills the defaults (Suricata's defaults where Suricata has the setting). */
void kn_config_defaults(kn_config_t *cfg);

/* Reads cfg->config_file (if any) and cfg->sets into cfg, printing each error (file:line) and
 * warning. Returns the number of errors. */
int kn_config_load(kn_config_t *cfg);

/* Frees what the configuration owns. */
void kn_config_free(kn_config_t *cfg);

/* Appends a copy of s. Returns 0 or -1 when memory runs out. */
int kn_strlist_add(kn_strlist_t *l, const char *s);
void kn_strlist_free(kn_strlist_t *l);

/* Parses "128mb", "32 KiB", "1gb", "4096". Returns 0 or -1. */
int kn_parse_size(const char *s, uint64_t *out);

/* Parses yes/no/true/false/on/off/1/0 (and enable(d)/disable(d)). Returns 0 or -1. */
int kn_parse_bool(const char *s, int *out);

#endif
