# Xilinx ZCU102 (and QEMU -M xlnx-zcu102,virtualization=on): where the image
# lives. DDR starts at 0. U-Boot's booti moves an Image to the first 2 MiB
# boundary of DDR plus text_offset; QEMU -kernel loads an Image header binary
# at RAM base + text_offset and writes its own boot stub at 0. 0x200000
# keeps clear of both, and of the 0x100 bytes some boot flows park data in.
PLAT_RAM_BASE := 0x0
PLAT_TEXT_OFFSET := 0x200000
# The first 16 MiB of DDR belong to the hypervisor (and QEMU's boot stub).
PLAT_HYP_SIZE := 0x1000000
PLAT_QEMU_MACHINE := xlnx-zcu102,virtualization=on
# The machine fixes its CPUs (Cortex-A53): no -cpu.
PLAT_QEMU_CPU :=
PLAT_QEMU_MEM := 2G
PLAT_QEMU_SMP := 4
# The machine's DisplayPort has an audio device: keep QEMU off the host's
# sound system (and its ALSA warnings off the console).
PLAT_QEMU_ENV := QEMU_AUDIO_DRV=none
