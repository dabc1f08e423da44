// The questions stay still under the nurse's finger while the answers' results change above
// them. An autosave's answer can grow the escalation and red-flag regions at the top of the
// step; browsers keep the visible content still when a page is scrolled, but not at its very
// top, so the next tap could land on another answer. Before each out-of-band swap this notes
// where the last answered question is on the screen, and after it scrolls by the difference.
// A short page gets blank space at its foot so that it can scroll. The change itself is
// announced in the live bar, which stays in view.
(function () {
  "use strict";

  var lastAnswered = null;
  var before = null;
  var spacer = null;

  function scrollBy(distance) {
    var room = document.documentElement.scrollHeight - window.innerHeight - window.scrollY;
    if (distance > room) {
      if (!spacer) {
        spacer = document.createElement("div");
        spacer.setAttribute("aria-hidden", "true");
        document.body.appendChild(spacer);
      }
      spacer.style.height = spacer.offsetHeight + Math.ceil(distance - room) + "px";
    }
    window.scrollBy({ top: distance, behavior: "instant" });  // never smooth: the page must not glide
  }

  function anchor() {
    var focused = document.activeElement;
    if (focused && focused.form && focused.form.hasAttribute("data-autosave")) return focused;
    return lastAnswered && lastAnswered.isConnected ? lastAnswered : null;
  }

  document.addEventListener("change", function (event) {
    if (event.target.form && event.target.form.hasAttribute("data-autosave")) {
      lastAnswered = event.target;
    }
  });

  document.addEventListener("htmx:oobBeforeSwap", function () {
    var element = anchor();
    before = element ? { element: element, top: element.getBoundingClientRect().top } : null;
  });

  document.addEventListener("htmx:oobAfterSwap", function () {
    if (!before || !before.element.isConnected) return;
    var moved = before.element.getBoundingClientRect().top - before.top;
    if (moved !== 0 && Math.abs(moved) < window.innerHeight) scrollBy(moved);
  });
})();
