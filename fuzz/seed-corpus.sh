#!/usr/bin/env bash
# Rebuilds the seed corpus in fuzz/corpus/ from the repository's models, fixtures, rule packs
# and the selectors those packs use. Run from anywhere; the result is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus
mkdir -p "$out"/{parse,format_roundtrip,selector,rule_pack}
name() { printf '%s' "$1" | sha1sum | cut -c1-16; }
# Every .ea file of the repository (models, pack fixtures, test catalogue, LSP fixtures).
git ls-files '*.ea' | while read -r file; do
  id=$(name "$file")
  cp "$file" "$out/parse/$id"
  cp "$file" "$out/format_roundtrip/$id"
done
# Rule packs, metamodels, framework descriptions and configurations.
git ls-files '*.toml' | grep -v 'Cargo.toml$' | while read -r file; do
  cp "$file" "$out/rule_pack/$(name "$file")"
done
# Every selector the rule files use (select/from/to/through/… string values that hold one).
git ls-files '*.toml' | grep '/rules' | xargs grep -ohE '(select|from|to|through|where|target|source|subject|of|via) = "[^"]*"' \
  | sed -E 's/^[a-z]+ = "(.*)"$/\1/' | sort -u | while read -r selector; do
  printf '%s' "$selector" > "$out/selector/$(name "$selector")"
done
echo "corpus: $(ls "$out/parse" | wc -l) parse, $(ls "$out/format_roundtrip" | wc -l) format_roundtrip, $(ls "$out/selector" | wc -l) selector, $(ls "$out/rule_pack" | wc -l) rule_pack"
