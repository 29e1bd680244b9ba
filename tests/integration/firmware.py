"""Firmware nobody here wrote, as guests: Debian's U-Boot (qemu_arm64),
unmodified. It finds its device tree at RAM base, probes virt's CFI flash
banks, reaches its prompt, answers typed commands, boots the Debian Linux
Image that LOAD= put in its RAM with booti, and its reset and poweroff act on
its VM alone. Debian's EDK2 (QEMU_EFI.fd), unmodified, runs in place from
flash bank 0, keeps its variables in bank 1 and reaches its UEFI shell."""

import os
import struct
import zlib

from harness import Build, Expect, Send, Test, UBOOT_BIN, linux_guest, vm_line, ROOT

EFI_FD = "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"

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


def edk2_present():
    return True if os.path.exists(EFI_FD) else f"{EFI_FD} is missing (apt-get install qemu-efi-aarch64)"


# A variable of our own (a made-up vendor GUID), non-volatile.
EFI_VAR = "HypFlashTest -guid 4e3c2b1a-0f9e-4d8c-b7a6-958473625140"


def efi_to_shell():
    """EDK2 from IPA 0 to its shell: it counts down 5 s before running
    startup.nsh (a key skips that); its output is one long line of cursor
    moves, so the patterns are not anchored."""
    return [
        Expect(r"^\[efi\] UEFI firmware \(version", timeout=40),
        Expect(r"BdsDxe: starting Boot\d+ \"EFI Internal Shell\"", timeout=40),
        Expect(r"in 5 seconds to skip", timeout=20),
        Send(" "),
        Expect(r"Shell> "),
    ]


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
    # make run CONFIG=edk2: SEC and PEI run in place from bank 0's RAM
    # (mapped read-only and executable), DXE formats the variable store in
    # bank 1 through CFI erase and program commands, BDS starts the shell.
    # A variable set there is read back after the VM's reset: the writes
    # reached bank 1's RAM, and a reset keeps it.
    Test("edk2-uefi-shell-runs-from-flash-variable-survives-reset",
         Build(config="edk2"),
         [Expect(r"flash bank 0's RAM, mapped read-only in read-array mode$"),
          Expect(r"flash bank 1's writable RAM, mapped read-only in read-array mode$"),
          Expect(r'^hyp: vm "efi": entering at IPA 0x0 with its device tree at 0x40000000'),
          *efi_to_shell(),
          Send(f'setvar {EFI_VAR} -nv -bs =L"survives"\r'),
          Expect(r"Shell> "),
          Send("reset\r"),
          Expect(r'^hyp: vm "efi" restarting \(PSCI SYSTEM_RESET\), restart 1$', timeout=20),
          *efi_to_shell(),
          Send(f"setvar {EFI_VAR}\r"),
          Expect(r"^\[efi\] 4E3C2B1A-0F9E-4D8C-B7A6-958473625140 - HypFlashTest - 0010 Bytes\n"
                 r"\[efi\] 73 00 75 00 72 00 76 00 69 00 76 00 65 00 73 00 ?$"),
          Expect(r"Shell> ")],
         forbid=Test.DEFAULT_FORBID + (r"Synchronous Exception", r"refused",
                                       r"stopped making progress", r"could not be"),
         end="script", needs=[edk2_present], timeout=120),
    # A guest drives its banks' RAM as an attacker would: every program,
    # buffered program and erase past bank 1's RAM, or on the read-only
    # bank 0, fails with the status error bits and leaves the host memory
    # right after bank 1's RAM (its slot 1) intact; status reads while a
    # command is in progress (the RAM out of stage 2); code programmed into
    # the bank runs in place; programmed words survive SYSTEM_RESET.
    Test("flash-ram-program-erase-bounded-runs-in-place-survives-reset",
         Build(CONFIG_FILE="tests/configs/run/flashram.c"), [
             Expect(r"^\[flashram\] # boot 1$"),
             Expect(r"^\[flashram\] PASS: status read while the bank is in command mode"),
             Expect(r"^\[flashram\] PASS: program past bank 1's RAM fails with its error bit; neighbour intact$"),
             Expect(r"^\[flashram\] PASS: erase of a block past the RAM fails; neighbour intact$"),
             Expect(r"^\[flashram\] PASS: buffered program past the end fails; neighbour intact$"),
             Expect(r"^\[flashram\] PASS: erase of the read-only bank fails$"),
             Expect(r"^\[flashram\] PASS: code programmed into the bank runs in place$"),
             Expect(r"^\[flashram\] PASS: a fetch while the bank is in command mode takes an instruction abort$"),
             Expect(r"^\[flashram\] PASS: and runs again after read array$"),
             Expect(r"^\[flashram\] # resetting$"),
             Expect(r'^hyp: vm "flashram" restarting \(PSCI SYSTEM_RESET\), restart 1$'),
             Expect(r"^\[flashram\] PASS: what was programmed survives the VM's reset"),
             Expect(r"^\[flashram\] SUMMARY: 2 passed, 0 failed$"),
             Expect(r'^hyp: vm "flashram" stopped: PSCI SYSTEM_OFF$'),
         ], forbid=Test.DEFAULT_FORBID + (r"refused: (?!its flash bank is in command mode)",
                                       r"unexpected exception", r"could not be"),
         check=lambda console: None if console.count("[flashram] PASS:") == 24 else
         f"{console.count('[flashram] PASS:')} PASS lines, expected 24", timeout=30),
    # A write to a bank's read-only RAM whose stage-1 translation another
    # vCPU takes away (or moves to RAM) before the hypervisor's AT: retried
    # (then the guest's own translation fault, or the write), never refused;
    # the guest counts the external aborts it takes.
    Test("flash-ram-write-racing-stage1-change-is-retried",
         Build(CONFIG_FILE="tests/configs/run/flashat.c"), [
             Expect(r"^\[flashat\] # 20000 writes, [0-9]+ of them took the guest's own translation fault$"),
             Expect(r"^\[flashat\] PASS: no write while its translation came and went was refused"),
             Expect(r"^\[flashat\] PASS: no write while its translation moved between the bank and RAM was refused"),
             Expect(r"^\[flashat\] PASS: the bank still reads its array$"),
             # And writes the chips cannot take: refused, the bank intact.
             Expect(r"^\[flashat\] PASS: a store-exclusive: one abort"),
             Expect(r"^\[flashat\] PASS: DC ZVA: refused"),
             Expect(r"^\[flashat\] PASS: STP taken as two cycles; the bank reads its array after all three$"),
             Expect(r"^\[flashat\] SUMMARY: 6 passed, 0 failed$"),
         ], forbid=Test.DEFAULT_FORBID + (r"unexpected exception",), timeout=30),
]
