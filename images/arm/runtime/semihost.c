/*
 * ARM semihosting (ARM DUI 0471, "Semihosting"): SVC #0x123456 in A32 state, operation in
 * r0, parameter in r1, result in r0. Not valid from User mode. SYS_EXIT on AArch32 takes the
 * reason code itself in r1: ADP_Stopped_ApplicationExit means success, anything else failure.
 */
#include "runtime.h"

uint32_t rt_semihost(uint32_t op, uint32_t param)
{
    register uint32_t r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = param;
    /* A debugger/emulator intercepts the SVC; should it be taken as a real exception in SVC
     * mode it would overwrite LR_svc, hence the clobber. */
    __asm__ volatile("svc #0x123456" : "+r"(r0) : "r"(r1) : "lr", "memory");
    return r0;
}

void rt_exit(int status)
{
    rt_dsb();
    rt_semihost(SEMIHOST_SYS_EXIT,
                status == 0 ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUNTIME_ERROR_UNKNOWN);
    for (;;)
        rt_wfi();
}
