/*
 * termijn: termijnctl's database, offline: read while termijnd may write
 * it, one write on it through the engine, a list from it or the API.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/clock.h"
#include "termijn/engine.h"
#include "termijn/store.h"
#include "termijn/util.h"

#include "ctl.h"

/*
 * The administration commands work offline on the database (--db) as
 * well as over the API: see ctl_admin.c.  Offline reads open it read-only
 * and never migrate it; offline writes go through the engine, one
 * transaction each (engine_write_one).
 */

/* Who writes offline: the administrator at the database itself. */
const struct actor ctl_db_admin = {
	0, "termijnctl", "admin", "", NULL, NULL
};

static int	 offline_zone(void);

/*
 * The database for reading, while termijnd may write it: read-only, never
 * migrated (a database of another schema is refused).  Returns the exit
 * status, the reason printed.
 */
int
ctl_db_read(const char *db, struct store **st)
{
	char	err[512];

	if (offline_zone() == -1)
		return CTL_EXIT_ERR;
	if (access(db, R_OK) == -1) {
		fprintf(stderr, "termijnctl: %s: %s\n", db, strerror(errno));
		return CTL_EXIT_ERR;
	}
	if ((*st = store_open_readonly(db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "termijnctl: %s\n", err);
		return CTL_EXIT_ERR;
	}
	return CTL_EXIT_OK;
}

/*
 * One write on the database, through the engine.  store_open creates a
 * missing database, so a missing one is refused first: a mistyped path
 * would otherwise yield a team or token that counts nowhere.  A refusal is
 * printed (a bad argument exits 2, anything else 1); when *printed says
 * that a token went to stdout, that it is not valid.
 */
int
ctl_db_write(const char *db, int (*apply)(struct engine *, void *,
    struct engine_error *), void *arg)
{
	struct engine_error	 ee;
	struct engine		*en;
	struct store		*st;
	char			 err[512];
	int			 ret = CTL_EXIT_OK;

	if (offline_zone() == -1)
		return CTL_EXIT_ERR;
	if (access(db, F_OK) == -1) {
		ctl_warnx(_("%s: %s (termijnd creates the database when it"
		    " first starts)"), db, strerror(errno));
		return CTL_EXIT_ERR;
	}
	if ((st = store_open(db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "termijnctl: %s: %s\n", db, err);
		return CTL_EXIT_ERR;
	}
	en = engine_new(st, NULL);
	if (engine_write_one(en, apply, arg, clock_now(), &ee) == -1) {
		ret = ee.ee_status == ENGINE_EINVAL ? CTL_EXIT_USAGE :
		    CTL_EXIT_ERR;
		fprintf(stderr, "termijnctl: %s\n", ee.ee_msg);
	}
	engine_free(en);
	store_close(st);
	return ret;
}

/*
 * A list an administrator reads: {key: [...]} from GET path, or with db
 * the same object made from the database, read-only.
 */
int
ctl_db_list(struct ctl *ctl, const char *db, const char *path,
    const char *key, enum store_status (*each)(struct store *, json_t *),
    void (*print)(FILE *, const json_t *))
{
	struct store		*st;
	enum store_status	 rc;
	json_t			*reply = NULL, *list;
	int			 ret;

	if (db == NULL) {
		if ((ret = ctl_call(ctl, "GET", path, NULL, NULL, 1,
		    &reply)) != CTL_EXIT_OK)
			return ret;
	} else {
		if ((ret = ctl_db_read(db, &st)) != CTL_EXIT_OK)
			return ret;
		list = json_array();
		rc = each(st, list);
		store_close(st);
		if (rc != STORE_OK) {
			ctl_warnx(_("%s: the database failed listing %s (%s)"),
			    db, key, store_status_name(rc));
			json_decref(list);
			return CTL_EXIT_ERR;
		}
		reply = json_pack("{s:o}", key, list);
	}
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else
		print(stdout, json_object_get(reply, key));
	json_decref(reply);
	return CTL_EXIT_OK;
}

/*
 * Times as termijnd shows them, in the zone people see, and an expiry
 * date that ends at midnight there: the database holds UTC.
 */
static int
offline_zone(void)
{
	struct errlist	errs;
	size_t		i;
	int		ret;

	errlist_init(&errs);
	if ((ret = calendar_set_zone("Europe/Amsterdam", &errs)) == -1)
		for (i = 0; i < errs.el_count; i++)
			fprintf(stderr, "termijnctl: %s\n", errs.el_msgs[i]);
	errlist_clear(&errs);
	return ret;
}
