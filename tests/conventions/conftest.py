import pytest

from ctg.demo.convention_cambrai import charger_convention_cambrai


@pytest.fixture
def convention_cambrai(db):
    """The real CTG Caf du Nord × CA de Cambrai (December 2021), as the demo loads it."""
    return charger_convention_cambrai()
