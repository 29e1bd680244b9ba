#!/usr/bin/env python3
"""make bench: builds with BENCH=1, runs QEMU with -icount shift=0,sleep=off
(the PMU cycle counter then counts one per executed instruction, and runs
repeat exactly) and prints instructions per operation, plus image sizes;
then the interrupt figures on GICv3 and GICv2, and Linux's boot time under
the hypervisor against bare QEMU, in the guest's virtual time. Every run is
made twice and the figures must agree exactly. docs/benchmarks.md records
the figures and what each one measures."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = harness.ROOT
ICOUNT = ["-icount", "shift=0,sleep=off"]
RUNS = 2

# The boot figure, for the default configuration.
BOOT_BUILD = harness.Build(BENCH=1)
# The benchmark payload (guests/bench) alone on CPU 0 (configs/bench.c).
BENCH_BUILD = harness.Build(config="bench", BENCH=1)

# Run-time slot changes: a manager (guests/bench-mgmt) creates and deletes
# slots of a running 1-vCPU VM (configs/bench-mgmt.c).
MGMT_BUILD = harness.Build(config="bench-mgmt", BENCH=1)
MGMT_ROWS = [
    ("HC_SLOT_CREATE, 4 KiB slot, VM running", "slot_create_4k"),
    ("HC_SLOT_DELETE, 4 KiB slot (cleared)", "slot_delete_4k"),
    ("HC_SLOT_CREATE, 2 MiB slot, VM running", "slot_create_2m"),
    ("HC_SLOT_DELETE, 2 MiB slot (1 MiB cleared)", "slot_delete_2m"),
    ("HC_SLOT_CREATE refused (-EEXIST)", "slot_refused"),
    ("HC_VM_WRITE, 1 MiB into a stopped VM", "vm_write_1m"),
]

# Stage-2 builds for a 1 GiB slot by host alignment (hyp/cpu/bench_stage2.c):
# the default configuration's boot with them added, and a pool for 4 KiB.
STAGE2_BUILD = harness.Build(BENCH=1, BENCH_STAGE2=1, POOL_PAGES=1024)
STAGE2 = re.compile(r"^hyp: bench: stage 2 of a 1 GiB slot, host address (.+?): (\d+) "
                    r"instructions, (\d+) table pages, leaves 1G (\d+) 2M (\d+) 4K (\d+)", re.M)
CPUS_ONLINE = re.compile(r"^hyp: bench: entry to CPUs online: (\d+) instructions", re.M)
# What the payloads print: "[<vm>] bench: <key> = <instructions> (<what>)".
GUEST_FIGURE = re.compile(r"^\[[\w.-]+\] bench: (\w+) = (-?\d+(?:\.\d+)?) \(", re.M)

# The table: (label, loop, loop without the operation, net), keys of the
# payload's figures; None where a column does not apply.
ROWS = [
    ("null hypercall (HC_NOP) round trip", "hvc_nop_loop", "hvc_nop_bare", "hvc_nop"),
    ("emulated MMIO read (vUART FR) round trip", "mmio_read_loop", "mmio_read_bare",
     "mmio_read"),
    ("emulated MMIO write (vUART DR, focus VM) round trip", "uart_write_loop",
     "mmio_read_bare", "uart_write"),
    ("dirty-log write fault, per page", "dirty_fault_loop", "dirty_write_loop",
     "dirty_fault"),
    ("HC_DIRTY_LOG_GET, nothing dirty", "dirty_get_loop", "dirty_get_bare", "dirty_get"),
    ("HC_DIRTY_LOG_GET, each dirty page returned", None, None, "dirty_get_page"),
]
# The loops without the operation: whole numbers, exactly their length, when
# the counter counts instructions.
BARE = {"hvc_nop_bare": 3, "mmio_read_bare": 2, "dirty_write_loop": 4, "dirty_get_bare": 7}

# The interrupt payload (guests/bench-irq) on each GIC: (column, PLATFORM,
# QEMU's gic-version).
GICS = (("GICv3", "qemu-virt", "3"), ("GICv2", "qemu-virt-gicv2", "2"))
# Its two configurations: two vCPUs with a CPU each, and sharing one.
IRQ_CONFIGS = ("bench-irq", "bench-switch")
IRQ_ROWS = [
    ("virtual IPI, SGI write to handler, target in WFI", "ipi_wfi"),
    ("virtual IPI, SGI write to handler, target spinning", "ipi_spin"),
    ("  of which the SGI write at the sender", "ipi_send"),
    ("  and the sender's WFI to the target's handler", "ipi_receive"),
    ("virtual timer, expiry to handler, vCPU in WFI", "timer_wfi"),
    ("virtual timer, expiry to handler, vCPU running", "timer_run"),
    ("next exit after an interrupt, extra (LR sync)", "irq_sync"),
    ("acknowledge (IAR read)", "ack"),
    ("EOI write, SGI", "eoi_sgi"),
    ("EOI write, virtual timer (HW-linked)", "eoi_timer"),
]
# Partitions that talk (guests/bench-io, configs/bench-io.c).
IO_ROWS = [
    ("doorbell, HC_DOORBELL to the peer's handler", "doorbell"),
    ("forwarded register read round trip", "fwd_read"),
]
SWITCH_ROWS = [
    ("vCPU switch, WFI to the other vCPU's handler", "switch"),
    ("virtual IPI, SGI write to handler", "ipi_shared"),
    ("  of which the SGI write at the sender", "ipi_send_shared"),
    ("virtual timer, expiry to handler, trapped WFI", "timer_wfi_shared"),
    ("virtual timer, expiry to handler, vCPU running", "timer_run_shared"),
]

# guests/guestview: the paths as an unmodified guest times them, 2 vCPUs on
# CPUs 0 and 1 of CONFIG=single, beside the same image on bare QEMU (-smp 2,
# no EL2). The figures it prints, with the row each makes.
GUESTVIEW_IMAGE = "build/guests/guestview.bin"
GUESTVIEW_ROWS = [
    ("hvc #0, unknown SMCCC function ID, round trip", "gv_hvc"),
    ("read of the vUART's FR, round trip", "gv_fr"),
    ("read of GICD_CTLR, round trip", "gv_gicd"),
    ("read of GICD_ISENABLER1, round trip", "gv_gicd_array"),
    ("virtual timer round (EOI, then IMASK), less 10 ms", "gv_timer"),
    ("IPI, vCPU 0 to vCPU 1's handler and back", "gv_ipi"),
]
# Bare QEMU or the hypervisor may print its lines without a VM's tag.
ANY_FIGURE = re.compile(r"^(?:\[[\w.-]+\] )?bench: (\w+) = (-?\d+(?:\.\d+)?) \(", re.M)

# Linux: the default configuration (Linux with 2 vCPUs beside "pulse") and
# the same kernel and initramfs on bare QEMU with 2 CPUs and Linux's 256 MiB.
# dtb-randomness=off and an RTC on the virtual clock keep bare runs exact
# (the hypervisor gives its VMs neither a KASLR seed nor an RTC).
LINUX_IMAGE = "build/linux/Image"
LINUX_INITRD = "build/linux/initramfs.cpio.gz"
LINUX_INIT = re.compile(r"^(?:\[(?:linux|guest)\] )?\[\s*(\d+)\.(\d{6})\] Run /init as init process$", re.M)


def build(b):
    proc = subprocess.run(["make", "-s", "--no-print-directory"] + b.make_args() + ["all"],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)


def section_sizes(elf):
    out = subprocess.run(["aarch64-linux-gnu-size", "-A", elf], capture_output=True,
                         text=True, cwd=ROOT).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def number(text):
    """The payload prints figures to a thousandth: 145.000 is exactly 145."""
    value = float(text)
    return int(value) if value == int(value) else value


def guest_figures(console):
    """The payload's figures, by key, and the hypervisor's boot figure
    ("cpus_online") and the guest's entry figure ("entry")."""
    figures = {key: number(value) for key, value in GUEST_FIGURE.findall(console)}
    m = re.search(r"^\[bench\] bench: entry = (\d+) ", console, re.M)
    if m:
        figures["entry"] = int(m.group(1))
    m = CPUS_ONLINE.search(console)
    if m:
        figures["cpus_online"] = int(m.group(1))
    return figures


