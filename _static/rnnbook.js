// The book's own behaviour on top of pydata-sphinx-theme and sphinx-book-theme.
// Every message here exists in both editions' languages (the page's <html lang>).

// A first visit (nothing in localStorage yet) leaves the theme's head script
// with an empty colour mode, which pydata-sphinx-theme rejects with a console
// error ("Got invalid theme mode") before falling back to "auto". This file
// loads in <head>, before the theme's script reads the mode: start at "auto".
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "auto";
}

const rnnbookZh = () => document.documentElement.lang === "zh-TW";
const rnnbookSay = (zh, en) => (rnnbookZh() ? zh : en);

// The language switch (booktools.extensions.edition_pages) changes this tab's page; the
// theme opens every header link in a new tab.
function rnnbookSameTabLanguageSwitch() {
  document.querySelectorAll("a[class*='btn-language-switch']").forEach((link) => {
    link.removeAttribute("target");
  });
}

// Navigation drawers. pydata-sphinx-theme wires only the first .primary-toggle
// and .secondary-toggle of the page to its drawers (<dialog>), and those are in
// the header sphinx-book-theme hides; the buttons a reader sees (the article
// header's) did nothing but show a tooltip. Each visible button now opens its
// drawer through the wired one; on a wide screen, where the contents are
// already beside the article, the contents button hides or shows them instead.
function rnnbookDrawers() {
  ["primary", "secondary"].forEach((side) => {
    const buttons = Array.from(document.querySelectorAll(`.${side}-toggle`));
    const wired = buttons[0];
    const dialog = document.getElementById(`pst-${side}-sidebar-modal`);
    if (!wired || !dialog) return;
    buttons.slice(1).forEach((button) => {
      button.setAttribute("aria-haspopup", "dialog");
      button.addEventListener("click", (event) => {
        event.preventDefault();
        window.bootstrap?.Tooltip?.getInstance(button)?.hide();
        // pydata-sphinx-theme's breakpoint for the contents beside the article.
        if (side === "primary" && window.matchMedia("(min-width: 992px)").matches) {
          rnnbookToggleSidebar(button);
        } else {
          wired.click();
        }
      });
    });
    rnnbookCloseButton(document.getElementById(`pst-${side}-sidebar`));
    // The drawer is a list of links: following one leaves the drawer.
    dialog.addEventListener("click", (event) => {
      if (event.target.closest("a[href]")) dialog.close();
    });
  });
}

const rnnbookSidebarCollapsed = () =>
  document.documentElement.classList.contains("rnnbook-sidebar-collapsed");

function rnnbookToggleSidebar(button) {
  const collapsed = !rnnbookSidebarCollapsed();
  document.documentElement.classList.toggle("rnnbook-sidebar-collapsed", collapsed);
  button.setAttribute("aria-expanded", String(!collapsed));
}

// A drawer on a phone covers most of the screen: give it a visible close
// button (Escape and a tap beside it close it too). The theme moves the
// sidebar's nodes into the drawer and back, so the button lives in the
// sidebar, shown only inside a drawer (rnnbook.css).
function rnnbookCloseButton(sidebar) {
  if (!sidebar) return;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "rnnbook-drawer-close btn btn-sm";
  close.setAttribute("aria-label", rnnbookSay("關閉", "Close"));
  close.innerHTML = '<span aria-hidden="true">×</span>';
  close.addEventListener("click", () => close.closest("dialog")?.close());
  sidebar.prepend(close);
}

// Accessible names that contain what the button shows (WCAG 2.5.3: speech
// users say what they see). The search button shows "Search Ctrl+K" but was
// named "Search"; the colour-mode button's icons carried titles ("Light") its
// name ("Color mode") lacks: they are decoration, the button's name says it all.
function rnnbookNamesMatchLabels() {
  document.querySelectorAll(".search-button-field").forEach((button) => {
    button.setAttribute("aria-label", button.textContent.replace(/\s+/g, " ").trim());
  });
  document.querySelectorAll(".theme-switch-button .theme-switch").forEach((icon) => {
    icon.removeAttribute("title");
    icon.setAttribute("aria-hidden", "true");
  });
  // sphinx-copybutton's tooltip is in the page's language, but its icon's
  // <title> (the button's name, and the browser's hover text) stays English.
  document.querySelectorAll("button.copybtn[data-tooltip]").forEach((button) => {
    const title = button.querySelector("svg title");
    if (title) title.textContent = button.dataset.tooltip;
    button.setAttribute("aria-label", button.dataset.tooltip);
  });
}

// Display equations on a narrow screen. A wide one (18-2's equation (18.1) is
// about 400 px) was cut at the phone's edge with no sign that it scrolls.
// Each is scaled down to fit, to no less than 70% of its size; one still too
// wide scrolls, with a visible shadow at the edge it scrolls towards
// (.rnnbook-scrolls in rnnbook.css).
const RNNBOOK_SMALLEST_EQUATION = 0.7;

