# The libFuzzer target over the checker, the stage-2 builder and the oracle
# (tests/fuzz/fuzz_config.c). Needs clang with libFuzzer.
#   make fuzz [FUZZ_SECONDS=60]   fuzz for a while, keeping what it finds
#   make fuzz-smoke               a short fixed run (make test runs it)

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_RUNS ?= 20000
FUZZ_BUILD := build/fuzz
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Iinclude -Imm -Itests/host -DHOST_BUILD
FUZZ_SRCS := tests/fuzz/fuzz_config.c tests/host/oracle.c tests/host/fake_mm.c \
	mm/pgtable.c mm/stage2.c mm/validate.c

$(FUZZ_BUILD)/fuzz_config: $(FUZZ_SRCS) $(wildcard include/*.h mm/*.h tests/host/*.h)
	@mkdir -p $(dir $@)
	$(call say,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SRCS) -o $@

# New inputs go to the first corpus directory (under build/); the seeds in
# tests/fuzz/corpus are only read.
.PHONY: fuzz
fuzz: $(FUZZ_BUILD)/fuzz_config
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/crashes
	$(FUZZ_BUILD)/fuzz_config -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(FUZZ_BUILD)/crashes/ \
		$(FUZZ_BUILD)/corpus tests/fuzz/corpus

# Repeatable: a fixed seed, a fixed number of runs, an empty work corpus.
.PHONY: fuzz-smoke
fuzz-smoke: $(FUZZ_BUILD)/fuzz_config
	@rm -rf $(FUZZ_BUILD)/smoke && mkdir -p $(FUZZ_BUILD)/smoke $(FUZZ_BUILD)/crashes
	$(Q)$(FUZZ_BUILD)/fuzz_config -runs=$(FUZZ_SMOKE_RUNS) -seed=1 \
		-artifact_prefix=$(FUZZ_BUILD)/crashes/ \
		$(FUZZ_BUILD)/smoke tests/fuzz/corpus 2>$(FUZZ_BUILD)/smoke.log || \
		{ tail -40 $(FUZZ_BUILD)/smoke.log; exit 1; }
	@echo "  fuzz-smoke: $(FUZZ_SMOKE_RUNS) runs, no failure"
