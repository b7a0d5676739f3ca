// The usage report check in the browser. It mirrors partner_portal.model.usage, over the
// spec the build exports (assets/data/tools.json, "usage": columns, risk levels, signals,
// the plays each signal starts, and the problem words), so a partner's own report gets
// the same answers as `portal check` gives the sample; the browser tests hold the two to
// identical results. The file never leaves the browser.
(function () {
  "use strict";

  // -- Reading CSV (RFC 4180): rows with the physical line each starts on --------------

  function parseCsv(text) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const records = [];
    let row = [], cell = "", quoted = false, line = 1, start = 1, i = 0;
    const n = text.length;
    while (i < n) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          quoted = false; i += 1; continue;
        }
        if (c === "\n") line += 1;
        cell += c; i += 1; continue;
      }
      if (c === '"' && cell === "") { quoted = true; i += 1; continue; }
      if (c === ",") { row.push(cell); cell = ""; i += 1; continue; }
      if (c === "\r" || c === "\n") {
        row.push(cell); cell = "";
        if (!(row.length === 1 && row[0] === "")) records.push({ line: start, cells: row });
        row = [];
        if (c === "\r" && text[i + 1] === "\n") i += 1;
        i += 1; line += 1; start = line; continue;
      }
      cell += c; i += 1;
    }
    if (cell !== "" || row.length) {
      row.push(cell);
      if (!(row.length === 1 && row[0] === "")) records.push({ line: start, cells: row });
    }
    if (!records.length) return { header: [], rows: [] };
    const header = records[0].cells.map((h) => h.trim());
    const rows = records.slice(1).map((r) => {
      const values = {};
      header.forEach((name, k) => { values[name] = r.cells[k] === undefined ? "" : r.cells[k]; });
      return { line: r.line, values, width: r.cells.length };
    });
    return { header, rows };
  }

  // -- Reading cells (model/cells.py: read_integer, read_number, read_date, month_end) --

  const INVALID = { invalid: true };
  const INTEGER = /^[-+]?\d+$/;
  const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
  const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

  function textOf(value) {
    return value === undefined || value === null ? "" : String(value).trim();
  }

  function readInteger(value) {
    const text = textOf(value);
    if (!text) return null;
    return INTEGER.test(text) ? Number.parseInt(text, 10) : INVALID;
  }

  function readNumber(value) {
    const text = textOf(value);
    if (!text) return null;
    const number = Number(text);
    return NUMBER.test(text) && Number.isFinite(number) ? number : INVALID;
  }

  // Days since 1970-01-01 for a calendar date, or INVALID (2027-02-30 is no date).
  function readDate(value) {
    const text = textOf(value);
    if (!text) return null;
    const m = DATE.exec(text);
    if (!m) return INVALID;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const when = new Date(Date.UTC(y, mo - 1, d));
    if (y < 1 || when.getUTCFullYear() !== y || when.getUTCMonth() !== mo - 1 || when.getUTCDate() !== d) {
      return INVALID;
    }
    return Math.round(when.getTime() / 86400000);
  }

  function monthEnd(value) {
    const text = textOf(value);
    if (!text) return null;
    const m = MONTH.exec(text);
    if (!m) return INVALID;
    return Math.round(Date.UTC(Number(m[1]), Number(m[2]), 0) / 86400000);
  }

  function monthStart(days) {
    const when = new Date(days * 86400000);
    return Math.round(Date.UTC(when.getUTCFullYear(), when.getUTCMonth(), 1) / 86400000);
  }

  function isoDate(days) {
    return new Date(days * 86400000).toISOString().slice(0, 10);
  }

  function formatShare(share) {
    const rounded = Math.floor(share * 10 + 0.5) / 10;
    return (Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)) + "%";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? String(values[key]) : ""));
  }

  // -- One row (model/usage.py: check_row) ---------------------------------------------

  function riskOf(spec, share) {
    if (share === null) return null;
    for (const level of spec.levels) {
      if (level.below === null || share < level.below) return level.level;
    }
    return spec.levels[spec.levels.length - 1].level;
  }

  function severity(spec, level) {
    const order = spec.levels.map((l) => l.level);
    return order.includes(level) ? order.indexOf(level) : order.length;
  }

  function levelName(spec, level) {
    const found = spec.levels.find((l) => l.level === level);
    return found ? found.name : level;
  }

  function holds(when, facts) {
    for (const [condition, wanted] of Object.entries(when)) {
      if (condition === "risk" && !wanted.includes(facts.risk)) return false;
      if (condition === "active_share_at_least" && (facts.share === null || facts.share < wanted)) return false;
      if (condition === "incident" && !facts.incident) return false;
      if (condition === "renewal_within_days" && (facts.days === null || facts.days > wanted)) return false;
    }
    return true;
  }

  function checkRow(spec, index, row) {
    const problems = [];
    const words = {
      licence_type: textOf(row.licence_type) || "this licence type",
      levels: spec.levels.map((l) => l.level).join(", "),
    };
    function problem(column, code, extra) {
      const values = Object.assign({}, words, { column_name: spec.columns[column] || column,
        value: textOf(row[column]) }, extra || {});
      const words_ = spec.problems[code];
      problems.push({ column, code, message: fill(words_.message, values), hint: fill(words_.hint, values) });
    }
    for (const column of spec.required) {
      if (column in spec.columns && !textOf(row[column])) problem(column, "missing-value");
    }
    const counts = {};
    for (const column of spec.counts) {
      const value = readInteger(row[column]);
      if (value === INVALID || (value !== null && (value < 0 || value > spec.max_count))) {
        problem(column, "not-a-count"); counts[column] = null;
      }
      else counts[column] = value;
    }
    let delta = readInteger(row.delta);
    if (delta === INVALID) { problem("delta", "not-a-number", { example: "13 or -4" }); delta = null; }
    let downtime = readNumber(row.downtime_hours);
    if (downtime === INVALID || (downtime !== null && (downtime < 0 || downtime > 744))) {
      problem("downtime_hours", "not-a-number", { example: "2.5" }); downtime = null;
    }
    const dates = {};
    for (const column of spec.dates) {
      let value = readDate(row[column]);
      if (value === INVALID) { problem(column, "not-a-date"); value = null; }
      dates[column] = value;
    }
    let reportEnd = monthEnd(row.report_month);
    if (reportEnd === INVALID) { problem("report_month", "not-a-month"); reportEnd = null; }
    let stated = textOf(row.renewal_risk);
    if (stated && !spec.levels.some((l) => l.level === stated)) { problem("renewal_risk", "unknown-risk"); stated = ""; }

    const licensed = counts.licensed_users, assigned = counts.assigned_users, active = counts.active_users;
    if (licensed === null && textOf(row.licensed_users) === "") problem("licensed_users", "missing-licences");
    if (active === null && textOf(row.active_users) === "") problem("active_users", "missing-active");
    if (licensed !== null && active !== null && active > licensed) {
      problem("active_users", "more-active-than-licensed", { active, licensed });
    }
    if (assigned !== null && active !== null && active > assigned) {
      problem("active_users", "more-active-than-assigned", { active, assigned });
    }
    const expected = licensed !== null && active !== null ? licensed - active : null;
    if (expected !== null && delta !== null && delta !== expected) {
      problem("delta", "delta-wrong", { delta, licensed, active, expected });
    }
    const start = dates.contract_start, end = dates.contract_end;
    if (start !== null && end !== null && end < start) {
      problem("contract_end", "contract-dates", { start: isoDate(start), end: isoDate(end) });
    } else if (end !== null && reportEnd !== null && end < monthStart(reportEnd)) {
      problem("contract_end", "contract-ended", { end: isoDate(end) });
    }
    const share = licensed && active !== null ? (100 * active) / licensed : null;
    const risk = riskOf(spec, share);
    if (stated && risk !== null && stated !== risk && share !== null) {
      problem("renewal_risk", "risk-disagrees", { stated, share: formatShare(share),
        risk: levelName(spec, risk).toLowerCase(), risk_level: risk });
    }
    const facts = {
      risk, share,
      incident: (counts.incidents_sev1 || 0) > 0 || (downtime || 0) > 0,
      days: end !== null && reportEnd !== null ? end - reportEnd : null,
    };
    // A row that cannot be right starts no play: its figures are not to be acted on.
    const signals = problems.length ? [] : spec.signals.filter((s) => holds(s.when, facts)).map((s) => s.id);
    const plays = [];
    for (const signal of signals) {
      for (const play of spec.plays[signal] || []) if (!plays.includes(play.id)) plays.push(play.id);
    }
    return { index, customer_id: textOf(row.customer_id), customer: textOf(row.customer),
      licence_type: textOf(row.licence_type), licensed, active, delta: expected, share, risk, signals, plays, problems };
  }

  // -- The report per customer (model/usage.py: by_customer) ---------------------------

  function byCustomer(spec, results) {
    const found = new Map();
    for (const r of results) {
      let s = found.get(r.customer_id);
      if (!s) {
        s = { customer_id: r.customer_id, customer: r.customer, licence_types: 0, licensed: 0, active: 0, delta: 0,
          share: null, risk: null, plays: [], flagged: 0 };
        found.set(r.customer_id, s);
      }
      s.licence_types += 1;
      if (r.problems.length) { s.flagged += 1; continue; }  // counted apart, not in the sums
      if (r.licensed !== null && r.active !== null) { s.licensed += r.licensed; s.active += r.active; }
      if (r.risk !== null && severity(spec, r.risk) < severity(spec, s.risk)) s.risk = r.risk;
      for (const p of r.plays) if (!s.plays.includes(p)) s.plays.push(p);
    }
    for (const s of found.values()) {
      s.delta = s.licensed - s.active;
      s.share = s.licensed ? (100 * s.active) / s.licensed : null;
    }
    return [...found.values()];
  }

  // Checks `rows` in slices, yielding to the page between them so that a report of tens of
  // thousands of rows keeps the page responsive; `progress(done, total)` after each slice.
  function checkRowsInSlices(spec, rows, progress, slice) {
    const size = slice || 2000;
    const results = new Array(rows.length);
    return new Promise((resolve) => {
      let at = 0;
      function step() {
        const stop = Math.min(at + size, rows.length);
        for (; at < stop; at += 1) results[at] = checkRow(spec, at, rows[at].values);
        if (progress) progress(at, rows.length);
        if (at < rows.length) setTimeout(step, 0);
        else resolve(results);
      }
      step();
    });
  }

  function checkRows(spec, rows) {
    return rows.map((row, i) => checkRow(spec, i, row));
  }

  window.UsageReport = { parseCsv, checkRow, checkRows, checkRowsInSlices, byCustomer, formatShare, levelName };
})();
