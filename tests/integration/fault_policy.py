"""Fault policy per VM (.on_fault, .watchdog_ms): a VM that cannot continue
is restarted (FAULT_RESTART) or stopped (FAULT_STOP) while the other VM works
on undisturbed. "crash" (guests/crash) ends itself a different way on each
boot: an exception it cannot take (VBAR_EL1 at a hole), a vCPU stuck with
interrupts masked past the watchdog, CPU_OFF of its last vCPU, a secondary
vCPU started at junk, an abort handler that returns to the faulting load
unfixed (the same abort injected again and again). The hypervisor's log must
name the VM, the vCPU, the reason and the registers (x27 =
0xdead00000000000N marks way N); each new boot checks it starts clean (BSS,
.data, RAM, device tree); "steady" (guests/steady) checks its memory pattern,
timer interrupt rate and CPU state throughout. The configurations are
tests/configs/run/fault-*.c."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guests import POWER_OFF, guests_passed, summary  # noqa: E402
from harness import Build, Expect, Test, vm_line  # noqa: E402

V2 = "virt,virtualization=on,gic-version=2"


def vector_fault(vm, vcpu, vector):
    return Expect(rf'^hyp: vm "{vm}" vcpu {vcpu} cannot continue: it cannot take '
                  rf"exceptions: its vector at {vector} faults$")


def abort_loop(vm, vcpu):
    return Expect(rf'^hyp: vm "{vm}" vcpu {vcpu} cannot continue: the same abort was '
                  r"injected 1000 times in a row at PC 0x[0-9a-f]+: its handler returns "
                  r"to the faulting access \(data abort at the same EL, FAR 0x10000000\)$")


def regs_with_x27(way):
    """The register dump that follows the reason: PC, PSTATE, ESR_EL1,
    FAR_EL1, then x0-x30, x27 holding the way's mark."""
    return [Expect(r"^hyp:   PC 0x[0-9a-f]+ PSTATE 0x[0-9a-f]+ ESR_EL1 0x[0-9a-f]+ "
                   r"FAR_EL1 0x[0-9a-f]+$"),
            Expect(rf"^hyp:   x24 [0-9a-f]{{16}} x25 [0-9a-f]{{16}} x26 [0-9a-f]{{16}} "
                   rf"x27 dead00000000000{way}$")]


def fresh_boot(n):
    return [Expect(rf"^\[crash\] # boot {n}$"),
            Expect(rf"^\[crash\] PASS: boot {n}: BSS clear and \.data as in the image"),
            Expect(rf"^\[crash\] PASS: boot {n}: RAM written before is clear"),
            Expect(rf'^\[crash\] PASS: boot {n}: a device tree at 0x[0-9a-f]+ with its '
                   rf'bootargs "first=0 ways=5 pause_ms=400"$')]


def restarted(n, why):
    return Expect(rf'^hyp: vm "crash" restarting \({why}.*\), restart {n}$')


STEADY_BEAT = Expect(vm_line("steady", "PASS: steady at {n} ms: pattern intact{any}"))


def restart_script():
    return [
        *fresh_boot(1),
        Expect(r"^\[crash\] # boot 1: way 0: vector$"),
        vector_fault("crash", 0, "0x10000200"),
        Expect(r"^hyp:   PC 0x10000200 PSTATE 0x[0-9a-f]+ ESR_EL1 0x96000010 "
               r"FAR_EL1 0x10000008$"),
        Expect(r"x27 dead000000000000$"),
        restarted(1, "it cannot take exceptions"),
        *fresh_boot(2),
        Expect(r"^\[crash\] # boot 2: way 1: watchdog$"),
        Expect(r'^hyp: vm "crash" vcpu 0 cannot continue: watchdog: an interrupt waited '
               r"300 ms untaken"),
        *regs_with_x27(1),
        restarted(2, "watchdog"),
        *fresh_boot(3),
        Expect(r"^\[crash\] # boot 3: way 2: cpu-off$"),
        Expect(r'^hyp: vm "crash" vcpu 0 cannot continue: PSCI CPU_OFF of its last '
               r"running vCPU"),
        *regs_with_x27(2),
        restarted(3, "PSCI CPU_OFF"),
        *fresh_boot(4),
        Expect(r"^\[crash\] # boot 4: way 3: secondary$"),
        vector_fault("crash", 1, "0x200"),
        restarted(4, "it cannot take exceptions"),
        *fresh_boot(5),
        Expect(r"^\[crash\] # boot 5: way 4: abort-loop$"),
        abort_loop("crash", 0),
        *regs_with_x27(4),
        restarted(5, "the same abort was injected"),
        *fresh_boot(6),
        Expect(r"^\[crash\] PASS: after 5 restarts, the abort-loop way last"),
        summary("crash"),
        Expect(r'^hyp: vm "crash" stopped: PSCI SYSTEM_OFF$'),
        # steady's beats interleave with crash's lines at no fixed place;
        # its summary counts every pass and timer interrupt of the 4 s.
        Expect(vm_line("steady", "PASS: steady: 4 s of work: {any}")),
        summary("steady"),
        POWER_OFF,
    ]


def stop_test(name, first, reason):
    build = Build(CONFIG_FILE="tests/configs/run/fault-stop.c",
                  CMDLINE=f"first={first} ways=1 pause_ms=400")
    return Test(name, build, [
        Expect(rf"^\[crash\] # boot 1: way {first}: "),
        reason,
        *regs_with_x27(first),
        Expect(r'^hyp: vm "crash" stopped: '),
        STEADY_BEAT,
        Expect(vm_line("steady", "PASS: steady: 3 s of work: {any}")),
        summary("steady"),
        POWER_OFF,
    ], forbid=Test.DEFAULT_FORBID + (r'vm "crash" restarting', r"^\[crash\] SUMMARY"),
        check=guests_passed("steady"), timeout=20)


TESTS = [
    Test("fault-restart-each-way-while-other-vm-runs",
         Build(CONFIG_FILE="tests/configs/run/fault-restart.c"), restart_script(),
         check=guests_passed("steady", "crash", boots={"crash": r"# boot \d+$"}),
         timeout=25),
    Test("fault-restart-each-way-while-other-vm-runs-gicv2",
         Build(platform="qemu-virt-gicv2", CONFIG_FILE="tests/configs/run/fault-restart.c"),
         restart_script(), machine=V2,
         check=guests_passed("steady", "crash", boots={"crash": r"# boot \d+$"}),
         timeout=25),
    stop_test("fault-stop-vector-unmapped-other-vm-runs", 0,
              vector_fault("crash", 0, "0x10000200")),
    stop_test("fault-stop-watchdog-other-vm-runs", 1,
              Expect(r'^hyp: vm "crash" vcpu 0 cannot continue: watchdog: ')),
    stop_test("fault-stop-abort-loop-other-vm-runs", 4, abort_loop("crash", 0)),
]
