"""The diagnostic's images are drawn once for the same figures, and anew when the figures change."""

import uuid

from ctg.diagnostic import figures


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
