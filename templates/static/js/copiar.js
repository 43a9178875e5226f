// «Copiar enlace», «Copiar cita», «Copiar código» (_macros.html) and «Copiar texto» (kit.html, whose `data-copied`
// says what was copied): buttons ship `hidden`, so without JavaScript there is no dead control. A reference or an
// iframe code made without --site-url names its page relative to this one: shown and copied absolute here.
// What it says comes from the page, in the page's language: the `data-*` of <template id="textos-copiar">
// (copy_script in _macros.html).
(function () {
  "use strict";
  var texts = document.getElementById("textos-copiar").dataset;
  function absolute(href) { return new URL(href, location.href).href; }

  // No Clipboard API, or refused (file://): copy a selection.
  function copyBySelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-100em";
    document.body.append(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { /* done stays false */ }
    area.remove();
    return done;
  }

  function copy(text) {
    if (!navigator.clipboard || !window.isSecureContext) return Promise.resolve(copyBySelection(text));
    return navigator.clipboard.writeText(text).then(function () { return true; },
      function () { return copyBySelection(text); });
  }

  document.querySelectorAll("a.cite-url").forEach(function (a) { a.textContent = absolute(a.getAttribute("href")); });
  // «Insertar»: the iframe's src (`data-src`, as written in the code) made absolute; the code is HTML, so escaped.
  document.querySelectorAll("textarea.embed-code").forEach(function (area) {
    var src = area.getAttribute("data-src");
    var url = absolute(src).replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    area.value = area.value.replace('src="' + src + '"', function () { return 'src="' + url + '"'; });
  });

  // Opened from disk or a local server, the iframe code names this machine: say so when it is copied.
  var local = location.protocol === "file:" || /^(localhost|127\.|\[::1\])/.test(location.hostname);

  document.querySelectorAll("button.copy-button").forEach(function (button) {
    var block = button.closest(".cite-tools, .cite-edition");
    var isLink = !!button.closest(".permalink");
    var embed = button.closest(".embed-tools");
    var status = document.createElement("span");  // made now, filled on click: announced politely
    status.className = "copy-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    button.after(status);
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = embed ? embed.querySelector("textarea.embed-code").value
        : isLink ? absolute(block.querySelector("a.cite-url").getAttribute("href"))
        : block.querySelector(".cite-text").textContent.replace(/\s+/g, " ").trim();
      copy(text).then(function (done) {
        status.textContent = "";  // then new text, so a second copy is announced again
        setTimeout(function () {
          status.textContent = !done ? texts.failed
            : button.dataset.copied || (embed ? (local ? texts.codeCopiedLocal : texts.codeCopied)
              : isLink ? texts.linkCopied : texts.citationCopied);
        }, 50);
      });
    });
  });
})();
