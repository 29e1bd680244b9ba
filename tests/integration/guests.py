"""The project's bare-metal test guests (guests/*) under the hypervisor, each
checking from inside a VM what the hypervisor promises: SMCCC and PSCI with
the CPU_ON race, every slot kind and the aborts refused accesses raise,
dirty logging, MMIO emulation on the virtual UART, isolation between VMs,
SYSTEM_RESET of one VM while another runs, two test guests at once; and the
one-guest configuration (configs/single.c) that runs any image given on
make's command line. The configurations are tests/configs/run/*.c."""

import os
import re

from harness import ROOT, Build, Expect, Send, Test, linux_guest, vm_line

# Guest lines start with one of these (informational ones with "# "); other
# text tagged with a VM's name continues that VM's previous line, unless it
# is the start of one of these, cut short.
LINE_STARTS = ("PASS: ", "FAIL: ", "SUMMARY: ", "# ")


def starts_line(text):
    return text.startswith(LINE_STARTS) or any(s.startswith(text) for s in LINE_STARTS)
TAGGED = re.compile(r"^\[([\w.-]+)\] (.*)$")


def vm_lines(console):
    """Each VM's lines, whole again. The VM with console input writes
    unbuffered, so another VM's line (or the hypervisor's) may split one of
    its lines; the console then repeats the tag on the rest."""
    lines = {}
    for raw in console.split("\n"):
        m = TAGGED.match(raw)
        if not m:
            continue
        vm, text = m.groups()
        own = lines.setdefault(vm, [])
        if own and not starts_line(text):
            own[-1] += text
        else:
            own.append(text)
    return lines


def guests_passed(*vms, boots=None):
    """A check: each VM named printed no FAIL and one SUMMARY with 0 failed
    that counts exactly its PASS lines (those since its last boot, for a VM
    that resets: boots[vm] is the line that starts each boot), and was
    stopped by its own SYSTEM_OFF."""
    boots = boots or {}

    def check(console):
        lines = vm_lines(console)
        for vm in vms:
            own = lines.get(vm, [])
            fails = [l for l in own if l.startswith("FAIL: ")]
            if fails:
                return f"[{vm}] {fails[0]}"
            summaries = [l for l in own if l.startswith("SUMMARY: ")]
            if len(summaries) != 1:
                return f"[{vm}] printed {len(summaries)} SUMMARY lines"
            m = re.match(r"SUMMARY: (\d+) passed, (\d+) failed$", summaries[0])
            if not m or m.group(2) != "0":
                return f"[{vm}] {summaries[0]}"
            if vm in boots:
                starts = [i for i, l in enumerate(own) if re.match(boots[vm], l)]
                own = own[starts[-1]:] if starts else own
            passes = sum(l.startswith("PASS: ") for l in own)
            if passes != int(m.group(1)):
                return f"[{vm}] {summaries[0]}, but {passes} PASS lines"
            if not re.search(rf'^hyp: vm "{vm}" stopped: PSCI SYSTEM_OFF$', console, re.M):
                return f'vm "{vm}" did not stop by SYSTEM_OFF'
        return None
    return check


def steady_late(console, limit_ms, during):
    """Why guests/steady's timer was too late (its "latest N us late at
    most" lines, over limit_ms while `during`), or None."""
    late = [int(m.group(1)) for line in vm_lines(console).get("steady", [])
            for m in [re.search(r"latest (\d+) us late at most", line)] if m]
    if not late:
        return "steady printed no lateness"
    if max(late) > limit_ms * 1000:
        return (f"steady's timer was {max(late) / 1000:.1f} ms late at most while "
                f"{during}, more than {limit_ms} ms")
    return None


def run_config(name, **variables):
    return Build(CONFIG_FILE=f"tests/configs/run/{name}.c", **variables)


