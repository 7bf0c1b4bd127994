/* termijn: allocation wrappers, the logging API and error lists. */
#ifndef TERMIJN_UTIL_H
#define TERMIJN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))
/* "s" after a count that is not 1: "1 case", "2 cases", "0 cases". */
#define plural(n) ((n) == 1 ? "" : "s")

/* xmalloc.c: never return NULL; die on failure and on size overflow. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));

/*
 * log.c: to syslog always (once log_init ran), and to stderr as well in the
 * foreground.  Lines carry no personal data: callers log ids, never notes.
 * Syslog's lines go through a thread of its own (logq.c), so that a slow
 * syslog reader holds no caller up until it is far behind.
 */
void	 log_init(const char *ident, int foreground, int facility);
/* Wait until syslog has every line so far (at exit, on its own too). */
void	 log_flush(void);
/* Bytes of lines waiting for syslog; writers that waited for room. */
void	 log_queue_stats(size_t *, uint64_t *);
void	 log_setverbose(int);
int	 log_facility_parse(const char *);
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Lines as log_info would write them one by one, but at once. */
void	 log_info_many(const char *const *, size_t);
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/*
 * errlist.c: a growable list of error messages, each "file:line:column:
 * message", so that a loader reports every error before it refuses.
 */
struct errlist {
	char	**el_msgs;
	size_t	  el_count;
	size_t	  el_cap;
};

void	 errlist_init(struct errlist *);
void	 errlist_add(struct errlist *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 errlist_clear(struct errlist *);

#endif /* TERMIJN_UTIL_H */
