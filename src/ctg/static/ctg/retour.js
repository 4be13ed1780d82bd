// "Revenir à la page précédente" (links marked data-retour): back in the browser's history, from a file rather than
// an inline script, which the Content Security Policy refuses. Without JavaScript the link leads to its href.
document.addEventListener("click", (evenement) => {
  const lien = evenement.target.closest("a[data-retour]");
  if (lien && window.history.length > 1) {
    evenement.preventDefault();
    window.history.back();
  }
});
