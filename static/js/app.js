import { initAll } from "../vendor/govuk-frontend.min.js";

initAll();
// Components inside fragments that HTMX swaps in need initialising too.
document.body.addEventListener("htmx:afterSettle", (event) => initAll({ scope: event.detail.elt }));
