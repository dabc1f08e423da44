// A page's Print button (data-app-print) opens the browser's print dialogue; without this
// script the button stays hidden and the browser's own Print still works.
document.querySelectorAll("[data-app-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
