// The language switch (rnnbook.edition_pages) changes this tab's page; the
// theme opens every header link in a new tab.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("a[class*='btn-language-switch']").forEach((link) => {
    link.removeAttribute("target");
  });
});
