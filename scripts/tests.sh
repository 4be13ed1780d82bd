#!/usr/bin/env bash
# Installs everything CTG needs, then runs the whole suite: the tests on SQLite and on a throwaway PostgreSQL
# cluster started for the occasion (side by side; each browser journey on one of the two), the view tests of
# conventions, plan, comité and financement also with the clock pinned in 2031 on one and in 2027 on the other
# (CTG_DATES_VUES), so that no page depends on the machine's calendar;
# while they run: lint, Django checks, migrations check, the floors of the applications (import-linter), templates
# (djlint), security checks (Django's deployment checks in a production environment, bandit, pip-audit of the
# installed packages).
# Every part gives its verdict at the end.
#   CTG_SANS_POSTGRES=1  skip the PostgreSQL run (a machine without PostgreSQL and without root)
set -euo pipefail
cd "$(dirname "$0")/.."
racine=$(pwd)

echo "== Installation (environnement virtuel .venv)"
# Every run starts Python a few dozen times (pytest sessions, ctg commands, the servers of the production tests):
# modules are compiled once and kept, even where the environment asks Python not to — those of the product here,
# those of the libraries when first imported (pip would compile all of theirs, used or not: half a minute).
unset PYTHONDONTWRITEBYTECODE
python3 -m venv .venv
# uv (from PyPI, by pip) installs the same pinned packages as pip in a few seconds instead of half a minute; where it
# cannot be had or fails, pip installs them.
if ! { .venv/bin/python -m pip install -q --disable-pip-version-check "uv==0.13.9" \
  && .venv/bin/uv pip install -q --python .venv/bin/python -e ".[dev]"; }; then
  echo "   uv indisponible : installation par pip"
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-compile -e ".[dev]"
fi
.venv/bin/python -m compileall -q src >/dev/null
echo "   installation : ${SECONDS} s"

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
# The migrated test database with the territories, kept by the first SQLite session for the next ones
# (tests/conftest.py); a CTG_CACHE_TESTS already set (a developer's own cache) is kept.
export CTG_CACHE_TESTS="${CTG_CACHE_TESTS:-$travail/cache-tests}"
export CTG_EXIGER_NAVIGATEUR="${CTG_EXIGER_NAVIGATEUR:-${CI:+1}}"
# The screenshots of the browser journeys (1,280 and 390 px of every page they visit), kept after the run.
export CTG_ARTEFACTS="${CTG_ARTEFACTS:-$racine/var/artefacts-e2e}"
rm -rf "$racine/var/artefacts-e2e"

# The dates the view tests must also pass at (CTG_DATES_VUES, see tests/conftest.py): the first on PostgreSQL, the
# second on SQLite; both on SQLite when PostgreSQL is left out.
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
    debut=$SECONDS
    env CTG_VAR_DIR="$travail/var-$nom" "${variables[@]}" .venv/bin/pytest "$@" >"$travail/$nom.log" 2>&1 || rc=$?
    echo "$((SECONDS - debut))" >"$travail/$nom.duree"
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
    0) echo "-> $libelle : réussi en $(cat "$travail/$nom.duree") s" ;;
    5) echo "!! $libelle : aucun test collecté (code 5)"; echecs+=("$libelle : aucun test collecté") ;;
    *) echo "!! $libelle : échec (code $rc)"; echecs+=("$libelle : échec (code $rc)") ;;
  esac
}


# audit_dependances: pip-audit of the installed packages (the project itself, installed editable, is not on PyPI),
# while the tests run. $travail/audit.rc: 0 no known vulnerability among the packages audited (those it could not
# audit are named), 1 a known vulnerability (CI fails), 2 audit not done: the vulnerability database did not answer,
# said as such, never reported as clean, and CI goes on.
audit_dependances() {
  local rc=0
  timeout 300 .venv/bin/pip-audit --skip-editable --progress-spinner off --timeout 20 --format json \
    --output "$travail/audit.json" >"$travail/audit.out" 2>&1 || true  # the JSON says what was audited
  .venv/bin/python - "$travail/audit.json" "$travail/audit.out" >"$travail/audit.log" 2>&1 <<'PY' || rc=$?
import json
import sys
from pathlib import Path

try:
    paquets = json.loads(Path(sys.argv[1]).read_text())["dependencies"]
except (OSError, ValueError, KeyError):
    lignes = Path(sys.argv[2]).read_text(errors="replace").strip().splitlines() or ["(aucune sortie)"]
    print(f"!! Audit des dépendances NON FAIT : pip-audit n'a pas pu interroger la base de vulnérabilités ({lignes[-1][:300]}).")
    sys.exit(2)
audites = [p for p in paquets if "skip_reason" not in p]
non_verifies = sorted(p["name"] for p in paquets if "skip_reason" in p)
failles = [(p, v) for p in audites for v in p.get("vulns", [])]
for p, v in failles:
    print(f"!! {p['name']} {p['version']} : {v['id']} (corrigée dans : {', '.join(v.get('fix_versions') or []) or 'aucune version'})")
if not audites:
    print(f"!! Audit des dépendances NON FAIT : la base de vulnérabilités n'a répondu pour aucun des {len(non_verifies)} paquets"
          " (réseau fermé ?). Ce n'est pas un résultat « sans vulnérabilité connue ».")
    sys.exit(2)
if non_verifies:
    print(f"!! {len(non_verifies)} paquet(s) non vérifié(s) : {', '.join(non_verifies)}")
if failles:
    print(f"!! {len(failles)} vulnérabilité(s) connue(s) dans les paquets installés : mettez-les à jour (pyproject.toml).")
    sys.exit(1)
print(f"Aucune vulnérabilité connue parmi les {len(audites)} paquets vérifiés.")
PY
  echo "$rc" >"$travail/audit.rc"
}
audit_dependances &

