/* Shared bits of the command-line subcommands. */
#ifndef IM_CLI_H
#define IM_CLI_H

#include "incimap/incimap.h"

/* Print warnings to stderr (the library never prints). */
void im_cli_warn(void *user, const char *message);
/* Print the error of D (if any) and return its exit code. */
int im_cli_finish(const im_diag *d);

int im_cli_render(int argc, char **argv);
int im_cli_check(int argc, char **argv);
int im_cli_info(int argc, char **argv);
/* build and atlas (build.c) */
int im_cli_build(int argc, char **argv);

#endif
