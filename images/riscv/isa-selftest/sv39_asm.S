/*
 * Translated accesses for the sv39 group (sv39.c).
 *
 * sv_ld(va, bits) / sv_sd(va, value, bits) set `bits` in mstatus (MPRV, MPP = S, and SUM or
 * MXR when a case wants them), do one access, and clear them again: with MPRV = 1 an M-mode
 * load or store is translated and checked as if S-mode made it (Privileged spec 3.1.6.3),
 * while instruction fetches stay M-mode's. Nothing else touches memory in between, so the
 * stack stays untranslated. A fault traps to M with MPP = M (the privilege the trap came
 * from), so the handler's own accesses are untranslated too; the hook in sv39.c steps past
 * the access, which then leaves a0 as it was (the address).
 *
 * sv_s_entry is S-mode code for rv_run_lower (traps_asm.S): it jumps to a0's target, where
 * an instruction page fault or an ECALL ends the excursion.
 */
    .option norvc
    .text

    .globl sv_ld, sv_ld_at
    .type sv_ld, @function
sv_ld:
    csrs    mstatus, a1
sv_ld_at:
    ld      a0, 0(a0)
    csrc    mstatus, a1
    ret
    .size sv_ld, . - sv_ld

    .globl sv_sd, sv_sd_at
    .type sv_sd, @function
sv_sd:
    csrs    mstatus, a2
sv_sd_at:
    sd      a1, 0(a0)
    csrc    mstatus, a2
    ret
    .size sv_sd, . - sv_sd

/* S-mode: jump to the address in sv_s_target (an S-mode fetch through the page tables) */
    .globl sv_s_entry, sv_s_target
sv_s_entry:
    ld      t0, sv_s_target
    jr      t0

/* S-mode, reached through a translated fetch: ECALL (cause 9) ends the excursion */
    .globl sv_s_ecall, sv_s_ecall_at
    .balign 4
sv_s_ecall:
sv_s_ecall_at:
    ecall

    .data
    .balign 8
sv_s_target:
    .dword 0
