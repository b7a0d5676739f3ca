// Wires the self-service forms to the calculations in portal-tools.js. Everything shown
// is built with textContent, never innerHTML, so data is always shown as text.
(function () {
  "use strict";

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    return node;
  }

  // A number outside its field's range (the ranges the program data holds: no negative
  // amounts, percentages up to 100, scores on their scale) counts as not entered, and a line
  // next to the field says what it takes.
  function usable(input) {
    return input.value !== "" && Number.isFinite(Number(input.value)) && input.checkValidity();
  }

  function showValidity(form) {
    for (const input of form.querySelectorAll("input[type='number']")) {
      const note = form.querySelector(`#${CSS.escape(input.id)}-error`);
      if (!note) continue;
      const wrong = input.value !== "" && !usable(input) || input.validity.badInput;
      note.hidden = !wrong;
      input.toggleAttribute("aria-invalid", wrong);
      if (wrong) {
        const whole = input.step === "1" ? "a whole number" : "a number";
        note.textContent = input.max !== "" ? `Enter ${whole} from ${input.min} to ${input.max}.`
          : `Enter ${whole} of ${input.min} or more.`;
      }
    }
  }

  function numberOf(form, name) {
    const input = form.elements.namedItem(name);
    if (!input || !usable(input)) return null;
    return Number(input.value);
  }

  function checked(form, name) {
    return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  }

  function kpiValues(form) {
    const values = {};
    for (const input of form.querySelectorAll("input[id^='kpi-']")) {
      if (usable(input)) values[input.id.slice(4)] = Number(input.value);
    }
    return values;
  }

  function linkFor(root, kind, id) {
    const anchor = root.querySelector(`a[data-${kind}="${CSS.escape(id)}"]`);
    return anchor ? anchor.getAttribute("href") : null;
  }

  function money(value, unit) {
    return unit === "points" ? PortalTools.formatNumber(value) + " points"
      : PortalTools.formatNumber(value) + " " + unit;
  }

  // -- Estimator ---------------------------------------------------------------------

  function estimator(root, data) {
    const form = root.querySelector("form");
    const results = root.querySelector("[data-results]");
    function update() {
      const input = {
        tier: form.elements.namedItem("tier").value,
        region: form.elements.namedItem("region").value,
        specializations: checked(form, "specializations"),
        contract_value: numberOf(form, "contract_value"),
        active_users: numberOf(form, "active_users"),
        expansion_value: numberOf(form, "expansion_value"),
        renewed_value: numberOf(form, "renewed_value"),
        kpis: kpiValues(form),
      };
      results.replaceChildren();
      const totals = new Map();  // by how often it is paid: a quarterly and an annual payout do not add up
      let points = 0;
      const asked = root.dataset.asked;  // the incentive a page asked about comes first
      const order = [...data.incentives].sort((a, b) => (b.id === asked) - (a.id === asked));
      for (const incentive of order) {
        const result = PortalTools.estimate(data, incentive.id, input);
        const card = el("article", null, {
          class: "portal-result" + (incentive.id === asked ? " portal-result--asked" : ""),
          "data-incentive-result": incentive.id,
        });
        const heading = el("h3");
        const link = el("a", incentive.name, { href: linkFor(root, "incentive", incentive.id) || "#" });
        heading.append(link);
        card.append(heading);
        if (result.eligible) {
          card.append(el("p", "Estimated: " + money(result.payout, result.unit) + ", paid " +
            incentive.payout.frequency + ".", { class: "portal-payout" }));
          card.append(el("p", "The rate that applies: " + incentive.rates[result.row] + ".", { class: "portal-rule" }));
          if (result.unit === "points") points += result.payout;
          else totals.set(incentive.payout.frequency, (totals.get(incentive.payout.frequency) || 0) + result.payout);
        } else {
          card.append(el("p", "Not eligible yet: " + result.reasons.join("; ") + ".",
            { class: "portal-gap" }));
        }
        results.append(card);
      }
      const sums = [...totals].map(([often, sum]) => money(sum, data.currency) + " paid " + often);
      if (points) sums.push(money(points, "points"));
      results.prepend(el("p", sums.length ? "In all: " + sums.join("; ") + "." : "Nothing estimated yet.",
        { class: "portal-total" }));
    }
    form.addEventListener("input", update);
    update();
  }

  // -- Tier check --------------------------------------------------------------------

  function today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function tierCheck(root, data) {
    const form = root.querySelector("form");
    const results = root.querySelector("[data-results]");
    const name = (id) => data.tiers.find((t) => t.id === id).name;
    function update() {
      const staffing = {};
      for (const input of form.querySelectorAll("input[id^='staff-']")) {
        if (usable(input)) staffing[input.id.slice(6)] = Number(input.value);
      }
      const result = PortalTools.tierCheck(data, {
        current_tier: form.elements.namedItem("current_tier").value || null,
        capability_points: numberOf(form, "capability_points") || 0,
        staffing,
        specializations: checked(form, "specializations"),
        engagement_model: form.elements.namedItem("engagement_model").value,
        kpis: kpiValues(form),
      }, today(), root.dataset.aim);
      results.replaceChildren();
      results.append(el("p", result.qualifies ? "You qualify for " + name(result.qualifies) + "."
        : "You do not yet qualify for a tier.", { class: "portal-payout", "data-qualifies": result.qualifies || "" }));
      if (result.grace.length) {
        const grace = el("ul", null, { "data-grace": "" });
        for (const note of result.grace) grace.append(el("li", note));
        results.append(el("p", "You keep it under a grace period:"), grace);
      }
      if (result.next) {
        const heading = el("p", "For ");
        heading.append(el("a", name(result.next), { href: linkFor(root, "tier", result.next) || "#" }));
        heading.append(document.createTextNode(result.missing.length ? " you still need:" : ":"));
        results.append(heading);
        const list = el("ul", null, { "data-missing": "" });
        for (const gap of result.missing) list.append(el("li", gap));
        results.append(list);
      } else if (result.qualifies) {
        results.append(el("p", "That is the top tier."));
      }
      // The tier a tier page asked about (?aim=gold), when it is not the next one.
      if (result.aim && result.aim.tier !== result.next && result.aim.tier !== result.qualifies) {
        const aimed = el("p", "For ", { "data-aim": result.aim.tier });
        aimed.append(el("a", name(result.aim.tier), { href: linkFor(root, "tier", result.aim.tier) || "#" }));
        aimed.append(document.createTextNode(result.aim.missing.length ? " you still need:" : ", you meet every requirement."));
        results.append(aimed);
        if (result.aim.missing.length) {
          const list = el("ul", null, { "data-aim-missing": "" });
          for (const gap of result.aim.missing) list.append(el("li", gap));
          results.append(list);
        }
      }
    }
    form.addEventListener("input", update);
    update();
  }

  // -- Assessment --------------------------------------------------------------------

  function assessment(root, data) {
    const form = root.querySelector("form");
    const results = root.querySelector("[data-results]");
    const key = "portal-assessment-" + data.assessment.id;
    const sections = data.assessment.sections;

    function ratings() {
      const out = {};
      for (const section of sections) {
        out[section.id] = section.elements.map((_, index) => {
          const chosen = form.querySelector(`input[name="${section.id}-${index}"]:checked`);
          return chosen ? Number(chosen.value) : null;
        });
      }
      return out;
    }

    function update() {
      const given = ratings();
      localStorage.setItem(key, JSON.stringify(given));
      const score = PortalTools.assessmentScore(data, given);
      for (const section of sections) {
        const max = data.assessment.scoring.section_maximum;
        root.querySelector(`[data-subtotal="${CSS.escape(section.id)}"]`).textContent =
          section.name + ": " + score.sections[section.id] + " of " + max + " points";
      }
      results.replaceChildren();
      results.append(el("p", "Total: " + score.total + " of " + data.assessment.scoring.maximum + " points.",
        { class: "portal-total", "data-total": String(score.total) }));
      const band = data.assessment.bands.find((b) => b.id === score.band);
      results.append(el("p", band ? "Maturity band: " + band.name + ". " + band.description
        : score.unanswered + (score.unanswered === 1 ? " element" : " elements") + " still to rate.",
        { class: "portal-payout", "data-band": score.band || "" }));
    }

    function download(name, type, content) {
      const link = el("a", null, { href: URL.createObjectURL(new Blob([content], { type })), download: name });
      document.body.append(link);
      link.click();
      link.remove();
    }

    function rows() {
      const given = ratings();
      const out = [];
      for (const section of sections) {
        section.elements.forEach((element, index) => {
          out.push({ section: section.name, element, rating: given[section.id][index] });
        });
      }
      return out;
    }

    let saved = {};
    try {
      saved = JSON.parse(localStorage.getItem(key) || "{}");
    } catch (error) {
      saved = {};  // answers saved by something else, or damaged: start afresh
    }
    for (const section of sections) {
      const values = saved && Array.isArray(saved[section.id]) ? saved[section.id] : [];
      values.forEach((value, index) => {
        if (!Number.isInteger(value)) return;
        const input = form.querySelector(`input[name="${CSS.escape(section.id + "-" + index)}"][value="${value}"]`);
        if (input) input.checked = true;
      });
    }
    form.addEventListener("change", update);
    root.querySelector("[data-action='export-json']").addEventListener("click", () =>
      download("assessment.json", "application/json", JSON.stringify({ ratings: ratings(),
        score: PortalTools.assessmentScore(data, ratings()) }, null, 2)));
    root.querySelector("[data-action='export-csv']").addEventListener("click", () => {
      const quote = (v) => '"' + String(v === null ? "" : v).replace(/"/g, '""') + '"';
      const score = PortalTools.assessmentScore(data, ratings());
      const band = data.assessment.bands.find((b) => b.id === score.band);
      // The ratings, then each section's points and the total, as the page shows them.
      const lines = ["section,element,rating"].concat(rows().map((r) =>
        [r.section, r.element, r.rating].map(quote).join(",")));
      lines.push(...sections.map((s) => [s.name, "Section total (points)", score.sections[s.id]].map(quote).join(",")));
      lines.push(["All sections", "Total (points)", score.total].map(quote).join(","));
      if (band) lines.push(["All sections", "Maturity band", band.name].map(quote).join(","));
      download("assessment.csv", "text/csv", lines.join("\n") + "\n");
    });
    root.querySelector("[data-action='print']").addEventListener("click", () => window.print());
    root.querySelector("[data-action='reset']").addEventListener("click", () => {
      const given = Object.values(ratings()).flat().filter((r) => r !== null).length;
      if (given && !window.confirm(`Clear all ${given} answers? This cannot be undone.`)) return;
      form.reset();
      update();
    });
    update();
  }

  // -- Partner directory -------------------------------------------------------------

  function directory(root, data, partners) {
    const form = root.querySelector("form");
    const list = root.querySelector("[data-results]");
    const count = root.querySelector("[data-count]");
    const more = root.querySelector("[data-action='more']");
    const regionName = Object.fromEntries(data.regions.map((r) => [r.id, r.name]));
    const tierName = Object.fromEntries(data.tiers.map((t) => [t.id, t.name]));
    const modelName = Object.fromEntries(data.models.map((m) => [m.id, m.name]));
    const specName = Object.fromEntries((data.specializations || []).map((s) => [s.id, s.name]));
    const fields = ["q", "region", "tier", "model"];
    const pageSize = 50;
    let shown = pageSize;
    let matches = [];

    function render() {
      list.replaceChildren();
      for (const partner of matches.slice(0, shown)) {
        const item = el("li", null, { class: "portal-partner" });
        const heading = el("h3");
        heading.append(el("a", partner.name, { href: partner.website, rel: "noopener nofollow" }));
        item.append(heading);
        item.append(el("p", [tierName[partner.tier], modelName[partner.engagement_model],
          partner.regions.map((r) => regionName[r]).join(", ")].join(" · ")));
        if (partner.specializations.length) {
          item.append(el("p", "Specializations: " + partner.specializations.map((s) => specName[s] || s).join(", "),
            { class: "portal-partner__specializations" }));
        }
        list.append(item);
      }
      if (!matches.length) {
        const empty = el("li", "No partner matches this search and these filters. ", { class: "portal-empty" });
        const clear = el("button", "Clear the search and filters", { type: "button", "data-action": "clear" });
        clear.addEventListener("click", () => {
          form.reset();
          filter();
          form.elements.namedItem("q").focus();
        });
        empty.append(clear);
        list.append(empty);
      }
      count.textContent = matches.length + " partner" + (matches.length === 1 ? "" : "s");
      more.hidden = matches.length <= shown;
    }

    // The search and filters live in the address, so a reload or a shared link keeps them.
    function remember() {
      const params = new URLSearchParams();
      for (const name of fields) {
        const value = form.elements.namedItem(name).value.trim();
        if (value) params.set(name, value);
      }
      const query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }

    function filter(keep = true) {
      const words = form.elements.namedItem("q").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      const region = form.elements.namedItem("region").value;
      const tier = form.elements.namedItem("tier").value;
      const model = form.elements.namedItem("model").value;
      matches = partners.filter((p) => words.every((w) => p.search.includes(w))
        && (!region || p.regions.includes(region)) && (!tier || p.tier === tier)
        && (!model || p.engagement_model === model));
      shown = pageSize;
      render();
      if (keep) remember();
    }

    // A search finds a partner by its name, tier, engagement model, regions or specializations.
    for (const partner of partners) {
      partner.search = [partner.name, partner.id, tierName[partner.tier], modelName[partner.engagement_model],
        ...partner.regions.map((r) => regionName[r]), ...partner.specializations.map((s) => specName[s] || s)]
        .join(" ").toLowerCase();
    }
    form.addEventListener("input", () => filter());
    form.addEventListener("submit", (event) => event.preventDefault());
    more.addEventListener("click", () => {
      shown += pageSize;
      render();
    });
    filter(false);  // the address's own search is filled in next, by prefill
  }

  const TOOLS = { estimator, "tier-check": tierCheck, assessment, directory };

  // A page that knows the tier, region or incentive links here with it (?tier=gold): the
  // form starts filled in with it, and the incentive asked about is shown first.
  function prefill(root) {
    const form = root.querySelector("form");
    if (!form) return;
    const asked = new URLSearchParams(window.location.search);
    for (const [name, value] of asked) {
      for (const field of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === value) field.checked = true;
        } else if (field.tagName !== "SELECT" || [...field.options].some((o) => o.value === value)) {
          field.value = value;
        }
      }
    }
    if (asked.get("incentive")) root.dataset.asked = asked.get("incentive");
    if (asked.get("aim")) root.dataset.aim = asked.get("aim");
    form.dispatchEvent(new Event("input", { bubbles: true }));
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  for (const root of document.querySelectorAll("[data-portal-tool]")) {
    const tool = root.dataset.portalTool;
    const loads = [fetch(root.dataset.tools).then((r) => r.json())];
    if (tool === "directory") loads.push(fetch(root.dataset.partners).then((r) => r.json()));
    Promise.all(loads).then(([data, partners]) => {
      TOOLS[tool](root, data, partners);
      const form = root.querySelector("form");
      if (form) form.addEventListener("input", () => showValidity(form));
      prefill(root);
      root.dataset.ready = "true";
    });
  }

})();
