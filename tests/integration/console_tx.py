"""Console output never holds a CPU at EL2 waiting on the UART: a VM
(guests/uartflood) prints lines of control characters without pause (each
~600 bytes on the terminal) on the CPU it shares with guests/steady (a 10 ms
timer whose worst lateness it reports), with the UART modelled at 115200
baud (make SLOW_UART=11520, drivers/uart.c). Before the output ring each
flood line held the CPU at EL2 for ~50 ms while the UART caught up, and
steady's timer was 49 ms late; now the line costs its copy into
the ring, and steady is late by at most about a time slice (10 ms). What
does not fit is dropped whole, counted and said; the lines kept are whole
and in order. Under -icount, so time is instructions and host load plays no
part. The configuration is tests/configs/run/console-tx.c."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guests import POWER_OFF, guests_passed, steady_late, vm_lines  # noqa: E402
from harness import Build, Expect, Test, vm_line  # noqa: E402

# A time slice (10 ms) and some: with writers waiting on the UART, 49 ms.
LATE_MS = 15
CHARS = 140
BAUD_BYTES = 11520  # 115200 baud, 10 bits a byte
NOTE = (r"^hyp: console: (\d+) bytes of output dropped "
        r"\(the UART is slower than the guests print\)$")
FLOOD = re.compile(r"^\[uartflood\] (.*)$")
WHOLE = re.compile(rf"flood (\d+) (?:\\x9b){{{CHARS}}}\|end")


def check(console):
    error = guests_passed("steady", "uartflood")(console)
    if error:
        return error
    error = steady_late(console, LATE_MS, "uartflood printed")
    if error:
        return error
    numbers = []
    for line in console.replace("\r", "").split("\n"):
        m = FLOOD.match(line)
        if not m or m.group(1).startswith(("# ", "PASS: ", "SUMMARY: ")):
            continue
        whole = WHOLE.fullmatch(m.group(1))
        if not whole:
            return f"a line of uartflood was cut: {line[:100]!r}...{line[-40:]!r}"
        numbers.append(int(whole.group(1)))
    if len(numbers) < 2:
        return f"uartflood had {len(numbers)} lines shown"
    if any(b <= a for a, b in zip(numbers, numbers[1:])):
        return "uartflood's lines were shown out of order"
    if numbers[-1] + 1 == len(numbers):
        return "no line of uartflood was dropped: the UART was not slow"
    return None


STEADY_REPORT = re.compile(r"^PASS: steady at \d+ ms: ")


def resets_check(console):
    """steady's lines all came out while the hypervisor's lines about loop's
    resets outran the UART: a report each 100 ms of its 1 s, the last one
    at its end, and no lines of steady dropped."""
    error = guests_passed("steady")(console)
    if error:
        return error
    reports = [l for l in vm_lines(console).get("steady", []) if STEADY_REPORT.match(l)]
    if len(reports) < 10:
        return f"steady's reports were dropped: {len(reports)} of at least 10 shown"
    restarts = re.findall(r'^hyp: vm "loop" restarting', console.replace("\r", ""), re.M)
    if len(restarts) >= 300:
        return "no line about loop's resets was dropped: the UART was not slow"
    return None


TESTS = [
    Test("console-tx-slow-uart-flood-neither-holds-cpu-nor-cuts-lines",
         Build(CONFIG_FILE="tests/configs/run/console-tx.c", SLOW_UART=BAUD_BYTES), [
             Expect(rf"^\[uartflood\] # uartflood: lines of {CHARS} control characters"),
             Expect(NOTE),
             Expect(vm_line("steady", "PASS: steady: 1 s of work{any}")),
             POWER_OFF,
         ], check=check, timeout=90,
         qemu_args=["-icount", "shift=0,sleep=off"]),
    # A crash report nested in a hold of the console lock (a fault inside
    # printk) has no outermost unlock to push the ring: it must go out as it
    # is written, all of it, with the UART slow (its FIFO full at once).
    Test("console-tx-slow-uart-crash-inside-printk-reported-in-full",
         Build(config="baremetal", SELFTEST="el2-fault-in-printk",
               SLOW_UART=BAUD_BYTES), [
             Expect(r"PANIC: CPU 0 took a synchronous exception at EL2 from EL2h"),
             Expect(r"FAR_EL2 0xdead0000"),
             Expect(r"x30 [0-9a-f]{16}"),
             Expect(r"#1 +0x[0-9a-f]+ <\w+\+0x[0-9a-f]+>"),
             Expect(r"hyp: CPU 0 stopped"),
         ], forbid=(), end="script", timeout=30,
         qemu_args=["-icount", "shift=0,sleep=off"]),
    # A VM whose every boot makes the hypervisor print (a fault report and
    # a restart, here, as fast as it can) gets those lines counted in its own share of the ring:
    # they do not crowd out the other VMs' lines.
    Test("console-tx-slow-uart-hypervisor-lines-about-a-vm-stay-in-its-share",
         Build(CONFIG_FILE="tests/configs/run/console-tx-resets.c", SLOW_UART=BAUD_BYTES), [
             Expect(vm_line("steady", "PASS: steady: 1 s of work{any}")),
             Expect(NOTE),
         ], check=resets_check, timeout=90, end="script",
         qemu_args=["-icount", "shift=0,sleep=off"]),
]
