// One definition of late, as a supervisor reads it (issue 15): the
// overview and the page of every case of a small municipality say the same
// of it (late, and how late; at risk; running), in Debian's Chromium,
// headless, against a running termijnd.
//
// tests/integration/test_dashboard_late.py makes the municipality of
// test_late.py on a fake clock, moves the clock (never sleeping) and runs
// this file once at each moment; it passes, through the environment:
//   TERMIJN_URL          where termijnd listens
//   TERMIJN_WORLD        JSON: {"tokens": {"sup-noord": secret},
//                        "cases": {name: id}, "moment": "T1" or "T2"}
//   TERMIJN_SCREENSHOTS  where the screenshots go (the build directory)
//   TERMIJN_CHROMIUM     the browser (/usr/bin/chromium)
//
// The overview and the case page are compared with each other, as the
// supervisor compares them, and with the API, with words written here
// rather than by the page's code.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { csp, launch, ready, scriptErrors, signInAt, watchedPage } from "./driver.mjs";

const BASE = process.env.TERMIJN_URL;
const WORLD = JSON.parse(process.env.TERMIJN_WORLD || "{}");
const SHOTS = process.env.TERMIJN_SCREENSHOTS;
const WHO = "sup-noord";

let browser;

before(async () => {
  assert.ok(BASE && WORLD.tokens && WORLD.moment, "run by tests/integration/test_dashboard_late.py");
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

async function get(p) {
  const r = await fetch(BASE + p, { headers: { Authorization: "Bearer " + WORLD.tokens[WHO] } });
  assert.equal(r.status, 200, p);
  return r.json();
}

const n = (k, one, many) => `${k} ${k === 1 ? one : many}`;

// How late, in the words a person reads: the day it passed, then days.
function lateWords(o) {
  if (o.overdue_days === 0) return "vandaag verstreken";
  return `${n(o.overdue_days, "dag", "dagen")} (${n(o.overdue_working_days, "werkdag", "werkdagen")})`;
}

// The rows of a section's table: {column label: text}.
function rows(page, section) {
  return page.$$eval(`section[aria-labelledby="${section}-h"] table.list > tbody > tr`, (trs) =>
    trs.map((tr) => Object.fromEntries([...tr.children].map((c) => [c.dataset.label, c.innerText.trim()]))));
}

// A definition list as {term: value}.
function facts(locator) {
  return locator.evaluate((dl) => Object.fromEntries([...dl.querySelectorAll(":scope > dt")]
    .map((dt) => [dt.innerText, dt.nextElementSibling.innerText])));
}

const deadlineOf = (cell) => cell.split("\n")[0];
// A name as the pages show it: by its title, by the name where there is none.
const titled = (o, key) => o[`${key}_title`] || o[key];

test("the overview and every case page say the same of each case", async () => {
  const [overdue, risk] = await Promise.all([get("/v1/overdue?limit=500"), get("/v1/at-risk?within=P5D&limit=500")]);
  const page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await signInAt(page, BASE, WHO, WORLD.tokens[WHO], "Overzicht");

  // The overview: what the API says, "vandaag verstreken" rather than 0 days.
  const late = await rows(page, "overdue");
  assert.deepEqual(late.map((r) => [r.Zaak, deadlineOf(r.Termijn), r["Te laat"]]),
    overdue.overdue.map((o) => [o.reference, titled(o, "deadline"), lateWords(o)]));
  const atRisk = await rows(page, "at-risk");
  assert.deepEqual(atRisk.map((r) => [r.Zaak, deadlineOf(r.Termijn)]),
    risk.at_risk.map((r) => [r.reference, titled(r, "deadline")]));
  assert.equal(await page.locator("#count-overdue .n").innerText(), String(late.length));
  assert.equal(await page.locator("#count-at_risk .n").innerText(), String(atRisk.length));
  const overview = await page.locator("#main").innerText();
  assert.doesNotMatch(overview, /(^|[^0-9])0 dagen/, "a deadline that passed today, in days");

  const seen = new Set();
  for (const [name, id] of Object.entries(WORLD.cases)) {
    const c = await get(`/v1/cases/${id}`);
    await page.evaluate((h) => { location.hash = h; }, `#/zaak/${id}`);
    await ready(page, `Zaak ${c.reference}`);
    const text = await page.locator("#main").innerText();
    assert.doesNotMatch(text, /(^|[^0-9])0 dagen/, name);
    const top = await facts(page.locator("#main > dl.facts"));
    const mine = late.filter((r) => r.Zaak === c.reference);

    // Late on the page exactly when, and as, the overview says; a deadline
    // by its title, or as "termijn" and its name.
    const mineApi = overdue.overdue.filter((o) => o.reference === c.reference);
    assert.equal(top["Te laat"], mine.length
      ? mine.map((r, i) => `${mineApi[i].deadline_title || `termijn ${mineApi[i].deadline}`}: ${r["Te laat"]}`)
        .join("; ") : undefined, name);
    const passed = await rows(page, "passed");
    assert.deepEqual(passed.filter((r) => !r["Te laat"].startsWith("nee"))
      .map((r) => [deadlineOf(r.Termijn), r["Laatste dag"], r["Te laat"]]),
    mine.map((r) => [deadlineOf(r.Termijn), r["Laatste dag"], r["Te laat"]]), name);
    assert.equal(passed.length, c.passed_deadlines.length, name);
    c.passed_deadlines.forEach((p, i) => {
      assert.equal(deadlineOf(passed[i].Termijn), p.title || p.name);
      let followed = `de zaak bleef in stand ${titled(p, "state")}`;
      if (p.overdue && !p.escalated_to) followed = `de zaak wacht er nog op in stand ${titled(p, "state")}`;
      else if (p.then) followed = `de zaak ging naar ${titled(p, "then")}`;
      assert.match(passed[i]["Wat volgde"], new RegExp(`; ${followed}$`), name);
    });

    // Each deadline's badge: late as the overview says, running otherwise;
    // at risk with the overview's last day.
    for (const d of c.deadlines) {
      const a = page.locator(`article.deadline[data-deadline="${d.name}"]`);
      const badge = await a.locator("h3 .badge").innerText();
      const listed = mine.find((r) => deadlineOf(r.Termijn) === (d.title || d.name));
      assert.equal(badge, listed ? "te laat" : d.running ? "lopend" : "opgeschort", `${name} ${d.name}`);
      const f = await facts(a.locator("dl.facts"));
      if (listed) assert.equal(f["Te laat"], listed["Te laat"]);
      const r = atRisk.find((x) => x.Zaak === c.reference && deadlineOf(x.Termijn) === (d.title || d.name));
      if (r) {
        assert.equal(badge, "lopend");
        assert.equal(f["Laatste dag"], r["Laatste dag"], `${name} ${d.name}`);
        seen.add("at risk");
      }
    }
    if (c.deadlines.length === 0) {
      assert.match(text, /Er loopt geen termijn in deze stand\./);
    }
    if (mine.length) seen.add("late");
    if (c.deadlines.some((d) => d.running && !d.passed)) seen.add("running");

    // The two cases the supervisor found.
    if (name === "ESCALATED") {
      // No deadline runs in enforcement, and the page says it is late all
      // the same, on the youth worker's deadline, and what followed.
      assert.equal(c.deadlines.length, 0);
      const row = passed.find((r) => deadlineOf(r.Termijn) === "Termijn jeugdhulp");
      assert.match(row["Wat volgde"], /^op wo 25 feb 2026 verstreken; de zaak ging naar Bij handhaving$/);
      await page.screenshot({ path: path.join(SHOTS, `case-late-${WORLD.moment}.png`), fullPage: true });
    }
    if (name === "TODAY") {
      const row = passed.find((r) => deadlineOf(r.Termijn) === "Termijn gezin");
      const youth = page.locator('article.deadline[data-deadline="youth_worker_reports"]');
      assert.equal(await youth.locator("h3 .badge").innerText(), "lopend");
      if (WORLD.moment === "T1") {
        assert.equal(row["Te laat"], "vandaag verstreken");
        assert.equal(row["Wat volgde"], "vandaag verstreken; de zaak ging naar Jeugdhulpverlener meldt");
        assert.equal(top["Te laat"], "Termijn gezin: vandaag verstreken");
      } else {
        assert.equal(row["Te laat"], "1 dag (1 werkdag)");
        assert.equal(row["Wat volgde"], "op di 17 mrt 2026 verstreken; de zaak ging naar Jeugdhulpverlener meldt");
      }
    }
  }
  // The municipality has a case in each situation.
  assert.deepEqual([...seen].sort(), ["at risk", "late", "running"]);
  await page.context().close();
});

test("no policy violation, no script error", () => {
  assert.deepEqual(csp, []);
  assert.deepEqual(scriptErrors, []);
});
