"""Work per page: SQL queries and processor time of Django for each page of the load test, for each demonstration
role, less sensitive than the load test to a busy machine (it counts the processor time of this process only, not
the wall time).

Run from the repository root on a database already migrated and filled like the load test's (territories,
demonstration), with the production settings (``DEBUG=false``):

    DATABASE_URL=postgres://… DEBUG=false SECRET_KEY=… CTG_HTTP_SIMPLE=true CTG_DEMO=true \\
        .venv/bin/python benchmarks/bench_pages.py [--fois 3]

Each page is opened once by each role to warm the caches, then ``--fois`` times by each role; printed per page: the
number of queries (least–most over the roles) and the median processor time, then the mean weighted as the load
test draws the pages (``pages_charge.pages``). To compare two versions of the code on the same data, run it with
``PYTHONPATH`` pointing at each version's ``src``, one after the other."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctg.settings")

from pages_charge import pages  # noqa: E402

ROLES = ["demo", "chef.projet", "referent.commune", "membre.copil", "lecture"]
EPCI = "200068500"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fois", type=int, default=3, help="affichages de chaque page par rôle (défaut 3)")
    options = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ctg.conventions.models import Convention
    from ctg.demo.comptes import MOT_DE_PASSE_DEMO

    convention = Convention.objects.filter(epci_id=EPCI).order_by("date_debut")[0].pk
    liste = pages(convention, EPCI)
    clients = []
    for identifiant in ROLES:
        client = Client()
        if not client.login(username=identifiant, password=MOT_DE_PASSE_DEMO):
            raise SystemExit(f"connexion de {identifiant} refusée : la démonstration est-elle chargée ?")
        clients.append(client)
    for client in clients:
        for chemin, _nom, _poids in liste:
            client.get(chemin)
    print(f"{'page':<28} {'requêtes':>9} {'processeur':>11}")
    pondere = poids_total = 0.0
    for chemin, nom, poids in liste:
        temps, requetes = [], []
        for _ in range(options.fois):
            for client in clients:
                with CaptureQueriesContext(connection) as capture:
                    debut = time.process_time()
                    reponse = client.get(chemin)
                    temps.append(time.process_time() - debut)
                if reponse.status_code != 200:
                    raise SystemExit(f"{chemin} : code {reponse.status_code}")
                requetes.append(len(capture))
        mediane = statistics.median(temps) * 1000
        print(f"{nom:<28} {f'{min(requetes)}–{max(requetes)}':>9} {mediane:>8.0f} ms")
        pondere += poids * mediane
        poids_total += poids
    print(f"{'moyenne pondérée (essai)':<28} {'':>9} {pondere / poids_total:>8.0f} ms")
    print(f"charge de la machine (1/5/15 min) : {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
