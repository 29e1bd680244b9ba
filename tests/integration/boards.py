"""Every board QEMU can boot, to the same checks: all CPUs online at EL2, the
bare-metal configuration (hello passes and powers its VM off, pulse keeps
taking timer interrupts through the vGIC), and the default configuration's
Linux beside pulse (linux.py's checks) where the board has the CPUs for it.
Boards: QEMU virt with a GICv3 and a GICv2, xlnx-zcu102 (GIC-400 on 64 KiB-
aliased pages, Cadence UART, DDR at 0) and xlnx-versal-virt (two CPUs, a
GICv3 elsewhere than virt's). The Raspberry Pi 4, which QEMU 7.2 cannot
boot, is checked statically by tests/run.py (board-rpi4-...). And the path a
board takes through U-Boot: booti starts the firmware, whose Linux images
were preloaded before U-Boot ran, and Linux passes the same checks."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boot import cpus_online  # noqa: E402
from harness import Build, Expect, Send, Test, vm_line  # noqa: E402
from linux import linux_test  # noqa: E402

# name: (platform, its CPUs, QEMU Test settings)
BOARDS = {
    "virt-gicv3": ("qemu-virt", 4, dict(machine="virt,virtualization=on,gic-version=3")),
    "virt-gicv2": ("qemu-virt-gicv2", 4, dict(machine="virt,virtualization=on,gic-version=2")),
    "zcu102": ("zcu102", 4, dict(machine="xlnx-zcu102,virtualization=on", cpu=None, mem="2G")),
    # -smp counts the machine's two Cortex-R5Fs, which stay off.
    "versal-virt": ("versal-virt", 2, dict(machine="xlnx-versal-virt", cpu=None, mem="2G")),
}


def all_cpus_online_test(board):
    platform, cpus, qemu = BOARDS[board]
    return Test(f"board-{board}-all-cpus-online", Build(platform=platform, config="baremetal"),
                cpus_online(cpus), end="script", **qemu)


def baremetal_test(board):
    platform, cpus, qemu = BOARDS[board]
    return Test(f"board-{board}-baremetal-config", Build(platform=platform, config="baremetal"),
                cpus_online(cpus) + [
        Expect(r"^\[hello\] PASS: running at EL1$"),
        Expect(r"^\[hello\] SUMMARY: 1 passed, 0 failed$"),
        Expect(r'^hyp: vm "hello" stopped: PSCI SYSTEM_OFF$'),
        # The second heartbeat needs the first timer interrupt deactivated
        # and the next one delivered: the GIC's CPU interfaces work.
        Expect(vm_line("pulse", "heartbeat 2 (timer interrupts: 2)"), timeout=30),
    ], end="script", timeout=60, **qemu)


TESTS = [
    all_cpus_online_test("zcu102"),
    all_cpus_online_test("versal-virt"),
    baremetal_test("virt-gicv3"),
    baremetal_test("virt-gicv2"),
    baremetal_test("zcu102"),
    baremetal_test("versal-virt"),
    linux_test("board-zcu102-linux-beside-baremetal", "zcu102", **BOARDS["zcu102"][2]),
    # U-Boot relocates itself to the top of RAM and keeps its device tree
    # there: the images QEMU's loader leaves at their preload addresses
    # (0x41000000, 0x44000000) survive until booti starts the firmware.
    linux_test("board-virt-uboot-booti-default-linux", "qemu-virt", before=[
        Expect(r"Hit any key to stop autoboot"),
        Send("\n"),
        Expect(r"=> "),
        Send("booti 0x40400000 - ${fdtcontroladdr}\n"),
        Expect(r"hyp: 4 CPUs online at EL2"),
    ], boot="uboot", **BOARDS["virt-gicv3"][2]),
]
