#!/usr/bin/env bash
# Builds the container image with Jib (no Docker daemon), trains its class-data-sharing archive, and proves it runs.
#  1. jib:buildTar, then the image's layers are unpacked and its entry point is started the way a container runtime
#     would (own mount and PID namespaces, chroot, the image's user, environment and working directory, host network)
#     with -XX:ArchiveClassesAtExit: once ready it is stopped with SIGTERM and the JVM writes the archive (the classes
#     start-up loaded) as it exits. The archive fits only this image's JVM and jars, so it is trained here, on them.
#  2. jib:buildTar again with the archive at /app/engage.jsa and -XX:SharedArchiveFile in the entry point (the same
#     inputs give the same jar layers: Jib fixes file times, the root pom fixes the jars' entry times).
#  3. The final image: its config is checked (non-root user, port, volume, entry point), then it is started read-only
#     like deploy/kubernetes runs it, with -Xshare:on so that an archive the JVM cannot use fails the check, until
#     /actuator/health/readiness says UP; then it is stopped with SIGTERM.
# Run by .ci/run after the tests; needs root (unshare, chroot) and, for the offline base image, debootstrap.
#
#   deploy/image/verify.sh            build + train + check (base image from deploy/image/base-image.sh)
#   ENGAGE_IMAGE_BASE=eclipse-temurin:17-jre-jammy deploy/image/verify.sh   with a registry's base image
#   ENGAGE_IMAGE_REUSE=true deploy/image/verify.sh   check the image already built, without building it again
#
# To push the same image: after this script, ./mvnw -pl server -am package jib:build -Djib.to.image=REGISTRY/engage:TAG
# -Dengage.image.base=<the same base> -Dengage.image.cds.dir=$PWD/server/target/jib-cds
# -Dengage.image.jvm.cds=-XX:SharedArchiveFile=/app/engage.jsa
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { echo "[image] $*"; }

image=server/target/engage-image.tar
cds_dir=server/target/jib-cds
cds_flag=-XX:SharedArchiveFile=/app/engage.jsa
build() { # jib:buildTar with these extra Maven arguments
  local start
  start=$(date +%s)
  ./mvnw -B -ntp -q -pl server -am package -DskipTests jib:buildTar -Dengage.image.base="$base" "$@"
  log "built $image ($(du -h "$image" | cut -f1)) in $(( $(date +%s) - start )) s"
}
if [ "${ENGAGE_IMAGE_REUSE:-}" = true ] && [ -s "$image" ]; then
  log "reusing $image"
  train=
else
  base=${ENGAGE_IMAGE_BASE:-tar://$(deploy/image/base-image.sh)}
  rm -rf "$cds_dir"
  log "jib:buildTar from $base (to train the class-data-sharing archive)"
  build
  train=true
fi

work=$(mktemp -d)
pid=
stop_jvm() { # the JVM first: it is the PID namespace's init (killing it ends the namespace) and, having changed
  # user, it does not die with unshare
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  fi
}
trap 'stop_jvm; rm -rf "$work"' EXIT

unpack() { # the image's config and its layers in order under $work/rootfs, as a runtime does (no whiteouts in Jib's)
  rm -rf "$work/rootfs" && mkdir -p "$work/rootfs"
  tar -xf "$image" -C "$work" manifest.json
  config=$work/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Config"])' "$work/manifest.json")
  tar -xf "$image" -C "$work" "${config#"$work"/}"
  for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' \
      "$work/manifest.json"); do
    tar -xf "$image" -O "$layer" | tar -xz -C "$work/rootfs" --numeric-owner --warning=no-unknown-keyword
  done
  eval "$(python3 - "$config" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1]))["config"]
print("user=" + shlex.quote(c["User"]))
print("workdir=" + shlex.quote(c.get("WorkingDir", "/")))
print("entrypoint=(" + " ".join(shlex.quote(a) for a in c["Entrypoint"] + c.get("Cmd", [])) + ")")
print("envs=(" + " ".join(shlex.quote(e) for e in c["Env"]) + ")")
PY
)"
}

