/* faq-engine help widget: one script tag, no framework, no third-party request.
   Served at /widget.js; the app puts the stylesheet into CSS below. */
(function () {
  "use strict";
  var CSS = __CSS__;
  var script = document.currentScript;
  var widgets = [];
  var uid = 0;
  // Ties this page's searches, opened answers and contact clicks together for the shop's
  // statistics: random per page load, kept nowhere (no cookie, no storage).
  var session = Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(12)), function (x) {
    return (x + 256).toString(16).slice(1);
  }).join("");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text != null) node.textContent = text;
    return node;
  }

  function fill(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function Widget(host, options) {
    this.base = options.base.replace(/\/$/, "");
    this.locale = options.locale || "en";
    this.context = options.context || "general";
    this.category = options.category || "";
    this.contactUrl = options.contactUrl || "";
    this.latest = 0;
    this.shown = 0;
    this.answers = [];
    this.active = -1;
    this.query = "";
    this.id = "faq" + ++uid;
    this.root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var self = this;
    this.load("/widget/" + encodeURIComponent(this.locale) + ".json").then(function (data) {
      self.t = data.strings;
      self.build();
      self.search("");
    }, function () {});
  }

  Widget.prototype.load = function (path, body) {
    var init = body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), keepalive: true } : {};
    return fetch(this.base + path, init).then(function (r) {
      if (!r.ok && r.status !== 201) throw new Error(r.status);
      return r.status === 201 ? null : r.json();
    });
  };

  Widget.prototype.track = function (type, fields) {
    var event = { type: type, session: session, locale: this.locale, context: this.context, query: this.query || null };
    for (var key in fields) event[key] = fields[key];
    if (this.category) event.category = this.category;
    this.load("/api/v1/events", event).then(null, function () {});
  };

  // A constructed stylesheet is no inline style, so a shop's strict CSP (style-src without
  // 'unsafe-inline') lets it through; a <style> element is for browsers without them.
  Widget.prototype.style = function () {
    if (this.root.adoptedStyleSheets !== undefined && window.CSSStyleSheet) {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        this.root.adoptedStyleSheets = [sheet];
        return;
      } catch (e) { /* fall through */ }
    }
    var style = el("style");
    style.textContent = CSS;
    this.root.appendChild(style);
  };

  Widget.prototype.build = function () {
    var t = this.t, id = this.id, self = this;
    var box = el("section", { "class": "box", "aria-labelledby": id + "-h", lang: this.locale });
    box.appendChild(el("h2", { id: id + "-h" }, t.heading));
    box.appendChild(el("label", { "for": id + "-q" }, t.label));
    this.input = el("input", {
      id: id + "-q", type: "search", role: "combobox", autocomplete: "off",
      "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": id + "-list",
      placeholder: t.placeholder, enterkeyhint: "search"
    });
    this.dym = el("p", { "class": "dym", hidden: "" });
    this.list = el("ul", { id: id + "-list", role: "listbox", "aria-label": t.answers });
    this.panel = el("div", { "class": "answer", hidden: "" });
    this.contact = el("div", { "class": "contact", hidden: "" });
    this.live = el("p", { "class": "sr", role: "status", "aria-live": "polite" });
    [this.input, this.dym, this.list, this.panel, this.contact, this.live].forEach(function (n) { box.appendChild(n); });
    this.style();
    this.root.appendChild(box);
    var timer;
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.search(self.input.value); }, 200);
    });
    this.input.addEventListener("keydown", function (e) { self.key(e); });
    this.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") self.back();
    });
    this.list.addEventListener("click", function (e) {
      var item = e.target.closest("li");
      if (item) self.open(+item.getAttribute("data-i"));
    });
  };

  Widget.prototype.search = function (query) {
    var self = this, seq = ++this.latest;
    var q = query.trim();
    var params = "?locale=" + encodeURIComponent(this.locale) + "&context=" + encodeURIComponent(this.context) +
      (this.category ? "&category=" + encodeURIComponent(this.category) : "") + (q ? "&q=" + encodeURIComponent(q) : "") + "&session=" + session;
    this.load("/api/v1/answers" + params).then(function (data) {
      // A slower answer to an older query never replaces a newer one.
      if (seq < self.shown) return;
      self.shown = seq;
      self.query = q;
      self.show(data);
    }, function () {
      if (seq === self.latest) self.live.textContent = self.t.error;
    });
  };

  Widget.prototype.show = function (data) {
    var t = this.t, self = this;
    this.answers = data.answers;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.textContent = "";
    this.panel.hidden = true;
    this.answers.forEach(function (a, i) {
      var item = el("li", { id: self.id + "-o" + i, role: "option", "aria-selected": "false", "data-i": i });
      item.appendChild(el("strong", null, a.title));
      item.appendChild(el("span", null, a.snippet));
      self.list.appendChild(item);
    });
    this.list.hidden = !this.answers.length;
    this.input.setAttribute("aria-expanded", String(this.answers.length > 0));
    this.dym.hidden = !data.did_you_mean;
    if (data.did_you_mean) this.dym.textContent = fill(t.did_you_mean, { suggestion: data.did_you_mean });
    if (this.query) {
      this.live.textContent = this.answers.length ? fill(t.found, { num: this.answers.length }) : t.none;
    }
    this.showContact(this.query && !this.answers.length ? data.contact : null);
  };

  Widget.prototype.showContact = function (contact) {
    var t = this.t, box = this.contact, locale = this.locale;
    box.textContent = "";
    box.hidden = !contact;
    if (!contact) return;
    box.appendChild(el("p", null, t.no_answer));
    box.appendChild(el("h3", null, t.contact));
    var today = (contact.checked_at || "").slice(0, 10);
    contact.channels.forEach(function (c) {
      var p = el("p");
      if (c.response_hours) {
        p.textContent = fill(t.email, { hours: c.response_hours });
      } else {
        p.appendChild(el("strong", null, (t.channels[c.channel] || c.channel) + ": "));
        p.appendChild(document.createTextNode(c.hours_text + " "));
        var state;
        if (c.open_now) state = el("span", { "class": "open" }, t.open_now);
        else if (c.next_opening) {
          var at = c.next_opening.slice(11, 16), day = c.next_opening.slice(0, 10);
          var name = new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(new Date(day + "T12:00:00Z"));
          state = el("span", { "class": "closed" }, day === today ? fill(t.opens_at, { time: at }) : fill(t.opens_day, { day: name, time: at }));
        } else state = el("span", { "class": "closed" }, t.closed);
        p.appendChild(state);
      }
      box.appendChild(p);
    });
    var self = this;
    var reach = el("a", { "class": "reach", href: this.contactUrl || this.base + contact.help_url + "/contact" }, t.contact_link);
    reach.addEventListener("click", function () { self.track("contact_click"); });
    box.appendChild(el("p")).appendChild(reach);
    var link = el("a", { href: this.base + contact.help_url + "/search?q=" + encodeURIComponent(this.query) }, t.help_search);
    box.appendChild(el("p")).appendChild(link);
  };

  Widget.prototype.key = function (e) {
    var n = this.answers.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!n) return;
      e.preventDefault();
      this.list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
      var next = e.key === "ArrowDown" ? this.active + 1 : (this.active < 0 ? n - 1 : this.active - 1 + n);
      this.select(next % n);
    } else if (e.key === "Enter") {
      if (this.active >= 0) { e.preventDefault(); this.open(this.active); }
      else if (n) { e.preventDefault(); this.open(0); }
    } else if (e.key === "Escape") {
      if (!this.panel.hidden) this.back();
      else { this.list.hidden = true; this.input.setAttribute("aria-expanded", "false"); }
    }
  };

  Widget.prototype.select = function (i) {
    var items = this.list.children;
    for (var k = 0; k < items.length; k++) items[k].setAttribute("aria-selected", String(k === i));
    this.active = i;
    this.input.setAttribute("aria-activedescendant", this.id + "-o" + i);
    items[i].scrollIntoView && items[i].scrollIntoView({ block: "nearest" });
  };

  Widget.prototype.open = function (i) {
    var a = this.answers[i], t = this.t, self = this;
    if (!a) return;
    var panel = this.panel;
    panel.textContent = "";
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-labelledby", this.id + "-a");
    var title = el("h3", { id: this.id + "-a", tabindex: "-1" }, a.title);
    var body = el("div");
    body.innerHTML = a.html; // sanitised by the service (Markdown rendered, then cleaned)
    var more = el("a", { href: this.base + a.url }, t.read_more);
    var back = el("button", { type: "button", "class": "link" }, t.back);
    back.addEventListener("click", function () { self.back(); });
    var feedback = el("div", { "class": "feedback" });
    feedback.appendChild(el("span", null, t.helpful + " "));
    [[true, t.yes], [false, t.no]].forEach(function (choice) {
      var b = el("button", { type: "button" }, choice[1]);
      b.addEventListener("click", function () {
        self.load("/api/v1/feedback", { article: a.id, locale: a.locale, helpful: choice[0], query: self.query, context: self.context, session: session })
          .then(function () { feedback.textContent = t.thanks; self.live.textContent = t.thanks; },
            function () { self.live.textContent = t.error; });
      });
      feedback.appendChild(b);
    });
    [back, title, body, more, feedback].forEach(function (n) { panel.appendChild(n); });
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    panel.hidden = false;
    title.focus();
    this.track("open", { article: a.id, locale: a.locale });
  };

  Widget.prototype.back = function () {
    this.panel.hidden = true;
    this.list.hidden = !this.answers.length;
    this.input.setAttribute("aria-expanded", String(this.answers.length > 0));
    this.input.focus();
  };

  Widget.prototype.setContext = function (context, category) {
    this.context = context || "general";
    this.category = category || "";
    if (this.t) this.search(this.input.value);
  };

  var origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var api = {
    mount: function (element, options) {
      var o = options || {};
      var w = new Widget(element, { base: o.base || origin, locale: o.locale || document.documentElement.lang, context: o.context, category: o.category, contactUrl: o.contactUrl });
      widgets.push(w);
      return w;
    },
    setContext: function (context, category) {
      widgets.forEach(function (w) { w.setContext(context, category); });
    }
  };
  window.FaqEngine = api;
  if (script && script.hasAttribute("data-locale")) {
    var target = script.getAttribute("data-target");
    var host = target ? document.querySelector(target) : null;
    if (!host) {
      host = document.createElement("div");
      script.parentNode.insertBefore(host, script.nextSibling);
    }
    api.mount(host, { locale: script.getAttribute("data-locale"), context: script.getAttribute("data-context"), category: script.getAttribute("data-category"), contactUrl: script.getAttribute("data-contact-url") });
  }
})();
