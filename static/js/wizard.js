// Bedside wizard behaviour that must not live inline (CSP): focus, double-tap guard, offline note.
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) summary.focus();
  }

  function guardDoubleSubmit(event) {
    var button = event.target.querySelector("[data-submit-once]");
    if (!button) return;
    if (button.dataset.sent) {
      event.preventDefault();
      return;
    }
    button.dataset.sent = "1";
    button.setAttribute("aria-disabled", "true");
  }

  function saveStatus(text) {
    var status = document.getElementById("save-status");
    if (status) status.textContent = text;
  }

  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("submit", guardDoubleSubmit, true);
  document.addEventListener("htmx:sendError", function () {
    saveStatus("Not saved: the connection was lost. Your answers are still on this page; press the save button when the connection is back.");
  });
  document.addEventListener("htmx:responseError", function () {
    saveStatus("Not saved: the server could not save just now. Your answers are still on this page; press the save button to try again.");
  });
})();
