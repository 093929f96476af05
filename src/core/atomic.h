/* Small files written whole or not at all: world files, dependency files,
 * build manifests and atlas indexes. */
#ifndef IM_ATOMIC_H
#define IM_ATOMIC_H

#include <stddef.h>

#include "incimap/error.h"

/* Write LEN bytes of DATA to PATH through a hidden temporary beside it,
 * renamed into place when complete: an earlier PATH is replaced whole or
 * left as it was.  Returns 0, or -1 with D set (IM_ERR_IO). */
int im_write_file_atomic(const char *path, const void *data, size_t len, im_diag *d);

/* Write LEN bytes of DATA, flushed to disk, to a new hidden temporary file
 * beside PATH and leave it there; *TMP gets its name (malloc'd, the
 * caller renames or unlinks it and frees the name) and *TRACKED its handle
 * for removal at a signal (core/tempfile.h; the caller untracks it once
 * the file is renamed or removed).  The first half of
 * im_write_file_atomic, for outputs that are put in place together. */
int im_write_temp_beside(const char *path, const void *data, size_t len, char **tmp, int *tracked,
                         im_diag *d);

#endif
