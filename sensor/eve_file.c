/* eve_file.c: a file the engine saw end (KN_EV_FILE) as Suricata 7's "fileinfo" event
 * (output-json-file.c): the flow's tuple told from the sender of the file, the transaction's
 * object beside it ("http": {...}), app_proto, then "fileinfo" with filename, magic, gaps,
 * state, the hashes the state allows, stored, size and tx_id. A PE adds our own top-level
 * "pe" object with Zeek pe.log's field names (docs/eve.md).
 *
 * libmagic is opened once, when the writer is created, and asked about the file's first bytes
 * (the engine keeps them); without a magic database, or with `files: {force-magic: no}`,
 * "magic" is left out, as Suricata does. It is the most expensive part of a file's record (a
 * third of a run over the benchmark corpus), which is why Suricata's shipped configuration
 * has it off; kanshi keeps it on unless told. */
#include "eve_private.h"

#include <magic.h>
#include <stdio.h>
#include <string.h>

void kn_eve_file_init(kn_eve_t *e)
{
    magic_t m = e->cfg->file_magic ? magic_open(MAGIC_NONE) : NULL;

    if (m && magic_load(m, NULL) != 0) {
        magic_close(m);
        m = NULL;
    }
    e->magic = m;
}

void kn_eve_file_free(kn_eve_t *e)
{
    if (e->magic)
        magic_close((magic_t)e->magic);
    e->magic = NULL;
}

/* ---- Zeek's names (base/files/pe/consts.zeek) ------------------------------------------- */

typedef struct {
    unsigned v;
    const char *name;
} named_t;

static const named_t machines[] = {
    {0x0, "UNKNOWN"},   {0x1d3, "AM33"},      {0x8664, "AMD64"},    {0x1c0, "ARM"},
    {0x1c4, "ARMNT"},   {0xaa64, "ARM64"},    {0xebc, "EBC"},       {0x14c, "I386"},
    {0x200, "IA64"},    {0x9041, "M32R"},     {0x266, "MIPS16"},    {0x366, "MIPSFPU"},
    {0x466, "MIPSFPU16"}, {0x1f0, "POWERPC"}, {0x1f1, "POWERPCFP"}, {0x166, "R4000"},
    {0x1a2, "SH3"},     {0x1a3, "SH3DSP"},    {0x1a6, "SH4"},       {0x1a8, "SH5"},
    {0x1c2, "THUMB"},   {0x169, "WCEMIPSV2"}, {0, NULL},
};

static const named_t subsystems[] = {
    {0, "UNKNOWN"}, {1, "NATIVE"}, {2, "WINDOWS_GUI"}, {3, "WINDOWS_CUI"}, {7, "POSIX_CUI"},
    {9, "WINDOWS_CE_GUI"}, {10, "EFI_APPLICATION"}, {11, "EFI_BOOT_SERVICE_DRIVER"},
    {12, "EFI_RUNTIME_DRIVER"}, {13, "EFI_ROM"}, {14, "XBOX"}, {0, NULL},
};

/* os_versions, keyed major << 8 | minor */
static const named_t os_names[] = {
    {0xa00, "Windows 10"}, {0x604, "Windows 10 Technical Preview"},
    {0x603, "Windows 8.1 or Server 2012 R2"}, {0x602, "Windows 8 or Server 2012"},
    {0x601, "Windows 7 or Server 2008 R2"}, {0x600, "Windows Vista or Server 2008"},
    {0x502, "Windows XP x64 or Server 2003"}, {0x501, "Windows XP"}, {0x500, "Windows 2000"},
    {0x45a, "Windows Me"}, {0x40a, "Windows 98"}, {0x400, "Windows 95 or NT 4.0"},
    {0x333, "Windows NT 3.51"}, {0x332, "Windows NT 3.5"}, {0x302, "Windows 3.2"},
    {0x30b, "Windows for Workgroups 3.11"}, {0x30a, "Windows 3.1 or NT 3.1"},
    {0x300, "Windows 3.0"}, {0x20b, "Windows 2.11"}, {0x20a, "Windows 2.10"},
    {0x200, "Windows 2.0"}, {0x104, "Windows 1.04"}, {0x103, "Windows 1.03"},
    {0x101, "Windows 1.01"}, {0x100, "Windows 1.0"}, {0, NULL},
};

static const char *lookup(const named_t *t, unsigned v)
{
    for (; t->name; t++)
        if (t->v == v)
            return t->name;
    return NULL;
}

/* Zeek's name for v, or its "unknown-N" default. */
static json_object *zeek_name(const named_t *t, unsigned v)
{
    const char *n = lookup(t, v);
    char buf[24];

    if (n)
        return json_object_new_string(n);
    snprintf(buf, sizeof(buf), "unknown-%u", v);
    return json_object_new_string(buf);
}

static json_object *os_name(const kn_pe_info_t *pe)
{
    const char *n = NULL;
    char buf[32];

    if (pe->os_major < 256 && pe->os_minor < 256)
        n = lookup(os_names, (unsigned)pe->os_major << 8 | pe->os_minor);
    if (n)
        return json_object_new_string(n);
    snprintf(buf, sizeof(buf), "unknown-%u.%u", pe->os_major, pe->os_minor);
    return json_object_new_string(buf);
}

