// termijn dashboard: management information (GET /v1/report), what a team
// manager reports to the council: per month, team, workflow or kind of
// deadline, how the deadlines whose last day fell in a period went (met or
// missed, by how much), how many were suspended or extended, the cases
// closed and their throughput time, and the share decided within the
// statutory period.  A chart of met and missed, the table with every
// figure (also what the chart says, for those who do not see it), and the
// same table as CSV to download.

import { api, apiBlob, query } from "./api.js";
import { h, place, show, section, table, field, problem, announce, busy, load } from "./ui.js";
import * as fmt from "./format.js";

const BYS = [
  ["month", "Maand"], ["team", "Team"], ["workflow", "Werkproces"], ["kind", "Soort termijn"],
];
const YMD = /^\d{4}-\d{2}-\d{2}$/;
const SVG = "http://www.w3.org/2000/svg";

// The twelve months up to and including this one, in Amsterdam: from the
// first day of the month eleven months back to the first of the next.
function lastYear() {
  const [y, m] = fmt.today().split("-").map(Number);
  const first = (yy, mm) => {
    const d = new Date(Date.UTC(yy, mm - 1, 1));
    return d.toISOString().slice(0, 10);
  };
  return { from: first(y, m - 11), to: first(y, m + 1) };
}

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) el.append(c);
  }
  return el;
}

// What a row is about, in words: "mrt 2026", "beslistermijn", a team.
function keyText(by, key) {
  if (by === "month") return fmt.month(key);
  if (by === "kind") return fmt.kind(key);
  return key;
}

// A bar per row, its length the deadlines that fell, split into those met
// and those missed; the numbers written beside it.  Drawn with SVG
// attributes and the stylesheet's classes only (no inline style: the
// Content-Security-Policy allows none).
function chart(by, rows) {
  const label = 150, bar = 320, right = 180, line = 30, top = 8;
  const max = Math.max(1, ...rows.map((r) => r.deadlines));
  const width = label + bar + right;
  const height = top + rows.length * line + 4;
  const id = "report-chart-desc";
  const g = rows.map((r, i) => {
    const y = top + i * line;
    const met = (r.met / max) * bar;
    const missed = (r.missed / max) * bar;
    return svg("g", { class: "row" },
      svg("text", { x: label - 8, y: y + 17, class: "key", "text-anchor": "end" },
        keyText(by, r.key)),
      svg("rect", { x: label, y: y + 4, width: met.toFixed(1), height: line - 10, class: "met" }),
      svg("rect", { x: (label + met).toFixed(1), y: y + 4, width: missed.toFixed(1), height: line - 10, class: "missed" }),
      svg("text", { x: (label + met + missed + 6).toFixed(1), y: y + 17, class: "n" },
        `${r.met} gehaald, ${r.missed} te laat`));
  });
  const desc = rows.map((r) => `${keyText(by, r.key)}: ${r.met} gehaald, ${r.missed} te laat`).join("; ");
  return h("figure", { class: "chart" },
    svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": id, class: "bars" },
      svg("desc", { id }, `Termijnen gehaald en te laat per ${BYS.find((b) => b[0] === by)[1].toLowerCase()}: ${desc}.`),
      g),
    h("figcaption", {},
      h("span", { class: "legend met" }, "gehaald"), " ",
      h("span", { class: "legend missed" }, "te laat"),
      " — de lengte is het aantal termijnen waarvan de laatste dag in de periode viel."));
}

function days(x) {
  return x === null || x === undefined ? "—" : `${fmt.decimal(x)} ${x === 1 ? "dag" : "dagen"}`;
}

function share(x) {
  return x === null || x === undefined ? "—" : `${Math.round(x * 100)}%`;
}

// The period at a glance, first in the card, so that the figure a council
// asks for ("binnen de wettelijke termijn") is seen without scrolling.
function figures(tot) {
  const tile = (id, label, value, sub) => h("div", { class: "figure", id },
    h("dt", {}, label), h("dd", {}, value, sub ? h("span", { class: "sub" }, sub) : null));
  return h("dl", { class: "figures" },
    tile("fig-statutory", "Binnen de wettelijke termijn", share(tot.statutory_met_share),
      tot.statutory ? `${tot.statutory_met} van ${tot.statutory} wettelijke en beslistermijnen` : "geen wettelijke of beslistermijn in deze periode"),
    tile("fig-met", "Gehaald", share(tot.met_share), `${tot.met} van ${tot.deadlines} termijnen`),
    tile("fig-missed", "Te laat", String(tot.missed), tot.missed === 1 ? "termijn" : "termijnen"),
    // What late decisions cost (Awb 4:17), where there were any.
    tot.penalties ? tile("fig-penalties", "Dwangsommen niet tijdig beslissen", fmt.euro(tot.penalty_cents),
      `${tot.penalties} ${tot.penalties === 1 ? "dwangsom" : "dwangsommen"}, tot nu toe`) : null);
}

