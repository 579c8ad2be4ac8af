#!/usr/bin/env bash
# After `git merge BRANCH` stops on conflicts in translations/: keep both sides' translations.
# Usage: scripts/merge_translations.sh BRANCH   (run once the code conflicts are resolved)
set -euo pipefail
cd "$(dirname "$0")/.."
branch="$1"
tmp=$(mktemp -d)
for locale in nl en; do
  git show "$branch:translations/$locale/LC_MESSAGES/messages.po" > "$tmp/$locale.po"
  git checkout --ours "translations/$locale/LC_MESSAGES/messages.po"
done
git checkout --ours translations/messages.pot
.venv/bin/python scripts/translations.py > /dev/null 2>&1 || true  # gaps are filled next
for locale in nl en; do
  # Prints every message the two branches translated differently (the branch's text wins): check them.
  .venv/bin/python scripts/translations.py --add "$locale" "$tmp/$locale.po" 2>&1 | grep -v "^\(extracting\|writing\|updating\)" >&2 || true
done
.venv/bin/python scripts/translations.py > /dev/null 2>&1 || true
.venv/bin/python scripts/translations.py --check
git add translations
rm -rf "$tmp"
