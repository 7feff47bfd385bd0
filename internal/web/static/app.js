// Asks before forms marked data-confirm are sent; without JavaScript they
// are sent at once, which is why only cheap, refusable actions use it.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
// The language switch takes effect on choosing; the button stays for those
// without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var sel = document.getElementById("lang");
  if (sel) { sel.addEventListener("change", function () { sel.form.submit(); }); }
});
