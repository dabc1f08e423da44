// `make css`: Bootstrap's stylesheet trimmed to the selectors the product can use.
// Every rule whose classes, elements and attributes appear nowhere in the files below is dropped.
// SITE_PACKAGES (set by the Makefile) is the virtual environment's folder of Python packages,
// whose Django and crispy-bootstrap5 templates render markup that is not in this repository.
const sitePackages = process.env.SITE_PACKAGES;
if (!sitePackages) {
  throw new Error("SITE_PACKAGES is not set: run `make css`, not purgecss directly");
}

export default {
  css: ["static/vendor/bootstrap-5.3.9/bootstrap.min.css"],
  output: "static/vendor/bootstrap-5.3.9/bootstrap.trimmed.min.css",
  content: [
    "templates/**/*.html",
    "static/js/*.js",
    // Classes that forms, widgets and helpers set in Python.
    "triage/**/*.py",
    `${sitePackages}/crispy_bootstrap5/templates/**/*.html`,
    // Django's own widget templates: the <input>, <select> and <textarea> elements themselves.
    `${sitePackages}/django/forms/templates/django/forms/**/*.html`,
  ],
  // Keyframes no kept rule animates are dropped; custom properties (:root) are all kept.
  keyframes: true,
  variables: false,
  safelist: {
    standard: [
      // Toggled by static/js/navbar.js on the collapsed navigation.
      "show",
      "collapsing",
      // Set by htmx while a request is in flight or content is swapped in.
      "htmx-request",
      "htmx-indicator",
      "htmx-added",
      "htmx-settling",
      "htmx-swapping",
      // Validation states that forms can set on any field.
      "is-invalid",
      "is-valid",
      "was-validated",
      // base.html writes `alert-{{ message level }}` for Django's messages.
      "alert-info",
      "alert-success",
      "alert-warning",
      "alert-danger",
    ],
  },
};
