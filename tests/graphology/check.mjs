// Parse a GEXF or GraphML file with graphology's parsers, an independent reader of kg's
// exports, and print what it read as JSON: {"format", "type", "multi", "nodes", "edges"}.
// Usage: node check.mjs FILE.gexf|FILE.graphml   (run `npm install` here first)
import { readFileSync } from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf";
import graphml from "graphology-graphml";

const path = process.argv[2];
if (!path || !/\.(gexf|graphml)$/.test(path)) {
  console.error("usage: node check.mjs FILE.gexf|FILE.graphml");
  process.exit(2);
}
const format = path.endsWith(".gexf") ? "gexf" : "graphml";
const parser = format === "gexf" ? gexf : graphml;
const graph = parser.parse(Graph, readFileSync(path, "utf8"));
const firstEdge = graph.edges()[0];
console.log(JSON.stringify({
  format,
  type: graph.type,
  multi: graph.multi,
  nodes: graph.order,
  edges: graph.size,
  node: graph.order ? graph.getNodeAttributes(graph.nodes()[0]) : null,
  edge: firstEdge === undefined ? null : graph.getEdgeAttributes(firstEdge),
}));
