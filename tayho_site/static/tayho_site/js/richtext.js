/* A small rich-text editor for textareas marked data-rich-text: paragraphs, bold,
   italic, lists and quotes. Without JavaScript the plain textarea stays; the server
   sanitises whatever arrives either way (tayho_site/sanitize.py). */
(function () {
  "use strict";
  var COMMANDS = [
    { cmd: "bold", label: "B", title: "bold" },
    { cmd: "italic", label: "I", title: "italic" },
    { cmd: "insertUnorderedList", label: "•", title: "bullets" },
    { cmd: "insertOrderedList", label: "1.", title: "numbers" },
    { cmd: "formatBlock", arg: "blockquote", label: "❝", title: "quote" },
    { cmd: "formatBlock", arg: "p", label: "¶", title: "paragraph" }
  ];

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function toHtml(value) {
    if (/<(p|ul|ol|blockquote|strong|em|b|i|br)\b/i.test(value)) { return value; }
    return value.split(/\n+/).filter(function (line) { return line.trim(); })
      .map(function (line) { return "<p>" + escapeHtml(line) + "</p>"; }).join("");
  }

  function enhance(textarea) {
    var labels = JSON.parse(textarea.getAttribute("data-rich-text-labels") || "{}");
    var wrapper = document.createElement("div");
    wrapper.className = "richtext";
    var toolbar = document.createElement("div");
    toolbar.className = "richtext__toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", labels.toolbar || "Formatting");
    var editor = document.createElement("div");
    editor.className = "richtext__editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (textarea.id) {
      var label = document.querySelector('label[for="' + textarea.id + '"]');
      if (label) {
        label.id = label.id || textarea.id + "-label";
        editor.setAttribute("aria-labelledby", label.id);
        label.addEventListener("click", function () { editor.focus(); });
      }
      var described = textarea.getAttribute("aria-describedby");
      if (described) { editor.setAttribute("aria-describedby", described); }
      if (textarea.getAttribute("aria-invalid")) { editor.setAttribute("aria-invalid", "true"); }
    }
    editor.innerHTML = toHtml(textarea.value) || "<p><br></p>";
    COMMANDS.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      // The name is the words, which a voice-control user says and a screen reader reads;
      // the sign is only drawn (an aria-label differing from the visible text would not
      // match what the person sees).
      var name = labels[item.title] || item.title;
      var sign = document.createElement("span");
      sign.setAttribute("aria-hidden", "true");
      sign.textContent = item.label;
      var words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = name;
      button.appendChild(sign);
      button.appendChild(words);
      button.title = name;
      button.addEventListener("click", function () {
        editor.focus();
        document.execCommand(item.cmd, false, item.arg ? item.arg : null);
        sync();
      });
      toolbar.appendChild(button);
    });
    function sync() { textarea.value = editor.innerHTML; }
    editor.addEventListener("input", sync);
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* older browsers */ }
    textarea.hidden = true;
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(editor);
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }
  }

  document.querySelectorAll("textarea[data-rich-text]").forEach(enhance);
})();
