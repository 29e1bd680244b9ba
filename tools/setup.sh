#!/bin/sh
# Installs what the build, `make run` and `make test` need on Debian, saying
# what and why; does nothing when all of it is there. Safe to run again.
set -eu

# "command-or-file package why" per line.
needs='
aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu the cross compiler for the firmware and guests
/usr/aarch64-linux-gnu/lib/libc.a libc6-dev-arm64-cross the arm64 C library that links tools/hypctl (Linux user space)
qemu-system-aarch64 qemu-system-arm the emulator that boots the firmware
/usr/lib/u-boot/qemu_arm64/u-boot.bin u-boot-qemu U-Boot, for the booti boot test
/usr/share/qemu-efi-aarch64/QEMU_EFI.fd qemu-efi-aarch64 EDK2 (UEFI), for the firmware boot test (make run CONFIG=edk2)
gdb-multiarch gdb-multiarch the debugger behind make debug
rsvg-convert librsvg2-bin to render the make memmap picture in its test
dtc device-tree-compiler dtc, to check the device trees given to guests
python3 python3 the test runner
cpio cpio packing the Linux guest initramfs
mkfs.ext4 e2fsprogs the virtio-blk disk image (make virtio-disk)
gcc gcc the host compiler for unit tests and the configuration checker
clang clang the fuzz targets (libFuzzer)
/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev the libFuzzer runtime
'

missing=""
echo "$needs" | {
	while read -r what pkg why; do
		[ -n "$what" ] || continue
		case "$what" in
		/*) [ -e "$what" ] && continue ;;
		*) command -v "$what" >/dev/null 2>&1 && continue ;;
		esac
		# The fuzzer runtime's path differs by clang version: ask clang.
		if [ "$pkg" = libclang-rt-14-dev ] && command -v clang >/dev/null 2>&1 &&
			[ -e "$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-x86_64.a" ]; then
			continue
		fi
		echo "setup: will install $pkg ($why)"
		missing="$missing $pkg"
	done
	[ -n "$missing" ] || exit 0

	if [ "$(id -u)" -eq 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "setup: error: need root to install:$missing; run as root: apt-get install$missing" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	if ! $sudo apt-get install -y -q --no-install-recommends $missing; then
		echo "setup: refreshing the package lists and trying again"
		$sudo apt-get update -q
		$sudo apt-get install -y -q --no-install-recommends $missing
	fi
	echo "setup: installed$missing"
}
