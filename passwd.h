/* Pure helpers for the command's environment. */
#ifndef RTEXEC_PASSWD_H
#define RTEXEC_PASSWD_H
#include <stddef.h>
#include <sys/types.h>

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The home directory of uid in /etc/passwd text; 0 if found, -1 if not. */
int passwd_home(const char *text, uid_t uid, char *home, size_t n);
/* The value of NAME in a NULL-terminated "NAME=value" vector, or NULL. */
const char *env_get(char *const *env, const char *name);

#endif
