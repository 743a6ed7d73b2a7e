// faction-kg interactive page. Reads the JSON blocks the build embedded, draws them with vis-network
// (positions computed in Python, physics off), and wires search, filters, focus and the details panel.
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
  var relationLabels = meta.relationLabels || {};
  var documents = meta.documents || {};

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

  var state = {kinds: {}, relations: {}, statuses: {}, from: "", to: "", focus: meta.focus || null,
               hops: meta.hops || 1, selected: null};
  var visibleNodes = new Set();
  var visibleEdges = new Set();

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

  // ---------- names, dates, links ----------
  var APOSTROPHES = /['`\u00b4\u02b9\u02bc\u02bb\u02bd\u02be\u02bf\u2018\u2019\u201b\u2032]/g;
  function normalizeName(text) {  // the same folding as graph.view.data.normalize_name
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(APOSTROPHES, "")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function dateText(date) {
    if (!date) return "";
    if (date.edtf) return date.edtf + (date.precision && date.precision !== "day" ? " (" + date.precision + ")" : "");
    return "date unknown";
  }
  function overlaps(date) {
    if (!date) return true;
    if (state.from && date.latest && date.latest < state.from) return false;
    if (state.to && date.earliest && date.earliest > state.to) return false;
    return true;
  }
  function sourceHref(doc, start, end) {
    var href = "sources/" + encodeURIComponent(doc) + ".html";
    return start === undefined ? href : href + "#q-" + start + "-" + end;
  }
  function label(id) { return info.nodes[id] ? info.nodes[id].label : id; }
  function relationLabel(relation) { return relationLabels[relation] || relation; }
  function nodeButton(id) {
    return el("button", {type: "button", "class": "link", "data-node": id, text: label(id),
                         onclick: function () { selectNode(id); }});
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
    if (state.focus) {
      var reached = new Set([state.focus]);
      var frontier = [state.focus];
      var adjacency = {};
      edgeOk.forEach(function (edge) {
        (adjacency[edge.from] = adjacency[edge.from] || []).push(edge.to);
        (adjacency[edge.to] = adjacency[edge.to] || []).push(edge.from);
      });
      for (var hop = 0; hop < state.hops; hop++) {
        var next = [];
        frontier.forEach(function (id) {
          (adjacency[id] || []).forEach(function (other) {
            if (!reached.has(other)) { reached.add(other); next.push(other); }
          });
        });
        frontier = next;
      }
      nodeOk = reached;
      edgeOk = edgeOk.filter(function (edge) { return reached.has(edge.from) && reached.has(edge.to); });
    }
    visibleNodes = nodeOk;
    visibleEdges = new Set(edgeOk.map(function (edge) { return edge.id; }));
    nodeView.refresh();
    edgeView.refresh();
    $("counts").textContent = visibleNodes.size + " of " + nodeRecords.length + " nodes, " + visibleEdges.size +
      " of " + edgeRecords.length + " links shown" + (state.focus ? " (focus: " + state.hops + " hops)" : "");
    $("unfocus").disabled = !state.focus;
  }

  var nodeView = new vis.DataView(nodes, {filter: function (node) { return visibleNodes.has(node.id); }});
  var edgeView = new vis.DataView(edges, {filter: function (edge) { return visibleEdges.has(edge.id); }});
  compute();
  times.filtered = performance.now();
  var network = new vis.Network($("graph"), {nodes: nodeView, edges: edgeView}, options);
  times.network = performance.now();
  network.once("afterDrawing", function () {
    window.kgReadyMs = times.drawn = performance.now();
    document.documentElement.setAttribute("data-ready", "true");
  });

  // ---------- details panel ----------
  function evidenceLinks(item) {  // the source's title (to its page), then each quote (to its place there)
    var title = documents[item.document] || item.document;
    var line = el("div", {"class": "src"}, [el("a", {href: sourceHref(item.document), target: "_blank", rel: "noopener",
                                                      "class": "doc-link", text: title})]);
    item.evidence.forEach(function (ev) {
      line.appendChild(document.createTextNode(" "));
      line.appendChild(el("a", {href: sourceHref(item.document, ev[1], ev[2]), target: "_blank", rel: "noopener",
                                "class": "quote-ref",
                                text: "\u201c" + (ev[0].length > 140 ? ev[0].slice(0, 139) + "\u2026" : ev[0]) + "\u201d"}));
    });
    return [line];
  }

  function factSortKey(id) {
    var item = info.edges[id];
    return [(item.date && item.date.earliest) || "9999", relationLabel(item.relation), id].join("\u0000");
  }

  function openPanel() {
    $("details").hidden = false;
    var body = $("details-body");
    clear(body);
    body.scrollTop = 0;
    return body;
  }
  $("close-details").addEventListener("click", function () { $("details").hidden = true; network.unselectAll(); });

  function showNode(id) {
    var item = info.nodes[id];
    var panel = openPanel();
    panel.appendChild(el("h2", {text: item.label}));
    var props = el("dl", {"class": "props"});
    function prop(name, value) { if (value) { props.appendChild(el("dt", {text: name})); props.appendChild(el("dd", {}, [value])); } }
    prop("type", item.types.join(", ") + " (" + item.kind + ")");
    prop("date", dateText(item.date));
    prop("id", id);
    prop("size", meta.measure + " " + item.value);
    panel.appendChild(props);
    if (!visibleNodes.has(id)) panel.appendChild(el("p", {"class": "note", text: "Hidden by the current filters."}));
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
    var roles = facts.filter(function (edgeId) { return info.edges[edgeId].role && info.edges[edgeId].from === id; });
    if (roles.length) {
      panel.appendChild(el("h3", {text: "Roles"}));
      panel.appendChild(el("ul", {"class": "facts"}, roles.map(function (edgeId) {
        var edge = info.edges[edgeId];
        return el("li", {}, [badge(edge.shown), edge.role + " of ", nodeButton(edge.to)].concat(evidenceLinks(edge)));
      })));
    }
    panel.appendChild(el("h3", {text: "Facts (" + facts.length + ")"}));
    panel.appendChild(el("ul", {"class": "facts", id: "node-facts"}, facts.map(function (edgeId) {
      var edge = info.edges[edgeId];
      var outgoing = edge.from === id;
      var line = [badge(edge.shown), edge.date ? el("span", {"class": "date", text: dateText(edge.date)}) : null,
                  el("button", {type: "button", "class": "link", "data-edge": edgeId,
                                text: (outgoing ? "" : "\u2190 ") + relationLabel(edge.relation) + (outgoing ? " \u2192" : ""),
                                onclick: function () { selectEdge(edgeId); }}),
                  " ", nodeButton(outgoing ? edge.to : edge.from)];
      return el("li", {}, line.concat(evidenceLinks(edge)));
    })));
    if (item.values.length) {
      panel.appendChild(el("h3", {text: "Values (" + item.values.length + ")"}));
      panel.appendChild(el("ul", {"class": "facts", id: "node-values"}, item.values.map(function (fact) {
        return el("li", {}, [badge(fact.status), relationLabel(fact.relation) + ": " + fact.value]
          .concat(evidenceLinks(fact)));
      })));
    }
    $("focus").disabled = false;
    $("focus-label").textContent = "Selected: " + item.label;
  }

  function showEdge(id) {
    var item = info.edges[id];
    var panel = openPanel();
    panel.appendChild(el("h2", {text: relationLabel(item.relation)}));
    panel.appendChild(el("p", {}, [nodeButton(item.from), " \u2192 " + relationLabel(item.relation) + " \u2192 ",
                                   nodeButton(item.to)]));
    var props = el("dl", {"class": "props"});
    function prop(name, value) { if (value) { props.appendChild(el("dt", {text: name})); props.appendChild(el("dd", {}, [value])); } }
    prop("status", el("span", {}, [badge(item.shown), item.shown === "disputed" ? "(" + item.status + ")" : ""]));
    prop("date", item.date ? dateText(item.date) : "");
    prop("role", item.role || "");
    prop("attributed to", item.attributedTo.map(label).join(", "));
    prop("relation", item.relation);
    prop("fact", id);
    panel.appendChild(props);
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
    var title = documents[item.document] || item.document;
    panel.appendChild(el("p", {}, [el("a", {href: sourceHref(item.document), target: "_blank", rel: "noopener",
                                            "class": "doc-title", text: title})]));
    item.evidence.forEach(function (ev) {
      panel.appendChild(el("blockquote", {"class": "quote", text: ev[0]}));
      panel.appendChild(el("div", {"class": "src"}, [
        el("a", {href: sourceHref(item.document, ev[1], ev[2]), target: "_blank", rel: "noopener", "class": "quote-link",
                 text: "open the source at this quote (characters " + ev[1] + "\u2013" + ev[2] + ")"})]));
    });
    if (!item.evidence.length) panel.appendChild(el("p", {"class": "muted", text: "Stated in this document (no quote)."}));
  }

  function selectNode(id) {
    if (!info.nodes[id]) return;
    addPendingLabels();
    state.selected = id;
    if (visibleNodes.has(id)) {
      network.selectNodes([id]);
      network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false});
    }
    showNode(id);
  }
  function selectEdge(id) {
    if (!info.edges[id]) return;
    if (visibleEdges.has(id)) network.selectEdges([id]);
    showEdge(id);
  }

  network.on("zoom", function () { if (network.getScale() > 0.3) addPendingLabels(); });
  network.on("click", function (params) {
    if (params.nodes.length) selectNode(params.nodes[0]);
    else if (params.edges.length) selectEdge(params.edges[0]);
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) { state.selected = params.nodes[0]; focusOn(params.nodes[0]); }
  });

  // ---------- search ----------
  function search(query) {
    var q = normalizeName(query);
    var compact = q.replace(/ /g, "");
    if (!compact) return [];
    var found = [];
    Object.keys(info.nodes).forEach(function (id) {
      var item = info.nodes[id];
      var best = null;
      item.keys.forEach(function (key) {
        var flat = key.replace(/ /g, "");
        var score = flat === compact ? 0 : (flat.indexOf(compact) === 0 || key.split(" ").some(function (word) {
          return word.indexOf(compact) === 0; })) ? 1 : flat.indexOf(compact) >= 0 ? 2 : null;
        if (score !== null && (best === null || score < best.score)) best = {score: score, key: key};
      });
      if (best) found.push({id: id, score: best.score, rank: item.rank, label: item.label});
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
    search($("search").value).slice(0, 30).forEach(function (hit, index) {
      var item = info.nodes[hit.id];
      var wanted = normalizeName($("search").value).replace(/ /g, "");
      var alias = item.aliases.filter(function (a) {
        return normalizeName(a).replace(/ /g, "").indexOf(wanted) >= 0;
      })[0];
      list.appendChild(el("li", {}, [el("button", {type: "button", "data-id": hit.id, "class": index ? "" : "first",
                                                   onclick: function () { selectNode(hit.id); }},
        [item.label, " ", el("span", {"class": "alias", text: "(" + item.kind + (alias && alias !== item.label ? "; " + alias : "") + ")"})])]));
    });
  }
  $("search").addEventListener("input", showResults);
  $("search").addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = search($("search").value)[0];
      if (first) selectNode(first.id);
    }
  });

  // ---------- filters, focus, display ----------
  function wire(selector, attribute, table) {
    document.querySelectorAll(selector).forEach(function (box) {
      box.addEventListener("change", function () { table[box.getAttribute(attribute)] = box.checked; compute(); });
    });
  }
  wire("input[data-kind]", "data-kind", state.kinds);
  wire("input[data-relation]", "data-relation", state.relations);
  wire("input[data-status]", "data-status", state.statuses);
  function setDates() { state.from = $("date-from").value; state.to = $("date-to").value; compute(); }
  $("date-from").addEventListener("change", setDates);
  $("date-to").addEventListener("change", setDates);
  $("date-clear").addEventListener("click", function () { $("date-from").value = ""; $("date-to").value = ""; setDates(); });

  function focusOn(id) {
    addPendingLabels();
    state.focus = id;
    state.hops = Math.max(1, parseInt($("hops").value, 10) || 1);
    compute();
    network.fit({nodes: Array.from(visibleNodes), animation: false});
    showNode(id);
  }
  $("focus").addEventListener("click", function () { if (state.selected) focusOn(state.selected); });
  $("unfocus").addEventListener("click", function () { state.focus = null; compute(); network.fit({animation: false}); });
  $("physics").addEventListener("change", function () {
    network.setOptions({physics: {enabled: $("physics").checked}});
  });
  $("edge-labels").addEventListener("change", function () {
    var on = $("edge-labels").checked;
    edges.update(edgeRecords.map(function (edge) {
      return {id: edge.id, label: on ? relationLabel(info.edges[edge.id].relation) : ""};
    }));
  });
  $("fit").addEventListener("click", function () { network.fit({animation: false}); });

  // ---------- start: #node=<id> or #edge=<id> in the address selects it ----------
  function fromHash() {
    var match = /^#(node|edge)=(.+)$/.exec(location.hash);
    if (!match) return;
    var id = decodeURIComponent(match[2]);
    if (match[1] === "node") selectNode(id); else selectEdge(id);
  }
  window.addEventListener("hashchange", fromHash);
  if (state.focus) { state.selected = state.focus; showNode(state.focus); }
  fromHash();

  // For tests and the console.
  window.kg = {network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, state: state,
               info: info, meta: meta,
               search: search, selectNode: selectNode, selectEdge: selectEdge, compute: compute,
               visibleNodes: function () { return visibleNodes; }, visibleEdges: function () { return visibleEdges; }};
})();
