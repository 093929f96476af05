/* A second thread for the work that splits in two (projecting and
 * stamping a million incidents, deflating the PNG, reading a big CSV):
 * the results never depend on whether it runs. */
#ifndef IM_THREADS_H
#define IM_THREADS_H

/* 1 when work may go to a second thread: unless the environment says
 * INCIMAP_THREADS=1 (a shared machine; tests comparing both ways). */
int im_threads_ok(void);

/* FN(ARG1) on a second thread while FN(ARG0) runs on this one; both on
 * this one, in that order, when threads are off or none can be started.
 * Returns when both are done. */
void im_run_pair(void *(*fn)(void *), void *arg0, void *arg1);

#endif
