"""The diagnostic's images are drawn once for the same figures, and anew when the figures change; the legends of the
maps never show a degenerate class."""

import uuid

from ctg.diagnostic import figures
from ctg.territoires import legende


def test_un_graphique_est_dessine_une_fois_pour_les_memes_chiffres(monkeypatch):
    dessins = []
    original = figures._sortie

    def sortie(figure, format):
        dessins.append(format)
        return original(figure, format)

    monkeypatch.setattr(figures, "_sortie", sortie)
    titre = f"Foyers allocataires {uuid.uuid4().hex}"  # figures never drawn before in this session
    series = {"CA de Cambrai": [(2021, 100.0), (2022, 110.0)], "Nord": [(2021, 90.0), (2022, 95.0)]}

    premier = figures.graphique_evolution(series, titre, "foyers")
    assert premier.startswith(b"<?xml") and b"<svg" in premier and len(dessins) == 1
    assert figures.graphique_evolution(series, titre, "foyers") == premier and len(dessins) == 1
    autres = {**series, "Nord": [(2021, 90.0), (2022, 96.0)]}
    assert figures.graphique_evolution(autres, titre, "foyers") != premier and len(dessins) == 2
    assert figures.graphique_evolution(series, titre, "foyers", format="png").startswith(b"\x89PNG")
    assert len(dessins) == 3


def test_une_carte_est_dessinee_une_fois_pour_les_memes_zones(monkeypatch):
    dessins = []
    original = figures._sortie
    monkeypatch.setattr(figures, "_sortie", lambda figure, format: dessins.append(format) or original(figure, format))
    carre = '{"type": "Polygon", "coordinates": [[[3.2, 50.1], [3.3, 50.1], [3.3, 50.2], [3.2, 50.1]]]}'
    zones = [figures.ZoneCarte("59122", "Cambrai", carre, 12.5), figures.ZoneCarte("59428", "Neuville", carre, None)]
    titre = f"Taux {uuid.uuid4().hex}"

    image = figures.carte_choroplethe(zones, titre, "%")
    assert image.startswith(b"\x89PNG") and figures.carte_choroplethe(zones, titre, "%") == image
    assert len(dessins) == 1
    zones[1] = figures.ZoneCarte("59428", "Neuville", carre, figures.SECRET)
    assert figures.carte_choroplethe(zones, titre, "%") != image and len(dessins) == 2


# --- Legend of the maps: never a degenerate class (one rule for the pages' maps and the report's) -------------------


def libelles(valeurs):
    return [c.libelle for c in legende.classes_legende(valeurs)]


def test_legende_de_valeurs_egales_une_seule_classe():
    assert libelles([1.0] * 36) == ["valeur unique : 1"]
    assert libelles([0.96, 1.04, 1.0]) == ["valeur unique : 1"]  # equal as the legend writes them
    assert libelles([100.2, 100.4]) == ["valeur unique : 100"]


def test_legende_de_peu_de_valeurs_distinctes_une_classe_par_valeur():
    assert libelles([0, 1, 1, 0, 1]) == ["0", "1"]
    assert libelles([3, 1, 2, 2]) == ["1", "2", "3"]
    classes = legende.classes_legende([0, 1])
    assert legende.COULEURS[0] not in {c.couleur for c in classes}  # the palest is too close to "pas de donnée"


def test_legende_sans_valeur_aucune_classe():
    assert legende.classes_legende([]) == []
    classes, indices = legende.classer([None, None])
    assert classes == [] and indices == [None, None]


def test_legende_de_valeurs_nombreuses_cinq_classes_distinctes():
    assert libelles(range(1, 101)) == [
        "1 à moins de 21",
        "21 à moins de 41",
        "41 à moins de 61",
        "61 à moins de 81",
        "81 à 100",
    ]
    # A value repeated many times fills a class alone; the few others still share the remaining classes.
    classes = legende.classes_legende([0] * 50 + [1, 2, 3, 4, 5, 6])
    assert len(classes) == 5 and classes[0].libelle == "0"
    assert len({c.libelle for c in classes}) == 5
    assert [c.bas for c in classes] == sorted({c.bas for c in classes})
    # Every value falls in a class whose bounds hold it.
    valeurs = [12.34, 12.36, 50, 60, 70, 80, 90.5, 250.4, 1_234.6]
    classes, indices = legende.classer(valeurs)
    for v, i in zip(valeurs, indices, strict=True):
        assert classes[i].bas <= legende.arrondi(v) <= classes[i].haut


def test_carte_du_rapport_avec_valeurs_egales(monkeypatch):
    carre = '{"type": "Polygon", "coordinates": [[[3.2, 50.1], [3.3, 50.1], [3.3, 50.2], [3.2, 50.1]]]}'
    zones = [figures.ZoneCarte(str(i), "Commune", carre, 1.0) for i in range(3)]
    poignees = []
    original = figures.plt.Axes.legend

    def legende_vue(self, *args, handles=(), **kwargs):
        poignees.extend(h.get_label() for h in handles)
        return original(self, *args, handles=handles, **kwargs)

    monkeypatch.setattr(figures.plt.Axes, "legend", legende_vue)
    figures.carte_choroplethe(zones, f"Communes {uuid.uuid4().hex}", "communes")
    assert poignees == ["valeur unique : 1"]
