// The country picker (templates/_countries.html): a filter above the check boxes, and the
// chosen countries as tags with a remove button. Without this script the picker is the plain
// list of check boxes, which posts the same form.
(function () {
  "use strict";

  // "Côte d’Ivoire", "cote d'ivoire" and "COTE D IVOIRE" all read "cote d ivoire".
  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLocaleLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function setUp(picker) {
    var tools = picker.querySelector("[data-picker-tools]");
    var filter = picker.querySelector("[data-picker-filter]");
    var count = picker.querySelector("[data-picker-count]");
    var tags = picker.querySelector("[data-picker-tags]");
    var empty = picker.querySelector("[data-picker-empty]");
    var list = picker.querySelector("[data-picker-list]");
    var items = Array.prototype.map.call(
      list.querySelectorAll(":scope > li"),
      function (li) {
        var box = li.querySelector("input[type=checkbox]");
        var name = li.querySelector("label").textContent.trim();
        return { li: li, box: box, name: name, folded: fold(name), code: box.value.toLowerCase() };
      }
    );

    function showTags() {
      var chosen = items.filter(function (item) { return item.box.checked; });
      tags.replaceChildren();
      chosen.forEach(function (item) {
        var tag = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = item.name;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "country-tag-remove";
        remove.dataset.code = item.box.value;
        var cross = document.createElement("span");
        cross.setAttribute("aria-hidden", "true");
        cross.textContent = "×";
        var label = document.createElement("span");
        label.className = "visually-hidden";
        label.textContent = fill(picker.dataset.removeLabel, { country: item.name });
        remove.append(cross, label);
        remove.addEventListener("click", function () { unchoose(item); });
        tag.append(name, " ", remove);
        tags.append(tag);
      });
      tags.hidden = chosen.length === 0;
      empty.hidden = chosen.length > 0;
    }

    // Removing a tag unticks its box; the focus goes to the next tag, or the filter.
    function unchoose(item) {
      var buttons = Array.prototype.slice.call(tags.querySelectorAll("button"));
      var at = buttons.findIndex(function (b) { return b.dataset.code === item.box.value; });
      item.box.checked = false;
      item.box.dispatchEvent(new Event("change", { bubbles: true }));
      var left = tags.querySelectorAll("button");
      (left[Math.min(at, left.length - 1)] || filter).focus();
    }

    function applyFilter() {
      var query = fold(filter.value);
      var shown = 0;
      items.forEach(function (item) {
        var match = !query || item.folded.indexOf(query) !== -1 || item.code === query;
        item.li.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = query
        ? fill(picker.dataset.countLabel, { shown: shown, total: items.length })
        : "";
      list.hidden = shown === 0;
    }

    picker.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") { showTags(); }
    });
    filter.addEventListener("input", applyFilter);
    // Enter in the filter would submit the whole form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    tools.hidden = false;
    showTags();
    applyFilter();
  }

  document.querySelectorAll("[data-country-picker]").forEach(setUp);
})();
