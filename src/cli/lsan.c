/* LeakSanitizer suppressions for the sanitizer build: fontconfig, Pango
 * and GLib keep process-lifetime caches that they never free.  Leaks in
 * incimap's own code are still reported.  Linked into the CLI and the
 * unit tests. */
#ifdef INCIMAP_SANITIZE
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

/* keep stderr to what incimap says: no list of used suppressions */
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n"
           "leak:libpango-1.0.so\n"
           "leak:libpangoft2-1.0.so\n"
           "leak:libpangocairo-1.0.so\n"
           "leak:libglib-2.0.so\n"
           "leak:libgobject-2.0.so\n"
           "leak:libharfbuzz.so\n"
           "leak:libcairo.so\n";
}
#else
typedef int im_lsan_unused; /* ISO C forbids an empty file */
#endif
