// kg page, an analyst's workbench: run SPARQL against /sparql and show the answer as a
// table; draw one network view from /network with cytoscape (vendored in /static/vendor, no
// CDN), filtered by node type, date and confidence; search actors and issues; open a
// resource's view (an actor's events, quotes and stances over time; an issue's sides; a
// fact's sentence highlighted in its article). Every view is read from the store through
// SPARQL; the address (#iri=...) names the open view, so the back button works.
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
    td.append(iriLink(term.value));
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

// The server cuts each view down (GET /network): the best connected nodes within the
// filters, plus the neighbours of the nodes clicked. At 10,000 articles a view has tens of
// thousands of nodes, which no browser lays out in useful time, and no one could read.

let graph = null;
let networkAnswer = null;
let networkSerial = 0;
let expanded = []; // the nodes whose neighbours were brought in, in the order clicked
const NETWORK_HINT = "Click a node to bring in its neighbours and open its view, an edge to " +
  "see what it is.";

function edgeLabel(edge) {
  if (edge.predicate) return edge.predicate;
  if (edge.polarity) return edge.polarity;
  if (edge.issues) return edge.issues.join(", ");
  return edge.label || "";
}

// the filters of the network panel, as /network's parameters
function networkParams() {
  const params = new URLSearchParams({ view: $("#view").value, limit: $("#limit").value });
  for (const box of document.querySelectorAll("#type-filters input")) {
    if (!box.checked) params.append("hide", box.value);
  }
  if ($("#date-from").value) params.set("from", $("#date-from").value);
  if ($("#date-to").value) params.set("to", $("#date-to").value);
  if (Number($("#confidence").value) > 0) params.set("confidence", $("#confidence").value);
  if ($("#isolated").checked) params.set("isolated", "1");
  for (const iri of expanded) params.append("expand", iri);
  return params;
}

