#!/bin/sh
# Packages Debian's arm64 Linux kernel and busybox as a guest:
#   build/linux/Image               the kernel, an uncompressed arm64 Image
#   build/linux/initramfs.cpio.gz   busybox and guests/linux/init, newc + gzip
#   build/linux/manifest            which packages they came from
# The .deb files are kept in a cache (build/cache/debs, or LINUX_CACHE=dir) and
# are never downloaded twice: a cached file whose SHA-256 matches apt's index
# is used as it is. Run it again at will; `make linux-guest` runs it when an
# output is missing or this script or the init script changed.
#
# Settings (environment):
#   LINUX_CACHE=dir        where the .deb files are kept (default build/cache/debs)
#   LINUX_OUT=dir          where the outputs go (default build/linux)
#   LINUX_FLAVOUR="a b"    kernel flavours to try in order (default
#                          "cloud-arm64 arm64": the smaller one first)
#
# Needs root or sudo: it adds arm64 to dpkg's architectures, refreshes apt's
# lists when they lack arm64, installs cpio when missing and creates the
# initramfs's /dev/console node. Nothing arm64 is installed on this machine.
set -eu

# Work from the top of the repository so that the default paths, and paths
# given relative to it, mean the same wherever this is started from.
cd "$(dirname "$0")/../.."

cache=${LINUX_CACHE:-build/cache/debs}
out=${LINUX_OUT:-build/linux}
flavours=${LINUX_FLAVOUR:-cloud-arm64 arm64}
init_script=guests/linux/init
scratch=$out/scratch

# Fixed permissions in the initramfs whoever runs this.
umask 022

say() { echo "linux-guest: $*"; }
die() {
	echo "linux-guest: error: $*" >&2
	exit 1
}

# ---- Privileges: the setup.sh pattern ----

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
	# apt drops to its _apt user to download, which cannot write into a
	# directory root made here; as root, download as root without the warning.
	apt_download_opts="-o APT::Sandbox::User=root"
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
	apt_download_opts=""
else
	die "must run as root or have sudo: it adds the arm64 architecture to dpkg, updates apt's package lists and makes the initramfs's /dev/console; run it as root, or install sudo"
fi

for tool in apt-get apt-cache dpkg dpkg-deb gzip sha256sum od dd; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "'$tool' not found: this recipe needs a Debian (or derived) host with dpkg, apt, gzip and coreutils"
done

if ! command -v cpio >/dev/null 2>&1; then
	say "installing cpio (it packs the initramfs)"
	export DEBIAN_FRONTEND=noninteractive
	if ! $sudo apt-get install -y -q --no-install-recommends cpio; then
		say "refreshing the package lists and trying again"
		$sudo apt-get update -q
		$sudo apt-get install -y -q --no-install-recommends cpio
	fi
fi

# ---- apt: arm64 package lists ----

mkdir -p "$cache"
# Absolute, since the downloads run in a directory of their own.
cache=$(cd "$cache" && pwd)

# apt rebuilds its package cache from all the lists on every call when, as
# in Debian's container images, its own cache is turned off: about a second
# each. A private one, rebuilt by apt whenever the lists change, makes the
# look-ups of a cached run instant.
apt_cache() {
	apt-cache -o Dir::Cache::pkgcache="$cache/.apt/pkgcache.bin" \
		-o Dir::Cache::srcpkgcache= "$@"
}
apt_get() {
	apt-get -o Dir::Cache::pkgcache="$cache/.apt/pkgcache.bin" \
		-o Dir::Cache::srcpkgcache= "$@"
}
mkdir -p "$cache/.apt"

# The candidate version apt would fetch for a package, or nothing.
candidate() {
	apt_cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '^(none)$' || true
}

