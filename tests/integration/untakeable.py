"""A passed-through level interrupt that its VM cannot take now must not
keep its physical CPU at EL2 (issue 10, point 3): guests/untakeable holds
QEMU's PL031 interrupt (SPI 34) high while making it untakeable in each way
a guest can (no target, disabled, priority mask, own priority, group off at
the distributor and at the CPU interface, left active, its pending state
cleared while the line is high); guests/steady
shares the CPU the SPI targets and must keep its 10 ms timer within 100 ms.
Each time the interrupt must arrive once the guest undoes the condition.
The configuration is tests/configs/run/untakeable.c."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guests import POWER_OFF, guests_passed, summary  # noqa: E402
from harness import Build, Expect, Test, vm_line  # noqa: E402

WAYS = (
    ("routed to no vCPU", "routed to vCPU 0"),
    ("disabled in the distributor", "enabled"),
    ("masked by the CPU interface's priority mask", "mask lifted"),
    ("masked by its own priority", "priority raised"),
    ("its group disabled in the distributor", "group enabled"),
    ("its group disabled at the CPU interface", "group enabled"),
)


def script(gic):
    u = r"^\[spi\] "
    steps = [Expect(u + rf"# untakeable: GICv{gic[-1]}, SPI 34 of the PL031$")]
    for what, undo in WAYS:
        steps += [Expect(u + rf"PASS: SPI 34 {what}, its line high for 200 ms: not taken "
                         r"\(0 times\)$"),
                  Expect(u + rf"PASS: \.\.\. {undo}: taken once \(1 times\)$")]
    return steps + [
        Expect(u + r"PASS: SPI 34 acknowledged and left active, its line high for 200 ms: "
               r"taken once \(1 times\)$"),
        Expect(u + r"PASS: \.\.\. ended: taken again, once \(2 times in all\)$"),
        Expect(u + r"PASS: SPI 34 masked, its pending state cleared while its line is high: "
               r"taken once unmasked \(1 times\)$"),
        summary("spi"),
        Expect(vm_line("steady", "PASS: steady: 4 s of work: {any}")),
        POWER_OFF,
    ]


TESTS = [
    Test(f"untakeable-spi-held-high-other-vm-runs-{gic}",
         Build(platform=platform, CONFIG_FILE="tests/configs/run/untakeable.c"),
         script(gic), machine=machine, check=guests_passed("spi", "steady"), timeout=30)
    for gic, platform, machine in (
        ("gicv3", "qemu-virt", "virt,virtualization=on,gic-version=3"),
        ("gicv2", "qemu-virt-gicv2", "virt,virtualization=on,gic-version=2"),
    )
]
