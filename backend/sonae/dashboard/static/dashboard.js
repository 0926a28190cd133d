// The HQ dashboard's live part: panel figures refreshed every N seconds, and for hq/welfare the
// person-level vector-tile layers (support list, dwellings by damage level) with filters and the
// household card. Served from our own server; talks to our own server only.
(function () {
  "use strict";
  var panel = document.getElementById("sonae-panel");
  var map = window.sonae_map;
  if (!panel || !map) { return; }
  var code = panel.dataset.code;
  var refreshMs = Number(panel.dataset.refresh) * 1000;
  // The event the page was opened for (?event=ID); empty: the server's default at each refresh.
  var eventId = panel.dataset.event;
  function withEvent(url) {
    if (!eventId) { return url; }
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "event=" + encodeURIComponent(eventId);
  }
  var LEVEL_COLOURS = {
    total_collapse: "#67000d", large_scale_half: "#cb181d", medium_scale_half: "#f16913",
    half: "#fdae6b", quasi_half: "#fee391", partial: "#bdbdbd"
  };
  var LEVEL_LABELS = {
    total_collapse: "全壊", large_scale_half: "大規模半壊", medium_scale_half: "中規模半壊",
    half: "半壊", quasi_half: "準半壊", partial: "準半壊に至らない（一部損壊）"
  };
  var LEVEL_ORDER = Object.keys(LEVEL_COLOURS);
  window.sonaeDashboard = { refreshes: 0, tileLayers: {}, tileFeatures: 0 };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function fmt(n) { return Number(n).toLocaleString("ja-JP"); }

  function figureBox(title, value, missing) {
    var box = el("div", "sonae-figure" + (missing ? " missing" : ""));
    box.appendChild(el("h3", null, title));
    var values = Array.isArray(value) ? value : [value];
    values.forEach(function (v) { box.appendChild(el("div", "value", v)); });
    return box;
  }

  function render(data) {
    var root = document.getElementById("sonae-figures");
    root.textContent = "";
    var ev = data.event;
    root.appendChild(figureBox("災害・フェーズ", ev ?
      [ev.name + "（" + ev.hazard_label + "）", ev.phase_label] : ["発令中の災害なし", "平常時"],
      !ev));
    root.appendChild(figureBox("避難行動要支援者名簿",
      data.support_list_size === null ? "未作成" : fmt(data.support_list_size) + " 人",
      data.support_list_size === null));
    data.slots.forEach(function (slot) {
      if (!slot.available) {
        root.appendChild(figureBox(slot.label, slot.status, true));
        return;
      }
      root.appendChild(figureBox(slot.label, slot.lines.map(function (line) {
        var of = line.of === null || line.of === undefined ? "" : " / " + fmt(line.of);
        return line.label + " " + fmt(line.value) + of + (line.unit ? " " + line.unit : "");
      }), false));
    });
    noteEventsChanged(data.open_events || []);
    document.getElementById("sonae-updated").textContent =
      new Date(data.as_of).toLocaleTimeString("ja-JP");
    window.sonaeDashboard.refreshes += 1;
  }

  // The list of events is drawn by the server; say so when the open events have changed.
  function noteEventsChanged(events) {
    var nav = document.getElementById("sonae-events");
    var note = document.getElementById("sonae-events-changed");
    var open = events.filter(function (e) { return !e.closed; })
      .map(function (e) { return String(e.id); }).join(",");
    var listed = nav ? nav.dataset.open : "";
    if (note) { note.hidden = open === listed; }
    window.sonaeDashboard.openEvents = open;
  }

  function refresh() {
    fetch(withEvent("/api/dashboard/" + code + "/figures"), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(render)
      .catch(function () {
        document.getElementById("sonae-updated").textContent = "更新できません（再試行します）";
      });
  }
  refresh();
  window.setInterval(refresh, refreshMs);

  if (panel.dataset.people !== "1" || !L.vectorGrid) { return; }

  // Leaflet >= 1.8 asks a clicked circle for getLatLng(); VectorGrid 1.3's point features have
  // no _latlng and the click throws. Our clicks use the feature's properties only, so such a
  // feature answers with the map's centre instead of breaking the event.
  var circleLatLng = L.CircleMarker.prototype.getLatLng;
  L.CircleMarker.prototype.getLatLng = function () {
    if (!this._latlng && this.properties) { return map.getCenter(); }
    return circleLatLng.call(this);
  };
  // People and dwellings above the aggregated overlays (pane 400), or those would catch the clicks.
  map.createPane("sonae-people").style.zIndex = 450;
  var TILE_OPTIONS = { rendererFactory: L.svg.tile, interactive: true, maxNativeZoom: 18,
    pane: "sonae-people",
    getFeatureId: function (f) { return f.properties.id; } };

  function clusterStyle(colour) {
    return function (props) {
      if (props.count !== undefined) {
        return { radius: Math.min(18, 3 + Math.sqrt(props.count)), fill: true, fillOpacity: 0.7,
          fillColor: colour(props), color: "#333", weight: 0.8 };
      }
      return { radius: 4, fill: true, fillOpacity: 0.9, fillColor: colour(props),
        color: "#222", weight: 0.6 };
    };
  }
  function counted() { window.sonaeDashboard.tileFeatures += 1; }

  function supportLayer() {
    var layer = L.vectorGrid.protobuf("/api/tiles/" + code + "/support/{z}/{x}/{y}.pbf",
      Object.assign({ vectorTileLayerStyles: { support: function (p) {
        counted(); return clusterStyle(function () { return "#e6550d"; })(p);
      } } }, TILE_OPTIONS));
    layer.on("click", function (e) { showCard(e.layer.properties); });
    return layer;
  }

  function levelOf(props) {
    if (props.damage_level) { return props.damage_level; }
    return LEVEL_ORDER[props.worst] || "partial";
  }
  function dwellingsUrl() {
    var params = new URLSearchParams();
    document.querySelectorAll(".sonae-filter-level").forEach(function (box) {
      if (box.checked) { params.append("level", box.value); }
    });
    [["certificate", "sonae-filter-certificate"], ["support", "sonae-filter-support"],
      ["chome", "sonae-filter-chome"]].forEach(function (pair) {
      var value = document.getElementById(pair[1]).value;
      if (value) { params.set(pair[0], value); }
    });
    if (eventId) { params.set("event", eventId); }
    return "/api/tiles/" + code + "/dwellings/{z}/{x}/{y}.pbf?" + params.toString();
  }
  function dwellingsLayer() {
    var layer = L.vectorGrid.protobuf(dwellingsUrl(),
      Object.assign({ vectorTileLayerStyles: { dwellings: function (p) {
        counted(); return clusterStyle(function (q) { return LEVEL_COLOURS[levelOf(q)]; })(p);
      } } }, TILE_OPTIONS));
    layer.on("click", function (e) { showCard(e.layer.properties); });
    return layer;
  }

  function showCard(props) {
    var card = document.getElementById("sonae-card");
    if (!props.household_number) {
      card.hidden = false;
      card.textContent = fmt(props.count) + " 件（拡大すると個別に表示）";
      return;
    }
    fetch(withEvent("/api/dashboard/" + code + "/households/" +
      encodeURIComponent(props.household_number)), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        card.hidden = false;
        card.textContent = "";
        card.appendChild(el("h3", null, "世帯 " + data.household_number));
        card.appendChild(el("div", null, data.address_text));
        var table = el("table");
        [["被害", data.damage_level_label || "未調査・未集計"],
          ["罹災証明書", data.certificate_status || "―"],
          ["支援", data.support_status || "―"]].forEach(function (row) {
          var tr = el("tr");
          tr.appendChild(el("th", null, row[0]));
          tr.appendChild(el("td", null, row[1]));
          table.appendChild(tr);
        });
        card.appendChild(table);
        var list = el("ul");
        data.members.forEach(function (m) {
          list.appendChild(el("li", null, m.name + "（" + m.age + "歳・" + m.relation_to_head + "）" +
            (m.on_support_list ? " 要支援者" : "")));
        });
        card.appendChild(list);
        card.appendChild(el("small", null, "位置は町・町丁目の代表点の周りに並べて表示しています。"));
      })
      .catch(function (err) { card.hidden = false; card.textContent = "世帯情報を表示できません (" + err.message + ")"; });
  }

  function toggle(name, make, checkbox) {
    var layers = window.sonaeDashboard.tileLayers;
    if (layers[name]) { map.removeLayer(layers[name]); delete layers[name]; }
    if (checkbox.checked) { layers[name] = make().addTo(map); }
  }
  var supportBox = document.getElementById("sonae-layer-support");
  supportBox.addEventListener("change", function () { toggle("support", supportLayer, supportBox); });
  var dwellingsBox = document.getElementById("sonae-layer-dwellings");
  if (panel.dataset.dwellings === "1") {
    var redraw = function () { toggle("dwellings", dwellingsLayer, dwellingsBox); };
    dwellingsBox.addEventListener("change", redraw);
    document.querySelectorAll("#sonae-damage-filters input, #sonae-damage-filters select")
      .forEach(function (input) { input.addEventListener("change", redraw); });
    fetch(withEvent("/api/dashboard/" + code + "/dwelling-options"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (options) {
        [["sonae-filter-certificate", options.certificate_status],
          ["sonae-filter-support", options.support_status]].forEach(function (pair) {
          var select = document.getElementById(pair[0]);
          pair[1].forEach(function (v) { var o = el("option", null, v); o.value = v; select.appendChild(o); });
        });
        var chome = document.getElementById("sonae-filter-chome");
        options.chome.forEach(function (c) { var o = el("option", null, c.name); o.value = c.key; chome.appendChild(o); });
      });
  }
  window.sonaeDashboard.levelLabels = LEVEL_LABELS;
})();
