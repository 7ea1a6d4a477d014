/* Homebody demo site: the few scripted controls (div buttons, fetch actions, modal, chat). */
(function () {
  "use strict";

  function byId(id) {
    return document.getElementById(id);
  }

  function postJSON(url, data) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(data),
    }).then(function (resp) {
      return resp.json().then(function (payload) {
        if (!resp.ok) {
          throw new Error(payload.error || "Something went wrong (" + resp.status + ")");
        }
        return payload;
      });
    });
  }

  /* A click handler that also answers Enter and Space, for elements that are not <button>. */
  function activate(el, handler) {
    el.addEventListener("click", handler);
    el.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        handler(event);
      }
    });
  }

  function setStatus(id, text, isError) {
    var el = byId(id);
    if (!el) {
      return;
    }
    el.textContent = text;
    el.classList.toggle("error", Boolean(isError));
  }

  function initLinks() {
    document.querySelectorAll("[data-href]").forEach(function (el) {
      activate(el, function () {
        window.location.href = el.getAttribute("data-href");
      });
    });
  }

  function initShop() {
    var buy = byId("buy-now");
    if (buy) {
      activate(buy, function () {
        postJSON("/shop/buy-now", { id: Number(buy.dataset.productId) })
          .then(function () { setStatus("buy-status", "Order placed", false); })
          .catch(function (err) { setStatus("buy-status", err.message, true); });
      });
    }
    var wish = byId("wishlist");
    if (wish) {
      wish.addEventListener("click", function () {
        postJSON("/shop/wishlist", { id: Number(wish.dataset.productId) })
          .then(function () {
            wish.setAttribute("aria-pressed", "true");
            setStatus("buy-status", "Saved to your wishlist", false);
          })
          .catch(function (err) { setStatus("buy-status", err.message, true); });
      });
    }
  }

  function sendMail(via) {
    var form = byId("compose-form");
    var data = {
      to: form.elements.to.value,
      subject: form.elements.subject.value,
      body: form.elements.body.value,
      via: via,
    };
    setStatus("send-status", "Sending…", false);
    postJSON("/mail/send", data)
      .then(function () { window.location.href = "/mail?sent=1"; })
      .catch(function (err) { setStatus("send-status", err.message, true); });
  }

  function initCompose() {
    var form = byId("compose-form");
    if (!form) {
      return;
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    activate(byId("send"), function () { sendMail("button"); });
    byId("send-icon").addEventListener("click", function () { sendMail("icon"); });
    byId("c-body").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        sendMail("shortcut");
      }
    });
  }

  function initDeleteDialog() {
    var open = byId("delete-btn");
    var modal = byId("delete-modal");
    if (!open || !modal) {
      return;
    }
    function close() {
      modal.hidden = true;
      open.focus();
    }
    open.addEventListener("click", function () {
      modal.hidden = false;
      byId("dlg-cancel").focus();
    });
    byId("dlg-cancel").addEventListener("click", close);
    modal.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        close();
      }
    });
    var confirm = byId("dlg-confirm");
    confirm.addEventListener("click", function () {
      postJSON("/mail/delete", { id: Number(confirm.dataset.messageId) })
        .then(function () { window.location.href = "/mail?deleted=1"; })
        .catch(function () { close(); });
    });
  }

  function initChat() {
    var composer = byId("composer");
    var log = byId("chat-log");
    if (!composer || !log) {
      return;
    }
    log.scrollTop = log.scrollHeight;
    composer.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing) {
        return;
      }
      event.preventDefault();
      var text = composer.innerText.trim();
      if (!text) {
        return;
      }
      postJSON("/chat/send", { text: text }).then(function () {
        var bubble = document.createElement("div");
        bubble.className = "bubble bubble-me";
        bubble.textContent = text;
        log.appendChild(bubble);
        log.scrollTop = log.scrollHeight;
      }).catch(function () {
        composer.textContent = text;
      });
      composer.textContent = "";
    });
  }

  /* Tabs: role=tab buttons show their aria-controls panel and hide the others. Nothing is sent. */
  function initTabs() {
    document.querySelectorAll("[role=tablist]").forEach(function (list) {
      var tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
      function select(tab) {
        tabs.forEach(function (other) {
          var on = other === tab;
          other.setAttribute("aria-selected", on ? "true" : "false");
          other.tabIndex = on ? 0 : -1;
          byId(other.getAttribute("aria-controls")).hidden = !on;
        });
      }
      tabs.forEach(function (tab, index) {
        tab.addEventListener("click", function () { select(tab); });
        tab.addEventListener("keydown", function (event) {
          var step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
          if (step) {
            var next = tabs[(index + step + tabs.length) % tabs.length];
            select(next);
            next.focus();
          }
        });
      });
    });
  }

  /* "Show more" buttons: data-reveal names the element they show or hide. Nothing is sent. */
  function initReveal() {
    document.querySelectorAll("[data-reveal]").forEach(function (button) {
      var target = byId(button.getAttribute("data-reveal"));
      var more = button.textContent;
      button.addEventListener("click", function () {
        target.hidden = !target.hidden;
        button.setAttribute("aria-expanded", target.hidden ? "false" : "true");
        button.textContent = target.hidden ? more : button.getAttribute("data-less") || more;
      });
    });
  }

  /* Shared with the per-page scripts, which run after this one (all are deferred, in order). */
  window.hbDemo = { byId: byId, postJSON: postJSON, activate: activate };

  initLinks();
  initTabs();
  initReveal();
  initShop();
  initCompose();
  initDeleteDialog();
  initChat();
})();
