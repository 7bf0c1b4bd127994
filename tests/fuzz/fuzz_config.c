/*
 * termijn: libFuzzer target for termijnd's configuration file
 * (daemon/termijnd/config.c).  config_load reads a file, so each input is written
 * to one temporary file, made once and reused.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "termijn/calendar.h"
#include "termijn/util.h"

#include "termijnd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	fuzz_path[4096];

static void
fuzz_cleanup(void)
{
	if (fuzz_path[0] != '\0')
		unlink(fuzz_path);
}

static void
fuzz_init(void)
{
	struct errlist	 errs;
	const char	*tmp;
	int		 fd;

	errlist_init(&errs);
	if (calendar_init("Europe/Amsterdam", NULL, &errs) == -1) {
		fprintf(stderr, "%s\n", errs.el_count ? errs.el_msgs[0] : "?");
		abort();
	}
	errlist_clear(&errs);
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(fuzz_path, sizeof(fuzz_path), "%s/termijn-fuzz-config.XXXXXX",
	    tmp);
	if ((fd = mkstemp(fuzz_path)) == -1) {
		fprintf(stderr, "mkstemp %s: %s\n", fuzz_path, strerror(errno));
		abort();
	}
	close(fd);
	atexit(fuzz_cleanup);
}

static void
fuzz_write(const uint8_t *data, size_t size)
{
	ssize_t	n;
	size_t	off = 0;
	int	fd;

	if ((fd = open(fuzz_path, O_WRONLY | O_TRUNC)) == -1) {
		fprintf(stderr, "open %s: %s\n", fuzz_path, strerror(errno));
		abort();
	}
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "write %s: %s\n", fuzz_path,
			    strerror(errno));
			abort();
		}
		off += (size_t)n;
	}
	close(fd);
}

/* What termijnd relies on once a file loads: every value within its bounds. */
static void
check_config(const struct config *cf)
{
	size_t	i;

	if (cf->cf_listen == NULL || *cf->cf_listen == '\0' ||
	    cf->cf_db == NULL || *cf->cf_db == '\0' ||
	    cf->cf_workflows == NULL || *cf->cf_workflows == '\0' ||
	    cf->cf_timezone == NULL || *cf->cf_timezone == '\0')
		abort();
	if (cf->cf_decree_file != NULL && *cf->cf_decree_file == '\0')
		abort();
	if (cf->cf_facility < 0)
		abort();
	if (cf->cf_max_body < 64 || cf->cf_max_body > 1024 * 1024 ||
	    cf->cf_max_headers < 1024 || cf->cf_max_headers > 64 * 1024 ||
	    cf->cf_idle_timeout < 1 || cf->cf_idle_timeout > 3600 ||
	    cf->cf_batch < 1 || cf->cf_batch > 10000 ||
	    !(cf->cf_recheck >= 0.001 && cf->cf_recheck <= 30))
		abort();
	if (cf->cf_nclosures != 0 && cf->cf_closures == NULL)
		abort();
	for (i = 0; i < cf->cf_nclosures; i++)
		(void)cal_weekday(&cf->cf_closures[i]);
	if (cf->cf_hook_attempts < 1 || cf->cf_hook_attempts > 100 ||
	    cf->cf_hook_in_flight < 1 || cf->cf_hook_in_flight > 256 ||
	    !(cf->cf_hook_backoff > 0 && cf->cf_hook_backoff_max > 0 &&
	    cf->cf_hook_timeout >= 0.1))
		abort();
	if (cf->cf_nwebhooks != 0 && cf->cf_webhooks == NULL)
		abort();
	/* A webhook that loads has every part, and a secret of its size. */
	for (i = 0; i < cf->cf_nwebhooks; i++)
		if (cf->cf_webhooks[i].wh_team == NULL ||
		    cf->cf_webhooks[i].wh_role == NULL ||
		    cf->cf_webhooks[i].wh_url == NULL ||
		    cf->cf_webhooks[i].wh_secret_file == NULL ||
		    cf->cf_webhooks[i].wh_secret == NULL ||
		    cf->cf_webhooks[i].wh_secret_len < 16)
			abort();
}

/*
 * The input is a configuration file, loaded over the defaults as termijnd
 * does.  A file that loads is loaded a second time over the result (the
 * values it sets are replaced, not leaked), then everything is freed.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist	errs;
	struct config	cf;
	size_t		i;
	int		rc;

	if (fuzz_path[0] == '\0')
		fuzz_init();
	fuzz_write(data, size);
	errlist_init(&errs);
	config_defaults(&cf);
	rc = config_load(&cf, fuzz_path, &errs);
	/* Refused if and only if it says why, naming the file. */
	if ((rc == -1) != (errs.el_count != 0))
		abort();
	for (i = 0; i < errs.el_count; i++)
		if (strncmp(errs.el_msgs[i], fuzz_path, strlen(fuzz_path)) != 0)
			abort();
	if (rc == 0) {
		check_config(&cf);
		if (config_load(&cf, fuzz_path, &errs) != 0 ||
		    errs.el_count != 0)
			abort();
		check_config(&cf);
	}
	config_free(&cf);
	errlist_clear(&errs);
	return 0;
}