updated=no
apt_update() {
	say "updating apt's package lists ($1)"
	$sudo apt-get update -q
	updated=yes
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	say "adding arm64 to dpkg's architectures (so apt lists arm64 packages; none is installed)"
	$sudo dpkg --add-architecture arm64
fi
# Only when the lists lack arm64 packages: an update costs a few seconds and
# needs the network, which a cached run must not.
if [ -z "$(candidate busybox-static:arm64)" ]; then
	apt_update "they have no arm64 packages yet"
	[ -n "$(candidate busybox-static:arm64)" ] ||
		die "apt knows no busybox-static:arm64 even after an update; is a Debian 'main' source configured in /etc/apt/sources.list(.d)?"
fi

# ---- The kernel package ----

# The unsigned image of a flavour's current kernel: the one the
# distribution's metapackage (linux-image-<flavour>) depends on, so that the
# kernel matches this release and its security updates rather than the
# newest of the several kernel lines a release may carry. Without the
# metapackage, the newest linux-image-<abi>-<flavour>-unsigned.
kernel_package() {
	dep=$(apt_cache show --no-all-versions "linux-image-$1:arm64" 2>/dev/null |
		sed -n 's/^Depends: //p' | tr ',' '\n' |
		sed -n 's/^ *\(linux-image-[^ ]*\).*/\1/p' | head -n 1)
	if [ -n "$dep" ] && [ -n "$(candidate "$dep-unsigned:arm64")" ]; then
		echo "$dep-unsigned"
		return
	fi
	# The ABI must end in a digit, so that "arm64" does not also match the
	# cloud-arm64 and rt-arm64 flavours.
	apt_cache search --names-only "^linux-image-.*-$1-unsigned\$" 2>/dev/null |
		sed -n "s/^\(linux-image-[0-9][^ ]*[0-9]-$1-unsigned\) .*/\1/p" |
		sort -V | tail -n 1
}

# ---- Downloads, through the cache ----

# Sets $deb to the cached .deb of package $1 (name:arch), downloading it only
# when the cache lacks it or holds a file that does not match apt's index.
fetch_deb() {
	tmp=$cache/.download.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	# --print-uris names the URL, file name, size and hash without
	# downloading; it prints nothing for files already in the current
	# directory, hence the empty one.
	uris=$(cd "$tmp" && apt_get download --print-uris "$1" 2>/dev/null) || uris=""
	if [ -z "$uris" ] && [ "$updated" = no ]; then
		apt_update "they do not offer $1"
		uris=$(cd "$tmp" && apt_get download --print-uris "$1" 2>/dev/null) || uris=""
	fi
	if [ -z "$uris" ]; then
		(cd "$tmp" && apt_get download --print-uris "$1") >&2 || true
		die "apt cannot download $1 (see above)"
	fi
	# 'URL' FILE SIZE SHA256:HASH, split into words on purpose.
	# shellcheck disable=SC2086
	set -- "$1" $uris
	url=$(echo "$2" | tr -d "'")
	file=$3
	size=$4
	sum=${5#SHA256:}
	deb=$cache/$file
	if [ -f "$deb" ] && [ "$(sha256sum <"$deb" | cut -d' ' -f1)" = "$sum" ]; then
		say "cached: $deb"
	else
		say "downloading $1: $url ($((size / 1024)) KiB) into $cache"
		# shellcheck disable=SC2086
		if ! (cd "$tmp" && apt_get download -q $apt_download_opts "$1"); then
			# A mirror drops superseded versions, so old lists can name a
			# file that is gone: refresh them once and try again.
			[ "$updated" = no ] || die "downloading $1 failed"
			rm -rf "$tmp"
			apt_update "downloading $1 failed; the lists may be stale"
			fetch_deb "$1"
			return
		fi
		[ "$(sha256sum <"$tmp/$file" | cut -d' ' -f1)" = "$sum" ] ||
			die "$tmp/$file does not match the SHA-256 in apt's index"
		# Older versions of the same package only take space now.
		for old in "$cache/${file%%_*}"_*.deb; do
			if [ -f "$old" ] && [ "$old" != "$deb" ]; then
				rm -f "$old"
				say "removed the superseded $old"
			fi
		done
		# Moved in whole, so an interrupted download never looks cached.
		mv "$tmp/$file" "$deb"
	fi
	rm -rf "$tmp"
}

# ---- Choose the kernel: the first flavour with what the guest needs built in ----

# A guest on QEMU's virt machine, or on our hypervisor's virtual platform,
# boots from an initramfs with the console on a PL011, a GICv2 or GICv3,
# the generic timer and PSCI; none of these can be modules, since the
# initramfs holds no modules.
required="SERIAL_AMBA_PL011 SERIAL_AMBA_PL011_CONSOLE ARM_GIC ARM_GIC_V3 \
ARM_ARCH_TIMER ARM_PSCI_FW BLK_DEV_INITRD RD_GZIP DEVTMPFS PROC_FS SYSFS \
BINFMT_ELF BINFMT_SCRIPT"

rm -rf "$scratch"
mkdir -p "$scratch"

chosen=""
for flavour in $flavours; do
	pkg=$(kernel_package "$flavour")
	if [ -z "$pkg" ]; then
		say "no kernel package for the $flavour flavour; trying the next"
		continue
	fi
	fetch_deb "$pkg:arm64"
	kdir=$scratch/$pkg
	mkdir -p "$kdir"
	# Only /boot: the modules (100-350 MB unpacked) are of no use to an
	# initramfs without them.
	dpkg-deb --fsys-tarfile "$deb" | (cd "$kdir" && tar -x ./boot)
	config=$(find "$kdir/boot" -name 'config-*' | head -n 1)
	[ -n "$config" ] || die "$deb has no /boot/config-*"
	missing=""
	for opt in $required; do
		grep -qx "CONFIG_$opt=y" "$config" || missing="$missing $opt"
	done
	if [ -z "$missing" ]; then
		say "$pkg has all of these built in: $required"
		chosen=$pkg
		kernel_deb=$deb
		break
	fi
	say "$pkg lacks, built in:$missing; trying the next flavour"
done
[ -n "$chosen" ] || die "no kernel among the flavours '$flavours' has all of these built in: $required"

# Debian bumps the ABI in the package name with most kernel updates, so the
# kernels a newer one superseded are other packages of the same flavour:
# drop them from the cache. The ABI ends in a digit, which keeps "arm64"
# from matching the cloud-arm64 and rt-arm64 flavours.
for old in "$cache"/linux-image-*-"$flavour"-unsigned_*.deb; do
	if [ ! -f "$old" ] || [ "$old" = "$kernel_deb" ]; then
		continue
	fi
	abi=${old##*/linux-image-}
	abi=${abi%%-"$flavour"-unsigned_*}
	case $abi in
	*[0-9])
		rm -f "$old"
		say "removed the superseded $old"
		;;
	esac
done

# ---- The Image ----

vmlinuz=$(find "$kdir/boot" -name 'vmlinuz-*' | head -n 1)
[ -n "$vmlinuz" ] || die "$kernel_deb has no /boot/vmlinuz-*"
release=${vmlinuz##*/vmlinuz-}
# An arm64 Image carries "ARM\x64" at offset 56. Debian's arm64 vmlinuz is
# such an Image; if a later one comes compressed (or as an EFI zboot image)
# it would not boot from -kernel or our loader, so say so here.
magic=$(dd if="$vmlinuz" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' \n')
[ "$magic" = 41524d64 ] ||
	die "$vmlinuz (from $kernel_deb) is not an uncompressed arm64 Image: bytes 56-59 are '$magic', not 41524d64 (\"ARM\\x64\"); unpack it (e.g. gunzip) or pick another kernel"

mkdir -p "$out"
cp "$vmlinuz" "$out/Image.tmp"
mv "$out/Image.tmp" "$out/Image"

# ---- The initramfs ----

fetch_deb busybox-static:arm64
busybox_deb=$deb
dpkg -x "$busybox_deb" "$scratch/busybox"
[ -x "$scratch/busybox/bin/busybox" ] || die "$busybox_deb has no /bin/busybox"

root=$scratch/initramfs
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/root" \
	"$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/tmp"
chmod 1777 "$root/tmp"
cp "$scratch/busybox/bin/busybox" "$root/bin/busybox"
cp "$init_script" "$root/init"
chmod 755 "$root/bin/busybox" "$root/init"
# Management (docs/management.md): hypctl, and the payload the default
# configuration's test loads into pulse; make builds both before this runs.
for f in build/tools/hypctl build/guests/replacement.bin; do
	[ -f "$f" ] || continue
	case $f in
	*/hypctl) cp "$f" "$root/bin/hypctl" && chmod 755 "$root/bin/hypctl" ;;
	*) mkdir -p "$root/payloads" && cp "$f" "$root/payloads/" ;;
	esac
done

# ---- virtio: Debian's modules for devices a device partition serves ----
# (docs/virtio.md; guests/linux/virtio-up loads them). Uncompressed .ko
# files straight from the kernel package, into /lib/modules/virtio.
virtio_modules="drivers/virtio/virtio.ko drivers/virtio/virtio_ring.ko
drivers/virtio/virtio_mmio.ko drivers/block/virtio_blk.ko drivers/net/virtio_net.ko
drivers/net/net_failover.ko net/core/failover.ko drivers/char/virtio_console.ko"
mkdir -p "$scratch/modules" "$root/lib/modules/virtio"
# shellcheck disable=SC2046
dpkg-deb --fsys-tarfile "$kernel_deb" | (cd "$scratch/modules" &&
	tar -x $(for m in $virtio_modules; do echo "./lib/modules/$release/kernel/$m"; done)) ||
	die "$kernel_deb lacks one of the virtio modules: $virtio_modules"
for m in $virtio_modules; do
	cp "$scratch/modules/lib/modules/$release/kernel/$m" "$root/lib/modules/virtio/"
done
cp guests/linux/virtio-up guests/linux/virtio-bench "$root/sbin/"
chmod 755 "$root/sbin/virtio-up" "$root/sbin/virtio-bench"

# The kernel opens /dev/console for /init before anything can mount
# devtmpfs: without this node init would start with no stdin or stdout.
$sudo mknod -m 600 "$root/dev/console" c 5 1

# Reproducible: every mtime fixed, entries sorted, owners root, inodes
# numbered in order and gzip without a name or time stamp. The same inputs
# give the same bytes.
find "$root" -exec $sudo touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) |
	gzip -9 -n >"$out/initramfs.cpio.gz.tmp"
mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"

# ---- What was built, from what ----

kernel_version=$(dpkg-deb -f "$kernel_deb" Version)
busybox_version=$(dpkg-deb -f "$busybox_deb" Version)
{
	echo "kernel-package $chosen $kernel_version"
	echo "kernel-release $release"
	echo "busybox-package busybox-static $busybox_version"
	(cd "$out" && sha256sum Image initramfs.cpio.gz)
} >"$out/manifest"

rm -rf "$scratch"
say "built $out/Image (Linux $release, $chosen $kernel_version, $(($(wc -c <"$out/Image") / 1024)) KiB)"
say "built $out/initramfs.cpio.gz (busybox $busybox_version, $(($(wc -c <"$out/initramfs.cpio.gz") / 1024)) KiB)"