function elements(answer) {
  const nodes = answer.nodes.map((node) => ({
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

// an edge's or a node's details: what it is, and a link to the sentence it was read from
function showDetails(data) {
  const details = $("#details");
  const lines = Object.entries(data)
    .filter(([key, value]) => value !== null && value !== "" &&
      !["caption", "signKey", "id", "key", "source", "target", "parallel"].includes(key))
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join("; ") : value}`);
  if (data.parallel > 1) lines.push(`one of ${data.parallel} edges between these two`);
  details.replaceChildren(lines.join(" · "));
  if (data.key) {
    const link = document.createElement("a");
    link.href = hashFor(data.key);
    link.className = "source-link";
    link.textContent = "show the sentence";
    details.append(" · ", link);
  }
}

// labels stay about 12 px on screen whatever the zoom: cytoscape sizes text in model units,
// and a fitted layout of a few dozen nodes is drawn at a zoom near 0.5
const LABEL_PX = 12;
const EDGE_LABEL_PX = 10;

// a crowded view names its actors and the issues two or more of them share; the other issues
// are named when zoomed in, or when one is picked
const CROWDED = 40;

function scaleLabels() {
  if (!graph) return;
  const zoom = graph.zoom();
  const isCrowded = graph.nodes().length > CROWDED && zoom < 1.3;
  graph.batch(() => {
    graph.nodes().filter((node) => node.data("type") === "Issue" && node.degree() < 2)
      .toggleClass("quiet", isCrowded);
    graph.nodes().style("font-size", LABEL_PX / zoom);
    graph.nodes().style("text-outline-width", 2 / zoom);
    graph.nodes().style("text-max-width", 150 / zoom);
    graph.edges().style("font-size", EDGE_LABEL_PX / zoom);
  });
}

// one checkbox per node type of the whole view (not only of the nodes shown)
function renderTypeFilters(answer) {
  const box = $("#type-filters");
  const before = new Map([...box.querySelectorAll("input")].map((i) => [i.value, i.checked]));
  box.replaceChildren();
  for (const type of answer.types) {
    const label = document.createElement("label");
    label.className = "check";
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = type;
    input.checked = before.get(type) ?? true;
    input.addEventListener("change", () => loadNetwork());
    label.append(input, ` ${type}`);
    box.append(label);
  }
}

// fetch the view for the current filters; with `focus`, keep the drawing and add that
// node's neighbours around it
async function loadNetwork(focus = null) {
  const status = $("#network-status");
  const serial = ++networkSerial;
  if (!focus) $("#details").textContent = NETWORK_HINT;
  $("#network").dataset.state = "loading";
  setStatus(status, "loading…");
  let answer;
  try {
    const response = await fetch(`/network?${networkParams()}`);
    if (!response.ok) throw new Error(await response.text());
    answer = await response.json();
  } catch (error) {
    if (serial === networkSerial) setStatus(status, `failed: ${error.message || error}`, true);
    return;
  }
  if (serial !== networkSerial) return; // a later change has its own answer on the way
  networkAnswer = answer;
  renderTypeFilters(answer);
  drawNetwork(focus);
}

// where to put each node: where it was, or, new, on a ring around the node it came with
function keptPositions(focus) {
  const old = new Map(graph.nodes().map((node) => [node.id(), { ...node.position() }]));
  const centre = old.get(focus) || { x: 0, y: 0 };
  const newcomers = networkAnswer.nodes.filter((node) => !old.has(node.id));
  const radius = 60 + 8 * newcomers.length;
  newcomers.forEach((node, index) => {
    const angle = (2 * Math.PI * index) / Math.max(newcomers.length, 1);
    old.set(node.id, { x: centre.x + radius * Math.cos(angle),
      y: centre.y + radius * Math.sin(angle) });
  });
  return old;
}

function drawNetwork(focus = null) {
  const answer = networkAnswer;
  if (!answer) return;
  const status = $("#network-status");
  const container = $("#network");
  $("#confidence-value").textContent = $("#confidence").value;
  const crowded = answer.nodes.length > CROWDED;
  const layout = focus && graph
    ? { name: "preset", positions: ((kept) => (node) => kept.get(node.id()))(keptPositions(focus)),
      fit: false }
    : { name: "cose", animate: false, padding: 30, randomize: false,
      // fewer rounds than cose's default 1000: a hundred nodes settle well before
      numIter: 400, nodeRepulsion: () => (crowded ? 30000 : 9000),
      idealEdgeLength: () => (crowded ? 60 : 32) };
  const view = graph && focus ? { zoom: graph.zoom(), pan: graph.pan() } : null;
  if (graph) graph.destroy();
  graph = cytoscape({
    container,
    elements: elements(answer),
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "background-color": (node) => TYPE_COLOURS[node.data("type")] || TYPE_COLOURS.Thing,
          width: (node) => 18 + 6 * Math.sqrt(node.data("mentions")),
          height: (node) => 18 + 6 * Math.sqrt(node.data("mentions")),
          "font-size": LABEL_PX,
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": 220,
          color: "#1d2430",
          "text-outline-color": "#fcfcfd",
          "text-outline-width": 2,
        },
      },
      {
        selector: "node[type = 'Issue']",
        style: { shape: "round-rectangle" },
      },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#1d2430",
        "border-style": "double" } },
      {
        selector: "edge",
        style: {
          width: (edge) => 1.5 + Math.min(4, edge.data("weight") || 1),
          "line-color": (edge) => SIGN_COLOURS[edge.data("signKey")],
          "target-arrow-color": (edge) => SIGN_COLOURS[edge.data("signKey")],
          "target-arrow-shape": answer.directed ? "triangle" : "none",
          "curve-style": "bezier",
          label: answer.edges.length <= CROWDED ? "data(caption)" : "",
          "font-size": EDGE_LABEL_PX,
          color: "#4a5361",
          "text-rotation": "autorotate",
          "text-background-color": "#fcfcfd",
          "text-background-opacity": 0.8,
        },
      },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#1d2430" } },
      { selector: "edge:selected", style: { label: "data(caption)" } },
      { selector: "node.quiet", style: { label: "" } },
      { selector: "node.quiet:selected", style: { label: "data(label)" } },
    ],
    layout,
  });
  if (view) graph.viewport(view);
  for (const iri of answer.expanded) graph.getElementById(iri).addClass("expanded");
  graph.on("tap", "edge", (event) => showDetails(event.target.data()));
  graph.on("tap", "node", (event) => {
    const iri = event.target.id();
    showDetails(event.target.data());
    location.hash = hashFor(iri);
    if (!expanded.includes(iri)) {
      expanded.push(iri);
      loadNetwork(iri);
    }
  });
  graph.on("zoom", scaleLabels);
  scaleLabels();
  renderLegend(answer);
  container.dataset.nodes = String(graph.nodes().length);
  container.dataset.edges = String(graph.edges().length);
  container.dataset.draws = String(Number(container.dataset.draws || 0) + 1);
  container.dataset.state = "ready";
  const count = (shown, total, noun) =>
    shown < total ? `${shown} of ${total.toLocaleString("en")} ${noun}` : `${shown} ${noun}`;
  setStatus(status, `${count(graph.nodes().length, answer.total.nodes, "nodes")}, ` +
    `${count(graph.edges().length, answer.total.edges, "edges")}` +
    (answer.limit && answer.total.nodes > answer.limit ? " (the best connected)" : ""));
}

let filterTimer = null;

// a filter changed: fetch the view again (the slider and the dates after a pause)
function onFilterChange(event) {
  $("#confidence-value").textContent = $("#confidence").value;
  clearTimeout(filterTimer);
  const wait = event && event.type === "input" ? 250 : 0;
  filterTimer = setTimeout(() => loadNetwork(), wait);
}

function resetFilters() {
  for (const box of document.querySelectorAll("#type-filters input")) box.checked = true;
  $("#date-from").value = "";
  $("#date-to").value = "";
  $("#confidence").value = "0";
  expanded = [];
  loadNetwork();
}

// for tests and the console: the cytoscape instance of the current view
window.kgNetwork = () => graph;

// -- reading the store -----------------------------------------------------------------------

const PREFIX_LINES = PREFIXES.map(([prefix, ns]) => `PREFIX ${prefix}: <${ns}>`).join("\n");

// an IRI pasted into a query: refuse anything that could end the <...> early
function iriTerm(iri) {
  if (/[\s<>"{}|^`\\]/.test(iri)) throw new Error(`not an IRI: ${iri}`);
  return `<${iri}>`;
}

// SELECT through /sparql; each row as {name: value}
async function select(query) {
  const response = await fetch("/sparql", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/sparql-results+json",
    },
    body: new URLSearchParams({ query: `${PREFIX_LINES}\n${query}` }),
  });
  if (!response.ok) throw new Error(await response.text());
  const answer = await response.json();
  return answer.results.bindings.map((binding) =>
    Object.fromEntries(Object.entries(binding).map(([name, term]) => [name, term.value])));
}

