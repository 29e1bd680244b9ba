#!/usr/bin/env python3
"""Runs the whole test suite: host unit tests, then the QEMU integration tests
of tests/integration/*.py. The last line is "N passed, N failed, N skipped".

usage: tests/run.py [--host-only | --qemu-only] [-k SUBSTRING] [-v] [--list]
"""

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = harness.ROOT


def make(args, quiet=True):
    cmd = ["make", "--no-print-directory", "-s"] + args
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
            if verbose:
                print(result.console)
        else:
            failed += 1
            print(f"FAIL: {test.name} ({result.seconds:.1f} s): {result.reason}")
            tail = result.console.strip().split("\n")[-40:]
            print("   console (last lines):")
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
    start = time.monotonic()
    passed = failed = skipped = 0
    if not args.qemu_only:
        p, f = run_host(args.pattern)
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
