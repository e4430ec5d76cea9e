// Enhancement only: every page works without this file.
// Controls submit as soon as a number is changed, and empty fields are left out of the URL.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.controls, form.search")) {
    form.addEventListener("submit", () => {
      for (const input of form.querySelectorAll("input")) {
        if (!input.value) input.disabled = true;
      }
    });
  }
  for (const input of document.querySelectorAll("form.controls input[type=number]")) {
    input.addEventListener("change", () => input.form.requestSubmit());
  }
});
