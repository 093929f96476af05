/* Worker processes: each output is rendered in a process of its own,
 * forked from the build, so that N renders run side by side without
 * sharing Cairo, Pango or PROJ state, and a render that crashes takes
 * only its own output with it.  The build process itself never draws:
 * Pango starts threads, and a fork beside a thread that holds a lock
 * gives a child that waits for ever.  The worker sends back, over a pipe, the
 * files it read, its warnings and its error, one per line:
 *   D path | W message | E status message */
#include "build/build_priv.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct im_worker {
    pid_t pid;
    int fd;
    int job;
    char *buf;               /* what came over the pipe so far */
    size_t len, cap;
} im_worker;

static void im_send_line(FILE *f, const char *head, const char *text)
{
    const char *p;
    fputs(head, f);
    for (p = text; *p; p++)
        fputc(*p == '\n' ? ' ' : *p, f);
    fputc('\n', f);
}

static void im_worker_warn(void *user, const char *message)
{
    im_send_line(user, "W ", message);
}

/* In the child: render, report, and leave without running the parent's
 * atexit handlers or flushing its stdio buffers a second time. */
static void im_worker_main(int fd, im_job *job, im_job_fn fn, void *user)
{
    FILE *f = fdopen(fd, "w");
    im_diag d;
    char head[24];
    int i, rc;
    if (!f)
        _exit(70);
    im_diag_init(&d, im_worker_warn, f);
    d.deps = im_deps_new();
    rc = fn(user, job, &d);
    for (i = 0; i < im_deps_count(d.deps); i++)
        im_send_line(f, "D ", im_deps_get(d.deps, i));
    if (rc != 0) {
        snprintf(head, sizeof head, "E %d ", (int)(d.status ? d.status : IM_ERR_INTERNAL));
        im_send_line(f, head, d.message);
    }
    fclose(f);
    im_deps_free(d.deps);
    _exit(rc == 0 ? 0 : 1);
}

/* The lines a finished worker sent, into its job. */
static void im_worker_parse(im_worker *w, im_job *job, im_diag *d)
{
    char *line = w->buf, *end;
    if (!line)
        return;
    for (; line < w->buf + w->len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(w->buf + w->len - line));
        if (!end)
            break;
        *end = '\0';
        if (line[0] == 'D' && line[1] == ' ') {
            if (!job->deps)
                job->deps = im_deps_new();
            im_deps_add(job->deps, line + 2);
        } else if (line[0] == 'W' && line[1] == ' ') {
            if (d->warn)
                d->warn(d->warn_user, line + 2);
        } else if (line[0] == 'E' && line[1] == ' ') {
            char *msg;
            job->status = (int)strtol(line + 2, &msg, 10);
            free(job->error);
            job->error = strdup(*msg == ' ' ? msg + 1 : msg);
        }
    }
}

static int im_worker_start(im_worker *w, im_job *jobs, int j, im_job_fn fn, void *user,
                           im_diag *d)
{
    int fds[2];
    pid_t pid;
    if (pipe(fds) != 0)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "cannot start a worker: %s",
                       strerror(errno));
    fflush(NULL); /* nothing buffered is written twice by the child */
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "cannot start a worker: %s",
                       strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        im_worker_main(fds[1], &jobs[j], fn, user);
    }
    close(fds[1]);
    jobs[j].started = 1;
    memset(w, 0, sizeof *w);
    w->pid = pid;
    w->fd = fds[0];
    w->job = j;
    return 0;
}

/* Read what is there; 1 at the end of the stream. */
static int im_worker_read(im_worker *w)
{
    ssize_t n;
    if (w->cap - w->len < 4096) {
        size_t cap = w->cap ? w->cap * 2 : 8192;
        char *g = realloc(w->buf, cap);
        if (!g)
            return 1; /* the rest is lost; the exit status still counts */
        w->buf = g;
        w->cap = cap;
    }
    n = read(w->fd, w->buf + w->len, w->cap - w->len);
    if (n < 0 && errno == EINTR)
        return 0;
    if (n <= 0)
        return 1;
    w->len += (size_t)n;
    return 0;
}

static void im_worker_finish(im_worker *w, im_job *job, im_diag *d)
{
    int status = 0;
    close(w->fd);
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    im_worker_parse(w, job, d);
    job->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !job->error;
    if (!job->ok && !job->error) {
        char msg[128];
        if (WIFSIGNALED(status))
            snprintf(msg, sizeof msg, "%s: the render was killed by signal %d", job->name,
                     WTERMSIG(status));
        else
            snprintf(msg, sizeof msg, "%s: the render failed (exit %d)", job->name,
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        job->error = strdup(msg);
        job->status = IM_ERR_INTERNAL;
    }
    free(w->buf);
    w->buf = NULL;
}

int im_jobs_run(im_job *jobs, int njobs, int nworkers, int keep_going, im_job_fn fn,
                void (*done_fn)(void *user, im_job *job), void *user, im_diag *d)
{
    im_worker *ws;
    struct pollfd *pfd;
    int next = 0, active = 0, failed = 0, rc = 0, i;
    if (nworkers < 1)
        nworkers = 1;
    if (nworkers > njobs)
        nworkers = njobs > 0 ? njobs : 1;
    ws = calloc((size_t)nworkers, sizeof *ws);
    pfd = calloc((size_t)nworkers, sizeof *pfd);
    if (!ws || !pfd) {
        free(ws);
        free(pfd);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    for (i = 0; i < nworkers; i++)
        ws[i].pid = 0;
    for (;;) {
        /* fill free slots */
        for (i = 0; i < nworkers && next < njobs && (keep_going || !failed) && rc == 0; i++) {
            if (ws[i].pid)
                continue;
            if (im_worker_start(&ws[i], jobs, next, fn, user, d) != 0) {
                rc = -1;
                break;
            }
            next++;
            active++;
        }
        if (active == 0)
            break;
        for (i = 0; i < nworkers; i++) {
            pfd[i].fd = ws[i].pid ? ws[i].fd : -1;
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
        }
        if (poll(pfd, (nfds_t)nworkers, -1) < 0 && errno != EINTR) {
            rc = im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "poll: %s", strerror(errno));
            break;
        }
        for (i = 0; i < nworkers; i++) {
            if (!ws[i].pid || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (!im_worker_read(&ws[i]))
                continue;
            im_worker_finish(&ws[i], &jobs[ws[i].job], d);
            if (!jobs[ws[i].job].ok)
                failed = 1;
            done_fn(user, &jobs[ws[i].job]);
            ws[i].pid = 0;
            active--;
        }
    }
    /* only after an error starting a worker: wait for the others */
    for (i = 0; i < nworkers; i++) {
        if (ws[i].pid) {
            while (!im_worker_read(&ws[i]))
                ;
            im_worker_finish(&ws[i], &jobs[ws[i].job], d);
            done_fn(user, &jobs[ws[i].job]);
        }
    }
    free(ws);
    free(pfd);
    return rc;
}
