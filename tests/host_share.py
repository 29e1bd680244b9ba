"""How much of the host a QEMU process had while its console was silent, so
that a test that times out can tell a host that starved QEMU from a machine
that ran and stopped printing.

Three figures over the silence, all from Linux's /proc:
- run: QEMU's CPU time (utime + stime of /proc/PID/stat, every thread);
- queued: the time its threads were ready to run but waited for a CPU:
  the larger of the run-queue delay Linux has recorded (second field of
  /proc/PID/task/*/schedstat, which grows only when a thread gets a CPU,
  so a thread starved outright adds nothing) and the time its threads
  were seen runnable (state R, sampled at each wake of the harness) less
  the CPU time they had; None where /proc has neither;
- late: how late this harness's own timed waits woke, which shows a
  stall of the whole machine (this VM paused by its host) that neither
  figure above records.
"""

import os
import time

TICK = os.sysconf("SC_CLK_TCK")

# QEMU ran and printed nothing when it had at least half a core on average;
# the host starved it when its threads waited for a CPU a quarter of the
# silence (an idle QEMU, its vCPUs in WFI, hardly ever waits for one), or
# when this harness itself woke late for half of it.
RAN_SHARE = 0.5
QUEUED_SHARE = 0.25
LATE_SHARE = 0.5


def cpu_seconds(pid):
    """utime + stime of the whole process (exited threads included)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def runnable_threads(pid):
    """How many of the process's threads are running or waiting to."""
    count = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                count += f.read().rsplit(")", 1)[1].split()[0] == "R"
        except (OSError, IndexError):
            pass
    return count


def queued_seconds(pid):
    """Time the process's live threads waited on a run queue, or None."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            return None
    return total / 1e9


class HostShare:
    """Watches one process: mark() at each sign of progress, silence()
    for the figures since the last mark."""

    def __init__(self, pid):
        self.pid = pid
        self.mark()

    def mark(self):
        self.at = time.monotonic()
        self.run = cpu_seconds(self.pid)
        self.queued = queued_seconds(self.pid)
        self.late = 0.0
        self.wanted = 0.0  # thread-seconds seen runnable since the mark
        self.seen_at = self.at
        self.seen = runnable_threads(self.pid)

    def sample(self):
        """Looks at the threads' states (call it every fraction of a
        second while waiting for output)."""
        now = time.monotonic()
        self.wanted += self.seen * (now - self.seen_at)
        self.seen_at = now
        self.seen = runnable_threads(self.pid)

    def slept(self, asked, took):
        """The harness asked to wait `asked` seconds and `took` passed."""
        if took > asked:
            self.late += took - asked

    def silence(self):
        """(wall, run, queued, late) since the last mark; run and queued
        are None where /proc cannot tell."""
        self.sample()
        wall = time.monotonic() - self.at
        run = cpu_seconds(self.pid)
        queued = queued_seconds(self.pid)
        run = None if run is None or self.run is None else run - self.run
        queued = None if queued is None or self.queued is None else max(0.0, queued - self.queued)
        if run is not None:
            queued = max(queued or 0.0, self.wanted - run)
        return wall, run, queued, self.late


def judge(wall, run, queued, late):
    """'ran', 'starved' or 'idle', and the figures in words.

    ran: QEMU had at least half a core on average and printed nothing: the
      emulated machine is stuck in a loop (or computing for that long).
    starved: QEMU's threads waited for a CPU for a quarter of the silence,
      or this harness itself woke late for half of it: the host did not
      give QEMU the time to print. (A loop that got under half a core is
      judged so too: the figures cannot tell it from a starved boot.)
    idle: neither: QEMU asked for little CPU, so every vCPU slept (WFI) and
      no interrupt came: a hang inside the emulated machine."""
    words = f"silent {wall:.1f} s; QEMU ran {run:.1f} s of CPU" if run is not None \
        else f"silent {wall:.1f} s; QEMU's CPU time unknown"
    if queued is not None:
        words += f", its threads waited {queued:.1f} s for a CPU"
    if late >= 0.1:
        words += f", this harness woke {late:.1f} s late"
    if run is not None and run >= RAN_SHARE * wall:
        return "ran", words + ": QEMU ran and printed nothing, a hang in the machine"
    if (queued is None and run is None) or late >= LATE_SHARE * wall or \
            (queued is not None and queued >= QUEUED_SHARE * wall):
        return "starved", words + ": the host starved QEMU"
    if queued is None:
        return "starved", words + ": QEMU had little CPU (starved or idle: no schedstats)"
    return "idle", words + ": QEMU was idle, every vCPU waiting for an interrupt that did not come"
