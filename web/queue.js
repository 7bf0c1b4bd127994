// termijn dashboard: the work queue (GET /v1/queue): cases waiting in a
// state their workflow marks as a queue (enforcement), unassigned first,
// oldest first.  "Oppakken" assigns a case to the person signed in.

import { api, query } from "./api.js";
import { h, place, show, section, table, problem, caseLink, announce, busy, load } from "./ui.js";
import { teamFilter, noTeams, withPenalty, STATE, WORKFLOW, ASSIGNEE } from "./overview.js";
import * as fmt from "./format.js";

// Roles that act on cases (assign, record events); reader, admin and feed do not.
export function acts(me) {
  return !["reader", "admin", "feed"].includes(me.role);
}

export async function queue(ctx) {
  const team = ctx.params.get("team") || "";
  const main = show("Werkvoorraad", noTeams(ctx),
    h("div", { class: "toolbar" }, teamFilter(ctx, "#/werkvoorraad", team)),
    h("div", { id: "queue-errors" }),
    h("p", { class: "loading" }, "Laden…"));
  const data = await load(ctx, main, () => api("/v1/queue" + query({ team, limit: 200 })),
    () => "De werkvoorraad kon niet laden.");
  if (data === null) return;

  async function pickUp(item, button) {
    const errors = document.getElementById("queue-errors");
    errors.replaceChildren();
    button.disabled = true;
    try {
      await api(`/v1/cases/${item.case}/assign`, { method: "POST", body: { assignee: ctx.me.name } });
    } catch (err) {
      button.disabled = false;
      errors.replaceChildren(problem(err, `Zaak ${item.reference} oppakken lukte niet.`));
      button.focus();
      return;
    }
    await ctx.again();
    announce(`Zaak ${item.reference} is aan u toegewezen.`);
    const link = [...document.querySelectorAll("#main tbody a")].find((a) => a.textContent === item.reference);
    if (link) link.focus();
  }

  const columns = withPenalty([
    { label: "Zaak", cell: (r) => caseLink(r.case, r.reference) },
    { label: "Team", cell: (r) => r.team },
    WORKFLOW,
    STATE,
    { label: "Wacht sinds", cell: (r) => fmt.dateTime(r.since ?? r.state_since) },
    ASSIGNEE,
  ], data.queue);
  if (acts(ctx.me)) {
    columns.push({ label: "Actie", cell: (r) => {
      if (r.assignee) return r.assignee === ctx.me.name ? "bij u" : "—";
      const b = h("button", { type: "button", class: "button small", "aria-label": `Zaak ${r.reference} oppakken` }, "Oppakken");
      b.addEventListener("click", () => pickUp(r, b));
      return b;
    } });
  }
  place(main.querySelector(".loading"), section("queue", "Wachtende zaken",
    h("p", { class: "hint" }, "Zaken in een stand die iemand moet oppakken: eerst die nog niemand heeft, daarna de oudste eerst."),
    table({
      caption: "Wachtende zaken", empty: "De werkvoorraad is leeg.",
      rowClass: (r) => (r.assignee ? null : "waiting"),
      columns, rows: data.queue,
    }),
    data.next_cursor ? h("p", { class: "hint" }, "Er wachten meer zaken dan hier staan; kies een team om minder te zien.") : null));
  busy(main, false);
}
