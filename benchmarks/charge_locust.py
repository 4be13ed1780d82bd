"""Locust scenario of the load test (run by ``benchmarks/bench_charge.py``, not on its own).

Each simulated user logs in with one of the demonstration accounts (one role each: Caf adviser, project lead, commune
referent, comité member, read-only) and browses the main pages of the reference convention as that role would, with a
think time of 1 to 3 seconds between two pages by default (``CTG_CHARGE_PAUSE``, e.g. ``5-15``). The convention's
number and the EPCI's SIREN come from the environment (``CTG_CHARGE_CONVENTION``, ``CTG_CHARGE_EPCI``), the password
from ``CTG_CHARGE_MOT_DE_PASSE``.
A page answering anything else than 200 counts as a failure.

The measure starts once every user has logged in (the figures are reset then) and lasts ``CTG_CHARGE_DUREE`` seconds:
the logins, each a deliberate half second of password hashing, are not mixed with the browsing they precede.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from urllib.parse import urlencode

import gevent
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser
from pages_charge import pages  # next to this file: locust puts its folder on the path

CONVENTION = os.environ.get("CTG_CHARGE_CONVENTION", "1")
EPCI = os.environ.get("CTG_CHARGE_EPCI", "200068500")
MOT_DE_PASSE = os.environ.get("CTG_CHARGE_MOT_DE_PASSE", "")
COMPTES = itertools.cycle(["demo", "chef.projet", "referent.commune", "membre.copil", "lecture"])
JETON_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DUREE = int(os.environ.get("CTG_CHARGE_DUREE", "60"))
# Seconds between two pages of a user, drawn between these bounds ("1-3" by default: a brisk reader).
PAUSE_MIN, PAUSE_MAX = (float(x) for x in os.environ.get("CTG_CHARGE_PAUSE", "1-3").split("-"))
CONNEXIONS_FAITES = itertools.count(1)

# The pages every role reads, with a weight (how often a user opens it), grouped under a stable name for the figures.
PAGES = pages(CONVENTION, EPCI)


class Utilisateur(FastHttpUser):
    """A simulated user on locust's lighter HTTP client (the load generator shares the server's two cores: the
    processor it saves goes to the server under test)."""

    wait_time = between(PAUSE_MIN, PAUSE_MAX)

    def on_start(self) -> None:
        self.identifiant = next(COMPTES)
        page = self.client.get("/comptes/connexion/", name="connexion (formulaire)")
        jeton = JETON_CSRF.search(page.text)
        if jeton is None:
            raise RuntimeError("jeton CSRF introuvable sur la page de connexion")  # the scenario cannot go on
        formulaire = {"username": self.identifiant, "password": MOT_DE_PASSE, "csrfmiddlewaretoken": jeton.group(1)}
        with self.client.post(
            "/comptes/connexion/",
            data=urlencode(formulaire),
            headers={"Referer": f"{self.host}/comptes/connexion/", "Content-Type": "application/x-www-form-urlencoded"},
            name="connexion (envoi)",
            allow_redirects=False,
            catch_response=True,
        ) as reponse:
            if reponse.status_code != 302:  # a refused login answers the form again (200)
                reponse.failure(f"connexion de {self.identifiant} refusée (code {reponse.status_code})")
        if next(CONNEXIONS_FAITES) == self.environment.runner.target_user_count:
            # Every user is logged in: the measure starts now and lasts DUREE seconds.
            self.environment.runner.stats.reset_all()
            gevent.spawn_later(DUREE, self.environment.runner.quit)

    @task
    def parcourir(self) -> None:
        # One page drawn by its weight: the mix of pages the figures describe.
        chemin, nom, _poids = random.choices(PAGES, weights=[poids for _c, _n, poids in PAGES])[0]  # nosec B311
        self.client.get(chemin, name=nom)
