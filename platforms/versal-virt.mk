# QEMU xlnx-versal-virt: DDR starts at 0, where QEMU -kernel loads an Image
# header binary at RAM base + text_offset (and writes its boot stub at 0).
PLAT_RAM_BASE := 0x0
PLAT_TEXT_OFFSET := 0x200000
# The first 16 MiB of DDR belong to the hypervisor (and QEMU's boot stub).
# QEMU's device tree, at 0x8000000, is not read.
PLAT_HYP_SIZE := 0x1000000
# The Cortex-A72s have EL2 without a machine option (QEMU 7.2 has none).
PLAT_QEMU_MACHINE := xlnx-versal-virt
# The machine fixes its CPUs; -smp counts the 2 Cortex-R5Fs too.
PLAT_QEMU_CPU :=
PLAT_QEMU_MEM := 2G
PLAT_QEMU_SMP := 4
