// Drive kg serve's page in a real browser: pick a competency query, run it, wait for the
// table, check the network view drew nodes with readable labels, filter it, search an actor,
// open its view, follow a fact to its sentence in the article, and save a screenshot.
//
// Environment:
//   KG_URL          the page, e.g. http://127.0.0.1:7878/ (required)
//   KG_SCREENSHOT   where to write the PNG (optional)
//   KG_QUERY        the competency query to pick (default: actors)
//   KG_VIEW         the network view to show in the screenshot (default: actors)
//   KG_ACTOR        what to type in the search box (default: Estonia, of tests/test_serve.py)
//   CHROMIUM        the browser binary (default: /usr/bin/chromium)
//
// Uses playwright-core with the system's chromium; it never downloads a browser.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const url = process.env.KG_URL;
const screenshot = process.env.KG_SCREENSHOT;
const queryName = process.env.KG_QUERY || "actors";
assert.ok(url, "set KG_URL to the page to test");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];

// run an action that makes the page fetch and draw the network again, and wait for the drawing
async function redrawn(page, action) {
  const draws = () => Number(document.querySelector("#network").dataset.draws || 0);
  const before = await page.evaluate(draws);
  await action();
  await page.waitForFunction((count) => {
    const network = document.querySelector("#network");
    return Number(network.dataset.draws || 0) > count && network.dataset.state === "ready";
  }, before, { timeout: 15000 });
}

