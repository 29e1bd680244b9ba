/*
 * The payload Linux's hypctl loads into the "pulse" partition of the
 * default configuration in place of its image (docs/management.md): it
 * prints its banner, lists the memory its regenerated device tree gives
 * it, writes three pages of the slot its manager added at 0x60000000 (the
 * manager then reads them in the slot's dirty log) and idles.
 */
#include "guest.h"
#include "mmio.h"

#define NEW_SLOT 0x60000000UL
#define PAGE 4096UL

static const u32 pages[] = { 0, 3, 7 };

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static bool starts_with(const u8 *p, const char *prefix)
{
	while (*prefix && *p == (u8)*prefix)
		p++, prefix++;
	return !*prefix;
}

/* Prints every "memory@..." node name of the device tree: in its
 * structure block, a name follows the 4-byte FDT_BEGIN_NODE token (1). */
static void print_memory_nodes(void)
{
	const u8 *dt = (const u8 *)guest_dtb;
	u32 off = be32(dt + 8), size = be32(dt + 36);

	printf("replacement: memory in its device tree:");
	for (u32 i = off + 4; i + 8 < off + size; i += 4)
		if (be32(dt + i - 4) == 1 && starts_with(dt + i, "memory@"))
			printf(" %s", (const char *)dt + i);
	printf("\n");
}

void guest_main(void);
void guest_main(void)
{
	printf("replacement: a payload loaded by its manager, not pulse (DTB at 0x%lx)\n",
	       guest_dtb);
	if (dt_present())
		print_memory_nodes();
	for (u32 i = 0; i < ARRAY_SIZE(pages); i++)
		mmio_write64(NEW_SLOT + pages[i] * PAGE + 8, 0x5eed0000UL + i);
	printf("replacement: wrote pages %u %u %u of the slot at 0x%lx\n", pages[0], pages[1],
	       pages[2], NEW_SLOT);
	for (;;)
		__asm__ volatile("wfi");
}
