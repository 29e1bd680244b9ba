/*
 * The host side of the configuration checker, linked with the chosen board
 * and configuration: `make` runs it before linking the firmware (any error
 * stops the build), and `make memmap` runs it with --map to print each VM's
 * map exactly as the firmware prints it at boot, and --svg to draw it.
 *
 * usage: check-config [--map] [--svg FILE] [--preload] CONFIG-FILE-NAME
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "memmap_svg.h"
#include "stage2.h"
#include "validate.h"

static const char *config_name = "config";

static void out_stream(void *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(ctx, fmt, ap);
	va_end(ap);
}

static void sink_vprint(void *ctx, bool error, const struct check_where *w,
			const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s: ", config_name, error ? "error" : "warning");
	check_where_print(w, out_stream, stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
}

/* Table pages on the host heap; descriptors hold the host addresses. */
static void *host_zalloc_pages(void *ctx, unsigned n)
{
	void *p = aligned_alloc((size_t)n * PAGE_SIZE, (size_t)n * PAGE_SIZE);

	if (p)
		memset(p, 0, (size_t)n * PAGE_SIZE);
	return p;
}

static void host_free_pages(void *ctx, void *p, unsigned n)
{
	free(p);
}

static u64 host_virt_to_phys(void *ctx, void *va)
{
	return (u64)(uintptr_t)va;
}

static void *host_phys_to_virt(void *ctx, u64 pa)
{
	return (void *)(uintptr_t)pa;
}

static void host_tlb_ia(void *ctx, const struct pgtable *pt, u64 ia, unsigned l)
{
}

static void host_tlb_all(void *ctx, const struct pgtable *pt)
{
}

static const struct pt_mm_ops host_mm = {
	.zalloc_pages = host_zalloc_pages,
	.free_pages = host_free_pages,
	.virt_to_phys = host_virt_to_phys,
	.phys_to_virt = host_phys_to_virt,
	.tlb_inval_ia = host_tlb_ia,
	.tlb_inval_all = host_tlb_all,
};

/*
 * --preload: one line "FILE ADDRESS" per image the bootloader must place
 * (make run and the tests turn them into QEMU -device loader options).
 * Files that exist must fit the room the configuration gives them.
 */
static int list_preloads(void)
{
	int errors = 0;

	for (u32 i = 0; i < config.nr_vms; i++) {
		const struct vm_config *vm = &config.vms[i];
		const struct guest_image *imgs[] = { &vm->kernel, &vm->initrd };
		const char *what[] = { "kernel", "initrd" };

		for (u32 k = 0; k < 2; k++) {
			const struct guest_image *img = imgs[k];
			FILE *f;

			if (img->kind == IMAGE_NONE || !img->file)
				continue;
			printf("%s 0x%lx\n", img->file, img->preload_pa);
			f = fopen(img->file, "rb");
			if (!f)
				continue; /* the caller makes or reports it */
			fseek(f, 0, SEEK_END);
			long size = ftell(f);
			fclose(f);
			if ((u64)size > img->preload_size) {
				fprintf(stderr, "%s: error: vm \"%s\": %s %s is %ld bytes, more than the 0x%lx its .preload_size gives it: raise .preload_size (and move what follows)\n",
					config_name, vm->name, what[k], img->file, size,
					img->preload_size);
				errors++;
			}
		}
	}
	return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	bool map = false, preload = false;
	const char *svg = NULL;
	bool vm_ok[MAX_VMS];
	struct check_sink sink = { .vprint = sink_vprint };
	struct check_env env = {
		.plat = &platform,
		.cpu_pa_bits = platform.pa_bits,
		.pool_pages = POOL_PAGES - EL2_TABLE_PAGES,
	};

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--map"))
			map = true;
		else if (!strcmp(argv[i], "--preload"))
			preload = true;
		else if (!strcmp(argv[i], "--svg") && i + 1 < argc)
			svg = argv[++i];
		else
			config_name = argv[i];
	}

	config_check(&config, &env, &sink, vm_ok);
	if (sink.errors) {
		fprintf(stderr, "%s: %u error%s, %u warning%s: fix the configuration; nothing was built\n",
			config_name, sink.errors, sink.errors == 1 ? "" : "s",
			sink.warnings, sink.warnings == 1 ? "" : "s");
		return 1;
	}
	if (preload)
		return list_preloads();
	if (!map && !svg)
		return 0;

	static struct vm_mem mems[MAX_VMS];
	for (u32 i = 0; i < config.nr_vms; i++) {
		int err = vm_mem_build(&mems[i], &config.vms[i], &platform,
				       platform.pa_bits, i + 1, &host_mm);
		if (err) {
			fprintf(stderr, "%s: vm \"%s\": building stage 2 failed (%d)\n",
				config_name, config.vms[i].name, err);
			return 1;
		}
		if (map)
			vm_mem_print(&mems[i], &config.vms[i], &platform,
				     out_stream, stdout);
	}
	if (svg && memmap_svg_write(svg, &config, &platform, mems) != 0) {
		fprintf(stderr, "%s: cannot write %s\n", config_name, svg);
		return 1;
	}
	return 0;
}