static void put_bool(json_object *o, const char *k, int v)
{
    json_object_object_add_ex(o, k, json_object_new_boolean(v != 0), NEW_KEY);
}

/* pe.log's record: the optional-header fields only when Zeek has them (an object file has
 * none). */
static json_object *pe_object(const kn_pe_info_t *pe)
{
    json_object *o = json_object_new_object(), *a;
    uint16_t i;

    json_object_object_add_ex(o, "machine", zeek_name(machines, pe->machine), NEW_KEY);
    json_object_object_add_ex(o, "compile_ts", json_object_new_int64(pe->compile_ts), NEW_KEY);
    if (pe->has_opt) {
        json_object_object_add_ex(o, "os", os_name(pe), NEW_KEY);
        json_object_object_add_ex(o, "subsystem", zeek_name(subsystems, pe->subsystem), NEW_KEY);
    }
    put_bool(o, "is_exe", pe->is_exe);
    put_bool(o, "is_64bit", pe->is_64bit);
    put_bool(o, "uses_aslr", pe->uses_aslr);
    put_bool(o, "uses_dep", pe->uses_dep);
    put_bool(o, "uses_code_integrity", pe->uses_code_integrity);
    put_bool(o, "uses_seh", pe->uses_seh);
    if (pe->has_opt) {
        put_bool(o, "has_import_table", pe->has_import_table);
        put_bool(o, "has_export_table", pe->has_export_table);
        put_bool(o, "has_cert_table", pe->has_cert_table);
        put_bool(o, "has_debug_data", pe->has_debug_data);
    }
    if (pe->n_sections) {
        a = json_object_new_array_ext(pe->n_sections);
        for (i = 0; i < pe->n_sections; i++)
            json_object_array_add(a, kn_eve_bytes(pe->section_names[i]));
        json_object_object_add_ex(o, "section_names", a, NEW_KEY);
    }
    return o;
}

/* ---- fileinfo --------------------------------------------------------------------------- */

static void put_magic(kn_eve_t *e, json_object *o, const kn_file_info_t *f)
{
    const char *m;

    if (!e->magic)
        return;
    m = magic_buffer((magic_t)e->magic, f->head_len ? f->head : (const uint8_t *)"", f->head_len);
    if (m)
        json_object_object_add_ex(o, "magic", json_object_new_string(m), NEW_KEY);
}

static const char *state_name(uint8_t s)
{
    return s == KN_FILE_CLOSED ? "CLOSED" : s == KN_FILE_TRUNCATED ? "TRUNCATED" : "UNKNOWN";
}

json_object *kn_eve_fileinfo_object(kn_eve_t *e, const kn_file_info_t *f, uint64_t tx_id,
                                    int stored)
{
    json_object *o = json_object_new_object();
    kn_str_t name = f->filename;

    if (!name.p)
        name.p = (const uint8_t *)"", name.len = 0;
    json_object_object_add_ex(o, "filename", kn_eve_bytes(name), NEW_KEY);
    put_magic(e, o, f);
    put_bool(o, "gaps", f->gaps);
    json_object_object_add_ex(o, "state", json_object_new_string(state_name(f->state)), NEW_KEY);
    if (f->has_md5)
        json_object_object_add_ex(o, "md5", kn_eve_hex(f->md5, sizeof(f->md5), 0), NEW_KEY);
    if (f->has_sha1)
        json_object_object_add_ex(o, "sha1", kn_eve_hex(f->sha1, sizeof(f->sha1), 0), NEW_KEY);
    if (f->has_sha256)
        json_object_object_add_ex(o, "sha256",
                                  kn_eve_hex(f->sha256, sizeof(f->sha256), 0), NEW_KEY);
    put_bool(o, "stored", stored);
    json_object_object_add_ex(o, "size", json_object_new_int64((int64_t)f->size), NEW_KEY);
    json_object_object_add_ex(o, "tx_id", json_object_new_int64((int64_t)tx_id), NEW_KEY);
    return o;
}

void kn_eve_file(kn_eve_t *e, const kn_event_t *ev)
{
    const kn_file_event_t *fe = &ev->u.file;
    const char *key = kn_eve_app_key(fe->app);
    json_object *o, *app;

    if (!ev->flow || !fe->file)
        return;
    o = json_object_new_object();
    kn_eve_flow_head(e, o, ev, "fileinfo", !fe->to_server);
    if (key && fe->app_info && (app = kn_eve_app_object(e, fe->app, fe->app_info)))
        json_object_object_add_ex(o, key, app, NEW_KEY);
    json_object_object_add(o, "app_proto", json_object_new_string(kn_app_name(fe->app)));
    json_object_object_add_ex(
        o, "fileinfo", kn_eve_fileinfo_object(e, fe->file, fe->tx_id, fe->stored), NEW_KEY);
    if (fe->file->pe)
        json_object_object_add_ex(o, "pe", pe_object(fe->file->pe), NEW_KEY);
    kn_eve_write(e, o);
    json_object_put(o);
    e->written[KN_EV_FILE]++;
}
