// The phone's collapsed navigation (templates/base.html): the menu button shows and hides the
// list it names in aria-controls, and says which it is doing with aria-expanded. It is a real
// <button>, so Enter and Space press it; Escape inside the open list closes it and puts the
// focus back on the button. From the md breakpoint up the list is always shown (Bootstrap's
// .navbar-expand-md), whatever the button last did.
(function () {
  "use strict";

  function setOpen(button, panel, open) {
    panel.classList.toggle("show", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.querySelectorAll("button[data-app-collapse][aria-controls]").forEach(function (button) {
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    button.addEventListener("click", function () {
      setOpen(button, panel, button.getAttribute("aria-expanded") !== "true");
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
      if (getComputedStyle(button).display === "none") return; // wide screen: nothing to close
      setOpen(button, panel, false);
      button.focus();
    });
  });
})();