def boot_test():
    return harness.Test("bench-boot", BOOT_BUILD,
                        # The whole line: a run ends at the match.
                        [harness.Expect(CPUS_ONLINE.pattern)],
                        qemu_args=ICOUNT, end="script", timeout=60)


def stage2_test():
    return harness.Test("bench-stage2", STAGE2_BUILD,
                        [harness.Expect(r"^hyp: bench: stage 2 of a 1 GiB slot, host address "
                                        r"4 KiB-aligned: .* 4K \d+\n")],  # the whole line
                        qemu_args=ICOUNT, end="script", timeout=120)


def stage2_figures(console):
    return {m[0]: tuple(int(x) for x in m[1:]) for m in STAGE2.findall(console)}


def guest_test(name="bench-guest", check=None):
    """The payload runs its benchmarks, reports its own checks and powers
    the machine off."""
    return harness.Test(name, BENCH_BUILD, [
        harness.Expect(r"^\[bench\] bench: entry = \d+ "),
        harness.Expect(r"^\[bench\] SUMMARY: \d+ passed, 0 failed"),
        harness.Expect(r"^hyp: no VM is running: powering off"),
    ], qemu_args=ICOUNT, end="exit", timeout=120, check=check)


def mgmt_test():
    return harness.Test("bench-mgmt", MGMT_BUILD, [
        harness.Expect(r"^\[bench-mgmt\] bench: vm_write_1m = "),
        harness.Expect(r"^\[bench-mgmt\] SUMMARY: \d+ passed, 0 failed"),
        harness.Expect(r"^hyp: no VM is running: powering off"),
    ], qemu_args=ICOUNT, end="exit", timeout=120)


