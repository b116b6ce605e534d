// A first visit (nothing in localStorage yet) leaves the theme's head script
// with an empty colour mode, which pydata-sphinx-theme rejects with a console
// error ("Got invalid theme mode") before falling back to "auto". This file
// loads in <head>, before the theme's script reads the mode: start at "auto".
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "auto";
}

// The language switch (booktools.edition_pages) changes this tab's page; the
// theme opens every header link in a new tab.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("a[class*='btn-language-switch']").forEach((link) => {
    link.removeAttribute("target");
  });
});
