/* Shared helpers of the libFuzzer targets: one private temporary directory
 * per process (removed at exit), and mkstemp-based files in it that each
 * run writes and removes again. */
#ifndef IM_FUZZ_COMMON_H
#define IM_FUZZ_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The entry point of every target: libFuzzer's, or replay.c's main. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fz_dir[512];

static inline void fz_cleanup_dir(void)
{
    if (fz_dir[0])
        rmdir(fz_dir);
}

/* The per-process temporary directory (created on first use). */
static inline const char *fz_tmpdir(void)
{
    if (!fz_dir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(fz_dir, sizeof fz_dir, "%s/incimap-fuzz-XXXXXX",
                 base && *base ? base : "/tmp");
        if (!mkdtemp(fz_dir)) {
            perror("mkdtemp");
            abort();
        }
        atexit(fz_cleanup_dir);
    }
    return fz_dir;
}

static inline int fz_write_all(int fd, const uint8_t *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n <= 0)
            return -1;
        data += n;
        size -= (size_t)n;
    }
    return 0;
}

/* Write DATA into a new file "<tmpdir>/fzXXXXXX<suffix>" (the name made
 * unique by mkstemp, the suffixed file created with O_EXCL); its path goes
 * to PATH.  Aborts on failure (a broken harness, not a finding). */
static inline void fz_temp_file(const char *suffix, const uint8_t *data, size_t size, char *path,
                         size_t path_size)
{
    int fd, tries, err;
    for (tries = 0;; tries++) {
        char base[600];
        snprintf(base, sizeof base, "%s/fzXXXXXX", fz_tmpdir());
        fd = mkstemp(base);
        if (fd < 0) {
            perror("mkstemp");
            abort();
        }
        close(fd);
        if (snprintf(path, path_size, "%s%s", base, suffix) >= (int)path_size) {
            fprintf(stderr, "temporary path too long: %s%s\n", base, suffix);
            abort();
        }
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        err = errno;
        unlink(base);
        if (fd >= 0)
            break;
        if (err != EEXIST || tries > 100) {
            perror(path);
            abort();
        }
    }
    if (fz_write_all(fd, data, size) != 0) {
        perror("write");
        abort();
    }
    close(fd);
}

/* Write DATA to exactly PATH (a sibling of a file made by fz_temp_file). */
static inline void fz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size > 0 && fwrite(data, 1, size, f) != size)) {
        perror(path);
        abort();
    }
    fclose(f);
}

#endif
