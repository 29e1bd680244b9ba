"""The console's input side: a long paste reaches a slow reader whole
(buffered in the hypervisor), and focus changes say where input goes."""

from harness import Build, Expect, Send, Test, linux_guest, vm_line

# CONFIG=single reports hangs (.stall_ms): none of these guests hangs, idle
# in WFI (pulse, Linux's shell) or busy polling (slowread).
NO_STALL = Test.DEFAULT_FORBID + (r"has stopped making progress",)

# 200 characters typed at once, as a paste or a script feeding make run
# does: Linux's shell must echo every one back.
PASTE = "".join("%03d:" % i + "abcdefghijklmnopqrstu"[i % 21] for i in range(40))  # 200 chars


def linux_single():
    return Build(config="single", GUEST="build/linux/Image",
                 INITRD="build/linux/initramfs.cpio.gz", CMDLINE="console=ttyAMA0")


TESTS = [
    # A guest that polls one character every 2 ms: the 200 characters
    # arrive at once, far more than its UART's 32-entry FIFO holds.
    Test("console-paste-200-chars-reaches-slow-reader-whole",
         Build(config="single", GUEST="build/guests/slowread.bin"), [
             # One VM: no "Ctrl-\ then 1-1" hint.
             Expect(r'^hyp: console input goes to vm "guest"$'),
             Expect(r"^\[guest\] slowread: ready$"),
             Send(PASTE + "\n", delay=0),
             Expect(r"^\[guest\] slowread: got 200 characters: " + PASTE + "$"),
             Expect(r'^hyp: vm "guest" stopped: PSCI SYSTEM_OFF$'),
         ], forbid=NO_STALL, timeout=20),
    # A VM that never reads: the queue fills (4096 characters, after its
    # FIFO's 32) and the console says that input is being dropped.
    Test("console-input-queue-full-says-so",
         Build(config="single", GUEST="build/guests/pulse.bin"), [
             Expect(r"^\[guest\] heartbeat 1 "),
             Send("x" * 4200, delay=0),
             Expect(r'^hyp: warning: console input for vm "guest": 4096 typed characters wait unread, '
                    r"the most it holds; more are dropped until it reads$", timeout=30),
         ], forbid=NO_STALL, end="script", timeout=45),
    # Where input goes, said: at boot, for a VM number that does not exist,
    # when the VM with focus stops, and for a switch back to it. "a" has
    # focus, so "b"'s first line may break its line (vm_line).
    Test("console-focus-follows-stop-and-says-why",
         Build(CONFIG_FILE="tests/configs/run/focus.c"), [
             Expect(r'^hyp: console input goes to vm "a" \(Ctrl-\\ then 1-2 to switch\)$'),
             Expect(vm_line("a", "slowread: ready")),
             Send("\x1c7"),
             Expect(r'^hyp: console: Ctrl-\\ then 7: there is no vm 7 \(2 configured\); '
                    r'input stays with vm "a"$'),
             Send("bye\n"),
             Expect(vm_line("a", "slowread: got 3 characters: bye")),
             Expect(r'^hyp: vm "a" stopped: PSCI SYSTEM_OFF$'),
             Expect(r'^hyp: console input goes to vm "b" \(vm "a" stopped\)$'),
             Send("\x1c1"),
             Expect(r'^hyp: console: vm 1 \("a"\) cannot take input: it is stopped; '
                    r'it stays with vm "b"$'),
         ], end="script", timeout=20),
    Test("console-paste-200-chars-reaches-linux-whole", linux_single(), [
        Expect(r"^\[guest\] LINUX-USERSPACE-READY$", timeout=60),
        Expect(r"/ # "),
        Send("echo " + PASTE + "\n", delay=0),
        Expect(r"^\[guest\] " + PASTE + "$", timeout=20),
        Send("poweroff -f\n"),
        Expect(r'^hyp: vm "guest" stopped: PSCI SYSTEM_OFF$'),
    ], forbid=NO_STALL + (r"Kernel panic",), needs=[linux_guest], timeout=90),
]
