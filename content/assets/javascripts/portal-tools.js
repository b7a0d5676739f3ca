// Partner self-service calculations. Each function mirrors one in
// src/partner_portal/tools.py and calc.py, reading the JSON the build emits from the same
// program data; the browser tests run both on the same cases and compare the results.
(function () {
  "use strict";

  function formatNumber(value) {
    return new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(value);
  }

  const SINGULAR = { days: "day", weeks: "week", customers: "customer", users: "user", hours: "hour" };

  function formatValue(value, unit) {
    const number = formatNumber(value);
    if (unit === "percent") return number + "%";
    if (unit === "score" || unit === "count") return number;
    return number + " " + (value === 1 ? SINGULAR[unit] || unit : unit);
  }

  function g(value) {
    // Python's "{:g}" for the values the tools show: integers without decimals.
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  }

  function meets(kpi, value, threshold) {
    return kpi.direction === "at-least" ? value >= threshold : value <= threshold;
  }

  function words(kpi) {
    return kpi.direction === "at-least" ? "at least" : "at most";
  }

  function heldSpecializations(data, held) {
    const buildsOn = Object.fromEntries(data.specializations.map((s) => [s.id, s.builds_on]));
    const result = new Set(held);
    const frontier = [...held];
    while (frontier.length) {
      const parent = buildsOn[frontier.pop()];
      if (parent && !result.has(parent)) {
        result.add(parent);
        frontier.push(parent);
      }
    }
    return result;
  }

  function missingNumber(value) {
    return value === null || value === undefined || Number.isNaN(value);
  }

  // -- Incentives (calc.estimate and tools.estimate_from_form) -------------------------

  function eligibilityGaps(data, incentive, inputs) {
    const rules = incentive.eligibility;
    const gaps = [];
    const tierName = (id) => data.tiers.find((t) => t.id === id).name;
    if (inputs.tier != null && !rules.tiers.includes(inputs.tier)) {
      gaps.push("open to " + rules.tiers.map(tierName).join(", ") + " partners only");
    }
    if (inputs.specializations != null) {
      const held = heldSpecializations(data, inputs.specializations);
      for (const needed of rules.specializations || []) {
        if (!held.has(needed)) {
          gaps.push("needs the " + data.specializations.find((s) => s.id === needed).name);
        }
      }
    }
    const values = inputs.kpis || {};
    for (const requirement of rules.kpis || []) {
      const kpi = data.kpis[requirement.kpi];
      const value = values[requirement.kpi];
      if (value === null || value === undefined) continue;
      if (!meets(kpi, value, requirement.value)) {
        gaps.push("needs " + kpi.name + " of " + words(kpi) + " " + formatValue(requirement.value, kpi.unit) +
          " (you have " + formatValue(value, kpi.unit) + ")");
      }
    }
    return gaps;
  }

  function findRow(table, inputs, bandValue) {
    let candidates = table.rows.map((row, index) => ({ row, index }));
    for (const key of table.keys) {
      if (inputs[key] == null) throw new Error("the table needs a " + key);
      candidates = candidates.filter((c) => c.row[key] === inputs[key]);
    }
    if (table.band.length) {
      if (missingNumber(bandValue)) {
        throw new Error("the table needs a value for " + table.band[0].slice(4).replace(/_/g, " "));
      }
      const [low, high] = table.band;
      const uppers = candidates.map((c) => c.row[high]);
      const top = uppers.every((u) => u !== null) && uppers.length ? Math.max(...uppers) : null;
      candidates = candidates.filter((c) => {
        const upper = c.row[high];
        return c.row[low] <= bandValue &&
          (upper === null || bandValue < upper || (upper === top && bandValue === upper));
      });
    }
    if (candidates.length === 0) throw new Error("no row of the table applies to these inputs");
    if (candidates.length > 1) {
      throw new Error(candidates.length + " rows of the table apply to these inputs; bands must not overlap");
    }
    return candidates[0].index;
  }

  const AMOUNT_INPUTS = ["active_users", "contract_value", "expansion_value", "renewed_value"];

  function estimate(data, incentiveId, form) {
    const incentive = data.incentives.find((i) => i.id === incentiveId);
    const wiring = incentive.payout.estimator || {};
    const kpis = form.kpis || {};
    const read = (name) => (name == null ? null : AMOUNT_INPUTS.includes(name) ? form[name] : kpis[name]);
    const inputs = {
      tier: form.tier, region: form.region, specializations: form.specializations || [], kpis,
    };
    const gaps = eligibilityGaps(data, incentive, inputs);
    if (gaps.length) return { incentive: incentiveId, eligible: false, reasons: gaps };
    let index;
    try {
      index = findRow(incentive.table, inputs, read(wiring.band));
    } catch (error) {
      return { incentive: incentiveId, eligible: false, reasons: [error.message] };
    }
    const row = incentive.table.rows[index];
    const rate = row[incentive.table.value];
    let payout;
    let unit;
    if (incentive.payout.method === "percent-of-contract-value") {
      const basis = read(wiring.basis);
      if (missingNumber(basis)) {
        return {
          incentive: incentiveId, eligible: false,
          reasons: ["a percentage incentive needs the contract value it applies to"],
        };
      }
      if (!Number.isFinite(basis * rate)) {
        return { incentive: incentiveId, eligible: false, reasons: ["the amount is too large to compute"] };
      }
      payout = Math.round(basis * rate) / 100;
      unit = data.currency;
    } else if (incentive.payout.method === "fixed-amount") {
      payout = rate;
      unit = data.currency;
    } else {
      payout = rate;
      unit = "points";
    }
    return { incentive: incentiveId, eligible: true, reasons: [], row: index, rate, payout, unit };
  }

  // -- Tier check (tools.tier_check) ---------------------------------------------------

  function tierGaps(data, tier, form) {
    const gaps = [];
    const req = tier.requirements;
    const points = form.capability_points || 0;
    if (points < req.capability_points) {
      gaps.push(g(req.capability_points - points) + " more capability points (needs " + req.capability_points + ")");
    }
    const staffing = form.staffing || {};
    for (const need of req.staffing) {
      const have = staffing[need.role] || 0;
      if (have < need.count) {
        gaps.push(g(need.count - have) + " more " + data.roles[need.role] + " (needs " + need.count + ")");
      }
    }
    const held = heldSpecializations(data, form.specializations || []);
    for (const spec of req.specializations || []) {
      if (!held.has(spec)) gaps.push("the " + data.specializations.find((s) => s.id === spec).name);
    }
    const values = form.kpis || {};
    for (const need of req.kpis || []) {
      const kpi = data.kpis[need.kpi];
      const value = values[need.kpi];
      if (missingNumber(value)) {
        gaps.push(kpi.name + " of " + words(kpi) + " " + g(need.value) + " (not entered)");
      } else if (!meets(kpi, value, need.value)) {
        gaps.push(kpi.name + " of " + words(kpi) + " " + g(need.value) + " (you have " + g(value) + ")");
      }
    }
    const model = form.engagement_model;
    if (model && tier.engagement_models.length && !tier.engagement_models.includes(model)) {
      gaps.push("an engagement model " + tier.name + " allows (" + tier.engagement_models.join(", ") + ")");
    }
    return gaps;
  }

  function tierCheck(data, form) {
    const ranked = [...data.tiers].sort((a, b) => a.rank - b.rank);
    let qualified = null;
    for (const tier of ranked) {
      if (tierGaps(data, tier, form).length === 0) qualified = tier;
    }
    const next = qualified === null ? ranked[0] : ranked.find((t) => t.rank > qualified.rank) || null;
    return {
      qualifies: qualified ? qualified.id : null,
      next: next ? next.id : null,
      missing: next ? tierGaps(data, next, form) : [],
    };
  }

  // -- Assessment (tools.assessment_score) ---------------------------------------------

  function assessmentScore(data, ratings) {
    const assessment = data.assessment;
    const per = assessment.scoring.points_per_rating;
    const sections = {};
    let total = 0;
    let unanswered = 0;
    for (const section of assessment.sections) {
      const given = (ratings[section.id] || []).slice(0, section.elements.length);
      while (given.length < section.elements.length) given.push(null);
      let subtotal = 0;
      for (const rating of given) {
        if (rating === null || rating === undefined) unanswered += 1;
        else subtotal += rating * per;
      }
      sections[section.id] = subtotal;
      total += subtotal;
    }
    const band = assessment.bands.find((b) => b.min_points <= total && total <= b.max_points);
    return { sections, total, band: band && !unanswered ? band.id : null, unanswered };
  }

  window.PortalTools = { estimate, tierCheck, assessmentScore, formatValue, formatNumber };
})();
