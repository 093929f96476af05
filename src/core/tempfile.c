/* Temporary files in progress (core/tempfile.h) and their removal from a
 * signal handler (incimap/cleanup.h).  Paths live in fixed static slots
 * so that the handler needs neither the heap nor a lock: a slot's state is
 * an atomic int, set to LIVE only after its path is complete, and cleared
 * before the slot may be reused. */
#include "core/tempfile.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "incimap/cleanup.h"

/* renders run one per thread at most; a few per process is plenty */
#define IM_TEMPFILE_SLOTS 64
#define IM_TEMPFILE_PATH 4096

enum { IM_SLOT_FREE = 0, IM_SLOT_FILLING, IM_SLOT_LIVE };

static atomic_int im_slot_state[IM_TEMPFILE_SLOTS];
static char im_slot_path[IM_TEMPFILE_SLOTS][IM_TEMPFILE_PATH];

int im_tempfile_track(const char *path)
{
    size_t n = strlen(path);
    int i;
    if (n >= IM_TEMPFILE_PATH)
        return 0;
    for (i = 0; i < IM_TEMPFILE_SLOTS; i++) {
        int expect = IM_SLOT_FREE;
        if (atomic_compare_exchange_strong(&im_slot_state[i], &expect, IM_SLOT_FILLING)) {
            memcpy(im_slot_path[i], path, n + 1);
            atomic_store(&im_slot_state[i], IM_SLOT_LIVE);
            return i + 1;
        }
    }
    return 0;
}

int im_tempfile_create(char *tmpl, int *handle)
{
    sigset_t all, old;
    int fd, e;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    fd = mkstemp(tmpl);
    e = errno;
    *handle = fd >= 0 ? im_tempfile_track(tmpl) : 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return fd;
}

void im_tempfile_untrack(int handle)
{
    if (handle > 0 && handle <= IM_TEMPFILE_SLOTS)
        atomic_store(&im_slot_state[handle - 1], IM_SLOT_FREE);
}

void im_remove_temp_files(void)
{
    int i;
    for (i = 0; i < IM_TEMPFILE_SLOTS; i++) {
        if (atomic_load(&im_slot_state[i]) == IM_SLOT_LIVE)
            unlink(im_slot_path[i]);
    }
}
