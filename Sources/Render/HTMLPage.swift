// The page's inline style sheet and script. Large type and strong contrast for a projector, a
// print style (colours kept, tensor dumps opened, no page breaks inside figures), and a script that
// only enhances: heatmap row/column highlighting, open/close all tensors, and a `data-ready`
// marker on <html> set once it ran without error (the headless-browser test looks for it).

enum HTMLPage {
  static let css = """
    :root { --ink: #1a1a1a; --muted: #5a5a5a; --line: #d0d0d0; --accent: #1f5fa8; --paper: #ffffff;
      --code: #f3f3f3; font-size: 20px; }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--paper); color: var(--ink);
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; line-height: 1.55; }
    main.lesson { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
    h1 { font-size: 2rem; line-height: 1.2; color: var(--accent); }
    h2 { font-size: 1.45rem; margin-top: 2.2rem; border-bottom: 2px solid var(--line); }
    h3 { font-size: 1.15rem; }
    a { color: var(--accent); }
    code, pre, .tensor, .heatmap td, .token { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
    code { background: var(--code); padding: 0 .2em; border-radius: 3px; font-size: .92em; }
    pre { background: var(--code); padding: .8rem 1rem; overflow-x: auto; border-radius: 6px; font-size: .8rem; }
    pre code { background: none; padding: 0; }
    blockquote { margin-left: 0; padding-left: 1rem; border-left: 4px solid var(--line); color: var(--muted); }
    .toolbar { position: sticky; top: 0; text-align: right; padding: .3rem 1rem; background: rgba(255,255,255,.9); }
    .toolbar button { font: inherit; font-size: .7rem; }
    section.directive { margin: 1.4rem 0; padding: .6rem 0 .2rem 1rem; border-left: 4px solid var(--accent); }
    section.directive.failed { border-left-color: #c62828; }
    section.directive.expected-error { border-left-color: #e0a000; }
    .directive-head { font-size: .7rem; color: var(--muted); margin-bottom: .4rem; }
    .directive-head code { background: none; padding: 0; }
    .badge { font-size: .65rem; padding: .05rem .4rem; border-radius: 999px; background: #fde2b0; color: #5a3d00; }
    .explanation { background: #eef4fb; padding: .5rem .8rem; border-radius: 6px; }
    .callout { display: block; margin: 1rem 0; padding: .6rem .9rem; border-radius: 6px; border-left: 5px solid; }
    .callout.note { background: #eef4fb; border-color: var(--accent); }
    .callout.warning { background: #fff6df; border-color: #e0a000; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; margin: .6rem 0; }
    caption, figcaption, .caption { font-weight: 600; text-align: left; margin: .3rem 0; }
    figure { margin: 1rem 0; }
    table.data th, table.data td { padding: .2rem .6rem; border-bottom: 1px solid var(--line); text-align: left; }
    table.data .r { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    table.data .c { text-align: center; }
    td.bar { min-width: 8rem; }
    td.bar span { display: block; height: .8em; background: var(--accent); border-radius: 2px; }
    table.bars th { text-align: left; font-weight: normal; padding-right: .8rem; font-family: ui-monospace, monospace; }
    table.bars td.num { text-align: right; padding-right: .6rem; font-variant-numeric: tabular-nums; }
    table.bars td.bar { width: 60%; }
    details.tensor summary { cursor: pointer; }
    table.tensor td, table.tensor th { padding: .1rem .45rem; text-align: right; font-size: .75rem; }
    table.tensor th { color: var(--muted); font-weight: normal; }
    td.more { color: var(--muted); text-align: center; }
    table.heatmap th { font-weight: normal; font-size: .75rem; padding: .15rem .35rem; color: var(--muted); }
    table.heatmap th.col { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; }
    table.heatmap th.row { text-align: right; }
    table.heatmap th.hl { color: var(--ink); font-weight: 700; }
    table.heatmap td { min-width: 2.6rem; height: 1.9rem; text-align: center; font-size: .7rem; border: 1px solid #fff; }
    table.heatmap td.masked { background: repeating-linear-gradient(45deg, #f4f4f4, #f4f4f4 4px, #e4e4e4 4px, #e4e4e4 8px); }
    table.heatmap td:hover { outline: 2px solid var(--ink); }
    .legend { display: flex; align-items: center; gap: .5rem; font-size: .7rem; color: var(--muted); }
    .legend .ramp { display: inline-block; width: 10rem; height: .8rem; border-radius: 2px; }
    .strip { display: flex; flex-wrap: wrap; gap: .25rem; }
    .token { display: inline-flex; flex-direction: column; align-items: center; padding: .15rem .35rem; border-radius: 4px; }
    .token .piece { white-space: pre; font-size: .9rem; }
    .token .id { font-size: .6rem; opacity: .75; }
    .token.highlight { outline: 3px solid var(--ink); }
    .kv dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .4rem 0; }
    .kv dt { color: var(--muted); }
    .kv dd { margin: 0; font-variant-numeric: tabular-nums; }
    figure.chart svg { width: 100%; max-width: 40rem; height: auto; font-size: 12px; }
    svg .grid line { stroke: #e6e6e6; }
    svg .axis line { stroke: #888; }
    svg .axis text, svg .legend text { fill: var(--muted); }
    pre.diagnostic { background: #fdecec; color: #8e1b1b; white-space: pre-wrap; }
    .timing { font-size: .65rem; color: var(--muted); }
    ol.contents li { margin: .5rem 0; }
    ol.contents p { margin: .1rem 0; color: var(--muted); font-size: .85rem; }
    footer { max-width: 46rem; margin: 0 auto 2rem; padding: 0 1.25rem; font-size: .65rem; color: var(--muted); }
    @media (max-width: 600px) { :root { font-size: 17px; } }
    @media print {
      :root { font-size: 11pt; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      .toolbar { display: none; }
      main.lesson { max-width: none; padding: 0; }
      .scroll { overflow: visible; }
      figure, table, section.directive, pre { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
      a { color: inherit; }
    }

    """

  static let script = """
    (function () {
      "use strict";
      // Hovering a heatmap cell emphasises its row and column labels, easier to follow on a projector.
      document.querySelectorAll("table.heatmap").forEach(function (table) {
        function mark(cell, on) {
          if (!cell || !cell.hasAttribute("data-r") || !cell.hasAttribute("data-c")) { return; }
          var row = table.querySelector("th.row[data-r=\\"" + cell.getAttribute("data-r") + "\\"]");
          var col = table.querySelector("th.col[data-c=\\"" + cell.getAttribute("data-c") + "\\"]");
          [row, col].forEach(function (th) { if (th) { th.classList.toggle("hl", on); } });
        }
        table.addEventListener("mouseover", function (event) { mark(event.target.closest("td"), true); });
        table.addEventListener("mouseout", function (event) { mark(event.target.closest("td"), false); });
      });
      // Open or close every tensor dump at once.
      document.querySelectorAll("button[data-details]").forEach(function (button) {
        button.addEventListener("click", function () {
          var open = button.getAttribute("data-details") === "open";
          document.querySelectorAll("details.tensor").forEach(function (d) { d.open = open; });
        });
      });
      // Print everything, folded dumps included.
      window.addEventListener("beforeprint", function () {
        document.querySelectorAll("details").forEach(function (d) { d.open = true; });
      });
      document.documentElement.setAttribute("data-ready", "true");
    })();

    """
}
