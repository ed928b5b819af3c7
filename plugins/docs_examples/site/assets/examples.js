/* Filter box of the examples index: hides the table rows that do not contain every typed word.
   Plain DOM, no server; works with and without Material's instant navigation. */
(function () {
  "use strict";

  function setup() {
    var inputs = document.querySelectorAll("input[data-dx-filter]");
    Array.prototype.forEach.call(inputs, function (input) {
      var table = document.getElementById(input.getAttribute("data-dx-filter"));
      if (!table || input.dataset.dxReady) { return; }
      input.dataset.dxReady = "1";
      var count = input.parentNode.querySelector(".dx-filter__count");
      var rows = table.tBodies[0] ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
      function apply() {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        rows.forEach(function (row) {
          var text = row.textContent.toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          row.hidden = !match;
          if (match) { shown += 1; }
        });
        if (count) { count.textContent = shown + " of " + rows.length + " examples"; }
      }
      input.addEventListener("input", apply);
      apply();
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
