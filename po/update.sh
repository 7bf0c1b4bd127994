#!/bin/sh
# Brings the message catalogues in step with the sources: extracts every
# marked message (_(), N_(), P_()) into a template and merges it into each
# po/LANG.po, where a translator fills in what is new and clears "fuzzy".
# With --check, changes nothing and fails when a catalogue lacks, guesses
# (fuzzy) or keeps (obsolete) a message, or does not compile cleanly: the
# test suite runs it so.
# Usage: po/update.sh [--check]
set -eu
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = --check ] && check=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find daemon -name '*.c' | LC_ALL=C sort > "$tmp/files"
xgettext --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: \
	--keyword=_ --keyword=N_ --keyword=P_:1,2 --keyword=C_:1c,2 --package-name=termijn \
	--omit-header --add-location=file --sort-by-file \
	--files-from="$tmp/files" -o "$tmp/termijn.pot"
status=0
for po in po/*.po; do
	lang=$(basename "$po" .po)
	msgmerge --quiet --no-fuzzy-matching --no-wrap --sort-by-file \
		--add-location=file -o "$tmp/$lang.po" "$po" "$tmp/termijn.pot"
	if [ $check -eq 0 ]; then
		msgattrib --no-obsolete --no-wrap -o "$po" "$tmp/$lang.po"
		msgfmt --check --statistics -o /dev/null "$po"
		continue
	fi
	msgfmt --check -o /dev/null "$tmp/$lang.po" || status=1
	for what in untranslated only-fuzzy only-obsolete; do
		msgattrib --$what --no-wrap "$tmp/$lang.po" |
			grep '^msgid' | grep -v '^msgid ""$' > "$tmp/left" || true
		if [ -s "$tmp/left" ]; then
			echo "$po: $(wc -l < "$tmp/left") ${what#only-} message(s):" >&2
			sed 's/^/  /' "$tmp/left" >&2
			status=1
		fi
	done
	# The catalogue as committed is what the merge gives: in step.
	msgattrib --no-obsolete --no-wrap "$tmp/$lang.po" > "$tmp/$lang.want"
	if ! cmp -s "$tmp/$lang.want" "$po"; then
		echo "$po: not in step with the sources; run po/update.sh" >&2
		diff -u "$po" "$tmp/$lang.want" | head -40 >&2 || true
		status=1
	fi
done
exit $status
