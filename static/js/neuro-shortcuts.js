// The neuro exam's shortcuts: "All normal, before and now" and "Now the same as before the
// procedure" fill the power and sensation choices of the step (the legs, and the arms when they
// are asked), and "Undo" puts back what was there. The filled choices are shown, can be changed
// one by one, and are saved like any answer (a change event reaches the autosave).
(function () {
  "use strict";

  var NORMAL = ["5", "normal"];
  var undo = null;

  function choices(form) {
    return form.querySelectorAll("select[name^='power_'], select[name*='sensation_']");
  }

  function hasOption(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) return true;
    }
    return false;
  }

  function normalOf(select) {
    for (var i = 0; i < NORMAL.length; i++) if (hasOption(select, NORMAL[i])) return NORMAL[i];
    return select.value;
  }

  function fill(form, how) {
    var selects = choices(form);
    var before = [];
    var missing = 0;
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      before.push([select, select.value]);
      if (how === "normal") {
        select.value = normalOf(select);
      } else if (!/_baseline$/.test(select.name)) {
        var baseline = form.querySelector("[name='" + select.name + "_baseline']");
        var known = baseline && baseline.value && baseline.value !== "unknown";
        if (known && hasOption(select, baseline.value)) select.value = baseline.value;
        else missing += 1;
      }
    }
    return { before: before, missing: missing };
  }

  function announce(box, text) {
    box.querySelector("[data-fill-status]").textContent = text;
  }

  function changed(form) {
    var first = choices(form)[0];
    if (first) first.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function start() {
    var box = document.querySelector("[data-neuro-shortcuts]");
    if (!box) return;
    var form = box.closest("form");
    var undoButton = box.querySelector("[data-fill=undo]");
    box.hidden = false;
    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-fill]");
      if (!button) return;
      var how = button.getAttribute("data-fill");
      if (how === "undo") {
        if (!undo) return;
        for (var i = 0; i < undo.length; i++) undo[i][0].value = undo[i][1];
        undo = null;
        undoButton.hidden = true;
        announce(box, "The power and sensation choices are back as they were.");
      } else {
        var done = fill(form, how);
        undo = done.before;
        undoButton.hidden = false;
        if (how === "normal") {
          announce(box, "Every power and sensation choice is set to normal, before and now. Change any that are not.");
        } else if (done.missing) {
          announce(box, done.missing + " “now” choices have no recorded “before” value: choose them by hand.");
        } else {
          announce(box, "Every “now” choice is set to its “before the procedure” value. Change any that differ.");
        }
      }
      changed(form);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
