/* capture.h: packets from pcap/pcapng files or live interfaces, through libpcap. */
#ifndef KANSHI_SENSOR_CAPTURE_H
#define KANSHI_SENSOR_CAPTURE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "kanshi.h"

typedef struct kn_capture kn_capture_t;

/* Called for every packet; data is borrowed for the call. */
typedef void (*kn_capture_pkt_fn)(void *user, const kn_pkthdr_t *h, const uint8_t *data);

/* Called about ten times a second of wall clock while live capture is idle or busy, and after
 * each file, so the caller can flush outputs and advance timers. */
typedef void (*kn_capture_idle_fn)(void *user);

/* Checks that every file in cfg->read_files can be opened as a capture and that the BPF
 * filter compiles for it, or opens and activates every interface in cfg->ifaces. Returns the
 * capture, or NULL with a one-line reason in err. *exit_code tells the kind of failure. */
kn_capture_t *kn_capture_open(const kn_config_t *cfg, char *err, size_t errlen);

/* Reads until the inputs end or *stop is set; a truncated or damaged file is reported and
 * reading goes on with the next one. Returns the number of input errors. */
int kn_capture_run(kn_capture_t *c, kn_capture_pkt_fn pkt, kn_capture_idle_fn idle, void *user,
                   volatile sig_atomic_t *stop);

/* Makes a running kn_capture_run() return soon; async-signal-safe. */
void kn_capture_breakloop(void);

/* Kernel counters summed over the interfaces (zero for files). */
void kn_capture_kernel_stats(kn_capture_t *c, uint64_t *recv, uint64_t *drop, uint64_t *ifdrop);

int kn_capture_is_live(const kn_capture_t *c);
uint64_t kn_capture_files_done(const kn_capture_t *c);
uint64_t kn_capture_file_errors(const kn_capture_t *c); /* files cut short by damage */

/* Interface names (index = kn_pkthdr_t.iface); borrowed. */
char *const *kn_capture_iface_names(const kn_capture_t *c, size_t *n);

void kn_capture_close(kn_capture_t *c);

#endif
