// faction-kg interactive page. Reads the JSON blocks the build embedded, draws them with vis-network
// (positions computed in Python, physics off) and vis-timeline, and wires search, scope, filters, focus,
// grow, path, the timeline brush, exports, the URL hash and the details panel.
// Every string from the data reaches the page through textContent or createTextNode, never as HTML.
(function () {
  "use strict";
  var times = window.kgTimes = {start: performance.now()};  // ms since navigation start, for tests and tuning

  function readJson(id) { return JSON.parse(document.getElementById(id).textContent); }

  var nodeRecords = readJson("kg-nodes");
  var edgeRecords = readJson("kg-edges");
  var options = readJson("kg-options");
  var payload = readJson("kg-info");
  var info = payload.info;
  var meta = payload.meta;
  var styles = meta.styles || {kinds: {}, communities: {}};
  var relationLabels = meta.relationLabels || {};
  var documents = meta.documents || {};
  var titles = meta.titles || {};
  var HIDDEN_FONT = {color: "rgba(0,0,0,0)", strokeWidth: 0};
  var SHOWN_FONT = {color: options.nodes.font.color, strokeWidth: options.nodes.font.strokeWidth};

  times.parsed = performance.now();
  // Big pages: only the most central nodes' labels are measured before the first frame (at the zoom that
  // fits a big graph, no label is large enough to draw); the rest are added on the first zoom-in or selection.
  var pendingLabels = [];
  if (nodeRecords.length > meta.eagerLabels) {
    var cut = nodeRecords.map(function (node) { return node.value; }).sort(function (a, b) { return b - a; })
      [meta.eagerLabels - 1];
    nodeRecords = nodeRecords.map(function (node) {
      if (node.value >= cut) return node;
      pendingLabels.push({id: node.id, label: node.label});
      var copy = Object.assign({}, node);
      delete copy.label;
      return copy;
    });
  }
  function addPendingLabels() {
    if (!pendingLabels.length) return;
    nodes.update(pendingLabels);
    pendingLabels = [];
  }
  var nodes = new vis.DataSet(nodeRecords);
  var edges = new vis.DataSet(edgeRecords);
  var incident = {};
  edgeRecords.forEach(function (edge) {
    (incident[edge.from] = incident[edge.from] || []).push(edge.id);
    if (edge.to !== edge.from) (incident[edge.to] = incident[edge.to] || []).push(edge.id);
  });

  var state = {scope: meta.scope, kinds: {}, relations: {}, statuses: {}, from: "", to: "", hideUnlinked: false,
               focus: meta.focus || null, hops: meta.hops || 1, grown: [], pathFrom: null, pathTo: null,
               selected: null, edge: null, measure: meta.measure, colour: "type"};
  var visibleNodes = new Set();
  var visibleEdges = new Set();
  var path = {nodes: new Set(), edges: [], paths: []};

  // ---------- small DOM helpers (text only) ----------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs.text;
      else if (name === "onclick") node.addEventListener("click", attrs.onclick);
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function $(id) { return document.getElementById(id); }

  // ---------- names: a port of graph.names.search_key and match_rank (tests check they agree) ----------
  var APOSTROPHES = /['`\u00b4\u02b9\u02bc\u02bb\u02bd\u02be\u02bf\u2018\u2019\u201b\u2032]/g;
  var ARTICLES = {al: true, el: true, ul: true};
  function foldWord(word) {
    word = word.replace(/(.)\1+/gu, "$1");
    word = word.split("ou").join("u").split("o").join("u").split("e").join("i");
    return word.replace(/(.)\1+/gu, "$1");
  }
  function searchKey(text) {
    var folded = String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/\u00df/g, "ss").replace(/\u03c2/g, "\u03c3").replace(APOSTROPHES, "");
    var words = folded.split(/[^\p{L}\p{N}]+/u).filter(function (word) { return word; });
    if (words.length > 1) {
      var kept = words.filter(function (word) { return !ARTICLES[word]; });
      if (kept.length) words = kept;
    }
    return words.map(foldWord).join(" ");
  }
  function matchRank(query, key) {
    var compact = query.replace(/ /g, ""), flat = key.replace(/ /g, "");
    if (!compact) return null;
    var words = key.split(" "), wanted = query.split(" ");
    if (flat === compact) return 0;
    if (flat.indexOf(compact) === 0 || words.some(function (w) { return w.indexOf(compact) === 0; })) return 1;
    if (flat.indexOf(compact) >= 0) return 2;
    function starts(part) { return words.some(function (w) { return w.indexOf(part) === 0; }); }
    if (wanted.every(starts)) return 3;
    if (wanted.some(function (part) { return Array.from(part).length >= 4 && starts(part); })) return 4;
    return null;
  }

  // ---------- dates and links ----------
  function dateText(date) { return date ? (date.words || "unknown") : ""; }
  function rangeError() { return !!(state.from && state.to && state.from > state.to); }
  function rangeActive() { return !!(state.from || state.to) && !rangeError(); }
  function overlaps(date) {
    if (!rangeActive() || !date) return true;
    if (state.from && date.latest && date.latest < state.from) return false;
    if (state.to && date.earliest && date.earliest > state.to) return false;
    return true;
  }
  function inRange(date) { return !!(date && (date.earliest || date.latest)) && overlaps(date); }
  function sourceHref(doc, start, end) {
    var href = "sources/" + encodeURIComponent(doc) + ".html";
    return start === undefined ? href : href + "#q-" + start + "-" + end;
  }
  function label(id) { return info.nodes[id] ? info.nodes[id].label : id; }
  function relationLabel(relation) { return relationLabels[relation] || relation; }
  function nodeButton(id) {
    return el("button", {type: "button", "class": "link", "data-node": id, text: label(id),
                         onclick: function () { selectNode(id, true); }});
  }
  function badge(status) { return el("span", {"class": "badge " + status, text: status}); }

  // ---------- what is visible ----------
  function compute() {
    var nodeOk = new Set();
    nodeRecords.forEach(function (node) {
      var item = info.nodes[node.id];
      if (state.kinds[item.kind] !== false && overlaps(item.date)) nodeOk.add(node.id);
    });
    var edgeOk = edgeRecords.filter(function (edge) {
      var item = info.edges[edge.id];
      return state.relations[item.kind] !== false && state.statuses[item.shown] !== false && overlaps(item.date) &&
        nodeOk.has(edge.from) && nodeOk.has(edge.to);
    });
    var adjacency = {};
    edgeOk.forEach(function (edge) {
      (adjacency[edge.from] = adjacency[edge.from] || []).push(edge.to);
      (adjacency[edge.to] = adjacency[edge.to] || []).push(edge.from);
    });
    var shown;
    if (state.focus && nodeOk.has(state.focus)) {
      shown = new Set([state.focus]);
      var frontier = [state.focus];
      for (var hop = 0; hop < state.hops; hop++) {
        var next = [];
        frontier.forEach(function (id) {
          (adjacency[id] || []).forEach(function (other) {
            if (!shown.has(other)) { shown.add(other); next.push(other); }
          });
        });
        frontier = next;
      }
    } else if (state.scope === "actors") {
      shown = new Set(Array.from(nodeOk).filter(function (id) { return info.nodes[id].actor; }));
    } else {
      shown = new Set(nodeOk);
    }
    state.grown.forEach(function (id) {
      if (!nodeOk.has(id)) return;
      shown.add(id);
      (adjacency[id] || []).forEach(function (other) { shown.add(other); });
    });
    path.nodes.forEach(function (id) { if (nodeOk.has(id)) shown.add(id); });
    if (state.hideUnlinked && rangeActive()) {
      shown = new Set(Array.from(shown).filter(function (id) {
        if (inRange(info.nodes[id].date) || path.nodes.has(id) || id === state.focus) return true;
        return (incident[id] || []).some(function (edgeId) {
          var edge = info.edges[edgeId];
          var other = edge.from === id ? edge.to : edge.from;
          return shown.has(other) && (inRange(edge.date) || inRange(info.nodes[other] && info.nodes[other].date));
        });
      }));
    }
    visibleNodes = shown;
    visibleEdges = new Set(edgeOk.filter(function (edge) { return shown.has(edge.from) && shown.has(edge.to); })
      .map(function (edge) { return edge.id; }));
    nodeView.refresh();
    edgeView.refresh();
    var what = state.focus ? "focus: " + label(state.focus) + ", " + state.hops + " hops"
      : state.scope === "actors" ? "actor network" : "everything";
    $("counts").textContent = visibleNodes.size + " of " + nodeRecords.length + " nodes, " + visibleEdges.size +
      " of " + edgeRecords.length + " links shown (" + what + (state.grown.length ? ", " + state.grown.length +
      " grown" : "") + ")";
    $("unfocus").disabled = !state.focus;
    var message = $("date-message");
    message.hidden = !rangeError();
    message.textContent = rangeError() ? "\u201cFrom\u201d (" + state.from + ") is after \u201cto\u201d (" + state.to +
      "): no date can fall in this range, so the dates are not filtering. Swap them or clear one." : "";
    labelsDirty = true;
    showKey();
  }

  var nodeView = new vis.DataView(nodes, {filter: function (node) { return visibleNodes.has(node.id); }});
  var edgeView = new vis.DataView(edges, {filter: function (edge) { return visibleEdges.has(edge.id); }});
  var labelsDirty = true;
  compute();
  times.filtered = performance.now();
  var network = new vis.Network($("graph"), {nodes: nodeView, edges: edgeView}, options);
  times.network = performance.now();

  // ---------- labels: the most important ones that fit; the rest on hover or zoom ----------
  var hiddenLabels = new Set();
  var lastView = "";
  function importance(id) {
    var item = info.nodes[id];
    return (id === state.selected || id === state.focus ? 1e12 : 0) + (item.actor ? 1e6 : 0) +
      (item.sizes[state.measure] || 0) * 1000 - item.rank;
  }
  function declutter() {
    if (network.physics.options.enabled) return false;
    var scale = network.getScale();
    var threshold = options.nodes.scaling.label.drawThreshold;
    var placed = [];
    var pad = 3 / scale;
    var order = Array.from(visibleNodes).sort(function (a, b) { return importance(b) - importance(a) || (a < b ? -1 : 1); });
    var hide = new Set();
    order.forEach(function (id) {
      var body = network.body.nodes[id];
      if (!body || !body.labelModule || !body.labelModule.size.width) return;
      if (body.labelModule.fontOptions.size * scale < threshold - 1) return;  // too small: vis does not draw it
      var s = body.labelModule.size;
      var box = {left: s.left - pad, right: s.left + s.width + pad, top: s.top - pad, bottom: s.top + s.height + pad};
      var clash = placed.some(function (o) {
        return box.left < o.right && o.left < box.right && box.top < o.bottom && o.top < box.bottom;
      });
      if (clash) hide.add(id); else placed.push(box);
    });
    var changed = [];
    hide.forEach(function (id) { if (!hiddenLabels.has(id)) changed.push(id); });
    hiddenLabels.forEach(function (id) { if (!hide.has(id)) changed.push(id); });
    hiddenLabels = hide;
    var updates = changed.map(look);
    if (updates.length) nodes.update(updates);
    return updates.length > 0;
  }
  var ready = false;
  network.on("afterDrawing", function () {
    // Labels are measured when drawn: hide the overlapping ones, then (once the drawing is stable) say ready.
    var view = network.getScale().toFixed(4) + ":" + JSON.stringify(network.getViewPosition());
    if (labelsDirty || view !== lastView) {
      labelsDirty = false;
      lastView = view;
      if (declutter()) return;  // a redraw follows
    }
    if (!ready) {
      ready = true;
      window.kgReadyMs = times.drawn = performance.now();
      markReady();
    }
  });
  function markReady() {  // the first stable frame; the timeline is built after it, so it does not delay the graph
    document.documentElement.setAttribute("data-ready", "true");
    setTimeout(buildTimeline, 0);
  }
  function markTimelineReady() { document.documentElement.setAttribute("data-timeline-ready", "true"); }
  var tip = $("tip");
  network.on("hoverNode", function (params) {
    tip.textContent = label(params.node);
    var box = $("graph").getBoundingClientRect();
    tip.style.left = (box.left + params.pointer.DOM.x + 12) + "px";
    tip.style.top = (box.top + params.pointer.DOM.y + 12) + "px";
    tip.hidden = false;
  });
  network.on("blurNode", function () { tip.hidden = true; });

  // ---------- size and colour ----------
  function nodeColour(id) {
    var item = info.nodes[id];
    var fill, border;
    if (state.colour === "community") {
      fill = item.community === null || item.community === undefined ? "#cccccc"
        : styles.communities[String(item.community)] || "#cccccc";
      border = "#555555";
    } else {
      var kind = styles.kinds[item.kind] || {colour: "#bbbbbb", border: "#838383"};
      fill = kind.colour;
      border = kind.border;
    }
    return {background: fill, border: border, highlight: {background: fill, border: "#000000"},
            hover: {background: fill, border: "#000000"}};
  }
  function showKey() {  // the colours on screen, in words, in the corner of the drawing
    var key = $("key");
    clear(key);
    var seen = {};
    visibleNodes.forEach(function (id) {
      var item = info.nodes[id];
      var group = state.colour === "community" ? (item.community === null || item.community === undefined ? "none" : String(item.community)) : item.kind;
      seen[group] = (seen[group] || 0) + 1;
    });
    Object.keys(seen).sort(function (a, b) { return seen[b] - seen[a] || (a < b ? -1 : 1); }).forEach(function (group) {
      var colour, text;
      if (state.colour === "community") {
        colour = group === "none" ? "#cccccc" : styles.communities[group] || "#cccccc";
        text = group === "none" ? "no community" : "community " + (Number(group) + 1);
      } else {
        colour = (styles.kinds[group] || {colour: "#bbbbbb"}).colour;
        text = (styles.kinds[group] || {label: group}).label;
      }
      var swatch = el("i");
      swatch.style.background = colour;
      key.appendChild(el("span", {}, [swatch, text + " (" + seen[group] + ")"]));
    });
  }
  var recordFont = {};
  nodeRecords.forEach(function (node) { if (node.font) recordFont[node.id] = node.font; });
  // Everything a node's look depends on, in one update: vis-network re-applies the node's group to any
  // option an update leaves out (a label hidden without its colour would get its group's colour back).
  function look(id) {
    return {id: id, value: info.nodes[id].sizes[state.measure] || 0, color: nodeColour(id),
            font: Object.assign({}, recordFont[id], hiddenLabels.has(id) ? HIDDEN_FONT : SHOWN_FONT)};
  }
  function applyStyle() {
    nodes.update(nodeRecords.map(function (node) { return look(node.id); }));
    $("legend-communities").hidden = state.colour !== "community";
    showKey();
    $("size-by").value = state.measure;
    $("colour-by").value = state.colour;
    labelsDirty = true;
  }

  // ---------- details panel ----------
  function sourceLine(item) {  // the source as cited (to its page), then each quote (to its place there)
    var line = el("div", {"class": "src"}, [el("a", {href: sourceHref(item.document), target: "_blank", rel: "noopener",
                                                      "class": "doc-link", text: documents[item.document] || item.document})]);
    item.evidence.forEach(function (ev) {
      line.appendChild(document.createTextNode(" "));
      line.appendChild(el("a", {href: sourceHref(item.document, ev[1], ev[2]), target: "_blank", rel: "noopener",
                                "class": "quote-ref",
                                text: "\u201c" + (ev[0].length > 140 ? ev[0].slice(0, 139) + "\u2026" : ev[0]) + "\u201d"}));
    });
    return line;
  }

  function factSortKey(id) {
    var item = info.edges[id];
    return [(item.date && item.date.earliest) || "9999", relationLabel(item.relation), id].join("\u0000");
  }

  function openPanel() {
    var body = $("details-body");
    clear(body);
    $("details").scrollTop = 0;
    return body;
  }
  function props(panel, rows) {
    var list = el("dl", {"class": "props"});
    rows.forEach(function (row) {
      if (!row[1]) return;
      list.appendChild(el("dt", {text: row[0]}));
      list.appendChild(el("dd", {}, [row[1]]));
    });
    panel.appendChild(list);
  }

  function showNode(id) {
    var item = info.nodes[id];
    var panel = openPanel();
    panel.appendChild(el("h2", {text: item.label}));
    var grown = state.grown.indexOf(id) >= 0;
    panel.appendChild(el("div", {"class": "actions"}, [
      el("button", {type: "button", id: "act-focus", text: "Focus", onclick: function () { focusOn(id); }}),
      el("button", {type: "button", id: "act-grow", text: grown ? "Collapse" : "Grow (show its neighbours)",
                    onclick: function () { toggleGrow(id); }}),
      el("button", {type: "button", id: "act-path-from", text: "Path from here", onclick: function () { setPath("from", id); }}),
      el("button", {type: "button", id: "act-path-to", text: "Path to here", onclick: function () { setPath("to", id); }})]));
    props(panel, [["type", item.types.join(", ") + " (" + item.kind + ")"], ["date", dateText(item.date)], ["id", id],
                  ["size", (meta.measures[state.measure] || state.measure) + ": " + (item.sizes[state.measure] || 0)],
                  ["community", item.community === null || item.community === undefined ? "" : String(item.community + 1)]]);
    if (!visibleNodes.has(id)) panel.appendChild(el("p", {"class": "note", text: "Hidden by the current view or filters."}));
    if (item.aliases.length) {
      panel.appendChild(el("h3", {text: "Also called"}));
      panel.appendChild(el("p", {text: item.aliases.join(" \u00b7 ")}));
    }
    if (item.description) {
      panel.appendChild(el("h3", {text: "Description"}));
      panel.appendChild(el("p", {text: item.description}));
    }
    item.gist.forEach(function (gist) {
      panel.appendChild(el("h3", {text: "Gist"}));
      panel.appendChild(el("p", {text: gist}));
    });
    var facts = (incident[id] || []).slice().sort(function (a, b) {
      var ka = factSortKey(a), kb = factSortKey(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    var roles = [], byRole = {};  // one line per role and organization, whatever the case of the role's words
    facts.forEach(function (edgeId) {
      var edge = info.edges[edgeId];
      if (!edge.role || edge.from !== id) return;
      var key = edge.role.toLowerCase() + "\u0000" + edge.to;
      if (!byRole[key]) { byRole[key] = {role: edge.role, to: edge.to, edges: []}; roles.push(byRole[key]); }
      byRole[key].edges.push(edge);
    });
    if (roles.length) {
      panel.appendChild(el("h3", {text: "Roles"}));
      panel.appendChild(el("ul", {"class": "facts", id: "node-roles"}, roles.map(function (role) {
        return el("li", {}, [badge(role.edges[0].shown), role.role + " of ", nodeButton(role.to)]
          .concat(role.edges.map(sourceLine)));
      })));
    }
    panel.appendChild(el("h3", {text: "Facts (" + facts.length + ")"}));
    panel.appendChild(el("ul", {"class": "facts", id: "node-facts"}, facts.map(function (edgeId) {
      var edge = info.edges[edgeId];
      var outgoing = edge.from === id;
      return el("li", {}, [badge(edge.shown), edge.date ? el("span", {"class": "date", text: dateText(edge.date)}) : null,
                           el("button", {type: "button", "class": "link", "data-edge": edgeId,
                                         text: (outgoing ? "" : "\u2190 ") + relationLabel(edge.relation) + (outgoing ? " \u2192" : ""),
                                         onclick: function () { selectEdge(edgeId); }}),
                           " ", nodeButton(outgoing ? edge.to : edge.from), sourceLine(edge)]);
    })));
    if (item.values.length) {
      panel.appendChild(el("h3", {text: "Values (" + item.values.length + ")"}));
      panel.appendChild(el("ul", {"class": "facts", id: "node-values"}, item.values.map(function (fact) {
        return el("li", {}, [badge(fact.status), relationLabel(fact.relation) + ": " + fact.value, sourceLine(fact)]);
      })));
    }
    $("focus").disabled = false;
    $("focus-label").textContent = "Selected: " + item.label;
  }

  function quoteBlock(panel, item) {
    item.evidence.forEach(function (ev) {
      panel.appendChild(el("blockquote", {"class": "quote", text: ev[0]}));
      panel.appendChild(el("div", {"class": "src"}, [
        el("a", {href: sourceHref(item.document, ev[1], ev[2]), target: "_blank", rel: "noopener", "class": "quote-link",
                 text: "open the source at this quote (characters " + ev[1] + "\u2013" + ev[2] + ")"})]));
    });
    if (!item.evidence.length) panel.appendChild(el("p", {"class": "muted", text: "Stated in this document (no quote)."}));
  }

  function showEdge(id) {
    var item = info.edges[id];
    var panel = openPanel();
    panel.appendChild(el("h2", {text: relationLabel(item.relation)}));
    panel.appendChild(el("p", {}, [nodeButton(item.from), " \u2192 " + relationLabel(item.relation) + " \u2192 ",
                                   nodeButton(item.to)]));
    props(panel, [["status", el("span", {}, [badge(item.shown), item.shown === "disputed" ? "(" + item.status + ")" : ""])],
                  ["date", item.date ? dateText(item.date) : ""], ["role", item.role || ""],
                  ["attributed to", item.attributedTo.map(label).join(", ")], ["relation", item.relation], ["fact", id]]);
    if (item.shown === "disputed") {
      var disputes = [item.from, item.to].reduce(function (found, node) {
        return found.concat((incident[node] || []).filter(function (edgeId) {
          var other = info.edges[edgeId];
          return other.to === node && (other.relation === "disavows" || other.relation === "denies");
        }));
      }, []);
      panel.appendChild(el("h3", {text: "Disputed by"}));
      panel.appendChild(el("ul", {"class": "facts"}, disputes.map(function (edgeId) {
        return el("li", {}, [nodeButton(info.edges[edgeId].from), " " + relationLabel(info.edges[edgeId].relation)]);
      })));
    }
    panel.appendChild(el("h3", {text: "Source"}));
    panel.appendChild(el("p", {}, [el("span", {"class": "citation", text: documents[item.document] || item.document}), el("br"),
      el("a", {href: sourceHref(item.document), target: "_blank", rel: "noopener", "class": "doc-title",
               text: titles[item.document] || documents[item.document] || item.document})]));
    quoteBlock(panel, item);
  }

  function showPath() {
    var panel = openPanel();
    panel.appendChild(el("h2", {text: "Path: " + label(state.pathFrom) + " \u2192 " + label(state.pathTo)}));
    if (!path.paths.length) {
      panel.appendChild(el("p", {"class": "note", text: "No chain of links joins them (with the current filters)."}));
      return;
    }
    path.paths.forEach(function (steps, index) {
      panel.appendChild(el("h3", {text: "Path " + (index + 1) + " (" + steps.length + " link" + (steps.length > 1 ? "s" : "") + ")"}));
      var at = state.pathFrom;
      panel.appendChild(el("ol", {"class": "facts path"}, steps.map(function (edgeId) {
        var edge = info.edges[edgeId];
        var forward = edge.from === at;
        var next = forward ? edge.to : edge.from;
        var line = el("li", {}, [nodeButton(at), " ", badge(edge.shown), " ",
          el("button", {type: "button", "class": "link", "data-edge": edgeId,
                        text: (forward ? "" : "\u2190 ") + relationLabel(edge.relation) + (forward ? " \u2192" : ""),
                        onclick: function () { selectEdge(edgeId); }}), " ", nodeButton(next),
          edge.date ? el("span", {"class": "date", text: " " + dateText(edge.date)}) : null]);
        edge.evidence.slice(0, 1).forEach(function (ev) { line.appendChild(el("blockquote", {"class": "quote", text: ev[0]})); });
        line.appendChild(sourceLine(edge));
        at = next;
        return line;
      })));
    });
  }

  function inView(id) {
    var p = network.getPositions([id])[id];
    if (!p) return false;
    var at = network.canvasToDOM(p), box = $("graph").getBoundingClientRect();
    return at.x > 20 && at.y > 20 && at.x < box.width - 20 && at.y < box.height - 20;
  }
  function selectNode(id, reveal) {
    if (!info.nodes[id]) return;
    addPendingLabels();
    state.selected = id;
    state.edge = null;
    if (visibleNodes.has(id)) {
      network.selectNodes([id]);
      if (reveal && !inView(id)) network.moveTo({position: network.getPositions([id])[id], animation: false});
    }
    showNode(id);
    labelsDirty = true;
    writeHash(false);
  }
  function selectEdge(id) {
    if (!info.edges[id]) return;
    state.edge = id;
    state.selected = null;
    if (visibleEdges.has(id)) network.selectEdges([id]);
    showEdge(id);
    writeHash(false);
  }
  function fitVisible() {
    // Small views keep a zoom at which the actors' labels are readable (the reader zooms out for the rest).
    network.fit({nodes: Array.from(visibleNodes), animation: false, maxZoomLevel: 1.3,
                 minZoomLevel: visibleNodes.size <= 400 ? 0.34 : Number.MIN_VALUE});
    network.moveTo({scale: network.getScale() * 0.88, animation: false});  // room for the labels at the edges
    labelsDirty = true;
  }

  network.on("zoom", function () { if (network.getScale() > 0.3) addPendingLabels(); });
  network.on("click", function (params) {  // select and show the details; the view does not move
    if (params.nodes.length) selectNode(params.nodes[0], false);
    else if (params.edges.length) selectEdge(params.edges[0]);
  });
  network.on("doubleClick", function (params) {  // focus on the node under the pointer
    var id = network.getNodeAt(params.pointer.DOM);
    if (id !== undefined) focusOn(id);
  });

  // ---------- focus, grow, path ----------
  function focusOn(id) {
    addPendingLabels();
    state.focus = id;
    state.selected = id;
    state.hops = Math.max(1, Math.min(9, parseInt($("hops").value, 10) || 1));
    compute();
    fitVisible();
    network.selectNodes([id]);
    showNode(id);
    writeHash(true);
  }
  function toggleGrow(id) {
    var at = state.grown.indexOf(id);
    if (at >= 0) state.grown.splice(at, 1); else state.grown.push(id);
    state.selected = id;
    compute();
    if (visibleNodes.has(id)) network.selectNodes([id]);
    showNode(id);
    writeHash(true);
  }
  function shortestPaths(from, to, limit) {
    var links = {};
    edgeRecords.forEach(function (edge) {
      var item = info.edges[edge.id];
      if (item.kind === "source" || state.relations[item.kind] === false || state.statuses[item.shown] === false) return;
      if (state.kinds[info.nodes[edge.from].kind] === false || state.kinds[info.nodes[edge.to].kind] === false) return;
      (links[edge.from] = links[edge.from] || []).push([edge.to, edge.id]);
      (links[edge.to] = links[edge.to] || []).push([edge.from, edge.id]);
    });
    var depth = {}, before = {};
    depth[from] = 0;
    var queue = [from];
    while (queue.length) {
      var at = queue.shift();
      if (at === to) break;
      (links[at] || []).forEach(function (step) {
        var next = step[0];
        if (depth[next] === undefined) { depth[next] = depth[at] + 1; before[next] = []; queue.push(next); }
        if (depth[next] === depth[at] + 1) before[next].push([at, step[1]]);
      });
    }
    if (depth[to] === undefined || from === to) return [];
    var found = [];
    (function walk(node, tail) {
      if (found.length >= limit) return;
      if (node === from) { found.push(tail); return; }
      before[node].forEach(function (step) { walk(step[0], [step[1]].concat(tail)); });
    })(to, []);
    return found;
  }
  function runPath() {
    path = {nodes: new Set(), edges: [], paths: []};
    $("path-from").textContent = state.pathFrom ? label(state.pathFrom) : "(select a node: \u201cpath from here\u201d)";
    $("path-to").textContent = state.pathTo ? label(state.pathTo) : "(then another: \u201cpath to here\u201d)";
    if (!(state.pathFrom && state.pathTo)) { $("path-status").textContent = ""; compute(); return false; }
    path.paths = shortestPaths(state.pathFrom, state.pathTo, 5);
    path.paths.forEach(function (steps) {
      steps.forEach(function (edgeId) {
        path.edges.push(edgeId);
        path.nodes.add(info.edges[edgeId].from);
        path.nodes.add(info.edges[edgeId].to);
      });
    });
    $("path-status").textContent = path.paths.length
      ? path.paths.length + " shortest path" + (path.paths.length > 1 ? "s" : "") + " of " + path.paths[0].length + " link" +
        (path.paths[0].length > 1 ? "s" : "") + " (details on the right)"
      : "No path between them with the current filters.";
    compute();
    network.setSelection({nodes: Array.from(path.nodes).filter(function (id) { return visibleNodes.has(id); }),
                          edges: path.edges.filter(function (id) { return visibleEdges.has(id); })});
    showPath();
    return true;
  }
  function setPath(end, id) {
    if (end === "from") state.pathFrom = id; else state.pathTo = id;
    runPath();
    writeHash(true);
  }
  $("path-clear").addEventListener("click", function () {
    state.pathFrom = state.pathTo = null;
    runPath();
    network.unselectAll();
    writeHash(true);
  });

  // ---------- search ----------
  function search(query) {
    var q = searchKey(query);
    if (!q) return [];
    var found = [];
    Object.keys(info.nodes).forEach(function (id) {
      var item = info.nodes[id];
      var best = null;
      item.keys.forEach(function (key) {
        var score = matchRank(q, key);
        if (score !== null && (best === null || score < best)) best = score;
      });
      if (best !== null) found.push({id: id, score: best, rank: item.rank, label: item.label});
    });
    found.sort(function (a, b) {  // the order of graph.view.data.search
      return a.score - b.score || a.rank - b.rank || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    return found;
  }
  function showResults() {
    var list = $("results");
    clear(list);
    var wanted = searchKey($("search").value);
    search($("search").value).slice(0, 30).forEach(function (hit, index) {
      var item = info.nodes[hit.id];
      var alias = item.aliases.filter(function (a) { return matchRank(wanted, searchKey(a)) === hit.score; })[0];
      list.appendChild(el("li", {}, [el("button", {type: "button", "data-id": hit.id, "class": index ? "" : "first",
                                                   onclick: function () { selectNode(hit.id, true); }},
        [item.label, " ", el("span", {"class": "alias", text: "(" + item.kind + (alias && alias !== item.label ? "; " + alias : "") + ")"})])]));
    });
  }
  $("search").addEventListener("input", showResults);
  $("search").addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = search($("search").value)[0];
      if (first) selectNode(first.id, true);
    }
  });

  // ---------- filters, scope, dates, display ----------
  function wire(selector, attribute, table) {
    document.querySelectorAll(selector).forEach(function (box) {
      box.addEventListener("change", function () {
        table[box.getAttribute(attribute)] = box.checked;
        compute();
        writeHash(true);
      });
    });
  }
  wire("input[data-kind]", "data-kind", state.kinds);
  wire("input[data-relation]", "data-relation", state.relations);
  wire("input[data-status]", "data-status", state.statuses);
  document.querySelectorAll("input[name=scope]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (!radio.checked) return;
      state.scope = radio.value;
      state.focus = null;
      compute();
      fitVisible();
      writeHash(true);
    });
  });
  function setDates() {
    state.from = $("date-from").value;
    state.to = $("date-to").value;
    compute();
    moveBars();
    writeHash(true);
  }
  $("date-from").addEventListener("change", setDates);
  $("date-to").addEventListener("change", setDates);
  $("date-clear").addEventListener("click", function () { $("date-from").value = ""; $("date-to").value = ""; setDates(); });
  $("hide-unlinked").addEventListener("change", function () {
    state.hideUnlinked = $("hide-unlinked").checked;
    compute();
    writeHash(true);
  });
  $("focus").addEventListener("click", function () { if (state.selected) focusOn(state.selected); });
  $("unfocus").addEventListener("click", function () {
    state.focus = null;
    compute();
    fitVisible();
    writeHash(true);
  });
  $("size-by").addEventListener("change", function () { state.measure = $("size-by").value; applyStyle(); writeHash(true); });
  $("colour-by").addEventListener("change", function () { state.colour = $("colour-by").value; applyStyle(); writeHash(true); });
  $("physics").addEventListener("change", function () {
    network.setOptions({physics: {enabled: $("physics").checked}});
  });
  $("edge-labels").addEventListener("change", function () {
    var on = $("edge-labels").checked;
    edges.update(edgeRecords.map(function (edge) {
      return {id: edge.id, label: on ? relationLabel(info.edges[edge.id].relation) : ""};
    }));
  });
  $("fit").addEventListener("click", fitVisible);

  // ---------- exports: the drawing as PNG, the visible subgraph as CSV ----------
  function download(name, href) {
    var link = el("a", {href: href, download: name});
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  function exportPng() {
    var source = $("graph").querySelector("canvas");
    var canvas = document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height;
    var context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(source, 0, 0);
    download("faction-kg-graph.png", canvas.toDataURL("image/png"));
  }
  function csvCell(value) {  // OWASP CSV injection: a cell that a spreadsheet would run as a formula gets a quote
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\n\r]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }
  function visibleCsv() {
    var rows = [["record", "id", "label", "kind", "from", "to", "relation", "status", "date", "source", "quote"]];
    Array.from(visibleNodes).sort().forEach(function (id) {
      var item = info.nodes[id];
      rows.push(["node", id, item.label, item.kind, "", "", "", "", dateText(item.date), "", ""]);
    });
    Array.from(visibleEdges).sort().forEach(function (id) {
      var item = info.edges[id];
      rows.push(["link", id, relationLabel(item.relation), item.kind, label(item.from), label(item.to), item.relation,
                 item.shown, dateText(item.date), documents[item.document] || item.document,
                 item.evidence.map(function (ev) { return ev[0]; }).join(" \u2026 ")]);
    });
    return rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  $("export-png").addEventListener("click", exportPng);
  $("export-csv").addEventListener("click", function () {
    download("faction-kg-view.csv", "data:text/csv;charset=utf-8," + encodeURIComponent(visibleCsv()));
  });

  // ---------- the timeline: events and statements by their date bounds; two bars brush the range ----------
  var timeline = null;
  var lo = meta.dateRange[0], hi = meta.dateRange[1];
  function toDate(day) { var p = day.split("-"); return new Date(+p[0], +p[1] - 1, +p[2]); }
  function toDay(date) {
    var m = date.getMonth() + 1, d = date.getDate();
    return date.getFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (d < 10 ? "0" : "") + d;
  }
  function nextDay(day) { var d = toDate(day); d.setDate(d.getDate() + 1); return d; }
  function moveBars() {
    if (!timeline) return;
    timeline.setCustomTime(toDate(state.from || lo), "from");
    timeline.setCustomTime(nextDay(state.to || hi), "to");
  }
  function buildTimeline() {
    var items = [], undated = [];
    Object.keys(info.nodes).sort().forEach(function (id) {
      var item = info.nodes[id];
      if (item.kind !== "event" && item.kind !== "statement") return;
      var date = item.date;
      if (!date || !(date.earliest || date.latest)) { undated.push(id); return; }
      var start = date.earliest || date.latest, end = date.latest || date.earliest;
      var content = el("span", {text: item.label.length > 48 ? item.label.slice(0, 47) + "\u2026" : item.label});
      var record = {id: id, content: content, start: toDate(start), className: item.kind};
      if (end !== start) { record.end = nextDay(end); record.type = "range"; } else { record.type = "point"; }
      items.push(record);
    });
    $("undated-count").textContent = String(undated.length);
    undated.forEach(function (id) {
      $("undated-list").appendChild(el("li", {}, [nodeButton(id)]));
    });
    if (!lo || !hi || !items.length) { $("timeline").hidden = true; markTimelineReady(); return; }
    timeline = new vis.Timeline($("timeline"), new vis.DataSet(items), {
      height: "150px", stack: items.length <= 200,  // stacking is quadratic: big pages draw items in one row zoomable: true, selectable: true, showCurrentTime: false, orientation: "top",
      margin: {item: {horizontal: 2, vertical: 2}}, min: toDate(lo).setFullYear(toDate(lo).getFullYear() - 1),
      max: nextDay(hi).setFullYear(nextDay(hi).getFullYear() + 1),
      start: toDate(lo).setMonth(toDate(lo).getMonth() - 3), end: nextDay(hi).setMonth(nextDay(hi).getMonth() + 3),
      tooltip: {followMouse: false}, xss: {disabled: false},
      onInitialDrawComplete: function () { times.timeline = performance.now(); markTimelineReady(); }});
    timeline.addCustomTime(toDate(lo), "from");
    timeline.addCustomTime(nextDay(hi), "to");
    timeline.setCustomTimeMarker("from", "from", false);
    timeline.setCustomTimeMarker("to", "to", false);
    timeline.on("timechanged", function (props) {
      if (props.id === "from") $("date-from").value = toDay(props.time);
      else { var last = new Date(props.time.getTime()); last.setDate(last.getDate() - 1); $("date-to").value = toDay(last); }
      setDates();
    });
    timeline.on("select", function (props) { if (props.items.length) selectNode(props.items[0], true); });
    kg.timeline = timeline;
    moveBars();
  }

  // ---------- the view in the address: #focus=..&hops=..&grow=..&from=.. (back and forward work) ----------
  var TABLES = {"hide-kinds": state.kinds, "hide-relations": state.relations, "hide-status": state.statuses};
  function hashOf() {
    var p = new URLSearchParams();
    if (state.scope !== meta.scope) p.set("scope", state.scope);
    if (state.focus) { p.set("focus", state.focus); p.set("hops", String(state.hops)); }
    if (state.grown.length) p.set("grow", state.grown.join(","));
    Object.keys(TABLES).forEach(function (name) {
      var off = Object.keys(TABLES[name]).filter(function (key) { return TABLES[name][key] === false; }).sort();
      if (off.length) p.set(name, off.join(","));
    });
    if (state.from) p.set("from", state.from);
    if (state.to) p.set("to", state.to);
    if (state.hideUnlinked) p.set("unlinked", "hide");
    if (state.pathFrom) p.set("path-from", state.pathFrom);
    if (state.pathTo) p.set("path-to", state.pathTo);
    if (state.measure !== meta.measure) p.set("size", state.measure);
    if (state.colour !== "type") p.set("colour", state.colour);
    if (state.selected) p.set("node", state.selected);
    else if (state.edge) p.set("edge", state.edge);
    var text = p.toString();
    return text ? "#" + text : "";
  }
  var appliedHash = null;
  function writeHash(push) {
    var hash = hashOf();
    if (hash === (location.hash === "#" ? "" : location.hash)) return;
    appliedHash = hash;
    history[push ? "pushState" : "replaceState"](null, "", hash || location.pathname + location.search);
  }
  function readHash() {  // a hash that is not ours, or malformed, yields the default view: never an error
    var p;
    try { p = new URLSearchParams(location.hash.replace(/^#/, "")); } catch (error) { return null; }
    function get(name) { try { return p.get(name); } catch (error) { return null; } }
    function node(name) { var id = get(name); return id && info.nodes[id] ? id : null; }
    function day(name) { var d = get(name); return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : ""; }
    function list(name) { return (get(name) || "").split(",").filter(function (x) { return x; }); }
    var hops = parseInt(get("hops"), 10);
    return {
      scope: get("scope") === "all" || (get("scope") === "actors" && meta.actorCount) ? get("scope") : meta.scope,
      focus: node("focus") || (location.hash ? null : meta.focus || null),
      hops: hops >= 1 && hops <= 9 ? hops : meta.hops || 1,
      grown: list("grow").filter(function (id) { return info.nodes[id]; }),
      tables: {"hide-kinds": list("hide-kinds"), "hide-relations": list("hide-relations"), "hide-status": list("hide-status")},
      from: day("from"), to: day("to"), hideUnlinked: get("unlinked") === "hide",
      pathFrom: node("path-from"), pathTo: node("path-to"),
      measure: meta.measures[get("size")] ? get("size") : meta.measure,
      colour: get("colour") === "community" ? "community" : "type",
      selected: node("node"), edge: info.edges[get("edge")] ? get("edge") : null,
    };
  }
  function applyHash(initial) {
    var wanted = readHash();
    if (!wanted) { if (initial) fitVisible(); return; }
    var styleChanged = wanted.measure !== state.measure || wanted.colour !== state.colour;
    var viewChanged = wanted.focus !== state.focus || wanted.scope !== state.scope || wanted.hops !== state.hops;
    ["scope", "focus", "hops", "grown", "from", "to", "hideUnlinked", "pathFrom", "pathTo", "measure", "colour",
     "selected", "edge"].forEach(function (key) { state[key] = wanted[key]; });
    Object.keys(TABLES).forEach(function (name) {
      var table = TABLES[name];
      Object.keys(table).forEach(function (key) { delete table[key]; });
      wanted.tables[name].forEach(function (key) { table[key] = false; });
    });
    document.querySelectorAll("input[data-kind]").forEach(function (b) { b.checked = state.kinds[b.getAttribute("data-kind")] !== false; });
    document.querySelectorAll("input[data-relation]").forEach(function (b) { b.checked = state.relations[b.getAttribute("data-relation")] !== false; });
    document.querySelectorAll("input[data-status]").forEach(function (b) { b.checked = state.statuses[b.getAttribute("data-status")] !== false; });
    document.querySelectorAll("input[name=scope]").forEach(function (r) { r.checked = r.value === state.scope; });
    $("date-from").value = state.from;
    $("date-to").value = state.to;
    $("hide-unlinked").checked = state.hideUnlinked;
    $("hops").value = String(state.hops);
    if (styleChanged) applyStyle();
    moveBars();
    var pathShown = runPath();  // runs compute()
    if (viewChanged || initial) fitVisible();
    if (state.selected) { showNode(state.selected); if (visibleNodes.has(state.selected)) network.selectNodes([state.selected]); }
    else if (state.edge) { showEdge(state.edge); if (visibleEdges.has(state.edge)) network.selectEdges([state.edge]); }
    else if (!pathShown && state.focus) showNode(state.focus);
    appliedHash = location.hash;
  }
  function onAddressChange() { if (location.hash !== appliedHash) applyHash(false); }
  window.addEventListener("popstate", onAddressChange);
  window.addEventListener("hashchange", onAddressChange);
  if (location.hash) applyHash(true);
  else if (state.focus) { state.selected = state.focus; showNode(state.focus); fitVisible(); }
  else fitVisible();

  // For tests and the console.
  window.kg = {network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, state: state,
               info: info, meta: meta, timeline: timeline, searchKey: searchKey, matchRank: matchRank,
               search: search, selectNode: selectNode, selectEdge: selectEdge, compute: compute, csv: visibleCsv,
               hiddenLabels: function () { return hiddenLabels; }, path: function () { return path; },
               visibleNodes: function () { return visibleNodes; }, visibleEdges: function () { return visibleEdges; }};
})();
