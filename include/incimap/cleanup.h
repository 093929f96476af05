/* incimap: leaving no partial output behind when the process is stopped.
 *
 * Maps are written to a temporary file beside the destination and renamed
 * into place when complete.  A program that is interrupted (SIGINT,
 * SIGTERM) calls im_remove_temp_files() from its signal handler so that
 * no temporary file stays behind; the earlier map is never touched. */
#ifndef INCIMAP_CLEANUP_H
#define INCIMAP_CLEANUP_H

#ifdef __cplusplus
extern "C" {
#endif

/* Unlink the temporary files of every render in progress.  Async-signal-
 * safe: it only reads static storage and calls unlink(). */
void im_remove_temp_files(void);

#ifdef __cplusplus
}
#endif
#endif
