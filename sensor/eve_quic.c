/* eve_quic.c: the "quic" object of an eve event from a kn_quic_info_t, as Suricata 7 writes it
 * (rust/src/quic/logger.rs): version, sni, ja3 (client) or ja3s (server) as {hash, string},
 * then the hello's extensions as [{name, type, values}], name only when Suricata knows the
 * type, values only when there are some. Strings go through UTF-8 lossily, as Rust's
 * from_utf8_lossy does. JA4 is computed for rules but, as with Suricata's default
 * `quic: ja4: off`, not written. */
#include "eve_private.h"

#include <stdlib.h>
#include <string.h>

static json_object *ext_object(const kn_quic_ext_t *x)
{
    json_object *o = json_object_new_object(), *v;
    const char *name = kn_quic_ext_name(x->type);
    uint16_t i;

    if (name)
        json_object_object_add_ex(o, "name", json_object_new_string(name), NEW_KEY);
    json_object_object_add_ex(o, "type", json_object_new_int64(x->type), NEW_KEY);
    if (x->n_values) {
        v = json_object_new_array_ext(x->n_values);
        for (i = 0; i < x->n_values; i++)
            json_object_array_add(v, kn_eve_lossy(x->values[i]));
        json_object_object_add_ex(o, "values", v, NEW_KEY);
    }
    return o;
}

json_object *kn_eve_quic_object(kn_eve_t *e, const kn_quic_info_t *info)
{
    json_object *o = json_object_new_object(), *h, *a;
    char ver[16];
    uint16_t i;

    (void)e;
    kn_quic_version_name(info->version, ver, sizeof(ver));
    json_object_object_add_ex(o, "version", json_object_new_string(ver), NEW_KEY);
    if (info->sni.p)
        json_object_object_add_ex(o, "sni", kn_eve_lossy(info->sni), NEW_KEY);
    if (info->ja3.p) {
        h = json_object_new_object();
        json_object_object_add_ex(h, "hash", kn_eve_lossy(info->ja3_hash), NEW_KEY);
        json_object_object_add_ex(h, "string", kn_eve_lossy(info->ja3), NEW_KEY);
        json_object_object_add_ex(o, info->client ? "ja3" : "ja3s", h, NEW_KEY);
    }
    if (info->n_exts) {
        a = json_object_new_array_ext(info->n_exts);
        for (i = 0; i < info->n_exts; i++)
            json_object_array_add(a, ext_object(&info->exts[i]));
        json_object_object_add_ex(o, "extensions", a, NEW_KEY);
    }
    return o;
}
