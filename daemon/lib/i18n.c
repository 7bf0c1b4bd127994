/*
 * termijn: messages in the reader's language, through GNU gettext.
 *
 * termijnctl follows the locale of the person running it.  termijnd
 * answers each request in the language its Accept-Language asks for: the
 * process keeps gettext pointed at the Dutch catalogue (LANGUAGE=nl, with
 * a messages locale that is not "C", since gettext ignores LANGUAGE under
 * "C"), and i18n_text() hands back the English source string itself when
 * a reader asks for English.  No environment changes per request, so
 * that other threads reading the environment are never raced.
 */

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "termijn/i18n.h"
#include "termijn/paths.h"
#include "termijn/util.h"

#define I18N_DOMAIN	"termijn"

#ifndef TERMIJN_INSTALL_LOCALEDIR
#define TERMIJN_INSTALL_LOCALEDIR	"/usr/local/share/locale"
#endif

static int		i18n_chosen;	/* termijnd: per reader */
/* Per thread: termijnd's simulations answer in their reader's language. */
static __thread enum i18n_lang	i18n_lang = I18N_EN;

static void		 i18n_bind(void);
static const char	*i18n_env_locale(void);

/*
 * The catalogues lie beside the shipped data: share/termijn's sibling
 * share/locale, installed or in the build directory; else where the
 * install prefix says.
 */
static void
i18n_bind(void)
{
	const char	*data = paths_data(), *slash;
	char		*dir;

	slash = strrchr(data, '/');
	if (slash != NULL && strcmp(slash, "/termijn") == 0) {
		xasprintf(&dir, "%.*s/locale", (int)(slash - data), data);
		bindtextdomain(I18N_DOMAIN, dir);
		free(dir);
	} else
		bindtextdomain(I18N_DOMAIN, TERMIJN_INSTALL_LOCALEDIR);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
}

/* The locale the environment names for messages, as setlocale reads it. */
static const char *
i18n_env_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			return v;
	return NULL;
}

void
i18n_init_locale(void)
{
	const char	*want, *have, *language;

	setlocale(LC_ALL, "");
	/*
	 * A locale named but not installed (LANG=nl_NL.UTF-8 on a minimal
	 * machine) leaves messages in "C", where gettext translates nothing.
	 * The person asked for Dutch all the same: keep the characters in
	 * UTF-8 and name the language to gettext directly.
	 */
	have = setlocale(LC_MESSAGES, NULL);
	want = i18n_env_locale();
	if (have != NULL && (strcmp(have, "C") == 0 ||
	    strcmp(have, "POSIX") == 0) && want != NULL &&
	    strcmp(want, "C") != 0 && strcmp(want, "POSIX") != 0 &&
	    strncmp(want, "C.", 2) != 0 &&
	    setlocale(LC_MESSAGES, "C.UTF-8") != NULL) {
		language = getenv("LANGUAGE");
		if (language == NULL || *language == '\0')
			setenv("LANGUAGE", want, 1);
	}
	i18n_bind();
}

void
i18n_init_chosen(void)
{
	setlocale(LC_MESSAGES, "C.UTF-8");
	setenv("LANGUAGE", "nl", 1);
	/*
	 * Only termijn's own messages follow the reader.  The C library's
	 * (strerror), which logs and errors at start quote, would follow the
	 * Dutch that gettext is now pointed at: its domain is given a
	 * directory that holds no catalogue, so that they stay English.
	 */
	bindtextdomain("libc", "/nonexistent");
	i18n_bind();
	i18n_chosen = 1;
	i18n_lang = I18N_EN;
}

void
i18n_use(enum i18n_lang lang)
{
	i18n_lang = lang;
}

enum i18n_lang
i18n_current(void)
{
	return i18n_lang;
}

const char *
i18n_text(const char *s)
{
	if (*s == '\0' || (i18n_chosen && i18n_lang == I18N_EN))
		return s;
	return gettext(s);
}

/* key is context, \004, message: the form xgettext writes for C_(). */
const char *
i18n_context(const char *key, const char *s)
{
	const char	*t = i18n_text(key);

	return t == key ? s : t;
}

const char *
i18n_plural(const char *one, const char *many, uintmax_t n)
{
	if (i18n_chosen && i18n_lang == I18N_EN)
		return n == 1 ? one : many;
	return ngettext(one, many, (unsigned long)n);
}

int
i18n_available(enum i18n_lang lang)
{
	enum i18n_lang	was = i18n_lang;
	int		ok;

	if (lang == I18N_EN)
		return 1;
	i18n_lang = lang;
	ok = strcmp(_("en"), i18n_lang_name(lang)) == 0;
	i18n_lang = was;
	return ok;
}

const char *
i18n_lang_name(enum i18n_lang lang)
{
	return lang == I18N_NL ? "nl" : "en";
}

int
i18n_parse(const char *s)
{
	if (strcasecmp(s, "nl") == 0)
		return I18N_NL;
	if (strcasecmp(s, "en") == 0)
		return I18N_EN;
	return -1;
}

const char *
i18n_locale_lang(void)
{
	return _("en");
}

int
i18n_is_source(void)
{
	/* TRANSLATORS: the code of this catalogue's language (ISO 639-1). */
	return strcmp(_("en"), "en") == 0;
}

/*
 * Accept-Language: a list of language ranges ("nl-NL", "en", "*"), each
 * with an optional weight ";q=0.8".  The range of the highest weight that
 * termijn speaks wins, the earlier one on a tie; q=0 refuses a language.
 */
enum i18n_lang
i18n_negotiate(const char *header, enum i18n_lang dflt)
{
	const char	*p = header, *end, *semi;
	enum i18n_lang	 best = dflt;
	double		 bestq = 0, q;
	char		 tag[16];
	size_t		 n;
	int		 lang;

	if (header == NULL)
		return dflt;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		n = strcspn(p, ";, \t");
		if (n >= sizeof(tag) || p + n > end)
			n = 0;
		memcpy(tag, p, n);
		tag[n] = '\0';
		q = 1;
		if ((semi = memchr(p, ';', end - p)) != NULL) {
			semi++;
			while (*semi == ' ' || *semi == '\t')
				semi++;
			if ((semi[0] == 'q' || semi[0] == 'Q') &&
			    semi[1] == '=')
				q = strtod(semi + 2, NULL);
		}
		/* "nl-BE" is Dutch; a primary tag alone decides. */
		tag[strcspn(tag, "-_")] = '\0';
		if (strcmp(tag, "*") == 0)
			lang = dflt;
		else
			lang = i18n_parse(tag);
		if (lang != -1 && q > bestq) {
			best = lang;
			bestq = q;
		}
		p = end;
	}
	return best;
}
