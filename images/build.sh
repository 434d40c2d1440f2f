#!/usr/bin/env bash
# Builds every guest test image from source with clang and ld.lld (the Swift toolchain's are
# fine), reproducibly: same sources + same toolchain = the same bytes.
#
#   images/build.sh          rebuild every image in place (images/arm/*.elf, images/riscv/*.elf,
#                            images/probe/*.elf)
#   images/build.sh --check  rebuild into a temporary directory and compare byte-for-byte
#                            with the committed ELFs; exits 1 naming each one that differs
#
# Reproducibility: no -g, the compiler runs from images/ with relative source paths (the only
# path an object records is the STT_FILE symbol, e.g. "arm/runtime/start.S"), objects are
# linked in a fixed order, .comment/.note sections are discarded by the link scripts.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

mode=build
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$1' (expected nothing or --check)" >&2; exit 2 ;;
esac

for tool in clang ld.lld; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build.sh: '$tool' not found on PATH (the Swift toolchain's /opt/swift/usr/bin provides it)" >&2
        exit 2
    fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/hetboot-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ "$mode" = check ]; then out="$work/out"; else out="$here"; fi
mkdir -p "$out/arm" "$out/riscv" "$work/obj"

# A32 only (hetboot has no Thumb), no VFP/NEON, no unaligned accesses from compiled code
# (some tests run with SCTLR.A = 1).
ARM_CFLAGS=(--target=armv7a-none-eabi -mcpu=cortex-a15 -marm -mfloat-abi=soft -mfpu=none
    -mno-unaligned-access -ffreestanding -fno-builtin -nostdlib -fno-common -fno-ident
    -fno-exceptions -fno-unwind-tables -fno-asynchronous-unwind-tables
    -O2 -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter)

# compile SRC OBJ [extra flags...]
compile() {
    local src=$1 obj=$2
    shift 2
    clang "${ARM_CFLAGS[@]}" "$@" -c "$src" -o "$obj"
}

RUNTIME_SRCS=(arm/runtime/start.S arm/runtime/vectors.S arm/runtime/exceptions.c
    arm/runtime/cpu.c arm/runtime/console.c arm/runtime/lock.c arm/runtime/gic.c
    arm/runtime/psci.c arm/runtime/smp.c arm/runtime/semihost.c arm/runtime/mem.c)

# Platforms. The runtime and the images are compiled once per platform (see
# arm/runtime/platform.h):
#   vexpress  the Versatile Express map of vexpress-a15 and tc2 (hetboot's and QEMU's
#             vexpress-a15): images/arm/NAME.elf, linked at 0x80000000
#   virt      QEMU's arm `virt` board and hetboot's virt-arm (-DRT_PLATFORM_VIRT):
#             images/arm/NAME-virt.elf, linked at 0x40100000 (link.ld with its one base
#             address line replaced), 1 MiB above the RAM base where QEMU's hw/arm/boot.c
#             and hetboot put the device tree for an ELF image
virt_link="$work/link-virt.ld"
sed 's/^    \. = 0x80000000;$/    . = 0x40100000;/' arm/runtime/link.ld >"$virt_link"
if cmp -s arm/runtime/link.ld "$virt_link"; then
    echo "build.sh: arm/runtime/link.ld has no '    . = 0x80000000;' line to rebase for virt" >&2
    exit 1
fi
runtime_objs=()
virt_runtime_objs=()
for src in "${RUNTIME_SRCS[@]}"; do
    obj="$work/obj/rt_$(basename "${src%.*}").o"
    compile "$src" "$obj"
    runtime_objs+=("$obj")
    obj="$work/obj/rtvirt_$(basename "${src%.*}").o"
    compile "$src" "$obj" -DRT_PLATFORM_VIRT
    virt_runtime_objs+=("$obj")
done

# image NAME "SOURCES..." [extra compiler flags...]        the vexpress/tc2 build, NAME.elf
image() {
    local name=$1 srcs=$2
    shift 2
    local objs=()
    for src in $srcs; do
        local obj="$work/obj/${name}_$(basename "${src%.*}").o"
        compile "$src" "$obj" "$@"
        objs+=("$obj")
    done
    ld.lld -T arm/runtime/link.ld --no-undefined --build-id=none -o "$out/arm/$name.elf" \
        "${runtime_objs[@]}" "${objs[@]}"
    check_a32 "$out/arm/$name.elf"
}

