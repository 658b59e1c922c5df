#!/usr/bin/env bash
# Runs CMD with a working, unlocked Secret Service keyring that is thrown away
# afterwards, and exits with CMD's exit code.
#
# Usage: bash build/scripts/with-keyring.sh CMD [ARG...]
#        bash build/scripts/with-keyring.sh --check
#
# On Linux CMD gets a private D-Bus session (dbus-run-session) with its own
# gnome-keyring-daemon, unlocked with a random password, whose HOME, XDG_DATA_HOME and
# XDG_RUNTIME_DIR are a temporary directory. The bus starts the daemon, and starts it
# again, unlocked, if it exits while CMD runs (it says so on stderr; a lookup in the new
# daemon's first moments can find nothing, as it unlocks its file after taking its bus
# name). Tests create and delete keychain entries;
# they land in that keyring, never in the user's own, even on a desktop where a
# keyring is already running (a private bus cannot see it, and a private runtime dir
# keeps `--unlock` from talking to the running daemon's control socket).
#
# CMD runs in the current session unchanged when:
#   - an outer with-keyring.sh already set one up (COFFER_KEYRING=isolated);
#   - COFFER_KEYRING=session: you ask to use the session's own Secret Service;
#   - the OS is not Linux (macOS Keychain / Windows Credential Manager need no daemon);
#   - dbus-run-session, dbus-send or gnome-keyring-daemon is missing but the session
#     already has a Secret Service (a warning says its real keyring will be used).
# When none of these holds there is no Secret Service to be had: it says why and exits 1.
#
# --check runs nothing: it prints which case applies and why ("isolated: …", "outer: …",
# "session: …", "native: …", "fallback: …" or "none: …") and exits 0, or 1 for "none".
# npm test asks it first (secret-service-plan.sh).
set -euo pipefail

if (($# == 0)); then
  echo "usage: with-keyring.sh CMD [ARG...] | with-keyring.sh --check" >&2
  exit 2
fi

say() { printf 'with-keyring: %s\n' "$*" >&2; }

session_has_secret_service() {
  [[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]] || return 1
  if command -v dbus-send >/dev/null 2>&1; then
    dbus-send --session --print-reply --reply-timeout=2000 --dest=org.freedesktop.DBus \
      /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
      string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
  elif command -v busctl >/dev/null 2>&1; then
    busctl --user status org.freedesktop.secrets >/dev/null 2>&1
  else
    return 1
  fi
}

# Sets `plan` (outer, session, native, isolated, fallback or none) and `why`.
choose_plan() {
  case ${COFFER_KEYRING:-} in
    isolated)
      plan=outer why='an outer with-keyring.sh already set one up'
      return
      ;;
    session)
      plan=session why="COFFER_KEYRING=session: this session's own Secret Service"
      return
      ;;
    '') ;;
    *)
      say "COFFER_KEYRING must be 'session' or unset (got '${COFFER_KEYRING}')"
      exit 2
      ;;
  esac
  local system
  system=$(uname -s)
  if [[ $system != Linux ]]; then
    plan=native why="$system keeps the keys in its own keychain, no daemon needed"
    return
  fi
  local tool missing=()
  for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]} == 0)); then
    plan=isolated why='a throw-away gnome-keyring on a private D-Bus session'
  elif session_has_secret_service; then
    plan=fallback why="${missing[*]} missing; this session's own Secret Service (your real keyring)"
  else
    plan=none
    why="no Secret Service: ${missing[*]} not installed and this session has none"
    why+=" (install gnome-keyring and dbus; install-system-deps.sh does it on Debian/Ubuntu)"
  fi
}

choose_plan
if [[ $1 == --check ]]; then
  if (($# != 1)); then
    echo "usage: with-keyring.sh --check" >&2
    exit 2
  fi
  printf '%s: %s\n' "$plan" "$why"
  if [[ $plan == none ]]; then exit 1; fi
  exit 0
fi

case $plan in
  outer | session | native) exec "$@" ;;
  fallback)
    say "$why"
    say "tests will write to your real keyring"
    exec "$@"
    ;;
  none)
    say "$why"
    exit 1
    ;;
esac

keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/coffer-keyring.XXXXXX")
mkdir -m 700 "$keyring_home/data" "$keyring_home/run"
pid_file=$keyring_home/daemon.pids

