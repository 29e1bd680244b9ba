"""The QEMU integration-test harness: firmware builds, QEMU machines, and a
console script of expectations and input, judged by PASS:/FAIL: lines, boot
markers and forbidden patterns. Tests live in tests/integration/*.py, each
module defining TESTS, a list of Test."""

import hashlib
import os
import re
import select
import subprocess
import time

from host_share import HostShare, judge

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UBOOT_BIN = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
# Machines with sound hardware (xlnx-zcu102's DisplayPort) stay off the
# host's sound system, whose warnings would land on the console.
QEMU_ENV = dict(os.environ, QEMU_AUDIO_DRV="none")
# How often a wait for output looks at QEMU's threads (host_share.py).
SAMPLE_S = 0.1


class Build:
    """One firmware build: make variables, built into its own directory.
    Build(CONFIG_FILE="path/name.c") builds any configuration file; CONFIG
    then only names the build (default: the file's name)."""

    def __init__(self, platform="qemu-virt", config=None, **variables):
        if config is None:
            path = variables.get("CONFIG_FILE")
            config = os.path.splitext(os.path.basename(path))[0] if path else "default"
        self.variables = dict(PLATFORM=platform, CONFIG=config, **variables)
        key = " ".join(f"{k}={v}" for k, v in sorted(self.variables.items()))
        digest = hashlib.sha1(key.encode()).hexdigest()[:8]
        self.dir = os.path.join("build", "test", f"{platform}-{config}-{digest}")
        self.key = key
        self._preload = None

    @property
    def image(self):
        return os.path.join(self.dir, "hyp.bin")

    @property
    def elf(self):
        return os.path.join(self.dir, "hyp.elf")

    def make_args(self):
        return [f"{k}={v}" for k, v in self.variables.items()] + [f"BUILD={self.dir}"]

    def preload_args(self):
        """QEMU loader options for the images the configuration has the
        bootloader preload (make run passes the same), made if missing."""
        if self._preload is None:
            subprocess.run(["make", "-s", "--no-print-directory"] + self.make_args() +
                           ["preload-files"], cwd=ROOT, capture_output=True)
            out = subprocess.run([os.path.join(self.dir, "check-config"), "--preload",
                                  self.key], cwd=ROOT, capture_output=True, text=True).stdout
            self._preload = []
            for line in out.splitlines():
                path, addr = line.split()
                self._preload += ["-device", f"loader,file={path},addr={addr},force-raw=on"]
        return self._preload


def vm_line(vm, text):
    """A pattern for VM vm's console line "[vm] text", whole or broken: a VM
    with input focus is not line-buffered (hyp/console/console.c), so another
    VM's line (or the hypervisor's) that ends first breaks it, and its tag
    starts the rest: "[a] slowr", "[b] ...", "[a] ead: ready". In text,
    "{n}" stands for a number, "{pos}" for one above 0, "{x}" for hex
    digits, "{s}" for spaces (each may be broken apart too) and "{any}" for
    any text or none (a pattern for the line's start ends with it); the
    rest is literal."""
    tag = re.escape(f"[{vm}] ")
    other_lines = rf"\n(?:(?!{tag})[^\n]*\n)+{tag}"
    brk = rf"(?:{other_lines})?"

    def run(one):
        return rf"{one}(?:{brk}{one})*"
    digits = run(r"\d")
    runs = {"{n}": digits, "{pos}": rf"(?!{brk}0){digits}",
            "{x}": run("[0-9a-f]"), "{s}": run("[ \t]"),
            # At most 4 breaks: unbounded, each line of the VM's would
            # search all the lines it could be joined to (quadratic).
            "{any}": rf"[^\n]*?(?:{other_lines}[^\n]*?){{0,4}}?"}
    pieces = []
    for part in re.split(r"(\{(?:n|pos|x|s|any)\})", text):
        pieces += [runs[part]] if part in runs else [re.escape(c) for c in part]
    return "^" + tag + brk.join(pieces) + "$"