def bench_mgmt():
    """The run-time slot figures; whether every run repeated."""
    build(MGMT_BUILD)
    figures, same = measure(mgmt_test(), guest_figures)
    missing = [key for _, key in MGMT_ROWS if key not in figures]
    if missing:
        sys.exit(f"bench: the slot payload printed no figure for {', '.join(missing)}")
    print("run-time slot changes in a running 1-vCPU VM by its manager, the two sharing")
    print("CPU 0 (CONFIG=bench-mgmt), per call, counter reads included:")
    for label, key in MGMT_ROWS:
        print(f"  {label:46} {show(figures[key]):>10}")
    sys.stdout.flush()
    return same


def irq_build(platform, config):
    return harness.Build(platform=platform, config=config, BENCH=1)


def irq_test(platform, gic, config, name=None, check=None):
    """guests/bench-irq in one of its configurations: it reports its own
    checks and powers the machine off."""
    return harness.Test(name or f"bench-{config}-gicv{gic}", irq_build(platform, config), [
        harness.Expect(r"^\[[\w-]+\] SUMMARY: \d+ passed, 0 failed"),
        harness.Expect(r"^hyp: no VM is running: powering off"),
    ], machine=f"virt,virtualization=on,gic-version={gic}", qemu_args=ICOUNT,
        end="exit", timeout=120, check=check)


def io_test(platform, gic):
    """guests/bench-io: the frontend measures, prints and powers off; the
    device partition is stopped with the machine."""
    return harness.Test(f"bench-io-gicv{gic}", irq_build(platform, "bench-io"), [
        harness.Expect(r"^\[bench-io\] SUMMARY: \d+ passed, 0 failed"),
    ], machine=f"virt,virtualization=on,gic-version={gic}", qemu_args=ICOUNT,
        end="script", timeout=120)


def bench_io():
    """The I/O figures, by GIC column; whether every run repeated."""
    columns, same = {}, True
    for column, platform, gic in GICS:
        build(irq_build(platform, "bench-io"))
        got, repeated = measure(io_test(platform, gic), guest_figures)
        columns[column] = got
        same = same and repeated
    return columns, same


def guestview_build(platform):
    return harness.Build(platform=platform, config="single", GUEST=GUESTVIEW_IMAGE, VCPUS=2,
                         BENCH=1)


def guestview_test(platform, gic, name=None, check=None):
    """guests/guestview under the hypervisor."""
    return harness.Test(name or f"bench-guestview-hyp-gicv{gic}", guestview_build(platform), [
        harness.Expect(r"^\[guest\] SUMMARY: \d+ passed, 0 failed"),
        harness.Expect(r"^hyp: no VM is running: powering off"),
    ], machine=f"virt,virtualization=on,gic-version={gic}", qemu_args=ICOUNT,
        end="exit", timeout=300, check=check)


def guestview_bare_test(gic):
    """The same image on bare QEMU: EL1 only, QEMU's PSCI over HVC."""
    return harness.Test(f"bench-guestview-bare-gicv{gic}", script=[
        harness.Expect(r"^SUMMARY: \d+ passed, 0 failed"),
    ], machine=f"virt,gic-version={gic}", smp=2, boot="none",
        qemu_args=["-kernel", GUESTVIEW_IMAGE] + ICOUNT, end="exit", timeout=300)


