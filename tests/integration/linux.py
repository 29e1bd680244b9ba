"""The default configuration: an unmodified Debian arm64 Linux with 2 vCPUs
beside the bare-metal "pulse" partition, on GICv3 and on GICv2. Driven
through the console like a user would: Linux must reach userspace at EL1,
see exactly its slot's RAM and both vCPUs, count timer interrupts and IPIs,
run typed commands (interrupt-driven vUART input), let the user switch
console focus, and power off alone while pulse goes on."""

import os
import re
import signal

import harness
from harness import ROOT, Build, Expect, Send, Test, Wait, linux_guest, vm_line

FORBID = Test.DEFAULT_FORBID + (r"Kernel panic", r"Internal error: Oops", r"Unable to handle kernel",
                                r"^\[linux\]\s*BUG:", r"rcu_sched self-detected stall",
                                r"rcu: INFO: rcu_sched detected stalls")

# Linux has console focus (first in the configuration), so pulse's lines
# may break its lines: each is waited for as vm_line("linux", ...).


def shell(cmd, expect, timeout=30):
    return [Send(cmd + "\n"), Expect(expect, timeout=timeout)]


# Sums a /proc/interrupts row over the CPUs.
COUNT = "grep '{0}' /proc/interrupts | awk '{{for (i=2; i<=3; i++) s+=$i}} END {{print s}}'"


def linux_test(name, platform, machine, before=(), **qemu):
    """The default configuration's Linux checks on a board; before: script
    steps up to the firmware's start (a bootloader's); qemu: further Test
    settings for the machine (cpu, mem, smp, boot)."""
    build = Build(platform=platform, config="default")
    return Test(name, build, [
        *before,
        Expect(vm_line("linux", "{any}CPU: All CPU(s) started at EL1{any}"), timeout=60),
        Expect(vm_line("linux", "linux: userspace on {any} with 2 CPUs"), timeout=60),
        Expect(vm_line("linux", "LINUX-USERSPACE-READY")),
        Expect(r"/ # "),
        Expect(r"^\[pulse\] heartbeat \d+ \(timer interrupts: \d+\)$", timeout=30),
        # System RAM is exactly the VM's one RAM slot: every range on one
        # short line (another VM's line can split a long listing).
        *shell("echo RAM: $(grep 'System RAM' /proc/iomem | cut -d' ' -f1)",
               vm_line("linux", "RAM: 40000000-4fffffff")),
        *shell("grep MemTotal /proc/meminfo", vm_line("linux", "MemTotal:{s}{n} kB")),
        *shell("grep -c ^processor /proc/cpuinfo", vm_line("linux", "2")),
        # The timer ticks on both vCPUs, and IPIs flow between them.
        *shell("a=$(" + COUNT.format("arch_timer") + "); sleep 1; b=$(" +
               COUNT.format("arch_timer") + "); echo TIMER-DELTA $((b-a))",
               vm_line("linux", "TIMER-DELTA {pos}")),
        *shell("a=$(" + COUNT.format("IPI[01]:") + "); for i in 1 2 3 4 5 6; do true & done; "
               "wait; sleep 0.2; b=$(" + COUNT.format("IPI[01]:") + "); echo IPI-DELTA $((b-a))",
               vm_line("linux", "IPI-DELTA {pos}")),
        *shell("echo $((6*7))", vm_line("linux", "42")),
        # Idle longer than .stall_ms (3 s): its vCPUs sleep in WFI with
        # interrupts masked, which is not a hang (forbidden below).
        Wait(4),
        *shell("echo idle done", vm_line("linux", "idle done")),
        # A VM cannot forge another's line: the cursor move reaches the
        # terminal as text, so "[pulse] y" stays on Linux's line.
        *shell(r"printf '\033[1G[pulse] y\n'", vm_line("linux", "^[[1G[pulse] y")),
        # Console focus: Ctrl-\ 2 gives input to pulse, Ctrl-\ 1 back.
        Send("\x1c2"),
        Expect(r'^hyp: console input goes to vm "pulse"'),
        Send("\x1c1"),
        Expect(r'^hyp: console input goes to vm "linux"'),
        *shell("echo back in linux", vm_line("linux", "back in linux")),
        # poweroff stops Linux alone; the bare-metal partition goes on.
        Send("poweroff -f\n"),
        Expect(r'^hyp: vm "linux" stopped: PSCI SYSTEM_OFF$', timeout=30),
        Expect(r"^\[pulse\] heartbeat \d+", timeout=30),
    ], machine=machine, forbid=FORBID + (r"has stopped making progress",), end="script",
        timeout=150, needs=[linux_guest], **qemu)


TESTS = [
    linux_test("linux-beside-baremetal-gicv3", "qemu-virt", "virt,virtualization=on,gic-version=3"),
    linux_test("linux-beside-baremetal-gicv2", "qemu-virt-gicv2",
               "virt,virtualization=on,gic-version=2"),
]


# ---- Linux manages pulse (docs/management.md): hypctl through the control window ----

