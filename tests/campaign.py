"""Reading a containment run's console: guests/hostile's campaign beside
guests/steady (tests/configs/run/hostile.c). Shared by the integration test
(tests/integration/hostile.py) and the soak (tests/soak.py)."""

import re

COUNTS = re.compile(r"^# counts boot=(\d+) cpu=(\d+) ops=(\d+) irqs=(\d+) findings=(\d+) (.*)$")
KIND = re.compile(r"(\w+)=(\d+)/(\d+)")
BOOT = re.compile(r"^# hostile: seed=(\d+) boot0=(\d+) \(restart (\d+)\)")
KILL = re.compile(r"^# kill (\d+): (.*)$")
FINDING = re.compile(r"^FAIL: finding: (.*)$")
HEARTBEAT = re.compile(r"^PASS: steady at (\d+) ms: ")
TAGGED = re.compile(r"^\[([\w.-]+)\] (.*)$")
LINE_STARTS = ("PASS: ", "FAIL: ", "SUMMARY: ", "# ")

# Not one of the campaign's kinds when the CPU lacks it (Cortex-A57: no LSE).
OPTIONAL_KINDS = ("atomic",)


def vm_lines(console):
    """Each VM's lines, whole again: the VM with console input writes
    unbuffered, so another's line may split one of its lines."""
    lines = {}
    for raw in console.split("\n"):
        m = TAGGED.match(raw)
        if not m:
            continue
        vm, text = m.groups()
        own = lines.setdefault(vm, [])
        if own and not (text.startswith(LINE_STARTS) or
                        any(s.startswith(text) for s in LINE_STARTS)):
            own[-1] += text
        else:
            own.append(text)
    return lines


class Campaign:
    """What one console says about the campaign."""

    def __init__(self, console):
        self.console = console
        lines = vm_lines(console)
        self.hostile = lines.get("hostile", [])
        self.steady = lines.get("steady", [])
        self.boots = [BOOT.match(l).groups() for l in self.hostile if BOOT.match(l)]
        self.kills = [KILL.match(l).groups() for l in self.hostile if KILL.match(l)]
        self.findings = [FINDING.match(l).group(1) for l in self.hostile if FINDING.match(l)]
        self.restarts = re.findall(r'^hyp: vm "hostile" restarting \((.*)\), restart (\d+)$',
                                   console, re.M)
        # The last counts of each boot and vCPU: each line is cumulative.
        last = {}
        for l in self.hostile:
            m = COUNTS.match(l)
            if m:
                last[(int(m.group(1)), int(m.group(2)))] = m
        self.tried, self.faulted = {}, {}
        self.ops = self.irqs = 0
        for m in last.values():
            self.ops += int(m.group(3))
            self.irqs += int(m.group(4))
            for kind, tried, faulted in KIND.findall(m.group(6)):
                self.tried[kind] = self.tried.get(kind, 0) + int(tried)
                self.faulted[kind] = self.faulted.get(kind, 0) + int(faulted)
        self.beats = [int(HEARTBEAT.match(l).group(1)) for l in self.steady
                      if HEARTBEAT.match(l)]

    def problems(self, secs):
        """Why the run does not pass: the containment test's conditions."""
        out = []
        for f in self.findings:
            out.append(f"finding: {f}")
        for l in self.steady + self.hostile:
            if l.startswith("FAIL: ") and not FINDING.match(l):
                out.append(l)
        if re.search(r"PANIC", self.console):
            out.append("the hypervisor panicked")
        if re.search(r'^hyp: vm "steady" (vcpu \d+ cannot continue|restarting)', self.console,
                     re.M):
            out.append("the hypervisor ended the steady VM")
        # steady: a heartbeat each second of its run, and its summary.
        if len(self.beats) < secs - 1:
            out.append(f"steady printed {len(self.beats)} heartbeats in a {secs} s run")
        if not any(re.match(r"SUMMARY: \d+ passed, 0 failed$", l) for l in self.steady):
            out.append("steady did not finish with 0 failed")
        # hostile: every restart its own doing, and it went on after each.
        if len(self.restarts) != len(self.kills):
            out.append(f"hostile was restarted {len(self.restarts)} times but ended itself "
                       f"{len(self.kills)} times (restarts: {self.restarts})")
        if len(self.boots) != len(self.restarts) + 1:
            out.append(f"hostile booted {len(self.boots)} times after {len(self.restarts)} "
                       "restarts")
        if not any(re.match(r"PASS: hostile: seed \d+ boot0=\d+: .* 0 findings$", l)
                   for l in self.hostile):
            out.append("hostile did not finish its campaign")
        for kind in ("load", "store", "pair", "excl", "simd", "fetch", "cache", "walk", "hvc",
                     "smc", "psci", "hcall", "sysrd", "syswr", "sys", "pstate", "gic", "sgi",
                     "wfi", "wfe", "spi"):
            if not self.tried.get(kind):
                out.append(f"hostile tried no {kind} operation")
        return out

    def summary(self):
        kinds = " ".join(f"{k}={self.tried[k]}" for k in sorted(self.tried))
        return (f"{self.ops} operations in {len(self.boots)} boots ({len(self.kills)} ended "
                f"on purpose), {len(self.findings)} findings; {kinds}")