def any_figures(console):
    return {key: number(value) for key, value in ANY_FIGURE.findall(console)}


def bench_guestview():
    """The guest's view, by GIC column: (bare figures, hypervisor figures);
    and whether every run repeated."""
    subprocess.run(["make", "-s", "--no-print-directory", GUESTVIEW_IMAGE], cwd=ROOT,
                   check=True)
    columns, same = {}, True
    for column, platform, gic in GICS:
        build(guestview_build(platform))
        got = []
        for test in (guestview_bare_test(gic), guestview_test(platform, gic)):
            figures, repeated = measure(test, any_figures)
            got.append(figures)
            same = same and repeated
        columns[column] = tuple(got)
    return columns, same


# virtio (docs/virtio.md): linux-a of CONFIG=linux-pair measures at boot
# (configs/bench-virtio.c, guests/linux/virtio-bench), in its clock, which
# under -icount counts the instructions of every CPU.
VIRTIO_BUILD = harness.Build(config="bench-virtio", BENCH=1)
VIRTIO_ROWS = [
    ("ping round trip, linux-a to linux-b and back", "virtio_ping_rtt"),
    ("4 KiB read of /dev/vda (one request, cold cache)", "virtio_blk_read_4k"),
]


def virtio_test():
    return harness.Test("bench-virtio", VIRTIO_BUILD, [
        harness.Expect(r"^\[linux-a\] bench: virtio_blk_read_4k = \d+", timeout=600),
    ], qemu_args=ICOUNT, end="script", timeout=660, needs=[harness.linux_guest])


def bench_virtio():
    """The virtio figures, or why there are none; whether both runs agreed."""
    ready = harness.linux_guest()
    if ready is not True:
        return ready, True
    build(VIRTIO_BUILD)
    return measure(virtio_test(), guest_figures)


def linux_figures(console):
    """The kernel's printk time of "Run /init as init process", in us."""
    m = LINUX_INIT.search(console)
    return {"init_us": int(m.group(1)) * 1000000 + int(m.group(2))} if m else {}


def linux_hyp_test(platform, gic):
    return harness.Test(f"bench-linux-hyp-gicv{gic}", harness.Build(platform=platform, BENCH=1), [
        harness.Expect(r"^\[linux\] \[\s*\d+\.\d+\] Run /init as init process$"),
        harness.Expect(r"^\[linux\] LINUX-USERSPACE-READY$"),
    ], machine=f"virt,virtualization=on,gic-version={gic}", qemu_args=ICOUNT,
        end="script", timeout=180)


def linux_bare_test(gic, smp=2, mem="256M"):
    return harness.Test(f"bench-linux-bare-gicv{gic}-smp{smp}", script=[
        harness.Expect(r"^\[\s*\d+\.\d+\] Run /init as init process$"),
        harness.Expect(r"^LINUX-USERSPACE-READY$"),
    ], machine=f"virt,gic-version={gic},dtb-randomness=off", smp=smp, mem=mem,
        boot="none", qemu_args=["-kernel", LINUX_IMAGE, "-initrd", LINUX_INITRD,
                                "-append", "console=ttyAMA0",
                                "-rtc", "base=2024-01-01,clock=vm"] + ICOUNT,
        end="script", timeout=180)


# Linux with 4 vCPUs (CONFIG=single VCPUS=4, 512 MiB): one to a CPU, and two
# to a CPU (PCPUS=2, time-sliced), beside bare QEMU -smp 4 -m 512M; GICv3.
def linux4_build(pcpus):
    return harness.Build(config="single", GUEST=LINUX_IMAGE, INITRD=LINUX_INITRD, VCPUS=4,
                         PCPUS=pcpus, BENCH=1)


def linux4_test(pcpus):
    return harness.Test(f"bench-linux4-hyp-pcpus{pcpus}", linux4_build(pcpus), [
        harness.Expect(r"^\[guest\] \[\s*\d+\.\d+\] Run /init as init process$"),
    ], qemu_args=ICOUNT, end="script", timeout=300)