P = r"^\[pulse\] "
TESTS.append(Test("linux-manages-pulse-with-hypctl", Build(config="default"), [
    Expect(vm_line("linux", "LINUX-USERSPACE-READY"), timeout=90),
    Expect(r"/ # "),
    *shell("hypctl list", vm_line("linux", "pulse{s}running{s}1{s}1{s}0")),
    # Only the VMs it manages: not itself; not pulse's configured RAM.
    *shell("hypctl stop linux",
           vm_line("linux", 'hypctl: this VM manages no VM named "linux" {any}')),
    *shell("hypctl slot pulse del 0", vm_line("linux", "hypctl: delete a slot of pulse: refused, "
                                              "a configured slot cannot change (-1)")),
    *shell("hypctl stop pulse", r'^hyp: vm "pulse" stopped: stopped by its manager$'),
    *shell("hypctl slot pulse add 1 0x60000000 2M log",
           vm_line("linux", "hypctl: slot add 1 of pulse: done")),
    *shell("hypctl slot pulse add 2 0x60100000 1M",
           vm_line("linux", "hypctl: add a slot to pulse: refused, overlaps another slot (-17)")),
    *shell("hypctl load pulse /payloads/replacement.bin",
           vm_line("linux", "hypctl: loaded {n} bytes of /payloads/replacement.bin into pulse "
                   "at 0x40080000")),
    *shell("hypctl start pulse", P + r"replacement: a payload loaded by its manager, not pulse"),
    Expect(P + r"replacement: memory in its device tree: memory@40000000 memory@60000000$"),
    Expect(P + r"replacement: wrote pages 0 3 7 of the slot at 0x60000000$"),
    *shell("hypctl dirty pulse 1", vm_line("linux", "dirty pages of slot 1: 0 3 7")),
    *shell("hypctl start pulse",
           vm_line("linux", "hypctl: start pulse: refused (-16): it is running: stop it{any}")),
    *shell("hypctl console pulse | grep -c '^replacement:'", vm_line("linux", "3")),
    *shell("hypctl restart pulse",
           r'^hyp: vm "pulse" restarting \(restarted by its manager\), restart 1$'),
    Expect(P + r"pulse: a bare-metal partition"),
    *shell("hypctl list", vm_line("linux", "pulse{s}running{s}1{s}2{s}1")),
], forbid=FORBID, end="script", timeout=150, needs=[linux_guest]))

# ---- Linux with 4 vCPUs on a busy machine ----

LINUX4_INIT = re.compile(r"^(?:\[guest\] )?\[\s*(\d+\.\d+)\] Run /init as init process$", re.M)
BUSY_IMAGE = "build/test/busy-loop.bin"  # one instruction: b .
BUSY_PIDFILE = "build/test/busy-qemu.pid"
LINUX4_TIMEOUT = 120


def busy_qemu_ready():
    """The load: a second QEMU whose CPU spins (b .), started beside each run."""
    os.makedirs(os.path.dirname(BUSY_IMAGE), exist_ok=True)
    with open(os.path.join(ROOT, BUSY_IMAGE), "wb") as f:
        f.write(bytes.fromhex("00000014"))
    return True


class BesideBusyQemu(Test):
    """A test whose QEMU runs beside a busy one, killed by check_beside (or,
    should the test end before it, by its own timeout)."""

    def qemu_command(self):
        busy = (f"timeout {self.timeout} qemu-system-aarch64 -M virt -cpu cortex-a57 -m 128M "
                f"-display none -monitor none -serial none -nic none -kernel {BUSY_IMAGE}")
        return ["sh", "-c", f'{busy} >/dev/null 2>&1 & echo $! > {BUSY_PIDFILE}; exec "$@"',
                "sh"] + super().qemu_command()


def stop_busy():
    try:
        with open(os.path.join(ROOT, BUSY_PIDFILE)) as f:
            os.kill(int(f.read().split()[0]), signal.SIGTERM)
    except (OSError, ValueError):
        pass


def bare_linux4():
    return BesideBusyQemu("linux4-bare-beside-busy-qemu", script=[
        Expect(LINUX4_INIT.pattern)], machine="virt,virtualization=on,gic-version=3", smp=4,
        mem="1G", boot="none", qemu_args=["-kernel", "build/linux/Image", "-initrd",
                                          "build/linux/initramfs.cpio.gz", "-append",
                                          "console=ttyAMA0"],
        forbid=FORBID, end="script", timeout=LINUX4_TIMEOUT)


def within_3x_bare(console):
    """Run /init under the hypervisor against bare QEMU -smp 4, both beside
    a busy QEMU (run now, after the hypervisor's run)."""
    stop_busy()
    hyp = LINUX4_INIT.search(console)
    bare = harness.run_test(bare_linux4())
    stop_busy()
    m = LINUX4_INIT.search(bare.console)
    if not hyp or not m:
        return "no 'Run /init' line: " + ("bare QEMU's" if hyp else "under the hypervisor")
    t_hyp, t_bare = float(hyp.group(1)), float(m.group(1))
    print(f"   Run /init: {t_hyp:.2f} s under the hypervisor, {t_bare:.2f} s on bare QEMU "
          f"-smp 4, both beside a busy QEMU: {t_hyp / t_bare:.2f} times", flush=True)
    if t_hyp > 3 * t_bare:
        return f"Run /init at {t_hyp:.2f} s, more than 3 times bare QEMU's {t_bare:.2f} s"
    return None


TESTS.append(BesideBusyQemu(
    "linux-4-vcpus-busy-machine-within-3x-bare",
    Build(config="single", GUEST="build/linux/Image", INITRD="build/linux/initramfs.cpio.gz",
          VCPUS=4),
    [Expect(LINUX4_INIT.pattern)], forbid=FORBID, end="script", timeout=LINUX4_TIMEOUT,
    needs=[linux_guest, busy_qemu_ready], check=within_3x_bare))
