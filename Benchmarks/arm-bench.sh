#!/usr/bin/env bash
# Guest MIPS of hetboot on images/arm/bench.elf (≈10⁹ A32 instructions: CRC32, sieve, memcpy),
# from a release build, next to QEMU's wall time for the same image when qemu-system-arm is
# installed. Prints one line per measurement; run from anywhere.
#
#   Benchmarks/arm-bench.sh [MACHINE] [RUNS]     (defaults: vexpress-a15, 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
machine=${1:-vexpress-a15}
runs=${2:-3}
image=images/arm/bench.elf

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

if command -v qemu-system-arm >/dev/null; then
    for i in $(seq "$runs"); do
        start=$(date +%s.%N)
        qemu-system-arm -M vexpress-a15 -cpu cortex-a15 -semihosting -nographic -monitor none \
            -audiodev none,id=none -kernel "$image" >/dev/null 2>&1
        end=$(date +%s.%N)
        awk -v s="$start" -v e="$end" 'BEGIN { printf "qemu-system-arm vexpress-a15 (TCG): %.3f s, process start to exit\n", e - s }'
    done
else
    echo "qemu-system-arm not installed: no QEMU comparison"
fi
