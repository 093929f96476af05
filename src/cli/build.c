/* incimap build [DIR|MAP.yaml ...] [-o OUTDIR] [-j N] [--force] [--dry-run]
 *               [--keep-going] [--shard I/N] [--watch]
 * incimap atlas MAP.yaml [--per incident|month|year|FIELD] [-o DIR]: the
 * same, for one map, with its atlas: per: given or replaced. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "incimap/build.h"

typedef struct im_build_ui {
    int quiet, dry_run, tty;
    double t0;
    int progress_shown;
} im_build_ui;

static volatile sig_atomic_t im_stop_watch;

static void im_on_signal(int sig)
{
    (void)sig;
    im_stop_watch = 1;
}

static int im_should_stop(void *user)
{
    (void)user;
    return im_stop_watch;
}

static double im_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void im_clear_progress(im_build_ui *c)
{
    if (c->progress_shown) {
        fputs("\r\033[K", stderr);
        c->progress_shown = 0;
    }
}

static void im_build_event_cb(void *user, const im_build_event *e)
{
    im_build_ui *c = user;
    switch (e->kind) {
    case IM_BUILD_PLAN:
        if (c->dry_run)
            printf("would render %s: %s\n", e->output, e->why);
        break;
    case IM_BUILD_FAILED:
        im_clear_progress(c);
        fprintf(stderr, "incimap: %s: %s\n", e->output, e->why ? e->why : "failed");
        break;
    case IM_BUILD_WARNING:
        if (!c->quiet) {
            im_clear_progress(c);
            fprintf(stderr, "incimap: %s\n", e->why);
        }
        break;
    case IM_BUILD_PROGRESS:
        if (c->tty && e->total > 0) {
            double dt = im_now() - c->t0, rate = dt > 0 ? e->done / dt : 0;
            double eta = rate > 0 ? (e->total - e->done) / rate : 0;
            fprintf(stderr, "\r\033[K[%d/%d] %.1f maps/s, %.0f s left", e->done, e->total, rate,
                    eta);
            c->progress_shown = 1;
        }
        break;
    case IM_BUILD_DONE:
        break;
    }
}

static void im_cli_build_warn(void *user, const char *message)
{
    im_build_ui *c = user;
    if (c->quiet)
        return;
    im_clear_progress(c);
    fprintf(stderr, "incimap: %s\n", message);
}

static void im_build_usage(FILE *f, const char *cmd)
{
    if (strcmp(cmd, "atlas") == 0)
        fprintf(f, "usage: incimap atlas MAP.yaml [--per incident|month|year|FIELD] [-o DIR] "
                   "[build options]\n\n"
                   "      --per WHAT        one page per incident, month, year or value of FIELD\n"
                   "                        (default: the map file's atlas: per:)\n");
    else
        fprintf(f, "usage: incimap build [DIR|MAP.yaml ...] [options]\n\n");
    fprintf(f,
            "  -o, --output DIR      output folder (default output/)\n"
            "  -j, --jobs N          render on N worker processes (default: one per core)\n"
            "      --force           render everything, changed or not\n"
            "  -n, --dry-run         list what would be rendered, and why\n"
            "  -k, --keep-going      after a failed map, still build the others\n"
            "      --shard I/N       build only slice I (0..N-1) of N, by output name\n"
            "      --watch           keep watching the inputs, rebuild on change\n"
            "      --geodata DIR     the shipped geodata folder\n"
            "  -q, --quiet           no warnings\n"
            "  -h, --help            this help\n");
}

int im_cli_build(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
        {"force", no_argument, NULL, 'f'},        {"dry-run", no_argument, NULL, 'n'},
        {"keep-going", no_argument, NULL, 'k'},   {"shard", required_argument, NULL, 'S'},
        {"watch", no_argument, NULL, 'w'},        {"geodata", required_argument, NULL, 'g'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {"per", required_argument, NULL, 'p'},    {NULL, 0, NULL, 0}};
    const char *cmd = argv[0];
    int is_atlas = strcmp(cmd, "atlas") == 0;
    im_build_opts o;
    im_build_result res;
    im_build_ui c;
    im_diag d;
    const char *defin[1] = {"."};
    char *per_set = NULL;
    const char *sets[1];
    int opt, watch = 0, rc;

    memset(&o, 0, sizeof o);
    memset(&c, 0, sizeof c);
    memset(&res, 0, sizeof res);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:j:nkqh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            o.outdir = optarg;
            break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || j < 1 || j > 1024) {
                fprintf(stderr, "incimap %s: -j wants a number of workers, 1..1024\n", cmd);
                return IM_ERR_USAGE;
            }
            o.jobs = (int)j;
            break;
        }
        case 'f':
            o.force = 1;
            break;
        case 'n':
            o.dry_run = 1;
            break;
        case 'k':
            o.keep_going = 1;
            break;
        case 'S': {
            int i = -1, n = -1;
            char tail = 0;
            if (sscanf(optarg, "%d/%d%c", &i, &n, &tail) != 2 || n < 1 || i < 0 || i >= n) {
                fprintf(stderr, "incimap %s: --shard wants I/N with 0 <= I < N, got '%s'\n", cmd,
                        optarg);
                return IM_ERR_USAGE;
            }
            o.shard_index = i;
            o.shard_count = n;
            break;
        }
        case 'w':
            watch = 1;
            break;
        case 'g':
            o.geodata_dir = optarg;
            break;
        case 'q':
            c.quiet = 1;
            break;
        case 'p':
            if (!is_atlas) {
                im_build_usage(stderr, cmd);
                return IM_ERR_USAGE;
            }
            free(per_set);
            per_set = malloc(strlen(optarg) + 16);
            if (!per_set)
                return IM_ERR_INTERNAL;
            sprintf(per_set, "atlas.per=%s", optarg);
            break;
        case 'h':
            im_build_usage(stdout, cmd);
            return 0;
        default:
            im_build_usage(stderr, cmd);
            return IM_ERR_USAGE;
        }
    }
    if (is_atlas && optind != argc - 1) {
        fprintf(stderr, "incimap atlas: expected one map file\n");
        im_build_usage(stderr, cmd);
        free(per_set);
        return IM_ERR_USAGE;
    }
    o.inputs = optind < argc ? (const char *const *)argv + optind : defin;
    o.ninputs = optind < argc ? argc - optind : 1;
    if (per_set) {
        sets[0] = per_set;
        o.overrides = sets;
        o.noverrides = 1;
    }
    c.dry_run = o.dry_run;
    c.tty = isatty(STDERR_FILENO) && !o.dry_run;
    c.t0 = im_now();
    o.on_event = im_build_event_cb;
    o.user = &c;
    im_diag_init(&d, im_cli_build_warn, &c);

    if (watch) {
        signal(SIGINT, im_on_signal);
        signal(SIGTERM, im_on_signal);
        rc = im_build_watch(&o, im_should_stop, &d);
        free(per_set);
        return rc == 0 ? 0 : im_cli_finish(&d);
    }
    rc = im_build_run(&o, &res, &d);
    im_clear_progress(&c);
    if (o.dry_run)
        printf("%d to render, %d up to date\n", res.rendered, res.up_to_date);
    else
        printf("%d rendered, %d up to date, %d failed\n", res.rendered, res.up_to_date,
               res.failed);
    free(per_set);
    if (rc == 0)
        return 0;
    if (res.failed) /* each failure was reported as it happened */
        return d.status != IM_OK ? (int)d.status : IM_ERR_INTERNAL;
    return im_cli_finish(&d);
}
