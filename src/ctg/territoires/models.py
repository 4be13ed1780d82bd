"""The administrative map of France: régions, départements, EPCI and communes, with their shapes.

Shapes are stored as GeoJSON text (WGS84, coordinates rounded to 1e-5 degree) so that every
database the product runs on can hold them and pages can send them as they are.
"""

from django.db import models
from django.urls import reverse

# INSEE "type de nom en clair" (TNCC) -> the words that follow "de" before the name.
CHARNIERES_DE = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de Las ", 8: "de Los "}


def avec_de(nom: str, type_liaison: int) -> str:
    return CHARNIERES_DE.get(type_liaison, "de ") + nom


class Zone(models.TextChoices):
    METRO = "metro", "Métropole"
    DROM = "drom", "Départements et régions d'outre-mer"
    COM = "com", "Collectivités d'outre-mer"


class Region(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = "région"

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)
    type_liaison = models.PositiveSmallIntegerField(
        "type de nom (TNCC de l'INSEE)", default=0, help_text="article que prend le nom : 2 Le, 3 La, 4 Les, 5 L'…"
    )
    nom_recherche = models.CharField(max_length=120, db_index=True, editable=False)
    forme = models.TextField("contour (GeoJSON)", blank=True)
    forme_empreinte = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self):
        return f"{self.nom} ({self.code})"

    def get_absolute_url(self):
        return reverse("territoires:departement", args=[self.code])

    @property
    def nom_avec_de(self) -> str:
        """The name after "de", with the article the INSEE's TNCC gives it: "du Nord", "de l'Ain", "des Landes"."""
        return avec_de(self.nom, self.type_liaison)


class Epci(models.Model):
    class Type(models.TextChoices):
        CA = "CA", "Communauté d'agglomération"
        CC = "CC", "Communauté de communes"
        CU = "CU", "Communauté urbaine"
        METRO = "METRO", "Métropole"
        MET69 = "MET69", "Métropole de Lyon"

    code = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=5, choices=Type.choices)
    mode_financement = models.CharField("régime fiscal", max_length=10, blank=True)
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    population_annee = models.PositiveSmallIntegerField("millésime de la population", null=True, blank=True)
    population_totale = models.PositiveIntegerField(
        "population totale (millésime du COG antérieur)", null=True, blank=True
    )
    nom_recherche = models.CharField(max_length=220, db_index=True, editable=False)
    forme = models.TextField("contour (GeoJSON)", blank=True)
    forme_empreinte = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["nom"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("territoires:epci", args=[self.code])


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes")
    siren = models.CharField("SIREN", max_length=9, blank=True)
    codes_postaux = models.CharField("codes postaux", max_length=200, blank=True, help_text="séparés par des espaces")
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    population_annee = models.PositiveSmallIntegerField("millésime de la population", null=True, blank=True)
    zone = models.CharField("zone", max_length=5, choices=Zone.choices)
    nom_recherche = models.CharField(max_length=120, db_index=True, editable=False)
    forme = models.TextField("contour (GeoJSON)", blank=True)

    class Meta:
        ordering = ["nom"]
        verbose_name = "commune"

    def __str__(self):
        return f"{self.nom} ({self.code})"

    def get_absolute_url(self):
        return reverse("territoires:commune", args=[self.code])

    @property
    def liste_codes_postaux(self) -> list[str]:
        return self.codes_postaux.split()


class ImportTerritoires(models.Model):
    """One run of ``ctg import_territoires``: where the data came from and what it changed."""

    date = models.DateTimeField("date", auto_now_add=True)
    source = models.CharField("dossier source", max_length=500)
    population_annee = models.PositiveSmallIntegerField("millésime de la population", null=True)
    empreintes = models.JSONField("empreintes SHA-256 des fichiers", default=dict)
    sources = models.JSONField("sources publiques", default=list)
    bilan = models.JSONField("bilan (créés, modifiés, inchangés, supprimés)", default=dict)

    class Meta:
        ordering = ["-date"]
        get_latest_by = "date"
        verbose_name = "import des territoires"
        verbose_name_plural = "imports des territoires"

    def __str__(self):
        return f"Import du {self.date:%d/%m/%Y %H:%M}"
