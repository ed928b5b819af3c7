/* Practice mode for the interview pages: hide every answer, shuffle the questions, show one at a time,
   reveal on request. Plain DOM in the browser; no server and no storage. */
(function () {
  "use strict";

  function shuffled(items) {
    var out = items.slice();
    for (var i = out.length - 1; i > 0; i -= 1) {
      var j = Math.floor(Math.random() * (i + 1));
      var tmp = out[i]; out[i] = out[j]; out[j] = tmp;
    }
    return out;
  }

  function setup() {
    var toolbar = document.querySelector("[data-iq-toolbar]");
    if (!toolbar || toolbar.dataset.iqReady) { return; }
    toolbar.dataset.iqReady = "1";
    var cards = Array.prototype.slice.call(document.querySelectorAll("details.iq-card"));
    var original = cards.map(function (card) { return { card: card, parent: card.parentNode, next: card.nextSibling }; });
    var button = function (name) { return toolbar.querySelector('[data-iq="' + name + '"]'); };
    var progress = toolbar.querySelector(".iq-progress");
    var order = [];
    var current = -1;

    function show(index) {
      current = index;
      order.forEach(function (card, i) { card.hidden = i !== index; card.open = false; });
      button("reveal").hidden = false;
      button("next").hidden = index >= order.length - 1;
      progress.textContent = "Question " + (index + 1) + " of " + order.length;
      if (order[index]) { order[index].scrollIntoView({ block: "center" }); }
    }

    function start() {
      order = shuffled(cards);
      // Move the cards into the shuffled order inside the first card's container.
      var host = cards.length ? cards[0].parentNode : null;
      order.forEach(function (card) { if (host) { host.appendChild(card); } });
      button("practice").hidden = true;
      button("exit").hidden = false;
      document.body.classList.add("iq-practicing");
      show(0);
    }

    function stop() {
      original.slice().reverse().forEach(function (o) { o.parent.insertBefore(o.card, o.next); });
      cards.forEach(function (card) { card.hidden = false; card.open = false; });
      ["reveal", "next", "exit"].forEach(function (n) { button(n).hidden = true; });
      button("practice").hidden = false;
      progress.textContent = "";
      document.body.classList.remove("iq-practicing");
      current = -1;
    }

    button("practice").addEventListener("click", start);
    button("exit").addEventListener("click", stop);
    button("reveal").addEventListener("click", function () { if (order[current]) { order[current].open = true; } });
    button("next").addEventListener("click", function () { if (current < order.length - 1) { show(current + 1); } });
    if (!cards.length) { button("practice").disabled = true; }
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
