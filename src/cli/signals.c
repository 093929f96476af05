/* Signals of the command-line tool.  SIGINT, SIGTERM and SIGHUP remove the
 * temporary file of a map being written, then end the process by the same
 * signal (the shell sees 128 + its number: 130, 143, 129), so an earlier
 * map stays as it was and nothing half-written is left.  SIGXFSZ (a
 * file-size limit, `ulimit -f`) is ignored, so that the write fails with
 * EFBIG and becomes an ordinary output error (exit 5) with a message. */
#include <signal.h>
#include <string.h>

#include "cli/cli.h"
#include "incimap/cleanup.h"

static void im_cli_on_signal(int sig)
{
    /* only async-signal-safe calls: unlink() inside, then the default
     * action (SA_RESETHAND restored it) once this handler returns */
    im_remove_temp_files();
    raise(sig);
}

void im_cli_signals_install(void)
{
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    size_t i;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = im_cli_on_signal;
    sa.sa_flags = SA_RESETHAND;
    /* the others are blocked while one is handled, so a second signal
     * cannot cut the cleanup short */
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof stops / sizeof stops[0]; i++)
        sigaddset(&sa.sa_mask, stops[i]);
    for (i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        struct sigaction old;
        /* a signal ignored by whoever started us (nohup) stays ignored */
        if (sigaction(stops[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(stops[i], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
}