def slot_tests(suffix="", **build):
    """The slot kinds and dirty logging; with SELFTEST=hpfar-unknown (suffix
    -hpfar-unknown) HPFAR_EL2 reads as a board may leave it after a stage-2
    permission fault, so the READONLY, NOEXEC and LOG_DIRTY faults are
    resolved only if the hypervisor takes their IPA from the guest's stage 1
    (hyp/trap/abort.c), as it must on hardware."""
    return [
        # RAM, READONLY, NOEXEC, DEVICE (PL031), LOG_DIRTY and holes: allowed
        # accesses raise nothing, refused ones one abort each in the guest.
        Test("guest-memslots-every-slot-kind" + suffix, run_config("memslots", **build), [
            Expect(r'^hyp: vm "memslots" vcpu 0: 8-byte write at IPA 0x50001000 in slot 1 .* '
                   r"refused: write to a READONLY slot"),
            Expect(r"^\[memslots\] PASS: READONLY 8-byte write: one abort, ESR_EL1 0x96000050 "
                   r"FAR_EL1 0x50001000$"),
            Expect(r"^\[memslots\] PASS: NOEXEC instruction fetch: one abort, ESR_EL1 0x86000010 "
                   r"FAR_EL1 0x50201000$"),
            Expect(r"^\[memslots\] PASS: DEVICE: the passed-through PL031's ID registers read"),
            Expect(r"^\[memslots\] PASS: LOG_DIRTY reads and writes: no exception$"),
            Expect(r"^\[memslots\] PASS: write to no slot at 0x60000000: one abort, "
                   r"ESR_EL1 0x96000050 FAR_EL1 0x60000000$"),
            summary("memslots"),
            POWER_OFF,
        ], check=guests_passed("memslots"), timeout=20),
        # HC_DIRTY_LOG_GET: exactly the pages written, then empty, then the new
        # ones; bad requests are refused and lose nothing.
        Test("guest-dirty-log-bitmap" + suffix, run_config("dirtylog", **build), [
            Expect(r"^\[dirtylog\] PASS: the bitmap is exactly pages 0 1 63 64 129 130 200 514: "
                   r"returned 0, 72 bytes$"),
            Expect(r"^\[dirtylog\] PASS: a second call returns an empty bitmap"),
            Expect(r"^\[dirtylog\] PASS: written again: exactly pages 0 2 100"),
            Expect(r"^\[dirtylog\] PASS: error: a buffer one word too small is INVALID_PARAMETER"),
            Expect(r"^\[dirtylog\] PASS: after the errors: exactly pages 7 300"),
            summary("dirtylog"),
            POWER_OFF,
        ], check=guests_passed("dirtylog"), timeout=20),
    ]


def summary(vm):
    return Expect(vm_line(vm, "SUMMARY: {n} passed, 0 failed"))


POWER_OFF = Expect(r"^hyp: no VM is running: powering off$")

# The INITRD= file the one-guest test builds in.
SINGLE_INITRD = "build/test/single-initrd.txt"


def single_initrd():
    path = os.path.join(ROOT, SINGLE_INITRD)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("single-initrd: the INITRD= file\n")
    return True