function hashFor(iri) {
  return `#iri=${encodeURIComponent(iri)}`;
}

function iriLink(iri, text) {
  const link = document.createElement("a");
  link.href = hashFor(iri);
  link.className = "iri";
  link.textContent = text || compact(iri);
  link.title = iri;
  return link;
}

function element(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function localName(iri) {
  return iri.replace(/^.*[/#]/, "");
}

// -- search ----------------------------------------------------------------------------------

let searchTimer = null;
let searchSerial = 0;

async function suggest() {
  const text = $("#search").value.trim().toLowerCase();
  const list = $("#suggestions");
  const serial = ++searchSerial;
  if (text.length < 1) {
    list.hidden = true;
    return;
  }
  let rows;
  try {
    rows = await select(`
SELECT ?iri (SAMPLE(?name) AS ?label) (SAMPLE(?kind) AS ?type) WHERE {
  { ?iri a kg:Actor ; rdfs:label ?name . OPTIONAL { ?iri kg:actorType ?actorType } }
  UNION { ?iri a kg:Issue ; skos:prefLabel ?name . BIND("Issue" AS ?actorType) }
  BIND(COALESCE(?actorType, "Thing") AS ?kind)
  FILTER(CONTAINS(LCASE(STR(?name)), ${JSON.stringify(text)}))
}
GROUP BY ?iri
ORDER BY DESC(STRSTARTS(LCASE(STR(?label)), ${JSON.stringify(text)})) STRLEN(STR(?label)) ?label
LIMIT 12`);
  } catch (error) {
    rows = [];
  }
  if (serial !== searchSerial) return; // a later keystroke has its own answer on the way
  list.replaceChildren(...rows.map((row, index) => {
    const item = element("li", index === 0 ? "active" : "", row.label,
      element("span", "kind", row.type));
    item.setAttribute("role", "option");
    item.dataset.iri = row.iri;
    item.addEventListener("mousedown", (event) => {
      event.preventDefault();
      choose(row.iri);
    });
    return item;
  }));
  if (!rows.length) list.append(element("li", "empty", "nothing found"));
  list.hidden = false;
}

function choose(iri) {
  $("#suggestions").hidden = true;
  $("#search").value = "";
  location.hash = hashFor(iri);
}

function onSearchKey(event) {
  const items = [...document.querySelectorAll("#suggestions li[data-iri]")];
  const current = items.findIndex((item) => item.classList.contains("active"));
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (!items.length) return;
    const next = (current + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
    items.forEach((item, index) => item.classList.toggle("active", index === next));
  } else if (event.key === "Enter" && items.length) {
    event.preventDefault();
    choose(items[Math.max(current, 0)].dataset.iri);
  } else if (event.key === "Escape") {
    $("#suggestions").hidden = true;
  }
}

// -- the inspector: one resource's view ------------------------------------------------------

function openInspector(title, subtitle, iri) {
  const section = $("#inspector");
  section.hidden = false;
  $("#inspector-title").textContent = title;
  const sub = $("#inspector-subtitle");
  sub.replaceChildren(subtitle || "", subtitle ? " · " : "", iri ? iriLink(iri, iri) : "");
  const body = $("#inspector-body");
  body.replaceChildren();
  section.scrollIntoView({ block: "nearest" });
  return body;
}

function closeInspector() {
  $("#inspector").hidden = true;
  history.replaceState(null, "", location.pathname + location.search);
}

function sourceLink(fact) {
  if (!fact) return null;
  const link = iriLink(fact, "source");
  link.className = "source-link";
  link.title = "the sentence this was read from";
  return link;
}

async function showResource(iri) {
  openInspector(compact(iri), "loading…");
  try {
    const types = new Set((await select(`SELECT DISTINCT ?type WHERE { ${iriTerm(iri)} a ?type }`))
      .map((row) => row.type));
    const kg = PREFIXES.find(([prefix]) => prefix === "kg")[1];
    if (types.has(`${kg}Actor`)) return await showActor(iri);
    if (types.has(`${kg}Issue`)) return await showIssue(iri);
    if (types.has(`${kg}Sentence`)) return await showSentence(iri, null);
    const derived = await select(
      `SELECT ?sentence WHERE { ${iriTerm(iri)} prov:wasDerivedFrom ?sentence } LIMIT 1`);
    if (derived.length) return await showSentence(derived[0].sentence, iri);
    return await showTriples(iri);
  } catch (error) {
    openInspector(compact(iri), "").append(element("pre", "error", String(error.message || error)));
  }
}

async function labelOf(iri) {
  const rows = await select(`SELECT ?label WHERE {
  { ${iriTerm(iri)} rdfs:label ?label } UNION { ${iriTerm(iri)} skos:prefLabel ?label } } LIMIT 1`);
  return rows.length ? rows[0].label : compact(iri);
}

// the label of ?x as ?xLabel, whatever labels it
function labelled(variable) {
  return `OPTIONAL { ?${variable} rdfs:label|skos:prefLabel ?${variable}Label }`;
}

// the publication date of the article a record was read from, for records with no date
function published(variable) {
  return `OPTIONAL { ?${variable} prov:wasDerivedFrom/dcterms:isPartOf/dcterms:date ?published }`;
}

// a record's own date, else its article's publication date, marked as such
function dateOf(row) {
  const date = element("span", "date", row.date || row.published || "undated");
  if (!row.date && row.published) {
    date.classList.add("published");
    date.title = "no date of its own: the article's publication date";
  }
  return date;
}

function party(iri, label) {
  return iri ? iriLink(iri, label || compact(iri)) : null;
}

function uniqueBy(rows, key) {
  const seen = new Map();
  for (const row of rows) if (!seen.has(row[key])) seen.set(row[key], row);
  return [...seen.values()];
}

async function showActor(iri) {
  const me = iriTerm(iri);
  const [label, facts] = await Promise.all([labelOf(iri), select(`
SELECT ?type ?sameAs ?cameo WHERE {
  OPTIONAL { ${me} kg:actorType ?type } OPTIONAL { ${me} owl:sameAs ?sameAs }
  OPTIONAL { ${me} kg:cameoCode ?cameo } } LIMIT 1`)]);
  const about = facts[0] || {};
  const body = openInspector(label, [about.type, about.cameo && `CAMEO ${about.cameo}`]
    .filter(Boolean).join(" · "), iri);
  body.dataset.kind = "actor";
  const [events, quotes, positions] = await Promise.all([
    select(`
SELECT ?event ?published ?direction ?predicate ?subject ?subjectLabel ?object ?objectLabel ?recipient
       ?recipientLabel ?date ?confidence ?modality ?negated WHERE {
  { ?event kg:subject ${me} BIND("out" AS ?direction) }
  UNION { ?event kg:object ${me} BIND("in" AS ?direction) }
  UNION { ?event kg:recipient ${me} BIND("in" AS ?direction) }
  ?event a kg:Relation ; kg:predicate ?predicate ; kg:subject ?subject .
  OPTIONAL { ?event kg:object ?object } OPTIONAL { ?event kg:recipient ?recipient }
  OPTIONAL { ?event sem:hasTimeStamp ?date } OPTIONAL { ?event kg:confidence ?confidence }
  OPTIONAL { ?event kg:modality ?modality } OPTIONAL { ?event kg:negated ?negated }
  ${published("event")}
  ${labelled("subject")} ${labelled("object")} ${labelled("recipient")}
} ORDER BY COALESCE(?date, ?published) ?event LIMIT 500`),
    select(`
SELECT ?quote ?text ?date ?published WHERE {
  ?quote a schema:Quotation ; schema:creator ${me} ; schema:text ?text .
  OPTIONAL { ?quote dcterms:date ?date } ${published("quote")}
} ORDER BY COALESCE(?date, ?published) ?quote LIMIT 200`),
    select(`
SELECT ?position ?issue ?issueLabel ?polarity ?date ?published WHERE {
  ?position a kg:Position ; kg:holder ${me} ; kg:issue ?issue ; kg:polarity ?polarity .
  OPTIONAL { ?position dcterms:date ?date } ${labelled("issue")} ${published("position")}
} ORDER BY COALESCE(?date, ?published) ?position LIMIT 500`),
  ]);

  body.append(element("h3", "", "Stance per issue over time"));
  body.append(timeline(uniqueBy(positions, "position"), (row) => [row.issue, row.issueLabel]));

  body.append(element("h3", "", `Events (${uniqueBy(events, "event").length})`));
  const list = element("ul", "facts events");
  for (const row of uniqueBy(events, "event")) {
    const negated = row.negated === "true";
    list.append(element("li", `fact ${row.direction}`,
      dateOf(row), " ",
      element("span", "direction", row.direction === "out" ? "→" : "←"), " ",
      party(row.subject, row.subjectLabel), " ",
      element("b", "predicate", `${negated ? "not " : ""}${localName(row.predicate)}`), " ",
      party(row.object, row.objectLabel), row.recipient ? " to " : "",
      party(row.recipient, row.recipientLabel), " ",
      element("span", "meta", [row.modality, row.confidence && `confidence ${row.confidence}`]
        .filter(Boolean).join(", ")), " ",
      sourceLink(row.event)));
  }
  if (!list.children.length) list.append(element("li", "hint", "no events"));
  body.append(list);

  body.append(element("h3", "", `Quotes (${quotes.length})`));
  const said = element("ul", "facts quotes");
  for (const row of uniqueBy(quotes, "quote")) {
    said.append(element("li", "fact", dateOf(row), " ",
      element("q", "", row.text), " ", sourceLink(row.quote)));
  }
  if (!said.children.length) said.append(element("li", "hint", "no quotes"));
  body.append(said);
}

async function showIssue(iri) {
  const label = await labelOf(iri);
  const body = openInspector(label, "Issue", iri);
  body.dataset.kind = "issue";
  const positions = await select(`
SELECT ?position ?holder ?holderLabel ?polarity ?date ?published WHERE {
  ?position a kg:Position ; kg:issue ${iriTerm(iri)} ; kg:holder ?holder ; kg:polarity ?polarity .
  OPTIONAL { ?position dcterms:date ?date } ${labelled("holder")} ${published("position")}
} ORDER BY COALESCE(?date, ?published) ?position LIMIT 1000`);
  body.append(element("h3", "", "Sides over time"));
  body.append(timeline(uniqueBy(positions, "position"), (row) => [row.holder, row.holderLabel]));
}

// one row per group (an issue, or an actor), a dot per position placed by its date: green
// for support, red for opposition; a dot opens the sentence it was read from
function timeline(rows, groupOf) {
  if (!rows.length) return element("p", "hint", "no stances");
  const days = (date) => (date ? Date.parse(date.length === 4 ? `${date}-07-01` :
    date.length === 7 ? `${date}-15` : date.slice(0, 10)) : NaN);
  const when = (row) => row.date || row.published;
  const known = rows.map((row) => days(when(row))).filter((value) => !Number.isNaN(value));
  const first = Math.min(...known);
  const last = Math.max(...known);
  const groups = new Map();
  for (const row of rows) {
    const [key, label] = groupOf(row);
    if (!groups.has(key)) groups.set(key, { label: label || compact(key), rows: [] });
    groups.get(key).rows.push(row);
  }
  const table = element("div", "timeline");
  for (const [key, group] of groups) {
    const track = element("div", "track");
    for (const row of group.rows) {
      const at = days(when(row));
      const dot = iriLink(row.position, "");
      dot.textContent = "";
      dot.className = `dot ${row.polarity}${Number.isNaN(at) ? " undated" : ""}`;
      dot.title = `${row.polarity} · ${row.date || (row.published ?
        `${row.published} (published)` : "undated")}`;
      dot.style.left = Number.isNaN(at) ? "0%" : last > first ?
        `${(96 * (at - first)) / (last - first)}%` : "48%";
      track.append(dot);
    }
    const sides = group.rows.map((row) => row.polarity);
    const summary = `${sides.filter((side) => side === "support").length} for, ` +
      `${sides.filter((side) => side === "oppose").length} against`;
    table.append(element("div", "row", element("span", "name", iriLink(key, group.label)),
      track, element("span", "meta", summary)));
  }
  if (known.length) {
    const iso = (value) => new Date(value).toISOString().slice(0, 10);
    table.append(element("div", "row axis", element("span", "name", ""),
      element("div", "ends", element("span", "", iso(first)),
        element("span", "", last > first ? iso(last) : "")),
      element("span", "meta", "")));
  }
  return table;
}

// the article a sentence is part of, from its stored sentences, with that sentence marked
async function showSentence(sentence, fact) {
  const rows = uniqueBy(await select(`
SELECT ?sentence ?start ?end ?text ?document ?title ?date ?url WHERE {
  ${iriTerm(sentence)} dcterms:isPartOf ?document .
  ?sentence a kg:Sentence ; dcterms:isPartOf ?document ; kg:start ?start ; kg:end ?end ;
    schema:text ?text .
  OPTIONAL { ?document dcterms:title ?title } OPTIONAL { ?document dcterms:date ?date }
  OPTIONAL { ?document schema:url ?url }
} ORDER BY ?start`), "sentence");
  const article = rows[0] || {};
  const title = article.title || compact(article.document || sentence);
  const body = openInspector(title, [article.date, fact ? `source of ${compact(fact)}` : ""]
    .filter(Boolean).join(" · "), article.document);
  body.dataset.kind = "sentence";
  if (article.url) {
    const link = element("a", "", article.url);
    link.href = article.url;
    link.rel = "noreferrer";
    body.append(element("p", "hint", "article: ", link));
  }
  // one sentence text once: a store may hold the same sentence under two offset pairs (one
  // of them not its own length); keep the pair that fits, mark it if either is the source
  const byText = new Map();
  for (const row of rows) {
    const fits = Number(row.end) - Number(row.start) === row.text.length;
    const seen = byText.get(row.text);
    const isSource = row.sentence === sentence || (seen ? seen.isSource : false);
    if (!seen || (fits && !seen.fits)) byText.set(row.text, { ...row, fits, isSource });
    else seen.isSource = isSource;
  }
  const text = element("div", "article");
  let mark = null;
  for (const row of [...byText.values()].sort((a, b) => a.start - b.start)) {
    if (row.isSource) {
      mark = element("mark", "", row.text);
      text.append(mark, " ");
    } else {
      text.append(row.text, " ");
    }
  }
  if (!rows.length) text.append(element("p", "hint", "the store holds no text for this"));
  body.append(text);
  if (mark) {
    // scroll the view, not the page, so the article's title stays in sight
    const section = $("#inspector");
    section.scrollTop += mark.getBoundingClientRect().top - section.getBoundingClientRect().top -
      section.clientHeight / 3;
  }
}

async function showTriples(iri) {
  const body = openInspector(await labelOf(iri), "", iri);
  const rows = await select(`SELECT ?p ?o WHERE { ${iriTerm(iri)} ?p ?o } LIMIT 300`);
  const table = element("table", "");
  for (const row of rows) {
    table.append(element("tr", "", element("td", "", iriLink(row.p)),
      element("td", "", /^https?:/.test(row.o) ? iriLink(row.o) : row.o)));
  }
  body.append(rows.length ? table : element("p", "hint", "nothing is said about it"));
}

function route() {
  const match = /^#iri=(.+)$/.exec(location.hash);
  if (match) showResource(decodeURIComponent(match[1]));
}

document.addEventListener("DOMContentLoaded", () => {
  $("#run").addEventListener("click", runQuery);
  $("#query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runQuery();
  });
  $("#view").addEventListener("change", () => {
    expanded = [];
    loadNetwork();
  });
  for (const id of ["#isolated", "#limit", "#date-from", "#date-to", "#confidence"]) {
    $(id).addEventListener(id === "#confidence" ? "input" : "change", onFilterChange);
  }
  $("#filters-reset").addEventListener("click", resetFilters);
  $("#search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(suggest, 120);
  });
  $("#search").addEventListener("keydown", onSearchKey);
  $("#search").addEventListener("blur", () => { $("#suggestions").hidden = true; });
  $("#inspector-close").addEventListener("click", closeInspector);
  window.addEventListener("hashchange", route);
  loadExamples();
  loadNetwork();
  route();
});
