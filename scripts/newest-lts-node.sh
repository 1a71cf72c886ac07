#!/usr/bin/env bash
# Installs the newest Node.js LTS from the npm registry's `node` package into
# .ci/node-lts and prints the directory holding its `node` binary.
# "LTS" is read from the binary itself (process.release.lts), newest major first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.ci/node-lts"
mkdir -p "$dest"
majors=$(npm view node versions --json 2>/dev/null | node -e '
  const v = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const majors = [...new Set(v.map((s) => Number(s.split(".")[0])))].filter((m) => m % 2 === 0 && m > 20);
  console.log(majors.sort((a, b) => b - a).join(" "));')
for major in $majors; do
  rm -rf "$dest/node_modules" "$dest/package.json" "$dest/package-lock.json"
  (cd "$dest" && echo '{"name":"node-lts","private":true}' > package.json && npm install --silent --no-save "node@$major" >/dev/null 2>&1) || continue
  bin="$dest/node_modules/node/bin/node"
  [ -x "$bin" ] || bin="$dest/node_modules/.bin/node"
  if [ -x "$bin" ] && [ "$("$bin" -p 'Boolean(process.release.lts)' 2>/dev/null)" = "true" ]; then
    dirname "$(readlink -f "$bin")"
    exit 0
  fi
done
echo "no LTS Node.js found in the npm registry's node package" >&2
exit 1
