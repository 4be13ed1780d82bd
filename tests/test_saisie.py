"""The rules of what people type (``ctg.saisie``): free text by kind (length, control characters), numbers by kind
(domain), errors kept up to a cap; and the forms that apply them, with French messages naming the field."""

import math
from decimal import Decimal

import pytest

from ctg import saisie
from ctg.conventions.forms import AvenantForm, ConventionForm, MotifForm
from ctg.diagnostic.forms import SyntheseForm
from ctg.gouvernance.forms import PresencesForm
from ctg.plan.forms import EvaluationForm, RevisionForm

# --- free text ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texte", "message"),
    [
        ("Vu\x00", "caractère nul (U+0000) interdit (position 3) : retirez ce caractère"),
        ("a\tb", "tabulation (U+0009) interdit (position 2) : retirez ce caractère"),
        ("a\nb", "retour à la ligne interdit (position 2) : ce texte tient sur une seule ligne"),
        ("a\rb", "retour à la ligne interdit (position 2) : ce texte tient sur une seule ligne"),
        ("a\x85b", "caractère de contrôle U+0085 interdit (position 2) : retirez ce caractère"),
        ("a\u2028b", "séparateur de ligne (U+2028) interdit (position 2) : retirez ce caractère"),
        ("a\x7f", "suppression (U+007F) interdit (position 2) : retirez ce caractère"),
        ("x" * 501, "trop long : 501 caractères, 500 au plus"),
    ],
)
def test_une_ligne_de_texte_refuse_les_caracteres_de_controle_et_les_longueurs_demesurees(texte, message):
    assert saisie.probleme_texte(texte, saisie.LIGNE) == message


def test_un_texte_long_garde_tabulations_et_retours_a_la_ligne():
    assert saisie.probleme_texte("Ligne 1\r\nLigne 2\tsuite\u2028", saisie.TEXTE) is None
    assert saisie.probleme_texte("Ligne 1\x00", saisie.TEXTE) == (
        "caractère nul (U+0000) interdit (position 8) : retirez ce caractère"
    )
    assert saisie.probleme_texte("x" * 50_001, saisie.TEXTE) == (
        "trop long : 50\u00a0001 caractères, 50\u00a0000 au plus"
    )


def test_la_longueur_d_une_colonne_prime_sur_celle_de_la_nature():
    assert saisie.probleme_texte("x" * 201, saisie.LIGNE, longueur_max=200) == "trop long : 201 caractères, 200 au plus"


def test_une_liste_de_visas_borne_chaque_ligne():
    assert saisie.probleme_texte("Vu a\nVu " + "b" * 2_000, saisie.VISAS) == (
        "ligne 2 trop longue : 2\u00a0003 caractères, 2\u00a0000 au plus"
    )


# --- numbers --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valeur", "grandeur", "message"),
    [
        (-55, saisie.EFFECTIF, "nombre négatif : un effectif ne peut pas être négatif"),
        (10**400, saisie.EFFECTIF, "nombre trop grand : un effectif ne dépasse pas 100\u00a0000\u00a0000"),
        (1e308, saisie.EFFECTIF, "nombre trop grand : un effectif ne dépasse pas 100\u00a0000\u00a0000"),
        (math.inf, saisie.MONTANT, "nombre infini"),
        (math.nan, saisie.NOMBRE, "valeur non numérique (NaN)"),
        (
            Decimal("1e400"),
            saisie.MONTANT,
            "nombre trop grand : un montant ne dépasse pas 999\u00a0999\u00a0999\u00a0999,99 €",
        ),
        (Decimal("Infinity"), saisie.MONTANT, "nombre infini"),
        (101, saisie.POURCENTAGE, "nombre trop grand : un pourcentage ne dépasse pas 100 %"),
        (
            -(10**13),
            saisie.NOMBRE,
            "nombre trop petit : un nombre vaut au moins -1\u00a0000\u00a0000\u00a0000\u00a0000",
        ),
        (True, saisie.EFFECTIF, "nombre attendu"),
    ],
)
def test_un_nombre_hors_de_son_domaine(valeur, grandeur, message):
    assert saisie.probleme_nombre(valeur, grandeur) == message


@pytest.mark.parametrize(
    ("valeur", "grandeur"),
    [
        (0, saisie.EFFECTIF),
        (100_000_000, saisie.EFFECTIF),
        (12.5, saisie.POURCENTAGE),
        (Decimal("1234.56"), saisie.MONTANT),
    ],
)
def test_un_nombre_dans_son_domaine(valeur, grandeur):
    assert saisie.probleme_nombre(valeur, grandeur) is None


def test_est_fini():
    assert saisie.est_fini(3) and saisie.est_fini(1e308) and saisie.est_fini(Decimal("2.5"))
    assert not any(saisie.est_fini(v) for v in (10**400, math.inf, math.nan, Decimal("NaN"), None, "3", True))


# --- errors of an import --------------------------------------------------------------------------------------


def test_les_erreurs_au_dela_du_plafond_sont_comptees_sans_etre_gardees():
    erreurs = saisie.ErreursBornees(maximum=3)
    for i in range(1_000):
        erreurs.ajouter(f"erreur {i}", "Année" if i % 2 else "Montant")
    assert erreurs.gardees == ["erreur 0", "erreur 1", "erreur 2"] and erreurs.total == 1_000 and erreurs.reste == 997
    assert erreurs.resume_reste(par="par colonne") == (
        "… et 997 autres erreurs non détaillées (par colonne : « Année » : 499, « Montant » : 498)."
    )
    assert saisie.ErreursBornees(maximum=3).resume_reste() is None


