/* Shape puzzles of Labs 01 and 02, answered in the page without a kernel.

   Each puzzle is a <div class="shape-puzzle"> that a page's code cell wrote
   (rnnbook.labs.puzzles): a fallback for notebooks (the question and the
   options, read only) and a <script type="application/json"> holding the
   question, the options and each option's feedback (the lab checker's own
   words), in both editions' languages. This script replaces the fallback
   with a form in the page's language: a fieldset of radio buttons whose
   legend is the question, a Check button, and the feedback in a polite live
   region. Plain JavaScript, nothing loaded from anywhere. */
(function () {
  "use strict";

  /** The page's edition: "zh-TW" for a Chinese page, otherwise "en". */
  function pageLanguage() {
    var lang = (document.documentElement.lang || "").toLowerCase();
    return lang.indexOf("zh") === 0 ? "zh-TW" : "en";
  }

  /** Append `text` to `element`, each `backquoted` part as <code> (as rnnbook.show.language does). */
  function appendText(element, text) {
    String(text).split("`").forEach(function (part, i) {
      if (!part) return;
      if (i % 2 === 1) {
        var code = document.createElement("code");
        code.textContent = part;
        element.appendChild(code);
      } else {
        element.appendChild(document.createTextNode(part));
      }
    });
  }

  function element(tag, className) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    return made;
  }

  var made = 0;

  function build(root) {
    var script = root.querySelector("script.shape-puzzle-data");
    if (!script || root.getAttribute("data-ready")) return;
    var data = JSON.parse(script.textContent);
    var language = pageLanguage();
    var say = function (texts) { return texts[language] || texts.en; };
    made += 1;
    var name = "shape-puzzle-" + made;

    var form = element("form", "shape-puzzle-form");
    form.noValidate = true;
    var fieldset = element("fieldset", "shape-puzzle-fieldset");
    var legend = element("legend", "shape-puzzle-question");
    var title = element("span", "shape-puzzle-title");
    title.textContent = say(data.words.title);
    legend.appendChild(title);
    legend.appendChild(document.createTextNode(" "));
    appendText(legend, say(data.question));
    fieldset.appendChild(legend);
    data.options.forEach(function (option, i) {
      var label = element("label", "shape-puzzle-option");
      var input = element("input");
      input.type = "radio";
      input.name = name;
      input.value = String(i);
      label.appendChild(input);
      var words = element("span");
      appendText(words, say(option.label));
      label.appendChild(words);
      fieldset.appendChild(label);
    });
    form.appendChild(fieldset);
    var button = element("button", "shape-puzzle-check");
    button.type = "submit";
    button.textContent = say(data.words.check);
    form.appendChild(button);
    // Present (and empty) from the start, so that screen readers follow it.
    var feedback = element("p", "shape-puzzle-feedback");
    feedback.setAttribute("role", "status");
    feedback.setAttribute("aria-live", "polite");
    form.appendChild(feedback);

    var pending = null;
    function tell(text, verdict) {
      // Emptied, then filled a moment later: a repeated message is read again.
      feedback.textContent = "";
      feedback.className = "shape-puzzle-feedback";
      if (pending) clearTimeout(pending);
      pending = setTimeout(function () {
        pending = null;
        if (verdict) feedback.classList.add(verdict);
        appendText(feedback, text);
        root.setAttribute("data-answered", verdict || "none");
      }, 50);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input:checked");
      if (!chosen) {
        tell(say(data.words.choose), null);
        return;
      }
      var option = data.options[Number(chosen.value)];
      tell(say(option.feedback), option.correct ? "is-right" : "is-wrong");
    });
    // Enter on an option checks it, as on the button (browsers differ on radios).
    fieldset.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.type === "radio") {
        event.preventDefault();
        if (form.requestSubmit) form.requestSubmit(button);
        else button.click();
      }
    });

    var fallback = root.querySelector(".shape-puzzle-fallback");
    if (fallback) fallback.parentNode.removeChild(fallback);
    root.insertBefore(form, script);
    root.setAttribute("data-ready", "true");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("div.shape-puzzle"), function (root) {
      try {
        build(root);
      } catch (error) {
        // A puzzle that cannot be read keeps its fallback; the others still work.
        root.setAttribute("data-error", String(error && error.message || error));
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
