/*
 * outfile.h: an output file written atomically, for the commands that
 * take --output FILE (coverage, report).  A regular FILE (or one that
 * does not exist yet) is written to a temporary file beside it, flushed
 * to disk and renamed over it once complete, so a reader never sees half
 * of it and a failure leaves FILE as it was.  A FILE that exists and is
 * no regular file (/dev/null, /dev/stdout, a FIFO) is written in place:
 * renaming over it would replace it with a file.
 */
#ifndef IB_OUTFILE_H
#define IB_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct outfile {
	FILE		*fp;
	char		*tmp;		/* temporary file; NULL: in place */
	const char	*path;		/* borrowed; NULL: stdout */
};

/*
 * Open path for writing; NULL is stdout.  The temporary file is
 * "FILE.tmp.XXXXXX", created with mode 0644 less the umask.  Returns the
 * stream to write (owned by f until outfile_close()), or NULL with err
 * set to "NAME: reason" (NAME the path or the temporary file) and
 * nothing left behind.  Uses no global state.
 */
FILE	*outfile_open(struct outfile *f, const char *path, char *err,
	    size_t errlen);

/*
 * Finish f.  ok 1: flush, fsync and rename the temporary file over the
 * path; 0 (the caller has failed and said why): close and remove the
 * temporary file without a word.  stdout is flushed, never closed.
 * Returns 0, or -1 with err set to "NAME: reason" and the temporary file
 * removed.  f is closed in every case.
 */
int	 outfile_close(struct outfile *f, int ok, char *err, size_t errlen);

#endif /* IB_OUTFILE_H */
