// A red flag is shown beside the answer that raised it, not only at the top of a long step.
// The live bar (templates/encounters/_live_bar.html) lists, hidden, each flagged answer as a
// contract path (e.g. "vitals.respiratory_rate") with the flags it raised; this puts a note at
// the top of that question: an element marked data-flag-anchor with the path, or the field's
// own container (#div_id_<name>, or #id_<name>_group). Without this script the bar still shows.
(function () {
  "use strict";

  function questionFor(path) {
    var name = path.split(".")[1];
    return (
      document.querySelector('[data-flag-anchor="' + path + '"]') ||
      document.getElementById("div_id_" + name) ||
      document.getElementById("id_" + name + "_group")
    );
  }

  function note(titles) {
    var p = document.createElement("p");
    p.className = "app-flag-note";
    p.setAttribute("data-flag-note", "");
    var badge = document.createElement("span");
    badge.className = "app-badge-flag";
    badge.textContent = "Red flag";
    p.appendChild(badge);
    p.appendChild(document.createTextNode(" " + titles));
    return p;
  }

  function place() {
    var old = document.querySelectorAll("[data-flag-note]");
    for (var i = 0; i < old.length; i++) old[i].remove();
    var flagged = document.querySelectorAll("#live-bar [data-flagged-answer]");
    for (var j = 0; j < flagged.length; j++) {
      var question = questionFor(flagged[j].getAttribute("data-flagged-answer"));
      if (!question || question.hidden) continue;
      var legend = question.querySelector(":scope > legend, :scope > fieldset > legend");
      var mark = note(flagged[j].textContent);
      if (legend) legend.after(mark);
      else question.prepend(mark);
    }
  }

  document.addEventListener("DOMContentLoaded", place);
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "live-bar") place();
  });
})();
