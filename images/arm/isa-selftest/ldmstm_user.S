/*
 * User-bank LDM/STM (ARM ARM B9.3.5 "LDM (User registers)", B9.3.16 "STM (User
 * registers)"): from a PL1 mode, `^` with a list without PC transfers the User mode
 * registers. In SVC only SP and LR are banked; from FIQ mode r8-r12 are banked too, so the
 * FIQ variants prove the instruction reaches past the current bank.
 *
 * Each function fills out[] (r0) and returns to SVC with its callee-saved registers intact.
 */
    .syntax unified
    .arm
    .text

#define MODE_FIQ 0x11
#define MODE_SVC 0x13
#define MODE_SYS 0x1F

/* void ldmstm_stm_user_from_svc(uint32_t out[7]): out = User r8-r12, SP_usr, LR_usr */
    .global ldmstm_stm_user_from_svc
    .type ldmstm_stm_user_from_svc, %function
ldmstm_stm_user_from_svc:
    push    {r4-r11, lr}
    cps     #MODE_SYS
    movw    r8, #0x0808
    movw    r9, #0x0909
    movw    r10, #0x1010
    movw    r11, #0x1111
    movw    r12, #0x1212
    movw    sp, #0x1313
    movt    sp, #0x5350             @ SP_usr = 0x53501313
    movw    lr, #0x1414
    movt    lr, #0x4C52             @ LR_usr = 0x4C521414
    cps     #MODE_SVC
    stmia   r0, {r8-r14}^
    nop
    pop     {r4-r11, pc}
    .size ldmstm_stm_user_from_svc, . - ldmstm_stm_user_from_svc

/* void ldmstm_stm_user_from_fiq(uint32_t out[10]):
 * out[0..4] = User r8-r12 stored from FIQ mode with ^, out[5..9] = FIQ's own r8-r12. */
    .global ldmstm_stm_user_from_fiq
    .type ldmstm_stm_user_from_fiq, %function
ldmstm_stm_user_from_fiq:
    push    {r4-r11, lr}
    cps     #MODE_SYS
    mov     r8, #0x80
    mov     r9, #0x90
    mov     r10, #0xA0
    mov     r11, #0xB0
    mov     r12, #0xC0
    cps     #MODE_FIQ
    movw    r8, #0xF8
    movw    r9, #0xF9
    movw    r10, #0xFA
    movw    r11, #0xFB
    movw    r12, #0xFC
    stmia   r0, {r8-r12}^
    nop
    add     r1, r0, #20
    stmia   r1, {r8-r12}
    cps     #MODE_SVC
    pop     {r4-r11, pc}
    .size ldmstm_stm_user_from_fiq, . - ldmstm_stm_user_from_fiq

/* void ldmstm_ldm_user(const uint32_t in[4], uint32_t out[4]):
 * SVC: ldm in, {sp, lr}^ ; FIQ: ldm in+8, {r8, r9}^ ; then read SP_usr, LR_usr, r8, r9
 * back from SYS mode into out. */
    .global ldmstm_ldm_user
    .type ldmstm_ldm_user, %function
ldmstm_ldm_user:
    push    {r4-r11, lr}
    ldmia   r0, {sp, lr}^
    nop
    add     r2, r0, #8
    cps     #MODE_FIQ
    ldmia   r2, {r8, r9}^
    nop
    cps     #MODE_SYS
    mov     r2, sp
    mov     r3, lr
    stmia   r1, {r2, r3, r8, r9}
    cps     #MODE_SVC
    pop     {r4-r11, pc}
    .size ldmstm_ldm_user, . - ldmstm_ldm_user
