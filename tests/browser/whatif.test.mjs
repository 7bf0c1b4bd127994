// "Wat als" on a running case's page, in Debian's Chromium, headless,
// against a running termijnd (issue 20).
//
// tests/integration/test_dashboard_whatif.py makes two cases of
// beslistermijn on a fake clock and runs this file; it passes, through the
// environment:
//   TERMIJN_URL          where termijnd listens
//   TERMIJN_WORLD        JSON: {"tokens": {"chef": secret}, "names": {...},
//                        "cases": {reference: id}}
//   TERMIJN_SCREENSHOTS  where the screenshots go (the build directory)
//   TERMIJN_CHROMIUM     the browser (/usr/bin/chromium)
//
// A supervisor asks what would follow an event on a date and reads the
// dates a hand computation gives (written here, from Awb 4:13 and 4:15,
// the Algemene termijnenwet and the workflow's rungs); the case's own
// sections stay as they were.  test_dashboard_whatif.py checks afterwards
// that termijnd stored nothing and logged no read for it.

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
const WHO = "chef";

let browser;

before(async () => {
  assert.ok(BASE && WORLD.tokens && WORLD.cases, "run by tests/integration/test_dashboard_whatif.py");
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

async function open(page, ref) {
  await page.evaluate((h) => { location.hash = h; }, `#/zaak/${WORLD.cases[ref]}`);
  await ready(page, `Zaak ${ref}`);
}

// The tables of the answer, by caption: each a list of {column: text}.
function answer(page) {
  return page.$$eval("#whatif-answer table.list", (tables) => Object.fromEntries(tables.map((t) => [
    t.querySelector("caption").innerText.trim(),
    [...t.querySelectorAll(":scope > tbody > tr")].map((tr) => Object.fromEntries(
      [...tr.children].map((c) => [c.dataset.label, c.innerText.trim()])))])));
}

// What the case's own page shows of its deadlines and history.
function ownSections(page) {
  return page.$$eval("section[aria-labelledby='deadlines-h'], section[aria-labelledby='history-h']",
    (ss) => ss.map((s) => s.innerText));
}

async function ask(page, event, day) {
  await page.selectOption("#whatif-event", event);
  await page.fill("#whatif-date", day);
  await page.getByRole("button", { name: "Bekijk wat er zou gebeuren" }).click();
  await page.locator("#whatif-notice").waitFor();
  await page.waitForSelector("#whatif-answer[aria-busy='false']");
}

async function axe(page, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((x) => x.target.join(" ")).join(", ")}`), [],
    `${name}: axe-core finds serious violations`);
}

const simulations = () => requested.filter((u) => /\/simulate$/.test(u)).length;

test("wat als: the application completed on 26 January", async () => {
  const page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await signInAt(page, BASE, WORLD.names[WHO], WORLD.tokens[WHO], "Overzicht");
  await open(page, "B-2026-0001");
  const before = await ownSections(page);
  const section = page.locator("section[aria-labelledby='whatif-h']");
  assert.match(await section.innerText(), /aan de zaak zelf verandert niets/);

  // Before the last step of the history (12 January): said, not sent.
  await page.selectOption("#whatif-event", "completed");
  await page.fill("#whatif-date", "2026-01-10");
  await page.getByRole("button", { name: "Bekijk wat er zou gebeuren" }).click();
  await page.getByRole("alert").filter({ hasText: "Kies een datum op of na ma 12 jan 2026." }).waitFor();
  assert.equal(simulations(), 0);

  await ask(page, "completed", "2026-01-26");
  assert.equal(simulations(), 1);
  const notice = await page.locator("#whatif-notice").innerText();
  assert.match(notice, /^Simulatie\./);
  assert.match(notice, /niets vastgelegd/);
  assert.match(await page.locator("#whatif-result").innerText(), /Wat als: Aanvraag aangevuld op ma 26 jan 2026/);

  // By hand: 8 weeks from Monday 5 January end on Monday 2 March (Awb
  // 4:13).  Suspended from Tuesday 13 January, the day after the request
  // to complete, up to and including Monday 26 January, the day it was
  // completed (the workflow counts that day as suspended): 14 days, so
  // Monday 16 March, a working day (Atw art. 1 moves nothing), overdue
  // from Tuesday 17 March 00:00.  The reminders a week and a day before
  // that moment reach the caseworker; two working days after it (Tuesday
  // 17, Wednesday 18) the supervisor.
  const t = await answer(page);
  const dl = t["Termijnen en hun laatste dag"];
  assert.equal(dl.length, 1);
  assert.equal(dl[0]["Laatste dag"], "ma 16 mrt 2026");
  assert.equal(dl[0]["Te laat vanaf"], "di 17 mrt 2026 00:00");
  assert.equal(dl[0].Afloop, "verstreken");
  assert.match(dl[0]["Hoe de datum is berekend"], /14 dagen opgeschort/);
  assert.match(dl[0]["Hoe de datum is berekend"], /maandag 16 maart 2026/);
  assert.deepEqual(t["Stappen die zouden volgen, oudste eerst"].map((r) => [r.Moment, r.Stand]), [
    ["ma 26 jan 2026 00:00", "In behandeling"],
    ["di 17 mrt 2026 00:00", "In behandeling → Beslistermijn verstreken"],
  ]);
  assert.deepEqual(t["Herinneringen en opvolging die zouden volgen, oudste eerst"].map((r) => [r.Moment, r.Aan]), [
    ["di 10 mrt 2026 00:00", "consulent"],
    ["ma 16 mrt 2026 00:00", "consulent"],
    ["do 19 mrt 2026 00:00", "leidinggevende"],
  ]);
  assert.match(await page.locator("#whatif-answer dl.facts").innerText(), /Beslistermijn verstreken/);

  // The case's own page is as it was: still suspended, the same history.
  assert.deepEqual(await ownSections(page), before);
  await axe(page, "case page with a wat-als answer");
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, "case-whatif.png"), fullPage: true });
  await page.context().close();
});

test("wat als: the decision deferred on 20 February", async () => {
  const page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await signInAt(page, BASE, WORLD.names[WHO], WORLD.tokens[WHO], "Overzicht");
  await open(page, "B-2026-0002");
  const before = await ownSections(page);
  await ask(page, "extend", "2026-02-20");
  // By hand: 8 weeks from Monday 5 January end on Monday 2 March; deferred
  // once by 6 weeks: Monday 13 April 2026, a working day (Easter Monday was
  // 6 April): overdue from Tuesday 14 April 00:00.
  const t = await answer(page);
  const dl = t["Termijnen en hun laatste dag"];
  assert.equal(dl[0]["Laatste dag"], "ma 13 apr 2026");
  assert.equal(dl[0]["Te laat vanaf"], "di 14 apr 2026 00:00");
  assert.equal(t["Stappen die zouden volgen, oudste eerst"][0].Moment, "vr 20 feb 2026 00:00");
  assert.deepEqual(t["Herinneringen en opvolging die zouden volgen, oudste eerst"].map((r) => [r.Moment, r.Aan]), [
    ["di 7 apr 2026 00:00", "consulent"],
    ["ma 13 apr 2026 00:00", "consulent"],
    ["do 16 apr 2026 00:00", "leidinggevende"],
  ]);
  assert.deepEqual(await ownSections(page), before);
  assert.equal(simulations(), 2);
  assert.deepEqual(csp, []);
  assert.deepEqual(scriptErrors, []);
  await page.context().close();
});
