/* incimap info FILE...: what a shapefile, CSV or GeoJSON file holds,
 * printed from the library's description (im_info_file). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"

static void im_info_usage(FILE *f)
{
    fprintf(f, "usage: incimap info FILE... [options]\n"
               "\n"
               "Describes a shapefile (.shp), CSV (.csv, .tsv, .txt) or GeoJSON (.geojson,\n"
               ".json) file: geometry, count, fields, extent, coordinate system, encoding;\n"
               "for incident data also dates, types and actors.  Records incimap would skip\n"
               "are listed on stderr.\n"
               "\n"
               "  -q, --quiet           errors only: do not list the records that would be skipped\n"
               "  -v, --verbose         also how long each file took to read (stderr)\n"
               "  -h, --help            this help\n");
}

static void im_info_print(const im_info *in)
{
    int i, t, shown;
    printf("%s\n", in->path);
    printf("  format:    %s\n", in->format);
    printf("  geometry:  %s\n", in->geometry ? in->geometry : "None");
    printf("  %-10s %lld\n", strcmp(in->format, "CSV") == 0 ? "rows:" : "features:", in->count);
    if (in->has_extent)
        printf("  extent:    (%f, %f) - (%f, %f)\n", in->extent[0], in->extent[1], in->extent[2],
               in->extent[3]);
    else
        printf("  extent:    none\n");
    if (in->crs)
        printf("  crs:       %s [%s]\n", in->crs, in->crs_source);
    printf("  encoding:  %s", in->encoding ? in->encoding : "unknown");
    if (in->nbad_utf8)
        printf(" (%lld row%s with bytes that are not UTF-8)", in->nbad_utf8,
               in->nbad_utf8 == 1 ? "" : "s");
    printf("\n");
    if (in->delimiter)
        printf("  delimiter: %s\n", in->delimiter);
    printf("  fields:    %d\n", in->nfields);
    for (i = 0; i < in->nfields; i++) {
        const im_info_field *f = &in->fields[i];
        printf("    %s: %s", f->name, f->type);
        if (f->width > 0)
            printf(" (%d.%d)", f->width, f->precision);
        if (f->role)
            printf(", read as %s", f->role);
        if (f->nempty > 0)
            printf(", %lld empty", f->nempty);
        printf("\n");
    }
    if (!in->incidents) {
        if (in->note)
            printf("  incidents: none: %s\n", in->note);
        return;
    }
    printf("  incidents: %lld usable, %lld skipped%s\n", in->nincidents, in->nskipped,
           in->nskipped ? " (listed on stderr)" : "");
    if (in->date_min)
        printf("  dates:     %s to %s", in->date_min, in->date_max);
    else
        printf("  dates:     none");
    if (in->nundated)
        printf(" (%lld without a date)", in->nundated);
    printf("\n");
    printf("  types:    ");
    for (t = 0, shown = 0; t < IM_ITYPE_COUNT; t++) {
        if (!in->types[t].count)
            continue;
        printf("%s %s %lld", shown++ ? "," : "", in->types[t].name, in->types[t].count);
    }
    printf("%s\n", shown ? "" : " none");
    printf("  actors:   ");
    for (i = 0; i < in->nactors && i < 10; i++)
        printf("%s %s %lld", i ? "," : "", in->actors[i].name, in->actors[i].count);
    if (in->nactors > 10)
        printf(", and %d more", in->nactors - 10);
    printf("%s\n", in->nactors ? "" : " none");
    for (t = 0; t < 2; t++) {
        const long long *p = t ? in->time_precision : in->geo_precision;
        if (p[2] + p[3] == 0)
            continue;
        printf("  %s: exact %lld, %s %lld, %s %lld%s\n", t ? "time_precision" : "geo_precision",
               p[1], t ? "week" : "nearby", p[2], t ? "month" : "region", p[3],
               p[0] ? " (others not given)" : "");
    }
}

int im_cli_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int quiet = 0, verbose = 0, opt, i, rc = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'q':
        case 'v':
            im_cli_verbosity(opt, &quiet, &verbose);
            break;
        case 'h':
            im_info_usage(stdout);
            return 0;
        default:
            im_info_usage(stderr);
            return IM_ERR_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "incimap info: expected a file\n");
        im_info_usage(stderr);
        return IM_ERR_USAGE;
    }
    for (i = optind; i < argc; i++) {
        im_info *info = NULL;
        im_diag d;
        double t0 = im_clock_ms();
        im_diag_init(&d, im_cli_warn, &quiet);
        if (verbose)
            d.verbose = im_cli_progress;
        if (i > optind)
            printf("\n");
        if (im_info_file(argv[i], &info, &d) == 0) {
            if (verbose)
                fprintf(stderr, "incimap: read %s in %.0f ms\n", argv[i], im_clock_ms() - t0);
            im_info_print(info);
        }
        fflush(stdout);
        if (im_cli_finish(&d) != 0 && rc == 0)
            rc = (int)d.status;
        im_info_free(info);
    }
    return rc;
}
