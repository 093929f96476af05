/* incimap build --watch: build, then wait with inotify for a dependency
 * to change and build again.  Folders are watched, not files, so that an
 * editor that saves by writing a new file and renaming it over the old one
 * is seen like any other write; only events naming a dependency (or a map
 * file in an input folder) count, so outputs written next to the inputs
 * do not start a build of their own. */
#include "build/build_priv.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

#define IM_WATCH_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB)

typedef struct im_watch {
    int fd;
    im_manifest mf;          /* the files the last build depended on */
    int *dep_wd;             /* the watch of each one's folder (-1: none) */
    int *input_wd;           /* watches of input folders */
    int ninputs;
} im_watch;

/* A folder's watch: inotify gives one folder the same descriptor however
 * its path is spelled, so events are matched by descriptor and name. */
static int im_watch_dir(im_watch *w, const char *dir)
{
    return inotify_add_watch(w->fd, dir, IM_WATCH_EVENTS);
}

/* Watch the folder of every file the manifest names, and the inputs. */
static int im_watch_update(im_watch *w, const im_build_opts *o, im_diag *d)
{
    char path[PATH_MAX];
    const char *outdir = o->outdir ? o->outdir : "output";
    int i;
    if (o->shard_count > 0)
        snprintf(path, sizeof path, "%s/.incimap-build.shard-%d-of-%d", outdir, o->shard_index,
                 o->shard_count);
    else
        snprintf(path, sizeof path, "%s/.incimap-build", outdir);
    im_manifest_clear(&w->mf);
    if (im_manifest_load(&w->mf, path, d) != 0)
        return -1;
    free(w->dep_wd);
    w->dep_wd = calloc((size_t)w->mf.ndeps + 1, sizeof *w->dep_wd);
    if (!w->dep_wd)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    for (i = 0; i < w->mf.ndeps; i++) {
        char *slash;
        snprintf(path, sizeof path, "%s", w->mf.deps[i].path);
        slash = strrchr(path, '/');
        if (slash == path)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
        else
            snprintf(path, sizeof path, ".");
        w->dep_wd[i] = im_watch_dir(w, path);
    }
    free(w->input_wd);
    w->input_wd = calloc((size_t)o->ninputs + 1, sizeof *w->input_wd);
    if (!w->input_wd)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    w->ninputs = o->ninputs;
    for (i = 0; i < o->ninputs; i++) {
        struct stat st;
        w->input_wd[i] = -1;
        if (stat(o->inputs[i], &st) == 0 && S_ISDIR(st.st_mode))
            w->input_wd[i] = im_watch_dir(w, o->inputs[i]);
    }
    return 0;
}

/* 1 if the events in BUF name a dependency or a map file of an input folder. */
static int im_watch_relevant(const im_watch *w, const char *buf, ssize_t len)
{
    const char *p = buf;
    while (p < buf + len) {
        const struct inotify_event *e = (const struct inotify_event *)(const void *)p;
        int i, k;
        p += sizeof *e + e->len;
        if (e->mask & IN_Q_OVERFLOW)
            return 1;
        if (!e->len)
            continue;
        for (i = 0; i < w->ninputs; i++)
            if (w->input_wd[i] == e->wd && e->name[0] != '.' &&
                (im_has_suffix_ci(e->name, ".yaml") || im_has_suffix_ci(e->name, ".yml")))
                return 1;
        for (k = 0; k < w->mf.ndeps; k++) {
            const char *slash = strrchr(w->mf.deps[k].path, '/');
            const char *base = slash ? slash + 1 : w->mf.deps[k].path;
            if (w->dep_wd[k] == e->wd && strcmp(base, e->name) == 0)
                return 1;
        }
    }
    return 0;
}

int im_build_watch(const im_build_opts *o, int (*stop)(void *user), im_diag *d)
{
    im_watch w;
    char buf[16384] __attribute__((aligned(8)));
    int rc = -1;
    memset(&w, 0, sizeof w);
    w.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (w.fd < 0)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "inotify: %s", strerror(errno));
    /* watching starts before each build, so that nothing saved while it
     * runs is missed */
    if (im_watch_update(&w, o, d) != 0)
        goto done;
    while (!stop(o->user)) {
        im_diag bd;
        im_build_result res;
        struct pollfd p;
        int changed = 0;
        im_diag_init(&bd, d->warn, d->warn_user);
        /* errors of a build were reported as events: watching goes on */
        im_build_run(o, &res, &bd);
        if (im_watch_update(&w, o, d) != 0)
            goto done;
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
        p.fd = w.fd;
        p.events = POLLIN;
        while (!changed && !stop(o->user)) {
            ssize_t n;
            if (poll(&p, 1, 100) <= 0)
                continue;
            while ((n = read(w.fd, buf, sizeof buf)) > 0)
                changed |= im_watch_relevant(&w, buf, n);
            if (changed) {
                /* let a burst of writes (an editor's save, a copy) settle */
                nanosleep(&(struct timespec){0, 30 * 1000 * 1000}, NULL);
                while ((n = read(w.fd, buf, sizeof buf)) > 0)
                    ;
            }
        }
    }
    rc = 0;
done:
    close(w.fd);
    free(w.dep_wd);
    free(w.input_wd);
    im_manifest_clear(&w.mf);
    return rc;
}
