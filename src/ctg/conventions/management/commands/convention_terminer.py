import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ctg import audit
from ctg.conventions.cycle import TransitionImpossible, resilier
from ctg.conventions.models import Partie
from ctg.conventions.regles import EFFETS_RESILIATION, REGLES_RESILIATION, calculer_resiliation
from ctg.conventions.selection import trouver_convention


def date_iso(texte: str) -> date:
    try:
        return date.fromisoformat(texte)
    except ValueError:
        raise CommandError(f"Date « {texte} » invalide ou impossible : format attendu AAAA-MM-JJ.") from None


class Command(BaseCommand):
    help = (
        "Résilie une convention selon l'article 12 et affiche sa date de fin effective. "
        "--date est la date d'envoi de la lettre recommandée (mise en demeure) ou du préavis."
    )

    def add_arguments(self, parser):
        parser.add_argument("convention", help="identifiant @ctes ou numéro interne de la convention")
        parser.add_argument("--mode", required=True, choices=sorted(REGLES_RESILIATION))
        parser.add_argument("--date", required=True, help="date d'envoi, AAAA-MM-JJ")
        parser.add_argument("--initiative", choices=[p.value for p in Partie], default="caf")
        parser.add_argument("--motif", default="")
        parser.add_argument("--dry-run", action="store_true", help="calcule sans rien enregistrer")
        parser.add_argument(
            "--effet-passe",
            action="store_true",
            help="confirme l'enregistrement quand la date d'effet est déjà passée (la convention prend fin aussitôt)",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        convention = trouver_convention(options["convention"])
        envoi = date_iso(options["date"])
        mode = options["mode"]
        if options["dry_run"]:
            calcul = calculer_resiliation(mode, envoi, convention.date_fin)
        else:
            try:
                with audit.par_commande("convention_terminer"):
                    _, calcul = resilier(
                        convention,
                        mode,
                        envoi,
                        options["initiative"],
                        options["motif"],
                        confirmer_effet_passe=options["effet_passe"],
                    )
            except TransitionImpossible as exc:
                suite = " (option --effet-passe)" if "Confirmez" in str(exc) else ""
                raise CommandError(f"{exc}{suite}") from exc
        regle = REGLES_RESILIATION[mode]
        resultat = {
            "convention": convention.pk,
            "ctes_identifiant": convention.ctes_identifiant,
            "mode": mode,
            "titre": regle.titre,
            "date_envoi": calcul.date_envoi.isoformat(),
            "date_effet": calcul.date_effet.isoformat(),
            "explication": calcul.explication,
            "effets": EFFETS_RESILIATION,
            "enregistree": not options["dry_run"],
        }
        if options["json"]:
            self.stdout.write(json.dumps(resultat, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{regle.titre}")
        self.stdout.write(f"Date d'envoi : {calcul.date_envoi:%d/%m/%Y}")
        self.stdout.write(f"Date de fin effective : {calcul.date_effet:%d/%m/%Y}")
        self.stdout.write(calcul.explication)
        self.stdout.write(EFFETS_RESILIATION)
        self.stdout.write("Simulation : rien n'a été enregistré." if options["dry_run"] else "Résiliation enregistrée.")
