"""The Linux guest recipe (guests/linux): Debian's arm64 kernel and the busybox
initramfs boot to a shell on bare QEMU, without the hypervisor, so that a
failure here is the recipe's and not the hypervisor's."""

from harness import Expect, Send, Test, linux_guest

LINUX_IMAGE = "build/linux/Image"
LINUX_INITRD = "build/linux/initramfs.cpio.gz"


# What a broken kernel or initramfs prints.
FORBID = Test.DEFAULT_FORBID + (r"Kernel panic", r"Internal error: Oops", r"Unable to handle kernel",
          r"unable to open an initial console", r"^\s*BUG:")

TESTS = [
    Test("linux-bare-qemu-boots-to-shell", script=[
        Expect(r"^linux: userspace on \S+-arm64 with 2 CPUs$"),
        Expect(r"^LINUX-USERSPACE-READY$"),
        Expect(r"/ # "),
        Send("echo $((6*7))\n"),
        Expect(r"^42$"),
        # Job control: Ctrl-C stops the foreground command, not the shell.
        # "sleeping" is printed only once the command is in the foreground.
        Send("sh -c 'echo sleeping; exec sleep 50'\n"),
        Expect(r"^sleeping$"),
        Send("\x03"),
        Expect(r"/ # "),
        Send("echo status $?\n"),
        Expect(r"^status 130$", timeout=10),
        Send("poweroff -f\n"),
    ], machine="virt,gic-version=3", cpu="cortex-a57", smp=2, mem="512M", boot="none",
        qemu_args=["-kernel", LINUX_IMAGE, "-initrd", LINUX_INITRD,
                   "-append", "console=ttyAMA0"],
        forbid=FORBID, end="exit", timeout=60, needs=[linux_guest]),
]
