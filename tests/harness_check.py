"""Build checks of the harness's timeouts (harness.run_test, host_share.py):
a starved machine gets its deadline moved once, a silent one that had the
CPU or asked for none fails at its deadline, and each says which it was.

A stand-in process plays QEMU. To starve it for sure on a shared machine,
it pins itself to CPU 0 and drops to SCHED_IDLE beside a busy loop pinned
there: it then waits on CPU 0's run queue, as a QEMU does that the host
does not schedule."""

import os
import subprocess
import sys
import threading
import time

import re

import harness
from host_share import judge

TIMEOUT = 1.0
# The starved stand-in's deadline, and how long it is starved: past the
# deadline, within the one extension.
STARVED_TIMEOUT = 2.0
STARVED_FOR = 3.0

# Prints "start", starves on CPU 0 (the checker lifts the policy later),
# then prints "done" as soon as it runs again.
STARVED = r"""
import os, sys
print("start", flush=True)
open(sys.argv[1], "w").write(str(os.getpid()))
os.sched_setaffinity(0, {0})
os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
while os.sched_getscheduler(0) == os.SCHED_IDLE:
    pass
print("done", flush=True)
"""
SPINS = 'print("start", flush=True)\nwhile True: pass\n'
SLEEPS = 'import time\nprint("start", flush=True)\ntime.sleep(60)\n'


class StandIn(harness.Test):
    def __init__(self, name, code, *args, timeout=TIMEOUT):
        super().__init__(name, script=[harness.Expect("^start$"), harness.Expect("^done$")],
                         end="script", timeout=timeout, boot="none")
        self.argv = [sys.executable, "-c", code] + list(args)

    def qemu_command(self):
        return self.argv


def busy_on_cpu0():
    return subprocess.Popen([sys.executable, "-c",
                             "import os\nos.sched_setaffinity(0, {0})\nwhile True: pass"])


def starved_gets_more_time():
    """Starved past its deadline, within the extension: must pass, with a
    note."""
    pidfile = os.path.join(harness.ROOT, "build", "test", "harness-standin.pid")
    os.makedirs(os.path.dirname(pidfile), exist_ok=True)
    if os.path.exists(pidfile):
        os.remove(pidfile)
    busy = busy_on_cpu0()
    stop = threading.Event()

    def lift_later():
        # Lifted however late the stand-in came to write its pid, since a
        # process left in SCHED_IDLE beside a busy loop barely even exits.
        stop.wait(STARVED_FOR)
        while True:
            try:
                pid = int(open(pidfile).read())
                os.sched_setscheduler(pid, os.SCHED_OTHER, os.sched_param(0))
                os.sched_setaffinity(pid, range(os.cpu_count()))
                return
            except (OSError, ValueError):
                if stop.wait(0.05):
                    return

    lifter = threading.Thread(target=lift_later)
    lifter.start()
    try:
        result = harness.run_test(StandIn("starved", STARVED, pidfile, timeout=STARVED_TIMEOUT))
    finally:
        stop.set()
        lifter.join()
        busy.kill()
        busy.wait()
    out = f"{result.reason}\nnotes: {getattr(result, 'notes', [])}\n{result.console}"
    if not result.ok:
        return f"a stand-in starved past its deadline failed: {result.reason}", out
    if not any("host starved QEMU" in n for n in getattr(result, "notes", [])):
        return "the pass does not say that the deadline moved for a starved QEMU", out
    return None, out


def silent_fails(code, verdict):
    start = time.monotonic()
    result = harness.run_test(StandIn(verdict, code))
    took = time.monotonic() - start
    out = f"{result.reason}\nnotes: {getattr(result, 'notes', [])}\n{result.console}"
    if result.ok:
        return "a stand-in that never printed 'done' passed", out
    if took > 2 * TIMEOUT + 1:
        return f"it failed only after {took:.1f} s: a deadline moved more than once", out
    # On a busy machine a loop may get under half a core and be judged
    # starved (after its one extension); the figures are said either way.
    if verdict not in result.reason and "starved" not in result.reason:
        return f"the reason does not say what QEMU did while silent: {result.reason}", out
    return None, out


