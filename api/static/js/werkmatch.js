/* werkmatch pages: small enhancements htmx does not cover. No inline script (CSP). */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // Filter selects submit their form on change (htmx forms listen to "change" themselves).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.classList.contains("js-autosubmit")) {
      return;
    }
    if (select.form && !select.form.hasAttribute("hx-get")) {
      select.form.requestSubmit();
    }
  });

  // Shortlist: a reason is required when a higher-ranked candidate is left out.
  function updateSelection(form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input.candidate__pick"));
    var chosen = boxes.filter(function (b) { return b.checked; });
    var reason = form.querySelector("#reason");
    var count = form.querySelector("#selection-count");
    var lowest = chosen.reduce(function (m, b) { return Math.max(m, Number(b.dataset.rank)); }, 0);
    var skipped = boxes.filter(function (b) {
      return !b.checked && Number(b.dataset.rank) < lowest;
    });
    boxes.forEach(function (b) {
      var card = b.closest(".candidate");
      if (card) { card.classList.toggle("candidate--chosen", b.checked); }
    });
    if (reason) {
      reason.required = skipped.length > 0;
      reason.classList.toggle("is-required", skipped.length > 0);
    }
    if (count) {
      var text = chosen.length === 0
        ? "Vink de kandidaten aan die u wilt voorstellen."
        : chosen.length + (chosen.length === 1 ? " kandidaat" : " kandidaten") + " geselecteerd.";
      if (skipped.length > 0) {
        text += " U slaat " + skipped.length + " hoger gerangschikte " +
          (skipped.length === 1 ? "kandidaat" : "kandidaten") + " over: geef een reden.";
      }
      count.textContent = text;
    }
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.classList.contains("candidate__pick") && box.form) {
      updateSelection(box.form);
    }
  });

  // A read-only link to pass on (e.g. to the account manager): a button copies it.
  Array.prototype.forEach.call(document.querySelectorAll("button.js-copy"), function (b) {
    b.hidden = false;
  });
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button.js-copy") : null;
    var field = button ? document.getElementById(button.dataset.copy) : null;
    if (!field) { return; }
    field.select();
    var done = function () { button.textContent = "Gekopieerd"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (document.execCommand("copy")) {
      done();
    }
  });

  // "Terug naar het formulier": the browser's own way back keeps what was typed in the form;
  // the link's address is the fallback (a new tab, no history).
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a.js-history-back") : null;
    if (!link || window.history.length < 2 || document.referrer !== link.href) { return; }
    event.preventDefault();
    window.history.back();
  });

  // Evaluation: an evaluation moment fills in its period and peildatum (the server sets them
  // from the moment as well).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.classList.contains("js-moment")) {
      return;
    }
    var option = select.selectedOptions[0];
    if (!option || !option.dataset.van || !select.form) { return; }
    select.form.elements.namedItem("van").value = option.dataset.van;
    select.form.elements.namedItem("tot").value = option.dataset.tot;
    select.form.elements.namedItem("peildatum").value = option.dataset.tot;
  });

  // After an htmx swap, move focus to a new status message so keyboard users hear it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.querySelector) { return; }
    var note = target.querySelector(".notice[role='alert']");
    if (note) {
      note.setAttribute("tabindex", "-1");
      note.focus();
    }
  });
})();
