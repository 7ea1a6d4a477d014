#!/usr/bin/env bash
# Make sure the desktop computer's X11 tools are here: Xvfb (a virtual screen for tests and headless
# machines) and xdotool (the desktop tests move the pointer "from outside" with it).
# On Debian/Ubuntu as root (or with password-less sudo) they are installed with apt-get; anywhere
# else this prints how to install them and exits 0: the desktop tests then skip, saying why.
set -euo pipefail

missing=()
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
command -v xdotool >/dev/null 2>&1 || missing+=(xdotool)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release && command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]} with apt-get (once)..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "installing ${missing[*]} with sudo apt-get (once)..." >&2
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  fi
  echo "desktop tools missing: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
case "$(uname -s)" in
  Darwin) echo "the desktop computer needs X11 (XQuartz) with Xvfb and xdotool: brew install xdotool (desktop tests skip)" >&2 ;;
  *) echo "desktop tools missing: ${missing[*]}; install them with your package manager (Fedora: sudo dnf install xorg-x11-server-Xvfb xdotool; Arch: sudo pacman -S xorg-server-xvfb xdotool); desktop tests skip until then" >&2 ;;
esac
exit 0
