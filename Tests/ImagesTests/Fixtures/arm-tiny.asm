@ A tiny bare-metal ARMv7-A image for the Images tests: two sized ARM functions, a literal pool
@ and a Thumb function (so the assembler emits the $a/$d/$t mapping symbols the symbolizer must
@ ignore, and the Thumb function's symbol value has bit 0 set), an initialised word in .data and
@ a zero-filled buffer in .bss (so one segment has p_memsz > p_filesz).
@ Rebuild with build-fixtures.sh.
        .syntax unified
        .arm

        .section .text, "ax", %progbits
        .global _start
        .type   _start, %function
_start:
        ldr     r0, =counter
        mov     r1, #0
        str     r1, [r0]
        bl      spin
        blx     thumb_helper
1:      wfi
        b       1b
        .size   _start, . - _start

        .global spin
        .type   spin, %function
spin:
        add     r1, r1, #1
        cmp     r1, #16
        bne     spin
        bx      lr
        .ltorg
        .size   spin, . - spin

        .thumb
        .global thumb_helper
        .type   thumb_helper, %function
        .thumb_func
thumb_helper:
        adds    r1, r1, #2
        bx      lr
        .size   thumb_helper, . - thumb_helper

        .section .data, "aw", %progbits
        .global counter
        .type   counter, %object
counter:
        .word   0x12345678
        .size   counter, 4

        .section .bss, "aw", %nobits
        .global buffer
        .type   buffer, %object
buffer:
        .space  256
        .size   buffer, 256
