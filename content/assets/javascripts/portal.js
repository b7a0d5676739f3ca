// Material's search panel has role="dialog" but no accessible name; give it one so
// screen readers announce what opened.
for (const search of document.querySelectorAll(".md-search[role='dialog']")) {
  search.setAttribute("aria-label", "Search the portal");
}

// A table too wide for the page scrolls sideways; keyboard users need to reach it. Checked
// again once the page has loaded and whenever it is resized, as widths settle late.
// A line above such a table says it scrolls, so a cut-off column is not taken for the last.
function markScrollingTables() {
  // Every width is read before anything is changed: reading one after a change makes the
  // browser lay the page out again, once per table (a quarter of a second on the data
  // dictionary's hundred tables).
  const wraps = [...document.querySelectorAll(".md-typeset__scrollwrap")].map((wrap) => [wrap,
    wrap.scrollWidth > wrap.clientWidth + 1 || wrap.firstElementChild?.scrollWidth > wrap.clientWidth + 1]);
  for (const [wrap, scrolls] of wraps) {
    const hint = wrap.previousElementSibling?.classList.contains("portal-scroll-hint") ? wrap.previousElementSibling : null;
    wrap.classList.toggle("portal-scrolls", scrolls);
    if (scrolls) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table (scrolls sideways)");
      if (!hint) {
        const line = document.createElement("p");
        line.className = "portal-scroll-hint";
        line.textContent = "The table is wider than the screen: scroll it sideways to see every column.";
        wrap.before(line);
      }
    } else {
      for (const name of ["tabindex", "role", "aria-label"]) wrap.removeAttribute(name);
      hint?.remove();
    }
  }
}
markScrollingTables();
window.addEventListener("load", markScrollingTables);
window.addEventListener("resize", markScrollingTables);

// Per-role view on lifecycle stage pages: show one engagement model's duties, or all.
for (const switcher of document.querySelectorAll("[data-role-switch]")) {
  const parties = document.querySelectorAll(".portal-party");
  switcher.addEventListener("change", () => {
    const wanted = switcher.querySelector("input:checked").value;
    for (const party of parties) {
      party.hidden = wanted !== "all" && party.dataset.party !== wanted && party.dataset.party !== "vendor";
    }
    // The vendor's column keeps only what it provides to partners of the chosen model.
    for (const duty of document.querySelectorAll(".portal-party[data-party='vendor'] li[data-models]")) {
      duty.hidden = wanted !== "all" && !duty.dataset.models.split(" ").includes(wanted);
    }
  });
}
