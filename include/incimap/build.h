/* incimap: building many maps.
 *
 * im_deps: the files a render read (map file, data, base map with every
 * shapefile sidecar, fonts), recorded through im_diag.deps.  Dependency
 * files in Make's format for `render -M`.  im_build_run: every map of a
 * project rendered only when something it depends on changed, on worker
 * processes, optionally one shard of it; atlases of one page per record or
 * group.  The library never prints: what happens goes to callbacks. */
#ifndef INCIMAP_BUILD_H
#define INCIMAP_BUILD_H

#include "incimap/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A list of file paths, each once, in the order first added.  The list
 * owns copies of the paths.  im_deps_free(NULL) does nothing. */
typedef struct im_deps im_deps;
im_deps *im_deps_new(void);
void im_deps_free(im_deps *deps);
/* Add PATH unless listed (NULL DEPS or PATH: nothing).  0, or -1 out of memory. */
int im_deps_add(im_deps *deps, const char *path);
int im_deps_count(const im_deps *deps);
const char *im_deps_get(const im_deps *deps, int i);

/* Write DEPFILE as Make reads it: "TARGET: DEP DEP ...", spaces, '#' and
 * '$' escaped, each dependency also as an empty rule of its own (like
 * gcc -MP) so that a deleted input does not stop make.  Written to a
 * temporary file and renamed.  Returns 0, or -1 with D set (IM_ERR_IO). */
int im_depfile_write(const char *depfile, const char *target, const im_deps *deps, im_diag *d);

/* What im_build_run reports as it goes. */
typedef enum {
    IM_BUILD_PLAN = 0,    /* OUTPUT will be rendered because of WHY (dry run: would be) */
    IM_BUILD_DONE,        /* OUTPUT was rendered */
    IM_BUILD_FAILED,      /* OUTPUT failed: WHY is "file:line:col: message" */
    IM_BUILD_WARNING,     /* WHY is a warning of a render */
    IM_BUILD_PROGRESS     /* DONE of TOTAL outputs finished */
} im_build_event_kind;

typedef struct im_build_event {
    im_build_event_kind kind;
    const char *output;   /* path of the output (under the output folder) */
    const char *why;
    int done, total;      /* outputs finished and to render in this run */
} im_build_event;

typedef void (*im_build_fn)(void *user, const im_build_event *e);

typedef struct im_build_opts {
    const char *const *inputs; /* map files, and folders meaning every *.yaml in them */
    int ninputs;
    const char *outdir;        /* default "output" */
    const char *geodata_dir;   /* NULL: the built-in one */
    int jobs;                  /* worker processes; 0: one per core */
    int force;                 /* render everything */
    int dry_run;               /* say what would be rendered and why, render nothing */
    int keep_going;            /* after a failure, still build the rest */
    int shard_index, shard_count; /* shard_count > 0: only outputs whose name hashes to
                                   * shard_index mod shard_count */
    const char **overrides;    /* "key=value" applied to every map file (as --set) */
    int noverrides;
    im_build_fn on_event;
    void *user;
} im_build_opts;

typedef struct im_build_result {
    int rendered, up_to_date, failed;
} im_build_result;

/* Build every output of O->inputs into O->outdir.  A failed output keeps
 * its earlier file; the others still build when O->keep_going.  Returns 0
 * when nothing failed; -1 with D holding the first error (its status is
 * the exit code) otherwise.  R may be NULL. */
int im_build_run(const im_build_opts *o, im_build_result *r, im_diag *d);

/* Build as im_build_run, then watch every dependency (and its folder, for
 * editors that save by renaming) with inotify and build again on each
 * change, until STOP returns non-zero (checked at least every 100 ms).
 * Errors of a build are reported as events, and watching goes on.
 * Returns 0, or -1 when watching itself fails. */
int im_build_watch(const im_build_opts *o, int (*stop)(void *user), im_diag *d);

#ifdef __cplusplus
}
#endif
#endif