// Twelve columns scroll sideways on a laptop: the scrolling region is
// focusable and named, so that a keyboard can scroll it too.
function reportTable(by, rows) {
  const head = BYS.find((b) => b[0] === by)[1];
  const num = (label, k) => ({ label, cell: (r) => (r[k] === null ? "—" : String(r[k])) });
  const t = table({
    caption: `Termijnen per ${head.toLowerCase()}`, empty: "In deze periode viel geen termijn en sloot geen zaak.",
    columns: [
      { label: head, cell: (r) => keyText(by, r.key) },
      num("Termijnen", "deadlines"), num("Gehaald", "met"), num("Te laat", "missed"),
      { label: "Vertraging (mediaan)", cell: (r) => days(r.delay_median_days) },
      { label: "Vertraging (90e percentiel)", cell: (r) => days(r.delay_p90_days) },
      num("Opgeschort", "suspended"), num("Verlengd", "extended"),
      num("Afgesloten zaken", "closed"),
      { label: "Doorlooptijd (mediaan)", cell: (r) => days(r.throughput_median_days) },
      { label: "Deel gehaald", cell: (r) => share(r.met_share) },
      { label: "Binnen de wettelijke termijn", cell: (r) => share(r.statutory_met_share) },
    ],
    rows,
  });
  if (t.classList.contains("table-wrap")) {
    t.setAttribute("tabindex", "0");
    t.setAttribute("role", "region");
    t.setAttribute("aria-label", `Tabel: termijnen per ${head.toLowerCase()}`);
  }
  return t;
}

// The CSV as termijnd writes it (Accept: text/csv), saved by the browser:
// fetched with the token in its header, never through a link with it.
async function downloadCsv(params, button, errors) {
  errors.replaceChildren();
  button.disabled = true;
  try {
    const blob = await apiBlob("/v1/report" + query(params), "text/csv");
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: `rapportage-${params.by}-${params.from}-${params.to}.csv`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    announce("De CSV is gedownload.");
  } catch (err) {
    errors.replaceChildren(problem(err, "De CSV downloaden lukte niet."));
  } finally {
    button.disabled = false;
  }
}

export async function report(ctx) {
  const def = lastYear();
  const by = BYS.some((b) => b[0] === ctx.params.get("by")) ? ctx.params.get("by") : "month";
  const from = YMD.test(ctx.params.get("from") || "") ? ctx.params.get("from") : def.from;
  const to = YMD.test(ctx.params.get("to") || "") ? ctx.params.get("to") : def.to;
  const team = ctx.params.get("team") || "";

  const fromIn = h("input", { type: "date", name: "from", value: from, required: true });
  const toIn = h("input", { type: "date", name: "to", value: to, required: true });
  const bySel = h("select", { name: "by" },
    BYS.map(([v, t]) => h("option", { value: v, selected: v === by }, t)));
  const teamSel = ctx.me.teams.length > 1 ? h("select", { name: "team" },
    h("option", { value: "" }, "Alle teams"),
    ctx.me.teams.map((t) => h("option", { value: t, selected: t === team }, t))) : null;
  const form = h("form", { class: "filter", onsubmit: (ev) => {
    ev.preventDefault();
    ctx.go("#/rapportage" + query({ from: fromIn.value, to: toIn.value, by: bySel.value, team: teamSel ? teamSel.value : "" }));
  } },
  field("report-from", "Van", fromIn),
  field("report-to", "Tot (niet meegeteld)", toIn),
  field("report-by", "Per", bySel),
  teamSel ? field("report-team", "Team", teamSel) : null,
  h("button", { type: "submit", class: "button secondary" }, "Toon"));

  const main = show("Rapportage", h("div", { class: "toolbar" }, form),
    h("p", { class: "loading" }, "Laden…"));
  const params = { from, to, by, team };
  const data = await load(ctx, main, () => api("/v1/report" + query(params)),
    () => "De rapportage kon niet laden.");
  if (data === null) return;

  const errors = h("div", {});
  const csv = h("button", { type: "button", class: "button secondary", id: "report-csv" }, "Download als CSV");
  csv.addEventListener("click", () => downloadCsv(params, csv, errors));
  place(main.querySelector(".loading"),
    section("report", `Termijnen van ${fmt.date(data.from)} tot ${fmt.date(data.to)}`,
      figures(data.totals),
      h("p", { class: "hint" },
        "Termijnen waarvan de laatste dag in de periode viel: gehaald als de zaak op tijd verder ging, anders te laat, " +
        "met de vertraging tot de zaak verder ging (of tot nu). Afgesloten zaken: zaken die in de periode sloten, " +
        "met hun doorlooptijd vanaf de start. 'Binnen de wettelijke termijn': het deel van de wettelijke en " +
        "beslistermijnen dat gehaald is."),
      data.rows.some((r) => r.deadlines > 0) ? chart(data.by, data.rows.filter((r) => r.deadlines > 0)) : null,
      reportTable(data.by, data.rows),
      h("div", { class: "toolbar" }, csv),
      errors));
  busy(main, false);
}
