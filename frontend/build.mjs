// Compile our Sass against GOV.UK Frontend + MoJ Frontend and copy the run-time assets we use (and the
// API docs' Swagger UI) into ../static/vendor, so the app serves everything itself (no CDN at run time).
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "../static/vendor";
mkdirSync(`${out}/moj/images`, { recursive: true });

const css = sass.compile("throughcare.scss", {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  loadPaths: ["."],
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/throughcare.css`, css.css);

cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", `${out}/moj-frontend.min.js`);

// Icons only: the crown, crest and MoJ logotypes are reserved and never copied.
const reserved = /crown|crest|logotype|apple-touch|opengraph/;
for (const name of readdirSync("node_modules/@ministryofjustice/frontend/moj/assets/images")) {
  if (!reserved.test(name)) {
    cpSync(`node_modules/@ministryofjustice/frontend/moj/assets/images/${name}`, `${out}/moj/images/${name}`);
  }
}
// The API's interactive docs (Swagger UI), served by the app like the rest of the front end.
mkdirSync(`${out}/swagger-ui`, { recursive: true });
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  cpSync(`node_modules/swagger-ui-dist/${name}`, `${out}/swagger-ui/${name}`);
}
console.log("built", out);
