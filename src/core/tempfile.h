/* Temporary output files in progress, for removal from a signal handler.
 *
 * A writer that creates a temporary file (the canvas, before it renames the
 * finished map into place) tracks its path here; im_remove_temp_files()
 * (include/incimap/cleanup.h) unlinks every tracked file and is safe to
 * call from a signal handler. */
#ifndef IM_CORE_TEMPFILE_H
#define IM_CORE_TEMPFILE_H

/* Track PATH (copied into static storage).  Returns a handle > 0, or 0
 * when it cannot be tracked (path too long, too many at once): the file
 * then is only removed by its owner. */
int im_tempfile_track(const char *path);

/* mkstemp(TMPL) and track the file it made, with every signal held off
 * in between, so that no handler runs while the file exists untracked.
 * Returns the descriptor (-1 and errno as mkstemp) and sets *HANDLE as
 * im_tempfile_track does (0 when it fails). */
int im_tempfile_create(char *tmpl, int *handle);

/* Stop tracking HANDLE (0: no-op).  Call after the file was renamed into
 * place or removed by its owner. */
void im_tempfile_untrack(int handle);

#endif
