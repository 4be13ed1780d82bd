"""The WSGI application, for a production server: ``gunicorn ctg.wsgi`` (README, « Mettre en production »)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctg.settings")
# The server's logs go to the standard output, where the service manager or the log collector reads them.
os.environ.setdefault("CTG_JOURNAL_SORTIE", "stdout")
application = get_wsgi_application()
