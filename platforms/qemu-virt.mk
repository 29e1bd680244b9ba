# QEMU virt (-M virt,virtualization=on): where the image lives.
# QEMU -kernel and U-Boot booti both place an Image at RAM base + text_offset;
# 2 MiB keeps clear of the DTB QEMU puts at the start of RAM for firmware.
PLAT_RAM_BASE := 0x40000000
PLAT_TEXT_OFFSET := 0x200000
# The first 16 MiB of RAM belong to the hypervisor (and to the DTB U-Boot or
# QEMU's firmware boot leaves at RAM base; with -kernel QEMU puts its DTB
# higher, where the hypervisor reads it, if at all, before any guest loads).
PLAT_HYP_SIZE := 0x1000000
PLAT_QEMU_MACHINE := virt,virtualization=on,gic-version=3
PLAT_QEMU_CPU := cortex-a57
PLAT_QEMU_MEM := 1G
PLAT_QEMU_SMP := 4
