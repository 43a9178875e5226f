// Search page: Pagefind's JS API with a small accessible UI. Works under any sub-path.
// Loaded as a classic script (browsers refuse module scripts from file://), so it can say why search fails there.
// What it says comes from the page, in the page's language (buscar.html: `data-*` of #estado).
"use strict";
const form = document.getElementById("buscador");
const input = document.getElementById("q");
const status = document.getElementById("estado");
const list = document.getElementById("resultados");
const texts = status.dataset;
// The search index is at the site root (`data-site-root`, '' or '../'), whatever the page's language folder.
const siteRoot = new URL((form.dataset.siteRoot || "") + ".", document.baseURI);

function show(message) {
  status.textContent = message;
}

// `template` with its {name} placeholders filled from `values` (a value is never read as a placeholder).
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match));
}

function excerptOf(html) {
  // Pagefind marks matches with <mark>; rebuild them as nodes instead of trusting its HTML.
  const p = document.createElement("p");
  for (const [i, part] of html.split(/<\/?mark>/).entries()) {
    const node = i % 2 ? document.createElement("mark") : document.createTextNode("");
    node.textContent = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    p.append(node);
  }
  return p;
}

function linkTo(url, text) {
  const a = document.createElement("a");
  a.href = url;
  a.textContent = text;
  return a;
}

function render(results, query) {
  list.replaceChildren();
  for (const r of results) {
    const item = document.createElement("li");
    item.append(linkTo(r.url, r.meta.title || r.url));
    // Up to three matching headings of the page, each linking to its anchor.
    const subs = (r.sub_results || []).filter((s) => s.url !== r.url).slice(0, 3);
    if (subs.length) {
      const inner = document.createElement("ul");
      for (const s of subs) {
        const li = document.createElement("li");
        li.append(linkTo(s.url, s.title), excerptOf(s.excerpt));
        inner.append(li);
      }
      item.append(inner);
    } else {
      item.append(excerptOf(r.excerpt));
    }
    list.append(item);
  }
  const n = results.length;
  show(fill(n ? (n === 1 ? texts.resultOne : texts.resultOther) : texts.noResults, { n, query }));
}

async function main() {
  if (location.protocol === "file:") {
    // Opened from disk: the browser will not let Pagefind fetch its index, so say so and what to do instead.
    document.getElementById("sin-servidor").hidden = false;
    return;
  }
  let pagefind;
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await pagefind.options({ baseUrl: siteRoot.pathname });
  } catch (error) {
    show(texts.unavailable);
    return;
  }
  async function search(query) {
    query = query.trim();
    history.replaceState(null, "", query ? `?q=${encodeURIComponent(query)}` : location.pathname);
    if (!query) {
      list.replaceChildren();
      show("");
      return;
    }
    show(texts.searching);
    const found = await pagefind.search(query);
    const data = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
    render(data, query);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search(input.value);
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
}

main();
