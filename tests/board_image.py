"""Static checks of a board's firmware image, for boards QEMU cannot boot
(the Raspberry Pi 4) and, as cheaply, for those it can: the image builds,
its arm64 Image header is what a bootloader needs (Linux
Documentation/arm64/booting.rst), everything it occupies fits the memory
the board reserves for the hypervisor, and the configuration checker
accepts the configurations meant for every board. tests/run.py runs
check() as a build check."""

import os
import re
import shutil
import struct
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = struct.Struct("<IIQQQQQQII")  # code0 code1 text_offset image_size flags res2-4 magic res5
FLAGS_LE_4K_NEAR_BASE = 0x2  # bit 0: little-endian; bits 1-2: 4 KiB pages; bit 3: near RAM base
# Configurations placed from the board's RAM base (BOARD_RAM), which every
# board with enough CPUs takes: name -> CPUs they need.
PORTABLE_CONFIGS = {"baremetal": 2, "default": 3}


def make_variables(platform):
    """PLAT_* settings of platforms/<platform>.mk, as integers where they are numbers."""
    values = {}
    with open(os.path.join(ROOT, "platforms", f"{platform}.mk")) as f:
        for line in f:
            m = re.match(r"include platforms/([\w-]+)\.mk$", line.strip())
            if m:
                values.update(make_variables(m.group(1)))
            m = re.match(r"(PLAT_\w+)\s*:=\s*(\S*)", line)
            if m:
                value = m.group(2)
                values[m.group(1)] = int(value, 0) \
                    if re.fullmatch(r"0x[0-9a-fA-F]+|\d+", value) else value
    return values


def symbols(nm, elf):
    out = subprocess.run([nm, elf], capture_output=True, text=True, check=True).stdout
    return {name: int(addr, 16) for addr, _, name in (l.split() for l in out.splitlines()
                                                        if len(l.split()) == 3)}


def board_source(platform):
    with open(os.path.join(ROOT, "platforms", f"{platform}.c")) as f:
        return f.read()


def release_addrs(platform):
    return [int(a, 16) for a in re.findall(r"\.release_addr\s*=\s*(0x[0-9a-fA-F]+)",
                                           board_source(platform))]


def nr_cpus(platform):
    m = re.search(r"\.nr_cpus\s*=\s*(\d+)", board_source(platform))
    return int(m.group(1)) if m else 0


def header_problems(image, syms, plat):
    """What is wrong with the Image header of hyp.bin (a list of strings)."""
    with open(image, "rb") as f:
        data = f.read()
    if len(data) < HEADER.size:
        return [f"hyp.bin is {len(data)} bytes, shorter than the 64-byte header"]
    code0, code1, text_offset, image_size, flags, r2, r3, r4, magic, r5 = \
        HEADER.unpack_from(data)
    head, end = syms["_head"], syms["_end"]
    problems = []
    if code0 >> 26 != 0b000101:
        problems.append(f"code0 0x{code0:08x} is not a B instruction")
    else:
        target = head + ((code0 & 0x3ffffff) << 2)
        if target != syms.get("primary_entry"):
            problems.append(f"code0 branches to 0x{target:x}, not to primary_entry")
    if code1 != 0:
        problems.append(f"code1 is 0x{code1:x}, not 0")
    if magic != struct.unpack("<I", b"ARM\x64")[0]:
        problems.append(f"magic is 0x{magic:08x}, not 'ARM\\x64'")
    if (r2, r3, r4, r5) != (0, 0, 0, 0):
        problems.append("reserved fields are not 0")
    if flags != FLAGS_LE_4K_NEAR_BASE:
        problems.append(f"flags 0x{flags:x}: want 0x2 (little-endian, 4 KiB pages, "
                        "2 MiB-aligned base near the start of RAM)")
    if text_offset != plat["PLAT_TEXT_OFFSET"]:
        problems.append(f"text_offset 0x{text_offset:x} is not PLAT_TEXT_OFFSET "
                        f"0x{plat['PLAT_TEXT_OFFSET']:x}")
    if head != plat["PLAT_RAM_BASE"] + text_offset or (head - text_offset) % (2 << 20):
        problems.append(f"linked at 0x{head:x}: a bootloader puts it at a 2 MiB-aligned base "
                        f"+ text_offset (RAM base 0x{plat['PLAT_RAM_BASE']:x})")
    if image_size != end - head:
        problems.append(f"image_size 0x{image_size:x} is not _end - _head (0x{end - head:x})")
    if image_size < len(data):
        problems.append(f"image_size 0x{image_size:x} does not cover the 0x{len(data):x}-byte file")
    return problems


def layout_problems(syms, plat, platform):
    """The image, BSS, stacks and page pool must lie inside the reservation,
    and firmware data the hypervisor relies on (spin-table release
    addresses) inside the reservation but outside the image."""
    base, size = plat["PLAT_RAM_BASE"], plat["PLAT_HYP_SIZE"]
    head = syms["_head"]
    problems = []
    for name in ("__text_end", "__rodata_end", "__data_end", "__bss_end", "__stacks_end",
                 "__pool_end", "_end"):
        if not base <= syms[name] <= base + size:
            problems.append(f"{name} 0x{syms[name]:x} is outside the hypervisor's memory "
                            f"0x{base:x}-0x{base + size - 1:x} (PLAT_HYP_SIZE)")
    for addr in release_addrs(platform):
        if not base <= addr < head:
            problems.append(f"spin-table release address 0x{addr:x} is not in the reserved "
                            f"memory below the image (0x{base:x}-0x{head - 1:x})")
    return problems


def cross_tool(name):
    """The binutils tool the Makefile's CROSS_COMPILE default picks."""
    prefix = os.environ.get("CROSS_COMPILE") or \
        ("aarch64-none-elf-" if shutil.which("aarch64-none-elf-gcc") else "aarch64-linux-gnu-")
    return prefix + name


def make(args):
    proc = subprocess.run(["make", "-s", "--no-print-directory"] + args, cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def check(platform):
    """Builds PLATFORM=platform with the bare-metal configuration, checks the
    image, and runs the configuration checker on every portable
    configuration the board has the CPUs for. Returns (error or None,
    output)."""
    build = os.path.join("build", "test", f"board-{platform}")
    status, out = make([f"PLATFORM={platform}", "CONFIG=baremetal", f"BUILD={build}", "all"])
    if status != 0:
        return f"make PLATFORM={platform} CONFIG=baremetal failed", out
    plat = make_variables(platform)
    syms = symbols(cross_tool("nm"), os.path.join(ROOT, build, "hyp.elf"))
    problems = header_problems(os.path.join(ROOT, build, "hyp.bin"), syms, plat) + \
        layout_problems(syms, plat, platform)
    for config, cpus in PORTABLE_CONFIGS.items():
        if nr_cpus(platform) < cpus:
            continue
        checked = os.path.join("build", "test", f"board-{platform}-{config}-check")
        status, text = make([f"PLATFORM={platform}", f"CONFIG={config}", f"BUILD={checked}",
                             f"{checked}/config.checked"])
        out += text
        if status != 0:
            problems.append(f"the configuration checker rejects configs/{config}.c "
                            f"for {platform}")
    if problems:
        return "; ".join(problems), out + "\n".join(problems)
    return None, out
