/* Worker processes: N processes forked once at the start of a run, each
 * taking job after job over a socket, so that what a render sets up once
 * (the PROJ database, fontconfig and Pango) is paid once per worker, not
 * once per output.  The workers share no Cairo, Pango or PROJ state with
 * each other; a render that crashes takes only its own output with it and
 * its worker is replaced; a job marked fresh gets a new worker.  The build
 * process itself never draws: Pango starts threads, and a fork beside a
 * thread that holds a lock gives a child that waits for ever.  A job goes
 * out as its index on a line; the worker sends back the files it read, its
 * warnings, its error and an end line, one per line:
 *   D path | W message | E status message | X */
#include "build/build_priv.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct im_worker {
    pid_t pid;               /* 0: no process */
    int fd;                  /* our end of the socket */
    int job;                 /* the job it renders, -1 when idle */
    int used;                /* jobs handed to it */
    char *buf;               /* what came back for this job so far */
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

/* In the child: render each job asked for until the socket closes, then
 * leave without running the parent's atexit handlers or flushing its
 * stdio buffers a second time. */
static void im_worker_main(int fd, im_job *jobs, int njobs, im_job_fn fn, void *user)
{
    FILE *in = fdopen(fd, "r"), *out = fdopen(dup(fd), "w");
    char line[32];
    if (!in || !out)
        _exit(70);
    while (fgets(line, sizeof line, in)) {
        int j = atoi(line), i, rc;
        im_diag d;
        char head[24];
        if (j < 0 || j >= njobs)
            _exit(70);
        im_diag_init(&d, im_worker_warn, out);
        d.deps = im_deps_new();
        rc = fn(user, &jobs[j], &d);
        for (i = 0; i < im_deps_count(d.deps); i++)
            im_send_line(out, "D ", im_deps_get(d.deps, i));
        if (rc != 0) {
            snprintf(head, sizeof head, "E %d ", (int)(d.status ? d.status : IM_ERR_INTERNAL));
            im_send_line(out, head, d.message);
        }
        fputs("X\n", out);
        im_deps_free(d.deps);
        if (fflush(out) != 0)
            _exit(70);
    }
    _exit(0);
}

/* The lines a worker sent for its job, into the job. */
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

/* Start worker K of WS. */
static int im_worker_start(im_worker *ws, int nws, int k, im_job *jobs, int njobs, im_job_fn fn,
                           void *user, im_diag *d)
{
    im_worker *w = &ws[k];
    int fds[2], i;
    pid_t pid;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
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
        /* the other workers' sockets: held here, they would never see
         * their end of the stream */
        for (i = 0; i < nws; i++)
            if (i != k && ws[i].pid)
                close(ws[i].fd);
        close(fds[0]);
        im_worker_main(fds[1], jobs, njobs, fn, user);
    }
    close(fds[1]);
    memset(w, 0, sizeof *w);
    w->pid = pid;
    w->fd = fds[0];
    w->job = -1;
    return 0;
}

