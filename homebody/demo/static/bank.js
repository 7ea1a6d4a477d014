/* Homebody Bank: "Review transfer" opens <hb-transfer-confirm> (open shadow root); the quick
   transfer page uses <hb-closed-confirm> (closed shadow root). Both post to /bank/transfer. */
(function () {
  "use strict";

  var demo = window.hbDemo;
  var AMOUNT = /^\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/;
  var FONT = 'font: 15px/20px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;';
  var BUTTON_CSS =
    "button { box-sizing: border-box; height: 44px; margin: 0; padding: 0 16px; border-radius: 8px;" +
    " font: inherit; font-size: 15px; font-weight: 600; cursor: pointer; }" +
    " .primary { background: #2454d6; border: 1px solid #2454d6; color: #fff; }" +
    " .primary:hover { background: #1b42ab; }" +
    " .plain { background: #fff; border: 1px solid #cfd4dd; color: #1c2230; }" +
    " .sent { margin: 0; color: #1f7a4a; font-weight: 700; }" +
    " .error { margin: 0; color: #c8372d; font-weight: 600; }";

  function dollars(text) {
    var value = Number(String(text).replace(/[$,\s]/g, ""));
    return "$" + value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function row(label, value) {
    var line = el("div", "row");
    line.appendChild(el("span", "label", label));
    line.appendChild(el("strong", "", value));
    return line;
  }

  function sendTransfer(data) {
    return demo.postJSON("/bank/transfer", data).then(function (payload) {
      var balance = demo.byId("balance");
      if (balance && payload.balance) {
        balance.textContent = payload.balance;
      }
      return payload;
    });
  }

  var CONFIRM_CSS =
    ":host { display: block; margin-top: 16px; }" +
    " .panel { box-sizing: border-box; height: 228px; padding: 20px; border: 1px solid #cdd8f6;" +
    " border-radius: 12px; background: #f5f8ff; color: #1c2230; " + FONT + " }" +
    " h3 { height: 24px; margin: 0 0 8px; font-size: 17px; line-height: 24px; }" +
    " .row { display: flex; align-items: center; justify-content: space-between; height: 32px; }" +
    " .label { color: #5d6677; }" +
    " .actions { display: flex; align-items: center; gap: 12px; height: 44px; margin-top: 16px; }" +
    " .plain { width: 100px; } .primary { width: 180px; } " + BUTTON_CSS;

  /* "Edit" closes the panel; "Confirm transfer" sends it and says "Transfer sent" in its place. */
  function confirmActions(host, to, amount) {
    var actions = el("div", "actions");
    var edit = el("button", "plain", "Edit");
    var confirm = el("button", "primary", "Confirm transfer");
    edit.type = "button";
    confirm.type = "button";
    edit.addEventListener("click", function () { host.hidden = true; });
    confirm.addEventListener("click", function () {
      confirm.disabled = true;
      edit.disabled = true;
      sendTransfer({ to: to, amount: amount })
        .then(function () {
          actions.textContent = "";
          actions.appendChild(el("p", "sent", "Transfer sent"));
          demo.byId("transfer-status").textContent = "Transfer sent";
        })
        .catch(function (err) {
          actions.textContent = "";
          actions.appendChild(el("p", "error", err.message));
        });
    });
    actions.appendChild(edit);
    actions.appendChild(confirm);
    return actions;
  }

  /* Open shadow root: the summary of the transfer, then "Edit" and "Confirm transfer". */
  class TransferConfirm extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: "open" });
    }

    show(to, amount) {
      var root = this.shadowRoot;
      var style = el("style");
      var panel = el("div", "panel");
      style.textContent = CONFIRM_CSS;
      panel.setAttribute("role", "group");
      panel.setAttribute("aria-label", "Check your transfer");
      panel.appendChild(el("h3", "", "Check your transfer"));
      panel.appendChild(row("To", to));
      panel.appendChild(row("Amount", dollars(amount)));
      panel.appendChild(row("From", this.dataset.from || ""));
      panel.appendChild(confirmActions(this, to, amount));
      root.textContent = "";
      root.appendChild(style);
      root.appendChild(panel);
      this.hidden = false;
    }
  }

  /* Closed shadow root: the page cannot reach inside; the button sits at a fixed offset in the
     528x132 host: left 20, top 72, 160x44 (its centre is 100, 94 from the host's top left). */
  var closedRoots = new WeakMap();

  class ClosedConfirm extends HTMLElement {
    connectedCallback() {
      if (closedRoots.has(this)) {
        return;
      }
      var root = this.attachShadow({ mode: "closed" });
      closedRoots.set(this, root);
      var to = this.dataset.to;
      var amount = this.dataset.amount;
      var style = el("style");
      style.textContent =
        ":host { display: block; position: relative; width: 528px; height: 132px; }" +
        " .box { position: absolute; inset: 0; box-sizing: border-box; border: 1px solid #e2e5eb;" +
        " border-radius: 12px; background: #fafbfc; color: #1c2230; " + FONT + " }" +
        " .what { position: absolute; left: 20px; top: 16px; margin: 0; font-size: 17px; line-height: 24px; font-weight: 700; }" +
        " .when { position: absolute; left: 20px; top: 40px; margin: 0; color: #5d6677; }" +
        " .primary, .sent, .error { position: absolute; left: 20px; top: 72px; }" +
        " .primary { width: 160px; } .sent, .error { line-height: 44px; } " + BUTTON_CSS;
      var box = el("div", "box");
      box.appendChild(el("p", "what", "Send " + dollars(amount) + " to " + to));
      box.appendChild(el("p", "when", "From your Everyday account · arrives in seconds"));
      var send = el("button", "primary", "Send money");
      send.type = "button";
      send.addEventListener("click", function () {
        send.disabled = true;
        sendTransfer({ to: to, amount: amount, via: "quick" })
          .then(function () {
            box.replaceChild(el("p", "sent", "Money sent"), send);
            demo.byId("quick-status").textContent = "Sent " + dollars(amount) + " to " + to;
          })
          .catch(function (err) {
            box.replaceChild(el("p", "error", err.message), send);
          });
      });
      box.appendChild(send);
      root.appendChild(style);
      root.appendChild(box);
    }
  }

  customElements.define("hb-transfer-confirm", TransferConfirm);
  customElements.define("hb-closed-confirm", ClosedConfirm);

  function initReview() {
    var form = demo.byId("transfer-form");
    var panel = demo.byId("transfer-confirm");
    if (!form || !panel) {
      return;
    }
    var status = demo.byId("transfer-status");
    function fail(text) {
      status.textContent = text;
      status.classList.add("error");
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function () { panel.hidden = true; });
    demo.byId("review-transfer").addEventListener("click", function () {
      var to = form.elements.to.value.trim();
      var amount = form.elements.amount.value.trim();
      status.textContent = "";
      status.classList.remove("error");
      if (!to) {
        fail("Please enter who to pay.");
      } else if (!AMOUNT.test(amount) || Number(amount.replace(/[$,\s]/g, "")) <= 0) {
        fail("Please enter an amount, like 25.00.");
      } else {
        panel.show(to, amount);
      }
    });
  }

  initReview();
})();
