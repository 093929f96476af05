/* Internals of `incimap build` shared by the files of src/build: the
 * manifest (manifest.c), atlas pages (atlas.c), worker processes
 * (workers.c), and the run that ties them together (build.c). */
#ifndef IM_BUILD_PRIV_H
#define IM_BUILD_PRIV_H

#include <stdint.h>

#include "incimap/build.h"
#include "incimap/incimap.h"

/* ---- manifest.c: what the last build made, from what */

typedef enum { IM_DEP_UNCHECKED = 0, IM_DEP_SAME, IM_DEP_CHANGED, IM_DEP_MISSING } im_dep_state;

typedef struct im_bdep {
    char *path;
    long long size, mtime_ns;
    uint64_t hash;
    int known;               /* size, mtime and hash are those of a read file */
    im_dep_state state;      /* this run's verdict, once checked */
} im_bdep;

typedef struct im_bout {
    char *name;              /* path under the output folder */
    uint64_t key;            /* what the content depends on beyond the files */
} im_bout;

/* One map file: its outputs and the files they were made from.  A dep
 * index with is_data set is an incident source (atlas pages check those
 * record by record). */
typedef struct im_bmap {
    char *path;
    int *deps;               /* indexes into the manifest's dep table */
    unsigned char *is_data;
    int ndeps;
    im_bout *outs;
    int nouts;
} im_bmap;

typedef struct im_manifest {
    char *version;
    uint64_t options;
    im_bdep *deps;
    int ndeps, deps_cap;
    im_bmap *maps;
    int nmaps, maps_cap;
} im_manifest;

/* Read PATH (a missing file is an empty manifest; a damaged one too: all
 * is rebuilt).  Returns 0, or -1 out of memory. */
int im_manifest_load(im_manifest *mf, const char *path, im_diag *d);
int im_manifest_save(const im_manifest *mf, const char *path, im_diag *d);
void im_manifest_clear(im_manifest *mf);
/* The index of PATH in the dep table, added (unknown) when new; -1 out of memory. */
int im_manifest_dep(im_manifest *mf, const char *path);
im_bmap *im_manifest_map(im_manifest *mf, const char *path);
/* Stat (and when its size or time differ, hash) dep I: its state. */
im_dep_state im_manifest_check(im_manifest *mf, int i);
/* Make dep I known: stat and hash it as it is now.  -1 when unreadable. */
int im_manifest_refresh(im_manifest *mf, int i);

/* XXH3 of a file's bytes; -1 when it cannot be read. */
int im_hash_file(const char *path, uint64_t *out);
uint64_t im_hash_str(const char *s);

/* ---- atlas.c: pages of an atlas map */

typedef struct im_page {
    char *name;              /* file name of the page in the atlas folder */
    char *subtitle;
    im_extent extent;
    int *records;            /* indexes into m->incidents shown (NULL: all) */
    int nrecords;
    int subject;             /* incident pages: the incident; -1 for groups */
    uint64_t key;            /* the records in its extent and window, its frame, its titles */
    char *group;             /* group pages: the group's value */
} im_page;

/* Pages of the loaded atlas map M, in a stable order.  Returns 0 or -1. */
int im_atlas_pages(const im_map *m, im_page **pages, int *npages, im_diag *d);
void im_atlas_pages_free(im_page *pages, int npages);
/* Set M up to render PAGE (extent, subtitle, incidents shown).  Used in a
 * worker, on its own copy of the map. */
void im_atlas_apply(im_map *m, const im_page *page);
/* The atlas's index.csv (CSV set) or index.html contact sheet; NULL out
 * of memory. */
char *im_atlas_index_text(const im_map *m, const im_page *pages, int npages, int csv);

/* ---- workers.c: worker processes, each rendering many outputs */

typedef struct im_job {
    char *out_path;          /* where to write */
    char *name;              /* under the output folder (events, manifest) */
    int map;                 /* index of the map it belongs to (build.c) */
    int page;                /* atlas page, or -1 */
    uint64_t key;
    int fresh;               /* render in a process that drew nothing before */
    /* filled by the run */
    int started, ok;
    im_deps *deps;           /* what the render read */
    char *error;             /* "file:line:col: message" */
    int status;
} im_job;

/* A job's render, run in a worker process: 0 or -1 with D set. */
typedef int (*im_job_fn)(void *user, im_job *job, im_diag *d);

/* Run the jobs on up to NWORKERS worker processes, forked once and each
 * calling FN for job after job; warnings and the files read come back over
 * a socket.  A worker that dies fails its job and is replaced.  DONE_FN is called in this process as each job ends.  Without
 * KEEP_GOING no new job starts after one failed.  Returns 0, or -1 when
 * a process could not be started. */
int im_jobs_run(im_job *jobs, int njobs, int nworkers, int keep_going, im_job_fn fn,
                void (*done_fn)(void *user, im_job *job), void *user, im_diag *d);

#endif
