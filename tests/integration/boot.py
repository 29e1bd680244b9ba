"""Boot at EL2: every CPU online, wrong-level and wrong-address entry, U-Boot
booti, and the EL2 exception report."""

from harness import Build, Expect, Send, Test

VIRT = "virt,virtualization=on,gic-version=3"
# Boot checks need no downloads: the bare-metal configuration.
DEFAULT = Build(config="baremetal")
GICV2 = Build(platform="qemu-virt-gicv2", config="baremetal")
FAULT = Build(config="baremetal", SELFTEST="el2-fault")
AT_FIXUP = Build(config="baremetal", SELFTEST="at-fixup")


def cpus_online(n):
    return [Expect(rf"hyp: CPU {i} online at EL2 \(MPIDR 0x{i:x}\)") for i in range(n)] + \
        [Expect(rf"hyp: {n} CPUs online at EL2")]


def el_entry_loader(image, addr):
    """Starts CPU 0 at addr with the image there, whatever the EL."""
    return ["-device", f"loader,file={image},addr={addr},force-raw=on",
            "-device", f"loader,addr={addr},cpu-num=0"]


TESTS = [
    Test("boot-all-cpus-online-smp4", DEFAULT, cpus_online(4), end="script"),
    Test("boot-all-cpus-online-gicv2", GICV2, cpus_online(4),
         machine="virt,virtualization=on,gic-version=2", end="script"),
    Test("boot-gic-mismatch-says-how-to-fix", DEFAULT, [
        Expect(r"hyp: error: board qemu-virt describes a GICv3, but this machine's GIC "
               r"is another generation"),
        Expect(r"gic-version=3"),
    ], machine="virt,virtualization=on,gic-version=2", end="exit"),
    Test("boot-gic-mismatch-gicv2-board-says-how-to-fix", GICV2, [
        Expect(r"hyp: error: board qemu-virt-gicv2 describes a GICv2, but this machine's "
               r"GIC is another generation"),
        Expect(r"gic-version=2"),
    ], end="exit"),
    Test("boot-entered-at-el1-says-how-to-fix", DEFAULT, [
        Expect(r"hyp: entered at EL1, but this hypervisor must be started at EL2"),
        Expect(r"virtualization=on"),
        Expect(r"hyp: powering off"),
    ], machine="virt,gic-version=3", end="exit"),
    Test("boot-entered-at-el3-says-how-to-fix", DEFAULT, [
        Expect(r"hyp: entered at EL3, but this hypervisor runs at EL2"),
        Expect(r"BL33"),
        Expect(r"hyp: stopped"),
    ], machine="virt,secure=on,virtualization=on,gic-version=3", boot="none",
        qemu_args=el_entry_loader(DEFAULT.image, "0x40200000"), end="script"),
    Test("boot-loaded-at-wrong-address-says-where", DEFAULT, [
        Expect(r"hyp: loaded at 0x40400000, but this image was linked to run at 0x40200000"),
        Expect(r"hyp: stopped"),
    ], boot="none", qemu_args=el_entry_loader(DEFAULT.image, "0x40400000"), end="script"),
    Test("boot-through-uboot-booti", DEFAULT, [
        Expect(r"Hit any key to stop autoboot"),
        Send("\n"),
        Expect(r"=> "),
        Send("booti 0x40400000 - ${fdtcontroladdr}\n"),
    ] + cpus_online(4), boot="uboot", end="script"),
    Test("boot-el2-exception-report", FAULT, [
        Expect(r"hyp: 4 CPUs online at EL2"),
        Expect(r"PANIC: CPU 0 took a synchronous exception at EL2 from EL2h"),
        Expect(r"data abort at the same EL: translation fault, level \d; 8-byte read, x\d+"),
        Expect(r"FAR_EL2 0xdead0000"),
        Expect(r"ELR_EL2 0x[0-9a-f]+ <selftest_el2_fault\+0x[0-9a-f]+>"),
        Expect(r"x0  [0-9a-f]{16}"),
        Expect(r"x30 [0-9a-f]{16}"),
        Expect(r"backtrace:"),
        Expect(r"#1 +0x[0-9a-f]+ <\w+\+0x[0-9a-f]+>"),
        Expect(r"hyp: CPU 0 stopped"),
    ], forbid=(), end="script"),
    # A fault in the window where the hypervisor walks a guest's stage 1
    # with AT (hyp/trap/guest_at.S) resumes at its fixup: the guest would
    # get an abort, the hypervisor goes on.
    Test("boot-at-walk-fault-recovered", AT_FIXUP, [
        Expect(r"hyp: self-test: a fault in the AT window came back as a failed "
               r"translation \(0xffffffffffffffff\)"),
        Expect(r"hyp: vm \"\w+\": entering at IPA"),
    ], end="script", timeout=20),
]
