# The one build. Choose a board with PLATFORM= and a partition set with
# CONFIG=; `make help` lists both and every target.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

PLATFORM ?= qemu-virt
CONFIG ?= default

PLATFORMS := $(sort $(basename $(notdir $(wildcard platforms/*.c))))
CONFIGS := $(sort $(basename $(notdir $(wildcard configs/*.c))))

ifeq ($(filter $(PLATFORM),$(PLATFORMS)),)
$(error unknown PLATFORM '$(PLATFORM)'; valid: $(PLATFORMS))
endif
# CONFIG names configs/<name>.c; CONFIG_FILE= may name any file instead.
ifeq ($(CONFIG_FILE),)
ifeq ($(filter $(CONFIG),$(CONFIGS)),)
$(error unknown CONFIG '$(CONFIG)'; valid: $(CONFIGS))
endif
CONFIG_FILE := configs/$(CONFIG).c
endif
# How make names the configuration back to the user.
CONFIG_NAME := $(if $(filter configs/$(CONFIG).c,$(CONFIG_FILE)),CONFIG=$(CONFIG),CONFIG_FILE=$(CONFIG_FILE))

# A configuration may take its guest from the command line (configs/single.c:
# make run CONFIG=single GUEST=path/to/Image [INITRD=...] [CMDLINE="..."]
# [VCPUS=n]). GUEST_KIND=linux|raw says how to load it; by default linux
# when the file has the arm64 Image magic ("ARM\x64" at offset 56).
ifneq ($(GUEST),)
ifeq ($(wildcard $(GUEST))$(filter build/guests/%.bin,$(GUEST)),)
$(error GUEST=$(GUEST): no such file)
endif
ifeq ($(origin GUEST_KIND),undefined)
GUEST_KIND := $(if $(filter 41524d64,$(shell od -An -tx1 -j56 -N4 '$(GUEST)' 2>/dev/null | tr -d ' \n')),linux,raw)
endif
ifeq ($(filter linux raw,$(GUEST_KIND)),)
$(error unknown GUEST_KIND '$(GUEST_KIND)'; valid: linux raw)
endif
endif
ifneq ($(INITRD),)
ifeq ($(wildcard $(INITRD)),)
$(error INITRD=$(INITRD): no such file)
endif
endif
# LOAD="file@ipa ...": files copied into the guest's RAM at those IPAs at
# every (re)start, as QEMU's -device loader,file=F,addr=A (at most 4).
LOAD_FILES := $(foreach l,$(LOAD),$(firstword $(subst @, ,$(l))))
ifneq ($(word 5,$(LOAD)),)
$(error LOAD= names more than 4 files)
endif
$(foreach l,$(LOAD),$(if $(filter 2,$(words $(subst @, ,$(l)))),,$(error LOAD=$(l): write file@ipa, e.g. build/linux/Image@0x40400000)))
$(foreach f,$(LOAD_FILES),$(if $(wildcard $(f)),,$(error LOAD=: $(f): no such file)))

include platforms/$(PLATFORM).mk

# configs/single.c builds the GUEST= image into the firmware: the
# hypervisor's reserved memory grows to the guest's RAM at 0x50000000.
ifeq ($(CONFIG_FILE),configs/single.c)
PLAT_HYP_SIZE := 0x10000000
endif

# The Arm GNU Toolchain (what board vendors ship) when it is on the PATH,
# else Debian's cross compiler.
CROSS_COMPILE ?= $(if $(shell command -v aarch64-none-elf-gcc 2>/dev/null),aarch64-none-elf-,aarch64-linux-gnu-)
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm
SIZE := $(CROSS_COMPILE)size
HOSTCC ?= gcc

BUILD ?= build/$(PLATFORM)
LOG_LEVEL ?= 2
# SELFTEST=el2-fault builds in a deliberate EL2 fault (tests of the report);
# SELFTEST=el2-fault-in-printk the same fault inside printk (a nested report);
# SELFTEST=at-fixup a fault inside the guest AT window; SELFTEST=hpfar-unknown
# HPFAR_EL2 read as garbage after a permission fault, as a board may leave it.
SELFTEST ?=
# BENCH=1 builds in the instruction counts that make bench prints;
# BENCH_STAGE2=1 (with POOL_PAGES=1024) also times stage-2 builds at boot.
BENCH ?=
BENCH_STAGE2 ?=
# SLOW_UART=N (tests only) models a UART that sends N bytes a second
# (drivers/uart.c): QEMU's send at once, whatever the baud rate.
SLOW_UART ?=
POOL_PAGES ?= 512

QEMU ?= qemu-system-aarch64
QEMU_MACHINE ?= $(PLAT_QEMU_MACHINE)
QEMU_SMP ?= $(PLAT_QEMU_SMP)
# A board whose machine fixes its CPUs leaves PLAT_QEMU_CPU empty: no -cpu.
# PLAT_QEMU_ENV: environment settings QEMU runs with (e.g. QEMU_AUDIO_DRV=none).
# -nic none: virt's default network card needs efi-virtio.rom (ipxe-qemu),
# which the guests would not use.
QEMU_FLAGS ?= -M $(QEMU_MACHINE) $(if $(PLAT_QEMU_CPU),-cpu $(PLAT_QEMU_CPU)) \
	-smp $(QEMU_SMP) -m $(PLAT_QEMU_MEM) -nographic -nic none
QEMU_ENV := $(if $(PLAT_QEMU_ENV),env $(PLAT_QEMU_ENV))

HYP_LOAD_ADDR := $(shell printf '0x%x' $$(( $(PLAT_RAM_BASE) + $(PLAT_TEXT_OFFSET) )))
HYP_RESERVED_END := $(shell printf '0x%x' $$(( $(PLAT_RAM_BASE) + $(PLAT_HYP_SIZE) )))

# Settings every file is built with. What the configuration decides (the
# hypervisor's reserved size, the images, the command line) goes only to the
# files that use it (CONFIG_STAMP below), so changing it rebuilds those alone.
DEFS := -DPLAT_RAM_BASE=$(PLAT_RAM_BASE) \
	-DHYP_TEXT_OFFSET=$(PLAT_TEXT_OFFSET) -DLOG_LEVEL=$(LOG_LEVEL) \
	-DPOOL_PAGES=$(POOL_PAGES) \
	$(if $(SELFTEST),-DSELFTEST_$(shell echo $(SELFTEST) | tr a-z- A-Z_)) \
	$(if $(BENCH),-DBENCH) $(if $(BENCH_STAGE2),-DBENCH_STAGE2) \
	$(if $(SLOW_UART),-DTEST_SLOW_UART_BPS=$(SLOW_UART))

# hyp/ is one folder per mechanism (cpu, vcpu, trap, vgic, console, vm);
# headers are named without their folder, so each is on the include path.
HYP_DIRS := $(sort $(dir $(wildcard hyp/*/*.c hyp/*/*.h)))
INCLUDES := -Iinclude -Ilib -Ihyp $(patsubst %/,-I%,$(HYP_DIRS)) -Imm -Idrivers
HYP_HEADERS := $(wildcard include/*.h lib/*.h hyp/*.h hyp/*/*.h mm/*.h drivers/*.h)

WARNINGS := -Wall -Wextra -Werror -Wimplicit-fallthrough -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-nostdlib -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fno-common -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -mcmodel=small \
	$(INCLUDES) $(DEFS)
ASFLAGS := -D__ASSEMBLER__
LDFLAGS := -nostdlib -static -no-pie -z noexecstack --no-warn-rwx-segments

SRCS := $(wildcard boot/*.S boot/*.c hyp/*.c hyp/*/*.S hyp/*/*.c mm/*.c drivers/*.c lib/*.c) \
	platforms/$(PLATFORM).c
OBJS := $(patsubst %,$(BUILD)/%.o,$(SRCS)) $(BUILD)/config.c.o \
	$(BUILD)/preload_sizes.c.o

# Rebuild everything when the compiler or its flags change; only the files
# the configuration reaches when it changes.
FLAGS_STAMP := $(BUILD)/flags.stamp
FLAGS_NOW := $(CC) $(CFLAGS)
CONFIG_STAMP := $(BUILD)/config.stamp
CONFIG_NOW := $(CONFIG_FILE) $(GUEST) $(GUEST_KIND) $(INITRD) $(CMDLINE) $(VCPUS) $(PCPUS) $(LOAD) $(PLAT_HYP_SIZE)
$(shell mkdir -p $(BUILD); \
	[ "$$(cat $(FLAGS_STAMP) 2>/dev/null)" = "$(FLAGS_NOW)" ] || \
	echo "$(FLAGS_NOW)" > $(FLAGS_STAMP); \
	[ "$$(cat $(CONFIG_STAMP) 2>/dev/null)" = '$(subst ','"'"',$(CONFIG_NOW))' ] || \
	echo '$(subst ','"'"',$(CONFIG_NOW))' > $(CONFIG_STAMP))
# The reserved size reaches the board description and the link alone.
PLAT_OBJ := $(BUILD)/platforms/$(PLATFORM).c.o
$(PLAT_OBJ): CFLAGS += -DPLAT_HYP_SIZE=$(PLAT_HYP_SIZE)
$(PLAT_OBJ): $(CONFIG_STAMP)

.PHONY: all
all: toolchain-check $(BUILD)/hyp.bin
	@$(SIZE) $(BUILD)/hyp.elf | sed 's/^/  /'
	@echo "  built $(BUILD)/hyp.bin for PLATFORM=$(PLATFORM) $(CONFIG_NAME)"

.PHONY: toolchain-check
toolchain-check:
	@command -v $(CC) >/dev/null || { echo "error: $(CC) not found: run 'make setup' (or 'make run' / 'make test', which install it), or set CROSS_COMPILE=" >&2; exit 1; }

# V=1 shows whole commands.
Q := $(if $(V),,@)
say = $(if $(V),,@echo "  $(1)	$(2)")

$(BUILD)/%.c.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.S.o: %.S $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(call say,AS,$<)
	$(Q)$(CC) $(CFLAGS) $(ASFLAGS) -MMD -MP -c $< -o $@

# ---- Guest payloads (shared by every board: guests see a virt machine) ----

GUEST_BUILD := build/guests
GUEST_NAMES := $(sort $(notdir $(patsubst %/main.c,%,$(wildcard guests/*/main.c))))
GUEST_BINS := $(patsubst %,$(GUEST_BUILD)/%.bin,$(GUEST_NAMES))
GUEST_CFLAGS := $(filter-out -I% -D%,$(CFLAGS)) -Iguests/common -Iinclude
GUEST_COMMON := $(wildcard guests/common/*.c guests/common/*.S) lib/fmt.c
# Defines for one payload's build, GUEST_DEFS_<name>. The benchmark payload
# reads the cycle counter at its first instruction (guests/common/start.S).
GUEST_DEFS_bench := -DGUEST_ENTRY_PMCCNTR

define guest_rule
$(GUEST_BUILD)/$(1).elf: $(wildcard guests/$(1)/*.c guests/$(1)/*.S guests/$(1)/*.h) \
		$(GUEST_COMMON) guests/common/guest.ld $(wildcard guests/common/*.h include/*.h)
	@mkdir -p $(GUEST_BUILD)
	$$(call say,GUEST,$$@)
	$(Q)$(CC) $(GUEST_CFLAGS) -D__GUEST__ $(GUEST_DEFS_$(1)) -nostdlib -static -Wl,--no-warn-rwx-segments -Wl,--build-id=none \
		-Wl,-T,guests/common/guest.ld -o $$@ \
		$(wildcard guests/$(1)/*.c guests/$(1)/*.S) $(GUEST_COMMON)
endef
$(foreach g,$(GUEST_NAMES),$(eval $(call guest_rule,$(g))))

$(GUEST_BUILD)/%.bin: $(GUEST_BUILD)/%.elf
	$(Q)$(OBJCOPY) -O binary $< $@

.PHONY: guests
guests: $(GUEST_BINS)

include guests/linux/linux.mk
include guests/virtio-dev/disk.mk

# ---- The configuration: checked on the host, then built in ----

CONFIG_DEFS := $(if $(GUEST),-DGUEST_PATH='"$(GUEST)"') \
	$(if $(GUEST_KIND),-DGUEST_KIND=$(if $(filter linux,$(GUEST_KIND)),IMAGE_LINUX,IMAGE_RAW)) \
	$(if $(INITRD),-DINITRD_PATH='"$(INITRD)"') \
	$(if $(CMDLINE),-DGUEST_CMDLINE='"$(CMDLINE)"') \
	$(if $(VCPUS),-DGUEST_VCPUS=$(VCPUS)) \
	$(if $(LOAD),-DGUEST_NR_LOADS=$(words $(LOAD))) \
	$(foreach n,1 2 3 4,$(if $(word $(n),$(LOAD)),\
		-DGUEST_LOAD$(n)_PATH='"$(firstword $(subst @, ,$(word $(n),$(LOAD))))"' \
		-DGUEST_LOAD$(n)_IPA=$(lastword $(subst @, ,$(word $(n),$(LOAD)))))) \
	$(if $(PCPUS),-DGUEST_PCPUS=$(PCPUS))

$(BUILD)/config.c.o: $(CONFIG_FILE) $(GUEST_BINS) $(GUEST) $(INITRD) $(LOAD_FILES) $(FLAGS_STAMP) $(CONFIG_STAMP) \
		$(BUILD)/config.checked
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) $(CONFIG_DEFS) -MMD -MP -c $< -o $@

CHECKER_SRCS := tools/check_config.c tools/memmap_svg.c mm/validate.c mm/slot_change.c mm/host_range.c mm/stage2.c \
	mm/pgtable.c platforms/$(PLATFORM).c
# A configuration may include another beside it (tests/configs/run/
# forward-shared.c includes forward.c): any file there is a prerequisite.
$(BUILD)/check-config: $(CHECKER_SRCS) $(CONFIG_FILE) $(GUEST_BINS) $(GUEST) $(INITRD) $(LOAD_FILES) $(FLAGS_STAMP) $(CONFIG_STAMP) \
		$(wildcard include/*.h mm/*.h tools/*.h $(dir $(CONFIG_FILE))*.[ch])
	$(call say,HOSTCC,$@)
	$(Q)$(HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
		-Iinclude -Imm -Itools $(DEFS) -DPLAT_HYP_SIZE=$(PLAT_HYP_SIZE) $(CONFIG_DEFS) -DHOST_BUILD \
		$(CHECKER_SRCS) $(CONFIG_FILE) -o $@ -lm

# Nothing is linked until the configuration passes every check.
$(BUILD)/config.checked: $(BUILD)/check-config
	$(call say,CHECK,$(CONFIG_FILE))
	$(Q)$(BUILD)/check-config $(CONFIG_FILE) || \
		{ rm -f $(BUILD)/hyp.bin $(BUILD)/hyp.elf; exit 1; }
	@touch $@

# The actual sizes of the images the configuration preloads, as they are
# now; rewritten only when they change, so nothing relinks needlessly.
$(BUILD)/preload_sizes.c: $(BUILD)/check-config FORCE
	@$(BUILD)/check-config --preload-sizes $(CONFIG_FILE) > $@.new
	@cmp -s $@.new $@ 2>/dev/null && rm $@.new || mv $@.new $@
$(BUILD)/preload_sizes.c.o: $(BUILD)/preload_sizes.c
	$(Q)$(CC) $(CFLAGS) -c $< -o $@
.PHONY: FORCE
FORCE:

.PHONY: memmap
memmap: $(BUILD)/check-config
	@$(BUILD)/check-config --map --svg $(BUILD)/memmap.svg $(CONFIG_FILE)
	@echo "memmap: picture in $(BUILD)/memmap.svg"

$(BUILD)/linker.lds: linker.ld include/layout.h $(FLAGS_STAMP) $(CONFIG_STAMP)
	$(call say,LDS,$<)
	$(Q)$(CC) -E -P -x c -D__ASSEMBLER__ -DHYP_LOAD_ADDR=$(HYP_LOAD_ADDR) \
		-DHYP_RESERVED_END=$(HYP_RESERVED_END) -DPOOL_PAGES=$(POOL_PAGES) \
		$< -o $@

# Two links: the first gives the function addresses, the second adds the
# symbol table for backtraces. The table sits after the text, so text
# addresses must not move between the links; that is checked.
$(BUILD)/symtab-empty.S: tools/gen-symtab.sh
	$(Q)tools/gen-symtab.sh $(NM) > $@
$(BUILD)/pass1.elf: $(OBJS) $(BUILD)/symtab-empty.S.o $(BUILD)/linker.lds
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/linker.lds $(OBJS) $(BUILD)/symtab-empty.S.o -o $@
$(BUILD)/symtab.S: $(BUILD)/pass1.elf tools/gen-symtab.sh
	$(Q)tools/gen-symtab.sh $(NM) $< > $@
$(BUILD)/hyp.elf: $(BUILD)/pass1.elf $(BUILD)/symtab.S.o
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/linker.lds $(OBJS) $(BUILD)/symtab.S.o -o $@
	@$(NM) -n $(BUILD)/pass1.elf | grep ' [tT] ' > $@.text1
	@$(NM) -n $@ | grep ' [tT] ' > $@.text2
	@cmp -s $@.text1 $@.text2 || { echo "error: text moved between links; see linker.ld" >&2; rm -f $@; exit 1; }
$(BUILD)/symtab-empty.S.o $(BUILD)/symtab.S.o: $(BUILD)/%.S.o: $(BUILD)/%.S
	$(Q)$(CC) $(CFLAGS) $(ASFLAGS) -c $< -o $@

$(BUILD)/hyp.bin: $(BUILD)/hyp.elf
	$(call say,BIN,$@)
	$(Q)$(OBJCOPY) -O binary $< $@

# A bad configuration stops the build before anything is cross-compiled.
$(OBJS): | $(BUILD)/config.checked

-include $(OBJS:.o=.d)

# ---- Running ----

.PHONY: setup
setup:
	@tools/setup.sh

# Images the configuration has the bootloader preload: made if missing,
# handed to QEMU's loader at their addresses.
PRELOAD_ARGS = $$($(BUILD)/check-config --preload $(CONFIG_FILE) | \
	awk '{ printf "-device loader,file=%s,addr=%s,force-raw=on ", $$1, $$2 }')

.PHONY: preload-files
preload-files: $(BUILD)/config.checked
	@$(BUILD)/check-config --preload $(CONFIG_FILE) | while read -r file addr; do \
		[ -e "$$file" ] || $(MAKE) --no-print-directory "$$file" || \
		{ echo "error: $$file, which $(CONFIG_FILE) preloads at $$addr, is missing and no rule makes it" >&2; exit 1; }; \
	done

# Boards QEMU cannot boot leave PLAT_QEMU_MACHINE empty.
.PHONY: qemu-check
qemu-check:
	@[ -n "$(QEMU_MACHINE)" ] || { echo "error: QEMU cannot boot PLATFORM=$(PLATFORM) (no PLAT_QEMU_MACHINE in platforms/$(PLATFORM).mk); docs/boards/$(PLATFORM).md says how to boot it" >&2; exit 1; }

.PHONY: run
run: qemu-check setup
	@$(MAKE) --no-print-directory preload-files all
	$(QEMU_ENV) $(QEMU) $(QEMU_FLAGS) -kernel $(BUILD)/hyp.bin $(PRELOAD_ARGS)

GDB_PORT ?= 1234
.PHONY: debug
debug: qemu-check setup
	@$(MAKE) --no-print-directory preload-files all
	@echo "QEMU waits for gdb on port $(GDB_PORT); its console is in build/qemu-debug.log"
	$(QEMU_ENV) $(QEMU) $(QEMU_FLAGS) -kernel $(BUILD)/hyp.bin $(PRELOAD_ARGS) -S -gdb tcp::$(GDB_PORT) \
		-serial file:build/qemu-debug.log -monitor none -display none & \
	qemu=$$!; \
	gdb-multiarch -q $(BUILD)/hyp.elf -ex "target remote :$(GDB_PORT)"; \
	kill $$qemu 2>/dev/null || true

# ---- Host builds: unit tests ----

HOST_BUILD := build/host
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer $(INCLUDES) -Itests/host \
	-DHOST_BUILD
# The pure code the unit tests exercise, compiled for the host.
HOST_CODE := lib/fmt.c hyp/flash/cfi.c hyp/console/term_filter.c hyp/console/console_tx.c hyp/trap/setway_share.c hyp/trap/esr.c hyp/trap/insn.c lib/fdt.c hyp/vm/vm_dt.c \
	mm/pgtable.c mm/pool.c mm/stage2.c mm/validate.c mm/slot_change.c mm/host_range.c mm/slot_update.c
# tests/host/test_virtio_queue.c builds the virtio device partition's checks in (last:
# guests/common's headers must not shadow the hypervisor's).
HOST_CFLAGS += -Iguests/virtio-dev -Iguests/common
HOST_UNIT_DEPS := $(wildcard guests/virtio-dev/*.[ch] guests/common/guest.h)
HOST_UNIT_SRCS := $(wildcard tests/host/*.c) $(HOST_CODE)

$(HOST_BUILD)/unit: $(HOST_UNIT_SRCS) $(HYP_HEADERS) $(wildcard tests/host/*.h) $(HOST_UNIT_DEPS)
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_UNIT_SRCS) -o $@

include tests/fuzz/fuzz.mk

# ---- Tests ----

.PHONY: test
test: setup
	@python3 tests/run.py

.PHONY: test-host
test-host:
	@python3 tests/run.py --host-only

.PHONY: bench
bench: setup
	@python3 tests/bench.py

# The hostile-guest campaign beside a steady VM, with fresh seeds:
# make soak SECONDS=N [RUN=longest run]; make soak SEED=s PLATFORM=p CPU=c replays.
SOAK_ARGS = --seconds $(or $(SECONDS),300) $(if $(RUN),--run $(RUN)) \
	$(if $(SEED),--seed $(SEED) --platform $(PLATFORM) $(if $(CPU),--cpu $(CPU)))
.PHONY: soak
soak: setup
	@python3 tests/soak.py $(SOAK_ARGS)

.PHONY: clean
clean:
	rm -rf build

.PHONY: help
help:
	@echo "make [PLATFORM=board] [CONFIG=name | CONFIG_FILE=path.c] [target]"
	@echo "  boards:  $(PLATFORMS)"
	@echo "  configs: $(CONFIGS)"
	@echo "           (default: Linux beside a bare-metal partition; single: one image from GUEST=;"
	@echo "            baremetal: test payloads; bench, bench-irq, bench-switch: what make bench runs)"
	@echo "targets:"
	@echo "  all          build $(BUILD)/hyp.bin and hyp.elf (default)"
	@echo "  run          install what is missing, build, boot under QEMU"
	@echo "  debug        boot under QEMU halted, with gdb-multiarch attached (GDB_PORT=1234)"
	@echo "  memmap       print each VM's memory map, and draw it in $(BUILD)/memmap.svg"
	@echo "  linux-guest  fetch Debian's arm64 kernel and busybox, build the Linux guest"
	@echo "  test         install what is missing, run every test"
	@echo "  test-host    the host unit tests alone"
	@echo "  bench        instructions per operation under QEMU -icount"
	@echo "  soak         hostile-guest campaign with fresh seeds: SECONDS=N"
	@echo "  fuzz         build the fuzz targets (clang libFuzzer); fuzz-smoke runs them briefly"
	@echo "  setup        install the packages the build and tests need"
	@echo "  clean        remove build/"
	@echo "variables:"
	@echo "  CONFIG_FILE=path.c      any configuration file instead of configs/CONFIG.c"
	@echo "  GUEST_KIND=linux|raw    how CONFIG=single loads GUEST= (default: by its header)"
	@echo "  LINUX_IMAGE=, LINUX_INITRD=  the Linux guest other rules boot (default: make linux-guest's)"
	@echo "  GDB_PORT=n              make debug's gdb port"
	@echo "  LOG_LEVEL=0-3, V=1      quieter or louder; V=1 shows whole commands"
	@echo "one image alone, like qemu -kernel:"
	@echo "  make run CONFIG=single GUEST=path/to/Image [INITRD=...] [CMDLINE=\"...\"] [VCPUS=n] [PCPUS=m]"
	@echo "           [LOAD=\"file@ipa ...\"]  (files put in its RAM, as QEMU's -device loader)"
