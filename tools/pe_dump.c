/* pe_dump.c: prints engine/pe.c's reading of files as Zeek pe.log columns (tab-separated, "-"
 * for unset, T/F booleans), for tools/compare_pe.py. Build: cc -Iengine tools/pe_dump.c
 * engine/pe.c. */
#include <stdio.h>
#include <stdlib.h>

#include "kanshi.h"
#include "pe.h"

#define PREFIX (64u << 10) /* what file.c keeps: KN_FILE_HEAD_MAX */

static const char *tf(int v)
{
    return v ? "T" : "F";
}

static void dump(const char *path, const uint8_t *buf, uint32_t len)
{
    kn_pe_t pe;
    uint32_t need, i;
    const kn_pe_info_t *p = &pe.info;

    if (kn_pe_parse(buf, len, &pe, &need) != KN_OK) {
        printf("%s\tnot-pe\n", path);
        return;
    }
    printf("%s\t%u\t%u\t", path, p->machine, p->compile_ts);
    if (p->has_opt)
        printf("%u.%u\t%u\t", p->os_major, p->os_minor, p->subsystem);
    else
        printf("-\t-\t");
    printf("%s\t%s\t%s\t%s\t%s\t%s\t", tf(p->is_exe), tf(p->is_64bit), tf(p->uses_aslr),
           tf(p->uses_dep), tf(p->uses_code_integrity), tf(p->uses_seh));
    if (p->has_opt)
        printf("%s\t%s\t%s\t%s\t", tf(p->has_import_table), tf(p->has_export_table),
               tf(p->has_cert_table), tf(p->has_debug_data));
    else
        printf("-\t-\t-\t-\t");
    for (i = 0; i < p->n_sections; i++)
        printf("%s%.*s", i ? "," : "", (int)p->section_names[i].len, p->section_names[i].p);
    printf("%s\n", p->n_sections ? "" : "-");
}

int main(int argc, char **argv)
{
    static uint8_t buf[PREFIX];
    int i;

    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        size_t n;
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        dump(argv[i], buf, (uint32_t)n);
    }
    return 0;
}
