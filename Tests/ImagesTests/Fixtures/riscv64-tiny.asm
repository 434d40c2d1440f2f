# A tiny bare-metal RV64 image for the Images tests: the Images module must load it, and
# check() must refuse it on an ARM machine. Rebuild with build-fixtures.sh.
        .section .text, "ax", @progbits
        .global _start
        .type   _start, @function
_start:
        csrr    a0, mhartid
        la      a1, counter
        sd      a0, 0(a1)
1:      wfi
        j       1b
        .size   _start, . - _start

        .section .data, "aw", @progbits
        .global counter
        .type   counter, @object
        .balign 8
counter:
        .dword  0
        .size   counter, 8
