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

  function saveStatus(event, problem, advice) {
    var status = document.getElementById("save-status");
    // A wizard step keeps its answers on the device and says so itself (answers.js).
    if (!status || event.target.closest("[data-keep-answers]")) return;
    status.textContent = "Not saved: " + problem + ". " + status.dataset.kept + "; " + advice + ".";
  }

  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("submit", guardDoubleSubmit, true);
  document.addEventListener("htmx:sendError", function (event) {
    saveStatus(event, "the connection was lost", "press the save button when the connection is back");
  });
  document.addEventListener("htmx:responseError", function (event) {
    saveStatus(event, "the server could not save just now", "press the save button to try again");
  });
})();
