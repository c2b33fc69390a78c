// Unpacks the headless Chromium that the npm package @sparticuz/chromium ships (compressed,
// inside the package: nothing is downloaded) into the folder given as the first argument, and
// prints the executable's path. The browser tests drive it with Python Playwright.
//
//   node tools/unpack-chromium.mjs .browser

import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";

const target = resolve(process.argv[2] || ".browser");
await mkdir(target, { recursive: true });
// The package unpacks into the system's temporary folder, which Node reads from TMPDIR.
process.env.TMPDIR = target;
const chromium = (await import("@sparticuz/chromium")).default;
console.log(await chromium.executablePath());