def judge_figures():
    """The verdicts on figures taken from runs of this machine."""
    cases = [((20.0, 0.3, 35.0, 0.0), "starved"),   # 2 QEMUs + builds, boot CPU queued
             ((20.0, 19.5, 3.0, 0.0), "ran"),       # a vCPU spinning at EL2
             ((20.0, 0.02, 0.01, 0.0), "idle"),     # every vCPU in WFI
             ((20.0, 0.1, 0.2, 15.0), "starved"),   # the whole machine paused
             ((20.0, None, None, 0.0), "starved")]  # no /proc: give it the time
    for figures, want in cases:
        got, words = judge(*figures)
        if got != want:
            return f"judge{figures} said {got} ({words}), not {want}", words
    return None, ""


# Two boots of tests/configs/run/focus.c out of about a hundred under load:
# "b"'s first line broke "a"'s, which has focus (and so no line buffer).
BROKEN = ['hyp: console input goes to vm "a"\n[a] s\n[b] pulse: a bare-metal partition\n'
          '[a] lowread: ready\n',
          '[a] sl\n[b] pulse: a bare-metal partition\nhyp: x\n[a] owread: ready\n']


# (vm_line's text, lines it must match, lines it must not match).
VM_LINE_CASES = [
    ("slowread: ready", BROKEN + ["[a] slowread: ready\n"],
     ["[a] slowread: read\n", "[b] slowread: ready\n", "[a] slow\n[b] x\nread: ready\n",
      "[a] slow\n[a] read: ready\n"]),
    # A number in the line, whole or broken (the summary line CI saw broken
    # in forward-loads-stores-pairs-stall-restart).
    ("SUMMARY: {n} passed, 0 failed",
     ["[a] SUMMARY: 12 passed, 0 failed\n",
      "[a] SUMM\n[b] PASS: x\nhyp: y\n[a] ARY: 3 passed, 0 failed\n",
      "[a] SUMMARY: 1\n[b] z\n[a] 2 passed, 0 failed\n"],
     ["[a] SUMMARY: 12 passed, 1 failed\n", "[a] SUMMARY:  passed, 0 failed\n",
      "[a] SUMMARY: 1\n[a] 2 passed, 0 failed\n"]),
    # Hex digits, and any text: in the middle, and at the end for a line's
    # start (the forms fault_policy.py and linux.py wait for).
    ("PASS: DTB at 0x{x} for {any} ms{any}",
     ["[a] PASS: DTB at 0x4f00 for 12 ms\n",
      "[a] PASS: DTB at 0x4f00 for 12 and 13 ms: pattern intact\n",
      "[a] PASS: DTB at 0x4\nhyp: y\n[a] f00 for 1\n[b] z\n[a] 2 ms\n",
      "[a] PA\n[b] PASS: x\n[a] SS: DTB at 0x4f00 for  ms\n"],
     ["[a] PASS: DTB at 0x for 12 ms\n", "[a] PASS: DTB at 0x4g00 for 12 ms\n",
      "[a] PASS: DTB at 0x4f00 for 12 m\n", "[b] PASS: DTB at 0x4f00 for 12 ms\n",
      "[a] PASS: DTB at 0x4f00 for 1\n[a] 2 ms\n",
      "[a] PASS: DTB at 0x4f00 for 1\n2 ms\n"]),
]


def vm_line_matches_broken_lines():
    for text, good, bad in VM_LINE_CASES:
        pattern = re.compile(harness.vm_line("a", text), re.M)
        for line in good:
            if not pattern.search(line):
                return f"vm_line({text!r}) does not match {line!r}", pattern.pattern
        for line in bad:
            if pattern.search(line):
                return f"vm_line({text!r}) matches {line!r}, which is not the line", \
                    pattern.pattern
    return None, ""

CASES = [
    ("harness-vm-line-matches-broken-lines", vm_line_matches_broken_lines, ()),
    ("harness-timeout-judges-figures", judge_figures, ()),
    ("harness-timeout-starved-qemu-waits-longer", starved_gets_more_time, ()),
    ("harness-timeout-spinning-qemu-fails", silent_fails, (SPINS, "ran")),
    ("harness-timeout-idle-qemu-fails", silent_fails, (SLEEPS, "idle")),
]
