"""The engine: aggregating the communes' observations into any territory's figures, in Python dictionaries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from ctg.donnees.models import CODE_FRANCE

from ..catalogue import (
    TERRITOIRES,
    Agregation,
    Indicateur,
    Terme,
    indicateur,
)
from ..models import Etat, ValeurIndicateur
from .commun import COMMUNE, DEPARTEMENT, EPCI, FRANCE, GRAVITE, MANQUANT, SECRET, TAUX_REFERENCE
from .observations import Carte, Entrepot, annees_indicateur, millesime
from .resultats import Resultat, _couverture_des_sources, _etat, _pire

# --- aggregation -----------------------------------------------------------------------------------------------


@dataclass
class _Agregat:
    """A term over a territory: its own figure, or the total of the known units of a lower level (communes, or the
    départements for France) and what was left out."""

    total: float = 0
    connues: int = 0
    secretes: int = 0
    manquantes: int = 0
    provenances: set = field(default_factory=set)
    # (dataset, level of the units summed) -> (known, secret, missing, share of the population covered)
    comptes: dict = field(default_factory=dict)
    niveau_unites: str = COMMUNE  # the level of the rows read: communes summed, départements summed, or its own
    fichier_du_niveau: bool = False  # read from the file of the territory's own level
    couverture: float = 0.0  # share of the territory's population living in the units whose figure entered the total

    @property
    def etat(self) -> str:
        return _etat(self.connues, self.secretes, self.manquantes)

    @property
    def valeur(self):
        return self.total if self.connues else None

    @property
    def somme_de_communes(self) -> bool:
        return not self.fichier_du_niveau and self.niveau_unites == COMMUNE


def _comptes_communes(*agregats: _Agregat) -> tuple[int, int, int]:
    """(communes retained, secret, missing) over the terms summed over communes (not those of a level file)."""
    sommes = [a for a in agregats if a.somme_de_communes]
    if not sommes:
        return 0, 0, 0
    return (
        min(a.connues for a in sommes),
        max(a.secretes for a in sommes),
        max(a.manquantes for a in sommes),
    )


def _part(couverte: int, population: int, connues: int, absentes: int) -> float:
    """The share of the population covered by a sum: whole only when no unit is left out (secret or missing)."""
    if not connues:
        return 0.0
    if not absentes:
        return 1.0
    return min(couverte / population, 0.9999) if population else 0.0


# An empty group's cumuls (no commune of the group has the figure).
_RIEN = (0, 0, 0, 0, frozenset())
_RIEN_PAIRES = (0, 0, 0, 0, 0)


def _meilleure_somme(*candidates: _Agregat) -> _Agregat:
    """The most complete of several sums of the same term: the least serious state, then the widest coverage."""
    return min(candidates, key=lambda a: (GRAVITE[a.etat], -a.couverture))


class Moteur:
    """Computes indicators for the territories of its map; ``complet`` when the map is all of France."""

    def __init__(self, filtre: Q | None = None):
        self.complet = filtre is None
        self.carte = Carte(filtre)
        self.entrepot = Entrepot(self.carte, self.complet)
        self._references: dict[tuple[str, int, str, str], Resultat] = {}
        self._sous_moteurs: dict[tuple[str, str], Moteur] = {}

    # scopes
    @classmethod
    def pour(cls, niveau: str, code: str | Iterable[str]) -> Moteur:
        if niveau == COMMUNE:
            codes = [code] if isinstance(code, str) else list(code)
            return cls(Q(code__in=codes))
        if niveau == EPCI:
            return cls(Q(epci_id=code))
        if niveau == DEPARTEMENT:
            return cls(Q(departement_id=code))
        return cls()

    def annees(self, ind: Indicateur) -> list[int]:
        return annees_indicateur(ind, self.entrepot.annees)

    def _millesime(self, dataset: str, annee: int, exact: bool) -> int | None:
        return millesime(self.entrepot.annees.get(dataset, []), annee, exact)

    # terms
    def _sans_paires(self, terme: Terme, annee: int | None, niveau: str, code: str) -> bool:
        """The term is not read commune by commune for this territory: from its own level's file, or (France) from
        the départements' file. A rate with such a term cannot be paired commune by commune."""
        if annee is None or terme.dataset == TERRITOIRES or niveau == COMMUNE:
            return False
        if self.entrepot.valeur_niveau(terme, annee, niveau, code) is not None:
            return True
        return niveau == FRANCE and bool(self.entrepot.valeurs_du_niveau(terme, annee, DEPARTEMENT)[0])

    def _agreger(self, terme: Terme, annee: int | None, niveau: str, code: str, communes: list[str]) -> _Agregat:
        """The term for one territory: its own level's figure when its file has one; else, for France, the sum of the
        départements' file or of the communes, whichever is the more complete; else the sum of the communes."""
        if annee is None:
            return _Agregat(manquantes=len(communes))
        ligne = self.entrepot.valeur_niveau(terme, annee, niveau, code)
        if ligne is not None:
            v, prov = ligne
            a = _Agregat(provenances={prov}, niveau_unites=niveau, fichier_du_niveau=True)
            if v is SECRET:
                a.secretes = 1
            else:
                a.total, a.connues, a.couverture = v, 1, 1.0
            return a
        par_communes = self._sommer(terme, annee, niveau, COMMUNE, communes, code)
        if niveau == FRANCE and terme.dataset != TERRITOIRES:
            if self.entrepot.valeurs_du_niveau(terme, annee, DEPARTEMENT)[0]:
                deps = self.carte.departements_france()
                return _meilleure_somme(self._sommer(terme, annee, niveau, DEPARTEMENT, deps), par_communes)
        return par_communes

    # A territory's sum over its communes, for the whole group of communes of a level: the totals of every group of
    # that level come from one pass over the communes that have the figure (the others are only counted), in the
    # order of the groups' lists, so that the sums are the same, to the last digit, as those of the group's loop.
    def _groupe_entier(self, niveau: str, code: str | None, unites: list[str]) -> bool:
        return niveau != COMMUNE and code is not None and self.carte.groupes(niveau).get(code) is unites

    def _cumuls(self, terme: Terme, annee: int, niveau: str) -> dict[str, tuple]:
        """group of ``niveau`` -> (total, known, secret, population of the known, provenances) over its communes."""

        def calcul():
            vals, provs = self.entrepot.valeurs_du_niveau(terme, annee, COMMUNE)
            groupe_de, pops = self.carte.groupe_de(niveau), self.carte.populations(COMMUNE)
            cumuls: dict[str, list] = {}
            for u in self.carte.dans_l_ordre(vals):
                g = groupe_de.get(u)
                if g is None:
                    continue
                x = cumuls.get(g)
                if x is None:
                    x = cumuls[g] = [0, 0, 0, 0, set()]
                v = vals[u]
                x[4].add(provs[u])
                if v is SECRET:
                    x[2] += 1
                else:
                    x[0] += v
                    x[1] += 1
                    x[3] += pops.get(u, 0)
            return {g: tuple(x) for g, x in cumuls.items()}

        return self.entrepot.derive(("somme", terme, annee, niveau), [(terme.dataset, annee)], calcul)

    def _cumuls_paires(self, ind: Indicateur, an: int, ad: int, niveau: str) -> dict[str, tuple]:
        """group of ``niveau`` -> (Σnum, Σden, pairs known, pairs secret, population of the known pairs) over the
        communes that have both terms: one pass over the smaller of the two (a national file of children paired with
        a département's file of places reads the département's communes only)."""

        def calcul():
            vn, _pn = self.entrepot.valeurs_communes(ind.numerateur, an)
            vd, _pd = self.entrepot.valeurs_communes(ind.denominateur, ad)
            petit, grand = (vn, vd) if len(vn) <= len(vd) else (vd, vn)
            groupe_de, pops = self.carte.groupe_de(niveau), self.carte.populations(COMMUNE)
            cumuls: dict[str, list] = {}
            for c in self.carte.dans_l_ordre({c for c in petit if c in grand}):
                g = groupe_de.get(c)
                if g is None:
                    continue
                x = cumuls.get(g)
                if x is None:
                    x = cumuls[g] = [0, 0, 0, 0, 0]
                a, b = vn[c], vd[c]
                if a is SECRET or b is SECRET:
                    x[3] += 1
                else:
                    x[0] += a
                    x[1] += b
                    x[2] += 1
                    x[4] += pops.get(c, 0)
            return {g: tuple(x) for g, x in cumuls.items()}

        tables = [(ind.numerateur.dataset, an), (ind.denominateur.dataset, ad)]
        return self.entrepot.derive(("paires", ind.numerateur, an, ind.denominateur, ad, niveau), tables, calcul)

    def _sommer(
        self, terme: Terme, annee: int, niveau: str, niveau_unites: str, unites: list[str], code: str | None = None
    ) -> _Agregat:
        """The sum of the term over ``unites`` (codes of ``niveau_unites``) that make up a territory of ``niveau``
        (``code``, when ``unites`` are all its communes)."""
        a = _Agregat(niveau_unites=niveau_unites)
        if niveau_unites == COMMUNE and self._groupe_entier(niveau, code, unites):
            total, k, s, couverte, provenances = self._cumuls(terme, annee, niveau).get(code, _RIEN)
            a.provenances.update(provenances)
            m = len(unites) - k - s
            population = self.carte.population_des_groupes(niveau).get(code, 0)
        else:
            vals, provs = self.entrepot.valeurs_du_niveau(terme, annee, niveau_unites)
            total = 0
            k = s = m = 0
            couverte = population = 0
            ps = a.provenances
            pops = self.carte.populations(niveau_unites)
            for u in unites:
                pop = pops.get(u, 0)
                population += pop
                v = vals.get(u, MANQUANT)
                if v is MANQUANT:
                    m += 1
                    continue
                ps.add(provs[u])
                if v is SECRET:
                    s += 1
                else:
                    total += v
                    k += 1
                    couverte += pop
        a.total, a.connues, a.secretes, a.manquantes = total, k, s, m
        a.couverture = _part(couverte, population, k, s + m)
        if niveau != COMMUNE:
            a.comptes[terme.dataset, niveau_unites] = (k, s, m, a.couverture)
        return a

    def _ratio_apparie(
        self, ind: Indicateur, an: int | None, ad: int | None, niveau: str, code: str, communes: list[str]
    ):
        """Σnum and Σden over the communes where both are known."""
        num, den = _Agregat(), _Agregat()
        if an is None or ad is None:
            num.manquantes = len(communes)
            return num, den, (0, 0, len(communes))
        psn, psd = num.provenances, den.provenances
        if self._groupe_entier(niveau, code, communes):
            sn, sd, k, s, couverte = self._cumuls_paires(ind, an, ad, niveau).get(code, _RIEN_PAIRES)
            # Each term's own counts and provenances: those of its sum over the group.
            _t, kn, snn, _c, provs_n = self._cumuls(ind.numerateur, an, niveau).get(code, _RIEN)
            _t, kd, sdd, _c, provs_d = self._cumuls(ind.denominateur, ad, niveau).get(code, _RIEN)
            psn.update(provs_n)
            psd.update(provs_d)
            n = len(communes)
            m, mn, md = n - k - s, n - kn - snn, n - kd - sdd
            population = self.carte.population_des_groupes(niveau).get(code, 0)
        else:
            sn, sd, k, s, m, kn, snn, mn, kd, sdd, md, couverte, population = self._paires(
                ind, an, ad, communes, psn, psd
            )
        num.total, num.connues = sn, k
        den.total, den.connues = sd, k
        num.couverture = den.couverture = _part(couverte, population, k, s + m)
        if niveau != COMMUNE:
            # The value covers the communes where both terms are known: that is the coverage of both sources.
            if ind.numerateur.dataset == ind.denominateur.dataset:
                num.comptes[ind.numerateur.dataset, COMMUNE] = (k, s, m, num.couverture)
            else:
                num.comptes[ind.numerateur.dataset, COMMUNE] = (kn, snn, mn, num.couverture)
                den.comptes[ind.denominateur.dataset, COMMUNE] = (kd, sdd, md, num.couverture)
        return num, den, (k, s, m)

    def _paires(self, ind: Indicateur, an: int, ad: int, communes: list[str], psn: set, psd: set) -> tuple:
        """The pairing of ``_ratio_apparie`` over any list of communes, one by one (provenances added to ``psn`` and
        ``psd``)."""
        vn, pn = self.entrepot.valeurs_communes(ind.numerateur, an)
        vd, pd = self.entrepot.valeurs_communes(ind.denominateur, ad)
        sn = sd = 0
        k = s = m = 0
        kn = snn = mn = kd = sdd = md = 0
        couverte = population = 0
        pops = self.carte.populations(COMMUNE)
        for c in communes:
            pop = pops.get(c, 0)
            population += pop
            a = vn.get(c, MANQUANT)
            b = vd.get(c, MANQUANT)
            if a is MANQUANT:
                mn += 1
            else:
                psn.add(pn[c])
                if a is SECRET:
                    snn += 1
                else:
                    kn += 1
            if b is MANQUANT:
                md += 1
            else:
                psd.add(pd[c])
                if b is SECRET:
                    sdd += 1
                else:
                    kd += 1
            if a is MANQUANT or b is MANQUANT:
                m += 1
            elif a is SECRET or b is SECRET:
                s += 1
            else:
                sn += a
                sd += b
                k += 1
                couverte += pop
        return sn, sd, k, s, m, kn, snn, mn, kd, sdd, md, couverte, population

    def _ratio(self, ind: Indicateur, annee: int, niveau: str, code: str, communes: list[str]) -> Resultat:
        an = self._millesime(ind.numerateur.dataset, annee, exact=True)
        meme = ind.denominateur.dataset == ind.numerateur.dataset
        ad = an if meme else self._millesime(ind.denominateur.dataset, annee, exact=False)
        if self._sans_paires(ind.numerateur, an, niveau, code) or self._sans_paires(ind.denominateur, ad, niveau, code):
            # A file of a level above the communes gives one of the terms: the totals cannot be paired commune by
            # commune.
            num = self._agreger(ind.numerateur, an, niveau, code, communes)
            den = self._agreger(ind.denominateur, ad, niveau, code, communes)
            etat = _pire(num.etat, den.etat)
            k, s, m = _comptes_communes(num, den)
        else:
            num, den, (k, s, m) = self._ratio_apparie(ind, an, ad, niveau, code, communes)
            etat = _etat(k, s, m)
        valeur = None
        if etat in (Etat.DISPONIBLE, Etat.PARTIEL):
            if den.total:
                valeur = num.total / den.total * ind.facteur
            else:
                etat = Etat.ABSENT
        return self._resultat(
            ind,
            niveau,
            code,
            annee,
            valeur,
            num.valeur if num.connues else None,
            den.valeur if den.connues else None,
            etat,
            [num, den],
            (k, s, m),
        )

    def _resultat(self, ind, niveau, code, annee, valeur, numerateur, denominateur, etat, agregats, comptes, **kw):
        provenances = set().union(*(a.provenances for a in agregats))
        par_dataset: dict[tuple[str, str], tuple] = {}
        for a in agregats:
            par_dataset.update(a.comptes)
        sources = []
        for prov in sorted(provenances, key=lambda p: (p[0], p[2], p[3], p[1] or 0)):
            src = self.entrepot.source(prov)
            compte = par_dataset.get((prov[0], prov[3]))
            if compte is not None:
                kc, sc, mc, couverture = compte
                if prov[3] == COMMUNE:
                    src.update(communes=kc, communes_secretes=sc, communes_manquantes=mc)
                else:
                    src.update(departements=kc, departements_secrets=sc, departements_manquants=mc)
                src["couverture_population"] = round(couverture, 4)
            sources.append(src)
        sources += kw.pop("sources_en_plus", [])
        k, s, m = comptes
        valeur = None if valeur is None else float(valeur)
        return Resultat(
            indicateur=ind.code,
            niveau=niveau,
            code=code,
            annee=annee,
            valeur=valeur,
            numerateur=None if numerateur is None else float(numerateur),
            denominateur=None if denominateur is None else float(denominateur),
            etat=etat,
            demonstration=any(src.get("demonstration") for src in sources),
            sources=sources,
            communes=k,
            communes_secretes=s,
            communes_manquantes=m,
            **_couverture_des_sources(sources, valeur),
            **kw,
        )

    def _somme(self, ind: Indicateur, annee: int, niveau: str, code: str, communes: list[str]) -> Resultat:
        an = self._millesime(ind.numerateur.dataset, annee, exact=True)
        a = self._agreger(ind.numerateur, an, niveau, code, communes)
        return self._resultat(
            ind,
            niveau,
            code,
            annee,
            a.valeur,
            None,
            None,
            a.etat,
            [a],
            _comptes_communes(a),
        )

    def _officiel_ou_ratio(self, ind: Indicateur, annee: int, niveau: str, code: str, communes: list[str]):
        ao = self._millesime(ind.officiel.dataset, annee, exact=True)
        officiel = None
        if ao is not None:
            if niveau == COMMUNE:
                vals, provs = self.entrepot.valeurs_communes(ind.officiel, ao)
                if code in vals:
                    officiel = (vals[code], provs[code])
            else:
                officiel = self.entrepot.valeur_niveau(ind.officiel, ao, niveau, code)
        if officiel is not None and officiel[0] is not SECRET:
            a = _Agregat(total=officiel[0], connues=1, provenances={officiel[1]})
            r = self._resultat(ind, niveau, code, annee, officiel[0], None, None, Etat.DISPONIBLE, [a], (0, 0, 0))
            r.officiel = True
            for src in r.sources:
                src["officiel"] = True
            return r
        r = self._ratio(ind, annee, niveau, code, communes)
        if officiel is not None and not r.utilisable:
            # The published rate is secret and the places or children do not allow recomputing it.
            a = _Agregat(secretes=1, provenances={officiel[1]})
            return self._resultat(ind, niveau, code, annee, None, None, None, Etat.SECRET, [a], (0, 0, 0))
        return r

    def _ecart(self, ind: Indicateur, annee: int, niveau: str, code: str, communes: list[str]) -> Resultat:
        vide = self._resultat(ind, niveau, code, annee, None, None, None, Etat.ABSENT, [], (0, 0, 0))
        if ind.reference == DEPARTEMENT:
            if niveau in (DEPARTEMENT, FRANCE):
                return vide  # sans objet
            ref_code = self.carte.departement_principal(communes)
        else:
            if niveau == FRANCE:
                return vide
            ref_code = CODE_FRANCE
        if ref_code is None:
            return vide
        ref = self.reference(TAUX_REFERENCE, annee, ind.reference, ref_code)
        an = self._millesime(ind.numerateur.dataset, annee, exact=True)
        ad = self._millesime(ind.denominateur.dataset, annee, exact=False)
        places = self._agreger(ind.numerateur, an, niveau, code, communes)
        enfants = self._agreger(ind.denominateur, ad, niveau, code, communes)
        if ref.valeur is not None:
            etat_ref = ref.etat
        else:
            etat_ref = ref.etat if ref.etat in (Etat.SECRET, Etat.ABSENT) else Etat.ABSENT
        etat = _pire(places.etat, enfants.etat, etat_ref)
        valeur = None
        if etat in (Etat.DISPONIBLE, Etat.PARTIEL):
            valeur = max(0.0, ref.valeur / 100 * enfants.total - places.total)
        reference = {
            "dataset": TAUX_REFERENCE,
            "fichier": f"taux de référence ({ind.reference} {ref_code})",
            "periode": str(annee),
            "niveau": ind.reference,
            "demonstration": ref.demonstration,
            "reference": {"niveau": ind.reference, "code": ref_code, "valeur": ref.valeur, "etat": str(ref.etat)},
        }
        return self._resultat(
            ind,
            niveau,
            code,
            annee,
            valeur,
            places.valeur,
            enfants.valeur,
            etat,
            [places, enfants],
            _comptes_communes(places, enfants),
            sources_en_plus=[reference],
        )

    # references (the rate of a département or of France, for the gaps)
    def reference(self, code_ind: str, annee: int, niveau: str, code: str) -> Resultat:
        cle = (code_ind, annee, niveau, code)
        if cle not in self._references:
            ind = indicateur(code_ind)
            if self.complet or (niveau, code) in self._sous_moteurs:
                moteur = self if self.complet else self._sous_moteurs[niveau, code]
                r = moteur.calculer(ind, annee, niveau, [code])[code]
            else:
                stockee = ValeurIndicateur.objects.filter(
                    indicateur=ind.code, niveau=niveau, code=code, annee=annee
                ).first()
                if stockee is not None:
                    r = Resultat.depuis_modele(stockee)
                else:
                    moteur = self._sous_moteurs.setdefault((niveau, code), Moteur.pour(niveau, code))
                    r = moteur.calculer(ind, annee, niveau, [code])[code]
            self._references[cle] = r
        return self._references[cle]

    # the entry point
    def calculer(
        self, ind: str | Indicateur, annee: int, niveau: str, codes: Iterable[str] | None = None
    ) -> dict[str, Resultat]:
        """The indicator for the territories ``codes`` of ``niveau`` (all those of the map when None)."""
        ind = indicateur(ind)
        groupes = self.carte.groupes(niveau)
        codes = list(groupes) if codes is None else list(codes)
        fonction = {
            Agregation.SOMME: self._somme,
            Agregation.RATIO: self._ratio,
            Agregation.OFFICIEL_OU_RATIO: self._officiel_ou_ratio,
            Agregation.ECART: self._ecart,
        }[ind.agregation]
        resultats = {}
        for code in codes:
            communes = groupes.get(code, [])
            if not communes and niveau == COMMUNE:
                resultats[code] = Resultat(ind.code, niveau, code, annee)
                continue
            resultats[code] = fonction(ind, annee, niveau, code, communes)
        if ind.code == TAUX_REFERENCE and niveau in (DEPARTEMENT, FRANCE):
            for code, r in resultats.items():
                self._references[(ind.code, annee, niveau, code)] = r
        return resultats

    def datasets_utilises(self, ind: Indicateur, annee: int) -> set[tuple[str, int]]:
        """The (dataset, vintage) tables an indicator reads for ``annee``."""
        besoins = set()
        principaux = set(ind.datasets_principaux)
        for terme in (ind.officiel, ind.numerateur, ind.denominateur):
            if terme is None or terme.dataset == TERRITOIRES:
                continue
            a = self._millesime(terme.dataset, annee, exact=terme.dataset in principaux)
            if a is not None:
                besoins.add((terme.dataset, a))
        if ind.agregation == Agregation.ECART:
            besoins |= self.datasets_utilises(indicateur(TAUX_REFERENCE), annee)
        return besoins
