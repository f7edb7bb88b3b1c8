/* eve_tls.c: the "tls" object of an eve event from a kn_tls_info_t (placeholder until the parser lands). */
#include "eve_private.h"

json_object *kn_eve_tls_object(kn_eve_t *e, const kn_tls_info_t *info)
{
    (void)e;
    (void)info;
    return json_object_new_object();
}
