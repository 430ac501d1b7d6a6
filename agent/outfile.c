/*
 * outfile.c: output files written atomically (outfile.h): a temporary
 * file beside the target, fsync, rename; devices and pipes in place.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"

#define TMP_SUFFIX	".tmp.XXXXXX"
#define TMP_TRIES	100

/*
 * mkstemp(3) with mode 0644 less the umask instead of 0600: output is
 * for people to share, and a restrictive umask is the user's to set.
 * (fchmod after mkstemp would have to read the umask, which only
 * umask(2) can, changing it for every thread for a moment.)
 */
static int
tmp_create(char *tmp)
{
	static const char	 chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789";
	char			*x = tmp + strlen(tmp) - 6;
	int			 fd, i, try;

	for (try = 0; try < TMP_TRIES; try++) {
		for (i = 0; i < 6; i++)
			x[i] = chars[arc4random_uniform(sizeof(chars) - 1)];
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd != -1 || errno != EEXIST)
			return (fd);
	}
	return (-1);
}

FILE *
outfile_open(struct outfile *f, const char *path, char *err, size_t errlen)
{
	struct stat	 sb;
	size_t		 n;
	int		 fd;

	memset(f, 0, sizeof(*f));
	f->path = path;
	if (path == NULL)
		return (f->fp = stdout);
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if ((f->fp = fopen(path, "w")) == NULL)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (f->fp);
	}
	n = strlen(path) + sizeof(TMP_SUFFIX);
	if ((f->tmp = malloc(n)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	snprintf(f->tmp, n, "%s" TMP_SUFFIX, path);
	if ((fd = tmp_create(f->tmp)) == -1) {
		snprintf(err, errlen, "%s: %s", f->tmp, strerror(errno));
		goto fail;
	}
	if ((f->fp = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", f->tmp, strerror(errno));
		close(fd);
		(void)unlink(f->tmp);
		goto fail;
	}
	return (f->fp);
fail:
	free(f->tmp);
	f->tmp = NULL;
	return (NULL);
}

int
outfile_close(struct outfile *f, int ok, char *err, size_t errlen)
{
	const char	*name = f->path != NULL ? f->path : "stdout";
	int		 rc = 0;

	if (f->fp == NULL) {
		snprintf(err, errlen, "%s: not open", name);
		return (-1);
	}
	if (ok && (fflush(f->fp) == EOF || ferror(f->fp) ||
	    (f->tmp != NULL && fsync(fileno(f->fp)) == -1))) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		rc = -1;
	}
	if (f->fp != stdout && fclose(f->fp) == EOF && ok && rc == 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		rc = -1;
	}
	f->fp = NULL;
	if (f->tmp != NULL) {
		if (ok && rc == 0 && rename(f->tmp, f->path) == -1) {
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			rc = -1;
		}
		if (!ok || rc == -1)
			(void)unlink(f->tmp);
		free(f->tmp);
		f->tmp = NULL;
	}
	return (rc);
}
