/* Linked into the ASan/UBSan build of rtexec only (make check-asan). LeakSanitizer's exit
 * check stops the process with ptrace, which a non-dumpable process (rtexec always is)
 * refuses: it would spin for ever. ASAN_OPTIONS does not reach every rtexec the tests start
 * (an engine calls it with its own environment), so the default is set here. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
