"""People's rights over the personal data CTG itself stores (GDPR articles 13 to 21, 30).

- ``REGISTRE``: the product's own processing register, as data — for each model holding personal data, which
  fields, why, on which legal basis, how long, who sees them. The inventory page and the privacy notice show it;
  ``tests/rgpd/test_personnes.py`` checks that every model of the project with a name- or e-mail-like field is
  either in it or in ``SANS_DONNEES_PERSONNELLES`` with the reason, so that the register cannot drift from the code.
- :func:`donnees_de`: a person's data (their account and every row about them the register names), for the export
  (JSON, and :func:`resume_pdf`), by the person on their page or by ``ctg donnees_personnelles``.
- :func:`anonymiser`: the erasure that keeps the history of decisions: the person's name becomes « Personne
  anonymisée n° X », their e-mail address is emptied, the facts and dates stay — in the account, the comité's
  members, the signatories, the invitations, the free texts that name them, and the history rows of those records.
- :func:`traiter_inactifs`: run by the daily update (``ctg actualiser``): an account unused for
  ``CTG_INACTIVITE_JOURS`` days is deactivated, and anonymised ``CTG_ANONYMISATION_JOURS`` days after that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q

from ctg import horloge
from ctg.audit import IDENTIFIANT_SYSTEME
from ctg.generations import memoire

# --- The register ------------------------------------------------------------------------------------------------

MISSION = (
    "Mission de service public de la Caf et de la collectivité (RGPD, art. 6.1.e), convention territoriale globale"
)
CONVENTION_PLUS_5 = "Durée de la convention, puis 5 ans (archives de la convention)"
MEMBRES = "Les membres de la convention (selon leur rôle), l'administrateur du produit"


@dataclass(frozen=True)
class Traitement:
    modele: str  # "app_label.Model"
    champs: tuple[str, ...]
    finalite: str
    base_legale: str = MISSION
    conservation: str = CONVENTION_PLUS_5
    destinataires: str = MEMBRES

    @property
    def libelle(self) -> str:
        return str(apps.get_model(self.modele)._meta.verbose_name).capitalize()


REGISTRE: list[Traitement] = [
    Traitement(
        "auth.User",
        ("username", "first_name", "last_name", "email", "last_login", "date_joined"),
        "Compte de connexion : s'identifier, être nommé dans l'historique des modifications",
        conservation="Tant que le compte sert ; désactivé après la période d'inactivité, puis anonymisé",
        destinataires="La personne, les membres des conventions où elle a un rôle, l'administrateur du produit",
    ),
    Traitement(
        "comptes.Profil",
        ("organisation", "fonction", "resume_hebdomadaire", "desactive_le", "anonymise_le"),
        "Organisation et fonction de la personne, ses préférences de courriel",
        conservation="Comme le compte",
        destinataires="La personne, l'administrateur du produit",
    ),
    Traitement(
        "conventions.Habilitation",
        ("convention", "role", "commune", "creee_le"),
        "Rôle de la personne sur une convention (article 14 : seuls ses membres la voient)",
    ),
    Traitement(
        "conventions.Invitation",
        ("convention", "email", "role", "creee_le", "expire_le", "utilisee_le"),
        "Invitation à rejoindre une convention par un lien à usage unique envoyé par courriel",
        destinataires="La personne invitée, qui peut inviter sur la convention",
    ),
    Traitement(
        "conventions.Convention",
        ("chef_projet_nom", "chef_projet_fonction"),
        "Chef·fe de projet de la collectivité nommé·e dans la convention (article 6)",
    ),
    Traitement(
        "conventions.Signataire",
        ("convention", "partie", "civilite", "prenom", "nom", "qualite"),
        "Signataires de la convention et de ses avenants (article 11)",
        destinataires="Les membres de la convention ; la préfecture par la télétransmission (@ctes)",
    ),
    Traitement(
        "conventions.Avenant",
        ("convention", "numero", "signataires"),
        "Signataires d'un avenant (article 11)",
        destinataires="Les membres de la convention ; la préfecture par la télétransmission (@ctes)",
    ),
    Traitement(
        "conventions.Adhesion",
        ("commune", "maire_prenom", "maire_nom"),
        "Maire de chaque commune adhérente, nommé·e dans l'annexe 4",
    ),
    Traitement(
        "conventions.ApprobationCommunication",
        ("communication", "organisation", "approuvee_le"),
        "Approbation d'une communication commune au nom d'une partie (article 8)",
    ),
    Traitement(
        "documents.TelechargementConfidentiel",
        ("convention", "document", "format", "telecharge_le"),
        "Journal des téléchargements des documents de travail confidentiels (article 14)",
        conservation="Durée de la convention, puis 1 an",
        destinataires="La conseillère ou le conseiller Caf et la ou le chef de projet de la convention",
    ),
    Traitement(
        "gouvernance.Membre",
        ("comite", "civilite", "prenom", "nom", "organisation", "fonction", "email", "cote", "role", "debut", "fin"),
        "Composition du comité de pilotage (article 6), envoi des convocations",
    ),
    Traitement(
        "gouvernance.Presence",
        ("reunion", "etat", "represente_par"),
        "Présences aux réunions du comité, quorum et parité (article 6)",
    ),
    Traitement(
        "gouvernance.Decision",
        ("reunion", "texte", "enregistree_le"),
        "Décisions du comité de pilotage et qui les a enregistrées",
    ),
    Traitement(
        "diagnostic.Contribution",
        ("auteur", "domaine", "date", "texte"),
        "Contributions des partenaires au diagnostic partagé (article 4)",
    ),
    Traitement(
        "plan.FicheAction",
        ("numero", "titre", "pilote_personne"),
        "Personne pilote d'une fiche action du plan",
    ),
    Traitement(
        "plan.ActeurFiche",
        ("fiche", "organisation", "role", "precision"),
        "Partenaires et opérateurs d'une fiche action : le service ou le contact nommé dans l'organisation",
    ),
    Traitement(
        "api.JetonApi",
        ("nom", "ecriture", "prefixe", "cree_le", "dernier_usage", "revoque_le"),
        "Jetons d'accès personnels à l'interface de programmation (API JSON) : leur nom, leur portée, leurs dates",
        conservation="Tant que le compte sert ; révoqués et renommés à l'anonymisation",
        destinataires="La personne, l'administrateur du produit",
    ),
    Traitement(
        "rgpd.DelegueProtectionDonnees",
        ("organisation", "depuis"),
        "Délégué·e à la protection des données d'une organisation, consulté·e sur les échanges de données (article 7)",
    ),
]

# Models with a name-like field that is not a person's, and why.
SANS_DONNEES_PERSONNELLES: dict[str, str] = {
    "territoires.Region": "nom d'un territoire",
    "territoires.Departement": "nom d'un territoire",
    "territoires.Epci": "nom d'un territoire",
    "territoires.Commune": "nom d'un territoire",
    "comptes.Organisation": "nom d'une organisation (Caf, collectivité, partenaire)",
    "conventions.PieceCommunication": "nom d'un fichier joint",
    "donnees.Fichier": "nom d'un fichier de données ouvertes",
    "plan.Objectif": "« autre signataire » : une institution (article 3), pas une personne",
    "plan.Revue": "nom d'une instance",
    "gouvernance.Comite": "nom d'un comité",
    "financement.Structure": "nom d'un équipement (crèche, relais…)",
    "financement.Verification": "nom d'un fichier joint",
    "rgpd.Transfert": "nom d'un fichier transmis",
}

# Free texts that may name a person: their name is replaced there too when they are anonymised.
TEXTES_LIBRES: list[tuple[str, str]] = [
    ("conventions.Convention", "chef_projet_nom"),
    ("conventions.Avenant", "signataires"),
    ("gouvernance.Reunion", "compte_rendu"),
    ("gouvernance.Decision", "texte"),
    ("gouvernance.Decision", "effet"),
    ("gouvernance.Presence", "represente_par"),
    ("diagnostic.Contribution", "auteur"),
    ("diagnostic.Contribution", "texte"),
    ("plan.FicheAction", "pilote_personne"),
    ("plan.ActeurFiche", "precision"),
]


# --- Who a person is, and the rows about them --------------------------------------------------------------------


@dataclass
class Personne:
    user: object
    prenom: str
    nom: str
    email: str

    @classmethod
    def de(cls, user) -> Personne:
        return cls(user, user.first_name.strip(), user.last_name.strip(), user.email.strip())

    @property
    def noms(self) -> list[str]:
        """The ways their name is written in a text ("Prénom Nom", "Nom Prénom"); none if either part is missing."""
        if len(self.prenom) < 2 or len(self.nom) < 2:
            return []
        return [f"{self.prenom} {self.nom}", f"{self.nom} {self.prenom}"]

    def par_nom(self, prenom: str = "prenom", nom: str = "nom") -> Q:
        if not self.noms:
            return Q(pk__in=[])
        return Q(**{f"{prenom}__iexact": self.prenom, f"{nom}__iexact": self.nom})

    def par_email(self, champ: str = "email") -> Q:
        return Q(**{f"{champ}__iexact": self.email}) if self.email else Q(pk__in=[])

    def cite(self, champ: str) -> Q:
        q = Q(pk__in=[])
        for nom in self.noms:
            q |= Q(**{f"{champ}__icontains": nom})
        return q


def pseudonyme(user) -> str:
    return f"Personne anonymisée n° {user.pk}"


def _modele(label: str):
    return apps.get_model(label)


def selections(p: Personne) -> dict[str, models.QuerySet]:
    """For each model of the register, the rows about the person ``p``."""
    M = _modele
    membres = M("gouvernance.Membre").objects.filter(Q(compte=p.user) | p.par_email() | p.par_nom())
    return {
        "auth.User": get_user_model().objects.filter(pk=p.user.pk),
        "comptes.Profil": M("comptes.Profil").objects.filter(user=p.user),
        "conventions.Habilitation": M("conventions.Habilitation").objects.filter(user=p.user),
        "conventions.Invitation": M("conventions.Invitation").objects.filter(p.par_email() | Q(utilisee_par=p.user)),
        "conventions.Convention": M("conventions.Convention").objects.filter(p.cite("chef_projet_nom")),
        "conventions.Signataire": M("conventions.Signataire").objects.filter(p.par_nom()),
        "conventions.Avenant": M("conventions.Avenant").objects.filter(p.cite("signataires")),
        "conventions.Adhesion": M("conventions.Adhesion").objects.filter(p.par_nom("maire_prenom", "maire_nom")),
        "conventions.ApprobationCommunication": M("conventions.ApprobationCommunication").objects.filter(
            approuvee_par=p.user
        ),
        "documents.TelechargementConfidentiel": M("documents.TelechargementConfidentiel").objects.filter(user=p.user),
        "gouvernance.Membre": membres,
        "gouvernance.Presence": M("gouvernance.Presence").objects.filter(membre__in=membres),
        "gouvernance.Decision": M("gouvernance.Decision").objects.filter(enregistree_par=p.user),
        "diagnostic.Contribution": M("diagnostic.Contribution").objects.filter(p.cite("auteur")),
        "plan.FicheAction": M("plan.FicheAction").objects.filter(Q(pilote=p.user) | p.cite("pilote_personne")),
        "plan.ActeurFiche": M("plan.ActeurFiche").objects.filter(p.cite("precision")),
        "rgpd.DelegueProtectionDonnees": M("rgpd.DelegueProtectionDonnees").objects.filter(user=p.user),
        "api.JetonApi": M("api.JetonApi").objects.filter(user=p.user),
    }


# --- Export --------------------------------------------------------------------------------------------------------


def _valeur(objet, champ: str):
    valeur = getattr(objet, champ)
    if isinstance(valeur, models.Model):
        return str(valeur)
    if isinstance(valeur, datetime | date):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        return str(valeur)
    return valeur


def donnees_de(user) -> dict:
    """Everything CTG stores about ``user``, section by section of the register (only the fields the register
    names: nothing of another person — who invited them, who else sat on a comité — is exported)."""
    p = Personne.de(user)
    choisies = selections(p)
    sections = []
    for traitement in REGISTRE:
        lignes = [
            {champ: _valeur(objet, champ) for champ in traitement.champs}
            for objet in choisies[traitement.modele].order_by("pk")
        ]
        if lignes:
            sections.append(
                {
                    "donnees": traitement.libelle,
                    "modele": traitement.modele,
                    "finalite": traitement.finalite,
                    "base_legale": traitement.base_legale,
                    "conservation": traitement.conservation,
                    "destinataires": traitement.destinataires,
                    "lignes": lignes,
                }
            )
    return {
        "identifiant": user.username,
        "exporte_le": horloge.maintenant().isoformat(),
        "produit": "CTG — convention territoriale globale",
        "sections": sections,
    }


def resume_pdf(donnees: dict) -> bytes:
    """A PDF summary of :func:`donnees_de`'s result."""
    from ctg.documents import Document, Paragraphe, Tableau, Titre, rendre_pdf

    blocs = [
        Titre(f"Vos données personnelles dans CTG — {donnees['identifiant']}", 0),
        Paragraphe(f"Export du {donnees['exporte_le'][:10]}. Le fichier JSON joint contient les mêmes données."),
    ]
    for section in donnees["sections"]:
        blocs.append(Titre(section["donnees"], 1))
        blocs.append(Paragraphe(f"Finalité : {section['finalite']}. Conservation : {section['conservation']}."))
        for ligne in section["lignes"]:
            blocs.append(
                Tableau(
                    ["Donnée", "Valeur"],
                    [[champ, "" if v is None else str(v)] for champ, v in ligne.items()],
                    [1, 3],
                )
            )
    return rendre_pdf(Document(titre="Vos données personnelles dans CTG", blocs=blocs, auteur="CTG"))


