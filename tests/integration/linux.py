"""The default configuration: an unmodified Debian arm64 Linux with 2 vCPUs
beside the bare-metal "pulse" partition, on GICv3 and on GICv2. Driven
through the console like a user would: Linux must reach userspace at EL1,
see exactly its slot's RAM and both vCPUs, count timer interrupts and IPIs,
run typed commands (interrupt-driven vUART input), let the user switch
console focus, and power off alone while pulse goes on."""

import re

from harness import Build, Expect, Send, Test, linux_guest

FORBID = Test.DEFAULT_FORBID + (r"Kernel panic", r"Internal error: Oops", r"Unable to handle kernel",
                                r"^\[linux\]\s*BUG:", r"rcu_sched self-detected stall",
                                r"rcu: INFO: rcu_sched detected stalls")

L = r"^\[linux\] "  # Linux's lines on the console


def shell(cmd, expect, timeout=30):
    return [Send(cmd + "\n"), Expect(expect, timeout=timeout)]


def check_ram(console):
    """/proc/iomem's System RAM must be exactly the VM's one RAM slot."""
    ram = re.findall(r"^\[linux\] ([0-9a-f]+-[0-9a-f]+) : System RAM$", console, re.M)
    if ram != ["40000000-4fffffff"]:
        return f"/proc/iomem System RAM is {ram}, expected exactly the slot 40000000-4fffffff"
    m = re.search(r"^\[linux\] MemTotal:\s+(\d+) kB", console, re.M)
    if not m or not 100000 < int(m.group(1)) <= 262144:
        return f"MemTotal {m.group(1) if m else 'missing'} kB does not fit a 256 MiB slot"
    return None


# Sums a /proc/interrupts row over the CPUs.
COUNT = "grep '{0}' /proc/interrupts | awk '{{for (i=2; i<=3; i++) s+=$i}} END {{print s}}'"


def linux_test(name, platform, machine, before=(), **qemu):
    """The default configuration's Linux checks on a board; before: script
    steps up to the firmware's start (a bootloader's); qemu: further Test
    settings for the machine (cpu, mem, smp, boot)."""
    build = Build(platform=platform, config="default")
    return Test(name, build, [
        *before,
        Expect(L + r".*CPU: All CPU\(s\) started at EL1", timeout=60),
        Expect(L + r"linux: userspace on \S+ with 2 CPUs$", timeout=60),
        Expect(L + r"LINUX-USERSPACE-READY$"),
        Expect(r"/ # "),
        Expect(r"^\[pulse\] heartbeat \d+ \(timer interrupts: \d+\)$", timeout=30),
        *shell("cat /proc/iomem", L + r"40000000-4fffffff : System RAM$"),
        *shell("grep MemTotal /proc/meminfo", L + r"MemTotal:\s+\d+ kB$"),
        *shell("grep -c ^processor /proc/cpuinfo", L + r"2$"),
        # The timer ticks on both vCPUs, and IPIs flow between them.
        *shell("a=$(" + COUNT.format("arch_timer") + "); sleep 1; b=$(" +
               COUNT.format("arch_timer") + "); echo TIMER-DELTA $((b-a))",
               L + r"TIMER-DELTA [1-9]\d*$"),
        *shell("a=$(" + COUNT.format("IPI[01]:") + "); for i in 1 2 3 4 5 6; do true & done; "
               "wait; sleep 0.2; b=$(" + COUNT.format("IPI[01]:") + "); echo IPI-DELTA $((b-a))",
               L + r"IPI-DELTA [1-9]\d*$"),
        *shell("echo $((6*7))", L + r"42$"),
        # A VM cannot forge another's line: the cursor move reaches the
        # terminal as text, so "[pulse] y" stays on Linux's line.
        *shell(r"printf '\033[1G[pulse] y\n'", L + r"\^\[\[1G\[pulse\] y$"),
        # Console focus: Ctrl-\ 2 gives input to pulse, Ctrl-\ 1 back.
        Send("\x1c2"),
        Expect(r'^hyp: console input goes to vm "pulse"'),
        Send("\x1c1"),
        Expect(r'^hyp: console input goes to vm "linux"'),
        *shell("echo back in linux", L + r"back in linux$"),
        # poweroff stops Linux alone; the bare-metal partition goes on.
        Send("poweroff -f\n"),
        Expect(r'^hyp: vm "linux" stopped: PSCI SYSTEM_OFF$', timeout=30),
        Expect(r"^\[pulse\] heartbeat \d+", timeout=30),
    ], machine=machine, forbid=FORBID, end="script", timeout=150, needs=[linux_guest],
        check=check_ram, **qemu)


TESTS = [
    linux_test("linux-beside-baremetal-gicv3", "qemu-virt", "virt,virtualization=on,gic-version=3"),
    linux_test("linux-beside-baremetal-gicv2", "qemu-virt-gicv2",
               "virt,virtualization=on,gic-version=2"),
]