# The tests start first; the checks of the code run beside them (below): the whole suite on SQLite beside the whole
# suite on PostgreSQL. The 25 slowest tests, then the time of each folder of tests (setup, test, teardown:
# tests/conftest.py), are printed at the end of each run.
if [ -n "${CTG_SANS_POSTGRES:-}" ]; then
  echo "== Tests sur SQLite (pages aussi aux dates ${dates_vues[*]})"
  lancer sqlite CTG_DATES_VUES="$(IFS=,; echo "${dates_vues[*]}")" -- --durations=25
else
  echo "== Tests sur SQLite (pages aussi au ${dates_vues[1]}) à côté des tests sur PostgreSQL (pages aussi au ${dates_vues[0]})"
  port=$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  url=$("$racine/scripts/pg_temporaire.sh" demarrer "$travail/pg" "$port")
  # The deferred foreign keys are checked at the end of every test by the PostgreSQL run (tests/conftest.py).
  export CTG_CLES_VERIFIEES_SUR_POSTGRES=1
  # Each browser journey runs once, on one of the two databases (tests/e2e/conftest.py).
  export CTG_PARCOURS_REPARTIS=1
  # In a new clone the first pytest session compiles the libraries it imports and rewrites the assertions of every
  # test module (about ten seconds): the PostgreSQL session starts once the SQLite one has collected its tests
  # (CTG_SIGNAL_COLLECTE, tests/conftest.py) and finds them done, the checks of the code using the other core
  # meanwhile; it waits two minutes at most, and not for a session that has already ended.
  lancer sqlite CTG_SIGNAL_COLLECTE="$travail/collecte-sqlite" CTG_DATES_VUES="${dates_vues[1]}" -- --durations=25
  (
    for _ in $(seq 1200); do
      [ -e "$travail/collecte-sqlite" ] || [ -e "$travail/sqlite.rc" ] && break
      sleep 0.1
    done
    lancer pg DATABASE_URL="$url" CTG_DATES_VUES="${dates_vues[0]}" -- --durations=25
    wait
  ) &
fi

# controle LIBELLÉ COMMANDE…: one check of the code, run while the tests run; a failure is recorded for the verdict.
controle() {
  local libelle=$1
  shift
  "$@" || { echo "!! $libelle : échec"; echecs+=("$libelle : échec"); }
}

echo "== Qualité du code (ruff) et vérifications Django (pendant les tests)"
controle "ruff check" .venv/bin/ruff check .
controle "ruff format" .venv/bin/ruff format --check .
controle "ctg check" .venv/bin/ctg check --fail-level WARNING
controle "migrations à jour" .venv/bin/ctg makemigrations --check --dry-run
controle "étages des applications (import-linter)" .venv/bin/lint-imports --no-cache
controle "gabarits (djlint)" .venv/bin/djlint src/ctg --lint

echo "== Sécurité : vérifications de déploiement de Django (environnement de production), bandit"
# The production environment of the README (« Mettre en production »): DEBUG off, a random key, the site's name.
controle "check --deploy" env -u CTG_HTTP_SIMPLE -u SECURE_HSTS_SECONDS DEBUG=false ALLOWED_HOSTS=ctg.example.org \
  SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  .venv/bin/ctg check --deploy --fail-level WARNING
# bandit: medium and high findings; each one accepted carries « # nosec Bxxx » and, on the line above, its reason.
# Its warnings about those comments go to a file, shown only if it fails.
if ! .venv/bin/bandit -q -r src -ll 2>"$travail/bandit.err"; then
  cat "$travail/bandit.err"
  echecs+=("bandit : échec")
fi
echo "   installation, qualité et vérifications : ${SECONDS} s"

wait  # the tests, and the audit of the dependencies
if [ -n "$url" ]; then
  "$racine/scripts/pg_temporaire.sh" arreter "$travail/pg" >/dev/null 2>&1 || true
fi

verdict sqlite "Tests sur SQLite"
if [ -n "$url" ]; then
  verdict pg "Tests sur PostgreSQL (cluster temporaire)"
else
  echo "!! CTG_SANS_POSTGRES défini : tests sur PostgreSQL non lancés."
fi

echo "== Audit des dépendances (pip-audit)"
cat "$travail/audit.log"
case "$(cat "$travail/audit.rc")" in
  0) ;;
  2) echo "-> Audit des dépendances : non fait (voir ci-dessus), sans effet sur le verdict." ;;
  *) echecs+=("Audit des dépendances : vulnérabilité connue ou erreur de l'audit") ;;
esac

echo "== Bilan"
if [ ${#echecs[@]} -gt 0 ]; then
  printf '!! %s\n' "${echecs[@]}"
  # The failed tests of each run, named by their run (sqlite, pg).
  for nom in sqlite ${url:+pg}; do
    grep -E '^(FAILED|ERROR) ' "$travail/$nom.log" | sed "s/^/   [$nom] /" || true
  done
  exit 1
fi
echo "Tout est passé : SQLite${url:+, PostgreSQL}, pages aux dates ${dates_vues[*]} ; durée totale : ${SECONDS} s."
