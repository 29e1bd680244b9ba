"""A build check of how the secondary CPUs wait at boot: while the boot CPU
builds and loads the VMs they sleep (WFI until kicked), so QEMU's threads
for them take next to no CPU from the one doing the work. (QEMU's TCG runs
WFE as a NOP: waiting in WFE, each took as much CPU as the boot CPU did,
and on a two-core host the boot ran a quarter of the time it asked for.)"""

import os
import select
import subprocess
import time

import harness

ROOT = harness.ROOT
BUILD = harness.Build(CONFIG_FILE="tests/configs/run/focus.c")
START, END = b"CPUs online at EL2", b"console input goes to vm"
# The secondaries' CPU over the window, against the boot CPU's. Polling,
# three of them took about three times the boot CPU's; asleep, a few
# percent (one of them polls, with a kick pending, from its VM's start).
MAX_SHARE = 0.5


def vcpu_seconds(pid):
    """CPU time of each vCPU thread ("CPU 0/TCG", ... with debug-threads)."""
    times = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                times[name] = int(f.read().split()[0]) / 1e9
        except OSError:
            continue
    return {n: t for n, t in times.items() if n.endswith("/TCG")}


def window(image):
    """Boots image; returns ({thread: CPU seconds} from START to END, console)."""
    cmd = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
           "-cpu", "cortex-a57", "-smp", "4", "-m", "1G", "-display", "none",
           "-monitor", "none", "-serial", "stdio", "-nic", "none",
           "-name", "debug-threads=on", "-kernel", image]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out, first, last = b"", None, None
    try:
        deadline = time.monotonic() + 60
        while last is None and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if not ready:
                continue
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                break
            out += data
            if first is None and START in out:
                first = vcpu_seconds(proc.pid)
            if first is not None and END in out:
                last = vcpu_seconds(proc.pid)
    finally:
        proc.kill()
        proc.wait()
    console = out.decode("utf-8", "replace")
    if first is None or last is None:
        return None, console
    return {n: last[n] - first.get(n, 0.0) for n in last}, console


def check():
    proc = subprocess.run(["make", "-s", "--no-print-directory"] + BUILD.make_args() + ["all"],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        return "the firmware did not build", proc.stdout + proc.stderr
    used, console = window(BUILD.image)
    if used is None:
        return f"the boot did not get from /{START.decode()}/ to /{END.decode()}/", console
    boot = used.get("CPU 0/TCG", 0.0)
    others = sum(t for n, t in used.items() if n != "CPU 0/TCG")
    figures = ", ".join(f"{n} {t * 1000:.1f} ms" for n, t in sorted(used.items()))
    if boot <= 0.0:
        return f"the boot CPU's thread shows no CPU time ({figures})", console
    if others > MAX_SHARE * boot:
        return (f"while the boot CPU built the VMs the waiting CPUs took {others / boot:.1f} "
                f"times its CPU ({figures}): they poll instead of sleeping"), console
    return None, f"{figures}\n{console}"
