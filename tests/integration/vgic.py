"""The virtual GIC, its timers and the scheduler, checked from inside bare-metal
guests on both GIC generations: register semantics, SGIs between vCPUs on
different and on one physical CPU, priority and masking, more pending
interrupts than list registers, timers waking vCPUs from WFI (guests/vgic);
time-sliced vCPUs and VMs (guests/sched); and that no VM can send, enable,
pend or route another VM's interrupts (guests/irqiso). The configurations
are tests/configs/run/vgic*.c, sched*.c and irqiso.c."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import re  # noqa: E402

from guests import POWER_OFF, guests_passed, summary, vm_lines  # noqa: E402
from harness import Build, Expect, Test  # noqa: E402

GICS = (
    ("gicv3", "qemu-virt", "virt,virtualization=on,gic-version=3"),
    ("gicv2", "qemu-virt-gicv2", "virt,virtualization=on,gic-version=2"),
)


def both_gics(name, config, script, vms, lines=None, timeout=20, qemu_args=()):
    """The test on GICv3 and on GICv2: script is fn(gic) -> list of steps;
    lines, if given, {vm: [patterns]} each VM must print in that order,
    checked once QEMU is off: two VMs' lines interleave, and may even split
    each other (guests.vm_lines joins them again)."""
    tests = []
    for gic, platform, machine in GICS:
        build = Build(platform=platform, CONFIG_FILE=f"tests/configs/run/{config}.c")
        tests.append(Test(f"{name}-{gic}", build, script(gic) + [POWER_OFF],
                          machine=machine, check=checks(guests_passed(*vms), lines),
                          timeout=timeout, qemu_args=list(qemu_args)))
    return tests


def checks(passed, lines):
    def check(console):
        error = passed(console)
        if error or not lines:
            return error
        own = vm_lines(console)
        for vm, patterns in lines.items():
            text, pos = "\n".join(own.get(vm, [])), 0
            for pattern in patterns:
                m = re.compile(pattern, re.M).search(text, pos)
                if not m:
                    return f"[{vm}] printed no line matching /{pattern}/"
                pos = m.end()
        return None
    return check


def vgic_script(vcpus, shared=False):
    v = r"^\[vgic\] "

    def script(gic):
        return [
            Expect(v + rf"# vgic: GICv{gic[-1]}, {vcpus} vCPUs$"),
            Expect(v + r"PASS: GICD_TYPER.ITLinesNumber 7"),
            Expect(v + (r"PASS: GICR_TYPER.Last is set on the last frame only"
                        if gic == "gicv3" else
                        r"PASS: ITARGETSR byte for SPI 64 written 0xff reads")),
            Expect(v + r"PASS: SGI 3 from vCPU 1 to vCPU 0: taken by vCPUs 0x1 "),
            Expect(v + (r"PASS: \.\.\. unmasked: taken once" if gic == "gicv3" else
                        rf"PASS: \.\.\. unmasked: taken {vcpus} times, IAR source IDs")),
            Expect(v + r"PASS: SGI 12 sent again while vCPU 1 handles it"),
            Expect(v + r"PASS: 12 interrupts pending at once .* by priority: "
                   r"2 46 41 47 44 3 40 4 43 42 1 45$"),
            # On a shared CPU the vCPU must be switched out mid-handler.
            Expect(v + r"# vCPU 0 was switched out inside " +
                   (r"[1-9]\d*" if shared else r"\d+") + " of the 12 handlers$"),
            Expect(v + r"PASS: level SPI 48 pended by ISPENDR: taken 1 time"),
            *[Expect(v + rf"PASS: vCPU {k}: the virtual timer \(INTID 27\) woke it")
              for k in range(vcpus)],
            *[Expect(v + rf"PASS: vCPU {k}: the EL1 physical timer \(INTID 30\) woke it")
              for k in range(vcpus)],
            # QEMU before 8.2 hung on this when CNTVOFF_EL2 was not 0.
            Expect(v + r"PASS: the virtual timer enabled with CVAL 2\^64 - 1 stays quiet"),
            Expect(v + r"PASS: the EL1 physical timer enabled with CVAL 2\^64 - 1 stays quiet"),
            summary("vgic"),
        ]
    return script


def sched_script(gic):
    s = r"^\[sched\] "
    return [
        Expect(s + r"PASS: two busy vCPUs on one CPU for 300 ms: switched out"),
        Expect(s + r"PASS: round robin: "),
        Expect(s + r"PASS: WFI yields the CPU at once"),
        Expect(s + r"PASS: vCPU 1's SGI woke vCPU 0 from WFI"),
        Expect(s + r"PASS: virtual timer woke vCPU 0 from WFI while vCPU 1 spun"),
        Expect(s + r"PASS: physical timer woke vCPU 0 from WFI while vCPU 1 spun"),
        Expect(s + r"PASS: both vCPUs asleep: vCPU 1's timer woke it"),
        Expect(s + r"PASS: vCPU 0's SGI woke vCPU 1 from WFI while vCPU 0 spun"),
        summary("sched"),
    ]


SCHED_VMS_LINES = {
    f"sched-{vm}": [rf"^PASS: VM {i}: the other VM runs on this CPU too$",
                    rf"^PASS: VM {i} busy for 300 ms: switched out \d+ times, saw the "
                    r"other VM advance",
                    rf"^PASS: VM {i}: the virtual timer woke it from WFI"]
    for i, vm in enumerate("ab")
}


def irqiso_lines():
    lines = {"iso-a": [], "iso-b": []}
    for attacker, listener in ((0, 1), (1, 0)):
        a, b = f"iso-{'ab'[attacker]}", f"iso-{'ab'[listener]}"
        lines[a].append(rf"^PASS: VM {attacker}: its own 224 SPIs, all pended, came to it "
                        r"once each")
        lines[b] += [rf"^PASS: VM {listener} while VM {attacker} attacked: took no "
                     r"interrupt but its own timer's",
                     rf"^PASS: VM {listener}: none of its SPIs is enabled, pending or active",
                     rf"^PASS: VM {listener}: its SPIs' routes are as reset",
                     rf"^PASS: VM {listener}: its own SGI 2 still reaches both"]
    return lines


def timerlevel_script(gic):
    t = r"^\[timerlevel\] "
    steps = [Expect(t + rf"# timerlevel: GICv{gic[-1]}$")]
    for timer in ("virtual timer", "EL1 physical timer"):
        for hold in ("its INTID disabled", "IRQs masked"):
            steps.append(Expect(t + rf"PASS: {timer} fired with {hold}: pending 1, "
                                r"taken 1 time"))
            for quiet in (r"CTL\.ENABLE = 0", r"CTL\.IMASK = 1", "CVAL moved 1 s ahead"):
                steps.append(Expect(t + rf"PASS: {timer} fired with {hold}, then {quiet}: "
                                    r"pending before 1, after 0, taken 0 time"))
    return steps + [Expect(t + r"PASS: no spurious acknowledgements"), summary("timerlevel")]


TESTS = [
    # A timer's interrupt is pending exactly while the timer fires.
    *both_gics("vgic-timer-level-follows-timer", "timerlevel", timerlevel_script,
               ["timerlevel"]),
    # Three vCPUs on CPUs 0-2.
    *both_gics("vgic-registers-sgis-priorities-timers", "vgic", vgic_script(3), ["vgic"]),
    # Two vCPUs time-sliced on CPU 1 (2 ms slices).
    *both_gics("vgic-shared-cpu-sgis-priorities-timers", "vgic-shared",
               vgic_script(2, shared=True), ["vgic"]),
    # Two vCPUs of one VM on CPU 1: round robin, WFI, wake-ups. Its figures
    # are times, so it runs in instruction time (-icount): a loaded host
    # made wake-ups look late. 4 ns an instruction (shift=2), not 1: its
    # spinning vCPUs then cost a quarter of the host time (about 3 s, not
    # 12, which on a loaded host came near the timeout).
    *both_gics("sched-two-vcpus-one-cpu", "sched", sched_script, ["sched"],
               qemu_args=["-icount", "shift=2,sleep=off"]),
    # Two VMs on CPU 1. Also timed (a wake-up within two slices of its
    # timer, switched out at least 3 times in 300 ms), so also under
    # -icount (shift=2, as above): a loaded host that stalls QEMU 40 ms
    # made a wake-up late.
    *both_gics("sched-two-vms-one-cpu", "sched-vms", lambda gic: [],
               ["sched-a", "sched-b"], lines=SCHED_VMS_LINES,
               qemu_args=["-icount", "shift=2,sleep=off"]),
    # Each VM attacks its vGIC in turn; the other must see nothing.
    *both_gics("vgic-isolation-sgis-spis-routes", "irqiso", lambda gic: [],
               ["iso-a", "iso-b"], lines=irqiso_lines()),
]
