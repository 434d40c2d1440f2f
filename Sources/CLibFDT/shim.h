// CLibFDT: libfdt from the Device Tree Compiler project (Debian libfdt-dev), used to write and
// check flattened device trees. Debian ships no pkg-config file for libfdt, so the module map
// links `fdt` directly. <libfdt.h> declares the sequential-write API (fdt_create,
// fdt_begin_node, fdt_property, fdt_finish, ...), the read-only API (fdt_path_offset,
// fdt_getprop, ...) and the checks (fdt_check_header, fdt_check_full).
#ifndef HETBOOT_CLIBFDT_SHIM_H
#define HETBOOT_CLIBFDT_SHIM_H
#include <libfdt.h>
#endif
