"""Firmware nobody here wrote, as guests: Debian's U-Boot (qemu_arm64),
unmodified. It finds its device tree at RAM base, probes virt's CFI flash
banks, reaches its prompt, answers typed commands, boots the Debian Linux
Image that LOAD= put in its RAM with booti, and its reset and poweroff act on
its VM alone."""

import os
import struct
import zlib

from harness import Build, Expect, Send, Test, UBOOT_BIN, linux_guest, vm_line, ROOT

LINUX_IMAGE = "build/linux/Image"
INITRD = "build/linux/initramfs.cpio.gz"
PROMPT = r"^\[{vm}\] => "


def uboot_present():
    return True if os.path.exists(UBOOT_BIN) else f"{UBOOT_BIN} is missing (apt-get install u-boot-qemu)"


def command(vm, text, expect, timeout=20):
    """Types a U-Boot command and waits for what it must print, then for the
    prompt: U-Boot reads (and drops) input while a command runs, looking
    for Ctrl-C, as it does under QEMU."""
    return [Send(text + "\n"), Expect(expect, timeout=timeout), Expect(PROMPT.format(vm=vm))]


def to_prompt(vm):
    """U-Boot's start to its prompt. U-Boot is first in its configurations,
    so it has focus: another VM's line may break its lines (vm_line)."""
    return [
        Expect(vm_line(vm, "U-Boot 20{n}.{n}{any}"), timeout=20),
        # Flash probed through the CFI query (what U-Boot says under QEMU
        # itself), the environment read from bank 1 (a slow read, the
        # line left open meanwhile).
        Expect(vm_line(vm, "Flash: {n} MiB")),
        Expect(vm_line(vm, "Loading Environment from Flash... {any}"
                       "bad CRC, using default environment")),
        Expect(vm_line(vm, "Hit any key to stop autoboot{any}")),
        Send(" "),
        Expect(vm_line(vm, "=> {any}")),
    ]


class SendBooti(Send):
    """booti with the initrd's size, read when typed (the file is made by
    the test's needs, after this module is loaded)."""

    def __init__(self):
        super().__init__("")

    @property
    def text(self):
        size = os.path.getsize(os.path.join(ROOT, INITRD))
        return f"booti 0x40400000 0x44000000:0x{size:x} $fdtcontroladdr\n"

    @text.setter
    def text(self, value):
        pass


def booti_script():
    """Prompt, commands, then booti of the preloaded Image and initrd."""
    g = "guest"
    return to_prompt(g) + [
        *command(g, "version", rf"^\[{g}\] U-Boot 20\d\d\.\d\d"),
        *command(g, "bdinfo", rf"^\[{g}\] DRAM bank\s+= 0x0+\n\[{g}\] -> start\s+= 0x0*40000000$"),
        *command(g, "flinfo", rf"^\[{g}\] Bank # 2: CFI conformant flash \(16 x 16\)\s+Size: 32 MB in 256 Sectors\n"
                 rf"\[{g}\]   Intel Extended command set, Manufacturer ID: 0x89, Device ID: 0x0018$"),
        *command(g, "fdt addr $fdtcontroladdr; fdt print /flash@0",
                 rf'^\[{g}\]\s+compatible = "cfi-flash";$'),
        *command(g, "dm tree", rf"^\[{g}\]\s+mtd\s+0\s+\[ \+ \]\s+cfi_flash\s+.*flash@0$"),
        Send("setenv bootargs console=ttyAMA0 uboot-booted=1\n"),
        Expect(PROMPT.format(vm=g)),
        SendBooti(),
        Expect(rf"^\[{g}\] Starting kernel \.\.\.$", timeout=20),
        Expect(rf"^\[{g}\] .*Kernel command line: console=ttyAMA0 uboot-booted=1$", timeout=30),
        Expect(rf"^\[{g}\] linux: userspace on \S+ with 1 CPUs?$", timeout=60),
        Expect(rf"^\[{g}\] LINUX-USERSPACE-READY$"),
        Expect(r"/ # "),
        Send("poweroff -f\n"),
        Expect(r'^hyp: vm "guest" stopped: PSCI SYSTEM_OFF$', timeout=20),
        Expect(r"^hyp: no VM is running: powering off$"),
    ]


# U-Boot's environment in flash (qemu_arm64: CONFIG_ENV_ADDR 0x4000000, the
# start of bank 1; CONFIG_ENV_SIZE 0x40000): a CRC32 of the rest, then
# "name=value" strings, each ending in a zero byte, padded.
ENV_FILE = "build/test/uboot-env.bin"
ENV_SIZE = 0x40000


def uboot_env():
    data = b"bootdelay=-1\0greeting=hello from flash bank 1\0\0"
    data = data.ljust(ENV_SIZE - 4, b"\0")
    path = os.path.join(ROOT, ENV_FILE)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<I", zlib.crc32(data)) + data)
    return True


TESTS = [
    # make run CONFIG=single GUEST=.../u-boot.bin LOAD="Image@... initrd@...".
    Test("uboot-single-prompt-commands-booti-linux",
         Build(config="single", GUEST=UBOOT_BIN,
               LOAD=f"{LINUX_IMAGE}@0x40400000 {INITRD}@0x44000000"),
         booti_script(), forbid=Test.DEFAULT_FORBID + (r"Kernel panic", r"No valid device tree",
                                             r"Internal error: Oops", r"refused"),
         needs=[uboot_present, linux_guest], timeout=120),
    # A bank filled from a file: U-Boot reads its environment from it
    # (bootdelay=-1: no autoboot, straight to the prompt).
    Test("uboot-environment-from-flash-file",
         Build(CONFIG_FILE="tests/configs/run/uboot-env.c"), [
             Expect(r"^\[uboot\] Loading Environment from Flash\.\.\. OK$", timeout=20),
             Expect(PROMPT.format(vm="uboot")),
             *command("uboot", "printenv greeting", r"^\[uboot\] greeting=hello from flash bank 1$"),
             Send("poweroff\n"),
             Expect(r'^hyp: vm "uboot" stopped: PSCI SYSTEM_OFF$'),
         ], forbid=Test.DEFAULT_FORBID + (r"bad CRC", r"refused"),
         needs=[uboot_present, uboot_env], timeout=40),
    # reset restarts U-Boot's VM alone, poweroff stops it alone: "pulse"
    # beats on throughout.
    Test("uboot-reset-and-poweroff-act-on-its-vm-alone",
         Build(CONFIG_FILE="tests/configs/run/uboot-beside.c"),
         to_prompt("uboot") + [
             Send("reset\n"),
             Expect(r'^hyp: vm "uboot" restarting \(PSCI SYSTEM_RESET\), restart 1$'),
         ] + to_prompt("uboot") + [
             Expect(r"^\[pulse\] heartbeat \d+", timeout=15),
             Send("poweroff\n"),
             Expect(r'^hyp: vm "uboot" stopped: PSCI SYSTEM_OFF$'),
             Expect(r"^\[pulse\] heartbeat \d+", timeout=15),
         ], forbid=Test.DEFAULT_FORBID + (r"No valid device tree", r"refused"),
         end="script", needs=[uboot_present], timeout=60),
]
