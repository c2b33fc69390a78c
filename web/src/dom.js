// Building the page: elements are made with the DOM API, and every piece of text goes in as a
// text node (textContent), never as HTML. Text from the chain (descriptions, reasons, URIs,
// token names) can therefore never become markup or script.

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * h("a", { href: "#/tasks", class: "x" }, "text", child, [more, children])
 * Attributes: `class`, `on<event>` handlers (functions), `dataset` (object), booleans
 * (true sets an empty attribute, false/null/undefined leaves it out), anything else as a
 * string attribute. Children: strings (as text nodes), nodes, arrays, null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element, with the same rules as `h`. */
export function svg(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "dataset") {
      for (const [name, data] of Object.entries(value)) el.dataset[name] = String(data);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace everything in `el` with `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A definition list of [label, value] pairs (values: text or nodes). */
export function fields(pairs, attrs = {}) {
  return h(
    "dl",
    { class: "fields", ...attrs },
    pairs.filter(Boolean).map(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]),
  );
}

/** A table: `columns` are header labels, `rows` arrays of cells (text or nodes). */
export function table(columns, rows, attrs = {}) {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      attrs,
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        rows.map((row) =>
          row instanceof Node ? row : h("tr", {}, row.map((cell) => h("td", {}, cell))),
        ),
      ),
    ),
  );
}

/** A button that runs `onclick` (kept disabled while the node is unreachable). */
export function button(label, onclick, attrs = {}) {
  return h("button", { type: "button", onclick, ...attrs }, label);
}
