// kg query page: run SPARQL against /sparql, show the answer as a table, and draw one
// network view from /network with cytoscape (vendored in /static/vendor, no CDN).
"use strict";

// the prefixes of docs/rdf-model.md, longest namespace first so kgi: wins over kg:
const PREFIXES = [
  ["kgi", "https://w3id.org/kg/id/"],
  ["kgr", "https://w3id.org/kg/relation/"],
  ["kgg", "https://w3id.org/kg/graph/"],
  ["kg", "https://w3id.org/kg/ontology#"],
  ["schema", "https://schema.org/"],
  ["prov", "http://www.w3.org/ns/prov#"],
  ["dcterms", "http://purl.org/dc/terms/"],
  ["skos", "http://www.w3.org/2004/02/skos/core#"],
  ["sem", "http://semanticweb.cs.vu.nl/2009/11/sem/"],
  ["rdfs", "http://www.w3.org/2000/01/rdf-schema#"],
  ["rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
  ["xsd", "http://www.w3.org/2001/XMLSchema#"],
  ["owl", "http://www.w3.org/2002/07/owl#"],
];

// node colours by actor type; green and red are kept for stances on edges
const TYPE_COLOURS = {
  Person: "#4e79a7",
  Country: "#f28e2b",
  Organization: "#b07aa1",
  Group: "#76b7b2",
  Office: "#9c755f",
  Treaty: "#ff9da7",
  Place: "#8cd17d",
  Issue: "#edc948",
  Thing: "#bab0ac",
};
const SIGN_COLOURS = { 1: "#2e9d4a", "-1": "#d03b35", 0: "#9aa3ad" };

const $ = (selector) => document.querySelector(selector);

function compact(iri) {
  for (const [prefix, namespace] of PREFIXES) {
    if (iri.startsWith(namespace) && iri.length > namespace.length) {
      return `${prefix}:${iri.slice(namespace.length)}`;
    }
  }
  return iri;
}

function setStatus(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle("error", isError);
}

// -- queries ---------------------------------------------------------------------------------

async function loadExamples() {
  const response = await fetch("/queries");
  if (!response.ok) return;
  const queries = await response.json();
  const select = $("#examples");
  for (const query of queries) {
    const option = document.createElement("option");
    option.value = query.name;
    option.textContent = query.name;
    option.title = query.description;
    option.dataset.query = query.query;
    option.dataset.description = query.description;
    select.append(option);
  }
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    if (!option || !option.value) return;
    $("#query").value = option.dataset.query;
    $("#example-description").textContent = option.dataset.description;
  });
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    td.textContent = compact(term.value);
    td.title = term.value;
    td.className = "iri";
  } else if (term.type === "bnode") {
    td.textContent = `_:${term.value}`;
  } else {
    td.textContent = term.value;
    if (term.value.length > 60) td.className = "long";
    if (term.value === "support" || term.value === "oppose") td.className = term.value;
    if (term.datatype) td.title = compact(term.datatype);
  }
  return td;
}

function renderTable(answer) {
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const name of answer.head.vars) {
    const th = document.createElement("th");
    th.textContent = name;
    head.append(th);
  }
  const body = table.createTBody();
  for (const binding of answer.results.bindings) {
    const row = body.insertRow();
    for (const name of answer.head.vars) row.append(cell(binding[name]));
  }
  return table;
}

async function runQuery() {
  const button = $("#run");
  const status = $("#status");
  const results = $("#results");
  button.disabled = true;
  setStatus(status, "running…");
  results.replaceChildren();
  const started = performance.now();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: new URLSearchParams({ query: $("#query").value }),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("content-type") || "";
    if (!response.ok) {
      const pre = document.createElement("pre");
      pre.className = "error";
      pre.textContent = await response.text();
      results.append(pre);
      setStatus(status, `error ${response.status}`, true);
      return;
    }
    const truncated = response.headers.get("x-kg-truncated") === "true";
    const cap = response.headers.get("x-kg-max-rows");
    if (type.startsWith("text/turtle")) {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      results.append(pre);
      setStatus(status, `graph in ${seconds} s${truncated ? `, cut at ${cap} triples` : ""}`);
      return;
    }
    const answer = await response.json();
    if ("boolean" in answer) {
      const pre = document.createElement("pre");
      pre.textContent = String(answer.boolean);
      results.append(pre);
      setStatus(status, `answered in ${seconds} s`);
      return;
    }
    results.append(renderTable(answer));
    const count = answer.results.bindings.length;
    setStatus(status, `${count} row${count === 1 ? "" : "s"} in ${seconds} s`);
    if (truncated) {
      const note = document.createElement("span");
      note.className = "truncated";
      note.textContent = ` — cut at ${cap} rows`;
      status.append(note);
    }
  } catch (error) {
    setStatus(status, `failed: ${error}`, true);
  } finally {
    button.disabled = false;
  }
}

