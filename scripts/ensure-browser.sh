#!/usr/bin/env bash
# Find a Chromium-family browser for homebody to drive, or install one.
# Order: $HOMEBODY_BROWSER; a chromium/chrome on PATH or in /Applications; on Debian/Ubuntu as root,
# apt-get install chromium; otherwise Playwright's own download (needs internet).
set -euo pipefail
venv_python="${1:-.venv/bin/python}"

if [ -n "${HOMEBODY_BROWSER:-}" ]; then
  [ -x "$HOMEBODY_BROWSER" ] && exit 0
  echo "HOMEBODY_BROWSER=$HOMEBODY_BROWSER is not an executable file" >&2; exit 1
fi
for name in chromium chromium-browser google-chrome google-chrome-stable chrome microsoft-edge; do
  command -v "$name" >/dev/null 2>&1 && exit 0
done
for app in "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" "/Applications/Chromium.app/Contents/MacOS/Chromium"; do
  [ -x "$app" ] && exit 0
done
if [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release && command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Chromium with apt-get (once)..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "installing Chromium with sudo apt-get (once)..." >&2
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
  fi
fi
echo "no system browser found: downloading Playwright's Chromium (once)..." >&2
exec "$venv_python" -m playwright install chromium
