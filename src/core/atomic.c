/* Atomic replacement of a small file: temporary beside it, fsync, rename. */
#include "core/atomic.h"
#include "core/tempfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int im_write_temp_beside(const char *path, const void *data, size_t n, char **tmp_out, int *tracked,
                         im_diag *d)
{
    char *tmp = malloc(strlen(path) + 16);
    FILE *f;
    int fd, handle = 0;
    *tmp_out = NULL;
    *tracked = 0;
    if (!tmp)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    {
        /* hidden temporary beside the file, like the map itself */
        const char *slash = strrchr(path, '/');
        size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
        memcpy(tmp, path, dirlen);
        sprintf(tmp + dirlen, ".%s.XXXXXX", path + dirlen);
    }
    /* created and tracked with signals held off: an interrupted run removes it */
    fd = im_tempfile_create(tmp, &handle);
    if (fd < 0) {
        free(tmp);
        return im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
    }
    f = fdopen(fd, "w");
    if (!f || fwrite(data, 1, n, f) != n || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        int e = errno;
        if (f)
            fclose(f);
        else
            close(fd);
        unlink(tmp);
        im_tempfile_untrack(handle);
        free(tmp);
        return im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    if (fclose(f) != 0) {
        int e = errno;
        unlink(tmp);
        im_tempfile_untrack(handle);
        free(tmp);
        return im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    {
        /* mkstemp makes 0600 files; give it the usual permissions */
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmp, 0666 & ~mask);
    }
    *tmp_out = tmp;
    *tracked = handle;
    return 0;
}

int im_write_file_atomic(const char *path, const void *data, size_t n, im_diag *d)
{
    char *tmp = NULL;
    int tracked = 0;
    if (im_write_temp_beside(path, data, n, &tmp, &tracked, d) != 0)
        return -1;
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        im_tempfile_untrack(tracked);
        free(tmp);
        return im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    im_tempfile_untrack(tracked);
    free(tmp);
    return 0;
}
