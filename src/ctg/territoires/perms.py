"""Who may open the territories' pages: anyone, signed in or not. Territories, their population, their maps and the
territorial diagnostic come from open data; a convention shows on them only to the people who may open it
(``ctg.territoires.extensions.conventions``: none for a visitor)."""

from ctg import acces

ACCES = {
    "territoires:recherche": acces.PUBLIQUE,
    "territoires:diagnostic": acces.PUBLIQUE,
    "territoires:epci": acces.PUBLIQUE,
    "territoires:epci_carte": acces.PUBLIQUE,
    "territoires:commune": acces.PUBLIQUE,
    "territoires:commune_carte": acces.PUBLIQUE,
    "territoires:departement": acces.PUBLIQUE,
    "territoires:departement_carte": acces.PUBLIQUE,
}
