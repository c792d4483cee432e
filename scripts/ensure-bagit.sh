#!/usr/bin/env bash
# Installs PyPI's bagit (the Library of Congress's bagit.py, the archivist's
# own validator) at the version the interop tests were written against, in
# a virtual environment under target/tools, and prints its bagit.py.
set -euo pipefail
version="1.9.0"
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/tools/bagit-$version"
if [ ! -x "$venv/bin/bagit.py" ]; then
  echo "Installing bagit $version from PyPI into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "bagit==$version" >&2
fi
echo "$venv/bin/bagit.py"
