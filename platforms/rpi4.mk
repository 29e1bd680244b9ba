# Raspberry Pi 4: where the image lives. RAM starts at 0, where the
# firmware's ARM stub (and its spin table, 0xd8-0xf7) sits. The firmware
# loads an image with the arm64 header at a 2 MiB base plus its text_offset
# (firmware since mid-2020; before, at kernel_address, by default 0x80000);
# docs/boards/rpi4.md sets kernel_address=0x200000 so both agree, and
# U-Boot's booti chooses the same address.
PLAT_RAM_BASE := 0x0
PLAT_TEXT_OFFSET := 0x200000
# The first 16 MiB of RAM belong to the hypervisor and the ARM stub.
PLAT_HYP_SIZE := 0x1000000
# QEMU 7.2 has no raspi4b: `make run` cannot boot this board.
PLAT_QEMU_MACHINE :=
PLAT_QEMU_CPU :=
PLAT_QEMU_MEM :=
PLAT_QEMU_SMP :=
