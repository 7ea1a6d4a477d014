#!/usr/bin/env bash
# Make sure ffmpeg (and its ffprobe) is here: replay videos (`homebody replay --video`, the page's
# video export) are encoded with it, and the test that renders one checks the result with ffprobe.
# On Debian/Ubuntu as root (or with password-less sudo) it is installed with apt-get; anywhere else
# this prints how to install it and exits 0: video export then says ffmpeg is missing, and the video
# test skips, saying why.
set -euo pipefail

command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 && exit 0

if [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release && command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ffmpeg with apt-get (once)..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null && exit 0
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "installing ffmpeg with sudo apt-get (once)..." >&2
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null && exit 0
  fi
  echo "ffmpeg missing; install it with: sudo apt-get install -y --no-install-recommends ffmpeg (the video test skips until then)" >&2
  exit 0
fi
case "$(uname -s)" in
  Darwin) echo "ffmpeg missing; install it with: brew install ffmpeg (the video test skips until then)" >&2 ;;
  *) echo "ffmpeg missing; install it with your package manager (Fedora: sudo dnf install ffmpeg-free; Arch: sudo pacman -S ffmpeg); the video test skips until then" >&2 ;;
esac
exit 0
