#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests and benchmarks, in a temporary folder, on a local port. Nothing in it needs to
# survive a crash (no fsync); no JIT compilation (the queries of a test are short: compiling them costs more than it
# saves, about 7 % of the diagnostic tests' time).
#   scripts/pg_temporaire.sh demarrer DOSSIER [PORT]   -> prints the DATABASE_URL to use
#   scripts/pg_temporaire.sh arreter DOSSIER
# As root, the cluster runs as the "postgres" system user (PostgreSQL refuses to run as root).
set -euo pipefail
action=${1:?demarrer ou arreter}
dossier=${2:?dossier du cluster}
port=${3:-54329}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then bindir=$(dirname "$(readlink -f "$(command -v initdb)")"); fi
if [ -z "$bindir" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "PostgreSQL introuvable : installez le paquet postgresql." >&2; exit 1
  fi
fi

en_postgres() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  demarrer)
    mkdir -p "$dossier"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
      chown postgres "$dossier"
      chmod o+x "$(dirname "$dossier")"  # the postgres user must reach its folder (mktemp -d makes it 700)
    fi
    en_postgres "$bindir/initdb" -D "$dossier/data" -U ctg --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    en_postgres "$bindir/pg_ctl" -D "$dossier/data" -l "$dossier/postgres.log" -w \
      -o "-p $port -k $dossier -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c jit=off" start >/dev/null
    en_postgres "$bindir/createdb" -h 127.0.0.1 -p "$port" -U ctg ctg
    echo "postgres://ctg@127.0.0.1:$port/ctg"
    ;;
  arreter)
    [ -d "$dossier/data" ] && en_postgres "$bindir/pg_ctl" -D "$dossier/data" -m fast stop >/dev/null || true
    rm -rf "$dossier"
    ;;
  *) echo "action inconnue : $action (demarrer ou arreter)" >&2; exit 2 ;;
esac
