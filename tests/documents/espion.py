"""A local HTTP server that records every request it receives: proof that rendering a document fetched nothing."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ServeurEspion:
    def __init__(self):
        self.requetes: list[str] = []
        espion = self

        class Gestionnaire(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                espion.requetes.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.serveur = ThreadingHTTPServer(("127.0.0.1", 0), Gestionnaire)
        self.url = f"http://127.0.0.1:{self.serveur.server_address[1]}/"


@contextlib.contextmanager
def serveur_espion():
    """A running :class:`ServeurEspion` (``.url`` to put in a hostile text, ``.requetes`` received)."""
    espion = ServeurEspion()
    fil = threading.Thread(target=espion.serveur.serve_forever, daemon=True)
    fil.start()
    try:
        yield espion
    finally:
        espion.serveur.shutdown()
        espion.serveur.server_close()
