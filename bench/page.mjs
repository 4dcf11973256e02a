// Time kg serve's page in headless Chromium: from navigation to the first network view
// drawn (nodes in cytoscape, pixels on its canvas), then a click on the best connected
// node until its neighbours are drawn. Prints one JSON line. Run by bench/page.py.
//
// Environment: KG_URL (the page), CHROMIUM (default /usr/bin/chromium), KG_TIMEOUT_MS.
// Uses playwright-core from tests/browser/node_modules (npm ci there) and never downloads
// a browser.
import assert from "node:assert/strict";

const { chromium } = await import(new URL(
  "../tests/browser/node_modules/playwright-core/index.mjs", import.meta.url));
const url = process.env.KG_URL;
const timeout = Number(process.env.KG_TIMEOUT_MS || 300000);
assert.ok(url, "set KG_URL to the page to time");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const started = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => {
    const network = document.querySelector("#network");
    if (network.dataset.state !== "ready" || !(Number(network.dataset.nodes) > 0)) return false;
    return [...network.querySelectorAll("canvas")].some((canvas) => {
      if (!canvas.width || !canvas.height) return false;
      const pixels = canvas.getContext("2d")
        .getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 16) if (pixels[i] > 0) return true;
      return false;
    });
  }, null, { timeout, polling: 50 });
  const firstView = (Date.now() - started) / 1000;
  const first = await page.evaluate(() => ({
    nodes: window.kgNetwork().nodes().length, edges: window.kgNetwork().edges().length,
    status: document.querySelector("#network-status").textContent,
    hub: window.kgNetwork().nodes().max((node) => node.data("degree")).ele.id(),
  }));
  const draws = await page.evaluate(() => Number(document.querySelector("#network").dataset.draws));
  const clicked = Date.now();
  // braces: emit returns the collection, which playwright would try to serialise
  await page.evaluate((id) => { window.kgNetwork().getElementById(id).emit("tap"); }, first.hub);
  await page.waitForFunction((count) => {
    const network = document.querySelector("#network");
    return Number(network.dataset.draws) > count && network.dataset.state === "ready";
  }, draws, { timeout, polling: 50 });
  const expansion = (Date.now() - clicked) / 1000;
  const expanded = await page.evaluate(() => ({
    nodes: window.kgNetwork().nodes().length, edges: window.kgNetwork().edges().length,
  }));
  console.log(JSON.stringify({ first_view_s: firstView, ...first, expansion_s: expansion,
    expanded_nodes: expanded.nodes, expanded_edges: expanded.edges }));
} finally {
  await browser.close();
}
