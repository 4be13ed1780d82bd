"""The audit of a journey's visits fails on a serious violation and names its rule and its element."""

import pytest

from .visite import auditer

pytestmark = [pytest.mark.navigateur]


def test_l_audit_nomme_la_regle_et_l_element_en_defaut(page):
    page.set_content('<html lang="fr"><title>Essai</title><main><h1>Essai</h1><input id="sans-etiquette"></main>')
    (violation,) = auditer(page)
    assert violation.startswith("label (critical)") and "#sans-etiquette" in violation
    page.set_content(
        '<html lang="fr"><title>Essai</title><main><h1>Essai</h1><label for="a">Nom</label><input id="a"></main>'
    )
    assert auditer(page) == []