def test_le_plafond_vient_des_reglages(settings):
    settings.CTG_IMPORT_ERREURS_MAX = 7
    assert saisie.ErreursBornees().maximum == 7


def test_taille_lisible():
    assert [saisie.taille_lisible(n) for n in (218, 2048, 3 * 1024**2, 1536 * 1024**2)] == [
        "218 octets",
        "2 ko",
        "3 Mo",
        "1,5 Go",
    ]


# --- forms ----------------------------------------------------------------------------------------------------


def test_un_formulaire_refuse_un_caractere_nul_en_nommant_le_champ():
    form = MotifForm(data={"motif": "Erreur\x00 matérielle"})
    assert not form.is_valid()
    assert form.errors["motif"] == ["« Motif » : caractère nul (U+0000) interdit (position 7) : retirez ce caractère."]


def test_un_formulaire_garde_les_retours_a_la_ligne_d_un_texte_long_mais_pas_d_une_ligne():
    form = AvenantForm(data={"objet": "Article 1\r\nArticle 2", "titre": "Nouveau\r\ntitre"}, convention=None)
    assert not form.is_valid()
    assert "objet" not in form.errors
    assert form.errors["titre"] == [
        "« Titre » : retour à la ligne interdit (position 8) : ce texte tient sur une seule ligne."
    ]


def test_un_texte_long_sans_longueur_en_base_recoit_celle_de_sa_nature():
    form = RevisionForm()
    assert form.fields["motif"].widget.attrs["maxlength"] == "1000"  # its own
    form = EvaluationForm(data={"statut": "en_cours", "decision": "maintenir", "commentaire": "x" * 50_001})
    assert form.fields["commentaire"].widget.attrs["maxlength"] == "50000"
    assert not form.is_valid()
    assert form.errors["commentaire"] == ["« Commentaire » : trop long : 50\u00a0001 caractères, 50\u00a0000 au plus."]


def test_un_nombre_demesure_dans_un_formulaire():
    form = EvaluationForm(data={"statut": "en_cours", "decision": "maintenir", "progression": "50"})
    assert form.is_valid(), form.errors
    form = EvaluationForm(data={"statut": "en_cours", "decision": "maintenir", "progression": "9" * 400})
    assert not form.is_valid()


@pytest.mark.django_db
def test_une_date_impossible_est_refusee_par_chaque_formulaire(convention_cambrai):
    """Year 1 or 9999 in any form (here a partner's contribution to the shared diagnostic), with the field named."""
    from ctg.diagnostic.forms import ContributionForm
    from ctg.diagnostic.partage import diagnostic_de

    diagnostic = diagnostic_de(convention_cambrai)
    donnees = {"auteur": "Mairie", "texte": "Un constat partagé"}
    for jour, attendu in (("0001-01-01", "01/01/0001"), ("9999-12-31", "31/12/9999")):
        form = ContributionForm(data={**donnees, "date": jour}, diagnostic=diagnostic)
        assert form.errors["date"] == [f"« Date » : {attendu} n'est pas une date plausible (entre 1900 et 2100)."]
    assert ContributionForm(data={**donnees, "date": "1975-09-01"}, diagnostic=diagnostic).is_valid()


@pytest.mark.django_db
def test_les_champs_ajoutes_apres_la_creation_du_formulaire_sont_controles(convention_cambrai):
    from ctg.gouvernance.models import Membre

    membre = Membre(pk=1, prenom="Ada", nom="Lovelace")
    form = PresencesForm(data={"etat_1": "represente", "par_1": "Jean\r\nATTENDEE:x"}, membres=[membre], presences={})
    assert not form.is_valid()
    assert form.errors["par_1"][0].startswith("« Représenté·e par (pour")
    assert form.errors["par_1"][0].endswith(
        ": retour à la ligne interdit (position 5) : ce texte tient sur une seule ligne."
    )


@pytest.mark.django_db
def test_un_visa_trop_long_est_refuse_par_la_page_de_la_convention(convention_cambrai):
    form = ConventionForm(instance=convention_cambrai)
    donnees = {nom: form[nom].value() for nom in form.fields}
    donnees = {k: ("" if v is None else v) for k, v in donnees.items()}
    donnees["visas"] = "Vu le code de la sécurité sociale\nVu " + "x" * 2_001
    form = ConventionForm(data=donnees, instance=convention_cambrai)
    assert not form.is_valid()
    assert form.errors["visas"] == [
        "« Visas (un « Vu … » par ligne) » : ligne 2 trop longue : 2\u00a0004 caractères, 2\u00a0000 au plus."
    ]


@pytest.mark.django_db
def test_le_commentaire_d_un_domaine_du_diagnostic_refuse_un_caractere_de_controle(convention_cambrai):
    from ctg.diagnostic.models import DiagnosticConvention

    diagnostic, _ = DiagnosticConvention.objects.get_or_create(convention=convention_cambrai)
    form = SyntheseForm(data={"synthese": "ok", "domaine_enfance": "bip\x07"}, instance=diagnostic)
    assert not form.is_valid()
    assert form.errors["domaine_enfance"] == [
        "« Commentaire partagé : enfance » : caractère de contrôle U+0007 interdit (position 4) : retirez ce caractère."
    ]
