#!/usr/bin/env bash
# Installs everything CTG needs, then runs the whole suite: lint, Django checks, migrations check,
# and the tests on SQLite, then on a throwaway PostgreSQL cluster started for the occasion.
#   CTG_SANS_POSTGRES=1  skip the PostgreSQL run (a machine without PostgreSQL and without root)
set -euo pipefail
cd "$(dirname "$0")/.."
racine=$(pwd)

echo "== Installation (environnement virtuel .venv)"
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CTG_CHROMIUM:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== Installation de Chromium (paquet Debian) pour les tests de bout en bout"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "!! Chromium absent et pas de droits root : les tests de navigateur seront ignorés."
  fi
fi

travail=$(mktemp -d)
chmod 755 "$travail"
nettoyer() {
  "$racine/scripts/pg_temporaire.sh" arreter "$travail/pg" >/dev/null 2>&1 || true
  rm -rf "$travail"
}
trap nettoyer EXIT
export CTG_VAR_DIR="$travail/var"   # the tests never touch the local database
export CTG_EXIGER_NAVIGATEUR="${CTG_EXIGER_NAVIGATEUR:-${CI:+1}}"
# The 25 slowest tests (setup, call and teardown) are printed at the end of each run.
pytest_suite=(.venv/bin/pytest --durations=25)

echo "== Qualité du code (ruff) et vérifications Django"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/ctg check --fail-level WARNING
.venv/bin/ctg makemigrations --check --dry-run

if [ -n "${CTG_SANS_POSTGRES:-}" ]; then
  echo "== Tests sur SQLite"
  "${pytest_suite[@]}"
  echo "!! CTG_SANS_POSTGRES défini : tests sur PostgreSQL non lancés."
  exit 0
fi

# The two runs are independent and each uses about one core: they run side by side.
echo "== Tests sur SQLite et sur PostgreSQL (cluster temporaire), en parallèle"
port=$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
url=$("$racine/scripts/pg_temporaire.sh" demarrer "$travail/pg" "$port")
("${pytest_suite[@]}" >"$travail/sqlite.log" 2>&1; echo $? >"$travail/sqlite.rc") &
(CTG_VAR_DIR="$travail/var-pg" DATABASE_URL="$url" "${pytest_suite[@]}" >"$travail/pg.log" 2>&1; echo $? >"$travail/pg.rc") &
wait
echo "== Tests sur SQLite"
cat "$travail/sqlite.log"
echo "== Tests sur PostgreSQL"
cat "$travail/pg.log"
[ "$(cat "$travail/sqlite.rc")" = 0 ] && [ "$(cat "$travail/pg.rc")" = 0 ]
