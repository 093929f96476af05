/* incimap: the command-line tool.  Dispatches to one small file per
 * subcommand; each parses options, makes one library call and maps its
 * status to the exit code. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/cli.h"

static void im_usage(FILE *f)
{
    fprintf(f,
            "usage: incimap <command> [options]\n"
            "\n"
            "commands:\n"
            "  render MAP.yaml [-o FILE]   draw a map; FILE ends in .png, .svg or .pdf\n"
            "  check MAP.yaml              check the map file and every file it names\n"
            "  info FILE...                what a shapefile, CSV or GeoJSON file holds\n"
            "  build [DIR|MAP.yaml...]     render what changed of many maps and atlases\n"
            "  atlas MAP.yaml --per WHAT   one page per incident, month, year or field value\n"
            "\n"
            "  incimap <command> --help    options of a command\n"
            "  incimap --version           print the version\n"
            "\n"
            "  -q, --quiet    errors only      -v, --verbose   what was read, counts, timings\n"
            "\n"
            "exit codes: 0 ok, 2 usage, 3 bad map file, 4 bad data, 5 cannot write output,\n"
            "            70 internal error; killed by SIGINT/SIGTERM: 130/143\n");
}

/* 1 the first time MESSAGE is seen: a layer read in several passes (map,
 * labels, inset) warns about the same file once, not once per pass */
static int im_cli_first_time(const char *message)
{
    static unsigned long long seen[512];
    static size_t nseen;
    unsigned long long h = 1469598103934665603ULL; /* FNV-1a */
    size_t i;
    for (; *message; message++)
        h = (h ^ (unsigned char)*message) * 1099511628211ULL;
    for (i = 0; i < nseen; i++)
        if (seen[i] == h)
            return 0;
    if (nseen < sizeof seen / sizeof seen[0])
        seen[nseen++] = h;
    return 1;
}

void im_cli_warn(void *user, const char *message)
{
    const int *quiet = user;
    if ((!quiet || !*quiet) && im_cli_first_time(message))
        fprintf(stderr, "incimap: %s\n", message);
}

void im_cli_progress(void *user, const char *message)
{
    (void)user;
    fprintf(stderr, "incimap: %s\n", message);
}

void im_cli_verbosity(int opt, int *quiet, int *verbose)
{
    /* the last of -q and -v wins */
    *quiet = opt == 'q';
    *verbose = opt == 'v';
}

int im_cli_finish(const im_diag *d)
{
    if (d->status != IM_OK)
        fprintf(stderr, "incimap: %s\n", d->message);
    return (int)d->status;
}

/* End with status RC once a command is done: its outputs are written and
 * in place and its memory freed, so after flushing the streams the process
 * leaves without the libraries' teardown (the static destructors of PROJ,
 * GLib, GnuTLS and the like: some 4 ms, more than drawing a small map
 * takes).  A sanitizer build returns, for LeakSanitizer's check at exit. */
static int im_end(int rc)
{
#ifndef INCIMAP_SANITIZE
    fflush(NULL);
    _exit(rc);
#endif
    return rc;
}

int main(int argc, char **argv)
{
#ifdef __GLIBC__
    /* A fixed threshold above which blocks are mapped apart: freed, a
     * million incidents' arrays go back to the system at once, where glibc
     * would raise the threshold and keep them in the heap (a layout that
     * tries two frames peaked 16 MB higher). */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
    im_cli_signals_install();
    if (argc < 2) {
        im_usage(stderr);
        return IM_ERR_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("incimap %s\n", INCIMAP_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        im_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "render") == 0)
        return im_end(im_cli_render(argc - 1, argv + 1));
    if (strcmp(argv[1], "check") == 0)
        return im_end(im_cli_check(argc - 1, argv + 1));
    if (strcmp(argv[1], "info") == 0)
        return im_end(im_cli_info(argc - 1, argv + 1));
    if (strcmp(argv[1], "build") == 0 || strcmp(argv[1], "atlas") == 0)
        return im_end(im_cli_build(argc - 1, argv + 1));
    fprintf(stderr, "incimap: unknown command '%s'\n", argv[1]);
    im_usage(stderr);
    return IM_ERR_USAGE;
}