# --- Anonymisation -------------------------------------------------------------------------------------------------


@dataclass
class Changement:
    modele: str
    pk: int
    champ: str
    avant: str
    apres: str
    historiques: int = 0  # history rows changed with it

    def __str__(self):
        return f"{self.modele} n° {self.pk} — {self.champ} : « {self.avant} » → « {self.apres} »"


@dataclass
class Anonymisation:
    user: object
    changements: list[Changement] = field(default_factory=list)


def _remplacer_noms(texte: str, p: Personne, par: str) -> str:
    for nom in p.noms:
        texte = re.sub(re.escape(nom), par, texte, flags=re.IGNORECASE)
    return texte


def _valeurs(p: Personne, objet, valeurs: dict) -> list[tuple[str, str, str]]:
    return [(c, getattr(objet, c), v) for c, v in valeurs.items() if getattr(objet, c) != v]


def _plan(p: Personne) -> list[tuple[object, dict]]:
    """Each row to change and its new values."""
    user = p.user
    nom = pseudonyme(user)
    prenom_pseudo, nom_pseudo = "Personne anonymisée", f"n° {user.pk}"
    choisies = selections(p)
    plan: list[tuple[object, dict]] = [
        (
            user,
            {"username": f"anonyme-{user.pk}", "first_name": prenom_pseudo, "last_name": nom_pseudo, "email": ""},
        )
    ]
    plan += [(profil, {"fonction": ""}) for profil in choisies["comptes.Profil"]]
    plan += [(i, {"email": ""}) for i in choisies["conventions.Invitation"].filter(p.par_email())]
    plan += [(s, {"prenom": prenom_pseudo, "nom": nom_pseudo}) for s in choisies["conventions.Signataire"]]
    plan += [(a, {"maire_prenom": prenom_pseudo, "maire_nom": nom_pseudo}) for a in choisies["conventions.Adhesion"]]
    plan += [
        (m, {"prenom": prenom_pseudo, "nom": nom_pseudo, "civilite": "", "email": "", "fonction": ""})
        for m in choisies["gouvernance.Membre"]
    ]
    # API tokens: named by their holder (the name may say who), revoked for good
    plan += [
        (j, {"nom": f"jeton n° {j.pk}", "revoque_le": j.revoque_le or horloge.maintenant()})
        for j in choisies["api.JetonApi"]
    ]
    for label, champ in TEXTES_LIBRES:
        for objet in _modele(label).objects.filter(p.cite(champ)):
            plan.append((objet, {champ: _remplacer_noms(getattr(objet, champ), p, nom)}))
    return plan


