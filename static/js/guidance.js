// Guidance editor behaviour that must not live inline (CSP): focus the error summary, guard
// against double submits, and say so when an autosave could not reach the server.
(function () {
  "use strict";

  function saveStatus(text) {
    var status = document.getElementById("save-status");
    if (status) status.textContent = text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) summary.focus();
  });
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("[data-submit-once]");
    if (!button) return;
    if (button.dataset.sent) {
      event.preventDefault();
      return;
    }
    button.dataset.sent = "1";
    button.setAttribute("aria-disabled", "true");
  }, true);
  document.addEventListener("htmx:sendError", function () {
    saveStatus("Not saved: the connection was lost. Your text is still on this page; press the save button when the connection is back.");
  });
  document.addEventListener("htmx:responseError", function () {
    saveStatus("Not saved: the server could not save just now. Your text is still on this page; press the save button to try again.");
  });
})();
