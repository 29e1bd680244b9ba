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

import harness
from host_share import judge

TIMEOUT = 1.0

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
    def __init__(self, name, code, *args):
        super().__init__(name, script=[harness.Expect("^start$"), harness.Expect("^done$")],
                         end="script", timeout=TIMEOUT, boot="none")
        self.argv = [sys.executable, "-c", code] + list(args)

    def qemu_command(self):
        return self.argv


def busy_on_cpu0():
    return subprocess.Popen([sys.executable, "-c",
                             "import os\nos.sched_setaffinity(0, {0})\nwhile True: pass"])


def starved_gets_more_time():
    """Starved until 1.5 s (past its 1 s deadline): must pass, with a note."""
    pidfile = os.path.join(harness.ROOT, "build", "test", "harness-standin.pid")
    os.makedirs(os.path.dirname(pidfile), exist_ok=True)
    busy = busy_on_cpu0()

    def lift():
        try:
            pid = int(open(pidfile).read())
            os.sched_setscheduler(pid, os.SCHED_OTHER, os.sched_param(0))
            os.sched_setaffinity(pid, range(os.cpu_count()))
        except (OSError, ValueError) as e:
            print(f"harness-check: could not lift the stand-in's policy: {e}")

    timer = threading.Timer(1.5, lift)
    timer.start()
    try:
        result = harness.run_test(StandIn("starved", STARVED, pidfile))
    finally:
        timer.cancel()
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


CASES = [
    ("harness-timeout-judges-figures", judge_figures, ()),
    ("harness-timeout-starved-qemu-waits-longer", starved_gets_more_time, ()),
    ("harness-timeout-spinning-qemu-fails", silent_fails, (SPINS, "ran")),
    ("harness-timeout-idle-qemu-fails", silent_fails, (SLEEPS, "idle")),
]
