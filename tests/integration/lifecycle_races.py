"""A VM's own vCPUs racing each other through its life cycle (found by a
hostile-guest review): a stop and a reset at once, a CPU_ON during a reset,
a restart decided while the CPU takes the vCPU up again. Each must end
with the VM in one clean state and every CPU free; the configurations are
tests/configs/run/{stopreset,cpuonrace,fwdfaultloop}.c."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guests import POWER_OFF  # noqa: E402
from harness import Build, Expect, Test, vm_line  # noqa: E402

STUCK = r"has not left CPU"


def run_config(name):
    return Build(CONFIG_FILE=f"tests/configs/run/{name}.c")


TESTS = [
    # vCPU 0's SYSTEM_RESET inside vCPU 1's stop (a fault): both CPUs used
    # to wait for each other at EL2 for ever. Now the reset does the stop,
    # and the VM, restarted by its manager, runs on both CPUs.
    Test("race-stop-during-reset-stops-cleanly", run_config("stopreset"), [
        Expect(vm_line("race", "# boot 0: {any}")),
        Expect(r'^hyp: vm "race" stopped: it cannot take exceptions: .* '
               r"\(asked during its restart\)$"),
        Expect(vm_line("restarter", '# vm "race" stopped: restarted ({n}): 0')),
        Expect(vm_line("race", "# boot {n}: {any}")),
        Expect(r'^hyp: vm "race" (restarting|vcpu 1 cannot continue)'),
    ], forbid=Test.DEFAULT_FORBID + (STUCK,), end="script", timeout=120),
    # CPU_ON for vCPU 2 from vCPU 1, without pause, while vCPU 0 resets:
    # no boot may find vCPU 2 started by the run before.
    Test("race-cpu-on-during-reset-leaves-nothing-on", run_config("cpuonrace"), [
        Expect(vm_line("race", "PASS: 20 boots, each with vCPU 2 off at entry")),
        POWER_OFF,
    ], forbid=Test.DEFAULT_FORBID + (STUCK,), timeout=60),
    # A restart decided while a failed forwarded read is finished, as the
    # CPU takes the vCPU up: the restarted VM boots clean, twice.
    Test("race-restart-from-forwarded-failure-boots-clean", run_config("fwdfaultloop"), [
        Expect(r'^hyp: vm "fwd-front" restarting \(.*\), restart 1$'),
        Expect(vm_line("fwd-front", "# boot 1")),
        Expect(r'^hyp: vm "fwd-front" restarting \(.*\), restart 2$'),
        Expect(vm_line("fwd-front", "# boot 2")),
        Expect(vm_line("fwd-front", "PASS: restarted 2 times from a failed forwarded read{any}")),
        POWER_OFF,
    ], forbid=Test.DEFAULT_FORBID + (STUCK,), timeout=60),
]
