// The usage report check page: reads the partner's CSV in the browser with usage-report.js
// and shows the report per customer and every row that cannot be right. Everything shown
// is built with textContent, never innerHTML, so the file's contents are always text.
(function () {
  "use strict";

  const PAGE = 50;

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    return node;
  }

  function counted(n, one, many) {
    return `${PortalTools.formatNumber(n)} ${n === 1 ? one : many || one + "s"}`;
  }

  function number(value) {
    return value === null || value === undefined ? "—" : PortalTools.formatNumber(value);
  }

  function table(caption, headings, numeric) {
    const wrap = el("div", null, { class: "portal-table-wrap", tabindex: "0", role: "region", "aria-label": caption });
    const t = el("table");
    t.append(el("caption", caption));
    const head = el("tr");
    headings.forEach((h, i) => head.append(el("th", h, { scope: "col", class: numeric.includes(i) ? "portal-num" : "" })));
    const thead = el("thead");
    thead.append(head);
    t.append(thead);
    const body = el("tbody");
    t.append(body);
    wrap.append(t);
    return { wrap, body };
  }

  function usage(root, data) {
    const spec = data.usage;
    const status = root.querySelector("[data-status]");
    const summary = root.querySelector("[data-summary]");
    const filters = root.querySelector("[data-filters]");
    const customersBox = root.querySelector("[data-customers]");
    const problemsBox = root.querySelector("[data-problems]");
    const input = root.querySelector("#usage-file");
    let state = null;

    function playLink(id) {
      const anchor = root.querySelector(`a[data-play="${CSS.escape(id)}"]`);
      const link = el("a", anchor ? anchor.textContent : id);
      if (anchor) link.href = anchor.getAttribute("href");
      return link;
    }

    function more(box, render, shown, total) {
      if (shown >= total) return;
      const button = el("button", `Show ${PortalTools.formatNumber(Math.min(PAGE, total - shown))} more`,
        { type: "button" });
      button.addEventListener("click", () => { button.remove(); render(shown + PAGE); });
      const line = el("p");
      line.append(button);
      box.append(line);
    }

    function renderCustomers(limit) {
      const risk = filters.querySelector("select").value;
      const flaggedOnly = filters.querySelector("input[type=checkbox]").checked;
      const shown = state.customers.filter((c) => (!risk || c.risk === risk) && (!flaggedOnly || c.flagged));
      customersBox.replaceChildren();
      if (!shown.length) { customersBox.append(el("p", "No customer matches these filters.")); return; }
      const { wrap, body } = table(`Customers (${PortalTools.formatNumber(shown.length)}); figures count the rows `
        + "that can be right, and a customer's risk is that of its riskiest licence type",
        ["Customer and plays that apply", "Licensed users", "Active users", "Delta", "Active share", "Renewal risk"],
        [1, 2, 3, 4]);
      for (const c of shown.slice(0, limit)) {
        const tr = el("tr", null, c.flagged ? { "data-flagged": "true" } : {});
        const name = el("td");
        name.append(el("strong", c.customer || c.customer_id));
        if (c.flagged) {
          name.append(" ", el("span", `${counted(c.flagged, "row")} to check`,
            { class: "portal-tag portal-tag--warn" }));
        }
        const detail = el("div", counted(c.licence_types, "licence type"),
          { class: "portal-usage-detail" });
        if (c.plays.length) {
          detail.append(". Plays: ");
          c.plays.forEach((p, i) => { if (i) detail.append(", "); detail.append(playLink(p)); });
        }
        name.append(detail);
        const none = c.flagged === c.licence_types;  // no row of this customer can be counted
        tr.append(name, el("td", none ? "—" : number(c.licensed), { class: "portal-num" }),
          el("td", none ? "—" : number(c.active), { class: "portal-num" }),
          el("td", none ? "—" : number(c.delta), { class: "portal-num" }),
          el("td", c.share === null ? "—" : UsageReport.formatShare(c.share), { class: "portal-num" }),
          el("td", c.risk ? UsageReport.levelName(spec, c.risk) : "—", c.risk ? { "data-risk": c.risk } : {}));
        body.append(tr);
      }
      customersBox.append(wrap);
      more(customersBox, renderCustomers, limit, shown.length);
    }

    function renderProblems(limit) {
      problemsBox.replaceChildren();
      const all = state.problems;
      if (!all.length) return;
      problemsBox.append(el("h3", "Rows that cannot be right", { id: "usage-problems" }));
      const { wrap, body } = table(`Rows to check (${counted(all.length, "problem")})`,
        ["Row", "Column", "Customer", "Problem", "What to change"], [0]);
      for (const p of all.slice(0, limit)) {
        const tr = el("tr", null, { "data-row": String(p.row), "data-column": p.column, "data-code": p.code });
        tr.append(el("td", String(p.row), { class: "portal-num" }), el("td", p.columnName), el("td", p.customer),
          el("td", p.message), el("td", p.hint));
        body.append(tr);
      }
      problemsBox.append(wrap);
      more(problemsBox, renderProblems, limit, all.length);
    }

    function show(parsed, results, seconds) {
      const columns = spec.columns;
      const problems = [];
      for (const r of results) {
        const row = parsed.rows[r.index];
        for (const p of r.problems) {
          problems.push({ row: row.line, column: p.column,
            columnName: p.column === "" ? "(whole row)" : columns[p.column] || p.column,
            customer: r.customer || r.customer_id, code: p.code, message: p.message, hint: p.hint });
        }
      }
      state = { customers: UsageReport.byCustomer(spec, results), problems };
      const flaggedRows = results.filter((r) => r.problems.length).length;
      const byRisk = spec.levels.map((l) => `${PortalTools.formatNumber(state.customers.filter((c) => c.risk ===
        l.level).length)} at ${l.name.toLowerCase()} risk`).join(", ");
      status.textContent = `Checked ${counted(results.length, "row")} in ${seconds.toFixed(1)} s.`;
      summary.replaceChildren(el("p", `${counted(state.customers.length, "customer")}: ${byRisk}. `
        + (flaggedRows ? `${counted(flaggedRows, "row")} cannot be right; ${flaggedRows === 1 ? "it is" : "they are"} `
          + "listed below the customers. Ask for a corrected report before acting on them."
          : "Every row can be right.")));
      filters.hidden = false;
      renderCustomers(PAGE);
      renderProblems(PAGE);
      root.dataset.checked = "true";
    }

    function refuse(message) {
      state = null;
      status.textContent = message;
      summary.replaceChildren();
      customersBox.replaceChildren();
      problemsBox.replaceChildren();
      filters.hidden = true;
      root.dataset.checked = "true";
    }

    function check(text, name) {
      root.dataset.checked = "false";
      const began = performance.now();
      if (text.includes("\uFFFD")) {
        return refuse(`${name} is not saved as UTF-8 text, so names would be garbled. Save it again as `
          + "\"CSV UTF-8\" and open that file.");
      }
      const parsed = UsageReport.parseCsv(text);
      const missing = Object.keys(spec.columns).filter((c) => spec.required.includes(c) && !parsed.header.includes(c));
      if (!parsed.header.length) return refuse(`${name} is empty.`);
      if (missing.length) {
        const separator = parsed.header.length === 1 && /[;\t|]/.test(parsed.header[0])
          ? " Its columns are not separated by commas: save it again as CSV with commas." : "";
        return refuse(`${name} is not a usage report: it has no ${missing.join(", ")} column`
          + `${missing.length === 1 ? "" : "s"}.${separator || " Export the report again from the partner portal."}`);
      }
      if (!parsed.rows.length) return refuse(`${name} has the report's columns but no rows.`);
      status.textContent = `Checking ${PortalTools.formatNumber(parsed.rows.length)} rows…`;
      UsageReport.checkRowsInSlices(spec, parsed.rows, (done, total) => {
        status.textContent = `Checking rows: ${PortalTools.formatNumber(done)} of ${PortalTools.formatNumber(total)}…`;
      }).then((results) => {
        const seen = new Map();
        for (const r of results) {
          const row = parsed.rows[r.index];
          const extra = [];
          if (row.width !== parsed.header.length) {
            extra.push({ column: "", code: "row-shape",
              message: `the row has ${row.width} cells, but the header has ${parsed.header.length} columns`,
              hint: "Check for a missing or extra comma; a cell with a comma in it needs quotes." });
          }
          // Each customer and licence type once a month (the table check in checks/ says the same).
          const key = [row.values.report_month, row.values.customer_id, row.values.licence_type].join("\u0000");
          if (seen.has(key)) {
            extra.push({ column: "licence_type", code: "duplicate-row",
              message: `this customer's ${r.licence_type || "licence type"} is already reported for this month on row `
                + seen.get(key), hint: "Each customer and licence type has one row a month; merge the two rows." });
          } else seen.set(key, row.line);
          if (extra.length) { r.problems.unshift(...extra); r.signals = []; r.plays = []; }
        }
        show(parsed, results, (performance.now() - began) / 1000);
      });
    }

    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (!file) return;
      status.textContent = `Reading ${file.name}…`;
      file.text().then((text) => check(text, file.name), () => refuse(`${file.name} could not be read.`));
    });
    const sample = root.querySelector("[data-action=sample]");
    if (sample) {
      sample.addEventListener("click", () => {
        fetch(sample.dataset.sample).then((r) => r.text()).then((text) => check(text, "The sample report"));
      });
    }
    filters.addEventListener("change", () => renderCustomers(PAGE));
    root.usageCheck = check;  // for the browser tests: check a report given as text
  }

  for (const root of document.querySelectorAll("[data-portal-tool='usage-report']")) {
    fetch(root.dataset.tools).then((r) => r.json()).then((data) => {
      usage(root, data);
      root.dataset.ready = "true";
    });
  }
})();
