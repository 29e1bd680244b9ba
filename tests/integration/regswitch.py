"""Registers switched per vCPU: two VMs sharing physical CPU 1 on -cpu max
(pointer authentication, PMUv3p5, breakpoints and watchpoints), each writing
values only it writes to every register the hypervisor switches, and finding
only its own across two dozen switches; its cycle counter is private and
counts nothing at EL2 (guests/regswitch, tests/configs/run/regswitch.c).
Both GIC generations: the vGIC state is switched with the rest."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from guests import POWER_OFF, guests_passed, vm_lines  # noqa: E402
from harness import Build, Test  # noqa: E402

GICS = (
    ("gicv3", "qemu-virt", "virt,virtualization=on,gic-version=3"),
    ("gicv2", "qemu-virt-gicv2", "virt,virtualization=on,gic-version=2"),
)

VMS = ("regs-a", "regs-b")


# Each VM's lines, in this order (two VMs' lines interleave).
LINES = [
    r"PASS: switched out and back 24 times",
    r"PASS: \d+ system registers each held only this VM's value",
    r"PASS: q0-q31 \(both halves\), FPSR and FPCR held only this VM's values",
    r"PASS: pointers signed with this VM's keys authenticate",
    r"PASS: the cycle counter counts nothing at EL2, even with NSH set",
    r"PASS: the cycle counter stands still while the other VM runs",
]


def check(console):
    error = guests_passed(*VMS)(console)
    if error:
        return error
    own = vm_lines(console)
    for vm in VMS:
        text, pos = "\n".join(own.get(vm, [])), 0
        for pattern in LINES:
            m = re.compile("^" + pattern, re.M).search(text, pos)
            if not m:
                return f"[{vm}] printed no line matching /{pattern}/"
            pos = m.end()
    return None


def check_without_pauth(console):
    """On a CPU without pointer authentication the payload has no line for
    it: the rest must be there."""
    global LINES
    saved, LINES = LINES, [line for line in LINES if "pointers signed" not in line]
    try:
        return check(console)
    finally:
        LINES = saved


# Under -icount the cycle counter counts instructions, so what it counted at
# EL2 is exact: without it, it counts host time, and on a loaded host the
# 200 hypercalls' EL1 time alone varied as much as the EL2 time adds.
ICOUNT = ["-icount", "shift=0,sleep=off"]

TESTS = [
    Test(f"regswitch-two-vms-one-cpu-{gic}",
         Build(platform=platform, CONFIG_FILE="tests/configs/run/regswitch.c"),
         [POWER_OFF], machine=machine, cpu="max", check=check, timeout=40,
         qemu_args=ICOUNT)
    for gic, platform, machine in GICS
] + [
    # Cortex-A57's PMUv3 (Armv8.0) has neither HPMD nor HCCD: every PMU
    # access is trapped and emulated, the filters' NSH dropped.
    Test("regswitch-two-vms-one-cpu-pmuv3-a57",
         Build(platform="qemu-virt", CONFIG_FILE="tests/configs/run/regswitch.c"),
         [POWER_OFF], machine=GICS[0][2], cpu="cortex-a57", check=check_without_pauth,
         timeout=40, qemu_args=ICOUNT),
]