secret() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
# start NAME [JVM OPTION...]: the entry point, as deploy/kubernetes runs it (read-only root file system, a volume
# owned by the pod's group on the data directory; /tmp is $work/NAME-tmp, where a training run leaves its archive),
# with these JVM options right after `java`; waits until ready, sets $port and $ready (ms)
start() {
  local name=$1; shift
  local root=$work/rootfs data=$work/$name-data tmp=$work/$name-tmp
  mkdir -p "$root/proc" "$root/dev" "$root/tmp" "$data" "$tmp" && chown "$user" "$data" "$tmp" && chmod 775 "$data"
  chmod 1777 "$tmp"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  logfile="$work/$name.log"
  local boot
  boot=$(date +%s%N)
  unshare --mount --pid --fork --kill-child sh -c '
    root=$1; shift; data=$1; shift; tmp=$1; shift; workdir=$1; shift; user=$1; shift
    mount --bind "$root" "$root" && mount -o remount,bind,ro "$root" &&
    mount --bind "$tmp" "$root/tmp" && mount --bind "$data" "$root/var/lib/engage" &&
    mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" &&
    exec chroot --userspec="$user" "$root" sh -c "cd \"\$0\" && exec \"\$@\"" "$workdir" "$@"' \
    sh "$root" "$data" "$tmp" "$workdir" "$user" env -i "${envs[@]}" SERVER_PORT="$port" \
    ENGAGE_MASTER_KEY="$(secret)" ENGAGE_ADMIN_PASSWORD="image-$(secret)" \
    "${entrypoint[0]}" "$@" "${entrypoint[@]:1}" >"$logfile" 2>&1 &
  pid=$!
  ready=
  local deadline=$(( $(date +%s) + 180 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; then
      ready=$(( ($(date +%s%N) - boot) / 1000000 )); break
    fi
    sleep 0.25
  done
  if [ -z "$ready" ]; then
    log "the image did not become ready; its log:"; tail -60 "$logfile"; exit 1
  fi
  log "$name: ready after $ready ms (JVM: $(grep -o 'Started EngageApplication in [0-9.]* seconds' "$logfile" || true))"
}

# stop: what a runtime does to stop a container, SIGTERM to its first process (the JVM, after the exec chain)
stop() {
  kill -TERM "$(pgrep -P "$pid")"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then log "did not stop within 30 s of SIGTERM"; exit 1; fi
  grep -q 'Graceful shutdown\|Commencing graceful shutdown' "$logfile" && log "stopped gracefully on SIGTERM"
  pid=
}

if [ -n "$train" ]; then
  unpack
  # the heap of a node under the manifests' 2 GiB limit: an archive trained with another pointer size (compressed
  # pointers end above a 32 GB heap, 70 % of a big build machine's memory) would not map on the nodes
  start training -XX:ArchiveClassesAtExit=/tmp/engage.jsa -XX:MaxRAM=2g
  curl -fsS -o /dev/null "http://127.0.0.1:$port/widget.js"
  stop
  [ -s "$work/training-tmp/engage.jsa" ] || { log "the training run wrote no archive; its log:"; tail -30 "$logfile"; exit 1; }
  mkdir -p "$cds_dir" && cp "$work/training-tmp/engage.jsa" "$cds_dir/engage.jsa"
  log "class-data-sharing archive: $(du -h "$cds_dir/engage.jsa" | cut -f1); jib:buildTar with it"
  build -Dengage.image.cds.dir="$PWD/$cds_dir" -Dengage.image.jvm.cds="$cds_flag"
fi

unpack
# the image's configuration: what a runtime and an orchestrator rely on
python3 - "$config" "$cds_flag" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["config"]
user = c.get("User", "")
uid = user.split(":")[0]
assert uid.isdigit() and int(uid) != 0, f"the image must run as a numeric non-root uid (runAsNonRoot), not {user!r}"
assert "8080/tcp" in c.get("ExposedPorts", {}), c.get("ExposedPorts")
assert "/var/lib/engage" in c.get("Volumes", {}), c.get("Volumes")
assert "ENGAGE_DATA_DIR=/var/lib/engage" in c["Env"], c["Env"]
assert c["Entrypoint"][0] == "java" and c["Entrypoint"][-1] == "io.engage.EngageApplication", c["Entrypoint"]
assert sys.argv[2] in c["Entrypoint"], f"no class-data-sharing archive in the entry point: {c['Entrypoint']}"
print(f"[image] config: user {user}, ports {list(c['ExposedPorts'])}, volumes {list(c['Volumes'])}, "
      f"entry point {' '.join(c['Entrypoint'])}")
PY
log "data directory /var/lib/engage: mode $(stat -c '%a %u:%g' "$work/rootfs/var/lib/engage")"
[ -s "$work/rootfs/app/engage.jsa" ] || { log "no /app/engage.jsa in the image"; exit 1; }

# -Xshare:on: the JVM refuses to start if it cannot map the archive (another JVM build, a jar that changed);
# the heap of a node under the manifests' 2 GiB limit
start image -Xshare:on -XX:MaxRAM=2g
curl -fsS "http://127.0.0.1:$port/actuator/health/liveness" | grep -q '"UP"'
curl -fsS -o /dev/null "http://127.0.0.1:$port/widget.js"
# the JVM runs as the image's user, and wrote its embedded database into the data directory as that user
owner=$(find "$work/image-data" -name 'engage.mv.db' -printf '%U:%G' | head -1)
[ "$owner" = "${user}" ] || { log "the data directory's database belongs to '$owner', not $user"; exit 1; }
log "liveness UP, /widget.js served, database written as $owner"
stop
log "image OK"
