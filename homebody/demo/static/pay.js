/* Homebody Pay: the "Pay now" button is only pixels on #pay-canvas. A click inside the drawn
   rectangle (canvas x 152..352, y 16..72) pays the invoice; anywhere else on the canvas does nothing. */
(function () {
  "use strict";

  var demo = window.hbDemo;
  var canvas = demo.byId("pay-canvas");
  if (!canvas) {
    return;
  }
  var WIDTH = 360;
  var HEIGHT = 88;
  var BUTTON = { x: 152, y: 16, w: 200, h: 56, r: 10 };
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  var ctx = canvas.getContext("2d");
  var state = canvas.dataset.paid === "true" ? "paid" : "ready";

  function roundedRect(x, y, w, h, r) {
    ctx.beginPath();
    ctx.moveTo(x + r, y);
    ctx.arcTo(x + w, y, x + w, y + h, r);
    ctx.arcTo(x + w, y + h, x, y + h, r);
    ctx.arcTo(x, y + h, x, y, r);
    ctx.arcTo(x, y, x + w, y, r);
    ctx.closePath();
  }

  function drawLock() {
    ctx.strokeStyle = "#5d6677";
    ctx.fillStyle = "#5d6677";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(16, 38, 5, Math.PI, 0);
    ctx.stroke();
    ctx.fillRect(9, 38, 14, 11);
    ctx.font = "13px " + FONT;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.fillText("Secure payment", 30, 44);
  }

  function draw() {
    var ratio = window.devicePixelRatio || 1;
    canvas.width = WIDTH * ratio;
    canvas.height = HEIGHT * ratio;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, WIDTH, HEIGHT);
    drawLock();
    var label = { ready: "Pay now", paying: "Paying…", paid: "Paid" }[state];
    roundedRect(BUTTON.x, BUTTON.y, BUTTON.w, BUTTON.h, BUTTON.r);
    ctx.fillStyle = state === "paid" ? "#1f7a4a" : "#1e3a8a";
    ctx.fill();
    ctx.fillStyle = "#ffffff";
    ctx.font = "bold 24px " + FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(label, BUTTON.x + BUTTON.w / 2, BUTTON.y + BUTTON.h / 2 + 1);
  }

  function inside(event) {
    var box = canvas.getBoundingClientRect();
    var x = event.clientX - box.left;
    var y = event.clientY - box.top;
    return x >= BUTTON.x && x <= BUTTON.x + BUTTON.w && y >= BUTTON.y && y <= BUTTON.y + BUTTON.h;
  }

  canvas.addEventListener("mousemove", function (event) {
    canvas.style.cursor = state === "ready" && inside(event) ? "pointer" : "default";
  });
  canvas.addEventListener("click", function (event) {
    if (state !== "ready" || !inside(event)) {
      return;
    }
    state = "paying";
    draw();
    demo.postJSON("/pay", { invoice: canvas.dataset.invoice })
      .then(function () {
        state = "paid";
        demo.byId("pay-status").classList.remove("error");
        demo.byId("pay-status").textContent = "Thank you: your payment was received.";
      })
      .catch(function (err) {
        state = "ready";
        demo.byId("pay-status").classList.add("error");
        demo.byId("pay-status").textContent = err.message;
      })
      .then(draw);
  });

  draw();
})();
