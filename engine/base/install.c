/* install.c — the installed data folder beside the binary; see install.h. */
#include "install.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

int acv_install_data_dir_for(const char *exe, char *out, size_t n)
{
    if (n)
        out[0] = '\0';
    const char *slash = exe ? strrchr(exe, '/') : NULL;
    if (!slash || n == 0)
        return 0;
    /* only <prefix>/bin/: a build folder's binary (build/acvtrack) is never taken for installed,
     * even when something was installed into the source tree beside it */
    if (slash - exe < 4 || strncmp(slash - 4, "/bin", 4) != 0)
        return 0;
    /* <prefix>/bin/acvtrack: the folder of the binary, then its parent */
    int written = snprintf(out, n, "%.*s/../share/acvtrack", (int)(slash - exe), exe);
    char indicators[PATH_MAX + 32];
    if (written < 0 || (size_t)written >= n ||
        snprintf(indicators, sizeof indicators, "%s/indicators", out) >= (int)sizeof indicators) {
        out[0] = '\0';
        return 0;
    }
    /* resolved, so --help and error messages show <prefix>/share/acvtrack, not bin/.. */
    char resolved[PATH_MAX];
    struct stat sb;
    if (stat(indicators, &sb) != 0 || !S_ISDIR(sb.st_mode) || !realpath(out, resolved) ||
        strlen(resolved) >= n) {
        out[0] = '\0';
        return 0;
    }
    memcpy(out, resolved, strlen(resolved) + 1);
    return 1;
}

/* The answer never changes while the process runs, so it is computed once (pthread_once makes
 * that safe from any thread) and only read afterwards. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char data_dir[PATH_MAX];
static int found;

static void locate(void)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return;
    exe[len] = '\0';
    found = acv_install_data_dir_for(exe, data_dir, sizeof data_dir);
}

const char *acv_install_data_dir(void)
{
    pthread_once(&once, locate);
    return found ? data_dir : NULL;
}
