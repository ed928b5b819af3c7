/* Two small behaviours of the checked examples, plain DOM, with and without Material's instant navigation.
   1. Examples index: the search box, the kind and the status filters hide the rows that do not match.
   2. Links to an example (#dx-example-N) that sits inside a content tab: the tabs that hold it are
      selected, outermost first, and the example is scrolled into view. */
(function () {
  "use strict";

  /* -- 1. filters of the examples index -------------------------------------------------------------- */

  function setupFilters() {
    var inputs = document.querySelectorAll("input[data-dx-filter]");
    Array.prototype.forEach.call(inputs, function (input) {
      var table = document.getElementById(input.getAttribute("data-dx-filter"));
      if (!table || input.dataset.dxReady) { return; }
      input.dataset.dxReady = "1";
      var bar = input.closest(".dx-filter") || input.parentNode;
      var kind = bar.querySelector("select[data-dx-filter-kind]");
      var status = bar.querySelector("select[data-dx-filter-status]");
      var count = bar.querySelector(".dx-filter__count");
      var rows = table.tBodies[0] ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
      function apply() {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var wantKind = kind ? kind.value : "";
        var wantGroup = status ? status.value : "";
        var shown = 0;
        rows.forEach(function (row) {
          var text = row.textContent.toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
            (!wantKind || row.getAttribute("data-dx-kind") === wantKind) &&
            (!wantGroup || row.getAttribute("data-dx-group") === wantGroup);
          row.hidden = !match;
          if (match) { shown += 1; }
        });
        if (count) { count.textContent = shown + " of " + rows.length + " examples"; }
      }
      input.addEventListener("input", apply);
      if (kind) { kind.addEventListener("change", apply); }
      if (status) { status.addEventListener("change", apply); }
      apply();
    });
  }

  /* -- 2. open the tabs that hold a linked example ----------------------------------------------------- */

  function selectTabsAround(target) {
    var blocks = [];
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.classList.contains("tabbed-block")) { blocks.unshift(el); }
    }
    blocks.forEach(function (block) {
      var content = block.parentElement;
      var set = content ? content.parentElement : null;
      if (!set || !set.classList.contains("tabbed-set")) { return; }
      var index = Array.prototype.indexOf.call(content.children, block);
      var radios = Array.prototype.filter.call(set.children, function (c) { return c.tagName === "INPUT"; });
      var radio = radios[index];
      if (radio && !radio.checked) {
        radio.checked = true;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    return blocks.length > 0;
  }

  function revealHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id.indexOf("dx-example-") !== 0) { return; }
    var target = document.getElementById(id);
    if (!target) { return; }
    selectTabsAround(target);
    /* After Material's own scroll to the fragment, which could not reach a block in a hidden tab. */
    window.requestAnimationFrame(function () { target.scrollIntoView({ block: "start" }); });
  }

  function setup() {
    setupFilters();
    revealHash();
  }

  window.addEventListener("hashchange", revealHash);
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
