/* no_kmod_info.c - a loadable module that is no kext: it has no kmod_info. */
int not_a_kext_start(void);

int not_a_kext_start(void)
{
	return 0;
}
