# The libFuzzer targets, tests/fuzz/fuzz_<name>.c. Needs clang with libFuzzer.
#   config  the configuration checker, the stage-2 builder and the oracle
#   insn    the load/store decoder of MMIO emulation (hyp/trap/insn.c)
#   esr     ESR decoding into words (hyp/trap/esr.c), into buffers of every size
#   vgic    the virtual GIC (hyp/vgic/): GICv2/GICv3 distributor and
#           redistributor registers, trapped SGI writes, list registers at
#           entry and exit, forwarded interrupts, against its invariants
#   slots   run-time slot changes (mm/slot_change.c, mm/slot_update.c) against
#           the model of tests/host/slot_model.c
#   cfi     the CFI flash chips (hyp/flash/cfi.c): program and erase never
#           write outside the bank's RAM, nor on a read-only bank
#
#   make fuzz [FUZZ_SECONDS=60]   fuzz each target for a while, keeping what
#                                 it finds
#   make fuzz-smoke               a short fixed run of each (make test runs it)
# FUZZ_TARGET=insn (or a list) limits either to some targets.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := config insn esr vgic slots cfi
FUZZ_TARGET ?= $(FUZZ_TARGETS)
ifneq ($(filter-out $(FUZZ_TARGETS),$(FUZZ_TARGET)),)
$(error unknown FUZZ_TARGET '$(filter-out $(FUZZ_TARGETS),$(FUZZ_TARGET))'; valid: $(FUZZ_TARGETS))
endif
FUZZ_BUILD := build/fuzz
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer $(INCLUDES) -Itests/host -DHOST_BUILD

FUZZ_SRCS_config := tests/fuzz/fuzz_config.c tests/host/oracle.c \
	tests/host/fake_mm.c mm/pgtable.c mm/stage2.c mm/validate.c mm/slot_change.c \
	mm/host_range.c
FUZZ_SRCS_insn := tests/fuzz/fuzz_insn.c hyp/trap/insn.c
FUZZ_SRCS_esr := tests/fuzz/fuzz_esr.c hyp/trap/esr.c lib/fmt.c
FUZZ_SRCS_vgic := tests/fuzz/fuzz_vgic.c tests/host/fake_vgic_env.c \
	hyp/vgic/vgic.c hyp/vgic/vgic_v2.c hyp/vgic/vgic_v3.c
FUZZ_SRCS_cfi := tests/fuzz/fuzz_cfi.c hyp/flash/cfi.c
FUZZ_SRCS_slots := tests/fuzz/fuzz_slots.c tests/host/slot_model.c \
	tests/host/oracle.c tests/host/fake_mm.c mm/pgtable.c mm/stage2.c \
	mm/slot_change.c mm/host_range.c mm/slot_update.c
# Flags of one target only: fuzz_vgic sets the board (include/platform.h).
FUZZ_DEFS_vgic := -DHOST_PLATFORM_WRITABLE

# Seed inputs, only read; new inputs go to $(FUZZ_BUILD)/corpus-<name>.
FUZZ_SEEDS_config := tests/fuzz/corpus
FUZZ_SEEDS_vgic := tests/fuzz/corpus-vgic

# Runs of each target in fuzz-smoke, about a second each; FUZZ_SMOKE_RUNS=
# sets them all.
FUZZ_SMOKE_RUNS_config := 20000
FUZZ_SMOKE_RUNS_insn := 300000
FUZZ_SMOKE_RUNS_esr := 100000
FUZZ_SMOKE_RUNS_vgic := 3000
FUZZ_SMOKE_RUNS_slots := 8000
FUZZ_SMOKE_RUNS_cfi := 20000
fuzz_smoke_runs = $(or $(FUZZ_SMOKE_RUNS),$(FUZZ_SMOKE_RUNS_$(1)))

define fuzz_rule
$(FUZZ_BUILD)/fuzz_$(1): $(FUZZ_SRCS_$(1)) $(HYP_HEADERS) $(wildcard tests/host/*.h)
	@mkdir -p $$(dir $$@)
	$$(call say,FUZZCC,$$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_DEFS_$(1)) $(FUZZ_SRCS_$(1)) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

FUZZ_BINS := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_TARGET))

# $(call fuzz_one,name,work corpus,libFuzzer options,log): runs one target,
# prints one line for it, and on a failure the log's tail and the input
# that failed, and sets fail=1. Shell text, for one recipe line.
fuzz_one = echo "  FUZZ	$(1)"; \
	if $(FUZZ_BUILD)/fuzz_$(1) $(3) \
		-artifact_prefix=$(FUZZ_BUILD)/crashes/$(1)- \
		$(2) $(FUZZ_SEEDS_$(1)) 2>$(4); then \
		echo "  fuzz $(1): $$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' $(4)), no failure"; \
	else \
		tail -40 $(4); \
		echo "  fuzz $(1): FAILED, input $$(sed -n 's/.*Test unit written to //p' $(4) | tail -1) (rerun: $(FUZZ_BUILD)/fuzz_$(1) INPUT)"; \
		fail=1; \
	fi;

.PHONY: fuzz
fuzz: $(FUZZ_BINS)
	@mkdir -p $(FUZZ_BUILD)/crashes $(patsubst %,$(FUZZ_BUILD)/corpus-%,$(FUZZ_TARGET))
	@fail=0; $(foreach t,$(FUZZ_TARGET),$(call fuzz_one,$(t),$(FUZZ_BUILD)/corpus-$(t),-max_total_time=$(FUZZ_SECONDS),$(FUZZ_BUILD)/$(t).log)) exit $$fail

# Repeatable: a fixed seed, a fixed number of runs, an empty work corpus.
.PHONY: fuzz-smoke
fuzz-smoke: $(FUZZ_BINS)
	@rm -rf $(patsubst %,$(FUZZ_BUILD)/smoke-%,$(FUZZ_TARGET)) && \
		mkdir -p $(patsubst %,$(FUZZ_BUILD)/smoke-%,$(FUZZ_TARGET)) $(FUZZ_BUILD)/crashes
	@fail=0; $(foreach t,$(FUZZ_TARGET),$(call fuzz_one,$(t),$(FUZZ_BUILD)/smoke-$(t),-runs=$(call fuzz_smoke_runs,$(t)) -seed=1,$(FUZZ_BUILD)/smoke-$(t).log)) exit $$fail
