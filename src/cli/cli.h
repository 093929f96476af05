/* Shared bits of the command-line subcommands. */
#ifndef IM_CLI_H
#define IM_CLI_H

#include "incimap/incimap.h"

/* Print warnings to stderr (the library never prints). */
void im_cli_warn(void *user, const char *message);
/* Print a --verbose progress line to stderr. */
void im_cli_progress(void *user, const char *message);
/* Option OPT ('q' or 'v') of -q/--quiet and -v/--verbose: the last one
 * given wins. */
void im_cli_verbosity(int opt, int *quiet, int *verbose);
/* Print the error of D (if any) and return its exit code. */
int im_cli_finish(const im_diag *d);

/* Remove temporary output on SIGINT/SIGTERM/SIGHUP; ignore SIGXFSZ. */
void im_cli_signals_install(void);

int im_cli_render(int argc, char **argv);
int im_cli_check(int argc, char **argv);
int im_cli_info(int argc, char **argv);
/* build and atlas (build.c) */
int im_cli_build(int argc, char **argv);

#endif
