#!/usr/bin/env bash
# Guest MIPS of hetboot on the bench image (images/common/bench/bench.c: CRC-32, sieve, word
# copies; ≈10⁹ instructions), from a release build, next to QEMU's wall time for the same
# image when QEMU is installed. Prints one line per measurement; run from anywhere.
#
#   Benchmarks/bench.sh [arm|riscv] [MACHINE] [RUNS]
#       arm:   images/arm/bench.elf   on MACHINE (default vexpress-a15) vs qemu-system-arm
#              -M vexpress-a15 -cpu cortex-a15 -semihosting
#       riscv: images/riscv/bench.elf on MACHINE (default virt-riscv)   vs qemu-system-riscv64
#              -M virt -bios none
#   RUNS defaults to 3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
arch=${1:-arm}
case "$arch" in
    arm)
        machine=${2:-vexpress-a15}
        qemu=(qemu-system-arm -M vexpress-a15 -cpu cortex-a15 -semihosting) ;;
    riscv)
        machine=${2:-virt-riscv}
        qemu=(qemu-system-riscv64 -M virt -bios none) ;;
    *) echo "bench.sh: unknown architecture '$arch' (expected arm or riscv)" >&2; exit 2 ;;
esac
runs=${3:-3}
image=images/$arch/bench.elf

swift build -c release --product hetboot >/dev/null
bin=$(swift build -c release --show-bin-path)/hetboot

for i in $(seq "$runs"); do
    start=$(date +%s.%N)
    out=$("$bin" run "$image" --machine "$machine" --max-instructions 100000000000)
    end=$(date +%s.%N)
    instructions=$(printf '%s\n' "$out" | sed -n 's/^instructions retired: \([0-9]*\);.*/\1/p')
    awk -v n="$instructions" -v s="$start" -v e="$end" -v m="$machine" \
        'BEGIN { t = e - s; printf "hetboot %s: %.0f instructions in %.3f s = %.1f guest MIPS\n", m, n, t, n / t / 1e6 }'
done

if command -v "${qemu[0]}" >/dev/null; then
    for i in $(seq "$runs"); do
        start=$(date +%s.%N)
        "${qemu[@]}" -nographic -monitor none -audiodev none,id=none -kernel "$image" >/dev/null 2>&1
        end=$(date +%s.%N)
        awk -v s="$start" -v e="$end" -v q="${qemu[*]}" \
            'BEGIN { printf "%s (TCG): %.3f s, process start to exit\n", q, e - s }'
    done
else
    echo "${qemu[0]} not installed: no QEMU comparison"
fi
