/* pe.c: PE/COFF headers (Microsoft "PE Format": MS-DOS stub, signature, COFF file header,
 * optional header with its data directories, section table) as Zeek's pe.log reads them.
 *
 * Zeek's reading is followed where it is lenient, so the two logs agree: the NT headers start
 * at e_lfanew only when it is past the 64-byte DOS header; is_exe means "has an optional
 * header"; an optional header whose magic is not PE32 (0x10b), PE32+ (0x20b) or ROM (0x107) is
 * skipped (no os, subsystem or table flags); a ROM header has neither BaseOfData nor the
 * stack/heap sizes. Unlike Zeek, the "PE\0\0" signature is required: an NE or LE executable
 * behind an MZ stub is not a PE. */
#include "pe.h"

#include <string.h>

#include "cursor.h"
#include "kanshi.h"

#define DOS_HDR 64u
#define COFF_HDR 20u
#define SECTION_HDR 40u

enum { FMT_ROM = 0x107, FMT_PE32 = 0x10b, FMT_PE32P = 0x20b };

/* IMAGE_DLLCHARACTERISTICS_* bits pe.log turns into flags */
#define DLL_DYNAMIC_BASE 0x0040u
#define DLL_FORCE_INTEGRITY 0x0080u
#define DLL_NX_COMPAT 0x0100u
#define DLL_NO_SEH 0x0400u
#define FILE_32BIT_MACHINE 0x0100u

/* Data directories pe.log looks at (index in the optional header's table). */
enum { DIR_EXPORT = 0, DIR_IMPORT = 1, DIR_CERT = 4, DIR_DEBUG = 6 };

int kn_elf_detect(const uint8_t *p, uint32_t len)
{
    /* ELF e_ident: magic, EI_CLASS 1 or 2, EI_DATA 1 or 2, EI_VERSION 1 */
    return len >= 7 && p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F' &&
           (p[4] == 1 || p[4] == 2) && (p[5] == 1 || p[5] == 2) && p[6] == 1;
}

/* The size field of data directory i, 0 when the table has no such entry. */
static uint32_t dir_size(const uint8_t *tab, uint32_t n, uint32_t i)
{
    kn_cursor_t c;

    if (i >= n)
        return 0;
    kn_cur_init(&c, tab + i * 8u + 4u, 4);
    return kn_cur_le32(&c);
}

/* The optional header's fields from its Windows-specific part on (opt: its bytes, olen its
 * declared size, all present). */
static void optional_header(const uint8_t *opt, uint32_t olen, kn_pe_info_t *pi)
{
    kn_cursor_t c;
    uint16_t magic, dll;
    uint32_t nrva, room, mem;

    kn_cur_init(&c, opt, olen);
    magic = kn_cur_le16(&c);
    if (magic != FMT_PE32 && magic != FMT_PE32P && magic != FMT_ROM)
        return;
    /* linker version, code/data sizes, entry point, BaseOfCode; then PE32's BaseOfData and
     * the ImageBase (8 bytes in PE32+), SectionAlignment, FileAlignment */
    kn_cur_skip(&c, 2 + 4 * 5 + (magic == FMT_PE32 ? 4 : 0) + (magic == FMT_PE32P ? 8 : 4) + 8);
    pi->os_major = kn_cur_le16(&c);
    pi->os_minor = kn_cur_le16(&c);
    kn_cur_skip(&c, 2 * 4 + 4 * 4); /* image and subsystem versions, Win32Version, sizes, sum */
    pi->subsystem = kn_cur_le16(&c);
    dll = kn_cur_le16(&c);
    mem = magic == FMT_PE32P ? 32 : magic == FMT_PE32 ? 16 : 0; /* stack and heap sizes */
    kn_cur_skip(&c, mem + 4);
    nrva = kn_cur_le32(&c);
    if (c.err)
        return; /* the declared size ends inside the fixed fields */
    room = (uint32_t)kn_cur_left(&c) / 8u;
    if (nrva > room)
        nrva = room;
    pi->has_opt = 1;
    pi->uses_aslr = (dll & DLL_DYNAMIC_BASE) != 0;
    pi->uses_code_integrity = (dll & DLL_FORCE_INTEGRITY) != 0;
    pi->uses_dep = (dll & DLL_NX_COMPAT) != 0;
    pi->uses_seh = !(dll & DLL_NO_SEH);
    pi->has_export_table = dir_size(kn_cur_ptr(&c), nrva, DIR_EXPORT) > 0;
    pi->has_import_table = dir_size(kn_cur_ptr(&c), nrva, DIR_IMPORT) > 0;
    pi->has_cert_table = dir_size(kn_cur_ptr(&c), nrva, DIR_CERT) > 0;
    pi->has_debug_data = dir_size(kn_cur_ptr(&c), nrva, DIR_DEBUG) > 0;
}