def bench_linux4():
    """Run /init in us: bare -smp 4, 4 vCPUs one to a CPU, two to a CPU."""
    times, same = [], True
    for pcpus in (4, 2):
        build(linux4_build(pcpus))
    for test in (linux_bare_test(3, smp=4, mem="512M"), linux4_test(4), linux4_test(2)):
        figures, repeated = measure(test, linux_figures)
        times.append(figures["init_us"])
        same = same and repeated
    return times, same


def counting_problem(figures):
    """Why the figures are not instruction counts, or None."""
    for key, length in BARE.items():
        if figures.get(key) != length:
            return (f"the {length}-instruction loop '{key}' counted {figures.get(key)}: "
                    "the cycle counter is not counting instructions (QEMU without "
                    "-icount shift=0,sleep=off?)")
    return None


def measure(test, parse):
    """Runs the test RUNS times; returns its figures and whether every run
    gave the same."""
    runs = []
    for _ in range(RUNS):
        result = harness.run_test(test)
        if not result.ok:
            sys.exit(f"bench {test.name} failed: {result.reason}\n{result.console[-3000:]}")
        runs.append(parse(result.console))
    same = all(r == runs[0] for r in runs[1:])
    if not same:
        for key in sorted(runs[0]):
            values = [r.get(key) for r in runs]
            if len(set(values)) > 1:
                print(f"  {key}: differs between runs: {values}")
    return runs[0], same


def show(value):
    if value is None:
        return ""
    return f"{value}" if isinstance(value, int) else f"{value:.3f}"


def bench_interrupts():
    """The interrupt figures, by GIC column; whether every run repeated."""
    columns, same = {}, True
    for column, platform, gic in GICS:
        figures = {}
        for config in IRQ_CONFIGS:
            build(irq_build(platform, config))
            got, repeated = measure(irq_test(platform, gic, config), guest_figures)
            figures.update(got)
            same = same and repeated
        columns[column] = figures
    return columns, same


def bench_linux():
    """Linux's printk time at "Run /init" in us, by GIC column: (bare,
    under the hypervisor), or why there is none; and whether every run
    repeated."""
    ready = harness.linux_guest()
    if ready is not True:
        return ready, True
    columns, same = {}, True
    for column, platform, gic in GICS:
        build(harness.Build(platform=platform, BENCH=1))
        times = []
        for test in (linux_bare_test(gic), linux_hyp_test(platform, gic)):
            figures, repeated = measure(test, linux_figures)
            times.append(figures["init_us"])
            same = same and repeated
        columns[column] = tuple(times)
    return columns, same


def print_rows(rows, columns):
    names = [column for column, _, _ in GICS]
    missing = [f"{key} ({name})" for _, key in rows for name in names
               if key not in columns[name]]
    if missing:
        sys.exit(f"bench: the interrupt payload printed no figure for {', '.join(missing)}")
    for label, key in rows:
        print(f"  {label:50} " + " ".join(f"{show(columns[n][key]):>10}" for n in names))


