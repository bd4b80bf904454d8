/* kpi_elf.h - the undefined symbols a module needs, read from its file (not installed). */
#ifndef KCTL_KPI_ELF_H
#define KCTL_KPI_ELF_H

/* Called for each symbol; a nonzero return stops the walk and is returned. */
typedef int (*kpi_elf_symbol_fn)(void *ctx, const char *symbol);

/*
 * Calls fn for every global undefined symbol of the ELF shared object at path (weak
 * ones are optional and skipped), without loading it. Returns 0 after the walk, fn's
 * nonzero result, -ENOEXEC (not an ELF object of this machine's class, or malformed:
 * every offset is checked against the file), or -errno (cannot read it).
 */
int kpi_elf_undefined(const char *path, kpi_elf_symbol_fn fn, void *ctx);

#endif
