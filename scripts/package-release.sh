#!/usr/bin/env bash
# Packages one built kientruc binary for a release: an archive holding the binary, LICENSE and
# README.md in a folder of the archive's name, and the archive's SHA-256 line beside it.
#
#   scripts/package-release.sh BINARY TARGET VERSION OUT_DIR
#
# writes OUT_DIR/kientruc-VERSION-TARGET.tar.gz (.zip for a Windows TARGET) and
# OUT_DIR/kientruc-VERSION-TARGET.tar.gz.sha256 ("HASH  NAME", as sha256sum prints it, so
# that `sha256sum -c` checks it in OUT_DIR), then prints the archive's path.
# The release workflow (.github/workflows/release.yml) runs it for every target and joins the
# .sha256 files into SHA256SUMS; tests/cli/release.rs runs it on the test's own binary.
set -euo pipefail

if [ "$#" -ne 4 ]; then
  echo "usage: $0 BINARY TARGET VERSION OUT_DIR" >&2
  exit 2
fi
binary=$1
target=$2
version=${3#v}
out_dir=$4
root=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -f "$binary" ]; then
  echo "$0: no binary at $binary" >&2
  exit 2
fi
case "$target" in
  *[!A-Za-z0-9_.-]* | "") echo "$0: not a target triple: $target" >&2; exit 2 ;;
esac
case "$version" in
  *[!A-Za-z0-9_.+-]* | "") echo "$0: not a version: $version" >&2; exit 2 ;;
esac

name="kientruc-$version-$target"
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

mkdir "$staging/$name"
case "$target" in
  *windows*) executable=kientruc.exe ;;
  *) executable=kientruc ;;
esac
cp "$binary" "$staging/$name/$executable"
chmod 755 "$staging/$name/$executable"
cp "$root/LICENSE" "$root/README.md" "$staging/$name/"

case "$target" in
  *windows*)
    archive="$name.zip"
    rm -f "$out_dir/$archive"
    if command -v zip > /dev/null; then
      (cd "$staging" && zip -qr "$out_dir/$archive" "$name")
    elif command -v 7z > /dev/null; then
      (cd "$staging" && 7z a -tzip -bso0 "$out_dir/$archive" "$name")
    else
      echo "$0: neither zip nor 7z is installed" >&2
      exit 1
    fi
    ;;
  *)
    archive="$name.tar.gz"
    # GNU tar (Linux) records no local user and a fixed order; bsdtar (macOS) its own way.
    if tar --version 2> /dev/null | grep -q 'GNU tar'; then
      (cd "$staging" && tar --owner=0 --group=0 --numeric-owner --sort=name -cf - "$name") |
        gzip -n > "$out_dir/$archive"
    else
      (cd "$staging" && tar --uid 0 --gid 0 -cf - "$name") | gzip -n > "$out_dir/$archive"
    fi
    ;;
esac

if command -v sha256sum > /dev/null; then
  (cd "$out_dir" && sha256sum "$archive") > "$out_dir/$archive.sha256"
elif command -v shasum > /dev/null; then
  (cd "$out_dir" && shasum -a 256 "$archive") > "$out_dir/$archive.sha256"
else
  echo "$0: neither sha256sum nor shasum is installed" >&2
  exit 1
fi
echo "$out_dir/$archive"