def main():
    build(BOOT_BUILD)
    build(BENCH_BUILD)
    sizes = section_sizes(BOOT_BUILD.elf)
    print("hyp.elf sections (bytes), PLATFORM=qemu-virt CONFIG=default:")
    for name in (".text", ".rodata", ".data", ".guest_images", ".bss", ".stacks", ".pool"):
        print(f"  {name:14} {sizes.get(name, 0):>9}")

    boot, boot_same = measure(boot_test(), guest_figures)
    figures, same = measure(guest_test(), guest_figures)
    problem = counting_problem(figures)
    if problem:
        sys.exit(f"bench: {problem}")
    missing = [k for row in ROWS for k in row[1:] if k and k not in figures]
    missing += [k for k in ("entry", "cpus_online") if k not in figures]
    if missing:
        sys.exit(f"bench: the payload printed no figure for {', '.join(missing)}")

    print("instructions, counted by the PMU cycle counter under -icount shift=0,sleep=off")
    print("from the image's first instruction (boot CPU):")
    for label, value in (("to 'CPUs online', CONFIG=default", boot["cpus_online"]),
                         ("to 'CPUs online', CONFIG=bench", figures["cpus_online"]),
                         ("to the first guest instruction, CONFIG=bench", figures["entry"])):
        print(f"  {label:46} {value:>10}")
    build(STAGE2_BUILD)
    stage2, stage2_same = measure(stage2_test(), stage2_figures)
    print("building stage 2 for a VM of one 1 GiB slot, by the host address's alignment:")
    print(f"  {'':46} {'instr.':>10} {'tables':>7} {'1G':>4} {'2M':>4} {'4K':>7}")
    for what, (instr, pages, g, m, k) in stage2.items():
        print(f"  {what:46} {instr:>10} {pages:>7} {g:>4} {m:>4} {k:>7}")
    same = same and stage2_same
    print("per operation, CONFIG=bench (one VM, on CPU 0):")
    print(f"  {'':46} {'loop':>10} {'w/o op':>10} {'net':>10}")
    for label, loop, bare, net in ROWS:
        print(f"  {label:46} {show(figures.get(loop)):>10} {show(figures.get(bare)):>10} "
              f"{show(figures[net]):>10}")
    sys.stdout.flush()
    mgmt_same = bench_mgmt()

    irq, irq_same = bench_interrupts()
    header = f"  {'':50} " + " ".join(f"{column:>10}" for column, _, _ in GICS)
    print("interrupts, per operation, two vCPUs of one VM on a CPU each (CONFIG=bench-irq):")
    print(header)
    print_rows(IRQ_ROWS, irq)
    print("the same two vCPUs on one CPU (CONFIG=bench-switch):")
    print(header)
    print_rows(SWITCH_ROWS, irq)
    sys.stdout.flush()

    io, io_same = bench_io()
    print("partitions that talk, per operation, instructions of both CPUs (CONFIG=bench-io):")
    print(header)
    print_rows(IO_ROWS, io)

    virtio, virtio_same = bench_virtio()
    io_same = io_same and virtio_same
    print("virtio for Linux (CONFIG=bench-virtio: two Linux VMs and the device partition),")
    print("instructions of all CPUs, from linux-a's clock:")
    if isinstance(virtio, str):
        print(f"  skipped: {virtio}")
    else:
        for label, key in VIRTIO_ROWS:
            print(f"  {label:50} {virtio.get(key, 'none'):>10}")
    sys.stdout.flush()

    view, view_same = bench_guestview()
    print("as a guest times them (guests/guestview, 2 vCPUs on CPUs 0 and 1 of CONFIG=single;")
    print("bare: the same image on QEMU without EL2, -smp 2):")
    print(f"  {'':50} " + " ".join(f"{c + ' ' + w:>12}" for c, _, _ in GICS
                                  for w in ("bare", "hyp")))
    for label, key in GUESTVIEW_ROWS:
        cells = []
        for c, _, _ in GICS:
            for figures in view[c]:
                if key not in figures:
                    sys.exit(f"bench: guests/guestview printed no figure for {key} ({c})")
                cells.append(f"{show(figures[key]):>12}")
        print(f"  {label:50} " + " ".join(cells))
    sys.stdout.flush()

    linux, linux_same = bench_linux()
    print("Linux boot: the kernel's printk time of 'Run /init as init process', in the")
    print("guest's virtual time (s), 2 CPUs, 256 MiB:")
    if isinstance(linux, str):
        print(f"  skipped: {linux}")
    else:
        print(header)
        rows = (("bare QEMU", lambda b, h: f"{b / 1e6:.6f}"),
                ("under the hypervisor, CONFIG=default", lambda b, h: f"{h / 1e6:.6f}"),
                ("ratio, hypervisor / bare", lambda b, h: f"{h / b:.4f}"))
        for label, fmt in rows:
            print(f"  {label:50} " + " ".join(f"{fmt(*linux[c]):>10}" for c, _, _ in GICS))

    if not isinstance(linux, str):
        four, four_same = bench_linux4()
        linux_same = linux_same and four_same
        print("Linux with 4 vCPUs (CONFIG=single VCPUS=4, 512 MiB, GICv3), printk time of")
        print("'Run /init' (s):")
        for label, value in (("bare QEMU -smp 4", four[0]),
                             ("4 vCPUs, one to a CPU", four[1]),
                             ("4 vCPUs on 2 CPUs (PCPUS=2), two to a CPU", four[2])):
            print(f"  {label:50} {value / 1e6:>10.6f} {value / four[0]:>8.4f}")

    if boot_same and same and mgmt_same and irq_same and io_same and view_same and linux_same:
        print(f"{RUNS} runs of each: every figure identical")
    else:
        sys.exit(f"bench: the figures differ between {RUNS} runs (above); they must not "
                 "under -icount")


if __name__ == "__main__":
    main()
