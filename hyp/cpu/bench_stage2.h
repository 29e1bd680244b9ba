/* make bench's stage-2 build figures (hyp/cpu/bench_stage2.c). */
#pragma once

void bench_stage2(void);
