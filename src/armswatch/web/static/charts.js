// Draws the page's charts with plotly.js from the JSON the server embeds in the page.
"use strict";

const STAGE_COLOURS = {
  REQUEST: "#8a6d00", OFFER: "#7a4fb0", NEGOTIATE: "#3d7ea6", APPROVE: "#2b8a6e", AGREE: "#1f5fa8",
  DELIVER: "#1c7c3a", REFUSE: "#b03030", SUSPEND: "#c0642a", OPPOSE: "#7d3c3c",
};
const LAYOUT = { margin: { l: 40, r: 10, t: 10, b: 30 }, font: { size: 12 }, paper_bgcolor: "#fff", plot_bgcolor: "#fff" };
const CONFIG = { displaylogo: false, responsive: true };

function readData(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function nothingToShow(target, message) {
  const box = document.getElementById(target);
  box.textContent = "";
  box.style.height = "auto";  // no empty 320-pixel frame around a one-line note
  const note = document.createElement("div");
  note.className = "none";
  note.textContent = message;
  box.appendChild(note);
}

function drawFlows(flows) {
  if (!flows.length) return nothingToShow("flow-chart", "No supplier–recipient pairs for these filters.");
  const labels = [];
  const index = (name, side) => {
    const key = side + name;  // a state can supply and receive: one node on each side
    let at = labels.findIndex((l) => l.key === key);
    if (at < 0) { labels.push({ key, name }); at = labels.length - 1; }
    return at;
  };
  const link = { source: [], target: [], value: [] };
  for (const f of flows) {
    link.source.push(index(f.source, "s:"));
    link.target.push(index(f.target, "r:"));
    link.value.push(f.value);
  }
  Plotly.newPlot("flow-chart", [{
    type: "sankey", arrangement: "snap",
    node: { label: labels.map((l) => l.name), pad: 12, thickness: 14, color: "#9db4d3" },
    link: { ...link, color: "rgba(31,95,168,0.25)" },
  }], LAYOUT, CONFIG);
}

function drawYears(data) {
  if (!data.years.length) return nothingToShow("year-chart", "No dated events for these filters.");
  const years = [...new Set(data.years.map((r) => r.year))].sort();
  const traces = data.stages
    .filter((stage) => data.years.some((r) => r.type === stage))
    .map((stage) => ({
      type: "bar", name: stage, x: years,
      y: years.map((y) => data.years.filter((r) => r.year === y && r.type === stage).reduce((a, r) => a + r.count, 0)),
      marker: { color: STAGE_COLOURS[stage] },
    }));
  Plotly.newPlot("year-chart", traces, { ...LAYOUT, barmode: "stack", xaxis: { type: "category" }, legend: { orientation: "h", y: -0.15 } }, CONFIG);
}

function drawTimeline(data) {
  const points = data.points.filter((p) => p.date);
  if (!points.length) return nothingToShow("timeline-chart", "No dated reports.");
  const present = data.stages.filter((s) => points.some((p) => p.type === s));
  const traces = present.map((stage) => {
    const mine = points.filter((p) => p.type === stage);
    return {
      type: "scatter", mode: "markers", name: stage,
      x: mine.map((p) => p.date), y: mine.map(() => stage), text: mine.map((p) => p.title),
      hovertemplate: "%{x}<br>%{text}<extra>" + stage + "</extra>",
      marker: {
        size: 13, color: STAGE_COLOURS[stage],
        symbol: mine.map((p) => (p.dated ? "circle" : "circle-open")), line: { width: 2, color: STAGE_COLOURS[stage] },
      },
    };
  });
  Plotly.newPlot("timeline-chart", traces, {
    ...LAYOUT, margin: { l: 90, r: 10, t: 10, b: 30 }, showlegend: false,
    yaxis: { categoryorder: "array", categoryarray: present },
  }, CONFIG);
}

document.addEventListener("DOMContentLoaded", () => {
  if (typeof Plotly === "undefined") return;  // the table and evidence work without charts
  const index = readData("index-data");
  if (index) { drawFlows(index.flows); drawYears(index); }
  const transfer = readData("transfer-data");
  if (transfer) drawTimeline(transfer);
});