try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // the malformed query below is answered 400 on purpose; chromium logs that
    if (message.type() === "error" && !message.text().includes("status of 400")) {
      failures.push(`console error: ${message.text()}`);
    }
  });
  // nothing may leave the test server: the page ships its own graph library
  page.on("request", (request) => {
    if (!request.url().startsWith(new URL(url).origin)) {
      failures.push(`request to another host: ${request.url()}`);
    }
  });

  await page.goto(url, { waitUntil: "load" });

  // pick a competency query: its SPARQL replaces the editor's text
  await page.waitForSelector(`#examples option[value="${queryName}"]`, { state: "attached" });
  await page.selectOption("#examples", queryName);
  const text = await page.inputValue("#query");
  assert.match(text, /SELECT/i, "picking an example fills the editor");

  await page.click("#run");
  await page.waitForSelector("#results table tbody tr", { timeout: 15000 });
  const rows = await page.$$eval("#results table tbody tr", (trs) => trs.length);
  const headers = await page.$$eval("#results table th", (ths) => ths.map((th) => th.textContent));
  assert.ok(rows > 0, "the query answered rows");
  console.log(`query ${queryName}: ${rows} rows, columns ${headers.join(", ")}`);

  // the network: cytoscape has nodes, and its canvas has pixels drawn on it
  await page.waitForFunction(() => Number(document.querySelector("#network").dataset.nodes) > 0,
    null, { timeout: 15000 });
  const drawn = await page.evaluate(() => {
    const graph = window.kgNetwork();
    let painted = 0;
    for (const canvas of document.querySelectorAll("#network canvas")) {
      if (!canvas.width || !canvas.height) continue;
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
    }
    return { nodes: graph.nodes().length, edges: graph.edges().length, painted };
  });
  console.log(`network: ${drawn.nodes} nodes, ${drawn.edges} edges, ${drawn.painted} pixels`);
  assert.ok(drawn.nodes > 0, "the network has nodes");
  assert.ok(drawn.painted > 500, "the network canvas has something drawn on it");

  // a malformed query shows the parser's message, not a broken page
  await page.fill("#query", "SELECT ?s WHERE { ?s ?p }");
  await page.click("#run");
  await page.waitForSelector("#results pre.error");
  assert.match(await page.textContent("#results pre.error"), /malformed SPARQL/);

  // back to the competency query for the screenshot
  await page.selectOption("#examples", "");
  await page.selectOption("#examples", queryName);
  await page.click("#run");
  await page.waitForSelector("#results table tbody tr");
  const view = process.env.KG_VIEW || "actors";
  if (view !== "actors") {
    await page.selectOption("#view", view);
    await page.waitForFunction((name) => document.querySelector("#network-status").textContent
      .includes("nodes") && window.kgNetwork() && document.querySelector("#view").value === name,
    view);
  }
  // labels are readable at the zoom the layout fits to: at least 10 px on screen
  const labelPx = await page.evaluate(() => {
    const graph = window.kgNetwork();
    return parseFloat(graph.nodes()[0].style("font-size")) * graph.zoom();
  });
  console.log(`node labels: ${labelPx.toFixed(1)} px on screen`);
  assert.ok(labelPx >= 10, `node labels are ${labelPx} px`);

  // a table's IRI opens that resource's view
  await page.click("#results td.iri a");
  await page.waitForFunction(() => !document.querySelector("#inspector").hidden &&
    document.querySelector("#inspector-body").dataset.kind);

  // the filters apply to the network: a confidence above every edge's leaves fewer edges
  if (view === "actors") {
    const before = await page.evaluate(() => window.kgNetwork().edges().length);
    await redrawn(page, async () => {
      await page.fill("#confidence", "1");
      await page.dispatchEvent("#confidence", "input");
    });
    const after = await page.evaluate(() => window.kgNetwork().edges().length);
    console.log(`confidence filter: ${before} edges, then ${after}`);
    assert.ok(after < before, "the confidence filter drops edges");
    await redrawn(page, () => page.click("#filters-reset"));
    assert.equal(await page.evaluate(() => window.kgNetwork().edges().length), before);
    // and a type unticked takes its nodes out
    const nodes = await page.evaluate(() => window.kgNetwork().nodes().length);
    await redrawn(page, () => page.uncheck("#type-filters input[value=Country]"));
    assert.ok(await page.evaluate(() => window.kgNetwork().nodes().length) < nodes,
      "the type filter drops nodes");
    await redrawn(page, () => page.click("#filters-reset"));

    // the view is bounded: the top two nodes by degree, and the status says of how many;
    // clicking one brings in its neighbours around it, where the others stay put
    await redrawn(page, () => page.fill("#limit", "2").then(() =>
      page.dispatchEvent("#limit", "change")));
    const top = await page.evaluate(() => window.kgNetwork().nodes().map((node) =>
      ({ id: node.id(), degree: node.data("degree"), position: { ...node.position() } })));
    const status = await page.textContent("#network-status");
    console.log(`top 2: ${top.map((node) => node.id).join(", ")}; ${status}`);
    assert.equal(top.length, 2, "the view shows the top two nodes");
    assert.match(status, /^2 of \d+ nodes/, "the status says how many nodes are left out");
    const [hub] = top.sort((a, b) => b.degree - a.degree);
    await redrawn(page, () => page.evaluate((id) => {
      window.kgNetwork().getElementById(id).emit("tap");
    }, hub.id));
    const grown = await page.evaluate((id) => {
      const graph = window.kgNetwork();
      const node = graph.getElementById(id);
      return { nodes: graph.nodes().length, neighbours: node.neighborhood("node").length,
        isExpanded: node.hasClass("expanded"), position: { ...node.position() } };
    }, hub.id);
    console.log(`expanded ${hub.id}: ${grown.nodes} nodes, ${grown.neighbours} neighbours`);
    assert.ok(grown.nodes > 2 && grown.neighbours >= grown.nodes - 2,
      "clicking a node brings in its neighbours");
    assert.ok(grown.isExpanded, "the expanded node is marked");
    assert.deepEqual(grown.position, hub.position, "the expanded node stays where it was");
    await redrawn(page, () => page.fill("#limit", "100").then(() =>
      page.dispatchEvent("#limit", "change")));
    await redrawn(page, () => page.click("#filters-reset"));

    // an edge's details, with its sentence; gone when the view changes
    await page.evaluate(() => window.kgNetwork().edges()[0].emit("tap"));
    assert.match(await page.textContent("#details"), /show the sentence/);
    await page.selectOption("#view", "positions");
    await page.waitForFunction(() => window.kgNetwork().edges().length > 0 &&
      !document.querySelector("#details").textContent.includes("show the sentence"));
    await page.selectOption("#view", "actors");
    await page.waitForFunction(() => document.querySelector("#view").value === "actors" &&
      document.querySelector("#network-status").textContent.includes("nodes"));
  }

  // search an actor, open its view from the completion
  const actor = process.env.KG_ACTOR || "Estonia";
  await page.fill("#search", actor.slice(0, 4).toLowerCase());
  await page.waitForSelector("#suggestions li[data-iri]");
  const suggestions = await page.$$eval("#suggestions li[data-iri]", (lis) =>
    lis.map((li) => li.textContent));
  console.log(`search "${actor.slice(0, 4).toLowerCase()}": ${suggestions.join(" | ")}`);
  await page.keyboard.press("Enter");
  await page.waitForFunction((name) =>
    document.querySelector("#inspector-body").dataset.kind === "actor" &&
    document.querySelector("#inspector-title").textContent === name &&
    document.querySelectorAll("#inspector-body .fact, #inspector-body .dot").length > 0, actor);
  const facts = await page.$$eval("#inspector-body ul.facts li.fact", (lis) => lis.length);
  const dots = await page.$$eval("#inspector-body .timeline .dot", (as) => as.length);
  console.log(`actor view of ${actor}: ${facts} events and quotes, ${dots} stances`);
  assert.ok(facts + dots > 0, "the actor view lists facts");

  // follow a fact to its sentence, highlighted in the article text
  const sourced = await page.$eval("#inspector-body a.source-link", (a) => a.closest("li")
    .textContent);
  await page.click("#inspector-body a.source-link");
  await page.waitForSelector("#inspector-body[data-kind=sentence] .article mark");
  const marked = await page.textContent("#inspector-body .article mark");
  const article = await page.textContent("#inspector-body .article");
  console.log(`fact "${sourced.trim()}" -> sentence "${marked}"`);
  assert.ok(marked.length > 0 && article.length > marked.length,
    "the sentence is marked inside a longer article");
  const inView = await page.$eval("#inspector-body .article mark", (mark) => {
    const box = mark.getBoundingClientRect();
    const frame = document.querySelector("#inspector").getBoundingClientRect();
    return box.top >= frame.top && box.bottom <= frame.bottom;
  });
  assert.ok(inView, "the marked sentence is scrolled into sight");
  // the back button goes back to the actor's view, which the screenshot shows
  await page.goBack();
  await page.waitForSelector("#inspector-body[data-kind=actor] .fact");
  // an issue on the actor's timeline opens the view: its sides over time
  if (await page.$("#inspector-body .timeline .name a")) {
    await page.click("#inspector-body .timeline .name a");
    await page.waitForSelector("#inspector-body[data-kind=issue] .timeline .dot");
    console.log(`issue view: ${await page.textContent("#inspector-title")}`);
    await page.goBack();
    await page.waitForSelector("#inspector-body[data-kind=actor] .fact");
  }

  // the screenshot is not blank: decode it in the page and count its colours and ink
  const png = await page.screenshot(screenshot ? { path: screenshot, fullPage: false } : {});
  const look = await page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set();
    let ink = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
      if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 600) ink += 1;
    }
    return { colours: colours.size, ink: ink / (pixels.length / 4) };
  }, png.toString("base64"));
  console.log(`screenshot: ${look.colours} colours, ${(100 * look.ink).toFixed(1)}% ink` +
    (screenshot ? `, ${screenshot}` : ""));
  assert.ok(look.colours > 200, "the screenshot has more than a few colours");
  assert.ok(look.ink > 0.02 && look.ink < 0.9, "the screenshot is neither blank nor solid");
  assert.deepEqual(failures, [], failures.join("\n"));
} finally {
  await browser.close();
}
console.log("browser test passed");
