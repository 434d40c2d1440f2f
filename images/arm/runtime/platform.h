/*
 * The platform the runtime is built for: its memory map, as constants usable from C and from
 * assembly (start.S). build.sh compiles the runtime and the images once per platform:
 *
 *  - default: the Versatile Express map shared by vexpress-a15 and tc2 (hetboot's and QEMU's
 *    vexpress-a15, hetboot's tc2). The GIC is found through CBAR (PERIPHBASE): distributor at
 *    +0x1000, CPU interface +0x2000, GICH +0x4000, GICV +0x6000 (Cortex-A15 MPCore TRM 8.2,
 *    "Memory map"). Secondaries may sit in the boot monitor's SYS_FLAGS pen.
 *
 *  - RT_PLATFORM_VIRT: QEMU 7.2's arm `virt` board (hw/arm/virt.c base_memmap) and hetboot's
 *    virt-arm. Fixed GIC addresses (virt.c sets CBAR to VIRT_CPUPERIPHS = 0x08000000, where
 *    the distributor itself starts, so the A15-tile offsets do not apply), RAM at 0x40000000
 *    with the device tree at its base (hw/arm/boot.c), secondaries powered off until PSCI
 *    CPU_ON, no system registers and so no SYS_FLAGS pen.
 */
#ifndef HETBOOT_RUNTIME_PLATFORM_H
#define HETBOOT_RUNTIME_PLATFORM_H

/* Included by start.S too: no C in here, and integer suffixes only through RT_U. */
#ifdef __ASSEMBLER__
#define RT_U(x) x
#else
#define RT_U(x) x##u
#endif

#ifdef RT_PLATFORM_VIRT
#define RT_PLATFORM_NAME "virt"
#define RT_RAM_BASE RT_U(0x40000000)   /* virt.c VIRT_MEM */
#define RT_LINK_ADDRESS RT_U(0x40100000) /* 1 MiB above: the DTB QEMU/hetboot put at RT_RAM_BASE */
#define RT_UART0_BASE RT_U(0x09000000) /* virt.c VIRT_UART: PL011 */
#define RT_GICD_BASE RT_U(0x08000000)  /* virt.c VIRT_GIC_DIST */
#define RT_GICC_BASE RT_U(0x08010000)  /* virt.c VIRT_GIC_CPU */
#define RT_GICH_BASE RT_U(0x08030000)  /* virt.c VIRT_GIC_HYP (mapped only with virtualization=on) */
#define RT_GICV_BASE RT_U(0x08040000)  /* virt.c VIRT_GIC_VCPU (likewise) */
#define RT_HAS_SYS_FLAGS 0
#else
#define RT_PLATFORM_NAME "vexpress"
#define RT_RAM_BASE RT_U(0x80000000)
#define RT_LINK_ADDRESS RT_U(0x80000000)
#define RT_UART0_BASE RT_U(0x1C090000)  /* PL011 UART0 */
#define RT_SYSREG_BASE RT_U(0x1C010000) /* Versatile Express system registers */
#define RT_SYS_FLAGSSET RT_U(0x30)
#define RT_SYS_FLAGSCLR RT_U(0x34)
#define RT_HAS_SYS_FLAGS 1
/* GIC: at fixed offsets from PERIPHBASE (rt_periphbase(), CBAR) */
#define RT_GICD_OFFSET RT_U(0x1000)
#define RT_GICC_OFFSET RT_U(0x2000)
#define RT_GICH_OFFSET RT_U(0x4000)
#define RT_GICV_OFFSET RT_U(0x6000)
#endif

#endif