# The bus starts the daemon itself (D-Bus activation), unlocked with the password it holds
# in its environment, and starts it the same way again if it ever exits mid-run: the
# system's own service file would start one whose keyring is locked, and every keychain
# call after that would fail with "prompt dismissed". A service file in the bus's
# XDG_DATA_HOME takes precedence over the system's.
mkdir -p "$keyring_home/data/dbus-1/services"
cat >"$keyring_home/keyring-daemon.sh" <<'EOF'
#!/bin/sh
# Started by the session bus for org.freedesktop.secrets (see with-keyring.sh).
printf %s "$COFFER_KEYRING_PASSWORD" |
  gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
echo "$!" >>"$COFFER_KEYRING_PID_FILE"
wait "$!"
EOF
chmod 700 "$keyring_home/keyring-daemon.sh"
cat >"$keyring_home/data/dbus-1/services/org.freedesktop.secrets.service" <<EOF
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=$keyring_home/keyring-daemon.sh
EOF

# gnome-keyring-daemon does not reliably exit when its bus goes away, so stop it here
# (and any daemon the bus started after it).
stop_daemons() {
  local pid pids=()
  [[ -r $pid_file ]] || return 0
  while read -r pid; do
    [[ $pid =~ ^[0-9]+$ ]] && kill "$pid" 2>/dev/null && pids+=("$pid")
  done <"$pid_file"
  ((${#pids[@]} > 0)) || return 0
  for _ in $(seq 50); do
    local left=()
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null && left+=("$pid")
    done
    ((${#left[@]} > 0)) || return 0
    pids=("${left[@]}")
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}
cleanup() {
  stop_daemons
  rm -rf -- "$keyring_home"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The bus daemon (and anything it might D-Bus-activate) runs with the throwaway HOME
# and XDG dirs too; CMD gets the caller's values back just before it starts.
restore=()
for name in HOME XDG_DATA_HOME XDG_RUNTIME_DIR; do
  if [[ -n ${!name+x} ]]; then
    restore+=("COFFER_RESTORE_$name=set:${!name}")
  else
    restore+=("COFFER_RESTORE_$name=unset")
  fi
done

# Random throwaway password, handed over in the environment so it never shows in argv
# or on disk; the bus daemon keeps it for the daemons it starts.
password=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')

status=0
env "${restore[@]}" \
  COFFER_KEYRING=isolated \
  COFFER_KEYRING_PASSWORD="$password" \
  COFFER_KEYRING_PID_FILE="$pid_file" \
  HOME="$keyring_home" \
  XDG_DATA_HOME="$keyring_home/data" \
  XDG_RUNTIME_DIR="$keyring_home/run" \
  dbus-run-session -- sh -c '
    unset COFFER_KEYRING_PASSWORD
    # Returns once the daemon owns its name, so no client can ask before it is unlocked.
    dbus-send --session --print-reply --reply-timeout=10000 --dest=org.freedesktop.DBus \
      /org/freedesktop/DBus org.freedesktop.DBus.StartServiceByName \
      string:org.freedesktop.secrets uint32:0 >/dev/null || {
      echo "with-keyring: gnome-keyring-daemon failed to start" >&2
      exit 1
    }

    # A dead process that nobody has reaped yet still answers kill -0.
    alive() {
      [ -r "/proc/$1/stat" ] && [ "$(cut -d " " -f 3 "/proc/$1/stat")" != Z ]
    }
    pid_file=$COFFER_KEYRING_PID_FILE
    unset COFFER_KEYRING_PID_FILE
    reported_file=$pid_file.reported
    : >"$reported_file"
    # Says when a daemon has exited while the command runs, once each: the bus starts
    # another, unlocked, on the next keychain call, but what the command held in memory
    # about it is gone.
    report_exited() {
      while read -r pid; do
        grep -qx "$pid" "$reported_file" && continue
        alive "$pid" && continue
        echo "with-keyring: the keyring daemon (pid $pid) exited while the command ran (seen at $(date -u +%T)); the next keychain call starts another" >&2
        echo "$pid" >>"$reported_file"
      done <"$pid_file"
    }
    (while sleep 1; do report_exited; done) &
    watcher=$!

    for name in HOME XDG_DATA_HOME XDG_RUNTIME_DIR; do
      eval "saved=\${COFFER_RESTORE_$name}"
      case $saved in
        set:*) export "$name=${saved#set:}" ;;
        *) unset "$name" ;;
      esac
      unset "COFFER_RESTORE_$name"
    done
    unset saved name
    status=0
    "$@" || status=$?
    kill "$watcher" 2>/dev/null
    wait "$watcher" 2>/dev/null
    # A daemon that died in the last second of the command is reported too.
    report_exited
    exit "$status"
  ' with-keyring "$@" || status=$?
exit "$status"
