/* tables.c: the static name tables behind anomaly.h and counters.h. */
#include "anomaly.h"
#include "counters.h"

#define KN_ANOM_ROW(id, name, sur, layer) {name, sur, KN_LAYER_##layer},
static const kn_anomaly_info_t anomalies[KN_ANOM_MAX] = {
    {"none", 0, KN_LAYER_DECODE},
    KN_ANOMALY_LIST(KN_ANOM_ROW)
};
#undef KN_ANOM_ROW

#define KN_CTR_ROW(id, name, kind) {name, #kind[0] == 'G'},
static const kn_counter_info_t counters[KN_CTR_MAX] = {KN_COUNTER_LIST(KN_CTR_ROW)};
#undef KN_CTR_ROW

const kn_anomaly_info_t *kn_anomaly_info(kn_anomaly_t id)
{
    return (unsigned)id < KN_ANOM_MAX ? &anomalies[id] : &anomalies[0];
}

const kn_counter_info_t *kn_counter_info(kn_counter_id_t id)
{
    static const kn_counter_info_t unknown = {"unknown", 0};
    return (unsigned)id < KN_CTR_MAX ? &counters[id] : &unknown;
}
