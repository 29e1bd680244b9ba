#!/usr/bin/env python3
"""Runs the whole test suite: host unit tests, build checks (the configuration
checker and the Makefile, through make), then the QEMU integration tests of
tests/integration/*.py. The last line is "N passed, N failed, N skipped".

usage: tests/run.py [--host-only | --qemu-only] [-k SUBSTRING] [-v] [--list]
"""

import argparse
import concurrent.futures
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import board_image  # noqa: E402
import boot_wait_check  # noqa: E402
import gdb_check  # noqa: E402
import harness_check  # noqa: E402
import make_checks  # noqa: E402
import memmap_picture  # noqa: E402
import harness  # noqa: E402

ROOT = harness.ROOT


def make(args, quiet=True):
    # One build at a time (they share build/guests), each on every CPU.
    cmd = ["make", f"-j{os.cpu_count() or 1}", "--no-print-directory", "-s"] + args
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout + proc.stderr)
    return proc.returncode == 0


def run_host(pattern):
    """Builds and runs the host unit tests; returns (passed, failed)."""
    print("== host unit tests (AddressSanitizer, UBSan)")
    if not make(["build/host/unit"]):
        print("FAIL: host unit tests did not build")
        return 0, 1
    proc = subprocess.run(["build/host/unit"] + ([pattern] if pattern else []), cwd=ROOT,
                          capture_output=True, text=True)
    passed = failed = 0
    for line in proc.stdout.splitlines():
        if line.startswith("PASS: "):
            passed += 1
        elif line.startswith("FAIL: "):
            failed += 1
            print(line)
        elif line.startswith("  at "):
            print(line)
    if proc.returncode not in (0, 1) or proc.stderr.strip():
        print(proc.stderr[-4000:])
        print("FAIL: host unit tests crashed (see the sanitizer report above)")
        failed += 1
    print(f"   {passed} passed, {failed} failed")
    return passed, failed


# ---- Build checks: configurations good and bad, and the Makefile itself ----

EXPECT_LINE = re.compile(r"^/\* expect: (.*) \*/$", re.M)


