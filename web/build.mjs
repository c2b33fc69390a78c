// Builds the web app into the Python package's static folder (git-ignored), where `jeton web`
// serves it: the page's modules and the npm library they import (ethers) bundled by esbuild
// into one script, next to the stylesheet, the HTML page and the icon. No CDN and nothing
// fetched at run time: the page loads only what this writes.
//
//   node web/build.mjs

import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "python", "jeton", "web", "static");

await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(here, "src", "main.js")],
  outfile: join(out, "app.js"),
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
for (const [from, to] of [
  ["index.html", "index.html"],
  ["style.css", "app.css"],
  ["favicon.svg", "favicon.svg"],
]) {
  await copyFile(join(here, from), join(out, to));
}
