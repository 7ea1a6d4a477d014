/* Express checkout: step 1's "Continue" (type=button) only shows step 2; step 2's "Continue"
   (type=submit) posts the order. Enter in step 1 moves on instead of submitting the payment. */
(function () {
  "use strict";

  var demo = window.hbDemo;
  var form = demo.byId("express-form");
  if (!form) {
    return;
  }
  var shipping = demo.byId("step-shipping");
  var payment = demo.byId("step-payment");

  function show(step) {
    form.dataset.step = String(step);
    shipping.hidden = step !== 1;
    payment.hidden = step !== 2;
    demo.byId("step-1").removeAttribute("aria-current");
    demo.byId("step-2").removeAttribute("aria-current");
    demo.byId("step-" + step).setAttribute("aria-current", "step");
    var first = (step === 1 ? shipping : payment).querySelector("input");
    if (first) {
      first.focus();
    }
  }

  demo.byId("express-next").addEventListener("click", function () { show(2); });
  shipping.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.tagName === "INPUT") {
      event.preventDefault();
      show(2);
    }
  });
  demo.byId("express-back").addEventListener("click", function () { show(1); });
  form.addEventListener("submit", function (event) {
    if (form.dataset.step !== "2") {
      event.preventDefault();
      show(2);
    }
  });
})();