static void section_names(const uint8_t *tab, uint16_t nsec, kn_pe_t *pe)
{
    uint16_t i, n = nsec < KN_PE_MAX_SECTIONS ? nsec : KN_PE_MAX_SECTIONS;

    for (i = 0; i < n; i++) {
        const uint8_t *nm = tab + (uint32_t)i * SECTION_HDR;
        const uint8_t *nul = memchr(nm, 0, 8);
        memcpy(pe->name_buf[i], nm, 8);
        pe->names[i].p = pe->name_buf[i];
        pe->names[i].len = nul ? (uint32_t)(nul - nm) : 8u;
    }
    pe->info.section_names = pe->names;
    pe->info.n_sections = n;
}

int kn_pe_parse(const uint8_t *p, uint32_t len, kn_pe_t *pe, uint32_t *need)
{
    kn_cursor_t c;
    uint32_t nt, opt_at;
    uint64_t end;
    uint16_t nsec, opt_size, chars;

    *need = 0;
    if (len >= 2 && (p[0] != 'M' || p[1] != 'Z'))
        return KN_DECLINED;
    kn_cur_init(&c, p, len);
    kn_cur_skip(&c, 0x3c);
    nt = kn_cur_le32(&c);
    nt = nt > DOS_HDR ? nt : DOS_HDR;
    if (c.err || (uint64_t)nt + 4 + COFF_HDR > len) {
        *need = c.err ? DOS_HDR : nt + 4 + COFF_HDR;
        return (uint64_t)nt + 4 + COFF_HDR > UINT32_MAX ? KN_DECLINED : KN_AGAIN;
    }
    if (memcmp(p + nt, "PE\0\0", 4))
        return KN_DECLINED;
    memset(pe, 0, sizeof(*pe));
    kn_cur_init(&c, p + nt + 4, COFF_HDR);
    pe->info.machine = kn_cur_le16(&c);
    nsec = kn_cur_le16(&c);
    pe->info.compile_ts = kn_cur_le32(&c);
    kn_cur_skip(&c, 8); /* symbol table pointer and count (COFF debugging, deprecated) */
    opt_size = kn_cur_le16(&c);
    chars = kn_cur_le16(&c);
    opt_at = nt + 4 + COFF_HDR;
    end = (uint64_t)opt_at + opt_size + (uint64_t)nsec * SECTION_HDR;
    if (end > len) {
        *need = end > UINT32_MAX ? UINT32_MAX : (uint32_t)end;
        return KN_AGAIN;
    }
    pe->info.is_exe = opt_size > 0;
    pe->info.is_64bit = !(chars & FILE_32BIT_MACHINE);
    pe->info.uses_seh = 1;
    if (!pe->info.is_exe) /* an object file: pe.log has only the file header's fields */
        return KN_OK;
    optional_header(p + opt_at, opt_size, &pe->info);
    section_names(p + opt_at + opt_size, nsec, pe);
    return KN_OK;
}
