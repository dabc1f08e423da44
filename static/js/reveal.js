// Follow-up questions that apply only after a certain answer (the reason for oxygen, the side of
// radicular pain, the scan's details). Each follow-up input says what it depends on:
//   data-reveal-when="on_oxygen" data-reveal-values="yes"
// While the answer it depends on is not one of those values, the question is hidden, emptied and
// disabled, so a stale answer is never sent or saved. Without this script every question is
// shown and the server drops the answers that do not apply.
(function () {
  "use strict";

  function answerOf(form, name) {
    var values = [];
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.disabled) continue;
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.value);
      } else if (input.value) {
        values.push(input.value);
      }
    }
    return values;
  }

  function containerOf(input) {
    return document.getElementById("div_id_" + input.name) || input.closest("[data-reveal-group]");
  }

  function empty(input) {
    if (input.type === "radio" || input.type === "checkbox") {
      input.checked = false;
    } else if (input.tagName === "SELECT") {
      input.selectedIndex = -1;
    } else {
      input.value = "";
    }
  }

  function update(form) {
    // In document order, so a follow-up of a follow-up sees its parent already settled.
    var followUps = form.querySelectorAll("[data-reveal-when]");
    for (var i = 0; i < followUps.length; i++) {
      var input = followUps[i];
      var wanted = (input.dataset.revealValues || "").split(" ");
      var given = answerOf(form, input.dataset.revealWhen);
      var applies = given.some(function (value) { return wanted.indexOf(value) !== -1; });
      var container = containerOf(input);
      if (container) container.hidden = !applies;
      if (!applies) empty(input);
      input.disabled = !applies;
    }
  }

  function updateAll() {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].querySelector("[data-reveal-when]")) update(forms[i]);
    }
  }

  document.addEventListener("DOMContentLoaded", updateAll);
  // Capture phase: the follow-ups are settled before the autosave reads the form.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.querySelector("[data-reveal-when]")) update(form);
  }, true);
})();
