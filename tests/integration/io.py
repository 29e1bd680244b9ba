"""Partitions that talk (docs/forwarding.md): two bare-metal partitions
exchange messages over a channel and its doorbells, and a flood of
doorbells costs the receiver one interrupt (guests/channel,
tests/configs/run/channel.c)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from guests import POWER_OFF, guests_passed, summary  # noqa: E402
from harness import Build, Expect, Test  # noqa: E402


def run_config(name, platform="qemu-virt"):
    return Build(platform=platform, CONFIG_FILE=f"tests/configs/run/{name}.c")


TESTS = [
    Test("channel-messages-doorbells-flood-coalesced", run_config("channel"), [
        Expect(r"^\[chan-a\] PASS: 20 pings sent over channel 0, 20 pongs back in order"),
        Expect(r"^\[chan-a\] PASS: 10000 doorbells while the peer had interrupts masked: "
               r"1 delivered, 9999 coalesced, the peer took 1 interrupt"),
        Expect(r"^\[chan-a\] PASS: 10000 doorbells while the peer takes them: "),
        summary("chan-a"),
        POWER_OFF,
    ], check=guests_passed("chan-a", "chan-b"), timeout=20),
]
