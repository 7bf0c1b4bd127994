/* termijn: termijnctl's connection, made once, and one request over it. */

#include <stdio.h>

#include <jansson.h>

#include "termijn/util.h"

#include "ctl.h"

static int	api(struct ctl *, int, struct ctl_api **);

/*
 * The connection, made once; a missing token is said before anything is
 * sent.  termijnd answers in the language of this terminal's locale, but
 * where its answer is printed as it is (--json, --csv, case export) it is
 * asked for none: a script then gets the same bytes whoever runs it, in
 * the language termijnd is configured to speak.
 */
static int
api(struct ctl *ctl, int need_token, struct ctl_api **out)
{
	const char	*lang;
	char		 err[256];

	if (ctl->c_api == NULL) {
		if (need_token && ctl->c_token == NULL) {
			ctl_warnx("%s", _("no token: pass --token or set"
			    " TERMIJN_TOKEN (an administrator makes one with"
			    " termijnctl token create)"));
			return CTL_EXIT_USAGE;
		}
		lang = ctl->c_json || ctl->c_csv ? NULL : i18n_locale_lang();
		if ((ctl->c_api = ctl_api_new(ctl->c_url, need_token ?
		    ctl->c_token : NULL, ctl->c_purpose, lang,
		    ctl->c_timeout * 1000, err, sizeof(err))) == NULL) {
			fprintf(stderr, "termijnctl: %s\n", err);
			return CTL_EXIT_USAGE;
		}
	}
	*out = ctl->c_api;
	return CTL_EXIT_OK;
}

/*
 * One request whose success is a JSON object, returned in *reply for the
 * caller to print and release.  Any other answer is explained on stderr:
 * the problem's title and detail, or what kept the answer from arriving.
 */
int
ctl_call(struct ctl *ctl, const char *method, const char *path,
    const json_t *body, const char *idem_key, int need_token, json_t **reply)
{
	struct ctl_api		*ca;
	struct ctl_reply	 cr;
	const char		*p;
	int			 ret;

	*reply = NULL;
	if (idem_key != NULL) {
		for (p = idem_key; *p != '\0'; p++)
			if ((unsigned char)*p < ' ' || *p == 0x7f)
				break;
		if (*idem_key == '\0' || *p != '\0' || p - idem_key > 128) {
			ctl_warnx("%s", _("--idempotency-key: 1 to 128"
			    " printable characters"));
			return CTL_EXIT_USAGE;
		}
	}
	if ((ret = api(ctl, need_token, &ca)) != CTL_EXIT_OK)
		return ret;
	if (ctl_api_request(ca, method, path, body, idem_key, &cr) == -1)
		return CTL_EXIT_ERR;
	if (cr.cr_status < 200 || cr.cr_status > 299) {
		ctl_problem_print(stderr, cr.cr_status, cr.cr_reason,
		    cr.cr_json);
		ctl_reply_clear(&cr);
		return CTL_EXIT_ERR;
	}
	if (!json_is_object(cr.cr_json)) {
		ctl_warnx(_("%s: %ld answer without a JSON object"),
		    ctl_api_url(ca), cr.cr_status);
		ctl_reply_clear(&cr);
		return CTL_EXIT_ERR;
	}
	*reply = cr.cr_json;
	return CTL_EXIT_OK;
}

/*
 * GET path as CSV into cr (ctl_api_csv); a refusal is explained on stderr
 * as ctl_call explains it.
 */
int
ctl_call_csv(struct ctl *ctl, const char *path, struct ctl_reply *cr)
{
	struct ctl_api	*ca;
	int		 ret;

	if ((ret = api(ctl, 1, &ca)) != CTL_EXIT_OK)
		return ret;
	if (ctl_api_csv(ca, path, cr) == -1)
		return CTL_EXIT_ERR;
	if (cr->cr_status < 200 || cr->cr_status > 299 ||
	    cr->cr_text == NULL) {
		if (cr->cr_status >= 200 && cr->cr_status <= 299)
			ctl_warnx(_("%s: %ld answer without CSV"),
			    ctl_api_url(ca), cr->cr_status);
		else
			ctl_problem_print(stderr, cr->cr_status,
			    cr->cr_reason, cr->cr_json);
		ctl_reply_clear(cr);
		return CTL_EXIT_ERR;
	}
	return CTL_EXIT_OK;
}
