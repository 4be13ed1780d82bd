"""The FICTITIOUS joint communication of the Cambrai demo convention (loaded by ``ctg.demo.communication``): one
press release approved by both parties (article 8). Its object ends with "(démonstration)"."""

from datetime import date

DEMO = "(démonstration)"

COMMUNICATIONS = [
    {
        "objet": f"Bilan à mi-parcours de la convention territoriale globale {DEMO}",
        "support": "communique",
        "date_prevue": date(2024, 10, 15),
        "contenu": (
            "La Caf du Nord et la Communauté d'agglomération de Cambrai présentent ensemble le bilan à mi-parcours "
            "de leur convention territoriale globale : nouvelles places d'accueil du jeune enfant, relais petite "
            "enfance étendu à trois communes, accueils de loisirs soutenus. Chaque partie mentionne la coopération "
            "de l'autre dans ses propres supports (article 8).\n"
            "Texte fictif de démonstration."
        ),
        # who approves for each party (demo accounts), then who publishes
        "approuvee_par": ["demo", "chef.projet"],
        "publiee_par": "demo",
    },
]
