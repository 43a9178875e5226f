// Search page: Pagefind's JS API with a small accessible UI. Works under any sub-path.
const form = document.getElementById("buscador");
const input = document.getElementById("q");
const status = document.getElementById("estado");
const list = document.getElementById("resultados");
const siteRoot = new URL(".", document.baseURI);

function show(message) {
  status.textContent = message;
}

function render(results, query) {
  list.replaceChildren();
  for (const r of results) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = r.url;
    link.textContent = r.meta.title || r.url;
    const excerpt = document.createElement("p");
    // Pagefind marks matches with <mark>; rebuild them as nodes instead of trusting HTML.
    for (const [i, part] of r.excerpt.split(/<\/?mark>/).entries()) {
      const node = i % 2 ? document.createElement("mark") : document.createTextNode("");
      node.textContent = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      excerpt.append(node);
    }
    item.append(link, excerpt);
    list.append(item);
  }
  const n = results.length;
  show(n ? `${n} ${n === 1 ? "resultado" : "resultados"} para «${query}».` : `Sin resultados para «${query}». Pruebe con otras palabras.`);
}

async function main() {
  let pagefind;
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await pagefind.options({ baseUrl: siteRoot.pathname });
  } catch (error) {
    show("La búsqueda no está disponible al abrir el sitio desde el disco; use el índice de secciones.");
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
    show("Buscando…");
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