# virt_image NAME "SOURCES..." [extra compiler flags...]   the virt build, NAME-virt.elf
virt_image() {
    local name=$1-virt srcs=$2
    shift 2
    local objs=()
    for src in $srcs; do
        local obj="$work/obj/${name}_$(basename "${src%.*}").o"
        compile "$src" "$obj" -DRT_PLATFORM_VIRT "$@"
        objs+=("$obj")
    done
    ld.lld -T "$virt_link" --no-undefined \
        --build-id=none -o "$out/arm/$name.elf" "${virt_runtime_objs[@]}" "${objs[@]}"
    check_a32 "$out/arm/$name.elf"
}

# hetboot implements A32 only: refuse an image with Thumb code ($t mapping symbols) or any
# VFP/Advanced SIMD instruction (all of their mnemonics start with "v"). Uses the
# llvm-objdump next to clang (newer than a distribution's); skipped if there is none.
objdump_tool=$(dirname "$(command -v clang)")/llvm-objdump
[ -x "$objdump_tool" ] || objdump_tool=$(command -v llvm-objdump || true)
check_a32() {
    local elf=$1
    [ -n "$objdump_tool" ] || return 0
    if "$objdump_tool" -t "$elf" | grep -q '[[:space:]]\$t'; then
        echo "build.sh: $(basename "$elf") contains Thumb code" >&2
        exit 1
    fi
    local bad
    bad=$("$objdump_tool" -d --no-show-raw-insn "$elf" |
        awk -F'\t' '/^ *[0-9a-f]+:/ && $2 ~ /^v/ { print $0 }' | head -5)
    if [ -n "$bad" ]; then
        echo "build.sh: $(basename "$elf") contains VFP/NEON instructions:" >&2
        echo "$bad" >&2
        exit 1
    fi
}

image hello "arm/hello/hello.c"
image smp-boot "arm/smp-boot/smp-boot.c"
image hyp-stub "arm/hyp-stub/hyp-stub.c arm/hyp-stub/stub.S"
image vgic-basic "arm/vgic-basic/vgic-basic.c arm/vgic-basic/vectors.S"
image bench "common/bench/bench.c" -Iarm/runtime -DROUNDS=192
image bench-small "common/bench/bench.c" -Iarm/runtime -DROUNDS=1
ISA_SELFTEST_SRCS="arm/isa-selftest/main.c arm/isa-selftest/framework.c
    arm/isa-selftest/flags.c arm/isa-selftest/shifter.c arm/isa-selftest/logic.c
    arm/isa-selftest/multiply.c arm/isa-selftest/divide.c arm/isa-selftest/saturate.c
    arm/isa-selftest/parallel.c arm/isa-selftest/media.c arm/isa-selftest/loadstore.c
    arm/isa-selftest/ldmstm.c arm/isa-selftest/ldmstm_user.S arm/isa-selftest/exclusive.c
    arm/isa-selftest/banked.c arm/isa-selftest/banked_asm.S arm/isa-selftest/exceptions.c
    arm/isa-selftest/exceptions_asm.S arm/isa-selftest/branch.c"
image isa-selftest "$ISA_SELFTEST_SRCS"
image mmu-selftest "arm/mmu-selftest/mmu-selftest.c arm/mmu-selftest/mmu_asm.S" -Iarm/runtime
image kvm-init-3.9 "arm/kvm-init/kvm-init.c arm/kvm-init/kernel_boot.c arm/kvm-init/xcall.c
    arm/kvm-init/hyp_mmu.c arm/kvm-init/hyp.S arm/hyp-stub/stub.S" \
    -DKVM_VERSION=309 '-DIMAGE_NAME="kvm-init-3.9"'
image kvm-init-3.10 "arm/kvm-init/kvm-init.c arm/kvm-init/kernel_boot.c arm/kvm-init/xcall.c
    arm/kvm-init/hyp_mmu.c arm/kvm-init/hyp.S arm/hyp-stub/stub.S" \
    -DKVM_VERSION=310 '-DIMAGE_NAME="kvm-init-3.10"'
