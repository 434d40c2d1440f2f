// CLibELF: the parts of elfutils' libelf (Debian libelf-dev) the Images module uses.
// <libelf.h> declares the file/section API (elf_begin, elf_nextscn, elf_strptr, ...);
// <gelf.h> the class-independent views (GElf_Ehdr, gelf_getphdr, gelf_getsym, ...).
#ifndef HETBOOT_CLIBELF_SHIM_H
#define HETBOOT_CLIBELF_SHIM_H
#include <libelf.h>
#include <gelf.h>
#endif
