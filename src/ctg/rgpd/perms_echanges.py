ACCES: dict[str, str] = {}


def exemples_acces(convention) -> dict:
    return {}
