#!/usr/bin/env bash
# Builds the example site and has headless Chromium load four pages from file:// and over a local HTTP
# server, saving screenshots to look at. Usage: scripts/site_screenshots.sh [OUT_DIR] (default /tmp/baton-shots)
# Needs `chromium` (apt-get install chromium) and a release build (make build).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/baton-shots}"
site="$(mktemp -d)/site"
mkdir -p "$out"
.build/release/baton build --output "$site"
port=8765
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
pages="index.html roles/northmoor-relationship-manager.html people/gareth-lowe.html handovers/gareth-lowe-to-nadia-farouk.html"
for page in $pages; do
  name="$(basename "$page" .html)"
  for source in "file://$site/$page" "http://127.0.0.1:$port/$page"; do
    kind="${source%%:*}"
    timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1400 \
      --screenshot="$out/$name-$kind.png" "$source" >/dev/null 2>&1
    test -s "$out/$name-$kind.png" || { echo "no screenshot of $source" >&2; exit 1; }
  done
  echo "$out/$name-file.png, $out/$name-http.png"
done