/* Close a worker's socket and wait for it; its exit status. */
static int im_worker_stop(im_worker *w)
{
    int status = 0;
    close(w->fd);
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    free(w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
    w->pid = 0;
    return status;
}

/* Hand job J to W; -1 when the worker is gone (it is then stopped). */
static int im_worker_give(im_worker *w, int j)
{
    char line[32];
    int n = snprintf(line, sizeof line, "%d\n", j);
    /* MSG_NOSIGNAL: a worker that died is a failed send, not SIGPIPE */
    if (send(w->fd, line, (size_t)n, MSG_NOSIGNAL) != n) {
        im_worker_stop(w);
        return -1;
    }
    w->job = j;
    w->used++;
    return 0;
}

/* Read what is there: 1 when the job's end line is in, -1 at the end of
 * the stream (the worker died), 0 otherwise. */
static int im_worker_read(im_worker *w)
{
    ssize_t n;
    if (w->cap - w->len < 4096) {
        size_t cap = w->cap ? w->cap * 2 : 8192;
        char *g = realloc(w->buf, cap);
        if (!g)
            return -1;
        w->buf = g;
        w->cap = cap;
    }
    n = read(w->fd, w->buf + w->len, w->cap - w->len);
    if (n < 0 && errno == EINTR)
        return 0;
    if (n <= 0)
        return -1;
    w->len += (size_t)n;
    /* the end line is the last thing sent for a job */
    return w->len >= 2 && w->buf[w->len - 1] == '\n' &&
                   w->buf[w->len - 2] == 'X' && (w->len == 2 || w->buf[w->len - 3] == '\n')
               ? 1
               : 0;
}

/* W's job is over: ENDED when its end line came, else the worker died. */
static void im_worker_done(im_worker *w, im_job *job, int ended, im_diag *d)
{
    im_worker_parse(w, job, d);
    job->ok = ended && !job->error;
    if (!ended) {
        int status = im_worker_stop(w);
        if (!job->error) {
            /* the build names the output in front of every error */
            char msg[160];
            if (WIFSIGNALED(status))
                snprintf(msg, sizeof msg, "the render was killed by signal %d", WTERMSIG(status));
            else
                snprintf(msg, sizeof msg, "the render failed (exit %d)",
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            job->error = strdup(msg);
            job->status = IM_ERR_INTERNAL;
        }
    } else if (!job->ok && !job->status) {
        job->status = IM_ERR_INTERNAL;
    }
    w->len = 0;
    w->job = -1;
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
    /* all forked before any of them draws: the build process stays clean */
    for (i = 0; i < nworkers && rc == 0 && njobs > 0; i++)
        rc = im_worker_start(ws, nworkers, i, jobs, njobs, fn, user, d);
    for (;;) {
        /* hand out jobs to idle workers; a dead one is replaced */
        for (i = 0; i < nworkers && next < njobs && (keep_going || !failed) && rc == 0; i++) {
            int tries;
            if (ws[i].pid && ws[i].job >= 0)
                continue;
            if (ws[i].pid && ws[i].used && jobs[next].fresh)
                im_worker_stop(&ws[i]);
            for (tries = 0; tries < 3; tries++) {
                if (!ws[i].pid && im_worker_start(ws, nworkers, i, jobs, njobs, fn, user, d) != 0) {
                    rc = -1;
                    break;
                }
                if (im_worker_give(&ws[i], next) == 0)
                    break;
            }
            if (rc != 0)
                break;
            if (tries == 3) {
                rc = im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "cannot start a worker");
                break;
            }
            jobs[next].started = 1;
            next++;
            active++;
        }
        if (active == 0)
            break;
        for (i = 0; i < nworkers; i++) {
            pfd[i].fd = ws[i].pid && ws[i].job >= 0 ? ws[i].fd : -1;
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
        }
        if (poll(pfd, (nfds_t)nworkers, -1) < 0 && errno != EINTR) {
            rc = im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "poll: %s", strerror(errno));
            break;
        }
        for (i = 0; i < nworkers; i++) {
            int got, j = ws[i].job;
            if (j < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if ((got = im_worker_read(&ws[i])) == 0)
                continue;
            im_worker_done(&ws[i], &jobs[j], got > 0, d);
            if (!jobs[j].ok)
                failed = 1;
            done_fn(user, &jobs[j]);
            active--;
        }
    }
    /* after an error starting a worker: let the others finish their job */
    for (i = 0; i < nworkers; i++) {
        int got, j = ws[i].job;
        if (ws[i].pid && j >= 0) {
            while ((got = im_worker_read(&ws[i])) == 0)
                ;
            im_worker_done(&ws[i], &jobs[j], got > 0, d);
            done_fn(user, &jobs[j]);
        }
        if (ws[i].pid)
            im_worker_stop(&ws[i]);
    }
    free(ws);
    free(pfd);
    return rc;
}
