/* The second thread: whether it may be used (INCIMAP_THREADS) and running
 * two halves of a piece of work on it and on the caller's thread. */
#include "core/threads.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

int im_threads_ok(void)
{
    const char *v = getenv("INCIMAP_THREADS");
    return !(v && strcmp(v, "1") == 0);
}

void im_run_pair(void *(*fn)(void *), void *arg0, void *arg1)
{
    pthread_t helper;
    int threaded = im_threads_ok() && pthread_create(&helper, NULL, fn, arg1) == 0;
    fn(arg0);
    if (threaded)
        pthread_join(helper, NULL);
    else
        fn(arg1);
}
