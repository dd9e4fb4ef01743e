import { initAll } from "../vendor/govuk-frontend.min.js";

// On a small screen a table's rows stack (frontend/_app.scss); each cell then shows its column's heading.
function labelCells(scope) {
  for (const table of scope.querySelectorAll("table.govuk-table")) {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (headings[i] && !cell.dataset.label) cell.dataset.label = headings[i];
      });
    }
  }
}

placeMessages(); // before GOV.UK Frontend focuses the banner where it is
initAll();
labelCells(document);
// Components inside fragments that HTMX swaps in need initialising too.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
  labelCells(event.detail.elt);
});

// A form that is being sent is not sent again: a second click or Enter while the first is on its way does
// nothing, and the button says that it is sending. (GOV.UK Frontend's own guard lasts one second only.)
// Coming back to the page with the browser's back button makes the form usable again.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
  if (form.dataset.sending === "true") {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "true";
  for (const button of form.querySelectorAll('button[type="submit"], button:not([type])')) {
    button.setAttribute("aria-disabled", "true");
    button.classList.add("tc-sending");
  }
  form.setAttribute("aria-busy", "true");
});

function ready(form) {
  delete form.dataset.sending;
  form.removeAttribute("aria-busy");
  for (const button of form.querySelectorAll(".tc-sending")) {
    button.removeAttribute("aria-disabled");
    button.classList.remove("tc-sending");
  }
}

window.addEventListener("pageshow", () => document.querySelectorAll('form[data-sending="true"]').forEach(ready));
// A form sent by HTMX stays on the page: once its answer is in (refused or not), it can be sent again.
document.body.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest("form");
  if (form) ready(form);
});

// A message about something further down the page (the address ends in #its-id, e.g. after "Mark done") is
// shown next to it, not above the fold where nobody sees it. The browser scrolls to that element, so the
// banner goes just after it when it is a heading, inside it at the top otherwise (a list item, a card).
function placeMessages() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  const banners = [...document.querySelectorAll("[data-tc-message]")];
  if (!target || !banners.length || target.closest("[data-tc-message]")) return;
  if (/^H[1-6]$/.test(target.tagName)) target.after(...banners);
  else if (target.tagName === "TR") target.closest("table").before(...banners);
  else target.prepend(...banners);
}
