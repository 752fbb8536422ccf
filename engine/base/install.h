/*
 * install.h — where an installed acvtrack finds its framework, scripts and plugins: beside its own
 * binary, <prefix>/share/acvtrack for <prefix>/bin/acvtrack, whatever prefix `make install`
 * was given and wherever the tree was moved afterwards. A binary that is not in such a layout
 * (the one in the build folder) gets nothing here, and the caller falls back to the sources.
 */
#ifndef ACV_INSTALL_H
#define ACV_INSTALL_H

#include <stddef.h>

/* The data folder of the installation that holds the binary at exe (an absolute path, symbolic
 * links already resolved): for <prefix>/bin/NAME, <prefix>/share/acvtrack (resolved), written to
 * out (of size n) when it holds an indicators/ folder. Returns 1 when it does, 0 otherwise (out
 * is then ""), also when exe is not in a folder named bin. */
int acv_install_data_dir_for(const char *exe, char *out, size_t n);

/* The same for the running binary (/proc/self/exe), worked out once per process and read-only
 * after that; NULL when the binary is not installed or the system does not say where it is. */
const char *acv_install_data_dir(void);

#endif
