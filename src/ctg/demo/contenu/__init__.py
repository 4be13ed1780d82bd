"""The FICTITIOUS content of the demonstration, as data (texts, dates, figures), one module per app; the loaders of
``ctg.demo`` (``plan``, ``gouvernance``, ``financement``) write it through each app's rules layer."""
