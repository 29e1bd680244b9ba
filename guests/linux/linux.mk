# The Linux guest: Debian's arm64 kernel and a busybox initramfs, fetched and
# packed by guests/linux/fetch.sh (see docs/guests.md). Included by the
# Makefile; other rules use $(LINUX_IMAGE) and $(LINUX_INITRD).

# What the recipe makes. Fixed paths, so that the rule below never tries to
# remake a kernel of the user's own.
LINUX_OUT := build/linux
LINUX_BUILT := $(LINUX_OUT)/Image $(LINUX_OUT)/initramfs.cpio.gz

# What other rules boot. `make LINUX_IMAGE=my/Image LINUX_INITRD=my/initrd.gz`
# uses your own instead (a command-line setting overrides these).
LINUX_IMAGE := $(LINUX_OUT)/Image
LINUX_INITRD := $(LINUX_OUT)/initramfs.cpio.gz

# The downloaded .deb files, kept across runs (and when build/linux is
# removed) so that nothing is downloaded twice.
LINUX_CACHE ?= build/cache/debs
LINUX_RECIPE := guests/linux/fetch.sh guests/linux/init guests/linux/virtio-up guests/linux/virtio-bench

# One run of fetch.sh makes both files (a grouped target) when either is
# missing or older than the recipe. The apt lists are not a prerequisite: a
# newer Debian kernel is taken only when the outputs are remade (rm -r
# build/linux), so builds do not change under you.
$(LINUX_BUILT) &: $(LINUX_RECIPE)
	$(call say,FETCH,Linux guest: Debian's arm64 kernel and busybox)
	$(Q)LINUX_CACHE=$(LINUX_CACHE) LINUX_OUT=$(LINUX_OUT) sh guests/linux/fetch.sh

.PHONY: linux-guest
linux-guest: $(LINUX_BUILT)