image kvm-init-3.13 "arm/kvm-init/kvm-init.c arm/kvm-init/kernel_boot.c arm/kvm-init/xcall.c
    arm/kvm-init/hyp_mmu.c arm/kvm-init/hyp.S arm/hyp-stub/stub.S" \
    -DKVM_VERSION=313 '-DIMAGE_NAME="kvm-init-3.13"'
image hyp-identity-missing "arm/kvm-init/kvm-init.c arm/kvm-init/kernel_boot.c arm/kvm-init/xcall.c
    arm/kvm-init/hyp_mmu.c arm/kvm-init/hyp.S arm/hyp-stub/stub.S" \
    -DKVM_VERSION=309 '-DIMAGE_NAME="hyp-identity-missing"' -DHYP_IDMAP_MISSING=1
image hyp-identity-fixed "arm/kvm-init/kvm-init.c arm/kvm-init/kernel_boot.c arm/kvm-init/xcall.c
    arm/kvm-init/hyp_mmu.c arm/kvm-init/hyp.S arm/hyp-stub/stub.S" \
    -DKVM_VERSION=309 '-DIMAGE_NAME="hyp-identity-fixed"'
image hyp-guest "arm/hyp-guest/hyp-guest.c arm/hyp-guest/hyp.S"

# The virt builds of the images that run on QEMU's virt board (and hetboot's virt-arm).
KVM_INIT_SRCS="arm/kvm-init/kvm-init.c arm/kvm-init/kernel_boot.c arm/kvm-init/xcall.c
    arm/kvm-init/hyp_mmu.c arm/kvm-init/hyp.S arm/hyp-stub/stub.S"
virt_image hello "arm/hello/hello.c"
virt_image smp-boot "arm/smp-boot/smp-boot.c"
virt_image hyp-stub "arm/hyp-stub/hyp-stub.c arm/hyp-stub/stub.S"
virt_image hyp-guest "arm/hyp-guest/hyp-guest.c arm/hyp-guest/hyp.S"
virt_image isa-selftest "$ISA_SELFTEST_SRCS"
virt_image kvm-init-3.9 "$KVM_INIT_SRCS" -DKVM_VERSION=309 '-DIMAGE_NAME="kvm-init-3.9"'
virt_image kvm-init-3.10 "$KVM_INIT_SRCS" -DKVM_VERSION=310 '-DIMAGE_NAME="kvm-init-3.10"'
virt_image kvm-init-3.13 "$KVM_INIT_SRCS" -DKVM_VERSION=313 '-DIMAGE_NAME="kvm-init-3.13"'
virt_image vgic-basic "arm/vgic-basic/vgic-basic.c arm/vgic-basic/vectors.S"
virt_image mmu-selftest "arm/mmu-selftest/mmu-selftest.c arm/mmu-selftest/mmu_asm.S" -Iarm/runtime
virt_image hyp-identity-missing "$KVM_INIT_SRCS" \
    -DKVM_VERSION=309 '-DIMAGE_NAME="hyp-identity-missing"' -DHYP_IDMAP_MISSING=1
virt_image hyp-identity-fixed "$KVM_INIT_SRCS" -DKVM_VERSION=309 '-DIMAGE_NAME="hyp-identity-fixed"'

# Not a test image: a firmware fixture that makes QEMU boot images the way hetboot's tc2 does
# (see arm/qemu-tc2-shim/shim.S). Linked on its own at 0x87000000.
compile arm/qemu-tc2-shim/shim.S "$work/obj/qemu-tc2-shim.o"
ld.lld -T arm/qemu-tc2-shim/link.ld --no-undefined --build-id=none \
    -o "$out/arm/qemu-tc2-shim.elf" "$work/obj/qemu-tc2-shim.o"
check_a32 "$out/arm/qemu-tc2-shim.elf"

# ---- RISC-V ----
# RV64IMAC, LP64 (soft float: no F/D registers in the ABI either), medany so the images can
# sit at 0x80000000, no linker relaxation (no gp-relative code, nothing depends on
# __global_pointer$). Only the sources an image lists as F/D sources are compiled with F and D
# (rv64imafdc, still the lp64 ABI), and only such an image may contain F/D instructions; no
# image may contain a V instruction (check_rv).
RV_CFLAGS=(--target=riscv64-unknown-elf -march=rv64imac -mabi=lp64 -mcmodel=medany -mno-relax -Iriscv/include
    -ffreestanding -fno-builtin -nostdlib -fno-common -fno-ident
    -fno-exceptions -fno-unwind-tables -fno-asynchronous-unwind-tables
    -O2 -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter)

