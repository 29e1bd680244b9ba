/* ESR decoding into words. Syndromes built per the Arm ARM field layout. */
#include "esr.h"
#include "unit.h"

static uint64_t dabt(unsigned ec, bool isv, unsigned sas, bool sse, unsigned srt,
		     bool sf, bool wnr, unsigned fsc)
{
	return (uint64_t)ec << 26 | 1u << 25 | (uint64_t)isv << 24 |
	       (uint64_t)sas << 22 | (uint64_t)sse << 21 |
	       (uint64_t)srt << 16 | (uint64_t)sf << 15 | (uint64_t)wnr << 6 |
	       fsc;
}

TEST(esr_class_names)
{
	CHECK_STR(esr_class_name(0x16UL << 26), "HVC");
	CHECK_STR(esr_class_name(0x24UL << 26), "data abort from a lower EL");
	CHECK_STR(esr_class_name(0x25UL << 26), "data abort at the same EL");
	CHECK_STR(esr_class_name(0x3fUL << 26), "reserved exception class");
	CHECK_STR(esr_class_name(0), "unknown reason (undefined instruction)");
}

TEST(esr_fault_status_names)
{
	char buf[80];

	CHECK_STR(fault_status_name(0x07, buf, sizeof(buf)), "translation fault, level 3");
	CHECK_STR(fault_status_name(0x04, buf, sizeof(buf)), "translation fault, level 0");
	CHECK_STR(fault_status_name(0x0d, buf, sizeof(buf)), "permission fault, level 1");
	CHECK_STR(fault_status_name(0x0a, buf, sizeof(buf)), "access flag fault, level 2");
	CHECK_STR(fault_status_name(0x00, buf, sizeof(buf)), "address size fault, level 0");
	CHECK_STR(fault_status_name(0x10, buf, sizeof(buf)), "synchronous external abort");
	CHECK_STR(fault_status_name(0x15, buf, sizeof(buf)),
		  "synchronous external abort on table walk, level 1");
	CHECK_STR(fault_status_name(0x21, buf, sizeof(buf)), "alignment fault");
	CHECK_STR(fault_status_name(0x3f, buf, sizeof(buf)), "reserved fault status 0x3f");
}

TEST(esr_describe_data_aborts)
{
	char buf[160];

	CHECK_STR(esr_describe(dabt(0x24, true, 2, false, 3, false, true, 0x07), buf, sizeof(buf)),
		  "data abort from a lower EL: translation fault, level 3; 4-byte write, w3");
	CHECK_STR(esr_describe(dabt(0x24, true, 0, true, 5, true, false, 0x0f), buf, sizeof(buf)),
		  "data abort from a lower EL: permission fault, level 3; 1-byte read sign-extended, x5");
	CHECK_STR(esr_describe(dabt(0x25, true, 3, false, 31, true, true, 0x05), buf, sizeof(buf)),
		  "data abort at the same EL: translation fault, level 1; 8-byte write, xzr");
	CHECK_STR(esr_describe(dabt(0x24, false, 0, false, 0, false, true, 0x06), buf, sizeof(buf)),
		  "data abort from a lower EL: translation fault, level 2; write, size not reported");
	CHECK_STR(esr_describe(dabt(0x24, false, 0, false, 0, false, false, 0x06) | 1u << 7,
				buf, sizeof(buf)),
		  "data abort from a lower EL: translation fault, level 2 during a stage-1 walk; "
		  "read, size not reported");
}

TEST(esr_describe_other_classes)
{
	char buf[160];

	CHECK_STR(esr_describe(0x16UL << 26 | 1u << 25 | 0x42, buf, sizeof(buf)), "HVC #0x42");
	CHECK_STR(esr_describe(0x20UL << 26 | 0x0f, buf, sizeof(buf)),
		  "instruction abort from a lower EL: permission fault, level 3");
	CHECK_STR(esr_describe(0x01UL << 26, buf, sizeof(buf)), "trapped WFI/WFE");
}

TEST(esr_describe_truncates_safely)
{
	char buf[12];

	esr_describe(dabt(0x24, true, 2, false, 3, false, true, 0x07), buf, sizeof(buf));
	CHECK_EQ(strlen(buf), sizeof(buf) - 1);
}
