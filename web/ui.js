// termijn dashboard: building the page.  Everything is made with DOM calls
// and textContent, never from HTML text, so that what termijnd sends (a
// reference, a note) is always shown as text.

// h("p", {class: "x", onclick: fn}, "text", node, [more], null)
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// Say something to screen readers (the page's polite live region) and show it.
export function announce(text) {
  const live = document.getElementById("announce");
  live.textContent = "";
  // A new text node after clearing, so that the same words are read again.
  setTimeout(() => { live.textContent = text; }, 50);
}

// termijnd's problem detail, marked with its language (Content-Language),
// for screen readers; the dashboard's own words are the page's Dutch.
export function problem(err, what) {
  return h("div", { class: "error", role: "alert" },
    h("p", {}, h("strong", {}, what)),
    h("p", { lang: err.lang || null, class: "detail" }, err.detail || err.message || String(err)));
}

// A section with a heading (level 2) and its content.
export function section(id, title, ...content) {
  return h("section", { "aria-labelledby": id + "-h", class: "card" },
    h("h2", { id: id + "-h", tabindex: "-1" }, title), content);
}

// A table that becomes a list of cards on a narrow screen: each cell
// carries its column's name (data-label) for that layout.
export function table({ caption, columns, rows, empty, rowClass }) {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h("div", { class: "table-wrap" },
    h("table", { class: "list" },
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c.label)))),
      h("tbody", {}, rows.map((r) => h("tr", { class: rowClass ? rowClass(r) : null },
        columns.map((c, i) => h(i === 0 ? "th" : "td",
          { "data-label": c.label, scope: i === 0 ? "row" : null }, h("div", { class: "v" }, c.cell(r)))))))));
}

// A definition list of [term, value] pairs; pairs without a value are left out.
export function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter((p) => p && p[1] !== undefined && p[1] !== null)
    .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

export function caseLink(id, reference) {
  return h("a", { href: `#/zaak/${encodeURIComponent(id)}` }, reference);
}

// A labelled form field: label, the control, an optional hint.
export function field(id, label, control, hint) {
  control.id = id;
  if (hint) control.setAttribute("aria-describedby", id + "-hint");
  return h("div", { class: "field" },
    h("label", { for: id }, label, control.required ? h("span", { class: "req" }, " (verplicht)") : null),
    hint ? h("p", { class: "hint", id: id + "-hint" }, hint) : null,
    control);
}

// Put a view in <main>, title the document, and move focus to its heading
// so that keyboard and screen-reader users start at the new page.
export function show(title, ...content) {
  const main = document.getElementById("main");
  main.replaceChildren(h("h1", { tabindex: "-1", id: "page-title" }, title));
  append(main, content);
  busy(main, false);
  document.title = `${title} · termijn`;
  return main;
}

// Load what a page shows while it says "Laden…" (an element of class
// loading in main): the data, or null when loading failed (termijnd's
// refusal stands in its place, headed by failed(err)) or the person went
// elsewhere meanwhile.
export async function load(ctx, main, fetch, failed) {
  busy(main, true);
  try {
    const data = await fetch();
    return ctx.alive() ? data : null;
  } catch (err) {
    if (ctx.alive()) {
      place(main.querySelector(".loading"), problem(err, failed(err)));
      busy(main, false);
    }
    return null;
  }
}

// Put nodes where el is; null, undefined and false stand for nothing.
export function place(el, ...nodes) {
  el.replaceWith(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
}

export function focusTitle() {
  const t = document.getElementById("page-title");
  if (t) t.focus();
}

export function busy(el, on) {
  el.setAttribute("aria-busy", on ? "true" : "false");
}
