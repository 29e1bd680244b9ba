"""A build check with gdb: backtraces taken in the hypervisor end cleanly at
its outermost frame (the guest-exit vector, the boot entry) rather than
walking into a guest's frame pointer ("Backtrace stopped: ... corrupt
stack?")."""

import os
import shutil
import socket
import subprocess

import harness

ROOT = harness.ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backtrace(build, breakpoint):
    """Boots build under QEMU halted, stops at breakpoint, returns gdb's bt."""
    port = free_port()
    qemu = subprocess.Popen(
        ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
         "-cpu", "cortex-a57", "-smp", "1", "-m", "1G", "-display", "none",
         "-monitor", "none", "-serial", "null", "-nic", "none",
         "-kernel", build.image, "-S", "-gdb", f"tcp:127.0.0.1:{port}"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        out = subprocess.run(
            ["gdb-multiarch", "-q", "-nx", "-batch", build.elf,
             "-ex", f"target remote 127.0.0.1:{port}", "-ex", f"break {breakpoint}",
             "-ex", "continue", "-ex", "bt"],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
        return out.stdout + out.stderr
    finally:
        qemu.kill()
        qemu.wait()


def check():
    if not shutil.which("gdb-multiarch"):
        return None, "gdb-multiarch is not installed: skipped (make setup installs it)"
    build = harness.Build(config="single", GUEST="build/guests/hello.bin")
    proc = subprocess.run(["make", "-s", "--no-print-directory"] + build.make_args() + ["all"],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        return "the firmware did not build", proc.stdout + proc.stderr
    log = ""
    # A guest's HVC (hello's SYSTEM_OFF), and the boot CPU's start.
    for where, outermost in (("handle_smccc", "guest_exit"), ("vms_start", "hyp_boot_main")):
        out = backtrace(build, where)
        log += out
        if "corrupt stack" in out or "Backtrace stopped" in out:
            return f"the backtrace from {where} does not end cleanly", log
        if outermost not in out:
            return f"the backtrace from {where} does not reach {outermost}", log
    return None, log