function rnnbookFitEquations() {
  document.querySelectorAll('mjx-container[display="true"]').forEach((equation) => {
    // MathJax sets its own size (matching the text's x-height): scale from it.
    equation.dataset.rnnbookSize ??= equation.style.fontSize || "100%";
    const size = parseFloat(equation.dataset.rnnbookSize);
    equation.style.fontSize = `${size}%`;
    const box = equation.clientWidth;
    const wide = equation.scrollWidth;
    if (wide > box + 1) {
      const scale = Math.max(RNNBOOK_SMALLEST_EQUATION, (box - 2) / wide);
      equation.style.fontSize = `${Math.floor(size * scale)}%`;
    }
    const scrolls = equation.scrollWidth > equation.clientWidth + 1;
    equation.classList.toggle("rnnbook-scrolls", scrolls);
    if (scrolls) equation.tabIndex = 0; // the keyboard can scroll it too
  });
}

function rnnbookWhenTypeset(callback) {
  const startup = window.MathJax?.startup?.promise;
  if (startup) startup.then(callback);
}

// Search results. Sphinx's snippets are the page's text before MathJax runs,
// so they showed raw TeX ("\\(s_t = f(U x_t + W s_{t-1})\\)"). Math in a
// snippet is written as plain text instead: "s_t = f(U x_t + W s_(t-1))".
function rnnbookTexAsText(tex) {
  const script = (all, mark, inner) => mark + (inner.length > 1 ? `(${inner})` : inner);
  return tex
    .replace(/^\s*\\[([]/, "")
    .replace(/\\[)\]]\s*$/, "")
    .replace(/\\(?:mathrm|mathbf|operatorname|text|textrm|boldsymbol)\{([^{}]*)\}/g, "$1")
    .replace(/([_^])\{([^{}]+)\}/g, script)
    .replace(/\\(?:left|right|qquad|quad|[,;!])/g, " ")
    .replace(/\\([A-Za-z]+)/g, "$1")
    .replace(/[{}]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function rnnbookPlainMathInSearchResults() {
  // searchtools.js declares `const Search`: a global binding, not on window.
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".math").forEach((math) => {
      math.textContent = rnnbookTexAsText(math.textContent);
    });
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
}

// An edition's own search page (book/zh-TW/search.html, booktools.extensions.interface_language)
// lists only that edition's pages: one index serves both editions, and a zh-TW
// reader searching 狀態 or RNN should not land in the English edition. The
// site-wide search.html (the landing page's) keeps both.
function rnnbookSearchOwnEdition() {
  if (typeof Search === "undefined" || !Search._performSearch) return;
  const page = (typeof DOCUMENTATION_OPTIONS !== "undefined" && DOCUMENTATION_OPTIONS.pagename) || "";
  const edition = page.match(/^book\/[^/]+\//)?.[0];
  if (!edition) return;
  const performSearch = Search._performSearch;
  Search._performSearch = (...args) => performSearch(...args)
    .filter(([docname]) => !docname.startsWith("book/") || docname.startsWith(edition));
}

// "Live Code" (sphinx-thebe) loads the thebe library from a CDN, then asks
// mybinder.org for a kernel. When either cannot be reached it said "Loading
// thebe from CDN..." forever. Now the page says what happened, in its
// language, and where else the page runs.
function rnnbookLiveCodeFailure(button) {
  const message = rnnbookSay(
    "Live Code 連不上執行程式的核心（mybinder.org 或它需要的 thebe 程式庫無法連線），"
      + "所以這頁的程式碼無法在頁面上執行。請從頁首的啟動選單（火箭圖示）改用 Colab 開啟，"
      + "或從下載選單下載 .ipynb，在自己的 Jupyter 裡執行。",
    "Live Code could not reach a kernel (mybinder.org, or the thebe library it needs, "
      + "is unreachable), so this page's code cannot run in the page. Open the page in "
      + "Colab from the launch menu (the rocket icon) at the top, or download the .ipynb "
      + "from the download menu and run it in your own Jupyter.");
  const note = document.createElement("p");
  note.className = "rnnbook-live-code-failed";
  note.setAttribute("role", "alert");
  note.textContent = message;
  button.replaceWith(note);
}

function rnnbookWatchLiveCode() {
  const button = () => document.querySelector(".thebe-launch-button");
  const fail = () => button() && rnnbookLiveCodeFailure(button());
  // sphinx-thebe.js loads asynchronously and its library's <script> may fail
  // before a listener on it could be added: listen on the window, in the
  // capture phase, from the click that starts it.
  const isThebe = (event) => typeof THEBE_JS_URL !== "undefined"
    && event.target?.src === THEBE_JS_URL;
  window.addEventListener("error", (event) => isThebe(event) && fail(), true);
  window.addEventListener("load", (event) => isThebe(event) && rnnbookOnThebeFailure(fail),
    true);
  if (typeof thebelab !== "undefined") rnnbookOnThebeFailure(fail);
}

function rnnbookOnThebeFailure(fail) {
  thebelab.on("status", (event, data) => {
    if (data.status === "failed") fail();
  });
}

document.addEventListener("click", (event) => {
  if (event.target.closest?.(".btn-launch-thebe")) rnnbookWatchLiveCode();
}, true);

document.addEventListener("DOMContentLoaded", () => {
  rnnbookPlainMathInSearchResults();
  rnnbookSearchOwnEdition();
  rnnbookWhenTypeset(() => {
    rnnbookFitEquations();
    let pending;
    window.addEventListener("resize", () => {
      clearTimeout(pending);
      pending = setTimeout(rnnbookFitEquations, 100);
    });
  });
  rnnbookSameTabLanguageSwitch();
  rnnbookDrawers();
  rnnbookNamesMatchLabels();
});
