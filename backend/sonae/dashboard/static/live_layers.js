// The HQ dashboard's thematic layers (support-list counts, safety, damage, shelters, plans),
// fetched as rows from /api/dashboard/{code}/layers after the page loads and refetched every
// N seconds, so the map stays live without reloading the page. The page itself (rendered once
// per import) holds the empty groups and the chome shapes; the rows name chome by key.
(function () {
  "use strict";
  var panel = document.getElementById("sonae-panel");
  var map = window.sonae_map;
  var live = window.sonaeLive;
  if (!panel || !map || !live) { return; }
  var code = panel.dataset.code;
  var refreshMs = Number(panel.dataset.refresh) * 1000;
  // The event the page was opened for (?event=ID); empty: the server's default at each refresh.
  var url = "/api/dashboard/" + code + "/layers" +
    (panel.dataset.event ? "?event=" + encodeURIComponent(panel.dataset.event) : "");
  var state = window.sonaeDashboard || (window.sonaeDashboard = {});
  state.layerRefreshes = 0;
  var shapes = null;
  var lastText = null;

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  // Tooltips as DOM nodes with textContent: names from the data are never parsed as HTML.
  function table(pairs) {
    var root = el("table");
    pairs.forEach(function (pair) {
      var tr = el("tr");
      tr.appendChild(el("th", pair[0]));
      tr.appendChild(el("td", pair[1]));
      root.appendChild(tr);
    });
    return root;
  }

  function chomeShapes() {
    if (shapes === null) {
      shapes = {};
      if (live.chome) {
        live.chome.eachLayer(function (layer) {
          var f = layer.feature;
          if (f && f.properties.key) { shapes[f.properties.key] = f.geometry; }
        });
      }
    }
    return shapes;
  }

  function areas(features, css, line, fields) {
    return L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function (f) {
        return { color: line, weight: 0.6, fillColor: f.properties.colour, fillOpacity: 0.7,
          className: css };
      },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 6 }); }
    }).bindTooltip(function (layer) { return table(fields(layer.feature.properties)); });
  }

  function byChome(rows, css, line, fields) {
    var known = chomeShapes();
    var features = [];
    rows.forEach(function (row) {
      if (known[row.key]) {
        features.push({ type: "Feature", geometry: known[row.key], properties: row });
      }
    });
    return areas(features, css, line, fields);
  }

  function mesh(rows) {
    var features = rows.map(function (row) {
      var w = row.bounds[0], s = row.bounds[1], e = row.bounds[2], n = row.bounds[3];
      var ring = [[w, s], [e, s], [e, n], [w, n], [w, s]];
      return { type: "Feature", geometry: { type: "Polygon", coordinates: [ring] },
        properties: row };
    });
    return areas(features, "sonae-support-mesh", "#54278f", function (p) {
      return [["メッシュ", p.label], ["要支援者", p.shown]];
    });
  }

  function shelters(rows) {
    return L.layerGroup(rows.map(function (s) {
      return L.circleMarker([s.lat, s.lon], { radius: s.radius, color: s.color,
        weight: s.weight, fillColor: s.fill_color, fillOpacity: 0.9, className: s.class_name })
        .bindPopup(function () {
          var box = el("div");
          box.className = "sonae-popup";
          box.appendChild(el("h4", s.name));
          box.appendChild(table(s.rows));
          return box;
        }, { maxWidth: 320 })
        .bindTooltip(el("span", s.name), { direction: "top" });
    }));
  }

  function plans(rows) {
    return L.layerGroup(rows.map(function (p) {
      var side = Math.round(p.radius * 1.4);
      var icon = L.divIcon({ className: "sonae-plan-destination", iconSize: [side, side] });
      return L.marker([p.lat, p.lon], { icon: icon, keyboard: false })
        .bindTooltip(el("span", p.tooltip));
    }));
  }

  function layersOf(data) {
    var made = {
      support_chome: byChome(data.support_chome, "sonae-support-chome", "#54278f", function (p) {
        return [["町丁目", p.label], ["要支援者", p.shown]];
      }),
      support_mesh: mesh(data.support_mesh),
      shelters: shelters(data.shelters),
      plans: plans(data.plans)
    };
    if (data.safety_chome) {
      made.safety_chome = byChome(data.safety_chome, "sonae-safety", "#555555", function (p) {
        return [["町丁目", p.label], ["確認済", p.shown]];
      });
    }
    if (data.damage_chome) {
      made.damage_chome = byChome(data.damage_chome, "sonae-damage-chome", "#555555",
        function (p) {
          return [["町丁目", p.label]].concat(data.damage_levels.map(function (level) {
            return [level[1], p.levels[level[0]]];
          }));
        });
    }
    return made;
  }

  function draw(data) {
    var made = layersOf(data);
    Object.keys(live.groups).forEach(function (key) {
      live.groups[key].clearLayers();
      if (made[key]) { live.groups[key].addLayer(made[key]); }
    });
    // Roads and the city outline stay drawn over the filled areas.
    live.front.forEach(function (layer) { if (map.hasLayer(layer)) { layer.bringToFront(); } });
    var legend = document.querySelector(".sonae-live-legend");
    // legend_html is built and escaped by the server (LegendSection.html()).
    if (legend) { legend.innerHTML = data.legend_html; }
  }

  function refresh() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (text) {
        // Unchanged rows: keep the drawn layers (and any popup the user has open).
        if (text !== lastText) { draw(JSON.parse(text)); lastText = text; }
        state.layerRefreshes += 1;
      })
      .catch(function () { state.layerError = true; });
  }
  refresh();
  window.setInterval(refresh, refreshMs);
})();
