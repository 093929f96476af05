/* include: style files shared by many map files (include.c). */
#ifndef IM_SPEC_INCLUDE_H
#define IM_SPEC_INCLUDE_H

#include "core/arena.h"
#include "incimap/error.h"
#include "spec/yaml_tree.h"

/* Expand the `include:` key of the map file MAP_PATH whose tree is *ROOT
 * (in TA): every file it names (one, or a list whose later files win),
 * relative to the file naming it, is read, its own includes expanded, and
 * *ROOT replaced by a tree where the map's keys are laid over the styles'
 * (mappings merge key by key; a map's size: drops a style's page: and the
 * other way round).  Nodes from an included file carry its name in
 * node->file, allocated in KEEP so that locations outlive TA.  A missing
 * file, a file including itself or a cycle is an IM_ERR_SPEC at the
 * include that names it.  Returns 0 or -1. */
int im_spec_expand_includes(im_arena *ta, im_arena *keep, const char *map_path, im_ynode **root,
                            im_diag *d);

/* The files the map or style file PATH names in its top-level include:,
 * as real paths: *OUT gets a malloc'd array of *N malloc'd strings (the
 * caller frees both).  A file that cannot be read, or names none, gives
 * none, silently: this is a quick look (incimap build telling style files
 * from maps), and errors are reported when the file is rendered.
 * Returns 0, or -1 when out of memory. */
int im_spec_peek_includes(const char *path, char ***out, int *n);

#endif
