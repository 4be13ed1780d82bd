#!/usr/bin/env bash
# Installs everything CTG needs, then runs the whole suite: lint, Django checks, migrations check,
# the tests on SQLite and on a throwaway PostgreSQL cluster started for the occasion (side by side),
# then the view tests of conventions, plan, comité and financement with the clock pinned in 2027 and in 2031
# (CTG_DATE_TESTS), so that no page depends on the machine's calendar.
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

# The view tests that must also pass at other dates than the suite's (CTG_DATE_TESTS, see tests/conftest.py).
tests_vues=(tests/conventions/test_vues.py tests/plan/test_vues.py tests/gouvernance/test_vues.py tests/financement/test_vues.py)
dates_vues=(2027-01-15 2031-06-15)

# lancer NOM [VARIABLE=valeur…] -- ARGUMENTS_PYTEST…: one pytest run in the background, with its own CTG_VAR_DIR;
# its output goes to $travail/NOM.log and its exit code to $travail/NOM.rc.
lancer() {
  local nom=$1
  shift
  local variables=()
  while [ "$1" != "--" ]; do variables+=("$1"); shift; done
  shift
  (
    rc=0
    env CTG_VAR_DIR="$travail/var-$nom" "${variables[@]}" .venv/bin/pytest "$@" >"$travail/$nom.log" 2>&1 || rc=$?
    echo "$rc" >"$travail/$nom.rc"
  ) &
}

# verdict NOM LIBELLÉ: prints the run's log under a title, then its verdict, and records a failure. Exit code 5
# (no test collected: a renamed file, a wrong marker) is a failure like any other.
echecs=()
url=""
verdict() {
  local nom=$1 libelle=$2 rc
  rc=$(cat "$travail/$nom.rc")
  echo "== $libelle"
  cat "$travail/$nom.log"
  case "$rc" in
    0) echo "-> $libelle : réussi" ;;
    5) echo "!! $libelle : aucun test collecté (code 5)"; echecs+=("$libelle : aucun test collecté") ;;
    *) echo "!! $libelle : échec (code $rc)"; echecs+=("$libelle : échec (code $rc)") ;;
  esac
}

echo "== Qualité du code (ruff) et vérifications Django"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/ctg check --fail-level WARNING
.venv/bin/ctg makemigrations --check --dry-run

# The 25 slowest tests (setup, call and teardown) are printed at the end of each whole run.
if [ -n "${CTG_SANS_POSTGRES:-}" ]; then
  echo "== Tests sur SQLite"
  lancer sqlite -- --durations=25
  wait
  verdict sqlite "Tests sur SQLite"
  echo "!! CTG_SANS_POSTGRES défini : tests sur PostgreSQL non lancés."
else
  # The two runs are independent and each uses about one core: they run side by side.
  echo "== Tests sur SQLite et sur PostgreSQL (cluster temporaire), en parallèle"
  port=$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  url=$("$racine/scripts/pg_temporaire.sh" demarrer "$travail/pg" "$port")
  lancer sqlite -- --durations=25
  lancer pg DATABASE_URL="$url" -- --durations=25
  wait
  "$racine/scripts/pg_temporaire.sh" arreter "$travail/pg" >/dev/null 2>&1 || true
  verdict sqlite "Tests sur SQLite"
  verdict pg "Tests sur PostgreSQL"
fi

echo "== Tests des pages (conventions, plan, comité, financement) sur SQLite aux dates ${dates_vues[*]}, en parallèle"
for jour in "${dates_vues[@]}"; do
  lancer "vues-$jour" CTG_DATE_TESTS="$jour" -- "${tests_vues[@]}"
done
wait
for jour in "${dates_vues[@]}"; do
  verdict "vues-$jour" "Tests des pages au $jour"
done

echo "== Bilan"
if [ ${#echecs[@]} -gt 0 ]; then
  printf '!! %s\n' "${echecs[@]}"
  for jour in "${dates_vues[@]}"; do
    grep -E '^(FAILED|ERROR) ' "$travail/vues-$jour.log" | sed "s/^/   au $jour : /" || true
  done
  exit 1
fi
echo "Tout est passé : SQLite${url:+, PostgreSQL}, pages aux dates ${dates_vues[*]}."
