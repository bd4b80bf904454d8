/*
 * kpi_elf.c - reading a module's dynamic symbol table before it is loaded, so that a kext
 * calling a KPI the simulator leaves out is refused with a sentence that names it
 * (kpi_family.c) rather than by the dynamic linker.
 *
 * The file is read whole (kexts are small; 64 MiB at most) and treated as hostile:
 * every section and string offset is checked against its size before use.
 */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_elf.h"

#define MODULE_MAX (64u << 20)

#if __SIZEOF_POINTER__ == 8
#define KPI_ELFCLASS ELFCLASS64
#else
#define KPI_ELFCLASS ELFCLASS32
#endif

struct image {
	unsigned char *data;
	size_t size;
};

static int read_all(const char *path, struct image *im)
{
	FILE *f = fopen(path, "rb");
	long end;
	int err = 0;

	if (f == NULL) {
		int e = errno;

		return e > 0 ? -e : -EIO;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (end = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		err = -EIO;
	else if ((unsigned long)end > MODULE_MAX || end < (long)sizeof(ElfW(Ehdr)))
		err = -ENOEXEC;
	else if ((im->data = malloc((size_t)end)) == NULL)
		err = -ENOMEM;
	if (err == 0 && fread(im->data, 1, (size_t)end, f) != (size_t)end)
		err = -EIO;
	if (err == 0)
		im->size = (size_t)end;
	fclose(f);
	return err;
}

/* Whether [off, off + len) lies inside the image. */
static int inside(const struct image *im, uint64_t off, uint64_t len)
{
	return off <= im->size && len <= im->size - off;
}

/* Copies section header i (no alignment is assumed of the file). */
static int section(const struct image *im, const ElfW(Ehdr) *eh, unsigned i, ElfW(Shdr) *out)
{
	uint64_t off = eh->e_shoff + (uint64_t)i * eh->e_shentsize;

	if (i >= eh->e_shnum || !inside(im, off, sizeof(*out)))
		return -ENOEXEC;
	memcpy(out, im->data + off, sizeof(*out));
	return 0;
}

static int header_ok(const struct image *im, const ElfW(Ehdr) *eh)
{
	return memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
	       eh->e_ident[EI_CLASS] == KPI_ELFCLASS && eh->e_shentsize == sizeof(ElfW(Shdr)) &&
	       inside(im, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(ElfW(Shdr)));
}

/* Walks the undefined globals of one SHT_DYNSYM section. */
static int walk(const struct image *im, const ElfW(Ehdr) *eh, const ElfW(Shdr) *sym,
		kpi_elf_symbol_fn fn, void *ctx)
{
	ElfW(Shdr) strs;
	const ElfW(Shdr) *str = &strs;
	size_t n;

	if (section(im, eh, sym->sh_link, &strs) != 0 || sym->sh_entsize != sizeof(ElfW(Sym)) ||
	    !inside(im, sym->sh_offset, sym->sh_size) || !inside(im, str->sh_offset, str->sh_size))
		return -ENOEXEC;
	n = sym->sh_size / sizeof(ElfW(Sym));
	for (size_t i = 1; i < n; i++) {
		ElfW(Sym) s;
		const char *name;
		int rc;

		memcpy(&s, im->data + sym->sh_offset + i * sizeof(s), sizeof(s));
		if (s.st_shndx != SHN_UNDEF || ELF64_ST_BIND(s.st_info) != STB_GLOBAL)
			continue;
		if (s.st_name >= str->sh_size)
			return -ENOEXEC;
		name = (const char *)im->data + str->sh_offset + s.st_name;
		if (memchr(name, '\0', str->sh_size - s.st_name) == NULL)
			return -ENOEXEC;
		if (*name != '\0' && (rc = fn(ctx, name)) != 0)
			return rc;
	}
	return 0;
}

int kpi_elf_undefined(const char *path, kpi_elf_symbol_fn fn, void *ctx)
{
	struct image im = { NULL, 0 };
	ElfW(Ehdr) eh;
	int err = read_all(path, &im);

	if (err != 0)
		return err;
	/* read_all returned 0, so im.data holds the file: the analyzer does not see that
	 * its -errno (errno > 0) is non-zero */
	memcpy(&eh, im.data, sizeof(eh)); /* NOLINT(clang-analyzer-core.NonNullParamChecker) */
	err = header_ok(&im, &eh) ? 0 : -ENOEXEC;
	for (unsigned i = 0; err == 0 && i < eh.e_shnum; i++) {
		ElfW(Shdr) sh;

		err = section(&im, &eh, i, &sh);
		if (err == 0 && sh.sh_type == SHT_DYNSYM)
			err = walk(&im, &eh, &sh, fn, ctx);
	}
	free(im.data);
	return err;
}
