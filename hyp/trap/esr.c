/* ESR_ELx decoding into words (see esr.h). */
#include "esr.h"
#include "fmt.h"
#include "sysreg.h"

static const char *const class_names[64] = {
	[0x00] = "unknown reason (undefined instruction)",
	[0x01] = "trapped WFI/WFE",
	[0x03] = "trapped AArch32 MCR/MRC (CP15)",
	[0x04] = "trapped AArch32 MCRR/MRRC (CP15)",
	[0x05] = "trapped AArch32 MCR/MRC (CP14)",
	[0x06] = "trapped AArch32 LDC/STC (CP14)",
	[0x07] = "trapped FP/SIMD access",
	[0x0c] = "trapped AArch32 MRRC (CP14)",
	[0x0d] = "branch target exception",
	[0x0e] = "illegal execution state",
	[0x11] = "AArch32 SVC",
	[0x12] = "AArch32 HVC",
	[0x13] = "AArch32 SMC",
	[0x15] = "SVC",
	[0x16] = "HVC",
	[0x17] = "SMC",
	[0x18] = "trapped system register or instruction",
	[0x19] = "trapped SVE access",
	[0x1a] = "trapped ERET",
	[0x1c] = "pointer authentication failure",
	[0x20] = "instruction abort from a lower EL",
	[0x21] = "instruction abort at the same EL",
	[0x22] = "PC alignment fault",
	[0x24] = "data abort from a lower EL",
	[0x25] = "data abort at the same EL",
	[0x26] = "SP alignment fault",
	[0x28] = "AArch32 floating-point exception",
	[0x2c] = "floating-point exception",
	[0x2f] = "SError interrupt",
	[0x30] = "breakpoint from a lower EL",
	[0x31] = "breakpoint at the same EL",
	[0x32] = "software step from a lower EL",
	[0x33] = "software step at the same EL",
	[0x34] = "watchpoint from a lower EL",
	[0x35] = "watchpoint at the same EL",
	[0x38] = "AArch32 BKPT",
	[0x3c] = "BRK instruction",
};

const char *esr_class_name(u64 esr)
{
	const char *name = class_names[ESR_EC(esr)];

	return name ? name : "reserved exception class";
}

const char *fault_status_name(u32 fsc, char *buf, size_t size)
{
	static const char *const level_kinds[4] = {
		"address size fault", "translation fault",
		"access flag fault", "permission fault",
	};
	const char *name;

	fsc &= 0x3f;
	if (fsc < 0x10) {
		fmt_snprintf(buf, size, "%s, level %u", level_kinds[fsc >> 2],
			     fsc & 3);
		return buf;
	}
	if ((fsc & 0x3c) == 0x14) {
		fmt_snprintf(buf, size,
			     "synchronous external abort on table walk, level %u",
			     fsc & 3);
		return buf;
	}
	switch (fsc) {
	case 0x10: name = "synchronous external abort"; break;
	case 0x11: name = "synchronous tag check fault"; break;
	case 0x18: name = "synchronous parity or ECC error"; break;
	case 0x21: name = "alignment fault"; break;
	case 0x29: name = "address size fault, level -1"; break;
	case 0x2b: name = "translation fault, level -1"; break;
	case 0x30: name = "TLB conflict abort"; break;
	case 0x31: name = "unsupported atomic hardware update"; break;
	case 0x35: name = "unsupported exclusive or atomic access"; break;
	default: name = NULL; break;
	}
	if (name)
		fmt_snprintf(buf, size, "%s", name);
	else
		fmt_snprintf(buf, size, "reserved fault status 0x%02x", fsc);
	return buf;
}

static bool is_abort(u64 ec)
{
	return ec == EC_IABT_LOW || ec == EC_IABT_CUR || ec == EC_DABT_LOW ||
	       ec == EC_DABT_CUR;
}

const char *esr_describe(u64 esr, char *buf, size_t size)
{
	u64 ec = ESR_EC(esr);
	char fsc[64];
	size_t n;

	if (!is_abort(ec)) {
		if (ec == EC_HVC64 || ec == EC_SMC64 || ec == EC_SVC64 ||
		    ec == EC_BRK64)
			fmt_snprintf(buf, size, "%s #0x%x", esr_class_name(esr),
				     (unsigned)(esr & 0xffff));
		else
			fmt_snprintf(buf, size, "%s", esr_class_name(esr));
		return buf;
	}

	n = fmt_snprintf(buf, size, "%s: %s", esr_class_name(esr),
			 fault_status_name(ESR_FSC(esr), fsc, sizeof(fsc)));
	if (esr & ESR_DABT_S1PTW && n < size)
		n += fmt_snprintf(buf + n, size - n, " during a stage-1 walk");
	if ((ec != EC_DABT_LOW && ec != EC_DABT_CUR) || n >= size)
		return buf;

	const char *dir = (esr & ESR_DABT_WNR) ? "write" : "read";
	if (esr & ESR_DABT_CM)
		dir = "cache maintenance";
	if (!(esr & ESR_DABT_ISV)) {
		fmt_snprintf(buf + n, size - n, "; %s, size not reported", dir);
		return buf;
	}

	unsigned bytes = 1u << ESR_DABT_SAS(esr);
	unsigned reg = ESR_DABT_SRT(esr);
	const char *width = (esr & ESR_DABT_SF) ? "x" : "w";
	const char *sign = (esr & ESR_DABT_SSE) ? " sign-extended" : "";

	if (reg == 31)
		fmt_snprintf(buf + n, size - n, "; %u-byte %s%s, %szr", bytes,
			     dir, sign, width);
	else
		fmt_snprintf(buf + n, size - n, "; %u-byte %s%s, %s%u", bytes,
			     dir, sign, width, reg);
	return buf;
}
