#!/usr/bin/env bash
# Checks what crates.io would receive: packages every published crate of the workspace
# (`cargo package --workspace --no-verify`), checks each .crate's size against crates.io's
# 10 MB limit, then unpacks them and type-checks the binary crate `kientruc` against the
# unpacked libraries only (`cargo check`: its build.rs embeds the framework packs and fails
# without them, so a file the package leaves out fails here), and checks that its --version
# names the commit. This stands in for cargo package's own verification build, which compiles
# every crate again (3 min 45 s to 6 min here, on two shared cores; and, in the workspace's
# target folder, it overwrites the workspace's build-script outputs); this check takes 1 to 2
# minutes in a target folder of its own (target/package-check). .ci/run runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$PWD/target/package-check
# Unpacked outside the repository: inside it, cargo would take them for members of this workspace.
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
rm -rf "$work/package"
revision=$(git rev-parse --short=12 HEAD)
cargo package --workspace --locked --no-verify --allow-dirty --quiet --target-dir "$work"

limit=$((10 * 1024 * 1024))
patches=()
for crate in "$work"/package/*.crate; do
  size=$(wc -c < "$crate")
  echo "$(basename "$crate"): $size bytes"
  if [ "$size" -gt "$limit" ]; then
    echo "$crate is larger than crates.io's limit ($limit bytes)" >&2
    exit 1
  fi
  tar -xzf "$crate" -C "$unpacked"
  folder=$(basename "$crate" .crate)
  name=${folder%-*}
  if [ "$name" != kientruc ]; then
    patches+=(--config "patch.crates-io.$name.path=\"$unpacked/$folder\"")
  fi
done

binary=$(ls -d "$unpacked"/kientruc-[0-9]*)
# cargo records the build script's inputs relative to the package, so a fresh unpack (another
# temporary folder) could pass as unchanged: forget the binary crate's last build here.
rm -rf "$work"/target/debug/build/kientruc-???????????????? "$work"/target/debug/.fingerprint/kientruc-????????????????
(cd "$binary" && cargo check --quiet --offline --target-dir "$work/target" "${patches[@]}")
echo "the packaged kientruc builds from the packaged crates"

# Outside a git work tree, build.rs reads the revision from the .cargo_vcs_info.json that cargo
# package wrote: the packaged kientruc's --version names this commit too.
if ! grep -qx "cargo:rustc-env=KIENTRUC_VERSION=.* ($revision)" "$work"/target/debug/build/kientruc-????????????????/output; then
  echo "the packaged kientruc's build script did not find revision $revision" >&2
  exit 1
fi
echo "the packaged kientruc's --version names $revision"
