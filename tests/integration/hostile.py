"""Containment: guests/hostile runs its campaign of hostile operations (a
fixed seed per GIC generation) while guests/steady, one of whose physical
CPUs hostile's second vCPU shares, checks its memory pattern, timer
interrupt rate and CPU state every second. Passes only if the hypervisor
never panics or hangs, steady stays intact throughout, hostile reports no
finding, and each time hostile ends itself (one batch in kill=) it is
restarted and its campaign goes on. tests/campaign.py reads the console;
make soak runs the same with fresh seeds for longer."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from campaign import Campaign  # noqa: E402
from harness import Build, Expect, Test, vm_line  # noqa: E402

CONFIG = "tests/configs/run/hostile.c"
# hostile stops at 12 s of uptime, steady after 13 s of its own.
SECS = 13


def cmdline(seed):
    return f"seed={seed} until={SECS - 1} kill=100 secs={SECS}"


def check(console):
    problems = Campaign(console).problems(SECS)
    return "; ".join(problems[:3]) if problems else None


def hostile_test(name, platform, machine, seed):
    return Test(name, Build(platform=platform, CONFIG_FILE=CONFIG, CMDLINE=cmdline(seed)), [
        Expect(rf"^\[hostile\] # hostile: seed={seed} boot0=0 \(restart 0\)"),
        Expect(vm_line("steady", "PASS: steady at {n} ms: pattern intact{any}")),
        Expect(rf"^\[hostile\] PASS: hostile: seed {seed} boot0=\d+: .* 0 findings$"),
        Expect(r'^hyp: vm "hostile" stopped: PSCI SYSTEM_OFF$'),
        Expect(vm_line("steady", f"PASS: steady: {SECS} s of work: {{any}}")),
        Expect(r'^hyp: vm "steady" stopped: PSCI SYSTEM_OFF$'),
        Expect(r"^hyp: no VM is running: powering off$"),
    ], machine=machine, check=check, timeout=SECS + 25)


TESTS = [
    hostile_test("hostile-campaign-contained-gicv3", "qemu-virt",
                 "virt,virtualization=on,gic-version=3", 1),
    hostile_test("hostile-campaign-contained-gicv2", "qemu-virt-gicv2",
                 "virt,virtualization=on,gic-version=2", 2),
]
