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
from harness import Build, Expect, Test  # noqa: E402


def run_config(name, platform="qemu-virt"):
    return Build(platform=platform, CONFIG_FILE=f"tests/configs/run/{name}.c")


GICV2 = dict(platform="qemu-virt-gicv2", machine="virt,virtualization=on,gic-version=2")


def channel_test(name, platform="qemu-virt", machine=None):
    extra = {"machine": machine} if machine else {}
    return Test(name, run_config("channel", platform), [
        Expect(r"^\[chan-a\] PASS: 20 pings sent over channel 0, 20 pongs back in order"),
        Expect(r"^\[chan-a\] PASS: 10000 doorbells while the peer had interrupts masked: "
               r"1 delivered, 9999 coalesced, the peer took 1 interrupt"),
        Expect(r"^\[chan-a\] PASS: 10000 doorbells while the peer takes them: "),
        summary("chan-a"),
        POWER_OFF,
    ], check=guests_passed("chan-a", "chan-b"), timeout=20, **extra)


TESTS = [
    channel_test("channel-messages-doorbells-flood-coalesced"),
    channel_test("channel-messages-doorbells-flood-coalesced-gicv2", **GICV2),
]


def forward_test(name, config, platform="qemu-virt", machine=None):
    extra = {"machine": machine} if machine else {}
    return Test(name, run_config(config, platform), [
        Expect(r"^\[fwd-dev\] PASS: window 0: frontend VM 0, IPA 0xa000000, 0x200 bytes"),
        Expect(r"^\[fwd-front\] PASS: LDP reads both registers back"),
        Expect(r"^\[fwd-front\] PASS: two vCPUs, 100 stores and loads each through two "
               r"windows at once"),
        Expect(r"^\[fwd-front\] PASS: the device raised the window's interrupt: taken 1 time"),
        Expect(r"^\[fwd-front\] PASS: the device read 256 bytes of our I/O pool"),
        Expect(r"^\[fwd-front\] PASS: a stalled device's write ends in an abort"),
        Expect(r"^\[fwd-dev\] PASS: an answer after the request timed out is refused"),
        Expect(r"^\[fwd-dev\] # boot 2$"),
        Expect(r"^\[fwd-front\] PASS: the restarted device started clean"),
        summary("fwd-front"),
        POWER_OFF,
    ], check=guests_passed("fwd-front", "fwd-dev", boots={"fwd-dev": r"# boot \d+$"}),
        timeout=30, **extra)


TESTS += [
    forward_test("forward-loads-stores-pairs-stall-restart", "forward"),
    forward_test("forward-frontend-and-device-share-a-cpu", "forward-shared"),
    forward_test("forward-loads-stores-pairs-stall-restart-gicv2", "forward", **GICV2),
]

# What a user tries first (make run CONFIG=io-demo): both at once.
TESTS.append(Test("io-demo-config-runs-both", Build(config="io-demo"), [
    Expect(r"^\[fwd-front\] PASS: the restarted device started clean"),
    POWER_OFF,
], check=guests_passed("fwd-front", "fwd-dev", "chan-a", "chan-b",
                       boots={"fwd-dev": r"# boot \d+$"}), timeout=40))
