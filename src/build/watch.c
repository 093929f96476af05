/* incimap build --watch: build, then wait with inotify for any dependency
 * to change and build again.  Folders are watched, not files, so that an
 * editor that saves by writing a new file and renaming it over the old
 * one is seen like any other write. */
#include "build/build_priv.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

/* Add a watch on the folder of every file the manifest names, and the
 * folders of the inputs. */
static int im_watch_dirs(int fd, const im_build_opts *o, im_diag *d)
{
    im_manifest mf;
    char path[PATH_MAX];
    int i;
    snprintf(path, sizeof path, "%s/.incimap-build%s", o->outdir ? o->outdir : "output", "");
    if (o->shard_count > 0)
        snprintf(path, sizeof path, "%s/.incimap-build.shard-%d-of-%d",
                 o->outdir ? o->outdir : "output", o->shard_index, o->shard_count);
    if (im_manifest_load(&mf, path, d) != 0)
        return -1;
    for (i = 0; i < mf.ndeps; i++) {
        char *slash;
        snprintf(path, sizeof path, "%s", mf.deps[i].path);
        slash = strrchr(path, '/');
        if (slash == path)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
        else
            snprintf(path, sizeof path, ".");
        /* the same folder twice gives the same watch: no harm */
        inotify_add_watch(fd, path, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
                                        IN_ATTRIB);
    }
    for (i = 0; i < o->ninputs; i++)
        inotify_add_watch(fd, o->inputs[i], IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
                                                IN_DELETE | IN_ONLYDIR);
    im_manifest_clear(&mf);
    return 0;
}

int im_build_watch(const im_build_opts *o, int (*stop)(void *user), im_diag *d)
{
    int fd = -1, rc = -1;
    char buf[16384] __attribute__((aligned(8)));
    while (!stop(o->user)) {
        im_diag bd;
        im_build_result res;
        struct pollfd p;
        int changed = 0;
        im_diag_init(&bd, d->warn, d->warn_user);
        /* errors of a build were reported as events: watching goes on */
        im_build_run(o, &res, &bd);
        if (o->on_event) {
            im_build_event e;
            char why[96];
            memset(&e, 0, sizeof e);
            e.kind = IM_BUILD_WARNING;
            snprintf(why, sizeof why, "%d rendered, %d up to date, %d failed; watching",
                     res.rendered, res.up_to_date, res.failed);
            e.why = why;
            o->on_event(o->user, &e);
        }
        if (fd >= 0)
            close(fd);
        fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (fd < 0) {
            im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "inotify: %s", strerror(errno));
            goto done;
        }
        if (im_watch_dirs(fd, o, d) != 0)
            goto done;
        p.fd = fd;
        p.events = POLLIN;
        while (!changed && !stop(o->user)) {
            int n = poll(&p, 1, 100);
            if (n > 0)
                changed = 1;
        }
        if (!changed)
            break;
        /* let a burst of writes (an editor's save, a copy) settle */
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
        while (read(fd, buf, sizeof buf) > 0)
            ;
    }
    rc = 0;
done:
    if (fd >= 0)
        close(fd);
    return rc;
}
