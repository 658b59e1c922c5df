#!/usr/bin/env bash
# Installs the Debian packages Coffer's tests need that npm cannot provide, and only
# those that are missing. Safe to run repeatedly: when everything is present it
# touches nothing and needs no network, root or sudo.
#
# Usage: bash build/scripts/install-system-deps.sh
set -euo pipefail

# One row per package:  <debian package> <probe> <essential|optional> <why>
#   probe  cmd:NAME  -> present when NAME is on PATH
#          dpkg      -> present when dpkg reports the package installed
# "essential" means npm test cannot pass without it; "optional" only degrades
# something (for example building a native module when no prebuilt binary fits).
# Later issues add rows here (chromium for the UI tests, postgresql for the server).
PACKAGES=(
  "gnome-keyring    cmd:gnome-keyring-daemon essential Secret Service keyring the vault keys live in"
  "dbus             cmd:dbus-run-session     essential private session bus for the test keyring"
  "libsecret-tools  cmd:secret-tool          essential tests read the real keyring with secret-tool"
  "openssl          cmd:openssl              essential certificate and TLS checks"
  "python3          cmd:python3              optional  node-gyp, when a native module must be compiled"
  "make             cmd:make                 optional  node-gyp, when a native module must be compiled"
  "g++              cmd:g++                  optional  node-gyp, when a native module must be compiled"
)

say() { printf 'install-system-deps: %s\n' "$*" >&2; }

is_present() {
  local package=$1 probe=$2
  case $probe in
    cmd:*) command -v "${probe#cmd:}" >/dev/null 2>&1 ;;
    dpkg)
      command -v dpkg-query >/dev/null 2>&1 &&
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'
      ;;
    *)
      say "unknown probe '$probe' for $package"
      return 1
      ;;
  esac
}

missing=()
missing_essential=()
for row in "${PACKAGES[@]}"; do
  read -r package probe level why <<<"$row"
  if ! is_present "$package" "$probe"; then
    missing+=("$package")
    [[ $level == essential ]] && missing_essential+=("$package")
    say "missing $package ($why)"
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "this system has no apt-get; install these with your package manager:"
  say "  ${missing[*]}"
  say "(Debian names; on Fedora: gnome-keyring dbus-daemon libsecret openssl;"
  say " on Arch: gnome-keyring dbus libsecret openssl; macOS and Windows use their own keychain.)"
  if ((${#missing_essential[@]} > 0)); then
    say "cannot continue without: ${missing_essential[*]}"
    exit 1
  fi
  exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    say "not root and no sudo; run as root: apt-get install -y ${missing[*]}"
    ((${#missing_essential[@]} > 0)) && exit 1
    exit 0
  fi
fi

export DEBIAN_FRONTEND=noninteractive
say "installing: ${missing[*]}"
# One update per run: package lists on fresh images are empty, so installing without
# it fails; once is enough for every package in the list.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null

still_missing=()
for row in "${PACKAGES[@]}"; do
  read -r package probe level _ <<<"$row"
  if [[ $level == essential ]] && ! is_present "$package" "$probe"; then
    still_missing+=("$package")
  fi
done
if ((${#still_missing[@]} > 0)); then
  say "still missing after apt-get install: ${still_missing[*]}"
  exit 1
fi
say "done"