TESTS = [
    # SMCCC/PSCI answers, CPU_ON's errors, the race of three callers for
    # vCPU 3 (16 rounds: one SUCCESS, vCPU 3 started once), CPU_OFF then
    # CPU_ON again.
    Test("guest-psci-smccc-cpu-on-race", run_config("psci"), [
        Expect(r"^\[psci\] PASS: PSCI_VERSION over HVC is 1\.1 \(0x10001\)$"),
        Expect(r"^\[psci\] PASS: SMCCC_VERSION is 1\.1"),
        Expect(r"^\[psci\] PASS: unknown SiP call over SMC: -1$"),
        # The vector's refusal and the C handler's answer keep x1-x30.
        Expect(r"^\[psci\] PASS: unknown SiP call over HVC: -1, x1-x30 kept"),
        Expect(r"^\[psci\] PASS: unknown hypervisor call over HVC: -1, x1-x30 kept"),
        Expect(r"^\[psci\] PASS: MIGRATE_INFO_TYPE is 2"),
        Expect(r"^\[psci\] PASS: CPU_ON with an entry point outside RAM is INVALID_ADDRESS \(-9\)$"),
        Expect(r"^\[psci\] PASS: CPU_ON race: 3 vCPUs start vCPU 3 at once, 16 rounds: one SUCCESS each"),
        Expect(r"^\[psci\] PASS: vCPU 1 called CPU_OFF: AFFINITY_INFO says OFF$"),
        Expect(r"^\[psci\] PASS: vCPU 1 runs again from its new entry point"),
        summary("psci"),
        POWER_OFF,
    ], check=guests_passed("psci"), timeout=20),
    *slot_tests(),
    *slot_tests("-hpfar-unknown", SELFTEST="hpfar-unknown"),
    # The virtual PL011: every load size, sign extension, every addressing
    # form, pairs, and stores that print.
    Test("guest-mmio-vuart-loads-stores-pairs", run_config("mmio"), [
        Expect(r"^\[mmio\] PASS: LDR x PeriphID0-1: 0x1000000011 "),
        Expect(r"^\[mmio\] PASS: LDRSB x PCellID3 \(0xb1\): 0xffffffffffffffb1 "),
        Expect(r"^\[mmio\] PASS: LDR w pre-index: base written back"),
        Expect(r"^\[mmio\] PASS: LDR w register offset, SXTW #2 of -3"),
        Expect(r"^\[mmio\] PASS: LDP x: PeriphID0-1: 0x1000000011 "),
        Expect(r"^\[mmio\] PASS: STP w: IMSC written: 0x70f "),
        Expect(r"^\[mmio\] # stores:abcdefghij$"),
        Expect(r"^\[mmio\] PASS: LDXR on the UART: one abort"),
        summary("mmio"),
        POWER_OFF,
    ], check=guests_passed("mmio"), timeout=20),
    # The prober faults on every page outside its slots, the victim's host
    # memory included, and the victim's pattern survives.
    Test("guest-isolation-probes-fault-pattern-intact", run_config("isolation"), [
        # victim has console focus: prober's lines and the hypervisor's
        # about it may break victim's (vm_line).
        Expect(vm_line("victim", "# victim: {n} words of RAM hold the pattern")),
        Expect(r'^hyp: vm "prober" vcpu 0: 8-byte read at IPA 0x0 .* refused: '
               r"no slot or device there; injected a synchronous external abort$"),
        Expect(r"^\[prober\] PASS: prober: (\d+) probes outside its slots, \1 faults, each one "
               r"synchronous external abort with FAR = the address; 0 values read$"),
        Expect(r'^hyp: vm "prober" stopped: PSCI SYSTEM_OFF$'),
        Expect(vm_line("victim", "PASS: victim: all {n} words of the pattern intact{any}")),
        POWER_OFF,
    ], check=guests_passed("victim", "prober"), timeout=30),
    # "a" resets itself twice while "b" prints on; then a powers off, b
    # goes on, and the machine stops when b does. b is first in the
    # configuration, so it has focus: a's lines may break its (vm_line).
    Test("guest-system-reset-while-other-vm-prints", run_config("reset"), [
        Expect(r"^\[a\] # boot 1$"),
        Expect(vm_line("b", "# heartbeat {n}")),
        Expect(r'^hyp: vm "a" restarting \(PSCI SYSTEM_RESET\), restart 1$'),
        Expect(r"^\[a\] # boot 2$"),
        Expect(r"^\[a\] PASS: boot 2: RAM is clear"),
        Expect(r"^\[a\] PASS: boot 2: \.data holds the image's value again"),
        Expect(vm_line("b", "# heartbeat {n}")),
        Expect(r'^hyp: vm "a" restarting \(PSCI SYSTEM_RESET\), restart 2$'),
        Expect(r"^\[a\] # boot 3$"),
        Expect(vm_line("b", "# heartbeat {n}")),
        Expect(r"^\[a\] SUMMARY: 3 passed, 0 failed$"),
        Expect(r'^hyp: vm "a" stopped: PSCI SYSTEM_OFF$'),
        Expect(vm_line("b", "# heartbeat {n}")),
        Expect(vm_line("b", "PASS: the other VM booted 3 times{any}")),
        Expect(r'^hyp: vm "b" stopped: PSCI SYSTEM_OFF$'),
        POWER_OFF,
    ], check=guests_passed("a", "b", boots={"a": r"# boot \d+$"}), timeout=20),
    # Run-time slot changes: the manager creates, moves, re-flags and
    # deletes a slot of the running managed VM, which checks each change
    # from inside; every refusal has KVM's code; a non-manager gets -EPERM.
    # Then, the managed VM stopped, the manager writes an image into it,
    # starts it there and stops it; adds a slot and starts the VM's own
    # payload again with a device tree made from its slots now. The
    # manager has focus: the managed VM's lines may break its (vm_line).
    Test("mgmt-slot-changes-on-a-running-vm", run_config("mgmt"), [
        Expect(r'^hyp: vm "manager" manages vm "managed"\'s slots, from host memory '
               r"0x50000000-0x50ffffff$"),
        Expect(r"^\[managed\] PASS: a VM that manages none: create in VM 0 is -EPERM \(-1\)$"),
        Expect(r"^\[managed\] PASS: it has no control window: a read at 0x090c0000 aborts"),
        Expect(vm_line("manager", "PASS: create over the managed VM's RAM is -EEXIST: -17 {any}")),
        Expect(vm_line("manager", "PASS: create of 64 MiB from a 16 MiB host range is -ENOMEM: -12 "
                       "{any}")),
        Expect(vm_line("manager", "PASS: move with another size (a resize) is -EINVAL: -22 {any}")),
        Expect(r"^\[managed\] PASS: the new slot at 0x60000000 reads zero$"),
        Expect(r"^\[managed\] PASS: moved to 0x70000000, the slot kept its contents$"),
        # The guest's own check: the hypervisor's line for this abort may
        # fall inside its 100 ms per-vCPU log interval and be counted only.
        Expect(r"^\[managed\] PASS: a read at the old place 0x60000000 aborts: one abort"),
        Expect(vm_line("manager", "PASS: the dirty log is exactly the pages the managed VM "
                       "wrote, 0 5 511 (0, 64 bytes)")),
        Expect(r"^\[managed\] PASS: a write to the deleted slot at 0x70000008 aborts"),
        Expect(r"^\[managed\] PASS: created again, the slot reads zero: deleted memory was "
               r"cleared$"),
        Expect(r'^hyp: vm "managed" stopped: PSCI SYSTEM_OFF$'),
        Expect(vm_line("manager", "PASS: HC_VM_WRITE of the image at 0x40200000: 0 {any}")),
        Expect(r"^\[managed\] # an image the manager wrote and started$"),
        Expect(vm_line("manager", "PASS: the image ran: it printed its banner{any}")),
        Expect(vm_line("manager", "PASS: HC_VM_WRITE while it runs is -EBUSY: -16 {any}")),
        Expect(r'^hyp: vm "managed" stopped: stopped by its manager$'),
        Expect(vm_line("manager", "PASS: after HC_VM_STOP it is stopped (3)")),
        Expect(r"^\[managed\] # regenerated device tree at 0x40f00000: memory@40000000 and "
               r"memory@60000000 present$"),
        Expect(r"^\[managed\] # the new slot at 0x60000000 is memory$"),
        Expect(vm_line("manager", "PASS: the payload checked its device tree and powered "
                       "off{any}")),
        Expect(vm_line("manager", 'PASS: HC_VM_NAME of VM 1 is "managed"')),
        Expect(r'^hyp: vm "managed" restarting \(restarted by its manager\), restart 1$'),
        Expect(r"^\[managed\] # restarted by its manager \(restart 1\), its RAM cleared: "
               r"0x40200000 reads zero$"),
        Expect(r"^\[managed\] # its device tree at reload shows memory@40000000 and the run-time "
               r"memory@60000000$"),
        Expect(vm_line("manager", "PASS: HC_VM_CONSOLE: {n} bytes it printed, its last "
                       "lines{any}")),
        Expect(vm_line("manager", "PASS: the control window at 0x090c0000 answers its ID{any}")),
        Expect(vm_line("manager", "PASS: through the window, a buffer outside its RAM is -EFAULT")),
        POWER_OFF,
    ], check=guests_passed("manager", "managed"), timeout=20),
    # Two test guests at once on -smp 4: psci on CPUs 0-2, memslots on 3.
    Test("guest-two-vms-side-by-side-smp4", run_config("side-by-side"), [
        Expect(r'^hyp: vm "psci": entering at IPA 0x40080000 .* 3 vCPUs$'),
        Expect(r'^hyp: vm "memslots": entering at IPA 0x40080000 .* 1 vCPU$'),
        POWER_OFF,
    ], check=guests_passed("psci", "memslots"), smp=4, timeout=20),

    # make run CONFIG=single GUEST=...: the defaults (1 vCPU on CPU 0,
    # 512 MiB at IPA 0x40000000 from host 0x50000000, a raw image).
    Test("single-config-raw-image-defaults",
         Build(config="single", GUEST="build/guests/hello.bin"), [
             Expect(r'^vm "guest": 1 vCPU on CPU 0;'),
             Expect(r"^  0 +0x000040000000-0x00005fffffff  0x000050000000-0x00006fffffff  RAM "),
             # Not a Linux Image: its device tree at RAM base, as QEMU does.
             Expect(r'^hyp: vm "guest": entering at IPA 0x40080000 with its device tree at '
                    r"0x40000000, 1 vCPU$"),
             Expect(r"^\[guest\] hello from EL1, DTB at 0x40000000$"),
             summary("guest"),
             POWER_OFF,
         ], check=guests_passed("guest"), timeout=20),
    # ... with INITRD=, CMDLINE= and VCPUS=, as the guest's device tree
    # shows them.
    Test("single-config-initrd-cmdline-vcpus",
         Build(config="single", GUEST="build/guests/bootinfo.bin", INITRD=SINGLE_INITRD,
               CMDLINE="console=ttyAMA0 single-test=42", VCPUS=3), [
             Expect(r'^vm "guest": 3 vCPUs on CPU 0,1,2;'),
             Expect(r"^\[guest\] # bootargs: console=ttyAMA0 single-test=42$"),
             Expect(r"^\[guest\] # memory: 0x40000000, 0x20000000 bytes$"),
             Expect(r"^\[guest\] PASS: the device tree lists the VM's 3 vCPUs"),
             Expect(r'^\[guest\] # initrd: 0x[0-9a-f]+-0x[0-9a-f]+, 32 bytes: '
                    r'"single-initrd: the INITRD= file"$'),
             summary("guest"),
             POWER_OFF,
         ], check=guests_passed("guest"), needs=[single_initrd], timeout=20),
    # ... and an arm64 Image, recognised by its header and placed by its
    # text_offset (0: entered at RAM base), booted to a shell on 2 vCPUs.
    Test("single-config-linux-image",
         Build(config="single", GUEST="build/linux/Image",
               INITRD="build/linux/initramfs.cpio.gz",
               CMDLINE="console=ttyAMA0 single-test=42", VCPUS=2), [
             Expect(r'^hyp: vm "guest": entering at IPA 0x40000000 with its device tree at '
                    r"0x5fe00000, 2 vCPUs$"),
             Expect(r"^\[guest\] .*Kernel command line: console=ttyAMA0 single-test=42$",
                    timeout=30),
             Expect(r"^\[guest\] linux: userspace on \S+ with 2 CPUs$", timeout=60),
             Expect(r"^\[guest\] LINUX-USERSPACE-READY$"),
             Expect(r"/ # "),
             Send("poweroff -f\n"),
             Expect(r'^hyp: vm "guest" stopped: PSCI SYSTEM_OFF$'),
             POWER_OFF,
         ], forbid=Test.DEFAULT_FORBID + (r"Kernel panic", r"Internal error: Oops"),
         needs=[linux_guest], timeout=60),
]
