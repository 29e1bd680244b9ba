"""A guest that hangs is not silent: the default and single configurations
(.stall_ms) report, in one line, a vCPU that leaves an interrupt untaken
(spinning with interrupts masked, as a panicked kernel does), and do not
report an idle or busy one."""

import re

from harness import Build, Expect, Send, Test, Wait, linux_guest, vm_line

STALL = r'^hyp: warning: vm "{vm}" vcpu \d+ has stopped making progress: an interrupt has waited ' \
        r"3000 ms untaken, with interrupts masked, PC 0x[0-9a-f]+ \(a panic or a hang\?\)"


SPIN = r'^hyp: warning: vm "{vm}" vcpu 0 has stopped making progress: it has spun at PC ' \
       r"0x[0-9a-f]+ with interrupts masked and made no exit for 3000 ms \(a hang\?\)"


def once(vm, pattern=STALL):
    def check(console):
        n = len(re.findall(pattern.format(vm=vm), console, re.M))
        return None if n == 1 else f"{n} stall reports for vm {vm}, expected exactly one"
    return check


TESTS = [
    Test("progress-baremetal-hang-reported-once",
         Build(config="single", GUEST="build/guests/hang.bin"), [
             Expect(r"^\[guest\] hang: spinning with interrupts masked"),
             Expect(STALL.format(vm="guest"), timeout=10),
             # Still one line a while later.
             Wait(4),
         ], end="script", check=once("guest"), timeout=30),
    # Nothing pending, no timer: spinning in place with interrupts masked
    # (U-Boot's hang()). One line of the other kind, none of the first.
    Test("progress-baremetal-quiet-hang-reported-once",
         Build(config="single", GUEST="build/guests/hangquiet.bin"), [
             Expect(r"^\[guest\] hangquiet: spinning in place"),
             Expect(SPIN.format(vm="guest"), timeout=10),
             Wait(4),
         ], end="script", forbid=(r"an interrupt has waited",),
         check=once("guest", SPIN), timeout=30),
    # The default configuration: Linux panics (sysrq c) without panic=, so
    # it spins for ever; pulse idles in WFI meanwhile and is not reported.
    Test("progress-linux-panic-reported-default",
         Build(config="default"), [
             # Linux has focus: pulse's lines may break its (vm_line).
             Expect(vm_line("linux", "LINUX-USERSPACE-READY"), timeout=90),
             Expect(r"/ # "),
             Send("echo c > /proc/sysrq-trigger\n"),
             Expect(vm_line("linux", "{any}Kernel panic - not syncing{any}"), timeout=20),
             Expect(STALL.format(vm="linux"), timeout=15),
         ], forbid=(r"PANIC", r'vm "pulse" vcpu 0 has stopped making progress'),
         end="script", needs=[linux_guest], timeout=150),
]
