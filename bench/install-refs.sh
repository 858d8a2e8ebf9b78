#!/usr/bin/env bash
# Installs the reference implementations the benchmarks compare against, from Debian's packages
# (`npm run bench:refs`; needs root or sudo). The benchmarks themselves never install anything.
# Packages missing from this Debian release are skipped with a message.
set -euo pipefail

# libopenblas0-pthread: without it Debian's torch and numpy use the slow reference BLAS, an unfair reference.
WANTED=(python3-mido python3-numpy python3-torch libopenblas0-pthread fluidsynth)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-refs: run as root (or install sudo) to install: ${WANTED[*]}" >&2
    exit 1
  fi
fi

$SUDO apt-get update

AVAILABLE=()
for package in "${WANTED[@]}"; do
  candidate="$(apt-cache policy "$package" 2>/dev/null | awk '/Candidate:/ { print $2 }')"
  if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then
    echo "install-refs: $package is not available in this Debian release: skipped."
  else
    AVAILABLE+=("$package")
  fi
done

if [ "${#AVAILABLE[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${AVAILABLE[@]}"
fi
echo "install-refs: installed ${AVAILABLE[*]:-nothing}."
