/*
 * termijn: libFuzzer target for the workflow loader (YAML and validation),
 * and for what termijnd does with a workflow that loads: the registry and
 * GET /v1/workflows.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "termijn/calendar.h"
#include "termijn/registry.h"
#include "termijn/util.h"
#include "termijn/view.h"
#include "termijn/workflow.h"

#define FUZZ_NAME	"fuzz.yaml"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	fuzz_ready;

static void
fuzz_init(void)
{
	struct errlist	errs;

	errlist_init(&errs);
	if (calendar_init("Europe/Amsterdam", NULL, &errs) == -1) {
		fprintf(stderr, "%s\n", errs.el_count ? errs.el_msgs[0] : "?");
		abort();
	}
	errlist_clear(&errs);
	fuzz_ready = 1;
}

/* Every message names the file first, as "fuzz.yaml:line:column: ...". */
static void
check_errors(const struct errlist *errs)
{
	size_t	i;

	for (i = 0; i < errs->el_count; i++)
		if (strncmp(errs->el_msgs[i], FUZZ_NAME ":",
		    strlen(FUZZ_NAME ":")) != 0)
			abort();
}

/* What GET /v1/workflows answers for it; it must be writable as JSON. */
static void
check_json(const struct workflow *wf)
{
	json_t	*o;
	char	*text;

	if ((o = view_workflow(wf)) == NULL)
		abort();
	if ((text = json_dumps(o, JSON_COMPACT)) == NULL)
		abort();
	free(text);
	json_decref(o);
}

/*
 * The input is one workflow file.  A workflow that loads is shown as
 * JSON, added to a registry, and loaded and added again, as a reload
 * does: the same text must be accepted as the same version.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist		 errs;
	struct registry		*rg;
	struct workflow		*wf, *again;
	const struct workflow	*cur;

	if (!fuzz_ready)
		fuzz_init();
	errlist_init(&errs);
	wf = workflow_parse(FUZZ_NAME, (const char *)data, size, &errs);
	check_errors(&errs);
	if (wf == NULL) {
		/* Refused: it must say why. */
		if (errs.el_count == 0)
			abort();
		errlist_clear(&errs);
		return 0;
	}
	if (errs.el_count != 0)
		abort();
	if (wf->wf_nstates == 0 || wf->wf_name == NULL ||
	    wf->wf_start == NULL || workflow_state(wf, wf->wf_start) == NULL)
		abort();
	check_json(wf);

	rg = registry_new();
	if (registry_add(rg, wf, &errs) == -1 || errs.el_count != 0)
		abort();
	again = workflow_parse(FUZZ_NAME, (const char *)data, size, &errs);
	if (again == NULL || strcmp(again->wf_digest, wf->wf_digest) != 0)
		abort();
	if (registry_add(rg, again, &errs) == -1 || errs.el_count != 0)
		abort();
	if (registry_count(rg) != 1 ||
	    (cur = registry_current(rg, wf->wf_name)) != wf ||
	    registry_get(rg, wf->wf_name, wf->wf_version) != wf)
		abort();
	check_json(cur);
	registry_free(rg);
	errlist_clear(&errs);
	return 0;
}
