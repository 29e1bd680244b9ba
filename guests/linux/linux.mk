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

# Management from Linux (docs/management.md): hypctl, a static arm64 Linux
# program, and the payload the default configuration's test has it load
# into pulse. fetch.sh puts both in the initramfs.
HYPCTL := build/tools/hypctl
LINUX_CC ?= aarch64-linux-gnu-gcc
LINUX_MGMT_FILES := $(HYPCTL) build/guests/replacement.bin
HYPCTL_SRCS := $(wildcard tools/hypctl/*.c) mm/slot_change.c
$(HYPCTL): $(HYPCTL_SRCS) $(wildcard tools/hypctl/*.h) include/hypercall.h \
		include/guest_platform.h include/config.h mm/slot_change.h
	$(call say,CC,$@ (arm64 Linux, static))
	@mkdir -p $(dir $@)
	$(Q)$(LINUX_CC) -static -O2 -std=gnu11 -Wall -Wextra -Werror \
		-iquote include -iquote mm -iquote lib $(HYPCTL_SRCS) -o $@ || \
		{ echo "hypctl: linking for arm64 Linux needs its C library: make setup (libc6-dev-arm64-cross)" >&2; exit 1; }
.PHONY: hypctl
hypctl: $(HYPCTL)

# One run of fetch.sh makes both files (a grouped target) when either is
# missing or older than the recipe. The apt lists are not a prerequisite: a
# newer Debian kernel is taken only when the outputs are remade (rm -r
# build/linux), so builds do not change under you.
$(LINUX_BUILT) &: $(LINUX_RECIPE) $(LINUX_MGMT_FILES)
	$(call say,FETCH,Linux guest: Debian's arm64 kernel and busybox)
	$(Q)LINUX_CACHE=$(LINUX_CACHE) LINUX_OUT=$(LINUX_OUT) sh guests/linux/fetch.sh

.PHONY: linux-guest
linux-guest: $(LINUX_BUILT)
