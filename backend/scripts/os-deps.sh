#!/usr/bin/env bash
# Check (and, as root, install) the Debian packages Sonae needs outside the venv.
#
# usage: backend/scripts/os-deps.sh runtime|test
#
#   runtime  PostgreSQL 15 server, PostGIS 3, pgRouting, npm (Leaflet fetch),
#            IPAex Mincho (the Japanese font embedded in damage certificates)
#   test     runtime + Chromium (browser tests)
#
# Everything present   -> silent, exit 0, no apt calls.
# Missing, root        -> apt-get update + install of the missing packages only.
# Missing, not root    -> prints the sudo apt-get command to run, exit 1.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PG_EXT=/usr/share/postgresql/15/extension

say() { printf 'os-deps: %s\n' "$*" >&2; }

usage() {
    say "usage: $0 runtime|test"
    exit 2
}

[[ $# -eq 1 ]] || usage
profile=$1
case "$profile" in
    runtime|test) ;;
    *) usage ;;
esac

missing=()
need() { # need <package> ; appended once
    local p
    for p in "${missing[@]}"; do
        [[ $p == "$1" ]] && return 0
    done
    missing+=("$1")
}

# PostgreSQL 15 server binaries (+ the `postgresql` metapackage / postgresql-common,
# which creates the unprivileged `postgres` OS user that localdb.sh uses as root).
if [[ ! -x $PG_BIN/initdb || ! -x $PG_BIN/pg_ctl ]]; then
    need postgresql-15
    need postgresql
fi
[[ -f $PG_EXT/postgis.control ]] || need postgresql-15-postgis-3
[[ -f $PG_EXT/pgrouting.control ]] || need postgresql-15-pgrouting
command -v npm >/dev/null 2>&1 || need npm
[[ -f /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf ]] || need fonts-ipaexfont-mincho

if [[ $profile == test ]]; then
    [[ -x /usr/bin/chromium ]] || need chromium
fi

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

say "missing packages for '$profile': ${missing[*]}"

if [[ $(id -u) -ne 0 ]]; then
    say "not root; install them with:"
    printf 'sudo apt-get install %s\n' "${missing[*]}" >&2
    exit 1
fi

say "installing: ${missing[*]}"
if ! apt-get update -qq; then
    say "apt-get update failed"
    exit 1
fi
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    say "apt-get install failed for: ${missing[*]}"
    exit 1
fi
say "installed: ${missing[*]}"
