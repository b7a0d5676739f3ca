// Partner self-service answers in the browser. The requirements come from the build
// (assets/data/tools.json, made by partner_portal.site.tools_data from the checked program)
// with the words the pages use; one small evaluator judges them as
// partner_portal.model.requirements and model.eligibility do, and the browser tests put
// both to the same cases and require the same answers.
(function () {
  "use strict";

  function formatNumber(value) {
    return new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(value);
  }

  // core/units.py's format_value.
  const SINGULAR = {
    days: "day", weeks: "week", customers: "customer", users: "user", hours: "hour", people: "person", points: "point",
  };

  function formatValue(value, unit) {
    const number = formatNumber(value);
    if (unit === "percent") return number + "%";
    if (unit === "score" || unit === "count") return number;
    return number + " " + (value === 1 ? SINGULAR[unit] || unit : unit);
  }

  function missingNumber(value) {
    return value === null || value === undefined || Number.isNaN(value);
  }

  // -- Requirements (model/requirements.py, model/eligibility.py) -----------------------

  const NUMERIC = new Set(["points", "staffing", "kpi"]);

  function holdsGrace(req, holder, today) {
    return Boolean(req.grace && holder && (today === null || today <= req.grace.until));
  }

  // What a partner must reach: a holder of the tier, while a grace period holds, only the
  // previous value (never more than today's); a specialization under grace: nothing yet.
  function threshold(req, holder, today) {
    if (!holdsGrace(req, holder, today)) return req.needed;
    const previous = req.grace.previous;
    if (previous === null || !NUMERIC.has(req.kind)) return previous;
    const harder = req.direction === "at-least" ? previous > req.needed : previous < req.needed;
    return harder ? req.needed : previous;
  }

  function metBy(req, value, holder, today) {
    const needed = threshold(req, holder, today);
    if (needed === null) return true;
    if (NUMERIC.has(req.kind)) return req.direction === "at-least" ? value >= needed : value <= needed;
    const held = Array.isArray(value) ? value : [value];
    return held.some((id) => needed.includes(id));
  }

  function valueWords(data, req, value) {
    if (NUMERIC.has(req.kind)) return formatValue(value, req.unit);
    const items = req.kind === "model" ? data.models : data.tiers;
    const found = items.find((item) => item.id === value);
    return found ? found.name : String(value);
  }

  // What the partner still lacks for `req`, or null when `value` meets it (null: not stated).
  function shortfall(data, req, value, holder, today) {
    const known = value !== null && value !== undefined && !(typeof value === "number" && Number.isNaN(value));
    if (known && metBy(req, value, holder, today)) return null;
    if (req.kind === "specialization") return req.label;
    const needed = holdsGrace(req, holder, today) && threshold(req, holder, today) !== req.needed
      ? req.grace.previous_text : req.needed_text;
    if (!known) return req.label + ": " + needed + " (not entered)";
    const verb = NUMERIC.has(req.kind) ? "you have" : req.kind === "model" ? "you chose" : "you are";
    return req.label + ": " + needed + " (" + verb + " " + valueWords(data, req, value) + ")";
  }

  function shortfalls(data, requirements, values, unknownMeets, holder, today) {
    const gaps = [];
    for (const req of requirements) {
      const value = values[req.key];
      if ((value === null || value === undefined) && unknownMeets) continue;
      const gap = shortfall(data, req, value === undefined ? null : value, holder, today);
      if (gap !== null) gaps.push(gap);
    }
    return gaps;
  }

  // -- Incentives (model/rates.py's estimate, model/self_service.py's estimate_from_form) -

  // Why no rate applies, as rates.py's NoRate says it: {why, key, bound}.
  function noRate(why, extra) {
    return Object.assign({ noRate: why }, extra || {});
  }

  function findRow(table, inputs, bandValue) {
    let candidates = table.rows.map((row, index) => ({ row, index }));
    for (const key of table.keys) {
      if (inputs[key] == null) throw noRate("missing", { key });
      candidates = candidates.filter((c) => c.row[key] === inputs[key]);
    }
    if (table.band.length) {
      if (missingNumber(bandValue)) throw noRate("band");
      if (candidates.length === 0) throw noRate("no-rows");
      const [low, high] = table.band;
      const uppers = candidates.map((c) => c.row[high]);
      const top = uppers.every((u) => u !== null) && uppers.length ? Math.max(...uppers) : null;
      const found = candidates.filter((c) => {
        const upper = c.row[high];
        return c.row[low] <= bandValue &&
          (upper === null || bandValue < upper || (upper === top && bandValue === upper));
      });
      if (found.length === 0) {
        const lowest = Math.min(...candidates.map((c) => c.row[low]));
        if (bandValue < lowest) throw noRate("below", { bound: lowest });
        throw noRate("above", { bound: Math.max(...uppers.filter((u) => u !== null)) });
      }
      candidates = found;
    }
    if (candidates.length === 0) throw noRate("no-rows");
    if (candidates.length > 1) {
      throw new Error(candidates.length + " rows of the table apply to these inputs; bands must not overlap");
    }
    return candidates[0].index;
  }

  // model/self_service.py's reason_words: why no rate applies, in partner words.
  function reasonWords(data, incentive, error) {
    if (error.noRate === undefined) return error.message;
    if (error.noRate === "missing") return "choose your " + error.key;
    if (error.noRate === "band" || error.noRate === "basis") return "enter " + incentive.inputs[error.noRate][0];
    if (error.noRate === "no-rows") return "no rate for your tier and region";
    const [label, unit] = incentive.inputs.band;
    const bound = unit === "money" ? formatMoney(error.bound, data.currency) : formatValue(error.bound, unit);
    return "needs " + label + " of at " + (error.noRate === "below" ? "least " : "most ") + bound;
  }

  // core/units.py's format_money.
  function formatMoney(amount, currency) {
    return new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      .format(amount).replace(/\.00$/, "") + " " + currency;
  }

  const AMOUNT_INPUTS = ["active_users", "contract_value", "expansion_value", "renewed_value"];

  function estimate(data, incentiveId, form) {
    const incentive = data.incentives.find((i) => i.id === incentiveId);
    const wiring = incentive.payout.estimator || {};
    const kpis = form.kpis || {};
    const read = (name) => (name == null ? null : AMOUNT_INPUTS.includes(name) ? form[name] : kpis[name]);
    const values = { tiers: form.tier == null ? null : form.tier };
    for (const req of incentive.requirements) {
      if (req.kind === "specialization") values[req.key] = form.specializations || [];
      if (req.kind === "kpi" && kpis[req.subject] !== undefined) values[req.key] = kpis[req.subject];
    }
    const gaps = shortfalls(data, incentive.requirements, values, true, false, null);
    if (gaps.length) return { incentive: incentiveId, eligible: false, reasons: gaps };
    let index;
    try {
      index = findRow(incentive.table, { tier: form.tier, region: form.region }, read(wiring.band));
    } catch (error) {
      return { incentive: incentiveId, eligible: false, reasons: [reasonWords(data, incentive, error)] };
    }
    const row = incentive.table.rows[index];
    const rate = row[incentive.table.value];
    let payout;
    let unit;
    if (incentive.payout.method === "percent-of-contract-value") {
      const basis = read(wiring.basis);
      if (missingNumber(basis)) {
        return { incentive: incentiveId, eligible: false, reasons: [reasonWords(data, incentive, noRate("basis"))] };
      }
      if (!Number.isFinite(basis * rate)) {
        return { incentive: incentiveId, eligible: false, reasons: ["the amount is too large to compute"] };
      }
      payout = Math.floor(basis * rate + 0.5) / 100;  // half-up to the cent, as core/units.py's percent_of
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

  // -- Tier check (model/self_service.py's tier_check) -----------------------------------

  function partnerValues(form, requirements) {
    const staffing = form.staffing || {};
    const kpis = form.kpis || {};
    const values = {
      capability_points: form.capability_points || 0,
      engagement_models: form.engagement_model || null,
    };
    for (const req of requirements) {
      if (req.kind === "staffing") values[req.key] = staffing[req.subject] || 0;
      else if (req.kind === "specialization") values[req.key] = form.specializations || [];
      else if (req.kind === "kpi") values[req.key] = missingNumber(kpis[req.subject]) ? null : kpis[req.subject];
    }
    return values;
  }

  function holds(data, tier, form) {
    if (!form.current_tier) return false;
    const current = data.tiers.find((t) => t.id === form.current_tier);
    return Boolean(current) && current.rank >= tier.rank;
  }

  function tierGaps(data, tier, form, today) {
    const values = partnerValues(form, tier.requirements);
    const requirements = values.engagement_models === null
      ? tier.requirements.filter((r) => r.kind !== "model") : tier.requirements;
    return shortfalls(data, requirements, values, false, holds(data, tier, form), today);
  }

  function tierCheck(data, form, today, aim) {
    const day = today === undefined ? null : today;
    const ranked = [...data.tiers].sort((a, b) => a.rank - b.rank);
    let qualified = null;
    for (const tier of ranked) {
      if (tierGaps(data, tier, form, day).length === 0) qualified = tier;
    }
    const next = qualified === null ? ranked[0] : ranked.find((t) => t.rank > qualified.rank) || null;
    const grace = [];
    if (qualified !== null && holds(data, qualified, form)) {
      const values = partnerValues(form, qualified.requirements);
      for (const req of qualified.requirements) {
        const value = values[req.key];
        if (req.grace && value !== null && value !== undefined &&
            metBy(req, value, true, day) && !metBy(req, value, false, day)) grace.push(req.grace.note);
      }
    }
    const result = {
      qualifies: qualified ? qualified.id : null,
      next: next ? next.id : null,
      missing: next ? tierGaps(data, next, form, day) : [],
      grace,
    };
    const aimed = data.tiers.find((t) => t.id === aim);
    if (aimed) result.aim = { tier: aimed.id, missing: tierGaps(data, aimed, form, day) };
    return result;
  }

  // -- Assessment (model/assessment.py's score) -------------------------------------------

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
    const bands = [...assessment.bands].sort((a, b) => a.min_points - b.min_points);
    const band = bands.find((b) => b.min_points <= total && total <= b.max_points);
    return { sections, total, band: band && !unanswered ? band.id : null, unanswered };
  }

  window.PortalTools = { estimate, tierCheck, assessmentScore, formatValue, formatNumber };
})();
