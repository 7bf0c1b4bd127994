// The dashboard's report page (#/rapportage) in Debian's Chromium, headless,
// against a running termijnd: the chart and the table show what GET
// /v1/report says, and the CSV the page downloads is termijnd's own.
//
// tests/integration/test_dashboard_report.py starts termijnd on a fake
// clock, lives through the cases it reports on, and runs this file with
// node's test runner; it passes, through the environment:
//   TERMIJN_URL          where termijnd listens
//   TERMIJN_WORLD        JSON: {"tokens": {name: secret}, "from": date,
//                        "to": date}
//   TERMIJN_SCREENSHOTS  where the screenshot goes (the build directory)
//   TERMIJN_CHROMIUM     the browser (/usr/bin/chromium)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { csp, launch, ready, requested, scriptErrors, signInAt, watchedPage } from "./driver.mjs";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BASE = process.env.TERMIJN_URL;
const WORLD = JSON.parse(process.env.TERMIJN_WORLD || "{}");
const SHOTS = process.env.TERMIJN_SCREENSHOTS;
const MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

let browser;

before(async () => {
  assert.ok(BASE && WORLD.tokens, "run by tests/integration/test_dashboard_report.py");
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

async function get(who, p, accept = "application/json") {
  const r = await fetch(BASE + p, { headers: { Authorization: "Bearer " + WORLD.tokens[who], Accept: accept } });
  assert.equal(r.status, 200, `GET ${p} as ${who}`);
  return accept === "text/csv" ? Buffer.from(await r.arrayBuffer()) : r.json();
}

const newPage = () => watchedPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
const signIn = (page, who, landing) => signInAt(page, BASE, who, WORLD.tokens[who], landing);

function rows(page) {
  return page.$$eval("section[aria-labelledby='report-h'] table.list > tbody > tr", (trs) =>
    trs.map((tr) => Object.fromEntries([...tr.children].map((c) => [c.dataset.label, c.innerText.trim()]))));
}

// The figures as a person reads them, written here apart from the page's code.
const dash = (x, f) => (x === null ? "—" : f(x));
const days = (x) => dash(x, (v) => `${String(v).replace(".", ",")} ${v === 1 ? "dag" : "dagen"}`);
const pct = (x) => dash(x, (v) => `${Math.round(v * 100)}%`);
const monthText = (k) => `${MONTHS[+k.slice(5) - 1]} ${k.slice(0, 4)}`;

test("the report page: its chart and table show the API's report, its CSV is termijnd's", async () => {
  const page = await newPage();
  await signIn(page, "sup-noord", "Overzicht");
  await page.getByRole("link", { name: "Rapportage" }).click();
  await ready(page, "Rapportage");
  // The form, then the period the world lived through, by month.
  await page.getByRole("textbox", { name: "Van (verplicht)" }).fill(WORLD.from);
  await page.getByRole("textbox", { name: "Tot (niet meegeteld) (verplicht)" }).fill(WORLD.to);
  await page.getByRole("combobox", { name: "Per" }).selectOption("month");
  await page.getByRole("button", { name: "Toon" }).click();
  await page.waitForFunction((q) => location.hash.includes(q), `from=${WORLD.from}`);
  await ready(page, "Rapportage");

  const q = `/v1/report?from=${WORLD.from}&to=${WORLD.to}&by=month`;
  const body = await get("sup-noord", q);
  assert.ok(body.rows.some((r) => r.met > 0) && body.rows.some((r) => r.missed > 0),
    "the world has deadlines met and missed");
  assert.deepEqual(await rows(page), body.rows.map((r) => ({
    Maand: monthText(r.key), Termijnen: String(r.deadlines), Gehaald: String(r.met),
    "Te laat": String(r.missed), "Vertraging (mediaan)": days(r.delay_median_days),
    "Vertraging (90e percentiel)": days(r.delay_p90_days), Opgeschort: String(r.suspended),
    Verlengd: String(r.extended), "Afgesloten zaken": dash(r.closed, String),
    "Doorlooptijd (mediaan)": days(r.throughput_median_days),
    "Deel gehaald": pct(r.met_share),
    "Binnen de wettelijke termijn": pct(r.statutory_met_share),
  })));

  // The period at a glance, on the first screen of a 1280 px laptop without
  // scrolling: the statutory figure first, as termijnd counts it.
  const tot = body.totals;
  const statutory = page.locator("#fig-statutory");
  assert.equal(await statutory.locator("dd").innerText(),
    `${pct(tot.statutory_met_share)}\n${tot.statutory_met} van ${tot.statutory} wettelijke en beslistermijnen`);
  assert.ok(tot.statutory > 0, "the world has statutory deadlines");
  assert.equal(await page.locator("#fig-met dd").innerText(), `${pct(tot.met_share)}\n${tot.met} van ${tot.deadlines} termijnen`);
  const box = await statutory.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 900, `the statutory figure at ${box.y} px`);
  // The wide table scrolls inside its card; the page itself never sideways.
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 1280);
  const wrap = await page.locator("#main .table-wrap").evaluate((w) => [w.scrollWidth, w.clientWidth]);
  assert.ok(wrap[0] >= wrap[1], String(wrap));

  // The chart: a bar per month with deadlines, met and missed in
  // proportion, and in words for those who do not see it.
  const withDeadlines = body.rows.filter((r) => r.deadlines > 0);
  const bars = await page.$$eval("figure.chart svg g.row", (gs) => gs.map((g) => ({
    key: g.querySelector("text.key").textContent,
    met: Number(g.querySelector("rect.met").getAttribute("width")),
    missed: Number(g.querySelector("rect.missed").getAttribute("width")),
    n: g.querySelector("text.n").textContent,
  })));
  assert.deepEqual(bars.map((b) => [b.key, b.n]),
    withDeadlines.map((r) => [monthText(r.key), `${r.met} gehaald, ${r.missed} te laat`]));
  const max = Math.max(...withDeadlines.map((r) => r.deadlines));
  const longest = Math.max(...bars.map((b) => b.met + b.missed));
  for (const [i, r] of withDeadlines.entries()) {
    assert.ok(Math.abs(bars[i].met / longest - r.met / max) < 0.01, `met of ${r.key}`);
    assert.ok(Math.abs(bars[i].missed / longest - r.missed / max) < 0.01, `missed of ${r.key}`);
  }
  const desc = await page.locator("figure.chart svg desc").textContent();
  for (const r of withDeadlines) assert.ok(desc.includes(`${monthText(r.key)}: ${r.met} gehaald, ${r.missed} te laat`), desc);
  assert.equal(await page.locator("figure.chart svg").getAttribute("role"), "img");

  // The CSV: termijnd's own bytes, fetched with the token in its header.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download als CSV" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `rapportage-month-${WORLD.from}-${WORLD.to}.csv`);
  const saved = fs.readFileSync(await download.path());
  assert.deepEqual(saved, await get("sup-noord", q, "text/csv"));
  assert.ok(saved.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), "a BOM");

  // Grouped otherwise: by kind, in Dutch words.
  await page.getByRole("combobox", { name: "Per" }).selectOption("kind");
  await page.getByRole("button", { name: "Toon" }).click();
  await page.waitForFunction(() => location.hash.includes("by=kind"));
  await ready(page, "Rapportage");
  const byKind = await get("sup-noord", `/v1/report?from=${WORLD.from}&to=${WORLD.to}&by=kind`);
  const words = { agreement: "afspraak", decision: "beslistermijn", statutory: "wettelijke termijn", service_norm: "servicenorm" };
  assert.deepEqual((await rows(page)).map((r) => [r["Soort termijn"], r.Termijnen, r["Afgesloten zaken"]]),
    byKind.rows.map((r) => [words[r.key], String(r.deadlines), "—"]));

  // A period termijnd refuses: its own words, in Dutch as the dashboard asks.
  await page.evaluate(() => { location.hash = "#/rapportage?from=2026-03-01&to=2026-02-01"; });
  await page.locator("#main .error").waitFor();
  assert.match(await page.locator("#main .error").innerText(), /to moet na from liggen/);

  // Accessible as the other pages are.
  await page.evaluate(() => { location.hash = ""; });
  await page.evaluate((h) => { location.hash = h; },
    `#/rapportage?from=${WORLD.from}&to=${WORLD.to}&by=month`);
  await ready(page, "Rapportage");
  await page.locator("figure.chart").waitFor();
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help}`), []);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, "report.png"), fullPage: true });
  await page.context().close();
});

test("no token in a URL, no CSP violation, no script error", () => {
  const secrets = Object.values(WORLD.tokens);
  for (const u of requested) for (const s of secrets) assert.ok(!u.includes(s), `a token in ${u}`);
  assert.deepEqual(csp, []);
  assert.deepEqual(scriptErrors, []);
});
