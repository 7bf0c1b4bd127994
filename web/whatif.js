// termijn dashboard: "wat als" on a running case's page.  A person picks
// one of the events the case's state accepts and the date it would
// happen, and sees what would follow (POST /v1/cases/ID/simulate): the
// states the case would enter, every deadline with its last day and how
// that date is reached, and the reminders and follow-ups with whom they
// reach.  termijnd runs it on a copy of the case: nothing of the case
// changes, no transition is recorded and no read is logged (the page's own
// read was), which the answer says in so many words.
//
// The question is hypothetical, so every event of the state is offered,
// whoever may record it; an event that needs a reason or a legal basis
// gets a stand-in (termijnd's simulate.c).  The date is a day, taken from
// its start, and never before the case's last transition: on that day
// itself, the event is taken at that transition's moment.

import { api, LANG } from "./api.js";
import { h, section, table, facts, field, problem, busy } from "./ui.js";
import { acts } from "./queue.js";
import * as fmt from "./format.js";

const titled = (o, key) => o[`${key}_title`] || o[key];

// How a simulation ended, in words.
const ENDED = {
  final: "de zaak is dan afgesloten",
  waiting: "de zaak wacht dan op een volgende gebeurtenis",
  horizon: "na tien jaar gestopt: er stond nog iets gepland",
  steps: "na 1.000 momenten gestopt: het werkproces loopt rond",
};

// The day (Amsterdam) of a timestamp, "2026-01-12".
function dayOf(ts) {
  const p = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date(Date.parse(ts)));
  const v = (t) => p.find((x) => x.type === t).value;
  return `${v("year")}-${v("month")}-${v("day")}`;
}

// The section: a form, and where its answer goes.  last: the case's last
// transition (its history's newest row).  Like every form of the page, it
// is for those who work on cases: a reader only reads.
export function whatIf(me, c, last) {
  if (!acts(me) || c.final || !c.accepts || c.accepts.length === 0 || !last) return null;
  const first = dayOf(last.at);
  const select = h("select", { name: "event", required: true }, h("option", { value: "" }, "Kies een gebeurtenis"),
    c.accepts.map((name) => h("option", { value: name },
      (c.event_titles || {})[name] ? `${c.event_titles[name]} (${name})` : name)));
  const date = h("input", { type: "date", name: "date", required: true, min: first });
  const errors = h("div", {});
  const answer = h("div", { id: "whatif-answer" });
  const button = h("button", { type: "submit", class: "button" }, "Bekijk wat er zou gebeuren");
  const form = h("form", { class: "action", novalidate: true, "aria-label": "Wat als" },
    h("p", {}, "Wat gebeurt er als … ? Kies een gebeurtenis en de dag waarop die zou plaatsvinden. "
      + "termijn rekent het door op een kopie: aan de zaak zelf verandert niets."),
    field("whatif-event", "Gebeurtenis", select),
    field("whatif-date", "Datum", date, `Op of na ${fmt.date(first)}, de dag van de laatste stap in de geschiedenis.`),
    errors, button);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    const wrong = !select.value ? ["Gebeurtenis", select] : !date.value ? ["Datum", date]
      : date.value < first ? ["Datum", date] : null;
    if (wrong) {
      errors.replaceChildren(h("div", { class: "error", role: "alert" }, h("p", {},
        wrong[1] === date && date.value ? `Kies een datum op of na ${fmt.date(first)}.` : `Vul '${wrong[0]}' in.`)));
      wrong[1].focus();
      return;
    }
    const at = date.value === first ? last.at : date.value;
    button.disabled = true;
    busy(answer, true);
    try {
      const sim = await api(`/v1/cases/${c.id}/simulate`, { method: "POST", body: { events: [{ event: select.value, date: at }] } });
      answer.replaceChildren(...timeline(sim, (c.event_titles || {})[select.value] || select.value, date.value));
      answer.querySelector("h3")?.focus();
    } catch (err) {
      answer.replaceChildren(problem(err, "termijn kon dit niet doorrekenen:"));
    } finally {
      button.disabled = false;
      busy(answer, false);
    }
  });
  return section("whatif", "Wat als", form, answer);
}

// What would follow, marked as a simulation from top to bottom.
function timeline(sim, what, day) {
  return [h("div", { class: "simulation", role: "region", "aria-labelledby": "whatif-result" },
    h("h3", { id: "whatif-result", tabindex: "-1" }, `Wat als: ${what} op ${fmt.date(day)}`),
    h("p", { class: "notice", id: "whatif-notice" }, h("strong", {}, "Simulatie. "),
      "Dit is wat er zou volgen; er is niets vastgelegd en aan de zaak is niets veranderd."),
    facts([
      ["Stand daarna", titled(sim, "state")],
      ["Doorgerekend tot", fmt.dateTime(sim.until)],
      ["Einde", ENDED[sim.ended] || sim.ended],
    ]),
    h("h4", {}, "Standen"),
    table({
      caption: "Stappen die zouden volgen, oudste eerst", empty: "De zaak zou in deze stand blijven.",
      columns: [
        { label: "Moment", cell: (t) => fmt.dateTime(t.at) },
        { label: "Wat", cell: (t) => [fmt.cause(t.cause), t.event ? h("span", { class: "sub" }, t.event_title || t.event) : null] },
        { label: "Stand", cell: (t) => (t.from && t.from !== t.to ? `${titled(t, "from")} → ${titled(t, "to")}` : titled(t, "to")) },
      ],
      rows: sim.transitions,
    }),
    h("h4", {}, "Termijnen"),
    table({
      caption: "Termijnen en hun laatste dag", empty: "Geen termijnen.",
      columns: [
        { label: "Termijn", cell: (d) => [d.title || `termijn ${d.name}`, h("span", { class: "sub" }, fmt.kind(d.kind))] },
        { label: "Laatste dag", cell: (d) => (d.due ? fmt.due(d.due) : "— (opgeschort)") },
        { label: "Te laat vanaf", cell: (d) => (d.overdue_from ? fmt.dateTime(d.overdue_from) : "—") },
        { label: "Afloop", cell: (d) => (d.stopped ? "gestopt: de stand is eerder verlaten" : d.passed ? "verstreken"
          : d.running ? "loopt nog" : "opgeschort") },
        { label: "Hoe de datum is berekend", cell: (d) => h("ol", { class: "explanation", lang: sim[LANG] || null },
          d.explanation.map((line) => h("li", {}, line))) },
      ],
      rows: sim.deadlines,
    }),
    h("h4", {}, "Meldingen"),
    table({
      caption: "Herinneringen en opvolging die zouden volgen, oudste eerst", empty: "Er zou niemand een melding krijgen.",
      columns: [
        { label: "Moment", cell: (n) => fmt.dateTime(n.at) },
        { label: "Aan", cell: (n) => n.role_title || fmt.role(n.role) },
        { label: "Termijn", cell: (n) => n.deadline_title || n.deadline || "—" },
        { label: "Signaal", cell: (n) => (n.rung ? n.rung_title || fmt.rung(n.rung) : `stand ${n.entered_title || n.entered}`) },
      ],
      rows: sim.notifications,
    }))];
}
