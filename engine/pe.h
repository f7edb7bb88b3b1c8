/* pe.h: Windows PE headers (Microsoft PE/COFF specification) read from a file's first bytes,
 * as Zeek's pe.log reports them, and ELF recognised by its identification bytes.
 *
 * The parser works on a prefix of the file (file.c keeps the first KN_FILE_HEAD_MAX bytes):
 * everything pe.log reports lives in the headers (DOS header, NT headers, section table),
 * which a linker places in the first few KB. It reads only within the length given and never
 * assumes alignment; a prefix that ends inside the headers says how many bytes it needs. */
#ifndef KANSHI_ENGINE_PE_H
#define KANSHI_ENGINE_PE_H

#include <stdint.h>

#include "appinfo.h"

#define KN_PE_MAX_SECTIONS 96 /* the Windows loader's limit; more are not listed */

typedef struct kn_pe {
    kn_pe_info_t info; /* its section_names point into names below */
    kn_str_t names[KN_PE_MAX_SECTIONS];
    uint8_t name_buf[KN_PE_MAX_SECTIONS][8];
} kn_pe_t;

/* The first len bytes of a file (borrowed). KN_OK: a PE ("MZ", then "PE\0\0" at e_lfanew),
 * *pe filled; KN_DECLINED: not one; KN_AGAIN: the headers end beyond len, *need says where
 * (a prefix that can grow that far should be offered again). pe may point into itself only
 * while it is not moved. */
int kn_pe_parse(const uint8_t *p, uint32_t len, kn_pe_t *pe, uint32_t *need);

/* 1 when the bytes start an ELF object (e_ident "\x7fELF", a valid class and data byte). */
int kn_elf_detect(const uint8_t *p, uint32_t len);

#endif
