#!/usr/bin/env bash
# Builds a Java 17 base image from Debian's packages alone (debootstrap), as a `docker save` tarball that Jib takes
# with -Dengage.image.base=tar://PATH. For machines that reach Debian but no container registry (this project's CI);
# with registry access the default base (eclipse-temurin) is simpler. Needs root and debootstrap.
#
#   deploy/image/base-image.sh [OUTPUT.tar]     prints the tarball's path
#
# The tarball is cached under $ENGAGE_IMAGE_CACHE (default ~/.cache/engage) by a hash of this script, so a machine
# builds it once (about 3 minutes).
set -euo pipefail

suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=openjdk-17-jre-headless,ca-certificates,curl,tzdata
cache=${ENGAGE_IMAGE_CACHE:-$HOME/.cache/engage}
key=$(sha256sum "$0" | cut -c1-12)
out=${1:-$cache/engage-base-$suite-$key.tar}
if [ -s "$out" ]; then echo "$out"; exit 0; fi

command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

echo "[base-image] debootstrap $suite with $packages" >&2
debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log" >&2; exit 1; }

# the image's own user: uid 10001 in group 0 (root group: data directories are group-writable, so the arbitrary
# uids of OpenShift-style platforms work too); no login shell, home in the data directory
echo 'engage:x:10001:0:Engage:/var/lib/engage:/usr/sbin/nologin' >>"$root/etc/passwd"
# nothing a runtime needs: package caches and lists, docs, man pages, locales but C
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
  "$root"/usr/share/info/* "$root"/var/log/* "$root"/tmp/* "$root"/dev/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'C*' -exec rm -rf {} + 2>/dev/null || true
java_home=$(dirname "$(dirname "$(chroot "$root" readlink -f /usr/bin/java)")")

# one layer, reproducible: fixed order, owners and times
tar --sort=name --numeric-owner --mtime='2026-01-01 00:00:00Z' -C "$root" -cf "$work/layer.tar" .
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"2026-01-01T00:00:00Z","created_by":"deploy/image/base-image.sh: debootstrap $suite $packages"}]}
JSON
config=$(sha256sum "$work/config.json" | cut -d' ' -f1).json
mv "$work/config.json" "$work/$config"
printf '[{"Config":"%s","RepoTags":["engage-base:%s"],"Layers":["layer.tar"]}]\n' "$config" "$suite" >"$work/manifest.json"
tar -C "$work" -cf "$out.partial" manifest.json "$config" layer.tar
mv "$out.partial" "$out"
echo "[base-image] $(du -h "$out" | cut -f1) in $out" >&2
echo "$out"
