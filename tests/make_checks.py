"""Build checks of what make tells a newcomer: make help names every target
and variable, a CONFIG_FILE= build says which file it built, a failed
configuration check leaves no image behind and prints its errors once under
make run, and a configuration change recompiles only what it reaches."""

import os
import re
import subprocess

import harness

ROOT = harness.ROOT
GOOD = "tests/configs/good/shared-memory.c"
BAD = "tests/configs/bad/beyond-ipa-size.c"


def make(args):
    proc = subprocess.run(["make", "--no-print-directory"] + args, cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def help_lists_everything():
    status, out = make(["help"])
    if status != 0:
        return "make help failed", out
    for word in ("memmap", "fuzz", "linux-guest", "CONFIG_FILE=", "GUEST_KIND=", "LINUX_IMAGE=",
                 "GDB_PORT=", "LOAD=", "bench-irq, bench-switch: what make bench runs"):
        if word not in out:
            return f"make help does not mention {word}", out
    return None, out


def config_file_named():
    status, out = make([f"CONFIG_FILE={GOOD}", "BUILD=build/test/make-config-file", "all"])
    if status != 0:
        return "the build failed", out
    if f"for PLATFORM=qemu-virt CONFIG_FILE={GOOD}" not in out:
        return "the build does not name the CONFIG_FILE= it built", out
    return None, out


def failed_check_removes_image():
    build = "BUILD=build/test/make-stale-image"
    status, out = make([f"CONFIG_FILE={GOOD}", build, "all"])
    if status != 0:
        return "the good build failed", out
    status, out2 = make([f"CONFIG_FILE={BAD}", build, "all"])
    out += out2
    if status == 0:
        return "the bad configuration built", out
    left = [f for f in ("hyp.bin", "hyp.elf")
            if os.path.exists(os.path.join(ROOT, "build/test/make-stale-image", f))]
    if left:
        return f"the failed check left the earlier {', '.join(left)}", out
    return None, out


def run_errors_once():
    status, out = make([f"CONFIG_FILE={BAD}", "BUILD=build/test/make-run-bad", "QEMU=true",
                        "run"])
    if status == 0:
        return "make run of a bad configuration succeeded", out
    errors = re.findall(r"^.*: error: .*$", out, re.M)
    if not errors or len(errors) != len(set(errors)):
        return f"make run printed {len(errors)} error lines, some twice", out
    return None, out


def config_change_rebuilds_config_alone():
    args = ["CONFIG=single", "GUEST=build/guests/hello.bin", "BUILD=build/test/make-cmdline"]
    status, out = make(args + ["CMDLINE=one", "all"])
    if status != 0:
        return "the build failed", out
    status, out = make(args + ["CMDLINE=two", "all"])
    compiled = re.findall(r"^  (?:CC|AS)\t(\S+)$", out, re.M)
    if status != 0:
        return "the rebuild failed", out
    if sorted(compiled) != ["configs/single.c", "platforms/qemu-virt.c"]:
        return f"a CMDLINE change recompiled {compiled}", out
    return None, out


CASES = [
    ("make-help-lists-targets-and-variables", help_lists_everything, ()),
    ("make-config-file-build-names-its-file", config_file_named, ()),
    ("make-failed-check-removes-earlier-image", failed_check_removes_image, ()),
    ("make-run-bad-config-errors-once", run_errors_once, ()),
    ("make-cmdline-change-recompiles-config-alone", config_change_rebuilds_config_alone, ()),
]
