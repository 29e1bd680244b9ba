# QEMU virt with a GICv2: the same machine as qemu-virt otherwise.
include platforms/qemu-virt.mk
PLAT_QEMU_MACHINE := virt,virtualization=on,gic-version=2
