/* incimap check MAP.yaml [--strict] [--from DATE] [--to DATE] [--set KEY=VALUE]...
 * Every problem of the map file and the files it names, one per line on
 * stdout as "file:line:col: message" (warnings "file:line: warning: ..."),
 * then a one-line summary; the exit code is the first error's. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"

static void im_check_usage(FILE *f)
{
    fprintf(f, "usage: incimap check MAP.yaml [options]\n"
               "\n"
               "Checks the map file and every file it names; prints every problem as\n"
               "file:line:col: message, then a summary.  Exit 0 when there is no error.\n"
               "\n"
               "      --strict          bad data rows are errors (as render --strict would fail)\n"
               "      --from DATE       check with this time window (as render --from)\n"
               "      --to DATE\n"
               "      --set KEY=VALUE   override a map-file key (YAML value), repeatable\n"
               "      --geodata DIR     the shipped geodata folder\n"
               "  -q, --quiet           errors only, no warnings (and the summary)\n"
               "  -v, --verbose         also what was read, counts and timings (stderr)\n"
               "  -h, --help            this help\n");
}

typedef struct {
    int quiet;
    int nerrors, nwarnings;
} im_check_out;

static void im_check_error(void *user, const char *message)
{
    im_check_out *o = user;
    o->nerrors++;
    printf("%s\n", message);
}

static void im_check_warning(void *user, const char *message)
{
    im_check_out *o = user;
    o->nwarnings++;
    if (!o->quiet)
        printf("%s\n", message);
}

static const char *im_plural(int n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int im_cli_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"strict", no_argument, NULL, 'S'},     {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},   {"set", required_argument, NULL, 's'},
        {"geodata", required_argument, NULL, 'g'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},       {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0}};
    const char **sets;
    int nsets = 0, opt, verbose = 0;
    double t0 = im_clock_ms();
    im_check_opts co;
    im_check_result r;
    im_check_out o;
    im_diag d;

    memset(&co, 0, sizeof co);
    memset(&o, 0, sizeof o);
    sets = calloc((size_t)argc, sizeof *sets);
    if (!sets)
        return IM_ERR_INTERNAL;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'S':
            co.strict = 1;
            break;
        case 'F':
            co.from = optarg;
            break;
        case 'T':
            co.to = optarg;
            break;
        case 's':
            sets[nsets++] = optarg;
            break;
        case 'g':
            co.geodata_dir = optarg;
            break;
        case 'q':
        case 'v':
            im_cli_verbosity(opt, &o.quiet, &verbose);
            break;
        case 'h':
            im_check_usage(stdout);
            free(sets);
            return 0;
        default:
            im_check_usage(stderr);
            free(sets);
            return IM_ERR_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "incimap check: expected one map file\n");
        im_check_usage(stderr);
        free(sets);
        return IM_ERR_USAGE;
    }
    co.overrides = sets;
    co.noverrides = nsets;
    im_diag_init(&d, im_check_warning, &o);
    d.error = im_check_error;
    d.error_user = &o;
    if (verbose) {
        d.verbose = im_cli_progress;
        fprintf(stderr, "incimap: checking %s\n", argv[optind]);
    }
    im_check_file(argv[optind], &co, &r, &d);
    if (d.status != IM_OK) {
        printf("%s: %d %s, %d %s\n", argv[optind], o.nerrors,
               im_plural(o.nerrors, "error", "errors"),
               o.nwarnings, im_plural(o.nwarnings, "warning", "warnings"));
    } else {
        printf("%s: OK: %d %s, %d incident %s (%d on the map, %d left out by when/where, "
               "%d skipped), %d %s, %d %s, %d base-map %s",
               argv[optind], r.nfiles, im_plural(r.nfiles, "data file", "data files"), r.nrecords,
               im_plural(r.nrecords, "record", "records"), r.nkept, r.nfiltered, r.nskipped,
               r.nlines, im_plural(r.nlines, "line", "lines"), r.nzones,
               im_plural(r.nzones, "zone", "zones"), r.nlayers,
               im_plural(r.nlayers, "layer", "layers"));
        if (o.nwarnings)
            printf("; %d %s", o.nwarnings, im_plural(o.nwarnings, "warning", "warnings"));
        printf("\n");
    }
    fflush(stdout);
    if (verbose)
        fprintf(stderr, "incimap: checked %s in %.0f ms\n", argv[optind], im_clock_ms() - t0);
    free(sets);
    return (int)d.status;
}
