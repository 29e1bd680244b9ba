"""Each VM's memory map as the firmware prints it at boot is exactly what
`make memmap` prints on the host for the same build: one test per shipped
configuration of configs/ that boots on qemu-virt, and one per unusual but
valid configuration of tests/configs/good/ (4 KiB-mapped, device, read-only
and skewed slots, a 40-bit IPA space). A configuration built around an image
from outside the tree (a GUEST_BLOB path not under build/guests/, which make
builds) is skipped until that image exists."""

import difflib
import glob
import os
import re
import subprocess

from harness import ROOT, Build, Expect, Test

MAP_START = "hyp: memory map of each VM:"
BLOB = re.compile(r'GUEST_BLOB\(\s*\w+\s*,\s*"([^"]+)"\s*\)')


def console_map(console):
    """The lines after MAP_START up to the next "hyp: " line, or None."""
    lines = console.split("\n")
    if MAP_START not in lines:
        return None
    out = []
    for line in lines[lines.index(MAP_START) + 1:]:
        if line.startswith("hyp: "):
            return out
        out.append(line)
    return None


def host_map(build):
    """What `make memmap` prints for the build, without make's own lines."""
    proc = subprocess.run(["make", "-s", "--no-print-directory"] + build.make_args() +
                          ["memmap"], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        return None, proc.stdout + proc.stderr
    lines = [l for l in proc.stdout.rstrip("\n").split("\n")
             if not l.startswith("memmap: picture ") and not re.match(r"  [A-Z]+\t", l)]
    return lines, ""


def same_map(build):
    def check(console):
        fw = console_map(console)
        if fw is None:
            return f"no complete map after '{MAP_START}' on the console"
        host, err = host_map(build)
        if host is None:
            return f"make memmap failed: {err.strip()[-400:]}"
        if fw == host:
            return None
        diff = difflib.unified_diff(host, fw, "make memmap", "boot", lineterm="")
        return "the maps differ:\n" + "\n".join(list(diff)[:40])
    return check


def needs_images(paths):
    def images():
        missing = [p for p in paths if not os.path.exists(os.path.join(ROOT, p))]
        return True if not missing else f"needs {', '.join(missing)}"
    images.__name__ = "images:" + ",".join(paths)
    return images


def memmap_test(path, shipped):
    name = os.path.basename(path)[:-2]
    with open(path) as f:
        text = f.read()
    outside = [p for p in BLOB.findall(text) if not p.startswith("build/guests/")]
    # One that takes its image from make's command line (configs/single.c)
    # is built with the smallest guest.
    given = {"GUEST": "build/guests/hello.bin"} if "GUEST_PATH" in text else {}
    if shipped:
        build = Build(config=name, **given)
    else:
        # CONFIG only names the build (and its directory) when CONFIG_FILE is set.
        name = "good-" + name
        build = Build(config=name, CONFIG_FILE=os.path.relpath(path, ROOT))
    return Test(f"memmap-boot-matches-host-{name}", build, [
        Expect(re.escape(MAP_START)),
        Expect(r"^hyp: page pool: "),
    ], end="script", check=same_map(build), preload=False,
        needs=[needs_images(outside)] if outside else [])


TESTS = [memmap_test(p, True) for p in sorted(glob.glob(os.path.join(ROOT, "configs", "*.c")))] + \
    [memmap_test(p, False)
     for p in sorted(glob.glob(os.path.join(ROOT, "tests", "configs", "good", "*.c")))]
