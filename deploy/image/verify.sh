#!/usr/bin/env bash
# Builds the container image with Jib (no Docker daemon) and proves it runs: the image's config is checked (non-root
# user, port, volume, entry point), then its layers are unpacked and the entry point is started the way a container
# runtime would (own mount and PID namespaces, chroot, the image's user, environment and working directory, host
# network), until /actuator/health/readiness says UP; then it is stopped with SIGTERM. Run by .ci/run after the
# tests; needs root (unshare, chroot) and, for the offline base image, debootstrap.
#
#   deploy/image/verify.sh            build + check (base image from deploy/image/base-image.sh)
#   ENGAGE_IMAGE_BASE=eclipse-temurin:17-jre-jammy deploy/image/verify.sh   with a registry's base image
#   ENGAGE_IMAGE_REUSE=true deploy/image/verify.sh   check the image already built, without building it again
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { echo "[image] $*"; }

image=server/target/engage-image.tar
if [ "${ENGAGE_IMAGE_REUSE:-}" = true ] && [ -s "$image" ]; then
  log "reusing $image"
else
  base=${ENGAGE_IMAGE_BASE:-tar://$(deploy/image/base-image.sh)}
  log "jib:buildTar from $base"
  start=$(date +%s)
  ./mvnw -B -ntp -q -pl server -am package -DskipTests jib:buildTar -Dengage.image.base="$base"
  log "built $image ($(du -h "$image" | cut -f1)) in $(( $(date +%s) - start )) s"
fi

work=$(mktemp -d)
pid=
cleanup() {
  # the JVM first: it is the PID namespace's init (killing it ends the namespace) and, having changed user, it does
  # not die with unshare
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
tar -xf "$image" -C "$work" manifest.json
config=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Config"])' "$work/manifest.json")
tar -xf "$image" -C "$work" "$config"

# the image's configuration: what a runtime and an orchestrator rely on
python3 - "$work/$config" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["config"]
user = c.get("User", "")
uid = user.split(":")[0]
assert uid.isdigit() and int(uid) != 0, f"the image must run as a numeric non-root uid (runAsNonRoot), not {user!r}"
assert "8080/tcp" in c.get("ExposedPorts", {}), c.get("ExposedPorts")
assert "/var/lib/engage" in c.get("Volumes", {}), c.get("Volumes")
assert "ENGAGE_DATA_DIR=/var/lib/engage" in c["Env"], c["Env"]
assert c["Entrypoint"][0] == "java" and c["Entrypoint"][-1] == "io.engage.EngageApplication", c["Entrypoint"]
print(f"[image] config: user {user}, ports {list(c['ExposedPorts'])}, volumes {list(c['Volumes'])}, "
      f"entry point {' '.join(c['Entrypoint'])}")
PY

# unpack the layers in order, as a runtime does (Jib's layers hold no whiteouts)
root=$work/rootfs
mkdir -p "$root"
for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$work/manifest.json"); do
  tar -xf "$image" -O "$layer" | tar -xz -C "$root" --numeric-owner --warning=no-unknown-keyword
done
eval "$(python3 - "$work/$config" <<'PY'
import json, shlex, sys
c = json.load(open(sys.argv[1]))["config"]
print("user=" + shlex.quote(c["User"]))
print("workdir=" + shlex.quote(c.get("WorkingDir", "/")))
print("entrypoint=(" + " ".join(shlex.quote(a) for a in c["Entrypoint"] + c.get("Cmd", [])) + ")")
print("envs=(" + " ".join(shlex.quote(e) for e in c["Env"]) + ")")
PY
)"
data_mode=$(stat -c '%a %u:%g' "$root/var/lib/engage")
log "data directory /var/lib/engage: mode $data_mode"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
secret() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
mkdir -p "$root/proc" "$root/dev" "$root/tmp"
# as deploy/kubernetes runs it: read-only root file system, a tmpfs on /tmp, a volume owned by the pod's group on
# the data directory
data=$work/data
mkdir -p "$data" && chown "$user" "$data" && chmod 775 "$data"
log "starting the image's entry point as $user on port $port, root file system read-only"
boot=$(date +%s%N)
unshare --mount --pid --fork --kill-child sh -c '
  root=$1; shift; data=$1; shift; workdir=$1; shift; user=$1; shift
  mount --bind "$root" "$root" && mount -o remount,bind,ro "$root" &&
  mount -t tmpfs tmpfs "$root/tmp" && mount --bind "$data" "$root/var/lib/engage" &&
  mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" &&
  exec chroot --userspec="$user" "$root" sh -c "cd \"\$0\" && exec \"\$@\"" "$workdir" "$@"' \
  sh "$root" "$data" "$workdir" "$user" env -i "${envs[@]}" SERVER_PORT="$port" \
  ENGAGE_MASTER_KEY="$(secret)" ENGAGE_ADMIN_PASSWORD="image-$(secret)" "${entrypoint[@]}" \
  >"$work/engage.log" 2>&1 &
pid=$!

ready=
deadline=$(( $(date +%s) + 180 ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  if curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; then
    ready=$(( ($(date +%s%N) - boot) / 1000000 )); break
  fi
  sleep 0.25
done
if [ -z "$ready" ]; then
  log "the image did not become ready; its log:"; tail -60 "$work/engage.log"; exit 1
fi
log "ready after $ready ms (JVM: $(grep -o 'Started EngageApplication in [0-9.]* seconds' "$work/engage.log" || true))"
curl -fsS "http://127.0.0.1:$port/actuator/health/liveness" | grep -q '"UP"'
curl -fsS -o /dev/null "http://127.0.0.1:$port/widget.js"
# the JVM runs as the image's user, and wrote its embedded database into the data directory as that user
owner=$(find "$data" -name 'engage.mv.db' -printf '%U:%G' | head -1)
[ "$owner" = "${user}" ] || { log "the data directory's database belongs to '$owner', not $user"; exit 1; }
log "liveness UP, /widget.js served, database written as $owner"

# what a runtime does to stop a container: SIGTERM to its first process (the JVM, after the exec chain)
kill -TERM "$(pgrep -P "$pid")"
for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$pid" 2>/dev/null; then log "did not stop within 30 s of SIGTERM"; exit 1; fi
grep -q 'Graceful shutdown\|Commencing graceful shutdown' "$work/engage.log" && log "stopped gracefully on SIGTERM"
log "image OK"
