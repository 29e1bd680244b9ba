"""Partitions that talk (docs/forwarding.md): two bare-metal partitions
exchange messages over a channel and its doorbells, and a flood of
doorbells costs the receiver one interrupt (guests/channel,
tests/configs/run/channel.c); a bare-metal frontend's loads, stores and
pairs are served by a bare-metal device partition, which fails an access,
stalls past the timeout and restarts without hanging the frontend, on
separate CPUs and on one shared CPU (guests/fwd, tests/configs/run/
forward*.c)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from guests import POWER_OFF, guests_passed, summary  # noqa: E402
from harness import Build, Expect, Test, vm_line  # noqa: E402
from vgic import checks  # noqa: E402

# The VM with console input writes unbuffered, so another VM's line may
# split one of its lines: what a VM printed is checked once QEMU is off,
# its lines joined again (vgic.checks).


def run_config(name, platform="qemu-virt"):
    return Build(platform=platform, CONFIG_FILE=f"tests/configs/run/{name}.c")


GICV2 = dict(platform="qemu-virt-gicv2", machine="virt,virtualization=on,gic-version=2")


def channel_test(name, platform="qemu-virt", machine=None):
    extra = {"machine": machine} if machine else {}
    return Test(name, run_config("channel", platform), [
        summary("chan-a"),
        POWER_OFF,
    ], check=checks(guests_passed("chan-a", "chan-b"), {"chan-a": [
        r"^PASS: 20 pings sent over channel 0, 20 pongs back in order",
        r"^PASS: 10000 doorbells while the peer had interrupts masked: "
        r"1 delivered, 9999 coalesced, the peer took 1 interrupt",
        r"^PASS: 10000 doorbells while the peer takes them: ",
    ]}), timeout=20, **extra)


TESTS = [
    channel_test("channel-messages-doorbells-flood-coalesced"),
    channel_test("channel-messages-doorbells-flood-coalesced-gicv2", **GICV2),
]


def forward_test(name, config, platform="qemu-virt", machine=None, dev_restarts=False):
    extra = {"machine": machine} if machine else {}
    # forward-dev-restarts: the device partition restarts in its second
    # boot right after taking the frontend's reset record; its third boot
    # must be told again (the frontend's reload then went on without it).
    waited = [] if dev_restarts else [
        r"^PASS: our reload waited for the busy device to take our reset record"]
    told_again = [r"^# restarting with window 0's reset record taken but not acted on",
                  r"^# boot 3$"] if dev_restarts else []
    return Test(name, run_config(config, platform), [
        Expect(vm_line("fwd-dev", "# boot 2")),
        Expect(vm_line("fwd-front", "# boot 2")),
        summary("fwd-front"),
        POWER_OFF,
    ], check=checks(guests_passed("fwd-front", "fwd-dev", boots={
        "fwd-dev": r"# boot \d+$", "fwd-front": r"# boot \d+$"}), {
        "fwd-dev": [
            r"^PASS: window 0: frontend VM 0, IPA 0xa000000, 0x200 bytes",
            r"^PASS: an answer after the request timed out is refused",
            *told_again,
            r"^PASS: told of the frontend's restart on both its windows",
        ],
        "fwd-front": [
            r"^PASS: LDP reads both registers back",
            r"^PASS: two vCPUs, 100 stores and loads each through two windows at once",
            r"^PASS: the device raised the window's interrupt: taken 1 time",
            r"^PASS: the device read 256 bytes of our I/O pool",
            r"^PASS: a stalled device's write ends in an abort",
            r"^PASS: the restarted device started clean",
            *waited,
            r"^PASS: the device dropped our previous run's state before our first",
        ]}), timeout=30, **extra)


TESTS += [
    forward_test("forward-loads-stores-pairs-stall-restart", "forward"),
    forward_test("forward-frontend-and-device-share-a-cpu", "forward-shared"),
    forward_test("forward-loads-stores-pairs-stall-restart-gicv2", "forward", **GICV2),
    forward_test("forward-reset-record-taken-then-device-restarts-comes-again",
                 "forward-dev-restarts", dev_restarts=True),
]

# A manager writes into its stopped frontend and starts it while the
# frontend's device partition still has a copy into its memory pending:
# the frontend reads "stopping" until the device partition took its reset
# record, so the copy lands before the manager's write, not over it.
TESTS.append(Test("forward-manager-writes-stopped-frontend-after-its-device-lets-go",
                  run_config("forward-managed"), [
    summary("fwd-front"),
    POWER_OFF,
], check=checks(guests_passed("fwd-front", "fwd-dev", "fwd-mgr", boots={
    "fwd-front": r"# run \d+$"}), {
    "fwd-front": [
        r"^PASS: the device dropped our first run's state",
        r"^PASS: what our manager wrote while we were stopped is whole",
    ],
    "fwd-mgr": [r"^PASS: HC_VM_START of it again"],
}), timeout=30))

# What a user tries first (make run CONFIG=io-demo): both at once.
TESTS.append(Test("io-demo-config-runs-both", Build(config="io-demo"), [
    Expect(vm_line("fwd-front", "PASS: the restarted device started clean{any}")),
    POWER_OFF,
], check=guests_passed("fwd-front", "fwd-dev", "chan-a", "chan-b",
                       boots={"fwd-dev": r"# boot \d+$",
                              "fwd-front": r"# boot \d+$"}), timeout=40))
