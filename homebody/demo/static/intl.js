/* International pages: scripted buy/send controls (<button>, <a role=button>, <div role=button>)
   post {lang, kind} to /intl/record. <input type=submit> controls post their form instead. */
(function () {
  "use strict";

  var demo = window.hbDemo;

  function record(el) {
    var kind = el.dataset.intlKind;
    var status = demo.byId("intl-" + kind + "-status");
    demo.postJSON("/intl/record", { lang: el.dataset.intlLang, kind: kind })
      .then(function () {
        status.classList.remove("error");
        status.textContent = el.dataset.done;
        var message = demo.byId("intl-message");
        if (kind === "send" && message) {
          message.value = "";
        }
      })
      .catch(function (err) {
        status.classList.add("error");
        status.textContent = err.message;
      });
  }

  document.querySelectorAll("[data-intl-kind]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      event.preventDefault();
      record(el);
    });
    if (el.tagName === "BUTTON") {
      return; /* a real button already clicks on Enter and Space */
    }
    el.addEventListener("keydown", function (event) {
      /* a link already clicks on Enter; a div needs both keys */
      if (event.key === " " || (event.key === "Enter" && el.tagName !== "A")) {
        event.preventDefault();
        record(el);
      }
    });
  });
})();
