/* eve_ftp.c: the "ftp" object of an eve event from a kn_ftp_info_t, and "ftp_data", as
 * Suricata 7 writes them:
 *   {"command", "command_data", "command_truncated", "completion_code": [..], "reply": [..],
 *    "dynamic_port", "mode", "reply_received": "yes"|"no", "reply_truncated"}
 * Each reply unit is split into lines; a line starting with three digits gives a completion
 * code and the text after "ddd-" or "ddd "; lines left empty or blank are not written, though
 * "reply" is present (as an empty array) once any reply came. */
#include "eve_private.h"

#include <string.h>

static int blank_text(const uint8_t *p, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return 0;
    return 1;
}

static int digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* One reply line: its code (if any) into cc, its text into reply. */
static void reply_line(json_object **cc, json_object *reply, const uint8_t *l, uint32_t n)
{
    kn_str_t text = {l, n};

    if (n >= 3 && digit(l[0]) && digit(l[1]) && digit(l[2])) {
        if (!*cc)
            *cc = json_object_new_array();
        json_object_array_add(*cc, json_object_new_string_len((const char *)l, 3));
        text.p = l + (n >= 4 ? 4 : n);
        text.len = n >= 4 ? n - 4 : 0;
    }
    if (text.len && !blank_text(text.p, text.len))
        json_object_array_add(reply, kn_eve_bytes(text));
}

static void add_replies(json_object *o, const kn_ftp_info_t *info)
{
    json_object *cc = NULL, *reply = json_object_new_array();
    const uint8_t *p, *lf;
    uint32_t left, n;
    uint16_t i;

    for (i = 0; i < info->n_replies; i++) {
        p = info->replies[i].p;
        left = info->replies[i].len;
        while (left) {
            lf = memchr(p, '\n', left);
            n = lf ? (uint32_t)(lf - p) : left;
            reply_line(&cc, reply, p, n && p[n - 1] == '\r' ? n - 1 : n);
            n += lf ? 1 : 0;
            p += n;
            left -= n;
        }
    }
    if (cc)
        json_object_object_add_ex(o, "completion_code", cc, NEW_KEY);
    json_object_object_add_ex(o, "reply", reply, NEW_KEY);
}

json_object *kn_eve_ftp_object(kn_eve_t *e, const kn_ftp_info_t *info)
{
    json_object *o = json_object_new_object();

    (void)e;
    if (info->command.len)
        json_object_object_add_ex(o, "command", kn_eve_bytes(info->command), NEW_KEY);
    if (info->has_data) {
        json_object_object_add_ex(o, "command_data", kn_eve_bytes(info->command_data),
                                  NEW_KEY);
        json_object_object_add_ex(o, "command_truncated",
                                  json_object_new_boolean(info->command_truncated), NEW_KEY);
    }
    if (info->n_replies)
        add_replies(o, info);
    if (info->dynamic_port)
        json_object_object_add_ex(o, "dynamic_port", json_object_new_int(info->dynamic_port),
                                  NEW_KEY);
    if (info->port_cmd)
        json_object_object_add_ex(o, "mode",
                                  json_object_new_string(info->active ? "active" : "passive"),
                                  NEW_KEY);
    json_object_object_add_ex(o, "reply_received",
                              json_object_new_string(info->reply_received ? "yes" : "no"),
                              NEW_KEY);
    json_object_object_add_ex(o, "reply_truncated",
                              json_object_new_boolean(info->reply_truncated), NEW_KEY);
    return o;
}

json_object *kn_eve_ftp_data_object(kn_eve_t *e, const kn_ftp_data_info_t *info)
{
    json_object *o = json_object_new_object();

    (void)e;
    if (info->filename.p)
        json_object_object_add_ex(o, "filename", kn_eve_bytes(info->filename), NEW_KEY);
    if (info->command.p)
        json_object_object_add_ex(o, "command", kn_eve_bytes(info->command), NEW_KEY);
    return o;
}