// -- network ---------------------------------------------------------------------------------

let graph = null;

function edgeLabel(edge) {
  if (edge.predicate) return edge.predicate;
  if (edge.polarity) return edge.polarity;
  if (edge.issues) return edge.issues.join(", ");
  return edge.label || "";
}

function elements(answer, showIsolated) {
  const linked = new Set(answer.edges.flatMap((edge) => [edge.source, edge.target]));
  const shown = answer.nodes.filter((node) => showIsolated || linked.has(node.id));
  const nodes = shown.map((node) => ({
    group: "nodes",
    data: { ...node, type: node.type || "Thing", mentions: node.mentions || 1 },
  }));
  const edges = answer.edges.map((edge) => ({
    group: "edges",
    data: { ...edge, caption: edgeLabel(edge), signKey: String(Math.sign(edge.sign || 0)) },
  }));
  return [...nodes, ...edges];
}

function renderLegend(answer) {
  const legend = $("#legend");
  legend.replaceChildren();
  const types = [...new Set(answer.nodes.map((node) => node.type || "Thing"))].sort();
  const item = (colour, text, isEdge = false) => {
    const span = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = colour;
    if (isEdge) swatch.className = "edge";
    span.append(swatch, text);
    legend.append(span);
  };
  for (const type of types) item(TYPE_COLOURS[type] || TYPE_COLOURS.Thing, type);
  item(SIGN_COLOURS[1], "support / cooperation", true);
  item(SIGN_COLOURS[-1], "opposition / conflict", true);
  item(SIGN_COLOURS[0], "neutral", true);
}

function showDetails(data) {
  const details = $("#details");
  const lines = Object.entries(data)
    .filter(([key, value]) => value !== null && value !== "" &&
      !["caption", "signKey"].includes(key))
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join("; ") : value}`);
  details.textContent = lines.join(" · ");
}

async function loadNetwork() {
  const view = $("#view").value;
  const status = $("#network-status");
  const container = $("#network");
  setStatus(status, "loading…");
  let answer;
  try {
    const response = await fetch(`/network?view=${encodeURIComponent(view)}`);
    if (!response.ok) throw new Error(await response.text());
    answer = await response.json();
  } catch (error) {
    setStatus(status, `failed: ${error.message || error}`, true);
    return;
  }
  if (graph) graph.destroy();
  graph = cytoscape({
    container,
    elements: elements(answer, $("#isolated").checked),
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "background-color": (node) => TYPE_COLOURS[node.data("type")] || TYPE_COLOURS.Thing,
          width: (node) => 18 + 6 * Math.sqrt(node.data("mentions")),
          height: (node) => 18 + 6 * Math.sqrt(node.data("mentions")),
          "font-size": 11,
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": 140,
          color: "#1d2430",
          "text-outline-color": "#fcfcfd",
          "text-outline-width": 2,
        },
      },
      {
        selector: "node[type = 'Issue']",
        style: { shape: "round-rectangle" },
      },
      {
        selector: "edge",
        style: {
          width: (edge) => 1.5 + Math.min(4, edge.data("weight") || 1),
          "line-color": (edge) => SIGN_COLOURS[edge.data("signKey")],
          "target-arrow-color": (edge) => SIGN_COLOURS[edge.data("signKey")],
          "target-arrow-shape": answer.directed ? "triangle" : "none",
          "curve-style": "bezier",
          label: "data(caption)",
          "font-size": 9,
          color: "#5b6573",
          "text-rotation": "autorotate",
          "text-background-color": "#fcfcfd",
          "text-background-opacity": 0.8,
        },
      },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#1d2430" } },
    ],
    layout: { name: "cose", animate: false, padding: 30, nodeRepulsion: () => 9000 },
  });
  graph.on("tap", "node, edge", (event) => showDetails(event.target.data()));
  renderLegend(answer);
  const hidden = answer.nodes.length - graph.nodes().length;
  container.dataset.nodes = String(graph.nodes().length);
  container.dataset.edges = String(graph.edges().length);
  setStatus(status, `${graph.nodes().length} nodes, ${graph.edges().length} edges` +
    (hidden ? ` (${hidden} unconnected hidden)` : ""));
}

// for tests and the console: the cytoscape instance of the current view
window.kgNetwork = () => graph;

document.addEventListener("DOMContentLoaded", () => {
  $("#run").addEventListener("click", runQuery);
  $("#query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runQuery();
  });
  $("#view").addEventListener("change", loadNetwork);
  $("#isolated").addEventListener("change", loadNetwork);
  loadExamples();
  loadNetwork();
});
