/* termijn: messages in the reader's language, through GNU gettext. */
#ifndef TERMIJN_I18N_H
#define TERMIJN_I18N_H

#include <stdint.h>

/*
 * The source strings are English; po/nl.po holds Dutch.  _() translates a
 * message for the current reader, N_() marks one that is translated later
 * (a table of messages), P_() chooses singular or plural by a count.
 */
#define _(s)		i18n_text(s)
#define N_(s)		(s)
#define P_(s, p, n)	i18n_plural((s), (p), (n))
/* A message whose translation depends on a context: C_("deadline", "state:"). */
#define C_(c, s)	i18n_context(c "\004" s, (s))

/* The languages termijn speaks. */
enum i18n_lang {
	I18N_EN,		/* the source strings */
	I18N_NL,
};

/*
 * A program that follows its user's locale (termijnctl): LC_ALL,
 * LC_MESSAGES, LANG and LANGUAGE as gettext reads them, also where the
 * named locale's data is not installed on the machine.
 */
void		 i18n_init_locale(void);
/*
 * A program that chooses the language per reader (termijnd, its tests):
 * the catalogues are loaded, and i18n_use() says which one to answer in.
 */
void		 i18n_init_chosen(void);
/* The language the messages of this thread are in from now on. */
void		 i18n_use(enum i18n_lang);
enum i18n_lang	 i18n_current(void);
/* Whether the catalogue of a language was found (termijnd warns if not). */
int		 i18n_available(enum i18n_lang);
/*
 * The language an Accept-Language header asks for (RFC 9110 12.5.4),
 * among those termijn speaks, or dflt when it names none of them.
 */
enum i18n_lang	 i18n_negotiate(const char *header, enum i18n_lang dflt);
/* "en" or "nl"; i18n_parse() gives -1 for a language termijn lacks. */
const char	*i18n_lang_name(enum i18n_lang);
int		 i18n_parse(const char *);
/*
 * For a program that follows the locale: the language it resolved to, as
 * it would name it in an Accept-Language header ("nl" or "en").
 */
const char	*i18n_locale_lang(void);
/* Whether messages are in the source language (English) now. */
int		 i18n_is_source(void);

const char	*i18n_text(const char *)
		    __attribute__((format_arg(1)));
const char	*i18n_context(const char *, const char *)
		    __attribute__((format_arg(2)));
const char	*i18n_plural(const char *, const char *, uintmax_t)
		    __attribute__((format_arg(1), format_arg(2)));

#endif /* TERMIJN_I18N_H */
