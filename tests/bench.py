#!/usr/bin/env python3
"""make bench: builds with BENCH=1, runs QEMU with -icount shift=0,sleep=off
(the PMU cycle counter then counts one per executed instruction, and runs
repeat exactly) and prints instructions per operation, plus image sizes.
Every run is made twice and the figures must agree exactly.
docs/benchmarks.md records the figures and what each one measures."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = harness.ROOT
ICOUNT = ["-icount", "shift=0,sleep=off"]
RUNS = 2

# The boot figure, for the default configuration.
BOOT_BUILD = harness.Build(BENCH=1)
# The benchmark payload (guests/bench) alone on CPU 0 (configs/bench.c).
BENCH_BUILD = harness.Build(config="bench", BENCH=1)

CPUS_ONLINE = re.compile(r"^hyp: bench: entry to CPUs online: (\d+) instructions", re.M)
# What the payload prints: "[bench] bench: <key> = <instructions> (<what>)".
GUEST_FIGURE = re.compile(r"^\[bench\] bench: (\w+) = (-?\d+(?:\.\d+)?) \(", re.M)

# The table: (label, loop, loop without the operation, net), keys of the
# payload's figures; None where a column does not apply.
ROWS = [
    ("null hypercall (HC_NOP) round trip", "hvc_nop_loop", "hvc_nop_bare", "hvc_nop"),
    ("emulated MMIO read (vUART FR) round trip", "mmio_read_loop", "mmio_read_bare",
     "mmio_read"),
    ("dirty-log write fault, per page", "dirty_fault_loop", "dirty_write_loop",
     "dirty_fault"),
    ("HC_DIRTY_LOG_GET, nothing dirty", "dirty_get_loop", "dirty_get_bare", "dirty_get"),
    ("HC_DIRTY_LOG_GET, each dirty page returned", None, None, "dirty_get_page"),
]
# The loops without the operation: whole numbers, exactly their length, when
# the counter counts instructions.
BARE = {"hvc_nop_bare": 3, "mmio_read_bare": 2, "dirty_write_loop": 4, "dirty_get_bare": 7}


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


def number(text):
    """The payload prints figures to a thousandth: 145.000 is exactly 145."""
    value = float(text)
    return int(value) if value == int(value) else value


def guest_figures(console):
    """The payload's figures, by key, and the hypervisor's boot figure
    ("cpus_online") and the guest's entry figure ("entry")."""
    figures = {key: number(value) for key, value in GUEST_FIGURE.findall(console)}
    m = re.search(r"^\[bench\] bench: entry = (\d+) ", console, re.M)
    if m:
        figures["entry"] = int(m.group(1))
    m = CPUS_ONLINE.search(console)
    if m:
        figures["cpus_online"] = int(m.group(1))
    return figures


def boot_test():
    return harness.Test("bench-boot", BOOT_BUILD,
                        # The whole line: a run ends at the match.
                        [harness.Expect(CPUS_ONLINE.pattern)],
                        qemu_args=ICOUNT, end="script", timeout=60)


def guest_test(name="bench-guest", check=None):
    """The payload runs its benchmarks, reports its own checks and powers
    the machine off."""
    return harness.Test(name, BENCH_BUILD, [
        harness.Expect(r"^\[bench\] bench: entry = \d+ "),
        harness.Expect(r"^\[bench\] SUMMARY: \d+ passed, 0 failed"),
        harness.Expect(r"^hyp: no VM is running: powering off"),
    ], qemu_args=ICOUNT, end="exit", timeout=120, check=check)


def counting_problem(figures):
    """Why the figures are not instruction counts, or None."""
    for key, length in BARE.items():
        if figures.get(key) != length:
            return (f"the {length}-instruction loop '{key}' counted {figures.get(key)}: "
                    "the cycle counter is not counting instructions (QEMU without "
                    "-icount shift=0,sleep=off?)")
    return None


def measure(test, parse):
    """Runs the test RUNS times; returns its figures and whether every run
    gave the same."""
    runs = []
    for _ in range(RUNS):
        result = harness.run_test(test)
        if not result.ok:
            sys.exit(f"bench {test.name} failed: {result.reason}\n{result.console[-3000:]}")
        runs.append(parse(result.console))
    same = all(r == runs[0] for r in runs[1:])
    if not same:
        for key in sorted(runs[0]):
            values = [r.get(key) for r in runs]
            if len(set(values)) > 1:
                print(f"  {key}: differs between runs: {values}")
    return runs[0], same


def show(value):
    if value is None:
        return ""
    return f"{value}" if isinstance(value, int) else f"{value:.3f}"


def main():
    build(BOOT_BUILD)
    build(BENCH_BUILD)
    sizes = section_sizes(BOOT_BUILD.elf)
    print("hyp.elf sections (bytes), PLATFORM=qemu-virt CONFIG=default:")
    for name in (".text", ".rodata", ".data", ".guest_images", ".bss", ".stacks", ".pool"):
        print(f"  {name:14} {sizes.get(name, 0):>9}")

    boot, boot_same = measure(boot_test(), guest_figures)
    figures, same = measure(guest_test(), guest_figures)
    problem = counting_problem(figures)
    if problem:
        sys.exit(f"bench: {problem}")
    missing = [k for row in ROWS for k in row[1:] if k and k not in figures]
    missing += [k for k in ("entry", "cpus_online") if k not in figures]
    if missing:
        sys.exit(f"bench: the payload printed no figure for {', '.join(missing)}")

    print("instructions, counted by the PMU cycle counter under -icount shift=0,sleep=off")
    print("from the image's first instruction (boot CPU):")
    for label, value in (("to 'CPUs online', CONFIG=default", boot["cpus_online"]),
                         ("to 'CPUs online', CONFIG=bench", figures["cpus_online"]),
                         ("to the first guest instruction, CONFIG=bench", figures["entry"])):
        print(f"  {label:46} {value:>10}")
    print("per operation, CONFIG=bench (one VM, on CPU 0):")
    print(f"  {'':46} {'loop':>10} {'w/o op':>10} {'net':>10}")
    for label, loop, bare, net in ROWS:
        print(f"  {label:46} {show(figures.get(loop)):>10} {show(figures.get(bare)):>10} "
              f"{show(figures[net]):>10}")
    if boot_same and same:
        print(f"{RUNS} runs of each: every figure identical")
    else:
        sys.exit(f"bench: the figures differ between {RUNS} runs (above); they must not "
                 "under -icount")


if __name__ == "__main__":
    main()
