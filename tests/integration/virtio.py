"""virtio devices for unmodified Linux, served by a device partition
(docs/virtio.md, configs/linux-pair.c, guests/virtio-dev): two Debian Linux
VMs load Debian's own virtio modules, ping each other over the device
partition's virtio-net switch, one mounts its virtio-blk disk and reads the
file the build put there, and a line written to virtio-console comes back.
Then the device partition restarts with a console write in flight: the
write completes and the devices go on by themselves, no rebind. Driven through the consoles
as a user would. And a hostile
bare-metal frontend (guests/virtio-forge) cannot make the device partition
touch another frontend's memory."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from guests import guests_passed  # noqa: E402
from harness import Build, Expect, Send, Test, Wait, linux_guest, vm_line  # noqa: E402
from linux import FORBID  # noqa: E402

# Console focus moves between linux-a (first), virtio-dev and linux-b: each
# VM's line may be broken by another's, so each is waited for as vm_line.
DISK_LINE = "hello from the virtio-blk disk of the device partition"
PINGS_ANSWERED = vm_line("linux-a", "3 packets transmitted, 3 packets received, 0% packet loss")


def shell(cmd, expect, timeout=60):
    return [Send(cmd + "\n"), Expect(expect, timeout=timeout)]


def seen(*patterns):
    """Lines the run must have printed somewhere (the two Linux VMs boot
    side by side, so their order is not fixed)."""
    def check(console):
        for p in patterns:
            if not re.search(p, console, re.M):
                return f"no line matching /{p}/"
        return None
    return check


TESTS = [Test("virtio-linux-pair-ping-disk-console-restart-frontend-reboot", Build(config="linux-pair"), [
    Expect(vm_line("virtio-dev", "virtio-dev: serving 5 windows {any}"), timeout=60),
    Expect(vm_line("linux-a", "LINUX-USERSPACE-READY"), timeout=300),
    Expect(r"/ # "),
    # linux-b may still be booting: wait for its answer, then count.
    *shell("for i in $(seq 90); do ping -c 1 -W 2 192.0.2.2 >/dev/null && break; done; "
           "ping -c 3 -W 5 192.0.2.2 | grep transmitted",
           PINGS_ANSWERED, timeout=240),
    *shell("mkdir -p /mnt && mount -t ext4 /dev/vda /mnt && cat /mnt/hello.txt",
           vm_line("linux-a", DISK_LINE)),
    # Held open so that raw -echo holds (hvc resets a tty's modes on open).
    *shell("exec 4<>/dev/hvc0; stty raw -echo <&4; echo 'typed to the console' >&4; "
           "read -t 10 l <&4; echo \"BACK: $l\"",
           vm_line("linux-a", "BACK: typed to the console{any}")),
    # The device partition holds every request (its operator's h), a
    # write to /dev/hvc0 starts (Linux's vCPU waits, interrupts off, for
    # its buffer), then the partition restarts (its operator's r). The new
    # instance takes the devices up where the old one left them: the write
    # completes and comes back, and the disk (still mounted), the network
    # and the console go on, with no `virtio-up rebind`.
    *shell("echo 'written before the restart' >/mnt/kept.txt && sync && echo SYNCED",
           vm_line("linux-a", "SYNCED")),
    Send("\x1c3"),
    Expect(r'^hyp: console input goes to vm "virtio-dev"'),
    Send("h"),
    Expect(vm_line("virtio-dev", "virtio-dev: holding: {any}")),
    Send("\x1c1"),
    Expect(r'^hyp: console input goes to vm "linux-a"'),
    Send("echo 'in flight' >&4; echo WRITTEN\n"),
    Wait(3),
    Send("\x1c3"),
    Expect(r'^hyp: console input goes to vm "virtio-dev"'),
    Send("r"),
    Expect(vm_line("virtio-dev", "virtio-dev: boot 2"), timeout=30),
    Expect(vm_line("virtio-dev", "virtio-dev: console of vm 0: in flight"), timeout=30),
    Expect(vm_line("virtio-dev", "virtio-dev: serving 5 windows {any}"), timeout=30),
    # Released as the new instance serves the queue, maybe before the
    # switch's line: either order.
    Send("\x1c1"),
    Expect(vm_line("linux-a", "WRITTEN"), timeout=30),
    *shell("read -t 10 l <&4; echo \"BACK: $l\"", vm_line("linux-a", "BACK: in flight{any}")),
    *shell("ping -c 3 -W 5 192.0.2.2 | grep transmitted",
           PINGS_ANSWERED),
    # Read from the disk again, not the page cache: what was written
    # before the restart is still there (the disk was not reloaded).
    *shell("echo 3 >/proc/sys/vm/drop_caches; cat /mnt/hello.txt", vm_line("linux-a", DISK_LINE)),
    *shell("cat /mnt/kept.txt", vm_line("linux-a", "written before the restart")),
    *shell("echo 'after the restart' >&4; read -t 10 l <&4; echo \"BACK: $l\"",
           vm_line("linux-a", "BACK: after the restart{any}")),
    # A frontend restarts as after a crash (sysrq b: no driver resets its
    # device first) while linux-a pings it: its devices are reset for it
    # before its new run touches them (no frame of those pings lands in
    # its new run's memory), its new run sets them up again, and the
    # network between the two works as before.
    *shell("ping -q -c 150 -i 0.2 192.0.2.2 >/dev/null 2>&1 & echo PINGING",
           vm_line("linux-a", "PINGING")),
    Send("\x1c2"),
    Expect(r'^hyp: console input goes to vm "linux-b"'),
    Send("echo b >/proc/sysrq-trigger\n"),
    Expect(r'^hyp: vm "linux-b" restarting \(PSCI SYSTEM_RESET\)', timeout=30),
    Expect(vm_line("linux-b", "virtio: eth0 is 192.0.2.2/24"), timeout=120),
    Send("\x1c1"),
    Expect(r'^hyp: console input goes to vm "linux-a"'),
    *shell("for i in $(seq 30); do ping -c 1 -W 2 192.0.2.2 >/dev/null && break; done; "
           "ping -c 3 -W 5 192.0.2.2 | grep transmitted",
           PINGS_ANSWERED, timeout=120),
], check=seen(vm_line("virtio-dev", "virtio-dev: console of vm 0: typed to the console"),
              vm_line("linux-a", "virtio: eth0 is 192.0.2.1/24"),
              vm_line("linux-a", "virtio: devices: virtio0=virtio_blk virtio1=virtio_net "
                      "virtio2=virtio_console"),
              vm_line("linux-b", "virtio: eth0 is 192.0.2.2/24"),
              vm_line("linux-b", "virtio: devices: virtio0=virtio_net virtio1=virtio_console"),
              vm_line("virtio-dev", "virtio-dev: window 3 (virtio-net of vm 1): its frontend "
                      "restarted: device reset")),
    forbid=FORBID + (r"refused:",), end="script", timeout=420, needs=[linux_guest])]

# Forged descriptors and queues (tests/configs/run/virtio-forge.c): the
# forger's, refused; the victim's memory, untouched.
TESTS.append(Test("virtio-forged-descriptors-refused", Build(
    CONFIG_FILE="tests/configs/run/virtio-forge.c"), [
    # Both stop by themselves, in either order.
    Expect(r'^hyp: vm "(forger|victim)" stopped: PSCI SYSTEM_OFF$'),
    Expect(r'^hyp: vm "(forger|victim)" stopped: PSCI SYSTEM_OFF$'),
], check=guests_passed("forger", "victim"), end="script", timeout=60))

# A frontend's restart against the device partition (tests/configs/run/
# virtio-front-restart.c): its device is reset before its new run's first
# access, and no frame lands at an address its old run posted, both while
# the device partition runs and across the device partition's own restart
# with state kept (held with h, restarted with r, the restarter restarting
# in between).
TESTS.append(Test("virtio-frontend-restart-resets-its-devices", Build(
    CONFIG_FILE="tests/configs/run/virtio-front-restart.c"), [
    Expect(vm_line("restarter", "# waiting for the device partition to hold"), timeout=60),
    Send("\x1c3"),
    Expect(r'^hyp: console input goes to vm "virtio-dev"'),
    Send("h"),
    Expect(vm_line("virtio-dev", "virtio-dev: holding: {any}")),
    Expect(vm_line("restarter", "# waiting for the device partition's restart"), timeout=60),
    Send("r"),
    Expect(vm_line("virtio-dev", "virtio-dev: boot 2"), timeout=30),
    Expect(r'^hyp: vm "(talker|restarter)" stopped: PSCI SYSTEM_OFF$', timeout=60),
    Expect(r'^hyp: vm "(talker|restarter)" stopped: PSCI SYSTEM_OFF$', timeout=60),
], check=lambda c: guests_passed("talker", "restarter", boots={
    "restarter": r"# boot \d+$"})(c) or seen(
    vm_line("virtio-dev", "virtio-dev: window 1 (virtio-net of vm 1): its frontend restarted: "
            "device reset"))(c), end="script", timeout=120))