def make_output(args):
    """Runs make quietly; returns its exit status and its output (stdout and
    stderr interleaved as printed)."""
    proc = subprocess.run(["make", "-s", "--no-print-directory"] + args, cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def check_config_file(kind, path):
    """Builds tests/configs/<kind>/NAME.c. A bad one must fail with every
    expect line matched and no image left; a good one must build (warnings
    only where its expect lines say so). Returns (error or None, output)."""
    name = os.path.basename(path)[:-2]
    build = os.path.join("build", "test", f"{kind}-{name}")
    images = [os.path.join(build, f) for f in ("hyp.bin", "hyp.elf")]
    # A stale image would hide a bad build that did not stop; a stale stamp
    # would skip the checker, and with it the warnings expected.
    for stale in images + [os.path.join(build, "config.checked")]:
        if os.path.exists(os.path.join(ROOT, stale)):
            os.remove(os.path.join(ROOT, stale))
    with open(os.path.join(ROOT, path)) as f:
        expects = EXPECT_LINE.findall(f.read())
    status, out = make_output([f"CONFIG_FILE={path}", f"BUILD={build}", "all"])

    if kind == "bad":
        if not expects:
            return "no /* expect: */ line in the file", out
        if status == 0:
            return "make succeeded", out
        left = [i for i in images if os.path.exists(os.path.join(ROOT, i))]
        if left:
            return f"make failed but left {', '.join(left)}", out
    elif status != 0:
        return f"make failed ({status})", out
    elif not expects and re.search(r"\bwarning:", out):
        return "unexpected warning", out
    for pattern in expects:
        try:
            if not re.search(pattern, out, re.M):
                return f"no output matches /{pattern}/", out
        except re.error as e:
            return f"bad expect regex /{pattern}/: {e}", out
    return None, out


def check_unknown_value(variable, value, valid):
    """make VARIABLE=value must fail early and list the valid values."""
    status, out = make_output([f"{variable}={value}", "BUILD=build/test/unknown", "all"])
    if status == 0:
        return f"make {variable}={value} succeeded", out
    m = re.search(rf"unknown {variable} '{value}'; valid: (.*)", out)
    if not m:
        return "no 'unknown ...; valid: ...' message", out
    if valid not in [v.rstrip(".") for v in m.group(1).split()]:
        return f"'{valid}' is not among the valid values listed", out
    return None, out


def check_incremental():
    """After a full build, a second make compiles nothing, and touching one
    C file recompiles exactly that file and relinks."""
    build = "build/test/incremental"
    args = [f"BUILD={build}", "all"]
    status, out = make_output(args)
    if status != 0:
        return "the full build failed", out
    status, out = make_output(args)
    steps = re.findall(r"^  (?:CC|AS|LD|HOSTCC|CHECK)\t(\S+)$", out, re.M)
    if status != 0 or steps:
        return f"a make with nothing changed rebuilt {', '.join(steps) or '(failed)'}", out
    os.utime(os.path.join(ROOT, "hyp", "trap", "esr.c"))
    status, out = make_output(args)
    compiled = re.findall(r"^  CC\t(\S+)$", out, re.M)
    if status != 0:
        return "the rebuild failed", out
    if compiled != ["hyp/trap/esr.c"]:
        return f"touching hyp/trap/esr.c recompiled {compiled}", out
    if not re.search(rf"^  LD\t{re.escape(build)}/hyp\.elf$", out, re.M):
        return "touching hyp/trap/esr.c did not relink hyp.elf", out
    return None, out


def run_build_checks(pattern):
    """Builds every configuration of tests/configs/ and checks the Makefile's
    answers; returns (passed, failed)."""
    cases = []
    for kind in ("bad", "good"):
        for path in sorted(glob.glob(os.path.join(ROOT, "tests", "configs", kind, "*.c"))):
            rel = os.path.relpath(path, ROOT)
            cases.append((f"config-{kind}-{os.path.basename(path)[:-2]}",
                          check_config_file, (kind, rel)))
    cases += [
        ("make-unknown-platform-lists-boards", check_unknown_value,
         ("PLATFORM", "nosuchboard", "qemu-virt")),
        ("make-unknown-config-lists-configs", check_unknown_value,
         ("CONFIG", "nosuchconfig", "default")),
        ("make-touched-file-rebuilds-alone", check_incremental, ()),
        ("gdb-backtrace-ends-at-outermost-frame", gdb_check.check, ()),
        ("boot-secondaries-sleep-while-vms-build", boot_wait_check.check, ()),
        ("memmap-picture-renders-labels-inside-boxes", memmap_picture.check, ()),
    ] + make_checks.CASES + harness_check.CASES
    # Every board's image and configurations, statically (the Raspberry Pi 4
    # is checked only so: QEMU 7.2 cannot boot it).
    for platform in sorted(p[:-3] for p in os.listdir(os.path.join(ROOT, "platforms"))
                           if p.endswith(".mk")):
        cases.append((f"board-{platform}-image-header-layout-configs", board_image.check,
                      (platform,)))
    cases = [c for c in cases if not pattern or pattern in c[0]]
    print(f"== build checks ({len(cases)})")
    if not cases:
        return 0, 0
    start = time.monotonic()
    # The guest images are shared by every build: make them once, first.
    status, out = make_output(["guests"])
    if status != 0:
        print(out.rstrip())
        print("FAIL: build-checks: the guest images did not build")
        return 0, 1

    passed = failed = 0

    def run_case(name, fn, args):
        t = time.monotonic()
        reason, out = fn(*args)
        return name, reason, out, time.monotonic() - t

    def report(name, reason, out, seconds):
        nonlocal passed, failed
        if reason is None:
            passed += 1
            print(f"PASS: {name} ({seconds:.1f} s)", flush=True)
            return
        failed += 1
        print(f"FAIL: {name} ({seconds:.1f} s): {reason}")
        for line in out.strip("\n").split("\n")[-15:]:
            print("   | " + line)

    # The incremental check touches a source file: it runs alone, last.
    serial = [c for c in cases if c[1] is check_incremental]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(run_case, *c) for c in cases if c not in serial]
        for future in futures:
            report(*future.result())
    for c in serial:
        report(*run_case(*c))
    print(f"   {passed} passed, {failed} failed ({time.monotonic() - start:.0f} s)")
    return passed, failed


