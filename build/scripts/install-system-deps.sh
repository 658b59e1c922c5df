#!/usr/bin/env bash
# Installs the Debian packages Coffer's tests need that npm cannot provide, and only
# those that are missing. Safe to run repeatedly: when everything is present it
# touches nothing and needs no network, root or sudo.
#
# Usage: bash build/scripts/install-system-deps.sh
set -euo pipefail

# One row per package:  <debian package> <probe> <essential|keychain|optional> <why>
#   probe  cmd:NAME  -> present when NAME is on PATH
#          path:GLOB -> present when a file matches GLOB (for binaries kept off PATH)
#          dpkg      -> present when dpkg reports the package installed
# "essential" means npm test cannot pass without it. "keychain" packages serve only the
# suites tagged secret-service: without them npm test skips those suites and says so,
# except under CI, where a missing one is an error like an essential one. "optional"
# only degrades something (for example building a native module when no prebuilt
# binary fits).
# Debian keeps PostgreSQL's server binaries off PATH, in /usr/lib/postgresql/<major>/bin;
# the tests start their own cluster with initdb and postgres from there. nginx sits in
# /usr/sbin, which is not on a normal user's PATH; its test runs it from there as any user.
PACKAGES=(
  "gnome-keyring    cmd:gnome-keyring-daemon keychain  Secret Service keyring the vault keys live in"
  "dbus             cmd:dbus-run-session     keychain  private session bus for the test keyring"
  "libsecret-tools  cmd:secret-tool          keychain  tests read the real keyring with secret-tool"
  "openssl          cmd:openssl              essential certificate and TLS checks"
  "python3          cmd:python3              optional  node-gyp, when a native module must be compiled"
  "make             cmd:make                 optional  node-gyp, when a native module must be compiled"
  "g++              cmd:g++                  optional  node-gyp, when a native module must be compiled"
  "chromium         cmd:chromium             essential the browser the UI specs and the UI bench drive"
  "poppler-utils    cmd:pdftotext            essential tests read the text of the PDFs Coffer makes"
  "fonts-dejavu-core dpkg                    essential a font Chromium renders the UI specs with"
  "postgresql       path:/usr/lib/postgresql/*/bin/initdb essential the server's PostgreSQL storage tests start a cluster"
  "postgresql-client cmd:pg_dump            essential the server's backup and restore on PostgreSQL run pg_dump and psql"
  "nginx            path:/usr/sbin/nginx     essential the shipped nginx config runs in front of two server instances"
)

say() { printf 'install-system-deps: %s\n' "$*" >&2; }

is_present() {
  local package=$1 probe=$2
  case $probe in
    cmd:*) command -v "${probe#cmd:}" >/dev/null 2>&1 ;;
    path:*) compgen -G "${probe#path:}" >/dev/null 2>&1 ;;
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

# Under CI nothing may be skipped, so the keychain packages are required there too.
is_required() {
  case $1 in
    essential) return 0 ;;
    keychain)
      case ${CI:-} in
        '' | false | 0) return 1 ;;
        *) return 0 ;;
      esac
      ;;
    *) return 1 ;;
  esac
}

# Sets missing (every absent package), missing_required and missing_keychain (the rest).
survey() {
  local row package probe level why
  missing=() missing_required=() missing_keychain=()
  for row in "${PACKAGES[@]}"; do
    read -r package probe level why <<<"$row"
    is_present "$package" "$probe" && continue
    missing+=("$package")
    if is_required "$level"; then
      missing_required+=("$package")
    elif [[ $level == keychain ]]; then
      missing_keychain+=("$package")
    fi
    [[ ${1:-} == quiet ]] || say "missing $package ($why)"
  done
}

# What is still missing decides: a required package fails the run; keychain packages
# only mean that npm test skips the suites that need them.
finish() {
  if ((${#missing_required[@]} > 0)); then
    say "cannot continue without: ${missing_required[*]}"
    exit 1
  fi
  if ((${#missing_keychain[@]} > 0)); then
    say "without ${missing_keychain[*]} npm test skips the suites that need a Secret Service"
  fi
  exit 0
}

survey
if ((${#missing[@]} == 0)); then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "this system has no apt-get; install these with your package manager:"
  say "  ${missing[*]}"
  say "(Debian names; on Fedora: gnome-keyring dbus-daemon libsecret openssl postgresql-server;"
  say " on Arch: gnome-keyring dbus libsecret openssl postgresql; macOS and Windows use their own keychain.)"
  finish
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    say "not root and no sudo; run as root: apt-get install -y ${missing[*]}"
    finish
  fi
fi

export DEBIAN_FRONTEND=noninteractive
say "installing: ${missing[*]}"
# One update per run: package lists on fresh images are empty, so installing without
# it fails; once is enough for every package in the list. A failure (no network, say)
# is judged by what is still missing afterwards.
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null ||
  ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null; then
  say "apt-get could not install them"
fi

survey quiet
if ((${#missing[@]} > 0)); then
  say "still missing after apt-get install: ${missing[*]}"
  finish
fi
say "done"
