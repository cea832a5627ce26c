#!/usr/bin/env bash
# Install the Debian packages kamreport's reports and tests use, when they are missing.
#   fonts-noto-cjk     Chinese text in charts (language: zh)
#   libreoffice-calc   tests open each workbook as a user would and convert it to PDF
#   poppler-utils      PDF pages to PNG for looking at them
#   postgresql         the SQL source tests start a throwaway server (initdb, pg_ctl) as the postgres user
# Usage: scripts/system-packages.sh PACKAGE...   (without apt-get or root it says what to install)
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "kamreport: please install ${missing[*]} (no apt-get here); the tests that need them will say so." >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "kamreport: run as root or install ${missing[*]}; the tests that need them will say so." >&2
    exit 0
  fi
fi
echo "kamreport: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# matplotlib caches the font list; a stale cache hides a newly installed font.
rm -rf "${HOME:-/root}/.cache/matplotlib"
