/* Practice mode for the interview pages: set-up → one question → its answer → your verdict → … → score.
   The questions on the page are never moved or changed: the current one is copied into the practice panel,
   and the list is hidden while practising. Exactly one state's controls are shown at a time. Plain DOM;
   no server and no storage. Keys: Space or Enter reveal the answer, → "I knew it", ← "Not yet", Esc stops. */
(function () {
  "use strict";

  var STATES = ["setup", "asking", "revealed", "done"];

  function shuffled(items) {
    var out = items.slice();
    for (var i = out.length - 1; i > 0; i -= 1) {
      var j = Math.floor(Math.random() * (i + 1));
      var tmp = out[i]; out[i] = out[j]; out[j] = tmp;
    }
    return out;
  }

  /* A question of the page: its text, level and chapter (from its level badge) and its answer's nodes. */
  function questionOf(card) {
    var badge = card.querySelector("[data-iq-level]");
    var summary = card.querySelector("summary");
    return {
      card: card,
      title: summary ? summary.textContent.trim() : "",
      level: badge ? badge.getAttribute("data-iq-level") : "",
      chapter: badge ? badge.getAttribute("data-iq-chapter") : "",
    };
  }

  function setup() {
    var panel = document.querySelector("[data-iq-practice]");
    if (!panel || panel.dataset.iqReady) { return; }
    panel.dataset.iqReady = "1";
    var all = Array.prototype.map.call(document.querySelectorAll("details.iq-card"), questionOf);
    var part = function (selector) { return panel.querySelector(selector); };
    var filters = Array.prototype.slice.call(panel.querySelectorAll("[data-iq-filter]"));
    var start = part('[data-iq="start"]');
    var count = part(".iq-practice__count");
    var progress = part(".iq-practice__progress");
    var question = part(".iq-practice__question");
    var answer = part(".iq-practice__answer");
    var score = part(".iq-practice__score");
    var missedList = part(".iq-practice__missed");
    var order = [];
    var current = 0;
    var known = 0;
    var missed = [];
    var state = "setup";

    /* Show the elements of one state, hide every other state's; move the focus to its first visible main
       button, so Enter and Space work from there (not on page load: that would scroll the page). */
    function enter(next, quiet) {
      state = next;
      Array.prototype.forEach.call(panel.querySelectorAll("[data-iq-state]"), function (el) {
        el.hidden = el.getAttribute("data-iq-state").split(" ").indexOf(next) === -1;
      });
      document.body.classList.toggle("iq-practicing", next !== "setup");
      if (quiet) { return; }
      var buttons = panel.querySelectorAll('[data-iq-state~="' + next + '"] button.md-button--primary');
      var visible = Array.prototype.filter.call(buttons, function (b) { return b.offsetParent !== null; });
      if (visible.length) { visible[0].focus({ preventScroll: true }); }
    }

    function chosen() {
      var want = {};
      filters.forEach(function (f) { want[f.getAttribute("data-iq-filter")] = f.value; });
      return all.filter(function (q) {
        return (!want.level || q.level === want.level) && (!want.chapter || q.chapter === want.chapter);
      });
    }

    function updateCount() {
      var n = chosen().length;
      count.textContent = n === 1 ? "1 question" : n + " questions";
      start.disabled = n === 0;
    }

    function show(index) {
      current = index;
      var q = order[index];
      progress.textContent = "Question " + (index + 1) + " of " + order.length +
        (index ? " · " + known + " known so far" : "");
      question.textContent = q.title;
      answer.textContent = "";
      Array.prototype.forEach.call(q.card.childNodes, function (node) {
        if (node.nodeName !== "SUMMARY") { answer.appendChild(node.cloneNode(true)); }
      });
      enter("asking");
      panel.scrollIntoView({ block: "nearest" });
    }

    function begin() {
      order = shuffled(chosen());
      known = 0;
      missed = [];
      if (order.length) { show(0); }
    }

    function grade(knewIt) {
      if (knewIt) { known += 1; } else { missed.push(order[current]); }
      if (current + 1 < order.length) { show(current + 1); return; }
      score.textContent = "You knew " + known + " of " + order.length + (order.length === 1 ? " question." : " questions.");
      missedList.textContent = "";
      missed.forEach(function (q) {
        var item = document.createElement("li");
        item.textContent = q.title;
        missedList.appendChild(item);
      });
      enter("done");
    }

    var actions = {
      start: begin,
      reveal: function () { enter("revealed"); },
      knew: function () { grade(true); },
      missed: function () { grade(false); },
      stop: function () { enter("setup"); },
      again: function () { enter("setup"); },
    };
    Array.prototype.forEach.call(panel.querySelectorAll("button[data-iq]"), function (button) {
      button.addEventListener("click", function () { actions[button.getAttribute("data-iq")](); });
    });
    filters.forEach(function (f) { f.addEventListener("change", updateCount); });

    document.addEventListener("keydown", function (event) {
      if (!document.body.contains(panel) || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var tag = event.target && event.target.tagName;
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }
      var onButton = tag === "BUTTON" && panel.contains(event.target);
      var key = event.key;
      var action = null;
      if (state === "asking" && (key === "ArrowRight" || (!onButton && (key === " " || key === "Enter")))) {
        action = "reveal";
      }
      if (state === "revealed" && key === "ArrowRight") { action = "knew"; }
      if (state === "revealed" && key === "ArrowLeft") { action = "missed"; }
      if (state !== "setup" && key === "Escape") { action = "stop"; }
      if (action) {
        event.preventDefault();
        actions[action]();
      }
    });

    panel.hidden = false;
    updateCount();
    enter("setup", true);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
