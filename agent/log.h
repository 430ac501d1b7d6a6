/*
 * log.h: OpenBSD-style logging.  stderr in the foreground, syslog when
 * daemonised.  log_warn appends strerror(errno); every function keeps
 * errno as it was.  Never pass secrets to these.
 */
#ifndef IB_LOG_H
#define IB_LOG_H

#include <stdarg.h>

extern int	log_verbose;	/* 0 quiet, 1 normal, 2 debug */

void	log_init(int foreground, int verbose);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug_(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Arguments are not evaluated unless debugging (Redis serverLog). */
#define log_debug(...) do {				\
	if (log_verbose >= 2)				\
		log_debug_(__VA_ARGS__);		\
} while (0)

#endif
