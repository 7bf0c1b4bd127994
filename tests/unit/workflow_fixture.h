/*
 * termijn: what the workflow tests share: where the test files are, a
 * minimal workflow, and reading, writing and parsing files.  Each helper
 * is static; a test file uses some of them.
 */
#ifndef TERMIJN_WORKFLOW_FIXTURE_H
#define TERMIJN_WORKFLOW_FIXTURE_H

/* Tests run in tests/, as CTest runs them. */
#define GOOD_DIR	"workflows/good"
#define BAD_DIR		"workflows/bad"
#define SHIPPED_DIR	"../workflows"

#define FX_UNUSED	__attribute__((unused))

static char	**list_dir(const char *, const char *, size_t *) FX_UNUSED;
static void	  free_list(char **, size_t) FX_UNUSED;
static char	 *read_text(const char *, size_t *) FX_UNUSED;
static char	**split_lines(char *, size_t *) FX_UNUSED;
static void	  write_file(const char *, const char *, size_t) FX_UNUSED;
static char	 *make_tmpdir(void) FX_UNUSED;
static void	  remove_tmpdir(char *) FX_UNUSED;
static struct workflow *parse_text(const char *, const char *) FX_UNUSED;

static const char minimal[] FX_UNUSED =
    "workflow: x\n"
    "version: 1\n"
    "start: open\n"
    "states:\n"
    "  open:\n"
    "    events:\n"
    "      close: closed\n"
    "  closed:\n"
    "    final: true\n";

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir ending in suffix, sorted. */
static char **
list_dir(const char *dir, const char *suffix, size_t *np)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**names = NULL;
	size_t		  n = 0, len, slen = strlen(suffix);

	if ((d = opendir(dir)) == NULL)
		fail_msg("%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= slen ||
		    strcmp(de->d_name + len - slen, suffix) != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	*np = n;
	return names;
}

static void
free_list(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static char *
read_text(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = xmalloc(len + 1);
	if (len > 0 && fread(buf, 1, len, f) != (size_t)len)
		fail_msg("%s: short read", path);
	buf[len] = '\0';
	fclose(f);
	*lenp = len;
	return buf;
}

/* Splits text in place at newlines; the array points into it. */
static char **
split_lines(char *text, size_t *np)
{
	char	**lines = NULL, *nl;
	size_t	  n = 0;

	while (*text != '\0') {
		if ((nl = strchr(text, '\n')) != NULL)
			*nl = '\0';
		lines = xreallocarray(lines, n + 1, sizeof(*lines));
		lines[n++] = text;
		if (nl == NULL)
			break;
		text = nl + 1;
	}
	*np = n;
	return lines;
}

static void
write_file(const char *path, const char *buf, size_t len)
{
	FILE	*f;

	if ((f = fopen(path, "wb")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		fail_msg("%s: write failed", path);
}

static char *
make_tmpdir(void)
{
	const char	*tmp;
	char		*dir;

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	xasprintf(&dir, "%s/test_workflow.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp: %s", strerror(errno));
	return dir;
}

static void
remove_tmpdir(char *dir)
{
	char	**files, path[512];
	size_t	  n, i;

	files = list_dir(dir, "", &n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	free_list(files, n);
	rmdir(dir);
	free(dir);
}

static struct workflow *
parse_text(const char *name, const char *text)
{
	struct errlist	 errs;
	struct workflow	*wf;
	size_t		 i;

	errlist_init(&errs);
	wf = workflow_parse(name, text, strlen(text), &errs);
	for (i = 0; i < errs.el_count; i++)
		print_error("%s\n", errs.el_msgs[i]);
	errlist_clear(&errs);
	return wf;
}

#endif /* TERMIJN_WORKFLOW_FIXTURE_H */