rv_compile() {
    local src=$1 obj=$2
    shift 2
    clang "${RV_CFLAGS[@]}" "$@" -c "$src" -o "$obj"
}

RV_RUNTIME_SRCS=(riscv/runtime/start.S riscv/runtime/trap.c riscv/runtime/console.c
    riscv/runtime/lock.c riscv/runtime/smp.c riscv/runtime/fdt.c riscv/runtime/clint.c
    riscv/runtime/exit.c riscv/runtime/mem.c)

rv_runtime_objs=()
for src in "${RV_RUNTIME_SRCS[@]}"; do
    obj="$work/obj/rv_rt_$(basename "${src%.*}").o"
    rv_compile "$src" "$obj"
    rv_runtime_objs+=("$obj")
done

# rv_image NAME "SOURCES..." ["F/D SOURCES..." [extra compiler flags...]]: the second list is
# compiled with F and D; the flags go to every source.
rv_image() {
    local name=$1 srcs=$2 fd_srcs=${3:-}
    shift $(($# < 3 ? $# : 3))
    local objs=()
    for src in $srcs; do
        local obj="$work/obj/rv_${name}_$(basename "${src%.*}").o"
        rv_compile "$src" "$obj" "$@"
        objs+=("$obj")
    done
    for src in $fd_srcs; do
        local obj="$work/obj/rv_${name}_$(basename "${src%.*}").o"
        rv_compile "$src" "$obj" -march=rv64imafdc "$@"
        objs+=("$obj")
    done
    ld.lld -T riscv/runtime/link.ld --no-undefined --build-id=none -o "$out/riscv/$name.elf" \
        "${rv_runtime_objs[@]}" "${objs[@]}"
    check_rv "$out/riscv/$name.elf" "${fd_srcs:+fd}"
}

# check_rv ELF [fd]: refuse a V instruction (hetboot's harts do not implement V), and an F or
# D instruction unless the image has F/D sources ("fd"). The disassembly enables those
# extensions (--mattr) so that such an instruction shows by its name, not as <unknown>: every
# F/D mnemonic starts with "f" (flw, fadd.d, fmv.x.w, frcsr, and the C forms c.fld/c.fsd print
# as fld/fsd) except the fences; every V one with "v".
check_rv() {
    local elf=$1 allow_fd=${2:-}
    [ -n "$objdump_tool" ] || return 0
    local bad
    bad=$("$objdump_tool" -d --no-show-raw-insn --mattr=+m,+a,+f,+d,+c,+v "$elf" |
        awk -F'\t' -v fd="$allow_fd" '/^ *[0-9a-f]+:/ && ((fd == "" && $2 ~ /^f/ && $2 !~ /^fence/) || $2 ~ /^v/) { print $0 }' |
        head -5)
    if [ -n "$bad" ]; then
        echo "build.sh: $(basename "$elf") contains ${allow_fd:+V}${allow_fd:-F/D/V} instructions:" >&2
        echo "$bad" >&2
        exit 1
    fi
}

rv_image hello "riscv/hello/hello.c"
rv_image bench "common/bench/bench.c" "" -Iriscv/runtime -DROUNDS=208
rv_image bench-small "common/bench/bench.c" "" -Iriscv/runtime -DROUNDS=1
rv_image isa-selftest "riscv/isa-selftest/main.c riscv/isa-selftest/framework.c
    riscv/isa-selftest/alu.c riscv/isa-selftest/branch.c riscv/isa-selftest/loadstore.c
    riscv/isa-selftest/muldiv.c riscv/isa-selftest/atomic.c riscv/isa-selftest/compressed.c
    riscv/isa-selftest/csr.c riscv/isa-selftest/traps.c riscv/isa-selftest/traps_asm.S
    riscv/isa-selftest/interrupts.c riscv/isa-selftest/interrupts_asm.S
    riscv/isa-selftest/sv39.c riscv/isa-selftest/sv39_asm.S" \
    "riscv/isa-selftest/float.c"
# The hypervisor extension's CSRs and HFENCE need _h in -march (still no F/D/V).
rv_image hyp-init "riscv/hyp-init/hyp-init.c riscv/hyp-init/hyp.S" "" -march=rv64imac_h

# smp-hsm: an S-mode payload (SBI calls only, no M-mode runtime), linked at 0x80200000.
rv_compile riscv/smp-hsm/start.S "$work/obj/rv_smp-hsm_start.o"
rv_compile riscv/smp-hsm/smp-hsm.c "$work/obj/rv_smp-hsm_smp-hsm.o"
ld.lld -T riscv/smp-hsm/link.ld --no-undefined --build-id=none -o "$out/riscv/smp-hsm.elf" \
    "$work/obj/rv_smp-hsm_start.o" "$work/obj/rv_smp-hsm_smp-hsm.o" "$work/obj/rv_rt_mem.o"
check_rv "$out/riscv/smp-hsm.elf"

# stop-machine-ipi (scenario S3): S-mode payloads on smp-hsm's entry code and link script, one
# per variant: the deadlocking SSWI cross-call, SBI RFENCE, local flushes.
for variant in ipi:IPI sbi-rfence:SBI_RFENCE local:LOCAL; do
    suffix=${variant%%:*}
    name=stop-machine-ipi$([ "$suffix" = ipi ] || echo "-$suffix")
    rv_compile riscv/stop-machine-ipi/stop-machine.c "$work/obj/rv_${name}.o" "-DVARIANT_${variant#*:}"
    ld.lld -T riscv/smp-hsm/link.ld --no-undefined --build-id=none -o "$out/riscv/$name.elf" \
        "$work/obj/rv_smp-hsm_start.o" "$work/obj/rv_${name}.o"
    check_rv "$out/riscv/$name.elf"
done
# The probes `hetboot check` runs on each core in turn (images/probe/): standalone, no runtime.
mkdir -p "$out/probe"
compile probe/arm/start.S "$work/obj/probe_arm_start.o"
compile probe/arm/probe.c "$work/obj/probe_arm_probe.o"
ld.lld -T probe/arm/link.ld --no-undefined --build-id=none -o "$out/probe/arm-probe.elf" \
    "$work/obj/probe_arm_start.o" "$work/obj/probe_arm_probe.o"
check_a32 "$out/probe/arm-probe.elf"
# The virt build: RAM from 1 GiB, linked 1 MiB above it (as the NAME-virt.elf images).
probe_virt_link="$work/probe-link-virt.ld"
sed 's/^    \. = 0x80000000;$/    . = 0x40100000;/' probe/arm/link.ld >"$probe_virt_link"
compile probe/arm/probe.c "$work/obj/probe_arm_probe_virt.o" -DPROBE_RAM_GB=1
ld.lld -T "$probe_virt_link" --no-undefined --build-id=none -o "$out/probe/arm-probe-virt.elf" \
    "$work/obj/probe_arm_start.o" "$work/obj/probe_arm_probe_virt.o"
check_a32 "$out/probe/arm-probe-virt.elf"
rv_compile probe/riscv/probe.c "$work/obj/probe_riscv_probe.o" -march=rv64imac_zicsr
ld.lld -T riscv/smp-hsm/link.ld --no-undefined --build-id=none -o "$out/probe/riscv-probe.elf" \
    "$work/obj/rv_smp-hsm_start.o" "$work/obj/probe_riscv_probe.o"
check_rv "$out/probe/riscv-probe.elf"

if [ "$mode" = check ]; then
    status=0
    for built in "$out"/arm/*.elf "$out"/riscv/*.elf "$out"/probe/*.elf; do
        name=${built#"$out"/}
        if [ ! -f "$here/$name" ]; then
            echo "build.sh --check: images/$name is not committed" >&2
            status=1
        elif ! cmp -s "$built" "$here/$name"; then
            echo "build.sh --check: images/$name differs from a fresh build" >&2
            status=1
        fi
    done
    [ $status = 0 ] && echo "build.sh --check: all images match their sources"
    exit $status
fi
echo "build.sh: built $(cd "$out" && ls arm/*.elf riscv/*.elf probe/*.elf | tr '\n' ' ')"
