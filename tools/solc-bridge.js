#!/usr/bin/env node
// A stand-in for the native `solc` executable, built on the npm `solc` package
// (the official compiler compiled to WebAssembly).
//
// py-solc-x (and so ape-solidity) would download a native binary from the
// Solidity site, which these machines can not reach. It only ever makes two
// kinds of call, and this bridge answers both:
//
//   solc --version
//   solc --standard-json [--base-path DIR] [--include-path DIR]... [--allow-paths P,...]
//
// The Standard JSON input comes on stdin, the output goes to stdout. Imports
// that the input does not carry are read from the base path, then from each
// include path, in that order, as native solc does.
"use strict";

const fs = require("fs");
const path = require("path");
const solc = require("solc");

function parseArgs(argv) {
  const opts = { mode: null, basePath: null, includePaths: [], allowPaths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case "--version":
        opts.mode = "version";
        break;
      case "--standard-json":
        opts.mode = "standard-json";
        break;
      case "--base-path":
        opts.basePath = value();
        break;
      case "--include-path":
        opts.includePaths.push(value());
        break;
      case "--allow-paths":
        opts.allowPaths.push(...value().split(","));
        break;
      default:
        // Native solc also accepts a trailing "-" for stdin; anything else is
        // a call this bridge was not built for, and it says so.
        if (flag !== "-") {
          throw new Error(`solc-bridge: unsupported argument ${JSON.stringify(arg)}`);
        }
    }
  }
  return opts;
}

function nativeVersion() {
  // "0.8.37+commit.f401782d.Emscripten.clang" -> "0.8.37+commit.f401782d.Linux.g++",
  // the form py-solc-x parses (X.Y.Z+commit.HASH).
  const [semver, commit] = solc.version().split("+");
  const hash = commit.split(".")[1];
  return `${semver}+commit.${hash}.Linux.g++`;
}

function makeImportReader(opts) {
  const roots = [opts.basePath || process.cwd(), ...opts.includePaths];
  return function findImports(importPath) {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : roots.map((root) => path.resolve(root, importPath));
    for (const candidate of candidates) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        return { contents: fs.readFileSync(candidate, "utf8") };
      }
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(", ")})` };
  };
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  if (opts.mode === "version") {
    process.stdout.write(
      `solc, the solidity compiler commandline interface\nVersion: ${nativeVersion()}\n`,
    );
    return 0;
  }
  if (opts.mode === "standard-json") {
    const input = fs.readFileSync(0, "utf8");
    process.stdout.write(solc.compile(input, { import: makeImportReader(opts) }));
    return 0;
  }
  process.stderr.write("solc-bridge: only --version and --standard-json are supported\n");
  return 1;
}

process.exitCode = main();
