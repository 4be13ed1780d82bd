"""Settings of CTG, read from the environment.

Every variable has a default that runs the product on its embedded SQLite database; a bad value
stops start-up with a message that says which variable is wrong and what it expects.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parent
ROOT_DIR = SRC_DIR.parent.parent
DATA_DIR = Path(os.environ.get("CTG_DATA_DIR", ROOT_DIR / "data"))
VAR_DIR = Path(os.environ.get("CTG_VAR_DIR", ROOT_DIR / "var"))


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on", "oui", "vrai"}:
        return True
    if value in {"0", "false", "no", "off", "non", "faux"}:
        return False
    raise ImproperlyConfigured(f"La variable {name}={raw!r} n'est pas un booléen : utilisez true/false, 1/0, oui/non.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"La variable {name} est vide : donnez une liste séparée par des virgules.")
    return items


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # the library raises several kinds of error on a malformed URL
        raise ImproperlyConfigured(
            f"La variable {name}={raw!r} n'est pas une adresse de base de données valide "
            f"(exemples : sqlite:///chemin/ctg.sqlite3, postgres://utilisateur:motdepasse@hote:5432/base) : {exc}"
        ) from exc
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"La variable {name} désigne un moteur non pris en charge ({engine}) : SQLite ou PostgreSQL."
        )
    if engine.endswith("sqlite3"):
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
        config["CONN_MAX_AGE"] = 0
    return config


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("CTG_EXIGER_SECRET_KEY", False):
        raise ImproperlyConfigured("La variable SECRET_KEY est obligatoire en production.")
    SECRET_KEY = "ctg-cle-locale-non-secrete-a-remplacer-en-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ctg.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "ctg",
    "ctg.territoires",
    "ctg.comptes",
    "ctg.conventions",
    "ctg.documents",
    "ctg.donnees",
    "ctg.diagnostic",
    "ctg.plan",
    "ctg.gouvernance",
    "ctg.financement",
    "ctg.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ctg.urls"
WSGI_APPLICATION = "ctg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

CTG_TERRITOIRES_DIR = DATA_DIR / "territoires"

# Audit trail (ctg.audit): the reason of a change may be long (a command, a Caf's correction with its reason).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- fichiers téléversés ---
# Uploaded files (the Caf's verification attachments) are kept under CTG_FICHIERS_DIR through Django's storage API,
# never in the database. No URL serves that folder: a file is sent only by a view that checks who asks, as a
# download (ctg.televersement.reponse_fichier). Each uploaded file is limited to CTG_TELEVERSEMENT_MAX_MO megabytes
# while it streams in (ctg.televersement.LimiteDeTaille stops reading beyond).
MEDIA_ROOT = Path(os.environ.get("CTG_FICHIERS_DIR") or VAR_DIR / "fichiers")
STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
_televersement_max_mo = env_str("CTG_TELEVERSEMENT_MAX_MO", "10")
try:
    CTG_TELEVERSEMENT_MAX_OCTETS = int(float(_televersement_max_mo.replace(",", ".")) * 1024 * 1024)
except ValueError:
    CTG_TELEVERSEMENT_MAX_OCTETS = 0
if not 0 < CTG_TELEVERSEMENT_MAX_OCTETS <= 1024 * 1024 * 1024:
    raise ImproperlyConfigured(
        f"La variable CTG_TELEVERSEMENT_MAX_MO={_televersement_max_mo!r} doit être un nombre de mégaoctets "
        "plus grand que 0 et au plus 1024 (par exemple 10)."
    )
FILE_UPLOAD_HANDLERS = [
    "ctg.televersement.LimiteDeTaille",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a larger file goes to a temporary file while it is checked
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the fields of a form, files not included
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# --- travail en arrière-plan ---
# Long work started from a page (sending convocations, an import) is a django-tasks task (ctg.taches). By default
# it runs inline, within the request (the embedded SQLite default, the demo, the tests). CTG_TACHES=base puts it in
# a queue in the database, executed by a separate process: `ctg db_worker` (production: see the README).
CTG_TACHES = env_str("CTG_TACHES", "immediat").strip().lower()
if CTG_TACHES not in {"immediat", "base"}:
    raise ImproperlyConfigured(
        f"La variable CTG_TACHES={CTG_TACHES!r} est inconnue : « immediat » (travail fait pendant la requête, par "
        "défaut) ou « base » (file d'attente en base de données, exécutée par « ctg db_worker »)."
    )
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "ctg.taches"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if CTG_TACHES == "base"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# --- imports bornés ---
# What one import reads at most (ctg.donnees, ctg.financement.importation, ctg.conventions.echange): beyond, the
# file is refused with a French message and nothing is written. Errors beyond CTG_IMPORT_ERREURS_MAX are counted,
# not kept (ctg.saisie.ErreursBornees).
CTG_IMPORT_TAILLE_MAX = 1024**3  # bytes of an open-data CSV (`ctg import_donnees`), never read whole
CTG_IMPORT_LIGNES_MAX = 1_000_000  # rows of data of an open-data CSV
CTG_IMPORT_ERREURS_MAX = 200  # errors detailed by any import
CTG_FINANCEMENT_LIGNES_MAX = 20_000  # lines of a funding file, as its sheet gives them (empty ones too)
CTG_FINANCEMENT_XLSX_MAX = 100 * 1024 * 1024  # bytes of a funding XLSX once uncompressed
CTG_ECHANGE_TAILLE_MAX = 20 * 1024 * 1024  # bytes of a ctg-convention JSON file
CTG_ECHANGE_PROFONDEUR_MAX = 20  # objects and lists nested in a ctg-convention file (the format has 6)
