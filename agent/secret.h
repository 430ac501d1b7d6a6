/*
 * secret.h: reading credentials without leaking them.  A secret file
 * must not be readable or writable by group or others (smtpd's
 * check_file_secrecy); its first line is the secret.
 */
#ifndef IB_SECRET_H
#define IB_SECRET_H

#include <stddef.h>

/* Read the first line of path into buf.  0, or -1 with err (never the secret). */
int	 secret_read_file(const char *path, char *buf, size_t buflen,
	    char *err, size_t errlen);
/* Copy the environment variable name into buf; 1 if set, 0 if not, -1 too long. */
int	 secret_from_env(const char *name, char *buf, size_t buflen);

#endif
