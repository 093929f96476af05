/* Runs a fuzz target's LLVMFuzzerTestOneInput once on each file named on
 * the command line, or on every file of a directory named there (a name
 * that does not exist is skipped), without libFuzzer: ctest builds every target
 * with this main in the normal and sanitizer builds, so the inputs kept
 * under tests/fuzz/regressions/ stay regression tests of the readers. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

static int im_replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;
    int rc = -1;
    if (!f) {
        perror(path);
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto done;
    buf = malloc((size_t)n + 1); /* +1: a valid pointer for an empty file */
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        goto done;
    fprintf(stderr, "replay: %s (%ld bytes)\n", path, n);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    rc = 0;
done:
    if (rc != 0)
        fprintf(stderr, "replay: cannot read %s\n", path);
    free(buf);
    fclose(f);
    return rc;
}

static int im_replay_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of DIR, in name order; returns the count run or -1. */
static int im_replay_dir(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int count = 0;
    if (!dp) {
        perror(dir);
        return -1;
    }
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof *names);
            if (!p)
                abort();
            names = p;
        }
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names[n])
            abort();
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(dp);
    if (n > 1)
        qsort(names, n, sizeof *names, im_replay_name_cmp);
    for (i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (im_replay_file(names[i]) != 0)
                count = -1;
            else if (count >= 0)
                count++;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    int i, total = 0;
    for (i = 1; i < argc; i++) {
        struct stat st;
        int k;
        if (stat(argv[i], &st) != 0)
            k = 0; /* a target without saved inputs has no directory */
        else if (S_ISDIR(st.st_mode))
            k = im_replay_dir(argv[i]);
        else
            k = im_replay_file(argv[i]) == 0 ? 1 : -1;
        if (k < 0)
            return 1;
        total += k;
    }
    printf("replayed %d inputs\n", total);
    return 0;
}
