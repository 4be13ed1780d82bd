"""The README's plain install (``pip install -e .``, without the development extra) holds every package the product
imports: each third-party module imported anywhere under ``src/ctg`` belongs to a distribution listed in
``[project.dependencies]``. (A PDF page count once needed pypdf, then only a development dependency: the PDF was
written, then the command failed.)"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
CODE = RACINE / "src" / "ctg"


def _nom_normalise(nom: str) -> str:
    return re.sub(r"[-_.]+", "-", nom).lower()


def _dependances_d_execution() -> set[str]:
    projet = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_nom_normalise(re.split(r"[\[=<>!~; ]", ligne, maxsplit=1)[0]) for ligne in projet["dependencies"]}


def _modules_importes() -> dict[str, str]:
    """Top-level module → one file importing it, for every absolute import of the product's code."""
    modules: dict[str, str] = {}
    for fichier in CODE.rglob("*.py"):
        for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
            if isinstance(noeud, ast.Import):
                noms = [alias.name for alias in noeud.names]
            elif isinstance(noeud, ast.ImportFrom) and noeud.level == 0 and noeud.module:
                noms = [noeud.module]
            else:
                continue
            for nom in noms:
                modules.setdefault(nom.split(".")[0], str(fichier.relative_to(RACINE)))
    return modules


def test_chaque_module_importe_est_une_dependance_d_execution():
    dependances = _dependances_d_execution()
    distributions = packages_distributions()
    manquants = []
    for module, fichier in sorted(_modules_importes().items()):
        if module == "ctg" or module in sys.stdlib_module_names:
            continue
        fournisseurs = {_nom_normalise(d) for d in distributions.get(module, [])}
        assert fournisseurs, f"module « {module} » (importé par {fichier}) introuvable dans l'environnement"
        if not fournisseurs & dependances and not _fourni_par_une_dependance(fournisseurs, dependances):
            manquants.append(f"{module} ({', '.join(sorted(fournisseurs))}), importé par {fichier}")
    assert not manquants, "absents de [project.dependencies] : " + " ; ".join(manquants)


def _fourni_par_une_dependance(fournisseurs: set[str], dependances: set[str]) -> bool:
    """A package that a listed dependency requires (``psycopg[binary]`` brings ``psycopg-binary``, ``weasyprint``
    brings ``tinycss2``…): installed with it."""
    from importlib.metadata import requires

    for dependance in dependances:
        for exigence in requires(dependance) or []:
            if _nom_normalise(re.split(r"[\[=<>!~; (]", exigence, maxsplit=1)[0]) in fournisseurs:
                return True
    return False


def test_le_controle_voit_un_module_de_developpement():
    """The check itself: pytest, a development dependency, is not a runtime one."""
    assert "pytest" not in _dependances_d_execution()
    assert _nom_normalise("pytest") in {_nom_normalise(d) for d in packages_distributions()["pytest"]}
