/* eve_ssh.c: the "ssh" object of an eve event from a kn_ssh_info_t (placeholder until the parser lands). */
#include "eve_private.h"

json_object *kn_eve_ssh_object(kn_eve_t *e, const kn_ssh_info_t *info)
{
    (void)e;
    (void)info;
    return json_object_new_object();
}