class Expect:
    """Wait for a regular expression on the console (after the last match)."""

    def __init__(self, pattern, timeout=None):
        self.pattern = re.compile(pattern, re.M)
        self.timeout = timeout

    def __repr__(self):
        return f"expect /{self.pattern.pattern}/"


class Send:
    """Type text on the console, a character at a time."""

    def __init__(self, text, delay=0.02):
        self.text = text
        self.delay = delay

    def __repr__(self):
        return f"send {self.text!r}"


class Wait:
    """Let the machine run this many seconds, reading its console (for a
    check that something does not happen, or happens only once)."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __repr__(self):
        return f"wait {self.seconds} s"


class Test:
    """A QEMU boot and the console script it must follow.

    end: "exit" - QEMU must power off by itself after the script;
         "script" - the test ends when the script is done (QEMU is killed).
    """

    # Guest lines reach the console tagged "[vm-name] ".
    DEFAULT_FORBID = (r"PANIC", r"^(\[[\w.-]+\] )?FAIL:")

    def __init__(self, name, build=None, script=(), machine="virt,virtualization=on,gic-version=3",
                 cpu="cortex-a57", smp=4, mem="1G", boot="kernel", image=None,
                 qemu_args=(), forbid=DEFAULT_FORBID, end="exit", timeout=30,
                 needs=(), check=None, preload=True):
        self.name = name
        self.build = build
        self.script = list(script)
        self.machine = machine
        self.cpu = cpu
        self.smp = smp
        self.mem = mem
        self.boot = boot
        self.image = image
        self.qemu_args = list(qemu_args)
        self.forbid = [re.compile(p, re.M) for p in forbid]
        self.end = end
        self.timeout = timeout
        self.needs = list(needs)
        self.check = check  # optional fn(console_text) -> error string or None
        self.preload = preload  # hand QEMU the images the configuration preloads

    def image_path(self):
        return self.image or self.build.image

    def qemu_command(self):
        # cpu=None: the machine fixes its CPUs (xlnx-zcu102), no -cpu.
        cmd = ["qemu-system-aarch64", "-M", self.machine] + \
            (["-cpu", self.cpu] if self.cpu else []) + \
            ["-smp", str(self.smp), "-m", self.mem,
             "-display", "none", "-monitor", "none", "-serial", "stdio",
             # No network card: virt's default one needs a ROM file
             # (efi-virtio.rom, package ipxe-qemu) a fresh machine lacks.
             "-nic", "none"]
        if self.boot in ("kernel", "uboot") and self.build and not self.image and self.preload:
            cmd += self.build.preload_args()
        if self.boot == "kernel":
            cmd += ["-kernel", self.image_path()]
        elif self.boot == "uboot":
            cmd += ["-bios", UBOOT_BIN, "-device",
                    f"loader,file={self.image_path()},addr=0x40400000,force-raw=on"]
        elif self.boot == "none":
            pass
        else:
            raise ValueError(f"unknown boot method {self.boot}")
        return cmd + self.qemu_args


class Result:
    def __init__(self, ok, reason="", console="", seconds=0.0, details=(), notes=()):
        self.ok = ok
        self.reason = reason
        self.console = console
        self.seconds = seconds
        self.details = list(details)
        self.notes = list(notes)  # what the runner should say even on a pass


def run_test(test):
    """Boots QEMU, follows the script, and judges the console.

    A deadline that passes while the host starved QEMU (host_share.py) is
    moved once by the test's timeout, and said so: two QEMUs and builds on
    two cores can hold a boot up for seconds. A QEMU that had the CPU, or
    asked for none, fails at the deadline as before; every timeout says
    which of the three it saw."""
    start = time.monotonic()
    deadline = start + test.timeout
    proc = subprocess.Popen(test.qemu_command(), cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=QEMU_ENV)
    share = HostShare(proc.pid)
    notes = []
    extended = False
    console = ""
    pos = 0
    exited = False

    def read_some(until):
        nonlocal console, exited
        # Wakes every SAMPLE_S at least, to see whether QEMU waits for a CPU.
        wait = max(0.0, min(until, deadline, time.monotonic() + SAMPLE_S) - time.monotonic())
        asked_at = time.monotonic()
        ready, _, _ = select.select([proc.stdout], [], [], wait)
        share.sample()
        if not ready:
            share.slept(wait, time.monotonic() - asked_at)
            return False
        data = os.read(proc.stdout.fileno(), 65536)
        if not data:
            exited = True
            return False
        console += data.decode("utf-8", "replace").replace("\r", "")
        share.mark()
        return True

    def starved_grace():
        """At a deadline: (seconds the deadline moved, the silence in
        words). It moves once per test, and only for a starved QEMU."""
        nonlocal deadline, extended
        verdict, words = judge(*share.silence())
        if verdict != "starved" or extended:
            return 0.0, words
        extended = True
        deadline += test.timeout
        notes.append(f"deadline moved by {test.timeout} s: {words}")
        return test.timeout, words

    def forbidden():
        for pattern in test.forbid:
            m = pattern.search(console)
            if m:
                line = console[console.rfind("\n", 0, m.start()) + 1:].split("\n")[0]
                return f"forbidden output /{pattern.pattern}/: {line.strip()}"
        return None

    reason = None
    try:
        for step in test.script:
            if isinstance(step, Send):
                for ch in step.text:
                    proc.stdin.write(ch.encode())
                    proc.stdin.flush()
                    time.sleep(step.delay)
                continue
            if isinstance(step, Wait):
                until = min(time.monotonic() + step.seconds, deadline)
                while not exited and time.monotonic() < until:
                    read_some(until)
                reason = forbidden()
                if reason:
                    break
                continue
            step_deadline = time.monotonic() + step.timeout if step.timeout else deadline
            while True:
                m = step.pattern.search(console, pos)
                if m:
                    pos = m.end()
                    break
                reason = forbidden()
                if reason:
                    break
                if exited:
                    reason = f"QEMU exited waiting for {step!r}"
                    break
                if time.monotonic() >= min(step_deadline, deadline):
                    more, words = starved_grace()
                    if not more:
                        reason = f"timed out waiting for {step!r} ({words})"
                        break
                    step_deadline += more
                read_some(min(step_deadline, deadline))
            if reason:
                break
        if not reason and test.end == "exit":
            while not exited:
                if time.monotonic() >= deadline:
                    more, words = starved_grace()
                    if not more:
                        reason = f"QEMU did not power off within " \
                                 f"{time.monotonic() - start:.0f} s ({words})"
                        break
                read_some(deadline)
        elif not reason:
            # Let output that follows the last match arrive, briefly.
            read_some(time.monotonic() + 0.2)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    reason = reason or forbidden()
    if not reason and test.check:
        reason = test.check(console)
    guest_lines = [l for l in console.split("\n") if re.search(r"\b(PASS|FAIL):", l)]
    return Result(not reason, reason or "", console, time.monotonic() - start, guest_lines,
                  notes)


def linux_guest():
    """Makes the kernel and initramfs (make linux-guest; the .debs are cached
    in build/cache/debs, so this downloads at most once). True, or why not."""
    fresh = subprocess.run(["make", "--no-print-directory", "-q", "linux-guest"], cwd=ROOT,
                           capture_output=True).returncode == 0
    if not fresh:
        print("   making the Linux guest: Debian's arm64 kernel and busybox "
              "(downloaded once into build/cache/debs)", flush=True)
    proc = subprocess.run(["make", "--no-print-directory", "linux-guest"], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        lines = (proc.stdout + proc.stderr).strip().split("\n")
        errors = [l for l in lines if "error" in l.lower()] or lines
        return f"make linux-guest failed: {errors[-1].strip()}"
    return True
