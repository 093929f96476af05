/* incimap render MAP.yaml [-o FILE] [--world-file] [--set KEY=VALUE]...
 *                [--from DATE] [--to DATE] [--strict] [--caption FILE] [--palette]
 *                [-M DEPFILE] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "incimap/build.h"
#include "core/util.h"

static void im_render_usage(FILE *f)
{
    fprintf(f, "usage: incimap render MAP.yaml [-o FILE] [options]\n"
               "\n"
               "  -o, --output FILE     output file: .png, .svg or .pdf (default output/MAP.png)\n"
               "      --world-file      also write a world file (.pgw for PNG) and a .prj\n"
               "      --set KEY=VALUE   override a map-file key (YAML value), repeatable\n"
               "      --from DATE       only incidents on or after DATE (2017-05-18, 18 May 2017,\n"
               "                        18/05/2017; 2017-05 or 2017 for a month or year)\n"
               "      --to DATE         only incidents on or before DATE\n"
               "      --strict          a bad data row is an error (exit 4), not skipped\n"
               "      --caption FILE    also write a plain-language summary of the map to FILE\n"
               "      --palette         an 8-bit palette PNG (as png: {palette: true})\n"
               "  -M, --depfile FILE    also write the files the map was made from, as a Make rule\n"
               "      --geodata DIR     the shipped geodata folder (default: built in, or $INCIMAP_GEODATA)\n"
               "  -q, --quiet           errors only: no warnings, no notes\n"
               "  -v, --verbose         also what was read, counts and timings (stderr)\n"
               "  -h, --help            this help\n");
}

int im_cli_render(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"world-file", no_argument, NULL, 'w'},
        {"set", required_argument, NULL, 's'},    {"geodata", required_argument, NULL, 'g'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {"from", required_argument, NULL, 'F'},   {"to", required_argument, NULL, 'T'},
        {"strict", no_argument, NULL, 'S'},       {"caption", required_argument, NULL, 'C'},
        {"palette", no_argument, NULL, 'P'},      {"depfile", required_argument, NULL, 'M'},
        {"verbose", no_argument, NULL, 'v'},      {NULL, 0, NULL, 0}};
    const char *out = NULL, *depfile = NULL;
    const char **sets = NULL;
    char *defout = NULL;
    int nsets = 0, quiet = 0, verbose = 0, opt, rc;
    double t0 = im_clock_ms();
    im_render_opts ro;
    im_diag d;

    memset(&ro, 0, sizeof ro);
    sets = calloc((size_t)argc, sizeof *sets);
    if (!sets)
        return IM_ERR_INTERNAL;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:qvhM:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            out = optarg;
            break;
        case 'w':
            ro.world_file = 1;
            break;
        case 's':
            sets[nsets++] = optarg;
            break;
        case 'g':
            ro.geodata_dir = optarg;
            break;
        case 'F':
            ro.from = optarg;
            break;
        case 'T':
            ro.to = optarg;
            break;
        case 'S':
            ro.strict = 1;
            break;
        case 'C':
            ro.caption = optarg;
            break;
        case 'P':
            sets[nsets++] = "png.palette=true";
            break;
        case 'M':
            depfile = optarg;
            break;
        case 'q':
        case 'v':
            im_cli_verbosity(opt, &quiet, &verbose);
            break;
        case 'h':
            im_render_usage(stdout);
            free(sets);
            return 0;
        default:
            im_render_usage(stderr);
            free(sets);
            return IM_ERR_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "incimap render: expected one map file\n");
        im_render_usage(stderr);
        free(sets);
        return IM_ERR_USAGE;
    }
    if (!out) {
        /* output/<stem>.png */
        const char *path = argv[optind], *base = strrchr(path, '/'), *dot;
        size_t n;
        base = base ? base + 1 : path;
        dot = strrchr(base, '.');
        n = dot ? (size_t)(dot - base) : strlen(base);
        defout = malloc(n + 16);
        if (!defout) {
            free(sets);
            return IM_ERR_INTERNAL;
        }
        snprintf(defout, n + 16, "output/%.*s.png", (int)n, base);
        out = defout;
        mkdir("output", 0777); /* the default folder; an error shows when writing */
    }
    ro.overrides = sets;
    ro.noverrides = nsets;
    im_diag_init(&d, im_cli_warn, &quiet);
    if (verbose) {
        d.verbose = im_cli_progress;
        fprintf(stderr, "incimap: rendering %s to %s\n", argv[optind], out);
    }
    if (depfile && !(d.deps = im_deps_new())) {
        free(defout);
        free(sets);
        return IM_ERR_INTERNAL;
    }
    if (im_render_file(argv[optind], out, &ro, &d) == 0 && depfile)
        im_depfile_write(depfile, out, d.deps, &d);
    rc = im_cli_finish(&d);
    im_deps_free(d.deps);
    if (verbose && rc == 0) {
        struct stat st;
        long long bytes = stat(out, &st) == 0 ? (long long)st.st_size : -1;
        fprintf(stderr, "incimap: wrote %s (%lld bytes) in %.0f ms\n", out, bytes,
                im_clock_ms() - t0);
    }
    free(defout);
    free(sets);
    return rc;
}
