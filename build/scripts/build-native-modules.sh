#!/usr/bin/env bash
# Runs the install scripts `npm ci --ignore-scripts` skipped: the native bindings that build
# from source at once (each is one long compile on one core), then every other package's.
# Which packages have install scripts is read from package-lock.json, so a new one is not
# silently left unbuilt.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Slow from-source builds, run side by side; each writes its own log, printed when it fails.
heavy=(better-sqlite3 better-sqlite3-multiple-ciphers @journeyapps/sqlcipher)

mapfile -t scripted < <(node -e '
  const lock = require("./package-lock.json");
  for (const [key, entry] of Object.entries(lock.packages)) {
    const at = key.lastIndexOf("node_modules/");
    if (entry.hasInstallScript && at >= 0) console.log(key.slice(at + "node_modules/".length));
  }
')

logs=$(mktemp -d "${TMPDIR:-/tmp}/coffer-native.XXXXXX")
trap 'rm -rf -- "$logs"' EXIT

started=$SECONDS
pids=()
names=()
for name in "${heavy[@]}"; do
  [[ -d node_modules/$name ]] || continue
  npm rebuild --no-audit --no-fund "$name" >"$logs/${#names[@]}.log" 2>&1 &
  pids+=($!)
  names+=("$name")
done

rest=()
for name in "${scripted[@]}"; do
  case " ${heavy[*]} " in *" $name "*) continue ;; esac
  [[ -d node_modules/$name ]] && rest+=("$name")
done
failed=0
if ((${#rest[@]} > 0)); then
  npm rebuild --no-audit --no-fund "${rest[@]}" || failed=1
fi

for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    printf 'build-native-modules: %s failed to build:\n' "${names[$i]}" >&2
    cat "$logs/$i.log" >&2
    failed=1
  fi
done
printf 'native modules built in %ss (%s side by side)\n' $((SECONDS - started)) "${names[*]}"
exit "$failed"
