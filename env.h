/* The command's environment: the defaults (PATH, HOME from the container's /etc/passwd)
 * that the child gives it and the plan shows, from one place. */
#ifndef RTEXEC_ENV_H
#define RTEXEC_ENV_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Pure. The home directory of uid in /etc/passwd text; 0 if found, -ENOENT if not. */
int passwd_home(const char *text, uid_t uid, char *home, size_t n);
/* Pure. The value of NAME in a NULL-terminated "NAME=value" vector, or NULL. */
const char *env_get(char *const *env, const char *name);

/* HOME for uid from etc/passwd below rootfd, resolved inside that root (never escaping it
 * through symlinks); "/" when the file or the user is missing. in_root: the caller's root
 * already is rootfd, so plain open is safe where openat2 is missing. -ENOSYS when the file
 * could not be read safely (no openat2 and not in_root): HOME is unknown. */
int home_lookup(int rootfd, bool in_root, uid_t uid, char *home, size_t n);

/* What the command gets: PATH unless env was given, env, and HOME unless env has one (from
 * home_lookup(rootfd, in_root, uid)). A malloc'd NULL-terminated vector whose strings point
 * into env or into the vector's own allocation. 0, or -ENOMEM. */
struct env_request {
	char *const *env; /* process.env, NULL-terminated; NULL when absent */
	size_t nenv;
	uid_t uid;
};
int env_build(const struct env_request *r, int rootfd, bool in_root, char ***out);

#endif
