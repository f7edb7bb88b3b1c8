/* eve_smtp.c: the "smtp" and "email" objects of an eve event from a kn_smtp_info_t, as
 * Suricata 7 writes them with its default settings:
 *   "smtp": {"helo", "mail_from", "rcpt_to": [..]}          (each only when seen)
 *   "email": {"status", "from", "to": [..], "cc": [..], "has_ipv6_url", "has_ipv4_url",
 *             "has_exe_url", "url": [..], "attachment": [..]}
 * The address lists are the header values split at commas, each trimmed. Fields are written
 * whatever the status (a message cut short has those its header got to). The URL flags are
 * those of the entity the message ended in (the engine's url_flags), written only when that
 * entity has URLs of its own. They say what the URLs are: Suricata 7 sets has_ipv6_url for an
 * IPv4 host and never has_ipv4_url (its output tests URL_IS_IP4 into the IPv6 flag); kanshi
 * does not copy that mistake (docs/eve.md), so the two differ on mails with IPv4 URLs. */
#include "eve_private.h"

#include <stdio.h>

json_object *kn_eve_smtp_object(kn_eve_t *e, const kn_smtp_info_t *info)
{
    json_object *o = json_object_new_object();

    (void)e;
    kn_eve_add_bytes(o, "helo", info->helo);
    kn_eve_add_bytes(o, "mail_from", info->mail_from);
    kn_eve_add_bytes_list(o, "rcpt_to", info->rcpt_to, info->n_rcpt_to);
    return o;
}

static int blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* "a, b ,c" as ["a","b","c"] (an element left empty by trimming is still written). */
static void add_split(json_object *o, const char *key, kn_str_t v)
{
    json_object *a;
    uint32_t i = 0, s, e;
    kn_str_t part;

    if (!v.p)
        return;
    a = json_object_new_array();
    while (i <= v.len) {
        for (s = i; i < v.len && v.p[i] != ','; i++)
            ;
        for (e = i; s < e && blank(v.p[s]); s++)
            ;
        while (e > s && blank(v.p[e - 1]))
            e--;
        part.p = v.p + s;
        part.len = e - s;
        json_object_array_add(a, kn_eve_bytes(part));
        i++;
    }
    json_object_object_add_ex(o, key, a, NEW_KEY);
}

static const char *status_name(uint8_t st)
{
    switch (st) {
    case KN_EMAIL_HEADER_STARTED: return "HEADER_STARTED";
    case KN_EMAIL_HEADER_READY: return "HEADER_READY";
    case KN_EMAIL_HEADER_DONE: return "HEADER_DONE";
    case KN_EMAIL_BODY_STARTED: return "BODY_STARTED";
    case KN_EMAIL_BODY_END_BOUND: return "BODY_END_BOUND";
    case KN_EMAIL_PARSE_DONE: return "PARSE_DONE";
    default: return "PARSE_ERROR";
    }
}

json_object *kn_eve_email_object(kn_eve_t *e, const kn_smtp_info_t *info)
{
    json_object *o;

    (void)e;
    if (info->email_status == KN_EMAIL_NONE)
        return NULL;
    o = json_object_new_object();
    json_object_object_add_ex(o, "status", json_object_new_string(status_name(info->email_status)),
                              NEW_KEY);
    kn_eve_add_bytes(o, "from", info->from);
    add_split(o, "to", info->to);
    add_split(o, "cc", info->cc);
    if (info->url_flags & KN_EMAIL_URL_OWN) {
        json_object_object_add_ex(
            o, "has_ipv6_url", json_object_new_boolean(!!(info->url_flags & KN_EMAIL_URL_IPV6)),
            NEW_KEY);
        json_object_object_add_ex(
            o, "has_ipv4_url", json_object_new_boolean(!!(info->url_flags & KN_EMAIL_URL_IPV4)),
            NEW_KEY);
        json_object_object_add_ex(
            o, "has_exe_url", json_object_new_boolean(!!(info->url_flags & KN_EMAIL_URL_EXE)),
            NEW_KEY);
    }
    kn_eve_add_bytes_list(o, "attachment", info->attachments, info->n_attachments);
    kn_eve_add_bytes_list(o, "url", info->urls, info->n_urls);
    return o;
}
