"""Who may open the pages of the rgpd application (``ctg.acces``): those of the data-exchange requests and the
register of processing activities (``perms_echanges``), and those of people's rights (``perms_personnes``)."""

from .perms_echanges import ACCES as ACCES_ECHANGES
from .perms_echanges import exemples_acces as exemples_echanges
from .perms_personnes import ACCES as ACCES_PERSONNES
from .perms_personnes import exemples_acces as exemples_personnes

ACCES = {**ACCES_ECHANGES, **ACCES_PERSONNES}


def exemples_acces(convention) -> dict:
    return {**exemples_echanges(convention), **exemples_personnes(convention)}
