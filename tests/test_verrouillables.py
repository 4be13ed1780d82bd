"""``ctg.etats.Verrouillable``: its ``verifier_modifiable`` is the hook each concrete model fills in (a visa, a
signatory, a part of a meeting or of the shared diagnostic says when its container no longer lets it change); no
concrete model is left with the base's, which refuses every save."""

from django.apps import apps

from ctg.etats import Verrouillable


def test_chaque_modele_verrouillable_dit_quand_il_ne_peut_plus_changer():
    concrets = [m for m in apps.get_models() if issubclass(m, Verrouillable)]
    assert len(concrets) >= 10  # visas, signatories, the parts of a meeting and of the shared diagnostic
    sans_regle = [m.__name__ for m in concrets if m.verifier_modifiable is Verrouillable.verifier_modifiable]
    assert sans_regle == []