def _historiques(objet, valeurs: dict, p: Personne) -> int:
    """Apply the anonymisation to the history rows of ``objet`` (django-simple-history)."""
    historique = getattr(type(objet), "historique", None)
    if historique is None:
        return 0
    lignes = historique.model.objects.filter(**{type(objet)._meta.pk.attname: objet.pk})
    nom = pseudonyme(p.user)
    changees = 0
    for ligne in lignes:
        nouvelles = {}
        for champ, valeur in valeurs.items():
            if not hasattr(ligne, champ):
                continue
            ancienne = getattr(ligne, champ)
            if (champ, type(objet)._meta.label) in {(c, m) for m, c in TEXTES_LIBRES}:
                valeur = _remplacer_noms(ancienne or "", p, nom)
            if ancienne != valeur:
                nouvelles[champ] = valeur
        if nouvelles:
            type(ligne).objects.filter(pk=ligne.pk).update(**nouvelles)
            changees += 1
    return changees


def anonymiser(user, essai: bool = False) -> Anonymisation:
    """Anonymise ``user`` everywhere (see the module's docstring); ``essai``: list what would change, write nothing.

    Rows are updated in place (``QuerySet.update``): the records of a signed convention or of approved minutes stay
    frozen for every other change, and the anonymisation adds no history row that would copy the name again."""
    p = Personne.de(user)
    resultat = Anonymisation(user)
    plan = _plan(p)
    with transaction.atomic():
        for objet, valeurs in plan:
            modifs = _valeurs(p, objet, valeurs)
            if not modifs:
                continue
            label = type(objet)._meta.label
            for champ, avant, apres in modifs:
                resultat.changements.append(Changement(label, objet.pk, champ, str(avant), str(apres)))
            if essai:
                continue
            nouvelles = {c: v for c, _, v in modifs}
            type(objet).objects.filter(pk=objet.pk).update(**nouvelles)
            resultat.changements[-1].historiques = _historiques(objet, nouvelles, p)
        if not essai:
            User = get_user_model()
            compte = User.objects.get(pk=user.pk)
            compte.set_unusable_password()
            compte.is_active = False
            compte.save(update_fields=["password", "is_active"])
            _modele("comptes.Profil").objects.update_or_create(
                user=compte, defaults={"anonymise_le": horloge.aujourd_hui()}
            )
            # The rows were updated in place, without the signals that renew the data's token of a convention: what
            # the servers keep of every convention (names in the dashboard's alerts…) is computed again.
            memoire.perimer(_modele("conventions.Convention").objects.values_list("pk", flat=True))
    return resultat


