"""Who may open the pages of the API (``ctg.acces``)."""

ACCES: dict[str, str] = {}
