/* termijn: termijnctl's commands about termijnd itself: health, workflows, notifications. */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

/* GET /v1/workflows */
int
ctl_server_workflows(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	char	**pos;
	json_t	 *reply = NULL;
	int	  ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 0, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_call(ctl, "GET", "/v1/workflows", NULL, NULL, 1,
	    &reply)) != CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		ctl_print_workflows(stdout, json_object_get(reply, "workflows"));
		/* On stderr, so that the table stays a table. */
		ctl_print_refused(stderr, json_object_get(reply, "files"));
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/*
 * GET /v1/notifications: the outbox of webhooks, newest first (admin),
 * one page or --all.
 */
int
ctl_server_notifications(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	static const char *const filters[] = { "status", NULL };

	return ctl_list_command(ctl, cmd, argc, argv, &(const struct ctl_pager){
	    .pg_path = "/v1/notifications", .pg_key = "notifications",
	    .pg_what = N_("notifications"),
	    .pg_filters = filters, .pg_table = ctl_print_notifications_new,
	    .pg_add = ctl_print_notifications_add });
}

/* POST /v1/notifications/ID/retry: a dead notification goes out again. */
int
ctl_server_retry(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	struct ctl_table	*t;
	char			**pos, path[80];
	json_t			 *reply = NULL;
	int64_t			  id = 0;
	int			  ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 1, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_parse_id(cmd, pos[0], &id)) != CTL_EXIT_OK)
		return ret;
	snprintf(path, sizeof(path), "/v1/notifications/%" PRId64 "/retry",
	    id);
	if ((ret = ctl_call(ctl, "POST", path, NULL, NULL, 1, &reply)) !=
	    CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		t = ctl_print_notifications_new();
		ctl_print_notifications_add(t, reply);
		ctl_table_print(t, stdout);
		ctl_table_free(t);
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}

/* GET /healthz, the one request without a token. */
int
ctl_server_health(struct ctl *ctl, const struct ctl_cmd *cmd, int argc,
    char **argv)
{
	char		**pos;
	const char	 *status;
	json_t		 *reply = NULL;
	int		  ret;

	if (ctl_args(cmd, argc, argv, NULL, 0, 0, &pos, &ret) == -1)
		return ret;
	if ((ret = ctl_call(ctl, "GET", "/healthz", NULL, NULL, 0, &reply)) !=
	    CTL_EXIT_OK)
		return ret;
	if (ctl->c_json)
		ctl_print_json(stdout, reply);
	else {
		status = json_string_value(json_object_get(reply, "status"));
		printf("%s\n", status != NULL ? status : "ok");
	}
	json_decref(reply);
	return CTL_EXIT_OK;
}