def run_fuzz_smoke(pattern):
    """make fuzz-smoke, counted as one test; skipped without clang's
    libFuzzer. Returns (passed, failed, skipped)."""
    if pattern and pattern not in "fuzz-smoke":
        return 0, 0, 0
    probe = os.path.join(ROOT, "build", "fuzz", "probe")
    os.makedirs(os.path.dirname(probe), exist_ok=True)
    try:
        ok = subprocess.run(["clang", "-fsanitize=fuzzer", "-x", "c", "-", "-o", probe],
                            input="int LLVMFuzzerTestOneInput(const char *d, unsigned long n)"
                                  " { return 0; }\n",
                            capture_output=True, text=True).returncode == 0
    except OSError:
        ok = False
    if not ok:
        print("SKIP: fuzz-smoke: clang with libFuzzer (-fsanitize=fuzzer) is not installed")
        return 0, 0, 1
    start = time.monotonic()
    if make(["fuzz-smoke"]):
        print(f"PASS: fuzz-smoke ({time.monotonic() - start:.1f} s)")
        return 1, 0, 0
    print("FAIL: fuzz-smoke (each failing target and its input: 'fuzz NAME: FAILED' above)")
    return 0, 1, 0


def load_tests():
    tests = []
    folder = os.path.join(ROOT, "tests", "integration")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(folder, name))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        tests += module.TESTS
    return tests


def run_qemu(pattern, verbose):
    tests = [t for t in load_tests() if not pattern or pattern in t.name]
    print(f"== QEMU integration tests ({len(tests)})")
    passed = failed = skipped = 0

    # Prerequisites first (guest images, downloads), each once.
    ready = {}
    for test in tests:
        for need in test.needs:
            if need not in ready:
                ready[need] = need()
    builds = {}
    for test in tests:
        if test.build and test.build.key not in builds:
            builds[test.build.key] = make(test.build.make_args() + ["all"])
            if not builds[test.build.key]:
                print(f"   build failed: {test.build.key}")

    for test in tests:
        missing = [n.__name__ for n in test.needs if ready[n] is not True]
        if missing:
            print(f"SKIP: {test.name}: {', '.join(str(ready[n]) for n in test.needs if ready[n] is not True)}")
            skipped += 1
            continue
        if test.build and not builds[test.build.key]:
            print(f"FAIL: {test.name}: the firmware did not build")
            failed += 1
            continue
        result = harness.run_test(test)
        if result.ok:
            passed += 1
            print(f"PASS: {test.name} ({result.seconds:.1f} s)")
            for note in result.notes:
                print(f"   note: {note}")
            if verbose:
                print(result.console)
        else:
            failed += 1
            print(f"FAIL: {test.name} ({result.seconds:.1f} s): {result.reason}")
            for note in result.notes:
                print(f"   note: {note}")
            tail = result.console.strip().split("\n")[-40 if not verbose else 0:]
            print("   console:" if verbose else "   console (last lines):")
            for line in tail:
                print("   | " + line)
    return passed, failed, skipped


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host-only", action="store_true")
    ap.add_argument("--qemu-only", action="store_true")
    ap.add_argument("-k", dest="pattern", default="", help="only tests whose name contains this")
    ap.add_argument("-v", action="store_true", help="print every console")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()

    if args.list:
        for t in load_tests():
            print(t.name)
        return 0
    # The cross compiler make checks itself (CROSS_COMPILE= may name another).
    needed = ["dtc"] + ([] if args.host_only else ["qemu-system-aarch64"])
    missing = [tool for tool in needed if not shutil.which(tool)]
    if missing:
        print(f"error: {', '.join(missing)} not found: run 'make setup' first, or 'make test', "
              "which installs what is missing and runs this")
        return 2
    start = time.monotonic()
    passed = failed = skipped = 0
    if not args.qemu_only:
        p, f = run_host(args.pattern)
        passed += p
        failed += f
        p, f, s = run_fuzz_smoke(args.pattern)
        passed += p
        failed += f
        skipped += s
    if not args.host_only and not args.qemu_only:
        p, f = run_build_checks(args.pattern)
        passed += p
        failed += f
    if not args.host_only:
        p, f, s = run_qemu(args.pattern, args.v)
        passed += p
        failed += f
        skipped += s
    print(f"== {time.monotonic() - start:.0f} s")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
