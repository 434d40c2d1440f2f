#!/bin/sh
# Rebuilds the ELF fixtures of the Images tests from their sources with the Swift toolchain's
# clang and ld.lld (found via PATH). The built files are committed so the tests need no cross
# toolchain; run this only after changing an .asm file or fixture.ld.
# The sources are named .asm, not .S: SwiftPM would take a .S file in a test target's directory
# for a C-family source and refuse the target as mixed-language.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# arm-tiny.elf: ELF32 little-endian ARM, code at 0x80000000 (the TC2 / vexpress RAM base).
clang --target=armv7a-none-eabi -x assembler -c arm-tiny.asm -o "$tmp/arm-tiny.o"
ld.lld -T fixture.ld -Ttext=0x80000000 -z max-page-size=16 "$tmp/arm-tiny.o" -o arm-tiny.elf

# armeb-tiny.elf: the same source as ELF32 big-endian ARM, which check() must refuse.
clang --target=armebv7a-none-eabi -x assembler -c arm-tiny.asm -o "$tmp/armeb-tiny.o"
ld.lld -T fixture.ld -Ttext=0x80000000 -z max-page-size=16 "$tmp/armeb-tiny.o" -o armeb-tiny.elf

# riscv64-tiny.elf: ELF64 little-endian RISC-V, code at 0x80000000 (QEMU virt's RAM base).
clang --target=riscv64-unknown-elf -march=rv64imac -mno-relax -x assembler -c riscv64-tiny.asm -o "$tmp/riscv64-tiny.o"
ld.lld -T fixture.ld -Ttext=0x80000000 -z max-page-size=16 "$tmp/riscv64-tiny.o" -o riscv64-tiny.elf
