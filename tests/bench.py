#!/usr/bin/env python3
"""make bench: builds with BENCH=1, runs QEMU with -icount shift=0,sleep=off
(the PMU cycle counter then counts one per executed instruction, and runs
repeat exactly) and prints instructions per operation, plus image sizes.
docs/benchmarks.md records the figures and what each one measures."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = harness.ROOT
ICOUNT = ["-icount", "shift=0,sleep=off"]


def build(b):
    proc = subprocess.run(["make", "-s", "--no-print-directory"] + b.make_args() + ["all"],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)


def section_sizes(elf):
    out = subprocess.run(["aarch64-linux-gnu-size", "-A", elf], capture_output=True,
                         text=True, cwd=ROOT).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def measure(test, patterns):
    result = harness.run_test(test)
    if not result.ok:
        sys.exit(f"bench {test.name} failed: {result.reason}\n{result.console[-3000:]}")
    figures = {}
    for label, pattern in patterns.items():
        m = re.search(pattern, result.console)
        figures[label] = int(m.group(1)) if m else None
    return figures


def main():
    b = harness.Build(BENCH=1)
    build(b)
    sizes = section_sizes(b.elf)
    print("hyp.elf sections (bytes), PLATFORM=qemu-virt CONFIG=default:")
    for name in (".text", ".rodata", ".data", ".guest_images", ".bss", ".stacks", ".pool"):
        print(f"  {name:14} {sizes.get(name, 0):>9}")

    boot = harness.Test("bench-boot", b, [harness.Expect(r"bench: entry to CPUs online: (\d+)")],
                        qemu_args=ICOUNT, end="script", timeout=60)
    figures = measure(boot, {"entry to 'CPUs online' (boot CPU)": r"entry to CPUs online: (\d+)"})
    print("instructions (PMU cycle counter under -icount shift=0,sleep=off):")
    for label, n in figures.items():
        print(f"  {label:48} {n}")


if __name__ == "__main__":
    main()
