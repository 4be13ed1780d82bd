"""Small hand-made sets of observations for communes of the CA de Cambrai (SIREN 200068500)."""

import uuid

import pytest

from ctg.donnees.models import Fichier, Observation

CAMBRAI = "59122"  # 31,134 inhabitants (2023)
NEUVILLE = "59428"  # Neuville-Saint-Rémy, 4,012
IWUY = "59322"  # 3,403
PROVILLE = "59476"  # 3,206
CA_CAMBRAI = "200068500"


class Donnees:
    """Creates Fichier and Observation rows the way the importers do."""

    def fichier(self, dataset: str, demonstration: bool = False, nom: str | None = None) -> Fichier:
        return Fichier.objects.create(
            dataset=dataset,
            nom=nom or f"{dataset}.csv",
            empreinte=uuid.uuid4().hex,
            demonstration=demonstration,
        )

    def obs(self, fichier: Fichier, code: str, valeurs: dict, annee: int, niveau: str = "commune", periode=None):
        return Observation.objects.create(
            fichier=fichier,
            dataset=fichier.dataset,
            niveau=niveau,
            code=code,
            periode=periode or str(annee),
            annee=annee,
            valeurs=valeurs,
        )

    def lignes(self, dataset: str, annee: int, par_code: dict, niveau: str = "commune", **kw) -> Fichier:
        f = self.fichier(dataset, **kw)
        for code, valeurs in par_code.items():
            self.obs(f, code, valeurs, annee, niveau)
        return f


@pytest.fixture
def donnees(db):
    return Donnees()
