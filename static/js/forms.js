// Form behaviour of the wizard, the review page and the guidance editor that must not live
// inline (CSP): focus the error summary, guard against double taps, and say so when an autosave
// could not reach the server (the status element's data-kept says what is still on the page).
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

  function saveStatus(problem, advice) {
    var status = document.getElementById("save-status");
    if (!status) return;
    status.textContent = "Not saved: " + problem + ". " + status.dataset.kept + "; " + advice + ".";
  }

  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("submit", guardDoubleSubmit, true);
  document.addEventListener("htmx:sendError", function () {
    saveStatus("the connection was lost", "press the save button when the connection is back");
  });
  document.addEventListener("htmx:responseError", function () {
    saveStatus("the server could not save just now", "press the save button to try again");
  });
})();