# --- Inactive accounts ---------------------------------------------------------------------------------------------


@dataclass
class Inactifs:
    desactives: list[str] = field(default_factory=list)
    anonymises: list[str] = field(default_factory=list)


def traiter_inactifs(jour: date | None = None) -> Inactifs:
    """The daily update's part: deactivate accounts unused for ``CTG_INACTIVITE_JOURS`` days (from their last
    login, or their creation if they never signed in), then anonymise those deactivated for
    ``CTG_ANONYMISATION_JOURS`` days. The administrators and the system account are left alone."""
    jour = jour or horloge.aujourd_hui()
    Profil = _modele("comptes.Profil")
    User = get_user_model()
    resultat = Inactifs()
    seuil = horloge.maintenant() - timedelta(days=settings.CTG_INACTIVITE_JOURS)
    candidats = (
        User.objects.filter(is_active=True, is_superuser=False)
        .exclude(username=IDENTIFIANT_SYSTEME)
        .filter(Q(last_login__lt=seuil) | Q(last_login__isnull=True, date_joined__lt=seuil))
    )
    for user in candidats:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(is_active=False)
            Profil.objects.update_or_create(user=user, defaults={"desactive_le": jour})
        resultat.desactives.append(user.username)
    limite = jour - timedelta(days=settings.CTG_ANONYMISATION_JOURS)
    for profil in Profil.objects.filter(
        desactive_le__lte=limite, anonymise_le__isnull=True, user__is_active=False, user__is_superuser=False
    ).select_related("user"):
        resultat.anonymises.append(profil.user.username)
        anonymiser(profil.user)
    return resultat


def libelles_champs(traitement: Traitement) -> list[str]:
    """The fields of a register entry, by their French names."""
    modele = apps.get_model(traitement.modele)
    return [str(modele._meta.get_field(champ).verbose_name) for champ in traitement.champs]
