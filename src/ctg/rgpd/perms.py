"""Who may open the pages of data-exchange requests, joint communication and personal data (``ctg.acces``)."""

ACCES: dict[str, str] = {}
