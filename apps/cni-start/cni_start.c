/*
 * Linked into the one-shot CNI executables (plexus, plexus-shim) with -Wl,--wrap=fopen64.
 *
 * The .NET runtime looks up its cgroup while it starts, before any managed code runs: once for the
 * GC's memory limit and once for the CPU quota, and each lookup reads and parses the whole of
 * /proc/self/mountinfo. A node running 100 pods has hundreds of mounts, which made a plugin start
 * take 1.8 ms longer than with a few dozen (bench row version-busy-node), on every CNI call.
 * A CNI call lives for milliseconds and allocates a few MiB, so neither limit matters to it: while
 * CNI_COMMAND is set, the runtime is told there is no mount table and starts as it does outside
 * any container. Without CNI_COMMAND (the node agent's long-running commands of the same binary)
 * and for every other file (OpenSSL's configuration and certificates), fopen64 is untouched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

FILE *__real_fopen64(const char *path, const char *mode);
FILE *__wrap_fopen64(const char *path, const char *mode);

FILE *__wrap_fopen64(const char *path, const char *mode)
{
    if (strcmp(path, "/proc/self/mountinfo") == 0 && getenv("CNI_COMMAND") != NULL) {
        errno = ENOENT;
        return NULL;
    }
    return __real_fopen64(path, mode);
}
