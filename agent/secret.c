/*
 * secret.c: credentials from files and the environment.  Secrets are
 * copied into caller buffers that the caller wipes with explicit_bzero;
 * nothing here logs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"

int
secret_read_file(const char *path, char *buf, size_t buflen, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		 tmp[1024];
	ssize_t		 n;
	size_t		 len;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return (-1);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s: secret file is accessible by group or "
		    "others (mode %03o); chmod 600 it", path,
		    (unsigned int)(st.st_mode & 0777));
		close(fd);
		return (-1);
	}
	n = read(fd, tmp, sizeof(tmp) - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	tmp[n] = '\0';
	len = strcspn(tmp, "\r\n");
	tmp[len] = '\0';
	if (len == 0 || len >= buflen) {
		snprintf(err, errlen, "%s: %s", path, len == 0 ?
		    "secret is empty" : "secret is too long");
		explicit_bzero(tmp, sizeof(tmp));
		return (-1);
	}
	memcpy(buf, tmp, len + 1);
	explicit_bzero(tmp, sizeof(tmp));
	return (0);
}

int
secret_from_env(const char *name, char *buf, size_t buflen)
{
	const char	*v = getenv(name);

	if (v == NULL || *v == '\0')
		return (0);
	if (strlen(v) >= buflen)
		return (-1);
	memcpy(buf, v, strlen(v) + 1);
	return (1);
}
